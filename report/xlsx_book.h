/* What the workbook renderers share (xlsx.c the executive workbook,
 * xlsx_dept.c a department's, xlsx_depts.c the department tables both
 * show): the workbook being written, its formats, and cell writers that
 * record how wide each column must be.  Internal to report/: only the
 * xlsx_*.c files include it, and with it libxlsxwriter. */
#ifndef VR_XLSX_BOOK_H
#define VR_XLSX_BOOK_H

#include "render.h"

#include <stdbool.h>
#include <stddef.h>
#include <xlsxwriter.h>

#define MAX_COLS 16
#define MAX_PARAS 64
#define XW_MAX_SHEETS 20
#define XW_MAX_ROW_HEIGHT 409.0 /* points: Excel's tallest row */

/* Cell kinds: a number format (or text) and how wide its text gets. */
enum kind {
    K_TEXT,       /* plain text */
    K_NA,         /* a figure column's cell without a number, or a grey status word */
    K_INT,        /* 1,234 */
    K_MONEY,      /* 1,234.00 */
    K_PCT,        /* 12.3% */
    K_SCORE,      /* 45.0 (NPS, margin of error) */
    K_DELTA,      /* +7.5 */
    K_DELTA_SIG,  /* +7.5 * (significant) */
    K_CES,        /* 5.40 */
    K_RATIO,      /* 3.00× */
    K_ID,         /* 42 (run id, no separators) */
    K_GENERAL,    /* parameters: as typed */
    K_PCT_SIGNED, /* +12.3% (a change, a gap between two rates) */
    K_PVALUE,     /* 0.012, <0.001 */
    K_DEC1,       /* 17.6 (customers lost: an expected count) */
    K_INT_SIGNED, /* +12 (a change in a count) */
    K_DEC2,       /* 1,234.56: K_DEC2 to K_DEC8, 2 to 8 places (a number of no fixed scale) */
    K_DEC3,
    K_DEC4,
    K_DEC5,
    K_DEC6,
    K_DEC7,
    K_DEC8,
    K_DATE,  /* 2026-09-01: an Excel date (a serial number with a date format) */
    K_MONTH, /* 2026-09: the same, a month */
    K_MOMENT, /* 2026-09-01 00:00: a local date and time (the zone is stated beside it) */
    N_KINDS
};

/* Cell styles, combinable. */
enum {
    S_LOW = 1,   /* low sample: grey italic */
    S_BOLD = 2,  /* significant change, totals */
    S_INPUT = 4, /* an input the formulas read: blue on light yellow */
    S_TOTAL = 8, /* total row: bold, rule above */
    S_RED = 16,  /* bad news */
    S_GREEN = 32,
    S_LEFT = 64,   /* a number among left-aligned identifiers */
    S_GREY = 128,  /* not a finding (not significant), steady: grey */
    S_AMBER = 256, /* a traffic light's amber (with S_RED, S_GREEN: its other colours) */
    N_STYLES = 512
};

/* A wrapped text whose row height is set once the column widths are known:
 * a paragraph merged over c0..c1, or a wrapped header cell (c0 == c1). */
struct para {
    lxw_row_t row;
    lxw_col_t c0, c1;
    double width; /* display width of the text */
};

struct xw;

struct sheet {
    struct xw *x;
    lxw_worksheet *ws;
    const char *name;
    char *ref;              /* quoted for formulas: 'Customer classes' */
    double width[MAX_COLS]; /* widest content seen per column */
    double fixed[MAX_COLS]; /* a set width (spacer columns), else 0 */
    struct para para[MAX_PARAS];
    int n_para;
};

struct xw_exec;

/* A list of owned strings. */
struct names {
    char **v;
    size_t n, cap;
};

struct xw {
    lxw_workbook *wb;
    const struct model *m;
    const struct texts *t;
    lxw_error first;       /* first libxlsxwriter error; reported after close */
    char first_where[200]; /* where it happened: sheet "Topics", cell D12 */
    struct names kept;     /* cleaned strings libxlsxwriter may point to until close */
    const char *na;
    char *na_lit;   /* what a formula yields without a figure: "" */
    char *min_text; /* min_sample as text, for the low-sample marks */

