//! Reading tools (SPEC §3, decision 0023): a programme's instruments and their versions, the rounds
//! that use a published version, the organisations' answers, and the results computed from them.
//!
//! A version's content is one JSON document of [`Instrument`]; a published version is never
//! written again ([`Db::save_version`] refuses it with `error-reading-version-published`), so the
//! results of old rounds stay comparable. An organisation answers a round once: a draft until it is
//! submitted, then closed (`UNIQUE (round_id, organisation_id)` in the schema as the last guard).

use crate::audit::Change;
use crate::jobs::NewJob;
use crate::notices::Recipient;
use crate::{Actor, Db, Result, StoreError, Timestamp, Writer, new_id};
use reti_domain::reading::{Answers, Instrument, Profile, RoundInput, RoundKind, Scores, profile, score};
use reti_domain::{FieldError, FieldErrors};
use serde::Serialize;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

const ENTITY_VERSION: &str = "reading_version";
const ENTITY_ROUND: &str = "reading_round";
const ENTITY_ANSWER: &str = "reading_answer";

/// A network's submitted answers in a round: (network id, network name, (organisation name, scores)).
type Answered = (String, String, Vec<(String, Scores)>);

/// A version of an instrument, with its content.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub id: String,
    pub instrument_id: String,
    pub programme_id: String,
    pub number: i64,
    pub published: bool,
    pub published_at: Option<String>,
    pub content: Instrument,
}

#[derive(Debug, Clone, Serialize)]
pub struct Round {
    pub id: String,
    pub programme_id: String,
    pub version_id: String,
    pub version_number: i64,
    pub kind: RoundKind,
    pub opens_on: time::Date,
    pub closes_on: time::Date,
}

impl Round {
    /// Whether answers are taken on `today`.
    pub fn is_open(&self, today: time::Date) -> bool {
        self.opens_on <= today && today <= self.closes_on
    }
}

/// An organisation the user may answer for in a round, and how far its answer has gone.
#[derive(Debug, Clone, Serialize)]
pub struct Answerable {
    pub round_id: String,
    pub network_id: String,
    pub network_name: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub status: AnswerStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerStatus {
    NotStarted,
    Draft,
    Submitted,
}

impl AnswerStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            AnswerStatus::NotStarted => "reading-status-not-started",
            AnswerStatus::Draft => "reading-status-draft",
            AnswerStatus::Submitted => "reading-status-submitted",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub id: String,
    pub round_id: String,
    pub network_id: String,
    pub organisation_id: String,
    pub values: Answers,
    pub submitted_at: Option<String>,
}

/// A network's progress in a round.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkProgress {
    pub network_id: String,
    pub network_name: String,
    pub organisations: i64,
    pub submitted: i64,
    pub drafts: i64,
}

impl NetworkProgress {
    pub fn not_started(&self) -> i64 {
        (self.organisations - self.submitted - self.drafts).max(0)
    }
}

/// Who is invited to a round: a person working for a member organisation, with the network.
#[derive(Debug, Clone)]
pub struct Invitee {
    pub recipient: Recipient,
    pub organisation_name: String,
    pub network_name: String,
}

/// One network's results in one round.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkResult {
    pub network_id: String,
    pub network_name: String,
    pub profile: Profile,
    /// Each submitting organisation's scores, by organisation name.
    pub organisations: Vec<(String, Scores)>,
}

/// A round with its instrument and the results of every network that answered.
#[derive(Debug, Clone, Serialize)]
pub struct RoundResults {
    pub round: Round,
    pub instrument: Instrument,
    /// Ordered by network name.
    pub networks: Vec<NetworkResult>,
}

impl RoundResults {
    pub fn network(&self, network_id: &str) -> Option<&NetworkResult> {
        self.networks.iter().find(|n| n.network_id == network_id)
    }

