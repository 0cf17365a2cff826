-- Rows and rejected rows of every checked source table, by reason
-- (metrics.md "Data quality": dq.rows, dq.rejected, dq.rejected_share,
-- dq.no_text). A reason of NULL counts the kept rows; no_text is kept
-- but left out of the text figures. An absent view has its empty copy.
-- Figures: dq.rows, dq.rejected, dq.rejected_share, dq.no_text.
-- Parameters: none.
SELECT 'customers' AS source_table, reject, count(*) AS n FROM t_customers GROUP BY reject
UNION ALL
SELECT 'orders', reject, count(*) FROM t_orders GROUP BY reject
UNION ALL
SELECT 'churn_events', reject, count(*) FROM t_churn_events GROUP BY reject
UNION ALL
SELECT 'survey_responses', reject, count(*) FROM t_survey_responses GROUP BY reject
UNION ALL
SELECT 'feedback', reject, count(*) FROM t_feedback GROUP BY reject
UNION ALL
SELECT 'customer_events', reject, count(*) FROM t_customer_events GROUP BY reject
UNION ALL
SELECT 'cases', reject, count(*) FROM t_cases GROUP BY reject
