#include "runner.h"

#include "analyses.h"
#include "jobs/base/db.h"
#include "jobs/base/log.h"
#include "jobs/base/signals.h"
#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "jobs/compute/kpi_experiments.h"
#include "jobs/compute/ownership.h"
#include "jobs/config/period.h"
#include "jobs/deliver/deliver.h"
#include "jobs/deliver/gates.h"
#include "jobs/extract/contract.h"
#include "jobs/extract/quality.h"
#include "jobs/extract/source_link.h"
#include "jobs/extract/tagging.h"
#include "jobs/model/model.h"
#include "jobs/results/results.h"
#include "jobs/results/schema.h"
#include "recover.h"
#include "report/dept_slice.h"
#include "report/leakcheck.h"
#include "report/outcheck.h"
#include "report/publish.h"
#include "report/render.h"
#include "startalert.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct renderer renderers[] = {
    {"xlsx", "executive", "executive", render_xlsx_executive, NULL},
    {"pdf", "executive", "briefing", render_pdf_briefing, NULL},
    {"csv", "finance", "figures", render_csv_figures, NULL},
    {"xlsx", "service", "calllist", render_xlsx_calllist, calllist_wanted},
};
#define N_RENDERERS (sizeof(renderers) / sizeof(renderers[0]))

/* Each department's pack, rendered from its slice of the model:
 * <job>-<as_of>-dept-<D>.<kind>, audience "department". */
static const struct renderer dept_renderers[] = {
    {"pdf", "department", "dept", render_pdf_department, NULL},
    {"xlsx", "department", "dept", render_xlsx_department, NULL},
};
#define N_DEPT_RENDERERS (sizeof(dept_renderers) / sizeof(dept_renderers[0]))

struct run {
    const struct config *cfg;
    const struct job_config *job;
    struct db meta;   /* autocommit: the runs row stays visible whatever happens */
    struct db src;    /* one REPEATABLE READ snapshot for every source query */
    struct period period;
    struct source_shape shape; /* the source views as the contract check found them */
    struct model model;
    struct exp_assignments assignments; /* new this run: written with the run's record */
    struct texts *texts;
    struct taxonomy *taxonomy;
    struct sentiment_model *sentiment;
    struct publish pub;
    struct output_file *files;
    size_t n_files, cap_files;
    /* Department packs that failed the leak check: each adds a
     * "leak_check: ..." failure to gates, so the mail is held. */
    size_t n_leak_failures;
    struct gates gates;          /* quality gates: failures hold the mail */
    struct delivery_plan mail;   /* planned with the run's record, sent after it */
    bool published;              /* the folder swap happened */
    bool as_of_given;            /* --as-of or --from/--to: not today's default period */
    char *empty_warning;         /* the period has no survey response: said twice */
    long long run_id;
    char started_at[40];
    struct config link_cfg; /* cfg with source_schema = the job's foreign tables */
    char *link_schema;      /* NULL: the source is read where it is */
    FILE *trace;            /* --sql-trace */
};

static enum vr_status check_interrupted(struct vr_error *err)
{
    if (signals_caught())
        return vr_fail(err, VR_ERR_INTERNAL, "interrupted by signal %d", signals_caught());
    return err->status;
}

/* Tests stop a run at a named moment to kill it, or its connection, there
 * (VOCREPORT_TEST_PAUSE=stage:seconds; tests/integration_durability.sh).
 * A signal ends the pause. */
static void test_pause(const char *stage)
{
    const char *spec = getenv("VOCREPORT_TEST_PAUSE");
    size_t n = strlen(stage);
    if (!spec || strncmp(spec, stage, n) || spec[n] != ':')
        return;
    long secs = strtol(spec + n + 1, NULL, 10);
    log_warn("test hook: pausing %ld s at %s", secs, stage);
    for (long i = 0; i < secs * 10 && !signals_caught(); i++)
        nanosleep(&(struct timespec){.tv_nsec = 100000000L}, NULL);
}

/* The bookkeeping connection idles while the run computes and renders; it
 * holds the job and run locks, so losing it (a server's idle timeout, a
 * NAT cutting an idle flow, pg_terminate_backend) would let another run
 * start.  Checked at every stage: a lost connection is replaced and both
 * locks taken again, or the run stops before it publishes anything. */
