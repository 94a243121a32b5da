/*
 * store.c — the run store: every run kept in one SQLite file.
 *
 * A run is recorded in three steps, each its own transaction:
 *   begin   a row in `runs` with status 'running', the pid, host and the
 *           process start time, committed so other processes see it;
 *   series  rows of the long time series, appended in batches;
 *   finish  the summary, the end time and status 'ok', in one transaction.
 * A process killed anywhere leaves SQLite consistent (WAL journal), and the
 * run 'running' with a pid that no longer exists: every open of the store
 * (and every read of that run) sees the dead process and marks the run
 * 'failed', dropping its partial series.  So a run is either whole ('ok')
 * or marked failed — never half there and looking finished.
 *
 * Concurrency: WAL lets readers run beside one writer; writers queue on a
 * busy timeout.  Batches keep each write transaction short, so two runs
 * recording at once interleave instead of timing out.
 *
 * All SQL is prepared with bound parameters; nothing is pasted into text.
 * Layout and guarantees: docs/run-store.md.
 */
#include "chokepoint.h"
#include "core/numfmt.h"
#include "core/yaml_text.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <libfyaml.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SCHEMA_VERSION 1
#define BUSY_TIMEOUT_MS 30000
#define BATCH_ROWS 2000

struct cp_store {
    sqlite3 *db;
    char *path;
    char host[256];
    long long pause_rows;  /* test hook: pause inside a batch after this many rows */
    char *pause_file;      /* test hook: touched when pausing */
    long long rows_done;   /* rows inserted by this handle (for the hook) */
};

/* The schema of version 1 (docs/run-store.md explains each column). */
static const char *const schema_v1[] = {
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " status TEXT NOT NULL CHECK (status IN ('running','ok','failed')),"
    " started_at INTEGER NOT NULL,"
    " ended_at INTEGER,"
    " scenario_path TEXT,"
    " scenario_sha256 TEXT,"
    " scenario_text TEXT,"
    " params_json TEXT,"
    " chokepoint_version TEXT NOT NULL,"
    " data_files_json TEXT,"
    " summary_json TEXT,"
    " error TEXT,"
    " pid INTEGER,"
    " host TEXT,"
    " proc_start INTEGER,"
    " nrows INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE series ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " step INTEGER NOT NULL,"
    " date TEXT NOT NULL,"
    " region TEXT NOT NULL,"
    " sector TEXT NOT NULL,"
    " variable TEXT NOT NULL,"
    " value REAL,"
    " PRIMARY KEY (run_id, seq)) WITHOUT ROWID",
    "CREATE INDEX runs_status ON runs(status)",
    "PRAGMA user_version = 1",
    NULL};

/* ---------------------------------------------------------------- utils */

/* Fill err from the database's last error, prefixed with what we did. */
static int dberr(cp_store *s, cp_error *err, const char *what)
{
    int ec = sqlite3_extended_errcode(s->db);
    const char *hint = "";
    if ((ec & 0xff) == SQLITE_NOTADB)
        return cp_error_at(err, CP_EINPUT, s->path, 0, 0, "not a chokepoint run store (%s); "
                           "hint: choose another file with --store PATH or CHOKEPOINT_STORE",
                           sqlite3_errmsg(s->db));
    if ((ec & 0xff) == SQLITE_BUSY || (ec & 0xff) == SQLITE_LOCKED)
        hint = "; hint: another chokepoint process held the store too long — retry";
    else if ((ec & 0xff) == SQLITE_CORRUPT)
        hint = "; hint: the store is damaged: keep a copy, then `sqlite3 FILE .recover` or start "
               "a new store with --store";
    else if ((ec & 0xff) == SQLITE_READONLY || (ec & 0xff) == SQLITE_CANTOPEN)
        hint = "; hint: check the file's and its directory's permissions";
    else if ((ec & 0xff) == SQLITE_FULL)
        hint = "; hint: the disk is full";
    return cp_error_at(err, CP_EIO, s->path, 0, 0, "run store: %s: %s%s", what,
                       sqlite3_errmsg(s->db), hint);
}

/* Run one fixed SQL statement (no parameters, rows ignored). */
static int exec1(cp_store *s, const char *sql, cp_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return dberr(s, err, sql);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {}
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return dberr(s, err, sql);
    return 0;
}

/* Prepare sql, reporting failure through err. */
static int prep(cp_store *s, sqlite3_stmt **st, const char *sql, cp_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) return dberr(s, err, sql);
    return 0;
}

/* Bind a string or NULL. */
static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

/* Duplicate a text column (NULL stays NULL). */
static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

/* Read a whole file into a NUL-terminated heap buffer. */
static int slurp(const char *path, char **out, size_t *len, cp_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return cp_error_at(err, errno == ENOENT ? CP_EINPUT : CP_EIO, path, 0, 0,
                               "cannot open: %s", strerror(errno));
    size_t cap = 65536, n = 0, r;
    char *buf = malloc(cap);
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf) return cp_error_set(err, CP_ENOMEM, "out of memory reading %s", path);
    if (bad) { free(buf); return cp_error_at(err, CP_EIO, path, 0, 0, "read error"); }
    buf[n] = '\0';
    *out = buf;
    if (len) *len = n;
    return 0;
}

