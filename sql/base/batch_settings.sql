-- Session settings of the connections that read the whole source: the
-- snapshot of the compute stage and the search for new feedback.
-- Figures: none.
-- Parameters: none.
-- Whole-table aggregates want hash tables bigger than the 4 MB default; a
-- nightly batch on its own connection can afford them.
SET work_mem = '128MB';
-- PostgreSQL compiles a plan whose cost passes jit_above_cost, and every
-- whole-table query of a run does; the compilation (about 1 s a query on the
-- 2-core bench machine) costs more than the expressions it speeds up, which
-- are few per row here (docs/benchmark.md).
SET jit = off;
-- The run's temporary tables stay in memory instead of spilling to files
-- past the 8 MB default; a ceiling, allocated as used.
SET temp_buffers = '512MB';
