/* Drawing helpers shared by the PDF renderers (pdf_draw.h). */
#include "pdf_draw.h"

#include "jobs/base/strbuf.h"
#include "jobs/base/utf8.h"
#include "jobs/config/config.h"
#include "jobs/model/status.h"
#include "na_reason.h"
#include "pdf_error.h"

#include <hpdf_doc.h>
#include <hpdf_fontdef.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A restrained palette: ink and greys for text and rules, one blue accent;
 * red, amber and green only ever mean a status. */
const struct rgb WHITE = {1.0f, 1.0f, 1.0f};
const struct rgb INK = {0.12f, 0.14f, 0.17f};
const struct rgb MUTED = {0.38f, 0.41f, 0.46f};
const struct rgb RULE = {0.78f, 0.80f, 0.83f};
const struct rgb GRID = {0.90f, 0.91f, 0.93f};
const struct rgb PANEL = {0.955f, 0.962f, 0.972f};
const struct rgb ACCENT = {0.11f, 0.30f, 0.47f};
const struct rgb ACCENT_LIGHT = {0.62f, 0.72f, 0.82f};
const struct rgb RED = {0.76f, 0.16f, 0.14f};
const struct rgb AMBER = {0.80f, 0.49f, 0.00f};
const struct rgb GREEN = {0.15f, 0.48f, 0.22f};
const struct rgb GREY = {0.62f, 0.64f, 0.67f};

static void pdf_on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
    struct pdf *p = user;
    if (!p->code) {
        p->code = code;
        p->detail = detail;
    }
}

/* ---- Formatting ------------------------------------------------------ */

const char *pdf_tx(const struct pdf *p, const char *key)
{
    return texts_get(p->t, key);
}

char *pdf_fmt_date(const struct texts *t, const char *ymd)
{
    return pdf_fmt_date_as(t, ymd, "date.format");
}

char *pdf_fmt_date_as(const struct texts *t, const char *ymd, const char *key_format)
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
    return texts_format(t, key_format, "day", ds, "month", texts_get(t, key), "mm", ms, "year", ys,
                        (char *)NULL);
}

/* ---- Drawing primitives (no-ops while measuring) ----------------------- */

double pdf_width_n(const struct pdf *p, const char *s, size_t len, double size)
{
    if (!len)
        return 0;
    HPDF_TextWidth tw = HPDF_Font_TextWidth(p->font, (const HPDF_BYTE *)s, (HPDF_UINT)len);
    return tw.width * size / 1000.0;
}

double pdf_text_width(const struct pdf *p, const char *s, double size)
{
    return pdf_width_n(p, s, strlen(s), size);
}

void pdf_text(struct pdf *p, double x, double y, double size, struct rgb c, enum align a,
              const char *s)
{
    if (!p->draw || !s || !*s)
        return;
    if (a != LEFT) {
        double w = pdf_text_width(p, s, size);
        x -= a == RIGHT ? w : w / 2;
    }
    HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
    HPDF_Page_BeginText(p->page);
    HPDF_Page_SetFontAndSize(p->page, p->font, (HPDF_REAL)size);
    HPDF_Page_TextOut(p->page, (HPDF_REAL)x, (HPDF_REAL)y, s);
    HPDF_Page_EndText(p->page);
}

void pdf_rect(struct pdf *p, double x, double y, double w, double h, struct rgb c)
{
    if (!p->draw || w <= 0 || h <= 0)
        return;
    HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Fill(p->page);
}

void pdf_line(struct pdf *p, double x1, double y1, double x2, double y2, double width, struct rgb c)
{
    if (!p->draw)
        return;
    HPDF_Page_SetRGBStroke(p->page, c.r, c.g, c.b);
    HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)width);
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_LineTo(p->page, (HPDF_REAL)x2, (HPDF_REAL)y2);
    HPDF_Page_Stroke(p->page);
}

