-- Meeting mail (issue 7): when the 24-hour reminder of a meeting and the due-date reminder of a
-- follow-up action went out (set by the sweep that queues them, so each goes out once), and what
-- each account wants to receive (decision 0022). An account without a row receives everything.

ALTER TABLE meetings ADD COLUMN reminded_at TEXT;
ALTER TABLE meeting_actions ADD COLUMN reminded_at TEXT;
CREATE INDEX meetings_reminder ON meetings(reminded_at, starts_at);

CREATE TABLE notification_preferences (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    invitations BIGINT NOT NULL DEFAULT 1,
    updates BIGINT NOT NULL DEFAULT 1,
    reminders BIGINT NOT NULL DEFAULT 1,
    follow_ups BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
