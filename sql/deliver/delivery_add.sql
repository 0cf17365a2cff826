-- One planned mail of a run: outputs.md "deliveries".  Recorded in the
-- run's transaction, before any file is published, so a process that dies
-- leaves the mail to recover_all rather than forgetting it.
-- Figures: none.
-- Parameters: run_id, recipient, files, status, kind, audience, department,
--   subject, held_reason. files is a text[] literal; kind is 'report' or
--   'alert'.
INSERT INTO :"res".deliveries (
       run_id, recipient, files, status, kind, audience, department, subject, held_reason)
VALUES (
       :'run_id'::bigint, :'recipient', :'files'::text[], :'status', :'kind', :'audience',
       :'department', :'subject', :'held_reason')
RETURNING delivery_id;
