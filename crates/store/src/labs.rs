//! Thematic labs (SPEC §6, decision 0032): a programme's labs, their experts (accounts or
//! guests), participants from the programme's networks, materials and sessions (meetings of kind
//! lab that name their lab). A lab is read in one statement, its lists as JSON arrays in its row;
//! every change goes through [`Db::write`] with its audit entry.

use crate::audit::Change;
use crate::meetings::MeetingChanges;
use crate::registry::export::ExportColumn;
use crate::sql::{Conditions, Page, PageRequest, page_total, total_column};
use crate::{Actor, Db, Engine, Result, StoreError, Timestamp, Writer, new_id};
use chrono::{DateTime, Utc};
use reti_domain::labs::{Enrolment, GuestExpert, Joiner, LabInput, LabStatus, check_enrolment};
use reti_domain::meetings::MeetingMode;
use reti_domain::{FieldError, FieldErrors};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize)]
pub struct LabExpert {
    pub id: String,
    /// The account, when the expert has one; a guest has none.
    pub user_id: Option<String>,
    pub name: String,
    pub email: String,
    pub organisation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabParticipant {
    pub user_id: String,
    pub name: String,
    pub network_id: String,
    pub network_name: String,
    /// Added by the coordination or an expert rather than enrolled by themself.
    pub invited: bool,
    pub enrolled_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabMaterial {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lab {
    pub id: String,
    pub programme_id: String,
    pub programme_name: String,
    pub title: String,
    pub theme: String,
    pub action_line: Option<i64>,
    pub action_line_title: Option<String>,
    pub description: String,
    pub enrolment: Enrolment,
    pub capacity: Option<i64>,
    pub status: LabStatus,
    pub created_at: String,
    pub updated_at: String,
    pub experts: Vec<LabExpert>,
    /// By network name, then by name.
    pub participants: Vec<LabParticipant>,
    pub materials: Vec<LabMaterial>,
}

impl Lab {
    /// Whether `user_id` is one of its experts (as an account).
    pub fn has_expert(&self, user_id: &str) -> bool {
        self.experts.iter().any(|e| e.user_id.as_deref() == Some(user_id))
    }

    pub fn participant(&self, user_id: &str) -> Option<&LabParticipant> {
        self.participants.iter().find(|p| p.user_id == user_id)
    }

    /// The networks its participants come from (id, name), in order.
    pub fn participant_networks(&self) -> Vec<(String, String)> {
        let mut networks: Vec<(String, String)> =
            self.participants.iter().map(|p| (p.network_id.clone(), p.network_name.clone())).collect();
        networks.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        networks.dedup();
        networks
    }

    pub fn is_full(&self) -> bool {
        self.capacity.is_some_and(|c| self.participants.len() as i64 >= c)
    }
}

/// A row of the labs list.
#[derive(Debug, Clone, Serialize)]
pub struct LabSummary {
    pub id: String,
    pub programme_id: String,
    pub title: String,
    pub theme: String,
    pub action_line: Option<i64>,
    pub enrolment: Enrolment,
    pub capacity: Option<i64>,
    pub status: LabStatus,
    pub participants: i64,
    pub networks: i64,
    /// The start of its next session not cancelled, UTC RFC 3339.
    pub next_session: Option<String>,
}

/// A session of a lab: one of its meetings, with how many were present.
#[derive(Debug, Clone, Serialize)]
pub struct LabSession {
    pub id: String,
    pub title: String,
    pub network_name: String,
    pub mode: MeetingMode,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
    pub present: i64,
}

/// Which labs a list shows; every filter that is set must hold.
#[derive(Debug, Clone, Default)]
pub struct LabFilter {
    /// Only labs of these programmes (`None`: all, the administrator's view).
    pub programme_ids: Option<Vec<String>>,
    pub status: Option<LabStatus>,
    pub action_line: Option<i64>,
}

impl LabFilter {
    fn conditions(&self) -> Conditions {
        let mut conditions = Conditions::default();
        if let Some(ids) = &self.programme_ids {
            let clause = if ids.is_empty() {
                "1 = 0".into()
            } else {
                format!("l.programme_id IN ({})", conditions.bind_all(ids.iter().cloned()))
            };
            conditions.push(clause);
        }
        if let Some(status) = self.status {
            let b = conditions.bind(status.code());
            conditions.push(format!("l.status = {b}"));
        }
        if let Some(line) = self.action_line {
            let b = conditions.bind(line.to_string());
            conditions.push(format!("l.action_line = CAST({b} AS BIGINT)"));
        }
        conditions
    }
}

/// The columns of [`Db::lab_participants_export`]: one row per participant per lab.
pub const LAB_PARTICIPANT_COLUMNS: &[ExportColumn] = &[
    ExportColumn { field: "lab_id", header: "ID laboratorio" },
    ExportColumn { field: "lab", header: "Laboratorio" },
    ExportColumn { field: "programme", header: "Programma" },
    ExportColumn { field: "participant", header: "Partecipante" },
    ExportColumn { field: "network", header: "Rete" },
    ExportColumn { field: "enrolled_at", header: "Iscritto il" },
];

/// An account of a programme's network: who can be enrolled, as coming from that network.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LabCandidate {
    pub user_id: String,
    pub name: String,
    pub network_id: String,
    pub network_name: String,
}

fn select(engine: Engine) -> String {
    let experts = engine.json_rows(
        "e.id, e.user_id, COALESCE(u.name, e.name), COALESCE(u.email, e.email), e.organisation",
        "e.created_at, e.id",
        "FROM lab_experts e LEFT JOIN users u ON u.id = e.user_id WHERE e.lab_id = l.id",
    );
    let participants = engine.json_rows(
        "lp.user_id, u.name, lp.network_id, n.name, lp.invited_by, lp.enrolled_at",
        "n.name_folded, u.name, lp.user_id",
        "FROM lab_participants lp JOIN users u ON u.id = lp.user_id JOIN networks n ON n.id = lp.network_id
         WHERE lp.lab_id = l.id",
    );
    let materials = engine.json_rows(
        "m.id, m.file_name, m.content_type, m.size_bytes, m.created_by, m.created_at",
        "m.created_at, m.id",
        "FROM lab_materials m WHERE m.lab_id = l.id",
    );
    format!(
        "SELECT l.id, l.programme_id, p.name AS programme_name, l.title, l.theme, l.action_line, a.title AS action_line_title,
            l.description, l.enrolment, l.capacity, l.status, l.created_at, l.updated_at,
            {experts} AS experts, {participants} AS participants, {materials} AS materials
         FROM labs l JOIN programmes p ON p.id = l.programme_id
         LEFT JOIN action_lines a ON a.programme_id = l.programme_id AND a.number = l.action_line"
    )
}

fn json_list<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> Result<Vec<T>> {
    let json: String = row.try_get(column)?;
    serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

fn enrolment_of(code: String) -> Result<Enrolment> {
    Enrolment::parse(&code).ok_or_else(|| StoreError::Corrupt(format!("lab enrolment {code:?}")))
}

fn status_of(code: String) -> Result<LabStatus> {
    LabStatus::parse(&code).ok_or_else(|| StoreError::Corrupt(format!("lab status {code:?}")))
}

type ExpertColumns = (String, Option<String>, String, String, String);
type ParticipantColumns = (String, String, String, String, String, String);
type MaterialColumns = (String, String, String, i64, String, String);

fn lab_from_row(row: &AnyRow) -> Result<Lab> {
    let experts = json_list::<ExpertColumns>(row, "experts")?
        .into_iter()
        .map(|(id, user_id, name, email, organisation)| LabExpert { id, user_id, name, email, organisation })
        .collect();
    let participants = json_list::<ParticipantColumns>(row, "participants")?
        .into_iter()
        .map(|(user_id, name, network_id, network_name, invited_by, enrolled_at)| LabParticipant {
            user_id,
            name,
            network_id,
            network_name,
            invited: !invited_by.is_empty(),
            enrolled_at,
        })
        .collect();
    let materials = json_list::<MaterialColumns>(row, "materials")?
        .into_iter()
        .map(|(id, file_name, content_type, size_bytes, created_by, created_at)| LabMaterial {
            id,
            file_name,
            content_type,
            size_bytes,
            created_by,
            created_at,
        })
        .collect();
    Ok(Lab {
        id: row.try_get("id")?,
        programme_id: row.try_get("programme_id")?,
        programme_name: row.try_get("programme_name")?,
        title: row.try_get("title")?,
        theme: row.try_get("theme")?,
        action_line: row.try_get("action_line")?,
        action_line_title: row.try_get("action_line_title")?,
        description: row.try_get("description")?,
        enrolment: enrolment_of(row.try_get("enrolment")?)?,
        capacity: row.try_get("capacity")?,
        status: status_of(row.try_get("status")?)?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        experts,
        participants,
        materials,
    })
}

fn audit_value(input: &LabInput) -> serde_json::Value {
    serde_json::json!({"title": input.title, "theme": input.theme, "action_line": input.action_line,
        "description": input.description, "enrolment": input.enrolment.code(), "capacity": input.capacity,
        "status": input.status.code()})
}

fn invalid(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Invalid(FieldError::new(field, code).into())
}

/// Takes the lab's row for this transaction (PostgreSQL locks it; SQLite's write transaction holds
/// the database), so that two enrolments for the last place are counted one after the other.
async fn lock_lab(w: &mut Writer<'_>, lab_id: &str) -> Result<(String, LabStatus, Enrolment, Option<i64>)> {
    let changed = sqlx::query("UPDATE labs SET updated_at = $1 WHERE id = $2")
        .bind(Timestamp::now().to_db())
        .bind(lab_id)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    let row = sqlx::query("SELECT programme_id, status, enrolment, capacity FROM labs WHERE id = $1")
        .bind(lab_id)
        .fetch_one(&mut *w.tx)
        .await?;
    Ok((
        row.try_get("programme_id")?,
        status_of(row.try_get("status")?)?,
        enrolment_of(row.try_get("enrolment")?)?,
        row.try_get("capacity")?,
    ))
}

/// A part of a lab that can be taken off it: how it is read (`$1` its key, `$2` the lab, the
/// `columns` recorded in the audit entry), deleted (the same parameters) and audited.
struct LabPart {
    action: &'static str,
    select: &'static str,
    columns: &'static [&'static str],
    delete: &'static str,
}

const EXPERT: LabPart = LabPart {
    action: "remove_expert",
    select:
        "SELECT e.user_id, COALESCE(u.name, e.name) AS name FROM lab_experts e LEFT JOIN users u ON u.id = e.user_id
             WHERE e.id = $1 AND e.lab_id = $2",
    columns: &["user_id", "name"],
    delete: "DELETE FROM lab_experts WHERE id = $1 AND lab_id = $2",
};

const PARTICIPANT: LabPart = LabPart {
    action: "leave",
    select: "SELECT user_id, network_id FROM lab_participants WHERE user_id = $1 AND lab_id = $2",
    columns: &["user_id", "network_id"],
    delete: "DELETE FROM lab_participants WHERE user_id = $1 AND lab_id = $2",
};

const MATERIAL: LabPart = LabPart {
    action: "remove_material",
    select: "SELECT id, file_name FROM lab_materials WHERE id = $1 AND lab_id = $2",
    columns: &["id", "file_name"],
    delete: "DELETE FROM lab_materials WHERE id = $1 AND lab_id = $2",
};

async fn enrolled_count(w: &mut Writer<'_>, lab_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM lab_participants WHERE lab_id = $1")
        .bind(lab_id)
        .fetch_one(&mut *w.tx)
        .await?)
}

impl Db {
    pub async fn lab(&self, id: &str) -> Result<Option<Lab>> {
        let sql = format!("{} WHERE l.id = $1", select(self.engine()));
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(lab_from_row).transpose()
    }

