//! The built-in impact indicators (SPEC §7, decision 0043), summed in SQL: one statement per
//! indicator and scope gives every network's figure (and, for the distinct counts, the
//! programme's), never a statement per network or per row; the rows an indicator counts come from
//! the same conditions, so that every figure traces to its records. Targets per programme,
//! network and period live in `indicator_targets`.

use crate::audit::Change;
use crate::sql::{Conditions, date_to_db};
use crate::{Actor, Db, Engine, Result, StoreError, Timestamp, Writer, new_id};
use reti_domain::indicators::{Aggregation, Indicator, Measure, Period, TargetInput};
use reti_domain::reading::RoundKind;
use serde::Serialize;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// Whose figures: the networks of a programme, all of them (`None`) or some.
#[derive(Debug, Clone)]
pub struct IndicatorScope {
    pub programme_id: String,
    pub network_ids: Option<Vec<String>>,
}

impl IndicatorScope {
    pub fn programme(programme_id: &str) -> IndicatorScope {
        IndicatorScope { programme_id: programme_id.to_owned(), network_ids: None }
    }

    /// Only `network_ids` of the programme.
    pub fn networks(programme_id: &str, network_ids: Vec<String>) -> IndicatorScope {
        IndicatorScope { programme_id: programme_id.to_owned(), network_ids: Some(network_ids) }
    }

    /// The networks of the scope, as `n`: the programme's current ones, those asked for.
    fn clause(&self, conditions: &mut Conditions) -> String {
        let programme = conditions.bind(self.programme_id.clone());
        let mut clause = format!("n.programme_id = {programme} AND n.archived_at IS NULL");
        match &self.network_ids {
            Some(ids) if ids.is_empty() => clause.push_str(" AND 1 = 0"),
            Some(ids) => {
                let list = conditions.bind_all(ids.iter().cloned());
                clause.push_str(&format!(" AND n.id IN ({list})"));
            }
            None => {}
        }
        clause
    }
}

/// The bounds of a period as the columns store them: days (`YYYY-MM-DD`), and the instants of
/// midnight in Italy at its start and after its end, in both stored forms of an instant.
struct Window {
    from: String,
    to: String,
    /// `…T23:00:00Z`: meetings' times.
    start: String,
    end: String,
    /// `…T23:00:00.000000Z`: records' timestamps.
    start_micro: String,
    end_micro: String,
    /// Now, as meetings' times: a meeting is held once it has started.
    now: String,
    /// The period as the aggregates name it (`2026`, `2026-Q1`, `2026-03`), and its months.
    key: String,
    months: Vec<String>,
}

fn rome_midnight(day: time::Date) -> chrono::DateTime<chrono::Utc> {
    let naive = chrono::NaiveDate::from_ymd_opt(day.year(), u32::from(u8::from(day.month())), u32::from(day.day()))
        .expect("a valid date")
        .and_hms_opt(0, 0, 0)
        .expect("midnight");
    // Midnight always exists in Italy (the clocks change at 2 and 3 in the night).
    reti_domain::meetings::resolve_local("period", naive).expect("midnight exists in Europe/Rome")
}

impl Window {
    fn of(period: Period) -> Window {
        let start = rome_midnight(period.first_day());
        let end = rome_midnight(period.last_day().next_day().expect("periods end before the last date"));
        let micro = |instant: chrono::DateTime<chrono::Utc>| instant.format("%Y-%m-%dT%H:%M:%S.000000Z").to_string();
        Window {
            from: date_to_db(period.first_day()),
            to: date_to_db(period.last_day()),
            start: reti_domain::meetings::to_db(start),
            end: reti_domain::meetings::to_db(end),
            start_micro: micro(start),
            end_micro: micro(end),
            now: reti_domain::meetings::to_db(
                chrono::DateTime::from_timestamp(time::OffsetDateTime::now_utc().unix_timestamp(), 0)
                    .expect("the clock is within chrono's range"),
            ),
            key: period.to_string(),
            months: months_of(period),
        }
    }
}

/// The months (`YYYY-MM`) of a period.
fn months_of(period: Period) -> Vec<String> {
    let (first, last) = (period.first_day(), period.last_day());
    (u8::from(first.month())..=u8::from(last.month())).map(|m| format!("{:04}-{m:02}", first.year())).collect()
}

/// One indicator's figures over a period.
#[derive(Debug, Clone)]
pub struct Figures {
    pub indicator: Indicator,
    pub period: Period,
    /// Every network of the scope; a change is absent for a network without two observations.
    pub by_network: BTreeMap<String, f64>,
    /// The scope's figure (see [`Indicator::aggregation`]).
    pub total: Option<f64>,
    /// The breakdown of the total and of each network (`network_id`, key, value), when the
    /// indicator has one; `network_id` is empty for the scope's.
    pub breakdown: Vec<(String, String, f64)>,
}

impl Figures {
    pub fn network(&self, network_id: &str) -> Option<f64> {
        self.by_network.get(network_id).copied()
    }
}

/// One record an indicator counts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TraceRow {
    pub network_id: String,
    pub network_name: String,
    /// What the record is: `network`, `membership`, `organisation`, `meeting`, `attendance`,
    /// `person`, `diary_entry`, `lab_participant`, `practice`, `reading_round`, `map_snapshot`,
    /// `matrix_objective`.
    pub record: &'static str,
    /// The record counted: what a distinct count counts once.
    pub record_id: String,
    /// Where the record is shown (a meeting's id for an attendance, a lab's for a participant).
    pub link_id: String,
    /// `YYYY-MM-DD` (in Italy), or empty.
    pub date: String,
    pub title: String,
    /// A code (kind, mode, status) or a short text.
    pub detail: String,
    /// What the row adds: 1 for a count, hours, an index or a density.
    pub amount: f64,
}

