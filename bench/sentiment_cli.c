/* A thin command line over classify/sentiment.c for bench/accuracy.sh (the
 * same calls become vocreport train-sentiment / classify):
 *
 *   sentiment_cli train OUT IN.csv...   train, write the model to OUT
 *   sentiment_cli score MODEL           one text per line on stdin, one
 *                                       score (-1..1) per line on stdout
 *   sentiment_cli info MODEL            version and what it was trained on */
#include "classify/sentiment.h"
#include "classify/sentiment_features.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const struct vr_error *err)
{
    fprintf(stderr, "sentiment_cli: %s\n", err->msg);
    return vr_exit_status(err->status);
}

static void print_info(const struct sentiment_model *m)
{
    struct sentiment_model_info info;
    sentiment_get_info(m, &info);
    printf("model %s: trained on %zu rows (%zu positive, %zu negative, %zu neutral), %zu empty "
           "rows skipped, neutral band %.2f zh, %.2f en, %.2f other, opinion threshold %.2f zh, "
           "%.2f en, %.2f other\n",
           sentiment_version(m), info.rows, info.positive, info.negative, info.neutral,
           info.skipped_empty, info.band[0], info.band[1], info.band[2], info.opinion_threshold[0],
           info.opinion_threshold[1], info.opinion_threshold[2]);
}

int main(int argc, char **argv)
{
    struct vr_error err = {0};
    struct sentiment_model *m = NULL;
    if (argc >= 4 && strcmp(argv[1], "train") == 0) {
        if (sentiment_train((const char *const *)argv + 3, (size_t)argc - 3, argv[2], &err) != VR_OK ||
            sentiment_load(&m, argv[2], &err) != VR_OK)
            return fail(&err);
        print_info(m);
        sentiment_free(m);
        return 0;
    }
    if (argc == 3 && (strcmp(argv[1], "score") == 0 || strcmp(argv[1], "info") == 0)) {
        if (sentiment_load(&m, argv[2], &err) != VR_OK)
            return fail(&err);
        if (strcmp(argv[1], "info") == 0) {
            print_info(m);
            sentiment_free(m);
            return 0;
        }
        static char out[1 << 16];
        setvbuf(stdout, out, _IOFBF, sizeof(out));
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, stdin)) >= 0) {
            size_t len = (size_t)n;
            while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                len--;
            printf("%.4f\n", sentiment_score(m, line, len));
        }
        free(line);
        sentiment_free(m);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    fputs("usage: sentiment_cli train OUT IN.csv... | score MODEL < lines | info MODEL\n", stderr);
    return 2;
}
