/* The executive briefing: one or two A4 pages drawn with libharu.
 *
 * The page is a column of blocks (the table `blocks` below).  Each block is
 * one layout function that draws itself from the top of the free space and
 * returns the height it used; run with p->draw false it only measures, so
 * the runner can move a block that does not fit onto the second page.
 * Blocks whose figures are all absent return 0 and leave no trace.
 *
 * All text goes through one embedded TrueType font with the UTF-8 encoder
 * (PLATFORM.md "libharu 2.3.0"), so labels in either locale and verbatims
 * in any language render; the wrapper below breaks English at spaces and
 * Chinese between any two characters.  Glyphs the font lacks (•, −, ✓) are
 * avoided: bullets and marks are drawn as shapes. */
#include "render.h"

#include "../jobs/strbuf.h"
#include "findings.h"

#include <hpdf.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A4 portrait, in points. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN_X 40.0
#define MARGIN_TOP 40.0
#define CONTENT_BOTTOM 58.0 /* the footer lives below */
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define BLOCK_GAP 18.0
#define MAX_PAGES 2

/* Type sizes: large enough to read on a phone without zooming far. */
#define SIZE_TITLE 20.0
#define SIZE_SUBTITLE 10.0
#define SIZE_HEADING 13.0
#define SIZE_BODY 11.0
#define LEADING_BODY 15.5
#define SIZE_SMALL 8.5
#define SIZE_TINY 7.5
#define SIZE_TILE_VALUE 24.0

#define MAX_FINDINGS 5
#define MAX_TABLE_ROWS 12
#define MAX_VERBATIMS 5
#define MAX_VERBATIM_LINES 6
#define MONEY_DECIMALS 2

struct rgb {
    float r, g, b;
};

/* A restrained palette: ink and greys for text and rules, one blue accent;
 * red, amber and green only ever mean a status. */
static const struct rgb WHITE = {1.0f, 1.0f, 1.0f};
static const struct rgb INK = {0.12f, 0.14f, 0.17f};
static const struct rgb MUTED = {0.38f, 0.41f, 0.46f};
static const struct rgb RULE = {0.78f, 0.80f, 0.83f};
static const struct rgb GRID = {0.90f, 0.91f, 0.93f};
static const struct rgb PANEL = {0.955f, 0.962f, 0.972f};
static const struct rgb ACCENT = {0.11f, 0.30f, 0.47f};
static const struct rgb ACCENT_LIGHT = {0.62f, 0.72f, 0.82f};
static const struct rgb RED = {0.76f, 0.16f, 0.14f};
static const struct rgb AMBER = {0.80f, 0.49f, 0.00f};
static const struct rgb GREEN = {0.15f, 0.48f, 0.22f};

/* The four customer classes in reading order, with their bar colours
 * (shades of the accent; no status colours). */
static const char *const classes[] = {"promoter", "passive", "detractor", "none"};
static const struct rgb class_colour[] = {
    {0.11f, 0.30f, 0.47f},
    {0.42f, 0.58f, 0.73f},
    {0.36f, 0.38f, 0.42f},
    {0.72f, 0.74f, 0.77f},
};
#define N_CLASSES (sizeof(classes) / sizeof(classes[0]))

struct pdf {
    const struct model *m;
    const struct texts *t;
    HPDF_Doc doc;
    HPDF_Font font;
    HPDF_Page pages[MAX_PAGES];
    int n_pages;
    HPDF_Page page;
    bool draw;    /* false: measure only, touch no page */
    double y;     /* top of the free space on the current page */
    double avail; /* height a block may use (measure: unlimited) */
    /* First libharu error, recorded by the error handler. */
    HPDF_STATUS code, detail;
    const char *stage; /* what was going on, for the error message */
    const char *block;
    char *findings[MAX_FINDINGS];
    size_t n_findings;
};

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
    struct pdf *p = user;
    if (!p->code) {
        p->code = code;
        p->detail = detail;
    }
}

/* ---- Formatting ------------------------------------------------------ */

static const char *tx(const struct pdf *p, const char *key)
{
    return texts_get(p->t, key);
}

/* "2026-09-01" -> "1 Sep 2026" / "2026年9月1日"; anything else as given. */
static char *fmt_date(const struct texts *t, const char *ymd)
{
    int y, mo, d;
    char tail;
    if (!ymd || sscanf(ymd, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 || mo < 1 || mo > 12 ||
        d < 1 || d > 31)
        return xstrdup(ymd ? ymd : "");
    char key[16], ys[16], ms[8], ds[8];
    snprintf(key, sizeof(key), "date.m%02d", mo);
    snprintf(ys, sizeof(ys), "%d", y);
    snprintf(ms, sizeof(ms), "%d", mo);
    snprintf(ds, sizeof(ds), "%d", d);
    return texts_format(t, "date.format", "day", ds, "month", texts_get(t, key), "mm", ms, "year",
                        ys, (char *)NULL);
}

/* ---- Drawing primitives (no-ops while measuring) ----------------------- */

static double width_n(const struct pdf *p, const char *s, size_t len, double size)
{
    if (!len)
        return 0;
    HPDF_TextWidth tw = HPDF_Font_TextWidth(p->font, (const HPDF_BYTE *)s, (HPDF_UINT)len);
    return tw.width * size / 1000.0;
}

static double text_width(const struct pdf *p, const char *s, double size)
{
    return width_n(p, s, strlen(s), size);
}

enum align { LEFT, RIGHT, CENTER };

static void text(struct pdf *p, double x, double y, double size, struct rgb c, enum align a,
                 const char *s)
{
    if (!p->draw || !s || !*s)
        return;
    if (a != LEFT) {
        double w = text_width(p, s, size);
        x -= a == RIGHT ? w : w / 2;
    }
    HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
    HPDF_Page_BeginText(p->page);
    HPDF_Page_SetFontAndSize(p->page, p->font, (HPDF_REAL)size);
    HPDF_Page_TextOut(p->page, (HPDF_REAL)x, (HPDF_REAL)y, s);
    HPDF_Page_EndText(p->page);
}

static void rect(struct pdf *p, double x, double y, double w, double h, struct rgb c)
{
    if (!p->draw || w <= 0 || h <= 0)
        return;
    HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Fill(p->page);
}

static void line(struct pdf *p, double x1, double y1, double x2, double y2, double width,
                 struct rgb c)
{
    if (!p->draw)
        return;
    HPDF_Page_SetRGBStroke(p->page, c.r, c.g, c.b);
    HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)width);
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_LineTo(p->page, (HPDF_REAL)x2, (HPDF_REAL)y2);
    HPDF_Page_Stroke(p->page);
}

/* ---- UTF-8 text wrapping ------------------------------------------------ */

struct lines {
    char **v;
    size_t n, cap;
};

static void lines_add(struct lines *l, struct strbuf *sb)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] = strbuf_detach(sb);
}

