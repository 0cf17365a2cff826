/* The leak check (leakcheck.h).  Deliberately not sharing code with the
 * slicer: it first lists what the department owns, then walks the slice
 * with its own dims scanner and asks of each row "is every owner it names
 * this department?". */
#include "leakcheck.h"

#include "jobs/base/strbuf.h"

#include <stdlib.h>
#include <string.h>

/* The department's own touchpoints and topics, from the full model's map. */
struct owned {
    const char *dept;
    const char **touchpoints, **topics;
    size_t n_touchpoints, n_topics;
};

static void owned_build(const struct model *full, const char *dept, struct owned *o)
{
    memset(o, 0, sizeof(*o));
    o->dept = dept;
    o->touchpoints = xcalloc(full->n_labels + 1, sizeof(*o->touchpoints));
    o->topics = xcalloc(full->n_labels + 1, sizeof(*o->topics));
    for (size_t i = 0; i < full->n_labels; i++) {
        const struct label *l = &full->labels[i];
        if (strcmp(l->text, dept))
            continue;
        if (!strcmp(l->kind, "owner_touchpoint"))
            o->touchpoints[o->n_touchpoints++] = l->code;
        else if (!strcmp(l->kind, "owner_topic"))
            o->topics[o->n_topics++] = l->code;
    }
}

static void owned_release(struct owned *o)
{
    free(o->touchpoints);
    free(o->topics);
}

static bool listed(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], s))
            return true;
    return false;
}

/* Who the full model says owns a value of this dims key, for the message. */
static const char *owner_in_words(const struct model *full, const char *key, const char *value)
{
    if (!strcmp(key, "department"))
        return value;
    const char *kind = !strcmp(key, "touchpoint") ? "owner_touchpoint" : "owner_topic";
    for (size_t i = 0; i < full->n_labels; i++)
        if (!strcmp(full->labels[i].kind, kind) && !strcmp(full->labels[i].code, value))
            return full->labels[i].text;
    return "no department";
}

/* NULL when every department, touchpoint and topic in dims is the
 * department's and there is at least one; else why not (caller frees). */
static char *dims_problem(const struct model *full, const struct owned *o, const char *dims)
{
    char *copy = xstrdup(dims ? dims : "");
    char *problem = NULL;
    int owners = 0;
    for (char *pair = copy; pair && *pair && !problem;) {
        char *next = strchr(pair, ';');
        if (next)
            *next++ = '\0';
        char *value = strchr(pair, '=');
        if (value) {
            *value++ = '\0';
            bool mine;
            if (!strcmp(pair, "department"))
                mine = !strcmp(value, o->dept);
            else if (!strcmp(pair, "touchpoint"))
                mine = listed(o->touchpoints, o->n_touchpoints, value);
            else if (!strcmp(pair, "topic"))
                mine = listed(o->topics, o->n_topics, value);
            else
                mine = true, owners--; /* kpi=, metric=, period=: not an owner */
            owners++;
            if (!mine)
                problem = xstrfmt("owned by %s", owner_in_words(full, pair, value));
        }
        pair = next;
    }
    if (!problem && owners == 0)
        problem = xstrdup("company-wide");
    free(copy);
    return problem;
}

/* NULL when a KPI's metric as configured (a dept_kpi label's text, e.g.
 * "topic.negative(price)") measures only what the department owns; else
 * why not (caller frees).  A metric without an argument is scoped by the
 * KPI engine to the department's own touchpoints and cases; an argument
 * is a topic for topic.* metrics, and anything else is not attributable. */
static char *definition_problem(const struct model *full, const struct owned *o,
                                const char *written)
{
    const char *open = strchr(written, '(');
    if (!open)
        return NULL;
    char *arg = xstrfmt("%.*s", (int)strcspn(open + 1, ")"), open + 1);
    char *problem = NULL;
    if (strncmp(written, "topic.", 6))
        problem = xstrfmt("a KPI on %s, which cannot be attributed to %s", written, o->dept);
    else if (!listed(o->topics, o->n_topics, arg))
        problem = xstrfmt("a KPI on %s, whose topic %s is owned by %s", written, arg,
                          owner_in_words(full, "topic", arg));
    free(arg);
    return problem;
}

