-- Survey scores: metrics.md "Survey scores".
-- Figures: responses, nps_n, promoters, passives, detractors, nps, nps_moe,
--   csat, ces, nps_prior, nps_delta. This file counts; the arithmetic on the
--   counts (NPS, its margin, the change and whether it is significant) is
--   jobs/compute/kpi_math.c.
-- Parameters: period_start, period_end, prior_start, prior_end (timestamptz;
--   each period is [start, end)).
-- One row per period (cur, prior) and group: the whole company (dim ''),
-- each touchpoint, channel and customer segment.
WITH r AS (
    SELECT CASE WHEN r.responded_at >= :'period_start' AND r.responded_at < :'period_end'
                THEN 'cur' ELSE 'prior' END AS per,
           coalesce(r.touchpoint, 'unknown') AS tp,
           coalesce(r.channel, 'unknown') AS ch,
           coalesce(c.segment, 'unknown') AS seg,
           r.nps, r.csat, r.ces
      FROM c_survey_responses r
      JOIN c_customers c USING (customer_id)
     WHERE (r.responded_at >= :'period_start' AND r.responded_at < :'period_end')
        OR (r.responded_at >= :'prior_start' AND r.responded_at < :'prior_end')
)
SELECT per,
       CASE WHEN GROUPING(tp) = 0 THEN 'touchpoint'
            WHEN GROUPING(ch) = 0 THEN 'channel'
            WHEN GROUPING(seg) = 0 THEN 'segment'
            ELSE '' END AS dim,
       coalesce(tp, ch, seg, '') AS val,
       count(nps) AS scored,
       count(*) FILTER (WHERE nps >= 9) AS promoters,
       count(*) FILTER (WHERE nps BETWEEN 7 AND 8) AS passives,
       count(*) FILTER (WHERE nps <= 6) AS detractors,
       count(csat) AS csat_n,
       count(*) FILTER (WHERE csat >= 4) AS csat_top2,
       count(ces) AS ces_n,
       sum(ces) AS ces_sum,
       count(*) AS responses
  FROM r
 GROUP BY GROUPING SETS ((per), (per, tp), (per, ch), (per, seg))
 ORDER BY dim, val, per;
