-- Topic figures of the period: metrics.md "Topics and sentiment".
-- Figures: topic.mentions, topic.negative, topic.negative_prior,
--   topic.negative_change, topic.trend, topic.sentiment_score, topic.rank.
--   The change, trend, score (50 × (1 + mean)) and rank are
--   jobs/compute/kpi_topics.c's arithmetic on these counts.
-- Parameters: period_start, period_end, prior_start, prior_end
--   (timestamptz; each period is [start, end)).
-- Reads t_topics and t_feedback_topics (topics_list.sql,
-- topics_feedback.sql). Own brand only; every topic has a row, ranked by
-- negative mentions (most first), ties by code in byte order.
SELECT t.code,
       count(f.topic) FILTER (WHERE f.received_at >= :'period_start'::timestamptz
                                AND f.received_at < :'period_end'::timestamptz) AS mentions,
       count(f.topic) FILTER (WHERE f.received_at >= :'period_start'::timestamptz
                                AND f.received_at < :'period_end'::timestamptz
                                AND pg_temp.vr_negative(f.sentiment)) AS negative,
       count(f.topic) FILTER (WHERE f.received_at >= :'prior_start'::timestamptz
                                AND f.received_at < :'prior_end'::timestamptz
                                AND pg_temp.vr_negative(f.sentiment)) AS negative_prior,
       count(f.sentiment) FILTER (WHERE f.received_at >= :'period_start'::timestamptz
                                    AND f.received_at < :'period_end'::timestamptz) AS scored,
       avg(f.sentiment) FILTER (WHERE f.received_at >= :'period_start'::timestamptz
                                  AND f.received_at < :'period_end'::timestamptz) AS mean
  FROM t_topics t
  LEFT JOIN t_feedback_topics f
    ON f.topic = t.code
   AND f.brand IS NULL
 GROUP BY t.code
 ORDER BY negative DESC, t.code COLLATE "C";
