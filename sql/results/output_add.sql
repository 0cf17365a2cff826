-- One published file of a run: outputs.md "outputs".
-- Figures: none.
-- Parameters: run_id, path, kind, audience, bytes, sha256, department.
INSERT INTO :"res".outputs (run_id, path, kind, audience, bytes, sha256, department)
VALUES (:'run_id', :'path', :'kind', :'audience', :'bytes', :'sha256', :'department');
