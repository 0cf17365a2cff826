-- A migration applied, in the same transaction as the migration itself.
-- Figures: none.
-- Parameters: version.
INSERT INTO :"res".schema_version (version)
VALUES (:'version');
