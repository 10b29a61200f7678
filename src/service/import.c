/* Importing persons and their accounts from JSON Lines in one transaction: a reader thread parses
 * and validates lines in batches while this thread writes them, all or nothing. */
#include "core/alloc.h"
#include "core/text.h"
#include "core/util.h"
#include "service/commit.h"
#include "service/registry_int.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- import ---- */

static const nt_field import_spec[] = {
    {"id", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"name", NT_FT_STR, 0, 1, NAME_MAX_CHARS, 0},
    {"legal_name", NT_FT_STR, 0, 1, NAME_MAX_CHARS, 0},
    PERSON_FIELDS,
    {"accounts", NT_FT_OBJ_ARRAY, NT_F_NULLABLE, 0, 50, 0},
};
static const nt_field import_account_spec[] = {
    {"platform", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0},
    {"handle", NT_FT_STR, NT_F_REQUIRED, 1, 64, 0},
    {"platform_user_id", NT_FT_STR, NT_F_NULLABLE, 1, 64, 0},
    {"url", NT_FT_STR, NT_F_NULLABLE, 1, 500, 0},
    {"followers", NT_FT_INT, NT_F_NULLABLE, 0, 10000000000L, 0},
};

#define IMPORT_LINE_MAX (64 * 1024)

/* Import runs as a pipeline of two threads: a reader parses, validates and normalises lines
 * (JSON, NFC, search keys, handle rules) while the caller's thread, which holds the store's
 * transaction, writes what is ready. Either side's error stops both and nothing is kept. */

typedef struct import_item {
    long line;
    json_t *in; /* owns the strings the draft and the accounts point into */
    nt__person_draft d;
    int nacc;
    nt_account *acc;
    struct import_item *next;
} import_item;

typedef struct import_queue {
    pthread_mutex_t lock;
    pthread_cond_t ready, room;
    /* Items travel in batches: the reader hands over full batches, the writer hands spent ones
     * back for the reader to free (freeing memory on the thread that allocated it avoids
     * contention in the allocator). */
    import_item *full_head, *full_tail, *spent;
    int batches;
    bool done, abort;
    /* the reader's side */
    nt_svc *svc;
    const nt_wctx *w;
    FILE *file;
    void (*progress)(void *arg, long lines, uint64_t bytes);
    void *progress_arg;
    uint64_t bytes;
    long lines, accounts_invalid;
    char first_invalid[160];
    int rc;
    nt_err err;
} import_queue;

#define IMPORT_BATCH       512
#define IMPORT_BATCHES_MAX 8

static void item_free(import_item *it)
{
    nt__reg_draft_free(&it->d);
    free(it->acc);
    json_decref(it->in);
    free(it);
}

static void items_free(import_item *it)
{
    while (it != NULL) {
        import_item *next = it->next;
        item_free(it);
        it = next;
    }
}

