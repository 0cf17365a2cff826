/* The workbook helpers both workbooks use (xlsx_book.h). */
#include "xlsx_book.h"

#include "na_reason.h"

#include "cell_text.h"

#include "jobs/base/strbuf.h"
#include "jobs/base/utf8.h"
#include "jobs/config/metrics.h"
#include "jobs/model/status.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_num_format[N_KINDS] = {
    [K_INT] = "#,##0",
    [K_MONEY] = "#,##0.00",
    [K_PCT] = "0.0%",
    [K_SCORE] = "0.0",
    [K_DELTA] = "+0.0;-0.0;0.0",
    [K_DELTA_SIG] = "+0.0\" *\";-0.0\" *\";0.0\" *\"",
    [K_CES] = "0.00",
    [K_RATIO] = "0.00\"×\"",
    [K_ID] = "0",
    [K_PCT_SIGNED] = "+0.0%;-0.0%;0.0%",
    [K_PVALUE] = "[<0.001]\"<0.001\";0.000",
    [K_DEC1] = "#,##0.0",
    [K_INT_SIGNED] = "+#,##0;-#,##0;0",
    [K_DEC2] = "#,##0.00",
    [K_DEC3] = "#,##0.000",
    [K_DEC4] = "#,##0.0000",
    [K_DEC5] = "#,##0.00000",
    [K_DEC6] = "#,##0.000000",
    [K_DEC7] = "#,##0.0000000",
    [K_DEC8] = "#,##0.00000000",
    [K_DATE] = "yyyy-mm-dd",
    [K_MONTH] = "yyyy-mm",
    [K_MOMENT] = "yyyy-mm-dd hh:mm",
};

enum kind figure_kind(const char *code, double v)
{
    const struct metric *m = metric_find(code);
    if (!m)
        return K_GENERAL;
    int dec = metric_decimals(m, v);
    switch (m->unit) {
    case UNIT_COUNT:
        return dec ? K_DEC1 : m->change ? K_INT_SIGNED : K_INT;
    case UNIT_SHARE:
        return m->change ? K_PCT_SIGNED : K_PCT;
    case UNIT_SCORE:
        return m->change ? K_DELTA : K_SCORE;
    case UNIT_MEAN:
        return K_CES;
    case UNIT_MONEY:
        return K_MONEY;
    case UNIT_RATIO:
        return K_RATIO;
    case UNIT_P_VALUE:
        return K_PVALUE;
    case UNIT_STATUS:
        return K_INT;
    case UNIT_NUMBER:
        break;
    }
    static const enum kind places[] = {K_INT,  K_DEC1, K_DEC2, K_DEC3, K_DEC4,
                                       K_DEC5, K_DEC6, K_DEC7, K_DEC8};
    return places[dec < 0 ? 0 : dec > 8 ? 8 : dec];
}

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

void chk(struct xw *x, lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR && x->first == LXW_NO_ERROR) {
        x->first = e;
        snprintf(x->first_where, sizeof(x->first_where), "%s", what);
    }
}

void chk_sheet(struct sheet *s, lxw_error e)
{
    if (e == LXW_NO_ERROR || s->x->first != LXW_NO_ERROR)
        return;
    char *where = xstrfmt("sheet \"%s\"", s->name);
    chk(s->x, e, where);
    free(where);
}

void chk_cell(struct sheet *s, lxw_row_t r, lxw_col_t c, lxw_error e)
{
    if (e == LXW_NO_ERROR || s->x->first != LXW_NO_ERROR)
        return;
    char cell[LXW_MAX_CELL_NAME_LENGTH];
    lxw_rowcol_to_cell(cell, r, c);
    char *where = xstrfmt("sheet \"%s\", cell %s", s->name, cell);
    chk(s->x, e, where);
    free(where);
}

const char *xw_str(struct xw *x, const char *s)
{
    char *clean = utf8_clean(s, strlen(s), NULL);
    if (!clean)
        return s;
    struct names *k = &x->kept;
    if (k->n == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 16;
        k->v = xrealloc(k->v, k->cap * sizeof(*k->v));
    }
    k->v[k->n++] = clean;
    return clean;
}

/* Display width of UTF-8 text in character cells: CJK and full-width
 * characters take two. */
double text_width(const char *s)
{
    double w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        int len;
        if (*p < 0x80) {
            cp = *p;
            len = 1;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1F;
            len = 2;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0F;
            len = 3;
        } else {
            cp = *p & 0x07;
            len = 4;
        }
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80) {
                len = i;
                break;
            }
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        p += len;
        bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000;
        w += wide ? 2.0 : 1.0;
    }
    return w;
}

