-- Registry (SPEC §2): programmes' details and action lines, municipalities (ISTAT), organisations
-- with resource tags, people and affiliations, networks with memberships, municipalities, action
-- lines and assigned users, local projects with their actions.

ALTER TABLE programmes ADD COLUMN fund TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN cup TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN starts_on TEXT;
ALTER TABLE programmes ADD COLUMN ends_on TEXT;
ALTER TABLE programmes ADD COLUMN archived_at TEXT;

CREATE TABLE action_lines (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    UNIQUE (programme_id, number)
);

CREATE TABLE municipalities (
    istat_code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    province TEXT NOT NULL,
    province_code TEXT NOT NULL,
    region TEXT NOT NULL,
    cadastral_code TEXT NOT NULL
);
CREATE INDEX municipalities_name ON municipalities(name_folded);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    kind TEXT NOT NULL,
    tax_code TEXT NOT NULL UNIQUE,
    municipality_code TEXT REFERENCES municipalities(istat_code),
    address TEXT NOT NULL DEFAULT '',
    email TEXT,
    phone TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX organisations_name ON organisations(name_folded);
CREATE INDEX organisations_municipality ON organisations(municipality_code);

CREATE TABLE organisation_tags (
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    tag_folded TEXT NOT NULL,
    PRIMARY KEY (organisation_id, tag_folded)
);
CREATE INDEX organisation_tags_tag ON organisation_tags(tag_folded);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    email TEXT UNIQUE,
    phone TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX people_name ON people(name_folded);

CREATE TABLE affiliations (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    position TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX affiliations_person ON affiliations(person_id);
CREATE INDEX affiliations_organisation ON affiliations(organisation_id);

CREATE TABLE networks (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    maturity TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT,
    UNIQUE (programme_id, name_folded)
);

CREATE TABLE network_municipalities (
    network_id TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    istat_code TEXT NOT NULL REFERENCES municipalities(istat_code),
    PRIMARY KEY (network_id, istat_code)
);

CREATE TABLE network_action_lines (
    network_id TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    action_line_id TEXT NOT NULL REFERENCES action_lines(id),
    PRIMARY KEY (network_id, action_line_id)
);

-- Leaving sets left_on; rows are never deleted, so the history stays.
CREATE TABLE memberships (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    joined_on TEXT,
    left_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX memberships_network ON memberships(network_id);
CREATE INDEX memberships_organisation ON memberships(organisation_id);

-- Which accounts work on which network, and as what (lead, member, facilitator).
CREATE TABLE network_assignments (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    network_id TEXT NOT NULL REFERENCES networks(id),
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, network_id, role)
);
CREATE INDEX network_assignments_network ON network_assignments(network_id);

CREATE TABLE local_projects (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    budget_cents INTEGER,
    starts_on TEXT,
    ends_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX local_projects_network ON local_projects(network_id);

CREATE TABLE local_project_action_lines (
    project_id TEXT NOT NULL REFERENCES local_projects(id) ON DELETE CASCADE,
    action_line_id TEXT NOT NULL REFERENCES action_lines(id),
    PRIMARY KEY (project_id, action_line_id)
);

CREATE TABLE project_actions (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES local_projects(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    planned_outputs TEXT NOT NULL DEFAULT '',
    target_groups TEXT NOT NULL DEFAULT ''
);
CREATE INDEX project_actions_project ON project_actions(project_id);

-- An uploaded file waiting for the person who previewed it to confirm the import. Kept in the
-- database so that the confirmation may reach any app server.
CREATE TABLE pending_imports (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    entity TEXT NOT NULL,
    filename TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);