/* mkdir -p for the directory part of path (or path itself when whole). */
static int mkdirs(const char *path, int whole, cp_error *err)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return cp_error_set(err, CP_EINPUT, "path too long: %s", path);
    if (!whole) {
        char *slash = strrchr(buf, '/');
        if (!slash) return 0;
        *slash = '\0';
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return cp_error_at(err, CP_EIO, buf, 0, 0, "cannot create directory: %s",
                               strerror(errno));
        *p = '/';
    }
    if (buf[0] && mkdir(buf, 0777) != 0 && errno != EEXIST)
        return cp_error_at(err, CP_EIO, buf, 0, 0, "cannot create directory: %s", strerror(errno));
    return 0;
}

/* The start time of process pid in clock ticks since boot (field 22 of
 * /proc/PID/stat), or 0 when unknown; with the pid it names a process
 * uniquely, so a recycled pid is not mistaken for the writer. */
static long long proc_start_ticks(long long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%lld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');   /* the command name may hold spaces */
    if (!p) return 0;
    p++;
    for (int field = 3; field < 22 && p; field++) p = strchr(p + 1, ' ');
    return p ? strtoll(p + 1, NULL, 10) : 0;
}

/* Is the writer (pid, start ticks) of a run on this host still alive? */
static int writer_alive(long long pid, long long start)
{
    if (pid <= 0) return 0;
    if (kill((pid_t)pid, 0) != 0 && errno != EPERM) return 0;
    long long now = proc_start_ticks(pid);
    return !(start && now && now != start);
}

/* The status to show for a run: a 'running' run of a dead process on this
 * host is 'failed'.  Runs of other hosts cannot be checked. */
static const char *effective_status(const cp_store *s, const char *status, const char *host,
                                    long long pid, long long start)
{
    if (strcmp(status, "running") != 0) return status;
    if (host && strcmp(host, s->host) == 0 && !writer_alive(pid, start)) return "failed";
    return status;
}

/* ------------------------------------------------------------ open/close */

/* Resolve the default store path from the environment. */
int cp_store_default_path(char *buf, size_t cap, cp_error *err)
{
    const char *e = getenv("CHOKEPOINT_STORE");
    int n;
    if (e && *e) n = snprintf(buf, cap, "%s", e);
    else if ((e = getenv("XDG_DATA_HOME")) && *e)
        n = snprintf(buf, cap, "%s/chokepoint/runs.sqlite", e);
    else if ((e = getenv("HOME")) && *e)
        n = snprintf(buf, cap, "%s/.local/share/chokepoint/runs.sqlite", e);
    else
        return cp_error_set(err, CP_EUSAGE,
                            "no run store location: none of CHOKEPOINT_STORE, XDG_DATA_HOME, "
                            "HOME is set; hint: pass --store PATH");
    if (n < 0 || (size_t)n >= cap) return cp_error_set(err, CP_EINPUT, "store path too long");
    return 0;
}

/* Create the schema in an empty database, or check the version of an
 * existing one. */
static int ensure_schema(cp_store *s, int readonly, cp_error *err)
{
    sqlite3_stmt *st;
    if (prep(s, &st, "PRAGMA user_version", err)) return err->code;
    int rc = sqlite3_step(st);
    long long v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return dberr(s, err, "reading the schema version");
    if (v == SCHEMA_VERSION) return 0;
    if (v > SCHEMA_VERSION)
        return cp_error_at(err, CP_EINPUT, s->path, 0, 0,
                           "run store has schema version %lld, newer than this chokepoint "
                           "(%s) understands (%d); hint: upgrade chokepoint or use another "
                           "--store", v, CP_VERSION, SCHEMA_VERSION);
    if (readonly)
        return cp_error_at(err, CP_EINPUT, s->path, 0, 0,
                           "not a chokepoint run store (empty or foreign database)");
    if (exec1(s, "BEGIN IMMEDIATE", err)) return err->code;
    /* Re-check under the write lock: another process may have created it. */
    if (prep(s, &st, "SELECT (SELECT user_version FROM pragma_user_version),"
                     " (SELECT count(*) FROM sqlite_master)", err)) goto fail;
    rc = sqlite3_step(st);
    long long v2 = sqlite3_column_int64(st, 0), nobj = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) { dberr(s, err, "reading the schema"); goto fail; }
    if (v2 == 0 && nobj > 0) {
        cp_error_at(err, CP_EINPUT, s->path, 0, 0,
                    "not a chokepoint run store (a database with other tables); hint: "
                    "choose another file with --store or CHOKEPOINT_STORE");
        goto fail;
    }
    if (v2 == 0)
        for (size_t i = 0; schema_v1[i]; i++)
            if (exec1(s, schema_v1[i], err)) goto fail;
    return exec1(s, "COMMIT", err);
fail:;
    cp_error keep = *err;
    exec1(s, "ROLLBACK", NULL);
    *err = keep;
    return err->code;
}

/* Mark runs of dead writers on this host failed and drop their partial
 * series (one transaction). */
static int mark_stale(cp_store *s, cp_error *err)
{
    sqlite3_stmt *q, *up, *del;
    if (prep(s, &q, "SELECT id, pid, proc_start FROM runs WHERE status = 'running' AND host = ?",
             err)) return err->code;
    bind_text(q, 1, s->host);
    long long dead[256];
    size_t nd = 0;
    while (sqlite3_step(q) == SQLITE_ROW && nd < 256)
        if (!writer_alive(sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2)))
            dead[nd++] = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    if (!nd) return 0;
    if (exec1(s, "BEGIN IMMEDIATE", err)) return err->code;
    if (prep(s, &up, "UPDATE runs SET status = 'failed', nrows = 0, error = 'the process "
                     "recording this run (pid ' || pid || ' on ' || host || ') ended before "
                     "it finished (killed or crashed)' WHERE id = ? AND status = 'running'",
             err)) goto fail;
    if (prep(s, &del, "DELETE FROM series WHERE run_id = ?", err)) {
        sqlite3_finalize(up);
        goto fail;
    }
    int bad = 0;
    for (size_t i = 0; i < nd && !bad; i++) {
        sqlite3_bind_int64(up, 1, dead[i]);
        sqlite3_bind_int64(del, 1, dead[i]);
        bad = sqlite3_step(up) != SQLITE_DONE || sqlite3_step(del) != SQLITE_DONE;
        sqlite3_reset(up);
        sqlite3_reset(del);
    }
    sqlite3_finalize(up);
    sqlite3_finalize(del);
    if (bad) { dberr(s, err, "marking stale runs failed"); goto fail; }
    return exec1(s, "COMMIT", err);
