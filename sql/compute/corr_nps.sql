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
-- Each response finds its month among the window's month starts (a binary
-- search, width_bucket) instead of a date_trunc of its own: truncating in
-- the job's time zone was the dearest part of a row.  The starts are
-- computed once (MATERIALIZED), local midnights of the first of each month.
WITH w AS MATERIALIZED (
    SELECT array_agg(date_trunc('month', :'as_of'::timestamptz) - k * interval '1 month'
                     ORDER BY k DESC) AS starts,
           date_trunc('month', :'as_of'::timestamptz) - :'months'::int * interval '1 month' AS lo,
           date_trunc('month', :'as_of'::timestamptz) AS hi
      FROM generate_series(0, :'months'::int) AS k
),
m AS (
    SELECT width_bucket(r.responded_at, w.starts) AS b,
           count(*) AS scored,
           count(*) FILTER (WHERE r.nps >= 9) AS promoters,
           count(*) FILTER (WHERE r.nps <= 6) AS detractors
      FROM c_survey_responses r, w
     WHERE r.nps IS NOT NULL
       AND r.responded_at >= w.lo
       AND r.responded_at < w.hi
     GROUP BY 1
)
SELECT to_char(w.starts[m.b], 'YYYY-MM-DD') AS month,
       (extract(year FROM w.starts[m.b]) * 12 + extract(month FROM w.starts[m.b]) - 1)::int AS idx,
       m.scored,
       m.promoters,
       m.detractors
  FROM m, w
 ORDER BY m.b;
