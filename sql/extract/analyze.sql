-- Statistics for a temporary table of a run (the data checks' key sets,
-- the tagging's vr_new, the classes' t_paid and t_cust): autovacuum never
-- analyzes one, and the joins that read it would be planned on guesses.
-- Figures: none. A step of the data checks, the tagging and the classes.
-- Parameters: none (identifiers: :"table").
ANALYZE :"table";
