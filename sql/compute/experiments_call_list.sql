-- The treatment call list of an open experiment: metrics.md "Closed-loop
-- retention experiment" (docs/decisions.md "Treatment call list").
-- Figures: none. The rows of the service team's call list sheet.
-- Parameters: experiment, as_of, deadline_hours, topics, departments (as_of
--   is T; deadline_hours the response deadline; topics and departments are
--   text[] of the same length: every topic a department owns and that
--   department).
-- Treatment customers assigned up to T plus this run's new ones; each with
-- the latest clean score before T and the latest clean negative own-brand
-- feedback row before T (any age), whose first topic (the upstream topic,
-- else the tag's best) names the owning department as the config assigns
-- it. Local times (the session time zone is the job's).
WITH a AS (
    SELECT customer_id,
           assigned_at
      FROM :"res".experiment_assignments
     WHERE experiment = :'experiment'
       AND arm = 'treatment'
       AND assigned_at <= :'as_of'::timestamptz
    UNION ALL
    SELECT customer_id,
           :'as_of'::timestamptz
      FROM t_exp_new
     WHERE arm = 'treatment'
),
s AS (
    SELECT DISTINCT ON (customer_id) customer_id,
           nps,
           responded_at
      FROM c_survey_responses
     WHERE customer_id IN (SELECT customer_id FROM a)
       AND nps IS NOT NULL
       AND responded_at < :'as_of'::timestamptz
     ORDER BY customer_id, responded_at DESC, response_id DESC
),
v AS (
    SELECT DISTINCT ON (f.customer_id) f.customer_id,
           f.body,
           f.channel,
           f.received_at,
           coalesce(f.topic::text, g.topics[1]) AS topic
      FROM c_feedback f
      LEFT JOIN :"res".feedback_tags g
        ON g.feedback_id = f.feedback_id
     WHERE f.customer_id IN (SELECT customer_id FROM a)
       AND f.brand IS NULL
       AND pg_temp.vr_negative(coalesce(f.sentiment::real, g.sentiment))
       AND f.received_at < :'as_of'::timestamptz
     ORDER BY f.customer_id, f.received_at DESC, f.feedback_id DESC
),
d AS (
    SELECT *
      FROM unnest(:'topics'::text[], :'departments'::text[]) d(topic, department)
)
SELECT a.customer_id,
       k.segment,
       to_char(a.assigned_at, 'YYYY-MM-DD HH24:MI:SS') AS assigned_at,
       to_char(a.assigned_at + :'deadline_hours'::int * interval '1 hour',
               'YYYY-MM-DD HH24:MI:SS') AS respond_by,
       s.nps,
       to_char(s.responded_at, 'YYYY-MM-DD') AS responded_on,
       to_char(v.received_at, 'YYYY-MM-DD') AS feedback_on,
       v.channel,
       coalesce(d.department, 'unassigned') AS department,
       v.body
  FROM a
  LEFT JOIN c_customers k USING (customer_id)
  LEFT JOIN s USING (customer_id)
  LEFT JOIN v USING (customer_id)
  LEFT JOIN d
    ON d.topic = v.topic
 ORDER BY a.customer_id;
