/* core/notices: the data (34 provinces, topics), a notice's content checked per kind, names found
 * in text, the difference between versions, and the forms: CAP, ClaimReview, Atom, JSON Feed. */
#include "core/notices.h"
#include "core/schema.h"
#include "helpers.h"

static json_t *content(const char *kind)
{
    json_t *in = json_pack("{s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:[s], s:[s, s], s:s, s:s, s:[{s:s, s:s}]}", "kind", kind, "title",
                           "vi", "Tiêu đề <b>", "summary", "vi", "Tóm tắt", "body", "vi", "Nội dung", "topics", "scams",
                           "provinces", "01", "79", "severity", "severe", "valid_until", "2027-01-01T00:00:00+07:00", "sources",
                           "title", "CV", "url", "https://a.vn/x");
    if (strcmp(kind, "scam_alert") == 0)
        json_object_set_new(in, "scam",
                            json_pack("{s:s, s:[s], s:s, s:s}", "how", "x", "impersonated", "tiktok:@a", "what_to_do",
                                      "Không chuyển tiền & báo công an", "report_to", "113"));
    if (strcmp(kind, "correction") == 0)
        json_object_set_new(
            in, "claim", json_pack("{s:s, s:[s], s:s}", "text", "Tin đồn", "appeared", "https://x.vn/1", "rating", "misleading"));
    return in;
}

static void data_is_whole(void **state)
{
    assert_int_equal(json_array_size(json_object_get(nt_provinces(), "provinces")), 34);
    assert_string_equal(nt_json_str(json_object_get(nt_province("79"), "name"), "vi"), "Thành phố Hồ Chí Minh");
    assert_null(nt_province("99"));
    assert_string_equal(nt_json_str(nt_province("01"), "code"), "01");
    assert_string_equal(nt_json_str(nt_province("96"), "code"), "96");
    const char *not_codes[] = {"7", "790", "7a", "", "-1", "０１"};
    for (size_t i = 0; i < sizeof(not_codes) / sizeof(not_codes[0]); i++)
        assert_null(nt_province(not_codes[i]));
    assert_null(nt_province(NULL));
    assert_true(nt_notice_topic_known("scams"));
    assert_true(nt_notice_topic_known("public_services")); /* the last */
    assert_false(nt_notice_topic_known("weather"));
    assert_false(nt_notice_topic_known("scam"));
    assert_false(nt_notice_topic_known(NULL));
}

static void content_is_checked_per_kind(void **state)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *in = content("scam_alert"), *c = nt_notice_content_check(in, &e);
    assert_non_null(c);
    assert_string_equal(nt_json_str(c, "valid_until"), "2026-12-31T17:00:00.000Z"); /* kept in UTC */
    json_decref(c);
    json_object_set_new(in, "claim", json_pack("{s:s}", "text", "x")); /* another kind's field */
    json_object_set_new(in, "provinces", json_pack("[s]", "all"));
    nt_err_clear(&e);
    assert_null(nt_notice_content_check(in, &e));
    assert_string_equal(e.fields[0].field, "claim");
    assert_string_equal(e.fields[0].code, "not_allowed");
    json_object_del(in, "claim");
    nt_err_clear(&e);
    c = nt_notice_content_check(in, &e);
    assert_int_equal(json_array_size(json_object_get(c, "provinces")), 34); /* "all": every province */
    json_decref(c);
    /* Each province and topic once: 34 listed is the whole country, nothing less. */
    json_object_set_new(in, "provinces", json_pack("[s, s, s]", "79", "01", "79"));
    json_object_set_new(in, "topics", json_pack("[s, s]", "scams", "scams"));
    nt_err_clear(&e);
    c = nt_notice_content_check(in, &e);
    assert_int_equal(json_array_size(json_object_get(c, "provinces")), 2);
    assert_int_equal(json_array_size(json_object_get(c, "topics")), 1);
    json_decref(c);
    json_decref(in);
}

static void names_are_capitalised_runs(void **state)
{
    json_t *runs = nt_notice_name_runs("Theo Công an, Nguyễn Văn An và Trần Thị Bình. Cả hai ở Hà Nội; ông An thì không.");
    size_t n = json_array_size(runs);
    bool an = false, binh = false;
    for (size_t i = 0; i < n; i++) {
        an = an || strcmp(json_string_value(json_array_get(runs, i)), "Nguyễn Văn An") == 0;
        binh = binh || strcmp(json_string_value(json_array_get(runs, i)), "Trần Thị Bình") == 0;
    }
    assert_true(an && binh);
    json_decref(runs);
}

