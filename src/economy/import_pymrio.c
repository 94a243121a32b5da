/*
 * import_pymrio.c — read pymrio's text format into a cp_table.
 *
 * pymrio (Stadler 2021, JORS 9:8) is the Python toolbox that parses the
 * big multi-regional tables (EXIOBASE, WIOD, OECD ICIO, Eora); its text
 * format is therefore the door through which any of them reaches
 * chokepoint.  Two layouts exist and both are read:
 *
 *   1. the layout of pymrio's bundled test MRIO (pymrio.load_test()):
 *        trade_flows_Z.txt    3 index columns (region, sector, unit),
 *                             2 header rows (region, sector)
 *        finald_demand_Y.txt  3 index columns, 2 header rows (region,
 *                             final-demand category)
 *        factor_input.txt     2 index columns (input type, unit),
 *                             2 header rows (region, sector)
 *        metadata.json        {"name": ..., "description": ...}
 *   2. the layout written by IOSystem.save_all():
 *        file_parameters.json names Z and Y and gives, per file,
 *                             nr_index_col and nr_header
 *        Z.txt, Y.txt         2 index columns (region, sector), 2 header
 *                             rows, then pandas' row of index names
 *        unit.txt             region, sector, unit
 *        factor_inputs/       F.txt + unit.txt + file_parameters.json
 *        metadata.json
 *
 * All files are tab-separated.  Regions and sectors are taken in file
 * order.  Total output follows pymrio's definition x = Z·1 + Y·1, so rows
 * balance by construction.  Value-added rows come from the factor inputs.
 *
 * Why only rows are validated: pymrio's own test MRIO is fictional and its
 * "Value Added" row is not the residual x − column sums of Z (in some
 * industries it misses by more than the whole output), so the column
 * identity x_j = Σ_i Z_ij + Σ_r V_rj does not hold in the source.  Every
 * model pymrio and chokepoint run on it (Leontief, Ghosh, ARIO) needs
 * only Z, Y and x, so the table is still usable; the column check is
 * skipped rather than the data altered.  For pymrio folders holding a
 * real table the caller can check the columns with cp_table_validate.
 *
 * pymrio stores no reference year, so year is 0 and the title says so.
 */
#include "chokepoint.h"
#include "import_util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A pandas DataFrame as pymrio writes it: nhdr header rows holding the
 * column labels (one level per row, the first nidx cells of each being
 * level names or blanks), optionally pandas' row of index names (label
 * cells only, every data cell blank), then data rows of nidx labels and
 * ncols cells. */
typedef struct frame {
    cp_csv csv;
    size_t nidx, nhdr;
    size_t first;      /* csv row of the first data row */
    size_t nrows;      /* data rows */
    size_t ncols;      /* data columns */
} frame;

/* Does dir/file exist (as anything)? */
static int exists(const char *dir, const char *file)
{
    char p[4096];
    struct stat st;
    cp_imp_join(p, sizeof p, dir, file);
    return stat(p, &st) == 0;
}

/* Column label of data column j at header level lvl. */
static const char *col_label(const frame *f, size_t lvl, size_t j)
{
    return cp_csv_get(&f->csv, lvl, f->nidx + j);
}

/* Index label c of data row i. */
static const char *row_label(const frame *f, size_t i, size_t c)
{
    return cp_csv_get(&f->csv, f->first + i, c);
}

/* Is every data cell of csv row r blank?  (pandas' index-names row.) */
static int data_blank(const frame *f, size_t r)
{
    for (size_t j = f->nidx; j < cp_csv_ncols(&f->csv, r); j++)
        if (cp_csv_get(&f->csv, r, j)[0]) return 0;
    return 1;
}

/* Read path as a pymrio frame with nidx index columns and nhdr header
 * rows.  Checks the shape (every row as wide as the first header row),
 * that column and row labels are present, and that there is data; cells
 * are parsed later, by the caller, as numbers or units. */
