-- Migration 3: schedules and delivery.  A run knows what started it and
-- which fire time it stands for (run-due's ledger); a delivery knows its
-- audience and why it was held, so resend and the ops person can act.
-- Figures: none.
-- Parameters: none.
ALTER TABLE :"res".runs
    ADD COLUMN IF NOT EXISTS trigger text NOT NULL DEFAULT 'manual'
        CHECK (trigger IN ('manual', 'schedule')),
    ADD COLUMN IF NOT EXISTS scheduled_for timestamptz,
    ADD COLUMN IF NOT EXISTS gate_failures text[];
CREATE INDEX IF NOT EXISTS runs_job_scheduled ON :"res".runs (job, scheduled_for);

ALTER TABLE :"res".deliveries
    ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'report'
        CHECK (kind IN ('report', 'alert')),
    ADD COLUMN IF NOT EXISTS audience text,
    ADD COLUMN IF NOT EXISTS department text,
    ADD COLUMN IF NOT EXISTS subject text,
    ADD COLUMN IF NOT EXISTS held_reason text,
    ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    ADD CONSTRAINT deliveries_status CHECK (status IN ('pending', 'sent', 'failed', 'held'));
CREATE INDEX IF NOT EXISTS deliveries_run ON :"res".deliveries (run_id);

ALTER TABLE :"res".outputs ADD COLUMN IF NOT EXISTS department text;
