/* The result model: everything a run computed, in one structure that every
 * renderer reads and nothing else writes after compute.  The figures are a
 * flat list keyed exactly like the kpi_values table (code + canonical dims),
 * so a number on a page and a row in the database are the same thing. */
#ifndef VR_MODEL_H
#define VR_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct kpi {
    char *code;     /* metrics.md code, e.g. "class.arpu" */
    char *dims;     /* canonical dims, keys sorted, ';'-joined: "class=promoter"; "" = none */
    bool has_value; /* false: NULL, shown as "n/a", never 0 */
    double value;   /* rates are fractions (0.4), money in ledger currency */
    long long n;    /* sample size where one applies, else -1 */
    char *flag;     /* NULL, "low_sample", "significant" or "low_sample,significant";
                       "no_<view>"/"empty_<view>": not measured (struct source_gap) */
};

/* One rejected-row count (data-contract.md "Rows the job must not trust"). */
struct rejection {
    char *table;  /* source table, e.g. "survey_responses" */
    char *reason; /* duplicate_key, orphan, future_dated, out_of_scale,
                     not_finite, negative_amount, implausible_amount,
                     invalid_sentiment, empty_body, invalid_utf8,
                     unknown_language */
    long long rows;
};

/* Rows read per source table, and how many of them were rejected. */
struct source_count {
    char *table;
    long long rows;
    long long rejected;
};

/* A source view a company may leave out (data-contract.md "Which tables a
 * company must have") that this run could not measure with: the figures
 * that need it are NULL with flag in their flag (docs/decisions.md
 * "Absent and empty source views"). */
struct source_gap {
    char *table;
    char *flag; /* no_<table>: absent; empty_<table>: no row passed the checks */
};

/* A run parameter as recorded in runs.parameters and on the About sheet. */
struct param {
    char *name;
    char *value; /* text as resolved, e.g. "0.01", "explicit" */
};

/* A customer's own words, shown as written (any language). */
struct verbatim {
    char *topic;     /* topic code for the Topics sheet's examples, NULL for the
                        briefing's detractor quotes */
    char *nps_class; /* promoter, passive, detractor, none */
    char *channel;
    char *received; /* local date YYYY-MM-DD */
    char *body;
};

/* One bridge line of the revenue reconciliation: paid revenue in the
 * trailing 12 months carried by rows the job rejected, by reason. */
struct recon_line {
    char *reason;
    double amount;
    long long rows;
};

/* A display name for a code, in the run's locale: kind "topic" holds the
 * taxonomy's labels, e.g. ("topic", "late_delivery", "Late delivery"). */
struct label {
    char *kind;
    char *code;
    char *text;
};

/* Something the config names that the period's data never mentions: a
 * touchpoint without a survey response, a topic without a mention, a
 * department with neither (jobs/compute/coverage.c).  Shown on the Data quality
 * sheet; the sentence is the renderer's, in the run's locale. */
struct data_note {
    char *kind; /* "touchpoint", "topic" or "department" */
    char *code;
    char *where; /* the config sections that name it: "[journey], [department.billing]" */
};

/* A department KPI's actual in one of the eleven periods before the run's
 * own, for the trend lines that read it here; the same values are figures
 * (dept.kpi.actual with a period= dim), computed by this run
 * (docs/decisions.md "Histories by period"). */
struct trend_point {
    char *code;
    char *dims;       /* the figure's dims without period= */
    char *as_of;      /* the period's first day, YYYY-MM-DD */
    long long run_id; /* the run that computed it: this one */
    bool has_value;
    double value;
};

/* An experiment as the run placed it in time (kpi_experiments), in local
 * days YYYY-MM-DD, so a page names its dates without a calendar of its
 * own. */
struct experiment_dates {
    char *name;
    char *cost_first_day; /* first day of its start month: exp.cost sums the months from it */
    char *evaluated_on;   /* the day of its evaluation moment, before which exp.cost stops */
    bool in_roi;          /* its exp.value is part of this run's roi.benefit (kpi_roi) */
};

/* One pair of months behind a metric's correlation at its best lag
 * (kpi_corr): NPS of nps_month against the metric in metric_month, lag
 * months later, in month order. */
struct corr_pair {
    char *metric;
    char *nps_month; /* YYYY-MM-01 */
    char *metric_month;
    double nps, value;
};

/* One period of the histories (metrics.md "Histories, coverage and missing
 * data"): the figures with dims period=<first_day> belong to it. */
struct history_period {
    char *first_day; /* YYYY-MM-DD, the period= dim */
    char *last_day;  /* YYYY-MM-DD, inclusive */
};