static enum vr_status keep_meta(struct run *r, struct vr_error *err)
{
    /* An empty query: a round trip on this very connection, nothing run. */
    PGresult *ping = PQexec(r->meta.conn, "");
    bool alive = PQresultStatus(ping) == PGRES_EMPTY_QUERY;
    PQclear(ping);
    if (alive)
        return VR_OK;
    log_warn("lost the connection that holds the job's lock (%s); reconnecting",
             PQstatus(r->meta.conn) == CONNECTION_OK ? "query failed" : "connection closed");
    signals_cancel_on(SIGNAL_CONN_META, NULL);
    db_close(&r->meta);
    const struct config *c = r->cfg;
    bool busy = false;
    long long holder = 0;
    if (db_connect(&r->meta, c->conninfo, r->job->time_zone, c->source_schema, c->results_schema,
                   err) != VR_OK ||
        results_try_lock_job(&r->meta, r->job->name, &busy, &holder, err) != VR_OK)
        return err->status;
    if (busy)
        return vr_fail(err, VR_ERR_BUSY,
                       "lost the job's lock while the connection was down and another run of "
                       "job \"%s\" holds it now; this run stops without publishing",
                       r->job->name);
    if (results_lock_run(&r->meta, r->run_id, err) != VR_OK)
        return err->status;
    struct run_record rec;
    if (results_read_run(&r->meta, r->run_id, &rec, err) != VR_OK)
        return err->status;
    bool running = !strcmp(rec.status, "running");
    results_run_record_release(&rec);
    if (!running)
        return vr_fail(err, VR_ERR_DB,
                       "another process recorded this run as ended while its connection was "
                       "down; it stops without publishing");
    signals_cancel_on(SIGNAL_CONN_META, r->meta.conn);
    log_info("reconnected; the job's lock is held again");
    return VR_OK;
}

/* Tests damage a rendered file (VOCREPORT_TEST_DAMAGE=<end of its name>:
 * cut to half its size) to see the check before publication catch it. */
static void test_damage(const char *path)
{
    const char *end = getenv("VOCREPORT_TEST_DAMAGE");
    size_t n = end ? strlen(end) : 0, len = strlen(path);
    struct stat st;
    if (!n || len < n || strcmp(path + len - n, end) || stat(path, &st))
        return;
    log_warn("test hook: cutting %s to half its size", path);
    if (truncate(path, st.st_size / 2))
        log_warn("test hook: %s", strerror(errno));
}

/* Between two stages: stop on a signal, keep the locks. */
static enum vr_status checkpoint(struct run *r, const char *stage, struct vr_error *err)
{
    test_pause(stage);
    if (check_interrupted(err) != VR_OK)
        return err->status;
    return keep_meta(r, err);
}

static void add_param(void *user, const char *name, const char *value)
{
    model_add_param(user, name, value);
}

static void fill_model_header(struct run *r)
{
    struct model *m = &r->model;
    const struct period *p = &r->period;
    m->job = xstrdup(r->job->name);
    m->locale = xstrdup(r->job->locale);
    m->time_zone = xstrdup(r->job->time_zone);
    m->as_of = xstrdup(p->as_of_date);
    m->period_start = xstrdup(p->start);
    m->period_end = xstrdup(p->end);
    m->prior_start = p->has_prior ? xstrdup(p->prior_start) : NULL;
    m->period_first_day = xstrdup(p->first_day);
    m->period_last_day = xstrdup(p->last_day);
    m->program_version = xstrdup(VR_VERSION);
    m->config_digest = xstrdup(r->cfg->digest);
    m->currency = xstrdup(r->job->currency);
    m->min_sample = r->job->min_sample;
    m->max_rejected_share = r->job->max_rejected_share;
    model_add_param(m, "as_of", p->as_of_date);
    config_job_params(r->job, add_param, m);
    /* An ad-hoc range replaces the job's rule for this run only. */
    if (!strcmp(p->rule, "range")) {
        model_set_param(m, "period", p->rule);
        model_add_param(m, "range_from", p->first_day);
        model_add_param(m, "range_to", p->last_day);
    }
}

/* What psql needs before the session's statements: the names :"src" and
 * :"res" stand for, and the settings db_connect made (before the trace). */
