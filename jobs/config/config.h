/* The configuration: one INI file, every option one row of a table (name,
 * type, bounds, default) in config.c.  check-config runs exactly this
 * parser and validator without touching the database. */
#ifndef VR_CONFIG_H
#define VR_CONFIG_H

#include "jobs/base/diag.h"
#include "jobs/base/error.h"
#include "metrics.h"

#include <stdbool.h>
#include <stddef.h>

enum period_rule {
    PERIOD_PREVIOUS_MONTH,
    PERIOD_MONTH_TO_DATE,
    PERIOD_PREVIOUS_WEEK,
    PERIOD_TRAILING_DAYS,
    PERIOD_ALL, /* everything before the as-of: no prior period */
};
enum churn_rule { CHURN_AUTO, CHURN_EXPLICIT, CHURN_INACTIVITY };
enum catch_up_rule { CATCH_UP_LATEST, CATCH_UP_ALL };

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
    double max_order_amount;    /* a paid order above it is rejected (implausible); 0 = off */
    int cohort_window_months;   /* root cause: exposure window [T - this, T - gap) */
    int outcome_gap_months;
    int correlation_months;     /* lagged correlation: trailing months of series */
    double nps_green;           /* NPS traffic light: green from here up (jobs/model/status.h) */
    double nps_amber;           /* amber from here up to nps_green, red below */

    /* Scheduling, delivery and gates: not figures' parameters, so not in
     * runs.parameters or on the About sheet. */
    char *schedule;             /* cron expression read in time_zone; "" = run-due skips the job */
    int catch_up;               /* enum catch_up_rule: missed fire times run-due makes up */
    int max_catch_up;           /* with catch_up = all: at most this many runs per run-due */
    char **executives;          /* NULL-terminated addresses: executive workbook and briefing */
    char **finance;             /* finance: figures CSV and executive workbook */
    char **service;             /* service team: the experiments' call list */
    char **owner;               /* alerts: failed gates, failed runs, failed mail */
    char **departments;         /* department codes whose packs this job makes; NULL = all */
    int gate_freshness_hours;   /* newest source row at least this recent before T; 0 = off */
    double gate_row_change_pct; /* source rows within this % of the previous run's; 0 = off */
    int gate_min_responses;     /* scored NPS responses in the period at least this; 0 = off */
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

/* A target (metrics.md "Departments, targets and closure"), written
 * "METRIC[(ARG)] >= VALUE [amber MARGIN]" or "<=".  Rates are fractions:
 * "90%" and "0.9" are the same target. */
struct target {
    char *metric;               /* NULL: no target set (journey) */
    char *arg;                  /* topic code for topic.* metrics, else NULL */
    int lower_is_better;        /* written "<=" */
    double value;
    double amber;               /* margin beyond the target still amber; 0 = none */
};

/* What a section calls the thing it configures, per locale: "name = ..."
 * for every locale and "name.<locale> = ..." for one (jobs/config/config_names.c).
 * The form any section that names something can take. */
struct locale_text {
    char *locale;
    char *text;
    int line;
};
struct names {
    char *name; /* "name"; NULL or "" = none */
    int line;   /* of "name"; 0 = not set */
    struct locale_text *by_locale;
    size_t n;
};

struct dept_kpi {
    char *name;                 /* key after "kpi.": dims kpi=NAME */
    int line;
    struct target t;
};

/* "kpi_name.NAME = ..." / "kpi_name.NAME.<locale> = ...": what the
 * company calls a KPI, shown instead of its metric's words. */
struct kpi_label {
    char *kpi;
    int line;                   /* of its first line, for "names no KPI" */
    struct names names;
};

/* [department.CODE]: who owns which touchpoints and topics (the one place
 * that says so: the taxonomy does not), and the KPIs assigned to them. */
struct department {
    char *code;
    int line;
    char *name;                 /* display name, default the code */
    struct names names;         /* name.<locale>: its name in that locale */
    char **head;                /* the head's address (one or more): receives the pack */
    char **recipients;          /* further addresses, NULL-terminated (may be empty) */
    char **touchpoints;         /* survey touchpoints it owns, NULL-terminated */
    char **topics;              /* taxonomy topics it owns, NULL-terminated (may be empty) */
    struct dept_kpi *kpis;
    size_t n_kpis;
    struct kpi_label *kpi_labels;
    size_t n_kpi_labels;
};

