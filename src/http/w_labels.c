/* The names the pages give the API's values, in both languages, where several pages show them. */
#include "http/web.h"
#include <string.h>

static const char *const categories[][3] = {
    {"false_advertising", "Quảng cáo sai sự thật", "False advertising"},
    {"counterfeit_or_substandard_goods", "Hàng giả, hàng kém chất lượng", "Counterfeit or substandard goods"},
    {"undisclosed_advertising", "Quảng cáo không ghi rõ là quảng cáo", "Advertising not labelled as such"},
    {"misinformation", "Thông tin sai lệch", "Misinformation"},
    {"fraud_or_scam", "Lừa đảo", "Fraud or scam"},
    {"privacy", "Xâm phạm đời tư", "Privacy"},
    {"offensive_content", "Nội dung phản cảm", "Offensive content"},
    {"other", "Khác", "Other"},
};
const nt_labels nt_categories = {sizeof(categories) / sizeof(categories[0]), categories};

static const char *const scopes[][3] = {
    {"broadcast", "Truyền hình, phát thanh", "Television, radio"},
    {"press", "Báo chí", "Press"},
    {"performance", "Biểu diễn, sự kiện", "Shows, events"},
    {"livestream", "Phát trực tiếp, bán hàng trực tiếp", "Livestreams, live selling"},
    {"online_content", "Nội dung trên mạng", "Online posts and videos"},
    {"advertising", "Quảng cáo", "Advertising"},
};
const nt_labels nt_scopes = {sizeof(scopes) / sizeof(scopes[0]), scopes};

static const char *const sanction_types[][3] = {
    {"appearance_restriction", "Hạn chế xuất hiện, biểu diễn", "Appearance restriction"},
    {"advertising_ban", "Cấm quảng cáo", "Advertising ban"},
    {"fine", "Phạt tiền", "Fine"},
    {"warning", "Cảnh cáo", "Warning"},
    {"remedial", "Biện pháp khắc phục hậu quả", "Remedial measures"},
    {"certificate_revocation", "Thu hồi chứng nhận", "Certificate revocation"},
    {"account_action_request", "Yêu cầu xử lý tài khoản", "Account action request"},
};
const nt_labels nt_sanction_types = {sizeof(sanction_types) / sizeof(sanction_types[0]), sanction_types};

static const char *const certificate_statuses[][3] = {
    {"active", "Còn hiệu lực", "Valid"}, {"suspended", "Tạm đình chỉ", "Suspended"},       {"revoked", "Đã thu hồi", "Revoked"},
    {"expired", "Hết hạn", "Expired"},   {"superseded", "Đã được thay thế", "Superseded"},
};
const nt_labels nt_certificate_statuses = {sizeof(certificate_statuses) / sizeof(certificate_statuses[0]), certificate_statuses};

static const char *const roles[][3] = {
    {"admin", "Quản trị hệ thống", "Administrator"},
    {"regulator", "Cơ quan quản lý", "Regulator"},
    {"platform", "Nền tảng, đài, báo", "Platform, broadcaster or press"},
    {"advertiser", "Nhà quảng cáo", "Advertiser"},
    {"kol", "Người có ảnh hưởng", "Influencer"},
    {"programme", "Ban thư ký Liên minh Niềm tin số", "Digital Trust alliance secretariat"},
};
const nt_labels nt_roles = {sizeof(roles) / sizeof(roles[0]), roles};

static const char *const org_kinds[][3] = {
    {"operator", "Đơn vị vận hành", "Operator"},   {"regulator", "Cơ quan quản lý", "Regulator"},
    {"platform", "Nền tảng", "Platform"},          {"broadcaster", "Đài phát thanh, truyền hình", "Broadcaster"},
    {"press", "Cơ quan báo chí", "Press"},         {"event_organiser", "Đơn vị tổ chức sự kiện", "Event organiser"},
    {"advertiser", "Nhà quảng cáo", "Advertiser"}, {"alliance", "Liên minh Niềm tin số", "Digital Trust alliance"},
};
const nt_labels nt_org_kinds = {sizeof(org_kinds) / sizeof(org_kinds[0]), org_kinds};

static const char *const appeal_states[][3] = {
    {"filed", "Đã nộp", "Filed"},
    {"under_review", "Đang xem xét", "Under review"},
    {"upheld", "Giữ nguyên quyết định", "Decision upheld"},
    {"overturned", "Hủy quyết định", "Decision overturned"},
    {"modified", "Sửa đổi quyết định", "Decision modified"},
};
const nt_labels nt_appeal_states = {sizeof(appeal_states) / sizeof(appeal_states[0]), appeal_states};

const char *nt_label(const nt_page *p, const nt_labels *t, const char *value)
{
    for (size_t i = 0; value != NULL && i < t->n; i++)
        if (strcmp(value, t->v[i][0]) == 0)
            return L(t->v[i][1], t->v[i][2]);
    return value ? value : "";
}
