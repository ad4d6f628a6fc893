-- Meetings of the networks (SPEC §4, issue 7): kind and mode, place or link, start and end in UTC
-- (entered and shown in Europe/Rome), agenda, series of an accompaniment cycle, invitees,
-- registrations with a waiting list, the attendance register with its sign-off and corrections,
-- minutes, attachments and follow-up actions. Timestamps are UTC RFC 3339 text like everywhere else.

CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    -- Meetings of one recurring series (an accompaniment cycle) share it.
    series_id TEXT,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    agenda TEXT NOT NULL DEFAULT '',
    registration_open BIGINT NOT NULL DEFAULT 1,
    capacity BIGINT,
    minutes TEXT NOT NULL DEFAULT '',
    -- Set by the facilitator's sign-off; the hash covers the register as signed (or as corrected).
    signed_at TEXT,
    signed_by TEXT,
    register_hash TEXT,
    -- RFC 5545 SEQUENCE: raised on every change, so that calendar clients replace the event.
    sequence BIGINT NOT NULL DEFAULT 0,
    cancelled_at TEXT,
    created_by_user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX meetings_network_start ON meetings(network_id, starts_at);
CREATE INDEX meetings_start ON meetings(starts_at);
CREATE INDEX meetings_series ON meetings(series_id);

-- Who is invited: a person, an organisation (its people) or a whole network (its members' people).
CREATE TABLE meeting_invitees (
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    PRIMARY KEY (meeting_id, kind, target_id)
);

-- `registered`, `waiting` (past capacity; promoted in order of `queued_at`) or `cancelled`.
CREATE TABLE meeting_registrations (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id),
    status TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (meeting_id, person_id)
);
CREATE INDEX meeting_registrations_person ON meeting_registrations(person_id);

CREATE TABLE meeting_attendance (
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id),
    present BIGINT NOT NULL,
    minutes_attended BIGINT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    -- Someone who came without being invited.
    walk_in BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX meeting_attendance_person ON meeting_attendance(person_id);

-- Changes to a signed register: each names its reason (the audit log has them too).
CREATE TABLE meeting_register_corrections (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id),
    reason TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT NOT NULL,
    actor_label TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX meeting_register_corrections_meeting ON meeting_register_corrections(meeting_id);

-- Files kept under the data directory, `attachments/<meeting id>/<attachment id>`.
CREATE TABLE meeting_attachments (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX meeting_attachments_meeting ON meeting_attachments(meeting_id);

-- Decisions taken and follow-up actions: owner, due date, status (`open`, `in_progress`, `done`).
CREATE TABLE meeting_actions (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due_on TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX meeting_actions_meeting ON meeting_actions(meeting_id);
CREATE INDEX meeting_actions_due ON meeting_actions(status, due_on);

-- Calendar feeds that calendar clients subscribe to without logging in: a secret URL (only its
-- hash is kept), revocable. A feed shows its owner's meetings, or one network's while the owner
-- still sees that network's meetings.
CREATE TABLE calendar_feeds (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    network_id TEXT REFERENCES networks(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX calendar_feeds_user ON calendar_feeds(user_id);
