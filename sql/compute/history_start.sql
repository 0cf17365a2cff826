-- The moment the history's first period starts, handed to the files that
-- bound their rows by it (topics_feedback.sql) as a value: a bound read
-- from t_periods inside the query leaves the planner guessing 0.5 % of the
-- rows, and it then looks up the tags of 220,000 feedback rows at 1 M one
-- by one instead of joining them by hash (20 % of that file's CPU).
-- Figures: none.
-- Parameters: none (t_periods, history_periods.sql).
SELECT min(lo) AS history_start
  FROM t_periods;