/* Parses and checks one line into an item; NULL with q->rc and q->err set on a bad line. */
static import_item *import_prepare(import_queue *q, const char *line, size_t len)
{
    nt_err *err = &q->err;
    json_error_t jerr;
    json_t *in = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (in == NULL) {
        q->rc = nt_err_set(err, NT_EINVAL, "line %ld: invalid JSON: %s", "dòng %ld: JSON không hợp lệ: %s", q->lines, jerr.text);
        return NULL;
    }
    import_item *it = nt_xcalloc(1, sizeof(*it));
    if (it == NULL) {
        json_decref(in);
        q->rc = NT_ENOMEM;
        return NULL;
    }
    it->in = in;
    it->line = q->lines;
    const char *name_field = json_object_get(in, "legal_name") ? "legal_name" : "name";
    int rc = nt_schema_check(in, import_spec, sizeof(import_spec) / sizeof(import_spec[0]), "", err);
    if (rc == 0 && json_object_get(in, name_field) == NULL)
        rc = nt_err_field(err, "name", "required", 0);
    if (rc == 0 && !nt__reg_valid_id(nt_json_str(in, "id")))
        rc = nt_err_field(err, "id", "invalid", 0);
    json_t *accounts = json_object_get(in, "accounts");
    size_t i;
    json_t *a;
    json_array_foreach(accounts, i, a)
    {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "accounts[%zu].", i);
        if (rc == 0)
            rc = nt_schema_check(a, import_account_spec, sizeof(import_account_spec) / sizeof(import_account_spec[0]), prefix, err);
    }
    if (rc == 0)
        rc = nt__reg_draft_apply(q->svc, &it->d, in, name_field, err);
    if (rc != 0) {
        char what[200] = "", en[256], vi[256];
        if (err->nfields > 0)
            snprintf(what, sizeof(what), "%s: %s", err->fields[0].field, err->fields[0].code);
        /* Copies: err's own texts are what is being written. */
        nt_strlcpy(en, err->en, sizeof(en));
        nt_strlcpy(vi, err->vi, sizeof(vi));
        q->rc = nt_err_set(err, NT_EINVAL, "line %ld: %s %s%.0s", "dòng %ld: %s %.0s%s", q->lines, what, en, vi);
        item_free(it);
        return NULL;
    }
    nt_strlcpy(it->d.p.id, nt_json_str(in, "id"), sizeof(it->d.p.id));
    it->d.p.version = 1;
    it->d.p.created_by = q->w->key_id;
    it->acc = nt_xcalloc(json_array_size(accounts) + 1, sizeof(nt_account));
    if (it->acc == NULL) {
        item_free(it);
        q->rc = NT_ENOMEM;
        return NULL;
    }
    json_array_foreach(accounts, i, a)
    {
        nt_account *acc = &it->acc[it->nacc];
        acc->platform = nt_json_str(a, "platform");
        acc->display_handle = nt_json_str(a, "handle");
        acc->person_id = it->d.p.id;
        acc->platform_user_id = nt_json_str(a, "platform_user_id");
        acc->url = nt_json_str(a, "url");
        json_t *f = json_object_get(a, "followers");
        acc->followers = f && json_is_integer(f) ? json_integer_value(f) : -1;
        if (!nt_platform_known(acc->platform) || nt_handle_normalize(acc->platform, acc->display_handle, acc->handle) != 0) {
            /* Not a handle the platform allows: report it, keep the rest of the person. */
            if (q->accounts_invalid++ == 0)
                snprintf(q->first_invalid, sizeof(q->first_invalid), "line %ld: %s:%s", q->lines, acc->platform,
                         acc->display_handle);
            continue;
        }
        it->nacc++;
    }
    return it;
}

/* Hands a batch to the writer; frees what the writer handed back. False when told to stop. */
static bool import_hand_over(import_queue *q, import_item *head, import_item *tail)
{
    pthread_mutex_lock(&q->lock);
    while (q->batches >= IMPORT_BATCHES_MAX && !q->abort)
        pthread_cond_wait(&q->room, &q->lock);
    bool stop = q->abort;
    if (!stop && head != NULL) {
        tail->next = NULL;
        /* Batches are chained through the last item's next pointer to the next batch's head. */
        if (q->full_tail)
            q->full_tail->next = head;
        else
            q->full_head = head;
        q->full_tail = tail;
        q->batches++;
        pthread_cond_signal(&q->ready);
    }
    import_item *spent = q->spent;
    q->spent = NULL;
    pthread_mutex_unlock(&q->lock);
    items_free(spent);
    if (stop)
        items_free(head);
    return !stop;
}

