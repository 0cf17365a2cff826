-- The fast path of the search for feedback to classify: whether the last
-- full search (tagging_new.sql) still holds, read in O(1) from the catalog
-- and the cumulative statistics (docs/decisions.md, "Finding the feedback
-- to classify").
-- What the full search's answer depends on: the run's versions, the source
-- view as the job reads it (:'view', its select list and time zone, not
-- opened: the fast path creates no temporary view), and for every relation
-- it reaches (through views, pg_rewrite and pg_depend) its file, its rules
-- and its rows inserted, updated and deleted; the server's last crash (the
-- bgwriter statistics' reset time) and the database's statistics reset.
-- unprovable says why these cannot prove "unchanged" (then the full search
-- runs every night): a standby or a foreign table has no counters for the
-- source's changes, a partition or child is not counted in its parent, a
-- policy or a function of time, session or a table the catalog does not
-- name can change the view's rows without a counted change.
-- same: the last full search had this fingerprint (NULL: none recorded);
-- recent: it is younger than 6 days 12 hours. The counters miss a change
-- only in ways no catalog shows (a session with track_counts off, a view
-- reading a table through a function the catalog does not name), and those
-- are found within a week.
-- Figures: none. A step of the tagging.
-- Parameters: view, taxonomy_version, model_version,
--   select_list, source_time_zone (identifiers: :"res").
WITH RECURSIVE dep(oid) AS (
    SELECT :'view'::regclass::oid
     UNION
    SELECT d.refobjid
      FROM dep
      JOIN pg_rewrite w ON w.ev_class = dep.oid
      JOIN pg_depend d
        ON d.classid = 'pg_rewrite'::regclass
       AND d.objid = w.oid
       AND d.refclassid = 'pg_class'::regclass
       AND d.refobjid <> w.ev_class
),
rel AS (
    SELECT c.oid,
           c.relkind,
           c.relfilenode,
           c.relrowsecurity,
           EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid) AS parent,
           (SELECT string_agg(w.ev_action::text, ' ')
              FROM pg_rewrite w
             WHERE w.ev_class = c.oid) AS act,
           pg_stat_get_tuples_inserted(c.oid) AS ins,
           pg_stat_get_tuples_updated(c.oid) AS upd,
           pg_stat_get_tuples_deleted(c.oid) AS del
      FROM dep
      JOIN pg_class c ON c.oid = dep.oid
),
-- The functions the view's rules call, by their node fields in the rule's text.
fn AS (
    SELECT m[1]::oid AS f
      FROM rel, regexp_matches(rel.act, ':(?:funcid|opfuncid|aggfnoid|winfnoid) (\d+)', 'g') m
     UNION
    SELECT o.oprcode::oid
      FROM rel, regexp_matches(rel.act, ':opno (\d+)', 'g') m
      JOIN pg_operator o ON o.oid = m[1]::oid
),
f AS (
    SELECT CASE
               WHEN pg_is_in_recovery() THEN 'the source is a standby'
               WHEN current_setting('track_counts') <> 'on' THEN 'track_counts is off'
               WHEN NOT EXISTS (SELECT 1 FROM rel WHERE relkind = 'r')
                   THEN 'the feedback view reads no table'
               WHEN EXISTS (SELECT 1 FROM rel WHERE relkind NOT IN ('r', 'v'))
                   THEN 'the feedback view reads a foreign, partitioned or materialized table'
               WHEN EXISTS (SELECT 1 FROM rel WHERE parent)
                   THEN 'the feedback view reads a parent table'
               WHEN EXISTS (SELECT 1 FROM rel WHERE relrowsecurity)
                   THEN 'the feedback view reads a table with row security'
               WHEN EXISTS (SELECT 1
                              FROM rel
                             WHERE act ~ '\{(SQLVALUEFUNCTION|COERCEVIAIO|NEXTVALUEEXPR|PARAM|RANGETBLFUNCTION) ')
                    OR EXISTS (SELECT 1
                                 FROM fn
                                 JOIN pg_proc p ON p.oid = fn.f
                                WHERE p.provolatile <> 'i')
                   THEN 'the feedback view calls a function that is not immutable'
           END AS unprovable,
           concat_ws(';', :'taxonomy_version'::text, :'model_version'::text,
                     :'view'::regclass::oid, :'select_list'::text, :'source_time_zone'::text,
                     -- As epochs: as text they would follow the session's
                     -- time zone, which is the job's, and two jobs in two
                     -- time zones would undo each other's proof every night.
                     -- A crash discards every counter and stamps the
                     -- fixed statistics' reset time; a clean restart keeps
                     -- both (PostgreSQL 15 saves them at shutdown), so the
                     -- night after it needs no full search.
                     (SELECT extract(epoch FROM stats_reset) FROM pg_stat_bgwriter),
                     (SELECT extract(epoch FROM stats_reset)
                        FROM pg_stat_database
                       WHERE datname = current_database()),
                     (SELECT string_agg(concat_ws(',', oid, relkind, relfilenode, ins, upd, del,
                                                  md5(act)),
                                        ' ' ORDER BY oid)
                        FROM rel)) AS fingerprint
)
SELECT f.unprovable,
       f.fingerprint,
       c.fingerprint = f.fingerprint AS same,
       c.full_check_at > now() - interval '6 days 12 hours' AS recent
  FROM f
  LEFT JOIN :"res".feedback_check c ON c.fingerprint IS NOT NULL