fail:;
    cp_error keep = *err;
    exec1(s, "ROLLBACK", NULL);
    *err = keep;
    return err->code;
}

/* Switch the database to WAL.  Changing the journal mode needs an
 * exclusive lock, and SQLite answers SQLITE_BUSY at once (no busy handler)
 * when two processes create a store together, so retry here for up to the
 * busy timeout; a store already in WAL needs no lock. */
static int set_wal(cp_store *s, cp_error *err)
{
    for (int waited_ms = 0;; waited_ms += 20) {
        sqlite3_stmt *st;
        if (prep(s, &st, "PRAGMA journal_mode = WAL", err)) {
            if ((sqlite3_errcode(s->db) & 0xff) != SQLITE_BUSY || waited_ms >= BUSY_TIMEOUT_MS)
                return err->code;
        } else {
            int rc = sqlite3_step(st);
            int wal = rc == SQLITE_ROW &&
                      strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
            sqlite3_finalize(st);
            if (wal) return 0;
            if ((rc & 0xff) != SQLITE_BUSY && rc != SQLITE_ROW)
                return dberr(s, err, "switching to WAL");
            if (waited_ms >= BUSY_TIMEOUT_MS)
                return dberr(s, err, "switching to WAL (another process kept the store locked)");
        }
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* Open or create the store: file and directories, WAL, busy timeout,
 * foreign keys, schema; then sweep runs whose writer died. */
int cp_store_open(cp_store **out, const char *path, int flags, cp_error *err)
{
    char def[4096];
    *out = NULL;
    if (!path || !*path) {
        if (cp_store_default_path(def, sizeof def, err)) return err->code;
        path = def;
    }
    struct stat stt;
    int exists = stat(path, &stt) == 0;
    if (!exists && (flags & (CP_STORE_MUST_EXIST | CP_STORE_READONLY)))
        return cp_error_set(err, CP_EINPUT,
                            "no run store at %s; hint: runs are recorded by `chokepoint run` "
                            "and `chokepoint runs add DIR`; choose a store with --store PATH "
                            "or CHOKEPOINT_STORE", path);
    if (exists && S_ISDIR(stt.st_mode))
        return cp_error_set(err, CP_EINPUT, "%s: is a directory, not a run store file; hint: "
                            "give the file, e.g. %s/runs.sqlite", path, path);
    if (!exists && mkdirs(path, 0, err)) return err->code;

    cp_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return cp_error_set(err, CP_ENOMEM, "out of memory opening the run store");
    }
    if (gethostname(s->host, sizeof s->host - 1) != 0) snprintf(s->host, sizeof s->host, "?");
    const char *hook = getenv("CHOKEPOINT_STORE_TEST_PAUSE");
    if (hook && *hook) {
        char *colon;
        s->pause_rows = strtoll(hook, &colon, 10);
        if (*colon == ':') s->pause_file = strdup(colon + 1);
    }
    int oflags = (flags & CP_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        dberr(s, err, "cannot open");
        cp_store_close(s);
        return err->code;
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 1);
    int ro = (flags & CP_STORE_READONLY) != 0;
    if ((!ro && set_wal(s, err)) ||
        exec1(s, "PRAGMA foreign_keys = ON", err) ||
        (!ro && exec1(s, "PRAGMA synchronous = NORMAL", err)) ||
        ensure_schema(s, ro, err) || (!ro && mark_stale(s, err))) {
        cp_store_close(s);
        return err->code;
    }
    *out = s;
    return 0;
}

/* Close the database and free the handle (NULL is fine). */
void cp_store_close(cp_store *s)
{
    if (!s) return;
    sqlite3_close(s->db);
    free(s->path);
    free(s->pause_file);
    free(s);
}

/* The file the store lives in, for messages. */
const char *cp_store_path(const cp_store *s)
{
    return s->path;
}

/* ------------------------------------------------------------- writing */

/* Build the JSON list [{path, sha256, bytes}] of the data files; a
 * directory contributes each regular file directly inside it, by name. */
static int hash_data_files(const char *const *files, size_t n, char **out, cp_error *err)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n && arr; i++) {
        struct stat st;
        if (stat(files[i], &st) != 0) {
            json_decref(arr);
            return cp_error_at(err, CP_EINPUT, files[i], 0, 0, "data file to hash: %s",
                               strerror(errno));
        }
        struct dirent **names = NULL;
        int nn = 1;
        if (S_ISDIR(st.st_mode)) {
            nn = scandir(files[i], &names, NULL, alphasort);
            if (nn < 0) nn = 0;
        }
        for (int k = 0; k < nn; k++) {
            char path[4096], hex[65];
            if (names) {
                snprintf(path, sizeof path, "%s/%s", files[i], names[k]->d_name);
                free(names[k]);
                struct stat fs;
                if (stat(path, &fs) != 0 || !S_ISREG(fs.st_mode)) continue;
            } else
                snprintf(path, sizeof path, "%s", files[i]);
            struct stat fs;
            if (stat(path, &fs) != 0 || cp_store_sha256_file(path, hex, err)) {
                for (int j = k + 1; names && j < nn; j++) free(names[j]);
                free(names);
                json_decref(arr);
                return err->code ? err->code : CP_EIO;
            }
            json_array_append_new(arr, json_pack("{s:s,s:s,s:I}", "path", path, "sha256", hex,
                                                 "bytes", (json_int_t)fs.st_size));
        }
        free(names);
    }
    if (!arr) return cp_error_set(err, CP_ENOMEM, "out of memory");
    *out = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return *out ? 0 : cp_error_set(err, CP_ENOMEM, "out of memory");
}

