-- run-due's ledger: the newest fire time of the job's scheduled runs, any
-- status (NULL: none yet), as seconds since the epoch.
-- Figures: none.
-- Parameters: job.
SELECT floor(extract(epoch FROM max(scheduled_for)))::bigint AS last_epoch
  FROM :"res".runs
 WHERE job = :'job'
   AND trigger = 'schedule';
