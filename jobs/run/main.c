/* vocreport: the command table and its dispatcher.  Each command declares
 * which options it takes; the dispatcher parses and checks them, so a
 * command function only does its own work. */
#include "classify/sentiment.h"
#include "classify/taxonomy.h"
#include "jobs/base/db.h"
#include "jobs/base/diag.h"
#include "jobs/base/error.h"
#include "jobs/base/log.h"
#include "jobs/compute/ownership.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/extract/tagging.h"
#include "jobs/results/history.h"
#include "jobs/results/schema.h"
#include "report/texts.h"
#include "resend.h"
#include "rundue.h"
#include "runner.h"
#include "suggest_topics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
    NEED_CONFIG = 1,
    NEED_JOB = 2,
    ALLOW_AS_OF = 4, /* --as-of, or --from and --to: the period of a run */
    ALLOW_TAXONOMY = 8,
    NEED_TRAINING = 16,   /* --input (repeatable) and --output, no config */
    NEED_RUN = 32,        /* --run ID, [--recipient ADDR], [--release-held] */
    ALLOW_NOW = 64,       /* --now: run-due's clock, for tests and replays */
    ALLOW_JOB = 128,      /* --job NAME, optional */
    ALLOW_LAST = 256,     /* --last N */
    LOGS = 512,           /* unattended: the final error is a log line (time, level) */
    OWN_CONFIG = 1024,    /* reads --config itself, to report every error at once */
    ALLOW_SUGGEST = 2048, /* --since DATE, --limit N */
    ALLOW_TRACE = 4096,   /* --sql-trace FILE: the snapshot's session for psql */
};

#define MAX_INPUTS 64

struct args {
    const char *config;
    const char *job;
    const char *as_of;
    const char *from, *to;
    const char *taxonomy;
    const char *output;
    const char *run;
    const char *recipient;
    bool release_held;
    const char *now;
    const char *last;
    const char *since;
    const char *limit;
    const char *sql_trace;
    const char *inputs[MAX_INPUTS];
    size_t n_inputs;
};

struct command {
    const char *name;
    int (*fn)(const struct args *a, struct config *c, struct vr_error *err);
    int flags;
    const char *usage;
    const char *help;
};

static int cmd_check_config(const struct args *a, struct config *c, struct vr_error *err);
static int cmd_init_db(const struct args *a, struct config *c, struct vr_error *err);
static int cmd_run(const struct args *a, struct config *c, struct vr_error *err);
static int cmd_run_due(const struct args *a, struct config *c, struct vr_error *err);
static int cmd_classify(const struct args *a, struct config *c, struct vr_error *err);
static int cmd_train_sentiment(const struct args *a, struct config *c, struct vr_error *err);
static int cmd_resend(const struct args *a, struct config *c, struct vr_error *err);
static int cmd_history(const struct args *a, struct config *c, struct vr_error *err);
static int cmd_suggest_topics(const struct args *a, struct config *c, struct vr_error *err);

static const struct command commands[] = {
    {"run", cmd_run, NEED_CONFIG | NEED_JOB | ALLOW_AS_OF | ALLOW_TRACE | LOGS,
     "run --config FILE --job NAME [--as-of DATE | --from DATE --to DATE] [--sql-trace FILE]",
     "compute a job's figures and publish its reports"},
    {"run-due", cmd_run_due, NEED_CONFIG | ALLOW_NOW | LOGS,
     "run-due --config FILE [--now YYYY-MM-DDTHH:MM[:SS]Z]",
     "run every job whose schedule has fired (from cron or a systemd timer)"},
    {"check-config", cmd_check_config, NEED_CONFIG | OWN_CONFIG, "check-config --config FILE",
     "validate the configuration and templates without touching the database"},
    {"init-db", cmd_init_db, NEED_CONFIG, "init-db --config FILE",
     "create or migrate the results schema (safe to repeat)"},
    {"classify", cmd_classify, NEED_CONFIG | ALLOW_TAXONOMY,
     "classify --config FILE [--taxonomy FILE] < TEXTS",
     "print \"sentiment<TAB>topics\" for each line of standard input"},
    {"suggest-topics", cmd_suggest_topics, NEED_CONFIG | ALLOW_SUGGEST,
     "suggest-topics --config FILE [--since DATE] [--limit N]",
     "candidate topics, as taxonomy lines, for the feedback no topic matched"},
    {"train-sentiment", cmd_train_sentiment, NEED_TRAINING,
     "train-sentiment --input CSV [--input CSV ...] --output MODEL",
     "train a sentiment model on labelled feedback (columns label, text)"},
    {"resend", cmd_resend, NEED_CONFIG | NEED_RUN | LOGS,
     "resend --config FILE --run ID [--recipient ADDR] [--release-held]",
     "send a run's failed report mail again (held mail too with --release-held)"},
    {"history", cmd_history, NEED_CONFIG | ALLOW_JOB | ALLOW_LAST,
     "history --config FILE [--job NAME] [--last N]",
     "list the last runs (default 20), one line each, times in this machine's zone"},
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
    fprintf(out, "usage: vocreport COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-52s %s\n", commands[i].usage, commands[i].help);
    fprintf(out, "\n  --help, --version\n\n"
                 "An empty [database] conninfo uses libpq's environment (PGHOST, PGDATABASE,\n"
                 "PGUSER, ...) and service files. VOCREPORT_OUTPUT_DIR overrides [output] root.\n"
                 "run: --as-of D (YYYY-MM-DD, default today) reports the job's period before D;\n"
                 "--from D1 --to D2 reports the days D1 to D2 instead, both included, in the\n"
                 "job's time zone (published as <job>/D1_D2, never replacing a nightly report).\n"
                 "Exit status: 0 success, 1 internal error or interrupted, 2 usage or\n"
                 "configuration error, 3 source data error, 4 database unavailable,\n"
                 "5 delivery failed, 6 could not write reports, 7 job already running.\n");
}