static int frame_read(frame *f, const char *path, size_t nidx, size_t nhdr,
                      const cp_load_opts *o, cp_error *err)
{
    memset(f, 0, sizeof *f);
    f->nidx = nidx;
    f->nhdr = nhdr;
    cp_csv_opts co = o->csv;
    co.delim = '\t';
    struct stat st;
    if (stat(path, &st) != 0)
        return cp_error_at(err, CP_EINPUT, path, 0, 0,
            "missing file; hint: a pymrio folder holds Z, Y (and factor inputs) as written by pymrio — trade_flows_Z.txt/finald_demand_Y.txt, or save_all's files named in file_parameters.json");
    int rc = cp_csv_read(&f->csv, path, &co, err);
    if (rc) return rc;
    cp_csv *c = &f->csv;
    size_t width = cp_csv_ncols(c, 0);
    if (width <= nidx) {
        rc = cp_error_at(err, CP_EINPUT, path, cp_imp_line(c, 0, 0), 0,
            "header row has %zu fields, expected %zu index columns and at least one data column; hint: pymrio files are tab-separated",
            width, nidx);
        goto fail;
    }
    for (size_t r = 0; r < c->nrows; r++)
        if ((rc = cp_csv_expect_cols(c, r, width, err))) goto fail;
    if (c->nrows < nhdr + 1) {
        rc = cp_error_at(err, CP_EINPUT, path, 0, 0,
            "has %zu rows, expected %zu header rows and data; hint: is the file truncated?",
            c->nrows, nhdr);
        goto fail;
    }
    for (size_t l = 0; l < nhdr; l++)
        for (size_t j = nidx; j < width; j++)
            if ((rc = cp_imp_need_label(c, l, j, "column", err))) goto fail;
    f->first = nhdr;
    if (f->first < c->nrows && data_blank(f, f->first)) f->first++;
    f->nrows = c->nrows - f->first;
    f->ncols = width - nidx;
    if (f->nrows == 0) {
        rc = cp_error_at(err, CP_EINPUT, path, 0, 0, "has headers but no data rows");
        goto fail;
    }
    for (size_t i = 0; i < f->nrows; i++)
        for (size_t k = 0; k < nidx; k++)
            if ((rc = cp_imp_need_label(c, f->first + i, k, "row", err))) goto fail;
    return 0;
fail:
    cp_csv_free(&f->csv);
    return rc;
}

/* Parse data cell (i, j) as a finite number, with the reader's located
 * error otherwise. */
static int frame_num(const frame *f, size_t i, size_t j, double *v, cp_error *err)
{
    return cp_csv_number(&f->csv, f->first + i, f->nidx + j, 0, v, err);
}

/* Refuse a repeated (level-0, level-1) column label pair. */
static int check_unique_cols(const frame *f, const char *what, cp_error *err)
{
    for (size_t j = 0; j < f->ncols; j++)
        for (size_t k = 0; k < j; k++)
            if (strcmp(col_label(f, 0, j), col_label(f, 0, k)) == 0 &&
                (f->nhdr < 2 || strcmp(col_label(f, 1, j), col_label(f, 1, k)) == 0))
                return cp_error_at(err, CP_EINPUT, f->csv.name, cp_imp_line(&f->csv, 0, f->nidx + j),
                    cp_imp_col(&f->csv, 0, f->nidx + j),
                    "%s column '%s/%s' appears twice (columns %zu and %zu); hint: labels must be unique",
                    what, col_label(f, 0, j), f->nhdr < 2 ? "" : col_label(f, 1, j),
                    f->nidx + k + 1, f->nidx + j + 1);
    return 0;
}

/* Refuse a repeated row label (first nlab index columns). */
static int check_unique_rows(const frame *f, size_t nlab, const char *what, cp_error *err)
{
    for (size_t i = 0; i < f->nrows; i++)
        for (size_t k = 0; k < i; k++) {
            size_t c = 0;
            while (c < nlab && strcmp(row_label(f, i, c), row_label(f, k, c)) == 0) c++;
            if (c == nlab)
                return cp_error_at(err, CP_EINPUT, f->csv.name,
                    cp_imp_line(&f->csv, f->first + i, 0), cp_imp_col(&f->csv, f->first + i, 0),
                    "%s row '%s%s%s' appears twice (lines %ld and %ld); hint: labels must be unique",
                    what, row_label(f, i, 0), nlab > 1 ? "/" : "", nlab > 1 ? row_label(f, i, 1) : "",
                    cp_imp_line(&f->csv, f->first + k, 0), cp_imp_line(&f->csv, f->first + i, 0));
        }
    return 0;
}

