-- The report: departments, pledges, measures, fiscal years with their halves, and the cells.
-- A released migration is never edited; add a new numbered file instead.

CREATE TABLE report_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE department (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0)
);

CREATE TABLE pledge (
    id     INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE CHECK (number > 0),
    title  TEXT NOT NULL
);

CREATE TABLE measure (
    id            INTEGER PRIMARY KEY,
    pledge_id     INTEGER NOT NULL REFERENCES pledge (id),
    department_id INTEGER NOT NULL REFERENCES department (id),
    -- What the 公約 cell adds for this measure under the pledge's title (［松戸橋改築事業］).
    pledge_caption TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL,
    target_date   TEXT NOT NULL DEFAULT '',
    position      INTEGER NOT NULL
);
CREATE INDEX measure_by_position ON measure (position);
CREATE INDEX measure_by_department ON measure (department_id);

CREATE TABLE fiscal_year (
    year INTEGER PRIMARY KEY
);

CREATE TABLE half_year (
    year     INTEGER NOT NULL REFERENCES fiscal_year (year) ON DELETE CASCADE,
    half     TEXT NOT NULL CHECK (half IN ('H1', 'H2')),
    -- Comma-separated calendar months, in order: '10,11,12' for a short first half.
    months   TEXT NOT NULL,
    state    TEXT NOT NULL CHECK (state IN ('upcoming', 'open', 'closed')),
    deadline TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, half)
) WITHOUT ROWID;

-- One row per written cell; a cell never written is blank. `revision` is the report revision
-- of the action that last wrote it, the base that submissions are merged against.
CREATE TABLE cell (
    measure_id INTEGER NOT NULL REFERENCES measure (id) ON DELETE CASCADE,
    year       INTEGER NOT NULL REFERENCES fiscal_year (year) ON DELETE CASCADE,
    field      TEXT NOT NULL CHECK (field IN ('annual_target', 'annual_indicator', 'year_note',
                   'h1_plan', 'h1_indicator', 'h1_status', 'h2_plan', 'h2_indicator', 'h2_status')),
    value      TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    PRIMARY KEY (measure_id, year, field)
) WITHOUT ROWID;

-- Every change of a cell: when, who, from where. Kept when a measure is deleted, for the record.
CREATE TABLE cell_change (
    id         INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL,
    year       INTEGER NOT NULL,
    field      TEXT NOT NULL,
    old_value  TEXT NOT NULL,
    new_value  TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    changed_at TEXT NOT NULL,
    actor      TEXT NOT NULL,
    source     TEXT NOT NULL
);
CREATE INDEX cell_change_by_cell ON cell_change (measure_id, year, field);