void pdf_path(struct pdf *p, const double *x, const double *y, size_t n, double width, double dash,
              struct rgb c)
{
    if (!p->draw || n < 2)
        return;
    if (width > 0) {
        HPDF_Page_SetRGBStroke(p->page, c.r, c.g, c.b);
        HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)width);
        HPDF_Page_SetLineJoin(p->page, HPDF_ROUND_JOIN);
        if (dash > 0) {
            HPDF_UINT16 pattern[] = {(HPDF_UINT16)dash, (HPDF_UINT16)dash};
            HPDF_Page_SetDash(p->page, pattern, 2, 0);
        }
    } else {
        HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
    }
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)x[0], (HPDF_REAL)y[0]);
    for (size_t i = 1; i < n; i++)
        HPDF_Page_LineTo(p->page, (HPDF_REAL)x[i], (HPDF_REAL)y[i]);
    if (width > 0) {
        HPDF_Page_Stroke(p->page);
        if (dash > 0)
            HPDF_Page_SetDash(p->page, NULL, 0, 0);
    } else {
        HPDF_Page_ClosePath(p->page);
        HPDF_Page_Fill(p->page);
    }
}

void pdf_dot(struct pdf *p, double cx, double cy, double r, struct rgb c, bool hollow)
{
    if (!p->draw)
        return;
    HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
    HPDF_Page_Circle(p->page, (HPDF_REAL)cx, (HPDF_REAL)cy, (HPDF_REAL)r);
    HPDF_Page_Fill(p->page);
    if (hollow) {
        HPDF_Page_SetRGBFill(p->page, WHITE.r, WHITE.g, WHITE.b);
        HPDF_Page_Circle(p->page, (HPDF_REAL)cx, (HPDF_REAL)cy, (HPDF_REAL)(r * 0.55));
        HPDF_Page_Fill(p->page);
    }
}

/* ---- UTF-8 text wrapping ------------------------------------------------ */

static void lines_add(struct lines *l, struct strbuf *sb)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] = strbuf_detach(sb);
}