    /// One page of labs, most recent first, with their counts and next session: one statement.
    pub async fn labs(&self, filter: &LabFilter, request: PageRequest) -> Result<Page<LabSummary>> {
        let mut conditions = filter.conditions();
        let from_where = format!("FROM labs l{}", conditions.where_clause());
        let now = conditions.bind(Timestamp::now().to_db());
        let sql = format!(
            "SELECT l.id, l.programme_id, l.title, l.theme, l.action_line, l.enrolment, l.capacity, l.status,
                (SELECT COUNT(*) FROM lab_participants lp WHERE lp.lab_id = l.id) AS participants,
                (SELECT COUNT(DISTINCT lp.network_id) FROM lab_participants lp WHERE lp.lab_id = l.id) AS networks,
                (SELECT MIN(m.starts_at) FROM meetings m WHERE m.lab_id = l.id AND m.cancelled_at IS NULL AND m.starts_at >= {now})
                    AS next_session,
                {}
             {from_where} ORDER BY l.created_at DESC, l.id{}",
            total_column(&from_where),
            request.limit_offset()
        );
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        // Counted apart (a page past the end) without the clock's parameter.
        let count_sql = format!("SELECT COUNT(*) {from_where}");
        let total = page_total(self, &filter.conditions(), &rows, request.page == 1, &count_sql).await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok(LabSummary {
                    id: row.try_get("id")?,
                    programme_id: row.try_get("programme_id")?,
                    title: row.try_get("title")?,
                    theme: row.try_get("theme")?,
                    action_line: row.try_get("action_line")?,
                    enrolment: enrolment_of(row.try_get("enrolment")?)?,
                    capacity: row.try_get("capacity")?,
                    status: status_of(row.try_get("status")?)?,
                    participants: row.try_get("participants")?,
                    networks: row.try_get("networks")?,
                    next_session: row.try_get("next_session")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: request.page, per_page: request.per_page, total })
    }

