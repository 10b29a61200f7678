/* Images the certificate is shown with: its QR code (SVG and PNG, libqrencode's matrix drawn
 * here; PNG written with zlib) and its live badge (SVG). Pure functions. */
#ifndef NT_CORE_GRAPHICS_H
#define NT_CORE_GRAPHICS_H
#include <stddef.h>

/** The QR code of text (error correction M) as SVG; malloc'd, NULL when text does not fit. */
char *nt_qr_svg(const char *text, size_t *len);
/** The same as a PNG (8 pixels a module, a 4-module quiet zone, greyscale); malloc'd. */
unsigned char *nt_qr_png(const char *text, size_t *len);

/** The badge: "Influencer Trust" and the status in Vietnamese (and English beneath), coloured by
 * status (valid / suspended / revoked / expired / unknown), with its title and description for
 * screen readers. malloc'd. */
char *nt_badge_svg(const char *status, const char *name, const char *valid_until_local, size_t *len);
#endif
