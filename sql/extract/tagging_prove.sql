-- The proof of a full search for the next nights' fast path
-- (tagging_fingerprint.sql): stored only while the claim holds.
-- Figures: none. A step of the tagging.
-- Parameters: fingerprint, token (identifiers: :"res").
UPDATE :"res".feedback_check
   SET fingerprint = :'fingerprint',
       full_check_at = now()
 WHERE token = :'token'