/// The figure that `rows` make for `indicator`, as the figures are summed: for one network, or
/// for a scope of several.
pub fn value_of_rows(indicator: Indicator, rows: &[TraceRow]) -> Option<f64> {
    match (indicator.measure(), indicator.aggregation()) {
        (Measure::Change, _) => {
            let mut by_network: BTreeMap<&str, Vec<&TraceRow>> = BTreeMap::new();
            for row in rows {
                by_network.entry(row.network_id.as_str()).or_default().push(row);
            }
            let changes: Vec<f64> = by_network
                .values()
                .filter(|rows| rows.len() >= 2)
                .map(|rows| rows[rows.len() - 1].amount - rows[0].amount)
                .collect();
            reti_domain::indicators::aggregate(Aggregation::Mean, &changes)
        }
        (_, Aggregation::Distinct) => {
            Some(rows.iter().map(|r| r.record_id.as_str()).collect::<BTreeSet<_>>().len() as f64)
        }
        _ => Some(rows.iter().map(|r| r.amount).sum()),
    }
}

/// A target, for the programme (`network_id` none) or a network.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub id: String,
    pub network_id: Option<String>,
    pub indicator: Indicator,
    pub period: Period,
    pub value: f64,
}

/// Writes the `FROM … WHERE …` of an indicator with the scope and the period.
type FromWhere = fn(&IndicatorScope, &Window, &mut Conditions) -> String;

/// The statement of an indicator's figures: per network (`n.id`), and per key.
struct Grouped {
    /// Written once per part of the union.
    from_where: FromWhere,
    /// The key of the breakdown (`''` when none).
    key: &'static str,
    /// The columns the key groups by (empty when none).
    key_group: &'static str,
    value: &'static str,
    /// A programme row (network `''`) for the distinct counts.
    distinct_total: bool,
}

