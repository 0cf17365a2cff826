/* Mail texts; the contract is in mailtext.h. */
#include "mailtext.h"
#include "na_reason.h"

#include "jobs/base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *run_id_text(const struct model *m)
{
    return xstrfmt("%lld", m->run_id);
}

char *mailtext_subject(const struct texts *t, const struct model *m, const struct mail_audiences *a)
{
    /* A department head's subject names the department: several packs in
     * one inbox must be told apart without opening them. */
    if (!a->executive && !a->finance && !a->service && a->n_depts > 0)
        return texts_format(t, "mail.subject_department", "job", m->job, "department",
                            a->depts[0]->name, "first", m->period_first_day, "last",
                            m->period_last_day, "as_of", m->as_of, (char *)NULL);
    return texts_format(t, "mail.subject", "job", m->job, "first", m->period_first_day, "last",
                        m->period_last_day, "as_of", m->as_of, (char *)NULL);
}

static void add_line(struct strbuf *sb, char *line)
{
    strbuf_adds(sb, line);
    strbuf_adds(sb, "\n");
    free(line);
}

/* The briefing's tiles in words, formatted as the briefing formats them. */
static void add_headline(struct strbuf *sb, const struct texts *t, const struct model *m)
{
    add_line(sb, xstrdup(texts_get(t, "mail.headline")));
    const struct kpi *nps = model_find(m, "nps", "");
    if (!nps || !nps->has_value) {
        add_line(sb, xstrdup(texts_get(t, "mail.nps_na")));
    } else {
        char *v = fmt_score(t, nps->value);
        double moe_v, delta_v;
        char *moe = model_value(m, "nps_moe", "", &moe_v) ? fmt_number(t, moe_v, 1)
                                                          : xstrdup(texts_get(t, "mail.na"));
        char *n = fmt_count(t, nps->n < 0 ? 0 : nps->n);
        if (model_value(m, "nps_delta", "", &delta_v)) {
            char *d = fmt_signed(t, delta_v, 1);
            add_line(sb, texts_format(t, "mail.nps", "nps", v, "delta", d, "moe", moe, "n", n,
                                      (char *)NULL));
            free(d);
        } else {
            add_line(sb, texts_format(t, "mail.nps_no_prior", "nps", v, "moe", moe, "n", n,
                                      (char *)NULL));
        }
        free(v);
        free(moe);
        free(n);
    }
    double v;
    char *s =
        model_value(m, "csat", "", &v) ? fmt_percent(t, v, 1) : xstrdup(texts_get(t, "mail.na"));
    add_line(sb, texts_format(t, "mail.csat", "csat", s, (char *)NULL));
    free(s);
    s = model_value(m, "churn_rate", "", &v) ? fmt_percent(t, v, 1)
                                             : xstrdup(texts_get(t, "mail.na"));
    add_line(sb, texts_format(t, "mail.churn", "churn", s, (char *)NULL));
    free(s);
    if (model_value(m, "roi.value", "", &v)) {
        s = fmt_percent(t, v, 0);
        add_line(sb, texts_format(t, "mail.roi", "roi", s, (char *)NULL));
        free(s);
    } else {
        add_line(sb, xstrdup(texts_get(t, "mail.roi_na")));
    }
}

void mailtext_kpi_words(const struct texts *t, const struct model *m, const struct department *d,
                        size_t i, struct mailtext_kpi *out)
{
    const struct dept_kpi *k = &d->kpis[i];
    char *dims = xstrfmt("department=%s;kpi=%s", d->code, k->name);
    double actual_v, target_v;
    bool has_actual = model_value(m, "dept.kpi.actual", dims, &actual_v);
    const struct kpi *actual = model_find(m, "dept.kpi.actual", dims);
    out->low_sample = has_actual && kpi_flagged(actual, "low_sample"); /* n/a says it all */
    out->n = actual && actual->n > 0 ? actual->n : 0;
    if (!model_value(m, "dept.kpi.target", dims, &target_v))
        target_v = k->t.value;
    const struct kpi *status = model_find(m, "dept.kpi.status", dims);
    const char *word = status && status->flag ? status->flag : "grey";
    snprintf(out->status, sizeof(out->status), "%.*s", (int)strcspn(word, ","), word);
    /* It names a text key and an HTML class: only the four words. */
    if (strcmp(out->status, "green") && strcmp(out->status, "amber") && strcmp(out->status, "red"))
        snprintf(out->status, sizeof(out->status), "grey");
    char *key = xstrfmt("mail_status.%s", out->status);
    out->status_text = texts_get(t, key);
    free(key);
    /* Without an actual, the reason says more than "no data", as on the
     * scorecard: "no cases in the source", "none counted (n = 0)". */
    out->why = has_actual ? NULL : na_reason(t, actual);
    if (out->why)
        out->status_text = out->why;
    /* Named and formatted as on the department's scorecard. */
    char *written = k->t.arg ? xstrfmt("%s(%s)", k->t.metric, k->t.arg) : xstrdup(k->t.metric);
    /* The metric as configured: a resent mail's model has the config's
     * KPIs, not the run's dept_kpi labels. */
    out->name = kpi_words(t, m, dims, written);
    out->actual = has_actual ? fmt_metric(t, written, actual_v) : xstrdup(texts_get(t, "mail.na"));
    out->target = fmt_metric(t, written, target_v);
    out->op = k->t.lower_is_better ? "≤" : "≥";
    free(written);
    free(dims);
}

