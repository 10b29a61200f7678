/* `niemtin demo`: realistic demo data.
 *
 * Organisations for every role, N influencers (default 2,000) with
 * Vietnamese names drawn with realistic family-name frequencies, stage names
 * and accounts on several platforms, and one API key per role, printed.
 * Deterministic for a given --seed so walk-throughs can be reproduced. */
#include "core/schema.h"
#include "app/cli.h"
#include "core/text.h"
#include "core/util.h"
#include "service/cases.h"
#include "service/registry.h"
#include "service/certificates.h"
#include "service/trust.h"
#include "core/trust.h"
#include "service/decisions.h"
#include "service/ads.h"
#include "service/appeals.h"
#include "service/check.h"
#include "service/users.h"
#include <sodium.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Family names with their approximate share of the population, in per mille. */
static const struct {
    const char *name;
    int weight;
} families[] = {{"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95},   {"Phạm", 70},  {"Hoàng", 51}, {"Huỳnh", 40}, {"Phan", 45},
                {"Vũ", 39},      {"Võ", 35},    {"Đặng", 21}, {"Bùi", 20},   {"Đỗ", 14},    {"Hồ", 13},    {"Ngô", 13},
                {"Dương", 10},   {"Lý", 5},     {"Đinh", 6},  {"Trương", 6}, {"Lâm", 4},    {"Mai", 3}};
static const char *const middle_f[] = {"Thị",  "Thị",    "Thị",  "Ngọc", "Thu", "Thanh",
                                       "Minh", "Phương", "Hồng", "Mai",  "Bảo", "Khánh"};
static const char *const middle_m[] = {"Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Anh", "Hoàng", "Quốc", "Gia"};
static const char *const given_f[] = {"Lan",   "Hương", "Cúc",  "Trang", "Linh", "Ngọc",  "Thảo", "Hà",   "Mai",  "Vy",
                                      "Yến",   "Nhung", "Hạnh", "Uyên",  "Chi",  "Ánh",   "Diệp", "Hằng", "Loan", "Phương",
                                      "Quyên", "Thủy",  "Tâm",  "Trâm",  "Xuân", "Giang", "My",   "Nhi",  "Oanh", "Duyên"};
static const char *const given_m[] = {"Dũng", "Hùng",  "Tuấn", "Nam",   "Huy",  "Khoa", "Phúc",  "Long",  "Bảo",  "Đạt",
                                      "Hiếu", "Khánh", "Sơn",  "Thắng", "Tùng", "Việt", "Trung", "Quân",  "Minh", "Phong",
                                      "Vinh", "Lộc",   "Toàn", "Thịnh", "Hải",  "Kiên", "Đông",  "Nghĩa", "Tài",  "Cường"};
static const char *const provinces[] = {"Hà Nội",     "Thành phố Hồ Chí Minh",
                                        "Hải Phòng",  "Đà Nẵng",
                                        "Cần Thơ",    "Huế",
                                        "Quảng Ninh", "Nghệ An",
                                        "Thanh Hóa",  "Khánh Hòa",
                                        "Lâm Đồng",   "Đồng Nai",
                                        "An Giang",   "Đắk Lắk",
                                        "Bắc Ninh"};
static const char *const stage_suffix[] = {"Review", "Vlog", "Kitchen", "Beauty", "Official", "TV", "Studio", "Channel"};
static const char *const kinds[] = {"kol", "kol", "kol", "koc", "koc", "artist", "mc", "expert"};
static const char *const platforms[] = {"tiktok", "facebook", "youtube", "instagram", "zalo"};

#define PICK(arr, rng) (arr)[next(rng) % (sizeof(arr) / sizeof((arr)[0]))]

static uint64_t next(uint64_t *s)
{
    /* splitmix64: deterministic, good enough for demo data */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static const char *family(uint64_t *rng)
{
    int total = 0;
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
        total += families[i].weight;
    int x = (int)(next(rng) % (uint64_t)total);
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
        if (x < families[i].weight)
            return families[i].name;
        x -= families[i].weight;
    }
    return families[0].name;
}

/* The accent-free, space-free form of a name part, for handles. */
static void ascii(const char *s, char *out, size_t cap)
{
    char key[256];
    if (nt_text_search_key(s, key, sizeof(key)) < 0)
        key[0] = '\0';
    size_t o = 0;
    for (const char *p = key; *p && o + 1 < cap; p++)
        if (*p != ' ')
            out[o++] = *p;
    out[o] = '\0';
}

static char *make_persons(int n, uint64_t seed, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (f == NULL)
        return NULL;
    uint64_t rng = seed;
    for (int i = 0; i < n; i++) {
        bool female = next(&rng) % 100 < 55;
        const char *fam = family(&rng);
        const char *mid = female ? PICK(middle_f, &rng) : PICK(middle_m, &rng);
        const char *giv = female ? PICK(given_f, &rng) : PICK(given_m, &rng);
        bool two_middles = next(&rng) % 4 == 0;
        const char *mid2 = female ? PICK(middle_f, &rng) : PICK(middle_m, &rng);
        char name[200];
        if (two_middles && strcmp(mid, mid2) != 0)
            snprintf(name, sizeof(name), "%s %s %s %s", fam, mid, mid2, giv);
        else
            snprintf(name, sizeof(name), "%s %s %s", fam, mid, giv);
        char a_giv[24], a_fam[24], alias[200];
        ascii(giv, a_giv, sizeof(a_giv));
        ascii(fam, a_fam, sizeof(a_fam));
        snprintf(alias, sizeof(alias), "%s %s", giv, PICK(stage_suffix, &rng));
        json_t *accounts = json_array();
        int nacc = 1 + (int)(next(&rng) % 3);
        int first = (int)(next(&rng) % 5);
        for (int k = 0; k < nacc; k++) {
            char handle[96];
            int style = (int)(next(&rng) % 4);
            if (style == 0)
                snprintf(handle, sizeof(handle), "@%s.%s%d", a_giv, a_fam, i);
            else if (style == 1)
                snprintf(handle, sizeof(handle), "@%s%s.official%d", a_giv, a_fam, i);
            else if (style == 2)
                snprintf(handle, sizeof(handle), "@%s_%s_%d", a_fam, a_giv, i);
            else
                snprintf(handle, sizeof(handle), "@%s.review%d", a_giv, i);
            if (strlen(handle) > 24) /* the shortest platform limit (TikTok) */
                snprintf(handle, sizeof(handle), "@%.10s%d", a_giv, i);
            json_array_append_new(accounts, json_pack("{s:s, s:s, s:I}", "platform", platforms[(first + k) % 5], "handle", handle,
                                                      "followers", (json_int_t)(next(&rng) % 5000000)));
        }
        char id[16];
        snprintf(id, sizeof(id), "p%07d", i);
        json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:[s], s:o}", "id", id, "name", name, "kind", PICK(kinds, &rng),
                              "gender", female ? "f" : "m", "birth_year", 1975 + (int)(next(&rng) % 31), "province",
                              PICK(provinces, &rng), "aliases", alias, "accounts", accounts);
        char *line = json_dumps(p, JSON_COMPACT);
        fprintf(f, "%s\n", line);
        free(line);
        json_decref(p);
    }
    fclose(f);
    return buf;
}

