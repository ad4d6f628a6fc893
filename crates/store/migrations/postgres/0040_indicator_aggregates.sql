-- Aggregates of the registers for the dashboard of indicators (issue 12, decision 0056), kept in
-- step with the meetings and their register lines by the triggers below, in the transaction of
-- every write, whatever path it takes (the site, the bulk writer, an erasure, a cascade). A meeting
-- counts in the month it starts in Italy once it is not cancelled; a register line once it says
-- present. Nothing here is a record: `indicator_aggregates_rebuild()` recomputes every row from the
-- registers, as this migration and a restore from a backup do. The tables are SQLite's 0040.

CREATE TABLE indicator_meeting_months (
    network_id TEXT NOT NULL,
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    meetings BIGINT NOT NULL,
    person_meetings BIGINT NOT NULL,
    PRIMARY KEY (network_id, month, kind, mode)
);

CREATE TABLE indicator_meeting_periods (
    network_id TEXT NOT NULL,
    period TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    meetings BIGINT NOT NULL,
    person_meetings BIGINT NOT NULL,
    PRIMARY KEY (network_id, period, kind, mode)
);

CREATE TABLE indicator_person_months (
    network_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    month TEXT NOT NULL,
    programme_id TEXT,
    meetings BIGINT NOT NULL,
    first_at TEXT NOT NULL,
    PRIMARY KEY (network_id, person_id, month)
);
CREATE INDEX indicator_person_months_person ON indicator_person_months(person_id, month);

CREATE TABLE indicator_person_years (
    network_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    year TEXT NOT NULL,
    months BIGINT NOT NULL,
    PRIMARY KEY (network_id, person_id, year)
);

CREATE TABLE indicator_network_people (
    network_id TEXT NOT NULL,
    period TEXT NOT NULL,
    people BIGINT NOT NULL,
    PRIMARY KEY (network_id, period)
);

CREATE TABLE indicator_programme_person_months (
    programme_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    month TEXT NOT NULL,
    networks BIGINT NOT NULL,
    PRIMARY KEY (programme_id, person_id, month)
);

CREATE TABLE indicator_programme_person_years (
    programme_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    year TEXT NOT NULL,
    months BIGINT NOT NULL,
    PRIMARY KEY (programme_id, person_id, year)
);

CREATE TABLE indicator_programme_people (
    programme_id TEXT NOT NULL,
    period TEXT NOT NULL,
    people BIGINT NOT NULL,
    PRIMARY KEY (programme_id, period)
);

CREATE TABLE indicator_period_parts (
    suffix TEXT PRIMARY KEY,
    months BIGINT NOT NULL
);
INSERT INTO indicator_period_parts (suffix, months) VALUES
    ('', 4095),
    ('-Q1', 7),
    ('-Q2', 56),
    ('-Q3', 448),
    ('-Q4', 3584),
    ('-01', 1),
    ('-02', 2),
    ('-03', 4),
    ('-04', 8),
    ('-05', 16),
    ('-06', 32),
    ('-07', 64),
    ('-08', 128),
    ('-09', 256),
    ('-10', 512),
    ('-11', 1024),
    ('-12', 2048);