    /// The median over the networks of each dimension's score, and of the index.
    pub fn medians(&self) -> (Vec<Option<f64>>, Option<f64>) {
        let dimensions = (0..self.instrument.dimensions.len())
            .map(|d| {
                let values: Vec<f64> =
                    self.networks.iter().filter_map(|n| n.profile.dimensions.get(d).and_then(|r| r.score)).collect();
                reti_domain::reading::median(&values)
            })
            .collect();
        let indices: Vec<f64> = self.networks.iter().filter_map(|n| n.profile.index).collect();
        (dimensions, reti_domain::reading::median(&indices))
    }
}

fn corrupt(what: &str) -> impl FnOnce(serde_json::Error) -> StoreError + '_ {
    move |error| StoreError::Corrupt(format!("{what}: {error}"))
}

fn date_of(text: &str) -> Result<time::Date> {
    reti_domain::dates::parse(text).ok_or_else(|| StoreError::Corrupt(format!("date {text:?}")))
}

fn version_from_row(row: &sqlx::any::AnyRow) -> Result<Version> {
    let content: String = row.try_get("content_json")?;
    let published_at: Option<String> = row.try_get("published_at")?;
    Ok(Version {
        id: row.try_get("id")?,
        instrument_id: row.try_get("instrument_id")?,
        programme_id: row.try_get("programme_id")?,
        number: row.try_get("number")?,
        published: published_at.is_some(),
        published_at,
        content: serde_json::from_str(&content).map_err(corrupt("instrument content"))?,
    })
}

const VERSION_SQL: &str = "SELECT v.id, v.instrument_id, i.programme_id, v.number, v.published_at, v.content_json
     FROM reading_versions v JOIN reading_instruments i ON i.id = v.instrument_id";

fn round_from_row(row: &sqlx::any::AnyRow) -> Result<Round> {
    let kind: String = row.try_get("kind")?;
    Ok(Round {
        id: row.try_get("id")?,
        programme_id: row.try_get("programme_id")?,
        version_id: row.try_get("version_id")?,
        version_number: row.try_get("number")?,
        kind: RoundKind::parse(&kind).map_err(|_| StoreError::Corrupt(format!("round kind {kind:?}")))?,
        opens_on: date_of(&row.try_get::<String, _>("opens_on")?)?,
        closes_on: date_of(&row.try_get::<String, _>("closes_on")?)?,
    })
}

const ROUND_SQL: &str = "SELECT r.id, r.programme_id, r.version_id, v.number, r.kind, r.opens_on, r.closes_on
     FROM reading_rounds r JOIN reading_versions v ON v.id = r.version_id";

/// The organisations that are current members of an active network of the programme, with the
/// network: who a round asks. `$1` is the programme.
const MEMBERS_SQL: &str =
    "SELECT n.id AS network_id, n.name AS network_name, o.id AS organisation_id, o.name AS organisation_name
     FROM memberships m JOIN networks n ON n.id = m.network_id JOIN organisations o ON o.id = m.organisation_id
     WHERE n.programme_id = $1 AND n.archived_at IS NULL AND m.left_on IS NULL";

fn published_error() -> StoreError {
    StoreError::Invalid(FieldError::new("version", "error-reading-version-published").into())
}

async fn audit(
    w: &mut Writer<'_>,
    action: &str,
    entity: &str,
    id: &str,
    programme_id: &str,
    after: serde_json::Value,
) -> Result<()> {
    w.audit(Change {
        action,
        entity,
        entity_id: Some(id),
        programme_id: Some(programme_id),
        before: None,
        after: Some(after),
    })
    .await
}

impl Db {
    /// Every version of every instrument of the programme, newest first within each instrument.
    pub async fn reading_versions(&self, programme_id: &str) -> Result<Vec<Version>> {
        let sql = format!("{VERSION_SQL} WHERE i.programme_id = $1 ORDER BY i.name, v.number DESC");
        let rows = sqlx::query(&sql).bind(programme_id).fetch_all(self.pool()).await?;
        rows.iter().map(version_from_row).collect()
    }

