/*
 * test_store.c — the run store and the HTML report.
 *
 * SHA-256 against the FIPS 180-2 example vectors; a store round trip (an
 * output directory made here, recorded, exported, compared byte for byte);
 * two processes writing at once; a writer SIGKILLed in the middle of its
 * series (the store must pass integrity_check and hold the run whole or
 * marked failed); the default-path rules; every error message; and the
 * report's condensed data checked against sums computed here.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A fresh temporary directory (path written into buf). */
static const char *tmpdir(char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/cp-test-store-XXXXXX", test_tmp());
    assert_non_null(mkdtemp(buf));
    return buf;
}

/* Write text to dir/name. */
static void put(const char *dir, const char *name, const char *text)
{
    char p[4096];
    write_file(p, sizeof p, dir, name, text);
}

/* Read dir/name into a heap string (NULL when missing). */
static char *get(const char *dir, const char *name)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    return b;
}

/* The value of row k of the synthetic series: a mix of awkward doubles
 * (thirds, tiny and huge magnitudes, negative), reproducible by index. */
static double synth_value(long k)
{
    switch (k % 6) {
    case 0: return (double)k / 3.0;
    case 1: return 0.1 * (double)k;
    case 2: return 1e-300 * (double)(k + 1);
    case 3: return -123456789.123456789 / (double)(k + 1);
    case 4: return 6.02214076e23 * (double)k;
    default: return (double)k;
    }
}

/* Make an output directory with nsteps x 3 industries x 2 variables rows
 * (plus one empty value and one quoted label) and a summary.json. */
static void make_run_dir(const char *dir, long nsteps)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/timeseries.csv", dir);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs("step,date,region,sector,variable,value\n", f);
    static const char *const sec[3] = {"A01", "C26", "\"motors, electric\""};
    static const char *const var[2] = {"production_realised", "value_added"};
    long k = 0;
    for (long t = 0; t < nsteps; t++)
        for (int v = 0; v < 2; v++)
            for (int s = 0; s < 3; s++) {
                char num[40];
                cp_store_format_double(synth_value(k++), num, sizeof num);
                fprintf(f, "%ld,2025-%02ld-%02ld,JPN,%s,%s,%s\n", t, 1 + t / 28 % 12, 1 + t % 28,
                        sec[s], var[v], t == 1 && v == 1 && s == 0 ? "" : num);
            }
    fclose(f);
    put(dir, "summary.json",
        "{\n  \"schema\": \"chokepoint-run\",\n  \"schema_version\": 1,\n"
        "  \"production_loss\": 1.5e-3,\n  \"table\": {\"name\": \"t\", \"unit\": \"bn JPY\"}\n}\n");
}

/* Count rows of a SQL query with one integer result. */
static long long sql_int(const char *db, const char *sql)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 10000);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

/* PRAGMA integrity_check says "ok". */
static void assert_integrity(const char *db)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(h);
}

