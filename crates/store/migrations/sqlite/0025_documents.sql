-- Shared documents (issue 10, decision 0034): every save is a revision; the document row holds
-- the newest one, and a save names the revision it started from, so a stale save is refused.
-- A document has exactly one owner: a network now; lab_id is the room left for the labs' scope.

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    network_id TEXT REFERENCES networks(id),
    lab_id TEXT,
    title TEXT NOT NULL,
    current_revision_id TEXT NOT NULL,
    revisions INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((CASE WHEN network_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN lab_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE INDEX documents_network ON documents(network_id, updated_at);
CREATE INDEX documents_lab ON documents(lab_id, updated_at);

CREATE TABLE document_revisions (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    summary TEXT NOT NULL,
    author_user_id TEXT NOT NULL REFERENCES users(id),
    -- The number of the revision this one restored, if it is a restore.
    restored_from INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (document_id, number)
);

CREATE TABLE document_comments (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    revision_id TEXT NOT NULL REFERENCES document_revisions(id),
    author_user_id TEXT NOT NULL REFERENCES users(id),
    quote TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX document_comments_document ON document_comments(document_id, created_at);
