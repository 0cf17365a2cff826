-- The claim of a full search on feedback_check: its proof is stored
-- (tagging_prove.sql) only if no one else changed the tags since it began
-- (their trigger deletes the claim).
-- Figures: none. A step of the tagging.
-- Parameters: none (identifiers: :"res").
INSERT INTO :"res".feedback_check (token)
VALUES (gen_random_uuid())
    ON CONFLICT (one) DO UPDATE
   SET token = excluded.token,
       fingerprint = NULL,
       full_check_at = NULL
RETURNING token