static void lines_release(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

/* Decodes the character at s: its byte length (1 for a stray byte) and
 * code point. */
static size_t u8_char(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len;
    uint32_t c;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    } else if ((u[0] & 0xE0) == 0xC0) {
        len = 2;
        c = u[0] & 0x1Fu;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3;
        c = u[0] & 0x0Fu;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4;
        c = u[0] & 0x07u;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (u[i] & 0x3Fu);
    }
    *cp = c;
    return len;
}

static bool is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000;
}

/* Scripts written without spaces: a line may break between any two. */
static bool is_cjk(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x11FF) || (c >= 0x2E80 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x20000 && c <= 0x3FFFF);
}

static bool in_set(uint32_t c, const uint32_t *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == c)
            return true;
    return false;
}

/* Closing punctuation never starts a line ... */
static bool no_break_before(uint32_t c)
{
    static const uint32_t set[] = {0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F,
                                   0xFF09, 0x300D, 0x300F, 0x300B, 0x3009, 0x3011, 0x3015, 0x201D,
                                   0x2019, 0x2026, 0xFF05, 0x30FC, '.',    ',',    ';',    ':',
                                   '!',    '?',    ')',    ']',    '}',    '%'};
    return in_set(c, set, sizeof(set) / sizeof(set[0]));
}

/* ... and opening punctuation never ends one. */
static bool no_break_after(uint32_t c)
{
    static const uint32_t set[] = {0xFF08, 0x300C, 0x300E, 0x300A, 0x3008, 0x3010,
                                   0x3014, 0x201C, 0x2018, '(',    '[',    '{'};
    return in_set(c, set, sizeof(set) / sizeof(set[0]));
}

/* The next unbreakable piece of s: a word (with a comparison such as
 * "p < 0.001" kept whole), or one CJK character together with the
 * punctuation that must stay with it.  Sets [*start, *end) and
 * whether white space came before it; returns where to go on. */
static const char *next_atom(const char *q, const char **start, const char **end,
                             bool *space_before)
{
    uint32_t c = 0, last = 0;
    size_t len;
    *space_before = false;
    while (*q && (len = u8_char(q, &c), is_space(c))) {
        *space_before = true;
        q += len;
    }
    *start = q;
    while (*q) {
        len = u8_char(q, &c);
        if (is_cjk(c)) {
            q += len;
            last = c;
        } else {
            while (*q) {
                /* "p < 0.001", "n = 160": a comparison stays on one line
                 * (the font has no no-break space). */
                if (q[0] == ' ' && q[1] && strchr("<>=", q[1]) && q[2] == ' ' && q[3] &&
                    q[3] != ' ') {
                    q += 3;
                    last = ' ';
                    continue;
                }
                len = u8_char(q, &c);
                if (is_space(c) || is_cjk(c))
                    break;
                q += len;
                last = c;
            }
        }
        if (!*q)
            break;
        u8_char(q, &c);
        if (is_space(c) || !(no_break_before(c) || no_break_after(last)))
            break;
    }
    *end = q;
    return q;
}

/* Greedy line filling at the given size and width; white space between
 * words collapses to one space. */
static void wrap(const struct pdf *p, const char *s, double size, double width, struct lines *out)
{
    struct strbuf ln;
    strbuf_init(&ln);
    double w = 0, space_w = text_width(p, " ", size);
    const char *q = s, *a, *b;
    bool sp;
    for (;;) {
        q = next_atom(q, &a, &b, &sp);
        if (a == b)
            break;
        double aw = width_n(p, a, (size_t)(b - a), size);
        if (ln.len && w + (sp ? space_w : 0) + aw <= width) {
            if (sp) {
                strbuf_adds(&ln, " ");
                w += space_w;
            }
            strbuf_add(&ln, a, (size_t)(b - a));
            w += aw;
            continue;
        }
        if (ln.len) {
            lines_add(out, &ln);
            w = 0;
        }
        if (aw <= width) {
            strbuf_add(&ln, a, (size_t)(b - a));
            w = aw;
            continue;
        }
        /* Longer than a whole line (a URL, a long number): break anywhere. */
        for (const char *c = a; c < b;) {
            uint32_t cp;
            size_t len = u8_char(c, &cp);
            double cw = width_n(p, c, len, size);
            if (ln.len && w + cw > width) {
                lines_add(out, &ln);
                w = 0;
            }
            strbuf_add(&ln, c, len);
            w += cw;
            c += len;
        }
    }
    if (ln.len)
        lines_add(out, &ln);
    strbuf_release(&ln);
}

/* Keeps at most max lines, ending the last with "…" when text was cut. */
static void clamp_lines(const struct pdf *p, struct lines *l, size_t max, double size, double width)
{
    if (l->n <= max || !max)
        return;
    for (size_t i = max; i < l->n; i++)
        free(l->v[i]);
    l->n = max;
    char *last = l->v[max - 1];
    size_t len = strlen(last);
    const char *ellipsis = "…";
    double ew = text_width(p, ellipsis, size);
    while (len && (width_n(p, last, len, size) + ew > width || last[len - 1] == ' ')) {
        len--;
        while (len && ((unsigned char)last[len] & 0xC0) == 0x80)
            len--;
    }
    l->v[max - 1] = xstrfmt("%.*s%s", (int)len, last, ellipsis);
    free(last);
}

/* One line of text that must fit a box: shrinks the size down to min_size,
 * then cuts with "…".  Caller frees. */
static char *fit(const struct pdf *p, const char *s, double *size, double min_size, double width)
{
    while (text_width(p, s, *size) > width && *size - 0.5 >= min_size)
        *size -= 0.5;
    if (text_width(p, s, *size) <= width)
        return xstrdup(s);
    struct lines l = {0};
    wrap(p, s, *size, width, &l);
    clamp_lines(p, &l, 1, *size, width);
    char *out = l.n ? l.v[0] : xstrdup("");
    if (l.n)
        l.v[0] = NULL, l.n = 0;
    lines_release(&l);
    return out;
}

/* Draws a fitted one-line label. */
static void label(struct pdf *p, double x, double y, double size, double min_size, double width,
                  struct rgb c, enum align a, const char *s)
{
    char *f = fit(p, s, &size, min_size, width);
    text(p, x, y, size, c, a, f);
    free(f);
}

/* A block heading; returns its height. */
static double heading(struct pdf *p, double top, const char *s)
{
    label(p, MARGIN_X, top - SIZE_HEADING, SIZE_HEADING, 10, CONTENT_W, ACCENT, LEFT, s);
    return SIZE_HEADING + 9;
}

/* ---- Blocks -------------------------------------------------------------- */

/* "Job nightly · 1 Sep 2026 – 30 Sep 2026 · as of 1 Oct 2026".  Caller frees. */
static char *subtitle(const struct pdf *p)
{
    const struct model *m = p->m;
    char *first = fmt_date(p->t, m->period_first_day);
    char *last = fmt_date(p->t, m->period_last_day);
    char *as_of = fmt_date(p->t, m->as_of);
    char *sub = texts_format(p->t, "briefing.subtitle", "job", m->job ? m->job : "", "first", first,
                             "last", last, "as_of", as_of, (char *)NULL);
    free(first);
    free(last);
    free(as_of);
    return sub;
}

