/* The report mail's HTML body; the contract is in mailhtml.h. */
#include "mailhtml.h"

#include "findings.h"
#include "jobs/base/strbuf.h"
#include "jobs/config/metrics.h"
#include "mailchart.h"
#include "na_reason.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Findings the mail shows, as the briefing does: the best five. */
#define MAIL_FINDINGS 5

/* Status colours, readable on the light card and on the dark one. */
static const char *status_colour(const char *word)
{
    return !strcmp(word, "green")   ? "#1e7d3a"
           : !strcmp(word, "red")   ? "#c0392b"
           : !strcmp(word, "amber") ? "#b7791f"
                                    : "#7a8591";
}

void mailhtml_escape(struct strbuf *sb, const char *s)
{
    for (const char *c = s ? s : ""; *c; c++) {
        switch (*c) {
        case '&':
            strbuf_adds(sb, "&amp;");
            break;
        case '<':
            strbuf_adds(sb, "&lt;");
            break;
        case '>':
            strbuf_adds(sb, "&gt;");
            break;
        case '"':
            strbuf_adds(sb, "&quot;");
            break;
        case '\'':
            strbuf_adds(sb, "&#39;");
            break;
        default:
            strbuf_add(sb, c, 1);
        }
    }
}

/* Appends s escaped and frees it. */
static void add_esc(struct strbuf *sb, char *s)
{
    mailhtml_escape(sb, s);
    free(s);
}

/* ---- headline tiles ---- */

struct tile {
    const char *code;  /* the figure (dims '') the value shows */
    const char *label; /* template key */
    char *value;       /* NULL: n/a */
    char *note;        /* beside the value: "±9.9" */
    char *line1, *line2;
    const char *line1_code; /* the figure line1 shows, if any: "csat_change" */
    const char *status; /* green, amber, red, grey: the tile's edge and line2 */
};

static void tile_release(struct tile *tl)
{
    free(tl->value);
    free(tl->note);
    free(tl->line1);
    free(tl->line2);
}

static char *fmt_n(const struct texts *t, const char *key, long long n)
{
    char *c = fmt_count(t, n < 0 ? 0 : n);
    char *s = texts_format(t, key, "n", c, (char *)NULL);
    free(c);
    return s;
}

/* "+1.2 pts vs prior period" from the change figure (csat_change,
 * churn_rate_change: kpi_history), "no prior period" when it is NULL. */
static char *change_pp(const struct texts *t, const struct model *m, const char *change_code)
{
    double change;
    if (!model_value(m, change_code, "", &change))
        return xstrdup(texts_get(t, "mail_html.no_change"));
    char *d = fmt_signed(t, change * 100.0, 1);
    char *s = texts_format(t, "mail_html.change_pp", "delta", d, (char *)NULL);
    free(d);
    return s;
}

static void tile_nps(const struct texts *t, const struct model *m, struct tile *tl)
{
    const struct kpi *nps = model_find(m, "nps", "");
    const struct kpi *delta = model_find(m, "nps_delta", "");
    double moe;
    tl->code = "nps";
    tl->label = "mail_html.nps";
    if (!nps || !nps->has_value)
        return;
    tl->value = fmt_score(t, nps->value);
    if (model_value(m, "nps_moe", "", &moe)) {
        char *e = fmt_number(t, moe, 1);
        tl->note = texts_format(t, "mail_html.moe", "moe", e, (char *)NULL);
        free(e);
    }
    bool significant = delta && delta->has_value && kpi_flagged(delta, "significant");
    if (delta && delta->has_value) {
        char *d = fmt_signed(t, delta->value, 1);
        tl->line1 = texts_format(t, "mail_html.nps_delta", "delta", d, (char *)NULL);
        free(d);
    } else {
        tl->line1 = xstrdup(texts_get(t, "mail_html.no_prior"));
    }
    if (kpi_flagged(nps, "low_sample")) {
        tl->line2 = fmt_n(t, "mail_html.low_sample", nps->n);
        tl->status = "amber";
    } else if (significant) {
        tl->line2 = xstrdup(texts_get(t, "mail_html.significant"));
        tl->status = metric_verdict("nps_delta", delta->value) > 0 ? "green" : "red";
    } else if (delta && delta->has_value) {
        tl->line2 = xstrdup(texts_get(t, "mail_html.within"));
    } else {
        tl->line2 = fmt_n(t, "mail_html.responses", nps->n);
    }
}

