-- The figures of a recorded run that resend needs to compose its mails
-- again: the department KPI lines, the findings, and the headline figures
-- of the whole company (per period too, but not per group).
-- Figures: none. It reads figures a run stored.
-- Parameters: run_id.
SELECT code,
       dims,
       value,
       n,
       flag
  FROM :"res".kpi_values
 WHERE run_id = :'run_id'::bigint
   AND (code LIKE 'dept.kpi.%'
        OR code LIKE 'finding.%'
        OR ((dims = ''
             OR (dims LIKE 'period=%' AND dims NOT LIKE '%;%'))
            AND code IN ('nps', 'nps_moe', 'nps_delta', 'nps_n', 'csat', 'churn_rate',
                         'csat_change', 'churn_rate_change', 'roi.value', 'roi.value_low',
                         'roi.value_high')));