static double block_header(struct pdf *p)
{
    double top = p->y;
    label(p, MARGIN_X, top - SIZE_TITLE, SIZE_TITLE, 14, CONTENT_W, INK, LEFT,
          tx(p, "briefing.title"));
    char *sub = subtitle(p);
    label(p, MARGIN_X, top - SIZE_TITLE - 18, SIZE_SUBTITLE, 8, CONTENT_W, MUTED, LEFT, sub);
    free(sub);

    double rule_y = top - SIZE_TITLE - 30;
    line(p, MARGIN_X, rule_y, MARGIN_X + CONTENT_W, rule_y, 1.5, ACCENT);
    return top - rule_y;
}

struct tile {
    const char *label;
    char *value;
    bool na;          /* no figure: value is the "n/a" text, drawn smaller and grey */
    char *value_note; /* small text right of the value, e.g. "±9.9" */
    char *line1, *line2;
    struct rgb c1, c2;
};

static void tile_release(struct tile *tl)
{
    free(tl->value);
    free(tl->value_note);
    free(tl->line1);
    free(tl->line2);
}

static void tile_nps(struct pdf *p, struct tile *tl)
{
    const struct texts *t = p->t;
    const struct kpi *nps = model_find(p->m, "nps", "");
    const struct kpi *delta = model_find(p->m, "nps_delta", "");
    double moe;
    tl->label = tx(p, "tile.nps");
    if (!nps || !nps->has_value) {
        tl->value = xstrdup(tx(p, "tile.na"));
        tl->na = true;
        return;
    }
    tl->value = fmt_score(t, nps->value);
    if (model_value(p->m, "nps_moe", "", &moe)) {
        char *e = fmt_number(t, moe, 1);
        tl->value_note = xstrfmt("±%s", e);
        free(e);
    }
    bool significant = delta && delta->has_value && kpi_flagged(delta, "significant");
    if (delta && delta->has_value) {
        char *d = fmt_signed(t, delta->value, 1);
        tl->line1 = texts_format(t, "tile.delta", "delta", d, (char *)NULL);
        tl->c1 = significant ? (delta->value < 0 ? RED : GREEN) : INK;
        free(d);
    } else {
        tl->line1 = xstrdup(tx(p, "tile.no_prior"));
        tl->c1 = MUTED;
    }
    char *n = fmt_count(t, nps->n < 0 ? 0 : nps->n);
    if (kpi_flagged(nps, "low_sample")) {
        tl->line2 = texts_format(t, "tile.low_sample", "n", n, (char *)NULL);
        tl->c2 = AMBER;
    } else if (significant) {
        tl->line2 = xstrdup(tx(p, "tile.significant"));
        tl->c2 = delta->value < 0 ? RED : GREEN;
    } else if (delta && delta->has_value) {
        tl->line2 = xstrdup(tx(p, "tile.within"));
        tl->c2 = MUTED;
    } else {
        tl->line2 = texts_format(t, "tile.responses", "n", n, (char *)NULL);
        tl->c2 = MUTED;
    }
    free(n);
}

static void tile_csat(struct pdf *p, struct tile *tl)
{
    const struct kpi *k = model_find(p->m, "csat", "");
    tl->label = tx(p, "tile.csat");
    if (!k || !k->has_value) {
        tl->value = xstrdup(tx(p, "tile.na"));
        tl->na = true;
        return;
    }
    tl->value = fmt_percent(p->t, k->value, 1);
    char *n = fmt_count(p->t, k->n < 0 ? 0 : k->n);
    tl->line1 = texts_format(p->t, "tile.csat_sub", "n", n, (char *)NULL);
    tl->c1 = MUTED;
    if (kpi_flagged(k, "low_sample")) {
        tl->line2 = texts_format(p->t, "tile.low_sample", "n", n, (char *)NULL);
        tl->c2 = AMBER;
    }
    free(n);
}

static void tile_churn(struct pdf *p, struct tile *tl)
{
    double v;
    tl->label = tx(p, "tile.churn");
    if (!model_value(p->m, "churn_rate", "", &v)) {
        tl->value = xstrdup(tx(p, "tile.na"));
        tl->na = true;
        return;
    }
    tl->value = fmt_percent(p->t, v, 1);
    char *date = fmt_date(p->t, p->m->period_last_day);
    tl->line1 = texts_format(p->t, "tile.churn_sub", "date", date, (char *)NULL);
    tl->c1 = MUTED;
    free(date);
}

/* "1,234 EUR": whole units on a tile. */
static char *tile_money(struct pdf *p, double v)
{
    char *num = fmt_money(p->t, v, 0);
    if (!p->m->currency || !*p->m->currency)
        return num;
    char *s = texts_format(p->t, "briefing.money", "amount", num, "currency", p->m->currency,
                           (char *)NULL);
    free(num);
    return s;
}

/* VoC ROI: roi.value as a percentage with the benefit and cost under it;
 * "not yet measured" while no experiment is configured (no roi.*). */
static void tile_roi(struct pdf *p, struct tile *tl)
{
    double v, b, c;
    tl->label = tx(p, "tile.roi");
    bool has_b = model_value(p->m, "roi.benefit", "", &b),
         has_c = model_value(p->m, "roi.cost", "", &c);
    if (!model_value(p->m, "roi.value", "", &v)) {
        tl->value = xstrdup(tx(p, "tile.na"));
        tl->na = true;
        if (!has_b && !has_c) {
            tl->line1 = xstrdup(tx(p, "tile.roi_na"));
            tl->c1 = MUTED;
            return;
        }
    } else {
        tl->value = fmt_percent(p->t, v, 0);
    }
    if (has_b) {
        char *a = tile_money(p, b);
        tl->line1 = texts_format(p->t, "tile.roi_benefit", "amount", a, (char *)NULL);
        tl->c1 = MUTED;
        free(a);
    }
    if (has_c) {
        char *a = tile_money(p, c);
        tl->line2 = texts_format(p->t, "tile.roi_cost", "amount", a, (char *)NULL);
        tl->c2 = MUTED;
        free(a);
    }
}

