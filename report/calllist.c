/* The service team's treatment call list (docs/decisions.md "Treatment call
 * list"): one sheet per experiment open at T, treatment arm only, one row per
 * customer with the latest score, the latest negative own-brand verbatim,
 * the owning department and the response deadline.
 *
 * The rows are not in the model: kpi_experiments streamed them into the
 * model's anonymous temporary file (m->calllist), and this renderer reads it
 * line by line into a constant-memory workbook, so memory stays flat however
 * many customers an experiment holds.  Rows go out strictly in order, which
 * is what libxlsxwriter's constant-memory mode requires. */
#include "cell_text.h"
#include "render.h"

#include "jobs/base/strbuf.h"
#include "jobs/base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

enum col {
    COL_CUSTOMER,
    COL_SEGMENT,
    COL_DEADLINE,
    COL_DEPARTMENT,
    COL_NPS,
    COL_NPS_DATE,
    COL_VERBATIM,
    COL_CHANNEL,
    COL_VERBATIM_DATE,
    COL_ASSIGNED,
    N_COLS
};

static const struct {
    const char *key; /* calllist.col_<key> */
    double width;
} cols[N_COLS] = {
    [COL_CUSTOMER] = {"customer", 13},
    [COL_SEGMENT] = {"segment", 12},
    [COL_DEADLINE] = {"deadline", 18},
    [COL_DEPARTMENT] = {"department", 20},
    [COL_NPS] = {"nps", 10},
    [COL_NPS_DATE] = {"nps_date", 12},
    [COL_VERBATIM] = {"verbatim", 70},
    [COL_CHANNEL] = {"channel", 14},
    [COL_VERBATIM_DATE] = {"verbatim_date", 13},
    [COL_ASSIGNED] = {"assigned", 18},
};

#define TITLE_ROW 0
#define NOTE_ROW 1
#define HEADER_ROW 3
#define FIRST_ROW 4

struct cl {
    const struct render_ctx *ctx;
    lxw_workbook *wb;
    lxw_format *title, *note, *header, *text, *wrap, *number, *date, *datetime;
    /* The first failed call: its error, and the cell (or the sheet when
     * row < 0) it was about. */
    lxw_error first;
    long long row;
    lxw_col_t col;
};

/* Keeps the first error and where it happened; returns e. */
static lxw_error chk(struct cl *c, lxw_error e, long long row, lxw_col_t col)
{
    if (e != LXW_NO_ERROR && c->first == LXW_NO_ERROR) {
        c->first = e;
        c->row = row;
        c->col = col;
    }
    return e;
}

bool calllist_wanted(const struct model *m)
{
    return m->n_open_experiments > 0 && m->calllist;
}

static lxw_format *fmt(struct cl *c, bool bold, bool wrap, const char *num_format)
{
    lxw_format *f = xnonnull(workbook_add_format(c->wb));
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (bold)
        format_set_bold(f);
    if (wrap)
        format_set_text_wrap(f);
    if (num_format)
        format_set_num_format(f, num_format);
    return f;
}

/* Unescapes one TSV line in place (see model.h) and splits it. */
static int split(char *line, char **fields, int max)
{
    int n = 0;
    char *w = line;
    fields[n++] = w;
    for (char *s = line; *s && *s != '\n'; s++) {
        if (*s == '\t') {
            *w++ = '\0';
            if (n == max)
                return -1;
            fields[n++] = w;
        } else if (*s == '\\' && s[1]) {
            s++;
            *w++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
        } else {
            *w++ = *s;
        }
    }
    *w = '\0';
    return n;
}

/* "YYYY-MM-DD[ HH:MM:SS]" as an Excel date-time; false when malformed. */
static bool parse_datetime(const char *s, lxw_datetime *dt)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    int n = sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec);
    if (n != 3 && n != 6)
        return false;
    *dt = (lxw_datetime){.year = y, .month = mo, .day = d, .hour = h, .min = mi, .sec = sec};
    return true;
}

/* Every text of the sheet goes out through cell_text (cell_text.h). */
static lxw_error put_str(struct cl *c, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                         const char *s, lxw_format *f)
{
    char *owned;
    const char *v = cell_text(c->ctx->t, s, &owned);
    lxw_error e = chk(c, worksheet_write_string(ws, row, col, v, f), row, col);
    free(owned);
    return e;
}

static lxw_error put_date(struct cl *c, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                          const char *s, lxw_format *f)
{
    lxw_datetime dt;
    if (!*s)
        return LXW_NO_ERROR;
    if (!parse_datetime(s, &dt))
        return put_str(c, ws, row, col, s, f);
    return chk(c, worksheet_write_datetime(ws, row, col, &dt, f), row, col);
}