    /// The action line must be one of the programme's.
    async fn lab_action_line_known(&self, programme_id: &str, input: &LabInput) -> Result<()> {
        let Some(number) = input.action_line else { return Ok(()) };
        let found: Option<String> =
            sqlx::query_scalar("SELECT id FROM action_lines WHERE programme_id = $1 AND number = $2")
                .bind(programme_id)
                .bind(number)
                .fetch_optional(self.pool())
                .await?;
        if found.is_some() { Ok(()) } else { Err(invalid("action_line", "error-lab-action-line")) }
    }

    pub async fn create_lab(&self, actor: &Actor, programme_id: &str, input: &LabInput) -> Result<String> {
        self.lab_action_line_known(programme_id, input).await?;
        let id = new_id();
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO labs (id, programme_id, title, theme, action_line, description, enrolment, capacity, status,
                    created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            )
            .bind(&id)
            .bind(programme_id)
            .bind(&input.title)
            .bind(&input.theme)
            .bind(input.action_line)
            .bind(&input.description)
            .bind(input.enrolment.code())
            .bind(input.capacity)
            .bind(input.status.code())
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "create",
                entity: "lab",
                entity_id: Some(&id),
                programme_id: Some(programme_id),
                before: None,
                after: Some(audit_value(input)),
            })
            .await
        })
        .await?;
        Ok(id)
    }

    /// Changes a lab; its capacity cannot go below the people already enrolled.
    pub async fn update_lab(&self, actor: &Actor, id: &str, input: &LabInput) -> Result<()> {
        let before = self.lab(id).await?.ok_or(StoreError::NotFound)?;
        self.lab_action_line_known(&before.programme_id, input).await?;
        self.write(actor, async |w| {
            lock_lab(w, id).await?;
            let enrolled = enrolled_count(w, id).await?;
            if input.capacity.is_some_and(|c| c < enrolled) {
                return Err(StoreError::Invalid(
                    FieldError::new("capacity", "error-lab-capacity-below").with_arg("enrolled", enrolled).into(),
                ));
            }
            sqlx::query(
                "UPDATE labs SET title = $1, theme = $2, action_line = $3, description = $4, enrolment = $5, capacity = $6,
                    status = $7, updated_at = $8 WHERE id = $9",
            )
            .bind(&input.title)
            .bind(&input.theme)
            .bind(input.action_line)
            .bind(&input.description)
            .bind(input.enrolment.code())
            .bind(input.capacity)
            .bind(input.status.code())
            .bind(Timestamp::now().to_db())
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "update",
                entity: "lab",
                entity_id: Some(id),
                programme_id: Some(&before.programme_id),
                before: Some(serde_json::json!({"title": before.title, "theme": before.theme,
                    "action_line": before.action_line, "enrolment": before.enrolment.code(),
                    "capacity": before.capacity, "status": before.status.code()})),
                after: Some(audit_value(input)),
            })
            .await
        })
        .await
    }

    /// Makes an account an expert of the lab (again adding the same one changes nothing).
    pub async fn add_lab_expert_account(&self, actor: &Actor, lab_id: &str, user_id: &str) -> Result<()> {
        let lab = self.lab(lab_id).await?.ok_or(StoreError::NotFound)?;
        if lab.has_expert(user_id) {
            return Ok(());
        }
        let known: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND disabled_at IS NULL")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        if known.is_none() {
            return Err(invalid("user_id", "error-lab-expert-unknown"));
        }
        self.write(actor, async |w| {
            insert_expert(w, lab_id, Some(user_id), None).await?;
            w.audit(Change {
                action: "add_expert",
                entity: "lab",
                entity_id: Some(lab_id),
                programme_id: Some(&lab.programme_id),
                before: None,
                after: Some(serde_json::json!({"user_id": user_id})),
            })
            .await
        })
        .await
    }

    pub async fn add_lab_guest_expert(&self, actor: &Actor, lab_id: &str, guest: &GuestExpert) -> Result<()> {
        let lab = self.lab(lab_id).await?.ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            insert_expert(w, lab_id, None, Some(guest)).await?;
            w.audit(Change {
                action: "add_expert",
                entity: "lab",
                entity_id: Some(lab_id),
                programme_id: Some(&lab.programme_id),
                before: None,
                after: Some(serde_json::json!({"guest": guest})),
            })
            .await
        })
        .await
    }

    pub async fn remove_lab_expert(&self, actor: &Actor, lab_id: &str, expert_id: &str) -> Result<()> {
        self.remove_from_lab(actor, lab_id, &EXPERT, expert_id).await
    }

    /// The accounts working on the programme's networks as members or leads: who may take part
    /// in its labs, each with the network they would come from. At most `limit`.
    pub async fn lab_candidates(
        &self,
        programme_id: &str,
        network_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<LabCandidate>> {
        let rows = sqlx::query(
            "SELECT DISTINCT u.id AS user_id, u.name, n.id AS network_id, n.name AS network_name, n.name_folded
             FROM network_assignments a JOIN networks n ON n.id = a.network_id JOIN users u ON u.id = a.user_id
             WHERE n.programme_id = $1 AND n.archived_at IS NULL AND u.disabled_at IS NULL
               AND a.role IN ('network_member', 'network_lead') AND ($2 = '' OR n.id = $2)
             ORDER BY n.name_folded, u.name, u.id LIMIT $3",
        )
        .bind(programme_id)
        .bind(network_id.unwrap_or(""))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(LabCandidate {
                    user_id: row.try_get("user_id")?,
                    name: row.try_get("name")?,
                    network_id: row.try_get("network_id")?,
                    network_name: row.try_get("network_name")?,
                })
            })
            .collect()
    }

    /// The programme's networks in use (id, name), by name: whole-network invitations and the
    /// host of a session are chosen among them.
    pub async fn programme_networks_for_labs(&self, programme_id: &str) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, name FROM networks WHERE programme_id = $1 AND archived_at IS NULL ORDER BY name_folded, id",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// The active account with this e-mail, if any (an expert is named by e-mail on the form).
    pub async fn user_id_by_email_for_labs(&self, email: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND disabled_at IS NULL")
            .bind(email.trim().to_lowercase())
            .fetch_optional(self.pool())
            .await?)
    }

    /// Enrols people, each with the network they come from, all or none: each must work on that
    /// network of the lab's programme, and together they must fit the capacity. People already
    /// enrolled are left as they are. Returns how many were added.
    pub async fn enrol_in_lab(
        &self,
        actor: &Actor,
        lab_id: &str,
        people: &[(String, String)],
        joiner: Joiner,
    ) -> Result<usize> {
        let invited_by = match joiner {
            Joiner::Themself => String::new(),
            Joiner::Manager => actor.label.clone(),
        };
        self.write(actor, async |w| {
            let (programme_id, status, enrolment, capacity) = lock_lab(w, lab_id).await?;
            let mut fresh = Vec::new();
            for (user_id, network_id) in people {
                let belongs: Option<String> = sqlx::query_scalar(
                    "SELECT a.user_id FROM network_assignments a JOIN networks n ON n.id = a.network_id
                     WHERE a.user_id = $1 AND n.id = $2 AND n.programme_id = $3 AND n.archived_at IS NULL
                       AND a.role IN ('network_member', 'network_lead')",
                )
                .bind(user_id)
                .bind(network_id)
                .bind(&programme_id)
                .fetch_optional(&mut *w.tx)
                .await?;
                if belongs.is_none() {
                    return Err(invalid("user_id", "error-lab-outside-programme"));
                }
                let enrolled: Option<String> =
                    sqlx::query_scalar("SELECT user_id FROM lab_participants WHERE lab_id = $1 AND user_id = $2")
                        .bind(lab_id)
                        .bind(user_id)
                        .fetch_optional(&mut *w.tx)
                        .await?;
                if enrolled.is_none() && !fresh.iter().any(|(u, _): &(String, String)| u == user_id) {
                    fresh.push((user_id.clone(), network_id.clone()));
                }
            }
            if fresh.is_empty() {
                return Ok(0);
            }
            let enrolled = enrolled_count(w, lab_id).await?;
            check_enrolment(status, enrolment, capacity, enrolled, fresh.len() as i64, joiner)
                .map_err(|e| StoreError::Invalid(FieldErrors::from(e)))?;
            let now = Timestamp::now().to_db();
            for (user_id, network_id) in &fresh {
                sqlx::query(
                    "INSERT INTO lab_participants (lab_id, user_id, network_id, invited_by, enrolled_at)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(lab_id)
                .bind(user_id)
                .bind(network_id)
                .bind(&invited_by)
                .bind(&now)
                .execute(&mut *w.tx)
                .await?;
            }
            let added: Vec<_> = fresh.iter().map(|(u, n)| serde_json::json!({"user_id": u, "network_id": n})).collect();
            w.audit(Change {
                action: if joiner == Joiner::Themself { "enrol" } else { "invite" },
                entity: "lab",
                entity_id: Some(lab_id),
                programme_id: Some(&programme_id),
                before: None,
                after: Some(serde_json::json!({"participants": added})),
            })
            .await?;
            Ok(fresh.len())
        })
        .await
    }

    /// Takes someone off the lab (they leave, or a manager removes them).
    pub async fn leave_lab(&self, actor: &Actor, lab_id: &str, user_id: &str) -> Result<()> {
        self.remove_from_lab(actor, lab_id, &PARTICIPANT, user_id).await
    }

    /// Takes `key` of `part` off the lab in one transaction: the lab's row is locked first, the
    /// part is read and deleted inside the same transaction (so the audit entry records what was
    /// there when it went), and a part already gone is not found.
    async fn remove_from_lab(&self, actor: &Actor, lab_id: &str, part: &LabPart, key: &str) -> Result<()> {
        self.write(actor, async |w| {
            let (programme_id, ..) = lock_lab(w, lab_id).await?;
            let row = sqlx::query(part.select)
                .bind(key)
                .bind(lab_id)
                .fetch_optional(&mut *w.tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let mut before = serde_json::Map::new();
            for column in part.columns {
                before.insert((*column).to_owned(), row.try_get::<Option<String>, _>(*column)?.into());
            }
            sqlx::query(part.delete).bind(key).bind(lab_id).execute(&mut *w.tx).await?;
            w.audit(Change {
                action: part.action,
                entity: "lab",
                entity_id: Some(lab_id),
                programme_id: Some(&programme_id),
                before: Some(serde_json::Value::Object(before)),
                after: None,
            })
            .await
        })
        .await
    }

    /// The lab's sessions in time order, with how many were present at each.
    pub async fn lab_sessions(&self, lab_id: &str) -> Result<Vec<LabSession>> {
        let rows = sqlx::query(
            "SELECT m.id, m.title, n.name AS network_name, m.mode, m.starts_at, m.ends_at, m.cancelled_at,
                (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.present = 1) AS present
             FROM meetings m JOIN networks n ON n.id = m.network_id WHERE m.lab_id = $1 ORDER BY m.starts_at, m.id",
        )
        .bind(lab_id)
        .fetch_all(self.pool())
        .await?;
        let instant = |text: String| {
            DateTime::parse_from_rfc3339(&text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| StoreError::Corrupt(format!("instant {text:?}")))
        };
        rows.iter()
            .map(|row| {
                let mode: String = row.try_get("mode")?;
                Ok(LabSession {
                    id: row.try_get("id")?,
                    title: row.try_get("title")?,
                    network_name: row.try_get("network_name")?,
                    mode: MeetingMode::parse(&mode).map_err(|_| StoreError::Corrupt(format!("mode {mode:?}")))?,
                    starts_at: instant(row.try_get("starts_at")?)?,
                    ends_at: instant(row.try_get("ends_at")?)?,
                    cancelled: row.try_get::<Option<String>, _>("cancelled_at")?.is_some(),
                    present: row.try_get("present")?,
                })
            })
            .collect()
    }

    /// Creates the meetings of `changes` on `network_id` as sessions of the lab, in one
    /// transaction: the network must be of the lab's programme.
    pub async fn create_lab_sessions(
        &self,
        actor: &Actor,
        lab_id: &str,
        network_id: &str,
        changes: &MeetingChanges<'_>,
    ) -> Result<Vec<String>> {
        let lab = self.lab(lab_id).await?.ok_or(StoreError::NotFound)?;
        if self.network_programme(network_id).await? != lab.programme_id {
            return Err(invalid("network_id", "error-lab-outside-programme"));
        }
        self.create_meetings_of_lab(actor, network_id, changes, Some(lab_id)).await
    }

    /// Records a material whose file `store_file` puts in place under the material's id; the
    /// file is removed again (`discard_file`) when the record cannot be written.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_lab_material<F, D>(
        &self,
        actor: &Actor,
        lab_id: &str,
        file_name: &str,
        content_type: &str,
        size_bytes: i64,
        store_file: F,
        discard_file: D,
    ) -> Result<String>
    where
        F: AsyncFnOnce(&str) -> std::io::Result<()>,
        D: AsyncFnOnce(&str),
    {
        let lab = self.lab(lab_id).await?.ok_or(StoreError::NotFound)?;
        let id = new_id();
        let mut stored = false;
        let written = self
            .write(actor, async |w| {
                sqlx::query(
                    "INSERT INTO lab_materials (id, lab_id, file_name, content_type, size_bytes, created_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&id)
                .bind(lab_id)
                .bind(file_name)
                .bind(content_type)
                .bind(size_bytes)
                .bind(&w.actor.label)
                .bind(Timestamp::now().to_db())
                .execute(&mut *w.tx)
                .await?;
                w.audit(Change {
                    action: "add_material",
                    entity: "lab",
                    entity_id: Some(lab_id),
                    programme_id: Some(&lab.programme_id),
                    before: None,
                    after: Some(serde_json::json!({"id": id, "file_name": file_name, "size_bytes": size_bytes})),
                })
                .await?;
                store_file(&id).await.map_err(|e| StoreError::Corrupt(format!("material file: {e}")))?;
                stored = true;
                Ok::<_, StoreError>(())
            })
            .await;
        if written.is_err() && stored {
            discard_file(&id).await;
        }
        written.map(|()| id)
    }

    /// Deletes a material's record; the caller removes its file after.
    pub async fn remove_lab_material(&self, actor: &Actor, lab_id: &str, material_id: &str) -> Result<()> {
        self.remove_from_lab(actor, lab_id, &MATERIAL, material_id).await
    }

    /// Every lab's participants, for `reti export labs`, in the order of
    /// [`LAB_PARTICIPANT_COLUMNS`]: by lab, then network, then name.
    pub async fn lab_participants_export(&self) -> Result<Vec<[String; 6]>> {
        let rows = sqlx::query(
            "SELECT l.id, l.title, p.code, u.name, n.name AS network_name, lp.enrolled_at
             FROM lab_participants lp JOIN labs l ON l.id = lp.lab_id JOIN programmes p ON p.id = l.programme_id
             JOIN users u ON u.id = lp.user_id JOIN networks n ON n.id = lp.network_id
             ORDER BY l.created_at, l.id, n.name_folded, u.name",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok([
                    row.try_get("id")?,
                    row.try_get("title")?,
                    row.try_get("code")?,
                    row.try_get("name")?,
                    row.try_get("network_name")?,
                    row.try_get("enrolled_at")?,
                ])
            })
            .collect()
    }
}

async fn insert_expert(
    w: &mut Writer<'_>,
    lab_id: &str,
    user_id: Option<&str>,
    guest: Option<&GuestExpert>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO lab_experts (id, lab_id, user_id, name, email, organisation, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(lab_id)
    .bind(user_id)
    .bind(guest.map(|g| g.name.as_str()).unwrap_or(""))
    .bind(guest.map(|g| g.email.as_str()).unwrap_or(""))
    .bind(guest.map(|g| g.organisation.as_str()).unwrap_or(""))
    .bind(Timestamp::now().to_db())
    .execute(&mut *w.tx)
    .await?;
    Ok(())
}