    lxw_format *cell[N_KINDS][N_STYLES];
    lxw_format *status; /* a traffic-light figure (2/1/0) shown as its word (xlsx_depts.c) */
    lxw_format *yes_no; /* a warning figure (1/0) shown as yes or no */
    lxw_format *title, *subtitle, *section, *hdr, *hdr_num, *note, *para, *cf_green, *cf_amber,
        *cf_red, *cf_grey, *ok_text, *bad_text, *label, *sub, *sub_head;

    struct sheet sh[XW_MAX_SHEETS];
    int n_sheets;
    struct xw_exec *e; /* the executive workbook's own state (xlsx.c); NULL elsewhere */
};

/* A row of a workbook's table of sheets (xlsx.c, xlsx_dept.c), in tab
 * order: the sheet's writer fills x->sh[its row].  needs and gives are
 * bits of the cells one sheet writes and another's formulas read (the
 * workbook's own, e.g. xlsx_exec.h): a sheet is written after every sheet
 * that gives what it needs. */
struct xw_sheet {
    const char *key;       /* "summary": names the sheet in an internal error */
    const char *title_key; /* template key of the tab's name: "sheet.summary" */
    void (*write)(struct xw *x);
    unsigned needs, gives;
};

/* Creates the workbook at path with the table's sheets, named in the
 * locale, and the formats.  On failure nothing is left open. */
enum vr_status xw_open(struct xw *x, const struct render_ctx *ctx, const char *path,
                       const struct xw_sheet *sheets, int n_sheets, struct vr_error *err);
/* Writes every sheet of the table, each after those it needs; an
 * internal error when the table's needs cannot be met. */
enum vr_status xw_write_sheets(struct xw *x, const struct xw_sheet *sheets, int n_sheets,
                               struct vr_error *err);
/* The document properties a file browser shows: title, subject, the job. */
void xw_properties(struct xw *x, const char *title, const char *subject);
/* Writes and closes the workbook; reports the first error met. */
enum vr_status xw_close(struct xw *x, const char *path, struct vr_error *err);

/* Every libxlsxwriter call that can fail goes through one of these: the
 * first error is kept with where it happened and fails xw_close.  chk
 * names the place in words ("document properties"), chk_sheet a sheet,
 * chk_cell a cell of a sheet. */
void chk(struct xw *x, lxw_error e, const char *what);
void chk_sheet(struct sheet *s, lxw_error e);
void chk_cell(struct sheet *s, lxw_row_t r, lxw_col_t c, lxw_error e);
/* s as a workbook part can hold it (utf8_clean) for a string that is no
 * cell: chart and axis titles, series names, document properties, sheet
 * names, formulas.  The copy, when one is needed, lives until xw_close. */
const char *xw_str(struct xw *x, const char *s);
double text_width(const char *s);
double num_width(enum kind k, double v);
char *xl_literal(const char *s);
char *quote_sheet(const char *name);
void cell_ref(char *buf, lxw_row_t r, lxw_col_t c, bool abs);
bool parse_decimal(const char *s, double *out);
lxw_format *new_format(struct xw *x);
lxw_format *cell_format(struct xw *x, enum kind k, unsigned st);
void make_formats(struct xw *x);
void widen(struct sheet *s, lxw_col_t c, double w);
/* The text writers (put_text, put_free, put_hdr, put_cell_text, put_para,
 * merge_text) pass every text through cell_text (cell_text.h): cleaned,
 * and cut with a visible mark beyond Excel's cell limit. */
void put_text(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *txt, lxw_format *f);
void put_free(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *txt, lxw_format *f);
void add_para(struct sheet *s, lxw_row_t r, lxw_col_t c0, lxw_col_t c1, double width);
void put_hdr(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *txt, bool numeric);
void put_cell_text(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *txt, unsigned st);
/* A numeric cell without a figure to say why: empty, with the generic
 * reason as its comment (a formatted blank when st has style bits). */
