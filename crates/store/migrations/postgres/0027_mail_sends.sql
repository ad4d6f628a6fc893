-- A mail job's sending, by the message's own Message-ID (issue 7, decision 0036). A worker
-- records its attempt before handing the message to the SMTP server and the acceptance right
-- after: a job run again after the server accepted the message (its worker died, or its lease
-- passed, before the job was marked done) finds it accepted and does not send it again.
CREATE TABLE mail_sends (
    message_id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    first_attempt_at TEXT NOT NULL,
    accepted_at TEXT
);
CREATE INDEX mail_sends_first_attempt ON mail_sends(first_attempt_at);