/* An actor for the demo's writes: a role, its organisation or person, and the key id of the key
 * printed for it (or a label when none is). */
static nt_actor demo_actor(nt_role role, const char *org, const char *person, const char *key)
{
    nt_actor a = {.role = role};
    snprintf(a.org_id, sizeof(a.org_id), "%s", org ? org : "");
    snprintf(a.person_id, sizeof(a.person_id), "%s", person ? person : "");
    snprintf(a.key_id, sizeof(a.key_id), "%.*s", (int)strcspn(key, "."), key);
    return a;
}

/* One published decision restricting person p0000002's appearances for a year, so the
 * check has something to say in the demo. The regulator's demo key is its recorder. */
static int demo_decision(nt_svc *svc, const nt_actor *reg, char decision_id[NT_ID_LEN])
{
    nt_wctx w;
    char at[NT_TIME_LEN], by[64];
    nt_cli_wctx(&w, at, by);
    nt_actor who = *reg;
    w.key_id = who.key_id;
    /* Issued, notified and in force from the moment the case is recorded, for a year. */
    const char *issued = at, *sent = at;
    char end[NT_TIME_LEN];
    nt_time_utc(nt_now_us() + 365LL * 86400 * 1000000, end);
    const char *authority = "Cục Phát thanh, Truyền hình và Thông tin điện tử";
    nt_err err;
    nt_err_clear(&err);
    json_t *in = json_pack("{s:s, s:s}", "authority", authority, "person_id", "p0000002"), *out = NULL;
    int rc = nt_svc_case_open(svc, &w, &who, in, &out, &err);
    json_decref(in);
    char case_id[NT_ID_LEN] = "";
    if (rc == 0)
        snprintf(case_id, sizeof(case_id), "%s", nt_json_str(out, "id"));
    json_decref(out);
    out = NULL;
    if (rc == 0) {
        in = json_pack("{s:s}", "state", "under_review");
        rc = nt_svc_case_move(svc, &w, case_id, in, &out, &err);
        json_decref(in);
        json_decref(out);
        out = NULL;
    }
    if (rc == 0) {
        in = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:[{s:s, s:s, s:s}], s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:b, "
                       "s:[{s:s, s:[s, s], s:s, s:s}]}",
                       "number", "15/QĐ-XPHC", "authority", authority, "signer", "name", "Lê Quang Tự Do", "title", "Cục trưởng",
                       "issued_at", issued, "outcome", "violation", "legal_bases", "instrument", "Nghị định 38/2021/NĐ-CP",
                       "article", "Điều 51", "clause", "Khoản 3", "ground", "law", "category", "false_advertising", "facts",
                       "Quảng cáo kẹo rau củ với công dụng không đúng với công bố sản phẩm (dữ liệu minh hoạ).", "detection_source",
                       "platform", "notice", "sent_at", sent, "channel", "văn bản", "publish", 1, "sanctions", "type",
                       "appearance_restriction", "scopes", "livestream", "advertising", "start", issued, "end", end);
        rc = in == NULL ? NT_ENOMEM : nt_svc_decision_issue(svc, &w, &who, case_id, in, &out, &err);
        if (rc == 0)
            snprintf(decision_id, NT_ID_LEN, "%s", nt_json_str(out, "id"));
        json_decref(in);
        json_decref(out);
    }
    if (rc != 0)
        nt_cli_error("demo decision", rc, &err);
    return rc;
}