/* FIPS 180-2 Appendix B vectors, the empty string, and byte-wise feeding. */
static void test_sha256_fips(void **state)
{
    (void)state;
    char hex[65];
    cp_store_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    cp_store_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *b2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    cp_store_sha256_hex(b2, strlen(b2), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    cp_sha256 s;
    cp_store_sha256_init(&s);
    char a[1000];
    memset(a, 'a', sizeof a);
    for (int i = 0; i < 1000; i++) cp_store_sha256_update(&s, a, sizeof a);
    cp_store_sha256_final(&s, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* Feeding one byte at a time crosses every block boundary case. */
    cp_store_sha256_init(&s);
    for (size_t i = 0; i < strlen(b2); i++) cp_store_sha256_update(&s, b2 + i, 1);
    cp_store_sha256_final(&s, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* 55, 56 and 64 bytes: padding in one block or spilling into a second
     * (values from coreutils sha256sum). */
    cp_store_sha256_hex(a, 55, hex);
    assert_string_equal(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    cp_store_sha256_hex(a, 56, hex);
    assert_string_equal(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    cp_store_sha256_hex(a, 64, hex);
    assert_string_equal(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
    /* The file digest equals the buffer digest. */
    char d[256];
    tmpdir(d, sizeof d);
    put(d, "f", "abc");
    char p[512];
    snprintf(p, sizeof p, "%s/f", d);
    cp_error err;
    assert_ok(cp_store_sha256_file(p, hex, &err), &err);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* %.15g-else-%.17g formatting reads back bit for bit. */
static void test_format_double(void **state)
{
    (void)state;
    char b[40];
    cp_store_format_double(0.1, b, sizeof b);
    assert_string_equal(b, "0.1");
    cp_store_format_double(1.0 / 3.0, b, sizeof b);
    assert_string_equal(b, "0.33333333333333331");   /* %.15g does not read back */
    cp_store_format_double(12.0, b, sizeof b);
    assert_string_equal(b, "12");
    for (long k = 0; k < 5000; k++) {
        double v = synth_value(k);
        cp_store_format_double(v, b, sizeof b);
        assert_true(strtod(b, NULL) == v);
    }
}

/* Record an output directory, export it, compare byte for byte; the
 * stored values equal the written doubles exactly. */
static void test_round_trip(void **state)
{
    (void)state;
    char d[256], run[512], exp[512], db[512];
    tmpdir(d, sizeof d);
    snprintf(run, sizeof run, "%s/run", d);
    snprintf(exp, sizeof exp, "%s/export/deeper", d);
    snprintf(db, sizeof db, "%s/store/sub/runs.sqlite", d);
    mkdir(run, 0777);
    make_run_dir(run, 50);
    put(run, "scenario.resolved.yaml", "table: japan-2015-37\nario:\n  psi_param: 0.8\n");
    put(d, "scenario.yaml", "extends: base.yaml\nsteps: 50\n");
    char scen[512];
    snprintf(scen, sizeof scen, "%s/scenario.yaml", d);

    cp_error err;
    cp_store *s;
    assert_ok(cp_store_open(&s, db, 0, &err), &err);
    long long id;
    assert_ok(cp_store_record_dir(s, run, scen, NULL, &id, &err), &err);
    assert_int_equal(id, 1);
    assert_ok(cp_store_export(s, id, exp, &err), &err);

    char *a = get(run, "timeseries.csv"), *b = get(exp, "timeseries.csv");
    assert_non_null(b);
    assert_string_equal(a, b);
    free(a); free(b);
    a = get(run, "summary.json"); b = get(exp, "summary.json");
    assert_string_equal(a, b);
    free(a); free(b);
    a = get(d, "scenario.yaml"); b = get(exp, "scenario.yaml");
    assert_string_equal(a, b);

    cp_store_run r;
    assert_ok(cp_store_get(s, id, &r, &err), &err);
    assert_string_equal(r.status, "ok");
    assert_int_equal(r.nrows, 50 * 6);
    char hex[65];
    cp_store_sha256_hex(a, strlen(a), hex);
    assert_string_equal(r.scenario_sha256, hex);
    assert_string_equal(r.version, CP_VERSION);
    assert_string_equal(r.params_json,
                        "{\"table\": \"japan-2015-37\", \"ario\": {\"psi_param\": 0.8}}");
    assert_true(r.ended_at >= r.started_at && r.started_at > 0);
    assert_int_equal(r.pid, (long long)getpid());
    cp_store_run_clear(&r);
    free(a); free(b);
    cp_store_close(s);
    assert_integrity(db);
}

/* Context for checking streamed rows against synth_value. */
typedef struct row_check {
    long k;
    int bad;
} row_check;

/* Each row equals the k-th synthetic value bit for bit (NaN for the one
 * empty cell). */
static int check_row(void *ctx, const cp_store_row *r)
{
    row_check *c = ctx;
    double want = synth_value(c->k);
    int empty = r->step == 1 && strcmp(r->variable, "value_added") == 0 &&
                strcmp(r->sector, "A01") == 0;
    if (empty ? !isnan(r->value) : memcmp(&want, &r->value, sizeof want) != 0) c->bad++;
    if (c->k % 3 == 2 && strcmp(r->sector, "motors, electric") != 0) c->bad++;
    c->k++;
    return 0;
}

/* The begin/add/finish API; values bit for bit; ids, last, remove. */
static void test_api(void **state)
{
    (void)state;
    char d[256], run[512], db[512];
    tmpdir(d, sizeof d);
    snprintf(run, sizeof run, "%s/run", d);
    snprintf(db, sizeof db, "%s/runs.sqlite", d);
    mkdir(run, 0777);
    make_run_dir(run, 20);
    cp_error err;
    cp_store *s;
    assert_ok(cp_store_open(&s, db, 0, &err), &err);
    long long id1, id2, id;
    assert_ok(cp_store_record_dir(s, run, NULL, NULL, &id1, &err), &err);
    row_check rc = {0, 0};
    assert_ok(cp_store_each_row(s, id1, check_row, &rc, &err), &err);
    assert_int_equal(rc.k, 120);
    assert_int_equal(rc.bad, 0);

    cp_store_run_info info = {.scenario_text = "steps: 2\n", .params_json = "{\"steps\": 2}"};
    assert_ok(cp_store_begin(s, &info, &id2, &err), &err);
    cp_store_run r;
    assert_ok(cp_store_get(s, id2, &r, &err), &err);
    assert_string_equal(r.status, "running");   /* our own process: alive */
    cp_store_run_clear(&r);
    /* Another open (which sweeps dead writers) leaves a live writer alone. */
    cp_store *s2;
    assert_ok(cp_store_open(&s2, db, 0, &err), &err);
    assert_ok(cp_store_get(s2, id2, &r, &err), &err);
    assert_string_equal(r.status, "running");
    cp_store_run_clear(&r);
    cp_store_close(s2);
    cp_store_row rows[2] = {{0, "", "JPN", "A", "x", 1.0}, {1, "", "JPN", "A", "x", 2.0}};
    assert_ok(cp_store_add_series(s, id2, rows, 2, &err), &err);
    assert_ok(cp_store_add_series(s, id2, rows, 1, &err), &err);
    assert_ok(cp_store_finish(s, id2, "{\"steps\": 2}", &err), &err);
    assert_ok(cp_store_get(s, id2, &r, &err), &err);
    assert_string_equal(r.status, "ok");
    assert_int_equal(r.nrows, 3);
    cp_store_run_clear(&r);
    /* Finished runs take no more rows and cannot finish twice. */
    assert_int_equal(cp_store_add_series(s, id2, rows, 1, &err), CP_EUSAGE);
    assert_msg_has(&err, "is not running");
    assert_int_equal(cp_store_finish(s, id2, "{}", &err), CP_EUSAGE);
    /* Invalid summary JSON is refused with its position. */
    long long id3;
    assert_ok(cp_store_begin(s, NULL, &id3, &err), &err);
    assert_int_equal(cp_store_finish(s, id3, "{\"a\": }", &err), CP_EINPUT);
    assert_msg_has(&err, "summary.json:1:");
    assert_ok(cp_store_fail(s, id3, "model diverged", &err), &err);
    assert_ok(cp_store_get(s, id3, &r, &err), &err);
    assert_string_equal(r.status, "failed");
    assert_string_equal(r.error, "model diverged");
    cp_store_run_clear(&r);

    cp_store_run *list;
    size_t n;
    assert_ok(cp_store_list(s, &list, &n, &err), &err);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, id1);
    assert_int_equal(list[2].id, id3);
    cp_store_runs_free(list, n);

    assert_ok(cp_store_resolve(s, "last", &id, &err), &err);
    assert_int_equal(id, id3);
    assert_ok(cp_store_resolve(s, "last~2", &id, &err), &err);
    assert_int_equal(id, id1);
    assert_int_equal(cp_store_resolve(s, "99", &id, &err), CP_EINPUT);
    assert_msg_has(&err, "no run 99 in ");
    assert_msg_has(&err, "hint: `chokepoint runs list` shows the ids");
    assert_int_equal(cp_store_resolve(s, "abc", &id, &err), CP_EUSAGE);
    assert_msg_has(&err, "'abc' is not a run id");

    assert_ok(cp_store_remove(s, id1, &err), &err);
    assert_int_equal(cp_store_remove(s, id1, &err), CP_EINPUT);
    cp_store_close(s);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM series WHERE run_id = 1"), 0);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), 1);
    assert_integrity(db);
}

/* Each child records `runs` runs of 3000 rows; the parent checks all. */
static void test_concurrent_writers(void **state)
{
    (void)state;
    char d[256], run[512], db[512];
    tmpdir(d, sizeof d);
    snprintf(run, sizeof run, "%s/run", d);
    snprintf(db, sizeof db, "%s/runs.sqlite", d);
    mkdir(run, 0777);
    make_run_dir(run, 500);   /* 3000 rows: two batches per run */
    enum { NPROC = 3, RUNS = 4 };
    pid_t kids[NPROC];
    for (int p = 0; p < NPROC; p++) {
        kids[p] = fork();
        assert_true(kids[p] >= 0);
        if (kids[p] == 0) {
            cp_error err;
            cp_store *s;
            if (cp_store_open(&s, db, 0, &err)) { fprintf(stderr, "%s\n", err.msg); _exit(3); }
            for (int k = 0; k < RUNS; k++) {
                long long id;
                if (cp_store_record_dir(s, run, NULL, NULL, &id, &err)) {
                    fprintf(stderr, "child %d: %s\n", p, err.msg);
                    _exit(4);
                }
            }
            cp_store_close(s);
            _exit(0);
        }
    }
    for (int p = 0; p < NPROC; p++) {
        int st;
        assert_int_equal(waitpid(kids[p], &st, 0), kids[p]);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
    }
    assert_integrity(db);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM runs WHERE status = 'ok'"), NPROC * RUNS);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM series"), NPROC * RUNS * 3000);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM runs r WHERE nrows !="
                                 " (SELECT count(*) FROM series WHERE run_id = r.id)"), 0);
    assert_int_equal(sql_int(db, "SELECT count(DISTINCT pid) FROM runs"), NPROC);
}

/* A writer killed inside its series: the store stays consistent, the
 * earlier finished run is whole, the killed run reads failed (even from a
 * read-only open) and is marked failed with no rows by the next open. */
static void test_sigkill_mid_run(void **state)
{
    (void)state;
    char d[256], run[512], db[512], flag[512];
    tmpdir(d, sizeof d);
    snprintf(run, sizeof run, "%s/run", d);
    snprintf(db, sizeof db, "%s/runs.sqlite", d);
    snprintf(flag, sizeof flag, "%s/paused", d);
    mkdir(run, 0777);
    make_run_dir(run, 1000);  /* 6000 rows: batches of 2000 */
    pid_t kid = fork();
    assert_true(kid >= 0);
    if (kid == 0) {
        cp_error err;
        cp_store *s;
        long long id;
        /* First run whole; then pause inside the second batch of the second
         * run (rows 6000 + 3000): one batch committed, one half-written. */
        char hook[600];
        snprintf(hook, sizeof hook, "9000:%s", flag);
        setenv("CHOKEPOINT_STORE_TEST_PAUSE", hook, 1);
        if (cp_store_open(&s, db, 0, &err)) _exit(3);
        if (cp_store_record_dir(s, run, NULL, NULL, &id, &err)) _exit(4);
        cp_store_record_dir(s, run, NULL, NULL, &id, &err);
        _exit(5);   /* not reached: the hook pauses until killed */
    }
    struct stat st;
    for (int i = 0; i < 600 && stat(flag, &st) != 0; i++) {
        int ws;
        assert_int_equal(waitpid(kid, &ws, WNOHANG), 0);   /* child must not exit early */
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(stat(flag, &st), 0);
    assert_int_equal(kill(kid, SIGKILL), 0);
    int ws;
    assert_int_equal(waitpid(kid, &ws, 0), kid);
    assert_true(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);

    /* Read-only view: nothing is changed, but the dead writer shows. */
    cp_error err;
    cp_store *s;
    assert_ok(cp_store_open(&s, db, CP_STORE_READONLY, &err), &err);
    cp_store_run r;
    assert_ok(cp_store_get(s, 2, &r, &err), &err);
    assert_string_equal(r.status, "failed");
    assert_non_null(strstr(r.error, "ended before it finished"));
    assert_int_equal(r.nrows, 2000);   /* the committed first batch only */
    cp_store_run_clear(&r);
    cp_store_close(s);

    /* A writable open marks it failed and drops the partial rows. */
    assert_ok(cp_store_open(&s, db, 0, &err), &err);
    cp_store_close(s);
    assert_integrity(db);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM runs"), 2);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM runs WHERE id = 1 AND status = 'ok'"
                                 " AND nrows = 6000"), 1);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM series WHERE run_id = 1"), 6000);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM runs WHERE id = 2 AND status = 'failed'"
                                 " AND nrows = 0"), 1);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM series WHERE run_id = 2"), 0);
}

