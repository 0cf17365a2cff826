-- The VoC ROI window's days: metrics.md "VoC ROI and finance reconciliation".
-- Figures: none. The window the roi.* figures cover, as the reports print it.
-- Parameters: window_start, as_of (timestamptz; the window is
--   [window_start, as_of)).
-- The first and the last local day (the session time zone is the job's).
SELECT to_char(:'window_start'::timestamptz, 'YYYY-MM-DD') AS first_day,
       to_char(:'as_of'::timestamptz - interval '1 day', 'YYYY-MM-DD') AS last_day;
