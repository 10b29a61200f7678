/* SQLite backend: the named reads of advertising (advertisers, products and their documents, offers,
 * ads and the public ad library). Their writes are generic rows (sqlite_rows.c). */
#include "store/sqlite_int.h"
#include <stddef.h>

/* The named reads of advertisers, products, offers and ads. */
const nt__sq_named nt__sq_queries_ads[] = {
    {NT_Q_advertiser_get, "SELECT * FROM advertisers WHERE id = ?"},
    {NT_Q_advertiser_by_org, "SELECT * FROM advertisers WHERE org_id = ?"},
    {NT_Q_advertiser_by_code, "SELECT * FROM advertisers WHERE enterprise_code = ?"},
    {NT_Q_advertisers_page, "SELECT * FROM advertisers WHERE id > ? ORDER BY id LIMIT ?"},
    {NT_Q_product_get, "SELECT * FROM products WHERE id = ?"},
    {NT_Q_product_documents, "SELECT d.*, (SELECT s.id FROM product_documents s WHERE s.supersedes = d.id) AS superseded_by "
                             "FROM product_documents d WHERE d.product_id = ? ORDER BY d.id"},
    {NT_Q_product_document, "SELECT * FROM product_documents WHERE id = ? AND product_id = ?"},
    {NT_Q_offer_get, "SELECT * FROM offers WHERE id = ?"},
    {NT_Q_offers_page, "SELECT * FROM offers WHERE id > ?1 AND (?2 IS NULL OR advertiser_id = ?2) "
                       "AND (?3 IS NULL OR person_id = ?3) AND (?4 IS NULL OR state = ?4) ORDER BY id LIMIT ?5"},
    {NT_Q_person_offers, "SELECT id, advertiser_id, product_id, state, start_at, end_at, created_at FROM offers "
                         "WHERE person_id = ? ORDER BY created_at DESC, id LIMIT 100"},
    {NT_Q_person_ads, "SELECT code, product_id, state, start_at, end_at FROM ads WHERE person_id = ? "
                      "ORDER BY created_at DESC, code LIMIT 100"},
    /* The public record of an ad names who advertises what, not only their ids. */
    {NT_Q_ad_by_code, "SELECT a.*, adv.name AS advertiser_name, p.name AS product_name, p.category FROM ads a "
                      "JOIN advertisers adv ON adv.id = a.advertiser_id JOIN products p ON p.id = a.product_id WHERE a.code = ?"},
    {NT_Q_ad_get, "SELECT * FROM ads WHERE id = ?"},
    {NT_Q_ads_all, "SELECT * FROM ads"},
    {NT_Q_ads_open, "SELECT * FROM ads WHERE state IN ('registered', 'suspended') AND end_at > ? ORDER BY id"},
    {NT_Q_ads_of_product, "SELECT code, person_id, state, state_reason FROM ads WHERE product_id = ? ORDER BY code"},
    {NT_Q_ads_library,
     "SELECT a.*, p.category, p.name AS product_name FROM ads a JOIN products p ON p.id = a.product_id "
     "WHERE (?1 IS NULL OR a.person_id = ?1) AND (?2 IS NULL OR a.advertiser_id = ?2) AND (?3 IS NULL OR a.product_id = ?3) "
     "AND (?4 IS NULL OR p.category = ?4) AND (?5 IS NULL OR a.state = ?5) AND (?6 IS NULL OR a.end_at > ?6) "
     "AND (?7 IS NULL OR a.start_at < ?7) AND a.id > ?8 ORDER BY a.id LIMIT ?9"},
    {NT_Q_ads_next_seq, "SELECT coalesce(max(seq), 0) + 1 AS seq FROM ads WHERE year = ?"},
    {NT_Q_products_page, "SELECT * FROM products WHERE id > ? ORDER BY id LIMIT ?"},
    {NT_Q_products_of_org,
     "SELECT p.* FROM products p JOIN advertisers a ON a.id = p.advertiser_id WHERE a.org_id = ? ORDER BY p.created_at DESC, p.id "
     "LIMIT 500"},
    {NT_QUERY_COUNT, NULL},
};
