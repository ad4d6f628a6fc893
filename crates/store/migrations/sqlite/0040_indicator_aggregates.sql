-- Aggregates of the registers for the dashboard of indicators (issue 12, decision 0056), kept in
-- step with the meetings and their register lines by the triggers below, in the transaction of
-- every write, whatever path it takes (the site, the bulk writer, an erasure, a cascade). A meeting
-- counts in the month it starts in Italy (the CASE below: summer time from April to October at the
-- turn of each month, as the EU rules since 1996 have it) once it is not cancelled; a register line
-- once it says present. Nothing here is a record: every row can be recomputed from the registers,
-- as this migration does for the rows already there.

-- Per network, month (`YYYY-MM` in Italy), kind and mode: meetings not cancelled and their
-- present register lines.
CREATE TABLE indicator_meeting_months (
    network_id TEXT NOT NULL,
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    meetings INTEGER NOT NULL,
    person_meetings INTEGER NOT NULL,
    PRIMARY KEY (network_id, month, kind, mode)
) WITHOUT ROWID;

-- The same per period (`2026`, `2026-Q1`, `2026-03`): what the dashboard reads, a row per network.
CREATE TABLE indicator_meeting_periods (
    network_id TEXT NOT NULL,
    period TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    meetings INTEGER NOT NULL,
    person_meetings INTEGER NOT NULL,
    PRIMARY KEY (network_id, period, kind, mode)
) WITHOUT ROWID;

-- Per network, person and month: the person's present lines and the start of the first meeting
-- (what tells whether they came by now in the month under way). `programme_id` is the network's
-- programme while the network is not archived, else null: what the programme's figures count.
CREATE TABLE indicator_person_months (
    network_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    month TEXT NOT NULL,
    programme_id TEXT,
    meetings INTEGER NOT NULL,
    first_at TEXT NOT NULL,
    PRIMARY KEY (network_id, person_id, month)
) WITHOUT ROWID;
CREATE INDEX indicator_person_months_person ON indicator_person_months(person_id, month);

-- Per network, person and year (`YYYY`): the months they came in, one bit each (January 1).
CREATE TABLE indicator_person_years (
    network_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    year TEXT NOT NULL,
    months INTEGER NOT NULL,
    PRIMARY KEY (network_id, person_id, year)
) WITHOUT ROWID;

-- Per network and period (`2026`, `2026-Q1`, `2026-03`): the people who came.
CREATE TABLE indicator_network_people (
    network_id TEXT NOT NULL,
    period TEXT NOT NULL,
    people INTEGER NOT NULL,
    PRIMARY KEY (network_id, period)
) WITHOUT ROWID;

-- The same for a programme's networks that are not archived, each person once: in how many of
-- them a person came in a month, the months of a year, the people of a period.
CREATE TABLE indicator_programme_person_months (
    programme_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    month TEXT NOT NULL,
    networks INTEGER NOT NULL,
    PRIMARY KEY (programme_id, person_id, month)
) WITHOUT ROWID;

CREATE TABLE indicator_programme_person_years (
    programme_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    year TEXT NOT NULL,
    months INTEGER NOT NULL,
    PRIMARY KEY (programme_id, person_id, year)
) WITHOUT ROWID;

CREATE TABLE indicator_programme_people (
    programme_id TEXT NOT NULL,
    period TEXT NOT NULL,
    people INTEGER NOT NULL,
    PRIMARY KEY (programme_id, period)
) WITHOUT ROWID;

-- The periods of a year: the suffix after the year and the months (bits) they cover.
CREATE TABLE indicator_period_parts (
    suffix TEXT PRIMARY KEY,
    months INTEGER NOT NULL
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

-- The rows already there.
INSERT INTO indicator_meeting_months (network_id, month, kind, mode, meetings, person_meetings)
SELECT mt.network_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END), mt.kind, mt.mode, COUNT(*), COALESCE(SUM(a.n), 0)
FROM meetings mt
LEFT JOIN (SELECT meeting_id, COUNT(*) AS n FROM meeting_attendance WHERE present = 1 GROUP BY meeting_id) a
       ON a.meeting_id = mt.id
WHERE mt.cancelled_at IS NULL
GROUP BY 1, 2, 3, 4;

