-- Where period = all starts: local midnight of the earliest dated row
-- before the as-of in any source table (period_earliest.sql, one value per
-- table present), and at the latest the day before the as-of, so the period
-- always holds a day.
-- Figures: none. The start handed to period_resolve.sql.
-- Parameters: earliest, as_of_date. earliest is a timestamptz array, one
-- value per table with a row; as_of_date NULL is today.
SELECT least((SELECT min(x)::date::timestamptz
                FROM unnest(:'earliest'::timestamptz[]) AS x),
             coalesce(:'as_of_date'::date, current_date)::timestamptz - interval '1 day')
       AS all_start
