-- stratlens store, schema version 1.
-- Plain tables that Datasette (or any SQLite client) can open; FTS5 over passages.

CREATE TABLE councils (
    id          TEXT PRIMARY KEY,           -- slug, e.g. 'cardiff'
    gss         TEXT,                       -- ONS GSS code where known, e.g. 'W06000015'
    name_en     TEXT NOT NULL,
    name_cy     TEXT,
    short       TEXT NOT NULL,
    type        TEXT,                       -- county, county-borough, district, ... national-body
    nation      TEXT,
    is_national INTEGER NOT NULL DEFAULT 0  -- 1 for national bodies (Welsh Government, WLGA, ...)
);

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,       -- content hash: the same file twice is one document
    council_id  TEXT NOT NULL REFERENCES councils(id),
    title       TEXT,
    year        INTEGER,
    nation      TEXT,
    source      TEXT NOT NULL,              -- file path or URL it was read from
    source_url  TEXT,
    format      TEXT NOT NULL,
    pages       INTEGER,
    language    TEXT,                       -- main language of its passages: en, cy
    bytes       INTEGER,
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_council ON documents(council_id);

CREATE TABLE passages (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    page        INTEGER,
    heading     TEXT,                       -- heading path joined with ' > '
    lang        TEXT,
    UNIQUE (document_id, seq)
);

CREATE VIRTUAL TABLE passages_fts USING fts5(
    text, heading, content='passages', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, text, heading) VALUES (new.id, new.text, new.heading);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text, heading) VALUES ('delete', old.id, old.text, old.heading);
END;

CREATE TABLE labels (
    passage_id    INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    framework_id  TEXT NOT NULL,
    theme_id      TEXT NOT NULL,
    score         REAL NOT NULL,            -- calibrated 0..1
    assigned      INTEGER NOT NULL,         -- 1 when score is over the theme's threshold
    matched_terms TEXT,                     -- JSON list of framework keywords found in the passage
    PRIMARY KEY (passage_id, framework_id, theme_id)
);
CREATE INDEX labels_theme ON labels(framework_id, theme_id, assigned);

CREATE TABLE classifier_runs (
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    framework_id  TEXT NOT NULL,
    model         TEXT NOT NULL,            -- classifier name and version
    classified_at TEXT NOT NULL,
    PRIMARY KEY (document_id, framework_id)
);