static void trace_header(struct run *r, const struct config *c)
{
    FILE *f = r->trace;
    fprintf(f,
            "-- The snapshot of vocreport run %lld (job %s, as-of %s), written by --sql-trace.\n"
            "-- Replay it with a file of sql/ in one psql session, on the same data:\n"
            "--   psql -v ON_ERROR_STOP=1 -f THIS_FILE -f sql/compute/survey_scores.sql\n"
            "-- (docs/sql.md).  Temporary objects only: nothing is written to the database.\n",
            r->run_id, r->job->name, r->period.as_of_date);
    /* The session's own rows (settings, counts) are not the reader's. */
    fputs("\\o /dev/null\n", f);
    sql_trace_set(f, "src", c->source_schema);
    sql_trace_set(f, "res", c->results_schema);
    sql_trace_set(f, "time_zone", r->job->time_zone);
    fprintf(f, "-- sql/base/session.sql\n%s\n", sql_file_text("base/session.sql"));
    r->src.trace = f;
}

/* Extract and compute, in one snapshot of the source schema. */
static enum vr_status compute(struct run *r, struct vr_error *err)
{
    const struct config *c = r->cfg;
    if (db_connect(&r->src, c->conninfo, r->job->time_zone, c->source_schema, c->results_schema,
                   err) != VR_OK)
        return err->status;
    signals_cancel_on(SIGNAL_CONN_SOURCE, r->src.conn);
    if (r->trace)
        trace_header(r, c);
    if (db_script_file(&r->src, "could not open the source snapshot", "base/batch_settings.sql",
                       SQL_NO_ARGS, err) != VR_OK ||
        db_script_file(&r->src, "could not open the source snapshot", "run/snapshot.sql",
                       SQL_NO_ARGS, err) != VR_OK ||
        db_define_all(&r->src, err) != VR_OK)
        return err->status;
    struct compute_ctx ctx = {
        .src = &r->src,
        .cfg = c,
        .job = r->job,
        .period = &r->period,
        .taxonomy = r->taxonomy,
        .shape = &r->shape,
        .started_at = r->started_at,
        .as_of_given = r->as_of_given,
        .model = &r->model,
        .assignments = &r->assignments,
        .gates = &r->gates,
        .empty_warning = &r->empty_warning,
    };
    for (const struct analysis *a = analyses; a->run; a++) {
        if (a->log)
            log_info("%s", a->log);
        if (a->run(&ctx, err) != VR_OK)
            return err->status;
        /* Between stages: a signal stops the run, a test may pause it. */
        if ((!a[1].run || a[1].log) && checkpoint(r, a->stage, err) != VR_OK)
            return err->status;
    }
    /* The replay keeps the snapshot open for the reader's file: it ends
     * with psql's session, whose output is again the reader's. */
    if (r->src.trace)
        fputs("\\o\n-- The snapshot is ready: the reader's file runs here.\n", r->src.trace);
    r->src.trace = NULL;
    return db_script_file(&r->src, "could not close the source snapshot", "run/snapshot_end.sql",
                          SQL_NO_ARGS, err);
}

/* Renders one file into the temporary folder and records it; frees file. */
static enum vr_status render_one(struct run *r, const struct render_ctx *ctx,
                                 const struct renderer *rd, char *file, const char *department,
                                 struct vr_error *err)
{
    if (r->n_files == r->cap_files) {
        r->cap_files = r->cap_files ? 2 * r->cap_files : 8;
        r->files = xrealloc(r->files, r->cap_files * sizeof(*r->files));
    }
    struct output_file *of = &r->files[r->n_files];
    memset(of, 0, sizeof(*of));
    char *tmp = publish_tmp_path(&r->pub, file);
    log_info("writing %s", file);
    enum vr_status st = rd->render(ctx, tmp, err);
    if (st == VR_OK)
        test_damage(tmp);
    char *problem = st == VR_OK ? outcheck_problem(tmp, rd->kind) : NULL;
    if (problem)
        st = vr_fail(err, VR_ERR_OUTPUT,
                     "%s is not a valid %s file: %s; nothing is published (a vocreport bug: "
                     "please report it with this log)",
                     file, rd->kind, problem);
    free(problem);
    if (st == VR_OK)
        st = publish_seal_file(tmp, &of->bytes, of->sha256, err);
    if (st == VR_OK) {
        of->path = publish_final_path(&r->pub, file);
        of->kind = rd->kind;
        of->audience = rd->audience;
        of->department = department ? xstrdup(department) : NULL;
        r->n_files++;
    }
    free(tmp);
    free(file);
    if (st != VR_OK)
        return st;
    return checkpoint(r, "render", err);
}

