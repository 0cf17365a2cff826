/* The report mail's inline chart: the NPS trend over the periods of the
 * run's history (the figures nps and nps_moe with a period= dim, metrics.md
 * "Histories, coverage and missing data") as a PNG drawn with cairo, its
 * labels in the run's locale with the configured font (FreeType), so
 * Chinese month names draw as well as Latin ones.
 *
 * The picture has its own opaque background: a mail client in dark mode
 * shows it as a light card rather than dark lines on a dark page.  Every
 * text drawn is also returned, so the leak check can read what the picture
 * says (report/leakcheck.h). */
#ifndef VR_MAILCHART_H
#define VR_MAILCHART_H

#include "jobs/model/model.h"
#include "texts.h"

#include <stdbool.h>
#include <stddef.h>

/* Pixels of the PNG; the HTML shows it at half that, sharp on a phone. */
#define MAILCHART_WIDTH 880
#define MAILCHART_HEIGHT 440

struct mail_chart {
    unsigned char *png; /* NULL: no chart */
    size_t len;
    char *texts; /* every text drawn, one a line */
};

/* Draws the chart of m's NPS history into out.  False, with out empty,
 * when fewer than two periods have an NPS (nothing to call a trend), or
 * when the font or cairo failed (logged as a warning: the mail goes
 * without its picture rather than not at all). */
bool mailchart_nps(const struct texts *t, const struct model *m, const char *font_path,
                   struct mail_chart *out);
void mailchart_release(struct mail_chart *c);

#endif
