-- A programme's networks (issue 13): every dashboard, scope and list of a programme starts from
-- them; without this index they were found by reading every network and membership (10,000 and
-- 185,000 at EU scale). No index on `archived_at`: SQLite, which keeps no statistics here (see
-- `Db::refresh_statistics`), took `archived_at IS NULL` for a selective condition and walked it
-- row by row, slower than the scans it replaced (measured: 42 → 375 ms for a filtered count).
CREATE INDEX networks_programme ON networks(programme_id);