/* Insert the run row with status 'running' and commit it. */
int cp_store_begin(cp_store *s, const cp_store_run_info *info, long long *id, cp_error *err)
{
    cp_error local_;
    if (!err) err = &local_;
    cp_store_run_info none = {0};
    if (!info) info = &none;
    char *text = NULL, *files = NULL;
    char hex[65];
    int rc = 0;
    if (info->scenario_text) text = strdup(info->scenario_text);
    else if (info->scenario_path && (rc = slurp(info->scenario_path, &text, NULL, err)))
        return rc;
    if (text) cp_store_sha256_hex(text, strlen(text), hex);
    if (info->ndata_files && (rc = hash_data_files(info->data_files, info->ndata_files,
                                                   &files, err))) {
        free(text);
        return rc;
    }
    if (info->params_json) {
        json_error_t je;
        json_t *p = json_loads(info->params_json, JSON_DECODE_ANY, &je);
        if (!p) {
            free(text);
            free(files);
            return cp_error_set(err, CP_EINPUT, "resolved parameters are not JSON (line %d, "
                                "column %d: %s)", je.line, je.column, je.text);
        }
        json_decref(p);
    }
    sqlite3_stmt *st;
    if (prep(s, &st, "INSERT INTO runs (status, started_at, scenario_path, scenario_sha256,"
                     " scenario_text, params_json, chokepoint_version, data_files_json, pid,"
                     " host, proc_start) VALUES ('running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             err)) {
        free(text);
        free(files);
        return err->code;
    }
    sqlite3_bind_int64(st, 1, info->started_at ? info->started_at : (long long)time(NULL));
    bind_text(st, 2, info->scenario_path);
    bind_text(st, 3, text ? hex : NULL);
    bind_text(st, 4, text);
    bind_text(st, 5, info->params_json);
    bind_text(st, 6, CP_VERSION);
    bind_text(st, 7, files);
    sqlite3_bind_int64(st, 8, (long long)getpid());
    bind_text(st, 9, s->host);
    sqlite3_bind_int64(st, 10, proc_start_ticks((long long)getpid()));
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    free(text);
    free(files);
    if (rc != SQLITE_DONE) return dberr(s, err, "recording a new run");
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

/* Test hook (CHOKEPOINT_STORE_TEST_PAUSE=N:FILE): after the N-th row this
 * handle inserts — inside an open transaction — touch FILE and sleep until
 * killed, so a test can SIGKILL a writer at a known point. */
static void maybe_pause(cp_store *s)
{
    if (!s->pause_rows || s->rows_done != s->pause_rows) return;
    if (s->pause_file) {
        FILE *f = fopen(s->pause_file, "w");
        if (f) fclose(f);
    }
    for (;;) pause();
}

/* Append rows to run id: one transaction for the whole call. */
int cp_store_add_series(cp_store *s, long long id, const cp_store_row *rows, size_t n,
                        cp_error *err)
{
    cp_error local_;
    if (!err) err = &local_;
    sqlite3_stmt *q, *ins, *up;
    if (exec1(s, "BEGIN IMMEDIATE", err)) return err->code;
    if (prep(s, &q, "SELECT status, nrows FROM runs WHERE id = ?", err)) goto fail;
    sqlite3_bind_int64(q, 1, id);
    long long seq = -1;
    if (sqlite3_step(q) == SQLITE_ROW &&
        strcmp((const char *)sqlite3_column_text(q, 0), "running") == 0)
        seq = sqlite3_column_int64(q, 1);
    sqlite3_finalize(q);
    if (seq < 0) {
        cp_error_set(err, CP_EUSAGE, "run %lld is not running in %s (finished, failed or "
                     "removed); series can only be added between begin and finish", id, s->path);
        goto fail;
    }
    if (prep(s, &ins, "INSERT INTO series (run_id, seq, step, date, region, sector, variable,"
                      " value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", err)) goto fail;
    for (size_t i = 0; i < n; i++) {
        const cp_store_row *r = &rows[i];
        sqlite3_bind_int64(ins, 1, id);
        sqlite3_bind_int64(ins, 2, seq + (long long)i);
        sqlite3_bind_int64(ins, 3, r->step);
        /* SQLITE_STATIC: the row's strings outlive the step (they are
         * rebound or the statement finalized before this call returns),
         * so SQLite need not copy them */
        sqlite3_bind_text(ins, 4, r->date ? r->date : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, r->region ? r->region : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 6, r->sector ? r->sector : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 7, r->variable ? r->variable : "", -1, SQLITE_STATIC);
        if (isnan(r->value)) sqlite3_bind_null(ins, 8);
        else sqlite3_bind_double(ins, 8, r->value);
        int rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (rc != SQLITE_DONE) {
            sqlite3_finalize(ins);
            dberr(s, err, "adding series rows");
            goto fail;
        }
        s->rows_done++;
        maybe_pause(s);
    }
    sqlite3_finalize(ins);
    if (prep(s, &up, "UPDATE runs SET nrows = nrows + ? WHERE id = ?", err)) goto fail;
    sqlite3_bind_int64(up, 1, (long long)n);
    sqlite3_bind_int64(up, 2, id);
    int rc = sqlite3_step(up);
    sqlite3_finalize(up);
    if (rc != SQLITE_DONE) { dberr(s, err, "counting series rows"); goto fail; }
    return exec1(s, "COMMIT", err);
fail:;
    cp_error keep = *err;
    exec1(s, "ROLLBACK", NULL);
    *err = keep;
    return err->code;
}

/* Commit the summary and status 'ok' (one statement, so one transaction). */
int cp_store_finish(cp_store *s, long long id, const char *summary_json, cp_error *err)
{
    cp_error local_;
    if (!err) err = &local_;
    if (summary_json) {
        json_error_t je;
        json_t *j = json_loads(summary_json, 0, &je);
        if (!j)
            return cp_error_set(err, CP_EINPUT, "summary.json:%d:%d: not valid JSON: %s",
                                je.line, je.column, je.text);
        json_decref(j);
    }
    sqlite3_stmt *st;
    if (prep(s, &st, "UPDATE runs SET status = 'ok', summary_json = ?, ended_at = ?"
                     " WHERE id = ? AND status = 'running'", err)) return err->code;
    bind_text(st, 1, summary_json);
    sqlite3_bind_int64(st, 2, (long long)time(NULL));
    sqlite3_bind_int64(st, 3, id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return dberr(s, err, "finishing a run");
    if (sqlite3_changes(s->db) != 1)
        return cp_error_set(err, CP_EUSAGE, "run %lld is not running in %s (finished, failed "
                            "or removed)", id, s->path);
    return 0;
}

/* Mark a run failed and drop its series, in one transaction. */
int cp_store_fail(cp_store *s, long long id, const char *why, cp_error *err)
{
    cp_error local_;
    if (!err) err = &local_;
    sqlite3_stmt *up, *del;
    if (exec1(s, "BEGIN IMMEDIATE", err)) return err->code;
    if (prep(s, &up, "UPDATE runs SET status = 'failed', error = ?, ended_at = ?, nrows = 0"
                     " WHERE id = ?", err)) goto fail;
    bind_text(up, 1, why ? why : "failed");
    sqlite3_bind_int64(up, 2, (long long)time(NULL));
    sqlite3_bind_int64(up, 3, id);
    int rc = sqlite3_step(up);
    sqlite3_finalize(up);
    if (rc != SQLITE_DONE) { dberr(s, err, "marking a run failed"); goto fail; }
    if (prep(s, &del, "DELETE FROM series WHERE run_id = ?", err)) goto fail;
    sqlite3_bind_int64(del, 1, id);
    rc = sqlite3_step(del);
    sqlite3_finalize(del);
    if (rc != SQLITE_DONE) { dberr(s, err, "dropping a failed run's series"); goto fail; }
    return exec1(s, "COMMIT", err);
fail:;
    cp_error keep = *err;
    exec1(s, "ROLLBACK", NULL);
    *err = keep;
    return err->code;
}

/* Batching state for record_dir: rows buffered and flushed every
 * BATCH_ROWS, with string copies kept alive until the flush. */
typedef struct batch {
    cp_store *s;
    long long id;
    cp_store_row rows[BATCH_ROWS];
    char *strs[BATCH_ROWS][4];
    size_t n;
} batch;

/* Write the buffered rows and free their strings. */
static int batch_flush(batch *b, cp_error *err)
{
    int rc = b->n ? cp_store_add_series(b->s, b->id, b->rows, b->n, err) : 0;
    for (size_t i = 0; i < b->n; i++)
        for (int k = 0; k < 4; k++) free(b->strs[i][k]);
    b->n = 0;
    return rc;
}

/* Free the buffered rows without writing them (after an error). */
static void batch_discard(batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        for (int k = 0; k < 4; k++) free(b->strs[i][k]);
    b->n = 0;
}

/* Row callback for record_dir: buffer a copy. */
static int batch_row(void *ctx, const cp_store_row *r)
{
    batch *b = ctx;
    char **sv = b->strs[b->n];
    sv[0] = strdup(r->date); sv[1] = strdup(r->region);
    sv[2] = strdup(r->sector); sv[3] = strdup(r->variable);
    if (!sv[0] || !sv[1] || !sv[2] || !sv[3]) {
        for (int k = 0; k < 4; k++) free(sv[k]);
        return CP_ENOMEM;
    }
    b->rows[b->n] = (cp_store_row){r->step, sv[0], sv[1], sv[2], sv[3], r->value};
    b->n++;
    return 0;
}

/* Context for reading timeseries.csv into a batch. */
typedef struct record_ctx {
    batch *b;
    cp_error *err;
} record_ctx;

/* Per-row callback: buffer, flushing full batches. */
static int record_row(void *ctx, const cp_store_row *r)
{
    record_ctx *c = ctx;
    int rc = batch_row(c->b, r);
    if (rc) return cp_error_set(c->err, rc, "out of memory buffering series rows");
    if (c->b->n == BATCH_ROWS) return batch_flush(c->b, c->err);
    return 0;
}

/* Convert scenario.resolved.yaml to compact JSON with libfyaml.  The
 * text is checked first (core/yaml_text.c): libfyaml 0.7.12 hangs or
 * crashes on some text (docs/fuzzing.md), and `runs add DIR` reads a
 * file anyone may have edited. */
static int yaml_to_json(const char *path, char **out, cp_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = slurp(path, &text, &len, err);
    if (rc) return rc;
    if ((rc = cp_yaml_text_check(path, text, len, err))) {
        free(text);
        return rc;
    }
    struct fy_document *fyd = fy_document_build_from_string(NULL, text, len);
    if (!fyd) {
        free(text);
        return cp_error_at(err, CP_EINPUT, path, 0, 0,
                           "cannot parse as YAML (the resolved scenario is stored as JSON)");
    }
    char *s = fy_emit_document_to_string(fyd, FYECF_MODE_JSON_ONELINE);
    fy_document_destroy(fyd);
    free(text);
    if (!s) return cp_error_at(err, CP_EINPUT, path, 0, 0, "cannot convert to JSON");
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = '\0';
    *out = s;
    return 0;
}

/* Ingest a finished output directory as one run: begin, series in
 * batches, finish; any failure after begin marks the run failed. */
int cp_store_record_dir(cp_store *s, const char *out_dir, const char *scenario_path,
                        const cp_store_run_info *info, long long *id, cp_error *err)
{
    char path[4096];
    char *summary = NULL, *params = NULL;
    cp_store_run_info ri = {0};
    if (info) ri = *info;
    if (scenario_path) ri.scenario_path = scenario_path;
    int rc;
    snprintf(path, sizeof path, "%s/summary.json", out_dir);
    if ((rc = slurp(path, &summary, NULL, err))) {
        if (rc == CP_EINPUT)
            cp_error_set(err, CP_EINPUT, "%s: no summary.json; hint: give the directory that "
                         "`chokepoint run SCENARIO --out DIR` wrote", out_dir);
        return rc;
    }
    json_error_t je;
    json_t *sj = json_loads(summary, 0, &je);
    if (!sj) {
        rc = cp_error_at(err, CP_EINPUT, path, je.line, je.column, "not valid JSON: %s", je.text);
        free(summary);
        return rc;
    }
    /* The table the run used, when named and present, is a data file. */
    const char *tpath = json_string_value(json_object_get(json_object_get(sj, "table"), "path"));
    struct stat st;
    if (!ri.ndata_files && tpath && stat(tpath, &st) == 0) {
        ri.data_files = &tpath;
        ri.ndata_files = 1;
    }
    snprintf(path, sizeof path, "%s/scenario.resolved.yaml", out_dir);
    if (!ri.params_json && stat(path, &st) == 0) {
        if ((rc = yaml_to_json(path, &params, err))) goto out;
        ri.params_json = params;
    }
    if ((rc = cp_store_begin(s, &ri, id, err))) goto out;
    batch *b = malloc(sizeof *b);
    if (!b) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory");
        cp_store_fail(s, *id, err->msg, NULL);
        goto out;
    }
    b->s = s; b->id = *id; b->n = 0;
    record_ctx rcx = {b, err};
    snprintf(path, sizeof path, "%s/timeseries.csv", out_dir);
    if (stat(path, &st) == 0) rc = cp_store_read_timeseries(path, record_row, &rcx, err);
    if (!rc) rc = batch_flush(b, err);
    else batch_discard(b);
    free(b);
    if (!rc) rc = cp_store_finish(s, *id, summary, err);
    if (rc) {
        cp_error keep = *err;
        cp_store_fail(s, *id, keep.msg, NULL);
        *err = keep;
    }
out:
    json_decref(sj);
    free(summary);
    free(params);
    return rc;
}

/* ------------------------------------------------------------- reading */

/* Resolve "ID", "last" or "last~N" to an existing run's id. */
int cp_store_resolve(cp_store *s, const char *arg, long long *id, cp_error *err)
{
    sqlite3_stmt *st;
    long long off = -1, want = 0;
    char *end;
    if (strcmp(arg, "last") == 0) off = 0;
    else if (strncmp(arg, "last~", 5) == 0) {
        off = strtoll(arg + 5, &end, 10);
        if (*end || off < 0 || end == arg + 5) off = -2;
    } else {
        want = strtoll(arg, &end, 10);
        if (*end || end == arg || want <= 0) off = -2;
    }
    if (off == -2)
        return cp_error_set(err, CP_EUSAGE, "'%s' is not a run id; hint: use a number from "
                            "`chokepoint runs list`, or last, or last~N", arg);
    if (off >= 0) {
        if (prep(s, &st, "SELECT id FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?", err))
            return err->code;
        sqlite3_bind_int64(st, 1, off);
    } else {
        if (prep(s, &st, "SELECT id FROM runs WHERE id = ?", err)) return err->code;
        sqlite3_bind_int64(st, 1, want);
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return 0;
    if (rc != SQLITE_DONE) return dberr(s, err, "looking up a run");
    return cp_error_set(err, CP_EINPUT, "no run %s in %s; hint: `chokepoint runs list` shows "
                        "the ids", arg, s->path);
}

/* Columns every read selects, in the order fill_run expects. */
#define RUN_COLS "id, status, started_at, ended_at, scenario_path, scenario_sha256," \
                 " chokepoint_version, data_files_json, summary_json, error, host, pid," \
                 " proc_start, nrows"

/* Fill r from a row of RUN_COLS (plus optional text/params after). */
static void fill_run(const cp_store *s, sqlite3_stmt *st, cp_store_run *r, int full)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    const char *status = (const char *)sqlite3_column_text(st, 1);
    r->started_at = sqlite3_column_int64(st, 2);
    r->ended_at = sqlite3_column_int64(st, 3);
    r->scenario_path = col_text(st, 4);
    r->scenario_sha256 = col_text(st, 5);
    r->version = col_text(st, 6);
    r->data_files_json = col_text(st, 7);
    r->summary_json = col_text(st, 8);
    r->error = col_text(st, 9);
    r->host = col_text(st, 10);
    r->pid = sqlite3_column_int64(st, 11);
    r->nrows = sqlite3_column_int64(st, 13);
    const char *eff = effective_status(s, status ? status : "failed", r->host, r->pid,
                                       sqlite3_column_int64(st, 12));
    snprintf(r->status, sizeof r->status, "%s", eff);
    if (strcmp(eff, status ? status : "") != 0 && !r->error) {
        char msg[512];
        snprintf(msg, sizeof msg, "the process recording this run (pid %lld on %s) ended "
                 "before it finished (killed or crashed)", r->pid, r->host ? r->host : "?");
        r->error = strdup(msg);
    }
    if (full) {
        r->scenario_text = col_text(st, 14);
        r->params_json = col_text(st, 15);
    }
}

/* Read one run with everything but its series. */
int cp_store_get(cp_store *s, long long id, cp_store_run *out, cp_error *err)
{
    sqlite3_stmt *st;
    if (prep(s, &st, "SELECT " RUN_COLS ", scenario_text, params_json FROM runs WHERE id = ?",
             err)) return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) fill_run(s, st, out, 1);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return 0;
    if (rc != SQLITE_DONE) return dberr(s, err, "reading a run");
    return cp_error_set(err, CP_EINPUT, "no run %lld in %s; hint: `chokepoint runs list` shows "
                        "the ids", id, s->path);
}

/* Read every run, oldest first (no scenario text or parameters). */
int cp_store_list(cp_store *s, cp_store_run **runs, size_t *n, cp_error *err)
{
    sqlite3_stmt *st;
    *runs = NULL;
    *n = 0;
    if (prep(s, &st, "SELECT " RUN_COLS " FROM runs ORDER BY id", err)) return err->code;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            cp_store_run *nr = realloc(*runs, cap * sizeof *nr);
            if (!nr) {
                sqlite3_finalize(st);
                cp_store_runs_free(*runs, *n);
                *runs = NULL; *n = 0;
                return cp_error_set(err, CP_ENOMEM, "out of memory listing runs");
            }
            *runs = nr;
        }
        fill_run(s, st, &(*runs)[(*n)++], 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cp_store_runs_free(*runs, *n);
        *runs = NULL; *n = 0;
        return dberr(s, err, "listing runs");
    }
    return 0;
}