void pdf_lines_release(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

/* The character at s, a NUL-terminated string: its byte length (1 for a
 * stray byte, which then reads as UTF8_INVALID) and code point. */
static size_t u8_char(const char *s, uint32_t *cp)
{
    return utf8_decode(s, strnlen(s, 4), cp);
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
                /* "−86.7 %": the sign stays with its number, for the same
                 * reason. */
                if (q[0] == ' ' && q[1] == '%' && q > *start) {
                    q += 2;
                    last = '%';
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

/* ---- Text the PDF cannot show ------------------------------------------- */

/* libharu 2.3.0 draws nothing above U+FFFF, and neither joins Arabic letters
 * nor orders right-to-left text: emoji, Hebrew and Arabic would come out as
 * blanks, empty boxes or letters in the wrong order.  Each run of them
 * becomes one placeholder the reader understands. */
enum unshown { SHOWN, DROP, SPACE, EMOJI, HEBREW, ARABIC, OTHER };

static const struct {
    uint32_t lo, hi;
    enum unshown kind;
} unshown_ranges[] = {
    {0x0300, 0x036F, DROP}, /* combining accents: the letter stays */
    {0x200B, 0x200F, DROP}, /* zero-width characters, direction marks */
    {0x202A, 0x202E, DROP},
    {0x2060, 0x2064, DROP},
    {0x20E3, 0x20E3, DROP},
    {0xFE00, 0xFE0F, DROP}, /* variation selectors (emoji style) */
    {0xFEFF, 0xFEFF, DROP},
    {0xE0000, 0xE007F, DROP},
    {0x00A0, 0x00A0, SPACE},
    {0x2000, 0x200A, SPACE},
    {0x202F, 0x202F, SPACE},
    {0x205F, 0x205F, SPACE},
    {0x0590, 0x05FF, HEBREW},
    {0xFB1D, 0xFB4F, HEBREW},
    {0x0600, 0x06FF, ARABIC},
    {0x0750, 0x077F, ARABIC},
    {0x08A0, 0x08FF, ARABIC},
    {0xFB50, 0xFDFF, ARABIC},
    {0xFE70, 0xFEFE, ARABIC},
    /* Symbols and emoji: shown when the font has the glyph (★, ☎). */
    {0x2600, 0x27BF, EMOJI},
    {0x2B00, 0x2BFF, EMOJI},
    {0x1F000, 0x1FAFF, EMOJI},
};

static enum unshown unshown_kind(const struct pdf *p, uint32_t c)
{
    if (c < 0x80 || !p->fontdef)
        return SHOWN;
    enum unshown missing = OTHER;
    for (size_t i = 0; i < sizeof(unshown_ranges) / sizeof(unshown_ranges[0]); i++) {
        if (c >= unshown_ranges[i].lo && c <= unshown_ranges[i].hi) {
            if (unshown_ranges[i].kind != EMOJI)
                return unshown_ranges[i].kind;
            missing = EMOJI;
            break;
        }
    }
    /* libharu looks glyphs up by a 16-bit code. */
    if (c <= 0xFFFF && HPDF_TTFontDef_GetGlyphid(p->fontdef, (HPDF_UINT16)c))
        return SHOWN;
    return missing;
}

/* The kind of the next character that is neither white space nor dropped. */
static enum unshown next_kind(const struct pdf *p, const char *q)
{
    while (*q) {
        uint32_t c;
        size_t len = u8_char(q, &c);
        enum unshown k = unshown_kind(p, c);
        if (k != DROP && k != SPACE && c != ' ')
            return k;
        q += len;
    }
    return SHOWN;
}

/* s with each run of text the PDF cannot show (words of one script with
 * the spaces between them, an emoji sequence) as one placeholder
 * (glyph.emoji, ...).  Caller frees. */
static char *pdf_displayable(const struct pdf *p, const char *s)
{
    static const char *const keys[] = {[EMOJI] = "glyph.emoji",
                                       [HEBREW] = "glyph.hebrew",
                                       [ARABIC] = "glyph.arabic",
                                       [OTHER] = "glyph.other"};
    struct strbuf out;
    strbuf_init(&out);
    enum unshown run = SHOWN;
    for (const char *q = s; *q;) {
        uint32_t c;
        size_t len = u8_char(q, &c);
        enum unshown k = unshown_kind(p, c);
        if (k == SPACE || c == ' ') {
            if (run == SHOWN || next_kind(p, q + len) != run) {
                strbuf_adds(&out, " ");
                run = SHOWN;
            }
        } else if (k == SHOWN) {
            strbuf_add(&out, q, len);
            run = SHOWN;
        } else if (k != DROP && k != run) {
            strbuf_adds(&out, pdf_tx(p, keys[k]));
            run = k;
        }
        q += len;
    }
    return strbuf_detach(&out);
}

/* Greedy line filling at the given size and width; white space between
 * words collapses to one space. */
void pdf_wrap(const struct pdf *p, const char *text, double size, double width, struct lines *out)
{
    char *s = pdf_displayable(p, text);
    struct strbuf ln;
    strbuf_init(&ln);
    double w = 0, space_w = pdf_text_width(p, " ", size);
    const char *q = s, *a, *b;
    bool sp;
    for (;;) {
        q = next_atom(q, &a, &b, &sp);
        if (a == b)
            break;
        double aw = pdf_width_n(p, a, (size_t)(b - a), size);
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
            double cw = pdf_width_n(p, c, len, size);
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
    free(s);
}

/* Keeps at most max lines, ending the last with "…" when text was cut. */
void pdf_clamp_lines(const struct pdf *p, struct lines *l, size_t max, double size, double width)
{
    if (l->n <= max || !max)
        return;
    for (size_t i = max; i < l->n; i++)
        free(l->v[i]);
    l->n = max;
    char *last = l->v[max - 1];
    size_t len = strlen(last);
    const char *ellipsis = "…";
    double ew = pdf_text_width(p, ellipsis, size);
    while (len && (pdf_width_n(p, last, len, size) + ew > width || last[len - 1] == ' ')) {
        len--;
        while (len && ((unsigned char)last[len] & 0xC0) == 0x80)
            len--;
    }
    l->v[max - 1] = xstrfmt("%.*s%s", (int)len, last, ellipsis);
    free(last);
}

/* One line of text that must fit a box: shrinks the size down to min_size,
 * then cuts with "…".  Caller frees. */
char *pdf_fit(const struct pdf *p, const char *text, double *size, double min_size, double width)
{
    char *s = pdf_displayable(p, text);
    while (pdf_text_width(p, s, *size) > width && *size - 0.5 >= min_size)
        *size -= 0.5;
    if (pdf_text_width(p, s, *size) <= width)
        return s;
    struct lines l = {0};
    pdf_wrap(p, s, *size, width, &l);
    pdf_clamp_lines(p, &l, 1, *size, width);
    char *out = l.n ? l.v[0] : xstrdup("");
    if (l.n)
        l.v[0] = NULL, l.n = 0;
    pdf_lines_release(&l);
    free(s);
    return out;
}

/* Draws a fitted one-line label. */
void pdf_label(struct pdf *p, double x, double y, double size, double min_size, double width,
               struct rgb c, enum align a, const char *s)
{
    char *f = pdf_fit(p, s, &size, min_size, width);
    pdf_text(p, x, y, size, c, a, f);
    free(f);
}

double pdf_more_note(struct pdf *p, double y, const char *key, size_t hidden)
{
    char *cnt = fmt_count(p->t, (long long)hidden);
    char *s = texts_format(p->t, key, "n", cnt, (char *)NULL);
    y -= LEADING_BODY;
    pdf_label(p, MARGIN_X, y + 3.5, SIZE_SMALL, 7, CONTENT_W, MUTED, LEFT, s);
    free(cnt);
    free(s);
    return y;
}

/* An outline entry opening the current page at p->y, fitted to its width. */
static void bookmark(struct pdf *p, const char *title)
{
    HPDF_Outline o = HPDF_CreateOutline(p->doc, NULL, title, HPDF_GetEncoder(p->doc, "UTF-8"));
    HPDF_Destination d = o ? HPDF_Page_CreateDestination(p->page) : NULL;
    if (!d)
        return;
    HPDF_Destination_SetFitH(d, (HPDF_REAL)fmin(p->y + BLOCK_GAP / 2, PAGE_H));
    HPDF_Outline_SetDestination(o, d);
}

/* Whether a later entry of blocks has i's name. */
static bool listed_later(const struct pdf_block *blocks, size_t n, size_t i)
{
    for (size_t j = i + 1; j < n; j++)
        if (!strcmp(blocks[j].name, blocks[i].name))
            return true;
    return false;
}

void pdf_layout_blocks(struct pdf *p, const struct pdf_block *blocks, size_t n,
                       void (*new_page)(struct pdf *p), double gap)
{
    bool *drawn = xcalloc(n ? n : 1, sizeof(*drawn));
    for (size_t i = 0; i < n && !p->code; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= drawn[j] && !strcmp(blocks[j].name, blocks[i].name);
        if (seen)
            continue;
        p->block = blocks[i].name;
        p->draw = false;
        p->avail = HUGE_VAL;
        double h = blocks[i].layout(p);
        if (h <= 0)
            continue;
        bool fits = p->y - h >= CONTENT_BOTTOM;
        if (!fits && blocks[i].fills) {
            p->avail = p->y - CONTENT_BOTTOM;
            double part = blocks[i].layout(p);
            fits = part > 0 && part <= p->avail;
        }
        if (!fits && listed_later(blocks, n, i))
            continue; /* its later place may have the room */
        if (new_page && !fits && p->n_pages < MAX_PAGES) {
            new_page(p);
            if (!p->page)
                break;
        }
        p->avail = p->y - CONTENT_BOTTOM;
        h = blocks[i].layout(p);
        if (h <= 0 || h > p->avail)
            continue;
        p->draw = true;
        if (blocks[i].bookmark)
            bookmark(p, pdf_tx(p, blocks[i].bookmark));
        blocks[i].layout(p);
        p->y -= h + gap;
        drawn[i] = true;
    }
    free(drawn);
}

/* A block heading; returns its height. */
double pdf_heading(struct pdf *p, double top, const char *s)
{
    pdf_label(p, MARGIN_X, top - SIZE_HEADING, SIZE_HEADING, 10, CONTENT_W, ACCENT, LEFT, s);
    return SIZE_HEADING + 9;
}

/* "Job nightly · 1 Sep 2026 – 30 Sep 2026 · as of 1 Oct 2026" in the words
 * of key ({job}, {first}, {last}, {as_of}).  Caller frees. */
char *pdf_subtitle(const struct pdf *p, const char *key)
{
    const struct model *m = p->m;
    char *first = pdf_fmt_date(p->t, m->period_first_day);
    char *last = pdf_fmt_date(p->t, m->period_last_day);
    char *as_of = pdf_fmt_date(p->t, m->as_of);
    char *sub = texts_format(p->t, key, "job", m->job ? m->job : "", "first", first, "last", last,
                             "as_of", as_of, (char *)NULL);
    free(first);
    free(last);
    free(as_of);
    return sub;
}

/* The first block of a page: its title, the period under it, an accent
 * rule; returns its height. */
double pdf_title_block(struct pdf *p, const char *title, double min_size, const char *subtitle_key)
{
    double top = p->y;
    pdf_label(p, MARGIN_X, top - SIZE_TITLE, SIZE_TITLE, min_size, CONTENT_W, INK, LEFT, title);
    char *sub = pdf_subtitle(p, subtitle_key);
    pdf_label(p, MARGIN_X, top - SIZE_TITLE - 18, SIZE_SUBTITLE, 8, CONTENT_W, MUTED, LEFT, sub);
    free(sub);
    double rule_y = top - SIZE_TITLE - 30;
    pdf_line(p, MARGIN_X, rule_y, MARGIN_X + CONTENT_W, rule_y, 1.5, ACCENT);
    return top - rule_y;
}

double pdf_nice_step(double range, int target)
{
    if (!(range > 0))
        return 1;
    double raw = range / target, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return mag * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10);
}

bool pdf_present(const struct kpi *k)
{
    return k && k->has_value && isfinite(k->value);
}

char *pdf_na(const struct pdf *p, const struct kpi *k)
{
    char *reason = na_reason(p->t, k);
    if (!reason)
        return xstrdup(pdf_tx(p, "format.na"));
    char *s = texts_format(p->t, "na.with_reason", "na", pdf_tx(p, "format.na"), "reason", reason,
                           (char *)NULL);
    free(reason);
    return s;
}

struct rgb pdf_verdict_colour(const char *code, double change)
{
    int v = metric_verdict(code, change);
    return v > 0 ? GREEN : v < 0 ? RED : MUTED;
}

/* A small filled triangle: up (dir > 0), down (dir < 0) or right (0),
 * centred on (cx, cy).  The font lacks the arrow glyphs. */
void pdf_triangle(struct pdf *p, double cx, double cy, double size, int dir, struct rgb c)
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

void pdf_new_page(struct pdf *p)
{
    p->page = HPDF_AddPage(p->doc);
    if (!p->page)
        return;
    HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    p->pages[p->n_pages++] = p->page;
    p->y = PAGE_H - MARGIN_TOP;
}

void pdf_footers(struct pdf *p)
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
        pdf_line(p, MARGIN_X, y + 10, MARGIN_X + CONTENT_W, y + 10, 0.5, RULE);
        pdf_label(p, MARGIN_X, y, SIZE_TINY, 6, CONTENT_W * 0.48, MUTED, LEFT, left);
        pdf_label(p, MARGIN_X + CONTENT_W, y, SIZE_TINY, 6, CONTENT_W * 0.5, MUTED, RIGHT, right);
        free(page);
        free(right);
    }
    free(run);
    free(digest);
    free(started);
    free(left);
    free(pages);
}

enum vr_status pdf_doc_open(struct pdf *p, const char *font_path, const char *what,
                            const char *title, const char *path, struct vr_error *err)
{
    if (!font_path || !*font_path)
        return vr_fail(err, VR_ERR_OUTPUT,
                       "could not write %s \"%s\": no font configured (a TrueType "
                       "collection with CJK glyphs, e.g. wqy-zenhei.ttc)",
                       what, path);
    p->doc = HPDF_New(pdf_on_error, p);
    if (!p->doc)
        return vr_fail(err, VR_ERR_OUTPUT,
                       "could not write %s \"%s\": libharu could not create a document", what,
                       path);
    HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(p->doc);
    HPDF_SetCurrentEncoder(p->doc, "UTF-8");
    if (p->code)
        return VR_OK;
    p->stage = "loading the font";
    const char *font_name = HPDF_LoadTTFontFromFile2(p->doc, font_path, 0, HPDF_TRUE);
    if (!font_name || p->code)
        return VR_OK;
    p->font = HPDF_GetFont(p->doc, font_name, "UTF-8");
    if (!p->font || p->code)
        return VR_OK;
    p->fontdef = HPDF_GetFontDef(p->doc, font_name);
    char *creator = xstrfmt("vocreport %s", p->m->program_version ? p->m->program_version : "");
    HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, title);
    HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, creator);
    free(creator);
    /* libharu 2.3.0 has no call for the catalog's /Lang: the entry goes
     * into its catalog dictionary directly.  BCP 47 writes en_US en-US. */
    char *lang = xstrdup(p->m->locale && *p->m->locale ? p->m->locale : "en_US");
    for (char *c = lang; *c; c++)
        if (*c == '_')
            *c = '-';
    HPDF_Dict_Add(p->doc->catalog, "Lang", HPDF_String_New(p->doc->mmgr, lang, NULL));
    free(lang);
    p->stage = "set up";
    return VR_OK;
}

