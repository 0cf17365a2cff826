/* An exact fit of a weighted, L2-regularised logistic regression by
 * L-BFGS (Nocedal & Wright, "Numerical Optimization", algorithm 7.4 and
 * 7.5) with a backtracking line search: the objective is smooth and
 * convex, so every accepted step keeps s·y ≥ 0 and the Armijo condition
 * alone suffices; a pair with s·y too small to trust is not kept. */
#include "sentiment_exact.h"
#include "sentiment_model.h"

#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sentiment_exact_defaults(struct sentiment_exact_opts *o)
{
    *o = (struct sentiment_exact_opts){.max_iter = 1000, .history = 7, .gtol = 1e-5, .ftol = 1e-12};
}

static bool in_fit(const struct sentiment_exact_problem *p, size_t d)
{
    return (!p->use || p->use[d]) && p->weight[d] > 0 && p->off[d + 1] > p->off[d];
}

/* log(1 + e^z) − y·z and its derivative σ(z) − y, without overflow. */
static double logistic(double z, double y, double *dz)
{
    double e = exp(-fabs(z));
    *dz = (z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e)) - y;
    return (z > 0 ? z : 0) + log1p(e) - y * z;
}

struct exact_state {
    const struct sentiment_exact_problem *p;
    size_t n;       /* buckets, then the intercepts */
    double total;   /* Σ weight over the rows in the fit */
    double *scaled; /* w·r of the point being evaluated */
};

/* F at x (weights, then intercepts), and its gradient in g. */
static double evaluate(struct exact_state *s, const double *x, double *g)
{
    const struct sentiment_exact_problem *p = s->p;
    size_t K = p->buckets;
    for (size_t k = 0; k < K; k++)
        s->scaled[k] = x[k] * (p->r ? p->r[k] : 1.0f);
    memset(g, 0, s->n * sizeof(double));
    double loss = 0;
    for (size_t d = 0; d < p->rows; d++) {
        if (!in_fit(p, d))
            continue;
        const uint32_t *f = p->feat + p->off[d];
        size_t m = p->off[d + 1] - p->off[d];
        double v = sentiment_feature_value(p->flags, m), z = 0;
        for (size_t j = 0; j < m; j++)
            z += s->scaled[f[j] & ~SENTIMENT_ID_FLAGS] *
                 sentiment_feature_sign(f[j], p->ignore_minus);
        z = (p->intercept ? x[K + p->group[d]] : 0) + v * z;
        double dz;
        loss += p->weight[d] * logistic(z, p->target[d], &dz);
        double c = p->weight[d] * dz / s->total;
        for (size_t j = 0; j < m; j++)
            g[f[j] & ~SENTIMENT_ID_FLAGS] += c * v * sentiment_feature_sign(f[j], p->ignore_minus);
        if (p->intercept)
            g[K + p->group[d]] += c;
    }
    double norm2 = 0;
    for (size_t k = 0; k < K; k++) {
        g[k] = g[k] * (p->r ? p->r[k] : 1.0f) + p->lambda * x[k];
        norm2 += x[k] * x[k];
    }
    return loss / s->total + 0.5 * p->lambda * norm2;
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t k = 0; k < n; k++)
        s += a[k] * b[k];
    return s;
}

/* d = −H·g, H the L-BFGS inverse Hessian of the kept pairs, newest at
 * (newest % m) (the two-loop recursion). */
static void direction(const double *g, double *d, size_t n, double **sv, double **yv,
                      const double *rho, double *alpha, int kept, int newest, int m)
{
    for (size_t k = 0; k < n; k++)
        d[k] = -g[k];
    for (int i = 0; i < kept; i++) {
        int j = ((newest - i) % m + m) % m;
        alpha[j] = rho[j] * dot(sv[j], d, n);
        for (size_t k = 0; k < n; k++)
            d[k] -= alpha[j] * yv[j][k];
    }
    if (kept > 0) {
        int j = ((newest % m) + m) % m;
        double gamma = 1.0 / (rho[j] * dot(yv[j], yv[j], n));
        for (size_t k = 0; k < n; k++)
            d[k] *= gamma;
    }
    for (int i = kept - 1; i >= 0; i--) {
        int j = ((newest - i) % m + m) % m;
        double beta = rho[j] * dot(yv[j], d, n);
        for (size_t k = 0; k < n; k++)
            d[k] += (alpha[j] - beta) * sv[j][k];
    }
}

