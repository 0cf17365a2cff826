-- Whether an experiment counts in the VoC ROI window: metrics.md "VoC ROI and
-- finance reconciliation".
-- Figures: none. Whether an evaluated experiment's exp.value counts in
--   roi.benefit (jobs/compute/kpi_roi.c).
-- Parameters: start, window_start (the experiment's start date, the
--   window's first moment).
-- It counts when the first month its cost counts from (exp.cost) begins in
-- the window.
SELECT date_trunc('month', :'start'::date)::date::timestamptz
           >= :'window_start'::timestamptz AS inside;
