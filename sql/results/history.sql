-- vocreport history: the last runs, oldest first, with what each left.
-- Figures: none. It counts the figures, files and mails of each run.
-- Parameters: job, last. job NULL: every job; last: how many runs.
SELECT r.run_id,
       r.job,
       to_char(r.as_of AT TIME ZONE r.time_zone, 'YYYY-MM-DD') AS as_of,
       r.status,
       r.trigger,
       extract(epoch FROM r.started_at) AS started_epoch,
       extract(epoch FROM r.finished_at - r.started_at) AS took_seconds,
       (SELECT count(*)
          FROM :"res".kpi_values k
         WHERE k.run_id = r.run_id) AS figures,
       (SELECT count(*)
          FROM :"res".outputs o
         WHERE o.run_id = r.run_id) AS files,
       -- Report mails by status, e.g. "8 sent" or "6 sent, 2 failed".
       (SELECT string_agg(cnt || ' ' || status, ', ' ORDER BY status)
          FROM (SELECT status,
                       count(*) AS cnt
                  FROM :"res".deliveries d
                 WHERE d.run_id = r.run_id
                   AND d.kind = 'report'
                 GROUP BY status) m) AS mail,
       -- A run without error that found no survey response says so.
       coalesce(r.error,
                CASE WHEN EXISTS (SELECT 1
                                    FROM :"res".kpi_values k
                                   WHERE k.run_id = r.run_id
                                     AND k.code = 'responses'
                                     AND k.dims = ''
                                     AND k.flag LIKE '%empty_period%')
                     THEN 'warning: no survey response in the period' END) AS error
  FROM (SELECT *
          FROM :"res".runs
         WHERE :'job'::text IS NULL
            OR job = :'job'
         ORDER BY run_id DESC
         LIMIT :'last'::bigint) r
 ORDER BY r.run_id;
