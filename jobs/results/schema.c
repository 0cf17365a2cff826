#include "schema.h"

#include "jobs/base/sql_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Applied in this order, each once; append only: a released migration is
 * never edited, a change is a new file. */
static const char *const migrations[] = {
    "results/migrate_001_tables.sql",
    "results/migrate_002_feedback_tags.sql",
    "results/migrate_003_schedules_delivery.sql",
    "results/migrate_004_mail_states.sql",
    "results/migrate_005_tag_check.sql",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* -1 when the schema has never been initialised. */
static enum vr_status current_version(struct db *db, const char *schema, int *version,
                                      struct vr_error *err)
{
    PGresult *r = db_query_file(db, "could not read the results schema version",
                                "results/schema_exists.sql", SQL_ARGS({"schema", schema}), err);
    if (!r)
        return err->status;
    bool exists = !strcmp(db_get_text(r, 0, "initialised"), "t");
    PQclear(r);
    *version = -1;
    if (!exists)
        return VR_OK;
    r = db_query_file(db, "could not read the results schema version", "results/schema_version.sql",
                      SQL_NO_ARGS, err);
    if (!r)
        return err->status;
    *version = (int)db_get_ll(r, 0, "version");
    PQclear(r);
    return VR_OK;
}

enum vr_status schema_migrate(struct db *db, const char *schema, int *from_version, int *to_version,
                              struct vr_error *err)
{
    /* One transaction: a migration and its schema_version row commit
     * together, under the lock migrate_start.sql takes. */
    if (db_script(db, "could not start the migration", "BEGIN", err) != VR_OK ||
        db_script_file(db, "could not start the migration", "results/migrate_start.sql",
                       SQL_NO_ARGS, err) != VR_OK)
        goto fail;
    int v = -1;
    if (current_version(db, schema, &v, err) != VR_OK)
        goto fail;
    *from_version = v < 0 ? 0 : v;
    if (v > N_MIGRATIONS) {
        vr_fail(err, VR_ERR_DB,
                "results schema is at version %d, newer than this program (%d): upgrade "
                "vocreport",
                v, N_MIGRATIONS);
        goto fail;
    }
    for (int i = v; i < N_MIGRATIONS; i++) {
        char what[64];
        snprintf(what, sizeof(what), "could not apply migration %d", i + 1);
        if (db_script_file(db, what, migrations[i], SQL_NO_ARGS, err) != VR_OK)
            goto fail;
        char num[16];
        snprintf(num, sizeof(num), "%d", i + 1);
        if (db_exec_file(db, what, "results/schema_version_add.sql", SQL_ARGS({"version", num}),
                         err) != VR_OK)
            goto fail;
    }
    if (db_script(db, "could not commit the migration", "COMMIT", err) != VR_OK)
        goto fail;
    *to_version = N_MIGRATIONS;
    return VR_OK;
fail:
    PQclear(PQexec(db->conn, "ROLLBACK"));
    return err->status;
}

enum vr_status schema_check(struct db *db, const char *schema, struct vr_error *err)
{
    int v = -1;
    if (current_version(db, schema, &v, err) != VR_OK)
        return err->status;
    if (v < N_MIGRATIONS)
        return vr_fail(err, VR_ERR_DB,
                       "results schema \"%s\" is %s (version %d of %d): run \"vocreport init-db "
                       "--config FILE\" first",
                       schema, v < 0 ? "missing" : "out of date", v < 0 ? 0 : v, N_MIGRATIONS);
    if (v > N_MIGRATIONS)
        return vr_fail(err, VR_ERR_DB,
                       "results schema \"%s\" is at version %d, newer than this program (%d)",
                       schema, v, N_MIGRATIONS);
    return VR_OK;
}
