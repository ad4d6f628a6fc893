-- Thematic labs (SPEC §6, issue 10, decision 0032): a programme's labs with their experts
-- (accounts or guests), participants enrolled from the programme's networks, materials (files
-- kept like meeting attachments, `attachments/<lab id>/<material id>`), and sessions: meetings
-- of kind lab that name their lab.

CREATE TABLE labs (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    title TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    -- The number of one of the programme's action lines.
    action_line INTEGER,
    description TEXT NOT NULL DEFAULT '',
    -- `open` (people of the programme's networks enrol themselves) or `invitation`.
    enrolment TEXT NOT NULL,
    -- NULL: no limit.
    capacity INTEGER,
    -- `planned`, `running` or `closed`.
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX labs_programme ON labs(programme_id, status);

-- An expert is an account (user_id) or a guest without one (name, e-mail, organisation).
CREATE TABLE lab_experts (
    id TEXT PRIMARY KEY,
    lab_id TEXT NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX lab_experts_lab ON lab_experts(lab_id);
CREATE INDEX lab_experts_user ON lab_experts(user_id);

-- A participant is an account with the network they come from; `invited_by` is empty when they
-- enrolled themselves.
CREATE TABLE lab_participants (
    lab_id TEXT NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    network_id TEXT NOT NULL REFERENCES networks(id),
    invited_by TEXT NOT NULL DEFAULT '',
    enrolled_at TEXT NOT NULL,
    PRIMARY KEY (lab_id, user_id)
);
CREATE INDEX lab_participants_user ON lab_participants(user_id);

CREATE TABLE lab_materials (
    id TEXT PRIMARY KEY,
    lab_id TEXT NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX lab_materials_lab ON lab_materials(lab_id);

ALTER TABLE meetings ADD COLUMN lab_id TEXT REFERENCES labs(id);
CREATE INDEX meetings_lab ON meetings(lab_id, starts_at);