fn held_meetings(scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> String {
    let clause = scope.clause(c);
    let (start, end, now) = (c.bind(w.start.clone()), c.bind(w.end.clone()), c.bind(w.now.clone()));
    format!(
        " FROM meetings mt JOIN networks n ON n.id = mt.network_id WHERE {clause} AND mt.cancelled_at IS NULL
          AND mt.starts_at >= {start} AND mt.starts_at < {end} AND mt.starts_at <= {now}"
    )
}

fn attendance(scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> String {
    let clause = scope.clause(c);
    let (start, end, now) = (c.bind(w.start.clone()), c.bind(w.end.clone()), c.bind(w.now.clone()));
    format!(
        " FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id JOIN networks n ON n.id = mt.network_id
          WHERE {clause} AND a.present = 1 AND mt.cancelled_at IS NULL
          AND mt.starts_at >= {start} AND mt.starts_at < {end} AND mt.starts_at <= {now}"
    )
}

fn members_at_end(scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> String {
    let clause = scope.clause(c);
    let to = c.bind(w.to.clone());
    let to_again = c.bind(w.to.clone());
    format!(
        " FROM memberships m JOIN networks n ON n.id = m.network_id JOIN organisations o ON o.id = m.organisation_id
          WHERE {clause} AND (m.joined_on IS NULL OR m.joined_on <= {to}) AND (m.left_on IS NULL OR m.left_on > {to_again})"
    )
}

fn new_members(scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> String {
    let clause = scope.clause(c);
    let (from, to) = (c.bind(w.from.clone()), c.bind(w.to.clone()));
    format!(
        " FROM memberships m JOIN networks n ON n.id = m.network_id JOIN organisations o ON o.id = m.organisation_id
          WHERE {clause} AND m.joined_on >= {from} AND m.joined_on <= {to}"
    )
}

/// The organisations that are members of a network of the scope on the period's last day and of
/// another network of the programme too, as `s` (`network_id`, `organisation_id`).
fn shared_members(scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> String {
    let active = |alias: &str, c: &mut Conditions| {
        let (to, to_again) = (c.bind(w.to.clone()), c.bind(w.to.clone()));
        format!(
            "({alias}.joined_on IS NULL OR {alias}.joined_on <= {to}) AND ({alias}.left_on IS NULL OR {alias}.left_on > {to_again})"
        )
    };
    let clause = scope.clause(c);
    let mine = active("s", c);
    let theirs = active("b", c);
    format!(
        " FROM memberships s JOIN networks n ON n.id = s.network_id JOIN organisations o ON o.id = s.organisation_id
          WHERE {clause} AND {mine}
            AND EXISTS (SELECT 1 FROM memberships b JOIN networks bn ON bn.id = b.network_id
                WHERE b.organisation_id = s.organisation_id AND b.network_id <> s.network_id
                  AND bn.programme_id = n.programme_id AND bn.archived_at IS NULL AND {theirs})"
    )
}

fn diary(scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> String {
    let clause = scope.clause(c);
    let (from, to) = (c.bind(w.from.clone()), c.bind(w.to.clone()));
    format!(
        " FROM diary_entries d JOIN networks n ON n.id = d.network_id JOIN users u ON u.id = d.author_user_id
          WHERE {clause} AND d.entry_date >= {from} AND d.entry_date <= {to}"
    )
}

fn lab_enrolments(scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> String {
    let clause = scope.clause(c);
    let (start, end) = (c.bind(w.start_micro.clone()), c.bind(w.end_micro.clone()));
    format!(
        " FROM lab_participants lp JOIN labs l ON l.id = lp.lab_id JOIN networks n ON n.id = lp.network_id
          JOIN users u ON u.id = lp.user_id
          WHERE {clause} AND lp.enrolled_at >= {start} AND lp.enrolled_at < {end}"
    )
}

fn drafted(scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> String {
    let clause = scope.clause(c);
    let (start, end) = (c.bind(w.start_micro.clone()), c.bind(w.end_micro.clone()));
    format!(
        " FROM practices p JOIN networks n ON n.id = p.network_id
          WHERE {clause} AND p.created_at >= {start} AND p.created_at < {end}"
    )
}

fn published(scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> String {
    let clause = scope.clause(c);
    let (start, end) = (c.bind(w.start_micro.clone()), c.bind(w.end_micro.clone()));
    format!(
        " FROM practices p JOIN networks n ON n.id = p.network_id
          WHERE {clause} AND p.status = 'published' AND p.published_at >= {start} AND p.published_at < {end}"
    )
}

fn supported(scope: &IndicatorScope, _w: &Window, c: &mut Conditions) -> String {
    let clause = scope.clause(c);
    format!(" FROM networks n WHERE {clause} AND n.status <> 'closed'")
}

fn gaps(scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> String {
    let clause = scope.clause(c);
    let end = c.bind(w.end_micro.clone());
    format!(
        " FROM matrix_objectives o JOIN networks n ON n.id = o.network_id
          WHERE {clause} AND o.created_at < {end}
            AND NOT EXISTS (SELECT 1 FROM matrix_assignments ma WHERE ma.objective_id = o.id AND ma.role = 'R')"
    )
}

fn snapshots(scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> String {
    let clause = scope.clause(c);
    let end = c.bind(w.end_micro.clone());
    format!(
        " FROM map_snapshots s JOIN networks n ON n.id = s.network_id JOIN reading_rounds r ON r.id = s.round_id
          WHERE {clause} AND s.taken_at < {end}"
    )
}

fn grouped(indicator: Indicator) -> Option<Grouped> {
    let plain = |from_where: FromWhere, value: &'static str| Grouped {
        from_where,
        key: "''",
        key_group: "",
        value,
        distinct_total: false,
    };
    let distinct = |from_where: FromWhere, value: &'static str| Grouped {
        from_where,
        key: "''",
        key_group: "",
        value,
        distinct_total: true,
    };
    Some(match indicator {
        Indicator::NetworksSupported => plain(supported, "COUNT(*)"),
        Indicator::MemberOrganisations => Grouped {
            from_where: members_at_end,
            key: "o.kind",
            key_group: "o.kind",
            value: "COUNT(DISTINCT m.organisation_id)",
            distinct_total: true,
        },
        Indicator::NewMembers => plain(new_members, "COUNT(*)"),
        Indicator::CrossNetworkTies => distinct(shared_members, "COUNT(DISTINCT s.organisation_id)"),
        Indicator::MeetingsHeld => Grouped {
            from_where: held_meetings,
            key: "mt.kind || '/' || mt.mode",
            key_group: "mt.kind, mt.mode",
            value: "COUNT(*)",
            distinct_total: false,
        },
        Indicator::ParticipantsUnique => distinct(attendance, "COUNT(DISTINCT a.person_id)"),
        Indicator::PersonMeetings => plain(attendance, "COUNT(*)"),
        Indicator::AccompanimentHours => plain(diary, "CAST(COALESCE(SUM(d.hundredths), 0) AS BIGINT)"),
        Indicator::LabParticipants => distinct(lab_enrolments, "COUNT(DISTINCT lp.user_id)"),
        Indicator::PracticesDrafted => plain(drafted, "COUNT(*)"),
        Indicator::PracticesPublished => plain(published, "COUNT(*)"),
        Indicator::ObjectivesWithoutResponsible => plain(gaps, "COUNT(*)"),
        Indicator::ReadingIndexChange | Indicator::DensityChange => return None,
    })
}

/// The statement of a figure that the registers' aggregates give (decision 0056; migration 0040
/// keeps them): meetings and present lines by network and period, people by network or programme
/// and period. The aggregates count every meeting of the period's months, started or not; while
/// the period is not over, what the meetings not started yet hold is taken away, read from the
/// meetings themselves (few, found by their start: `meetings mt CROSS JOIN networks n` makes
/// SQLite start there). Rows as [`grouped`]'s: `network_id`, `k`, `v`.
fn aggregated(indicator: Indicator, scope: &IndicatorScope, w: &Window, c: &mut Conditions) -> Option<String> {
    let open = w.end > w.now;
    let ahead = |c: &mut Conditions, lines: bool| {
        let clause = scope.clause(c);
        let (start, end, now) = (c.bind(w.start.clone()), c.bind(w.end.clone()), c.bind(w.now.clone()));
        let (join, present) =
            if lines { (" JOIN meeting_attendance a ON a.meeting_id = mt.id", " AND a.present = 1") } else { ("", "") };
        format!(
            " FROM meetings mt CROSS JOIN networks n{join}
              WHERE mt.starts_at > {now} AND mt.starts_at >= {start} AND mt.starts_at < {end}
                AND n.id = mt.network_id AND {clause} AND mt.cancelled_at IS NULL{present}"
        )
    };
    Some(match indicator {
        Indicator::MeetingsHeld | Indicator::PersonMeetings => {
            let clause = scope.clause(c);
            let period = c.bind(w.key.clone());
            let held = indicator == Indicator::MeetingsHeld;
            let (key, value) =
                if held { ("mp.kind || '/' || mp.mode", "mp.meetings") } else { ("''", "mp.person_meetings") };
            let mut sql = format!(
                "SELECT n.id AS network_id, {key} AS k, {value} AS v
                 FROM indicator_meeting_periods mp JOIN networks n ON n.id = mp.network_id
                 WHERE {clause} AND mp.period = {period}"
            );
            if open {
                let sql_ahead = ahead(c, !held);
                sql.push_str(&if held {
                    format!(
                        " UNION ALL SELECT n.id AS network_id, mt.kind || '/' || mt.mode AS k, -COUNT(*) AS v{sql_ahead}
                          GROUP BY n.id, mt.kind, mt.mode"
                    )
                } else {
                    format!(" UNION ALL SELECT n.id AS network_id, '' AS k, -COUNT(*) AS v{sql_ahead} GROUP BY n.id")
                });
            }
            sql
        }
        Indicator::ParticipantsUnique => {
            let months = |c: &mut Conditions| c.bind_all(w.months.iter().cloned());
            let clause = scope.clause(c);
            let period = c.bind(w.key.clone());
            let mut sql = format!(
                "SELECT n.id AS network_id, '' AS k, np.people AS v
                 FROM indicator_network_people np JOIN networks n ON n.id = np.network_id
                 WHERE {clause} AND np.period = {period}"
            );
            // Someone who came only to meetings not started yet is taken away: none of their
            // months in the period has a first meeting by now.
            if open {
                let lines = ahead(c, true);
                let (months, now) = (months(c), c.bind(w.now.clone()));
                sql.push_str(&format!(
                    " UNION ALL SELECT n.id AS network_id, '' AS k, -COUNT(DISTINCT a.person_id) AS v{lines}
                        AND NOT EXISTS (SELECT 1 FROM indicator_person_months pm WHERE pm.network_id = n.id
                            AND pm.person_id = a.person_id AND pm.month IN ({months}) AND pm.first_at <= {now})
                      GROUP BY n.id"
                ));
            }
            match &scope.network_ids {
                // The programme's own count: each person once across its networks not archived.
                None => {
                    let (programme, period) = (c.bind(scope.programme_id.clone()), c.bind(w.key.clone()));
                    sql.push_str(&format!(
                        " UNION ALL SELECT '' AS network_id, '' AS k, pp.people AS v FROM indicator_programme_people pp
                          WHERE pp.programme_id = {programme} AND pp.period = {period}"
                    ));
                    if open {
                        let lines = ahead(c, true);
                        let (programme, months, now) =
                            (c.bind(scope.programme_id.clone()), months(c), c.bind(w.now.clone()));
                        sql.push_str(&format!(
                            " UNION ALL SELECT '' AS network_id, '' AS k, -COUNT(DISTINCT a.person_id) AS v{lines}
                                AND NOT EXISTS (SELECT 1 FROM indicator_person_months pm
                                    WHERE pm.person_id = a.person_id AND pm.programme_id = {programme}
                                      AND pm.month IN ({months}) AND pm.first_at <= {now})"
                        ));
                    }
                }
                // Some networks: their people's months, each person once.
                Some(_) => {
                    let clause = scope.clause(c);
                    let (months, now) = (months(c), c.bind(w.now.clone()));
                    sql.push_str(&format!(
                        " UNION ALL SELECT '' AS network_id, '' AS k, COUNT(DISTINCT pm.person_id) AS v
                          FROM indicator_person_months pm JOIN networks n ON n.id = pm.network_id
                          WHERE {clause} AND pm.month IN ({months}) AND pm.first_at <= {now}"
                    ));
                }
            }
            sql
        }
        _ => return None,
    })
}

/// What one stored unit of a figure is worth (hours are summed in hundredths).
fn scale(indicator: Indicator) -> f64 {
    if indicator == Indicator::AccompanimentHours { 0.01 } else { 1.0 }
}

fn target_from_row(row: &sqlx::any::AnyRow) -> Result<Target> {
    let code: String = row.try_get("indicator")?;
    let period: String = row.try_get("period")?;
    Ok(Target {
        id: row.try_get("id")?,
        network_id: row.try_get("network_id")?,
        indicator: Indicator::parse("indicator", &code)
            .map_err(|_| StoreError::Corrupt(format!("indicator {code:?}")))?,
        period: Period::parse("period", &period).map_err(|_| StoreError::Corrupt(format!("period {period:?}")))?,
        value: row.try_get("value")?,
    })
}

impl Db {
    /// The networks of the scope, by name: (id, name).
    pub async fn indicator_networks(&self, scope: &IndicatorScope) -> Result<Vec<(String, String)>> {
        let mut c = Conditions::default();
        let clause = scope.clause(&mut c);
        let sql = format!("SELECT n.id, n.name FROM networks n WHERE {clause} ORDER BY n.name_folded, n.id");
        let rows = c.query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(|row| Ok((row.try_get("id")?, row.try_get("name")?))).collect()
    }

    /// Every built-in indicator over `period` (one statement each; the reading tool's two).
    pub async fn indicator_figures_all(&self, scope: &IndicatorScope, period: Period) -> Result<Vec<Figures>> {
        let networks = self.indicator_networks(scope).await?;
        self.indicator_figures_all_of(scope, &networks, period).await
    }

    /// [`Db::indicator_figures_all`] for the networks of the scope read already
    /// ([`Db::indicator_networks`]): a dashboard reads them once for all its figures.
    pub async fn indicator_figures_all_of(
        &self,
        scope: &IndicatorScope,
        networks: &[(String, String)],
        period: Period,
    ) -> Result<Vec<Figures>> {
        let mut all = Vec::with_capacity(Indicator::ALL.len());
        for indicator in Indicator::ALL {
            all.push(self.figures_of(scope, networks, indicator, period).await?);
        }
        Ok(all)
    }

    /// [`Db::indicator_figures`] for the networks of the scope read already.
    pub async fn indicator_figures_of(
        &self,
        scope: &IndicatorScope,
        networks: &[(String, String)],
        indicator: Indicator,
        period: Period,
    ) -> Result<Figures> {
        self.figures_of(scope, networks, indicator, period).await
    }

    /// One indicator over `period`.
    pub async fn indicator_figures(
        &self,
        scope: &IndicatorScope,
        indicator: Indicator,
        period: Period,
    ) -> Result<Figures> {
        let networks = self.indicator_networks(scope).await?;
        self.figures_of(scope, &networks, indicator, period).await
    }

    async fn figures_of(
        &self,
        scope: &IndicatorScope,
        networks: &[(String, String)],
        indicator: Indicator,
        period: Period,
    ) -> Result<Figures> {
        let Some(grouped) = grouped(indicator) else {
            let rows = self.indicator_rows(scope, indicator, period, None).await?;
            let mut by_network = BTreeMap::new();
            for (id, _) in networks {
                let mine: Vec<TraceRow> = rows.iter().filter(|r| &r.network_id == id).cloned().collect();
                if mine.len() >= 2
                    && let Some(value) = value_of_rows(indicator, &mine)
                {
                    by_network.insert(id.clone(), value);
                }
            }
            let values: Vec<f64> = by_network.values().copied().collect();
            let total = reti_domain::indicators::aggregate(Aggregation::Mean, &values);
            return Ok(Figures { indicator, period, by_network, total, breakdown: Vec::new() });
        };
        let window = Window::of(period);
        let mut c = Conditions::default();
        let Grouped { from_where, key, key_group, value, distinct_total } = grouped;
        let group = |first: &str| match (first, key_group) {
            ("", "") => String::new(),
            ("", keys) => format!(" GROUP BY {keys}"),
            (first, "") => format!(" GROUP BY {first}"),
            (first, keys) => format!(" GROUP BY {first}, {keys}"),
        };
        let sql = match aggregated(indicator, scope, &window, &mut c) {
            Some(sql) => sql,
            None => {
                let mut sql = format!(
                    "SELECT n.id AS network_id, {key} AS k, {value} AS v{}{}",
                    from_where(scope, &window, &mut c),
                    group("n.id")
                );
                if distinct_total {
                    sql.push_str(&format!(
                        " UNION ALL SELECT '' AS network_id, {key} AS k, {value} AS v{}{}",
                        from_where(scope, &window, &mut c),
                        group("")
                    ));
                }
                sql
            }
        };
        // A programme's figure has a row per network (1,000 in the benchmark) and a dashboard reads
        // some forty figures: they come as one row of JSON each, not row by row (decision 0048).
        let from = format!("FROM ({sql}) figure_rows");
        let sql =
            format!("SELECT {} AS figure_rows", self.engine().json_rows("network_id, k, v", "network_id, k", &from));
        let json: String = c.query_scalar(&sql).fetch_one(self.pool()).await?;
        let rows: Vec<(String, String, i64)> =
            serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("indicator figures as JSON: {e}")))?;
        let unit = scale(indicator);
        let mut by_network: BTreeMap<String, f64> = networks.iter().map(|(id, _)| (id.clone(), 0.0)).collect();
        let mut breakdown: BTreeMap<(String, String), f64> = BTreeMap::new();
        let mut distinct: Option<f64> = distinct_total.then_some(0.0);
        for (network_id, key, value) in rows {
            let value = value as f64 * unit;
            if network_id.is_empty() {
                if let Some(total) = distinct.as_mut() {
                    *total += value;
                }
            } else if let Some(figure) = by_network.get_mut(&network_id) {
                *figure += value;
            }
            if indicator.breakdown().is_some() {
                *breakdown.entry((network_id.clone(), key.clone())).or_default() += value;
                if !distinct_total && !network_id.is_empty() {
                    *breakdown.entry((String::new(), key)).or_default() += value;
                }
            }
        }
        let total = match indicator.aggregation() {
            Aggregation::Distinct => distinct,
            aggregation => {
                reti_domain::indicators::aggregate(aggregation, &by_network.values().copied().collect::<Vec<_>>())
            }
        };
        // A key the aggregates hold only for meetings not started yet nets to nothing.
        let breakdown = breakdown
            .into_iter()
            .filter(|(_, value)| *value != 0.0)
            .map(|((network, key), value)| (network, key, value))
            .collect();
        Ok(Figures { indicator, period, by_network, total, breakdown })
    }

    /// The records `indicator` counts over `period` in the scope, by network then date; at most
    /// `limit` of them when set.
    pub async fn indicator_rows(
        &self,
        scope: &IndicatorScope,
        indicator: Indicator,
        period: Period,
        limit: Option<usize>,
    ) -> Result<Vec<TraceRow>> {
        let window = Window::of(period);
        let mut c = Conditions::default();
        let limit_sql = limit.map(|l| format!(" LIMIT {l}")).unwrap_or_default();
        // (record, columns: record_id, link_id, date, title, detail, amount, from_where, order)
        let (record, columns, from_where, order): (&'static str, &str, String, &str) = match indicator {
            Indicator::NetworksSupported => (
                "network",
                "n.id AS record_id, n.id AS link_id, '' AS day, n.name AS title, n.status AS detail, CAST(1 AS BIGINT) AS amount",
                supported(scope, &window, &mut c),
                "n.name_folded, n.id",
            ),
            Indicator::MemberOrganisations => (
                "organisation",
                "o.id AS record_id, o.id AS link_id, COALESCE(m.joined_on, '') AS day, o.name AS title, o.kind AS detail, CAST(1 AS BIGINT) AS amount",
                members_at_end(scope, &window, &mut c),
                "n.name_folded, n.id, o.name_folded, m.id",
            ),
            Indicator::NewMembers => (
                "membership",
                "m.id AS record_id, o.id AS link_id, m.joined_on AS day, o.name AS title, m.role AS detail, CAST(1 AS BIGINT) AS amount",
                new_members(scope, &window, &mut c),
                "n.name_folded, n.id, m.joined_on, m.id",
            ),
            Indicator::CrossNetworkTies => (
                "organisation",
                "o.id AS record_id, o.id AS link_id, '' AS day, o.name AS title, o.kind AS detail, CAST(1 AS BIGINT) AS amount",
                shared_members(scope, &window, &mut c),
                "n.name_folded, n.id, o.name_folded, o.id",
            ),
            Indicator::MeetingsHeld => (
                "meeting",
                "mt.id AS record_id, mt.id AS link_id, mt.starts_at AS day, mt.title AS title,
                 mt.kind || '/' || mt.mode AS detail, CAST(1 AS BIGINT) AS amount",
                held_meetings(scope, &window, &mut c),
                "n.name_folded, n.id, mt.starts_at, mt.id",
            ),
            Indicator::ParticipantsUnique => (
                "person",
                "a.person_id AS record_id, a.person_id AS link_id, MAX(mt.starts_at) AS day, MAX(p.name) AS title,
                 CAST(COUNT(*) AS TEXT) AS detail, CAST(1 AS BIGINT) AS amount",
                format!(
                    "{} GROUP BY n.id, n.name, n.name_folded, a.person_id",
                    attendance(scope, &window, &mut c).replacen(
                        "JOIN networks n ON n.id = mt.network_id",
                        "JOIN networks n ON n.id = mt.network_id JOIN people p ON p.id = a.person_id",
                        1
                    )
                ),
                "n.name_folded, n.id, MAX(p.name_folded), a.person_id",
            ),
            Indicator::PersonMeetings => (
                "attendance",
                "a.person_id AS record_id, mt.id AS link_id, mt.starts_at AS day, p.name AS title, mt.title AS detail, CAST(1 AS BIGINT) AS amount",
                attendance(scope, &window, &mut c).replacen(
                    "JOIN networks n ON n.id = mt.network_id",
                    "JOIN networks n ON n.id = mt.network_id JOIN people p ON p.id = a.person_id",
                    1,
                ),
                "n.name_folded, n.id, mt.starts_at, mt.id, p.name_folded, a.person_id",
            ),
            Indicator::AccompanimentHours => (
                "diary_entry",
                "d.id AS record_id, d.id AS link_id, d.entry_date AS day, u.name AS title, d.kind AS detail,
                 d.hundredths AS amount",
                diary(scope, &window, &mut c),
                "n.name_folded, n.id, d.entry_date, d.id",
            ),
            Indicator::LabParticipants => (
                "lab_participant",
                "lp.user_id AS record_id, l.id AS link_id, lp.enrolled_at AS day, u.name AS title, l.title AS detail, CAST(1 AS BIGINT) AS amount",
                lab_enrolments(scope, &window, &mut c),
                "n.name_folded, n.id, u.name, lp.user_id, l.id",
            ),
            Indicator::PracticesDrafted => (
                "practice",
                "p.id AS record_id, p.id AS link_id, p.created_at AS day, p.title AS title, p.status AS detail, CAST(1 AS BIGINT) AS amount",
                drafted(scope, &window, &mut c),
                "n.name_folded, n.id, p.created_at, p.id",
            ),
            Indicator::PracticesPublished => (
                "practice",
                "p.id AS record_id, p.id AS link_id, p.published_at AS day, p.title AS title, p.status AS detail, CAST(1 AS BIGINT) AS amount",
                published(scope, &window, &mut c),
                "n.name_folded, n.id, p.published_at, p.id",
            ),
            Indicator::ObjectivesWithoutResponsible => (
                "matrix_objective",
                "o.id AS record_id, o.id AS link_id, o.created_at AS day, o.title AS title, '' AS detail, CAST(1 AS BIGINT) AS amount",
                gaps(scope, &window, &mut c),
                "n.name_folded, n.id, o.position, o.id",
            ),
            Indicator::DensityChange => return self.density_rows(scope, &window, limit).await,
            Indicator::ReadingIndexChange => return self.reading_rows(scope, period, limit).await,
        };
        let sql = format!(
            "SELECT n.id AS network_id, n.name AS network_name, {columns}{from_where} ORDER BY {order}{limit_sql}"
        );
        let rows = c.query(&sql).fetch_all(self.pool()).await?;
        let hours = indicator == Indicator::AccompanimentHours;
        rows.iter()
            .map(|row| {
                let amount = if hours {
                    row.try_get::<i64, _>("amount")? as f64 / 100.0
                } else {
                    row.try_get::<i64, _>("amount")? as f64
                };
                Ok(TraceRow {
                    network_id: row.try_get("network_id")?,
                    network_name: row.try_get("network_name")?,
                    record,
                    record_id: row.try_get("record_id")?,
                    link_id: row.try_get("link_id")?,
                    date: day_in_rome(&row.try_get::<String, _>("day")?),
                    title: row.try_get("title")?,
                    detail: row.try_get("detail")?,
                    amount,
                })
            })
            .collect()
    }

    /// The first and the last snapshot of each network's actor map up to the period's end.
    async fn density_rows(
        &self,
        scope: &IndicatorScope,
        window: &Window,
        limit: Option<usize>,
    ) -> Result<Vec<TraceRow>> {
        let mut c = Conditions::default();
        let sql = format!(
            "SELECT n.id AS network_id, n.name AS network_name, s.id, s.taken_at, s.density, r.kind{}
             ORDER BY n.name_folded, n.id, s.taken_at, s.id",
            snapshots(scope, window, &mut c)
        );
        let rows = c.query(&sql).fetch_all(self.pool()).await?;
        let mut all: Vec<TraceRow> = Vec::new();
        for row in &rows {
            all.push(TraceRow {
                network_id: row.try_get("network_id")?,
                network_name: row.try_get("network_name")?,
                record: "map_snapshot",
                record_id: row.try_get("id")?,
                link_id: row.try_get("id")?,
                date: day_in_rome(&row.try_get::<String, _>("taken_at")?),
                title: row.try_get("kind")?,
                detail: String::new(),
                amount: row.try_get("density")?,
            });
        }
        Ok(first_and_last(all, limit))
    }

    /// The baseline round's index of each network and its latest later round's, among the rounds
    /// opened by the period's end.
    async fn reading_rows(
        &self,
        scope: &IndicatorScope,
        period: Period,
        limit: Option<usize>,
    ) -> Result<Vec<TraceRow>> {
        let networks: BTreeMap<String, String> = self.indicator_networks(scope).await?.into_iter().collect();
        let results = self.reading_results(&scope.programme_id).await?;
        let mut rows: Vec<TraceRow> = Vec::new();
        for (network_id, network_name) in &networks {
            let mut baseline = None;
            let mut latest = None;
            for round in results.iter().filter(|r| r.round.opens_on <= period.last_day()) {
                let Some(index) = round.network(network_id).and_then(|n| n.profile.index) else { continue };
                let row = TraceRow {
                    network_id: network_id.clone(),
                    network_name: network_name.clone(),
                    record: "reading_round",
                    record_id: round.round.id.clone(),
                    link_id: round.round.id.clone(),
                    date: date_to_db(round.round.opens_on),
                    title: round.round.kind.code().to_owned(),
                    detail: String::new(),
                    amount: index,
                };
                if round.round.kind == RoundKind::Baseline {
                    baseline = Some(row);
                } else if baseline.is_some() {
                    latest = Some(row);
                }
            }
            rows.extend(baseline);
            rows.extend(latest);
        }
        if let Some(limit) = limit {
            rows.truncate(limit);
        }
        Ok(rows)
    }

    /// The targets of the programme, of one period or all.
    pub async fn indicator_targets(&self, programme_id: &str, period: Option<Period>) -> Result<Vec<Target>> {
        let mut c = Conditions::default();
        let programme = c.bind(programme_id);
        c.push(format!("programme_id = {programme}"));
        // The custom indicators' targets share the table (decision 0046).
        let built_in = c.bind_all(Indicator::ALL.iter().map(|i| i.code()));
        c.push(format!("indicator IN ({built_in})"));
        if let Some(period) = period {
            let p = c.bind(period.to_string());
            c.push(format!("period = {p}"));
        }
        let sql = format!(
            "SELECT id, network_id, indicator, period, value FROM indicator_targets{} ORDER BY period, indicator, scope_key",
            c.where_clause()
        );
        c.query(&sql).fetch_all(self.pool()).await?.iter().map(target_from_row).collect()
    }

    /// Sets the target of an indicator for the programme (`network_id` none) or one of its
    /// networks, over a period: the one target there is, replaced.
    pub async fn set_indicator_target(
        &self,
        actor: &Actor,
        programme_id: &str,
        network_id: Option<&str>,
        input: &TargetInput,
    ) -> Result<String> {
        self.set_target_of_code(actor, programme_id, network_id, input.indicator.code(), input.period, input.value)
            .await
    }

    /// Sets the target of the indicator `code` (built-in or custom), replacing the one there was.
    pub(crate) async fn set_target_of_code(
        &self,
        actor: &Actor,
        programme_id: &str,
        network_id: Option<&str>,
        code: &str,
        period: Period,
        target: f64,
    ) -> Result<String> {
        if let Some(network_id) = network_id {
            self.check_network_of(programme_id, network_id, "indicators_network").await?;
        }
        let id = new_id();
        let now = Timestamp::now().to_db();
        let period = period.to_string();
        let scope_key = network_id.unwrap_or("");
        self.write(actor, async |w| {
            let before: Option<f64> = sqlx::query_scalar(
                "SELECT value FROM indicator_targets WHERE programme_id = $1 AND scope_key = $2 AND indicator = $3 AND period = $4",
            )
            .bind(programme_id)
            .bind(scope_key)
            .bind(code)
            .bind(&period)
            .fetch_optional(&mut *w.tx)
            .await?;
            sqlx::query(
                "DELETE FROM indicator_targets WHERE programme_id = $1 AND scope_key = $2 AND indicator = $3 AND period = $4",
            )
            .bind(programme_id)
            .bind(scope_key)
            .bind(code)
            .bind(&period)
            .execute(&mut *w.tx)
            .await?;
            sqlx::query(
                "INSERT INTO indicator_targets (id, programme_id, network_id, scope_key, indicator, period, value, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(&id)
            .bind(programme_id)
            .bind(network_id)
            .bind(scope_key)
            .bind(code)
            .bind(&period)
            .bind(target)
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
            let value =
                |v: f64| serde_json::json!({"indicator": code, "period": period, "network_id": network_id, "value": v});
            w.audit(Change {
                action: "set",
                entity: "indicator_target",
                entity_id: Some(&id),
                programme_id: Some(programme_id),
                before: before.map(value),
                after: Some(value(target)),
            })
            .await
        })
        .await?;
        Ok(id)
    }
}

/// `YYYY-MM` in Italy of the meeting time `column`, as migration 0040 computes it on `engine`.
fn rome_month_sql(engine: Engine, column: &str) -> String {
    match engine {
        Engine::Sqlite => format!(
            "(CASE WHEN strftime('%m', {column}, '+2 hours') BETWEEN '04' AND '10' \
             THEN strftime('%Y-%m', {column}, '+2 hours') ELSE strftime('%Y-%m', {column}, '+1 hours') END)"
        ),
        Engine::Postgres => format!("indicator_rome_month({column})"),
    }
}

/// The registers' aggregates (migration 0040) as the registers make them: each table with the
/// statement of its rows from the registers, or from the table it is made of.
fn aggregate_definitions(engine: Engine) -> Vec<(&'static str, String, String)> {
    let month = rome_month_sql(engine, "mt.starts_at");
    let bit = "CAST(1 AS BIGINT) << (CAST(substr(month, 6, 2) AS INTEGER) - 1)";
    let mut definitions = vec![
        (
            "indicator_meeting_months",
            "network_id, month, kind, mode, meetings, person_meetings".to_owned(),
            format!(
                "SELECT mt.network_id, {month}, mt.kind, mt.mode, COUNT(*), CAST(COALESCE(SUM(a.n), 0) AS BIGINT)
                 FROM meetings mt
                 LEFT JOIN (SELECT meeting_id, COUNT(*) AS n FROM meeting_attendance WHERE present = 1 GROUP BY meeting_id) a
                        ON a.meeting_id = mt.id
                 WHERE mt.cancelled_at IS NULL GROUP BY 1, 2, 3, 4"
            ),
        ),
        (
            "indicator_meeting_periods",
            "network_id, period, kind, mode, meetings, person_meetings".to_owned(),
            format!(
                "SELECT m.network_id, substr(m.month, 1, 4) || p.suffix, m.kind, m.mode,
                        CAST(SUM(m.meetings) AS BIGINT), CAST(SUM(m.person_meetings) AS BIGINT)
                 FROM indicator_meeting_months m
                 JOIN indicator_period_parts p ON ({} & p.months) <> 0 GROUP BY 1, 2, 3, 4",
                bit.replace("month", "m.month")
            ),
        ),
        (
            "indicator_person_months",
            "network_id, person_id, month, programme_id, meetings, first_at".to_owned(),
            format!(
                "SELECT mt.network_id, a.person_id, {month}, CASE WHEN n.archived_at IS NULL THEN n.programme_id END,
                        COUNT(*), MIN(mt.starts_at)
                 FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id JOIN networks n ON n.id = mt.network_id
                 WHERE a.present = 1 AND mt.cancelled_at IS NULL GROUP BY 1, 2, 3, 4"
            ),
        ),
        (
            "indicator_programme_person_months",
            "programme_id, person_id, month, networks".to_owned(),
            "SELECT programme_id, person_id, month, COUNT(*) FROM indicator_person_months
             WHERE programme_id IS NOT NULL GROUP BY 1, 2, 3"
                .to_owned(),
        ),
    ];
    // Unique people per year and per period, the same way at both levels.
    let levels = [
        ("network_id", "indicator_person_months", "indicator_person_years", "indicator_network_people"),
        (
            "programme_id",
            "indicator_programme_person_months",
            "indicator_programme_person_years",
            "indicator_programme_people",
        ),
    ];
    for (key, months_table, years_table, people_table) in levels {
        definitions.push((
            years_table,
            format!("{key}, person_id, year, months"),
            format!(
                "SELECT {key}, person_id, substr(month, 1, 4), CAST(SUM({bit}) AS BIGINT)
                 FROM {months_table} GROUP BY 1, 2, 3"
            ),
        ));
        definitions.push((
            people_table,
            format!("{key}, period, people"),
            format!(
                "SELECT y.{key}, y.year || p.suffix, COUNT(*)
                 FROM {years_table} y JOIN indicator_period_parts p ON (y.months & p.months) <> 0 GROUP BY 1, 2"
            ),
        ));
    }
    definitions
}

impl Writer<'_> {
    /// Before a bulk load of register lines in this transaction. On PostgreSQL the aggregates'
    /// row triggers (migration 0040) cost about 1.7 ms a line, half an hour for a million lines:
    /// they rest until [`Writer::rebuild_indicator_aggregates`] makes every aggregate again in one
    /// pass, as a restore does. SQLite's triggers cost a tenth of that and stay on.
    pub async fn pause_indicator_aggregates(&mut self) -> Result<()> {
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT set_config('reti.indicator_aggregates', 'off', true)").execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Ends a bulk load begun by [`Writer::pause_indicator_aggregates`].
    pub async fn rebuild_indicator_aggregates(&mut self) -> Result<()> {
        if self.engine == Engine::Postgres {
            sqlx::raw_sql("DO $$ BEGIN PERFORM indicator_aggregates_rebuild(); END $$").execute(&mut *self.tx).await?;
        }
        Ok(())
    }
}

impl Db {
    /// How far the registers' aggregates are from what the registers make: each table whose rows
    /// differ, with how many rows are missing or extra. Empty when they agree (the triggers of
    /// migration 0040 keep them so); each table is checked against the one it is made of.
    pub async fn indicator_aggregates_drift(&self) -> Result<Vec<(&'static str, i64)>> {
        let mut drift = Vec::new();
        let mut tx = self.begin().await?;
        if self.engine() == Engine::Postgres {
            // Compiling these statements (their estimates are large on small tables) takes
            // seconds; running them, milliseconds.
            sqlx::query("SET LOCAL jit = off").execute(&mut *tx).await?;
        }
        for (table, columns, rows) in aggregate_definitions(self.engine()) {
            let sql = format!(
                "SELECT (SELECT COUNT(*) FROM (SELECT {columns} FROM {table} EXCEPT {rows}) extra)
                      + (SELECT COUNT(*) FROM ({rows} EXCEPT SELECT {columns} FROM {table}) missing)"
            );
            let differ: i64 = sqlx::query_scalar(&sql).fetch_one(&mut *tx).await?;
            if differ != 0 {
                drift.push((table, differ));
            }
        }
        tx.rollback().await?;
        Ok(drift)
    }
}

/// Each network's first and last row (the observations a change is measured between).
fn first_and_last(rows: Vec<TraceRow>, limit: Option<usize>) -> Vec<TraceRow> {
    let mut kept: Vec<TraceRow> = Vec::new();
    let mut last_of_network: Option<TraceRow> = None;
    for row in rows {
        match kept.last() {
            Some(first) if first.network_id == row.network_id => last_of_network = Some(row),
            _ => {
                kept.extend(last_of_network.take());
                kept.push(row);
            }
        }
    }
    kept.extend(last_of_network);
    if let Some(limit) = limit {
        kept.truncate(limit);
    }
    kept
}

/// The day in Italy of a stored instant (`…Z`), or the stored day itself, or empty.
fn day_in_rome(stored: &str) -> String {
    if stored.len() <= 10 {
        return stored.to_owned();
    }
    chrono::DateTime::parse_from_rfc3339(stored)
        .map(|instant| date_to_db(reti_domain::meetings::date_in_rome(instant.to_utc())))
        .unwrap_or_else(|_| stored.chars().take(10).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(network: &str, id: &str, amount: f64) -> TraceRow {
        TraceRow {
            network_id: network.into(),
            network_name: network.into(),
            record: "x",
            record_id: id.into(),
            link_id: id.into(),
            date: String::new(),
            title: String::new(),
            detail: String::new(),
            amount,
        }
    }

    #[test]
    fn rows_make_the_figure_as_the_figures_are_summed() {
        let rows = [row("a", "p1", 1.0), row("a", "p2", 1.0), row("b", "p1", 1.0)];
        assert_eq!(value_of_rows(Indicator::ParticipantsUnique, &rows), Some(2.0), "distinct people");
        assert_eq!(value_of_rows(Indicator::PersonMeetings, &rows), Some(3.0));
        let snapshots =
            [row("a", "s1", 0.2), row("a", "s3", 0.5), row("b", "s4", 0.4), row("c", "s5", 0.1), row("c", "s6", 0.2)];
        let change = value_of_rows(Indicator::DensityChange, &snapshots).unwrap();
        assert!((change - 0.2).abs() < 1e-12, "mean of +0.3 and +0.1, b has one snapshot: {change}");
    }

    #[test]
    fn a_change_keeps_each_networks_first_and_last_observation() {
        let rows = vec![row("a", "1", 0.1), row("a", "2", 0.2), row("a", "3", 0.3), row("b", "4", 0.4)];
        let ids: Vec<String> = first_and_last(rows, None).into_iter().map(|r| r.record_id).collect();
        assert_eq!(ids, ["1", "3", "4"]);
    }

    #[test]
    fn stored_instants_are_days_in_italy() {
        assert_eq!(day_in_rome("2026-03-31T22:30:00Z"), "2026-04-01");
        assert_eq!(day_in_rome("2026-01-01T10:00:00.000000Z"), "2026-01-01");
        assert_eq!(day_in_rome("2026-05-02"), "2026-05-02");
        assert_eq!(day_in_rome(""), "");
    }
}
