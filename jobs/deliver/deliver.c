/* Planning, sending and recording the run's mail; the contract is in
 * deliver.h. */
#include "deliver.h"

#include "jobs/base/log.h"
#include "jobs/base/signals.h"
#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "report/leakcheck.h"
#include "report/mailhtml.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the plan ---- */

static struct delivery *find_or_add(struct delivery_plan *p, const char *addr, bool alert)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->d[i].alert == alert && !strcasecmp(p->d[i].recipient, addr))
            return &p->d[i];
    p->d = xrealloc(p->d, (p->n + 1) * sizeof(*p->d));
    struct delivery *d = &p->d[p->n++];
    memset(d, 0, sizeof(*d));
    d->recipient = xstrdup(addr);
    d->alert = alert;
    return d;
}

static void add_path(struct delivery *d, const char *path)
{
    for (size_t i = 0; i < d->n_paths; i++)
        if (!strcmp(d->paths[i], path))
            return; /* nobody gets the same file twice */
    d->paths = xrealloc(d->paths, (d->n_paths + 1) * sizeof(char *));
    d->paths[d->n_paths++] = xstrdup(path);
}

static void add_dept(struct delivery *d, const struct department *dep)
{
    for (size_t i = 0; i < d->aud.n_depts; i++)
        if (d->aud.depts[i] == dep)
            return;
    const struct department **a = xrealloc((void *)d->aud.depts,
                                           (d->aud.n_depts + 1) * sizeof(*a));
    a[d->aud.n_depts++] = dep;
    d->aud.depts = (const struct department *const *)a;
}

enum role { ROLE_EXECUTIVE, ROLE_FINANCE, ROLE_SERVICE, ROLE_DEPARTMENT };

/* Does this file go to this role?  The table of docs/departments.md. */
static bool file_for(const struct output_file *f, enum role role, const char *dept)
{
    switch (role) {
    case ROLE_EXECUTIVE:
        return !strcmp(f->audience, "executive");
    case ROLE_FINANCE:
        return !strcmp(f->audience, "finance") ||
               (!strcmp(f->audience, "executive") && !strcmp(f->kind, "xlsx"));
    case ROLE_SERVICE:
        return !strcmp(f->audience, "service");
    case ROLE_DEPARTMENT:
        return f->department && !strcmp(f->department, dept);
    }
    return false;
}

static void add_role(struct delivery_plan *p, char *const *addrs, enum role role,
                     const struct department *dep, const struct output_file *files,
                     size_t n_files)
{
    size_t n = 0;
    for (size_t i = 0; i < n_files; i++)
        n += file_for(&files[i], role, dep ? dep->code : NULL);
    if (n == 0)
        return; /* e.g. no call list this run: the service team gets no empty mail */
    for (size_t a = 0; addrs && addrs[a]; a++) {
        struct delivery *d = find_or_add(p, addrs[a], false);
        d->aud.executive |= role == ROLE_EXECUTIVE;
        d->aud.finance |= role == ROLE_FINANCE;
        d->aud.service |= role == ROLE_SERVICE;
        if (dep)
            add_dept(d, dep);
        for (size_t i = 0; i < n_files; i++)
            if (file_for(&files[i], role, dep ? dep->code : NULL))
                add_path(d, files[i].path);
    }
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* deliveries.audience / department: comma-joined, so resend rebuilds the
 * same message. */
static char *audience_text(const struct delivery *d)
{
    if (d->alert)
        return xstrdup("owner");
    struct strbuf sb;
    strbuf_init(&sb);
    if (d->aud.executive) strbuf_adds(&sb, "executive,");
    if (d->aud.finance) strbuf_adds(&sb, "finance,");
    if (d->aud.service) strbuf_adds(&sb, "service,");
    if (d->aud.n_depts) strbuf_adds(&sb, "department,");
    if (sb.len) sb.buf[--sb.len] = '\0';
    return strbuf_detach(&sb);
}

static char *department_text(const struct delivery *d)
{
    if (!d->aud.n_depts)
        return NULL;
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < d->aud.n_depts; i++)
        strbuf_addf(&sb, "%s%s", i ? "," : "", d->aud.depts[i]->code);
    return strbuf_detach(&sb);
}

/* The chart's Content-ID, which the HTML names. */
#define CHART_CID "nps-trend@vocreport"

