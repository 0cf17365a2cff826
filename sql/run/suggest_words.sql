-- suggest-topics in a UTF-8 database: a body it reads has words (at least
-- two letters of any script, or a Chinese character: in Chinese one
-- character is a word), the rule of jobs/extract/quality.h SQL_NO_WORDS
-- turned around. Letters as Unicode has them (ICU), whatever the database's
-- own locale says.
-- Figures: none. A definition suggest_feedback.sql uses:
--   pg_temp.vr_has_words(body).
-- Parameters: none.
-- SQL-bodied and immutable, so the planner inlines it (no call per row).
CREATE OR REPLACE FUNCTION pg_temp.vr_has_words(body text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN body COLLATE "und-x-icu" ~ '[[:alpha:]].*[[:alpha:]]'
        OR body ~ '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]';
