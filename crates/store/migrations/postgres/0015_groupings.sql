-- Small groups of networks (SPEC §3, decision 0024): a saved grouping of a programme's networks,
-- its groups by position and each group's networks. The cost is kept in millionths so that both
-- engines store it exactly as an integer.

CREATE TABLE groupings (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    name TEXT NOT NULL,
    min_size BIGINT NOT NULL,
    max_size BIGINT NOT NULL,
    cost_millionths BIGINT NOT NULL,
    created_by_user_id TEXT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX groupings_programme ON groupings(programme_id, created_at);

CREATE TABLE grouping_groups (
    id TEXT PRIMARY KEY,
    grouping_id TEXT NOT NULL REFERENCES groupings(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    UNIQUE (grouping_id, position)
);

CREATE TABLE grouping_members (
    group_id TEXT NOT NULL REFERENCES grouping_groups(id) ON DELETE CASCADE,
    network_id TEXT NOT NULL REFERENCES networks(id),
    PRIMARY KEY (group_id, network_id)
);
CREATE INDEX grouping_members_network ON grouping_members(network_id);
