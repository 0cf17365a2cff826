-- suggest-topics: the first day it reads (--since, or 90 days before today)
-- and today, in the session's time zone (the first job's).
-- Figures: none.
-- Parameters: since (a date; NULL: 90 days back).
SELECT to_char(coalesce(:'since'::date, current_date - 90), 'YYYY-MM-DD') AS first_day,
       to_char(current_date, 'YYYY-MM-DD') AS today;
