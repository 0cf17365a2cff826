-- Of the ids tagging_new.sql found, those whose kept copy a current tag
-- describes: another copy differed, but the kept copy decides, so they need
-- no work. Compared only for ids that have a current tag but for its body
-- (changed bodies and such duplicates: few).
-- The kept copy of an id is the one the data checks keep (earliest
-- received_at, then the row's text), so the tag describes the row the
-- figures use; tagging_untagged.sql reads the same.
-- Figures: none. A step of the tagging.
-- Parameters: taxonomy_version, model_version (identifiers: :"res").
DELETE FROM vr_new n
 USING (SELECT DISTINCT ON (s.feedback_id) s.feedback_id, s.body
          FROM src_feedback s
         WHERE s.feedback_id IN (SELECT v.feedback_id
                                   FROM vr_new v
                                   JOIN :"res".feedback_tags t
                                     ON t.feedback_id = v.feedback_id
                                    AND t.taxonomy_version = :'taxonomy_version'
                                    AND t.model_version = :'model_version'
                                    AND t.body_hash IS NOT NULL)
         ORDER BY s.feedback_id, s.received_at NULLS LAST, s::text COLLATE "C") k
 WHERE n.feedback_id = k.feedback_id
   AND EXISTS (SELECT 1
                 FROM :"res".feedback_tags t
                WHERE t.feedback_id = k.feedback_id
                  AND t.taxonomy_version = :'taxonomy_version'
                  AND t.model_version = :'model_version'
                  AND t.body_hash = pg_temp.vr_body_hash(k.body))
