-- The end of the tags' transaction (tagging_staging.sql): the tags and the
-- proof of the search are stored together.
-- Figures: none. A step of the tagging.
-- Parameters: none.
COMMIT;
