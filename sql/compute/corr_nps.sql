-- The lagged correlation's NPS series: metrics.md "Lagged correlation with
-- business outcomes", the NPS counts of each month of the window.
-- Figures: corr.nps_month. This file counts; the NPS of a month and the
--   correlations are jobs/compute/kpi_corr.c.
-- Parameters: as_of, months (T, timestamptz; correlation_months, int).
-- The window [lo, hi): hi = the first local moment of T's month (T itself
-- when T is a month start), lo = hi less the months.  A month's index is
-- year * 12 + month - 1, so "month m + lag" is index + lag.  Clean
-- responses with a score; a month without one has no row (left out, not
-- zero).
-- The window's bounds are computed once (MATERIALIZED), not twice per
-- response: date_trunc in the job's time zone is the dearest part of a row.
WITH w AS MATERIALIZED (
    SELECT date_trunc('month', :'as_of'::timestamptz) - :'months'::int * interval '1 month' AS lo,
           date_trunc('month', :'as_of'::timestamptz) AS hi
)
SELECT to_char(mo, 'YYYY-MM-DD') AS month,
       (extract(year FROM mo) * 12 + extract(month FROM mo) - 1)::int AS idx,
       count(*) AS scored,
       count(*) FILTER (WHERE nps >= 9) AS promoters,
       count(*) FILTER (WHERE nps <= 6) AS detractors
  FROM (SELECT date_trunc('month', r.responded_at) AS mo,
               r.nps
          FROM c_survey_responses r, w
         WHERE r.nps IS NOT NULL
           AND r.responded_at >= w.lo
           AND r.responded_at < w.hi) AS r
 GROUP BY mo
 ORDER BY mo;
