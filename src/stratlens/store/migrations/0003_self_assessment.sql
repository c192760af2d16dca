-- Version 3: councils' self-assessment against the LGA practice ladder (stratlens selfassess).
-- One row per council and ladder action; pre-filled from the strategy's evidence
-- (source = 'evidence') and edited by the council (source = 'council'), which a later pre-fill
-- never overwrites.
CREATE TABLE self_assessments (
    council_id  TEXT NOT NULL REFERENCES councils(id),
    action_id   TEXT NOT NULL,              -- e.g. 'data.2.3' (lga-digitalisation-outcomes)
    outcome_id  TEXT NOT NULL,              -- e.g. 'data'
    stage       INTEGER NOT NULL,           -- 1..3
    status      TEXT NOT NULL CHECK (status IN ('done', 'in-progress', 'not-started')),
    source      TEXT NOT NULL CHECK (source IN ('evidence', 'council')),
    document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,  -- the strategy the pre-fill read
    evidence    TEXT,                       -- the sentence that evidenced the action, if any
    page        INTEGER,
    note        TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT,
    PRIMARY KEY (council_id, action_id)
);
CREATE INDEX self_assessments_outcome ON self_assessments(outcome_id);