/* One demo write as who (in is consumed); the answer's `field` into out_id when asked. */
enum { D_ADVERTISER, D_PRODUCT, D_OFFER, D_CONFIRM, D_ACCEPT, D_RECALL, D_APPEAL };

static int demo_do(nt_svc *svc, const char *what, int kind, const nt_actor *who, const char *id, json_t *in, const char *field,
                   char out_id[NT_ID_LEN])
{
    nt_wctx w;
    char at[NT_TIME_LEN], by[64];
    nt_cli_wctx(&w, at, by);
    if (who->key_id[0] != '\0') /* else the command line's own label */
        w.key_id = who->key_id;
    nt_err err;
    nt_err_clear(&err);
    json_t *out = NULL;
    int rc = in == NULL && kind != D_ACCEPT ? NT_ENOMEM : 0;
    if (rc == 0)
        switch (kind) {
        case D_ADVERTISER:
            rc = nt_svc_advertiser_register(svc, &w, who, in, &out, &err);
            break;
        case D_PRODUCT:
            rc = nt_svc_product_create(svc, &w, who, in, &out, &err);
            break;
        case D_OFFER:
            rc = nt_svc_offer_create(svc, &w, who, in, &out, &err);
            break;
        case D_CONFIRM:
            rc = nt_svc_offer_confirm(svc, &w, who, id, in, &out, &err);
            break;
        case D_ACCEPT:
            rc = nt_svc_offer_accept(svc, &w, who, id, &out, &err);
            break;
        case D_RECALL:
            rc = nt_svc_product_recall(svc, &w, id, in, &out, &err);
            break;
        default:
            rc = nt_svc_appeal_file(svc, &w, who, id, in, &out, &err);
        }
    if (rc == 0 && out_id != NULL)
        snprintf(out_id, NT_ID_LEN, "%s", nt_json_str(out, field) ? nt_json_str(out, field) : "");
    json_decref(out);
    json_decref(in);
    if (rc != 0)
        nt_cli_error(what, rc, &err);
    return rc;
}

static json_t *demo_document(const char *type, const char *number, int64_t from_us, int64_t until_us)
{
    unsigned char h[32];
    char hex[65], from[NT_TIME_LEN], until[NT_TIME_LEN];
    crypto_hash_sha256(h, (const unsigned char *)number, strlen(number));
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    nt_time_utc(from_us, from);
    nt_time_utc(until_us, until);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", type, "number", number, "issuer", "Cục An toàn thực phẩm - Bộ Y tế",
                     "valid_from", from, "valid_until", until, "sha256", hex);
}