/* libharu's own file writer ignores a failed fclose and reports a failed
 * fwrite as ferror's flag: the document is saved to memory and written
 * here, so that a full disk reads "No space left on device". */
static enum vr_status write_document(struct pdf *p, const char *what, const char *path,
                                     struct vr_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return vr_fail(err, VR_ERR_OUTPUT, "could not write %s \"%s\": %s", what, path,
                       strerror(errno));
    int e = 0;
    HPDF_UINT32 left = HPDF_ResetStream(p->doc) == HPDF_OK ? HPDF_GetStreamSize(p->doc) : 0;
    while (left > 0 && !e && !p->code) {
        HPDF_BYTE buf[16384];
        HPDF_UINT32 n = left < sizeof(buf) ? left : (HPDF_UINT32)sizeof(buf);
        if (HPDF_ReadFromStream(p->doc, buf, &n) != HPDF_OK || n == 0)
            break;
        if (fwrite(buf, 1, n, f) != n)
            e = errno ? errno : EIO;
        left -= n;
    }
    if (!e && fflush(f))
        e = errno;
    if (fclose(f) && !e)
        e = errno;
    if (e)
        return vr_fail(err, VR_ERR_OUTPUT, "could not write %s \"%s\": %s", what, path,
                       strerror(e));
    if (left > 0 && !p->code)
        return vr_fail(err, VR_ERR_OUTPUT,
                       "could not write %s \"%s\": libharu gave %lu bytes fewer than it had", what,
                       path, (unsigned long)left);
    return VR_OK;
}

