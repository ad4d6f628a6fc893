-- The job queue: work done after the request that asked for it (mail, reminders, e-book builds).
-- A worker claims due jobs by setting `locked_by` and a lease (`locked_until`); a running job whose
-- lease has passed is claimed again. Timestamps are UTC RFC 3339 text, like everywhere else.

CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    run_at TEXT NOT NULL,
    locked_by TEXT,
    locked_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- The claim looks for queued jobs that are due, and running ones whose lease has passed.
CREATE INDEX jobs_due ON jobs(status, run_at);
CREATE INDEX jobs_lease ON jobs(status, locked_until);
