-- Meeting mail (issue 7): when the 24-hour reminder of a meeting and the due-date reminder of a
-- follow-up action went out (set by the sweep that queues them, so each goes out once), and what
-- each account wants to receive (decision 0022). An account without a row receives everything.

ALTER TABLE meetings ADD COLUMN reminded_at TEXT;
ALTER TABLE meeting_actions ADD COLUMN reminded_at TEXT;
CREATE INDEX meetings_reminder ON meetings(reminded_at, starts_at);

CREATE TABLE notification_preferences (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    invitations INTEGER NOT NULL DEFAULT 1,
    updates INTEGER NOT NULL DEFAULT 1,
    reminders INTEGER NOT NULL DEFAULT 1,
    follow_ups INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

-- Guests without an account registering for a webinar: pending until they open the link sent to
-- their address (only its hash is kept; it expires). Confirming makes them a person registered
-- like any other, so they count against the capacity and receive the calendar file and reminders.
CREATE TABLE meeting_guest_requests (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    confirmed_at TEXT
);
CREATE INDEX meeting_guest_requests_meeting ON meeting_guest_requests(meeting_id);
