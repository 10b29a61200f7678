/* http/router: the route table against the OpenAPI document and itself. */
#include "core/embed.h"
#include "helpers.h"
#include "http/http.h"
#include <ctype.h>

static void openapi_parses_and_covers_every_route(void **state)
{
    const struct nt_embedded *e = nt_embed_find("openapi.json");
    assert_non_null(e);
    json_error_t je;
    json_t *doc = json_loadb(e->data, e->len, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL)
        fail_msg("openapi.json: line %d: %s", je.line, je.text);
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    json_t *paths = json_object_get(doc, "paths");
    for (const nt_route *r = nt_routes; r->method != NULL; r++) {
        if ((r->flags & NT_ROUTE_PAGE) || strncmp(r->pattern, "/assets/", 8) == 0 || strcmp(r->pattern, "/sw.js") == 0)
            continue; /* the web pages and their assets are not the API (docs/WEB.md) */
        json_t *item = json_object_get(paths, r->pattern);
        if (item == NULL)
            fail_msg("%s is not in openapi.json", r->pattern);
        char m[16];
        size_t i = 0;
        for (; r->method[i] && i < sizeof(m) - 1; i++)
            m[i] = (char)tolower((unsigned char)r->method[i]);
        m[i] = '\0';
        if (json_object_get(item, m) == NULL)
            fail_msg("%s %s is not in openapi.json", r->method, r->pattern);
    }
    /* And nothing documented that the router does not serve. */
    const char *path;
    json_t *item;
    json_object_foreach(paths, path, item)
    {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op)
        {
            if (strcmp(method, "parameters") == 0)
                continue;
            bool found = false;
            for (const nt_route *r = nt_routes; r->method != NULL; r++)
                if (strcmp(r->pattern, path) == 0 && strcasecmp(r->method, method) == 0)
                    found = true;
            if (!found)
                fail_msg("openapi.json documents %s %s, which no route serves", method, path);
        }
    }
    json_decref(doc);
}

static void routes_are_unique_and_named(void **state)
{
    size_t n = nt_route_count();
    assert_true(n > 10);
    assert_true(n <= NT_ROUTES_MAX); /* each route has its own metrics */
    for (size_t i = 0; i < n; i++) {
        assert_non_null(nt_routes[i].name);
        assert_true(nt_routes[i].roles != 0);
        assert_int_equal(nt_route_index(&nt_routes[i]), i);
        for (size_t j = i + 1; j < n; j++)
            assert_false(strcmp(nt_routes[i].method, nt_routes[j].method) == 0 &&
                         strcmp(nt_routes[i].pattern, nt_routes[j].pattern) == 0);
    }
}

static void body_decoding_is_strict(void **state)
{
    nt_err e;
    json_t *v = NULL;
    nt_err_clear(&e);
    assert_int_equal(nt__body_decode("{\"a\":1}", 7, &v, &e), 0);
    json_decref(v);
    const char *bad[] = {"", "[1]", "{\"a\":1,\"a\":2}", "{\"a\":1} x", "{\"a\":\"\xff\"}", "{\"a\":NaN}", "{'a':1}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        nt_err_clear(&e);
        assert_int_equal(nt__body_decode(bad[i], strlen(bad[i]), &v, &e), NT_EINVAL);
        assert_null(v);
        assert_true(e.en[0] != '\0');
    }
}

static void problem_titles_in_both_languages(void **state)
{
    assert_string_equal(nt__problem_title("not-found", NT_LANG_VI), "Không tìm thấy");
    assert_string_equal(nt__problem_title("not-found", NT_LANG_EN), "Not found");
    assert_string_equal(nt__problem_title("rate-limited", NT_LANG_EN), "Too many requests");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(openapi_parses_and_covers_every_route),
        cmocka_unit_test(routes_are_unique_and_named),
        cmocka_unit_test(body_decoding_is_strict),
        cmocka_unit_test(problem_titles_in_both_languages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
