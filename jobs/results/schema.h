/* The results schema (outputs.md): created and migrated by init-db, checked
 * by every run.  Migrations are a list applied in order, each once. */
#ifndef VR_SCHEMA_H
#define VR_SCHEMA_H

#include "jobs/base/db.h"

/* Creates or migrates the schema named (unquoted) schema; safe to repeat. */
enum vr_status schema_migrate(struct db *db, const char *schema, int *from_version,
                              int *to_version, struct vr_error *err);
/* VR_ERR_DB with a hint to run init-db when the schema is missing or old. */
enum vr_status schema_check(struct db *db, const char *schema, struct vr_error *err);

#endif
