-- A coordinator's decision stands (#25): what the coordinator has seen of a department's return
-- is that department's base for its later returns of the same issue, and a settled conflict
-- keeps how it was settled.

-- Per issue (a package by its id; a returned sheet by its department, period and export
-- revision) and per cell: the department's value last seen in a merge, kept by applying it or
-- decided by resolving its conflict. A later return of the same issue that still carries it has
-- not changed the cell. A new issue starts from its own issued base, never from this.
CREATE TABLE seen_value (
    department TEXT NOT NULL,
    issue      TEXT NOT NULL,
    measure_id INTEGER NOT NULL REFERENCES measure (id) ON DELETE CASCADE,
    year       INTEGER NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (department, issue, measure_id, year, field)
) WITHOUT ROWID;

-- The issue the conflicting return answered (empty for a conflict recorded before this
-- migration), and, once settled, when, by whom (取りまとめ or the department) and how; a conflict
-- waits while `settled_at` is NULL. A new conflict on the cell replaces a settled one.
ALTER TABLE conflict ADD COLUMN issue TEXT NOT NULL DEFAULT '';
ALTER TABLE conflict ADD COLUMN settled_at TEXT;
ALTER TABLE conflict ADD COLUMN settled_by TEXT NOT NULL DEFAULT '';
ALTER TABLE conflict ADD COLUMN settlement TEXT NOT NULL DEFAULT '';
ALTER TABLE conflict ADD COLUMN settled_value TEXT NOT NULL DEFAULT '';