/* The packs: per department of the job (all configured ones when the job
 * names none), its slice of the model, the leak check, then its files, in
 * its own folder dept-<D> that only the owner and group may open.  A
 * pack that fails the leak check is not written at all and delivery is
 * held (docs/decisions.md "Department packs"); the run itself goes on, so
 * the executive files are still published for the owner to look at. */
static enum vr_status render_departments(struct run *r, struct vr_error *err)
{
    const struct config *c = r->cfg;
    size_t n = 0;
    if (r->job->departments)
        while (r->job->departments[n])
            n++;
    else
        n = c->n_depts;
    for (size_t i = 0; i < n; i++) {
        const char *dept = r->job->departments ? r->job->departments[i] : c->depts[i].code;
        struct model slice;
        model_slice_department(&r->model, dept, &slice);
        if (dept_plant_test_leak(&slice))
            log_warn("test hook VOCREPORT_TEST_PLANT_LEAK planted a row in %s's pack", dept);
        char *pack = xstrfmt("%s-%s-dept-%s", r->job->name, r->period.label, dept);
        char *leak = leak_check(&r->model, &slice, pack);
        if (leak) {
            log_error("leak_check: %s; its files are not written and delivery is held", leak);
            /* Before gates_check adds its own: recorded first, as a gate. */
            gates_add_failure(&r->gates, xstrfmt("leak_check: %s", leak));
            r->n_leak_failures++;
            free(leak);
        } else {
            struct render_ctx ctx = {
                .m = &slice, .t = r->texts, .font_path = c->font, .tmp_dir = r->pub.tmp_dir};
            char *sub = xstrfmt("dept-%s", dept);
            publish_private_dir(&r->pub, sub, err);
            for (size_t k = 0; k < N_DEPT_RENDERERS && err->status == VR_OK; k++) {
                const struct renderer *rd = &dept_renderers[k];
                if (!rd->wanted || rd->wanted(&slice))
                    render_one(r, &ctx, rd, xstrfmt("%s/%s.%s", sub, pack, rd->kind), dept, err);
            }
            free(sub);
        }
        free(pack);
        model_release(&slice);
        if (err->status != VR_OK)
            return err->status;
    }
    return VR_OK;
}

/* A temporary folder of an ended run (recover_all has already ended the
 * runs whose process is gone); in doubt, keep it. */
static bool tmp_is_stale(long long run_id, void *ctx)
{
    struct run *r = ctx;
    struct run_record rec;
    struct vr_error e = {0};
    if (run_id == r->run_id)
        return true; /* ours, from an earlier attempt of the same id: impossible, but not live */
    if (results_read_run(&r->meta, run_id, &rec, &e) != VR_OK)
        return e.status == VR_ERR_USAGE; /* no such run: nobody's */
    bool ended = strcmp(rec.status, "running") != 0;
    results_run_record_release(&rec);
    return ended;
}

static enum vr_status render_all(struct run *r, struct vr_error *err)
{
    struct render_ctx ctx = {.m = &r->model, .t = r->texts, .font_path = r->cfg->font};
    if (publish_begin(&r->pub, r->cfg->output_root, r->job->name, r->period.label, r->run_id,
                      tmp_is_stale, r, err) != VR_OK)
        return err->status;
    ctx.tmp_dir = r->pub.tmp_dir;
    for (size_t i = 0; i < N_RENDERERS; i++) {
        const struct renderer *rd = &renderers[i];
        if (rd->wanted && !rd->wanted(&r->model))
            continue;
        char *file =
            xstrfmt("%s-%s-%s.%s", r->job->name, r->period.label, rd->file_stem, rd->kind);
        if (render_one(r, &ctx, rd, file, NULL, err) != VR_OK)
            return err->status;
    }
    return render_departments(r, err);
}

/* The record first, then the swap, then "succeeded": a process that dies
 * before the swap leaves the previous reports in place and a run that
 * recover_all fails; one that dies after it leaves published files that
 * recover_all records as succeeded.  Figures, outputs and the mail plan are
 * committed before any reader can see a file that names the run. */