void put_na(struct sheet *s, lxw_row_t r, lxw_col_t c, unsigned st);
void put_num(struct sheet *s, lxw_row_t r, lxw_col_t c, double v, enum kind k, unsigned st);
/* A local day YYYY-MM-DD as an Excel date in kind K_DATE or K_MONTH; an
 * empty cell with a note when ymd is no such day. */
void put_date(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *ymd, enum kind k, unsigned st);
/* A local moment "YYYY-MM-DD HH:MM:SS[.fff]+HH" as PostgreSQL prints it in
 * the job's zone, as an Excel date and time (K_MOMENT). Excel has no zone:
 * the offset is dropped, so the sheet must name the zone. */
void put_moment(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *ts, unsigned st);
/* Why a figure has no value, in words ("no orders in the source"), from
 * its flag; the generic reason when it has none.  Caller frees. */
char *na_why(const struct xw *x, const struct kpi *k);
/* A numeric cell without a number (point 5 of issue 13): left empty, with
 * a comment "n/a: <why>" a reader sees on hover, never the n/a text or 0. */
void put_missing(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k);
/* The same with the reason in words. */
void put_missing_why(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *why);
struct strbuf;
/* A line "<label>: n/a: <why>" added to why, for a row whose cells a chart
 * reads: the caller leaves the figure's cell without any cell object (a
 * gap, where a comment on it would be a 0 point) and writes why as one
 * comment on the row's label (put_row_note). */
void note_missing(const struct xw *x, struct strbuf *why, const char *label, const struct kpi *k);
/* Writes why, if any, as the comment on cell (r, c) and empties it. */
void put_row_note(struct sheet *s, lxw_row_t r, lxw_col_t c, struct strbuf *why);
/* A figure in a cell a chart reads: its number, or no cell and a line in
 * why (note_missing). */
void put_kpi_point(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k, unsigned st,
                   struct strbuf *why, const char *label);
/* The style bits of a traffic light (jobs/model/status.h): S_GREEN, S_AMBER,
 * S_RED, or 0 for grey. */
unsigned light_style(int light);
/* A series of chart ch over the categories cats (a range formula): the
 * values in rows first..last of column col, named by the header cell at
 * (hdr, col).  NULL on failure, recorded for xw_close. */
lxw_chart_series *xw_series(struct sheet *s, lxw_chart *ch, const char *cats, lxw_row_t first,
                            lxw_row_t last, lxw_col_t col, lxw_row_t hdr);
/* A line chart of the values in rows first..last of column col, the
 * categories in column cat_col and the series named by the header at row
 * hdr; with tcol > 0 a second series from column tcol, dashed, without
 * markers: the target line.  Blank cells are gaps, never zeros. */
lxw_chart *xw_line_chart(struct sheet *s, lxw_row_t first, lxw_row_t last, lxw_row_t hdr,
                         lxw_col_t cat_col, lxw_col_t col, lxw_col_t tcol, const char *title,
                         enum kind kind);
/* How a figure of this code, or a metric as a target writes it, is shown:
 * from the metric catalogue (jobs/config/metrics.h); v gives the places of a
 * number shown to two significant digits.  K_GENERAL for a code the
 * catalogue does not know. */
enum kind figure_kind(const char *code, double v);
/* A figure as the catalogue formats its code, or an empty cell with its
 * reason (put_missing). */
void put_kpi(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k, unsigned st);
/* The same in a kind of the caller's: a department KPI's figure in its
 * metric's format, a significant change with its mark. */
void put_kpi_as(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k, enum kind kind,
                unsigned st);
/* A formula with its value cached; !has_value: an empty cell with the
 * generic reason instead. */
void put_formula(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *formula, bool has_value,
                 double value, enum kind k, unsigned st);
/* A formula over the cells it derives from with the run's figure (code,
 * dims) cached, formatted as the catalogue has the code; an empty cell
 * with the figure's reason when it is NULL or absent.  The formula must compute that figure, so
 * that a reader who recalculates and one who does not see the same. */
void put_formula_fig(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *formula,
                     const char *code, const char *dims, unsigned st);
void put_para(struct sheet *s, lxw_row_t r, lxw_col_t c0, lxw_col_t c1, const char *txt,
              lxw_format *f);
