-- Personal data (issue 13, SPEC §9, decision 0050): consents as given, erasures by number (the
-- pseudonym "Persona cancellata #N"), guests marked so that retention finds them, and the days
-- the retention sweep has run (once a day, however many servers sweep).
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    -- `invitation` or `meeting_guest`.
    purpose TEXT NOT NULL,
    -- The version of the privacy notice shown, and the language it was shown in.
    notice_version TEXT NOT NULL,
    locale TEXT NOT NULL,
    -- The invitation or the guest request the consent was given with.
    reference_id TEXT NOT NULL,
    given_at TEXT NOT NULL,
    ip TEXT
);
CREATE INDEX consents_email ON consents(email);
CREATE INDEX consents_reference ON consents(reference_id);

CREATE TABLE erasures (
    number BIGINT PRIMARY KEY,
    person_id TEXT,
    user_id TEXT,
    -- `request` (reti person erase, the coordination's page) or `retention`.
    reason TEXT NOT NULL,
    erased_at TEXT NOT NULL
);

ALTER TABLE people ADD COLUMN guest_since TEXT;
ALTER TABLE people ADD COLUMN erased_at TEXT;
ALTER TABLE users ADD COLUMN erased_at TEXT;

CREATE TABLE retention_runs (
    day TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);