/* Width of a number as its format shows it. */
double num_width(enum kind k, double v)
{
    int dec = 0, extra = 0;
    bool sep = false;
    switch (k) {
    case K_INT:
        sep = true;
        break;
    case K_MONEY:
        dec = 2, sep = true;
        break;
    case K_PCT:
        v *= 100.0, dec = 1, extra = 1;
        break;
    case K_SCORE:
        dec = 1;
        break;
    case K_DELTA:
        dec = 1, extra = 1;
        break;
    case K_DELTA_SIG:
        dec = 1, extra = 3;
        break;
    case K_CES:
        dec = 2;
        break;
    case K_RATIO:
        dec = 2, extra = 1;
        break;
    case K_ID:
        break;
    case K_PCT_SIGNED:
        v *= 100.0, dec = 1, extra = 2;
        break;
    case K_PVALUE:
        return 6.0;
    case K_INT_SIGNED:
        sep = true, extra = 1;
        break;
    case K_DEC1:
        dec = 1, sep = true;
        break;
    case K_DEC2:
    case K_DEC3:
    case K_DEC4:
    case K_DEC5:
    case K_DEC6:
    case K_DEC7:
    case K_DEC8:
        dec = 2 + (int)(k - K_DEC2), sep = true;
        break;
    case K_GENERAL: {
        char g[64];
        snprintf(g, sizeof(g), "%.10g", v);
        return (double)strlen(g);
    }
    default:
        break;
    }
    char buf[64];
    snprintf(buf, sizeof(buf), "%.*f", dec, fabs(v));
    size_t len = strlen(buf);
    const char *dot = strchr(buf, '.');
    size_t int_len = dot ? (size_t)(dot - buf) : len;
    if (sep && int_len > 3)
        len += (int_len - 1) / 3;
    if (v < 0)
        len++;
    return (double)(len + (size_t)extra);
}

/* A text as an Excel string literal: "say ""hi""" */
char *xl_literal(const char *s)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "\"");
    for (const char *p = s; *p; p++)
        strbuf_add(&sb, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    strbuf_adds(&sb, "\"");
    return strbuf_detach(&sb);
}

char *quote_sheet(const char *name)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "'");
    for (const char *p = name; *p; p++)
        strbuf_add(&sb, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
    strbuf_adds(&sb, "'");
    return strbuf_detach(&sb);
}

/* "B10" or "$B$10" */
void cell_ref(char *buf, lxw_row_t r, lxw_col_t c, bool abs)
{
    lxw_rowcol_to_cell_abs(buf, r, c, abs, abs);
}

/* A decimal number written as text ("0.35", "-12", "30"): no exponent, no
 * hex, so identifiers such as digests stay text. */
bool parse_decimal(const char *s, double *out)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    size_t digits = strspn(p, "0123456789");
    p += digits;
    if (*p == '.') {
        size_t frac = strspn(p + 1, "0123456789");
        digits += frac;
        p += 1 + frac;
    }
    if (!digits || *p)
        return false;
    *out = strtod(s, NULL);
    return isfinite(*out);
}

/* ------------------------------------------------------------------ */
/* formats                                                             */

lxw_format *new_format(struct xw *x)
{
    return xnonnull(workbook_add_format(x->wb));
}

lxw_format *cell_format(struct xw *x, enum kind k, unsigned st)
{
    lxw_format **slot = &x->cell[k][st & (N_STYLES - 1)];
    if (*slot)
        return *slot;
    lxw_format *f = new_format(x);
    if (kind_num_format[k])
        format_set_num_format(f, kind_num_format[k]);
    if (k != K_TEXT && k != K_GENERAL)
        format_set_align(f, LXW_ALIGN_RIGHT);
    if (k == K_TEXT || k == K_GENERAL || (st & S_LEFT))
        format_set_indent(f, 1); /* a gap after a right-aligned number */
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (k == K_GENERAL || (st & S_LEFT))
        format_set_align(f, LXW_ALIGN_LEFT);
    if (k == K_NA) {
        format_set_font_color(f, 0x808080);
        format_set_italic(f);
    }
    if (st & S_LOW) {
        format_set_font_color(f, 0x808080);
        format_set_italic(f);
    }
    if (st & (S_BOLD | S_TOTAL))
        format_set_bold(f);
    if (st & S_TOTAL) {
        format_set_top(f, LXW_BORDER_THIN);
        format_set_bottom(f, LXW_BORDER_DOUBLE);
    }
    if (st & S_INPUT) {
        format_set_font_color(f, 0x0000FF);
        format_set_bg_color(f, 0xFFF2CC);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, 0xBFBFBF);
    }
    if (st & S_RED) {
        format_set_font_color(f, 0x9C0006);
        format_set_bg_color(f, 0xFFC7CE);
        format_set_bold(f);
    }
    if (st & S_GREEN) {
        format_set_font_color(f, 0x006100);
        format_set_bg_color(f, 0xC6EFCE);
    }
    if (st & S_AMBER) { /* the conditional formats' amber (cf_amber) */
        format_set_font_color(f, 0x9C5700);
        format_set_bg_color(f, 0xFFEB9C);
    }
    if (st & S_GREY)
        format_set_font_color(f, 0x808080);
    *slot = f;
    return f;
}

