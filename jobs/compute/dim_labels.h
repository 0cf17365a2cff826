/* What the reports call a company's own codes: the names the config gives
 * touchpoints, channels and segments ([touchpoint.CODE] name, name.zh_CN,
 * ...), in the job's locale, as labels of the model (kinds "touchpoint",
 * "channel", "segment").  Renderers read them through texts_dim_label; a
 * code the config does not name keeps the template's name, else its own. */
#ifndef VR_DIM_LABELS_H
#define VR_DIM_LABELS_H

#include "jobs/config/config.h"
#include "jobs/model/model.h"

void dim_labels_add(const struct config *c, const char *locale, struct model *m);

#endif
