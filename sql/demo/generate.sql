-- sql/demo/generate.sql
--
-- Fills the demo source schema `voc` (created by sql/demo/contract.sql) with
-- realistic, deterministic VoC and finance data, entirely inside PostgreSQL.
--
--   psql -v ON_ERROR_STOP=1 -v seed=42 -v customers=20000 -v responses=100000 \
--        -v as_of=2026-10-01 -f sql/demo/generate.sql
--
-- psql variables (all optional, defaults in brackets):
--   seed       integer, makes a different but equally realistic data set [42]
--   customers  number of customers [20000]
--   responses  number of survey responses [100000]
--   as_of      date, the "today" of the data [current_date]. Clean rows lie in
--              roughly the 30 months before as_of 00:00 (session TimeZone);
--              nothing is after it except the planted future-dated rows.
--
-- Determinism: no random(). Every random value is a hash of (seed, row key,
-- purpose) -- see pg_temp.u below -- and every generated id comes from an
-- ORDER BY over fully determined columns, so the same variables give the
-- same rows. Two inputs outside the variables: the session TimeZone (the
-- as_of date is midnight in it; set PGTZ to the job's zone), and the
-- calendar day the script runs on, which places the planted future-dated
-- rows a few days after max(today, as_of) so that they are "future" when the
-- job runs right after loading.
--
-- Planted effects (what the reports should find):
--   * one latent propensity z per customer drives their survey scores, how
--     often and how much they buy, and whether they churn: promoters spend
--     about 3x what detractors spend and churn about a quarter as often;
--   * churned customers' complaints lean to delivery and they had more late
--     deliveries shortly before churning (a root cause to find);
--   * delivery got worse in the last ~2.5 months (NPS of the delivery
--     touchpoint falls, delivery complaints rise);
--   * monthly NPS moves in waves; lead conversion, order value and CAC follow
--     it 2-4 months later (lagged correlation);
--   * a sprinkling (< 1 % a table) of dirty rows of every kind the data
--     contract lists.
--
-- Speed: set-based INSERT ... SELECT over generate_series, the source
-- indexes dropped during the load and rebuilt afterwards, one transaction.

\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;

\if :{?seed}
\else
  \set seed 42
\endif
\if :{?customers}
\else
  \set customers 20000
\endif
\if :{?responses}
\else
  \set responses 100000
\endif
\if :{?as_of}
\else
  SELECT current_date AS as_of \gset
\endif

-- Generous session memory: the big sorts (ids in time order) and hash joins
-- then stay in memory, and temp tables live in local buffers.
SET temp_buffers = '512MB';
SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';
-- The queries are large but simple; JIT compilation costs more than it saves.
SET jit = off;
-- Performance note for editors: keep per-row arithmetic in double precision.
-- A CASE whose branches are all plain decimals (THEN 0.3 ...) is numeric and
-- gets converted per row, hence the ::float8 on the first branch below.

-- Time anchors as epoch seconds. All time arithmetic below is done on
-- double precision epochs: fast, and exact to the second at this size.
-- Each value is handed to psql as a typed literal ('1790812800::float8'),
-- because extract() returns numeric and numeric arithmetic on millions of
-- rows is several times slower. t_end is as_of 00:00 in the session TimeZone.
SELECT
    format('%s::float8', extract(epoch FROM (:'as_of'::date)::timestamptz))                        AS t_end,
    format('%s::float8', extract(epoch FROM (:'as_of'::date - interval '30 months')::timestamptz)) AS t_start,
    format('%s::float8', extract(epoch FROM (:'as_of'::date - interval '15 months')::timestamptz)) AS t_churn_from,
    format('%s::float8', extract(epoch FROM (:'as_of'::date - 75)::timestamptz))                   AS t_delivery_dip,
    -- future-dated dirty rows: 2..7 days after the later of today and as_of
    format('%s::float8', extract(epoch FROM (greatest(:'as_of'::date, current_date) + 2)::timestamptz)) AS t_future,
    date_trunc('month', :'as_of'::date - interval '30 months')::date AS first_month,
    date_trunc('month', :'as_of'::date - 1)::date                    AS last_month,
    (:customers)::double precision / 20000                           AS cost_scale
\gset

BEGIN;

------------------------------------------------------------------------------
-- Deterministic randomness
------------------------------------------------------------------------------

-- u(salt, key): a uniform double in [0,1) from a 64-bit hash of
-- (seed, salt, key). `salt` names the purpose (each column gets its own), so
-- values for different purposes are independent. SQL-standard bodies are
-- inlined by the planner, so this costs one hash call a value. The seed is
-- baked in by psql variable substitution.
CREATE FUNCTION pg_temp.u(salt integer, key bigint) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (hashint8extended(key, (:seed)::bigint * 1000003 + salt)
            & 9007199254740991)::double precision / 9007199254740992.0;

-- n(salt, key): a standard normal value (Box-Muller on two uniforms).
CREATE FUNCTION pg_temp.n(salt integer, key bigint) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN sqrt(-2.0 * ln(1.0 - pg_temp.u(salt, key)))
           * cos(2.0 * pi() * pg_temp.u(salt + 500000, key));

CREATE FUNCTION pg_temp.logistic(x double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 1.0 / (1.0 + exp(-x));

CREATE FUNCTION pg_temp.ts(e double precision) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_timestamp(e);

------------------------------------------------------------------------------
-- Empty the tables and drop their indexes for the bulk load; contract.sql's
-- index definitions are saved and replayed at the end.
------------------------------------------------------------------------------

CREATE TEMP TABLE g_saved_idx AS
    SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'voc';
SELECT format('DROP INDEX voc.%I', indexname) FROM g_saved_idx \gexec

TRUNCATE voc.customers, voc.orders, voc.churn_events, voc.survey_responses,
         voc.feedback, voc.customer_events, voc.cases, voc.program_costs,
         voc.business_metrics;

------------------------------------------------------------------------------
-- Customers and their hidden traits
------------------------------------------------------------------------------

-- g_cust keeps what later tables need: the latent propensity z ~ N(0,1)
-- (high = happy and valuable), the window [start_e, end_e) in epoch seconds
-- in which the customer is active in the data (orders, answers, events),
-- and the churn moment if the customer churns.
CREATE TEMP TABLE g_cust AS
WITH b AS (
    SELECT id AS customer_id,
           pg_temp.n(101, id) AS z,
           pg_temp.u(102, id) AS u_seg,
           pg_temp.u(103, id) AS u_reg,
           -- age in days, up to 4.4 years: about 40 % were acquired before
           -- the 30 months of data (an established base), the rest joined
           -- during them (a steadily growing business)
           (7 + floor(pg_temp.u(104, id) * 1600))::int AS age_days,
           pg_temp.u(105, id) AS u_hour,
           pg_temp.u(106, id) AS u_churn,
           pg_temp.u(107, id) AS u_churn_at,
           pg_temp.u(108, id) AS u_winback
    FROM generate_series(1, :customers) AS id
), c AS (
    SELECT b.*,
           CASE WHEN u_seg < 0.72 THEN 'retail'
                WHEN u_seg < 0.93 THEN 'smb'
                ELSE 'enterprise' END AS segment,
           :'as_of'::date - age_days AS acquired_at
    FROM b
-- MATERIALIZED: start_e is used many times below; compute it once a row
), t AS MATERIALIZED (
    SELECT c.*,
           CASE WHEN segment = 'retail'
                THEN (ARRAY['north','south','east','west','online','online'])[1 + floor(u_reg * 6)::int]
                ELSE (ARRAY['north','south','east','west','online'])[1 + floor(u_reg * 5)::int]
           END AS region,
           -- activity starts during the acquisition day, or when the data
           -- starts for customers acquired before it
           greatest(extract(epoch FROM acquired_at::timestamptz)::float8 + 8 * 3600 + floor(u_hour * 12 * 3600),
                    :t_start + floor(u_hour * 86400)) AS start_e,
           acquired_at < (:'as_of'::date - interval '30 months')::date AS pre_window
    FROM c
)
SELECT customer_id, z, segment, region, acquired_at, start_e, pre_window,
       churn_e, churn_e IS NOT NULL AS churned,
       -- a few churned customers come back and order again: not churned
       -- under the explicit rule (the event is followed by a paid order)
       churn_e IS NOT NULL AND u_winback < 0.05 AND churn_e < :t_end - 14 * 86400 AS winback,
       coalesce(churn_e, :t_end) AS end_e
FROM (
    SELECT t.*,
           CASE WHEN start_e + 30 * 86400 < :t_end - 86400
                 -- churn probability falls with z: the planted effect
                 AND u_churn < pg_temp.logistic(-1.6 - 1.0 * z)
                THEN floor(greatest(start_e + 30 * 86400, :t_churn_from)
                           + u_churn_at * (:t_end - greatest(start_e + 30 * 86400, :t_churn_from)))
           END AS churn_e
    FROM t
) x;

-- Temp tables get no statistics by themselves; the joins below plan much
-- better with them.
ANALYZE g_cust;

INSERT INTO voc.customers (customer_id, segment, region, acquired_at)
SELECT customer_id, segment, region, acquired_at FROM g_cust ORDER BY customer_id;

INSERT INTO voc.churn_events (customer_id, churned_at)
SELECT customer_id, pg_temp.ts(churn_e) FROM g_cust WHERE churned ORDER BY churn_e, customer_id;

------------------------------------------------------------------------------
-- Orders: about 5 a customer, more and bigger for high-propensity customers
------------------------------------------------------------------------------

-- Number of orders a customer: expected value proportional to
-- segment frequency x exp(0.35 z) x months active, scaled so the total is
-- about 5 x customers, with log-normal noise (mean 1).
CREATE TEMP TABLE g_ord_n AS
WITH w AS (
    SELECT customer_id,
           CASE segment WHEN 'retail' THEN 1.0::float8 WHEN 'smb' THEN 1.4 ELSE 2.2 END
             * exp(0.35 * z) * (end_e - start_e) / (86400 * 30.44) AS w
    FROM g_cust
), s AS (SELECT sum(w) AS sw FROM w)
SELECT customer_id,
       least(1000, floor(w * (5.0 * :customers / sw)
                          * exp(0.3 * pg_temp.n(201, customer_id) - 0.045)
                          + pg_temp.u(202, customer_id)))::int AS k
FROM w, s;

-- One row an order; key = customer_id * 1024 + j identifies it for hashing.
CREATE TEMP TABLE g_ord AS
WITH o AS (
    SELECT c.customer_id, c.z, c.segment, c.customer_id * 1024 + j AS key,
           floor(c.start_e + pg_temp.u(211, c.customer_id * 1024 + j) * (c.end_e - c.start_e)) AS ord_e,
           false AS is_winback
    FROM g_cust c
    JOIN g_ord_n n USING (customer_id)
    CROSS JOIN LATERAL generate_series(1, n.k) AS j
    UNION ALL
    -- win-back orders: one or two paid orders after the churn event
    SELECT c.customer_id, c.z, c.segment, c.customer_id * 1024 + 1000 + j,
           floor(c.churn_e + 3600 + pg_temp.u(211, c.customer_id * 1024 + 1000 + j) * (:t_end - c.churn_e - 3600)),
           true
    FROM g_cust c
    CROSS JOIN LATERAL generate_series(1, 1 + (pg_temp.u(209, c.customer_id) < 0.4)::int) AS j
    WHERE c.winback
)
SELECT o.*,
       -- log-normal amounts in cents (integer arithmetic is much cheaper
       -- than numeric): segment sets the scale, propensity nudges it up
       round(exp(CASE segment WHEN 'retail' THEN 4.32::float8 WHEN 'smb' THEN 5.48 ELSE 6.68 END
                 + 0.2 * z + 0.5 * pg_temp.n(212, key)) * 100)::bigint AS amount_c,
       CASE WHEN is_winback THEN 'paid'
            WHEN pg_temp.u(213, key) < 0.03 THEN 'cancelled'
            -- unhappy customers send more back
            WHEN pg_temp.u(213, key) < CASE WHEN z < -1 THEN 0.105::float8 ELSE 0.075 END THEN 'refunded'
            ELSE 'paid' END AS status
FROM o;

INSERT INTO voc.orders (order_id, customer_id, ordered_at, amount, cost, status)
SELECT row_number() OVER (ORDER BY ord_e, key),   -- order ids follow time
       customer_id, pg_temp.ts(ord_e), amount_c::numeric / 100,
       -- cost 58-70 % of the amount; finance lacks it for some orders
       CASE WHEN pg_temp.u(214, key) >= 0.06
            THEN round(amount_c * (0.58 + 0.12 * pg_temp.u(215, key)))::bigint::numeric / 100 END,
       status
FROM g_ord;

------------------------------------------------------------------------------
-- Survey responses
------------------------------------------------------------------------------

-- A latent score drives nps, csat and ces together:
--   7.9 + 1.7 z                the customer's propensity
--   + touchpoint / channel     delivery and after-sales are harder
--   + monthly wave             company-wide ups and downs (drives the
--                              business metrics below, with a lag)
--   - 0.9 on delivery in the last 75 days (the recent delivery problem)
--   + 1.2 N(0,1)               this answer's mood
CREATE TEMP TABLE g_resp AS
-- Which customer answers survey number `slot`: customers get answers in
-- proportion to how long they are active in the data times a personal
-- engagement factor (log-normal). Slots are dealt out along the running
-- total of these weights, so there are exactly :responses of them, and a
-- customer acquired last week does not get as many answers as one of
-- several years.
WITH w AS (
    SELECT customer_id,
           (end_e - start_e) * exp(0.6 * pg_temp.n(300, customer_id)) AS w
    FROM g_cust
), cw AS (
    SELECT customer_id, sum(w) OVER (ORDER BY customer_id) AS cum FROM w
), b AS (
    SELECT customer_id,
           round(cum / max(cum) OVER () * :responses)::bigint AS hi
    FROM cw
), r0 AS (
    SELECT customer_id, slot
    FROM (SELECT customer_id, hi, coalesce(lag(hi) OVER (ORDER BY customer_id), 0) AS lo FROM b) x
    CROSS JOIN LATERAL generate_series(x.lo + 1, x.hi) AS slot
), r AS (
    SELECT slot, customer_id,
           pg_temp.u(302, slot) AS u_time,
           pg_temp.u(303, slot) AS u_tp,
           pg_temp.u(304, slot) AS u_ch
    FROM r0
), t AS (
    SELECT r.slot, r.customer_id, c.z, c.churned,
           CASE WHEN u_tp < 0.35 THEN 'purchase'
                WHEN u_tp < 0.65 THEN 'delivery'
                WHEN u_tp < 0.85 THEN 'after_sales'
                -- onboarding is asked of new customers only
                WHEN c.pre_window THEN 'purchase'
                ELSE 'onboarding' END AS touchpoint,
           CASE WHEN u_ch < 0.40 THEN 'email'
                WHEN u_ch < 0.70 THEN 'app'
                WHEN u_ch < 0.85 THEN 'sms'
                ELSE 'web' END AS channel,
           c.start_e, c.end_e, u_time
    FROM r JOIN g_cust c USING (customer_id)
-- MATERIALIZED (here and for l): computed once. Otherwise the planner
-- pastes the expressions into every later use (resp_e into latent, latent
-- into the three scores) and evaluates them several times a row.
), s AS MATERIALIZED (
    SELECT t.*,
           -- onboarding surveys come in the first 60 days, others any time
           floor(start_e + u_time * CASE WHEN touchpoint = 'onboarding'
                                       THEN least(60 * 86400, end_e - start_e)
                                       ELSE end_e - start_e END) AS resp_e
    FROM t
), l AS MATERIALIZED (
    SELECT s.*,
           7.9 + 1.7 * z
           + CASE touchpoint WHEN 'purchase' THEN 0.3::float8 WHEN 'delivery' THEN -0.4
                             WHEN 'after_sales' THEN -0.3 ELSE 0.2 END
           + CASE channel WHEN 'sms' THEN -0.2::float8 WHEN 'app' THEN 0.1 ELSE 0 END
           + 0.25 * sin(2 * pi() * (resp_e - :t_start) / (86400 * 400.0))
           + 0.15 * sin(2 * pi() * (resp_e - :t_start) / (86400 * 170.0) + 1.3)
           - CASE WHEN touchpoint = 'delivery' AND resp_e >= :t_delivery_dip THEN 0.9::float8 ELSE 0 END
           + 1.2 * pg_temp.n(305, slot) AS latent
    FROM s
)
SELECT row_number() OVER (ORDER BY resp_e, slot) AS response_id,   -- ids follow time
       slot, customer_id, z, churned, touchpoint, channel, resp_e, latent,
       CASE WHEN pg_temp.u(306, slot) >= 0.06
            THEN least(10, greatest(0, round(latent)))::smallint END AS nps,
       CASE WHEN pg_temp.u(307, slot) >= 0.18
            THEN least(5, greatest(1, round(0.9 + 0.4 * latent + 0.55 * pg_temp.n(308, slot))))::smallint END AS csat,
       CASE WHEN pg_temp.u(309, slot) >= 0.33
            THEN least(7, greatest(1, round(1.3 + 0.52 * latent + 0.8 * pg_temp.n(310, slot))))::smallint END AS ces
FROM l;

ANALYZE g_resp;

INSERT INTO voc.survey_responses
    (response_id, customer_id, responded_at, touchpoint, channel, nps, csat, ces)
SELECT response_id, customer_id, pg_temp.ts(resp_e), touchpoint, channel, nps, csat, ces
FROM g_resp ORDER BY response_id;

------------------------------------------------------------------------------
-- Feedback text
------------------------------------------------------------------------------

-- Phrase bank, written for this demo: one array of sentences per
-- (language, topic, polarity). Bodies are one or two of these plus an
-- optional closing remark, so the classifier sees varied but labelled text.
CREATE TEMP TABLE g_phrase (lang text, topic text, pol text, txt text[]);
INSERT INTO g_phrase VALUES
('en','delivery','pos', ARRAY[
  'The parcel arrived a day earlier than promised.',
  'Delivery was quick and the courier was very polite.',
  'Tracking updates were accurate the whole way.',
  'Everything came well packed and right on time.',
  'Same-day delivery actually worked, impressive.']),
('en','delivery','neg', ARRAY[
  'My order arrived four days late with no explanation.',
  'The courier left the box outside in the rain.',
  'Tracking said delivered but nothing was at my door.',
  'Delivery was rescheduled three times, very frustrating.',
  'The package showed up damaged and half open.',
  'Still waiting for my delivery after two weeks.']),
('en','delivery','neu', ARRAY[
  'Delivery took the usual three days.',
  'The parcel came on the date shown at checkout.',
  'The courier called before arriving.']),
('en','price','pos', ARRAY[
  'Great value for money compared to other shops.',
  'The discount at checkout made it a really good deal.',
  'Prices are fair and there are no hidden fees.',
  'Loyalty points saved me a lot this month.',
  'Cheaper than I expected for this quality.']),
('en','price','neg', ARRAY[
  'Way too expensive for what you get.',
  'The price went up again without any notice.',
  'Shipping fees were added at the last step, feels like a trick.',
  'I found the same item much cheaper elsewhere.',
  'The promotion price was not applied to my order.',
  'The membership fee is hard to justify now.']),
('en','price','neu', ARRAY[
  'Prices are about the same as in other stores.',
  'Paid the regular price, no promotion this time.',
  'The price is what I expected.']),
('en','quality','pos', ARRAY[
  'The product feels solid and well made.',
  'Quality is excellent, exactly as described.',
  'Still working perfectly after months of daily use.',
  'The materials are much better than I expected.',
  'Very reliable, I would buy it again.']),
('en','quality','neg', ARRAY[
  'It broke after only two weeks of use.',
  'The item looks nothing like the photos.',
  'Poor quality, the seams came apart at once.',
  'The replacement unit was defective as well.',
  'Cheap materials and a strange smell.',
  'Stopped working right after the warranty ended.']),
('en','quality','neu', ARRAY[
  'The product is okay and does what it says.',
  'Average quality for the price.',
  'It works, nothing more and nothing less.']),
('en','app','pos', ARRAY[
  'The app is fast and easy to use.',
  'Ordering in the app takes less than a minute.',
  'Love the new app design, very clean.',
  'Checkout in the app is smooth now.',
  'The app notifications are useful, not spammy.']),
('en','app','neg', ARRAY[
  'The app keeps crashing when I open my orders.',
  'Could not log in to the app for two days.',
  'Payment failed in the app three times in a row.',
  'The latest app update made everything slower.',
  'The app search never finds what I am looking for.',
  'Too many pop-ups in the app, really annoying.']),
('en','app','neu', ARRAY[
  'I mostly use the website, the app is fine.',
  'Updated the app yesterday, it looks similar.',
  'The app does the basics.']),
('en','customer_service','pos', ARRAY[
  'The support agent solved my problem in one call.',
  'Customer service was friendly and patient.',
  'Got a helpful reply from support within an hour.',
  'The staff in the store went out of their way to help.',
  'Thanks to the service team for following up.']),
('en','customer_service','neg', ARRAY[
  'I waited forty minutes on hold and then got cut off.',
  'Support keeps sending copy-paste answers.',
  'Nobody called me back as promised.',
  'The agent was rude and did not listen.',
  'I had to explain my problem five times to different people.',
  'No answer to my emails for a week.']),
('en','customer_service','neu', ARRAY[
  'Contacted support about my order status.',
  'The agent gave me a ticket number.',
  'Asked a question in the chat and got a standard answer.']),
('en','refund','pos', ARRAY[
  'The refund was in my account within two days.',
  'Returning the item was easy and free.',
  'They refunded me without any hassle.',
  'Quick exchange, the new one arrived fast.',
  'The return label was in the box, very convenient.']),
('en','refund','neg', ARRAY[
  'Still no refund three weeks after I returned the item.',
  'They refused my return for no clear reason.',
  'The refund was less than what I paid.',
  'The return process is complicated and slow.',
  'I was charged twice and nobody gives the money back.',
  'Had to fight for a refund on a broken product.']),
('en','refund','neu', ARRAY[
  'I requested a return and am waiting for the pickup.',
  'The refund status says processing.',
  'Sent the item back last week.']),
('zh','delivery','pos', ARRAY[
  '快递比预计提前一天到了。',
  '配送很快，快递员态度也很好。',
  '物流信息更新及时，全程可查。',
  '包装完好，准时送达。',
  '当天下单当天就收到了，很惊喜。']),
('zh','delivery','neg', ARRAY[
  '订单晚了四天才到，也没人解释。',
  '快递员把箱子直接放在门外淋雨。',
  '显示已签收，但我根本没收到货。',
  '配送改了三次时间，太折腾了。',
  '包裹到的时候已经破损了。',
  '下单两周了还没送到。']),
('zh','delivery','neu', ARRAY[
  '配送用了三天，和平时差不多。',
  '按下单时显示的日期送到的。',
  '快递员送货前打了电话。']),
('zh','price','pos', ARRAY[
  '性价比很高，比别家划算。',
  '结算时有优惠，很实惠。',
  '价格公道，没有隐藏费用。',
  '会员积分这个月帮我省了不少钱。',
  '这个质量这个价格，物超所值。']),
('zh','price','neg', ARRAY[
  '太贵了，完全不值这个价。',
  '又涨价了，也没有任何通知。',
  '最后一步才加运费，感觉被套路了。',
  '同样的东西别家便宜很多。',
  '活动价没有生效，多付了钱。',
  '会员费越来越不值了。']),
('zh','price','neu', ARRAY[
  '价格和其他店差不多。',
  '这次按原价买的，没有活动。',
  '价格在预期之内。']),
('zh','quality','pos', ARRAY[
  '做工扎实，质量很好。',
  '质量非常好，和描述一致。',
  '每天用了好几个月，依然很好用。',
  '材质比想象中好很多。',
  '很耐用，还会回购。']),
('zh','quality','neg', ARRAY[
  '才用了两周就坏了。',
  '实物和图片差别太大。',
  '质量很差，缝线一扯就开。',
  '换的第二个也是坏的。',
  '材料廉价，还有一股怪味。',
  '保修期一过就坏了。']),
('zh','quality','neu', ARRAY[
  '东西还行，功能正常。',
  '这个价位的普通质量。',
  '能用，没什么特别的。']),
('zh','app','pos', ARRAY[
  'APP很流畅，操作简单。',
  '在APP上下单不到一分钟。',
  '新版APP界面很清爽。',
  'APP付款现在很顺畅。',
  'APP推送很有用，不烦人。']),
('zh','app','neg', ARRAY[
  '一打开订单页面APP就闪退。',
  '两天都登录不上APP。',
  'APP里付款连续失败三次。',
  '更新之后APP变得特别卡。',
  'APP搜索总是找不到想要的东西。',
  'APP弹窗太多，很烦。']),
('zh','app','neu', ARRAY[
  '我主要用网页版，APP也还可以。',
  '昨天更新了APP，看起来差不多。',
  'APP基本功能都有。']),
('zh','customer_service','pos', ARRAY[
  '客服一次就帮我解决了问题。',
  '客服态度很好，很有耐心。',
  '一个小时内就收到了客服的回复。',
  '门店的工作人员非常热情。',
  '感谢服务团队的回访。']),
('zh','customer_service','neg', ARRAY[
  '电话排队四十分钟，最后还被挂断了。',
  '客服一直复制粘贴，答非所问。',
  '说好回电话，结果没人联系我。',
  '客服态度恶劣，根本不听我说。',
  '同一个问题跟五个人解释了五遍。',
  '发邮件一周都没人回复。']),
('zh','customer_service','neu', ARRAY[
  '联系客服查询了订单状态。',
  '客服给了我一个工单号。',
  '在线咨询了一个问题，得到标准回复。']),
('zh','refund','pos', ARRAY[
  '退款两天就到账了。',
  '退货很方便，还免运费。',
  '退款很爽快，没有任何麻烦。',
  '换货很快，新的已经收到了。',
  '箱子里附了退货单，很贴心。']),
('zh','refund','neg', ARRAY[
  '退货三周了还没退款。',
  '莫名其妙拒绝了我的退货申请。',
  '退款金额比我付的少。',
  '退货流程复杂又慢。',
  '被重复扣款，一直没人给退。',
  '产品坏了，退款还要反复争取。']),
('zh','refund','neu', ARRAY[
  '申请了退货，等待上门取件。',
  '退款状态显示处理中。',
  '上周已经把东西寄回去了。']);

-- Closing remarks; '' means none.
CREATE TEMP TABLE g_closer (lang text, pol text, txt text[]);
INSERT INTO g_closer VALUES
('en','pos', ARRAY['', '', 'Keep it up!', 'Will order again.', 'Recommended.']),
('en','neg', ARRAY['', '', 'Very disappointed.', 'Please fix this.', 'Thinking about switching to another shop.']),
('en','neu', ARRAY['', '', '', 'Just my two cents.']),
('zh','pos', ARRAY['', '', '点赞！', '会继续支持。', '推荐。']),
('zh','neg', ARRAY['', '', '非常失望。', '希望尽快改进。', '考虑换别家了。']),
('zh','neu', ARRAY['', '', '', '仅供参考。']);

-- Topic mix by context, as cumulative ranges [lo, hi) of a uniform draw:
-- what people talk about depends on the touchpoint they answer about, or on
-- the channel. Weights of a context sum to 1; the last range is closed at
-- exactly 1.0 so that no draw falls through.
CREATE TEMP TABLE g_topic_w AS
SELECT ctx, topic,
       (sum(w) OVER (PARTITION BY ctx ORDER BY ord) - w)::double precision AS lo,
       CASE WHEN ord = max(ord) OVER (PARTITION BY ctx) THEN 1.0
            ELSE sum(w) OVER (PARTITION BY ctx ORDER BY ord) END::double precision AS hi
FROM (VALUES
  ('purchase',    1, 'price',            0.30), ('purchase',    2, 'quality',          0.30),
  ('purchase',    3, 'app',              0.20), ('purchase',    4, 'delivery',         0.05),
  ('purchase',    5, 'customer_service', 0.10), ('purchase',    6, 'refund',           0.05),
  ('delivery',    1, 'delivery',         0.70), ('delivery',    2, 'quality',          0.10),
  ('delivery',    3, 'customer_service', 0.10), ('delivery',    4, 'app',              0.05),
  ('delivery',    5, 'price',            0.05),
  ('after_sales', 1, 'customer_service', 0.40), ('after_sales', 2, 'refund',           0.35),
  ('after_sales', 3, 'quality',          0.15), ('after_sales', 4, 'delivery',         0.05),
  ('after_sales', 5, 'app',              0.05),
  ('onboarding',  1, 'app',              0.50), ('onboarding',  2, 'customer_service', 0.25),
  ('onboarding',  3, 'price',            0.15), ('onboarding',  4, 'quality',          0.10),
  ('call_center', 1, 'customer_service', 0.30), ('call_center', 2, 'refund',           0.25),
  ('call_center', 3, 'delivery',         0.25), ('call_center', 4, 'app',              0.10),
  ('call_center', 5, 'price',            0.10),
  ('own',         1, 'delivery',         0.24), ('own',         2, 'price',            0.16),
  ('own',         3, 'quality',          0.20), ('own',         4, 'app',              0.14),
  ('own',         5, 'customer_service', 0.16), ('own',         6, 'refund',           0.10),
  ('competitor',  1, 'quality',          0.35), ('competitor',  2, 'price',            0.30),
  ('competitor',  3, 'delivery',         0.20), ('competitor',  4, 'app',              0.15)
) AS v(ctx, ord, topic, w);

-- Where, when, about what and in which mood each feedback row is written.
-- Two sources: comments left with a survey answer (channel 'survey', about
-- half of all feedback), and free voice from the other channels.
CREATE TEMP TABLE g_fb_src AS
-- (1) survey comments: detractors write more often
SELECT r.slot * 4 + 1 AS key,
       r.customer_id, r.response_id,
       r.resp_e + floor(pg_temp.u(402, r.slot) * least(900, :t_end - r.resp_e)) AS recv_e,
       'survey'::text AS channel, NULL::text AS brand,
       r.touchpoint AS ctx, r.churned, r.nps,
       -- mood follows the score given (or the latent score if nps is blank)
       CASE WHEN coalesce(r.nps, round(r.latent)) <= 6
                 THEN CASE WHEN pg_temp.u(403, r.slot) < 0.82 THEN 'neg'
                           WHEN pg_temp.u(403, r.slot) < 0.92 THEN 'neu' ELSE 'pos' END
            WHEN coalesce(r.nps, round(r.latent)) <= 8
                 THEN CASE WHEN pg_temp.u(403, r.slot) < 0.30 THEN 'neg'
                           WHEN pg_temp.u(403, r.slot) < 0.65 THEN 'neu' ELSE 'pos' END
            ELSE CASE WHEN pg_temp.u(403, r.slot) < 0.05 THEN 'neg'
                      WHEN pg_temp.u(403, r.slot) < 0.15 THEN 'neu' ELSE 'pos' END
       END AS pol,
       CASE WHEN pg_temp.u(404, r.slot) < 0.41 THEN 'zh' ELSE 'en' END AS lang
FROM g_resp r
WHERE pg_temp.u(401, r.slot) < CASE WHEN r.nps <= 6 THEN 0.36::float8 WHEN r.nps >= 9 THEN 0.20 ELSE 0.26 END
UNION ALL
-- (2) reviews, call-centre notes, frontline (store staff) notes, social posts
SELECT o.key, c.customer_id, NULL::bigint,
       CASE WHEN c.customer_id IS NOT NULL
            THEN floor(c.start_e + pg_temp.u(506, o.key) * (c.end_e - c.start_e))
            ELSE floor(:t_start + pg_temp.u(506, o.key) * (:t_end - :t_start)) END,
       o.channel, o.brand,
       CASE WHEN o.brand IS NOT NULL THEN 'competitor'
            WHEN o.channel = 'call_center' THEN 'call_center' ELSE 'own' END,
       coalesce(c.churned, false), NULL::smallint,
       CASE
         -- competitors: each brand has its own reputation (share of voice)
         WHEN o.brand IS NOT NULL THEN
           CASE WHEN pg_temp.u(507, o.key) < o.brand_pos THEN 'pos'
                WHEN pg_temp.u(507, o.key) < o.brand_pos + 0.15 THEN 'neu' ELSE 'neg' END
         -- our customers: unhappy ones complain; people call when in trouble
         WHEN c.customer_id IS NOT NULL THEN
           CASE WHEN pg_temp.u(507, o.key) < pg_temp.logistic(-0.3 - 1.1 * c.z + CASE WHEN o.channel = 'call_center' THEN 0.9::float8 ELSE 0 END)
                     THEN 'neg'
                WHEN pg_temp.u(508, o.key) < 0.25 THEN 'neu' ELSE 'pos' END
         -- anonymous public posts about us
         ELSE CASE WHEN pg_temp.u(507, o.key) < 0.45 THEN 'neg'
                   WHEN pg_temp.u(507, o.key) < 0.60 THEN 'neu' ELSE 'pos' END
       END,
       CASE WHEN o.brand = '优品' THEN 'zh'
            WHEN o.brand IS NOT NULL THEN CASE WHEN pg_temp.u(509, o.key) < 0.10 THEN 'zh' ELSE 'en' END
            WHEN pg_temp.u(509, o.key) < 0.41 THEN 'zh' ELSE 'en' END
FROM (
    SELECT x.*,
           CASE x.brand WHEN 'Acme' THEN 0.55::float8 WHEN 'Globex' THEN 0.38 ELSE 0.50 END AS brand_pos,
           -- known customers write in proportion to their survey activity
           -- (borrow the customer of a random survey slot); competitor
           -- posts and half of our social posts are anonymous
           CASE WHEN x.brand IS NULL
                 AND NOT (x.channel = 'social' AND pg_temp.u(504, x.key) < 0.55)
                THEN 1 + floor(pg_temp.u(505, x.key) * :responses)::bigint END AS rslot
    FROM (
        SELECT w.*,
               -- competitor posts: a third of social, an eighth of reviews
               CASE WHEN (w.channel = 'social' AND pg_temp.u(502, w.key) < 0.35)
                      OR (w.channel = 'review' AND pg_temp.u(502, w.key) < 0.12)
                    THEN CASE WHEN pg_temp.u(503, w.key) < 0.40 THEN 'Acme'
                              WHEN pg_temp.u(503, w.key) < 0.75 THEN 'Globex'
                              ELSE '优品' END END AS brand
        FROM (
            SELECT s * 4 + 2 AS key,
                   CASE WHEN pg_temp.u(501, s * 4 + 2) < 0.33 THEN 'review'
                        WHEN pg_temp.u(501, s * 4 + 2) < 0.60 THEN 'call_center'
                        WHEN pg_temp.u(501, s * 4 + 2) < 0.78 THEN 'frontline'
                        ELSE 'social' END AS channel
            FROM generate_series(1, round(:responses * 0.23)::bigint) AS s
        ) w
    ) x
) o
LEFT JOIN g_resp rs ON rs.slot = o.rslot
LEFT JOIN g_cust c ON c.customer_id = rs.customer_id;

ANALYZE g_fb_src, g_phrase, g_closer, g_topic_w;

-- Topic, body text and upstream tags; feedback ids follow time.
CREATE TEMP TABLE g_fb_topic AS
SELECT t.*,
       -- a fifth of the texts touch a second topic in the same mood
       CASE WHEN pg_temp.u(413, key) < 0.20 THEN
         (ARRAY['delivery','price','quality','app','customer_service','refund'])
           [1 + (array_position(ARRAY['delivery','price','quality','app','customer_service','refund'], topic)
                 + floor(pg_temp.u(414, key) * 5)::int) % 6]
       END AS topic2
FROM (
    SELECT f.*,
           CASE
             -- planted root cause: customers who later churn complain
             -- about delivery far more often
             WHEN f.pol = 'neg' AND f.brand IS NULL AND f.churned
                  AND pg_temp.u(411, f.key) < 0.35 THEN 'delivery'
             -- planted recent problem: delivery complaints up lately
             WHEN f.pol = 'neg' AND f.brand IS NULL AND f.recv_e >= :t_delivery_dip
                  AND pg_temp.u(412, f.key) < 0.30 THEN 'delivery'
             ELSE w.topic END AS topic
    FROM g_fb_src f
    JOIN g_topic_w w ON w.ctx = f.ctx
                    AND pg_temp.u(410, f.key) >= w.lo AND pg_temp.u(410, f.key) < w.hi
) t;
-- statistics, so that the phrase look-ups below become hash joins
ANALYZE g_fb_topic;

CREATE TEMP TABLE g_fb AS
SELECT row_number() OVER (ORDER BY t2.recv_e, t2.key) AS feedback_id,
       t2.key, t2.customer_id, t2.response_id, t2.recv_e, t2.channel, t2.brand,
       t2.pol, t2.topic, t2.lang, t2.nps,
       CASE WHEN t2.lang = 'en' THEN
              concat_ws(' ',
                CASE WHEN t2.brand IS NOT NULL AND t2.channel = 'social' THEN '@' || t2.brand
                     WHEN t2.brand IS NOT NULL THEN 'About ' || t2.brand || ':' END,
                p1.txt[1 + floor(pg_temp.u(415, t2.key) * cardinality(p1.txt))::int],
                p2.txt[1 + floor(pg_temp.u(416, t2.key) * cardinality(p2.txt))::int],
                nullif(cl.txt[1 + floor(pg_temp.u(417, t2.key) * cardinality(cl.txt))::int], ''))
            ELSE
              concat(
                CASE WHEN t2.brand IS NOT NULL AND t2.channel = 'social' THEN '#' || t2.brand || '# '
                     WHEN t2.brand IS NOT NULL THEN '【' || t2.brand || '】' END,
                p1.txt[1 + floor(pg_temp.u(415, t2.key) * cardinality(p1.txt))::int],
                p2.txt[1 + floor(pg_temp.u(416, t2.key) * cardinality(p2.txt))::int],
                cl.txt[1 + floor(pg_temp.u(417, t2.key) * cardinality(cl.txt))::int])
       END AS body,
       -- tagged upstream on some rows: call-centre agents tag most often
       pg_temp.u(418, t2.key) < CASE t2.channel WHEN 'call_center' THEN 0.45::float8 WHEN 'frontline' THEN 0.30
                                                WHEN 'survey' THEN 0.08 ELSE 0.10 END AS tagged,
       pg_temp.u(419, t2.key) AS u_sent
FROM g_fb_topic t2
JOIN g_phrase p1 ON p1.lang = t2.lang AND p1.topic = t2.topic AND p1.pol = t2.pol
LEFT JOIN g_phrase p2 ON p2.lang = t2.lang AND p2.topic = t2.topic2 AND p2.pol = t2.pol
JOIN g_closer cl ON cl.lang = t2.lang AND cl.pol = t2.pol;

INSERT INTO voc.feedback
    (feedback_id, customer_id, response_id, received_at, channel, brand, body, topic, sentiment)
SELECT feedback_id, customer_id, response_id, pg_temp.ts(recv_e), channel, brand, body,
       -- Rows tagged upstream use the codes of the shipped taxonomy
       -- (config/taxonomy.ini), as a company's own tagging would.
       CASE WHEN tagged THEN CASE topic WHEN 'delivery' THEN 'late_delivery'
                                        WHEN 'quality' THEN 'product_quality'
                                        WHEN 'app' THEN 'app_bugs'
                                        WHEN 'customer_service' THEN 'service_attitude'
                                        WHEN 'refund' THEN 'refund_return'
                                        ELSE topic END END,
       CASE WHEN tagged THEN round(CASE pol WHEN 'pos' THEN 0.25 + 0.7 * u_sent
                                            WHEN 'neg' THEN -0.25 - 0.7 * u_sent
                                            ELSE -0.05 + 0.1 * u_sent END::numeric, 2)::real END
FROM g_fb ORDER BY feedback_id;

------------------------------------------------------------------------------
-- Customer events: what customers experienced
------------------------------------------------------------------------------

-- About 1.5 events a customer, more for unhappy customers and for those who
-- churn; most of churners' late deliveries fall in the 90 days before churning.
CREATE TEMP TABLE g_evt AS
WITH w AS (
    SELECT c.*, exp(-0.4 * z) * CASE WHEN churned THEN 1.8::float8 ELSE 1 END * (end_e - start_e) / (86400 * 30.44) AS w
    FROM g_cust c
), s AS (SELECT sum(w) AS sw FROM w),
k AS (
    SELECT w.*, least(255, floor(w * (1.5 * :customers / sw) + pg_temp.u(701, customer_id)))::int AS k
    FROM w, s
), e AS (
    SELECT k.customer_id, k.churned, k.start_e, k.end_e, k.customer_id * 256 + j AS key,
           CASE WHEN pg_temp.u(702, k.customer_id * 256 + j) < CASE WHEN churned THEN 0.45::float8 ELSE 0.30 END THEN 'late_delivery'
                WHEN pg_temp.u(703, k.customer_id * 256 + j) < 0.60 THEN 'app_crash'
                ELSE 'payment_failed' END AS event
    FROM k CROSS JOIN LATERAL generate_series(1, k.k) AS j
)
SELECT key, customer_id, event,
       CASE WHEN churned AND event = 'late_delivery' AND pg_temp.u(705, key) < 0.6
            THEN end_e - 1 - floor(pg_temp.u(704, key) * least(90 * 86400, end_e - start_e - 1))
            ELSE start_e + floor(pg_temp.u(704, key) * (end_e - start_e)) END AS occ_e
FROM e;

INSERT INTO voc.customer_events (customer_id, occurred_at, event)
SELECT customer_id, pg_temp.ts(occ_e), event FROM g_evt ORDER BY occ_e, key;

------------------------------------------------------------------------------
-- Cases: the closed loop
------------------------------------------------------------------------------

-- Negative own-brand feedback from known customers opens a case (always
-- more likely from the call centre); a few late deliveries open one
-- proactively. The owning department follows the topic.
CREATE TEMP TABLE g_case AS
WITH src AS (
    SELECT 1 AS src, f.key, f.customer_id, f.feedback_id, f.channel, f.nps, f.recv_e AS base_e,
           CASE f.topic WHEN 'delivery' THEN 'logistics'
                        WHEN 'customer_service' THEN 'customer_service'
                        WHEN 'refund' THEN CASE WHEN pg_temp.u(602, f.key) < 0.5 THEN 'billing' ELSE 'customer_service' END
                        WHEN 'price' THEN 'billing'
                        ELSE 'product' END AS department
    FROM g_fb f
    WHERE f.pol = 'neg' AND f.brand IS NULL AND f.customer_id IS NOT NULL
      AND pg_temp.u(601, f.key) < CASE f.channel WHEN 'call_center' THEN 0.75::float8 WHEN 'frontline' THEN 0.50
                                                 WHEN 'survey' THEN 0.30 ELSE 0.22 END
    UNION ALL
    SELECT 2, e.key, e.customer_id, NULL, 'event', NULL, e.occ_e, 'logistics'
    FROM g_evt e
    WHERE e.event = 'late_delivery' AND pg_temp.u(611, e.key) < 0.05
), p AS (
    SELECT src.*,
           src * 1000003 + key AS ck,   -- a hash key unique across both sources
           CASE WHEN nps <= 3 THEN 'red'
                WHEN nps <= 6 THEN CASE WHEN pg_temp.u(603, src * 1000003 + key) < 0.8 THEN 'amber' ELSE 'red' END
                WHEN channel = 'call_center' THEN
                     CASE WHEN pg_temp.u(603, src * 1000003 + key) < 0.35 THEN 'red'
                          WHEN pg_temp.u(603, src * 1000003 + key) < 0.80 THEN 'amber' ELSE 'green' END
                ELSE CASE WHEN pg_temp.u(603, src * 1000003 + key) < 0.20 THEN 'red'
                          WHEN pg_temp.u(603, src * 1000003 + key) < 0.60 THEN 'amber' ELSE 'green' END
           END AS priority
    FROM src
), o AS (
    SELECT p.*,
           -- opened within 6 hours, never after as_of
           base_e + floor(pg_temp.u(604, ck) * least(6 * 3600, :t_end - base_e)) AS open_e,
           -- hours to first response: red fastest; log-normal spread
           CASE priority WHEN 'red' THEN 5::float8 WHEN 'amber' THEN 16 ELSE 30 END
             * CASE department WHEN 'logistics' THEN 1.4::float8 WHEN 'product' THEN 1.3
                               WHEN 'billing' THEN 1.2 ELSE 0.9 END
             * exp(0.8 * pg_temp.n(605, ck)) AS fr_h,
           CASE priority WHEN 'red' THEN 18::float8 WHEN 'amber' THEN 30 ELSE 40 END
             * exp(0.9 * pg_temp.n(607, ck)) AS cl_h
    FROM p
), f AS (
    SELECT o.*,
           -- no first response yet if it would lie after as_of; a few are
           -- simply never answered
           CASE WHEN pg_temp.u(606, ck) >= 0.02 AND open_e + 60 + floor(fr_h * 3600) < :t_end
                THEN open_e + 60 + floor(fr_h * 3600) END AS fr_e
    FROM o
)
SELECT f.*,
       CASE WHEN fr_e IS NOT NULL AND pg_temp.u(608, ck) >= 0.04 AND fr_e + floor(cl_h * 3600) < :t_end
            THEN fr_e + floor(cl_h * 3600) END AS cl_e
FROM f;

INSERT INTO voc.cases
    (case_id, customer_id, feedback_id, department, priority, opened_at, first_response_at, closed_at, root_cause)
SELECT row_number() OVER (ORDER BY open_e, ck),
       customer_id, feedback_id, department, priority,
       pg_temp.ts(open_e), pg_temp.ts(fr_e), pg_temp.ts(cl_e),
       CASE WHEN cl_e IS NOT NULL AND pg_temp.u(609, ck) < 0.65 THEN
         (CASE department
            WHEN 'logistics' THEN ARRAY['carrier delay','warehouse backlog','address error','damaged in transit']
            WHEN 'customer_service' THEN ARRAY['long queue time','agent knowledge gap','missed callback','policy unclear']
            WHEN 'product' THEN ARRAY['defective batch','app release bug','description mismatch','login outage']
            ELSE ARRAY['promotion not applied','double charge','refund delay','price change not announced']
          END)[1 + floor(pg_temp.u(610, ck) * 4)::int]
       END
FROM g_case;

------------------------------------------------------------------------------
-- Programme costs and business metrics, per month
------------------------------------------------------------------------------

CREATE TEMP TABLE g_month AS
SELECT m::date AS month, row_number() OVER (ORDER BY m) - 1 AS i
FROM generate_series(:'first_month'::date, :'last_month'::date, interval '1 month') AS m;

-- Costs scale with the customer base. The closed-loop intervention budget
-- starts 12 months before as_of (the programme's launch); the technology
-- licence is paid each January.
INSERT INTO voc.program_costs (month, category, amount)
SELECT m.month, c.category,
       round((CASE c.category
                WHEN 'people' THEN 14000 * (1 + 0.02 * m.i / 12.0) * (1 + 0.05 * pg_temp.n(801, m.i))
                WHEN 'technology' THEN 5000 * (1 + 0.03 * pg_temp.n(802, m.i))
                                       + CASE WHEN extract(month FROM m.month) = 1 THEN 12000 ELSE 0 END
                WHEN 'marketing' THEN 3000 * (1 + 0.4 * pg_temp.u(803, m.i))
                ELSE 2500 * (1 + 0.2 * pg_temp.n(804, m.i))
              END * :cost_scale)::numeric, 2)
FROM g_month m
CROSS JOIN (VALUES (1, 'people'), (2, 'technology'), (3, 'marketing'), (4, 'intervention')) AS c(ord, category)
WHERE c.category <> 'intervention' OR m.month >= date_trunc('month', :'as_of'::date - interval '12 months')
ORDER BY m.month, c.ord;

-- The business follows customer sentiment with a delay: each metric is a
-- function of the own-brand NPS some months earlier, plus noise.
--   lead_conversion_rate (fraction)  +0.0006 a point of NPS, 4 months later
--   avg_order_value                  +0.6 % a point of NPS, 2 months later
--   cac                              -0.35 a point of NPS, 3 months later
CREATE TEMP TABLE g_nps_month AS
SELECT date_trunc('month', pg_temp.ts(resp_e))::date AS month,
       100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6)) / count(*) AS nps
FROM g_resp WHERE nps IS NOT NULL
GROUP BY 1;

INSERT INTO voc.business_metrics (month, metric, value)
WITH base AS (
    SELECT avg(nps) AS nps_mean FROM g_nps_month
), aov AS (
    SELECT avg(amount_c)::double precision / 100 AS aov FROM g_ord WHERE status = 'paid'
), lagged AS (
    SELECT m.month, m.i,
           coalesce(n4.nps, b.nps_mean) - b.nps_mean AS d4,
           coalesce(n2.nps, b.nps_mean) - b.nps_mean AS d2,
           coalesce(n3.nps, b.nps_mean) - b.nps_mean AS d3
    FROM g_month m CROSS JOIN base b
    LEFT JOIN g_nps_month n4 ON n4.month = (m.month - interval '4 months')::date
    LEFT JOIN g_nps_month n2 ON n2.month = (m.month - interval '2 months')::date
    LEFT JOIN g_nps_month n3 ON n3.month = (m.month - interval '3 months')::date
)
SELECT month, metric, value FROM (
    SELECT month, i, 1 AS ord, 'lead_conversion_rate' AS metric,
           round((0.034 + 0.0006 * d4 + 0.0025 * pg_temp.n(811, i))::numeric, 5)::double precision AS value
    FROM lagged
    UNION ALL
    SELECT month, i, 2, 'avg_order_value',
           round((a.aov * (1 + 0.006 * d2 + 0.03 * pg_temp.n(812, i)))::numeric, 2)::double precision
    FROM lagged CROSS JOIN aov a
    UNION ALL
    SELECT month, i, 3, 'cac',
           round((48 - 0.35 * d3 + 2.0 * pg_temp.n(813, i))::numeric, 2)::double precision
    FROM lagged
) x
ORDER BY month, ord;

------------------------------------------------------------------------------
-- Dirty rows: a sprinkling of every kind the job must reject
------------------------------------------------------------------------------
-- For each table a deterministic sample of clean rows is ranked by a hash;
-- consecutive rank ranges get one kind each, so the kinds never overlap
-- and each row carries exactly one defect (the job's rejection reasons are
-- then easy to check). Counts are fixed shares of the table (0.3-0.5 %
-- in all). New rows (orphans, future-dated) get fresh ids after the
-- current maximum, as late-arriving rows would.
--   orphan customer ids: :customers + 100 + 3 * rank, never a customer
--   future-dated:        2..7 days after max(today, as_of)

-- customers: duplicate keys, exact and re-imported with a later date and
-- a changed region (0.15 % each)
CREATE TEMP TABLE g_pick AS
WITH n AS (SELECT count(*) AS n FROM voc.customers),
r AS (SELECT c.*, row_number() OVER (ORDER BY pg_temp.u(900, customer_id), customer_id) AS rk
      FROM voc.customers c WHERE pg_temp.u(900, customer_id) < 0.03)
SELECT r.*, CASE WHEN rk <= floor(n * 0.0015) THEN 'dup_exact' ELSE 'dup_later' END AS kind
FROM r, n WHERE rk <= floor(n * 0.0030);

INSERT INTO voc.customers (customer_id, segment, region, acquired_at)
SELECT customer_id, segment,
       CASE WHEN kind = 'dup_exact' THEN region WHEN region = 'online' THEN 'north' ELSE 'online' END,
       CASE WHEN kind = 'dup_exact' THEN acquired_at
            ELSE least(acquired_at + 1 + floor(pg_temp.u(901, customer_id) * 30)::int, :'as_of'::date - 1) END
FROM g_pick ORDER BY rk;
DROP TABLE g_pick;

-- orders: negative amount on paid orders (a sign error in the export),
-- exact and later-dated duplicates, orphans, future-dated (about 0.4 %)
CREATE TEMP TABLE g_pick AS
WITH n AS (SELECT count(*) AS n FROM voc.orders),
r AS (SELECT o.*, row_number() OVER (ORDER BY pg_temp.u(910, order_id), order_id) AS rk
      FROM voc.orders o WHERE status = 'paid' AND pg_temp.u(910, order_id) < 0.02)
SELECT r.*,
       CASE WHEN rk <= floor(n * 0.0008) THEN 'negative_amount'
            WHEN rk <= floor(n * 0.0016) THEN 'dup_exact'
            WHEN rk <= floor(n * 0.0024) THEN 'dup_later'
            WHEN rk <= floor(n * 0.0034) THEN 'orphan'
            ELSE 'future' END AS kind
FROM r, n WHERE rk <= floor(n * 0.0042);

UPDATE voc.orders o SET amount = -o.amount, cost = -o.cost
FROM g_pick p WHERE p.kind = 'negative_amount' AND o.order_id = p.order_id;

INSERT INTO voc.orders (order_id, customer_id, ordered_at, amount, cost, status)
SELECT CASE WHEN kind IN ('orphan', 'future')
            THEN (SELECT max(order_id) FROM voc.orders) + row_number() OVER (ORDER BY kind, rk)
            ELSE order_id END,
       CASE WHEN kind = 'orphan' THEN :customers + 100 + 3 * rk ELSE customer_id END,
       CASE kind
         WHEN 'dup_later' THEN pg_temp.ts(floor(extract(epoch FROM ordered_at)::float8
                               + pg_temp.u(911, order_id) * (:t_end - extract(epoch FROM ordered_at)::float8)))
         WHEN 'future' THEN pg_temp.ts(:t_future + floor(pg_temp.u(912, order_id) * 5 * 86400))
         ELSE ordered_at END,
       amount, cost, status
FROM g_pick WHERE kind <> 'negative_amount' ORDER BY kind, rk;
DROP TABLE g_pick;

-- churn_events (no key): orphans and future-dated events (0.2 % each)
CREATE TEMP TABLE g_pick AS
WITH n AS (SELECT count(*) AS n FROM voc.churn_events),
r AS (SELECT c.*, row_number() OVER (ORDER BY pg_temp.u(920, customer_id), customer_id) AS rk
      FROM g_cust c WHERE pg_temp.u(920, customer_id) < 0.05)
SELECT r.customer_id, r.rk, r.churn_e,
       CASE WHEN rk <= floor(n * 0.002) THEN 'orphan' ELSE 'future' END AS kind
FROM r, n WHERE rk <= floor(n * 0.004);

INSERT INTO voc.churn_events (customer_id, churned_at)
SELECT CASE WHEN kind = 'orphan' THEN :customers + 100 + 3 * rk ELSE customer_id END,
       pg_temp.ts(CASE WHEN kind = 'orphan'
                       THEN floor(:t_churn_from + pg_temp.u(921, customer_id) * (:t_end - :t_churn_from))
                       ELSE :t_future + floor(pg_temp.u(922, customer_id) * 5 * 86400) END)
FROM g_pick ORDER BY kind, rk;
DROP TABLE g_pick;

-- survey_responses: out-of-scale scores (nps 11, csat 0, ces 9), exact and
-- later-dated duplicates, orphans, future-dated (about 0.4 %)
CREATE TEMP TABLE g_pick AS
WITH n AS (SELECT count(*) AS n FROM voc.survey_responses),
r AS (SELECT s.*, row_number() OVER (ORDER BY pg_temp.u(930, response_id), response_id) AS rk
      FROM voc.survey_responses s WHERE pg_temp.u(930, response_id) < 0.02)
SELECT r.*,
       CASE WHEN rk <= floor(n * 0.0012) THEN 'out_of_scale'
            WHEN rk <= floor(n * 0.0018) THEN 'dup_exact'
            WHEN rk <= floor(n * 0.0024) THEN 'dup_later'
            WHEN rk <= floor(n * 0.0032) THEN 'orphan'
            ELSE 'future' END AS kind
FROM r, n WHERE rk <= floor(n * 0.0038);

UPDATE voc.survey_responses s
SET nps  = CASE WHEN p.rk % 3 = 0 THEN 11 ELSE s.nps END,
    csat = CASE WHEN p.rk % 3 = 1 THEN 0 ELSE s.csat END,
    ces  = CASE WHEN p.rk % 3 = 2 THEN 9 ELSE s.ces END
FROM g_pick p WHERE p.kind = 'out_of_scale' AND s.response_id = p.response_id;

INSERT INTO voc.survey_responses
    (response_id, customer_id, responded_at, touchpoint, channel, nps, csat, ces)
SELECT CASE WHEN kind IN ('orphan', 'future')
            THEN (SELECT max(response_id) FROM voc.survey_responses) + row_number() OVER (ORDER BY kind, rk)
            ELSE response_id END,
       CASE WHEN kind = 'orphan' THEN :customers + 100 + 3 * rk ELSE customer_id END,
       CASE kind
         WHEN 'dup_later' THEN pg_temp.ts(floor(extract(epoch FROM responded_at)::float8
                               + pg_temp.u(931, response_id) * (:t_end - extract(epoch FROM responded_at)::float8)))
         WHEN 'future' THEN pg_temp.ts(:t_future + floor(pg_temp.u(932, response_id) * 5 * 86400))
         ELSE responded_at END,
       touchpoint, channel, nps, csat, ces
FROM g_pick WHERE kind <> 'out_of_scale' ORDER BY kind, rk;
DROP TABLE g_pick;

-- feedback: empty or whitespace-only bodies, exact and later-dated
-- duplicates, orphans, future-dated (about 0.4 %). New rows are not tied to
-- a survey answer.
CREATE TEMP TABLE g_pick AS
WITH n AS (SELECT count(*) AS n FROM voc.feedback),
r AS (SELECT f.*, row_number() OVER (ORDER BY pg_temp.u(940, feedback_id), feedback_id) AS rk
      FROM voc.feedback f WHERE pg_temp.u(940, feedback_id) < 0.02)
SELECT r.*,
       CASE WHEN rk <= floor(n * 0.0010) THEN 'empty_body'
            WHEN rk <= floor(n * 0.0016) THEN 'dup_exact'
            WHEN rk <= floor(n * 0.0022) THEN 'dup_later'
            WHEN rk <= floor(n * 0.0030) THEN 'orphan'
            ELSE 'future' END AS kind
FROM r, n WHERE rk <= floor(n * 0.0036);

UPDATE voc.feedback f
SET body = (ARRAY['', ' ', '   ', E'\t', E' \n '])[1 + (p.rk % 5)::int], topic = NULL, sentiment = NULL
FROM g_pick p WHERE p.kind = 'empty_body' AND f.feedback_id = p.feedback_id;

INSERT INTO voc.feedback
    (feedback_id, customer_id, response_id, received_at, channel, brand, body, topic, sentiment)
SELECT CASE WHEN kind IN ('orphan', 'future')
            THEN (SELECT max(feedback_id) FROM voc.feedback) + row_number() OVER (ORDER BY kind, rk)
            ELSE feedback_id END,
       CASE WHEN kind = 'orphan' THEN :customers + 100 + 3 * rk ELSE customer_id END,
       CASE WHEN kind IN ('orphan', 'future') THEN NULL ELSE response_id END,
       CASE kind
         WHEN 'dup_later' THEN pg_temp.ts(floor(extract(epoch FROM received_at)::float8
                               + pg_temp.u(941, feedback_id) * (:t_end - extract(epoch FROM received_at)::float8)))
         WHEN 'future' THEN pg_temp.ts(:t_future + floor(pg_temp.u(942, feedback_id) * 5 * 86400))
         ELSE received_at END,
       CASE WHEN kind IN ('orphan', 'future') AND channel = 'survey' THEN 'call_center' ELSE channel END,
       CASE WHEN kind = 'orphan' THEN NULL ELSE brand END,
       body, topic, sentiment
FROM g_pick WHERE kind <> 'empty_body' ORDER BY kind, rk;
DROP TABLE g_pick;

-- customer_events (no key): orphans and future-dated events (0.15 % each)
INSERT INTO voc.customer_events (customer_id, occurred_at, event)
SELECT CASE WHEN kind = 'orphan' THEN :customers + 100 + 3 * rk ELSE customer_id END,
       pg_temp.ts(CASE WHEN kind = 'orphan' THEN occ_e
                       ELSE :t_future + floor(pg_temp.u(951, key) * 5 * 86400) END),
       event
FROM (
    SELECT e.*, CASE WHEN rk <= floor(n * 0.0015) THEN 'orphan' ELSE 'future' END AS kind
    FROM (SELECT g_evt.*, row_number() OVER (ORDER BY pg_temp.u(950, key), key) AS rk
          FROM g_evt WHERE pg_temp.u(950, key) < 0.02) e,
         (SELECT count(*) AS n FROM g_evt) n
    WHERE rk <= floor(n * 0.0030)
) x
ORDER BY kind, rk;

-- cases: exact duplicates, re-opened duplicates (later opened_at, no
-- response yet), orphans, future-dated (0.1 % each)
CREATE TEMP TABLE g_pick AS
WITH n AS (SELECT count(*) AS n FROM voc.cases),
r AS (SELECT c.*, row_number() OVER (ORDER BY pg_temp.u(960, case_id), case_id) AS rk
      FROM voc.cases c WHERE pg_temp.u(960, case_id) < 0.03)
SELECT r.*,
       CASE WHEN rk <= floor(n * 0.001) THEN 'dup_exact'
            WHEN rk <= floor(n * 0.002) THEN 'dup_later'
            WHEN rk <= floor(n * 0.003) THEN 'orphan'
            ELSE 'future' END AS kind
FROM r, n WHERE rk <= floor(n * 0.004);

INSERT INTO voc.cases
    (case_id, customer_id, feedback_id, department, priority, opened_at, first_response_at, closed_at, root_cause)
SELECT CASE WHEN kind IN ('orphan', 'future')
            THEN (SELECT max(case_id) FROM voc.cases) + row_number() OVER (ORDER BY kind, rk)
            ELSE case_id END,
       CASE WHEN kind = 'orphan' THEN :customers + 100 + 3 * rk ELSE customer_id END,
       CASE WHEN kind IN ('orphan', 'future') THEN NULL ELSE feedback_id END,
       department, priority,
       CASE kind
         WHEN 'dup_later' THEN pg_temp.ts(floor(extract(epoch FROM opened_at)::float8
                               + pg_temp.u(961, case_id) * (:t_end - extract(epoch FROM opened_at)::float8)))
         WHEN 'future' THEN pg_temp.ts(:t_future + floor(pg_temp.u(962, case_id) * 5 * 86400))
         ELSE opened_at END,
       CASE WHEN kind = 'dup_exact' THEN first_response_at END,
       CASE WHEN kind = 'dup_exact' THEN closed_at END,
       CASE WHEN kind = 'dup_exact' THEN root_cause END
FROM g_pick ORDER BY kind, rk;
DROP TABLE g_pick;

------------------------------------------------------------------------------
-- Rebuild the indexes contract.sql defined, commit, refresh statistics
------------------------------------------------------------------------------

SELECT indexdef FROM g_saved_idx ORDER BY indexname \gexec

COMMIT;

ANALYZE voc.customers, voc.orders, voc.churn_events, voc.survey_responses,
        voc.feedback, voc.customer_events, voc.cases, voc.program_costs,
        voc.business_metrics;
