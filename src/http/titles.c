/* The problems' titles, in Vietnamese and English, by type (the slug of
 * "urn:niemtin:problem:<slug>"): problem.c answers with them, and respond.c when a request's
 * database could not be reached. */
#include "http/http.h"
#include <string.h>

static const struct {
    const char *slug;
    const char *vi;
    const char *en;
} problems[] = {
    {"bad-request", "Yêu cầu không hợp lệ", "Bad request"},
    {"invalid-json", "Nội dung JSON không hợp lệ", "Invalid JSON body"},
    {"validation", "Dữ liệu không hợp lệ", "Validation failed"},
    {"unauthorized", "Chưa xác thực", "Authentication required"},
    {"forbidden", "Không có quyền", "Forbidden"},
    {"not-found", "Không tìm thấy", "Not found"},
    {"method-not-allowed", "Phương thức không được hỗ trợ", "Method not allowed"},
    {"conflict", "Xung đột với dữ liệu hiện có", "Conflict with existing data"},
    {"precondition-failed", "Bản ghi đã thay đổi", "Precondition failed"},
    {"precondition-required", "Thiếu tiêu đề If-Match", "Precondition required"},
    {"payload-too-large", "Nội dung quá lớn", "Payload too large"},
    {"uri-too-long", "Địa chỉ quá dài", "URI too long"},
    {"unsupported-media-type", "Kiểu nội dung không được hỗ trợ", "Unsupported media type"},
    {"idempotency-key-reused", "Idempotency-Key đã dùng cho một yêu cầu khác", "Idempotency-Key reused for a different request"},
    {"idempotency-in-progress", "Yêu cầu cùng Idempotency-Key đang được xử lý",
     "A request with this Idempotency-Key is in progress"},
    {"rate-limited", "Quá nhiều yêu cầu", "Too many requests"},
    {"internal", "Lỗi máy chủ", "Internal server error"},
    {"unavailable", "Dịch vụ tạm thời không sẵn sàng", "Service unavailable"},
    {"insufficient-storage", "Hết dung lượng lưu trữ", "Insufficient storage"},
    {"read-only", "Máy chủ này chỉ đọc", "This server only reads"},
    {"log-inconsistent", "Nhật ký minh bạch không khớp với checkpoint", "The transparency log does not match its checkpoint"},
};

const char *nt__problem_title(const char *slug, nt_lang lang)
{
    for (size_t i = 0; i < sizeof(problems) / sizeof(problems[0]); i++)
        if (strcmp(problems[i].slug, slug) == 0)
            return lang == NT_LANG_EN ? problems[i].en : problems[i].vi;
    return lang == NT_LANG_EN ? "Error" : "Lỗi";
}
