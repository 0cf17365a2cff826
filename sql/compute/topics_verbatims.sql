-- Quotes for the topics: metrics.md "Topics and sentiment".
-- Figures: none. The verbatims of the Topics sheet and the departments'
--   packs.
-- Parameters: period_start, period_end, topics (the topics to quote, in
--   the order to list them).
-- Reads t_feedback_topics (topics_feedback.sql): the newest own-brand
-- negative words of the period, three per topic.
SELECT topic,
       channel,
       to_char(received_at, 'YYYY-MM-DD') AS day,
       body
  FROM (SELECT f.topic,
               c.channel,
               c.received_at,
               c.body,
               row_number() OVER (PARTITION BY f.topic
                                  ORDER BY f.received_at DESC, f.feedback_id DESC) AS rn
          FROM t_feedback_topics f
          JOIN c_feedback c
            ON c.feedback_id = f.feedback_id
         WHERE f.topic = ANY (:'topics'::text[])
           AND f.brand IS NULL
           AND pg_temp.vr_negative(f.sentiment)
           AND f.received_at >= :'period_start'::timestamptz
           AND f.received_at < :'period_end'::timestamptz) v
 WHERE rn <= 3
 ORDER BY array_position(:'topics'::text[], topic), rn;