INSERT INTO indicator_meeting_periods (network_id, period, kind, mode, meetings, person_meetings)
SELECT m.network_id, substr(m.month, 1, 4) || p.suffix, m.kind, m.mode, SUM(m.meetings), SUM(m.person_meetings)
FROM indicator_meeting_months m JOIN indicator_period_parts p ON ((1 << (CAST(substr(m.month, 6, 2) AS INTEGER) - 1)) & p.months) <> 0
GROUP BY 1, 2, 3, 4;

INSERT INTO indicator_person_months (network_id, person_id, month, programme_id, meetings, first_at)
SELECT mt.network_id, a.person_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END),
       CASE WHEN n.archived_at IS NULL THEN n.programme_id END, COUNT(*), MIN(mt.starts_at)
FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id JOIN networks n ON n.id = mt.network_id
WHERE a.present = 1 AND mt.cancelled_at IS NULL
GROUP BY 1, 2, 3, 4;

INSERT INTO indicator_person_years (network_id, person_id, year, months)
SELECT network_id, person_id, substr(month, 1, 4), SUM((1 << (CAST(substr(month, 6, 2) AS INTEGER) - 1))) FROM indicator_person_months GROUP BY 1, 2, 3;

INSERT INTO indicator_network_people (network_id, period, people)
SELECT y.network_id, y.year || p.suffix, COUNT(*)
FROM indicator_person_years y JOIN indicator_period_parts p ON (y.months & p.months) <> 0
GROUP BY 1, 2;

INSERT INTO indicator_programme_person_months (programme_id, person_id, month, networks)
SELECT programme_id, person_id, month, COUNT(*) FROM indicator_person_months WHERE programme_id IS NOT NULL GROUP BY 1, 2, 3;

INSERT INTO indicator_programme_person_years (programme_id, person_id, year, months)
SELECT programme_id, person_id, substr(month, 1, 4), SUM((1 << (CAST(substr(month, 6, 2) AS INTEGER) - 1))) FROM indicator_programme_person_months GROUP BY 1, 2, 3;

INSERT INTO indicator_programme_people (programme_id, period, people)
SELECT y.programme_id, y.year || p.suffix, COUNT(*)
FROM indicator_programme_person_years y JOIN indicator_period_parts p ON (y.months & p.months) <> 0
GROUP BY 1, 2;

-- Register lines: added, removed, changed (present, person or meeting) as a removal then an addition.
CREATE TRIGGER indicator_attendance_insert AFTER INSERT ON meeting_attendance WHEN NEW.present = 1
BEGIN
    UPDATE indicator_meeting_months SET person_meetings = person_meetings + 1
     WHERE (network_id, month, kind, mode) =
           (SELECT mt.network_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END), mt.kind, mt.mode FROM meetings mt
            WHERE mt.id = NEW.meeting_id AND mt.cancelled_at IS NULL);
    INSERT INTO indicator_person_months (network_id, person_id, month, programme_id, meetings, first_at)
    SELECT mt.network_id, NEW.person_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END),
           (SELECT n.programme_id FROM networks n WHERE n.id = mt.network_id AND n.archived_at IS NULL), 1, mt.starts_at
    FROM meetings mt WHERE mt.id = NEW.meeting_id AND mt.cancelled_at IS NULL
    ON CONFLICT (network_id, person_id, month)
    DO UPDATE SET meetings = meetings + 1, first_at = min(first_at, excluded.first_at);
END;

