-- The kept copy of each id to classify (the copy tagging_kept_tagged.sql
-- compares), with whether its body has no words by the data checks' rule
-- (body_rule.sql; never in a SQL_ASCII database, where the program checks
-- the bytes) and the hash its tag keeps. Tags of ids the source no longer
-- has are left as they are.
-- Figures: none. The rows classify.tagged and classify.skipped count.
-- Parameters: none.
SELECT f.feedback_id,
       f.body,
       pg_temp.vr_body_reject(f.body) IS NOT DISTINCT FROM 'no_text' AS no_words,
       pg_temp.vr_body_hash(f.body) AS body_hash
  FROM (SELECT DISTINCT ON (s.feedback_id) s.feedback_id, s.body
          FROM src_feedback s
         WHERE s.feedback_id IN (SELECT feedback_id FROM vr_new)
         ORDER BY s.feedback_id, s.received_at NULLS LAST, s::text COLLATE "C") f