static enum vr_status publish_and_record(struct run *r, struct vr_error *err)
{
    if (db_script(&r->meta, "could not record the run", "BEGIN", err) != VR_OK ||
        results_record_outputs(&r->meta, r->run_id, &r->model, r->files, r->n_files,
                               r->pub.final_dir, err) != VR_OK ||
        experiments_record(&r->meta, &r->assignments, err) != VR_OK ||
        gates_check(&r->meta, r->job, r->run_id, &r->model, &r->gates, err) != VR_OK ||
        deliver_plan(&r->meta, r->cfg, r->job, &r->model, r->texts, r->files, r->n_files,
                     &r->gates, &r->mail, err) != VR_OK ||
        db_script(&r->meta, "could not record the run", "COMMIT", err) != VR_OK ||
        checkpoint(r, "publish", err) != VR_OK || publish_commit(&r->pub, err) != VR_OK)
        return err->status;
    test_pause("swapped");
    if (results_mark_succeeded(&r->meta, r->run_id, err) != VR_OK) {
        r->published = true; /* not to be recorded failed: the files are live */
        log_error("the reports are published in %s, but the run could not be recorded as "
                  "succeeded: %s; the next vocreport run records it and fails its mail for "
                  "resend",
                  r->pub.final_dir, err->msg);
        return err->status;
    }
    r->published = true;
    return VR_OK;
}

/* [database] source_conninfo: from here on every reader of the source
 * (period, contract check, tagging, snapshot) reads the job's foreign
 * tables on the primary (source_link.h).  Once a run, under the job's lock. */
static enum vr_status open_source_link(struct run *r, struct vr_error *err)
{
    if (!*r->cfg->source_conninfo || r->link_schema)
        return err->status;
    if (source_link_refresh(&r->meta, r->cfg, r->job->name, &r->link_schema, err) != VR_OK)
        return err->status;
    r->link_cfg = *r->cfg;
    r->link_cfg.source_schema = r->link_schema;
    r->cfg = &r->link_cfg;
    return VR_OK;
}

static void run_release(struct run *r)
{
    free(r->link_schema);
    signals_cancel_on(SIGNAL_CONN_SOURCE, NULL);
    signals_cancel_on(SIGNAL_CONN_META, NULL);
    db_close(&r->src);
    db_close(&r->meta);
    if (r->trace && fclose(r->trace))
        log_warn("could not finish the --sql-trace file: %s", strerror(errno));
    publish_release(&r->pub);
    for (size_t i = 0; i < r->n_files; i++) {
        free(r->files[i].path);
        free(r->files[i].department);
    }
    free(r->files);
    texts_free(r->texts);
    taxonomy_free(r->taxonomy);
    sentiment_free(r->sentiment);
    model_release(&r->model);
    source_shape_release(&r->shape);
    experiments_release(&r->assignments);
    gates_release(&r->gates);
    deliver_plan_release(&r->mail);
    free(r->empty_warning);
}

/* The job lock, then (run-due only) the ledger check on the same
 * connection: checked under the lock, two processes started together
 * cannot both see "not done yet".  Skips are not errors. */
static enum vr_status lock_job(struct run *r, struct run_request *req, struct vr_error *err)
{
    if (!req->scheduled_for)
        return results_lock_job(&r->meta, r->job->name, err);
    bool busy = false;
    if (results_try_lock_job(&r->meta, r->job->name, &busy, &req->run_id, err) == VR_OK && busy)
        req->outcome = RUN_SKIPPED_BUSY;
    return err->status;
}

static enum vr_status check_ledger(struct run *r, struct run_request *req, struct vr_error *err)
{
    if (!req->scheduled_for)
        return VR_OK;
    const char *why = NULL;
    if (results_schedule_handled(&r->meta, r->job->name, req->scheduled_for, r->period.as_of, &why,
                                 err) == VR_OK &&
        why) {
        req->outcome = RUN_SKIPPED_DONE;
        req->skip_reason = why;
    }
    return err->status;
}

bool runner_interrupted(void)
{
    return signals_caught() != 0;
}