static void tile_csat(const struct texts *t, const struct model *m, struct tile *tl)
{
    const struct kpi *k = model_find(m, "csat", "");
    tl->code = "csat";
    tl->label = "mail_html.csat";
    if (!k || !k->has_value)
        return;
    tl->value = fmt_percent(t, k->value, 1);
    tl->line1 = change_pp(t, m, "csat_change");
    tl->line1_code = "csat_change";
    if (kpi_flagged(k, "low_sample")) {
        tl->line2 = fmt_n(t, "mail_html.low_sample", k->n);
        tl->status = "amber";
    } else {
        tl->line2 = fmt_n(t, "mail_html.responses", k->n);
    }
}

static void tile_churn(const struct texts *t, const struct model *m, struct tile *tl)
{
    double v;
    tl->code = "churn_rate";
    tl->label = "mail_html.churn";
    if (!model_value(m, "churn_rate", "", &v))
        return;
    tl->value = fmt_percent(t, v, 1);
    tl->line1 = change_pp(t, m, "churn_rate_change");
    tl->line1_code = "churn_rate_change";
}

/* VoC ROI with its 95 % interval; coloured only when the interval lies on
 * one side of zero, "not significant" otherwise (issue 13 point 3). */
static void tile_roi(const struct texts *t, const struct model *m, struct tile *tl)
{
    double v, lo, hi;
    tl->code = "roi.value";
    tl->label = "mail_html.roi";
    if (!model_value(m, "roi.value", "", &v)) {
        tl->line1 = xstrdup(texts_get(t, "mail_html.roi_na"));
        return;
    }
    tl->value = fmt_percent(t, v, 0);
    if (model_value(m, "roi.value_low", "", &lo) && model_value(m, "roi.value_high", "", &hi)) {
        char *l = fmt_percent(t, lo, 0), *h = fmt_percent(t, hi, 0);
        tl->line1 = texts_format(t, "mail_html.roi_interval", "low", l, "high", h, (char *)NULL);
        free(l);
        free(h);
        const char *key = lo > 0   ? "mail_html.roi_significant"
                          : hi < 0 ? "mail_html.roi_negative"
                                   : "mail_html.roi_not_significant";
        tl->line2 = xstrdup(texts_get(t, key));
        tl->status = lo > 0 ? "green" : hi < 0 ? "red" : "amber";
    }
}

static void add_tile(struct strbuf *sb, const struct texts *t, const struct tile *tl)
{
    const char *colour = status_colour(tl->status ? tl->status : "grey");
    strbuf_addf(sb,
                "<td class=\"vr-tile\" width=\"50%%\" valign=\"top\" style=\"width:50%%;padding:"
                "12px 14px;background:#ffffff;border-left:5px solid %s;border-radius:6px;\">",
                colour);
    strbuf_adds(sb, "<div class=\"vr-muted\" style=\"font-size:13px;color:#5f6b7a;\">");
    mailhtml_escape(sb, texts_get(t, tl->label));
    strbuf_addf(sb,
                "</div><div style=\"margin-top:4px;\"><span class=\"vr-ink\" data-code=\"%s\" "
                "style=\"font-size:28px;font-weight:bold;color:#1d2228;\">",
                tl->code);
    mailhtml_escape(sb, tl->value ? tl->value : texts_get(t, "mail.na"));
    strbuf_adds(sb, "</span>");
    if (tl->note) {
        strbuf_adds(sb, " <span class=\"vr-muted\" style=\"font-size:14px;color:#5f6b7a;\">");
        mailhtml_escape(sb, tl->note);
        strbuf_adds(sb, "</span>");
    }
    strbuf_adds(sb, "</div>");
    if (tl->line1) {
        strbuf_adds(sb, "<div class=\"vr-ink\"");
        if (tl->line1_code)
            strbuf_addf(sb, " data-code=\"%s\"", tl->line1_code);
        strbuf_adds(sb, " style=\"font-size:13px;color:#1d2228;\">");
        mailhtml_escape(sb, tl->line1);
        strbuf_adds(sb, "</div>");
    }
    if (tl->line2) {
        strbuf_addf(sb,
                    "<div class=\"vr-s-%s\" style=\"font-size:13px;font-weight:bold;"
                    "color:%s;\">",
                    tl->status ? tl->status : "grey", tl->status ? colour : "#5f6b7a");
        mailhtml_escape(sb, tl->line2);
        strbuf_adds(sb, "</div>");
    }
    strbuf_adds(sb, "</td>");
}

