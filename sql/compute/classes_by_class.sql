-- Customer classes, step 3 of 3: metrics.md "Promoter vs detractor
-- cross-analysis", the counts behind each class's figures.
-- Figures: class.customers, class.revenue, class.arpu, class.repeat_rate,
--   class.churn_rate, class.ltv, class.arpu_ratio, class.ltv_ratio,
--   shift.revenue_gain, shift.ltv_gain, churn_rate, arpu_all, ltv_all,
--   recon.revenue_classes. This file counts and sums; the ratios, LTV and
--   shift gains are jobs/compute/kpi_classes.c and kpi_math.c.
-- Parameters: none (t_cust is the population at T).
SELECT cls,
       count(*) AS customers,
       sum(revenue) AS revenue,
       -- repeat purchase: two paid orders or more in the trailing year
       count(*) FILTER (WHERE orders >= 2) AS repeaters,
       count(*) FILTER (WHERE churned) AS churned
  FROM t_cust
 GROUP BY cls;