static double block_tiles(struct pdf *p)
{
    const double gap = 10, h = 92, pad = 9;
    const double w = (CONTENT_W - 3 * gap) / 4;
    void (*const fill[])(struct pdf *, struct tile *) = {tile_nps, tile_csat, tile_churn, tile_roi};
    double top = p->y;
    for (size_t i = 0; i < 4; i++) {
        struct tile tl = {.c1 = MUTED, .c2 = MUTED};
        fill[i](p, &tl);
        double x = MARGIN_X + (double)i * (w + gap), inner = w - 2 * pad;
        rect(p, x, top - h, w, h, PANEL);
        rect(p, x, top - 2.5, w, 2.5, ACCENT);
        label(p, x + pad, top - 18, 9.5, 7.5, inner, MUTED, LEFT, tl.label);

        /* "n/a" is a statement, not a figure: smaller and grey. */
        double size = tl.na ? SIZE_TILE_VALUE - 4 : SIZE_TILE_VALUE;
        double note_w = tl.value_note ? text_width(p, tl.value_note, 10) + 4 : 0;
        char *value = fit(p, tl.value, &size, 14, inner - note_w);
        text(p, x + pad, top - 50, size, tl.na ? MUTED : INK, LEFT, value);
        if (tl.value_note)
            text(p, x + pad + text_width(p, value, size) + 4, top - 50, 10, MUTED, LEFT,
                 tl.value_note);
        free(value);
        if (tl.line1 && !tl.line2) {
            /* Alone, the line may take both rows rather than shrink. */
            struct lines l = {0};
            wrap(p, tl.line1, SIZE_SMALL, inner, &l);
            clamp_lines(p, &l, 2, SIZE_SMALL, inner);
            for (size_t k = 0; k < l.n; k++)
                text(p, x + pad, top - 67 - 12 * (double)k, SIZE_SMALL, tl.c1, LEFT, l.v[k]);
            lines_release(&l);
        } else if (tl.line1) {
            label(p, x + pad, top - 67, SIZE_SMALL, 6.5, inner, tl.c1, LEFT, tl.line1);
        }
        if (tl.line2)
            label(p, x + pad, top - 79, SIZE_SMALL, 6.5, inner, tl.c2, LEFT, tl.line2);
        tile_release(&tl);
    }
    return h;
}

static double block_findings(struct pdf *p)
{
    if (!p->n_findings)
        return 0;
    double top = p->y, y = top - heading(p, top, tx(p, "briefing.findings"));
    const double indent = 14, width = CONTENT_W - indent;
    for (size_t i = 0; i < p->n_findings; i++) {
        struct lines l = {0};
        wrap(p, p->findings[i], SIZE_BODY, width, &l);
        /* A square bullet on the first line's x-height. */
        rect(p, MARGIN_X + 2, y - LEADING_BODY + 6.5, 4, 4, ACCENT);
        for (size_t k = 0; k < l.n; k++) {
            y -= LEADING_BODY;
            text(p, MARGIN_X + indent, y + 3.5, SIZE_BODY, INK, LEFT, l.v[k]);
        }
        y -= 5;
        lines_release(&l);
    }
    /* decisions.md: an unexplained reconciliation difference shows in red. */
    double unexplained;
    if (model_value(p->m, "recon.unexplained", "", &unexplained) && fabs(unexplained) >= 0.005) {
        char *num = fmt_money(p->t, unexplained, MONEY_DECIMALS);
        char *amount = p->m->currency && *p->m->currency
                           ? texts_format(p->t, "briefing.money", "amount", num, "currency",
                                          p->m->currency, (char *)NULL)
                           : xstrdup(num);
        char *s = texts_format(p->t, "briefing.unexplained", "amount", amount, (char *)NULL);
        y -= LEADING_BODY;
        label(p, MARGIN_X + indent, y + 3.5, SIZE_BODY, 8, width, RED, LEFT, s);
        rect(p, MARGIN_X + 2, y + 5, 4, 4, RED);
        free(num);
        free(amount);
        free(s);
    }
    return top - y;
}

/* A step of 1, 2, 2.5 or 5 × 10^k giving about `target` intervals. */
static double nice_step(double max, int target)
{
    if (!(max > 0))
        return 1;
    double raw = max / target, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return mag * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10);
}

/* One bar panel of the class chart: a value per class, ticks, labels. */
static void class_panel(struct pdf *p, double x, double top, double w, double h, const char *title,
                        const char *code, bool percent)
{
    const struct texts *t = p->t;
    double v[N_CLASSES];
    bool has[N_CLASSES];
    double max = 0;
    for (size_t i = 0; i < N_CLASSES; i++) {
        char dims[32];
        snprintf(dims, sizeof(dims), "class=%s", classes[i]);
        has[i] = model_value(p->m, code, dims, &v[i]) && isfinite(v[i]);
        if (has[i] && v[i] > max)
            max = v[i];
    }
    label(p, x, top - 10, 9.5, 7.5, w, INK, LEFT, title);

    const double left = 38, plot_top = top - 34, plot_bottom = top - h + 26;
    const double px = x + left, pw = w - left, ph = plot_top - plot_bottom;
    double step = nice_step(max, 4), axis_max = ceil(max / step - 1e-9) * step;
    if (axis_max <= 0)
        axis_max = step;
    int tick_dec = percent ? (step * 100 < 1 ? 1 : 0) : (step < 1 ? 2 : 0);
    for (int k = 0; k * step <= axis_max + 1e-9; k++) {
        double val = k * step, y = plot_bottom + ph * val / axis_max;
        if (k)
            line(p, px, y, px + pw, y, 0.5, GRID);
        char *tl = percent ? fmt_percent(t, val, tick_dec) : fmt_number(t, val, tick_dec);
        label(p, px - 5, y - 2.5, SIZE_TINY, 6, left - 6, MUTED, RIGHT, tl);
        free(tl);
    }
    line(p, px, plot_bottom, px + pw, plot_bottom, 0.8, RULE);

    double slot = pw / N_CLASSES, bar = slot * 0.58;
    int value_dec = percent ? 1 : (axis_max >= 100 ? 0 : MONEY_DECIMALS);
    for (size_t i = 0; i < N_CLASSES; i++) {
        double cx = px + slot * ((double)i + 0.5);
        char key[32];
        snprintf(key, sizeof(key), "class.%s", classes[i]);
        label(p, cx, plot_bottom - 12, SIZE_SMALL, 6.5, slot - 2, INK, CENTER, tx(p, key));
        if (!has[i]) {
            text(p, cx, plot_bottom + 4, SIZE_SMALL, MUTED, CENTER, texts_get(t, "format.na"));
            continue;
        }
        double bh = v[i] > 0 ? ph * v[i] / axis_max : 0;
        rect(p, cx - bar / 2, plot_bottom, bar, bh, class_colour[i]);
        char *vl = percent ? fmt_percent(t, v[i], value_dec) : fmt_number(t, v[i], value_dec);
        double size = SIZE_SMALL;
        char *fitted = fit(p, vl, &size, 6.5, slot - 2);
        double vw = text_width(p, fitted, size);
        /* Keep the value readable where it crosses a grid line. */
        rect(p, cx - vw / 2 - 2, plot_bottom + bh + 2, vw + 4, size + 1, WHITE);
        text(p, cx, plot_bottom + bh + 4, size, INK, CENTER, fitted);
        free(fitted);
        free(vl);
    }
}