/* For a figure of a department KPI (dims naming kpi=K, already found to be
 * the department's by dims_problem): NULL when the KPI's definition in the
 * full model is the department's own; else why not (caller frees).  The
 * dims say only department=D, so the topic a KPI measures is visible only
 * in its definition. */
static char *kpi_problem(const struct model *full, const struct owned *o, const char *dims)
{
    char kpi[256], d[256], k[256];
    if (!dim_value(dims, "kpi", kpi, sizeof(kpi)))
        return NULL;
    for (size_t i = 0; i < full->n_labels; i++) {
        const struct label *l = &full->labels[i];
        if (!strcmp(l->kind, "dept_kpi") && dim_value(l->code, "department", d, sizeof(d)) &&
            !strcmp(d, o->dept) && dim_value(l->code, "kpi", k, sizeof(k)) && !strcmp(k, kpi))
            return definition_problem(full, o, l->text);
    }
    return xstrfmt("a KPI of %s with no definition in the run, so what it measures is unknown",
                   o->dept);
}

/* dims_problem, then for a department KPI's figure its definition. */
static char *figure_problem(const struct model *full, const struct owned *o, const char *dims)
{
    char *problem = dims_problem(full, o, dims);
    return problem ? problem : kpi_problem(full, o, dims ? dims : "");
}

static bool label_is_mine(const struct owned *o, const struct label *l)
{
    if (!strcmp(l->kind, "department"))
        return !strcmp(l->code, o->dept);
    if (!strcmp(l->kind, "owner_touchpoint") || !strcmp(l->kind, "owner_topic"))
        return !strcmp(l->text, o->dept);
    if (!strcmp(l->kind, "topic"))
        return listed(o->topics, o->n_topics, l->code);
    if (!strcmp(l->kind, "touchpoint"))
        return listed(o->touchpoints, o->n_touchpoints, l->code);
    if (!strcmp(l->kind, "channel") || !strcmp(l->kind, "segment"))
        return true; /* names of company-wide codes, no figure of anyone's */
    if (!strcmp(l->kind, "dept_kpi") || !strcmp(l->kind, "kpi_name")) {
        /* code = "department=D;kpi=K": D is what follows the key, up to ';'. */
        const char *d = strstr(l->code, "department=");
        if (!d || (d != l->code && d[-1] != ';'))
            return false;
        d += strlen("department=");
        size_t n = strcspn(d, ";");
        return n == strlen(o->dept) && !memcmp(d, o->dept, n);
    }
    return false;
}

char *leak_check(const struct model *full, const struct model *slice, const char *what)
{
    const char *dept = slice->department;
    if (!dept || !*dept)
        return xstrfmt("%s is not a department's pack (no department set)", what);
    struct owned o;
    owned_build(full, dept, &o);
    char *out = NULL, *why = NULL;

    for (size_t i = 0; i < slice->n_kpis && !out; i++) {
        const struct kpi *k = &slice->kpis[i];
        if ((why = figure_problem(full, &o, k->dims)))
            out = xstrfmt("%s would show %s%s%s, %s", what, k->code, *k->dims ? " " : "", k->dims,
                          why);
    }
    for (size_t i = 0; i < slice->n_trend && !out; i++) {
        const struct trend_point *t = &slice->trend[i];
        if ((why = figure_problem(full, &o, t->dims)))
            out = xstrfmt("%s would show a trend point of %s%s%s (as of %s), %s", what, t->code,
                          *t->dims ? " " : "", t->dims, t->as_of, why);
    }
    for (size_t i = 0; i < slice->n_verbatims && !out; i++) {
        const struct verbatim *v = &slice->verbatims[i];
        if (!v->topic)
            out = xstrfmt("%s would show a verbatim on no topic (not attributable to %s)", what,
                          dept);
        else if (!listed(o.topics, o.n_topics, v->topic))
            out = xstrfmt("%s would show a verbatim on topic=%s, owned by %s", what, v->topic,
                          owner_in_words(full, "topic", v->topic));
    }
    for (size_t i = 0; i < slice->n_labels && !out; i++) {
        const struct label *l = &slice->labels[i];
        if (!label_is_mine(&o, l))
            out = xstrfmt("%s would show the %s label of %s (\"%s\"), not %s's", what, l->kind,
                          l->code, l->text, dept);
        else if (!strcmp(l->kind, "dept_kpi") && (why = definition_problem(full, &o, l->text)))
            out = xstrfmt("%s would show the dept_kpi label of %s, %s", what, l->code, why);
    }
    if (!out && (slice->n_rejections || slice->n_sources || slice->n_recon || slice->n_notes ||
                 slice->n_open_experiments || slice->calllist))
        out =
            xstrfmt("%s would show company-wide data checks, reconciliation or experiments", what);
    free(why);
    owned_release(&o);
    return out;
}

