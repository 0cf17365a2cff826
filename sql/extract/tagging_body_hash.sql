-- The hash a feedback tag keeps of its body (docs/decisions.md, "Finding
-- the feedback to classify"): PostgreSQL's 64-bit hash of the bytes, half
-- md5's cost at 1 M rows (docs/benchmark.md). A NULL body is hashed as the
-- empty one: both are tagged alike (no text); a tag from before hashes
-- (NULL) matches no body, so it is redone once.
-- Figures: none. A definition of the search for feedback to classify
--   (tagging_*.sql): pg_temp.vr_body_hash(body).
-- Parameters: none.
-- SQL-bodied and immutable, so the planner inlines it (no call per row).
CREATE OR REPLACE FUNCTION pg_temp.vr_body_hash(body text) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN hashtextextended(coalesce(body, '') COLLATE "C", 0);