/* The rows of g (region, sector in its first two index columns) must be
 * the industries of Z, in the same order. */
static int check_rows_match(const frame *z, const frame *g, const char *what, cp_error *err)
{
    if (g->nrows != z->nrows)
        return cp_error_at(err, CP_EINPUT, g->csv.name, 0, 0,
            "has %zu data rows but %s has %zu; hint: %s needs one row per industry of Z, in Z's order",
            g->nrows, z->csv.name, z->nrows, what);
    for (size_t i = 0; i < z->nrows; i++)
        for (size_t c = 0; c < 2; c++)
            if (strcmp(row_label(g, i, c), row_label(z, i, c)) != 0)
                return cp_error_at(err, CP_EINPUT, g->csv.name,
                    cp_imp_line(&g->csv, g->first + i, c), cp_imp_col(&g->csv, g->first + i, c),
                    "row %zu is '%s/%s' but row %zu of %s is '%s/%s'; hint: %s needs one row per industry of Z, in Z's order",
                    i + 1, row_label(g, i, 0), row_label(g, i, 1), i + 1, z->csv.name,
                    row_label(z, i, 0), row_label(z, i, 1), what);
    return 0;
}

/* The columns of g (two header levels: region, sector) must be the
 * industries of Z's rows, in the same order. */
static int check_cols_match(const frame *z, const frame *g, const char *what, cp_error *err)
{
    if (g->ncols != z->nrows)
        return cp_error_at(err, CP_EINPUT, g->csv.name, cp_imp_line(&g->csv, 0, 0), 0,
            "has %zu data columns but %s has %zu industry rows; hint: %s needs one column per industry",
            g->ncols, z->csv.name, z->nrows, what);
    for (size_t j = 0; j < g->ncols; j++)
        for (size_t l = 0; l < 2; l++)
            if (strcmp(col_label(g, l, j), row_label(z, j, l)) != 0)
                return cp_error_at(err, CP_EINPUT, g->csv.name, cp_imp_line(&g->csv, l, g->nidx + j),
                    cp_imp_col(&g->csv, l, g->nidx + j),
                    "column %zu is '%s/%s' but industry %zu (row %zu of %s) is '%s/%s'; hint: %s must list the industries in the order of Z's rows",
                    j + 1, col_label(g, 0, j), col_label(g, 1, j), j + 1, j + 1, z->csv.name,
                    row_label(z, j, 0), row_label(z, j, 1), what);
    return 0;
}

/* Every row of index column c must carry the same unit, equal to *unit
 * (set from the first row when *unit is NULL). */
static int check_unit_col(const frame *f, size_t c, const char **unit, cp_error *err)
{
    for (size_t i = 0; i < f->nrows; i++) {
        const char *u = row_label(f, i, c);
        if (!*unit) *unit = u;
        else if (strcmp(u, *unit) != 0)
            return cp_error_at(err, CP_EINPUT, f->csv.name, cp_imp_line(&f->csv, f->first + i, c),
                cp_imp_col(&f->csv, f->first + i, c),
                "unit '%s' differs from '%s' used elsewhere; hint: chokepoint needs every flow in one currency unit — convert before importing",
                u, *unit);
    }
    return 0;
}

/* Classify a pymrio final-demand category by its words. */
static cp_fd_kind fd_kind_of(const char *cat)
{
    if (cp_imp_has_word(cat, "import")) return CP_FD_IMPORT;
    if (cp_imp_has_word(cat, "export")) return CP_FD_EXPORT;
    if (cp_imp_has_word(cat, "inventor") || cp_imp_has_word(cat, "valuables") ||
        cp_imp_has_word(cat, "stock"))
        return CP_FD_INVENTORY;
    if (cp_imp_has_word(cat, "capital formation") || cp_imp_has_word(cat, "investment"))
        return CP_FD_INVESTMENT;
    if (cp_imp_has_word(cat, "consumption")) return CP_FD_CONSUMPTION;
    return CP_FD_OTHER;
}

