-- Migration 2: topic and sentiment tags, so each night classifies only new
-- rows and every figure can be traced to the tags behind it.
-- Figures: none.
-- Parameters: none.
CREATE TABLE IF NOT EXISTS :"res".feedback_tags (
    feedback_id bigint PRIMARY KEY,
    topics text[] NOT NULL,
    sentiment real,
    taxonomy_version text NOT NULL,
    model_version text NOT NULL,
    tagged_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
