/* The configuration: one INI file, every option one row of a table (name,
 * type, bounds, default) in config.c.  check-config runs exactly this
 * parser and validator without touching the database. */
#ifndef VR_CONFIG_H
#define VR_CONFIG_H

#include "error.h"

#include <stddef.h>

enum period_rule { PERIOD_PREVIOUS_MONTH, PERIOD_MONTH_TO_DATE, PERIOD_PREVIOUS_WEEK, PERIOD_TRAILING_DAYS };
enum churn_rule { CHURN_AUTO, CHURN_EXPLICIT, CHURN_INACTIVITY };

struct job_config {
    char *name;
    int line;                   /* first line of the job's section */
    int period;                 /* enum period_rule */
    int trailing_days;          /* 0 unless period = trailing_days */
    char *time_zone;
    char *locale;
    char *currency;
    int min_sample;
    int segment_lookback_months;
    double shift_pct;
    char *gross_margin;         /* "auto" or a fraction as written */
    double churn_floor;
    int churn_rule;             /* enum churn_rule */
    int inactive_days;
    double max_rejected_share;
    int cohort_window_months;   /* root cause: exposure window [T - this, T - gap) */
    int outcome_gap_months;
    int correlation_months;     /* lagged correlation: trailing months of series */
};

/* A closed-loop retention experiment ([experiment.NAME]). */
struct experiment_config {
    char *name;                 /* [a-z0-9_-]+ */
    int line;
    char *start;                /* YYYY-MM-DD: first day customers can be assigned */
    int enrollment_days;        /* newly qualifying customers join for this long */
    int risk_lookback_days;     /* risk pool: latest response in this window has nps <= nps_max */
    int nps_max;
    double treatment_share;
    int response_deadline_hours;
    int evaluation_window_months;
    int counts_in_roi;          /* 1: its evaluated value is a VoC ROI benefit */
};

struct config {
    char *path;
    char *digest;               /* sha256 of the file, hex */
    char *conninfo;             /* "" = libpq's environment and service files */
    char *source_schema;
    char *results_schema;
    char *output_root;          /* after VOCREPORT_OUTPUT_DIR */
    char *templates_dir;
    char *font;
    char *taxonomy;             /* [classify] topic taxonomy file */
    char *sentiment_model;      /* [classify] sentiment model file */
    char *departments;          /* [classify] known department codes, comma-separated */
    char **department_list;     /* the same, split: NULL-terminated */
    struct job_config *jobs;
    size_t n_jobs;
    struct experiment_config *experiments;
    size_t n_experiments;
};

enum vr_status config_load(struct config **out, const char *path, struct vr_error *err);
void config_free(struct config *c);

const struct job_config *config_job(const struct config *c, const char *name);
const struct experiment_config *config_experiment(const struct config *c, const char *name);

/* Every job parameter, resolved, as (name, value) text in table order:
 * what runs.parameters and the About sheet show. Calls fn once per option. */
void config_job_params(const struct job_config *j, void (*fn)(void *user, const char *name,
                                                              const char *value),
                       void *user);

/* A file shipped with vocreport (e.g. "config/taxonomy.ini"): from the
 * source tree when running from a build, else from the installed data
 * folder. Caller frees. */
char *config_data_path(const char *relative);

const char *period_rule_name(int rule);
const char *churn_rule_name(int rule);

#endif
