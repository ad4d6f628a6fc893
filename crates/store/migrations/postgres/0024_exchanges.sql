-- Remote exchanges (issue 10, decision 0033): threads of messages with replies, quotes, mentions
-- and attachments, per-person read markers, moderation; the in-app notifications they create and
-- the mail each person wants of them (immediately, a daily digest, or none).
--
-- A thread belongs to exactly one space: a network today, a lab later (`lab_id` gets its foreign
-- key with the lab scope; no code writes it before). The CHECK keeps exactly one owner set.

CREATE TABLE exchange_threads (
    id TEXT PRIMARY KEY,
    network_id TEXT REFERENCES networks(id),
    lab_id TEXT,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    title TEXT NOT NULL,
    author_user_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    last_message_at TEXT NOT NULL,
    CHECK ((CASE WHEN network_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN lab_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE INDEX exchange_threads_network ON exchange_threads(network_id, last_message_at);
CREATE INDEX exchange_threads_lab ON exchange_threads(lab_id, last_message_at);

-- The thread's opening message has `opening` = 1; hiding it hides the thread (no more replies).
CREATE TABLE exchange_messages (
    id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES exchange_threads(id),
    author_user_id TEXT NOT NULL REFERENCES users(id),
    opening BIGINT NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    quoted_message_id TEXT REFERENCES exchange_messages(id),
    created_at TEXT NOT NULL,
    hidden_at TEXT,
    hidden_by_user_id TEXT REFERENCES users(id),
    hidden_reason TEXT
);
CREATE INDEX exchange_messages_thread ON exchange_messages(thread_id, created_at);

CREATE TABLE exchange_attachments (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES exchange_messages(id),
    thread_id TEXT NOT NULL REFERENCES exchange_threads(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX exchange_attachments_message ON exchange_attachments(message_id);

-- What each person has read of a thread: messages after `read_at` are unread.
CREATE TABLE exchange_reads (
    thread_id TEXT NOT NULL REFERENCES exchange_threads(id),
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    read_at TEXT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);

-- How a person wants the mail of their notifications: 'immediate', 'digest' or 'none'. An
-- account without a row gets them immediately.
CREATE TABLE exchange_mail_preferences (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    mode TEXT NOT NULL CHECK (mode IN ('immediate', 'digest', 'none')),
    updated_at TEXT NOT NULL
);

-- One daily digest per person and day (Europe/Rome), recorded in the transaction that queues its
-- mail: a sweep or a job run twice sends nothing twice.
CREATE TABLE exchange_digests (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    items BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, day)
);

-- The days whose digest run has been queued (one job a day, however many servers sweep).
CREATE TABLE exchange_digest_runs (
    day TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

-- In-app notifications. `mailed_at` is set when the immediate mail is queued, `digest_id` when a
-- digest carried it: each at most once.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    link TEXT NOT NULL,
    subject TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    source_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    mailed_at TEXT,
    digest_id TEXT REFERENCES exchange_digests(id)
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, created_at);
CREATE INDEX notifications_source ON notifications(source_id);
CREATE INDEX notifications_pending_digest ON notifications(digest_id, mailed_at, user_id);
