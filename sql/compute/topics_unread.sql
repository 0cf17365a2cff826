-- Own-brand feedback no topic matched: metrics.md "Histories, coverage and
-- missing data" (docs/decisions.md "Feedback no topic matched").
-- Figures: topic.uncategorised_share. The share is
--   jobs/compute/kpi_unread.c's: unread / rows.
-- Parameters: period_start, period_end.
-- Reads t_feedback_topics (topics_feedback.sql), so that a row counts as
-- matched exactly when it has a topic in the topic figures. Clean rows only
-- (so with text: a body without words is no_text, not a clean row). The
-- language is the one the data checks and the sentiment model tell apart:
-- Chinese when the text holds a Chinese character, else English (the data
-- checks reject any other). One row overall (dim NULL), then per channel and
-- per language.
WITH r AS (
    SELECT coalesce(f.channel, 'unknown') AS channel,
           -- pg_temp.vr_has_chinese: the data checks' (extract/body_rule*.sql)
           CASE WHEN pg_temp.vr_has_chinese(f.body) THEN 'zh' ELSE 'en' END AS language,
           NOT EXISTS (SELECT 1
                         FROM t_feedback_topics x
                        WHERE x.feedback_id = f.feedback_id) AS unread
      FROM c_feedback f
     WHERE f.brand IS NULL
       AND f.received_at >= :'period_start'::timestamptz
       AND f.received_at < :'period_end'::timestamptz
)
SELECT CASE WHEN GROUPING(channel) = 0 THEN 'channel'
            WHEN GROUPING(language) = 0 THEN 'language' END AS dim,
       coalesce(channel, language) AS val,
       count(*) FILTER (WHERE unread) AS unread,
       count(*) AS rows
  FROM r
 GROUP BY GROUPING SETS ((), (channel), (language))
 ORDER BY dim NULLS FIRST, coalesce(channel, language) COLLATE "C";
