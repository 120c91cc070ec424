-- Records as received (the validated JSON line, unknown fields included),
-- each with the verdict decided when it was first stored.
CREATE TABLE records (
    seq            BIGSERIAL PRIMARY KEY,
    kind           TEXT NOT NULL,
    id             TEXT NOT NULL,
    author         TEXT,
    created_at     TIMESTAMPTZ,
    platform       TEXT,
    region         TEXT,
    body           TEXT NOT NULL,
    ingested_at    TIMESTAMPTZ NOT NULL,
    route          TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    detectors      TEXT NOT NULL,
    verdict        TEXT NOT NULL,
    UNIQUE (kind, id)
);

-- One row per label of a verdict, for reports by category.
CREATE TABLE verdict_labels (
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    category TEXT NOT NULL,
    score    REAL NOT NULL,
    severity TEXT NOT NULL,
    PRIMARY KEY (kind, id, category)
);
CREATE INDEX verdict_labels_category ON verdict_labels (category);
