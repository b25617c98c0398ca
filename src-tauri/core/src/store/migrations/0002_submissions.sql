-- Departments' returns: conflicts awaiting the coordinator, and the log of what was received.

-- A cell changed both by the coordinator and by a department since the department's base.
-- Nothing is applied until the coordinator chooses; a later return of the same department
-- replaces its earlier conflict on the same cell.
CREATE TABLE conflict (
    measure_id        INTEGER NOT NULL REFERENCES measure (id) ON DELETE CASCADE,
    year              INTEGER NOT NULL,
    field             TEXT NOT NULL,
    department        TEXT NOT NULL,
    base_value        TEXT NOT NULL,
    coordinator_value TEXT NOT NULL,
    department_value  TEXT NOT NULL,
    source            TEXT NOT NULL,
    received_at       TEXT NOT NULL,
    PRIMARY KEY (measure_id, year, field)
) WITHOUT ROWID;

-- Every return merged: submission files and sheets, with what the merge did.
CREATE TABLE submission_log (
    id          INTEGER PRIMARY KEY,
    department  TEXT NOT NULL,
    year        INTEGER NOT NULL,
    half        TEXT NOT NULL,
    file        TEXT NOT NULL,
    checksum    TEXT NOT NULL DEFAULT '',
    approved_by TEXT NOT NULL DEFAULT '',
    approved_on TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    applied     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    conflicts   INTEGER NOT NULL
);
CREATE INDEX submission_log_by_department ON submission_log (department, year, half);

-- Request packages issued to departments.
CREATE TABLE package_log (
    id         INTEGER PRIMARY KEY,
    department TEXT NOT NULL,
    year       INTEGER NOT NULL,
    half       TEXT NOT NULL,
    file       TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    issued_at  TEXT NOT NULL
);
