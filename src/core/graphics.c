/* QR codes and badges; see graphics.h. */
#include "core/graphics.h"
#include "core/jbuf.h"
#include <arpa/inet.h>
#include <stdbool.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define QUIET 4 /* modules of white around the code, as the standard asks */
#define SCALE 8 /* PNG pixels a module */

char *nt_qr_svg(const char *text, size_t *len)
{
    QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (q == NULL)
        return NULL;
    int size = q->width + 2 * QUIET;
    size_t cap = 512 + (size_t)q->width * (size_t)q->width * 24;
    char *out = malloc(cap);
    if (out == NULL) {
        QRcode_free(q);
        return NULL;
    }
    size_t n = (size_t)snprintf(out, cap,
                                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                                "role=\"img\" aria-label=\"QR\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
                                "fill=\"#fff\"/><path fill=\"#000\" d=\"",
                                size, size, size * SCALE, size * SCALE, size, size);
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1)
                n += (size_t)snprintf(out + n, cap - n, "M%d %dh1v1h-1z", x + QUIET, y + QUIET);
    n += (size_t)snprintf(out + n, cap - n, "\"/></svg>\n");
    QRcode_free(q);
    *len = n;
    return out;
}

static void chunk(unsigned char *out, size_t *n, const char *type, const unsigned char *data, uint32_t len)
{
    uint32_t be = htonl(len);
    memcpy(out + *n, &be, 4);
    memcpy(out + *n + 4, type, 4);
    if (len > 0)
        memcpy(out + *n + 8, data, len);
    uint32_t crc = (uint32_t)crc32(0, out + *n + 4, len + 4);
    be = htonl(crc);
    memcpy(out + *n + 8 + len, &be, 4);
    *n += 12 + len;
}

unsigned char *nt_qr_png(const char *text, size_t *len)
{
    QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (q == NULL)
        return NULL;
    uint32_t px = (uint32_t)(q->width + 2 * QUIET) * SCALE;
    size_t raw_len = (size_t)(px + 1) * px; /* a filter byte (0: none) before each row */
    unsigned char *raw = malloc(raw_len);
    uLongf zlen = compressBound((uLong)raw_len);
    unsigned char *z = malloc(zlen), *out = malloc(zlen + 64);
    if (raw == NULL || z == NULL || out == NULL) {
        free(raw);
        free(z);
        free(out);
        QRcode_free(q);
        return NULL;
    }
    for (uint32_t y = 0; y < px; y++) {
        unsigned char *row = raw + (size_t)y * (px + 1);
        row[0] = 0;
        for (uint32_t x = 0; x < px; x++) {
            int mx = (int)(x / SCALE) - QUIET, my = (int)(y / SCALE) - QUIET;
            bool dark = mx >= 0 && my >= 0 && mx < q->width && my < q->width && (q->data[my * q->width + mx] & 1);
            row[1 + x] = dark ? 0 : 255;
        }
    }
    QRcode_free(q);
    int zrc = compress2(z, &zlen, raw, (uLong)raw_len, 9);
    free(raw);
    if (zrc != Z_OK) {
        free(z);
        free(out);
        return NULL;
    }
    size_t n = 8;
    memcpy(out, "\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[13];
    uint32_t be = htonl(px);
    memcpy(ihdr, &be, 4);
    memcpy(ihdr + 4, &be, 4);
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 0;  /* greyscale */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering */
    ihdr[12] = 0; /* no interlace */
    chunk(out, &n, "IHDR", ihdr, sizeof(ihdr));
    chunk(out, &n, "IDAT", z, (uint32_t)zlen);
    chunk(out, &n, "IEND", NULL, 0);
    free(z);
    *len = n;
    return out;
}

char *nt_badge_svg(const char *status, const char *name, const char *valid_until_local, size_t *len)
{
    static const struct {
        const char *status, *vi, *en, *colour;
    } looks[] = {
        {"active", "Còn hiệu lực", "Valid", "#00703c"},
        {"suspended", "Tạm đình chỉ", "Suspended", "#b45309"},
        {"revoked", "Đã thu hồi", "Revoked", "#b10e1e"},
        {"expired", "Hết hạn", "Expired", "#505a5f"},
        {"superseded", "Đã được thay thế", "Superseded", "#505a5f"},
    };
    const char *vi = "Không xác định", *en = "Unrecognised", *colour = "#505a5f";
    for (size_t i = 0; i < sizeof(looks) / sizeof(looks[0]); i++)
        if (status != NULL && strcmp(status, looks[i].status) == 0) {
            vi = looks[i].vi;
            en = looks[i].en;
            colour = looks[i].colour;
        }
    nt_jbuf b;
    nt_jb_init(&b, 4096);
    nt_jb_lit(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"64\" viewBox=\"0 0 300 64\" role=\"img\" "
                  "aria-labelledby=\"t d\" font-family=\"'Be Vietnam Pro','Noto Sans',Arial,sans-serif\"><title id=\"t\">"
                  "Người có ảnh hưởng tin cậy: ");
    nt_jb_xml(&b, vi);
    nt_jb_lit(&b, "</title><desc id=\"d\">Influencer Trust: ");
    nt_jb_xml(&b, en);
    if (name != NULL) {
        nt_jb_lit(&b, ". ");
        nt_jb_xml(&b, name);
    }
    if (valid_until_local != NULL) {
        nt_jb_lit(&b, ". Hiệu lực đến / valid until ");
        nt_jb_xml(&b, valid_until_local);
    }
    nt_jb_lit(&b, "</desc><rect width=\"300\" height=\"64\" rx=\"6\" fill=\"#1d2b3a\"/><rect x=\"150\" width=\"150\" height=\"64\" "
                  "rx=\"6\" fill=\"");
    nt_jb_xml(&b, colour);
    nt_jb_lit(&b, "\"/><rect x=\"150\" width=\"8\" height=\"64\" fill=\"");
    nt_jb_xml(&b, colour);
    nt_jb_lit(&b, "\"/><g fill=\"#fff\"><text x=\"12\" y=\"27\" font-size=\"14\" font-weight=\"700\">Niềm tin số</text>"
                  "<text x=\"12\" y=\"47\" font-size=\"12\">Influencer Trust</text><text x=\"162\" y=\"27\" font-size=\"14\" "
                  "font-weight=\"700\">");
    nt_jb_xml(&b, vi);
    nt_jb_lit(&b, "</text><text x=\"162\" y=\"47\" font-size=\"12\">");
    nt_jb_xml(&b, en);
    nt_jb_lit(&b, "</text></g></svg>\n");
    return nt_jb_take(&b, len);
}
