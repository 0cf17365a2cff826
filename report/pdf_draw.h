/* Drawing helpers shared by the PDF renderers (the executive briefing in
 * pdf.c, the department scorecard in pdf_dept.c): one A4 geometry, one
 * palette, one embedded CJK TrueType font with the UTF-8 encoder
 * (PLATFORM.md "libharu 2.3.0"), text primitives that measure without
 * drawing while p->draw is false, and a UTF-8 wrapper that breaks English
 * at spaces and Chinese between any two characters.  Glyphs the font lacks
 * (•, −, ✓, arrows) are avoided: bullets and marks are drawn as shapes.
 * Customers' text that the PDF cannot show (emoji, Hebrew, Arabic, any
 * character the font lacks) is laid out with a visible placeholder in the
 * reader's language ("[emoji]") instead of empty boxes. */
#ifndef VR_PDF_DRAW_H
#define VR_PDF_DRAW_H

#include "findings.h"
#include "render.h"

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

/* A4 portrait, in points. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN_X 40.0
#define MARGIN_TOP 40.0
#define CONTENT_BOTTOM 58.0 /* the footer lives below */
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define BLOCK_GAP 18.0
#define MAX_PAGES 2 /* outputs.md: the briefing takes one to two pages */

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

struct rgb {
    float r, g, b;
};

/* A restrained palette: ink and greys for text and rules, one blue accent;
 * red, amber and green only ever mean a status (GREY: no figure). */
extern const struct rgb WHITE, INK, MUTED, RULE, GRID, PANEL, ACCENT, ACCENT_LIGHT, RED, AMBER,
    GREEN, GREY;

/* One document being drawn. */
struct pdf {
    const struct model *m;
    const struct texts *t;
    HPDF_Doc doc;
    HPDF_Font font;
    HPDF_FontDef fontdef; /* the font's glyph table: which characters it has */
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
    struct finding_words findings[MAX_FINDINGS]; /* the briefing's */
    size_t n_findings;
};

/* Creates p->doc (compressed, UTF-8) and loads the font.  Fails at once
 * (VR_ERR_OUTPUT, naming `what`, e.g. "briefing") without a font path or a
 * document; a libharu error while loading the font is left in p->code for
 * pdf_doc_save to report.  Sets the document's title, creator and language
 * (the catalog's /Lang from the model's locale: en-US, zh-CN), so that a
 * screen reader speaks it in the right language. */
enum vr_status pdf_doc_open(struct pdf *p, const char *font_path, const char *what,
                            const char *title, const char *path, struct vr_error *err);
/* Saves the document unless an error was recorded, then frees it; on a
 * libharu error says in words what failed (the font, a block, the file). */
enum vr_status pdf_doc_save(struct pdf *p, const char *font_path, const char *what,
                            const char *path, struct vr_error *err);

const char *pdf_tx(const struct pdf *p, const char *key);
/* "2026-09-01" -> "1 Sep 2026" / "2026年9月1日"; anything else as given. */
char *pdf_fmt_date(const struct texts *t, const char *ymd);
/* The same in the words of another format key ({day}, {month}, {mm},
 * {year}), e.g. "date.month_format": "Sep 2026" / "2026年9月". */
char *pdf_fmt_date_as(const struct texts *t, const char *ymd, const char *key_format);

double pdf_width_n(const struct pdf *p, const char *s, size_t len, double size);
double pdf_text_width(const struct pdf *p, const char *s, double size);

enum align { LEFT, RIGHT, CENTER };

/* Drawing primitives (no-ops while measuring). */
void pdf_text(struct pdf *p, double x, double y, double size, struct rgb c, enum align a,
              const char *s);
void pdf_rect(struct pdf *p, double x, double y, double w, double h, struct rgb c);
void pdf_line(struct pdf *p, double x1, double y1, double x2, double y2, double width,
              struct rgb c);
/* A path through n points: stroked when width > 0 (dashed with dash-long
 * dashes when dash > 0), else closed and filled (a band). */
void pdf_path(struct pdf *p, const double *x, const double *y, size_t n, double width, double dash,
              struct rgb c);
/* A dot of radius r centred on (cx, cy): filled, or a ring (hollow). */
void pdf_dot(struct pdf *p, double cx, double cy, double r, struct rgb c, bool hollow);
/* A small filled triangle: up (dir > 0), down (dir < 0) or right (0),
 * centred on (cx, cy).  The font lacks the arrow glyphs. */
void pdf_triangle(struct pdf *p, double cx, double cy, double size, int dir, struct rgb c);

struct lines {
    char **v;
    size_t n, cap;
};
void pdf_lines_release(struct lines *l);
/* Greedy line filling at the given size and width; white space between
 * words collapses to one space; text the PDF cannot show becomes a
 * placeholder first. */
