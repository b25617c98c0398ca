-- Packages that prove where a submission comes from (submission format 2).

-- Each package issued keeps its random id, the secret that signs the department's submission
-- (HMAC-SHA256), and the cells it issued with their values and revisions: the merge base is
-- this record, never what a returned file says of itself.
ALTER TABLE package_log ADD COLUMN package_id TEXT NOT NULL DEFAULT '';
ALTER TABLE package_log ADD COLUMN secret TEXT NOT NULL DEFAULT '';
ALTER TABLE package_log ADD COLUMN issued_cells TEXT NOT NULL DEFAULT '[]';
CREATE UNIQUE INDEX package_log_by_package_id ON package_log (package_id) WHERE package_id <> '';

-- Which package a merged submission answered, and the department database's revision when it
-- was written: an older submission merged after a newer one is refused.
ALTER TABLE submission_log ADD COLUMN package_id TEXT NOT NULL DEFAULT '';
ALTER TABLE submission_log ADD COLUMN department_revision INTEGER NOT NULL DEFAULT 0;

-- Sheets exported: a returned sheet's hidden revision is taken as its merge base only when this
-- database exported a sheet at that revision; any other claim counts as no base at all.
CREATE TABLE sheet_export_log (
    id          INTEGER PRIMARY KEY,
    revision    INTEGER NOT NULL,
    department  TEXT NOT NULL DEFAULT '',
    file        TEXT NOT NULL,
    exported_at TEXT NOT NULL
);
CREATE INDEX sheet_export_log_by_revision ON sheet_export_log (revision);