/* Classify a factor-input row by its words ("Value Added", EXIOBASE's
 * "Taxes less subsidies ...", "Compensation of employees ...", ...). */
static cp_va_kind va_kind_of(const char *lab)
{
    if (cp_imp_has_word(lab, "tax") || cp_imp_has_word(lab, "subsid")) return CP_VA_TAX;
    if (cp_imp_has_word(lab, "import")) return CP_VA_IMPORT;
    if (cp_imp_has_word(lab, "value added") || cp_imp_has_word(lab, "compensation") ||
        cp_imp_has_word(lab, "wage") || cp_imp_has_word(lab, "operating surplus") ||
        cp_imp_has_word(lab, "mixed income") || cp_imp_has_word(lab, "fixed capital"))
        return CP_VA_VALUE_ADDED;
    return CP_VA_OTHER;
}

/* Read an integer parameter that pymrio writes as a string ("2") or an
 * integer. */
static int json_count(json_t *v, size_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (size_t)json_integer_value(v);
        return 0;
    }
    const char *s = json_string_value(v);
    if (!s || !*s) return -1;
    char *end;
    long n = strtol(s, &end, 10);
    if (*end || n < 0 || n > 16) return -1;
    *out = (size_t)n;
    return 0;
}

/* From a save_all file_parameters.json, the file name, index column and
 * header row counts of entry key ("Z", "Y", "F", "unit"). */
static int file_param(json_t *root, const char *jpath, const char *key, char *name,
                      size_t cap, size_t *nidx, size_t *nhdr, cp_error *err)
{
    json_t *e = json_object_get(json_object_get(root, "files"), key);
    const char *nm = json_string_value(json_object_get(e, "name"));
    if (!e || !nm || !*nm || strchr(nm, '/') ||
        json_count(json_object_get(e, "nr_index_col"), nidx) ||
        json_count(json_object_get(e, "nr_header"), nhdr) || *nidx == 0 || *nhdr == 0)
        return cp_error_at(err, CP_EINPUT, jpath, 0, 0,
            "files.%s needs \"name\", \"nr_index_col\" and \"nr_header\" (positive counts); hint: this file is written by pymrio's save_all — re-save the system",
            key);
    snprintf(name, cap, "%s", nm);
    return 0;
}

/* Load dir/file as JSON; a missing file is reported as such. */
static int load_json(json_t **out, const char *dir, const char *file, cp_error *err)
{
    char p[4096];
    json_error_t je;
    cp_imp_join(p, sizeof p, dir, file);
    *out = json_load_file(p, 0, &je);
    if (*out) return 0;
    if (!exists(dir, file))
        return cp_error_at(err, CP_EINPUT, p, 0, 0,
            "missing file; hint: pymrio's save_all writes it next to Z.txt");
    return cp_error_at(err, CP_EINPUT, p, je.line, je.column, "%s; hint: the JSON is malformed",
                       je.text);
}

/* Everything read from one folder, freed together. */
typedef struct src {
    frame z, y, f, unit, funit;
    int have_f, have_unit, have_funit;
    json_t *meta, *zpar, *fpar;
} src;

/* Release a src. */
static void src_free(src *s)
{
    cp_csv_free(&s->z.csv);
    cp_csv_free(&s->y.csv);
    cp_csv_free(&s->f.csv);
    cp_csv_free(&s->unit.csv);
    cp_csv_free(&s->funit.csv);
    json_decref(s->meta);
    json_decref(s->zpar);
    json_decref(s->fpar);
}

/* Read the files of the bundled-test-MRIO layout. */
static int read_classic(src *s, const char *dir, const cp_load_opts *o, cp_error *err)
{
    char p[4096];
    int rc;
    cp_imp_join(p, sizeof p, dir, "trade_flows_Z.txt");
    if ((rc = frame_read(&s->z, p, 3, 2, o, err))) return rc;
    cp_imp_join(p, sizeof p, dir, "finald_demand_Y.txt");
    if ((rc = frame_read(&s->y, p, 3, 2, o, err))) return rc;
    if (exists(dir, "factor_input.txt")) {
        cp_imp_join(p, sizeof p, dir, "factor_input.txt");
        if ((rc = frame_read(&s->f, p, 2, 2, o, err))) return rc;
        s->have_f = 1;
    }
    return 0;
}