enum vr_status pdf_doc_save(struct pdf *p, const char *font_path, const char *what,
                            const char *path, struct vr_error *err)
{
    enum vr_status st = VR_OK;
    if (!p->code && p->font && p->page) {
        p->stage = "saving";
        if (HPDF_SaveToStream(p->doc) == HPDF_OK && !p->code)
            st = write_document(p, what, path, err);
    }
    if (st == VR_OK && (p->code || !p->font || !p->page)) {
        /* What failed, in words: the font file, a block, or the saving. */
        const char *doing = p->stage, *name = "";
        if (!strcmp(p->stage, "loading the font"))
            name = font_path;
        else if (!strcmp(p->stage, "drawing") && p->block)
            doing = "drawing the block", name = p->block;
        char *why = p->code ? pdf_error_describe(p->code, p->detail)
                            : xstrdup("libharu returned no font or page");
        st = vr_fail(err, VR_ERR_OUTPUT, "could not write %s \"%s\" while %s%s%s%s: %s", what, path,
                     doing, *name ? " \"" : "", name, *name ? "\"" : "", why);
        free(why);
    }
    HPDF_Free(p->doc);
    p->doc = NULL;
    return st;
}

/* ---- Department figures (scorecard and briefing) ------------------------ */

/* The status word of a dept.kpi.status or journey.status figure, by the
 * one light of every output (jobs/model/status.h); grey when absent. */
