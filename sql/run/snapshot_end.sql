-- The end of a run's snapshot (sql/run/snapshot.sql): read-only in effect,
-- so it is rolled back rather than committed.
-- Figures: none.
-- Parameters: none.
ROLLBACK;