static void *import_reader(void *arg)
{
    import_queue *q = arg;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    import_item *head = NULL, *tail = NULL;
    int n = 0;
    bool go = true;
    while (go && q->rc == 0 && (len = getline(&line, &cap, q->file)) >= 0) {
        q->lines++;
        q->bytes += (uint64_t)len;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (len > IMPORT_LINE_MAX) {
            q->rc = nt_err_set(&q->err, NT_EINVAL, "line %ld: longer than %d bytes", "dòng %ld: dài hơn %d byte", q->lines,
                               IMPORT_LINE_MAX);
            break;
        }
        import_item *it = import_prepare(q, line, (size_t)len);
        if (it == NULL)
            break;
        if (tail)
            tail->next = it;
        else
            head = it;
        tail = it;
        if (++n == IMPORT_BATCH) {
            if (q->progress != NULL)
                q->progress(q->progress_arg, q->lines, q->bytes);
            go = import_hand_over(q, head, tail);
            head = tail = NULL;
            n = 0;
        }
    }
    free(line);
    if (q->rc == 0 && ferror(q->file))
        q->rc = nt_err_set(&q->err, NT_EIO, "read error", "lỗi đọc tệp");
    if (q->rc == 0 && go && head != NULL)
        import_hand_over(q, head, tail);
    else
        items_free(head);
    pthread_mutex_lock(&q->lock);
    q->done = true;
    pthread_cond_signal(&q->ready);
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

/* Writes one prepared person and its accounts inside the import's transaction. */
static int import_store(nt_svc *svc, const nt_wctx *w, import_item *it, nt_import_report *rep, nt_err *err)
{
    int rc = svc->store->ops->bulk_person(svc->store, w, &it->d.p, err);
    if (rc != 0) {
        char en[256];
        nt_strlcpy(en, err->en, sizeof(en));
        return nt_err_set(err, rc, "line %ld: %s", "dòng %ld: %s", it->line, en);
    }
    rep->persons++;
    for (int i = 0; i < it->nacc; i++) {
        nt_account *acc = &it->acc[i];
        nt_err sub;
        nt_err_clear(&sub);
        rc = svc->store->ops->bulk_account(svc->store, w, acc, &sub);
        if (rc == NT_ECONFLICT) {
            /* Handles are unique per platform: the first person to hold one keeps it. */
            if (rep->accounts_skipped++ == 0)
                snprintf(rep->first_skip, sizeof(rep->first_skip), "line %ld: %s:%s already linked to %s", it->line, acc->platform,
                         acc->handle, sub.conflict_id);
            continue;
        }
        if (rc != 0) {
            *err = sub;
            return rc;
        }
        rep->accounts++;
    }
    return 0;
}

typedef struct import_arg {
    nt_svc *svc;
    FILE *in;
    nt_import_report *rep;
} import_arg;

/* The import as one typed operation: the store's bulk transaction around every line. */
static int import_op(nt_store *st, const nt_wctx *w, void *arg, nt_err *err)
{
    (void)st;
    import_arg *a = arg;
    nt_svc *svc = a->svc;
    nt_import_report *rep = a->rep;
    FILE *in = a->in;
    void (*progress)(void *, long, uint64_t) = rep->progress;
    void *progress_arg = rep->progress_arg;
    memset(rep, 0, sizeof(*rep));
    rep->progress = progress;
    rep->progress_arg = progress_arg;
    import_queue *q = nt_xcalloc(1, sizeof(*q));
    if (q == NULL)
        return NT_ENOMEM;
    int rc = svc->store->ops->bulk_begin(svc->store, err);
    if (rc != 0) {
        free(q);
        return rc;
    }
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->ready, NULL);
    pthread_cond_init(&q->room, NULL);
    q->svc = svc;
    q->w = w;
    q->file = in;
    q->progress = progress;
    q->progress_arg = progress_arg;
    pthread_t reader;
    bool started = pthread_create(&reader, NULL, import_reader, q) == 0;
    if (!started)
        rc = nt_err_set(err, NT_ENOMEM, "cannot start the reader thread", "không khởi động được luồng đọc");
    import_item *spent = NULL;
    while (rc == 0) {
        pthread_mutex_lock(&q->lock);
        if (spent != NULL) {
            import_item *last = spent;
            while (last->next != NULL)
                last = last->next;
            last->next = q->spent;
            q->spent = spent;
            spent = NULL;
        }
        while (q->full_head == NULL && !q->done)
            pthread_cond_wait(&q->ready, &q->lock);
        /* Take everything handed over so far. */
        import_item *batch = q->full_head;
        q->full_head = q->full_tail = NULL;
        q->batches = 0;
        pthread_cond_signal(&q->room);
        pthread_mutex_unlock(&q->lock);
        if (batch == NULL)
            break; /* done and drained */
        for (import_item *it = batch; it != NULL && rc == 0; it = it->next)
            rc = import_store(svc, w, it, rep, err);
        spent = batch;
    }
    pthread_mutex_lock(&q->lock);
    if (rc != 0)
        q->abort = true;
    pthread_cond_signal(&q->room);
    pthread_mutex_unlock(&q->lock);
    if (started)
        pthread_join(reader, NULL);
    items_free(spent);
    items_free(q->spent);
    items_free(q->full_head);
    if (rc == 0 && q->rc != 0) {
        rc = q->rc;
        *err = q->err;
    }
    rep->lines = q->lines;
    rep->accounts_invalid = q->accounts_invalid;
    memcpy(rep->first_invalid, q->first_invalid, sizeof(rep->first_invalid));
    char summary[96];
    snprintf(summary, sizeof(summary), "%ld persons, %ld accounts", rep->persons, rep->accounts);
    int end = svc->store->ops->bulk_end(svc->store, w, summary, rc == 0, rc == 0 ? err : NULL);
    pthread_cond_destroy(&q->ready);
    pthread_cond_destroy(&q->room);
    pthread_mutex_destroy(&q->lock);
    free(q);
    return rc != 0 ? rc : end;
}

int nt_svc_person_import(nt_svc *svc, nt_wctx *w, FILE *in, nt_import_report *rep, nt_err *err)
{
    import_arg a = {svc, in, rep};
    return nt__reg_commit_op(svc, w, import_op, &a, NULL, false, err);
}