static json_t *demo_offer(const char *person, const char *product, const char *claims, int64_t start_us, int days)
{
    char start[NT_TIME_LEN], end[NT_TIME_LEN];
    nt_time_utc(start_us, start);
    nt_time_utc(start_us + (int64_t)days * 86400 * 1000000, end);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s, s], s:I, s:s}", "person_id", person, "product_id", product, "claims", claims,
                     "start", start, "end", end, "platforms", "tiktok", "facebook", "fee_vnd", (json_int_t)30000000, "relationship",
                     "Hợp đồng quảng cáo có thù lao (dữ liệu minh hoạ)");
}

/* The advertising side and an appeal, so that every README example answers something: the demo
 * advertiser's registered ad run by p0000000 (the kol key), an offer waiting for that kol, an ad by
 * p0000003 suspended by a recall, and an open appeal against the demo decision. */
static int demo_ads(nt_svc *svc, const nt_actor *reg, const nt_actor *adv, const char *kol_key, const char *decision_id)
{
    int64_t now = nt_now_us(), day = 86400LL * 1000000;
    nt_actor kol = demo_actor(NT_ROLE_KOL, NULL, "p0000000", kol_key), kol3 = demo_actor(NT_ROLE_KOL, NULL, "p0000003", "");
    char a_prod[NT_ID_LEN] = "", b_prod[NT_ID_LEN] = "", o1[NT_ID_LEN] = "", o3[NT_ID_LEN] = "", ignored[NT_ID_LEN];
    static const char claims_a[] = "Viên uống Rau Củ An Khang bổ sung chất xơ từ rau củ. Thực phẩm này không phải là thuốc và "
                                   "không có tác dụng thay thế thuốc chữa bệnh";
    static const char claims_b[] = "Sữa bột An Khang Kid 3+ bổ sung canxi và vitamin D cho trẻ từ 3 tuổi";
    json_t *confirmed = json_pack("{s:b, s:b, s:b, s:b}", "used_or_understands_product", 1, "claims_match_documents", 1,
                                  "will_label_as_advertising", 1, "relationship_disclosed", 1);
    int rc =
        demo_do(svc, "demo advertiser", D_ADVERTISER, adv, NULL,
                json_pack("{s:s, s:s}", "enterprise_code", "0316789012", "name", "Công ty TNHH Thực phẩm An Khang"), "id", ignored);
    if (rc == 0)
        rc = demo_do(
            svc, "demo product", D_PRODUCT, adv, NULL,
            json_pack("{s:s, s:s, s:[o]}", "name", "Viên uống Rau Củ An Khang", "category", "health_supplements", "documents",
                      demo_document("product_declaration_registration", "2468/2026/ĐKSP", now - 30 * day, now + 365 * day)),
            "id", a_prod);
    if (rc == 0)
        rc =
            demo_do(svc, "demo product", D_PRODUCT, adv, NULL,
                    json_pack("{s:s, s:s, s:[o, o]}", "name", "Sữa bột An Khang Kid 3+", "category", "child_nutrition", "documents",
                              demo_document("standards_declaration", "05/2026/CBTC-AK", now - 30 * day, now + 365 * day),
                              demo_document("food_safety_certificate", "ATTP-2026-1357", now - 30 * day, now + 365 * day)),
                    "id", b_prod);
    /* Registered: offered, confirmed and accepted by p0000000, running now for 60 days. */
    if (rc == 0)
        rc = demo_do(svc, "demo offer", D_OFFER, adv, NULL, demo_offer("p0000000", a_prod, claims_a, now, 60), "id", o1);
    if (rc == 0)
        rc = demo_do(svc, "demo confirmation", D_CONFIRM, &kol, o1, json_incref(confirmed), NULL, NULL);
    if (rc == 0)
        rc = demo_do(svc, "demo ad", D_ACCEPT, &kol, o1, NULL, NULL, NULL);
    /* Waiting for p0000000's answer: a campaign next week. */
    if (rc == 0)
        rc =
            demo_do(svc, "demo offer", D_OFFER, adv, NULL, demo_offer("p0000000", a_prod, claims_a, now + 7 * day, 30), NULL, NULL);
    /* p0000003's ad for the milk, then the milk recalled: the ad stops by itself. */
    if (rc == 0)
        rc = demo_do(svc, "demo offer", D_OFFER, adv, NULL, demo_offer("p0000003", b_prod, claims_b, now, 45), "id", o3);
    if (rc == 0)
        rc = demo_do(svc, "demo confirmation", D_CONFIRM, &kol3, o3, json_incref(confirmed), NULL, NULL);
    if (rc == 0)
        rc = demo_do(svc, "demo ad", D_ACCEPT, &kol3, o3, NULL, NULL, NULL);
    if (rc == 0)
        rc = demo_do(svc, "demo recall", D_RECALL, reg, b_prod,
                     json_pack("{s:s, s:s}", "reason", "Lô sản phẩm có chỉ tiêu vi sinh vượt mức cho phép (dữ liệu minh hoạ)",
                               "source", "Công văn 123/ATTP-SP của Cục An toàn thực phẩm (dữ liệu minh hoạ)"),
                     NULL, NULL);
    if (rc == 0)
        rc = nt_svc_ads_reconcile(svc) < 0 ? NT_EIO : 0;
    /* The person restricted by the demo decision appeals it, on paper; the regulator records it. */
    if (rc == 0)
        rc = demo_do(svc, "demo appeal", D_APPEAL, reg, decision_id,
                     json_pack("{s:s}", "grounds", "Tôi đã gỡ video và xin xem xét lại thời hạn hạn chế (dữ liệu minh hoạ)."), NULL,
                     NULL);
    json_decref(confirmed);
    return rc;
}

