-- suggest-topics in a SQL_ASCII database: the text is bytes, so the
-- character rule of suggest_words.sql does not apply (its ICU collation does
-- not exist there); every body counts, and the program skips text that is
-- not valid UTF-8 itself.
-- Figures: none. A definition suggest_feedback.sql uses:
--   pg_temp.vr_has_words(body).
-- Parameters: none.
CREATE OR REPLACE FUNCTION pg_temp.vr_has_words(body text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN true;
