-- The rules of a feedback body's text in a UTF-8 database (data-contract.md,
-- docs/decisions.md "Rejected rows"), after the empty body:
-- no words ("10", ".", an emoji, one letter: fewer than two letters of any
-- script and no Chinese character, in Chinese one character is a word) is
-- no_text, which is kept but left out of the text figures (dq.no_text);
-- words the classifiers cannot read (neither a Chinese character nor two
-- Latin letters: another script) are unknown_language. Letters as Unicode
-- has them (ICU), whatever the database's own locale says, so
-- tests/reference.py (str.isalpha) agrees.
-- Figures: none. Definitions feedback.sql, the tagging, suggest-topics and
-- topics_unread.sql use: pg_temp.vr_has_chinese(body), whether a body holds
-- a Chinese character (the language the classifiers tell apart);
-- pg_temp.vr_has_words(body), whether a body has words;
-- pg_temp.vr_body_reject(body), NULL for a body it keeps.
-- Parameters: none.
-- SQL-bodied and immutable, so the planner inlines them (no call per row).
-- Two Latin letters first: such a body passes both rules, and two thirds of
-- the bodies then need one cheap regular expression instead of the ICU one
-- as well.
CREATE OR REPLACE FUNCTION pg_temp.vr_has_chinese(body text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN body ~ '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]';

CREATE OR REPLACE FUNCTION pg_temp.vr_has_words(body text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN body ~ '[A-Za-z].*[A-Za-z]'
        OR body COLLATE "und-x-icu" ~ '[[:alpha:]].*[[:alpha:]]'
        OR pg_temp.vr_has_chinese(body);

CREATE OR REPLACE FUNCTION pg_temp.vr_body_reject(body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
               WHEN body ~ '[A-Za-z].*[A-Za-z]' THEN NULL
               WHEN NOT pg_temp.vr_has_words(body) THEN 'no_text'
               -- Not two Latin letters (the first test): a Chinese character or nothing.
               WHEN NOT pg_temp.vr_has_chinese(body) THEN 'unknown_language'
           END;