void pdf_wrap(const struct pdf *p, const char *s, double size, double width, struct lines *out);
/* Keeps at most max lines, ending the last with "…" when text was cut. */
void pdf_clamp_lines(const struct pdf *p, struct lines *l, size_t max, double size, double width);
/* One line of text that must fit a box (placeholders as pdf_wrap): shrinks
 * the size down to min_size, then cuts with "…".  Caller frees. */
char *pdf_fit(const struct pdf *p, const char *s, double *size, double min_size, double width);
/* Draws a fitted one-line label. */
void pdf_label(struct pdf *p, double x, double y, double size, double min_size, double width,
               struct rgb c, enum align a, const char *s);
/* "N more ..." under a list cut short (text key with {n}); returns the new y. */
double pdf_more_note(struct pdf *p, double y, const char *key, size_t hidden);
/* A block heading; returns its height. */
double pdf_heading(struct pdf *p, double top, const char *s);

/* A block of a page: layout() measures (p->draw false, p->avail the room
 * it may take: a list shortens to it) or draws, and returns its height; 0
 * leaves the block out. */
struct pdf_block {
    const char *name;
    double (*layout)(struct pdf *p);
    const char *bookmark; /* text key of its entry in the document outline; NULL: none */
    bool fills; /* a list that shortens to the room left on its page rather than move on */
};
/* The blocks top to bottom, gap apart.  One that does not fit goes to a
 * new page from new_page (NULL: the page is all there is), unless it fills
 * and some of it fits here, and is left out rather than overflow the last
 * page.  A block listed twice (by name, perhaps in a shorter form the
 * second time) is drawn once: at its first place if (some of) it fits
 * there, else at its next, so that it takes the room a page leaves over
 * instead of pushing what follows off.  Each block drawn with
 * a bookmark gets an outline entry that opens at its top, fitted to the
 * page width (a reader on a phone jumps between sections by them). */
void pdf_layout_blocks(struct pdf *p, const struct pdf_block *blocks, size_t n,
                       void (*new_page)(struct pdf *p), double gap);

/* The period line under a title, in the words of key ({job}, {first},
 * {last}, {as_of}).  Caller frees. */
char *pdf_subtitle(const struct pdf *p, const char *key);
/* A page's first block: title (shrinking to min_size), period line and an
 * accent rule; returns its height. */
double pdf_title_block(struct pdf *p, const char *title, double min_size, const char *subtitle_key);

/* A step of 1, 2, 2.5 or 5 × 10^k giving about `target` intervals over
 * range (an axis's ticks). */
double pdf_nice_step(double range, int target);
/* A figure that exists, is not NULL and is finite. */
bool pdf_present(const struct kpi *k);
/* "n/a — no orders in the source", or "n/a" without a reason: what a
 * page shows for a NULL figure, never 0.  Caller frees. */
char *pdf_na(const struct pdf *p, const struct kpi *k);
/* The colour of a change of a metric: GREEN good news, RED bad news, MUTED
 * neither, by the metric's better direction (jobs/config/metrics.h). */
struct rgb pdf_verdict_colour(const char *code, double change);

/* Department figures (docs/departments.md), shared by the scorecard and the
 * briefing's department table. */
/* The status word of a dept.kpi.status or journey.status flag, its first
 * word ("amber,low_sample" -> amber); "grey" when absent. */
const char *pdf_status_word(const struct kpi *status, char buf[16]);
struct rgb pdf_status_colour(const char *word);
/* Which of the department targets a page that cannot show them all keeps:
 * of the figures with code (one per KPI: a dims with "period=" is a KPI's
 * history), at most max, red first, then amber, grey (no figure), green by
 * their dept.kpi.status, so that a missed target is never the one left
 * out.  Marks them in keep (one flag per model figure, so they can be
 * drawn in config order); returns how many there are, and sets
 * *hidden_met when every one left out is green. */
size_t pdf_pick_targets(const struct model *m, const char *code, size_t max, bool *keep,
                        bool *hidden_met);
/* A note in small muted type across the content width, under y; returns
 * the new y. */
double pdf_note(struct pdf *p, double y, const char *text);

/* A journey touchpoint as a box: its name, NPS, CSAT and negative share,
 * each over a bar in its journey.status colour; a figure below min_sample
 * is marked "*" and sets *any_low. */
void pdf_journey_box(struct pdf *p, double x, double top, double w, double h,
                     const char *touchpoint, bool *any_low);
/* What "*" means, under a journey map with a marked figure. */
double pdf_journey_low_note(struct pdf *p, double y);

/* Adds an A4 page (p->page NULL when libharu could not) and puts y at the
 * top of its content. */
void pdf_new_page(struct pdf *p);

/* Run, version, config digest and "page i of n" under every page. */
void pdf_footers(struct pdf *p);

#endif
