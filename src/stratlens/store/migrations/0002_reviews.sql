-- Version 2: analysts' corrections from `stratlens review`, kept as evaluation and training data.
CREATE TABLE reviews (
    id           INTEGER PRIMARY KEY,
    passage_id   INTEGER REFERENCES passages(id) ON DELETE SET NULL,
    text         TEXT NOT NULL,             -- copied so the review survives re-ingesting
    framework_id TEXT NOT NULL,
    labels       TEXT NOT NULL,             -- JSON list of theme ids, primary first
    decision     TEXT NOT NULL,             -- accepted | corrected
    reviewer     TEXT,
    reviewed_at  TEXT NOT NULL
);
CREATE INDEX reviews_framework ON reviews(framework_id);
