-- A run's record, written when it starts: outputs.md "runs".
-- Figures: none.
-- Parameters: job, as_of, period_start, period_end, prior_start, prior_end,
--   time_zone, program_version, config_digest, parameters, host, pid, trigger,
--   scheduled_for. prior_start and prior_end are NULL without a prior period
--   (period = all), not an empty window; parameters is jsonb text; trigger is
--   'schedule' or 'manual', and scheduled_for NULL for a manual run.
INSERT INTO :"res".runs (
       job, as_of, period_start, period_end, prior_start, prior_end, time_zone, status,
       program_version, config_digest, parameters, host, pid, trigger, scheduled_for)
VALUES (
       :'job', :'as_of', :'period_start', :'period_end', :'prior_start', :'prior_end',
       :'time_zone', 'running', :'program_version', :'config_digest', :'parameters',
       :'host', :'pid', :'trigger', :'scheduled_for')
RETURNING run_id,
          started_at;