char *deliver_compose(const struct config *c, const struct texts *t, const struct model *m,
                      struct delivery *d, const char *const *names)
{
    bool heads_only = !d->aud.executive && !d->aud.finance && !d->aud.service;
    d->body = mailtext_body(t, m, &d->aud, names, d->n_paths);
    /* The company's NPS is for those who get the executive files. */
    if (!heads_only)
        mailchart_nps(t, m, c->font, &d->chart);
    d->html = mailhtml_body(t, m, &d->aud, names, d->n_paths, d->chart.png ? CHART_CID : NULL);
    if (!heads_only || d->aud.n_depts == 0)
        return NULL;
    const char **codes = xcalloc(d->aud.n_depts, sizeof(char *));
    for (size_t i = 0; i < d->aud.n_depts; i++)
        codes[i] = d->aud.depts[i]->code;
    char *what = xstrfmt("the mail to %s", d->recipient);
    char *seen = xstrfmt("%s\n%s\n%s", d->subject ? d->subject : "", d->html,
                         d->chart.texts ? d->chart.texts : "");
    char *leak = leak_check_text(m, codes, d->aud.n_depts, seen, what);
    free(seen);
    free(what);
    free(codes);
    return leak;
}

static enum vr_status insert_row(struct db *meta, long long run_id, struct delivery *d,
                                 const char *held_reason, struct vr_error *err)
{
    char *files = db_array_of(d->paths, d->n_paths);
    char id[24];
    snprintf(id, sizeof(id), "%lld", run_id);
    char *aud = audience_text(d), *dept = department_text(d);
    PGresult *r =
        db_query_file(meta, "could not record the deliveries", "deliver/delivery_add.sql",
                      SQL_ARGS({"run_id", id}, {"recipient", d->recipient}, {"files", files},
                               {"status", d->status}, {"kind", d->alert ? "alert" : "report"},
                               {"audience", aud}, {"department", dept}, {"subject", d->subject},
                               {"held_reason", d->hold ? d->hold : held_reason}),
                      err);
    if (r) {
        d->id = db_get_ll(r, 0, "delivery_id");
        PQclear(r);
    }
    free(files);
    free(aud);
    free(dept);
    return err->status;
}

static void add_alert(struct delivery_plan *p, const struct config *c, const struct job_config *j,
                      const struct model *m, const struct texts *t, enum mailtext_alert kind,
                      const char *const *items, size_t n_items)
{
    if (!j->owner || !j->owner[0]) {
        log_warn("job \"%s\" has no owner: nobody is alerted", j->name);
        return;
    }
    for (size_t a = 0; j->owner[a]; a++) {
        p->d = xrealloc(p->d, (p->n + 1) * sizeof(*p->d));
        struct delivery *d = &p->d[p->n++];
        memset(d, 0, sizeof(*d));
        d->recipient = xstrdup(j->owner[a]);
        d->alert = true;
        d->status = xstrdup("pending");
        mailtext_alert(t, m, kind, items, n_items, c->path, &d->subject, &d->body);
    }
}

void deliver_alert(struct db *meta, const struct config *c, const struct job_config *j,
                   const struct model *m, const struct texts *t, enum mailtext_alert kind,
                   const char *const *items, size_t n_items)
{
    if (!*c->mail.url || !t || !m->job || !m->as_of || m->run_id <= 0)
        return;
    struct delivery_plan p;
    memset(&p, 0, sizeof(p));
    p.mail_on = true;
    add_alert(&p, c, j, m, t, kind, items, n_items);
    struct mail_server s;
    char *password = NULL;
    struct vr_error why = {0};
    if (p.n && deliver_server(c, &s, &password, &why) != VR_OK)
        log_error("could not alert the owner: %s", why.msg);
    for (size_t i = 0; i < p.n && why.status == VR_OK; i++) {
        struct vr_error e = {0};
        if (insert_row(meta, m->run_id, &p.d[i], NULL, &e) == VR_OK)
            deliver_one(meta, &s, &p.d[i], &e);
        else
            log_error("could not record the alert to %s: %s", p.d[i].recipient, e.msg);
    }
    deliver_forget_password(password);
    deliver_plan_release(&p);
}

void deliver_alert_run_failed(struct db *meta, const struct config *c, const struct job_config *j,
                              const struct model *m, const struct texts *t, const char *error)
{
    deliver_alert(meta, c, j, m, t, ALERT_RUN, &error, 1);
}