static bool any_class_value(const struct model *m, const char *code)
{
    for (size_t i = 0; i < N_CLASSES; i++) {
        char dims[32];
        double v;
        snprintf(dims, sizeof(dims), "class=%s", classes[i]);
        if (model_value(m, code, dims, &v))
            return true;
    }
    return false;
}

/* Promoter-vs-detractor chart: revenue per customer and churn rate by
 * class, two panels on one axis each (no dual axes). */
static double block_classes(struct pdf *p)
{
    bool arpu = any_class_value(p->m, "class.arpu");
    bool churn = any_class_value(p->m, "class.churn_rate");
    if (!arpu && !churn)
        return 0;
    const double gap = 28, h = 168;
    double top = p->y, y = top - heading(p, top, tx(p, "chart.title"));
    double w = (CONTENT_W - gap) / 2, x = MARGIN_X;
    if (arpu) {
        const char *cur = p->m->currency;
        char *title = cur && *cur ? texts_format(p->t, "chart.arpu", "currency", cur, (char *)NULL)
                                  : xstrdup(tx(p, "chart.arpu_plain"));
        class_panel(p, x, y, w, h, title, "class.arpu", false);
        free(title);
        x += w + gap;
    }
    if (churn) {
        char *date = fmt_date(p->t, p->m->period_last_day);
        char *title = texts_format(p->t, "chart.churn", "date", date, (char *)NULL);
        class_panel(p, x, y, w, h, title, "class.churn_rate", true);
        free(date);
        free(title);
    }
    return top - (y - h);
}

/* ---- Top complaints (decisions.md "Topics, share of voice and root
 * cause") ---------------------------------------------------------------- */

#define TOP_COMPLAINTS 5

static const struct kpi *topic_kpi(const struct pdf *p, const char *code, const char *topic)
{
    char *dims = xstrfmt("topic=%s", topic);
    const struct kpi *k = model_find(p->m, code, dims);
    free(dims);
    return k;
}

static bool present(const struct kpi *k)
{
    return k && k->has_value && isfinite(k->value);
}

struct ranked {
    const char *code;
    double rank;
};

static int by_rank(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* The top complaints: topic.rank 1, 2, ... among the topics with negative
 * rows, at most TOP_COMPLAINTS.  Returns how many; top points into the model. */
static size_t top_complaints(const struct pdf *p, const char **top)
{
    size_t n = 0, k = 0;
    const char **codes = model_dim_values(p->m, "topic.rank", "topic", &n);
    struct ranked *r = xcalloc(n + 1, sizeof(*r));
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const struct kpi *rank = topic_kpi(p, "topic.rank", codes[i]);
        const struct kpi *neg = topic_kpi(p, "topic.negative", codes[i]);
        if (present(rank) && present(neg) && neg->value > 0)
            r[m++] = (struct ranked){codes[i], rank->value};
    }
    qsort(r, m, sizeof(*r), by_rank);
    for (; k < m && k < TOP_COMPLAINTS; k++)
        top[k] = r[k].code;
    free(r);
    free(codes);
    return k;
}

/* A small filled triangle: up (dir > 0), down (dir < 0) or right (0),
 * centred on (cx, cy).  The font lacks the arrow glyphs. */
static void triangle(struct pdf *p, double cx, double cy, double size, int dir, struct rgb c)
{
    if (!p->draw)
        return;
    double h = size * 0.5, w = size * 0.45;
    HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
    if (dir > 0) {
        HPDF_Page_MoveTo(p->page, (HPDF_REAL)(cx - h), (HPDF_REAL)(cy - w));
        HPDF_Page_LineTo(p->page, (HPDF_REAL)(cx + h), (HPDF_REAL)(cy - w));
        HPDF_Page_LineTo(p->page, (HPDF_REAL)cx, (HPDF_REAL)(cy + w));
    } else if (dir < 0) {
        HPDF_Page_MoveTo(p->page, (HPDF_REAL)(cx - h), (HPDF_REAL)(cy + w));
        HPDF_Page_LineTo(p->page, (HPDF_REAL)(cx + h), (HPDF_REAL)(cy + w));
        HPDF_Page_LineTo(p->page, (HPDF_REAL)cx, (HPDF_REAL)(cy - w));
    } else {
        HPDF_Page_MoveTo(p->page, (HPDF_REAL)(cx - w), (HPDF_REAL)(cy + h));
        HPDF_Page_LineTo(p->page, (HPDF_REAL)(cx - w), (HPDF_REAL)(cy - h));
        HPDF_Page_LineTo(p->page, (HPDF_REAL)(cx + w), (HPDF_REAL)cy);
    }
    HPDF_Page_ClosePath(p->page);
    HPDF_Page_Fill(p->page);
}

/* The direction of a topic's trend: topic.trend, else its change (+/-10 %);
 * *is_new when the prior period had none. */
static int trend_of(const struct pdf *p, const char *topic, bool *is_new)
{
    const struct kpi *tr = topic_kpi(p, "topic.trend", topic);
    const struct kpi *ch = topic_kpi(p, "topic.negative_change", topic);
    *is_new = false;
    if (present(tr))
        return tr->value > 0.5 ? 1 : tr->value < -0.5 ? -1 : 0;
    if (present(ch))
        return ch->value > 0.10 ? 1 : ch->value < -0.10 ? -1 : 0;
    *is_new = true; /* NULL change with negative rows now: none before */
    return 1;
}

/* decisions.md: low_sample when a_customers < min_sample, on any cohort
 * figure of the topic. */
static bool cohort_low(const struct pdf *p, const char *topic)
{
    static const char *const codes[] = {"cohort.a_customers",    "cohort.a_churn_rate",
                                        "cohort.churn_gap",      "cohort.p_value",
                                        "cohort.lost_customers", "cohort.revenue_at_risk"};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (kpi_flagged(topic_kpi(p, codes[i], topic), "low_sample"))
            return true;
    const struct kpi *a = topic_kpi(p, "cohort.a_customers", topic);
    return present(a) && a->value < p->m->min_sample;
}

/* Rank, topic, negative mentions, trend arrow with the change, revenue at
 * risk of the topic's cohort and, in words, why it is not a finding. */
