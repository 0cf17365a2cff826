/* The one traffic light (status.h). */
#include "status.h"

#include "jobs/config/config.h"

#include <stdlib.h>
#include <string.h>

#define NPS_GREEN_DEFAULT 30.0
#define NPS_AMBER_DEFAULT 0.0

static enum light from_word(const char *w, size_t n)
{
    static const struct {
        const char *word;
        enum light light;
    } words[] = {{"green", LIGHT_GREEN}, {"amber", LIGHT_AMBER}, {"red", LIGHT_RED}};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i].word) == n && !strncmp(w, words[i].word, n))
            return words[i].light;
    return LIGHT_GREY;
}

enum light status_light(const struct kpi *status)
{
    if (!status || !status->flag)
        return LIGHT_GREY;
    return from_word(status->flag, strcspn(status->flag, ","));
}

const char *light_word(enum light l)
{
    return l == LIGHT_GREEN   ? "green"
           : l == LIGHT_AMBER ? "amber"
           : l == LIGHT_RED   ? "red"
                              : "grey";
}

static double band(const struct model *m, const char *name, double def)
{
    const char *v = model_param(m, name);
    char *end = NULL;
    double d = v ? strtod(v, &end) : def;
    return v && (end == v || *end) ? def : d;
}

enum light nps_band_light(const struct model *m, const struct kpi *nps)
{
    double green = band(m, "nps_green", NPS_GREEN_DEFAULT),
           amber = band(m, "nps_amber", NPS_AMBER_DEFAULT);
    /* The bands as a target: green from nps_green, amber down to nps_amber. */
    struct target t = {.metric = (char *)"nps", .value = green, .amber = green - amber};
    const char *w = target_status(&t, nps && nps->has_value, nps ? nps->value : 0.0);
    return from_word(w, strlen(w));
}

enum light nps_light(const struct model *m, const struct kpi *nps)
{
    char tp[128];
    const struct kpi *tv = model_find(m, "journey.target", "metric=nps"),
                     *ta = model_find(m, "journey.amber", "metric=nps");
    if (!nps || !dim_value(nps->dims, "touchpoint", tp, sizeof(tp)) || !tv || !tv->has_value)
        return nps_band_light(m, nps);
    /* The journey's target, as kpi_journey stored it for journey.status. */
    struct target t = {.metric = (char *)"nps",
                       .lower_is_better = kpi_flagged(tv, "lower_is_better"),
                       .value = tv->value,
                       .amber = ta && ta->has_value ? ta->value : 0.0};
    const char *w = target_status(&t, nps->has_value, nps->value);
    return from_word(w, strlen(w));
}