const char *pdf_status_word(const struct kpi *status, char buf[16])
{
    snprintf(buf, 16, "%s", light_word(status_light(status)));
    return buf;
}

size_t pdf_pick_targets(const struct model *m, const char *code, size_t max, bool *keep,
                        bool *hidden_met)
{
    /* Each figure's rank once (-1: not one of them): a status look-up is
     * a scan of the model. */
    int *rank = xcalloc(m->n_kpis ? m->n_kpis : 1, sizeof(*rank));
    for (size_t i = 0; i < m->n_kpis; i++) {
        rank[i] = -1;
        if (strcmp(m->kpis[i].code, code) || strstr(m->kpis[i].dims, "period="))
            continue;
        char buf[16];
        const char *w = pdf_status_word(model_find(m, "dept.kpi.status", m->kpis[i].dims), buf);
        rank[i] = !strcmp(w, "red") ? 0 : !strcmp(w, "amber") ? 1 : !strcmp(w, "green") ? 3 : 2;
    }
    size_t total = 0;
    *hidden_met = true;
    for (int r = 0; r <= 3; r++)
        for (size_t i = 0; i < m->n_kpis; i++) {
            if (rank[i] != r)
                continue;
            if (total++ < max)
                keep[i] = true;
            else if (r != 3)
                *hidden_met = false;
        }
    free(rank);
    return total;
}

