-- The earliest row of one dated source table before the as-of (period =
-- all): docs/decisions.md "Periods". Clean or not: a lower bound, nothing
-- before it exists to be counted. A table the source does not have is never
-- asked (period_tables.sql).
-- Figures: none. A step of period_all_start.sql.
-- Parameters: as_of_date (NULL: today) (identifiers: :"src", :"table" and
-- its date column :"column").
SELECT min(:"column")::timestamptz AS earliest
  FROM :"src".:"table"
 WHERE :"column" < coalesce(:'as_of_date'::date, current_date)::timestamptz