/* The period options, checked before anything connects. */
static enum vr_status check_period_options(const struct run_request *req, struct vr_error *err)
{
    const char *as_of = req->as_of_date, *from = req->from_date, *to = req->to_date;
    if (as_of && (from || to))
        return vr_fail(err, VR_ERR_USAGE,
                       "--as-of cannot be combined with --from/--to: --as-of reports the job's "
                       "period before that day, --from/--to the days you name; give one or the "
                       "other");
    if (!from != !to)
        return vr_fail(err, VR_ERR_USAGE,
                       "%s needs %s too: a range names its first and its last day "
                       "(YYYY-MM-DD, both included)",
                       from ? "--from" : "--to", from ? "--to" : "--from");
    const char *names[] = {"--as-of", "--from", "--to"}, *dates[] = {as_of, from, to};
    for (int i = 0; i < 3; i++)
        if (dates[i] && !period_valid_date(dates[i]))
            return vr_fail(err, VR_ERR_USAGE, "invalid %s \"%s\": expected a date YYYY-MM-DD",
                           names[i], dates[i]);
    /* Both are YYYY-MM-DD: byte order is date order. */
    if (from && strcmp(from, to) > 0)
        return vr_fail(err, VR_ERR_USAGE,
                       "--from %s is after --to %s: the range would hold no day (both days are "
                       "included, so --from %s --to %s is the shortest range)",
                       from, to, to, to);
    return VR_OK;
}

/* The job's period at the as-of, or the range asked for; neither may end
 * after now: nothing after "now" is trustworthy. */
static enum vr_status resolve_period(struct run *r, const struct run_request *req,
                                     struct vr_error *err)
{
    const struct period *p = &r->period;
    if ((req->from_date ? period_resolve_range(&r->meta, r->job, req->from_date, req->to_date,
                                               &r->period, err)
                        : period_resolve(&r->meta, r->job, req->as_of_date, &r->period, err)) !=
        VR_OK)
        return err->status;
    if (!p->as_of_in_future)
        return VR_OK;
    if (req->to_date)
        return vr_fail(err, VR_ERR_USAGE,
                       "--to %s is not over yet in time zone %s (the range ends as %s begins, "
                       "which is in the future): the latest --to is yesterday",
                       req->to_date, r->job->time_zone, p->as_of_date);
    return vr_fail(err, VR_ERR_USAGE, "as-of %s is in the future in time zone %s", p->as_of_date,
                   r->job->time_zone);
}

enum vr_status runner_run(const struct config *c, const char *job_name, const char *as_of_date,
                          struct vr_error *err)
{
    struct run_request req = {.as_of_date = as_of_date};
    return runner_run_request(c, job_name, &req, err);
}

enum vr_status runner_run_request(const struct config *c, const char *job_name,
                                  struct run_request *req, struct vr_error *err)
{
    const char *as_of_date = req->as_of_date;
    req->outcome = RUN_RAN;
    req->run_id = 0;
    req->skip_reason = NULL;
    struct run r;
    memset(&r, 0, sizeof(r));
    struct vr_error mail_err = {0}; /* the run stays succeeded when only mail fails */
    model_init(&r.model);
    r.cfg = c;
    r.job = config_job(c, job_name);
    log_set_context(0, job_name);
    if (!r.job)
        return vr_fail(err, VR_ERR_USAGE, "no job \"%s\" in %s", job_name, c->path);
    if (check_period_options(req, err) != VR_OK)
        return err->status;
    r.as_of_given = as_of_date || req->from_date;
    if (access(c->font, R_OK))
        vr_fail(err, VR_ERR_CONFIG, "%s: font \"%s\" is not readable ([output] font)", c->path,
                c->font);
    if (err->status != VR_OK || texts_load(&r.texts, c->templates_dir, r.job->locale, err) != VR_OK ||
        taxonomy_load(&r.taxonomy, c->taxonomy, err) != VR_OK ||
        ownership_check(c, r.taxonomy, err) != VR_OK ||
        sentiment_load(&r.sentiment, c->sentiment_model, err) != VR_OK)
        goto done;
    signals_install();

