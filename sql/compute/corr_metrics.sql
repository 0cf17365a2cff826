-- The lagged correlation's business metrics: metrics.md "Lagged correlation
-- with business outcomes", one value per metric and month of the window.
-- Figures: corr.metric_month, corr.r, corr.slope, corr.n, corr.best_lag. The
--   correlations and the best lag are jobs/compute/kpi_corr.c.
-- Parameters: as_of, months (T, timestamptz; correlation_months, int).
-- The window and month index as in corr_nps.sql.  Business metrics as
-- finance keeps them (no row rules): the mean when a month has several
-- rows; NULL metric names and NULL or non-finite values are left out.
SELECT metric,
       to_char(mo, 'YYYY-MM-DD') AS month,
       (extract(year FROM mo) * 12 + extract(month FROM mo) - 1)::int AS idx,
       avg(value) AS value
  FROM (SELECT metric,
               date_trunc('month', month)::date AS mo,
               value
          FROM src_business_metrics
         WHERE metric IS NOT NULL
           AND value IS NOT NULL
           AND value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)
           AND month >= (date_trunc('month', :'as_of'::timestamptz)
                         - :'months'::int * interval '1 month')::date
           AND month < (date_trunc('month', :'as_of'::timestamptz))::date) AS b
 GROUP BY metric, mo
 ORDER BY metric COLLATE "C", mo;
