/* core/graphics: QR codes (PNG read back with zlib, SVG) and the badge, escaped. */
#include "core/graphics.h"
#include "helpers.h"
#include <arpa/inet.h>
#include <stdbool.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return ntohl(v);
}

static void the_png_is_a_png(void **state)
{
    size_t len = 0;
    unsigned char *png = nt_qr_png("https://niemtin.example.vn/certificates/cert_abc", &len);
    assert_non_null(png);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    /* IHDR: square, 8-bit greyscale; every chunk's CRC right; IDAT inflates to rows of the width. */
    assert_memory_equal(png + 12, "IHDR", 4);
    uint32_t w = be32(png + 16), h = be32(png + 20);
    assert_int_equal(w, h);
    assert_int_equal(w % 8, 0);
    size_t off = 8;
    bool idat = false, end = false;
    while (off + 12 <= len) {
        uint32_t n = be32(png + off);
        assert_int_equal(be32(png + off + 8 + n), (uint32_t)crc32(0, png + off + 4, n + 4));
        if (memcmp(png + off + 4, "IDAT", 4) == 0) {
            uLongf raw_len = (uLongf)(w + 1) * h;
            unsigned char *raw = malloc(raw_len);
            assert_int_equal(uncompress(raw, &raw_len, png + off + 8, n), Z_OK);
            assert_int_equal(raw_len, (uLongf)(w + 1) * h);
            assert_int_equal(raw[0], 0);   /* no filter */
            assert_int_equal(raw[1], 255); /* the quiet zone is white */
            free(raw);
            idat = true;
        }
        end = memcmp(png + off + 4, "IEND", 4) == 0;
        off += 12 + n;
    }
    assert_true(idat && end && off == len);
    free(png);
}

static void the_svg_and_the_badge(void **state)
{
    size_t len = 0;
    char *svg = nt_qr_svg("https://niemtin.example.vn/certificates/cert_abc", &len);
    assert_non_null(svg);
    assert_int_equal(strlen(svg), len);
    assert_memory_equal(svg, "<svg", 4);
    free(svg);
    char *b = nt_badge_svg("suspended", "Nguyễn <Thị> & \"A\"", "2027-01-01T00:00:00.000+07:00", &len);
    assert_non_null(strstr(b, "Tạm đình chỉ"));
    assert_non_null(strstr(b, "Nguyễn &lt;Thị&gt; &amp; &quot;A&quot;"));
    assert_null(strstr(b, "<Thị>"));
    free(b);
    b = nt_badge_svg(NULL, NULL, NULL, &len);
    assert_non_null(strstr(b, "Không xác định")); /* an unknown certificate is never shown as valid */
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(the_png_is_a_png), cmocka_unit_test(the_svg_and_the_badge)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