enum vr_status deliver_plan(struct db *meta, const struct config *c, const struct job_config *j,
                            const struct model *m, const struct texts *t,
                            const struct output_file *files, size_t n_files,
                            const struct gates *g, struct delivery_plan *p,
                            struct vr_error *err)
{
    memset(p, 0, sizeof(*p));
    if (!*c->mail.url) {
        log_info("mail is off ([mail] url is empty): reports are published, nothing is sent");
        return VR_OK;
    }
    p->mail_on = true;
    p->held = g && g->n_failures > 0;
    add_role(p, j->executives, ROLE_EXECUTIVE, NULL, files, n_files);
    add_role(p, j->finance, ROLE_FINANCE, NULL, files, n_files);
    add_role(p, j->service, ROLE_SERVICE, NULL, files, n_files);
    for (size_t i = 0; i < c->n_depts; i++) {
        const struct department *dep = &c->depts[i];
        add_role(p, dep->head, ROLE_DEPARTMENT, dep, files, n_files);
        add_role(p, dep->recipients, ROLE_DEPARTMENT, dep, files, n_files);
    }
    size_t n_reports = p->n, n_leaks = 0;
    for (size_t i = 0; i < n_reports; i++) {
        struct delivery *d = &p->d[i];
        const char **names = xcalloc(d->n_paths + 1, sizeof(char *));
        for (size_t k = 0; k < d->n_paths; k++)
            names[k] = base_name(d->paths[k]);
        d->subject = mailtext_subject(t, m, &d->aud);
        char *leak = deliver_compose(c, t, m, d, names);
        if (leak) {
            log_error("leak_check: %s; it is held", leak);
            d->hold = xstrfmt("leak_check: %s", leak);
            free(leak);
            n_leaks++;
        }
        d->status = xstrdup(p->held || d->hold ? "held" : "pending");
        free(names);
    }
    if (n_leaks > 0) {
        /* Held as a failed gate is: the owner is told, the run exits 5. */
        const char **items = xcalloc(n_leaks, sizeof(char *));
        size_t k = 0;
        for (size_t i = 0; i < n_reports; i++)
            if (p->d[i].hold)
                items[k++] = p->d[i].hold;
        if (!p->held)
            add_alert(p, c, j, m, t, ALERT_GATES, items, k);
        free(items);
        p->held = true;
    }
    char *reason = NULL;
    if (p->held && g && g->n_failures > 0) {
        struct strbuf sb;
        strbuf_init(&sb);
        for (size_t i = 0; i < g->n_failures; i++)
            strbuf_addf(&sb, "%s%s", i ? "; " : "", g->failures[i]);
        reason = strbuf_detach(&sb);
        add_alert(p, c, j, m, t, ALERT_GATES, (const char *const *)g->failures, g->n_failures);
        log_warn("mail held: %zu report mail%s not sent because quality gates failed", n_reports,
                 n_reports == 1 ? "" : "s");
    }
    for (size_t i = 0; i < p->n && err->status == VR_OK; i++)
        insert_row(meta, m->run_id, &p->d[i], p->d[i].alert ? NULL : reason, err);
    free(reason);
    if (n_reports == 0)
        log_warn("mail is on but no recipient is configured for any published file");
    return err->status;
}

/* ---- sending ---- */

enum vr_status deliver_server(const struct config *c, struct mail_server *s, char **password,
                              struct vr_error *err)
{
    const struct mail_config *mc = &c->mail;
    *password = NULL;
    memset(s, 0, sizeof(*s));
    s->url = mc->url;
    s->starttls = mc->starttls;
    s->username = mc->username;
    s->from = mc->from;
    s->ca_file = mc->ca_file;
    s->max_attempts = mc->max_attempts;
    s->retry_base_ms = mc->retry_seconds * 1000;
    s->timeout_s = mc->timeout_seconds;
    s->stop = signals_flag();
    if (!*mc->username)
        return VR_OK;
    if (*mc->password_file) {
        int fd = open(mc->password_file, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0)
            return vr_fail(err, VR_ERR_CONFIG, "could not open [mail] password_file \"%s\": %s",
                           mc->password_file, strerror(errno));
        /* Like ssh with a private key: a secret others can read is no secret. */
        if (fstat(fd, &st) || (st.st_mode & (S_IRWXG | S_IRWXO))) {
            close(fd);
            return vr_fail(err, VR_ERR_CONFIG,
                           "[mail] password_file \"%s\" may be read by group or others: "
                           "chmod 600 it",
                           mc->password_file);
        }
        char buf[1024];
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n < 0)
            return vr_fail(err, VR_ERR_CONFIG, "could not read [mail] password_file \"%s\": %s",
                           mc->password_file, strerror(errno));
        buf[n] = '\0';
        buf[strcspn(buf, "\r\n")] = '\0'; /* one line; an editor's newline is not part of it */
        *password = xstrdup(buf);
        memset(buf, 0, sizeof(buf));
    } else {
        const char *env = getenv("VOCREPORT_SMTP_PASSWORD");
        if (!env || !*env)
            return vr_fail(err, VR_ERR_CONFIG,
                           "[mail] username is set but there is no password: set password_file "
                           "or VOCREPORT_SMTP_PASSWORD");
        *password = xstrdup(env);
    }
    if (!**password) {
        deliver_forget_password(*password);
        *password = NULL;
        return vr_fail(err, VR_ERR_CONFIG, "[mail] password_file \"%s\" is empty",
                       mc->password_file);
    }
    s->password = *password;
    return VR_OK;
}

