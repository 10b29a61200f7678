/* The transparency page: the numbers of GET /v1/transparency drawn for people who would rather
 * look than read — decisions and appeals over time, sanctions by type, time to decision — as SVG
 * made here (a title and a description for screen readers, each bar's value in its own title),
 * the same numbers in a table beside each chart, and the links to the open data. */
#include "core/alloc.h"
#include "core/schema.h"
#include "http/web.h"
#include "service/transparency.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Q(name) nt_uri_param(&r->uri, name)

#define SERIES_MAX 2
#define BARS_MAX   130

typedef struct {
    const char *label;
    double v[SERIES_MAX];
    const json_t *raw[SERIES_MAX]; /* the value as the API gives it: a number, "<5" or null */
} bar;

/* A value to draw: a count hidden as "<5" is drawn as 4 (and said "<5"), null as 0. */
static double drawn(const json_t *v)
{
    if (json_is_number(v))
        return json_number_value(v);
    return json_is_string(v) ? 4 : 0;
}

/* The value as a table shows it. */
static void cell(nt_page *p, const json_t *v, int decimals)
{
    if (json_is_integer(v))
        nt_html(&p->b, "%D", (int64_t)json_integer_value(v));
    else if (json_is_real(v)) {
        char t[32];
        snprintf(t, sizeof(t), "%.*f", decimals, json_real_value(v));
        nt_html(&p->b, "%s", t);
    } else if (json_is_string(v))
        nt_html(&p->b, "%s", json_string_value(v));
    else
        nt_html(&p->b, "—");
}

static const char *const colours[SERIES_MAX] = {"#1d70b8", "#a3141b"};