/* $CHOKEPOINT_STORE, then $XDG_DATA_HOME, then $HOME; directories made. */
static void test_default_path(void **state)
{
    (void)state;
    char d[256], buf[1024], want[1024];
    tmpdir(d, sizeof d);
    char *old_store = getenv("CHOKEPOINT_STORE") ? strdup(getenv("CHOKEPOINT_STORE")) : NULL;
    char *old_xdg = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    cp_error err;
    unsetenv("CHOKEPOINT_STORE");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", d, 1);
    assert_ok(cp_store_default_path(buf, sizeof buf, &err), &err);
    snprintf(want, sizeof want, "%s/.local/share/chokepoint/runs.sqlite", d);
    assert_string_equal(buf, want);
    cp_store *s;
    assert_ok(cp_store_open(&s, NULL, 0, &err), &err);
    assert_string_equal(cp_store_path(s), want);
    cp_store_close(s);
    struct stat st;
    assert_int_equal(stat(want, &st), 0);
    setenv("XDG_DATA_HOME", "/xdg", 1);
    assert_ok(cp_store_default_path(buf, sizeof buf, &err), &err);
    assert_string_equal(buf, "/xdg/chokepoint/runs.sqlite");
    setenv("CHOKEPOINT_STORE", "/elsewhere/r.sqlite", 1);
    assert_ok(cp_store_default_path(buf, sizeof buf, &err), &err);
    assert_string_equal(buf, "/elsewhere/r.sqlite");
    unsetenv("CHOKEPOINT_STORE");
    unsetenv("XDG_DATA_HOME");
    unsetenv("HOME");
    assert_int_equal(cp_store_default_path(buf, sizeof buf, &err), CP_EUSAGE);
    assert_msg_has(&err, "pass --store PATH");
    if (old_store) setenv("CHOKEPOINT_STORE", old_store, 1);
    if (old_xdg) setenv("XDG_DATA_HOME", old_xdg, 1);
    if (old_home) setenv("HOME", old_home, 1);
    free(old_store); free(old_xdg); free(old_home);
}

