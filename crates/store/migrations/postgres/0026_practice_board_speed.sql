-- The board of experiences at 50,000 practices (decision 0035): an index of our own terms read
-- best first on both engines, the board's counts and filter values kept beside it, and the list's
-- order served by an index. FTS5's bm25() and PostgreSQL's ts_rank_cd() rank every match before
-- the first page can be cut; these tables let both engines read only the top of the ranking.

-- Every term of every published practice, with its weight (reti_domain::search::term_weights).
CREATE TABLE practice_terms (
    practice_id TEXT NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    weight DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (practice_id, term)
);
CREATE INDEX practice_terms_best ON practice_terms(term, weight DESC, practice_id);

-- How many published practices hold each term; the empty term counts them all.
CREATE TABLE practice_term_counts (
    term TEXT PRIMARY KEY,
    practices BIGINT NOT NULL
);

-- The values the board's filters offer (kind: theme, action_line, year, network, province), with
-- how many published practices have each.
CREATE TABLE practice_facets (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    practices BIGINT NOT NULL,
    PRIMARY KEY (kind, value)
);

DROP INDEX practices_search;
ALTER TABLE practices DROP COLUMN search_vector;
DROP INDEX practices_board;
CREATE INDEX practices_board ON practices(status, published_at, id);
