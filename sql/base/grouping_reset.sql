-- The planner's choice of grouping again, after grouping_sorted.sql.
-- Figures: none.
-- Parameters: none.
RESET enable_hashagg;