/* The trust programme: p0000001 joins the alliance, accepts its standards, passes the quiz (the
 * demo reads the right options from the bank, as no user can), has TikTok attest an account and
 * its audience, applies and is certified by the secretariat. */
static int demo_trust(nt_svc *svc, const nt_actor *prog, const nt_actor *plat)
{
    nt_actor kol = demo_actor(NT_ROLE_KOL, NULL, "p0000001", "");
    nt_wctx w;
    char at[NT_TIME_LEN], by[64];
    nt_cli_wctx(&w, at, by);
    nt_err err;
    nt_err_clear(&err);
    json_t *out = NULL, *in = NULL;
    char member[NT_ID_LEN] = "", quiz[NT_ID_LEN] = "", app[NT_ID_LEN] = "";
    const char *step = "demo member";
#define KEEP(dst) snprintf(dst, NT_ID_LEN, "%s", nt_json_str(out, "id") ? nt_json_str(out, "id") : ""), json_decref(out), out = NULL
    in = json_pack("{s:[s, s], s:s}", "topics", "làm đẹp", "ẩm thực", "statement",
                   "Cam kết minh bạch quảng cáo (dữ liệu minh hoạ).");
    int rc = nt_svc_member_apply(svc, &w, &kol, in, &out, &err);
    json_decref(in);
    if (rc == 0) {
        KEEP(member);
        in = json_pack("{s:s}", "reason", "Hồ sơ đầy đủ.");
        w.key_id = prog->key_id;
        rc = nt_svc_member_step(svc, &w, prog, member, NT_MEMBER_ADMIT, in, &out, &err);
        json_decref(in);
        json_decref(out);
        out = NULL;
        w.key_id = by;
    }
    if (rc == 0) {
        in = json_pack("{s:I}", "version", json_integer_value(json_object_get(nt_trust_standards_current(nt_now_us()), "version")));
        rc = nt_svc_member_accept(svc, &w, &kol, member, in, &out, &err);
        json_decref(in);
        json_decref(out);
        out = NULL;
    }
    if (rc == 0 && (step = "demo quiz") && (rc = nt_svc_quiz_start(svc, &w, &kol, &out, &err)) == 0) {
        json_t *answers = json_object();
        size_t i, k;
        json_t *q, *o;
        json_array_foreach(json_object_get(out, "questions"), i, q)
        {
            json_t *bank = NULL, *b;
            json_array_foreach(json_object_get(nt_trust_training(), "questions"), k,
                               b) if (nt_streq(nt_json_str(b, "id"), nt_json_str(q, "id"))) bank = b;
            json_t *right =
                json_array_get(json_object_get(bank, "options"), (size_t)json_integer_value(json_object_get(bank, "answer")));
            json_array_foreach(json_object_get(q, "options"), k, o) if (json_equal(o, right))
                json_object_set_new(answers, nt_json_str(q, "id"), json_integer((json_int_t)k));
        }
        KEEP(quiz);
        in = json_pack("{s:o}", "answers", answers);
        rc = nt_svc_quiz_submit(svc, &w, &kol, quiz, in, &out, &err);
        json_decref(in);
        json_decref(out);
        out = NULL;
    }
    if (rc == 0 && (step = "demo attestation")) {
        int created = 0;
        w.key_id = plat->key_id;
        in = json_pack("{s:s, s:s, s:s}", "person_id", "p0000001", "platform", "tiktok", "handle", "@duonglong.official");
        rc = nt_svc_account_link(svc, &w, plat, in, &out, &created, &err);
        json_decref(in);
        json_decref(out);
        out = NULL;
        in = json_pack("{s:s, s:s, s:i, s:i, s:s}", "platform", "tiktok", "handle", "duonglong.official", "followers", 845000,
                       "suspicious_percent", 6, "period", "2026-10");
        rc = rc ? rc : nt_svc_audience_attest(svc, &w, plat, "p0000001", in, &out, &err);
        json_decref(in);
        json_decref(out);
        out = NULL;
        w.key_id = by;
    }
    if (rc == 0 && (step = "demo application") && (rc = nt_svc_application_create(svc, &w, &kol, &out, &err)) == 0) {
        KEEP(app);
        w.key_id = prog->key_id;
        in = json_pack("{s:{s:i, s:s}}", "community", "points", 13, "reasons",
                       "Đính chính kịp thời, lan toả cảnh báo lừa đảo tới người theo dõi (dữ liệu minh hoạ).");
        rc = nt_svc_application_review(svc, &w, prog, app, in, &out, &err);
        json_decref(in);
        json_decref(out);
        out = NULL;
    }
#undef KEEP
    if (rc != 0)
        nt_cli_error(step, rc, &err);
    return rc;
}