    pub async fn reading_version(&self, id: &str) -> Result<Option<Version>> {
        let sql = format!("{VERSION_SQL} WHERE v.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(version_from_row).transpose()
    }

    /// Creates an instrument in the programme with `content` as its first version, a draft unless
    /// `publish`; an instrument of that name already there is left alone. Returns the id of the
    /// instrument's latest version.
    pub async fn create_instrument(
        &self,
        actor: &Actor,
        programme_id: &str,
        content: &Instrument,
        publish: bool,
    ) -> Result<String> {
        if publish {
            content.check_publishable()?;
        }
        let json = serde_json::to_string(content).map_err(corrupt("instrument content"))?;
        self.write(actor, async |w| {
            let existing: Option<String> = sqlx::query_scalar(
                "SELECT v.id FROM reading_versions v JOIN reading_instruments i ON i.id = v.instrument_id
                 WHERE i.programme_id = $1 AND i.name = $2 ORDER BY v.number DESC LIMIT 1",
            )
            .bind(programme_id)
            .bind(&content.name.it)
            .fetch_optional(&mut *w.tx)
            .await?;
            if let Some(id) = existing {
                return Ok(id);
            }
            let (instrument_id, version_id, now) = (new_id(), new_id(), Timestamp::now().to_db());
            sqlx::query("INSERT INTO reading_instruments (id, programme_id, name, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&instrument_id)
                .bind(programme_id)
                .bind(&content.name.it)
                .bind(&now)
                .execute(&mut *w.tx)
                .await?;
            sqlx::query(
                "INSERT INTO reading_versions (id, instrument_id, number, content_json, published_at, created_at, updated_at)
                 VALUES ($1, $2, 1, $3, $4, $5, $5)",
            )
            .bind(&version_id)
            .bind(&instrument_id)
            .bind(&json)
            .bind(publish.then_some(now.clone()))
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
            let after = serde_json::json!({"instrument": content.name.it, "number": 1, "published": publish});
            audit(w, "reading_instrument_create", ENTITY_VERSION, &version_id, programme_id, after).await?;
            Ok(version_id)
        })
        .await
    }

    /// Replaces the content of a draft version; a published version is refused whole.
    pub async fn save_version(&self, actor: &Actor, version: &Version, content: &Instrument) -> Result<()> {
        if version.published {
            return Err(published_error());
        }
        let json = serde_json::to_string(content).map_err(corrupt("instrument content"))?;
        self.write(actor, async |w| {
            let changed = sqlx::query(
                "UPDATE reading_versions SET content_json = $1, updated_at = $2 WHERE id = $3 AND published_at IS NULL",
            )
            .bind(&json)
            .bind(Timestamp::now().to_db())
            .bind(&version.id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(published_error());
            }
            w.audit(Change {
                action: "reading_version_update",
                entity: ENTITY_VERSION,
                entity_id: Some(&version.id),
                programme_id: Some(&version.programme_id),
                before: Some(serde_json::to_value(&version.content).map_err(corrupt("instrument content"))?),
                after: Some(serde_json::to_value(content).map_err(corrupt("instrument content"))?),
            })
            .await
        })
        .await
    }

    /// Publishes a draft: from now on it never changes.
    pub async fn publish_version(&self, actor: &Actor, version: &Version) -> Result<()> {
        if version.published {
            return Err(published_error());
        }
        version.content.check_publishable()?;
        self.write(actor, async |w| {
            let changed =
                sqlx::query("UPDATE reading_versions SET published_at = $1 WHERE id = $2 AND published_at IS NULL")
                    .bind(Timestamp::now().to_db())
                    .bind(&version.id)
                    .execute(&mut *w.tx)
                    .await?
                    .rows_affected();
            if changed == 0 {
                return Err(published_error());
            }
            let after = serde_json::json!({"instrument": version.content.name.it, "number": version.number});
            audit(w, "reading_version_publish", ENTITY_VERSION, &version.id, &version.programme_id, after).await
        })
        .await
    }

    /// A new draft of the instrument, a copy of its latest version; the draft already open when
    /// there is one. Returns its id.
    pub async fn new_draft(&self, actor: &Actor, instrument_id: &str) -> Result<String> {
        let sql = format!("{VERSION_SQL} WHERE v.instrument_id = $1 ORDER BY v.number DESC LIMIT 1");
        let row = sqlx::query(&sql).bind(instrument_id).fetch_optional(self.pool()).await?;
        let latest = row.as_ref().map(version_from_row).transpose()?.ok_or(StoreError::NotFound)?;
        if !latest.published {
            return Ok(latest.id);
        }
        let json = serde_json::to_string(&latest.content).map_err(corrupt("instrument content"))?;
        self.write(actor, async |w| {
            let (id, now) = (new_id(), Timestamp::now().to_db());
            sqlx::query(
                "INSERT INTO reading_versions (id, instrument_id, number, content_json, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(&id)
            .bind(instrument_id)
            .bind(latest.number + 1)
            .bind(&json)
            .bind(&now)
            .execute(&mut *w.tx)
            .await
            .map_err(StoreError::unique_as("version"))?;
            let after = serde_json::json!({"instrument": latest.content.name.it, "number": latest.number + 1});
            audit(w, "reading_draft_create", ENTITY_VERSION, &id, &latest.programme_id, after).await?;
            Ok(id)
        })
        .await
    }

    pub async fn reading_rounds(&self, programme_id: &str) -> Result<Vec<Round>> {
        let sql = format!("{ROUND_SQL} WHERE r.programme_id = $1 ORDER BY r.opens_on, r.kind");
        let rows = sqlx::query(&sql).bind(programme_id).fetch_all(self.pool()).await?;
        rows.iter().map(round_from_row).collect()
    }

    pub async fn reading_round(&self, id: &str) -> Result<Option<Round>> {
        let sql = format!("{ROUND_SQL} WHERE r.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(round_from_row).transpose()
    }

    /// The people a round of the programme invites: those who work (a current affiliation) for
    /// a current member organisation of an active network of the programme, with an e-mail.
    pub async fn round_invitees(&self, programme_id: &str) -> Result<Vec<Invitee>> {
        let sql = format!(
            "SELECT DISTINCT p.name, p.email, (SELECT u.locale FROM users u WHERE LOWER(u.email) = LOWER(p.email)) AS locale,
                    mem.organisation_name, mem.network_name
             FROM ({MEMBERS_SQL}) mem JOIN affiliations a ON a.organisation_id = mem.organisation_id AND a.ended_at IS NULL
             JOIN people p ON p.id = a.person_id
             WHERE p.archived_at IS NULL AND p.email IS NOT NULL AND p.email <> ''
             ORDER BY p.email, mem.network_name"
        );
        let rows = sqlx::query(&sql).bind(programme_id).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                Ok(Invitee {
                    recipient: Recipient {
                        name: row.try_get("name")?,
                        email: row.try_get("email")?,
                        locale: row.try_get("locale")?,
                    },
                    organisation_name: row.try_get("organisation_name")?,
                    network_name: row.try_get("network_name")?,
                })
            })
            .collect()
    }

    /// Opens a round and queues its invitations (`mails`) in the same transaction. A second round
    /// of the same kind in the programme is a conflict on `kind`.
    pub async fn create_round(
        &self,
        actor: &Actor,
        programme_id: &str,
        input: &RoundInput,
        mails: &[NewJob],
    ) -> Result<String> {
        let version = self.reading_version(&input.version_id).await?;
        if !version.is_some_and(|v| v.published && v.programme_id == programme_id) {
            return Err(FieldErrors::from(FieldError::new("version_id", "error-reading-version-not-published")).into());
        }
        self.write(actor, async |w| {
            let id = new_id();
            sqlx::query(
                "INSERT INTO reading_rounds (id, programme_id, version_id, kind, opens_on, closes_on, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(programme_id)
            .bind(&input.version_id)
            .bind(input.kind.code())
            .bind(input.opens_on.to_string())
            .bind(input.closes_on.to_string())
            .bind(Timestamp::now().to_db())
            .execute(&mut *w.tx)
            .await
            .map_err(StoreError::unique_as("kind"))?;
            for mail in mails {
                w.enqueue(mail).await?;
            }
            let after = serde_json::json!({"kind": input.kind.code(), "version_id": input.version_id,
                "opens_on": input.opens_on.to_string(), "closes_on": input.closes_on.to_string(), "invitations": mails.len()});
            audit(w, "reading_round_create", ENTITY_ROUND, &id, programme_id, after).await?;
            Ok(id)
        })
        .await
    }

    /// The organisations `email` works for that answer rounds of the programme, with each
    /// round's status: one row per (round, network, organisation), rounds in `round_ids`.
    pub async fn answerable(&self, email: &str, programme_id: &str) -> Result<Vec<Answerable>> {
        let sql = format!(
            "SELECT r.id AS round_id, mem.network_id, mem.network_name, mem.organisation_id, mem.organisation_name,
                    ans.submitted_at, ans.id AS answer_id
             FROM ({MEMBERS_SQL}) mem
             JOIN reading_rounds r ON r.programme_id = $1
             LEFT JOIN reading_answers ans ON ans.round_id = r.id AND ans.organisation_id = mem.organisation_id
             WHERE EXISTS (SELECT 1 FROM affiliations a JOIN people p ON p.id = a.person_id
                           WHERE a.organisation_id = mem.organisation_id AND a.ended_at IS NULL
                             AND p.archived_at IS NULL AND LOWER(p.email) = LOWER($2))
             ORDER BY r.opens_on DESC, mem.network_name, mem.organisation_name"
        );
        let rows = sqlx::query(&sql).bind(programme_id).bind(email).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let answer: Option<String> = row.try_get("answer_id")?;
                let submitted: Option<String> = row.try_get("submitted_at")?;
                Ok(Answerable {
                    round_id: row.try_get("round_id")?,
                    network_id: row.try_get("network_id")?,
                    network_name: row.try_get("network_name")?,
                    organisation_id: row.try_get("organisation_id")?,
                    organisation_name: row.try_get("organisation_name")?,
                    status: match (answer, submitted) {
                        (_, Some(_)) => AnswerStatus::Submitted,
                        (Some(_), None) => AnswerStatus::Draft,
                        (None, None) => AnswerStatus::NotStarted,
                    },
                })
            })
            .collect()
    }

    pub async fn reading_answer(&self, round_id: &str, organisation_id: &str) -> Result<Option<Answer>> {
        let row = sqlx::query(
            "SELECT id, round_id, network_id, organisation_id, values_json, submitted_at FROM reading_answers
             WHERE round_id = $1 AND organisation_id = $2",
        )
        .bind(round_id)
        .bind(organisation_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            let values: String = row.try_get("values_json")?;
            Ok(Answer {
                id: row.try_get("id")?,
                round_id: row.try_get("round_id")?,
                network_id: row.try_get("network_id")?,
                organisation_id: row.try_get("organisation_id")?,
                values: serde_json::from_str(&values).map_err(corrupt("answer"))?,
                submitted_at: row.try_get("submitted_at")?,
            })
        })
        .transpose()
    }

