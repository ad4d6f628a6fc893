-- The funder report (issue 12, decision 0045): a PDF of a programme's indicators over a period,
-- built on the job queue. A report is built for the networks its requester sees (network_ids:
-- a JSON list, NULL for the whole programme), and only someone who sees them all may download it.
-- The file lives in the database, as editions' files do, so that any app server serves it.
CREATE TABLE funder_reports (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    network_ids TEXT,
    -- queued, running, done, failed; progress 0–100.
    status TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    requested_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    requested_by_label TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    built_at TEXT,
    file_name TEXT,
    size INTEGER,
    sha256 TEXT,
    content BLOB
);
CREATE INDEX funder_reports_programme ON funder_reports(programme_id, requested_at);
