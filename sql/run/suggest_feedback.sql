-- suggest-topics: the feedback it reads, streamed row by row, three times.
-- Figures: none.
-- Parameters: first_day (a date: the first day read).
-- The kept copy of each feedback id, as jobs/extract/tagging.c keeps it:
-- the earliest received, ties broken by the whole row's text.
SELECT f.feedback_id,
       f.body,
       f.topic IS NOT NULL AS has_topic,
       f.sentiment::text AS sentiment,
       to_char(f.received_at, 'YYYY-MM-DD HH24:MI:SS') AS received,
       coalesce(f.channel, '') AS channel
  FROM (SELECT DISTINCT ON (s.feedback_id) s.*
          FROM src_feedback s
         WHERE s.feedback_id IS NOT NULL
         ORDER BY s.feedback_id, s.received_at NULLS LAST, s::text COLLATE "C") f
 WHERE f.brand IS NULL
   AND f.received_at >= :'first_day'::date::timestamptz
   AND f.received_at <= now()
   AND f.body IS NOT NULL
   -- A body without words has nothing to suggest a topic from
   -- (pg_temp.vr_has_words, sql/extract/body_rule.sql).
   AND pg_temp.vr_has_words(f.body);
