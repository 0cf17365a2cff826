-- The checked rows of a source table, what every later stage reads as
-- c_<table>: the judged copy (<table>.sql) without its rejected rows.
-- ANALYZE, because a temporary table has no statistics otherwise and the
-- figures' joins would be planned on guesses.
-- Figures: none. A step of the data checks.
-- Parameters: none (identifiers: :"judged" the copy, :"checked" the view made).
CREATE TEMP VIEW :"checked" AS
SELECT *
  FROM :"judged"
 WHERE reject IS NULL;

ANALYZE :"judged";