void mailtext_kpi_release(struct mailtext_kpi *k)
{
    if (!k)
        return;
    free(k->name);
    free(k->actual);
    free(k->target);
    free(k->why);
}

/* One line per KPI of the department's config, in config order, from the
 * dept.kpi.* figures of docs/departments.md. */
static void add_department(struct strbuf *sb, const struct texts *t, const struct model *m,
                           const struct department *d)
{
    add_line(sb, texts_format(t, "mail.department", "department",
                              model_label(m, "department", d->code), (char *)NULL));
    if (d->n_kpis == 0)
        add_line(sb, xstrdup(texts_get(t, "mail.no_kpis")));
    for (size_t i = 0; i < d->n_kpis; i++) {
        struct mailtext_kpi k;
        mailtext_kpi_words(t, m, d, i, &k);
        add_line(sb, texts_format(t, "mail.kpi", "kpi", k.name, "actual", k.actual, "op", k.op,
                                  "target", k.target, "status", k.status_text, (char *)NULL));
        mailtext_kpi_release(&k);
    }
}

char *mailtext_body(const struct texts *t, const struct model *m, const struct mail_audiences *a,
                    const char *const *file_names, size_t n_files)
{
    struct strbuf sb;
    strbuf_init(&sb);
    add_line(&sb, xstrdup(texts_get(t, "mail.greeting")));
    strbuf_adds(&sb, "\n");
    add_line(&sb, texts_format(t, "mail.intro", "job", m->job, "first", m->period_first_day, "last",
                               m->period_last_day, "as_of", m->as_of, (char *)NULL));
    strbuf_adds(&sb, "\n");
    if (a->executive || a->finance) {
        add_headline(&sb, t, m);
        strbuf_adds(&sb, "\n");
    }
    if (a->service) {
        add_line(&sb, xstrdup(texts_get(t, "mail.service")));
        strbuf_adds(&sb, "\n");
    }
    for (size_t i = 0; i < a->n_depts; i++) {
        add_department(&sb, t, m, a->depts[i]);
        strbuf_adds(&sb, "\n");
    }
    struct strbuf names;
    strbuf_init(&names);
    for (size_t i = 0; i < n_files; i++)
        strbuf_addf(&names, "%s%s", i ? ", " : "", file_names[i]);
    add_line(&sb, texts_format(t, "mail.attachments", "files", names.buf, (char *)NULL));
    strbuf_release(&names);
    strbuf_adds(&sb, "\n");
    char *id = run_id_text(m);
    add_line(&sb, texts_format(t, "mail.footer", "run_id", id, (char *)NULL));
    free(id);
    return strbuf_detach(&sb);
}

void mailtext_alert(const struct texts *t, const struct model *m, enum mailtext_alert kind,
                    const char *const *items, size_t n_items, const char *config_path,
                    char **subject, char **body)
{
    static const char *const names[] = {"gates", "mail", "run", "start"};
    char *pre = xstrfmt("alert.%s", names[kind]);
    char *id = run_id_text(m);
    char *key = xstrfmt("alert.subject_%s", names[kind]);
    *subject = texts_format(t, key, "job", m->job, "run_id", id, "as_of", m->as_of, (char *)NULL);
    free(key);
    struct strbuf sb;
    strbuf_init(&sb);
    add_line(&sb,
             texts_format(t, pre, "job", m->job, "run_id", id, "as_of", m->as_of, (char *)NULL));
    strbuf_adds(&sb, "\n");
    for (size_t i = 0; i < n_items; i++)
        strbuf_addf(&sb, "- %s\n", items[i]);
    strbuf_adds(&sb, "\n");
    key = xstrfmt("%s_action", pre);
    add_line(&sb, texts_format(t, key, "run_id", id, "config", config_path, "job", m->job, "as_of",
                               m->as_of, (char *)NULL));
    free(key);
    free(pre);
    free(id);
    *body = strbuf_detach(&sb);
}
