/* SQLite backend: the named reads of advertising (advertisers, products and their documents, offers,
 * ads and the public ad library). Their writes are generic rows (sqlite_rows.c). */
#include "store/sqlite_int.h"
#include <stddef.h>

/* The named reads of advertisers, products, offers and ads. */
const nt__sq_named nt__sq_queries_ads[] = {
    {"advertiser.get", "SELECT * FROM advertisers WHERE id = ?"},
    {"advertiser.by_org", "SELECT * FROM advertisers WHERE org_id = ?"},
    {"advertiser.by_code", "SELECT * FROM advertisers WHERE enterprise_code = ?"},
    {"advertisers.page", "SELECT * FROM advertisers WHERE id > ? ORDER BY id LIMIT ?"},
    {"product.get", "SELECT * FROM products WHERE id = ?"},
    {"product.documents", "SELECT * FROM product_documents WHERE product_id = ? ORDER BY id"},
    {"product.document", "SELECT * FROM product_documents WHERE id = ? AND product_id = ?"},
    {"offer.get", "SELECT * FROM offers WHERE id = ?"},
    {"ad.by_code", "SELECT * FROM ads WHERE code = ?"},
    {"ad.get", "SELECT * FROM ads WHERE id = ?"},
    {"ads.all", "SELECT * FROM ads"},
    {"ads.open", "SELECT * FROM ads WHERE state IN ('registered', 'suspended') AND end_at > ? ORDER BY id"},
    {"ads.of_product", "SELECT code, person_id, state, state_reason FROM ads WHERE product_id = ? ORDER BY code"},
    {"ads.library",
     "SELECT a.*, p.category, p.name AS product_name FROM ads a JOIN products p ON p.id = a.product_id "
     "WHERE (?1 IS NULL OR a.person_id = ?1) AND (?2 IS NULL OR a.advertiser_id = ?2) AND (?3 IS NULL OR a.product_id = ?3) "
     "AND (?4 IS NULL OR p.category = ?4) AND (?5 IS NULL OR a.state = ?5) AND (?6 IS NULL OR a.end_at > ?6) "
     "AND (?7 IS NULL OR a.start_at < ?7) AND a.id > ?8 ORDER BY a.id LIMIT ?9"},
    {"ads.next_seq", "SELECT coalesce(max(seq), 0) + 1 AS seq FROM ads WHERE year = ?"},
    {"products.page", "SELECT * FROM products WHERE id > ? ORDER BY id LIMIT ?"},
    {NULL, NULL},
};
