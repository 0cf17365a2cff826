-- Has run-due already handled this fire time?  Any status counts: a failed
-- scheduled run is not retried (the ops person re-runs it with "vocreport
-- run").  ">=" because the ledger only moves forward: a fire time older than
-- one already handled is obsolete, also when another process planned it
-- from an older view of the ledger.
-- Figures: none.
-- Parameters: job, scheduled_for, as_of.
SELECT EXISTS (SELECT 1
                 FROM :"res".runs
                WHERE job = :'job'
                  AND trigger = 'schedule'
                  AND scheduled_for >= :'scheduled_for'::timestamptz) AS fire_time_done,
       EXISTS (SELECT 1
                 FROM :"res".runs
                WHERE job = :'job'
                  AND trigger = 'schedule'
                  AND as_of = :'as_of'::timestamptz
                  AND status = 'succeeded') AS as_of_done;