/* Text in cells c0..c1 of row r merged into one (c1 > c0); returns the
 * display width of what it wrote. */
double merge_text(struct sheet *s, lxw_row_t r, lxw_col_t c0, lxw_col_t c1, const char *txt,
                  lxw_format *f);
/* A formula whose cached result is a text (a status word). */
void put_formula_text(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *formula,
                      const char *value, lxw_format *f);
double col_width(const struct sheet *s, lxw_col_t c);
int para_lines(const struct sheet *s, const struct para *p);
void finish_sheet(struct sheet *s);
void page_setup(struct sheet *s, bool landscape);
char *period_text(const struct xw *x);
char *with_currency(const struct xw *x, const char *key);
char *money_text(const struct xw *x, double v);
const char *nz(const char *s);
bool names_has(const struct names *l, const char *s);
void names_add(struct names *l, const char *s);
void names_release(struct names *l);
int cmp_str(const void *a, const void *b);
void dim_names(const struct model *m, const char *code, const char *key, struct names *out);
void sheet_empty(struct sheet *s, const char *title_key, const char *none_key);
/* A topic's figure of this code (dims "topic=T"), and the topic's label. */
const struct kpi *topic_kpi(const struct xw *x, const char *code, const char *topic);
/* A department KPI's name in a workbook (dims "department=D;kpi=K"): the
 * company's own (kpi_name.K) in the run's locale, else its code's name. */
char *kpi_name(const struct xw *x, const char *dims);
const char *topic_label(const struct xw *x, const char *code);
/* A rejection reason in words (reason.<reason>), else the reason as
 * written; key is n bytes of scratch space. */
const char *reason_text(const struct xw *x, const char *reason, char *key, size_t n);

static inline const char *T(const struct xw *x, const char *key)
{
    return texts_get(x->t, key);
}

static inline const struct kpi *K(const struct xw *x, const char *code, const char *dims)
{
    return model_find(x->m, code, dims);
}

static inline bool has(const struct kpi *k)
{
    return k && k->has_value;
}

static inline bool low(const struct kpi *k)
{
    return kpi_flagged(k, "low_sample");
}

static inline bool sig(const struct kpi *k)
{
    return kpi_flagged(k, "significant");
}

/* The About sheet's title, run facts and parameters, the header at row
 * hdr; returns the first free row. */
lxw_row_t about_table(struct sheet *s, lxw_row_t hdr);

/* ------------------------------------------------------------------ */
/* Department tables (xlsx_depts.c), shown by both workbooks.  dept NULL:
 * every department (the executive workbook, with a department column);
 * else only figures whose dims name dept, and only the touchpoints it owns
 * (labels owner_touchpoint), whatever else the model holds.  Each writes
 * its header at row r and returns the first free row after its data. */

/* True when the ownership label of kind ("owner_touchpoint",
 * "owner_topic") gives code to dept. */
bool dept_owns(const struct model *m, const char *kind, const char *code, const char *dept);
/* The "department=D;kpi=K" dims of dept's KPIs (every department's when
 * NULL) in the model's order.  malloc'd pointers into the model. */
const char **dept_kpi_dims(const struct model *m, const char *dept, size_t *n);
/* Colours cell (r, c) by the traffic-light figure in (r, status_col):
 * 2 green, 1 amber, 0 red, no number grey. */
void status_lights(struct sheet *s, lxw_row_t r, lxw_col_t c, lxw_col_t status_col);
lxw_row_t kpi_table(struct sheet *s, lxw_row_t r, const char *dept);
lxw_row_t dept_warning_table(struct sheet *s, lxw_row_t r, const char *dept);
lxw_row_t journey_table(struct sheet *s, lxw_row_t r, const char *dept);
lxw_row_t closure_table(struct sheet *s, lxw_row_t r, const char *dept);
/* Writes a traffic-light figure: its word, or the grey "no data" text. */
void put_status(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k);
/* Why warn.nps_decline is set ("NPS fell three periods running"), or "". */
const char *decline_why(const struct xw *x, const struct kpi *dec);
/* Writes a warning figure: yes / no as a 1/0 number. */
void put_yes_no(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k);

#endif
