-- Accompaniment diary and objectives–processes matrix (SPEC §4, decision 0021).
-- Hours are kept in hundredths of an hour so that totals are exact integer sums.

CREATE TABLE diary_entries (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    author_user_id TEXT NOT NULL REFERENCES users(id),
    entry_date TEXT NOT NULL,
    hundredths BIGINT NOT NULL,
    kind TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    growth_spaces TEXT NOT NULL DEFAULT '',
    next_steps TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX diary_entries_network ON diary_entries(network_id, entry_date);
CREATE INDEX diary_entries_author ON diary_entries(author_user_id, entry_date);

-- Each network edits its own processes; the default list of SPEC §4 is copied in when its first
-- objective is added.
CREATE TABLE matrix_processes (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (network_id, name_folded)
);

CREATE TABLE matrix_objectives (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    action_line_id TEXT REFERENCES action_lines(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX matrix_objectives_network ON matrix_objectives(network_id, position);
CREATE INDEX matrix_processes_network ON matrix_processes(network_id, position);

-- A cell's status; a cell without a row is planned.
CREATE TABLE matrix_cells (
    objective_id TEXT NOT NULL REFERENCES matrix_objectives(id) ON DELETE CASCADE,
    process_id TEXT NOT NULL REFERENCES matrix_processes(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (objective_id, process_id)
);

-- One role per organisation per cell.
CREATE TABLE matrix_assignments (
    objective_id TEXT NOT NULL REFERENCES matrix_objectives(id) ON DELETE CASCADE,
    process_id TEXT NOT NULL REFERENCES matrix_processes(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    PRIMARY KEY (objective_id, process_id, organisation_id)
);
CREATE INDEX matrix_assignments_process ON matrix_assignments(process_id);
CREATE INDEX matrix_assignments_organisation ON matrix_assignments(organisation_id);