/* Lines a wrapped text takes in a column of this width (characters; CJK
 * count double): readers do not grow rows on their own, so the row is set
 * to this height before its cells are written (constant-memory order). */
static int wrapped_lines(const char *s, double width)
{
    int lines = 1;
    double used = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n') {
            lines++;
            used = 0;
            continue;
        }
        if ((*p & 0xC0) == 0x80)
            continue;                                    /* continuation byte */
        double w = *p >= 0xE3 && *p <= 0xED ? 2.0 : 1.0; /* CJK blocks, roughly */
        if (used + w > width) {
            lines++;
            used = 0;
        }
        used += w;
    }
    return lines;
}

static lxw_error put_row(struct cl *c, lxw_worksheet *ws, lxw_row_t row, char **v)
{
    const struct texts *t = c->ctx->t;
    char *department = texts_dim_label(t, c->ctx->m, "department", v[CL_DEPARTMENT]);
    char *channel =
        *v[CL_CHANNEL] ? texts_dim_label(t, c->ctx->m, "channel", v[CL_CHANNEL]) : xstrdup("");
    char *owned;
    const char *body = cell_text(t, v[CL_BODY], &owned);
    int lines = wrapped_lines(body, cols[COL_VERBATIM].width - 2);
    lxw_error e = LXW_NO_ERROR;
    if (lines > 1)
        e = chk(c, worksheet_set_row(ws, row, 15.0 * (lines > 20 ? 20 : lines), NULL), row, 0);
    if (!e)
        e = chk(
            c,
            worksheet_write_number(ws, row, COL_CUSTOMER, strtod(v[CL_CUSTOMER], NULL), c->number),
            row, COL_CUSTOMER);
    /* The company's name for its segment code when the config gives one;
     * else the code, as the service team's own systems write it. */
    const char *segment = model_find_label(c->ctx->m, "segment", v[CL_SEGMENT]);
    if (!e && *v[CL_SEGMENT])
        e = put_str(c, ws, row, COL_SEGMENT, segment ? segment : v[CL_SEGMENT], c->text);
    if (!e)
        e = put_date(c, ws, row, COL_DEADLINE, v[CL_DEADLINE], c->datetime);
    if (!e)
        e = put_str(c, ws, row, COL_DEPARTMENT, department, c->text);
    if (!e && *v[CL_NPS])
        e = chk(c, worksheet_write_number(ws, row, COL_NPS, strtod(v[CL_NPS], NULL), c->number),
                row, COL_NPS);
    if (!e)
        e = put_date(c, ws, row, COL_NPS_DATE, v[CL_NPS_DATE], c->date);
    if (!e && *body)
        e = put_str(c, ws, row, COL_VERBATIM, body, c->wrap);
    if (!e && *channel)
        e = put_str(c, ws, row, COL_CHANNEL, channel, c->text);
    if (!e)
        e = put_date(c, ws, row, COL_VERBATIM_DATE, v[CL_VERBATIM_DATE], c->date);
    if (!e)
        e = put_date(c, ws, row, COL_ASSIGNED, v[CL_ASSIGNED_AT], c->datetime);
    free(owned);
    free(department);
    free(channel);
    return e;
}

/* A sheet name Excel accepts (31 characters; names are [a-z0-9_-]) and
 * unique in the workbook. */
static char *sheet_name(const struct model *m, size_t i)
{
    const char *name = m->open_experiments[i].name;
    bool clash = false;
    for (size_t j = 0; j < i; j++)
        clash |= !strncmp(m->open_experiments[j].name, name, 31);
    if (strlen(name) <= 31 && !clash)
        return xstrdup(name);
    return xstrfmt("%.24s~%zu", name, i + 1);
}

