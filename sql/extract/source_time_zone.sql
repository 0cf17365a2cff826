-- The zone the source's times without one were written in ([database]
-- source_time_zone), for the src_<view> views that read such a column
-- (contract.c): a setting of the session, so the views need no value.
-- Figures: none. The contract's views.
-- Parameters: zone.
SELECT set_config('vocreport.source_time_zone', :'zone', false) AS zone