/* A candidate finding, ranked by what it is worth (jobs/compute/findings_rank.h,
 * docs/decisions.md "Findings by what they are worth").  The numbers are
 * also the figures finding.score / money / confidence / rank of dims. */
struct finding {
    char *kind;      /* nps_drop, nps_rise, nps_decline, revenue_at_risk, dept_missed,
                        experiment, promoter_to_passive, satisfied_churned */
    char *subject;   /* the dims it is about: "touchpoint=web"; "" = the company */
    char *dims;      /* its figures' dims: the subject's with finding=<kind> */
    char *owner;     /* the department that acts on it; NULL: the executives */
    char *next_step; /* text key of its one next step: "next.<kind>" */
    bool has_money, has_confidence, has_score;
    double money;      /* ledger currency */
    double confidence; /* 0..1 */
    double score;      /* money × confidence */
    int rank;          /* 1 = best */
};

/* An experiment open at T (started, not yet evaluated): the service team's
 * treatment call list is published for it (report/calllist.c). */
struct open_experiment {
    char *name;
    int deadline_hours; /* response_deadline_hours */
    long long rows;     /* treatment customers in the call list */
};

struct model {
    long long run_id;
    char *job;
    char *locale;       /* en_US or zh_CN */
    char *time_zone;    /* IANA name */
    char *as_of;        /* as-of date given or defaulted, YYYY-MM-DD */
    char *period_start; /* local timestamps "YYYY-MM-DD HH:MM:SS+HH" as PostgreSQL prints them */
    char *period_end;   /* exclusive; figures "at as_of" are taken at this moment */
    char *prior_start;  /* first moment of the prior period (docs/decisions.md) */
    char *period_first_day; /* YYYY-MM-DD, first day in the period */
    char *period_last_day;  /* YYYY-MM-DD, last day in the period (inclusive) */
    char *started_at;
    char *program_version;
    char *config_digest; /* sha256 of the config file, secrets masked */
    char *currency;      /* display only, e.g. "EUR"; may be "" */
    char *department;    /* a department pack's model: its code; NULL for the full model */
    int min_sample;
    double max_rejected_share;
    /* Windows beside the period, in local days YYYY-MM-DD, set by the stage
     * that used them (NULL when it did not run), so a page names them
     * without date arithmetic of its own. */
    char *year_first_day;   /* the trailing year [year_first_day, period_end) (kpi_classes) */
    char *cohort_first_day; /* the topic cohorts' exposure window, both days included */
    char *cohort_last_day;  /* (kpi_cohorts) */

    struct kpi *kpis;
    size_t n_kpis, cap_kpis;
    struct rejection *rejections;
    size_t n_rejections, cap_rejections;
    struct source_count *sources;
    size_t n_sources, cap_sources;
    struct source_gap *gaps; /* absent or empty optional views, in contract order */
    size_t n_gaps, cap_gaps;
    /* The reasons a figure of this code cannot be measured into flag, or
     * false (jobs/extract/contract.h, set by the contract check).  model_add stores
     * such a figure as NULL with the reasons added to its flag.  NULL: every
     * figure can be measured. */
    bool (*figure_gap)(const struct model *m, const char *code, char *flag, size_t n);
    struct param *params;
    size_t n_params, cap_params;
    struct verbatim *verbatims;
    size_t n_verbatims, cap_verbatims;
    struct recon_line *recon;
    size_t n_recon, cap_recon;
    struct label *labels;
    size_t n_labels, cap_labels;
    struct trend_point *trend; /* by code, dims, then period ascending */
    size_t n_trend, cap_trend;
    /* The periods of the histories, oldest first; the last is the run's
     * own.  Twelve, or fewer when the data or the rule has no earlier
     * period (period = all has only its own). */
    struct history_period *periods;
    size_t n_periods, cap_periods;
    struct finding *findings; /* every candidate, best first (findings_rank) */
    size_t n_findings;
    struct data_note *notes; /* configured but without data, in config order */
    size_t n_notes, cap_notes;
    struct experiment_dates *exp_dates; /* in config order */
    size_t n_exp_dates, cap_exp_dates;
    struct corr_pair *corr_pairs; /* by metric, as kpi_corr met them */
    size_t n_corr_pairs, cap_corr_pairs;

    /* Open experiments, in config order, and their call list rows: streamed
     * by kpi_experiments into an anonymous temporary file (already unlinked,
     * gone when closed) rather than held in memory.  One line per treatment
     * customer, experiments in the order above, customers ascending; fields
     * tab-separated and escaped (\\ \t \n \r), see CALLLIST_FIELDS.
     * NULL when no experiment is open. */
    struct open_experiment *open_experiments;
    size_t n_open_experiments, cap_open_experiments;
    FILE *calllist;
};