/* A bar chart (a group of bars per label) and, beside it, its table. */
static void chart(nt_page *p, const char *id, const char *title, const char *desc, const char *const *series, int ns,
                  const bar *bars, size_t n, int decimals)
{
    const int W = 720, H = 300, left = 48, right = 12, top = 16, bottom = 72;
    double max = 0;
    for (size_t i = 0; i < n; i++)
        for (int s = 0; s < ns; s++)
            max = bars[i].v[s] > max ? bars[i].v[s] : max;
    double step = 1; /* a round step for the axis: 1, 2, 5, 10, 20, 50, … */
    for (int k = 0; max / step > 5; k++)
        step *= k % 3 == 1 ? 2.5 : 2;
    double top_v = step * (double)((int)(max / step) + 1);
    double plot_w = W - left - right, plot_h = H - top - bottom, slot = n ? plot_w / (double)n : plot_w;
    double bw = slot * 0.8 / ns;
    if (bw > 56)
        bw = 56; /* a few bars stay bars, not walls */
    nt_html(&p->b,
            "<figure class=\"nt-chart\"><svg role=\"img\" aria-labelledby=\"%s-t %s-d\" viewBox=\"0 0 %d %d\" "
            "xmlns=\"http://www.w3.org/2000/svg\" width=\"100%%\" style=\"max-width:%dpx;height:auto\" "
            "font-family=\"sans-serif\" font-size=\"12\"><title id=\"%s-t\">%s</title><desc id=\"%s-d\">%s</desc>",
            id, id, W, H, W, id, title, id, desc);
    for (double y = 0; y <= top_v + 1e-9; y += step) { /* the axis and its grid */
        double py = top + plot_h - y / top_v * plot_h;
        char lab[32];
        snprintf(lab, sizeof(lab), "%g", y);
        nt_html(&p->b,
                "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>"
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#0b0c0c\">%s</text>",
                left, W - right, (int)py, (int)py, left - 6, (int)py + 4, lab);
    }
    for (size_t i = 0; i < n; i++) {
        double x0 = left + slot * (double)i + (slot - bw * ns) / 2;
        for (int s = 0; s < ns; s++) {
            double h = bars[i].v[s] / top_v * plot_h;
            const char *few = json_is_string(bars[i].raw[s]) ? " fill-opacity=\"0.45\" stroke-dasharray=\"3 2\"" : "";
            nt_html(&p->b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"%s\"%R><title>%s, %s: ",
                    (int)(x0 + bw * s), (int)(top + plot_h - h), bw > 2 ? (int)bw - 1 : 1, (int)h, colours[s], colours[s], few,
                    bars[i].label, series[s]);
            cell(p, bars[i].raw[s], decimals);
            nt_html(&p->b, "</title></rect>");
        }
        /* Labels under the bars, slanted when there are many. */
        int lx = (int)(left + slot * (double)i + slot / 2), ly = top + (int)plot_h + 14;
        if (n > 8)
            nt_html(&p->b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-45 %d %d)\" fill=\"#0b0c0c\">%s</text>",
                    lx, ly, lx, ly, bars[i].label);
        else
            nt_html(&p->b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#0b0c0c\">%s</text>", lx, ly, bars[i].label);
    }
    for (int s = 0; s < ns && ns > 1; s++) /* the legend */
        nt_html(
            &p->b,
            "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" fill=\"#0b0c0c\">%s</text>",
            left + 200 * s, H - 14, colours[s], left + 200 * s + 18, H - 4, series[s]);
    nt_html(&p->b, "</svg><figcaption class=\"govuk-body-s\">%s</figcaption></figure>", desc);
    /* The same numbers as a table. */
    nt_html(&p->b,
            "<table class=\"govuk-table\" id=\"%s-table\"><caption class=\"govuk-table__caption govuk-table__caption--s\">%s"
            "</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" "
            "class=\"govuk-table__header\">%s</th>",
            id, title, nt_l(p->r, "Mục", "Item"));
    for (int s = 0; s < ns; s++)
        nt_html(&p->b, "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">%s</th>", series[s]);
    nt_html(&p->b, "</tr></thead><tbody class=\"govuk-table__body\">");
    for (size_t i = 0; i < n; i++) {
        nt_html(&p->b, "<tr class=\"govuk-table__row\"><th scope=\"row\" class=\"govuk-table__header\">%s</th>", bars[i].label);
        for (int s = 0; s < ns; s++) {
            nt_html(&p->b, "<td class=\"govuk-table__cell govuk-table__cell--numeric\">");
            cell(p, bars[i].raw[s], decimals);
            nt_html(&p->b, "</td>");
        }
        nt_html(&p->b, "</tr>");
    }
    nt_html(&p->b, "</tbody></table>");
}

/* The value at a path "section.key" of a period. */
static const json_t *at(const json_t *period, const char *section, const char *key)
{
    const json_t *s = json_object_get(period, section);
    return key != NULL ? json_object_get(s, key) : s;
}

/* One bar per period, a series per (section, key). */
static size_t over_time(const json_t *periods, bar *bars, const char *const (*what)[2], int ns)
{
    size_t n = 0, i;
    const json_t *per;
    json_array_foreach(periods, i, per)
    {
        if (n == BARS_MAX)
            break;
        bars[n].label = nt_json_str(per, "period");
        for (int s = 0; s < ns; s++) {
            bars[n].raw[s] = at(per, what[s][0], what[s][1]);
            bars[n].v[s] = drawn(bars[n].raw[s]);
        }
        n++;
    }
    return n;
}

enum MHD_Result nt_w_transparency(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_transparency(nt_req_svc(r), Q("from"), Q("to"), Q("by"), &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Số liệu minh bạch", "Transparency numbers"));
    const json_t *periods = json_object_get(o, "periods"), *total = json_object_get(o, "total");
    bool quarter = nt_streq(nt_json_str(o, "by"), "quarter");
    nt_html(&p->b,
            "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body-l\">%s</p><p class=\"govuk-body\">%s %T – %T. %s</p>",
            L("Số liệu minh bạch", "Transparency numbers"),
            L("Sổ đăng ký đã làm gì: báo cáo nhận được, quyết định, biện pháp, khiếu nại — tính từ chính hồ sơ.",
              "What the registry did: reports received, decisions, measures, appeals — computed from its records."),
            L("Từ", "From"), nt_json_time(o, "from"), nt_json_time(o, "to") - 1,
            L("Số đếm dưới 5 về con người được ghi “<5” để không lộ danh tính.",
              "Counts under 5 about persons are shown as “<5” so that no one is identified."));
    nt_html(&p->b,
            "<form action=\"/transparency\" method=\"get\" class=\"nt-search\"><div class=\"govuk-form-group\"><label "
            "class=\"govuk-label\" for=\"tr-by\">%s</label><select class=\"govuk-select\" id=\"tr-by\" name=\"by\"><option "
            "value=\"month\"%R>%s</option><option value=\"quarter\"%R>%s</option></select></div><button class=\"govuk-button "
            "govuk-button--secondary\" type=\"submit\">%s</button></form>",
            L("Chia số liệu theo", "Group the numbers by"), quarter ? "" : " selected", L("Tháng", "Month"),
            quarter ? " selected" : "", L("Quý", "Quarter"), L("Xem", "Show"));
    /* The whole range at a glance. */
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><dl class=\"govuk-summary-list\">", L("Cả kỳ", "The whole range"));
    static const char *const glance[][4] = {
        {"reports", "total", "Báo cáo nhận được", "Reports received"},
        {"decisions", "total", "Quyết định", "Decisions"},
        {"sanctions", "total", "Biện pháp xử lý", "Measures"},
        {"appeals", "filed", "Khiếu nại", "Appeals filed"},
        {"restrictions_in_force_at_end", NULL, "Hạn chế đang có hiệu lực", "Restrictions in force now"},
        {"certificates", "issued", "Chứng nhận Influencer Trust đã cấp", "Influencer Trust certificates issued"},
        {"notices", "published", "Thông báo đã kiểm chứng", "Verified notices"},
        {"ads", "registered", "Quảng cáo đã đăng ký", "Ads registered"},
    };
    for (size_t i = 0; i < sizeof(glance) / sizeof(glance[0]); i++) {
        nt_html(&p->b,
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt><dd "
                "class=\"govuk-summary-list__value\">",
                L(glance[i][2], glance[i][3]));
        cell(p, at(total, glance[i][0], glance[i][1]), 0);
        nt_html(&p->b, "</dd></div>");
    }
    const json_t *fines = json_object_get(total, "fines");
    nt_html(&p->b,
            "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt><dd "
            "class=\"govuk-summary-list__value\">",
            L("Tiền phạt", "Fines"));
    if (json_is_integer(json_object_get(fines, "total_vnd")))
        nt_html(&p->b, "%V", (int64_t)json_integer_value(json_object_get(fines, "total_vnd")));
    else
        cell(p, json_object_get(fines, "count"), 0);
    nt_html(&p->b, "</dd></div></dl>");

    bar *bars = nt_xcalloc(BARS_MAX, sizeof(*bars));
    const char *const dec_series[] = {L("Quyết định", "Decisions"), L("Khiếu nại", "Appeals filed")};
    static const char *const dec_what[][2] = {{"decisions", "total"}, {"appeals", "filed"}};
    size_t n = over_time(periods, bars, dec_what, 2);
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>",
            L("Quyết định và khiếu nại theo thời gian", "Decisions and appeals over time"));
    chart(p, "ch-dec", L("Quyết định và khiếu nại theo thời gian", "Decisions and appeals over time"),
          L("Số quyết định ban hành và số khiếu nại nộp trong mỗi kỳ; cột mờ viền đứt là số dưới 5.",
            "Decisions issued and appeals filed in each period; a faded, dashed bar is a count under 5."),
          dec_series, 2, bars, n, 0);

    /* Sanctions by type over the whole range. */
    n = 0;
    const char *key;
    const json_t *v;
    const char *const san_series[] = {L("Biện pháp", "Measures")};
    json_object_foreach((json_t *)at(total, "sanctions", "by_type"), key, v)
    {
        if (n == BARS_MAX)
            break;
        bars[n].label = nt_label(p, &nt_sanction_types, key);
        bars[n].raw[0] = v;
        bars[n].v[0] = drawn(v);
        n++;
    }
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>", L("Biện pháp theo loại", "Measures by type"));
    if (n == 0)
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Chưa có biện pháp nào trong kỳ này.", "No measure in this range."));
    else
        chart(p, "ch-san", L("Biện pháp theo loại", "Measures by type"),
              L("Số biện pháp xử lý theo loại trong cả kỳ.", "Measures decided in the whole range, by type."), san_series, 1, bars,
              n, 0);

    const char *const ttd_series[] = {L("Trung vị (ngày)", "Median (days)"), L("90% trong vòng (ngày)", "90th percentile (days)")};
    static const char *const ttd_what[][2] = {{"time_to_decision_days", "median"}, {"time_to_decision_days", "p90"}};
    n = over_time(periods, bars, ttd_what, 2);
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>",
            L("Thời gian từ báo cáo đến quyết định", "Time from report to decision"));
    chart(p, "ch-ttd", L("Thời gian từ báo cáo đến quyết định", "Time from report to decision"),
          L("Số ngày từ báo cáo đầu tiên của vụ việc đến quyết định: trung vị và mức mà 90% quyết định không vượt quá; để "
            "trống khi kỳ có dưới 5 quyết định.",
            "Days from a case's first report to its decision: the median and the 90th percentile; empty in a period with "
            "fewer than 5 decisions."),
          ttd_series, 2, bars, n, 1);
    free(bars);

    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><ul class=\"govuk-list govuk-list--bullet\">"
            "<li><a class=\"govuk-link\" href=\"/v1/transparency?format=csv%R\">%s</a> · <a class=\"govuk-link\" "
            "href=\"/v1/transparency%R\">JSON</a></li>"
            "<li><a class=\"govuk-link\" href=\"/v1/open-data/decisions.csv\">%s</a> (CSV)</li>"
            "<li><a class=\"govuk-link\" href=\"/v1/open-data/restrictions.csv\">%s</a> (CSV)</li>"
            "<li><a class=\"govuk-link\" href=\"/v1/open-data/statements-of-reasons.json\">%s</a></li>"
            "<li><a class=\"govuk-link\" href=\"/v1/open-data/entities.ftm.json\">%s</a></li>"
            "<li><a class=\"govuk-link\" href=\"/v1/feeds/decisions.atom\">%s</a> (Atom)</li></ul>",
            L("Dữ liệu mở", "Open data"), quarter ? "&amp;by=quarter" : "", L("Các số liệu trên (CSV)", "These numbers (CSV)"),
            quarter ? "?by=quarter" : "", L("Quyết định đã công bố", "Published decisions"),
            L("Hạn chế đang áp dụng", "Restrictions in force"),
            L("Giải trình quyết định theo lược đồ của Cơ sở dữ liệu minh bạch DSA (EU)",
              "Statements of reasons in the EU DSA Transparency Database's schema"),
            L("Thực thể FollowTheMoney (cho công cụ sàng lọc)", "FollowTheMoney entities (for screening tools)"),
            L("Tin quyết định được công bố và rút công bố", "Feed of decisions published and withdrawn"));
    json_decref(o);
    return nt_page_end(p, 200);
}