static void usage(void)
{
    printf("usage: niemtin demo [--persons N] [--seed S] [--keys-out FILE] [--db PATH]\n\n"
           "Adds demo organisations for every role, N influencers (default 2000) with Vietnamese names\n"
           "and accounts on several platforms, and prints an API key for each role. With --keys-out the\n"
           "keys are also written to FILE (mode 0600) as shell variable assignments. The demo certificate is\n"
           "issued for the server's address, $NIEMTIN_PUBLIC_URL (default http://127.0.0.1:8080): its did:web.\n");
}

/* A user of the web pages for each role, with the password shown once; the admin in the operator
 * organisation that init made. */
static int demo_users(nt_svc *svc, const char *regulator, const char *platform, const char *advertiser, const char *alliance,
                      char users[6][2][64], int *n)
{
    char operator_org[NT_ID_LEN] = "";
    json_t *orgs = NULL;
    if (svc->store->ops->org_list(svc->store, "", 100, &orgs) == 0) {
        size_t i;
        json_t *o;
        json_array_foreach(orgs, i, o) if (operator_org[0] == '\0' && strcmp(nt_json_str(o, "kind"), "operator") == 0)
            nt_strlcpy(operator_org, nt_json_str(o, "id"), sizeof(operator_org));
    }
    json_decref(orgs);
    const struct {
        const char *login, *name, *role, *org, *person;
    } list[] = {
        {"quantri", "Lê Minh Quân", "admin", operator_org, NULL},
        {"canbo.cuc", "Đỗ Thị Hạnh", "regulator", regulator, NULL},
        {"tiktok.kiemduyet", "Vũ Quốc Bảo", "platform", platform, NULL},
        {"ankhang.qc", "Ngô Thanh Tâm", "advertiser", advertiser, NULL},
        {"kol.p0000000", "Người có ảnh hưởng p0000000", "kol", NULL, "p0000000"},
        {"banthuky", "Hoàng Thu Trang", "programme", alliance, NULL},
    };
    nt_wctx w;
    char at[NT_TIME_LEN], who[64];
    nt_cli_wctx(&w, at, who);
    for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
        json_t *person = NULL;
        if (list[i].person != NULL && svc->store->ops->person_get(svc->store, list[i].person, &person) != 0)
            continue; /* a demo without persons */
        json_decref(person);
        if (list[i].org != NULL && list[i].org[0] == '\0')
            continue; /* no such organisation in this database */
        nt_err err;
        nt_err_clear(&err);
        json_t *in = json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "login", list[i].login, "name", list[i].name, "role", list[i].role,
                               "org_id", list[i].org, "person_id", list[i].person);
        json_t *out = NULL;
        int rc = nt_svc_user_create(svc, &w, in, &out, &err);
        json_decref(in);
        if (rc != 0) {
            nt_cli_error("demo user", rc, &err);
            return rc;
        }
        snprintf(users[*n][0], sizeof(users[0][0]), "%s", list[i].login);
        snprintf(users[*n][1], sizeof(users[0][1]), "%s", nt_json_str(out, "password"));
        (*n)++;
        json_decref(out);
    }
    return 0;
}