/* Read the files of the save_all layout, as file_parameters.json says. */
static int read_saved(src *s, const char *dir, const cp_load_opts *o, cp_error *err)
{
    char p[4096], jp[4096], name[1024];
    size_t ni, nh;
    int rc;
    if ((rc = load_json(&s->zpar, dir, "file_parameters.json", err))) return rc;
    cp_imp_join(jp, sizeof jp, dir, "file_parameters.json");
    if ((rc = file_param(s->zpar, jp, "Z", name, sizeof name, &ni, &nh, err))) return rc;
    if (ni < 2 || nh < 2)
        return cp_error_at(err, CP_EINPUT, jp, 0, 0,
            "Z has %zu index columns and %zu header rows; chokepoint needs at least 2 of each (region, sector)",
            ni, nh);
    cp_imp_join(p, sizeof p, dir, name);
    if ((rc = frame_read(&s->z, p, ni, nh, o, err))) return rc;
    if ((rc = file_param(s->zpar, jp, "Y", name, sizeof name, &ni, &nh, err))) return rc;
    if (ni < 2 || nh < 2)
        return cp_error_at(err, CP_EINPUT, jp, 0, 0,
            "Y has %zu index columns and %zu header rows; chokepoint needs at least 2 of each (region, category)",
            ni, nh);
    cp_imp_join(p, sizeof p, dir, name);
    if ((rc = frame_read(&s->y, p, ni, nh, o, err))) return rc;
    if (json_object_get(json_object_get(s->zpar, "files"), "unit")) {
        if ((rc = file_param(s->zpar, jp, "unit", name, sizeof name, &ni, &nh, err))) return rc;
        cp_imp_join(p, sizeof p, dir, name);
        if ((rc = frame_read(&s->unit, p, ni, nh, o, err))) return rc;
        s->have_unit = 1;
        if (ni < 2 || s->unit.ncols != 1)
            return cp_error_at(err, CP_EINPUT, p, 0, 0,
                "expected region, sector and one unit column; hint: re-save the system with pymrio");
    }
    if (exists(dir, "factor_inputs/file_parameters.json")) {
        char fdir[4096];
        cp_imp_join(fdir, sizeof fdir, dir, "factor_inputs");
        if ((rc = load_json(&s->fpar, fdir, "file_parameters.json", err))) return rc;
        cp_imp_join(jp, sizeof jp, fdir, "file_parameters.json");
        if ((rc = file_param(s->fpar, jp, "F", name, sizeof name, &ni, &nh, err))) return rc;
        if (nh < 2)
            return cp_error_at(err, CP_EINPUT, jp, 0, 0,
                "F has %zu header rows; chokepoint needs 2 (region, sector)", nh);
        cp_imp_join(p, sizeof p, fdir, name);
        if ((rc = frame_read(&s->f, p, ni, nh, o, err))) return rc;
        s->have_f = 1;
        if (json_object_get(json_object_get(s->fpar, "files"), "unit")) {
            if ((rc = file_param(s->fpar, jp, "unit", name, sizeof name, &ni, &nh, err))) return rc;
            cp_imp_join(p, sizeof p, fdir, name);
            if ((rc = frame_read(&s->funit, p, ni, nh, o, err))) return rc;
            s->have_funit = 1;
        }
    }
    return 0;
}

/* Work out the table's unit and check every unit the files state agrees:
 * Z's and Y's unit column (classic layout) or unit.txt (save_all), and
 * the factor inputs' units. */
