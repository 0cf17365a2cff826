/* The mail's NPS trend picture; the contract is in mailchart.h. */
#include "mailchart.h"

#include "jobs/base/log.h"
#include "jobs/base/strbuf.h"

#include <cairo-ft.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct point {
    const char *first_day; /* the period= dim */
    double nps, moe;
    bool has_nps, has_moe, low;
};

static int by_day(const void *a, const void *b)
{
    return strcmp(((const struct point *)a)->first_day, ((const struct point *)b)->first_day);
}

/* The company's NPS per period, oldest first, a period without one
 * included (a gap in the line, not a shorter axis): the figures alone, so
 * a resend that read only kpi_values draws the same picture. */
static size_t collect(const struct model *m, struct point **out)
{
    struct point *pts = xcalloc(m->n_kpis + 1, sizeof(*pts));
    size_t n = 0;
    for (size_t i = 0; i < m->n_kpis; i++) {
        const struct kpi *k = &m->kpis[i];
        if (strcmp(k->code, "nps") || strncmp(k->dims, "period=", 7) || strchr(k->dims, ';'))
            continue;
        struct point *p = &pts[n++];
        p->first_day = k->dims + 7;
        p->has_nps = k->has_value;
        p->nps = k->value;
        p->low = kpi_flagged(k, "low_sample");
        p->has_moe = model_value(m, "nps_moe", k->dims, &p->moe);
    }
    qsort(pts, n, sizeof(*pts), by_day);
    *out = pts;
    return n;
}

static pthread_once_t ft_once = PTHREAD_ONCE_INIT;
static FT_Library ft_lib; /* for the process: cairo may keep a face cached */
static bool ft_ok;

static void ft_init(void)
{
    ft_ok = FT_Init_FreeType(&ft_lib) == 0;
}

static const cairo_user_data_key_t face_key;

static void face_done(void *face)
{
    FT_Done_Face(face);
}

/* The configured font as a cairo face, or NULL (logged). */
static cairo_font_face_t *load_font(const char *font_path)
{
    pthread_once(&ft_once, ft_init);
    FT_Face face;
    if (!ft_ok || !font_path || FT_New_Face(ft_lib, font_path, 0, &face)) {
        log_warn("the mail's NPS chart is left out: could not load the font \"%s\"",
                 font_path ? font_path : "");
        return NULL;
    }
    cairo_font_face_t *ff = cairo_ft_font_face_create_for_ft_face(face, 0);
    if (cairo_font_face_set_user_data(ff, &face_key, face, face_done) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(ff);
        FT_Done_Face(face);
        log_warn("the mail's NPS chart is left out: cairo could not use the font \"%s\"",
                 font_path);
        return NULL;
    }
    return ff;
}