int nt_cmd_demo(int argc, char **argv)
{
    const char *db = nt_cli_env("DB", NT_DEFAULT_DB), *keys_out = NULL;
    int n = 2000;
    uint64_t seed = 2026;
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},   {"persons", required_argument, 0, 'n'},
                                         {"seed", required_argument, 0, 's'}, {"keys-out", required_argument, 0, 'k'},
                                         {"help", no_argument, 0, 'h'},       {0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'n')
            n = atoi(optarg);
        else if (c == 's')
            seed = strtoull(optarg, NULL, 10);
        else if (c == 'k')
            keys_out = optarg;
        else {
            usage();
            return c == 'h' ? 0 : 2;
        }
    }
    if (n < 1 || n > 10000000) {
        usage();
        return 2;
    }
    nt_svc *svc = nt_cli_open(db);
    if (svc == NULL)
        return 1;
    /* The demo certificate names the address the server will be reached at (its did:web). */
    snprintf(svc->public_url, sizeof(svc->public_url), "%s", nt_cli_env("PUBLIC_URL", "http://127.0.0.1:8080"));
    static const struct {
        const char *var, *name, *kind, *platform, *role;
    } orgs[] = {
        {"ADMIN", "Liên minh Niềm tin số", "alliance", NULL, "admin"},
        {"REGULATOR", "Cục Phát thanh, Truyền hình và Thông tin điện tử", "regulator", NULL, "regulator"},
        {NULL, "Cục Cạnh tranh và Bảo vệ người tiêu dùng", "regulator", NULL, NULL},
        {"PLATFORM", "TikTok Việt Nam", "platform", "tiktok", "platform"},
        {NULL, "Meta (Facebook)", "platform", "facebook", NULL},
        {NULL, "YouTube", "platform", "youtube", NULL},
        {NULL, "Zalo", "platform", "zalo", NULL},
        {"BROADCASTER", "Đài Truyền hình Việt Nam (VTV)", "broadcaster", NULL, "platform"},
        {NULL, "Báo Tuổi Trẻ", "press", NULL, NULL},
        {NULL, "Công ty Tổ chức Sự kiện Sao Việt", "event_organiser", NULL, NULL},
        {"ADVERTISER", "Công ty TNHH Thực phẩm An Khang", "advertiser", NULL, "advertiser"},
    };
    char keys[10][2][200];
    int nkeys = 0, rc = 0;
    char regulator_org[NT_ID_LEN] = "", advertiser_org[NT_ID_LEN] = "", alliance_org[NT_ID_LEN] = "", platform_org[NT_ID_LEN] = "";
    const char *regulator_key = "", *advertiser_key = "", *programme_key = "", *platform_key = "";
    nt_wctx w;
    char at[NT_TIME_LEN], who[64];
    nt_cli_wctx(&w, at, who);
    for (size_t i = 0; i < sizeof(orgs) / sizeof(orgs[0]) && rc == 0; i++) {
        nt_err err;
        nt_err_clear(&err);
        json_t *in = json_pack("{s:s, s:s, s:s?}", "name", orgs[i].name, "kind", orgs[i].kind, "platform", orgs[i].platform);
        json_t *out = NULL;
        rc = nt_svc_org_create(svc, &w, in, &out, &err);
        json_decref(in);
        if (rc != 0) {
            nt_cli_error("demo org", rc, &err);
            break;
        }
        if (orgs[i].role != NULL) {
            snprintf(keys[nkeys][0], sizeof(keys[0][0]), "%s", orgs[i].var);
            rc = nt__create_key(svc, orgs[i].role, nt_json_str(out, "id"), NULL, "demo", keys[nkeys][1], sizeof(keys[0][1]));
            if (strcmp(orgs[i].var, "REGULATOR") == 0) {
                snprintf(regulator_org, sizeof(regulator_org), "%s", nt_json_str(out, "id"));
                regulator_key = keys[nkeys][1];
            } else if (strcmp(orgs[i].var, "ADVERTISER") == 0) {
                snprintf(advertiser_org, sizeof(advertiser_org), "%s", nt_json_str(out, "id"));
                advertiser_key = keys[nkeys][1];
            } else if (strcmp(orgs[i].var, "PLATFORM") == 0) {
                snprintf(platform_org, sizeof(platform_org), "%s", nt_json_str(out, "id"));
                platform_key = keys[nkeys][1];
            }
            nkeys++;
        }
        if (rc == 0 && strcmp(orgs[i].kind, "alliance") == 0) { /* its secretariat runs the trust programme */
            snprintf(keys[nkeys][0], sizeof(keys[0][0]), "PROGRAMME");
            rc = nt__create_key(svc, "programme", nt_json_str(out, "id"), NULL, "demo", keys[nkeys][1], sizeof(keys[0][1]));
            snprintf(alliance_org, sizeof(alliance_org), "%s", nt_json_str(out, "id"));
            programme_key = keys[nkeys][1];
            nkeys++;
        }
        json_decref(out);
    }
    size_t len = 0;
    char *jsonl = rc == 0 ? make_persons(n, seed, &len) : NULL;
    nt_import_report rep = {0};
    if (rc == 0 && jsonl != NULL) {
        FILE *f = fmemopen(jsonl, len, "r");
        nt_err err;
        nt_err_clear(&err);
        rc = f ? nt_svc_person_import(svc, &w, f, &rep, &err) : NT_ENOMEM;
        if (f)
            fclose(f);
        if (rc != 0)
            nt_cli_error("demo persons", rc, &err);
    }
    free(jsonl);
    if (rc == 0) {
        snprintf(keys[nkeys][0], sizeof(keys[0][0]), "KOL");
        rc = nt__create_key(svc, "kol", NULL, "p0000000", "demo", keys[nkeys][1], sizeof(keys[0][1]));
        nkeys++;
    }
    /* A published decision with an open appeal, then the advertising side; an offer's checks ask
     * the check, which answers from the index a server keeps. */
    char decision_id[NT_ID_LEN] = "";
    nt_actor reg = demo_actor(NT_ROLE_REGULATOR, regulator_org, NULL, regulator_key),
             adv = demo_actor(NT_ROLE_ADVERTISER, advertiser_org, NULL, advertiser_key);
    if (rc == 0 && n > 3)
        rc = demo_decision(svc, &reg, decision_id);
    if (rc == 0 && n > 3) {
        nt_err err;
        nt_err_clear(&err);
        if ((rc = nt_svc_index_build(svc, &err)) != 0)
            nt_cli_error("demo index", rc, &err);
    }
    if (rc == 0 && n > 3)
        rc = demo_ads(svc, &reg, &adv, keys[nkeys - 1][1], decision_id); /* the kol's key is the last made */
    nt_actor prog = demo_actor(NT_ROLE_PROGRAMME, alliance_org, NULL, programme_key),
             plat = demo_actor(NT_ROLE_PLATFORM, platform_org, NULL, platform_key);
    snprintf(plat.platform, sizeof(plat.platform), "tiktok");
    if (rc == 0 && n > 3)
        rc = demo_trust(svc, &prog, &plat);
    char users[6][2][64];
    int nusers = 0;
    if (rc == 0)
        rc = demo_users(svc, regulator_org, platform_org, advertiser_org, alliance_org, users, &nusers);
    nt_svc_close(svc);
    if (rc != 0)
        return 1;
    printf("Demo data: %zu organisations, %ld influencers, %ld accounts", sizeof(orgs) / sizeof(orgs[0]), rep.persons,
           rep.accounts);
    if (n > 3)
        printf(", a published decision with an open appeal, 2 products, 2 registered ads (one suspended by a recall) and an "
               "offer waiting for p0000000; p0000001 is a member of the alliance with an Influencer Trust certificate");
    printf(".\n");
    printf("API keys (role: key):\n");
    for (int i = 0; i < nkeys; i++)
        printf("  %-12s %s\n", keys[i][0], keys[i][1]);
    printf("Web users (login: password; sign in at /login):\n");
    for (int i = 0; i < nusers; i++)
        printf("  %-20s %s\n", users[i][0], users[i][1]);
    if (keys_out != NULL) {
        int fd = open(keys_out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (f == NULL) {
            perror(keys_out);
            return 1;
        }
        for (int i = 0; i < nkeys; i++)
            fprintf(f, "NIEMTIN_%s_KEY=%s\n", keys[i][0], keys[i][1]);
        for (int i = 0; i < nusers; i++)
            fprintf(f, "NIEMTIN_USER_%d=%s\nNIEMTIN_PASSWORD_%d=%s\n", i + 1, users[i][0], i + 1, users[i][1]);
        fclose(f);
    }
    return 0;
}
