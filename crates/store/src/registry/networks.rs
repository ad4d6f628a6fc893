//! Networks (reti territoriali): their members with role and dates (leaving sets an end date, the
//! history stays), the municipalities they cover, their action lines, and who works on them.

use super::AuditValue;
use super::territory::MunicipalityRef;
use crate::audit::{self, Change};
use crate::programmes::ActionLine;
use crate::sql::{Conditions, Page, PageRequest, contains_pattern, date_from_db, date_to_db, read_json_page};
use crate::{Actor, Db, Engine, Result, StoreError, Timestamp, Tx, new_id};
use reti_domain::text::fold;
use reti_domain::{Maturity, MembershipRole, NetworkStatus, OrganisationKind, Role};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct Membership {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_kind: OrganisationKind,
    pub tax_code: String,
    pub role: MembershipRole,
    pub joined_on: Option<time::Date>,
    pub left_on: Option<time::Date>,
}

impl Membership {
    pub fn is_current(&self) -> bool {
        self.left_on.is_none()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Network {
    pub id: String,
    pub programme_id: String,
    pub programme_code: String,
    pub name: String,
    pub description: String,
    pub maturity: Option<Maturity>,
    pub status: NetworkStatus,
    pub archived: bool,
    pub municipalities: Vec<MunicipalityRef>,
    pub action_lines: Vec<ActionLine>,
    /// Current and past members, current first.
    pub memberships: Vec<Membership>,
}

impl Network {
    /// The current lead partner (capofila).
    pub fn lead(&self) -> Option<&Membership> {
        self.memberships.iter().find(|m| m.is_current() && m.role == MembershipRole::Lead)
    }

    pub fn current_members(&self) -> impl Iterator<Item = &Membership> {
        self.memberships.iter().filter(|m| m.is_current())
    }
}

/// A network, validated in the domain.
pub use reti_domain::input::NetworkInput;

impl AuditValue for NetworkInput {
    fn audit_value(&self) -> serde_json::Value {
        serde_json::json!({
            "programme_id": self.programme_id, "name": self.name, "description": self.description,
            "maturity": self.maturity.map(Maturity::code), "status": self.status.code(),
            "municipalities": self.municipality_codes, "action_lines": self.action_line_ids,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct NetworkFilter {
    /// Only these programmes (`None`: all).
    pub programme_ids: Option<Vec<String>>,
    pub query: Option<String>,
    pub status: Option<NetworkStatus>,
    pub maturity: Option<Maturity>,
    pub action_line_id: Option<String>,
    pub province_code: Option<String>,
    pub organisation_id: Option<String>,
    /// Past memberships of `organisation_id` count only in the networks of this scope, whose
    /// history the caller sees (`None`: in every network).
    pub history_scope: Option<super::scope::Scope>,
    /// Only networks within this scope (`None`: every network, as the public profiles show them).
    pub scope: Option<super::scope::Scope>,
    /// Only networks covering at least one municipality of this district (its id or its code).
    pub district_id: Option<String>,
    pub include_archived: bool,
}

#[derive(Debug, Clone)]
pub struct MembershipInput {
    pub organisation_id: String,
    pub role: MembershipRole,
    pub joined_on: Option<time::Date>,
}

/// A network an account works on, and as what.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkAssignment {
    pub network_id: String,
    pub network_name: String,
    pub programme_id: String,
    pub role: Role,
}

/// A row of the networks list.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkSummary {
    pub id: String,
    pub name: String,
    pub maturity: Option<Maturity>,
    pub status: NetworkStatus,
    pub archived: bool,
    /// The current lead partner's name.
    pub lead_name: Option<String>,
    pub municipality_count: i64,
    /// The province of the first municipality by name.
    pub first_province: Option<String>,
    /// The numbers of its action lines, in order, comma-separated.
    pub action_line_numbers: String,
}

/// A row of the networks list as its page's JSON carries it (`list_network_summaries`).
#[derive(serde::Deserialize)]
struct SummaryColumns {
    id: String,
    name: String,
    maturity: Option<String>,
    status: String,
    archived_at: Option<String>,
    lead_name: Option<String>,
    municipality_count: i64,
    first_province: Option<String>,
    action_line_numbers: Option<String>,
}

/// A network with its municipalities, action lines and memberships, each list as one JSON array in
/// the network's row: a network is one statement and one row, whatever the length of its lists.
/// Memberships come as they are shown: current first, then lead, partners, others, by name.
fn select(engine: Engine) -> String {
    let municipalities = engine.json_rows(
        "m.istat_code, m.name, m.province_code",
        "m.name_folded",
        "FROM network_municipalities nm JOIN municipalities m ON m.istat_code = nm.istat_code WHERE nm.network_id = n.id",
    );
    let action_lines = engine.json_rows(
        "a.id, a.programme_id, a.number, a.title",
        "a.number",
        "FROM network_action_lines nal JOIN action_lines a ON a.id = nal.action_line_id WHERE nal.network_id = n.id",
    );
    let memberships = engine.json_rows(
        "ms.id, ms.organisation_id, o.name, o.kind, o.tax_code, ms.role, ms.joined_on, ms.left_on",
        "CASE WHEN ms.left_on IS NULL THEN 0 ELSE 1 END, CASE ms.role WHEN 'lead' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END, o.name_folded",
        "FROM memberships ms JOIN organisations o ON o.id = ms.organisation_id WHERE ms.network_id = n.id",
    );
    format!(
        "SELECT n.id, n.programme_id, p.code AS programme_code, n.name, n.description, n.maturity, n.status, n.archived_at,
            {municipalities} AS municipalities, {action_lines} AS action_lines, {memberships} AS memberships
         FROM networks n JOIN programmes p ON p.id = n.programme_id"
    )
}

/// A membership as [`select`] reads it: id, organisation id, name, kind and tax code, role,
/// joined, left.
type MembershipColumns = (String, String, String, String, String, String, Option<String>, Option<String>);

/// One of the JSON lists of [`select`].
fn json_list<T: serde::de::DeserializeOwned>(row: &sqlx::any::AnyRow, column: &str) -> Result<Vec<T>> {
    let json: String = row.try_get(column)?;
    serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Network> {
    let maturity: Option<String> = row.try_get("maturity")?;
    let status: String = row.try_get("status")?;
    let municipalities = json_list::<(String, String, String)>(row, "municipalities")?
        .into_iter()
        .map(|(istat_code, name, province_code)| MunicipalityRef { istat_code, name, province_code })
        .collect();
    let action_lines = json_list::<(String, String, i64, String)>(row, "action_lines")?
        .into_iter()
        .map(|(id, programme_id, number, title)| ActionLine { id, programme_id, number, title })
        .collect();
    let memberships = json_list::<MembershipColumns>(row, "memberships")?
        .into_iter()
        .map(|(id, organisation_id, organisation_name, kind, tax_code, role, joined_on, left_on)| {
            Ok(Membership {
                id,
                organisation_id,
                organisation_name,
                organisation_kind: OrganisationKind::parse(&kind).map_err(|_| StoreError::Corrupt(kind.clone()))?,
                tax_code,
                role: MembershipRole::parse(&role).map_err(|_| StoreError::Corrupt(role.clone()))?,
                joined_on: date_from_db(joined_on)?,
                left_on: date_from_db(left_on)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Network {
        id: row.try_get("id")?,
        programme_id: row.try_get("programme_id")?,
        programme_code: row.try_get("programme_code")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        maturity: maturity
            .as_deref()
            .map(Maturity::parse)
            .transpose()
            .map_err(|_| StoreError::Corrupt(format!("maturity {maturity:?}")))?,
        status: NetworkStatus::parse(&status).map_err(|_| StoreError::Corrupt(format!("status {status:?}")))?,
        archived: row.try_get::<Option<String>, _>("archived_at")?.is_some(),
        municipalities,
        action_lines,
        memberships,
    })
}

impl Db {
    pub async fn create_network(&self, actor: &Actor, input: &NetworkInput) -> Result<Network> {
        let id = self.write(actor, async |w| insert_network(&mut w.tx, w.actor, input).await).await?;
        self.network(&id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn update_network(&self, actor: &Actor, id: &str, input: &NetworkInput) -> Result<Network> {
        let before = self.network(id).await?.ok_or(StoreError::NotFound)?;
        let before_value = serde_json::json!({
            "programme_id": before.programme_id, "name": before.name, "description": before.description,
            "maturity": before.maturity.map(Maturity::code), "status": before.status.code(),
            "municipalities": before.municipalities.iter().map(|m| m.istat_code.clone()).collect::<Vec<_>>(),
            "action_lines": before.action_lines.iter().map(|a| a.id.clone()).collect::<Vec<_>>(),
        });
        self.write(actor, async |w| {
            sqlx::query(
                "UPDATE networks SET programme_id = $1, name = $2, name_folded = $3, description = $4, maturity = $5, status = $6, updated_at = $7
                 WHERE id = $8",
            )
            .bind(&input.programme_id)
            .bind(input.name.trim())
            .bind(fold(&input.name))
            .bind(input.description.trim())
            .bind(input.maturity.map(Maturity::code))
            .bind(input.status.code())
            .bind(Timestamp::now().to_db())
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(StoreError::unique_as("name"))?;
            set_links(&mut w.tx, id, input).await?;
            w.audit(Change {
                action: "update",
                entity: "network",
                entity_id: Some(id),
                programme_id: Some(&input.programme_id),
                before: Some(before_value),
                after: Some(input.audit_value()),
            })
            .await
        })
        .await?;
        self.network(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn set_network_archived(&self, actor: &Actor, id: &str, archived: bool) -> Result<()> {
        let network = self.network(id).await?.ok_or(StoreError::NotFound)?;
        super::set_archived(self, actor, "networks", "network", id, Some(&network.programme_id), archived).await
    }

    pub async fn network(&self, id: &str) -> Result<Option<Network>> {
        let sql = format!("{} WHERE n.id = $1", select(self.engine()));
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn network_by_name(&self, programme_id: &str, name: &str) -> Result<Option<Network>> {
        let id: Option<String> =
            sqlx::query_scalar("SELECT id FROM networks WHERE programme_id = $1 AND name_folded = $2")
                .bind(programme_id)
                .bind(fold(name))
                .fetch_optional(self.pool())
                .await?;
        match id {
            Some(id) => self.network(&id).await,
            None => Ok(None),
        }
    }

    pub async fn list_networks(&self, filter: &NetworkFilter, page: PageRequest) -> Result<Page<Network>> {
        let Some(conditions) = network_conditions(filter) else {
            return Ok(Page { items: Vec::new(), page: page.page, per_page: page.per_page, total: 0 });
        };
        let where_clause = conditions.where_clause();
        let total: i64 = conditions
            .query_scalar(&format!(
                "SELECT COUNT(*) FROM networks n JOIN programmes p ON p.id = n.programme_id{where_clause}"
            ))
            .fetch_one(self.pool())
            .await?;
        let sql =
            format!("{}{where_clause} ORDER BY n.name_folded, n.id{}", select(self.engine()), page.limit_offset());
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        let items = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: page.page, per_page: page.per_page, total })
    }

    /// The rows of the networks list, one statement for the page: each network's lead, municipality
    /// count and action lines are computed in SQL rather than loaded row by row.
    pub async fn list_network_summaries(
        &self,
        filter: &NetworkFilter,
        page: PageRequest,
    ) -> Result<Page<NetworkSummary>> {
        let Some(conditions) = network_conditions(filter) else {
            return Ok(Page { items: Vec::new(), page: page.page, per_page: page.per_page, total: 0 });
        };
        let where_clause = conditions.where_clause();
        let numbers = match self.engine() {
            crate::Engine::Sqlite => "group_concat(a.number, ', ' ORDER BY a.number)",
            crate::Engine::Postgres => "string_agg(CAST(a.number AS TEXT), ', ' ORDER BY a.number)",
        };
        let list = format!(
            "SELECT n.id, n.name, n.name_folded, n.maturity, n.status, n.archived_at,
               (SELECT o.name FROM memberships ms JOIN organisations o ON o.id = ms.organisation_id
                WHERE ms.network_id = n.id AND ms.left_on IS NULL AND ms.role = 'lead' ORDER BY o.name_folded LIMIT 1) AS lead_name,
               (SELECT COUNT(*) FROM network_municipalities nm WHERE nm.network_id = n.id) AS municipality_count,
               (SELECT m.province_code FROM network_municipalities nm JOIN municipalities m ON m.istat_code = nm.istat_code
                WHERE nm.network_id = n.id ORDER BY m.name_folded, m.istat_code LIMIT 1) AS first_province,
               (SELECT {numbers} FROM network_action_lines nal JOIN action_lines a ON a.id = nal.action_line_id
                WHERE nal.network_id = n.id) AS action_line_numbers
             FROM networks n JOIN programmes p ON p.id = n.programme_id{where_clause}
             ORDER BY n.name_folded, n.id{}",
            page.limit_offset()
        );
        let engine = self.engine();
        let item = engine.json_page_item(
            &[
                "id",
                "name",
                "maturity",
                "status",
                "archived_at",
                "lead_name",
                "municipality_count",
                "first_province",
                "action_line_numbers",
            ],
            &[],
        );
        let items = engine.json_page_items(&item, "page.name_folded, page.id", &list);
        let count_sql =
            format!("SELECT COUNT(*) FROM networks n JOIN programmes p ON p.id = n.programme_id{where_clause}");
        let (rows, total) = read_json_page::<SummaryColumns>(self, &conditions, &items, &count_sql).await?;
        let items = rows
            .into_iter()
            .map(|row| {
                let maturity = row.maturity;
                let status = row.status;
                Ok(NetworkSummary {
                    id: row.id,
                    name: row.name,
                    maturity: maturity
                        .as_deref()
                        .map(Maturity::parse)
                        .transpose()
                        .map_err(|_| StoreError::Corrupt(format!("maturity {maturity:?}")))?,
                    status: NetworkStatus::parse(&status)
                        .map_err(|_| StoreError::Corrupt(format!("status {status:?}")))?,
                    archived: row.archived_at.is_some(),
                    lead_name: row.lead_name,
                    municipality_count: row.municipality_count,
                    first_province: row.first_province,
                    action_line_numbers: row.action_line_numbers.unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: page.page, per_page: page.per_page, total })
    }

    /// The networks whose private data `scope` reaches (decisions 0007, 0010), as (id, name) by
    /// name, archived ones included: for choices such as a network's calendar feed.
    pub async fn network_choices(&self, scope: &super::scope::Scope) -> Result<Vec<(String, String)>> {
        let mut conditions = Conditions::default();
        if let Some(condition) = scope.network_condition(&mut conditions, "n") {
            conditions.push(condition);
        }
        let sql =
            format!("SELECT n.id, n.name FROM networks n{} ORDER BY n.name_folded, n.id", conditions.where_clause());
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(|row| Ok((row.try_get("id")?, row.try_get("name")?))).collect()
    }
}

impl Db {
    /// The networks an organisation is or was a member of (past memberships only in the networks
    /// of `history_scope`, as [`NetworkFilter::history_scope`]), by name, each with the
    /// organisation's current role (`None` when it left): one statement.
    pub async fn organisation_networks(
        &self,
        organisation_id: &str,
        history_scope: Option<super::scope::Scope>,
    ) -> Result<Vec<(String, String, Option<MembershipRole>)>> {
        let filter = NetworkFilter {
            organisation_id: Some(organisation_id.to_owned()),
            history_scope,
            ..NetworkFilter::default()
        };
        let Some(mut conditions) = network_conditions(&filter) else { return Ok(Vec::new()) };
        let organisation = conditions.bind(organisation_id);
        let sql = format!(
            "SELECT n.id, n.name,
               (SELECT ms.role FROM memberships ms WHERE ms.network_id = n.id AND ms.organisation_id = {organisation}
                AND ms.left_on IS NULL ORDER BY CASE ms.role WHEN 'lead' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END LIMIT 1) AS role
             FROM networks n JOIN programmes p ON p.id = n.programme_id{} ORDER BY n.name_folded, n.id",
            conditions.where_clause()
        );
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let role: Option<String> = row.try_get("role")?;
                let role = role
                    .map(|role| MembershipRole::parse(&role).map_err(|_| StoreError::Corrupt(format!("role {role:?}"))))
                    .transpose()?;
                Ok((row.try_get("id")?, row.try_get("name")?, role))
            })
            .collect()
    }
}

/// The conditions of a networks list, or `None` when the filter admits no network at all.
fn network_conditions(filter: &NetworkFilter) -> Option<Conditions> {
    let mut conditions = Conditions::default();
    if !filter.include_archived {
        conditions.push("n.archived_at IS NULL".into());
    }
    if let Some(programmes) = &filter.programme_ids {
        if programmes.is_empty() {
            return None;
        }
        let list = conditions.bind_all(programmes.iter().cloned());
        conditions.push(format!("n.programme_id IN ({list})"));
    }
    if let Some(query) = filter.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let name = conditions.bind(contains_pattern(&fold(query)));
        conditions.push(format!("n.name_folded LIKE {name} ESCAPE '\\'"));
    }
    if let Some(status) = filter.status {
        let status = conditions.bind(status.code());
        conditions.push(format!("n.status = {status}"));
    }
    if let Some(maturity) = filter.maturity {
        let maturity = conditions.bind(maturity.code());
        conditions.push(format!("n.maturity = {maturity}"));
    }
    if let Some(line) = filter.action_line_id.as_deref().filter(|l| !l.is_empty()) {
        let line = conditions.bind(line);
        conditions.push(format!("n.id IN (SELECT network_id FROM network_action_lines WHERE action_line_id = {line})"));
    }
    if let Some(province) = filter.province_code.as_deref().filter(|p| !p.is_empty()) {
        let province = conditions.bind(province.to_uppercase());
        conditions.push(format!(
            "n.id IN (SELECT nm.network_id FROM network_municipalities nm JOIN municipalities m ON m.istat_code = nm.istat_code
             WHERE m.province_code = {province})"
        ));
    }
    if let Some(organisation) = filter.organisation_id.as_deref().filter(|o| !o.is_empty()) {
        let organisation = conditions.bind(organisation);
        let past = match filter.history_scope.as_ref().and_then(|s| s.network_condition(&mut conditions, "n")) {
            Some(visible) => format!("(left_on IS NULL OR {visible})"),
            None => "1 = 1".to_owned(),
        };
        conditions.push(format!(
            "n.id IN (SELECT network_id FROM memberships WHERE organisation_id = {organisation} AND {past})"
        ));
    }
    if let Some(condition) = filter.scope.as_ref().and_then(|scope| scope.network_condition(&mut conditions, "n")) {
        conditions.push(condition);
    }
    if let Some(district) = filter.district_id.as_deref().filter(|d| !d.is_empty()) {
        let id = conditions.bind(district.trim());
        let code = conditions.bind(district.trim().to_uppercase());
        conditions.push(format!(
            "n.id IN (SELECT nm.network_id FROM network_municipalities nm
             JOIN district_municipalities dm ON dm.istat_code = nm.istat_code
             JOIN districts d ON d.id = dm.district_id WHERE d.id = {id} OR d.code = {code})"
        ));
    }
    Some(conditions)
}

impl Db {
    /// Adds an organisation to a network. One current membership per organisation, one current lead.
    pub async fn add_membership(&self, actor: &Actor, network_id: &str, input: &MembershipInput) -> Result<String> {
        let network = self.network(network_id).await?.ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            insert_membership(&mut w.tx, w.actor, &network.programme_id, network_id, input).await
        })
        .await
    }

    /// Ends a membership on `left_on`; the row stays as history.
    pub async fn end_membership(
        &self,
        actor: &Actor,
        network_id: &str,
        membership_id: &str,
        left_on: time::Date,
    ) -> Result<()> {
        let network = self.network(network_id).await?.ok_or(StoreError::NotFound)?;
        let membership =
            network.memberships.iter().find(|m| m.id == membership_id && m.is_current()).ok_or(StoreError::NotFound)?;
        if membership.joined_on.is_some_and(|joined| joined > left_on) {
            return Err(StoreError::Invalid(reti_domain::FieldError::new("left_on", "error-date-order").into()));
        }
        self.write(actor, async |w| {
            sqlx::query("UPDATE memberships SET left_on = $1 WHERE id = $2")
                .bind(date_to_db(left_on))
                .bind(membership_id)
                .execute(&mut *w.tx)
                .await?;
            w.audit(Change {
                action: "end",
                entity: "membership",
                entity_id: Some(membership_id),
                programme_id: Some(&network.programme_id),
                before: None,
                after: Some(serde_json::json!({"network_id": network_id, "organisation_id": membership.organisation_id, "left_on": date_to_db(left_on)})),
            })
            .await
        })
        .await
    }

    /// Lets an account work on a network as lead, member or facilitator.
    pub async fn assign_to_network(&self, actor: &Actor, user_id: &str, network_id: &str, role: Role) -> Result<()> {
        let network = self.network(network_id).await?.ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            let exists: Option<String> = sqlx::query_scalar(
                "SELECT id FROM network_assignments WHERE user_id = $1 AND network_id = $2 AND role = $3",
            )
            .bind(user_id)
            .bind(network_id)
            .bind(role.code())
            .fetch_optional(&mut *w.tx)
            .await?;
            if exists.is_some() {
                return Ok(());
            }
            let id = new_id();
            sqlx::query(
                "INSERT INTO network_assignments (id, user_id, network_id, role, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(user_id)
            .bind(network_id)
            .bind(role.code())
            .bind(Timestamp::now().to_db())
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "assign",
                entity: "network_assignment",
                entity_id: Some(&id),
                programme_id: Some(&network.programme_id),
                before: None,
                after: Some(serde_json::json!({"user_id": user_id, "network_id": network_id, "role": role.code()})),
            })
            .await
        })
        .await
    }

    /// The networks an account works on.
    pub async fn network_assignments(&self, user_id: &str) -> Result<Vec<NetworkAssignment>> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT n.id, n.name, n.programme_id, a.role FROM network_assignments a JOIN networks n ON n.id = a.network_id
             WHERE a.user_id = $1 AND n.archived_at IS NULL ORDER BY n.name_folded",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(network_id, network_name, programme_id, role)| {
                Ok(NetworkAssignment {
                    network_id,
                    network_name,
                    programme_id,
                    role: Role::parse(&role).map_err(|_| StoreError::Corrupt(role.clone()))?,
                })
            })
            .collect()
    }
}

