-- Migration 4: mail that outlives its process.  'cancelled': planned by a
-- run that failed before its reports were published, so there is nothing to
-- send; 'unconfirmed': the server took the whole message but never confirmed
-- it, so it may have arrived (resend sends it again only to a recipient the
-- operator names).
-- Figures: none.
-- Parameters: none.
ALTER TABLE :"res".deliveries DROP CONSTRAINT IF EXISTS deliveries_status;
ALTER TABLE :"res".deliveries ADD CONSTRAINT deliveries_status CHECK (status IN
    ('pending', 'sent', 'failed', 'held', 'cancelled', 'unconfirmed'));
CREATE INDEX IF NOT EXISTS deliveries_pending ON :"res".deliveries (run_id)
    WHERE status = 'pending';
