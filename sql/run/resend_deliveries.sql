-- The report mails resend sends again: failed ones; held ones only with
-- --release-held; unconfirmed ones only to the recipient the operator names.
-- Figures: none.
-- Parameters: run_id, release_held, recipient. release_held is 't' or 'f';
--   recipient NULL: every recipient.
SELECT delivery_id,
       recipient,
       status,
       audience,
       department,
       subject
  FROM :"res".deliveries
 WHERE run_id = :'run_id'::bigint
   AND kind = 'report'
   AND (status = 'failed'
        OR (:'release_held'::boolean AND status = 'held')
        OR (:'recipient'::text IS NOT NULL AND status = 'unconfirmed'))
   AND (:'recipient'::text IS NULL
        OR lower(recipient) = lower(:'recipient'))
 ORDER BY delivery_id;
