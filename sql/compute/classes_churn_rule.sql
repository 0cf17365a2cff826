-- Which churn rule churn_rule = auto means: docs/decisions.md "Churn"
-- (explicit when churn_events has any clean row, else inactivity).
-- Figures: none. The rule is a run parameter (churn_rule, with
--   churn_rule_source = auto).
-- Parameters: none.
SELECT CASE
           WHEN EXISTS (SELECT 1 FROM c_churn_events) THEN 'explicit'
           ELSE 'inactivity'
       END AS rule;