static void add_tiles(struct strbuf *sb, const struct texts *t, const struct model *m)
{
    void (*const fill[])(const struct texts *, const struct model *,
                         struct tile *) = {tile_nps, tile_csat, tile_churn, tile_roi};
    /* two by two: four across would not fit a phone's width */
    strbuf_adds(sb, "<tr><td style=\"padding:0 12px;\"><table role=\"presentation\" width=\"100%\" "
                    "cellspacing=\"8\" cellpadding=\"0\" style=\"width:100%;\">");
    for (size_t i = 0; i < 4; i++) {
        struct tile tl = {0};
        fill[i](t, m, &tl);
        if (!tl.value && !tl.line1) /* n/a says why, as on the briefing's tile */
            tl.line1 = na_reason(t, model_find(m, tl.code, ""));
        if (i % 2 == 0)
            strbuf_adds(sb, "<tr>");
        add_tile(sb, t, &tl);
        if (i % 2 == 1)
            strbuf_adds(sb, "</tr>");
        tile_release(&tl);
    }
    strbuf_adds(sb, "</table></td></tr>");
}

/* ---- the trend picture ---- */

static void add_chart(struct strbuf *sb, const struct texts *t, const struct model *m,
                      const char *cid)
{
    /* The alternative text says the values, for a client that blocks
     * pictures and for a screen reader. */
    struct strbuf pts;
    strbuf_init(&pts);
    size_t n = 0;
    for (size_t i = 0; i < m->n_kpis; i++) {
        const struct kpi *k = &m->kpis[i];
        if (strcmp(k->code, "nps") || strncmp(k->dims, "period=", 7) || strchr(k->dims, ';'))
            continue;
        char *v = k->has_value ? fmt_score(t, k->value) : xstrdup(texts_get(t, "mail.na"));
        strbuf_addf(&pts, "%s%s %s", n++ ? ", " : "", k->dims + 7, v);
        free(v);
    }
    char count[16];
    snprintf(count, sizeof(count), "%zu", n);
    strbuf_adds(sb, "<tr><td class=\"vr-ink\" style=\"padding:16px 20px 4px;font-size:17px;"
                    "font-weight:bold;color:#1d2228;\">");
    add_esc(sb, texts_format(t, "mail_html.trend", "n", count, (char *)NULL));
    strbuf_adds(sb, "</td></tr><tr><td style=\"padding:4px 20px;\"><img src=\"cid:");
    mailhtml_escape(sb, cid);
    strbuf_addf(sb, "\" width=\"%d\" alt=\"", MAILCHART_WIDTH / 2);
    add_esc(sb, texts_format(t, "mail_html.trend_alt", "points", pts.buf, (char *)NULL));
    strbuf_adds(sb, "\" style=\"display:block;width:100%;max-width:560px;height:auto;border:0;"
                    "border-radius:6px;\"></td></tr>");
    strbuf_release(&pts);
}

/* ---- findings ---- */

/* What a finding is about, in words: "Web", "Logistics", "the company". */
static char *subject_words(const struct texts *t, const struct model *m, const char *subject)
{
    if (!subject || !*subject)
        return xstrdup(texts_get(t, "mail_html.company"));
    struct strbuf sb;
    strbuf_init(&sb);
    char *copy = xstrdup(subject), *save = NULL;
    for (char *pair = strtok_r(copy, ";", &save); pair; pair = strtok_r(NULL, ";", &save)) {
        char *value = strchr(pair, '=');
        if (!value)
            continue;
        *value++ = '\0';
        if (sb.len)
            strbuf_adds(&sb, ", ");
        if (!strcmp(pair, "department") || !strcmp(pair, "topic") || !strcmp(pair, "experiment")) {
            strbuf_adds(&sb, model_label(m, pair, value));
        } else {
            char *l = texts_dim_label(t, m, pair, value);
            strbuf_adds(&sb, l);
            free(l);
        }
    }
    free(copy);
    return strbuf_detach(&sb);
}