    if (req->sql_trace && !(r.trace = fopen(req->sql_trace, "w"))) {
        vr_fail(err, VR_ERR_USAGE, "could not write --sql-trace %s: %s", req->sql_trace,
                strerror(errno));
        goto done;
    }
    /* Before any connection: a table of analyses out of order is a bug. */
    if (analyses_check(err) != VR_OK ||
        db_connect(&r.meta, c->conninfo, r.job->time_zone, c->source_schema, c->results_schema,
                   err) != VR_OK ||
        schema_check(&r.meta, c->results_schema, err) != VR_OK || lock_job(&r, req, err) != VR_OK ||
        req->outcome != RUN_RAN || recover_all(&r.meta, c, err) != VR_OK ||
        /* period = all reads the source before the run is recorded */
        (r.job->period == PERIOD_ALL && open_source_link(&r, err) != VR_OK) ||
        resolve_period(&r, req, err) != VR_OK)
        goto done;
    if (check_ledger(&r, req, err) != VR_OK || req->outcome != RUN_RAN)
        goto done;
    fill_model_header(&r);
    model_add_param(&r.model, "taxonomy_version", r.taxonomy->version);
    model_add_param(&r.model, "sentiment_model_version", sentiment_version(r.sentiment));
    struct run_trigger trig = {.scheduled_for = req->scheduled_for};
    if (results_start_run(&r.meta, job_name, &r.period, r.job->time_zone, &r.model, &trig,
                          &r.run_id, r.started_at, err) != VR_OK ||
        results_lock_run(&r.meta, r.run_id, err) != VR_OK)
        goto done;
    signals_cancel_on(SIGNAL_CONN_META, r.meta.conn);
    req->run_id = r.run_id;
    r.model.run_id = r.run_id;
    r.model.started_at = xstrdup(r.started_at);
    log_set_context(r.run_id, job_name);
    log_info("started: as-of %s, period %s to %s (%s%s)", r.period.as_of_date, r.period.start,
             r.period.end, r.job->time_zone,
             !strcmp(r.period.rule, "range") ? ", an ad-hoc range" : "");

    if (open_source_link(&r, err) != VR_OK)
        goto done;
    c = r.cfg;
    /* Before anything reads the source; tags are written before the
     * snapshot opens, so the snapshot sees them. */
    log_info("checking the source views, then classifying new feedback");
    if (contract_check(&r.meta, c, r.job, &r.shape, &r.model, err) == VR_OK &&
        tagging_run(c, r.job->time_zone, &r.shape, r.taxonomy, r.sentiment, &r.model, err) ==
            VR_OK &&
        check_interrupted(err) == VR_OK && compute(&r, err) == VR_OK &&
        render_all(&r, err) == VR_OK &&
        publish_and_record(&r, err) == VR_OK) {
        log_info("succeeded: %zu figures, %zu files in %s; %.2f s in PostgreSQL", r.model.n_kpis,
                 r.n_files, r.pub.final_dir, db_total_seconds());
        /* Repeated last, where an operator reading the end of the log looks. */
        if (r.empty_warning)
            log_warn("succeeded with an empty period: %s", r.empty_warning);
        printf("%s\n", r.pub.final_dir);
        for (size_t i = 0; i < r.n_files; i++)
            printf("  %s\n", r.files[i].path);
        if (r.n_leak_failures)
            log_error("delivery held: %zu department pack(s) failed the leak check",
                      r.n_leak_failures);
        if (fflush(stdout))
            vr_fail(err, VR_ERR_OUTPUT, "could not write to standard output");
        else
            deliver_send(&r.meta, c, r.job, &r.model, r.texts, &r.mail, &mail_err);
    }
done:
    if (signals_caught() && err->status != VR_OK && !r.published) {
        /* The cancelled query's own message would hide the real cause. */
        err->status = VR_OK;
        vr_fail(err, VR_ERR_INTERNAL, "interrupted by signal %d; nothing was published",
                signals_caught());
    }
    if (err->status != VR_OK && r.run_id > 0 && !r.published) {
        results_record_failure(&r.meta, r.run_id, &r.model, err->msg);
        log_error("failed: %s", err->msg);
        err->logged = 1;
        deliver_alert_run_failed(&r.meta, c, r.job, &r.model, r.texts, err->msg);
    } else if (err->status != VR_OK && r.run_id <= 0 && err->status != VR_ERR_BUSY &&
               err->status != VR_ERR_USAGE && !signals_caught()) {
        /* No run to record it in, maybe no database: the owner must still
         * hear that tonight's report is not coming. */
        log_error("could not start: %s", err->msg);
        err->logged = 1;
        startalert_send(c, r.job, r.period.as_of_date[0] ? r.period.as_of_date : as_of_date, err);
    }
    if (r.run_id > 0)
        startalert_clear(c, r.job);
    run_release(&r);
    if (err->status == VR_OK && mail_err.status != VR_OK)
        *err = mail_err;
    return err->status;
}