/* Free the strings of one run record. */
void cp_store_run_clear(cp_store_run *r)
{
    if (!r) return;
    free(r->scenario_path); free(r->scenario_sha256); free(r->scenario_text);
    free(r->params_json); free(r->version); free(r->data_files_json);
    free(r->summary_json); free(r->error); free(r->host);
    memset(r, 0, sizeof *r);
}

/* Free a list from cp_store_list. */
void cp_store_runs_free(cp_store_run *runs, size_t n)
{
    for (size_t i = 0; i < n; i++) cp_store_run_clear(&runs[i]);
    free(runs);
}

/* Stream a run's series rows in recorded order. */
int cp_store_each_row(cp_store *s, long long id, cp_store_row_fn fn, void *ctx, cp_error *err)
{
    sqlite3_stmt *st;
    if (prep(s, &st, "SELECT step, date, region, sector, variable, value FROM series"
                     " WHERE run_id = ? ORDER BY seq", err)) return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc, urc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cp_store_row r;
        r.step = (long)sqlite3_column_int64(st, 0);
        r.date = (const char *)sqlite3_column_text(st, 1);
        r.region = (const char *)sqlite3_column_text(st, 2);
        r.sector = (const char *)sqlite3_column_text(st, 3);
        r.variable = (const char *)sqlite3_column_text(st, 4);
        r.value = sqlite3_column_type(st, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 5);
        if (!r.date) r.date = "";
        if (!r.region) r.region = "";
        if (!r.sector) r.sector = "";
        if (!r.variable) r.variable = "";
        if ((urc = fn(ctx, &r))) break;
    }
    sqlite3_finalize(st);
    if (urc) return urc;
    if (rc != SQLITE_DONE) return dberr(s, err, "reading series rows");
    return 0;
}