static int find_unit(const src *s, int classic, const char **unit, cp_error *err)
{
    int rc;
    *unit = NULL;
    if (classic) {
        if ((rc = check_unit_col(&s->z, 2, unit, err)) || (rc = check_unit_col(&s->y, 2, unit, err)))
            return rc;
        if (s->have_f && (rc = check_unit_col(&s->f, 1, unit, err))) return rc;
        return 0;
    }
    if (s->have_unit) {
        if ((rc = check_rows_match(&s->z, &s->unit, "unit.txt", err))) return rc;
        for (size_t i = 0; i < s->unit.nrows; i++) {
            const char *u = cp_csv_get(&s->unit.csv, s->unit.first + i, s->unit.nidx);
            if ((rc = cp_imp_need_text(&s->unit.csv, s->unit.first + i, s->unit.nidx, "unit", err)))
                return rc;
            if (!*unit) *unit = u;
            else if (strcmp(u, *unit) != 0)
                return cp_error_at(err, CP_EINPUT, s->unit.csv.name,
                    cp_imp_line(&s->unit.csv, s->unit.first + i, s->unit.nidx),
                    cp_imp_col(&s->unit.csv, s->unit.first + i, s->unit.nidx),
                    "unit '%s' differs from '%s' used elsewhere; hint: chokepoint needs every flow in one currency unit — convert before importing",
                    u, *unit);
        }
    }
    if (s->have_funit && s->have_f) {
        if (s->funit.ncols != 1 || s->funit.nrows != s->f.nrows)
            return cp_error_at(err, CP_EINPUT, s->funit.csv.name, 0, 0,
                "expected one unit for each of the %zu factor inputs of %s; hint: re-save the system with pymrio",
                s->f.nrows, s->f.csv.name);
        for (size_t i = 0; i < s->funit.nrows; i++) {
            const char *u = cp_csv_get(&s->funit.csv, s->funit.first + i, s->funit.nidx);
            if ((rc = cp_imp_need_text(&s->funit.csv, s->funit.first + i, s->funit.nidx, "unit", err)))
                return rc;
            if (!*unit) *unit = u;
            else if (strcmp(u, *unit) != 0)
                return cp_error_at(err, CP_EINPUT, s->funit.csv.name,
                    cp_imp_line(&s->funit.csv, s->funit.first + i, s->funit.nidx),
                    cp_imp_col(&s->funit.csv, s->funit.first + i, s->funit.nidx),
                    "factor input '%s' is in '%s', not in the table's unit '%s'; hint: only monetary factor inputs in the table's unit can be value added",
                    row_label(&s->funit, i, 0), u, *unit);
        }
    }
    if (!*unit || !**unit)
        return cp_error_at(err, CP_EINPUT, s->z.csv.name, 0, 0,
            "no unit stated; hint: pymrio's save_all writes unit.txt next to Z.txt");
    return 0;
}

/* Copy the labels and numbers of the checked frames into a new table and
 * compute x = Z·1 + Y·1. */
