-- How many feedback ids the full search left to classify (the log's
-- "found N feedback rows to classify").
-- Figures: none. A step of the tagging.
-- Parameters: none.
SELECT count(*) AS to_classify
  FROM vr_new
