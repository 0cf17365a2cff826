-- A dead run's lock, taken only to look: not ours to keep.
-- Figures: none.
-- Parameters: run_id.
SELECT pg_advisory_unlock(hashtext('vocreport.run'),
                          (:'run_id'::bigint % 2147483647)::int) AS released;