void sentiment_exact_fit(const struct sentiment_exact_problem *p,
                         const struct sentiment_exact_opts *o, double *w,
                         double b[SENTIMENT_N_LANG], struct sentiment_exact_result *res)
{
    struct exact_state s = {p, p->buckets + SENTIMENT_N_LANG, 0, NULL};
    for (size_t d = 0; d < p->rows; d++)
        if (in_fit(p, d))
            s.total += p->weight[d];
    int m = o->history > 0 ? o->history : 1;
    size_t n = s.n;
    s.scaled = xmalloc((p->buckets ? p->buckets : 1) * sizeof(double));
    double *x = xcalloc(n, sizeof(double)), *g = xmalloc(n * sizeof(double));
    double *xn = xmalloc(n * sizeof(double)), *gn = xmalloc(n * sizeof(double));
    double *d = xmalloc(n * sizeof(double));
    double **sv = xmalloc((size_t)m * sizeof(double *)),
           **yv = xmalloc((size_t)m * sizeof(double *));
    for (int i = 0; i < m; i++) {
        sv[i] = xmalloc(n * sizeof(double));
        yv[i] = xmalloc(n * sizeof(double));
    }
    double *rho = xmalloc((size_t)m * sizeof(double)), *alpha = xmalloc((size_t)m * sizeof(double));
    struct sentiment_exact_result r = {0};
    if (s.total > 0) {
        double f = evaluate(&s, x, g);
        r.evaluations = 1;
        r.grad_norm0 = r.grad_norm = sqrt(dot(g, g, n));
        int kept = 0, newest = -1;
        while (r.iterations < o->max_iter && r.grad_norm > o->gtol * r.grad_norm0) {
            direction(g, d, n, sv, yv, rho, alpha, kept, newest, m);
            double gd = dot(g, d, n);
            if (!(gd < 0)) { /* not a descent direction: start the history again */
                kept = 0;
                for (size_t k = 0; k < n; k++)
                    d[k] = -g[k];
                gd = -r.grad_norm * r.grad_norm;
            }
            /* without curvature known yet, a first step of length 1 */
            double t = kept ? 1.0 : 1.0 / sqrt(dot(d, d, n)), fn = f;
            bool accepted = false;
            for (int tries = 0; tries < 60; tries++) {
                for (size_t k = 0; k < n; k++)
                    xn[k] = x[k] + t * d[k];
                fn = evaluate(&s, xn, gn);
                r.evaluations++;
                if (fn <= f + 1e-4 * t * gd) {
                    accepted = true;
                    break;
                }
                /* the minimum of the quadratic through f, f' and fn, kept in [t/10, t/2] */
                double q = -gd * t * t / (2 * (fn - f - t * gd));
                t = q < 0.1 * t ? 0.1 * t : q > 0.5 * t ? 0.5 * t : q;
            }
            if (!accepted) /* no lower point along d at this precision */
                break;
            r.iterations++;
            int j = (newest + 1) % m;
            for (size_t k = 0; k < n; k++) {
                sv[j][k] = xn[k] - x[k];
                yv[j][k] = gn[k] - g[k];
            }
            double sy = dot(sv[j], yv[j], n);
            if (sy > 1e-12 * sqrt(dot(sv[j], sv[j], n) * dot(yv[j], yv[j], n))) {
                rho[j] = 1.0 / sy;
                newest = j;
                kept = kept < m ? kept + 1 : m;
            } else if (kept == m) {
                kept--; /* its slot held the oldest pair */
            }
            double *tmp = x;
            x = xn;
            xn = tmp;
            tmp = g;
            g = gn;
            gn = tmp;
            double drop = f - fn;
            f = fn;
            r.grad_norm = sqrt(dot(g, g, n));
            if (drop <= o->ftol * (fabs(f) > 1 ? fabs(f) : 1))
                break;
        }
        r.objective = f;
    }
    memcpy(w, x, p->buckets * sizeof(double));
    for (int l = 0; l < SENTIMENT_N_LANG; l++)
        b[l] = p->intercept ? x[p->buckets + l] : 0;
    if (res)
        *res = r;
    for (int i = 0; i < m; i++) {
        free(sv[i]);
        free(yv[i]);
    }
    free(sv);
    free(yv);
    free(rho);
    free(alpha);
    free(d);
    free(gn);
    free(xn);
    free(g);
    free(x);
    free(s.scaled);
}