static void the_difference_names_each_field(void **state)
{
    json_t *a = json_pack("{s:{s:s, s:s}, s:s, s:[s]}", "body", "vi", "cũ", "en", "old", "severity", "minor", "topics", "scams");
    json_t *b = json_pack("{s:{s:s}, s:s, s:[s], s:s}", "body", "vi", "mới", "severity", "minor", "topics", "health", "extra", "x");
    json_t *d = nt_notice_diff(a, b);
    char *s = json_dumps(d, JSON_SORT_KEYS | JSON_COMPACT);
    /* A field removed is after: null; a field added, before: null. */
    assert_string_equal(
        s, "[{\"after\":\"mới\",\"before\":\"cũ\",\"field\":\"body.vi\"},{\"after\":null,\"before\":\"old\",\"field\":"
           "\"body.en\"},{\"after\":[\"health\"],\"before\":[\"scams\"],\"field\":\"topics\"},{\"after\":\"x\",\"before\":"
           "null,\"field\":\"extra\"}]");
    free(s);
    json_decref(d);
    json_decref(a);
    json_decref(b);
}

static void the_forms(void **state)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *in = content("scam_alert"), *c = nt_notice_content_check(in, &e);
    json_t *n =
        json_pack("{s:s, s:i, s:s, s:o, s:s, s:s, s:s}", "id", "ntc_x", "version", 2, "state", "published", "content", c,
                  "issuer_name", "Cục A & B", "published_at", "2026-11-30T01:00:00.000Z", "updated_at", "2026-11-30T02:00:00.500Z");
    size_t len = 0;
    char *cap = nt_notice_cap(n, "niemtin.example.vn", "https://niemtin.example.vn/v1/notices/ntc_x", &len);
    assert_non_null(strstr(cap, "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"));
    assert_non_null(strstr(cap, "<sent>2026-11-30T09:00:00+07:00</sent>")); /* no fractions, with the offset */
    assert_non_null(strstr(cap, "<msgType>Update</msgType>"));
    assert_non_null(strstr(cap, "<references>niemtin.example.vn,ntc_x.v1,2026-11-30T08:00:00+07:00</references>"));
    assert_non_null(strstr(cap, "<headline>Tiêu đề &lt;b&gt;</headline>"));
    assert_non_null(strstr(cap, "<senderName>Cục A &amp; B</senderName>"));
    assert_non_null(strstr(cap, "<areaDesc>Thành phố Hà Nội, Thành phố Hồ Chí Minh</areaDesc>"));
    free(cap);
    nt_jbuf b;
    nt_jb_init(&b, 1024);
    nt_notice_atom_entry(&b, n, "https://x/n");
    char *atom = nt_jb_take(&b, &len);
    assert_non_null(strstr(atom, "<updated>2026-11-30T09:00:00.500+07:00</updated>"));
    free(atom);
    json_decref(n);
    json_decref(in);
    in = content("correction");
    nt_err_clear(&e);
    c = nt_notice_content_check(in, &e);
    n = json_pack("{s:s, s:i, s:s, s:o, s:s, s:s, s:s}", "id", "ntc_y", "version", 1, "state", "published", "content", c,
                  "issuer_name", "Báo A", "published_at", "2026-11-30T01:00:00.000Z", "updated_at", "2026-11-30T01:00:00.000Z");
    json_t *cr = nt_notice_claimreview(n, "https://x/n");
    assert_string_equal(nt_json_str(cr, "@type"), "ClaimReview");
    assert_string_equal(nt_json_str(json_object_get(cr, "reviewRating"), "alternateName"), "Gây hiểu lầm");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(cr, "reviewRating"), "ratingValue")), 2);
    json_decref(cr);
    json_decref(n);
    json_decref(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(data_is_whole), cmocka_unit_test(content_is_checked_per_kind),
                                       cmocka_unit_test(names_are_capitalised_runs),
                                       cmocka_unit_test(the_difference_names_each_field), cmocka_unit_test(the_forms)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