/* Every file the config names, every error of each, in one run: config,
 * templates of each job's locale, font, taxonomy, ownership, sentiment
 * model.  Ownership is checked only when the config and the taxonomy both
 * read cleanly: across two damaged files its errors would be echoes. */
static int cmd_check_config(const struct args *a, struct config *unused, struct vr_error *err)
{
    (void)unused;
    struct diag d;
    diag_init(&d);
    struct config *c = NULL;
    struct taxonomy *tx = NULL;
    struct sentiment_model *sm = NULL;
    bool config_clean = config_load_all(&c, a->config, &d) == VR_OK;
    if (!c)
        goto done;
    for (size_t i = 0; i < c->n_jobs; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = !strcmp(c->jobs[k].locale, c->jobs[i].locale);
        struct texts *t = NULL;
        if (!seen && texts_load_all(&t, c->templates_dir, c->jobs[i].locale, &d) == VR_OK)
            texts_free(t);
    }
    if (access(c->font, R_OK))
        diag_add(&d, VR_ERR_CONFIG, "%s: font \"%s\" is not readable ([output] font)", c->path,
                 c->font);
    if (taxonomy_load_all(&tx, c->taxonomy, &d) == VR_OK && config_clean)
        ownership_check_all(c, tx, &d);
    struct vr_error e = {0};
    sentiment_load(&sm, c->sentiment_model, &e);
    diag_take(&d, &e);
done:
    if (d.n) {
        /* Printed here, one line each; main has nothing more to add. */
        diag_print(&d, stderr, "vocreport: ");
        err->status = diag_status(&d);
    } else {
        size_t n_topics = tx->n_topics;
        printf("%s: ok (%zu topic%s, %zu job%s:", c->path, n_topics, n_topics == 1 ? "" : "s",
               c->n_jobs, c->n_jobs == 1 ? "" : "s");
        for (size_t i = 0; i < c->n_jobs; i++)
            printf(" %s", c->jobs[i].name);
        printf(")\n");
        /* What the reports' footers print: an operator can match a report to
         * its config (the password does not count, config_digest.h). */
        printf("config digest %.12s\n", c->digest);
    }
    taxonomy_free(tx);
    sentiment_free(sm);
    config_free(c);
    diag_release(&d);
    return err->status;
}

static int cmd_init_db(const struct args *a, struct config *c, struct vr_error *err)
{
    (void)a;
    struct db db;
    int from = 0, to = 0;
    if (db_connect(&db, c->conninfo, "UTC", c->source_schema, c->results_schema, err) != VR_OK)
        return err->status;
    if (schema_migrate(&db, c->results_schema, &from, &to, err) == VR_OK) {
        if (from == to)
            printf("results schema \"%s\" is up to date (version %d)\n", c->results_schema, to);
        else
            printf("results schema \"%s\" migrated from version %d to %d\n", c->results_schema,
                   from, to);
    }
    db_close(&db);
    return err->status;
}

/* One input line, one output line, in order: a taxonomy editor can paste
 * examples and see at once what the job would make of them. */