/* Missing store, a text file, a foreign database, a directory, a bad
 * timeseries header, a missing summary: exact messages. */
static void test_errors(void **state)
{
    (void)state;
    char d[256], p[512];
    tmpdir(d, sizeof d);
    cp_error err;
    cp_store *s;
    snprintf(p, sizeof p, "%s/none.sqlite", d);
    assert_int_equal(cp_store_open(&s, p, CP_STORE_MUST_EXIST, &err), CP_EINPUT);
    assert_msg_has(&err, "no run store at ");
    assert_msg_has(&err, "choose a store with --store PATH or CHOKEPOINT_STORE");
    assert_int_equal(cp_store_open(&s, d, 0, &err), CP_EINPUT);
    assert_msg_has(&err, "is a directory, not a run store file");

    put(d, "text.sqlite", "this is not a database, just some text that is long enough.\n");
    snprintf(p, sizeof p, "%s/text.sqlite", d);
    assert_int_equal(cp_store_open(&s, p, 0, &err), CP_EINPUT);
    assert_msg_has(&err, "text.sqlite: not a chokepoint run store (file is not a database); "
                         "hint: choose another file with --store PATH or CHOKEPOINT_STORE");

    snprintf(p, sizeof p, "%s/foreign.sqlite", d);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(p, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(cp_store_open(&s, p, 0, &err), CP_EINPUT);
    assert_msg_has(&err, "not a chokepoint run store (a database with other tables)");

    snprintf(p, sizeof p, "%s/future.sqlite", d);
    assert_int_equal(sqlite3_open(p, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 7", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(cp_store_open(&s, p, 0, &err), CP_EINPUT);
    assert_msg_has(&err, "run store has schema version 7, newer than this chokepoint");

    snprintf(p, sizeof p, "%s/ok.sqlite", d);
    assert_ok(cp_store_open(&s, p, 0, &err), &err);
    char run[512];
    snprintf(run, sizeof run, "%s/run", d);
    mkdir(run, 0777);
    long long id;
    assert_int_equal(cp_store_record_dir(s, run, NULL, NULL, &id, &err), CP_EINPUT);
    assert_msg_has(&err, "/run: no summary.json; hint:");
    put(run, "summary.json", "{\"production_loss\": 1}\n");
    put(run, "timeseries.csv", "step,date,region,sector,variable,amount\n0,,J,A,x,1\n");
    assert_int_equal(cp_store_record_dir(s, run, NULL, NULL, &id, &err), CP_EINPUT);
    assert_msg_has(&err, "timeseries.csv:1: column 6 is 'amount', expected 'value'");
    /* The failed ingest is recorded as a failed run, not left running. */
    cp_store_run r;
    assert_ok(cp_store_get(s, id, &r, &err), &err);
    assert_string_equal(r.status, "failed");
    cp_store_run_clear(&r);
    put(run, "timeseries.csv", "step,date,region,sector,variable,value\n0,,J,A,x,1\n0.5,,J,A,x,2\n");
    assert_int_equal(cp_store_record_dir(s, run, NULL, NULL, &id, &err), CP_EINPUT);
    assert_msg_has(&err, "timeseries.csv:3:1: step '0.5' is not a whole number");
    put(run, "timeseries.csv", "step,date,region,sector,variable,value\n0,,J,A,x,abc\n");
    assert_int_equal(cp_store_record_dir(s, run, NULL, NULL, &id, &err), CP_EINPUT);
    assert_msg_has(&err, "timeseries.csv:2:");
    assert_int_equal(cp_store_export(s, id, d, &err), CP_EINPUT);
    assert_msg_has(&err, "is failed, not ok: nothing complete to export");
    cp_store_close(s);
}

/* Pull the JSON data block out of a report. */
static json_t *report_data(const char *html)
{
    const char *a = strstr(html, "id=\"cp-data\">");
    assert_non_null(a);
    a += strlen("id=\"cp-data\">");
    const char *b = strstr(a, "</script>");
    assert_non_null(b);
    json_error_t je;
    json_t *j = json_loadb(a, (size_t)(b - a), 0, &je);
    if (!j) print_error("data block: %s\n", je.text);
    assert_non_null(j);
    return j;
}

/* The report condenses the series into totals, availability lines, fans
 * and per-industry losses equal to sums computed here; hostile labels
 * cannot close the script element. */
static void test_report(void **state)
{
    (void)state;
    char d[256], out[512];
    tmpdir(d, sizeof d);
    /* Two industries over 4 steps: x = 10, 10, 7, 9 and 5, 4, 4, 5. */
    put(d, "timeseries.csv",
        "step,date,region,sector,variable,value\n"
        "0,2025-01-01,JPN,A,production_realised,10\n0,2025-01-01,JPN,</script><b>,production_realised,5\n"
        "1,2025-01-02,JPN,A,production_realised,10\n1,2025-01-02,JPN,</script><b>,production_realised,4\n"
        "2,2025-01-03,JPN,A,production_realised,7\n2,2025-01-03,JPN,</script><b>,production_realised,4\n"
        "3,2025-01-04,JPN,A,production_realised,9\n3,2025-01-04,JPN,</script><b>,production_realised,5\n"
        "0,2025-01-01,CHN,Dy,material_availability,1\n1,2025-01-02,CHN,Dy,material_availability,0.5\n"
        "2,2025-01-03,CHN,Dy,material_availability,0.5\n3,2025-01-04,CHN,Dy,material_availability,0.75\n"
        "0,2025-01-01,JPN,,production_realised_p05,15\n0,2025-01-01,JPN,,production_realised_p95,15\n"
        "3,2025-01-04,JPN,,production_realised_p05,12\n3,2025-01-04,JPN,,production_realised_p95,14.5\n"
        "0,2025-01-01,JPN,A,limiting_input,3\n");
    put(d, "summary.json", "{\"scenario\": \"s\", \"title\": \"T </script>\", \"steps\": 4}\n");
    snprintf(out, sizeof out, "%s/r.html", d);
    cp_error err;
    assert_ok(cp_report_from_dir(d, out, NULL, &err), &err);
    char *html = get(d, "r.html");
    assert_non_null(strstr(html, "<!doctype html>"));
    assert_non_null(strstr(html, "Chart.js v4"));
    /* Exactly the template's three script elements close. */
    int n = 0;
    for (const char *p = html; (p = strstr(p, "</script>")); p++) n++;
    assert_int_equal(n, 3);
    assert_non_null(strstr(html, "<title>T &lt;/script&gt; — chokepoint report</title>"));
    json_t *j = report_data(html);
    json_t *tot = json_object_get(json_object_get(j, "totals"), "production_realised");
    assert_int_equal(json_array_size(tot), 4);
    assert_close(json_number_value(json_array_get(tot, 2)), 11.0, 1e-15);
    assert_null(json_object_get(json_object_get(j, "totals"), "limiting_input"));
    assert_int_equal(json_array_size(json_object_get(j, "dates")), 4);
    json_t *av = json_array_get(json_object_get(j, "availability"), 0);
    assert_string_equal(json_string_value(json_object_get(av, "sector")), "Dy");
    assert_close(json_number_value(json_array_get(json_object_get(av, "values"), 3)), 0.75, 0);
    json_t *fan = json_object_get(json_object_get(j, "fans"), "production_realised");
    assert_close(json_number_value(json_array_get(json_object_get(fan, "95"), 3)), 14.5, 0);
    assert_true(json_is_null(json_array_get(json_object_get(fan, "5"), 1)));
    /* Production loss = sum over steps of (x at step 0 - x): A 0+0+3+1 = 4,
     * the other 0+1+1+0 = 2. */
    json_t *inds = json_object_get(j, "industries");
    assert_int_equal(json_array_size(inds), 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *e = json_array_get(inds, i);
        int isA = strcmp(json_string_value(json_object_get(e, "sector")), "A") == 0;
        assert_close(json_number_value(json_object_get(e, "production_loss")), isA ? 4.0 : 2.0,
                     1e-15);
    }
    json_decref(j);
    free(html);

    /* A summary alone still makes a page; an unreadable one is an error. */
    char bare[512];
    snprintf(bare, sizeof bare, "%s/bare", d);
    mkdir(bare, 0777);
    put(bare, "summary.json", "{\"production_loss\": 2}");
    assert_ok(cp_report_from_dir(bare, out, NULL, &err), &err);
    put(bare, "summary.json", "[1, 2]");
    assert_int_equal(cp_report_from_dir(bare, out, NULL, &err), CP_EINPUT);
    assert_msg_has(&err, "expected a JSON object");
    assert_int_equal(cp_report_from_dir(d, "/nonexistent-dir/r.html", NULL, &err), CP_EIO);
    assert_msg_has(&err, "cannot write the report");
}

/* Run every test of the store and the report. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_fips),
        cmocka_unit_test(test_format_double),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_api),
        cmocka_unit_test(test_concurrent_writers),
        cmocka_unit_test(test_sigkill_mid_run),
        cmocka_unit_test(test_default_path),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
