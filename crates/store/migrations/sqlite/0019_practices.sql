-- Good practices and the board of experiences (SPEC §6, decision 0029).
-- search_title and search_body hold the terms of our analyzer (reti_domain::search), so that
-- SQLite FTS5 and PostgreSQL full-text index the same terms.

CREATE TABLE practices (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    network_id TEXT REFERENCES networks(id),
    author_user_id TEXT REFERENCES users(id),
    title TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    action_line INTEGER,
    year INTEGER,
    context TEXT NOT NULL DEFAULT '',
    problem TEXT NOT NULL DEFAULT '',
    objectives TEXT NOT NULL DEFAULT '',
    target_group TEXT NOT NULL DEFAULT '',
    activities TEXT NOT NULL DEFAULT '',
    actors TEXT NOT NULL DEFAULT '',
    resources TEXT NOT NULL DEFAULT '',
    results TEXT NOT NULL DEFAULT '',
    innovation TEXT NOT NULL DEFAULT '',
    sustainability TEXT NOT NULL DEFAULT '',
    transferability TEXT NOT NULL DEFAULT '',
    lessons TEXT NOT NULL DEFAULT '',
    contacts TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    search_title TEXT NOT NULL DEFAULT '',
    search_body TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT
);
CREATE INDEX practices_board ON practices(status, published_at);
CREATE INDEX practices_programme ON practices(programme_id, status);
CREATE INDEX practices_network ON practices(network_id);
CREATE INDEX practices_theme ON practices(status, theme);

CREATE TABLE practice_municipalities (
    practice_id TEXT NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    istat_code TEXT NOT NULL REFERENCES municipalities(istat_code),
    position INTEGER NOT NULL,
    PRIMARY KEY (practice_id, istat_code)
);
CREATE INDEX practice_municipalities_code ON practice_municipalities(istat_code);

-- Reviewers' comments and the reasons a practice was returned, with the step they went with.
CREATE TABLE practice_comments (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    author_user_id TEXT REFERENCES users(id),
    author_label TEXT NOT NULL,
    step TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX practice_comments_practice ON practice_comments(practice_id, created_at);

-- The published practices only; rows are added and removed with the workflow.
CREATE VIRTUAL TABLE practice_search USING fts5(practice_id UNINDEXED, title, body, tokenize = 'unicode61');