static double block_complaints(struct pdf *p)
{
    const char *top[TOP_COMPLAINTS];
    size_t n = top_complaints(p, top);
    if (!n)
        return 0;
    const struct texts *t = p->t;
    const char *na = texts_get(t, "format.na");
    /* Column edges from the margin: rank (right), topic (left), negative
     * (right), arrow (centre), change (right), revenue (right), note (left). */
    const double x_rank = 12, x_topic = 22, x_neg = 262, x_arrow = 283, x_change = 338, x_rev = 438,
                 x_note = 448;
    const double row_h = 19, head_h = 18;

    double top_y = p->y, y = top_y - heading(p, top_y, tx(p, "complaints.title"));
    char *rev_head = p->m->currency && *p->m->currency
                         ? texts_format(t, "complaints.revenue_currency", "currency",
                                        p->m->currency, (char *)NULL)
                         : xstrdup(tx(p, "complaints.revenue"));
    label(p, MARGIN_X + x_topic, y - 11, SIZE_SMALL, 6.5, x_neg - 60 - x_topic, MUTED, LEFT,
          tx(p, "complaints.topic"));
    label(p, MARGIN_X + x_neg, y - 11, SIZE_SMALL, 6.5, 56, MUTED, RIGHT,
          tx(p, "complaints.negative"));
    label(p, MARGIN_X + x_arrow - 8, y - 11, SIZE_SMALL, 6.5, x_change - x_arrow + 8, MUTED, LEFT,
          tx(p, "complaints.trend"));
    label(p, MARGIN_X + x_rev, y - 11, SIZE_SMALL, 6.5, x_rev - x_change - 6, MUTED, RIGHT,
          rev_head);
    free(rev_head);
    y -= head_h;
    line(p, MARGIN_X, y + 2, MARGIN_X + CONTENT_W, y + 2, 0.8, RULE);

    for (size_t i = 0; i < n; i++) {
        const char *code = top[i];
        double base_y = y - 13.5;
        const struct kpi *rank = topic_kpi(p, "topic.rank", code);
        const struct kpi *neg = topic_kpi(p, "topic.negative", code);
        const struct kpi *ch = topic_kpi(p, "topic.negative_change", code);

        char *rk = fmt_number(t, rank->value, 0);
        text(p, MARGIN_X + x_rank, base_y, 10.5, MUTED, RIGHT, rk);
        free(rk);
        label(p, MARGIN_X + x_topic, base_y, 10.5, 7, x_neg - 50 - x_topic, INK, LEFT,
              model_label(p->m, "topic", code));
        char *nv = fmt_count(t, (long long)llround(neg->value));
        text(p, MARGIN_X + x_neg, base_y, 10.5, INK, RIGHT, nv);
        free(nv);

        bool is_new;
        int dir = trend_of(p, code, &is_new);
        struct rgb tc = dir > 0 ? RED : dir < 0 ? GREEN : MUTED;
        triangle(p, MARGIN_X + x_arrow, base_y + 3.6, 8.5, dir, tc);
        char *chs;
        if (present(ch)) {
            char *num = fmt_signed(t, ch->value * 100.0, 0);
            chs = texts_format(t, "format.percent", "value", num, (char *)NULL);
            free(num);
        } else {
            chs = xstrdup(is_new ? tx(p, "complaints.new") : na);
        }
        label(p, MARGIN_X + x_change, base_y, 10, 7, x_change - x_arrow - 8, tc, RIGHT, chs);
        free(chs);

        const struct kpi *rev = topic_kpi(p, "cohort.revenue_at_risk", code);
        const struct kpi *pv = topic_kpi(p, "cohort.p_value", code);
        bool has_cohort = topic_kpi(p, "cohort.a_customers", code) != NULL;
        bool low = has_cohort && cohort_low(p, code);
        bool finding = has_cohort && !low && present(pv) && kpi_flagged(pv, "significant");
        char *rv = present(rev) ? fmt_money(t, rev->value, 0) : xstrdup(na);
        label(p, MARGIN_X + x_rev, base_y, 10.5, 7, x_rev - x_change - 6,
              finding && present(rev) ? INK : MUTED, RIGHT, rv);
        free(rv);
        const char *note = !has_cohort ? tx(p, "complaints.no_cohort")
                           : low       ? tx(p, "complaints.low_sample")
                           : !finding  ? tx(p, "complaints.not_significant")
                                       : "";
        label(p, MARGIN_X + x_note, base_y, 9.5, 6.5, CONTENT_W - x_note, low ? AMBER : MUTED, LEFT,
              note);
        y -= row_h;
        line(p, MARGIN_X, y + 2, MARGIN_X + CONTENT_W, y + 2, 0.5, GRID);
    }

    struct lines l = {0};
    wrap(p, tx(p, "complaints.note"), SIZE_SMALL, CONTENT_W, &l);
    y -= 3;
    for (size_t k = 0; k < l.n; k++) {
        y -= 11;
        text(p, MARGIN_X, y + 2, SIZE_SMALL, MUTED, LEFT, l.v[k]);
    }
    lines_release(&l);
    return top_y - y;
}

/* Later releases add their blocks here, each a layout function like those
 * around it that returns 0 while the model holds none of its figures:
 *   block_departments - department traffic lights (dept.kpi.status)
 *   block_journey     - the journey map (journey.* per touchpoint, config order)
 * and list them in `blocks` below. */

struct table_row {
    char *cells[6];
    struct rgb note_colour;
};

static void row_release(struct table_row *r)
{
    for (size_t i = 0; i < 6; i++)
        free(r->cells[i]);
}

/* One row of the touchpoint table from the figures with these dims. */
static void touchpoint_row(struct pdf *p, const char *dims, char *name, struct table_row *r)
{
    const struct texts *t = p->t;
    const char *na = texts_get(t, "format.na");
    const struct kpi *nps = model_find(p->m, "nps", dims);
    const struct kpi *csat = model_find(p->m, "csat", dims);
    const struct kpi *delta = model_find(p->m, "nps_delta", dims);
    memset(r, 0, sizeof(*r));
    r->cells[0] = name;
    r->cells[1] = nps && nps->has_value ? fmt_score(t, nps->value) : xstrdup(na);
    double n;
    if (nps && nps->n >= 0)
        r->cells[2] = fmt_count(t, nps->n);
    else if (model_value(p->m, "nps_n", dims, &n))
        r->cells[2] = fmt_number(t, n, 0);
    else
        r->cells[2] = xstrdup("");
    r->cells[3] = csat && csat->has_value ? fmt_percent(t, csat->value, 1) : xstrdup(na);
    r->cells[4] = delta && delta->has_value ? fmt_signed(t, delta->value, 1) : xstrdup(na);

    bool low = kpi_flagged(nps, "low_sample") || kpi_flagged(csat, "low_sample");
    bool sig = delta && delta->has_value && kpi_flagged(delta, "significant");
    struct strbuf note;
    strbuf_init(&note);
    if (low)
        strbuf_adds(&note, tx(p, "table.low_sample"));
    if (sig) {
        if (note.len)
            strbuf_adds(&note, " · ");
        strbuf_adds(&note, tx(p, "table.significant"));
    }
    r->cells[5] = strbuf_detach(&note);
    r->note_colour = low ? AMBER : sig ? (delta->value < 0 ? RED : GREEN) : MUTED;
}