CREATE TRIGGER indicator_attendance_delete AFTER DELETE ON meeting_attendance WHEN OLD.present = 1
BEGIN
    UPDATE indicator_meeting_months SET person_meetings = person_meetings - 1
     WHERE (network_id, month, kind, mode) =
           (SELECT mt.network_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END), mt.kind, mt.mode FROM meetings mt
            WHERE mt.id = OLD.meeting_id AND mt.cancelled_at IS NULL);
    UPDATE indicator_person_months SET meetings = meetings - 1,
        first_at = CASE WHEN first_at = (SELECT starts_at FROM meetings WHERE id = OLD.meeting_id)
                   THEN COALESCE((SELECT MIN(m2.starts_at) FROM meetings m2
                 JOIN meeting_attendance a2 ON a2.meeting_id = m2.id AND a2.person_id = indicator_person_months.person_id
                 WHERE m2.network_id = indicator_person_months.network_id AND m2.cancelled_at IS NULL AND a2.present = 1
                   AND m2.starts_at >= date(indicator_person_months.month || '-01', '-1 day') || 'T22:00:00Z'
                   AND m2.starts_at < date(indicator_person_months.month || '-01', '+1 month') || 'T23:00:00Z'
                   AND (CASE WHEN strftime('%m', m2.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', m2.starts_at, '+2 hours') ELSE strftime('%Y-%m', m2.starts_at, '+1 hours') END) = indicator_person_months.month), first_at) ELSE first_at END
     WHERE (network_id, person_id, month) = (SELECT mt.network_id, OLD.person_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END) FROM meetings mt
            WHERE mt.id = OLD.meeting_id AND mt.cancelled_at IS NULL);
    DELETE FROM indicator_person_months WHERE meetings <= 0 AND (network_id, person_id, month) = (SELECT mt.network_id, OLD.person_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END) FROM meetings mt
            WHERE mt.id = OLD.meeting_id AND mt.cancelled_at IS NULL);
END;

CREATE TRIGGER indicator_attendance_update_old AFTER UPDATE OF present, person_id, meeting_id ON meeting_attendance
WHEN OLD.present = 1 AND (NEW.present IS NOT 1 OR NEW.person_id IS NOT OLD.person_id OR NEW.meeting_id IS NOT OLD.meeting_id)
BEGIN
    UPDATE indicator_meeting_months SET person_meetings = person_meetings - 1
     WHERE (network_id, month, kind, mode) =
           (SELECT mt.network_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END), mt.kind, mt.mode FROM meetings mt
            WHERE mt.id = OLD.meeting_id AND mt.cancelled_at IS NULL);
    UPDATE indicator_person_months SET meetings = meetings - 1,
        first_at = CASE WHEN first_at = (SELECT starts_at FROM meetings WHERE id = OLD.meeting_id)
                   THEN COALESCE((SELECT MIN(m2.starts_at) FROM meetings m2
                 JOIN meeting_attendance a2 ON a2.meeting_id = m2.id AND a2.person_id = indicator_person_months.person_id
                 WHERE m2.network_id = indicator_person_months.network_id AND m2.cancelled_at IS NULL AND a2.present = 1
                   AND m2.starts_at >= date(indicator_person_months.month || '-01', '-1 day') || 'T22:00:00Z'
                   AND m2.starts_at < date(indicator_person_months.month || '-01', '+1 month') || 'T23:00:00Z'
                   AND (CASE WHEN strftime('%m', m2.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', m2.starts_at, '+2 hours') ELSE strftime('%Y-%m', m2.starts_at, '+1 hours') END) = indicator_person_months.month), first_at) ELSE first_at END
     WHERE (network_id, person_id, month) = (SELECT mt.network_id, OLD.person_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END) FROM meetings mt
            WHERE mt.id = OLD.meeting_id AND mt.cancelled_at IS NULL);
    DELETE FROM indicator_person_months WHERE meetings <= 0 AND (network_id, person_id, month) = (SELECT mt.network_id, OLD.person_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END) FROM meetings mt
            WHERE mt.id = OLD.meeting_id AND mt.cancelled_at IS NULL);
END;

CREATE TRIGGER indicator_attendance_update_new AFTER UPDATE OF present, person_id, meeting_id ON meeting_attendance
WHEN NEW.present = 1 AND (OLD.present IS NOT 1 OR NEW.person_id IS NOT OLD.person_id OR NEW.meeting_id IS NOT OLD.meeting_id)
BEGIN
    UPDATE indicator_meeting_months SET person_meetings = person_meetings + 1
     WHERE (network_id, month, kind, mode) =
           (SELECT mt.network_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END), mt.kind, mt.mode FROM meetings mt
            WHERE mt.id = NEW.meeting_id AND mt.cancelled_at IS NULL);
    INSERT INTO indicator_person_months (network_id, person_id, month, programme_id, meetings, first_at)
    SELECT mt.network_id, NEW.person_id, (CASE WHEN strftime('%m', mt.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', mt.starts_at, '+2 hours') ELSE strftime('%Y-%m', mt.starts_at, '+1 hours') END),
           (SELECT n.programme_id FROM networks n WHERE n.id = mt.network_id AND n.archived_at IS NULL), 1, mt.starts_at
    FROM meetings mt WHERE mt.id = NEW.meeting_id AND mt.cancelled_at IS NULL
    ON CONFLICT (network_id, person_id, month)
    DO UPDATE SET meetings = meetings + 1, first_at = min(first_at, excluded.first_at);
END;

-- Meetings: a new one (its register comes after it), one moved (network, start), retyped,
-- cancelled or restored, one deleted (its register first, while the meeting still says where its
-- lines counted: the foreign key's cascade would run after the meeting is gone).
CREATE TRIGGER indicator_meeting_insert AFTER INSERT ON meetings WHEN NEW.cancelled_at IS NULL
BEGIN
    INSERT INTO indicator_meeting_months (network_id, month, kind, mode, meetings, person_meetings)
    VALUES (NEW.network_id, (CASE WHEN strftime('%m', NEW.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', NEW.starts_at, '+2 hours') ELSE strftime('%Y-%m', NEW.starts_at, '+1 hours') END), NEW.kind, NEW.mode, 1, 0)
    ON CONFLICT (network_id, month, kind, mode) DO UPDATE SET meetings = meetings + 1;
END;

CREATE TRIGGER indicator_meeting_update AFTER UPDATE OF network_id, starts_at, kind, mode, cancelled_at ON meetings
WHEN OLD.network_id IS NOT NEW.network_id OR OLD.starts_at IS NOT NEW.starts_at OR OLD.kind IS NOT NEW.kind
  OR OLD.mode IS NOT NEW.mode OR (OLD.cancelled_at IS NULL) <> (NEW.cancelled_at IS NULL)
BEGIN
    UPDATE indicator_meeting_months SET meetings = meetings - 1,
        person_meetings = person_meetings - (SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = OLD.id AND present = 1)
     WHERE OLD.cancelled_at IS NULL AND network_id = OLD.network_id AND month = (CASE WHEN strftime('%m', OLD.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', OLD.starts_at, '+2 hours') ELSE strftime('%Y-%m', OLD.starts_at, '+1 hours') END) AND kind = OLD.kind AND mode = OLD.mode;
    DELETE FROM indicator_meeting_months WHERE meetings <= 0 AND network_id = OLD.network_id AND month = (CASE WHEN strftime('%m', OLD.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', OLD.starts_at, '+2 hours') ELSE strftime('%Y-%m', OLD.starts_at, '+1 hours') END) AND kind = OLD.kind AND mode = OLD.mode;
    UPDATE indicator_person_months SET meetings = meetings - 1,
        first_at = CASE WHEN first_at = OLD.starts_at THEN COALESCE((SELECT MIN(m2.starts_at) FROM meetings m2
                 JOIN meeting_attendance a2 ON a2.meeting_id = m2.id AND a2.person_id = indicator_person_months.person_id
                 WHERE m2.network_id = indicator_person_months.network_id AND m2.cancelled_at IS NULL AND a2.present = 1
                   AND m2.starts_at >= date(indicator_person_months.month || '-01', '-1 day') || 'T22:00:00Z'
                   AND m2.starts_at < date(indicator_person_months.month || '-01', '+1 month') || 'T23:00:00Z'
                   AND (CASE WHEN strftime('%m', m2.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', m2.starts_at, '+2 hours') ELSE strftime('%Y-%m', m2.starts_at, '+1 hours') END) = indicator_person_months.month), first_at) ELSE first_at END
     WHERE OLD.cancelled_at IS NULL AND network_id = OLD.network_id AND month = (CASE WHEN strftime('%m', OLD.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', OLD.starts_at, '+2 hours') ELSE strftime('%Y-%m', OLD.starts_at, '+1 hours') END)
       AND person_id IN (SELECT person_id FROM meeting_attendance WHERE meeting_id = OLD.id AND present = 1);
    DELETE FROM indicator_person_months WHERE meetings <= 0 AND network_id = OLD.network_id
       AND month = (CASE WHEN strftime('%m', OLD.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', OLD.starts_at, '+2 hours') ELSE strftime('%Y-%m', OLD.starts_at, '+1 hours') END) AND person_id IN (SELECT person_id FROM meeting_attendance WHERE meeting_id = OLD.id AND present = 1);
    INSERT INTO indicator_meeting_months (network_id, month, kind, mode, meetings, person_meetings)
    SELECT NEW.network_id, (CASE WHEN strftime('%m', NEW.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', NEW.starts_at, '+2 hours') ELSE strftime('%Y-%m', NEW.starts_at, '+1 hours') END), NEW.kind, NEW.mode, 1,
           (SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = NEW.id AND present = 1)
    WHERE NEW.cancelled_at IS NULL
    ON CONFLICT (network_id, month, kind, mode)
    DO UPDATE SET meetings = meetings + 1, person_meetings = person_meetings + excluded.person_meetings;
    INSERT INTO indicator_person_months (network_id, person_id, month, programme_id, meetings, first_at)
    SELECT NEW.network_id, a.person_id, (CASE WHEN strftime('%m', NEW.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', NEW.starts_at, '+2 hours') ELSE strftime('%Y-%m', NEW.starts_at, '+1 hours') END),
           (SELECT n.programme_id FROM networks n WHERE n.id = NEW.network_id AND n.archived_at IS NULL), 1, NEW.starts_at
    FROM meeting_attendance a WHERE a.meeting_id = NEW.id AND a.present = 1 AND NEW.cancelled_at IS NULL
    ON CONFLICT (network_id, person_id, month)
    DO UPDATE SET meetings = meetings + 1, first_at = min(first_at, excluded.first_at);
END;

CREATE TRIGGER indicator_meeting_delete BEFORE DELETE ON meetings
BEGIN
    DELETE FROM meeting_attendance WHERE meeting_id = OLD.id;
    UPDATE indicator_meeting_months SET meetings = meetings - 1 WHERE OLD.cancelled_at IS NULL AND network_id = OLD.network_id AND month = (CASE WHEN strftime('%m', OLD.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', OLD.starts_at, '+2 hours') ELSE strftime('%Y-%m', OLD.starts_at, '+1 hours') END) AND kind = OLD.kind AND mode = OLD.mode;
    DELETE FROM indicator_meeting_months WHERE meetings <= 0 AND network_id = OLD.network_id AND month = (CASE WHEN strftime('%m', OLD.starts_at, '+2 hours') BETWEEN '04' AND '10' THEN strftime('%Y-%m', OLD.starts_at, '+2 hours') ELSE strftime('%Y-%m', OLD.starts_at, '+1 hours') END) AND kind = OLD.kind AND mode = OLD.mode;
END;

-- A network archived, restored or moved to another programme: its people count for the programme
-- it is in while it is not archived.
CREATE TRIGGER indicator_network_update AFTER UPDATE OF programme_id, archived_at ON networks
WHEN OLD.programme_id IS NOT NEW.programme_id OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL)
BEGIN
    UPDATE indicator_person_months SET programme_id = CASE WHEN NEW.archived_at IS NULL THEN NEW.programme_id END
     WHERE network_id = NEW.id;
END;

-- The months of a network's meetings make its periods'.
CREATE TRIGGER indicator_meeting_months_insert AFTER INSERT ON indicator_meeting_months
BEGIN
    INSERT INTO indicator_meeting_periods (network_id, period, kind, mode, meetings, person_meetings)
    SELECT NEW.network_id, substr(NEW.month, 1, 4) || p.suffix, NEW.kind, NEW.mode, NEW.meetings, NEW.person_meetings
    FROM indicator_period_parts p WHERE ((1 << (CAST(substr(NEW.month, 6, 2) AS INTEGER) - 1)) & p.months) <> 0
    ON CONFLICT (network_id, period, kind, mode) DO UPDATE
    SET meetings = meetings + excluded.meetings, person_meetings = person_meetings + excluded.person_meetings;
END;

CREATE TRIGGER indicator_meeting_months_update AFTER UPDATE ON indicator_meeting_months
BEGIN
    UPDATE indicator_meeting_periods
       SET meetings = meetings + NEW.meetings - OLD.meetings,
           person_meetings = person_meetings + NEW.person_meetings - OLD.person_meetings
     WHERE network_id = NEW.network_id AND kind = NEW.kind AND mode = NEW.mode
       AND period IN (SELECT substr(NEW.month, 1, 4) || p.suffix FROM indicator_period_parts p WHERE ((1 << (CAST(substr(NEW.month, 6, 2) AS INTEGER) - 1)) & p.months) <> 0);
END;

CREATE TRIGGER indicator_meeting_months_delete AFTER DELETE ON indicator_meeting_months
BEGIN
    UPDATE indicator_meeting_periods
       SET meetings = meetings - OLD.meetings, person_meetings = person_meetings - OLD.person_meetings
     WHERE network_id = OLD.network_id AND kind = OLD.kind AND mode = OLD.mode
       AND period IN (SELECT substr(OLD.month, 1, 4) || p.suffix FROM indicator_period_parts p WHERE ((1 << (CAST(substr(OLD.month, 6, 2) AS INTEGER) - 1)) & p.months) <> 0);
    DELETE FROM indicator_meeting_periods
     WHERE network_id = OLD.network_id AND kind = OLD.kind AND mode = OLD.mode AND meetings <= 0
       AND period IN (SELECT substr(OLD.month, 1, 4) || p.suffix FROM indicator_period_parts p);
END;

-- The months of a person in a network make their years and the programme's months.
CREATE TRIGGER indicator_person_months_insert AFTER INSERT ON indicator_person_months
BEGIN
    INSERT INTO indicator_person_years (network_id, person_id, year, months)
    VALUES (NEW.network_id, NEW.person_id, substr(NEW.month, 1, 4), (1 << (CAST(substr(NEW.month, 6, 2) AS INTEGER) - 1)))
    ON CONFLICT (network_id, person_id, year) DO UPDATE SET months = months | excluded.months;
    INSERT INTO indicator_programme_person_months (programme_id, person_id, month, networks)
    SELECT NEW.programme_id, NEW.person_id, NEW.month, 1 WHERE NEW.programme_id IS NOT NULL
    ON CONFLICT (programme_id, person_id, month) DO UPDATE SET networks = networks + 1;
END;

CREATE TRIGGER indicator_person_months_delete AFTER DELETE ON indicator_person_months
BEGIN
    UPDATE indicator_person_years SET months = months & ~(1 << (CAST(substr(OLD.month, 6, 2) AS INTEGER) - 1))
     WHERE network_id = OLD.network_id AND person_id = OLD.person_id AND year = substr(OLD.month, 1, 4);
    DELETE FROM indicator_person_years
     WHERE network_id = OLD.network_id AND person_id = OLD.person_id AND year = substr(OLD.month, 1, 4) AND months = 0;
    UPDATE indicator_programme_person_months SET networks = networks - 1
     WHERE programme_id = OLD.programme_id AND person_id = OLD.person_id AND month = OLD.month;
    DELETE FROM indicator_programme_person_months
     WHERE programme_id = OLD.programme_id AND person_id = OLD.person_id AND month = OLD.month AND networks <= 0;
END;

CREATE TRIGGER indicator_person_months_programme AFTER UPDATE OF programme_id ON indicator_person_months
WHEN OLD.programme_id IS NOT NEW.programme_id
BEGIN
    UPDATE indicator_programme_person_months SET networks = networks - 1
     WHERE programme_id = OLD.programme_id AND person_id = OLD.person_id AND month = OLD.month;
    DELETE FROM indicator_programme_person_months
     WHERE programme_id = OLD.programme_id AND person_id = OLD.person_id AND month = OLD.month AND networks <= 0;
    INSERT INTO indicator_programme_person_months (programme_id, person_id, month, networks)
    SELECT NEW.programme_id, NEW.person_id, NEW.month, 1 WHERE NEW.programme_id IS NOT NULL
    ON CONFLICT (programme_id, person_id, month) DO UPDATE SET networks = networks + 1;
END;

CREATE TRIGGER indicator_programme_person_months_insert AFTER INSERT ON indicator_programme_person_months
BEGIN
    INSERT INTO indicator_programme_person_years (programme_id, person_id, year, months)
    VALUES (NEW.programme_id, NEW.person_id, substr(NEW.month, 1, 4), (1 << (CAST(substr(NEW.month, 6, 2) AS INTEGER) - 1)))
    ON CONFLICT (programme_id, person_id, year) DO UPDATE SET months = months | excluded.months;
END;

CREATE TRIGGER indicator_programme_person_months_delete AFTER DELETE ON indicator_programme_person_months
BEGIN
    UPDATE indicator_programme_person_years SET months = months & ~(1 << (CAST(substr(OLD.month, 6, 2) AS INTEGER) - 1))
     WHERE programme_id = OLD.programme_id AND person_id = OLD.person_id AND year = substr(OLD.month, 1, 4);
    DELETE FROM indicator_programme_person_years
     WHERE programme_id = OLD.programme_id AND person_id = OLD.person_id AND year = substr(OLD.month, 1, 4) AND months = 0;
END;

-- The years of the people make the counts of every period of the year.
CREATE TRIGGER indicator_person_years_insert AFTER INSERT ON indicator_person_years
BEGIN
    INSERT INTO indicator_network_people (network_id, period, people)
    SELECT NEW.network_id, NEW.year || p.suffix, 1 FROM indicator_period_parts p WHERE (NEW.months & p.months) <> 0
    ON CONFLICT (network_id, period) DO UPDATE SET people = people + excluded.people;
END;

CREATE TRIGGER indicator_person_years_update AFTER UPDATE OF months ON indicator_person_years
BEGIN
    INSERT INTO indicator_network_people (network_id, period, people)
    SELECT NEW.network_id, NEW.year || p.suffix, ((NEW.months & p.months) <> 0) - ((OLD.months & p.months) <> 0)
    FROM indicator_period_parts p WHERE ((NEW.months & p.months) <> 0) <> ((OLD.months & p.months) <> 0)
    ON CONFLICT (network_id, period) DO UPDATE SET people = people + excluded.people;
    DELETE FROM indicator_network_people WHERE network_id = NEW.network_id AND people = 0
      AND period IN (SELECT NEW.year || p.suffix FROM indicator_period_parts p);
END;

CREATE TRIGGER indicator_person_years_delete AFTER DELETE ON indicator_person_years
BEGIN
    UPDATE indicator_network_people SET people = people - 1
     WHERE network_id = OLD.network_id
       AND period IN (SELECT OLD.year || p.suffix FROM indicator_period_parts p WHERE (OLD.months & p.months) <> 0);
    DELETE FROM indicator_network_people WHERE network_id = OLD.network_id AND people = 0
      AND period IN (SELECT OLD.year || p.suffix FROM indicator_period_parts p);
END;

CREATE TRIGGER indicator_programme_person_years_insert AFTER INSERT ON indicator_programme_person_years
BEGIN
    INSERT INTO indicator_programme_people (programme_id, period, people)
    SELECT NEW.programme_id, NEW.year || p.suffix, 1 FROM indicator_period_parts p WHERE (NEW.months & p.months) <> 0
    ON CONFLICT (programme_id, period) DO UPDATE SET people = people + excluded.people;
END;

CREATE TRIGGER indicator_programme_person_years_update AFTER UPDATE OF months ON indicator_programme_person_years
BEGIN
    INSERT INTO indicator_programme_people (programme_id, period, people)
    SELECT NEW.programme_id, NEW.year || p.suffix, ((NEW.months & p.months) <> 0) - ((OLD.months & p.months) <> 0)
    FROM indicator_period_parts p WHERE ((NEW.months & p.months) <> 0) <> ((OLD.months & p.months) <> 0)
    ON CONFLICT (programme_id, period) DO UPDATE SET people = people + excluded.people;
    DELETE FROM indicator_programme_people WHERE programme_id = NEW.programme_id AND people = 0
      AND period IN (SELECT NEW.year || p.suffix FROM indicator_period_parts p);
END;

CREATE TRIGGER indicator_programme_person_years_delete AFTER DELETE ON indicator_programme_person_years
BEGIN
    UPDATE indicator_programme_people SET people = people - 1
     WHERE programme_id = OLD.programme_id
       AND period IN (SELECT OLD.year || p.suffix FROM indicator_period_parts p WHERE (OLD.months & p.months) <> 0);
    DELETE FROM indicator_programme_people WHERE programme_id = OLD.programme_id AND people = 0
      AND period IN (SELECT OLD.year || p.suffix FROM indicator_period_parts p);
END;
