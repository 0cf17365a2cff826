/* Department figures for render_sample's hand-built model. */
#ifndef VR_SAMPLE_DEPTS_H
#define VR_SAMPLE_DEPTS_H

#include "jobs/model/model.h"

void sample_departments(struct model *m, const char *locale);
void sample_more_kpis(struct model *m);

#endif
