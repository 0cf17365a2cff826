-- The rule of a feedback body's text in a SQL_ASCII database, the only kind
-- that can hold invalid text: the text is bytes, so the character classes
-- of body_rule.sql do not apply; a body that is not valid UTF-8 is
-- invalid_utf8. The server's own decoder is the judge, one row at a time.
-- Every body has words here (the character classes cannot be asked);
-- suggest-topics skips text that is not valid UTF-8 itself.
-- Figures: none. Definitions feedback.sql, the tagging, suggest-topics and
-- topics_unread.sql use: pg_temp.vr_has_chinese(body), here a UTF-8 lead
-- byte E3..E9 (U+3000 to U+9FFF), as the sentiment model tells Chinese;
-- pg_temp.vr_has_words(body), always true here;
-- pg_temp.vr_body_reject(body), NULL for a body it keeps.
-- Parameters: none.
CREATE OR REPLACE FUNCTION pg_temp.vr_has_chinese(body text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN body ~ '[\xe3-\xe9]';

CREATE OR REPLACE FUNCTION pg_temp.vr_has_words(body text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN true;

CREATE OR REPLACE FUNCTION pg_temp.vr_body_reject(body text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    PERFORM convert_from(convert_to(body, 'SQL_ASCII'), 'UTF8');
    RETURN NULL;
EXCEPTION WHEN others THEN
    RETURN 'invalid_utf8';
END
$$;