static void add_finding(struct strbuf *sb, const struct texts *t, const struct model *m,
                        const struct finding *f)
{
    strbuf_adds(sb, "<tr><td class=\"vr-card\" style=\"padding:10px 14px;background:#ffffff;"
                    "border-left:5px solid #1f5fa8;border-radius:6px;\" data-finding=\"");
    mailhtml_escape(sb, f->dims);
    strbuf_adds(sb, "\"><div class=\"vr-ink\" style=\"font-size:15px;font-weight:bold;"
                    "color:#1d2228;\">");
    char *key = xstrfmt("mail_finding.%s", f->kind);
    mailhtml_escape(sb, texts_get(t, key));
    free(key);
    strbuf_adds(sb, " — ");
    add_esc(sb, subject_words(t, m, f->subject));
    strbuf_adds(sb, "</div><div class=\"vr-muted\" style=\"font-size:13px;color:#5f6b7a;\">");
    bool sep = false;
    if (f->has_money) {
        char *a = findings_about(m, t, f->money);
        strbuf_adds(sb, "<span data-code=\"finding.money\" data-dims=\"");
        mailhtml_escape(sb, f->dims);
        strbuf_adds(sb, "\">");
        add_esc(sb, texts_format(t, "mail_html.finding_money", "amount", a, (char *)NULL));
        strbuf_adds(sb, "</span>");
        free(a);
        sep = true;
    }
    if (f->has_confidence) {
        char *c = fmt_percent(t, f->confidence, 0);
        if (sep)
            strbuf_adds(sb, " · ");
        add_esc(sb, texts_format(t, "mail_html.finding_confidence", "confidence", c, (char *)NULL));
        free(c);
        sep = true;
    }
    if (sep)
        strbuf_adds(sb, " · ");
    if (f->owner)
        add_esc(sb, texts_format(t, "mail_html.owner", "owner",
                                 model_label(m, "department", f->owner), (char *)NULL));
    else
        mailhtml_escape(sb, texts_get(t, "mail_html.owner_executives"));
    strbuf_adds(sb, "</div>");
    if (f->next_step) {
        strbuf_adds(sb, "<div class=\"vr-ink\" style=\"font-size:13px;color:#1d2228;"
                        "margin-top:3px;\">");
        add_esc(sb, texts_format(t, "mail_html.next", "step", texts_get(t, f->next_step),
                                 (char *)NULL));
        strbuf_adds(sb, "</div>");
    }
    strbuf_adds(sb, "</td></tr><tr><td style=\"height:8px;line-height:8px;\">&nbsp;</td></tr>");
}

static void add_findings(struct strbuf *sb, const struct texts *t, const struct model *m)
{
    if (m->n_findings == 0)
        return;
    strbuf_adds(sb, "<tr><td class=\"vr-ink\" style=\"padding:16px 20px 8px;font-size:17px;"
                    "font-weight:bold;color:#1d2228;\">");
    mailhtml_escape(sb, texts_get(t, "mail_html.findings"));
    strbuf_adds(sb, "</td></tr><tr><td style=\"padding:0 20px;\"><table role=\"presentation\" "
                    "width=\"100%\" cellspacing=\"0\" cellpadding=\"0\" style=\"width:100%;\">");
    for (size_t i = 0; i < m->n_findings && i < MAIL_FINDINGS; i++)
        add_finding(sb, t, m, &m->findings[i]);
    strbuf_adds(sb, "</table></td></tr>");
}

/* ---- a department's KPI lines ---- */

/* A table cell of a KPI row, with its rule above it; code and dims mark
 * the figure it shows (NULL: none). */
static void open_cell_rest(struct strbuf *sb, const char *align, const char *style,
                           const char *code, const char *dims)
{
    strbuf_addf(sb, "align=\"%s\" style=\"padding:8px 10px;border-top:1px solid #e3e6ea;%s\"",
                align, style);
    if (code) {
        strbuf_addf(sb, " data-code=\"%s\" data-dims=\"", code);
        mailhtml_escape(sb, dims);
        strbuf_adds(sb, "\"");
    }
    strbuf_adds(sb, ">");
}

static void open_cell(struct strbuf *sb, const char *align, const char *style, const char *code,
                      const char *dims)
{
    strbuf_adds(sb, "<td class=\"vr-line\" ");
    open_cell_rest(sb, align, style, code, dims);
}