static int cmd_classify(const struct args *a, struct config *c, struct vr_error *err)
{
    struct taxonomy *tx = NULL;
    struct sentiment_model *sm = NULL;
    const char *path = a->taxonomy ? a->taxonomy : c->taxonomy;
    if (taxonomy_load(&tx, path, err) != VR_OK ||
        sentiment_load(&sm, c->sentiment_model, err) != VR_OK)
        goto done;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        size_t topics[8];
        double sentiment;
        size_t n = tagging_classify(tx, sm, line, (size_t)len, &sentiment, topics, 8);
        printf("%.3f\t", sentiment);
        for (size_t i = 0; i < n; i++)
            printf("%s%s", i ? "," : "", tx->topics[topics[i]].code);
        putchar('\n');
    }
    free(line);
    if (fflush(stdout))
        vr_fail(err, VR_ERR_OUTPUT, "could not write to standard output");
done:
    taxonomy_free(tx);
    sentiment_free(sm);
    return err->status;
}

/* The options are checked before the database is touched; without --since
 * the last 90 days (suggest_topics.h): recent enough to be today's themes,
 * long enough to give a theme its volume. */
static int cmd_suggest_topics(const struct args *a, struct config *c, struct vr_error *err)
{
    long limit = 10;
    if (a->since && !period_valid_date(a->since))
        return vr_fail(err, VR_ERR_USAGE, "invalid --since \"%s\": expected a date YYYY-MM-DD",
                       a->since);
    if (a->limit) {
        char *end = NULL;
        limit = strtol(a->limit, &end, 10);
        if (!*a->limit || *end || limit < 1 || limit > 100)
            return vr_fail(err, VR_ERR_USAGE,
                           "invalid --limit \"%s\": expected a number of candidates from 1 to 100",
                           a->limit);
    }
    if (suggest_topics(c, a->since, (int)limit, stdout, err) == VR_OK && fflush(stdout))
        vr_fail(err, VR_ERR_OUTPUT, "could not write to standard output");
    return err->status;
}

static int cmd_train_sentiment(const struct args *a, struct config *c, struct vr_error *err)
{
    (void)c;
    struct sentiment_model *m = NULL;
    if (sentiment_train(a->inputs, a->n_inputs, a->output, err) != VR_OK ||
        sentiment_load(&m, a->output, err) != VR_OK)
        return err->status;
    struct sentiment_model_info in;
    sentiment_get_info(m, &in);
    printf("wrote %s (version %s): %zu rows, %zu positive, %zu negative, %zu neutral, %zu empty "
           "rows skipped; neutral band %.2f Chinese, %.2f English, %.2f other; opinion "
           "threshold %.2f Chinese, %.2f English, %.2f other\n",
           a->output, sentiment_version(m), in.rows, in.positive, in.negative, in.neutral,
           in.skipped_empty, in.band[0], in.band[1], in.band[2], in.opinion_threshold[0],
           in.opinion_threshold[1], in.opinion_threshold[2]);
    sentiment_free(m);
    return err->status;
}

static int cmd_run(const struct args *a, struct config *c, struct vr_error *err)
{
    struct run_request req = {
        .as_of_date = a->as_of, .from_date = a->from, .to_date = a->to, .sql_trace = a->sql_trace};
    return runner_run_request(c, a->job, &req, err);
}

static int cmd_history(const struct args *a, struct config *c, struct vr_error *err)
{
    long last = 20;
    if (a->last) {
        char *end = NULL;
        last = strtol(a->last, &end, 10);
        if (!*a->last || *end || last <= 0 || last > 100000)
            return vr_fail(err, VR_ERR_USAGE,
                           "invalid --last \"%s\": expected a number of runs from 1 to 100000",
                           a->last);
    }
    if (a->job && !config_job(c, a->job))
        log_warn("no job \"%s\" in %s: listing its runs anyway", a->job, c->path);
    return history_print(c, a->job, last, stdout, err);
}

static int cmd_resend(const struct args *a, struct config *c, struct vr_error *err)
{
    char *end = NULL;
    long long id = strtoll(a->run, &end, 10);
    if (!*a->run || *end || id <= 0)
        return vr_fail(err, VR_ERR_USAGE, "invalid --run \"%s\": expected a run id", a->run);
    return resend_run(c, id, a->recipient, a->release_held, err);
}

/* --now pretends the clock says so (an offset such as +01:00 instead of Z
 * works too): tests and replaying what a past call would have done. */
static int cmd_run_due(const struct args *a, struct config *c, struct vr_error *err)
{
    time_t now = time(NULL);
    if (a->now && !rundue_parse_now(a->now, &now))
        return vr_fail(err, VR_ERR_USAGE,
                       "invalid --now \"%s\": expected YYYY-MM-DDTHH:MM[:SS] followed by Z or "
                       "an offset such as +01:00",
                       a->now);
    return rundue_run(c, now, err);
}