void deliver_forget_password(char *password)
{
    if (!password)
        return;
    /* volatile: the compiler may not drop a clearing of memory freed next */
    for (volatile char *p = password; *p; p++)
        *p = '\0';
    free(password);
}

static const char *mime_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && !strcmp(dot, ".xlsx"))
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (dot && !strcmp(dot, ".pdf"))
        return "application/pdf";
    if (dot && !strcmp(dot, ".csv"))
        return "text/csv; charset=UTF-8";
    return NULL;
}

static void record_outcome(struct db *meta, const struct delivery *d, int attempts,
                           const char *error)
{
    struct vr_error e = {0};
    char id[24], att[16];
    snprintf(id, sizeof(id), "%lld", d->id);
    snprintf(att, sizeof(att), "%d", attempts);
    if (db_exec_file(meta, "could not record a delivery", "deliver/delivery_outcome.sql",
                     SQL_ARGS({"delivery_id", id}, {"status", d->status}, {"attempts", att},
                              {"error", error}),
                     &e) != VR_OK)
        log_error("%s", e.msg);
}

enum delivery_outcome deliver_one(struct db *meta, const struct mail_server *s,
                                  struct delivery *d, struct vr_error *why)
{
    struct mail_attachment *att = xcalloc(d->n_paths + 1, sizeof(*att));
    for (size_t i = 0; i < d->n_paths; i++) {
        att[i].path = d->paths[i];
        att[i].filename = base_name(d->paths[i]);
        att[i].mime_type = mime_type(d->paths[i]);
    }
    const char *to[] = {d->recipient};
    struct mail_inline chart = {.content_id = CHART_CID,
                                .filename = "nps-trend.png",
                                .mime_type = "image/png",
                                .data = d->chart.png,
                                .len = d->chart.len};
    struct mail_message msg = {.to = to, .n_to = 1, .subject = d->subject,
                               .body_text = d->body, .body_html = d->html,
                               .inlines = &chart, .n_inlines = d->chart.png ? 1 : 0,
                               .attachments = att, .n_attachments = d->n_paths};
    struct mail_result res = {0};
    enum vr_status st = mail_send(s, &msg, &res, why);
    free(att);
    const char *kind = d->alert ? "alert" : "report";
    if (st != VR_OK && res.interrupted) {
        /* Left as it was (pending rows are picked up by jobs/run/recover.h);
         * only the attempts and the reason are recorded. */
        record_outcome(meta, d, res.attempts, why->msg);
        log_warn("%s mail to %s not sent: %s", kind, d->recipient, why->msg);
        return DELIVERY_STOPPED;
    }
    free(d->status);
    d->status = xstrdup(st == VR_OK ? "sent" : res.unconfirmed ? "unconfirmed" : "failed");
    record_outcome(meta, d, res.attempts, st == VR_OK ? NULL : why->msg);
    if (st == VR_OK) {
        log_info("%s mail sent to %s (%zu file%s)", kind, d->recipient, d->n_paths,
                 d->n_paths == 1 ? "" : "s");
        return DELIVERY_SENT;
    }
    log_warn("%s mail to %s %s: %s", kind, d->recipient,
             res.unconfirmed ? "unconfirmed" : "failed", why->msg);
    return res.unconfirmed ? DELIVERY_UNCONFIRMED : DELIVERY_FAILED;
}