static enum vr_status one_sheet(struct cl *c, size_t i, FILE *in, char **line, size_t *cap,
                                const char *path, struct vr_error *err)
{
    const struct model *m = c->ctx->m;
    const struct texts *t = c->ctx->t;
    const struct open_experiment *x = &m->open_experiments[i];
    char *name = sheet_name(m, i);
    lxw_error e = workbook_validate_sheet_name(c->wb, name);
    lxw_worksheet *ws = e ? NULL : workbook_add_worksheet(c->wb, name);
    if (!ws) {
        vr_fail(err, VR_ERR_OUTPUT, "could not write \"%s\": sheet name \"%s\": %s", path, name,
                lxw_strerror(e ? e : LXW_ERROR_MEMORY_MALLOC_FAILED));
        free(name);
        return err->status;
    }
    for (int k = 0; !e && k < N_COLS; k++)
        e = chk(c, worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, cols[k].width, NULL), -1,
                0);
    worksheet_freeze_panes(ws, FIRST_ROW, 1);
    lxw_row_t last = (lxw_row_t)(HEADER_ROW + (x->rows > 0 ? x->rows : 0));
    if (!e)
        e = chk(c, worksheet_autofilter(ws, HEADER_ROW, 0, last, N_COLS - 1), -1, 0);
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    if (!e)
        e = chk(c, worksheet_repeat_rows(ws, HEADER_ROW, HEADER_ROW), -1, 0);

    char hours[16];
    snprintf(hours, sizeof(hours), "%d", x->deadline_hours);
    char *title = texts_format(t, "calllist.title", "experiment", x->name, NULL);
    char *note = texts_format(t, "calllist.note", "hours", hours, "as_of", m->as_of, NULL);
    if (!e)
        e = put_str(c, ws, TITLE_ROW, 0, title, c->title);
    if (!e)
        e = put_str(c, ws, NOTE_ROW, 0, note, c->note);
    free(title);
    free(note);
    for (int k = 0; !e && k < N_COLS; k++) {
        char key[64];
        snprintf(key, sizeof(key), "calllist.col_%s", cols[k].key);
        e = put_str(c, ws, HEADER_ROW, (lxw_col_t)k, texts_get(t, key), c->header);
    }
    if (!e && x->rows == 0)
        e = put_str(c, ws, FIRST_ROW, 0, texts_get(t, "calllist.empty"), c->note);
    for (long long r = 0; !e && r < x->rows; r++) {
        char *v[CALLLIST_FIELDS];
        if (getline(line, cap, in) < 0 || split(*line, v, CALLLIST_FIELDS) != CALLLIST_FIELDS ||
            strcmp(v[CL_EXPERIMENT], x->name)) {
            free(name);
            return vr_fail(err, VR_ERR_INTERNAL,
                           "the call list of experiment %s is not as recorded (row %lld)", x->name,
                           r + 1);
        }
        e = put_row(c, ws, (lxw_row_t)(FIRST_ROW + r), v);
    }
    if (e) {
        char cell[LXW_MAX_CELL_NAME_LENGTH] = "";
        if (c->row >= 0)
            lxw_rowcol_to_cell(cell, (lxw_row_t)c->row, c->col);
        vr_fail(err, VR_ERR_OUTPUT, "could not write \"%s\": %s (sheet \"%s\"%s%s)", path,
                lxw_strerror(e), name, *cell ? ", cell " : "", cell);
    }
    free(name);
    return e ? err->status : VR_OK;
}

enum vr_status render_xlsx_calllist(const struct render_ctx *ctx, const char *path,
                                    struct vr_error *err)
{
    const struct model *m = ctx->m;
    FILE *in = m->calllist;
    if (!in || fflush(in) || fseek(in, 0, SEEK_SET))
        return vr_fail(err, VR_ERR_INTERNAL, "the treatment call list is not available");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)ctx->tmp_dir};
    struct cl c = {.ctx = ctx, .wb = workbook_new_opt(path, &opt)};
    if (!c.wb)
        return vr_fail(err, VR_ERR_OUTPUT, "could not create \"%s\"", path);
    c.title = fmt(&c, true, false, NULL);
    format_set_font_size(c.title, 14);
    c.note = fmt(&c, false, false, NULL);
    format_set_italic(c.note);
    c.header = fmt(&c, true, true, NULL);
    format_set_bottom(c.header, LXW_BORDER_THIN);
    format_set_bg_color(c.header, 0xDDEBF7);
    c.text = fmt(&c, false, false, NULL);
    c.wrap = fmt(&c, false, true, NULL);
    c.number = fmt(&c, false, false, "0");
    c.date = fmt(&c, false, false, "yyyy-mm-dd");
    c.datetime = fmt(&c, false, false, "yyyy-mm-dd hh:mm");
    const char *doc_title = texts_get(ctx->t, "calllist.doc_title");
    char *clean_title = utf8_clean(doc_title, strlen(doc_title), NULL);
    lxw_doc_properties props = {
        .title = clean_title ? clean_title : (char *)doc_title,
        .company = (char *)"vocreport",
    };
    lxw_error pe = workbook_set_properties(c.wb, &props);
    free(clean_title);
    enum vr_status st = VR_OK;
    if (pe)
        st = vr_fail(err, VR_ERR_OUTPUT, "could not write \"%s\": %s (document properties)", path,
                     lxw_strerror(pe));

    char *line = NULL;
    size_t cap = 0;
    for (size_t i = 0; st == VR_OK && i < m->n_open_experiments; i++)
        st = one_sheet(&c, i, in, &line, &cap, path, err);
    free(line);
    lxw_error e = workbook_close(c.wb);
    if (st == VR_OK && e)
        st = vr_fail(err, VR_ERR_OUTPUT, "could not write \"%s\": %s", path, lxw_strerror(e));
    return st;
}