pub(crate) async fn insert_network(tx: &mut Tx, actor: &Actor, input: &NetworkInput) -> Result<String> {
    let id = new_id();
    let now = Timestamp::now().to_db();
    sqlx::query(
        "INSERT INTO networks (id, programme_id, name, name_folded, description, maturity, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(&input.programme_id)
    .bind(input.name.trim())
    .bind(fold(&input.name))
    .bind(input.description.trim())
    .bind(input.maturity.map(Maturity::code))
    .bind(input.status.code())
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::unique_as("name"))?;
    set_links(tx, &id, input).await?;
    audit::record(
        tx,
        actor,
        Change {
            action: "create",
            entity: "network",
            entity_id: Some(&id),
            programme_id: Some(&input.programme_id),
            before: None,
            after: Some(input.audit_value()),
        },
    )
    .await?;
    Ok(id)
}

async fn set_links(tx: &mut Tx, network_id: &str, input: &NetworkInput) -> Result<()> {
    sqlx::query("DELETE FROM network_municipalities WHERE network_id = $1").bind(network_id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM network_action_lines WHERE network_id = $1").bind(network_id).execute(&mut **tx).await?;
    let mut codes = input.municipality_codes.clone();
    codes.sort();
    codes.dedup();
    for code in codes {
        sqlx::query("INSERT INTO network_municipalities (network_id, istat_code) VALUES ($1, $2)")
            .bind(network_id)
            .bind(&code)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::missing_reference_as("municipalities", "error-municipality-unknown"))?;
    }
    let mut lines = input.action_line_ids.clone();
    lines.sort();
    lines.dedup();
    for line in lines {
        sqlx::query("INSERT INTO network_action_lines (network_id, action_line_id) VALUES ($1, $2)")
            .bind(network_id)
            .bind(&line)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::missing_reference_as("action_lines", "error-action-line-invalid"))?;
    }
    Ok(())
}

