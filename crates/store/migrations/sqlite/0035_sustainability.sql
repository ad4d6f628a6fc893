-- Sustainability plans (sostenibilità futura, issue 12, decision 0044): per network, a summary,
-- funding sources beyond the programme (amounts in cents), commitments of member organisations
-- after the programme, risks, the growth spaces it will pursue, and its reviews at the
-- reading-tool rounds (one per round).

CREATE TABLE sustainability_plans (
    network_id TEXT PRIMARY KEY REFERENCES networks(id),
    summary TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

CREATE TABLE sustainability_sources (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    kind TEXT NOT NULL,
    amount_cents INTEGER,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX sustainability_sources_network ON sustainability_sources(network_id, status);

CREATE TABLE sustainability_commitments (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    commitment TEXT NOT NULL,
    until_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX sustainability_commitments_network ON sustainability_commitments(network_id);

CREATE TABLE sustainability_risks (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    description TEXT NOT NULL,
    likelihood TEXT NOT NULL,
    impact TEXT NOT NULL,
    mitigation TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX sustainability_risks_network ON sustainability_risks(network_id);

CREATE TABLE sustainability_growth (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    organisation_id TEXT REFERENCES organisations(id),
    label TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX sustainability_growth_network ON sustainability_growth(network_id);

CREATE TABLE sustainability_reviews (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks(id),
    round_id TEXT NOT NULL REFERENCES reading_rounds(id),
    reviewed_on TEXT NOT NULL,
    reviewer_user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (network_id, round_id)
);
