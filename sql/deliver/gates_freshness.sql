-- The freshness gate ([job] gate_freshness_hours, README): how old each
-- source's newest row is at T.
-- Figures: none. One column per source table checked, named as the table:
--   hours from its newest row before T to T (NULL without any row).
-- Parameters: as_of (T, timestamptz).
-- Relative to T, not to now: a backfill of last year is as fresh as the data
-- was then, and a rerun of yesterday does not fail for being late.
SELECT extract(epoch FROM :'as_of'::timestamptz
                          - (SELECT max(responded_at)
                               FROM src_survey_responses
                              WHERE responded_at < :'as_of'::timestamptz)) / 3600.0
           AS survey_responses,
       extract(epoch FROM :'as_of'::timestamptz
                          - (SELECT max(received_at)
                               FROM src_feedback
                              WHERE received_at < :'as_of'::timestamptz)) / 3600.0
           AS feedback,
       extract(epoch FROM :'as_of'::timestamptz
                          - (SELECT max(ordered_at)
                               FROM src_orders
                              WHERE ordered_at < :'as_of'::timestamptz)) / 3600.0
           AS orders;
