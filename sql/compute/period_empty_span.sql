-- An empty period's warning: README "run", the first and last local day of
-- the source's clean survey responses, so the warning can say where the
-- data is (the session time zone is the job's).
-- Figures: none. The log's and the briefing's sentence; the figure
--   responses carries the flag empty_period (survey_scores.sql).
-- Parameters: none.
SELECT to_char(min(responded_at), 'YYYY-MM-DD') AS first_day,
       to_char(max(responded_at), 'YYYY-MM-DD') AS last_day
  FROM c_survey_responses;
