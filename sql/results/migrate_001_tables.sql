-- Migration 1: the tables of outputs.md.  Append only: a released migration
-- is never edited, a change is a new migration file.
-- Figures: none.
-- Parameters: none.
CREATE TABLE IF NOT EXISTS :"res".runs (
    run_id bigserial PRIMARY KEY,
    job text NOT NULL,
    as_of timestamptz NOT NULL,
    period_start timestamptz,
    period_end timestamptz,
    prior_start timestamptz,
    prior_end timestamptz,
    time_zone text NOT NULL,
    status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    source_rows jsonb,
    rejected_rows jsonb,
    error text,
    program_version text NOT NULL,
    config_digest text NOT NULL,
    parameters jsonb NOT NULL,
    host text,
    pid integer,
    db_seconds double precision,
    output_dir text
);
CREATE INDEX IF NOT EXISTS runs_job_as_of ON :"res".runs (job, as_of);

CREATE TABLE IF NOT EXISTS :"res".kpi_values (
    run_id bigint NOT NULL REFERENCES :"res".runs ON DELETE CASCADE,
    code text NOT NULL,
    dims text NOT NULL DEFAULT '',
    value double precision,
    n bigint,
    flag text,
    PRIMARY KEY (run_id, code, dims)
);

CREATE TABLE IF NOT EXISTS :"res".outputs (
    run_id bigint NOT NULL REFERENCES :"res".runs ON DELETE CASCADE,
    path text NOT NULL,
    kind text NOT NULL,
    audience text NOT NULL,
    bytes bigint NOT NULL,
    sha256 text NOT NULL,
    PRIMARY KEY (run_id, path)
);

CREATE TABLE IF NOT EXISTS :"res".deliveries (
    delivery_id bigserial PRIMARY KEY,
    run_id bigint NOT NULL REFERENCES :"res".runs ON DELETE CASCADE,
    recipient text NOT NULL,
    files text[] NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    sent_at timestamptz
);

CREATE TABLE IF NOT EXISTS :"res".experiment_assignments (
    experiment text NOT NULL,
    customer_id bigint NOT NULL,
    arm text NOT NULL CHECK (arm IN ('treatment', 'control')),
    assigned_at timestamptz NOT NULL,
    PRIMARY KEY (experiment, customer_id)
);

-- Assignments are final: the holdout is only honest if nobody moves.
CREATE OR REPLACE FUNCTION :"res".assignments_are_final() RETURNS trigger
    LANGUAGE plpgsql AS $$BEGIN
    RAISE EXCEPTION 'experiment assignments are never rewritten'; END$$;
DROP TRIGGER IF EXISTS assignments_are_final ON :"res".experiment_assignments;
CREATE TRIGGER assignments_are_final BEFORE UPDATE OR DELETE
    ON :"res".experiment_assignments FOR EACH ROW
    EXECUTE FUNCTION :"res".assignments_are_final();