pub(crate) async fn insert_membership(
    tx: &mut Tx,
    actor: &Actor,
    programme_id: &str,
    network_id: &str,
    input: &MembershipInput,
) -> Result<String> {
    let current: Vec<(String, String)> =
        sqlx::query_as("SELECT organisation_id, role FROM memberships WHERE network_id = $1 AND left_on IS NULL")
            .bind(network_id)
            .fetch_all(&mut **tx)
            .await?;
    if current.iter().any(|(organisation, _)| *organisation == input.organisation_id) {
        return Err(StoreError::Conflict { field: "organisation_id" });
    }
    if input.role == MembershipRole::Lead && current.iter().any(|(_, role)| role == MembershipRole::Lead.code()) {
        return Err(StoreError::Conflict { field: "role" });
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO memberships (id, network_id, organisation_id, role, joined_on, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(network_id)
    .bind(&input.organisation_id)
    .bind(input.role.code())
    .bind(input.joined_on.map(date_to_db))
    .bind(Timestamp::now().to_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::missing_reference_as("organisation_id", "error-organisation-unknown"))?;
    audit::record(
        tx,
        actor,
        Change {
            action: "create",
            entity: "membership",
            entity_id: Some(&id),
            programme_id: Some(programme_id),
            before: None,
            after: Some(serde_json::json!({"network_id": network_id, "organisation_id": input.organisation_id,
                "role": input.role.code(), "joined_on": input.joined_on.map(date_to_db)})),
        },
    )
    .await?;
    Ok(id)
}
