-- Reading tools (strumenti di lettura, SPEC §3, decision 0023): a programme's instruments, their
-- versions (the content — dimensions, items, scoring, bands — is one JSON document of the domain
-- type; a published version is never changed again), the rounds that use a version, and one answer
-- per organisation per round (a draft until it is submitted).

CREATE TABLE reading_instruments (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (programme_id, name)
);

CREATE TABLE reading_versions (
    id TEXT PRIMARY KEY,
    instrument_id TEXT NOT NULL REFERENCES reading_instruments(id),
    number BIGINT NOT NULL,
    content_json TEXT NOT NULL,
    published_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (instrument_id, number)
);

CREATE TABLE reading_rounds (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    version_id TEXT NOT NULL REFERENCES reading_versions(id),
    kind TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (programme_id, kind)
);
CREATE INDEX reading_rounds_programme ON reading_rounds(programme_id, opens_on);

CREATE TABLE reading_answers (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES reading_rounds(id),
    network_id TEXT NOT NULL REFERENCES networks(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    answered_by_user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    values_json TEXT NOT NULL,
    submitted_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (round_id, organisation_id)
);
CREATE INDEX reading_answers_network ON reading_answers(network_id, round_id);
