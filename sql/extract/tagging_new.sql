-- The full search for feedback to classify (docs/decisions.md, "Finding
-- the feedback to classify"): the ids with a copy that no current tag
-- describes. A current tag has the run's taxonomy and model and the same
-- body. Every source row is looked at (a row may arrive late with an old
-- received_at, so no watermark on time is safe, and a body may change
-- upstream), and every body is hashed. A copy other than the kept one may
-- differ from the tag for good: tagging_kept_tagged.sql lets the kept copy
-- decide.
-- Figures: none. A step of the tagging (classify.tagged, classify.skipped
--   count what it finds).
-- Parameters: taxonomy_version, model_version (identifiers: :"res").
CREATE TEMP TABLE vr_new AS
SELECT DISTINCT s.feedback_id
  FROM src_feedback s
 WHERE s.feedback_id IS NOT NULL
   AND NOT EXISTS (SELECT 1
                     FROM :"res".feedback_tags t
                    WHERE t.feedback_id = s.feedback_id
                      AND t.taxonomy_version = :'taxonomy_version'
                      AND t.model_version = :'model_version'
                      AND t.body_hash = pg_temp.vr_body_hash(s.body))
