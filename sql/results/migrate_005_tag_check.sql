-- Migration 5: a tag remembers the body it classified, so a body changed
-- upstream is classified again; feedback_check holds the proof of the last
-- full search for new feedback (jobs/extract/tagging.c), and any change to
-- the tags by someone else than the job's own merge withdraws it.
-- Figures: none.
-- Parameters: none.
ALTER TABLE :"res".feedback_tags ADD COLUMN IF NOT EXISTS body_hash bigint;

CREATE TABLE IF NOT EXISTS :"res".feedback_check (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    token uuid NOT NULL,
    fingerprint text,
    full_check_at timestamptz
);

CREATE OR REPLACE FUNCTION :"res".feedback_tags_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$BEGIN
    IF coalesce(current_setting('vocreport.own_tags', true), '') <> 'on' THEN
        EXECUTE format('DELETE FROM %I.feedback_check', TG_TABLE_SCHEMA);
    END IF; RETURN NULL; END$$;
DROP TRIGGER IF EXISTS feedback_tags_changed ON :"res".feedback_tags;
CREATE TRIGGER feedback_tags_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON :"res".feedback_tags FOR EACH STATEMENT
    EXECUTE FUNCTION :"res".feedback_tags_changed();