static int build(cp_table **out, const src *s, const char *unit, const char *dir, cp_error *err)
{
    size_t n = s->z.nrows, nfd = s->y.ncols, nva = s->have_f ? s->f.nrows : 0;
    cp_table *t = cp_table_new(n, nfd, nva);
    if (!t) return cp_error_set(err, CP_ENOMEM, "%s: out of memory for %zu industries", dir, n);
    int rc = 0;
    const char *mname = json_string_value(json_object_get(s->meta, "name"));
    const char *mdesc = json_string_value(json_object_get(s->meta, "description"));
    if (!mname || !*mname) {
        const char *b = strrchr(dir, '/');
        mname = b && b[1] ? b + 1 : dir;
    }
    char buf[1024];
    snprintf(buf, sizeof buf, "pymrio-%s", mname);
    char title[1024];
    snprintf(title, sizeof title, "%s (pymrio text format; reference year not stated in the source)",
             mdesc && *mdesc ? mdesc : mname);
    /* A long name is truncated above, perhaps inside a character, and a
     * name from the directory may not be UTF-8: table.json needs UTF-8. */
    cp_imp_utf8_cut(buf);
    cp_imp_utf8_cut(title);
    if ((rc = cp_imp_meta(t, buf, title, unit, "not stated", "mrio", 0, err)))
        goto fail;
    for (size_t i = 0; i < n; i++)
        if ((rc = cp_imp_str(&t->region[i], row_label(&s->z, i, 0), err)) ||
            (rc = cp_imp_str(&t->sector[i], row_label(&s->z, i, 1), err)) ||
            (rc = cp_imp_str(&t->sector_name[i], row_label(&s->z, i, 1), err)))
            goto fail;
    for (size_t k = 0; k < nfd; k++) {
        if ((rc = cp_imp_str(&t->fd_region[k], col_label(&s->y, 0, k), err)) ||
            (rc = cp_imp_str(&t->fd_category[k], col_label(&s->y, 1, k), err)))
            goto fail;
        t->fd_kind[k] = fd_kind_of(col_label(&s->y, 1, k));
    }
    for (size_t r = 0; r < nva; r++) {
        if ((rc = cp_imp_str(&t->va_label[r], row_label(&s->f, r, 0), err))) goto fail;
        t->va_kind[r] = va_kind_of(row_label(&s->f, r, 0));
    }
    if ((rc = cp_table_index_regions(t))) { cp_error_set(err, rc, "out of memory"); goto fail; }
    for (size_t i = 0; i < n; i++) {
        double sum = 0;
        for (size_t j = 0; j < n; j++) {
            if ((rc = frame_num(&s->z, i, j, &t->Z[i * n + j], err))) goto fail;
            sum += t->Z[i * n + j];
        }
        for (size_t k = 0; k < nfd; k++) {
            if ((rc = frame_num(&s->y, i, k, &t->Y[i * nfd + k], err))) goto fail;
            sum += t->Y[i * nfd + k];
        }
        t->x[i] = sum;
    }
    for (size_t r = 0; r < nva; r++)
        for (size_t j = 0; j < n; j++)
            if ((rc = frame_num(&s->f, r, j, &t->V[r * n + j], err))) goto fail;
    *out = t;
    return 0;
fail:
    cp_table_free(t);
    return rc;
}

/* Read a pymrio folder in either layout; see the file comment. */
int cp_import_pymrio(cp_table **out, const char *dir, const cp_load_opts *opts, cp_error *err)
{
    cp_load_opts o = opts ? *opts : cp_load_opts_default();
    src s;
    memset(&s, 0, sizeof s);
    *out = NULL;
    int classic = exists(dir, "trade_flows_Z.txt");
    int rc;
    if (!classic && !exists(dir, "file_parameters.json")) {
        char p[4096];
        cp_imp_join(p, sizeof p, dir, exists(dir, "Z.txt") ? "file_parameters.json" : "trade_flows_Z.txt");
        return cp_error_at(err, CP_EINPUT, p, 0, 0,
            "missing file; hint: a pymrio folder holds trade_flows_Z.txt (test-MRIO layout) or Z.txt with file_parameters.json (save_all layout)");
    }
    rc = classic ? read_classic(&s, dir, &o, err) : read_saved(&s, dir, &o, err);
    if (rc) goto done;
    if (exists(dir, "metadata.json") && (rc = load_json(&s.meta, dir, "metadata.json", err)))
        goto done;
    /* Z: square, columns = rows, labels unique. */
    if ((rc = check_unique_rows(&s.z, 2, "Z", err)) || (rc = check_unique_cols(&s.z, "Z", err)) ||
        (rc = check_cols_match(&s.z, &s.z, "Z", err)))
        goto done;
    if ((rc = check_rows_match(&s.z, &s.y, "Y", err)) || (rc = check_unique_cols(&s.y, "Y", err)))
        goto done;
    if (s.have_f && ((rc = check_cols_match(&s.z, &s.f, "the factor inputs", err)) ||
                     (rc = check_unique_rows(&s.f, 1, "factor input", err))))
        goto done;
    const char *unit;
    if ((rc = find_unit(&s, classic, &unit, err))) goto done;
    cp_table *t = NULL;
    if ((rc = build(&t, &s, unit, dir, err))) goto done;
    /* Rows only: see the file comment for why the columns are not checked. */
    if ((rc = cp_imp_validate(t, &o, 0, 0, err))) { cp_table_free(t); goto done; }
    *out = t;
done:
    src_free(&s);
    return rc;
}
