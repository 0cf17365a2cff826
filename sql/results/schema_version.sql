-- The newest migration a results schema has (0: none yet).
-- Figures: none.
-- Parameters: none.
SELECT coalesce(max(version), 0) AS version
  FROM :"res".schema_version;
