-- Every figure of a run in one COPY: a run may hold thousands of them.
-- Figures: none. It stores the figures the compute stage made.
-- Parameters: none. COPY ... FROM STDIN takes no parameters; the rows are
--   sent as COPY data (jobs/results/results.c).
COPY :"res".kpi_values (run_id, code, dims, value, n, flag) FROM STDIN