/* The call list's fields, in file order. */
enum calllist_field {
    CL_EXPERIMENT,
    CL_CUSTOMER,
    CL_SEGMENT,
    CL_ASSIGNED_AT,
    CL_DEADLINE,
    CL_NPS,
    CL_NPS_DATE,
    CL_VERBATIM_DATE,
    CL_CHANNEL,
    CL_DEPARTMENT,
    CL_BODY,
    CALLLIST_FIELDS
};

void model_init(struct model *m);
void model_release(struct model *m);

/* Adds a figure; has_value false stores NULL. n < 0: no sample size.
 * flag may be NULL. Strings are copied.  A value that is NaN or infinite
 * is stored as NULL with "not_finite" added to the flag, and logged as an
 * error: it is never a figure.  A figure that needs an absent or empty
 * source view (figure_gap) is stored as NULL, without n, with the gap added
 * to the flag. */
void model_add(struct model *m, const char *code, const char *dims, bool has_value, double value,
               long long n, const char *flag);
void model_add_rejection(struct model *m, const char *table, const char *reason, long long rows);
void model_add_source(struct model *m, const char *table, long long rows, long long rejected);
void model_add_source_gap(struct model *m, const char *table, const char *flag);
/* The gap's flag of a source view ("no_orders"), or NULL when it was read. */
const char *model_source_gap(const struct model *m, const char *table);
/* figure_gap's answer for a figure code (false without a rule). */
bool model_figure_gap(const struct model *m, const char *code, char *flag, size_t n);
void model_add_param(struct model *m, const char *name, const char *value);
/* Replaces the value of an existing parameter, or adds it. */
void model_set_param(struct model *m, const char *name, const char *value);
void model_add_verbatim(struct model *m, const char *nps_class, const char *channel,
                        const char *received, const char *body);
/* Adds a topic example quote (topic set) to the Topics sheet's verbatims. */
void model_add_topic_verbatim(struct model *m, const char *topic, const char *channel,
                              const char *received, const char *body);
void model_add_label(struct model *m, const char *kind, const char *code, const char *text);
/* The label, or code itself when there is none. */
const char *model_label(const struct model *m, const char *kind, const char *code);
/* The label, or NULL when there is none. */
const char *model_find_label(const struct model *m, const char *kind, const char *code);
void model_add_note(struct model *m, const char *kind, const char *code, const char *where);
void model_add_open_experiment(struct model *m, const char *name, int deadline_hours,
                               long long rows);
void model_add_trend(struct model *m, const char *code, const char *dims, const char *as_of,
                     long long run_id, bool has_value, double value);
void model_add_recon(struct model *m, const char *reason, double amount, long long rows);
/* A day of the model's own (year_first_day, ...): *field becomes a copy of
 * ymd, replacing what it held. */
void model_set_day(char **field, const char *ymd);
void model_add_experiment_dates(struct model *m, const char *name, const char *cost_first_day,
                                const char *evaluated_on);
/* kpi_roi counted the experiment's exp.value in roi.benefit. */
void model_mark_experiment_in_roi(struct model *m, const char *name);
/* The dates of an experiment, or NULL. */
const struct experiment_dates *model_experiment_dates(const struct model *m, const char *name);
void model_add_corr_pair(struct model *m, const char *metric, const char *nps_month,
                         const char *metric_month, double nps, double value);

/* Appends a history period (call oldest first). */
void model_add_period(struct model *m, const char *first_day, const char *last_day);

/* Looks a figure up by code and dims (NULL dims = ""). NULL when absent. */
const struct kpi *model_find(const struct model *m, const char *code, const char *dims);
/* True and *out set when the figure exists and is not NULL. */
bool model_value(const struct model *m, const char *code, const char *dims, double *out);
/* A parameter's value, or NULL. */
const char *model_param(const struct model *m, const char *name);

/* Distinct values of one dimension key among figures with this code, in the
 * order first added, e.g. model_dim_values(m, "nps", "touchpoint", &n).
 * Returns a malloc'd array of pointers into the model (free only the array). */
const char **model_dim_values(const struct model *m, const char *code, const char *key, size_t *n);

/* The value of one key in canonical dims ("department=logistics;kpi=nps",
 * key "department" -> "logistics") into out (n bytes); false when absent. */
bool dim_value(const char *dims, const char *key, char *out, size_t n);

/* True when a figure's flag contains the word (e.g. "low_sample"). */
bool kpi_flagged(const struct kpi *k, const char *word);
/* The days of a "period=FIRST/LAST" word in a figure's flag (e.g. a
 * department KPI's previous period), YYYY-MM-DD each; false without one. */
bool kpi_flag_period(const struct kpi *k, char first[11], char last[11]);

#endif
