-- Custom indicators of a programme (issue 12, decision 0046): a formula over other indicators
-- (`formula` holds it as printed by the parser) or values typed per period, with a file as
-- evidence when `evidence_required`; `amif` is the AMIF common indicator it reports, if any.
-- Their targets share `indicator_targets` with the built-in ones, by code.
CREATE TABLE custom_indicators (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    code TEXT NOT NULL,
    label_it TEXT NOT NULL,
    label_en TEXT NOT NULL,
    unit TEXT NOT NULL,
    formula TEXT,
    evidence_required BIGINT NOT NULL,
    amif TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (programme_id, code)
);
-- One value per indicator, period and network (`scope_key` is the network's id, or '' for the
-- programme as a whole); the evidence's file is `attachments/<indicator id>/<value id>`.
CREATE TABLE custom_indicator_values (
    id TEXT PRIMARY KEY,
    indicator_id TEXT NOT NULL REFERENCES custom_indicators(id),
    network_id TEXT REFERENCES networks(id),
    scope_key TEXT NOT NULL,
    period TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    note TEXT NOT NULL,
    evidence_name TEXT,
    evidence_type TEXT,
    evidence_size BIGINT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (indicator_id, scope_key, period)
);