/* Every pending row fails with the same reason (no server, no password). */
static void fail_all(struct db *meta, struct delivery_plan *p, const char *why)
{
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->d[i].status, "pending"))
            continue;
        free(p->d[i].status);
        p->d[i].status = xstrdup("failed");
        record_outcome(meta, &p->d[i], 0, why);
    }
}

enum vr_status deliver_send(struct db *meta, const struct config *c, const struct job_config *j,
                            const struct model *m, const struct texts *t, struct delivery_plan *p,
                            struct vr_error *err)
{
    if (!p->mail_on)
        return VR_OK;
    struct mail_server s;
    char *password = NULL;
    struct vr_error serr = {0};
    size_t n_reports = 0, n_failed = 0;
    const char **failed = NULL;
    if (deliver_server(c, &s, &password, &serr) != VR_OK) {
        fail_all(meta, p, serr.msg);
        vr_fail(err, VR_ERR_DELIVERY,
                "no mail sent for run %lld: %s; then send it with: vocreport resend --config %s "
                "--run %lld",
                m->run_id, serr.msg, c->path, m->run_id);
        goto cleanup;
    }
    size_t n_planned = p->n; /* alerts about failed mail are appended below */
    size_t n_stopped = 0;
    for (size_t i = 0; i < n_planned; i++) {
        struct delivery *d = &p->d[i];
        n_reports += !d->alert;
        if (strcmp(d->status, "pending"))
            continue;
        if (signals_caught()) {
            n_stopped++; /* stays pending: the next process fails it and alerts */
            continue;
        }
        struct vr_error why = {0};
        enum delivery_outcome o = deliver_one(meta, &s, d, &why);
        if (o == DELIVERY_STOPPED) {
            n_stopped++;
        } else if (o != DELIVERY_SENT && !d->alert) {
            failed = xrealloc(failed, (n_failed + 1) * sizeof(char *));
            failed[n_failed++] = xstrfmt("%s: %s", d->recipient, why.msg);
        }
    }
    if (n_stopped > 0) {
        /* Stopping is what was asked for: no alert now (the mail server may
         * be why we were stopped); the rows stay pending. */
        vr_fail(err, VR_ERR_DELIVERY,
                "stopped by signal %d while sending the mail of run %lld: %zu mail%s not sent "
                "(the next vocreport run or resend marks %s failed and alerts the owner); send "
                "%s with: vocreport resend --config %s --run %lld",
                signals_caught(), m->run_id, n_stopped, n_stopped == 1 ? "" : "s",
                n_stopped == 1 ? "it" : "them", n_stopped == 1 ? "it" : "them", c->path,
                m->run_id);
    } else if (n_failed > 0) {
        size_t first = p->n;
        add_alert(p, c, j, m, t, ALERT_MAIL, failed, n_failed);
        for (size_t i = first; i < p->n; i++) {
            struct vr_error why = {0};
            if (insert_row(meta, m->run_id, &p->d[i], NULL, &why) == VR_OK)
                deliver_one(meta, &s, &p->d[i], &why);
            else
                log_error("%s", why.msg);
        }
        vr_fail(err, VR_ERR_DELIVERY,
                "reports of run %lld are published, but %zu of %zu report mails failed; when the "
                "mail server works again: vocreport resend --config %s --run %lld",
                m->run_id, n_failed, n_reports, c->path, m->run_id);
    } else if (p->held && n_reports > 0) {
        vr_fail(err, VR_ERR_DELIVERY,
                "reports of run %lld are published, but their mail is held because quality gates "
                "failed (runs.gate_failures); fix the data and re-run, or send anyway: vocreport "
                "resend --config %s --run %lld --release-held",
                m->run_id, c->path, m->run_id);
    }
cleanup:
    for (size_t i = 0; i < n_failed; i++)
        free((char *)failed[i]);
    free(failed);
    deliver_forget_password(password);
    return err->status;
}

void deliver_release(struct delivery *d)
{
    free(d->recipient);
    free(d->status);
    free((void *)d->aud.depts);
    for (size_t i = 0; i < d->n_paths; i++)
        free(d->paths[i]);
    free(d->paths);
    free(d->subject);
    free(d->body);
    free(d->html);
    mailchart_release(&d->chart);
    free(d->hold);
}

void deliver_plan_release(struct delivery_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        deliver_release(&p->d[i]);
    free(p->d);
    memset(p, 0, sizeof(*p));
}
