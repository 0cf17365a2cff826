/* Sentiment of a customer's text, Chinese or English: a linear model over
 * hashed features (words and word pairs for English, characters and
 * character pairs for Chinese), with negation marking so that "not good"
 * and "不好" are not read as praise.  Trainable on a company's own labelled
 * feedback (vocreport train-sentiment). */
#ifndef VR_SENTIMENT_H
#define VR_SENTIMENT_H

#include "jobs/base/error.h"

#include <stddef.h>
#include <stdint.h>

struct sentiment_model;

enum vr_status sentiment_load(struct sentiment_model **out, const char *path,
                              struct vr_error *err);
void sentiment_free(struct sentiment_model *m);
/* -1 (negative) .. 1 (positive), 0 neutral: 2 × P(positive) − 1, with the
 * model's neutral band of the text's language (where it is sure of neither
 * side) mapped onto -0.05 .. 0.05, what the reports count as neutral; a
 * text that the opinion model reads as stating no opinion lands within
 * -0.05 .. 0.05 too (sentiment_model.h). */
double sentiment_score(const struct sentiment_model *m, const char *text, size_t len);
/* Identifies the model in feedback tags, e.g. the first 12 hex digits of
 * the model file's sha256. */
const char *sentiment_version(const struct sentiment_model *m);

/* Trains on one or more CSV files (header row; a column "label" holding 1
 * for positive, 0 for negative and 0.5 for neutral, a column "text" or
 * "review", and optionally a column "weight": how many rows a row counts
 * as) and writes the model.  Errors name "file:line". Deterministic. */
enum vr_status sentiment_train(const char *const *inputs, size_t n_inputs, const char *output,
                               struct vr_error *err);

/* sentiment_train with the shuffles given, exposed for tests: each fit of
 * each model (the final ones and those that choose the opinion threshold
 * and band on held-out rows) is made shuffles times (1 to
 * SENTIMENT_MAX_SHUFFLES), the k-th (from 0) visiting the rows in the
 * order drawn from seed + k × SENTIMENT_SHUFFLE_STEP (mod 2^64), and its
 * weights and intercepts are the mean of theirs.  sentiment_train is this
 * with the shipped recipe's shuffles and seed. */
#define SENTIMENT_MAX_SHUFFLES 16
#define SENTIMENT_SHUFFLE_STEP 0x9E3779B97F4A7C15ull
enum vr_status sentiment_train_shuffled(const char *const *inputs, size_t n_inputs,
                                        const char *output, int shuffles, uint64_t seed,
                                        struct vr_error *err);

/* How each model is fitted, exposed for tests and bench/tune.sh;
 * sentiment_fit_recipe gives the shipped recipe's.  The loss is that of
 * the margin z against the row's target (a neutral row's one half counts
 * as half a positive and half a negative row); scoring reads every model
 * as sigmoid(z), whatever it was fitted with. */
enum sentiment_loss {
    SENTIMENT_LOSS_LOGISTIC,       /* log(1 + e^-yz) */
    SENTIMENT_LOSS_SQUARED_HINGE,  /* max(0, 1 - yz)^2 (NBSVM's L2-SVM) */
    SENTIMENT_LOSS_MODIFIED_HUBER, /* the squared hinge, but linear, -4yz, below yz = -1 */
    SENTIMENT_N_LOSSES
};
/* How a model's weights are found: AdaGrad, as the recipe, or the exact
 * optimum of the weighted mean logistic loss plus ½·λ·‖w‖² by L-BFGS
 * (classify/sentiment_exact.h; logistic loss only; it draws no random
 * numbers, so shuffles and seed do not change it, and epochs and average
 * do not apply). */
