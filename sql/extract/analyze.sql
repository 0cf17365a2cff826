-- Statistics for a temporary table of the data checks: it has none
-- otherwise, and the joins that read it would be planned on guesses.
-- Figures: none. A step of the data checks.
-- Parameters: none (identifiers: :"table").
ANALYZE :"table";
