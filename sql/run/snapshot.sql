-- The snapshot every figure of a run is computed in: one transaction that
-- sees the source as it was when it began, whatever loads meanwhile. It is
-- rolled back at the end (sql/run/snapshot_end.sql): it only reads, and its
-- temporary objects go with it.
-- Figures: none.
-- Parameters: none.
BEGIN ISOLATION LEVEL REPEATABLE READ;
