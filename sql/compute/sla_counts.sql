-- Case SLAs, counted per period: metrics.md "Departments, targets and closure".
-- Figures: none. The counts behind sla.* (sla_figures.sql) and the
--   departments' SLA histories (dept_sla.sql): table t_sla_counts.
-- Parameters: none (the periods are the run's history, t_periods).
-- Cases opened in each period of the history, overall (dept '') and per
-- department, as known at that period's end hi: a response or closure at or
-- after hi has not happened yet, so a backfill sees what the night after
-- saw. Hours are elapsed hours (timestamptz + interval 'N hours'), and
-- "within" includes the limit.
CREATE TEMP TABLE t_sla_counts AS
WITH c AS (
    SELECT p.k,
           coalesce(nullif(department, ''), 'unknown') AS dept,
           priority = 'red' AS red,
           first_response_at < p.hi
               AND first_response_at <= opened_at + interval '24 hours' AS answered,
           closed_at < p.hi
               AND closed_at <= opened_at + interval '48 hours' AS closed,
           closed_at IS NULL
               OR closed_at >= p.hi
               OR closed_at > opened_at + interval '72 hours' AS open_long
      FROM c_cases
      JOIN t_periods p
        ON opened_at >= p.lo
       AND opened_at < p.hi
)
SELECT k,
       coalesce(dept, '') AS dept,
       count(*) FILTER (WHERE red) AS red,
       count(*) FILTER (WHERE red AND answered) AS answered,
       count(*) AS cases,
       count(*) FILTER (WHERE closed) AS closed,
       count(*) FILTER (WHERE open_long) AS open_long
  FROM c
 GROUP BY GROUPING SETS ((k), (k, dept));
