-- The detractors' verbatims of the briefing: metrics.md "Promoter vs
-- detractor cross-analysis".
-- Figures: none. The three newest own-brand feedback rows of the period
--   from customers whose class at T is detractor (t_cust).
-- Parameters: period_start, period_end (timestamptz; [start, end)).
SELECT f.channel,
       to_char(f.received_at, 'YYYY-MM-DD') AS day,
       f.body
  FROM c_feedback f
  JOIN t_cust c USING (customer_id)
 WHERE c.cls = 'detractor'
   AND f.brand IS NULL
   AND f.received_at >= :'period_start'::timestamptz
   AND f.received_at < :'period_end'::timestamptz
 ORDER BY f.received_at DESC, f.feedback_id DESC
 LIMIT 3;