/* ---- the words of a mail ---- */

/* text with the character references an HTML writer uses decoded; tags
 * stay, so an attribute that names a code is read too. */
static char *decoded(const char *text)
{
    static const struct {
        const char *ref, *ch;
    } refs[] = {{"&amp;", "&"}, {"&lt;", "<"},  {"&gt;", ">"},
                {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", " "}};
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *c = text; *c;) {
        size_t k = 0;
        while (k < sizeof(refs) / sizeof(refs[0]) && strncmp(c, refs[k].ref, strlen(refs[k].ref)))
            k++;
        if (k < sizeof(refs) / sizeof(refs[0])) {
            strbuf_adds(&sb, refs[k].ch);
            c += strlen(refs[k].ref);
        } else {
            strbuf_add(&sb, c++, 1);
        }
    }
    return strbuf_detach(&sb);
}

static bool code_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(text, word); n && p; p = strstr(p + 1, word))
        if ((p == text || !code_char(p[-1])) && !code_char(p[n]))
            return true;
    return false;
}

static bool mine_of(const char *const *depts, size_t n, const char *dept)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(depts[i], dept))
            return true;
    return false;
}

/* The names the recipient's own departments show: a foreign name inside
 * one of them ("Delivery" in "Late delivery fees") is not a leak. */
static bool inside_own_name(const struct model *full, const char *const *depts, size_t n,
                            const char *name)
{
    for (size_t i = 0; i < full->n_labels; i++) {
        const struct label *l = &full->labels[i];
        const char *owner = NULL, *shown = NULL;
        if (!strcmp(l->kind, "department")) {
            owner = l->code;
            shown = l->text;
        } else if (!strcmp(l->kind, "owner_touchpoint") || !strcmp(l->kind, "owner_topic")) {
            owner = l->text;
            shown = model_find_label(full, l->kind + 6, l->code);
        }
        if (owner && shown && mine_of(depts, n, owner) && strstr(shown, name))
            return true;
    }
    return false;
}

char *leak_check_text(const struct model *full, const char *const *depts, size_t n_depts,
                      const char *text, const char *what)
{
    char *plain = decoded(text ? text : "");
    char *out = NULL;
    for (size_t i = 0; i < full->n_labels && !out; i++) {
        const struct label *l = &full->labels[i];
        const char *owner, *kind, *name;
        if (!strcmp(l->kind, "department")) {
            owner = l->code;
            kind = "the department";
            name = l->text;
        } else if (!strcmp(l->kind, "owner_touchpoint") || !strcmp(l->kind, "owner_topic")) {
            owner = l->text;
            kind = l->kind + 6; /* "touchpoint", "topic" */
            name = model_find_label(full, kind, l->code);
        } else {
            continue;
        }
        if (mine_of(depts, n_depts, owner))
            continue;
        if (has_word(plain, l->code))
            out = !strcmp(kind, "the department")
                      ? xstrfmt("%s would name the department %s", what, l->code)
                      : xstrfmt("%s would name %s %s, %s's", what, kind, l->code, owner);
        else if (name && *name && strstr(plain, name) &&
                 !inside_own_name(full, depts, n_depts, name))
            out = !strcmp(kind, "the department")
                      ? xstrfmt("%s would name \"%s\", the department %s", what, name, owner)
                      : xstrfmt("%s would name \"%s\", %s %s of %s", what, name, kind, l->code,
                                owner);
    }
    free(plain);
    return out;
}
