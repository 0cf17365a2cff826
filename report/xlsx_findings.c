/* The Findings sheet: every candidate finding of the run (jobs/compute/findings_rank.h),
 * best first, with what it is about, who acts on it, the money at stake,
 * the confidence that it is real, its score and rank, and its one next
 * step (the briefing shows the best five of the same list).  The numbers
 * are the run's finding.* figures, so finance can find each one in the
 * figures CSV. */
#include "xlsx_exec.h"

#include "jobs/base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FD_RANK, FD_KIND, FD_SUBJECT, FD_OWNER, FD_MONEY, FD_CONF, FD_SCORE, FD_NEXT, FD_NCOLS };

/* A finding's subject in words: each dimension's value as its reader names
 * it ("Web", "Payment problems", "Logistics"), or the company. */
static char *subject_text(const struct xw *x, const char *subject)
{
    if (!subject || !*subject)
        return xstrdup(T(x, "findings.company"));
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = subject; *p;) {
        size_t n = strcspn(p, ";");
        char *pair = xstrfmt("%.*s", (int)n, p);
        char *eq = strchr(pair, '=');
        if (eq) {
            *eq = '\0';
            const char *key = pair, *value = eq + 1;
            char *name = !strcmp(key, "department") || !strcmp(key, "topic")
                             ? xstrdup(model_label(x->m, key, value))
                         : !strcmp(key, "experiment") ? xstrdup(value)
                                                      : texts_dim_label(x->t, x->m, key, value);
            strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", name);
            free(name);
        }
        free(pair);
        p += n + (p[n] == ';');
    }
    return strbuf_detach(&sb);
}

void sheet_findings(struct xw *x)
{
    struct sheet *s = &x->sh[SH_FINDINGS];
    const struct model *m = x->m;
    put_free(s, 0, 0, T(x, "findings.title"), x->title);
    put_free(s, 1, 0, T(x, "findings.subtitle"), x->subtitle);
    const lxw_row_t hdr = 3;
    put_hdr(s, hdr, FD_RANK, T(x, "findings.rank"), true);
    put_hdr(s, hdr, FD_KIND, T(x, "findings.kind"), false);
    put_hdr(s, hdr, FD_SUBJECT, T(x, "findings.subject"), false);
    put_hdr(s, hdr, FD_OWNER, T(x, "findings.owner"), false);
    char *money_hdr = with_currency(x, "findings.money");
    put_hdr(s, hdr, FD_MONEY, money_hdr, true);
    free(money_hdr);
    put_hdr(s, hdr, FD_CONF, T(x, "findings.confidence"), true);
    char *score_hdr = with_currency(x, "findings.score");
    put_hdr(s, hdr, FD_SCORE, score_hdr, true);
    free(score_hdr);
    put_hdr(s, hdr, FD_NEXT, T(x, "findings.next"), false);
    worksheet_freeze_panes(s->ws, hdr + 1, 0);

    lxw_row_t r = hdr + 1;
    if (!m->n_findings)
        put_free(s, r++, 0, T(x, "findings.none"), x->subtitle);
    for (size_t i = 0; i < m->n_findings; i++, r++) {
        const struct finding *f = &m->findings[i];
        put_num(s, r, FD_RANK, (double)f->rank, K_INT, S_LEFT);
        char *kind_key = xstrfmt("findings.kind_%s", f->kind);
        const char *kind = T(x, kind_key);
        put_cell_text(s, r, FD_KIND, strcmp(kind, kind_key) ? kind : f->kind, 0);
        free(kind_key);
        char *subject = subject_text(x, f->subject);
        put_cell_text(s, r, FD_SUBJECT, subject, 0);
        free(subject);
        put_cell_text(
            s, r, FD_OWNER,
            f->owner ? model_label(m, "department", f->owner) : T(x, "findings.executives"), 0);
        put_kpi(s, r, FD_MONEY, K(x, "finding.money", f->dims), 0);
        put_kpi(s, r, FD_CONF, K(x, "finding.confidence", f->dims), 0);
        put_kpi(s, r, FD_SCORE, K(x, "finding.score", f->dims), S_BOLD);
        const char *next = f->next_step ? T(x, f->next_step) : "";
        put_para(s, r, FD_NEXT, FD_NEXT, next, x->para);
    }
    widen(s, FD_NEXT, 60.0);
    page_setup(s, true);
    finish_sheet(s);
}
