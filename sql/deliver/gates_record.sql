-- A run's failed quality gates ([job] gate_*, README), recorded with the
-- run.
-- Figures: none.
-- Parameters: run_id, failures (text[], one sentence per failed gate; empty
--   when every gate passed).
UPDATE :"res".runs
   SET gate_failures = :'failures'::text[]
 WHERE run_id = :'run_id'::bigint;