/* Delete a run; its series go with it (foreign key cascade). */
int cp_store_remove(cp_store *s, long long id, cp_error *err)
{
    sqlite3_stmt *st;
    if (prep(s, &st, "DELETE FROM runs WHERE id = ?", err)) return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return dberr(s, err, "removing a run");
    if (sqlite3_changes(s->db) != 1)
        return cp_error_set(err, CP_EINPUT, "no run %lld in %s; hint: `chokepoint runs list` "
                            "shows the ids", id, s->path);
    return 0;
}

/* ---------------------------------------------------- CSV in and out */

/* %.15g when that reads back to v exactly, else %.17g (which always
 * does): the rule the run writer (src/outputs/out_run.c) uses, so an
 * exported timeseries.csv is byte-identical to the one `run` wrote, and
 * values survive the store bit for bit. */
void cp_store_format_double(double v, char *buf, size_t cap)
{
    if (isnan(v)) { snprintf(buf, cap, "%s", ""); return; }
    cp_num_format(v, buf, cap);   /* %.15g if it reads back, else %.17g (core/numfmt.c) */
}

/* Write one CSV field, quoting it (RFC 4180) only when it needs quotes. */
static void csv_field(FILE *f, const char *v)
{
    if (!strpbrk(v, ",\"\r\n")) { fputs(v, f); return; }
    fputc('"', f);
    for (; *v; v++) {
        if (*v == '"') fputc('"', f);
        fputc(*v, f);
    }
    fputc('"', f);
}

