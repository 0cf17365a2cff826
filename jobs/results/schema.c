#include "schema.h"

#include <stdio.h>
#include <stdlib.h>

/* Append only: a released migration is never edited, a change is a new row. */
static const char *const migrations[] = {
    /* 1: the tables of outputs.md */
    "CREATE TABLE IF NOT EXISTS {res}.runs ("
    "  run_id bigserial PRIMARY KEY,"
    "  job text NOT NULL,"
    "  as_of timestamptz NOT NULL,"
    "  period_start timestamptz,"
    "  period_end timestamptz,"
    "  prior_start timestamptz,"
    "  prior_end timestamptz,"
    "  time_zone text NOT NULL,"
    "  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),"
    "  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
    "  finished_at timestamptz,"
    "  source_rows jsonb,"
    "  rejected_rows jsonb,"
    "  error text,"
    "  program_version text NOT NULL,"
    "  config_digest text NOT NULL,"
    "  parameters jsonb NOT NULL,"
    "  host text,"
    "  pid integer,"
    "  db_seconds double precision,"
    "  output_dir text);"
    "CREATE INDEX IF NOT EXISTS runs_job_as_of ON {res}.runs (job, as_of);"
    "CREATE TABLE IF NOT EXISTS {res}.kpi_values ("
    "  run_id bigint NOT NULL REFERENCES {res}.runs ON DELETE CASCADE,"
    "  code text NOT NULL,"
    "  dims text NOT NULL DEFAULT '',"
    "  value double precision,"
    "  n bigint,"
    "  flag text,"
    "  PRIMARY KEY (run_id, code, dims));"
    "CREATE TABLE IF NOT EXISTS {res}.outputs ("
    "  run_id bigint NOT NULL REFERENCES {res}.runs ON DELETE CASCADE,"
    "  path text NOT NULL,"
    "  kind text NOT NULL,"
    "  audience text NOT NULL,"
    "  bytes bigint NOT NULL,"
    "  sha256 text NOT NULL,"
    "  PRIMARY KEY (run_id, path));"
    "CREATE TABLE IF NOT EXISTS {res}.deliveries ("
    "  delivery_id bigserial PRIMARY KEY,"
    "  run_id bigint NOT NULL REFERENCES {res}.runs ON DELETE CASCADE,"
    "  recipient text NOT NULL,"
    "  files text[] NOT NULL,"
    "  status text NOT NULL,"
    "  attempts integer NOT NULL DEFAULT 0,"
    "  last_error text,"
    "  sent_at timestamptz);"
    "CREATE TABLE IF NOT EXISTS {res}.experiment_assignments ("
    "  experiment text NOT NULL,"
    "  customer_id bigint NOT NULL,"
    "  arm text NOT NULL CHECK (arm IN ('treatment', 'control')),"
    "  assigned_at timestamptz NOT NULL,"
    "  PRIMARY KEY (experiment, customer_id));"
    /* Assignments are final: the holdout is only honest if nobody moves. */
    "CREATE OR REPLACE FUNCTION {res}.assignments_are_final() RETURNS trigger"
    "  LANGUAGE plpgsql AS $$BEGIN"
    "  RAISE EXCEPTION 'experiment assignments are never rewritten'; END$$;"
    "DROP TRIGGER IF EXISTS assignments_are_final ON {res}.experiment_assignments;"
    "CREATE TRIGGER assignments_are_final BEFORE UPDATE OR DELETE"
    "  ON {res}.experiment_assignments FOR EACH ROW"
    "  EXECUTE FUNCTION {res}.assignments_are_final();",
    /* 2: topic and sentiment tags, so each night classifies only new rows
     * and every figure can be traced to the tags behind it */
    "CREATE TABLE IF NOT EXISTS {res}.feedback_tags ("
    "  feedback_id bigint PRIMARY KEY,"
    "  topics text[] NOT NULL,"
    "  sentiment real,"
    "  taxonomy_version text NOT NULL,"
    "  model_version text NOT NULL,"
    "  tagged_at timestamptz NOT NULL DEFAULT clock_timestamp());",
    /* 3: schedules and delivery.  A run knows what started it and which
     * fire time it stands for (run-due's ledger); a delivery knows its
     * audience and why it was held, so resend and the ops person can act. */
    "ALTER TABLE {res}.runs"
    "  ADD COLUMN IF NOT EXISTS trigger text NOT NULL DEFAULT 'manual'"
    "    CHECK (trigger IN ('manual', 'schedule')),"
    "  ADD COLUMN IF NOT EXISTS scheduled_for timestamptz,"
    "  ADD COLUMN IF NOT EXISTS gate_failures text[];"
    "CREATE INDEX IF NOT EXISTS runs_job_scheduled ON {res}.runs (job, scheduled_for);"
    "ALTER TABLE {res}.deliveries"
    "  ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'report'"
    "    CHECK (kind IN ('report', 'alert')),"
    "  ADD COLUMN IF NOT EXISTS audience text,"
    "  ADD COLUMN IF NOT EXISTS department text,"
    "  ADD COLUMN IF NOT EXISTS subject text,"
    "  ADD COLUMN IF NOT EXISTS held_reason text,"
    "  ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
    "  ADD CONSTRAINT deliveries_status CHECK (status IN ('pending', 'sent', 'failed', 'held'));"
    "CREATE INDEX IF NOT EXISTS deliveries_run ON {res}.deliveries (run_id);"
    "ALTER TABLE {res}.outputs ADD COLUMN IF NOT EXISTS department text;",
    /* 4: mail that outlives its process.  'cancelled': planned by a run
     * that failed before its reports were published, so there is nothing
     * to send; 'unconfirmed': the server took the whole message but never
     * confirmed it, so it may have arrived (resend sends it again only to a
     * recipient the operator names). */
    "ALTER TABLE {res}.deliveries DROP CONSTRAINT IF EXISTS deliveries_status;"
    "ALTER TABLE {res}.deliveries ADD CONSTRAINT deliveries_status CHECK (status IN"
    "  ('pending', 'sent', 'failed', 'held', 'cancelled', 'unconfirmed'));"
    "CREATE INDEX IF NOT EXISTS deliveries_pending ON {res}.deliveries (run_id)"
    "  WHERE status = 'pending';",
    /* 5: a tag remembers the body it classified, so a body changed upstream
     * is classified again; feedback_check holds the proof of the last full
     * search for new feedback (jobs/extract/tagging.c), and any change to the tags
     * by someone else than the job's own merge withdraws it. */
    "ALTER TABLE {res}.feedback_tags ADD COLUMN IF NOT EXISTS body_hash bigint;"
    "CREATE TABLE IF NOT EXISTS {res}.feedback_check ("
    "  one boolean PRIMARY KEY DEFAULT true CHECK (one),"
    "  token uuid NOT NULL,"
    "  fingerprint text,"
    "  full_check_at timestamptz);"
    "CREATE OR REPLACE FUNCTION {res}.feedback_tags_changed() RETURNS trigger"
    "  LANGUAGE plpgsql AS $$BEGIN"
    "  IF coalesce(current_setting('vocreport.own_tags', true), '') <> 'on' THEN"
    "    EXECUTE format('DELETE FROM %I.feedback_check', TG_TABLE_SCHEMA);"
    "  END IF; RETURN NULL; END$$;"
    "DROP TRIGGER IF EXISTS feedback_tags_changed ON {res}.feedback_tags;"
    "CREATE TRIGGER feedback_tags_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
    "  ON {res}.feedback_tags FOR EACH STATEMENT"
    "  EXECUTE FUNCTION {res}.feedback_tags_changed();",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* -1 when the schema has never been initialised. */
static enum vr_status current_version(struct db *db, const char *schema, int *version,
                                      struct vr_error *err)
{
    const char *p[] = {schema};
    PGresult *r = db_query(db, "could not read the results schema version",
                           "SELECT (SELECT 1 FROM pg_tables WHERE schemaname = $1"
                           "        AND tablename = 'schema_version')",
                           1, p, err);
    if (!r)
        return err->status;
    bool exists = !PQgetisnull(r, 0, 0);
    PQclear(r);
    *version = -1;
    if (!exists)
        return VR_OK;
    r = db_query(db, "could not read the results schema version",
                 "SELECT coalesce(max(version), 0) FROM {res}.schema_version", 0, NULL, err);
    if (!r)
        return err->status;
    *version = (int)db_ll(r, 0, 0);
    PQclear(r);
    return VR_OK;
}

enum vr_status schema_migrate(struct db *db, const char *schema, int *from_version, int *to_version,
                              struct vr_error *err)
{
    /* One init-db at a time: two racing migrations would both apply. */
    if (db_script(db, "could not start the migration",
                  "BEGIN; SELECT pg_advisory_xact_lock(hashtext('vocreport.migrate'));"
                  "CREATE SCHEMA IF NOT EXISTS {res};"
                  "CREATE TABLE IF NOT EXISTS {res}.schema_version ("
                  "  version integer PRIMARY KEY,"
                  "  applied_at timestamptz NOT NULL DEFAULT now());",
                  err) != VR_OK)
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
        if (db_script(db, what, migrations[i], err) != VR_OK)
            goto fail;
        char num[16];
        snprintf(num, sizeof(num), "%d", i + 1);
        const char *p[] = {num};
        if (db_exec(db, what, "INSERT INTO {res}.schema_version (version) VALUES ($1)", 1, p,
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
