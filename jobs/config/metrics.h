/* The metric catalogue: every figure code a report shows, once, with its
 * unit, the decimals a page prints it with, whether it is a change (shown
 * with its sign), which way is better, and the template key of its label
 * (templates/<locale>/metrics.ini).  The metrics a department KPI or a
 * journey target may name carry their scope and range here too.
 *
 * It serves the config checks (jobs/config/config_targets.c), the number formats
 * of the workbook, the briefing and the mail, and the sentences
 * (report/texts.c): nothing guesses a unit from a code's name.  The
 * definitions themselves are in ../shared/spec/metrics.md. */
#ifndef VR_METRICS_H
#define VR_METRICS_H

#include <stdbool.h>

enum metric_unit {
    UNIT_COUNT,   /* a number of things: 1,234 (decimals 1: an expected count) */
    UNIT_SHARE,   /* a fraction, shown as a percentage: 0.405 is 40.5 % */
    UNIT_SCORE,   /* points of a fixed scale: NPS -100..100, a sentiment score 0..100 */
    UNIT_MEAN,    /* the mean of a small scale: CES 1..7 */
    UNIT_MONEY,   /* the ledger's currency */
    UNIT_RATIO,   /* one value over another: 3.00x */
    UNIT_P_VALUE, /* a test's p: 0.012, below 0.001 as <0.001 */
    UNIT_NUMBER,  /* a plain number: a correlation, a company's own business metric */
    UNIT_STATUS,  /* a code a page shows as a word: traffic light 2/1/0, trend, yes/no */
};

enum metric_better { BETTER_NEITHER, BETTER_HIGHER, BETTER_LOWER };

/* decimals of a number whose scale nobody knows in advance (a slope):
 * two significant digits. */
#define METRIC_SIGNIFICANT2 (-2)

struct metric {
    const char *code; /* "nps", "topic.negative", "class.arpu" */
    enum metric_unit unit;
    int decimals; /* places after the point a page prints, or METRIC_SIGNIFICANT2 */
    bool change;  /* a difference or a change: shown with its sign (+7.5) */
    enum metric_better better;
    const char *label; /* template key of its name: "metric_label.nps" */
    /* A target may name it (kpi.* of a department, [journey]): with a
     * "(topic)" argument or none, in [min, max] of stored units. */
    bool target, needs_topic;
    double min, max;
};

/* The catalogue, ending with an entry whose code is NULL. */
extern const struct metric metric_catalogue[];

/* The entry of a figure code or of a metric as a target writes it
 * ("topic.negative(app_crash)" is topic.negative); NULL when the catalogue
 * has none. */
const struct metric *metric_find(const char *code);

/* What a change of a metric means, by its better direction: 1 good news,
 * -1 bad news, 0 neither (no change, no better direction, unknown). */
int metric_verdict(const char *code, double change);

/* The places a page prints v with: the entry's decimals, or for
 * METRIC_SIGNIFICANT2 as many as show two significant digits of v (0..8). */
int metric_decimals(const struct metric *m, double v);

#endif