static double block_touchpoints(struct pdf *p)
{
    size_t n_tp = 0;
    const char **tps = model_dim_values(p->m, "nps", "touchpoint", &n_tp);
    if (!n_tp) {
        free(tps);
        return 0;
    }
    /* Column right edges (numbers) or left edges (text), from the margin. */
    static const double col_x[6] = {0, 212, 262, 330, 392, 410};
    static const enum align col_a[6] = {LEFT, RIGHT, RIGHT, RIGHT, RIGHT, LEFT};
    const char *head_keys[6] = {"dims.touchpoint", "table.nps",   "table.n",
                                "table.csat",      "table.delta", "table.note"};
    const double row_h = 19, head_h = 18;

    size_t rows = n_tp + 1, shown = rows < MAX_TABLE_ROWS ? rows : MAX_TABLE_ROWS;
    double base = heading(p, p->y, "") + head_h;
    /* Drop rows that do not fit the space left (and say so). */
    while (shown > 1 && base + (double)shown * row_h + (shown < rows ? LEADING_BODY : 0) > p->avail)
        shown--;

    double top = p->y, y = top - heading(p, top, tx(p, "briefing.touchpoints"));
    for (size_t c = 0; c < 6; c++) {
        double x = MARGIN_X + col_x[c];
        double w = c == 0 ? col_x[1] - 50 : c == 5 ? CONTENT_W - col_x[5] : 50;
        label(p, x, y - 11, SIZE_SMALL, 6.5, w, MUTED, col_a[c], tx(p, head_keys[c]));
    }
    y -= head_h;
    line(p, MARGIN_X, y + 2, MARGIN_X + CONTENT_W, y + 2, 0.8, RULE);

    for (size_t i = 0; i < shown; i++) {
        struct table_row r;
        if (i == 0) {
            touchpoint_row(p, "", xstrdup(tx(p, "dims.overall")), &r);
        } else {
            char *dims = xstrfmt("touchpoint=%s", tps[i - 1]);
            touchpoint_row(p, dims, texts_dim_label(p->t, "touchpoint", tps[i - 1]), &r);
            free(dims);
        }
        double base_y = y - 13.5;
        for (size_t c = 0; c < 6; c++) {
            struct rgb colour = c == 5 ? r.note_colour : c == 0 && i == 0 ? ACCENT : INK;
            double w = c == 0 ? col_x[1] - 50 : c == 5 ? CONTENT_W - col_x[5] : 56;
            label(p, MARGIN_X + col_x[c], base_y, c == 5 ? 9.5 : 10.5, 7, w, colour, col_a[c],
                  r.cells[c]);
        }
        y -= row_h;
        line(p, MARGIN_X, y + 2, MARGIN_X + CONTENT_W, y + 2, 0.5, GRID);
        row_release(&r);
    }
    if (shown < rows) {
        char *cnt = fmt_count(p->t, (long long)(rows - shown));
        char *s = texts_format(p->t, "briefing.more_rows", "n", cnt, (char *)NULL);
        y -= LEADING_BODY;
        label(p, MARGIN_X, y + 3.5, SIZE_SMALL, 7, CONTENT_W, MUTED, LEFT, s);
        free(cnt);
        free(s);
    }
    free(tps);
    return top - y;
}

/* One verbatim: the quote as written, then channel and date. */
static double verbatim(struct pdf *p, double top, const struct verbatim *v)
{
    const double indent = 12, width = CONTENT_W - indent;
    /* As written, less the white space around it. */
    const char *body = v->body;
    size_t len = strlen(body);
    while (*body && strchr(" \t\r\n", *body))
        body++, len--;
    while (len && strchr(" \t\r\n", body[len - 1]))
        len--;
    char *trimmed = xstrfmt("%.*s", (int)len, body);
    char *quoted = texts_format(p->t, "briefing.quote", "text", trimmed, (char *)NULL);
    free(trimmed);
    struct lines l = {0};
    wrap(p, quoted, SIZE_BODY, width, &l);
    clamp_lines(p, &l, MAX_VERBATIM_LINES, SIZE_BODY, width);
    double y = top;
    for (size_t k = 0; k < l.n; k++) {
        y -= LEADING_BODY;
        text(p, MARGIN_X + indent, y + 3.5, SIZE_BODY, INK, LEFT, l.v[k]);
    }
    struct strbuf meta;
    strbuf_init(&meta);
    if (v->channel && *v->channel) {
        char *ch = texts_dim_label(p->t, "channel", v->channel);
        strbuf_adds(&meta, ch);
        free(ch);
    }
    if (v->received && *v->received) {
        char *d = fmt_date(p->t, v->received);
        if (meta.len)
            strbuf_adds(&meta, " · ");
        strbuf_adds(&meta, d);
        free(d);
    }
    if (meta.len) {
        y -= 13;
        label(p, MARGIN_X + indent, y + 3, SIZE_SMALL, 7, width, MUTED, LEFT, meta.buf);
    } else {
        y -= 2;
    }
    rect(p, MARGIN_X + 1, y, 2.5, top - y - 2, ACCENT_LIGHT);
    strbuf_release(&meta);
    lines_release(&l);
    free(quoted);
    return top - y;
}

/* The detractor quotes: the model's verbatims without a topic (those with
 * one are the workbook's examples per topic). */
static size_t detractor_quotes(const struct model *m, const struct verbatim **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_verbatims; i++)
        if (!m->verbatims[i].topic) {
            if (n < max)
                out[n] = &m->verbatims[i];
            n++;
        }
    return n;
}

static double block_verbatims(struct pdf *p)
{
    const struct verbatim *quotes[MAX_VERBATIMS];
    size_t n_quotes = detractor_quotes(p->m, quotes, MAX_VERBATIMS);
    double top = p->y, y = top - heading(p, top, tx(p, "briefing.verbatims"));
    if (!n_quotes) {
        y -= LEADING_BODY;
        label(p, MARGIN_X, y + 3.5, SIZE_BODY, 8, CONTENT_W, MUTED, LEFT,
              tx(p, "briefing.no_verbatims"));
        return top - y;
    }
    size_t total = n_quotes < MAX_VERBATIMS ? n_quotes : MAX_VERBATIMS, shown = 0;
    bool draw = p->draw;
    for (; shown < total; shown++) {
        /* Measure first: a quote that does not fit the space left is
         * counted under "more in the workbook" instead of being cut. */
        p->draw = false;
        double h = verbatim(p, y, quotes[shown]) + 10;
        p->draw = draw;
        double rest = shown + 1 < n_quotes ? LEADING_BODY : 0;
        if (top - y + h + rest > p->avail)
            break;
        y -= verbatim(p, y, quotes[shown]) + 10;
    }
    if (!shown)
        return 0;
    if (shown < n_quotes) {
        char *cnt = fmt_count(p->t, (long long)(n_quotes - shown));
        char *s = texts_format(p->t, "briefing.more_verbatims", "n", cnt, (char *)NULL);
        y -= LEADING_BODY - 6;
        label(p, MARGIN_X, y, SIZE_SMALL, 7, CONTENT_W, MUTED, LEFT, s);
        free(cnt);
        free(s);
    }
    return top - y;
}

struct block {
    const char *name;
    double (*layout)(struct pdf *p);
};

