-- Records as received (the validated JSON line, unknown fields included) and
-- the verdict decided when each was first stored. Keys are (kind, id).
CREATE TABLE records (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    author      TEXT,
    created_at  TIMESTAMPTZ,
    platform    TEXT,
    region      TEXT,
    body        TEXT NOT NULL,
    ingested_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE verdicts (
    kind           TEXT NOT NULL,
    id             TEXT NOT NULL,
    route          TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    detectors      TEXT NOT NULL,
    verdict        TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE verdict_labels (
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    category TEXT NOT NULL,
    score    REAL NOT NULL,
    severity TEXT NOT NULL,
    PRIMARY KEY (kind, id, category)
);

CREATE INDEX verdicts_route ON verdicts (route);
CREATE INDEX verdict_labels_category ON verdict_labels (category);