    /// Saves an organisation's answer to a round for `network_id`: a draft, or submitted
    /// (`submit`). Refused whole when the round is not open on `today` (the caller's clock: the
    /// request's date, or the demo's story), or when the organisation has already submitted
    /// (`error-reading-already-answered` on `organisation_id`).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_answer(
        &self,
        actor: &Actor,
        round: &Round,
        network_id: &str,
        organisation_id: &str,
        values: &Answers,
        submit: bool,
        today: time::Date,
    ) -> Result<String> {
        if today < round.opens_on {
            return Err(FieldErrors::from(FieldError::new("round", "error-reading-round-not-open")).into());
        }
        if today > round.closes_on {
            return Err(FieldErrors::from(
                FieldError::new("round", "error-reading-round-closed")
                    .with_arg("date", reti_domain::dates::format(round.closes_on)),
            )
            .into());
        }
        let already =
            || StoreError::Invalid(FieldError::new("organisation_id", "error-reading-already-answered").into());
        let json = serde_json::to_string(values).map_err(corrupt("answer"))?;
        self.write(actor, async |w| {
            let existing: Option<(String, Option<String>)> = sqlx::query_as(
                "SELECT id, submitted_at FROM reading_answers WHERE round_id = $1 AND organisation_id = $2",
            )
            .bind(&round.id)
            .bind(organisation_id)
            .fetch_optional(&mut *w.tx)
            .await?;
            let now = Timestamp::now().to_db();
            let submitted_at = submit.then_some(now.clone());
            let id = match existing {
                Some((_, Some(_))) => return Err(already()),
                Some((id, None)) => {
                    let changed = sqlx::query(
                        "UPDATE reading_answers SET values_json = $1, submitted_at = $2, answered_by_user_id = $3, updated_at = $4
                         WHERE id = $5 AND submitted_at IS NULL",
                    )
                    .bind(&json)
                    .bind(submitted_at.as_deref())
                    .bind(actor.user_id.as_deref())
                    .bind(&now)
                    .bind(&id)
                    .execute(&mut *w.tx)
                    .await?
                    .rows_affected();
                    if changed == 0 {
                        return Err(already());
                    }
                    id
                }
                None => {
                    let id = new_id();
                    sqlx::query(
                        "INSERT INTO reading_answers (id, round_id, network_id, organisation_id, answered_by_user_id, values_json,
                            submitted_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
                    )
                    .bind(&id)
                    .bind(&round.id)
                    .bind(network_id)
                    .bind(organisation_id)
                    .bind(actor.user_id.as_deref())
                    .bind(&json)
                    .bind(submitted_at.as_deref())
                    .bind(&now)
                    .execute(&mut *w.tx)
                    .await
                    .map_err(|error| match StoreError::unique_as("organisation_id")(error) {
                        StoreError::Conflict { .. } => already(),
                        other => other,
                    })?;
                    id
                }
            };
            let after = serde_json::json!({"round": round.kind.code(), "network_id": network_id,
                "organisation_id": organisation_id, "submitted": submit, "answers": values.len()});
            audit(w, if submit { "reading_answer_submit" } else { "reading_answer_draft" }, ENTITY_ANSWER, &id, &round.programme_id, after)
                .await?;
            Ok(id)
        })
        .await
    }

    /// The current member organisations of the programme's active networks: (network id,
    /// organisation id), by network and organisation name.
    pub async fn reading_members(&self, programme_id: &str) -> Result<Vec<(String, String)>> {
        let sql = format!(
            "SELECT mem.network_id, mem.organisation_id FROM ({MEMBERS_SQL}) mem ORDER BY mem.network_name, mem.organisation_name"
        );
        Ok(sqlx::query_as(&sql).bind(programme_id).fetch_all(self.pool()).await?)
    }

    /// How far each network of the programme has answered a round: member organisations,
    /// submitted answers, drafts. One statement.
    pub async fn round_progress(&self, round: &Round) -> Result<Vec<NetworkProgress>> {
        let sql = format!(
            "SELECT mem.network_id, mem.network_name, COUNT(*) AS organisations,
                    COUNT(CASE WHEN ans.submitted_at IS NOT NULL THEN 1 END) AS submitted,
                    COUNT(CASE WHEN ans.id IS NOT NULL AND ans.submitted_at IS NULL THEN 1 END) AS drafts
             FROM ({MEMBERS_SQL}) mem
             LEFT JOIN reading_answers ans ON ans.round_id = $2 AND ans.organisation_id = mem.organisation_id
             GROUP BY mem.network_id, mem.network_name ORDER BY mem.network_name"
        );
        let rows = sqlx::query(&sql).bind(&round.programme_id).bind(&round.id).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                Ok(NetworkProgress {
                    network_id: row.try_get("network_id")?,
                    network_name: row.try_get("network_name")?,
                    organisations: row.try_get("organisations")?,
                    submitted: row.try_get("submitted")?,
                    drafts: row.try_get("drafts")?,
                })
            })
            .collect()
    }

    /// The results of every round of the programme, oldest round first, computed from the
    /// submitted answers (two statements, whatever the number of rounds and networks).
    pub async fn reading_results(&self, programme_id: &str) -> Result<Vec<RoundResults>> {
        let rows = sqlx::query(
            "SELECT r.id, r.programme_id, r.version_id, v.number, r.kind, r.opens_on, r.closes_on, v.content_json
             FROM reading_rounds r JOIN reading_versions v ON v.id = r.version_id
             WHERE r.programme_id = $1 ORDER BY r.opens_on, r.kind",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await?;
        let mut results = Vec::new();
        for row in &rows {
            let content: String = row.try_get("content_json")?;
            results.push(RoundResults {
                round: round_from_row(row)?,
                instrument: serde_json::from_str(&content).map_err(corrupt("instrument content"))?,
                networks: Vec::new(),
            });
        }
        let answers = sqlx::query(
            "SELECT a.round_id, a.network_id, n.name AS network_name, o.name AS organisation_name, a.values_json
             FROM reading_answers a JOIN reading_rounds r ON r.id = a.round_id JOIN networks n ON n.id = a.network_id
             JOIN organisations o ON o.id = a.organisation_id
             WHERE r.programme_id = $1 AND a.submitted_at IS NOT NULL
             ORDER BY n.name_folded, n.id, o.name",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await?;
        // round id → networks in name order, each with its organisations' scores
        let mut grouped: HashMap<String, Vec<Answered>> = HashMap::new();
        for row in &answers {
            let round_id: String = row.try_get("round_id")?;
            let Some(results) = results.iter().find(|r| r.round.id == round_id) else { continue };
            let values: String = row.try_get("values_json")?;
            let values: Answers = serde_json::from_str(&values).map_err(corrupt("answer"))?;
            let scores = score(&results.instrument, &values);
            let network_id: String = row.try_get("network_id")?;
            let networks = grouped.entry(round_id).or_default();
            let organisation = (row.try_get("organisation_name")?, scores);
            match networks.iter_mut().find(|(id, _, _)| *id == network_id) {
                Some((_, _, organisations)) => organisations.push(organisation),
                None => networks.push((network_id, row.try_get("network_name")?, vec![organisation])),
            }
        }
        for results in &mut results {
            for (network_id, network_name, organisations) in grouped.remove(&results.round.id).unwrap_or_default() {
                let scores: Vec<Scores> = organisations.iter().map(|(_, s)| s.clone()).collect();
                results.networks.push(NetworkResult {
                    network_id,
                    network_name,
                    profile: profile(&results.instrument, &scores),
                    organisations,
                });
            }
        }
        Ok(results)
    }

    /// The index (0..100) of each network of the programme in the latest round where it has
    /// results: the maturity the small-groups optimiser uses (SPEC §3).
    pub async fn latest_reading_index_by_network(&self, programme_id: &str) -> Result<HashMap<String, f64>> {
        let mut latest: BTreeMap<String, f64> = BTreeMap::new();
        for round in self.reading_results(programme_id).await? {
            for network in round.networks {
                if let Some(index) = network.profile.index {
                    latest.insert(network.network_id, index);
                }
            }
        }
        Ok(latest.into_iter().collect())
    }
}
