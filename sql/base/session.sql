-- The settings of every connection (db_connect), before anything else.
-- Figures: none.
-- Parameters: time_zone (the job's, e.g. Europe/Berlin: date_trunc and
--   interval arithmetic on timestamptz then follow the job's local calendar).
-- DateStyle and IntervalStyle fix how dates and intervals come back as text.
-- A run's connections idle for minutes while it renders: a server or role
-- idle_session_timeout must not end the one that holds its locks.
SELECT set_config('DateStyle', 'ISO, YMD', false),
       set_config('IntervalStyle', 'postgres', false),
       set_config('idle_session_timeout', '0', false),
       set_config('idle_in_transaction_session_timeout', '0', false),
       set_config('TimeZone', :'time_zone', false);
