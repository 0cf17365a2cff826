-- One run of a job at a time: the job's lock, and if another process has
-- it, the run it is working on (for the message).
-- Figures: none.
-- Parameters: job.
SELECT pg_try_advisory_lock(hashtext('vocreport.job'), hashtext(:'job')) AS got,
       (SELECT max(run_id)
          FROM :"res".runs
         WHERE job = :'job'
           AND status = 'running') AS busy_run;