static int fail_usage(const char *what, const char *arg)
{
    fprintf(stderr, "vocreport: %s%s%s%s (see \"vocreport --help\")\n", what, arg ? " \"" : "",
            arg ? arg : "", arg ? "\"" : "");
    return vr_exit_status(VR_ERR_USAGE);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr), vr_exit_status(VR_ERR_USAGE);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return fflush(stdout) ? 1 : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("vocreport %s\n", VR_VERSION);
        return fflush(stdout) ? 1 : 0;
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name))
            cmd = &commands[i];
    if (!cmd)
        return fail_usage("unknown command", argv[1]);

    struct args a = {0};
    for (int i = 2; i < argc; i++) {
        const char **slot = NULL;
        const char *opt = argv[i];
        if (!strcmp(opt, "--config") && !(cmd->flags & NEED_TRAINING))
            slot = &a.config;
        else if (!strcmp(opt, "--job") && (cmd->flags & (NEED_JOB | ALLOW_JOB)))
            slot = &a.job;
        else if (!strcmp(opt, "--last") && (cmd->flags & ALLOW_LAST))
            slot = &a.last;
        else if (!strcmp(opt, "--as-of") && (cmd->flags & ALLOW_AS_OF))
            slot = &a.as_of;
        else if (!strcmp(opt, "--from") && (cmd->flags & ALLOW_AS_OF))
            slot = &a.from;
        else if (!strcmp(opt, "--to") && (cmd->flags & ALLOW_AS_OF))
            slot = &a.to;
        else if (!strcmp(opt, "--now") && (cmd->flags & ALLOW_NOW))
            slot = &a.now;
        else if (!strcmp(opt, "--sql-trace") && (cmd->flags & ALLOW_TRACE))
            slot = &a.sql_trace;
        else if (!strcmp(opt, "--since") && (cmd->flags & ALLOW_SUGGEST))
            slot = &a.since;
        else if (!strcmp(opt, "--limit") && (cmd->flags & ALLOW_SUGGEST))
            slot = &a.limit;
        else if (!strcmp(opt, "--taxonomy") && (cmd->flags & ALLOW_TAXONOMY))
            slot = &a.taxonomy;
        else if (!strcmp(opt, "--output") && (cmd->flags & NEED_TRAINING))
            slot = &a.output;
        else if (!strcmp(opt, "--run") && (cmd->flags & NEED_RUN))
            slot = &a.run;
        else if (!strcmp(opt, "--recipient") && (cmd->flags & NEED_RUN))
            slot = &a.recipient;
        else if (!strcmp(opt, "--release-held") && (cmd->flags & NEED_RUN)) {
            a.release_held = true; /* the operator overrides the failed gates */
            continue;
        }
        else if (!strcmp(opt, "--input") && (cmd->flags & NEED_TRAINING)) {
            if (i + 1 >= argc)
                return fail_usage("missing value for option", opt);
            if (a.n_inputs == MAX_INPUTS)
                return fail_usage("too many --input files, the most is 64:", argv[i + 1]);
            a.inputs[a.n_inputs++] = argv[++i];
            continue;
        }
        else if (!strcmp(opt, "--help")) {
            printf("usage: vocreport %s\n", cmd->usage);
            return 0;
        } else
            return fail_usage("unknown option", opt);
        if (i + 1 >= argc)
            return fail_usage("missing value for option", opt);
        if (*slot)
            return fail_usage("option given twice:", opt);
        *slot = argv[++i];
    }
    if ((cmd->flags & NEED_CONFIG) && !a.config)
        return fail_usage("missing --config FILE for", cmd->name);
    if ((cmd->flags & NEED_JOB) && !a.job)
        return fail_usage("missing --job NAME for", cmd->name);
    if ((cmd->flags & NEED_RUN) && !a.run)
        return fail_usage("missing --run ID for", cmd->name);
    if ((cmd->flags & NEED_TRAINING) && !a.n_inputs)
        return fail_usage("missing --input CSV for", cmd->name);
    if ((cmd->flags & NEED_TRAINING) && !a.output)
        return fail_usage("missing --output MODEL for", cmd->name);

    struct vr_error err = {0};
    struct config *c = NULL;
    if (!(cmd->flags & NEED_CONFIG) || (cmd->flags & OWN_CONFIG))
        cmd->fn(&a, NULL, &err);
    else if (config_load(&c, a.config, &err) == VR_OK)
        cmd->fn(&a, c, &err);
    config_free(c);
    /* A usage error is for the person typing; the rest of an unattended
     * command's failures are log lines with time and level.  An empty
     * message: the command printed its own (check-config's list). */
    if (err.status != VR_OK && err.status != VR_ERR_USAGE && (cmd->flags & LOGS) && !err.logged)
        log_error("%s", err.msg);
    else if (err.status != VR_OK && err.msg[0])
        fprintf(stderr, "vocreport: %s\n", err.msg);
    return vr_exit_status(err.status);
}
