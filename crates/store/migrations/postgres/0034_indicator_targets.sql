-- Targets of the built-in indicators (issue 12, decision 0043), per programme, period and
-- optionally network: `scope_key` is the network's id, or '' for the programme as a whole, so
-- that one row per target is enforced on both engines (NULLs are never equal in a UNIQUE).
CREATE TABLE indicator_targets (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    network_id TEXT REFERENCES networks(id),
    scope_key TEXT NOT NULL,
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (programme_id, scope_key, indicator, period)
);
-- The lab participants of a network, counted per network.
CREATE INDEX lab_participants_network ON lab_participants(network_id, enrolled_at);