static void rgb(cairo_t *cr, unsigned hex)
{
    cairo_set_source_rgb(cr, ((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0,
                         (hex & 255) / 255.0);
}

enum align { LEFT, CENTRE, RIGHT };

/* Draws s with its baseline at y and records it for the leak check. */
static void text(cairo_t *cr, struct strbuf *said, double x, double y, double size, enum align a,
                 const char *s)
{
    cairo_set_font_size(cr, size);
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    double dx = a == LEFT ? 0 : a == CENTRE ? -e.x_advance / 2 : -e.x_advance;
    cairo_move_to(cr, x + dx, y);
    cairo_show_text(cr, s);
    strbuf_adds(said, s);
    strbuf_adds(said, "\n");
}

/* A step of 5, 10, 20 or 25 points giving at most six grid lines. */
static double grid_step(double span)
{
    static const double steps[] = {5, 10, 20, 25, 50};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (span / steps[i] <= 6)
            return steps[i];
    return 50;
}

static cairo_status_t to_strbuf(void *closure, const unsigned char *data, unsigned int len)
{
    strbuf_add(closure, (const char *)data, len);
    return CAIRO_STATUS_SUCCESS;
}

enum { INK = 0x1d2228, MUTED = 0x5f6b7a, GRID = 0xe3e6ea, ACCENT = 0x1f5fa8, BAND = 0xcfe0f3 };

static void draw(cairo_t *cr, const struct texts *t, const struct point *pts, size_t n,
                 struct strbuf *said)
{
    const double W = MAILCHART_WIDTH, H = MAILCHART_HEIGHT;
    const double left = 84, right = W - 34, top = 72, bottom = H - 82;
    rgb(cr, 0xffffff);
    cairo_paint(cr);

    double lo = 100, hi = -100;
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        if (!pts[i].has_nps)
            continue;
        last = i;
        double e = pts[i].has_moe ? pts[i].moe : 0;
        lo = fmin(lo, pts[i].nps - e);
        hi = fmax(hi, pts[i].nps + e);
    }
    double step = grid_step(hi - lo);
    lo = fmax(-100, floor(lo / step) * step);
    hi = fmin(100, ceil(hi / step) * step);
    if (hi - lo < step)
        hi = lo + step;
    double xs = n > 1 ? (right - left) / (double)(n - 1) : 0;
#define X(i) (left + xs * (double)(i))
#define Y(v) (bottom - ((v)-lo) / (hi - lo) * (bottom - top))

    /* legend: the line, then the band */
    rgb(cr, ACCENT);
    cairo_set_line_width(cr, 5);
    cairo_move_to(cr, left, 34);
    cairo_line_to(cr, left + 40, 34);
    cairo_stroke(cr);
    rgb(cr, INK);
    text(cr, said, left + 52, 44, 30, LEFT, texts_get(t, "mail_chart.nps"));
    cairo_text_extents_t e;
    cairo_set_font_size(cr, 30);
    cairo_text_extents(cr, texts_get(t, "mail_chart.nps"), &e);
    double bx = left + 52 + e.x_advance + 40;
    rgb(cr, BAND);
    cairo_rectangle(cr, bx, 22, 40, 24);
    cairo_fill(cr);
    rgb(cr, MUTED);
    text(cr, said, bx + 52, 44, 30, LEFT, texts_get(t, "mail_chart.band"));

    /* grid with its values */
    cairo_set_line_width(cr, 2);
    for (double v = lo; v <= hi + 1e-9; v += step) {
        rgb(cr, fabs(v) < 1e-9 ? 0xb9c0c8 : GRID);
        cairo_move_to(cr, left, Y(v));
        cairo_line_to(cr, right, Y(v));
        cairo_stroke(cr);
        char *label = fmt_number(t, v, 0);
        rgb(cr, MUTED);
        text(cr, said, left - 14, Y(v) + 10, 28, RIGHT, label);
        free(label);
    }

    /* the margin of error as a band, where a period has one; a band past
     * -100 or 100 is cut at the plot's edge */
    cairo_save(cr);
    cairo_rectangle(cr, left - 12, top, right - left + 24, bottom - top);
    cairo_clip(cr);
    rgb(cr, BAND);
    for (size_t i = 0; i + 1 < n; i++) {
        if (!pts[i].has_nps || !pts[i + 1].has_nps || !pts[i].has_moe || !pts[i + 1].has_moe)
            continue;
        cairo_move_to(cr, X(i), Y(pts[i].nps + pts[i].moe));
        cairo_line_to(cr, X(i + 1), Y(pts[i + 1].nps + pts[i + 1].moe));
        cairo_line_to(cr, X(i + 1), Y(pts[i + 1].nps - pts[i + 1].moe));
        cairo_line_to(cr, X(i), Y(pts[i].nps - pts[i].moe));
        cairo_close_path(cr);
        cairo_fill(cr);
    }
    cairo_restore(cr);

    rgb(cr, ACCENT);
    cairo_set_line_width(cr, 5);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t i = 0; i < n; i++)
        if (pts[i].has_nps)
            (i && pts[i - 1].has_nps ? cairo_line_to : cairo_move_to)(cr, X(i), Y(pts[i].nps));
    cairo_stroke(cr);
    /* a low-sample period is a hollow dot: its value is shaky */
    for (size_t i = 0; i < n; i++) {
        if (!pts[i].has_nps)
            continue;
        cairo_new_sub_path(cr);
        cairo_arc(cr, X(i), Y(pts[i].nps), 9, 0, 2 * M_PI);
        if (pts[i].low) {
            rgb(cr, 0xffffff);
            cairo_fill_preserve(cr);
            rgb(cr, ACCENT);
            cairo_set_line_width(cr, 4);
            cairo_stroke(cr);
        } else {
            rgb(cr, ACCENT);
            cairo_fill(cr);
        }
    }
    /* the last value, written out */
    char *value = fmt_score(t, pts[last].nps);
    rgb(cr, INK);
    text(cr, said, X(last), Y(pts[last].nps) - 22, 34, RIGHT, value);
    free(value);

    /* months under the axis; the year where it changes */
    int year_shown = 0;
    for (size_t i = 0; i < n; i++) {
        int y, mo, d;
        if (sscanf(pts[i].first_day, "%4d-%2d-%2d", &y, &mo, &d) != 3 || mo < 1 || mo > 12)
            continue;
        /* every other label when twelve would crowd a phone's width */
        if (n > 7 && (n - 1 - i) % 2)
            continue;
        char key[16], year[16];
        snprintf(key, sizeof(key), "date.m%02d", mo);
        snprintf(year, sizeof(year), "%d", y);
        rgb(cr, MUTED);
        text(cr, said, X(i), bottom + 38, 28, CENTRE, texts_get(t, key));
        if (y != year_shown)
            text(cr, said, X(i), bottom + 70, 26, CENTRE, year);
        year_shown = y;
    }
#undef X
#undef Y
}

bool mailchart_nps(const struct texts *t, const struct model *m, const char *font_path,
                   struct mail_chart *out)
{
    memset(out, 0, sizeof(*out));
    struct point *pts = NULL;
    size_t n = collect(m, &pts), with_nps = 0;
    for (size_t i = 0; i < n; i++)
        with_nps += pts[i].has_nps;
    cairo_font_face_t *ff = with_nps >= 2 ? load_font(font_path) : NULL;
    if (!ff) {
        free(pts);
        return false;
    }
    struct strbuf png, said;
    strbuf_init(&png);
    strbuf_init(&said);
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, MAILCHART_WIDTH, MAILCHART_HEIGHT);
    cairo_t *cr = cairo_create(s);
    cairo_set_font_face(cr, ff);
    draw(cr, t, pts, n, &said);
    cairo_status_t st = cairo_status(cr);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_write_to_png_stream(s, to_strbuf, &png);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    cairo_font_face_destroy(ff);
    free(pts);
    if (st != CAIRO_STATUS_SUCCESS) {
        log_warn("the mail's NPS chart is left out: cairo: %s", cairo_status_to_string(st));
        strbuf_release(&png);
        strbuf_release(&said);
        return false;
    }
    out->len = png.len;
    out->png = (unsigned char *)strbuf_detach(&png);
    out->texts = strbuf_detach(&said);
    return true;
}

void mailchart_release(struct mail_chart *c)
{
    if (!c)
        return;
    free(c->png);
    free(c->texts);
    memset(c, 0, sizeof(*c));
}