void make_formats(struct xw *x)
{
    x->title = new_format(x);
    format_set_bold(x->title);
    format_set_font_size(x->title, 16);
    format_set_font_color(x->title, 0x1F4E78);

    x->subtitle = new_format(x);
    format_set_italic(x->subtitle);
    format_set_font_color(x->subtitle, 0x595959);

    x->section = new_format(x);
    format_set_bold(x->section);
    format_set_font_size(x->section, 12);
    format_set_font_color(x->section, 0x1F4E78);
    format_set_bottom(x->section, LXW_BORDER_THIN);
    format_set_bottom_color(x->section, 0x1F4E78);

    x->hdr = new_format(x);
    format_set_bold(x->hdr);
    format_set_font_color(x->hdr, 0xFFFFFF);
    format_set_bg_color(x->hdr, 0x1F4E78);
    format_set_border(x->hdr, LXW_BORDER_THIN);
    format_set_border_color(x->hdr, 0xBFBFBF);
    format_set_align(x->hdr, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(x->hdr);
    format_set_indent(x->hdr, 1);

    x->hdr_num = new_format(x);
    format_set_bold(x->hdr_num);
    format_set_font_color(x->hdr_num, 0xFFFFFF);
    format_set_bg_color(x->hdr_num, 0x1F4E78);
    format_set_border(x->hdr_num, LXW_BORDER_THIN);
    format_set_border_color(x->hdr_num, 0xBFBFBF);
    format_set_align(x->hdr_num, LXW_ALIGN_RIGHT);
    format_set_align(x->hdr_num, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(x->hdr_num);

    x->label = new_format(x);
    format_set_bold(x->label);
    format_set_indent(x->label, 1);
    format_set_align(x->label, LXW_ALIGN_VERTICAL_CENTER);

    x->sub = new_format(x);
    format_set_indent(x->sub, 3);
    x->sub_head = new_format(x);
    format_set_indent(x->sub_head, 1);
    format_set_italic(x->sub_head);
    format_set_font_color(x->sub_head, 0x595959);

    x->note = new_format(x);
    format_set_italic(x->note);
    format_set_font_color(x->note, 0x595959);
    format_set_text_wrap(x->note);
    format_set_align(x->note, LXW_ALIGN_VERTICAL_TOP);

    x->para = new_format(x);
    format_set_text_wrap(x->para);
    format_set_align(x->para, LXW_ALIGN_VERTICAL_TOP);

    x->ok_text = new_format(x);
    format_set_bold(x->ok_text);
    format_set_font_color(x->ok_text, 0x006100);
    format_set_text_wrap(x->ok_text);
    format_set_align(x->ok_text, LXW_ALIGN_VERTICAL_CENTER);

    x->bad_text = new_format(x);
    format_set_bold(x->bad_text);
    format_set_font_color(x->bad_text, 0xC00000);
    format_set_text_wrap(x->bad_text);
    format_set_align(x->bad_text, LXW_ALIGN_VERTICAL_CENTER);

    /* Conditional formats (dxf): fill and font colour only. */
    x->cf_green = new_format(x);
    format_set_bg_color(x->cf_green, 0xC6EFCE);
    format_set_font_color(x->cf_green, 0x006100);
    x->cf_amber = new_format(x);
    format_set_bg_color(x->cf_amber, 0xFFEB9C);
    format_set_font_color(x->cf_amber, 0x9C5700);
    x->cf_red = new_format(x);
    format_set_bg_color(x->cf_red, 0xFFC7CE);
    format_set_font_color(x->cf_red, 0x9C0006);
    x->cf_grey = new_format(x);
    format_set_bg_color(x->cf_grey, 0xE7E6E6);
    format_set_font_color(x->cf_grey, 0x595959);
}

/* ------------------------------------------------------------------ */
/* cell writers: each records the width its content needs              */

void widen(struct sheet *s, lxw_col_t c, double w)
{
    if (c < MAX_COLS && w > s->width[c])
        s->width[c] = w;
}

/* Writes txt as cell_text makes it; returns the width of what was written. */
static double write_text(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *txt, lxw_format *f)
{
    char *owned;
    const char *v = cell_text(s->x->t, txt, &owned);
    chk_cell(s, r, c, worksheet_write_string(s->ws, r, c, v, f));
    double w = text_width(v);
    free(owned);
    return w;
}

/* Text in a cell; f NULL: plain text. */
void put_text(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *txt, lxw_format *f)
{
    if (!f)
        f = cell_format(s->x, K_TEXT, 0);
    double w = write_text(s, r, c, txt, f);
    widen(s, c, w * ((f == s->x->hdr || f == s->x->label) ? 1.1 : 1.0));
}

/* Text that may run over empty cells to its right (titles): no width. */
void put_free(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *txt, lxw_format *f)
{
    if (!f)
        f = cell_format(s->x, K_TEXT, 0);
    write_text(s, r, c, txt, f);
}

void add_para(struct sheet *s, lxw_row_t r, lxw_col_t c0, lxw_col_t c1, double width)
{
    if (s->n_para < MAX_PARAS)
        s->para[s->n_para++] = (struct para){r, c0, c1, width};
}

/* A header cell.  A long header of several words may wrap onto two lines
 * rather than widen its column to the whole text. */
void put_hdr(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *txt, bool numeric)
{
    double full = write_text(s, r, c, txt, numeric ? s->x->hdr_num : s->x->hdr) * 1.1, longest = 0;
    for (const char *p = txt; *p;) {
        size_t n = strcspn(p, " ");
        char *word = xstrfmt("%.*s", (int)n, p);
        longest = fmax(longest, text_width(word));
        free(word);
        p += n + (p[n] == ' ');
    }
    double w = full + 1.0;
    if (full > 15.0 && strchr(txt, ' '))
        w = fmax(longest * 1.1 + 1.0, ceil(full / 2.0) + 1.0);
    widen(s, c, w);
    add_para(s, r, c, c, full);
}

void put_cell_text(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *txt, unsigned st)
{
    put_text(s, r, c, txt, cell_format(s->x, K_TEXT, st));
}

/* A numeric cell without a number: empty, its reason in a comment a
 * reader sees on hover, never the n/a text (a formula or a sum reading it
 * would stop at #VALUE!) nor 0.  With style bits, a formatted blank keeps
 * a total's rule or an input's fill; without, no cell at all (the cells a
 * chart reads: libxlsxwriter caches a blank cell as a 0 point, a missing
 * one as a gap, and a comment on the cell as a blank, so charted rows put
 * their notes on the row's label, note_missing). */
static void missing_cell(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *why, unsigned st)
{
    if (st)
        chk_cell(s, r, c, worksheet_write_blank(s->ws, r, c, cell_format(s->x, K_NA, st)));
    char *note = texts_format(s->x->t, "na.note", "why", why, (char *)NULL);
    chk_cell(s, r, c, worksheet_write_comment(s->ws, r, c, xw_str(s->x, note)));
    free(note);
}

static void missing_cell_kpi(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k,
                             unsigned st)
{
    char *why = na_why(s->x, k);
    missing_cell(s, r, c, why, st);
    free(why);
}

void put_na(struct sheet *s, lxw_row_t r, lxw_col_t c, unsigned st)
{
    missing_cell(s, r, c, T(s->x, "na.none"), st);
}

void put_num(struct sheet *s, lxw_row_t r, lxw_col_t c, double v, enum kind k, unsigned st)
{
    if (!isfinite(v)) {
        put_na(s, r, c, st);
        return;
    }
    chk_cell(s, r, c, worksheet_write_number(s->ws, r, c, v, cell_format(s->x, k, st)));
    widen(s, c, num_width(k, v));
}

void put_date(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *ymd, enum kind k, unsigned st)
{
    int y, mo, d;
    char tail;
    if (!ymd || sscanf(ymd, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 || mo < 1 || mo > 12 ||
        d < 1 || d > 31) {
        put_na(s, r, c, st);
        return;
    }
    lxw_datetime dt = {.year = y, .month = mo, .day = d};
    chk_cell(s, r, c, worksheet_write_datetime(s->ws, r, c, &dt, cell_format(s->x, k, st)));
    widen(s, c, k == K_MONTH ? 9.0 : 12.0);
}

void put_moment(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *ts, unsigned st)
{
    int y, mo, d, h, mi;
    double sec;
    if (!ts || sscanf(ts, "%4d-%2d-%2d %2d:%2d:%lf", &y, &mo, &d, &h, &mi, &sec) != 6 || mo < 1 ||
        mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) {
        put_na(s, r, c, st);
        return;
    }
    lxw_datetime dt = {.year = y, .month = mo, .day = d, .hour = h, .min = mi, .sec = sec};
    chk_cell(s, r, c, worksheet_write_datetime(s->ws, r, c, &dt, cell_format(s->x, K_MOMENT, st)));
    widen(s, c, 17.0);
}

char *na_why(const struct xw *x, const struct kpi *k)
{
    char *why = na_reason(x->t, k);
    return why ? why : xstrdup(T(x, "na.none"));
}

void put_missing_why(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *why)
{
    missing_cell(s, r, c, why, 0);
}

void put_missing(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k)
{
    missing_cell_kpi(s, r, c, k, 0);
}

void note_missing(const struct xw *x, struct strbuf *why, const char *label, const struct kpi *k)
{
    char *na = na_why(x, k);
    char *line = texts_format(x->t, "na.note", "why", na, (char *)NULL);
    strbuf_addf(why, "%s%s: %s", why->len ? "\n" : "", label, line);
    free(line);
    free(na);
}

void put_row_note(struct sheet *s, lxw_row_t r, lxw_col_t c, struct strbuf *why)
{
    if (why->len)
        chk_cell(s, r, c, worksheet_write_comment(s->ws, r, c, xw_str(s->x, why->buf)));
    strbuf_reset(why);
}

void put_kpi_point(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k, unsigned st,
                   struct strbuf *why, const char *label)
{
    if (has(k))
        put_kpi(s, r, c, k, st);
    else
        note_missing(s->x, why, label, k);
}

void put_kpi(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k, unsigned st)
{
    put_kpi_as(s, r, c, k, has(k) ? figure_kind(k->code, k->value) : K_NA, st);
}

void put_kpi_as(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k, enum kind kind,
                unsigned st)
{
    if (has(k))
        put_num(s, r, c, k->value, kind, st);
    else
        missing_cell_kpi(s, r, c, k, st);
}

/* A formula with its computed value cached.  !has_value: no formula, an
 * empty cell with the reason (a formula over missing inputs would show
 * #VALUE! or, reading an empty cell as 0, a number the run did not
 * record). */
void put_formula(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *formula, bool has_value,
                 double value, enum kind k, unsigned st)
{
    if (!has_value || !isfinite(value)) {
        missing_cell(s, r, c, T(s->x, "na.none"), st);
        return;
    }
    chk_cell(s, r, c,
             worksheet_write_formula_num(s->ws, r, c, xw_str(s->x, formula),
                                         cell_format(s->x, k, st), value));
    widen(s, c, num_width(k, value));
}

void put_formula_fig(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *formula,
                     const char *code, const char *dims, unsigned st)
{
    const struct kpi *k = K(s->x, code, dims);
    if (!has(k)) {
        missing_cell_kpi(s, r, c, k, st);
        return;
    }
    put_formula(s, r, c, formula, true, k->value, figure_kind(code, k->value), st);
}

void put_formula_text(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *formula,
                      const char *value, lxw_format *f)
{
    char *owned;
    const char *v = cell_text(s->x->t, value, &owned);
    chk_cell(s, r, c, worksheet_write_formula_str(s->ws, r, c, xw_str(s->x, formula), f, v));
    free(owned);
}

/* worksheet_merge_range drops the error of writing its text (1.1.4): the
 * range is merged around an empty text, then the text written and checked. */
double merge_text(struct sheet *s, lxw_row_t r, lxw_col_t c0, lxw_col_t c1, const char *txt,
                  lxw_format *f)
{
    chk_cell(s, r, c0, worksheet_merge_range(s->ws, r, c0, r, c1, "", f));
    return write_text(s, r, c0, txt, f);
}

/* A paragraph merged over columns c0..c1, wrapped; its row height is set
 * once the column widths are known (finish_sheet). */
void put_para(struct sheet *s, lxw_row_t r, lxw_col_t c0, lxw_col_t c1, const char *txt,
              lxw_format *f)
{
    double w = c1 > c0 ? merge_text(s, r, c0, c1, txt, f) : write_text(s, r, c0, txt, f);
    add_para(s, r, c0, c1, w);
}

double col_width(const struct sheet *s, lxw_col_t c)
{
    if (c < MAX_COLS && s->fixed[c] > 0)
        return s->fixed[c];
    if (c >= MAX_COLS || s->width[c] <= 0)
        return LXW_DEF_COL_WIDTH;
    double w = s->width[c] + 2.0;
    return w < 8.0 ? 8.0 : (w > 60.0 ? 60.0 : w);
}

int para_lines(const struct sheet *s, const struct para *p)
{
    double avail = 0;
    for (lxw_col_t c = p->c0; c <= p->c1; c++)
        avail += col_width(s, c);
    /* Cell padding; a long paragraph also keeps a margin for the
     * proportional font. */
    avail = p->c0 == p->c1 ? avail - 1.5 : avail * 0.92 - 1.0;
    int lines = avail > 1 ? (int)ceil(p->width / avail) : 1;
    return lines < 1 ? 1 : lines;
}

/* Column widths that fit, and wrapped rows tall enough for their text. */
void finish_sheet(struct sheet *s)
{
    for (lxw_col_t c = 0; c < MAX_COLS; c++)
        if (s->width[c] > 0 || s->fixed[c] > 0)
            chk_sheet(s, worksheet_set_column(s->ws, c, c, col_width(s, c), NULL));
    for (int i = 0; i < s->n_para; i++) {
        int lines = 0;
        bool done = false;
        for (int j = 0; j < s->n_para; j++) {
            if (s->para[j].row != s->para[i].row)
                continue;
            if (j < i) {
                done = true; /* the row was set with its first paragraph */
                break;
            }
            int l = para_lines(s, &s->para[j]);
            lines = l > lines ? l : lines;
        }
        /* Excel's tallest row; a longer text scrolls inside its cell. */
        double height = fmin(15.0 * lines + 3.0, XW_MAX_ROW_HEIGHT);
        if (!done)
            chk_sheet(s, worksheet_set_row(s->ws, s->para[i].row, height, NULL));
    }
}

void page_setup(struct sheet *s, bool landscape)
{
    worksheet_set_paper(s->ws, 9); /* A4 */
    if (landscape)
        worksheet_set_landscape(s->ws);
    worksheet_fit_to_pages(s->ws, 1, 0);
    worksheet_set_margins(s->ws, 0.5, 0.5, 0.6, 0.6);
    chk_sheet(s, worksheet_set_footer(s->ws, "&L&A&R&P / &N"));
}

unsigned light_style(int light)
{
    return light == LIGHT_GREEN   ? S_GREEN
           : light == LIGHT_AMBER ? S_AMBER
           : light == LIGHT_RED   ? S_RED
                                  : 0;
}

char *period_text(const struct xw *x)
{
    return texts_format(x->t, "workbook.period_range", "first",
                        x->m->period_first_day ? x->m->period_first_day : "", "last",
                        x->m->period_last_day ? x->m->period_last_day : "", (char *)NULL);
}

/* "Revenue (EUR)" when the run has a currency. */
char *with_currency(const struct xw *x, const char *key)
{
    const char *label = T(x, key);
    if (!x->m->currency || !*x->m->currency)
        return xstrdup(label);
    return texts_format(x->t, "workbook.with_currency", "label", label, "currency", x->m->currency,
                        (char *)NULL);
}

char *money_text(const struct xw *x, double v)
{
    char *num = fmt_money(x->t, v, 2);
    if (!x->m->currency || !*x->m->currency)
        return num;
    char *out = xstrfmt("%s %s", num, x->m->currency);
    free(num);
    return out;
}

const char *nz(const char *s)
{
    return s ? s : "";
}

/* ------------------------------------------------------------------ */

bool names_has(const struct names *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return true;
    return false;
}

void names_add(struct names *l, const char *s)
{
    if (names_has(l, s))
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] = xstrdup(s);
}

void names_release(struct names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct values of a dims key among the figures with this code (dims of
 * any number of keys), in the order first added. */
void dim_names(const struct model *m, const char *code, const char *key, struct names *out)
{
    char v[256];
    for (size_t i = 0; i < m->n_kpis; i++)
        if (!strcmp(m->kpis[i].code, code) && dim_value(m->kpis[i].dims, key, v, sizeof(v)))
            names_add(out, v);
}

/* A sheet without its figures says so in one line (a run made before
 * topics were classified). */
void sheet_empty(struct sheet *s, const char *title_key, const char *none_key)
{
    put_free(s, 0, 0, T(s->x, title_key), s->x->title);
    put_free(s, 2, 0, T(s->x, none_key), s->x->subtitle);
    worksheet_freeze_panes(s->ws, 1, 0);
    widen(s, 0, 12.0);
    page_setup(s, false);
    finish_sheet(s);
}

const struct kpi *topic_kpi(const struct xw *x, const char *code, const char *topic)
{
    char dims[300];
    snprintf(dims, sizeof(dims), "topic=%s", topic);
    return K(x, code, dims);
}

char *kpi_name(const struct xw *x, const char *dims)
{
    const char *own = model_find_label(x->m, "kpi_name", dims);
    if (own)
        return xstrdup(own);
    char kpi[128] = "";
    dim_value(dims, "kpi", kpi, sizeof(kpi));
    return texts_dim_label(x->t, x->m, "kpi", kpi);
}

const char *topic_label(const struct xw *x, const char *code)
{
    return model_label(x->m, "topic", code);
}

const char *reason_text(const struct xw *x, const char *reason, char *key, size_t n)
{
    snprintf(key, n, "reason.%s", reason);
    const char *v = T(x, key);
    return v == key ? reason : v; /* texts_get returns the key itself when missing */
}

static void about_row(struct sheet *s, lxw_row_t r, const char *key, const char *value)
{
    put_text(s, r, 0, T(s->x, key), NULL);
    put_cell_text(s, r, 1, nz(value), 0);
}

lxw_row_t about_table(struct sheet *s, lxw_row_t hdr)
{
    struct xw *x = s->x;
    const struct model *m = x->m;
    put_free(s, 0, 0, T(x, "about.title"), x->title);
    put_hdr(s, hdr, 0, T(x, "about.item"), false);
    put_hdr(s, hdr, 1, T(x, "about.value"), false);
    lxw_row_t r = hdr + 1;
    put_text(s, r, 0, T(x, "about.run_id"), NULL);
    put_num(s, r++, 1, (double)m->run_id, K_ID, S_LEFT);
    about_row(s, r++, "about.job", m->job);
    put_text(s, r, 0, T(x, "about.as_of"), NULL);
    put_date(s, r++, 1, m->as_of, K_DATE, S_LEFT);
    /* Local moments in the zone named on the next row, which Excel cannot
     * hold in the cell itself. */
    const char *keys[] = {"about.period_start", "about.period_end", "about.prior_start"};
    const char *moments[] = {m->period_start, m->period_end, m->prior_start};
    for (int i = 0; i < 3; i++, r++) {
        put_text(s, r, 0, T(x, keys[i]), NULL);
        put_moment(s, r, 1, moments[i], S_LEFT);
    }
    about_row(s, r++, "about.time_zone", m->time_zone);
    about_row(s, r++, "about.locale", m->locale);
    put_text(s, r, 0, T(x, "about.started_at"), NULL);
    put_moment(s, r++, 1, m->started_at, S_LEFT);
    about_row(s, r++, "about.program_version", m->program_version);
    about_row(s, r++, "about.config_digest", m->config_digest);
    about_row(s, r++, "about.currency", m->currency);
    put_text(s, r, 0, T(x, "about.min_sample"), NULL);
    put_num(s, r++, 1, (double)m->min_sample, K_INT, S_LEFT);
    put_text(s, r, 0, T(x, "about.max_rejected_share"), NULL);
    put_num(s, r++, 1, m->max_rejected_share, K_PCT, S_LEFT);

    r++;
    put_free(s, r++, 0, T(x, "about.parameters"), x->section);
    put_hdr(s, r, 0, T(x, "about.parameter"), false);
    put_hdr(s, r++, 1, T(x, "about.value"), false);
    for (size_t i = 0; i < m->n_params; i++, r++) {
        double v;
        put_cell_text(s, r, 0, m->params[i].name, 0);
        if (parse_decimal(m->params[i].value, &v))
            put_num(s, r, 1, v, K_GENERAL, 0);
        else
            put_cell_text(s, r, 1, m->params[i].value, 0);
    }
    return r;
}

/* ------------------------------------------------------------------ */
/* opening and closing                                                 */

enum vr_status xw_open(struct xw *x, const struct render_ctx *ctx, const char *path,
                       const struct xw_sheet *sheets, int n_sheets, struct vr_error *err)
{
    x->m = ctx->m;
    x->t = ctx->t;
    x->na = texts_get(x->t, "format.na");
    /* A formula's branch for a figure it cannot compute yields an empty
     * text, never the n/a word in a numeric column. */
    x->na_lit = xl_literal("");
    x->min_text = xstrfmt("%d", x->m->min_sample);

    /* Normal mode: the workbooks are small, and constant-memory mode would
     * drop the cached chart points. */
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = (char *)ctx->tmp_dir};
    x->wb = workbook_new_opt(path, &opt);
    if (!x->wb)
        return vr_fail(err, VR_ERR_OUTPUT, "could not write workbook \"%s\": %s", path,
                       lxw_strerror(LXW_ERROR_MEMORY_MALLOC_FAILED));

    for (int i = 0; i < n_sheets && i < XW_MAX_SHEETS; i++) {
        const char *name = xw_str(x, T(x, sheets[i].title_key));
        lxw_error e = workbook_validate_sheet_name(x->wb, name);
        lxw_worksheet *ws = e == LXW_NO_ERROR ? workbook_add_worksheet(x->wb, name) : NULL;
        if (!ws) {
            workbook_close(x->wb); /* the sheet's error is the one to report */
            x->wb = NULL;
            return vr_fail(err, VR_ERR_OUTPUT,
                           "could not write workbook \"%s\": sheet name \"%s\" (text %s): %s", path,
                           name, sheets[i].title_key,
                           lxw_strerror(e != LXW_NO_ERROR ? e : LXW_ERROR_MEMORY_MALLOC_FAILED));
        }
        x->sh[i] = (struct sheet){.x = x, .ws = ws, .name = name, .ref = quote_sheet(name)};
        x->n_sheets = i + 1;
    }
    make_formats(x);
    return VR_OK;
}

enum vr_status xw_write_sheets(struct xw *x, const struct xw_sheet *sheets, int n_sheets,
                               struct vr_error *err)
{
    bool done[XW_MAX_SHEETS] = {0};
    unsigned given = 0;
    int n = n_sheets < x->n_sheets ? n_sheets : x->n_sheets; /* xw_open made them */
    for (int left = n; left > 0;) {
        int wrote = 0;
        for (int i = 0; i < n; i++) {
            if (done[i] || (sheets[i].needs & ~given))
                continue;
            sheets[i].write(x);
            given |= sheets[i].gives;
            done[i] = true;
            wrote++;
            left--;
        }
        if (!wrote) {
            int i = 0;
            while (done[i])
                i++;
            return vr_fail(err, VR_ERR_INTERNAL,
                           "the %s sheet needs cells (0x%x) no sheet of the workbook writes",
                           sheets[i].key, sheets[i].needs & ~given);
        }
    }
    return VR_OK;
}

void xw_properties(struct xw *x, const char *title, const char *subject)
{
    lxw_doc_properties props = {.title = (char *)xw_str(x, title),
                                .subject = (char *)xw_str(x, subject),
                                .author = "vocreport",
                                .comments = (char *)xw_str(x, nz(x->m->job))};
    chk(x, workbook_set_properties(x->wb, &props), "document properties");
}

enum vr_status xw_close(struct xw *x, const char *path, struct vr_error *err)
{
    enum vr_status st = VR_OK;
    if (x->wb) {
        errno = 0;
        lxw_error e = workbook_close(x->wb); /* also frees the workbook */
        int close_errno = errno;
        x->wb = NULL;
        if (x->first != LXW_NO_ERROR)
            st = vr_fail(err, VR_ERR_OUTPUT, "could not write workbook \"%s\": %s (%s)", path,
                         lxw_strerror(x->first), x->first_where);
        else if (e != LXW_NO_ERROR && close_errno)
            st = vr_fail(err, VR_ERR_OUTPUT, "could not write workbook \"%s\": %s (%s)", path,
                         lxw_strerror(e), strerror(close_errno));
        else if (e != LXW_NO_ERROR)
            st = vr_fail(err, VR_ERR_OUTPUT, "could not write workbook \"%s\": %s", path,
                         lxw_strerror(e));
    }
    for (int i = 0; i < x->n_sheets; i++)
        free(x->sh[i].ref);
    names_release(&x->kept);
    free(x->na_lit);
    free(x->min_text);
    return st;
}

lxw_chart_series *xw_series(struct sheet *s, lxw_chart *ch, const char *cats, lxw_row_t first,
                            lxw_row_t last, lxw_col_t col, lxw_row_t hdr)
{
    char range[LXW_MAX_CELL_RANGE_LENGTH], name[LXW_MAX_CELL_NAME_LENGTH];
    lxw_rowcol_to_range_abs(range, first, col, last, col);
    char *vals = xstrfmt("=%s!%s", s->ref, range);
    lxw_chart_series *ser = chart_add_series(ch, cats, vals);
    free(vals);
    if (!ser) {
        chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    cell_ref(name, hdr, col, true);
    char *nref = xstrfmt("=%s!%s", s->ref, name);
    chart_series_set_name(ser, nref);
    free(nref);
    return ser;
}

lxw_chart *xw_line_chart(struct sheet *s, lxw_row_t first, lxw_row_t last, lxw_row_t hdr,
                         lxw_col_t cat_col, lxw_col_t col, lxw_col_t tcol, const char *title,
                         enum kind kind)
{
    struct xw *x = s->x;
    lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_LINE);
    if (!ch) {
        chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    char range[LXW_MAX_CELL_RANGE_LENGTH];
    lxw_rowcol_to_range_abs(range, first, cat_col, last, cat_col);
    char *cats = xstrfmt("=%s!%s", s->ref, range);
    const lxw_col_t cols[2] = {col, tcol};
    const lxw_color_t colours[2] = {0x1F4E78, 0x9C5700};
    for (int i = 0; i < (tcol ? 2 : 1); i++) {
        lxw_chart_series *ser = xw_series(s, ch, cats, first, last, cols[i], hdr);
        if (!ser)
            break;
        lxw_chart_line ln = {.color = colours[i],
                             .width = i ? 1.25 : 2.25,
                             .dash_type = i ? LXW_CHART_LINE_DASH_DASH : 0};
        chart_series_set_line(ser, &ln);
        if (!i) {
            chart_series_set_marker_type(ser, LXW_CHART_MARKER_CIRCLE);
            chart_series_set_marker_size(ser, 5);
            lxw_chart_fill mf = {.color = colours[i]};
            chart_series_set_marker_fill(ser, &mf);
        } else {
            chart_series_set_marker_type(ser, LXW_CHART_MARKER_NONE);
        }
    }
    free(cats);
    chart_title_set_name(ch, xw_str(x, title));
    lxw_chart_font title_font = {.size = 11, .bold = 1, .color = 0x1F4E78};
    chart_title_set_name_font(ch, &title_font);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
    chart_axis_set_num_format(ch->y_axis, kind == K_PCT ? "0%" : kind == K_CES ? "0.0" : "#,##0");
    lxw_chart_font axis_font = {.size = 8, .rotation = -45};
    chart_axis_set_num_font(ch->x_axis, &axis_font);
    return ch;
}