/* The briefing, top to bottom. */
static const struct block blocks[] = {
    {"header", block_header},         {"tiles", block_tiles},
    {"findings", block_findings},     {"classes", block_classes},
    {"complaints", block_complaints}, {"touchpoints", block_touchpoints},
    {"verbatims", block_verbatims},
};

/* A continuation page names the briefing again, for a reader who lands
 * on it alone (a phone shows one page at a time). */
static void running_header(struct pdf *p)
{
    char *sub = subtitle(p);
    char *s = xstrfmt("%s · %s", tx(p, "briefing.title"), sub);
    bool draw = p->draw;
    p->draw = true;
    label(p, MARGIN_X, p->y - SIZE_SMALL, SIZE_SMALL, 6.5, CONTENT_W, MUTED, LEFT, s);
    line(p, MARGIN_X, p->y - 14, MARGIN_X + CONTENT_W, p->y - 14, 0.5, RULE);
    p->draw = draw;
    p->y -= 14 + BLOCK_GAP;
    free(sub);
    free(s);
}

static void new_page(struct pdf *p)
{
    p->page = HPDF_AddPage(p->doc);
    if (!p->page)
        return;
    HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    p->pages[p->n_pages++] = p->page;
    p->y = PAGE_H - MARGIN_TOP;
    if (p->n_pages > 1)
        running_header(p);
}

static void layout_blocks(struct pdf *p)
{
    for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]) && !p->code; i++) {
        p->block = blocks[i].name;
        p->draw = false;
        p->avail = HUGE_VAL;
        double h = blocks[i].layout(p);
        if (h <= 0)
            continue;
        if (p->y - h < CONTENT_BOTTOM && p->n_pages < MAX_PAGES) {
            new_page(p);
            if (!p->page)
                return;
        }
        /* Blocks with a list shorten it to the space left; others that do
         * not fit on the last page are left out rather than overflow. */
        p->avail = p->y - CONTENT_BOTTOM;
        h = blocks[i].layout(p);
        if (h <= 0 || h > p->avail)
            continue;
        p->draw = true;
        blocks[i].layout(p);
        p->y -= h + BLOCK_GAP;
    }
}

static void footers(struct pdf *p)
{
    const struct model *m = p->m;
    char *run = xstrfmt("%lld", m->run_id);
    /* Twelve hex digits identify a config as well as sixty-four, and fit. */
    char *digest = xstrfmt("%.12s", m->config_digest ? m->config_digest : "");
    /* Seconds are precise enough for a reader; the run row keeps the rest. */
    char *started = xstrfmt("%.19s", m->started_at ? m->started_at : "");
    char *left =
        texts_format(p->t, "briefing.footer_run", "run_id", run, "version",
                     m->program_version ? m->program_version : "", "digest", digest, (char *)NULL);
    char *pages = xstrfmt("%d", p->n_pages);
    p->draw = true;
    for (int i = 0; i < p->n_pages; i++) {
        p->page = p->pages[i];
        char *page = xstrfmt("%d", i + 1);
        char *right = texts_format(p->t, "briefing.footer_generated", "started", started,
                                   "time_zone", m->time_zone ? m->time_zone : "", "page", page,
                                   "pages", pages, (char *)NULL);
        const double y = 36;
        line(p, MARGIN_X, y + 10, MARGIN_X + CONTENT_W, y + 10, 0.5, RULE);
        label(p, MARGIN_X, y, SIZE_TINY, 6, CONTENT_W * 0.48, MUTED, LEFT, left);
        label(p, MARGIN_X + CONTENT_W, y, SIZE_TINY, 6, CONTENT_W * 0.5, MUTED, RIGHT, right);
        free(page);
        free(right);
    }
    free(run);
    free(digest);
    free(started);
    free(left);
    free(pages);
}

enum vr_status render_pdf_briefing(const struct render_ctx *ctx, const char *path,
                                   struct vr_error *err)
{
    struct pdf p = {.m = ctx->m, .t = ctx->t, .stage = "setting up"};
    if (!ctx->font_path || !*ctx->font_path)
        return vr_fail(err, VR_ERR_OUTPUT,
                       "could not write briefing \"%s\": no font configured (a TrueType "
                       "collection with CJK glyphs, e.g. wqy-zenhei.ttc)",
                       path);
    p.doc = HPDF_New(on_hpdf_error, &p);
    if (!p.doc)
        return vr_fail(err, VR_ERR_OUTPUT,
                       "could not write briefing \"%s\": libharu could not create a document",
                       path);
    p.n_findings = findings_build(p.m, p.t, p.findings, MAX_FINDINGS);

    HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(p.doc);
    HPDF_SetCurrentEncoder(p.doc, "UTF-8");
    if (p.code)
        goto done;
    p.stage = "loading the font";
    const char *font_name = HPDF_LoadTTFontFromFile2(p.doc, ctx->font_path, 0, HPDF_TRUE);
    if (!font_name || p.code)
        goto done;
    p.font = HPDF_GetFont(p.doc, font_name, "UTF-8");
    if (!p.font || p.code)
        goto done;

    char *title = xstrfmt("%s - %s", tx(&p, "briefing.title"), p.m->job ? p.m->job : "");
    char *creator = xstrfmt("vocreport %s", p.m->program_version ? p.m->program_version : "");
    HPDF_SetInfoAttr(p.doc, HPDF_INFO_TITLE, title);
    HPDF_SetInfoAttr(p.doc, HPDF_INFO_CREATOR, creator);
    free(title);
    free(creator);

    p.stage = "drawing";
    new_page(&p);
    if (!p.page || p.code)
        goto done;
    layout_blocks(&p);
    if (p.code)
        goto done;
    p.stage = "drawing the footer";
    footers(&p);
    if (p.code)
        goto done;
    p.stage = "saving";
    HPDF_SaveToFile(p.doc, path);

done:;
    /* What failed, in words: the font file, a block, or the file itself. */
    const char *what = p.stage, *name = "";
    if (!strcmp(p.stage, "loading the font"))
        what = "loading the font", name = ctx->font_path;
    else if (!strcmp(p.stage, "drawing") && p.block)
        what = "drawing the block", name = p.block;
    /* libharu passes errno as the detail of its file errors. */
    bool file_error = p.code == HPDF_FILE_OPEN_ERROR || p.code == HPDF_FILE_IO_ERROR;
    enum vr_status st = VR_OK;
    if (p.code || !p.font || !p.page)
        st = vr_fail(err, VR_ERR_OUTPUT,
                     "could not write briefing \"%s\": libharu error 0x%04X (detail %u) while "
                     "%s%s%s%s%s%s",
                     path, (unsigned)p.code, (unsigned)p.detail, what, *name ? " \"" : "", name,
                     *name ? "\"" : "", file_error ? ": " : "",
                     file_error ? strerror((int)p.detail) : "");
    findings_free(p.findings, p.n_findings);
    HPDF_Free(p.doc);
    return st;
}
