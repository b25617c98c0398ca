-- The April reorganisation: departments merged, split and renamed, measures moved and ended.

-- The last fiscal year a measure reports on; NULL while it continues. A measure that ended keeps
-- its row, its cells and its place on the sheet: only its later years are not issued.
ALTER TABLE measure ADD COLUMN last_year INTEGER;

-- Every change of who owns what, oldest first, never edited. A row with a measure is a change of
-- that measure (its owner, or its end: `last_year`); a row without one says that the department
-- `from_department` was merged, split or renamed into `to_department` and is gone (a split into
-- two departments is two rows). Names, not ids: the department rows of the past are removed, and
-- packages and submissions name their department by name. `revision` orders a change against
-- the packages issued (package_log.revision): a package issued before it answers the old owners.
CREATE TABLE reorganisation (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'rename', 'move', 'retire')),
    measure_id      INTEGER,
    from_department TEXT NOT NULL,
    to_department   TEXT NOT NULL,
    last_year       INTEGER,
    revision        INTEGER NOT NULL,
    changed_at      TEXT NOT NULL,
    actor           TEXT NOT NULL
);
CREATE INDEX reorganisation_by_department ON reorganisation (from_department, revision);
CREATE INDEX reorganisation_by_measure ON reorganisation (measure_id, revision);
