-- Arm assignment: metrics.md "Closed-loop retention experiment".
-- Figures: none. A definition the experiment files use:
--   pg_temp.vr_arm(experiment, customer_id, treatment_share).
-- Parameters: none.
-- The arm of a customer, reproducible anywhere md5 exists: the first 13 hex
-- digits (52 bits) of md5('<experiment>:<customer_id>') as an integer,
-- divided by 2^52 (exact in a double); below treatment_share is treatment.
-- SQL-bodied and immutable, so the planner inlines it into each query.
CREATE OR REPLACE FUNCTION pg_temp.vr_arm(experiment text, customer_id bigint,
                                          treatment_share float8) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN ('x' || substr(md5(experiment || ':' || customer_id::text), 1, 13))
                         ::bit(52)::bigint::float8 / 4503599627370496.0::float8 < treatment_share
                THEN 'treatment'
                ELSE 'control' END;
