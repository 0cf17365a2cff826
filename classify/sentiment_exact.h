/* An exact fit of a weighted, L2-regularised logistic regression over
 * hashed feature rows, by full-batch L-BFGS (classify/sentiment_exact.c).
 * The trainer uses it instead of AdaGrad when a fit asks for
 * SENTIMENT_SOLVER_LBFGS (an option, off in the shipped recipe:
 * docs/benchmark.md, issue 11's twelfth round).
 *
 * The objective, over the rows in use with weight above 0 and at least one
 * feature:
 *
 *   F(w, b) = Σ_d weight_d·ℓ(z_d, y_d) / Σ_d weight_d  +  ½·λ·Σ_k w_k²
 *   z_d     = b[group_d] + v_d·Σ_j s_j·r[k_j]·w[k_j],   ℓ(z, y) = log(1 + e^z) − y·z
 *
 * with v_d sentiment_feature_value of the row, s_j −1 for a flipped
 * feature (unless flips are ignored) times ½ for a half one, and the
 * intercepts b (one per language, when asked for) not penalised.  The loss
 * is a weighted mean, so λ means the same whatever the number of rows: a
 * solver of C·Σ weight·ℓ + ½‖w‖² (liblinear, scikit-learn) with C has
 * λ = 1 / (C·Σ weight).
 *
 * The optimum does not depend on the order of the rows, and the fit draws
 * no random numbers: the same rows give the same weights, up to rounding.
 * Memory: (6 + 2·history) vectors of doubles of the number of buckets. */
#ifndef VR_SENTIMENT_EXACT_H
#define VR_SENTIMENT_EXACT_H

#include "sentiment_features.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sentiment_exact_problem {
    size_t rows, buckets;
    const size_t *off;          /* row d: feat[off[d] .. off[d + 1]) */
    const uint32_t *feat;       /* feature ids, flags as sentiment_features.h */
    unsigned flags;             /* the model's SENTIMENT_FLAG_*: v_d */
    bool ignore_minus;          /* a flipped feature counts +1 (the opinion model) */
    const float *r;             /* each bucket's scale (NB ratio); NULL: 1 */
    const unsigned char *use;   /* rows in the fit; NULL: all */
    const float *weight;        /* each row's; 0: not in the fit */
    const double *target;       /* y_d, 0 to 1 */
    const unsigned char *group; /* each row's intercept, < SENTIMENT_N_LANG */
    bool intercept;             /* without, b stays 0 */
    double lambda;              /* λ, 0 or more */
};

struct sentiment_exact_opts {
    int max_iter; /* iterations at most */
    int history;  /* L-BFGS pairs kept */
    double gtol;  /* stop when ‖∇F‖ ≤ gtol·‖∇F at the start‖ */
    double ftol;  /* ... or when an iteration lowers F by ≤ ftol·max(1, |F|) */
};

struct sentiment_exact_result {
    int iterations, evaluations;
    double objective, grad_norm, grad_norm0;
};

/* The defaults: 1000 iterations, history 7, gtol 1e-5, ftol 1e-12. */
void sentiment_exact_defaults(struct sentiment_exact_opts *o);

/* Minimises F from w = 0, b = 0; w has p->buckets entries, b
 * SENTIMENT_N_LANG.  res may be NULL. */
void sentiment_exact_fit(const struct sentiment_exact_problem *p,
                         const struct sentiment_exact_opts *o, double *w,
                         double b[SENTIMENT_N_LANG], struct sentiment_exact_result *res);

#endif
