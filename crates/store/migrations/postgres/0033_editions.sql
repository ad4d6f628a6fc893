-- Editions of the e-book of best practices (issue 11, decision 0041): what the coordination
-- composes (the edition, its chapters, each chapter's ordered choice of practices, an uploaded
-- cover), and every build of it as a numbered version with one row per file format. Files live
-- in the database, so that any app server's worker builds and any app server serves them.
CREATE TABLE editions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    subtitle TEXT NOT NULL DEFAULT '',
    year BIGINT NOT NULL,
    -- One name per line.
    editors TEXT NOT NULL DEFAULT '',
    licence TEXT NOT NULL,
    introduction TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE edition_chapters (
    id TEXT PRIMARY KEY,
    edition_id TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    introduction TEXT NOT NULL DEFAULT ''
);
CREATE INDEX edition_chapters_edition ON edition_chapters(edition_id, position);

CREATE TABLE edition_chapter_practices (
    chapter_id TEXT NOT NULL REFERENCES edition_chapters(id) ON DELETE CASCADE,
    practice_id TEXT NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (chapter_id, practice_id)
);

CREATE TABLE edition_covers (
    edition_id TEXT PRIMARY KEY REFERENCES editions(id) ON DELETE CASCADE,
    mime TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    alt TEXT NOT NULL,
    content BYTEA NOT NULL,
    created_at TEXT NOT NULL
);

-- status: queued, running, done, failed; progress 0–100.
CREATE TABLE edition_versions (
    id TEXT PRIMARY KEY,
    edition_id TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    status TEXT NOT NULL,
    progress BIGINT NOT NULL DEFAULT 0,
    error TEXT,
    requested_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    requested_by_label TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    built_at TEXT,
    UNIQUE (edition_id, number)
);

-- One file per format of a version (epub; pdf when the PDF writer is wired in).
CREATE TABLE edition_files (
    version_id TEXT NOT NULL REFERENCES edition_versions(id) ON DELETE CASCADE,
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (version_id, format)
);
