-- The run's tags into feedback_tags: a new tag or a redone one replaces
-- the old one whole.
-- Figures: none. classify.tagged and classify.skipped count these rows.
-- Parameters: taxonomy_version, model_version (identifiers: :"res").
INSERT INTO :"res".feedback_tags AS t
       (feedback_id, topics, sentiment, taxonomy_version, model_version, body_hash)
SELECT feedback_id, topics, sentiment, :'taxonomy_version', :'model_version', body_hash
  FROM vr_tags
    ON CONFLICT (feedback_id) DO UPDATE
   SET topics = excluded.topics,
       sentiment = excluded.sentiment,
       taxonomy_version = excluded.taxonomy_version,
       model_version = excluded.model_version,
       body_hash = excluded.body_hash,
       tagged_at = clock_timestamp()