struct rgb pdf_status_colour(const char *word)
{
    return !strcmp(word, "green")   ? GREEN
           : !strcmp(word, "amber") ? AMBER
           : !strcmp(word, "red")   ? RED
                                    : GREY;
}

double pdf_note(struct pdf *p, double y, const char *text)
{
    struct lines l = {0};
    pdf_wrap(p, text, SIZE_SMALL, CONTENT_W, &l);
    y -= 3;
    for (size_t k = 0; k < l.n; k++) {
        y -= 11;
        pdf_text(p, MARGIN_X, y + 2, SIZE_SMALL, MUTED, LEFT, l.v[k]);
    }
    pdf_lines_release(&l);
    return y;
}

void pdf_journey_box(struct pdf *p, double x, double top, double w, double h,
                     const char *touchpoint, bool *any_low)
{
    static const char *const metrics[] = {"nps", "csat", "negative_share"};
    const double pad = 8, cw = (w - 2 * pad) / 3;
    pdf_rect(p, x, top - h, w, h, PANEL);
    char *name = texts_dim_label(p->t, p->m, "touchpoint", touchpoint);
    pdf_label(p, x + pad, top - 14, 10, 7, w - 2 * pad, INK, LEFT, name);
    free(name);
    for (size_t k = 0; k < 3; k++) {
        char *dims = xstrfmt("touchpoint=%s", touchpoint);
        char *sdims = xstrfmt("metric=%s;touchpoint=%s", metrics[k], touchpoint);
        char *code = xstrfmt("journey.%s", metrics[k]);
        char *key = xstrfmt("scorecard.journey_%s", metrics[k]);
        const struct kpi *v = model_find(p->m, code, dims);
        char wbuf[16];
        struct rgb c =
            pdf_status_colour(pdf_status_word(model_find(p->m, "journey.status", sdims), wbuf));
        double cx = x + pad + (double)k * cw;
        pdf_rect(p, cx, top - h + 8, cw - 6, 3, c);
        pdf_label(p, cx, top - 30, SIZE_TINY, 6, cw - 4, MUTED, LEFT, texts_get(p->t, key));
        char *num = !pdf_present(v) ? xstrdup(texts_get(p->t, "tile.na"))
                    : k == 0        ? fmt_score(p->t, v->value)
                                    : fmt_percent(p->t, v->value, 1);
        /* Below min_sample: the same mark as the tables', explained under
         * the map (block_journey). */
        bool low = pdf_present(v) && kpi_flagged(v, "low_sample");
        char *val = low ? xstrfmt("%s*", num) : xstrdup(num);
        free(num);
        /* Four or more boxes leave a column too narrow for "100.0 %*": a
         * whole number is read right where a cut one ("100.0…") is not;
         * the workbook's Journey sheet has the decimal. */
        if (pdf_present(v) && pdf_text_width(p, val, 6.5) > cw - 8) {
            free(val);
            num = k == 0 ? fmt_number(p->t, v->value, 0) : fmt_percent(p->t, v->value, 0);
            val = low ? xstrfmt("%s*", num) : xstrdup(num);
            free(num);
        }
        if (low)
            *any_low = true;
        /* A clear gap to the next figure, whatever the size it shrinks to. */
        pdf_label(p, cx, top - 46, 10.5, 6.5, cw - 8,
                  !pdf_present(v) ? MUTED
                  : low           ? AMBER
                                  : INK,
                  LEFT, val);
        free(val);
        free(key);
        free(code);
        free(sdims);
        free(dims);
    }
}

double pdf_journey_low_note(struct pdf *p, double y)
{
    char *min = fmt_count(p->t, p->m->min_sample);
    char *low = texts_format(p->t, "briefing_depts.journey_low", "min", min, (char *)NULL);
    y = pdf_note(p, y, low);
    free(low);
    free(min);
    return y;
}