static void add_department(struct strbuf *sb, const struct texts *t, const struct model *m,
                           const struct department *d)
{
    strbuf_adds(sb, "<tr><td class=\"vr-ink\" style=\"padding:16px 20px 8px;font-size:17px;"
                    "font-weight:bold;color:#1d2228;\">");
    add_esc(sb, texts_format(t, "mail.department", "department",
                             model_label(m, "department", d->code), (char *)NULL));
    strbuf_adds(sb, "</td></tr><tr><td style=\"padding:0 20px;\">");
    if (d->n_kpis == 0) {
        strbuf_adds(sb, "<p class=\"vr-ink\" style=\"font-size:14px;color:#1d2228;\">");
        mailhtml_escape(sb, texts_get(t, "mail.no_kpis"));
        strbuf_adds(sb, "</p></td></tr>");
        return;
    }
    strbuf_adds(sb, "<table class=\"vr-card\" role=\"presentation\" width=\"100%\" "
                    "cellspacing=\"0\" cellpadding=\"0\" style=\"width:100%;background:#ffffff;"
                    "border-radius:6px;font-size:14px;\">");
    strbuf_adds(sb, "<tr class=\"vr-muted\" style=\"color:#5f6b7a;font-size:12px;\">");
    const char *heads[] = {"mail_html.kpi", "mail_html.actual", "mail_html.target",
                           "mail_html.status"};
    for (size_t i = 0; i < 4; i++) {
        strbuf_addf(sb, "<th align=\"%s\" style=\"padding:8px 10px;font-weight:normal;\">",
                    i == 0   ? "left"
                    : i == 3 ? "left"
                             : "right");
        mailhtml_escape(sb, texts_get(t, heads[i]));
        strbuf_adds(sb, "</th>");
    }
    strbuf_adds(sb, "</tr>");
    for (size_t i = 0; i < d->n_kpis; i++) {
        struct mailtext_kpi k;
        mailtext_kpi_words(t, m, d, i, &k);
        char *dims = xstrfmt("department=%s;kpi=%s", d->code, d->kpis[i].name);
        strbuf_adds(sb, "<tr class=\"vr-ink\" style=\"color:#1d2228;\">");
        open_cell(sb, "left", "", NULL, NULL);
        mailhtml_escape(sb, k.name);
        strbuf_adds(sb, "</td>");
        open_cell(sb, "right", "font-weight:bold;white-space:nowrap;", "dept.kpi.actual", dims);
        mailhtml_escape(sb, k.actual);
        if (k.low_sample) {
            strbuf_adds(sb, "<div class=\"vr-s-amber\" data-mark=\"low_sample\" "
                            "style=\"font-size:11px;font-weight:normal;color:#b7791f;\">");
            add_esc(sb, fmt_n(t, "mail_html.low_sample", k.n));
            strbuf_adds(sb, "</div>");
        }
        strbuf_adds(sb, "</td>");
        open_cell(sb, "right", "white-space:nowrap;", "dept.kpi.target", dims);
        mailhtml_escape(sb, k.op);
        strbuf_adds(sb, " ");
        mailhtml_escape(sb, k.target);
        strbuf_adds(sb, "</td>");
        /* data-status: the flag of dept.kpi.status, for a test to compare */
        strbuf_addf(sb, "<td class=\"vr-line\" data-status=\"%s\" ", k.status);
        /* A status word stays on one line; a reason for a missing figure
         * ("no usable cases rows in the source") wraps, or it would widen
         * the table past a phone's screen. */
        open_cell_rest(sb, "left", k.why ? "" : "white-space:nowrap;", "dept.kpi.status", dims);
        strbuf_addf(sb,
                    "<span style=\"display:inline-block;width:10px;height:10px;"
                    "border-radius:5px;background:%s;\"></span> <span class=\"vr-s-%s\" "
                    "style=\"color:%s;font-weight:%s;\">",
                    status_colour(k.status), k.status, status_colour(k.status),
                    k.why ? "normal" : "bold");
        mailhtml_escape(sb, k.status_text);
        strbuf_adds(sb, "</span></td></tr>");
        free(dims);
        mailtext_kpi_release(&k);
    }
    strbuf_adds(sb, "</table></td></tr>");
}

/* ---- the page ---- */

/* Light colours are inline (what every client shows); a client that knows
 * prefers-color-scheme gets the dark card colours from the classes. */