enum sentiment_solver { SENTIMENT_SOLVER_ADAGRAD, SENTIMENT_SOLVER_LBFGS, SENTIMENT_N_SOLVERS };
struct sentiment_fit {
    int shuffles;  /* as sentiment_train_shuffled */
    uint64_t seed; /* as sentiment_train_shuffled */
    int epochs;    /* 1 to SENTIMENT_MAX_EPOCHS */
    int average;   /* 0, or the weights and intercepts are the mean of their values at
                    * the end of each of the last `average` epochs (at most epochs) */
    enum sentiment_loss loss, opinion_loss; /* of the polarity and the opinion model */
    double nb_beta; /* NBSVM's interpolation (0 to 1; 1: none): the polarity weights
                     * before the log-count ratios, w' = (1 - beta)·mean|w| + beta·w,
                     * the mean over the buckets the fit moved */
    enum sentiment_solver solver, opinion_solver; /* of the polarity and the opinion model */
    double lambda, opinion_lambda;                /* their λ (0 or more) when fitted exactly */
};
#define SENTIMENT_MAX_EPOCHS 100
void sentiment_fit_recipe(struct sentiment_fit *fit);
/* d/dz of the loss at margin z for a target p (0 to 1): what a fit steps on. */
double sentiment_loss_gradient(enum sentiment_loss loss, double z, double p);
enum vr_status sentiment_train_fitted(const char *const *inputs, size_t n_inputs,
                                      const char *output, const struct sentiment_fit *how,
                                      struct vr_error *err);

/* The reader train-sentiment uses, exposed for the fuzzer and tests: reads
 * one training CSV as sentiment_train describes it (RFC 4180 quoting, an
 * optional UTF-8 BOM, blank lines skipped) and calls row once per row with
 * a non-blank text, in file order; text is len bytes and may hold NULs.
 * label is one of the SENTIMENT_LABEL_ values; weight is the row's
 * optional "weight" column (digits with up to 6 decimals, above 0 and at
 * most SENTIMENT_MAX_WEIGHT; blank or no column: 1).  Rows whose
 * text is blank are counted in *skipped_empty instead (after their label
 * and weight are checked).  Errors are VR_ERR_CONFIG naming "file:line"
 * (or the file). */
enum { SENTIMENT_LABEL_NEGATIVE = 0, SENTIMENT_LABEL_POSITIVE = 1, SENTIMENT_LABEL_NEUTRAL = 2 };
#define SENTIMENT_MAX_WEIGHT 1000
typedef void sentiment_row_fn(void *ctx, int label, double weight, const char *text, size_t len);
enum vr_status sentiment_read_training(const char *path, sentiment_row_fn *row, void *ctx,
                                       size_t *skipped_empty, struct vr_error *err);

/* How training chooses a language's opinion threshold and neutral band
 * (row = threshold step, col = band step) from score, a rows x cols grid
 * of how well each pair classifies held-out rows (row-major): each cell
 * counts as the mean of the cells within radius steps each way (row 0,
 * no opinion model, apart from the others), and of the cells within
 * tolerance of the best so counted, the one nearest their centre is
 * chosen (the first in row-major order on a tie).  The score is flat
 * over a wide range of pairs; a lone peak or the edge of the plateau is
 * where a few held-out rows put the best, and moves with them. */
void sentiment_smoothed_best(const double *score, int rows, int cols, int radius,
                             double tolerance, int *row, int *col);

/* The same number for two texts that differ only in case, spaces,
 * punctuation and full- or half-width forms ("Great service!" and "great
 * service"; "服务很好！" and "服务很好"), so that training can keep such
 * copies on one side of a cross-validation cut. */
uint64_t sentiment_text_key(const char *text, size_t len);

/* What a model was trained on (stored in the model file). */
struct sentiment_model_info {
    size_t rows;          /* rows trained on */
    size_t positive;      /* of which label 1 */
    size_t negative;      /* of which label 0 */
    size_t neutral;       /* of which label 0.5 */
    size_t skipped_empty; /* rows skipped because their text was empty */
    double band[3];       /* the neutral band t of Chinese, English and other texts
                           * (symbols only), chosen on the training rows */
    double opinion_threshold[3]; /* below which P(opinion) a text of that language
                                  * is neutral; 0: none, chosen likewise */
};
void sentiment_get_info(const struct sentiment_model *m, struct sentiment_model_info *out);

#endif
