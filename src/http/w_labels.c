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

const char *nt_label(const nt_page *p, const nt_labels *t, const char *value)
{
    for (size_t i = 0; value != NULL && i < t->n; i++)
        if (strcmp(value, t->v[i][0]) == 0)
            return L(t->v[i][1], t->v[i][2]);
    return value ? value : "";
}