static const char dark_css[] =
    "<style>:root{color-scheme:light dark;supported-color-schemes:light dark;}"
    "@media (prefers-color-scheme: dark){"
    ".vr-page{background:#15181c !important;}"
    ".vr-tile,.vr-card{background:#23272e !important;}"
    ".vr-ink{color:#e8eaed !important;}"
    ".vr-muted{color:#a9b1bb !important;}"
    ".vr-line{border-color:#3a404a !important;}"
    ".vr-s-green{color:#5fd07f !important;}.vr-s-red{color:#ff7b6e !important;}"
    ".vr-s-amber{color:#f0b44c !important;}.vr-s-grey{color:#a9b1bb !important;}}</style>";

static void add_paragraph(struct strbuf *sb, const char *cls, const char *colour, char *text)
{
    strbuf_addf(sb,
                "<tr><td class=\"%s\" style=\"padding:6px 20px;font-size:14px;line-height:1.45;"
                "color:%s;\">",
                cls, colour);
    add_esc(sb, text);
    strbuf_adds(sb, "</td></tr>");
}

char *mailhtml_body(const struct texts *t, const struct model *m, const struct mail_audiences *a,
                    const char *const *file_names, size_t n_files, const char *chart_cid)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const char *lang = m->locale && !strncmp(m->locale, "zh", 2) ? "zh-CN" : "en";
    strbuf_addf(&sb,
                "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
                "<meta name=\"color-scheme\" content=\"light dark\">\n"
                "<meta name=\"supported-color-schemes\" content=\"light dark\">\n<title>",
                lang);
    add_esc(&sb, mailtext_subject(t, m, a));
    strbuf_addf(&sb, "</title>\n%s</head>\n", dark_css);
    strbuf_adds(&sb, "<body class=\"vr-page\" style=\"margin:0;padding:0;background:#eef1f4;"
                     "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,"
                     "'PingFang SC','Microsoft YaHei','WenQuanYi Zen Hei',sans-serif;\">\n");
    strbuf_adds(&sb, "<table class=\"vr-page\" role=\"presentation\" width=\"100%\" "
                     "cellspacing=\"0\" cellpadding=\"0\" style=\"width:100%;background:#eef1f4;"
                     "\"><tr><td align=\"center\" style=\"padding:12px 0;\">\n"
                     "<table role=\"presentation\" width=\"100%\" cellspacing=\"0\" "
                     "cellpadding=\"0\" style=\"width:100%;max-width:600px;\">\n");
    strbuf_adds(&sb, "<tr><td style=\"padding:14px 20px 4px;\"><div style=\"height:4px;"
                     "background:#1f5fa8;border-radius:2px;\"></div><div class=\"vr-ink\" "
                     "style=\"padding-top:10px;font-size:22px;font-weight:bold;"
                     "color:#1d2228;\">");
    mailhtml_escape(&sb, texts_get(t, "mail_html.title"));
    strbuf_adds(&sb, "</div></td></tr>\n");
    add_paragraph(&sb, "vr-ink", "#1d2228", xstrdup(texts_get(t, "mail.greeting")));
    add_paragraph(&sb, "vr-ink", "#1d2228",
                  texts_format(t, "mail.intro", "job", m->job, "first", m->period_first_day, "last",
                               m->period_last_day, "as_of", m->as_of, (char *)NULL));
    if (a->executive || a->finance) {
        add_tiles(&sb, t, m);
        if (chart_cid)
            add_chart(&sb, t, m, chart_cid);
        add_findings(&sb, t, m);
    }
    if (a->service)
        add_paragraph(&sb, "vr-ink", "#1d2228", xstrdup(texts_get(t, "mail.service")));
    for (size_t i = 0; i < a->n_depts; i++)
        add_department(&sb, t, m, a->depts[i]);
    struct strbuf names;
    strbuf_init(&names);
    for (size_t i = 0; i < n_files; i++)
        strbuf_addf(&names, "%s%s", i ? ", " : "", file_names[i]);
    strbuf_adds(&sb, "<tr><td style=\"height:10px;\"></td></tr>");
    add_paragraph(&sb, "vr-muted", "#5f6b7a",
                  texts_format(t, "mail.attachments", "files", names.buf, (char *)NULL));
    strbuf_release(&names);
    char *id = xstrfmt("%lld", m->run_id);
    add_paragraph(&sb, "vr-muted", "#5f6b7a",
                  texts_format(t, "mail.footer", "run_id", id, (char *)NULL));
    free(id);
    strbuf_adds(&sb, "</table></td></tr></table>\n</body></html>\n");
    return strbuf_detach(&sb);
}