-- `YYYY-MM` of an instant in Italy.
CREATE OR REPLACE FUNCTION indicator_rome_month(at TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT to_char(CAST(at AS TIMESTAMPTZ) AT TIME ZONE 'Europe/Rome', 'YYYY-MM')
$$;

-- The bit of a month (`YYYY-MM`) in a year's `months`: January 1, December 2048.
CREATE OR REPLACE FUNCTION indicator_month_bit(month TEXT) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
    SELECT CAST(1 AS BIGINT) << (CAST(substr(month, 6, 2) AS INTEGER) - 1)
$$;

-- Off (`reti.indicator_aggregates` = `off`, local to a transaction) while a restore loads rows in
-- any order and while the rebuild fills the tables itself.
CREATE OR REPLACE FUNCTION indicator_aggregates_on() RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT current_setting('reti.indicator_aggregates', true) IS DISTINCT FROM 'off'
$$;

-- The start of a person's first meeting in a network and month, from the registers.
CREATE OR REPLACE FUNCTION indicator_first_at(p_network TEXT, p_person TEXT, p_month TEXT) RETURNS TEXT
LANGUAGE sql STABLE AS $$
    SELECT MIN(m2.starts_at) FROM meetings m2
    JOIN meeting_attendance a2 ON a2.meeting_id = m2.id AND a2.person_id = p_person
    WHERE m2.network_id = p_network AND m2.cancelled_at IS NULL AND a2.present = 1
      AND m2.starts_at >= to_char(to_date(p_month || '-01', 'YYYY-MM-DD') - 1, 'YYYY-MM-DD') || 'T22:00:00Z'
      AND m2.starts_at < to_char(to_date(p_month || '-01', 'YYYY-MM-DD') + INTERVAL '1 month', 'YYYY-MM-DD') || 'T23:00:00Z'
      AND indicator_rome_month(m2.starts_at) = p_month
$$;

-- Every row again, from the registers.
CREATE OR REPLACE FUNCTION indicator_aggregates_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_setting TEXT := current_setting('reti.indicator_aggregates', true);
BEGIN
    PERFORM set_config('reti.indicator_aggregates', 'off', true);
    DELETE FROM indicator_meeting_months;
    DELETE FROM indicator_meeting_periods;
    DELETE FROM indicator_person_months;
    DELETE FROM indicator_person_years;
    DELETE FROM indicator_network_people;
    DELETE FROM indicator_programme_person_months;
    DELETE FROM indicator_programme_person_years;
    DELETE FROM indicator_programme_people;
    INSERT INTO indicator_meeting_months (network_id, month, kind, mode, meetings, person_meetings)
    SELECT mt.network_id, indicator_rome_month(mt.starts_at), mt.kind, mt.mode, COUNT(*), COALESCE(SUM(a.n), 0)
    FROM meetings mt
    LEFT JOIN (SELECT meeting_id, COUNT(*) AS n FROM meeting_attendance WHERE present = 1 GROUP BY meeting_id) a
           ON a.meeting_id = mt.id
    WHERE mt.cancelled_at IS NULL
    GROUP BY 1, 2, 3, 4;
    INSERT INTO indicator_meeting_periods (network_id, period, kind, mode, meetings, person_meetings)
    SELECT m.network_id, substr(m.month, 1, 4) || p.suffix, m.kind, m.mode, SUM(m.meetings), SUM(m.person_meetings)
    FROM indicator_meeting_months m JOIN indicator_period_parts p ON (indicator_month_bit(m.month) & p.months) <> 0
    GROUP BY 1, 2, 3, 4;
    INSERT INTO indicator_person_months (network_id, person_id, month, programme_id, meetings, first_at)
    SELECT mt.network_id, a.person_id, indicator_rome_month(mt.starts_at),
           CASE WHEN n.archived_at IS NULL THEN n.programme_id END, COUNT(*), MIN(mt.starts_at)
    FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id JOIN networks n ON n.id = mt.network_id
    WHERE a.present = 1 AND mt.cancelled_at IS NULL
    GROUP BY 1, 2, 3, 4;
    INSERT INTO indicator_person_years (network_id, person_id, year, months)
    SELECT network_id, person_id, substr(month, 1, 4), SUM(indicator_month_bit(month)) FROM indicator_person_months GROUP BY 1, 2, 3;
    INSERT INTO indicator_network_people (network_id, period, people)
    SELECT y.network_id, y.year || p.suffix, COUNT(*)
    FROM indicator_person_years y JOIN indicator_period_parts p ON (y.months & p.months) <> 0
    GROUP BY 1, 2;
    INSERT INTO indicator_programme_person_months (programme_id, person_id, month, networks)
    SELECT programme_id, person_id, month, COUNT(*) FROM indicator_person_months WHERE programme_id IS NOT NULL
    GROUP BY 1, 2, 3;
    INSERT INTO indicator_programme_person_years (programme_id, person_id, year, months)
    SELECT programme_id, person_id, substr(month, 1, 4), SUM(indicator_month_bit(month)) FROM indicator_programme_person_months
    GROUP BY 1, 2, 3;
    INSERT INTO indicator_programme_people (programme_id, period, people)
    SELECT y.programme_id, y.year || p.suffix, COUNT(*)
    FROM indicator_programme_person_years y JOIN indicator_period_parts p ON (y.months & p.months) <> 0
    GROUP BY 1, 2;
    PERFORM set_config('reti.indicator_aggregates', COALESCE(v_setting, ''), true);
END $$;

-- A present register line of a meeting not cancelled, added or taken away.
CREATE OR REPLACE FUNCTION indicator_line_add(p_meeting TEXT, p_person TEXT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    m RECORD;
    v_month TEXT;
BEGIN
    SELECT network_id, starts_at, kind, mode INTO m FROM meetings WHERE id = p_meeting AND cancelled_at IS NULL;
    IF NOT FOUND THEN RETURN; END IF;
    v_month := indicator_rome_month(m.starts_at);
    UPDATE indicator_meeting_months SET person_meetings = person_meetings + 1
     WHERE network_id = m.network_id AND month = v_month AND kind = m.kind AND mode = m.mode;
    INSERT INTO indicator_person_months AS t (network_id, person_id, month, programme_id, meetings, first_at)
    VALUES (m.network_id, p_person, v_month,
            (SELECT n.programme_id FROM networks n WHERE n.id = m.network_id AND n.archived_at IS NULL), 1, m.starts_at)
    ON CONFLICT (network_id, person_id, month)
    DO UPDATE SET meetings = t.meetings + 1, first_at = LEAST(t.first_at, EXCLUDED.first_at);
END $$;

CREATE OR REPLACE FUNCTION indicator_line_remove(p_meeting TEXT, p_person TEXT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    m RECORD;
    v_month TEXT;
BEGIN
    SELECT network_id, starts_at, kind, mode INTO m FROM meetings WHERE id = p_meeting AND cancelled_at IS NULL;
    IF NOT FOUND THEN RETURN; END IF;
    v_month := indicator_rome_month(m.starts_at);
    UPDATE indicator_meeting_months SET person_meetings = person_meetings - 1
     WHERE network_id = m.network_id AND month = v_month AND kind = m.kind AND mode = m.mode;
    UPDATE indicator_person_months t SET meetings = t.meetings - 1,
        first_at = CASE WHEN t.first_at = m.starts_at
                   THEN COALESCE(indicator_first_at(t.network_id, t.person_id, t.month), t.first_at) ELSE t.first_at END
     WHERE t.network_id = m.network_id AND t.person_id = p_person AND t.month = v_month;
    DELETE FROM indicator_person_months
     WHERE network_id = m.network_id AND person_id = p_person AND month = v_month AND meetings <= 0;
END $$;

CREATE OR REPLACE FUNCTION indicator_attendance_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT indicator_aggregates_on() THEN RETURN NULL; END IF;
    IF TG_OP <> 'INSERT' AND OLD.present = 1 THEN PERFORM indicator_line_remove(OLD.meeting_id, OLD.person_id); END IF;
    IF TG_OP <> 'DELETE' AND NEW.present = 1 THEN PERFORM indicator_line_add(NEW.meeting_id, NEW.person_id); END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_attendance_lines AFTER INSERT OR DELETE ON meeting_attendance
FOR EACH ROW EXECUTE FUNCTION indicator_attendance_lines();
CREATE TRIGGER indicator_attendance_lines_update AFTER UPDATE OF present, person_id, meeting_id ON meeting_attendance
FOR EACH ROW WHEN (OLD.present IS DISTINCT FROM NEW.present OR OLD.person_id IS DISTINCT FROM NEW.person_id
                   OR OLD.meeting_id IS DISTINCT FROM NEW.meeting_id)
EXECUTE FUNCTION indicator_attendance_lines();

-- A meeting not cancelled, with its present lines, counted or taken away.
CREATE OR REPLACE FUNCTION indicator_meeting_add(p_id TEXT, p_network TEXT, p_starts TEXT, p_kind TEXT, p_mode TEXT)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_month TEXT := indicator_rome_month(p_starts);
BEGIN
    INSERT INTO indicator_meeting_months AS t (network_id, month, kind, mode, meetings, person_meetings)
    VALUES (p_network, v_month, p_kind, p_mode, 1,
            (SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = p_id AND present = 1))
    ON CONFLICT (network_id, month, kind, mode)
    DO UPDATE SET meetings = t.meetings + 1, person_meetings = t.person_meetings + EXCLUDED.person_meetings;
    INSERT INTO indicator_person_months AS t (network_id, person_id, month, programme_id, meetings, first_at)
    SELECT p_network, a.person_id, v_month,
           (SELECT n.programme_id FROM networks n WHERE n.id = p_network AND n.archived_at IS NULL), 1, p_starts
    FROM meeting_attendance a WHERE a.meeting_id = p_id AND a.present = 1
    ON CONFLICT (network_id, person_id, month)
    DO UPDATE SET meetings = t.meetings + 1, first_at = LEAST(t.first_at, EXCLUDED.first_at);
END $$;

CREATE OR REPLACE FUNCTION indicator_meeting_remove(p_id TEXT, p_network TEXT, p_starts TEXT, p_kind TEXT, p_mode TEXT)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_month TEXT := indicator_rome_month(p_starts);
BEGIN
    UPDATE indicator_meeting_months SET meetings = meetings - 1,
        person_meetings = person_meetings - (SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = p_id AND present = 1)
     WHERE network_id = p_network AND month = v_month AND kind = p_kind AND mode = p_mode;
    DELETE FROM indicator_meeting_months
     WHERE network_id = p_network AND month = v_month AND kind = p_kind AND mode = p_mode AND meetings <= 0;
    UPDATE indicator_person_months t SET meetings = t.meetings - 1,
        first_at = CASE WHEN t.first_at = p_starts
                   THEN COALESCE(indicator_first_at(t.network_id, t.person_id, t.month), t.first_at) ELSE t.first_at END
     WHERE t.network_id = p_network AND t.month = v_month
       AND t.person_id IN (SELECT person_id FROM meeting_attendance WHERE meeting_id = p_id AND present = 1);
    DELETE FROM indicator_person_months WHERE network_id = p_network AND month = v_month AND meetings <= 0
       AND person_id IN (SELECT person_id FROM meeting_attendance WHERE meeting_id = p_id AND present = 1);
END $$;

CREATE OR REPLACE FUNCTION indicator_meeting_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT indicator_aggregates_on() THEN RETURN NULL; END IF;
    IF TG_OP = 'UPDATE' AND OLD.cancelled_at IS NULL THEN
        PERFORM indicator_meeting_remove(OLD.id, OLD.network_id, OLD.starts_at, OLD.kind, OLD.mode);
    END IF;
    IF NEW.cancelled_at IS NULL THEN
        PERFORM indicator_meeting_add(NEW.id, NEW.network_id, NEW.starts_at, NEW.kind, NEW.mode);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_meeting_insert AFTER INSERT ON meetings
FOR EACH ROW EXECUTE FUNCTION indicator_meeting_changes();
CREATE TRIGGER indicator_meeting_update AFTER UPDATE OF network_id, starts_at, kind, mode, cancelled_at ON meetings
FOR EACH ROW WHEN (OLD.network_id IS DISTINCT FROM NEW.network_id OR OLD.starts_at IS DISTINCT FROM NEW.starts_at
                   OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.mode IS DISTINCT FROM NEW.mode
                   OR (OLD.cancelled_at IS NULL) <> (NEW.cancelled_at IS NULL))
EXECUTE FUNCTION indicator_meeting_changes();

-- A meeting deleted: its register first, while the meeting still says where its lines counted
-- (the foreign key's cascade runs once the meeting is gone).
CREATE OR REPLACE FUNCTION indicator_meeting_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_month TEXT;
BEGIN
    IF NOT indicator_aggregates_on() THEN RETURN OLD; END IF;
    DELETE FROM meeting_attendance WHERE meeting_id = OLD.id;
    IF OLD.cancelled_at IS NULL THEN
        v_month := indicator_rome_month(OLD.starts_at);
        UPDATE indicator_meeting_months SET meetings = meetings - 1
         WHERE network_id = OLD.network_id AND month = v_month AND kind = OLD.kind AND mode = OLD.mode;
        DELETE FROM indicator_meeting_months
         WHERE network_id = OLD.network_id AND month = v_month AND kind = OLD.kind AND mode = OLD.mode AND meetings <= 0;
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER indicator_meeting_delete BEFORE DELETE ON meetings
FOR EACH ROW EXECUTE FUNCTION indicator_meeting_delete();

-- A network archived, restored or moved: its people count for the programme it is in while it is
-- not archived.
CREATE OR REPLACE FUNCTION indicator_network_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT indicator_aggregates_on() THEN RETURN NULL; END IF;
    UPDATE indicator_person_months SET programme_id = CASE WHEN NEW.archived_at IS NULL THEN NEW.programme_id END
     WHERE network_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_network_update AFTER UPDATE OF programme_id, archived_at ON networks
FOR EACH ROW WHEN (OLD.programme_id IS DISTINCT FROM NEW.programme_id
                   OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL))
EXECUTE FUNCTION indicator_network_changes();

-- The months of a network's meetings make its periods'.
CREATE OR REPLACE FUNCTION indicator_meeting_months_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_network TEXT;
    v_month TEXT;
    v_kind TEXT;
    v_mode TEXT;
    v_meetings BIGINT := 0;
    v_lines BIGINT := 0;
BEGIN
    IF NOT indicator_aggregates_on() THEN RETURN NULL; END IF;
    IF TG_OP <> 'DELETE' THEN
        v_network := NEW.network_id; v_month := NEW.month; v_kind := NEW.kind; v_mode := NEW.mode;
        v_meetings := NEW.meetings; v_lines := NEW.person_meetings;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        v_network := OLD.network_id; v_month := OLD.month; v_kind := OLD.kind; v_mode := OLD.mode;
        v_meetings := v_meetings - OLD.meetings; v_lines := v_lines - OLD.person_meetings;
    END IF;
    INSERT INTO indicator_meeting_periods AS t (network_id, period, kind, mode, meetings, person_meetings)
    SELECT v_network, substr(v_month, 1, 4) || p.suffix, v_kind, v_mode, v_meetings, v_lines
    FROM indicator_period_parts p WHERE (indicator_month_bit(v_month) & p.months) <> 0
    ON CONFLICT (network_id, period, kind, mode) DO UPDATE
    SET meetings = t.meetings + EXCLUDED.meetings, person_meetings = t.person_meetings + EXCLUDED.person_meetings;
    DELETE FROM indicator_meeting_periods
     WHERE network_id = v_network AND kind = v_kind AND mode = v_mode AND meetings <= 0
       AND period IN (SELECT substr(v_month, 1, 4) || p.suffix FROM indicator_period_parts p);
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_meeting_months_changes AFTER INSERT OR DELETE OR UPDATE ON indicator_meeting_months
FOR EACH ROW EXECUTE FUNCTION indicator_meeting_months_changes();

-- The months of a person in a network make their years and the programme's months.
CREATE OR REPLACE FUNCTION indicator_person_months_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT indicator_aggregates_on() THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO indicator_person_years AS t (network_id, person_id, year, months)
        VALUES (NEW.network_id, NEW.person_id, substr(NEW.month, 1, 4), indicator_month_bit(NEW.month))
        ON CONFLICT (network_id, person_id, year) DO UPDATE SET months = t.months | EXCLUDED.months;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE indicator_person_years SET months = months & ~indicator_month_bit(OLD.month)
         WHERE network_id = OLD.network_id AND person_id = OLD.person_id AND year = substr(OLD.month, 1, 4);
        DELETE FROM indicator_person_years
         WHERE network_id = OLD.network_id AND person_id = OLD.person_id AND year = substr(OLD.month, 1, 4) AND months = 0;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.programme_id IS NOT NULL THEN
        UPDATE indicator_programme_person_months SET networks = networks - 1
         WHERE programme_id = OLD.programme_id AND person_id = OLD.person_id AND month = OLD.month;
        DELETE FROM indicator_programme_person_months
         WHERE programme_id = OLD.programme_id AND person_id = OLD.person_id AND month = OLD.month AND networks <= 0;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.programme_id IS NOT NULL THEN
        INSERT INTO indicator_programme_person_months AS t (programme_id, person_id, month, networks)
        VALUES (NEW.programme_id, NEW.person_id, NEW.month, 1)
        ON CONFLICT (programme_id, person_id, month) DO UPDATE SET networks = t.networks + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_person_months_changes AFTER INSERT OR DELETE ON indicator_person_months
FOR EACH ROW EXECUTE FUNCTION indicator_person_months_changes();
CREATE TRIGGER indicator_person_months_programme AFTER UPDATE OF programme_id ON indicator_person_months
FOR EACH ROW WHEN (OLD.programme_id IS DISTINCT FROM NEW.programme_id)
EXECUTE FUNCTION indicator_person_months_changes();

CREATE OR REPLACE FUNCTION indicator_programme_person_months_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT indicator_aggregates_on() THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO indicator_programme_person_years AS t (programme_id, person_id, year, months)
        VALUES (NEW.programme_id, NEW.person_id, substr(NEW.month, 1, 4), indicator_month_bit(NEW.month))
        ON CONFLICT (programme_id, person_id, year) DO UPDATE SET months = t.months | EXCLUDED.months;
    ELSE
        UPDATE indicator_programme_person_years SET months = months & ~indicator_month_bit(OLD.month)
         WHERE programme_id = OLD.programme_id AND person_id = OLD.person_id AND year = substr(OLD.month, 1, 4);
        DELETE FROM indicator_programme_person_years
         WHERE programme_id = OLD.programme_id AND person_id = OLD.person_id AND year = substr(OLD.month, 1, 4) AND months = 0;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_programme_person_months_changes AFTER INSERT OR DELETE ON indicator_programme_person_months
FOR EACH ROW EXECUTE FUNCTION indicator_programme_person_months_changes();

-- The years of the people make the counts of every period of the year.
CREATE OR REPLACE FUNCTION indicator_person_years_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_new BIGINT := 0;
    v_old BIGINT := 0;
    v_key TEXT;
    v_year TEXT;
BEGIN
    IF NOT indicator_aggregates_on() THEN RETURN NULL; END IF;
    IF TG_OP <> 'DELETE' THEN v_new := NEW.months; v_key := NEW.network_id; v_year := NEW.year; END IF;
    IF TG_OP <> 'INSERT' THEN v_old := OLD.months; v_key := OLD.network_id; v_year := OLD.year; END IF;
    INSERT INTO indicator_network_people AS t (network_id, period, people)
    SELECT v_key, v_year || p.suffix,
           (CASE WHEN (v_new & p.months) <> 0 THEN 1 ELSE 0 END) - (CASE WHEN (v_old & p.months) <> 0 THEN 1 ELSE 0 END)
    FROM indicator_period_parts p WHERE ((v_new & p.months) <> 0) <> ((v_old & p.months) <> 0)
    ON CONFLICT (network_id, period) DO UPDATE SET people = t.people + EXCLUDED.people;
    DELETE FROM indicator_network_people WHERE network_id = v_key AND people = 0
       AND period IN (SELECT v_year || p.suffix FROM indicator_period_parts p);
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_person_years_counts AFTER INSERT OR DELETE OR UPDATE OF months ON indicator_person_years
FOR EACH ROW EXECUTE FUNCTION indicator_person_years_counts();

CREATE OR REPLACE FUNCTION indicator_programme_person_years_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_new BIGINT := 0;
    v_old BIGINT := 0;
    v_key TEXT;
    v_year TEXT;
BEGIN
    IF NOT indicator_aggregates_on() THEN RETURN NULL; END IF;
    IF TG_OP <> 'DELETE' THEN v_new := NEW.months; v_key := NEW.programme_id; v_year := NEW.year; END IF;
    IF TG_OP <> 'INSERT' THEN v_old := OLD.months; v_key := OLD.programme_id; v_year := OLD.year; END IF;
    INSERT INTO indicator_programme_people AS t (programme_id, period, people)
    SELECT v_key, v_year || p.suffix,
           (CASE WHEN (v_new & p.months) <> 0 THEN 1 ELSE 0 END) - (CASE WHEN (v_old & p.months) <> 0 THEN 1 ELSE 0 END)
    FROM indicator_period_parts p WHERE ((v_new & p.months) <> 0) <> ((v_old & p.months) <> 0)
    ON CONFLICT (programme_id, period) DO UPDATE SET people = t.people + EXCLUDED.people;
    DELETE FROM indicator_programme_people WHERE programme_id = v_key AND people = 0
       AND period IN (SELECT v_year || p.suffix FROM indicator_period_parts p);
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_programme_person_years_counts AFTER INSERT OR DELETE OR UPDATE OF months ON indicator_programme_person_years
FOR EACH ROW EXECUTE FUNCTION indicator_programme_person_years_counts();

-- The rows already there.
SELECT indicator_aggregates_rebuild();
