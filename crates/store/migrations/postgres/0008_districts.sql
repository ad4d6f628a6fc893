-- Social-planning districts (ambiti territoriali, SPEC §2): named sets of municipalities. A
-- municipality belongs to one district at a time (Lombardy's ambiti partition its comuni), hence
-- the primary key on the municipality alone.
-- People get their own tax code, to be matched on re-import when they have no e-mail.

CREATE TABLE districts (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE district_municipalities (
    istat_code TEXT PRIMARY KEY REFERENCES municipalities(istat_code),
    district_id TEXT NOT NULL REFERENCES districts(id) ON DELETE CASCADE
);
CREATE INDEX district_municipalities_district ON district_municipalities(district_id);

ALTER TABLE people ADD COLUMN tax_code TEXT;
CREATE UNIQUE INDEX people_tax_code ON people(tax_code);