/* Row callback for export: one CSV line. */
static int export_row(void *ctx, const cp_store_row *r)
{
    FILE *f = ctx;
    char num[40];
    fprintf(f, "%ld,", r->step);
    csv_field(f, r->date); fputc(',', f);
    csv_field(f, r->region); fputc(',', f);
    csv_field(f, r->sector); fputc(',', f);
    csv_field(f, r->variable); fputc(',', f);
    cp_store_format_double(r->value, num, sizeof num);
    fputs(num, f);
    fputc('\n', f);
    return ferror(f) ? CP_EIO : 0;
}

/* Write text to dir/name through a temporary file and rename, so a
 * reader never sees half a file. */
static int write_atomic(const char *dir, const char *name, const char *text, cp_error *err)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp%ld", dir, name, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) return cp_error_at(err, CP_EIO, tmp, 0, 0, "cannot write: %s", strerror(errno));
    size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return cp_error_at(err, CP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    }
    return 0;
}

/* Recreate a run's output directory: summary.json (verbatim),
 * timeseries.csv, and scenario.yaml when its text was kept. */
int cp_store_export(cp_store *s, long long id, const char *dir, cp_error *err)
{
    cp_store_run r;
    int rc = cp_store_get(s, id, &r, err);
    if (rc) return rc;
    if (strcmp(r.status, "ok") != 0) {
        rc = cp_error_set(err, CP_EINPUT, "run %lld is %s, not ok: nothing complete to export; "
                          "hint: `chokepoint runs show %lld` says why", id, r.status, id);
        cp_store_run_clear(&r);
        return rc;
    }
    if ((rc = mkdirs(dir, 1, err))) goto out;
    if (r.summary_json && (rc = write_atomic(dir, "summary.json", r.summary_json, err))) goto out;
    if (r.scenario_text && (rc = write_atomic(dir, "scenario.yaml", r.scenario_text, err)))
        goto out;
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/timeseries.csv", dir);
    snprintf(tmp, sizeof tmp, "%s/.timeseries.csv.tmp%ld", dir, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) { rc = cp_error_at(err, CP_EIO, tmp, 0, 0, "cannot write: %s", strerror(errno)); goto out; }
    fputs("step,date,region,sector,variable,value\n", f);
    rc = cp_store_each_row(s, id, export_row, f, err);
    if (rc == CP_EIO && !err->msg[0]) cp_error_at(err, CP_EIO, tmp, 0, 0, "write error");
    if (fclose(f) != 0 && !rc) rc = cp_error_at(err, CP_EIO, tmp, 0, 0, "write error");
    if (!rc && rename(tmp, path) != 0)
        rc = cp_error_at(err, CP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    if (rc) remove(tmp);
out:
    cp_store_run_clear(&r);
    return rc;
}

/* Parse timeseries.csv (docs/outputs.md) and call fn for each row;
 * errors name file:line:col. */
int cp_store_read_timeseries(const char *path, cp_store_row_fn fn, void *ctx, cp_error *err)
{
    static const char *const want[6] = {"step", "date", "region", "sector", "variable", "value"};
    cp_csv csv;
    cp_csv_opts o = cp_csv_opts_default();
    o.delim = ',';
    int rc = cp_csv_read(&csv, path, &o, err);
    if (rc) return rc;
    if (csv.nrows == 0 || cp_csv_ncols(&csv, 0) != 6) {
        rc = cp_error_at(err, CP_EINPUT, path, 1, 0, "expected the header "
                         "step,date,region,sector,variable,value (docs/outputs.md)");
        goto out;
    }
    for (size_t c = 0; c < 6; c++)
        if (strcmp(cp_csv_get(&csv, 0, c), want[c]) != 0) {
            rc = cp_error_at(err, CP_EINPUT, path, 1, 0, "column %zu is '%s', expected '%s' "
                             "(header step,date,region,sector,variable,value)", c + 1,
                             cp_csv_get(&csv, 0, c), want[c]);
            goto out;
        }
    for (size_t i = 1; i < csv.nrows && !rc; i++) {
        if ((rc = cp_csv_expect_cols(&csv, i, 6, err))) break;
        double step, v = NAN;
        if ((rc = cp_csv_number(&csv, i, 0, 0, &step, err))) break;
        if (step != floor(step) || fabs(step) > 1e15) {
            rc = cp_error_at(err, CP_EINPUT, path, csv.line[csv.row_off[i]], 1,
                             "step '%s' is not a whole number", cp_csv_get(&csv, i, 0));
            break;
        }
        if (*cp_csv_get(&csv, i, 5) && (rc = cp_csv_number(&csv, i, 5, 0, &v, err))) break;
        cp_store_row r = {(long)step, cp_csv_get(&csv, i, 1), cp_csv_get(&csv, i, 2),
                          cp_csv_get(&csv, i, 3), cp_csv_get(&csv, i, 4), v};
        rc = fn(ctx, &r);
    }
out:
    cp_csv_free(&csv);
    return rc;
}
