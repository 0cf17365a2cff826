-- Whether a source view without row rules (program_costs,
-- business_metrics) has a row: an optional view without one is a gap like
-- an absent one, flagged empty_<view>.
-- Figures: none. A step of the data checks.
-- Parameters: none (identifiers: :"view").
SELECT EXISTS (SELECT 1 FROM :"view") AS has_rows
