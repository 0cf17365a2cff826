#!/usr/bin/env bash
# The briefing's "What detractors say" (sql/compute/classes_verbatims.sql),
# on rows worked out by hand: a detractor's negative comments (upstream
# sentiment, else the tag's) come before newer ones that are not, newest
# first within each; a promoter's, a competitor's and an earlier period's
# comments never appear.
. "$(dirname "$0")/lib.sh"
fresh_db sql_verbatims

# id: class, brand, received, upstream sentiment, tag sentiment
#  1: detractor, 30 Sep, 0.0 (neutral)           7: detractor, 29 Sep, none
#  4: detractor, 20 Sep, -0.5 (negative)         2: detractor, 10 Sep, tag -0.6
#  3: detractor,  5 Sep, -0.04 (not negative)    5: promoter, 25 Sep, -0.9
#  6: detractor, CompetitorX, 26 Sep, -0.9       8: detractor, 31 Aug, -0.9
out=$(psql -XAtq -v ON_ERROR_STOP=1 -v res=vrt_res \
           -v period_start='2026-09-01 00:00+02' -v period_end='2026-10-01 00:00+02' <<SQL
\i $top/sql/defs/negative_mention.sql
CREATE SCHEMA vrt_res;
CREATE TABLE vrt_res.feedback_tags AS
SELECT * FROM (VALUES (2::bigint, -0.6::real), (1, -0.9), (3, -0.9), (7, 0.8)) AS v(feedback_id, sentiment);
CREATE TEMP TABLE t_cust AS
SELECT * FROM (VALUES (10::bigint, 'detractor'), (20, 'promoter')) AS v(customer_id, cls);
CREATE TEMP TABLE c_feedback AS
SELECT feedback_id, customer_id, brand, received_at::timestamptz, 'survey' AS channel,
       'text ' || feedback_id AS body, sentiment::real
  FROM (VALUES (1::bigint, 10::bigint, NULL, '2026-09-30 10:00+02', 0.0),
               (7, 10, NULL, '2026-09-29 10:00+02', NULL),
               (4, 10, NULL, '2026-09-20 10:00+02', -0.5),
               (2, 10, NULL, '2026-09-10 10:00+02', NULL),
               (3, 10, NULL, '2026-09-05 10:00+02', -0.04),
               (5, 20, NULL, '2026-09-25 10:00+02', -0.9),
               (6, 10, 'CompetitorX', '2026-09-26 10:00+02', -0.9),
               (8, 10, NULL, '2026-08-31 10:00+02', -0.9))
       AS v(feedback_id, customer_id, brand, received_at, sentiment);
\i $top/sql/compute/classes_verbatims.sql
SQL
)
# 4 and 2 negative (2 by its tag, as the upstream sentiment is missing), then
# the newest of the rest: 1 (upstream 0.0 wins over its tag's -0.9).
expect_eq "negative first, newest first, then the newest other" "$(printf '%s\n' "$out" | tr '\n' ' ')" \
    'survey|2026-09-20|text 4 survey|2026-09-10|text 2 survey|2026-09-30|text 1 '
finish
