-- The lock a run holds for its whole life; PostgreSQL drops it when the
-- process dies, however it dies, so a run whose lock can be taken is dead.
-- Figures: none.
-- Parameters: run_id.
SELECT pg_try_advisory_lock(hashtext('vocreport.run'),
                            (:'run_id'::bigint % 2147483647)::int) AS got;
