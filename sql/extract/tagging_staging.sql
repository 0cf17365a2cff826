-- The tags of a run arrive by COPY into vr_tags, then tagging_merge.sql
-- writes them in the same transaction; vocreport.own_tags tells the tags'
-- trigger that the writer is the search itself (its claim stays).
-- Figures: none. A step of the tagging.
-- Parameters: none.
BEGIN;
SET LOCAL vocreport.own_tags = 'on';
CREATE TEMP TABLE vr_tags (
    feedback_id bigint,
    topics text[],
    sentiment real,
    body_hash bigint
) ON COMMIT DROP;
COPY vr_tags FROM STDIN
