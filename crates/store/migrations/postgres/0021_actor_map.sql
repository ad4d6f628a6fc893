-- The actor map of a network (SPEC §4, §5; decision 0030): the non-member organisations added to
-- the map as context actors, the relations between organisations on the map, and the snapshots
-- that freeze the map with its metrics, one per reading round.

CREATE TABLE map_actors (
    network_id TEXT NOT NULL REFERENCES networks(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (network_id, organisation_id)
);
CREATE INDEX map_actors_organisation ON map_actors(organisation_id);

-- Undirected: organisation_a is the smaller id. One relation of each kind per pair.
CREATE TABLE map_relations (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    organisation_a TEXT NOT NULL REFERENCES organisations(id),
    organisation_b TEXT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    strength BIGINT NOT NULL CHECK (strength BETWEEN 1 AND 3),
    since TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (organisation_a < organisation_b),
    UNIQUE (network_id, organisation_a, organisation_b, kind)
);
CREATE INDEX map_relations_a ON map_relations(organisation_a);
CREATE INDEX map_relations_b ON map_relations(organisation_b);

-- The frozen map and its metrics as JSON (reti_domain::actor_map::SnapshotData); density and
-- components also as columns, for lists. Taking a round's snapshot again replaces it.
CREATE TABLE map_snapshots (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    round_id TEXT NOT NULL REFERENCES reading_rounds(id),
    taken_at TEXT NOT NULL,
    density DOUBLE PRECISION NOT NULL,
    components BIGINT NOT NULL,
    relations BIGINT NOT NULL,
    data_json TEXT NOT NULL,
    UNIQUE (network_id, round_id)
);