/* [journey]: the journey map's order and colours. */
struct journey_config {
    char **touchpoints;         /* in journey order; NULL = as found in the data */
    struct target nps, csat, negative_share;
};

/* [mail]: the SMTP server.  The password never lives in the config: it is
 * read from password_file or the VOCREPORT_SMTP_PASSWORD environment. */
struct mail_config {
    char *url;                  /* smtp://host:port or smtps://...; "" = no mail */
    char *from;
    int starttls;               /* require STARTTLS on smtp:// */
    char *username;             /* "" = no authentication */
    char *password_file;
    char *ca_file;              /* PEM trust anchors for a private CA; "" = the system's */
    int max_attempts;
    int retry_seconds;          /* before the second attempt; doubles */
    int timeout_seconds;
};

/* [touchpoint.CODE], [channel.CODE], [segment.CODE]: a company's own codes
 * (as the source data writes them) and what the reports call them. */
struct code_names {
    char *kind; /* "touchpoint", "channel" or "segment" */
    char *code;
    int line;
    struct names names;
};

/* The locales the reports speak, NULL-terminated. */
extern const char *const config_locales[];

struct config {
    char *path;
    char *digest;               /* sha256 of the file, secrets masked, hex (config_digest.h) */
    char *conninfo;             /* "" = libpq's environment and service files */
    char *source_conninfo;      /* "" = the source views are read on conninfo's server */
    char *source_schema;
    char *source_time_zone;     /* zone of source times without one ("" = none: such a time is
                                   a contract error) */
    char *results_schema;
    char *output_root;          /* after VOCREPORT_OUTPUT_DIR */
    char *templates_dir;
    char *font;
    char *taxonomy;             /* [classify] topic taxonomy file */
    char *sentiment_model;      /* [classify] sentiment model file */
    struct job_config *jobs;
    size_t n_jobs;
    struct experiment_config *experiments;
    size_t n_experiments;
    struct department *depts;   /* [department.*] in file order */
    size_t n_depts;
    struct journey_config journey;
    struct mail_config mail;
    struct code_names *code_names; /* in file order */
    size_t n_code_names;
};

/* Loads and checks the file; the first error stops (err). */
enum vr_status config_load(struct config **out, const char *path, struct vr_error *err);
/* The same, but every error goes to d (each "file:line: ...", in file
 * order, then the rules that involve several keys), and *out is the config
 * as far as it could be read even then, for the checks of the files it
 * names (check-config).  A file that cannot be opened stops at once. */
enum vr_status config_load_all(struct config **out, const char *path, struct diag *d);
void config_free(struct config *c);

const struct job_config *config_job(const struct config *c, const char *name);
const struct experiment_config *config_experiment(const struct config *c, const char *name);
const struct department *config_department(const struct config *c, const char *code);
/* The catalogue's entry (jobs/config/metrics.h) of a metric a target may name,
 * or NULL. */
const struct metric *config_target_metric(const char *name);

/* Sets "name" (locale NULL) or "name.<locale>" (locale is what follows
 * "name."); an empty text is no name.  On error returns VR_ERR_CONFIG with
 * what is wrong; the caller adds where. */
enum vr_status config_names_set(struct names *n, const char *locale, const char *text, int line,
                                struct vr_error *err);
/* The name for a locale: name.<locale>, else name, else NULL. */
const char *config_names_get(const struct names *n, const char *locale);
void config_names_release(struct names *n);
/* What the config calls a code of a kind ("touchpoint", "first_payment")
 * in a locale, or NULL when it does not name it. */
const char *config_code_name(const struct config *c, const char *kind, const char *code,
                             const char *locale);

/* Parses "METRIC[(ARG)] OP VALUE [amber MARGIN]" (with_metric) or
 * "OP VALUE [amber MARGIN]" for a fixed metric (the journey's).  On error
 * returns VR_ERR_CONFIG with what is wrong; the caller adds where. */
enum vr_status config_parse_target(struct target *out, const char *text,
                                   const char *fixed_metric, struct vr_error *err);
void config_free_target(struct target *t);
/* Status of an actual against a target: "green", "amber", "red"; "grey"
 * when there is no actual or no target. */
const char *target_status(const struct target *t, bool has_actual, double actual);

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
