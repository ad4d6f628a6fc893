//! All-or-nothing import of spreadsheets (SPEC §9): the file is read and every row checked —
//! against the file itself and against the database — before anything is written; one bad row
//! refuses the whole file, and the report lists every bad row by its line. A good file is written
//! in one transaction (rolled back at the end for a dry run).

use super::AuditValue;
use super::networks::{MembershipInput, insert_membership, insert_network};
use super::organisations::OrganisationInput;
use super::people::{
    Person, PersonInput, affiliate, insert_person, people_named_in, person_where_in, set_person_tax_code,
    update_person_in,
};
use super::scope::{Scope, audit_programme, import_checks};
use crate::audit::{self, Change};
use crate::sql::date_to_db;
use crate::{Actor, Db, Result, StoreError, Timestamp, Tx, new_id};
use reti_domain::columns::map_columns;
use reti_domain::import::{self, OrganisationParser, RowError};
use reti_domain::input::NetworkContext;
use reti_domain::table::{Table, TableError, TableRows, open_table};
use reti_domain::text::fold;
use reti_domain::{Email, MembershipRole};
use serde::Serialize;
use std::collections::HashMap;

/// What can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Entity {
    Organisations,
    People,
    Networks,
    Memberships,
    Districts,
}

impl Entity {
    pub const ALL: [Entity; 5] =
        [Entity::Organisations, Entity::People, Entity::Networks, Entity::Memberships, Entity::Districts];

    pub fn code(self) -> &'static str {
        match self {
            Entity::Organisations => "organisations",
            Entity::People => "people",
            Entity::Networks => "networks",
            Entity::Memberships => "memberships",
            Entity::Districts => "districts",
        }
    }

    pub fn parse(code: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// The outcome of an import: either written (or, for a dry run, writable) with its counts, or
/// refused with every problem found.
#[derive(Debug, Clone, Serialize)]
pub struct ImportResult {
    pub entity: Entity,
    pub dry_run: bool,
    /// Data rows read (the header excluded).
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Columns the file has that Reti does not know: reported, never silently dropped.
    pub unknown_columns: Vec<String>,
    pub encoding: String,
    /// Every problem, by line, the first [`MAX_ERRORS`] of them. Empty when the file was (or would
    /// be) imported.
    pub errors: Vec<RowError>,
    /// Problems found beyond the first [`MAX_ERRORS`]: counted, not listed.
    pub more_errors: usize,
    /// What does not stop the import but deserves a look, such as likely duplicate people.
    pub warnings: Vec<RowError>,
}

/// How many problems a report lists: a file bad on every line must not fill the memory with them.
pub const MAX_ERRORS: usize = 1_000;

impl ImportResult {
    pub fn accepted(&self) -> bool {
        self.errors.is_empty()
    }

    /// Every problem found, listed or not.
    pub fn error_count(&self) -> usize {
        self.errors.len() + self.more_errors
    }

    /// Keeps the first [`MAX_ERRORS`] problems (by line) and counts the rest.
    fn bound_errors(&mut self) {
        if self.errors.len() > MAX_ERRORS {
            self.errors.sort_by(|a, b| (a.line, &a.field).cmp(&(b.line, &b.field)));
            self.more_errors += self.errors.len() - MAX_ERRORS;
            self.errors.truncate(MAX_ERRORS);
        }
    }
}

/// Why a file could not even be read as a table.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("unreadable file: {0}")]
    Table(#[from] TableError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ImportError {
    fn from(error: sqlx::Error) -> Self {
        ImportError::Store(StoreError::Database(error))
    }
}

pub(super) fn error(line: usize, field: &str, code: &'static str, value: &str) -> RowError {
    RowError::new(line, field, code, value)
}

impl Db {
    /// Reads `bytes` (CSV in any usual dialect, or XLSX) and imports them as `entity`.
    pub async fn import_file(
        &self,
        actor: &Actor,
        entity: Entity,
        bytes: &[u8],
        dry_run: bool,
    ) -> Result<ImportResult, ImportError> {
        self.import_bytes(actor, entity, bytes, dry_run, None).await
    }

    /// Imports the pending file `id` for real and deletes it in the same transaction, so that a file
    /// is imported once: a second confirmation finds nothing. A file that no longer imports cleanly
    /// stays pending, and nothing of it is written.
    pub async fn confirm_pending_import(
        &self,
        actor: &Actor,
        id: &str,
        pending: &PendingImport,
    ) -> Result<ImportResult, ImportError> {
        self.import_bytes(actor, pending.entity, &pending.content, false, Some(id)).await
    }

    async fn import_bytes(
        &self,
        actor: &Actor,
        entity: Entity,
        bytes: &[u8],
        dry_run: bool,
        pending_id: Option<&str>,
    ) -> Result<ImportResult, ImportError> {
        let mut source = open_table(bytes)?;
        let rows = source.rows()?;
        let mut result = ImportResult {
            entity,
            dry_run,
            rows: 0,
            created: 0,
            updated: 0,
            unknown_columns: Vec::new(),
            encoding: rows.encoding.to_owned(),
            errors: Vec::new(),
            more_errors: 0,
            warnings: Vec::new(),
        };
        let scope = self.scope_of(actor).await?;
        let mut tx = self.begin().await?;
        import_cache(&mut tx, self.engine(), IMPORT_CACHE_KIB).await?;
        let written: Result<bool, ImportError> = async {
            if let Some(id) = pending_id {
                let deleted = sqlx::query("DELETE FROM pending_imports WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if deleted == 0 {
                    return Err(StoreError::NotFound.into());
                }
            }
            match entity {
                // The one entity whose files run to tens of thousands of rows: streamed.
                Entity::Organisations => self.import_organisations(&mut tx, actor, rows, &mut result).await?,
                Entity::People => {
                    self.import_people(&mut tx, actor, &scope, &whole(rows, &mut result)?, &mut result).await?
                }
                Entity::Networks => {
                    self.import_networks(&mut tx, actor, &scope, &whole(rows, &mut result)?, &mut result).await?
                }
                Entity::Memberships => {
                    self.import_memberships(&mut tx, actor, &scope, &whole(rows, &mut result)?, &mut result).await?
                }
                Entity::Districts => {
                    self.import_districts(&mut tx, actor, &whole(rows, &mut result)?, &mut result).await?
                }
            }
            result.bound_errors();
            result.errors.sort_by(|a, b| (a.line, &a.field).cmp(&(b.line, &b.field)));
            // A file that changes nothing (imported again) leaves no trace in the audit log either.
            if result.accepted() && !dry_run {
                if result.created + result.updated > 0 {
                    let programme = audit_programme(&mut tx, actor, &[]).await?;
                    let after =
                        serde_json::json!({"rows": result.rows, "created": result.created, "updated": result.updated});
                    let change = Change {
                        action: "import",
                        entity: entity.code(),
                        entity_id: None,
                        programme_id: programme.as_deref(),
                        before: None,
                        after: Some(after),
                    };
                    audit::record(&mut tx, actor, change).await?;
                }
                return Ok(true);
            }
            Ok(false)
        }
        .await;
        // The page cache belongs to the pooled connection, not to the transaction: give it back
        // its default size whatever happened, before the connection returns to the pool.
        let restored = import_cache(&mut tx, self.engine(), DEFAULT_CACHE_KIB).await;
        let written = written?;
        restored?;
        if written {
            tx.commit().await?;
        } else {
            tx.rollback().await?;
        }
        Ok(result)
    }

    /// Organisations are parsed, checked and written a batch at a time, inside the import's one
    /// transaction: only a batch sits in memory, never the whole file. After the first bad row
    /// nothing more is written (the transaction will be rolled back), but every row is still
    /// checked, for the report.
    async fn import_organisations(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        rows: TableRows<'_>,
        result: &mut ImportResult,
    ) -> Result<(), ImportError> {
        let Some(map) = map_or_refuse(&rows.headers, import::ORGANISATION_COLUMNS, result) else { return Ok(()) };
        let territory = self.territory().await?;
        let mut parser = OrganisationParser::new(rows.format(), &territory);
        let batch_size = self.engine().rows_per_insert(ORGANISATION_COLUMNS);
        let mut batch = Vec::with_capacity(batch_size);
        let programme = audit_programme(tx, actor, &[]).await?;
        for row in rows {
            let mut row = row?;
            reti_domain::formula::unguard_row(&mut row);
            result.rows += 1;
            let Some(row) = parser.parse(&map, &row, &mut result.errors) else {
                result.bound_errors();
                continue;
            };
            if !result.errors.is_empty() {
                continue;
            }
            batch.push(row.input);
            if batch.len() == batch_size {
                self.write_organisations(tx, actor, programme.as_deref(), &batch, result).await?;
                batch.clear();
            }
        }
        if result.errors.is_empty() {
            self.write_organisations(tx, actor, programme.as_deref(), &batch, result).await?;
        }
        Ok(())
    }

    /// Writes one batch of organisations: those whose tax code is on record are updated (when
    /// anything differs), the others inserted in one statement.
    async fn write_organisations(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        programme: Option<&str>,
        batch: &[OrganisationInput],
        result: &mut ImportResult,
    ) -> Result<(), ImportError> {
        if batch.is_empty() {
            return Ok(());
        }
        let existing = organisation_ids_of(tx, self.engine(), batch).await?;
        let mut creates = Vec::with_capacity(batch.len());
        for input in batch {
            match existing.get(input.tax_code.as_str()) {
                Some(id) => {
                    let before = self.organisation(id).await?.ok_or(StoreError::NotFound)?;
                    if !super::organisations::unchanged(&before, input) {
                        super::organisations::update_organisation_in(tx, actor, &before, input).await?;
                        result.updated += 1;
                    }
                }
                None => creates.push(input),
            }
        }
        insert_organisations(tx, self.engine(), actor, programme, &creates).await?;
        result.created += creates.len();
        Ok(())
    }

    async fn import_people(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        scope: &Scope,
        table: &Table,
        result: &mut ImportResult,
    ) -> Result<(), ImportError> {
        let Some(map) = map_or_refuse(&table.headers, import::PERSON_COLUMNS, result) else { return Ok(()) };
        let (rows, errors) = import::parse_people(table, &map);
        result.errors.extend(errors);
        let organisations = organisation_ids(tx).await?;
        for row in &rows {
            if let Some(code) = &row.organisation_tax_code
                && !organisations.contains_key(code.as_str())
            {
                result.errors.push(error(row.line, "organisation", "error-organisation-unknown", code.as_str()));
            }
        }
        for row in &rows {
            if let Some(email) = &row.email
                && let Some(person) = self.person_by_email(email.as_str()).await?
            {
                let in_scope = self.person_in_scope(&person.id, scope).await?;
                result.errors.extend(import_checks::person(in_scope, row.line, email.as_str()));
            }
        }
        if !result.errors.is_empty() {
            return Ok(());
        }
        let mut touched = std::collections::HashSet::new();
        for row in rows {
            let organisation_id = row.organisation_tax_code.as_ref().map(|code| organisations[code.as_str()].clone());
            let (existing, likely_duplicate) = match_person(tx, &row, organisation_id.as_deref()).await?;
            if let Some(other) = likely_duplicate {
                let value = format!("{} ({})", other.name, other.email.unwrap_or_default());
                result.warnings.push(error(row.line, "name", "warning-likely-duplicate", &value));
            }
            let person_id = match existing {
                Some(before) => {
                    // A row without an e-mail keeps the one on record: it is what later files match on.
                    let email =
                        row.email.clone().or_else(|| before.email.as_deref().and_then(|e| Email::parse(e).ok()));
                    let input = PersonInput { name: row.name.clone(), email, phone: row.phone.clone() };
                    let unchanged = before.name == input.name.as_str()
                        && before.email.as_deref() == input.email.as_ref().map(Email::as_str)
                        && before.phone == input.phone.trim();
                    // A person on several rows (one per organisation) is counted once.
                    if !unchanged {
                        update_person_in(tx, actor, &before, &input).await?;
                        if !touched.contains(&before.id) {
                            result.updated += 1;
                        }
                    }
                    before.id
                }
                None => {
                    result.created += 1;
                    let input =
                        PersonInput { name: row.name.clone(), email: row.email.clone(), phone: row.phone.clone() };
                    insert_person(tx, actor, &input).await?
                }
            };
            touched.insert(person_id.clone());
            if let Some(code) = &row.tax_code {
                // Checked first: on PostgreSQL a failed statement would abort the whole transaction.
                match person_where_in(tx, "tax_code = $1", code.as_str()).await? {
                    Some(other) if other.id != person_id => result.errors.push(error(
                        row.line,
                        "person_tax_code",
                        "error-person-tax-code-taken",
                        code.as_str(),
                    )),
                    _ => set_person_tax_code(tx, &person_id, code.as_str()).await?,
                }
            }
            if let Some(organisation_id) = &organisation_id {
                affiliate(tx, actor, &person_id, organisation_id, &row.position).await?;
            }
        }
        Ok(())
    }

    async fn import_networks(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        scope: &Scope,
        table: &Table,
        result: &mut ImportResult,
    ) -> Result<(), ImportError> {
        let Some(map) = map_or_refuse(&table.headers, import::NETWORK_COLUMNS, result) else { return Ok(()) };
        let (rows, errors) = import::parse_networks(table, &map);
        result.errors.extend(errors);
        let programmes = self.programmes().await?;
        let territory = self.territory().await?;
        let organisations = organisation_ids(tx).await?;
        let mut planned = Vec::new();
        let mut lines_by_programme: HashMap<String, Vec<crate::programmes::ActionLine>> = HashMap::new();
        for row in rows {
            let programme = if row.programme.trim().is_empty() {
                match programmes.as_slice() {
                    [only] => Some(only.clone()),
                    _ => None,
                }
            } else {
                programmes.iter().find(|p| fold(&p.code) == fold(&row.programme)).cloned()
            };
            let programme = match programme {
                None => {
                    result.errors.push(error(row.line, "programme", "error-programme-unknown", &row.programme));
                    None
                }
                Some(programme) => match import_checks::programme(scope, row.line, &programme.id, &programme.code) {
                    Some(refused) => {
                        result.errors.push(refused);
                        None
                    }
                    None => Some(programme),
                },
            };
            // One query per programme, not per row.
            if let Some(programme) = &programme
                && !lines_by_programme.contains_key(&programme.id)
            {
                let lines = self.action_lines(&programme.id).await?;
                lines_by_programme.insert(programme.id.clone(), lines);
            }
            let lines: Vec<(&str, i64)> = programme
                .as_ref()
                .map(|p| lines_by_programme[&p.id].iter().map(|l| (l.id.as_str(), l.number)).collect())
                .unwrap_or_default();
            // The network's own fields are checked as the form checks them; without a programme
            // (already reported) its action lines cannot be, so only the other fields are.
            let context = NetworkContext {
                programme_id: programme.as_ref().map(|p| p.id.as_str()),
                action_lines: &lines,
                territory: &territory,
            };
            let input = match row.input(&context) {
                Ok(input) => Some(input),
                Err(problems) => {
                    let reported = programme.is_some();
                    result.errors.extend(
                        problems
                            .into_iter()
                            .filter(|p| reported || !matches!(p.field.as_str(), "programme" | "action_lines")),
                    );
                    None
                }
            };
            let lead = match &row.lead_tax_code {
                Some(code) => match organisations.get(code.as_str()) {
                    Some(id) => Some(id.clone()),
                    None => {
                        result.errors.push(error(row.line, "lead", "error-organisation-unknown", code.as_str()));
                        None
                    }
                },
                None => None,
            };
            if let Some(input) = input {
                planned.push((row.line, input, lead));
            }
        }
        if !result.errors.is_empty() {
            return Ok(());
        }
        for (line, input, lead) in planned {
            let existing = self.network_by_name(&input.programme_id, &input.name).await?;
            let network_id = match existing {
                Some(network) => {
                    let before = serde_json::json!({"description": network.description, "maturity": network.maturity.map(reti_domain::Maturity::code), "status": network.status.code()});
                    let after = serde_json::json!({"description": input.description.trim(), "maturity": input.maturity.map(reti_domain::Maturity::code), "status": input.status.code()});
                    // A network that would not change is not rewritten (its lead, below, may still be new).
                    if before != after {
                        result.updated += 1;
                        sqlx::query("UPDATE networks SET description = $1, maturity = $2, status = $3, updated_at = $4 WHERE id = $5")
                        .bind(input.description.trim())
                        .bind(input.maturity.map(reti_domain::Maturity::code))
                        .bind(input.status.code())
                        .bind(Timestamp::now().to_db())
                        .bind(&network.id)
                        .execute(&mut **tx)
                        .await?;
                        audit::record(
                            tx,
                            actor,
                            Change {
                                action: "update",
                                entity: "network",
                                entity_id: Some(&network.id),
                                programme_id: Some(&input.programme_id),
                                before: Some(before),
                                after: Some(after),
                            },
                        )
                        .await?;
                    }
                    network.id
                }
                None => {
                    result.created += 1;
                    insert_network(tx, actor, &input).await?
                }
            };
            if let Some(organisation_id) = lead {
                let membership = MembershipInput { organisation_id, role: MembershipRole::Lead, joined_on: None };
                match insert_membership(tx, actor, &input.programme_id, &network_id, &membership).await {
                    Ok(_) | Err(StoreError::Conflict { field: "organisation_id" }) => {}
                    Err(StoreError::Conflict { .. }) => {
                        result.errors.push(error(line, "lead", "error-lead-exists", &input.name))
                    }
                    Err(other) => return Err(other.into()),
                }
            }
        }
        Ok(())
    }

    async fn import_memberships(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        scope: &Scope,
        table: &Table,
        result: &mut ImportResult,
    ) -> Result<(), ImportError> {
        let Some(map) = map_or_refuse(&table.headers, import::MEMBERSHIP_COLUMNS, result) else { return Ok(()) };
        let (rows, errors) = import::parse_memberships(table, &map);
        result.errors.extend(errors);
        let organisations = organisation_ids(tx).await?;
        let networks: Vec<(String, String, String)> =
            sqlx::query_as("SELECT id, programme_id, name_folded FROM networks").fetch_all(&mut **tx).await?;
        let mut planned = Vec::new();
        for row in rows {
            let matching: Vec<_> = networks.iter().filter(|(_, _, name)| *name == fold(&row.network)).collect();
            let matching = import_checks::own_networks_first(scope, matching, |(_, programme, _)| programme);
            let network = match matching.as_slice() {
                [only] => match import_checks::network(scope, row.line, &only.1, &row.network) {
                    Some(refused) => {
                        result.errors.push(refused);
                        None
                    }
                    None => Some((*only).clone()),
                },
                [] => {
                    result.errors.push(error(row.line, "network", "error-network-unknown", &row.network));
                    None
                }
                _ => {
                    result.errors.push(error(row.line, "network", "error-network-ambiguous", &row.network));
                    None
                }
            };
            let organisation = organisations.get(row.tax_code.as_str()).cloned();
            if organisation.is_none() {
                result.errors.push(error(row.line, "tax_code", "error-organisation-unknown", row.tax_code.as_str()));
            }
            if let (Some(network), Some(organisation)) = (network, organisation) {
                planned.push((row, network, organisation));
            }
        }
        if !result.errors.is_empty() {
            return Ok(());
        }
        for (row, (network_id, programme_id, _), organisation_id) in planned {
            let (joined_on, left_on) = (row.joined_on.map(date_to_db), row.left_on.map(date_to_db));
            // The membership a row speaks of: the one that began on its date (ended or not), else
            // the current one; so that a file with past memberships can be imported again.
            let candidates: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT id, role, joined_on, left_on FROM memberships WHERE network_id = $1 AND organisation_id = $2",
            )
            .bind(&network_id)
            .bind(&organisation_id)
            .fetch_all(&mut **tx)
            .await?;
            let current = candidates
                .iter()
                .find(|(_, _, joined, _)| joined_on.is_some() && *joined == joined_on)
                .or_else(|| candidates.iter().find(|(_, _, _, left)| left.is_none()))
                .cloned();
            if let Some((_, role, joined, left)) = &current
                && role == row.role.code()
                && (joined_on.is_none() || *joined == joined_on)
                && (left_on.is_none() || *left == left_on)
            {
                continue;
            }
            let before = current.as_ref().map(|(_, role, joined_on, left_on)| {
                serde_json::json!({"role": role, "joined_on": joined_on, "left_on": left_on})
            });
            let membership_id = match current.map(|(id, ..)| id) {
                Some(id) => {
                    sqlx::query("UPDATE memberships SET role = $1, joined_on = COALESCE($2, joined_on) WHERE id = $3")
                        .bind(row.role.code())
                        .bind(row.joined_on.map(date_to_db))
                        .bind(&id)
                        .execute(&mut **tx)
                        .await?;
                    result.updated += 1;
                    id
                }
                None => {
                    let input = MembershipInput {
                        organisation_id: organisation_id.clone(),
                        role: row.role,
                        joined_on: row.joined_on,
                    };
                    match insert_membership(tx, actor, &programme_id, &network_id, &input).await {
                        Ok(id) => {
                            result.created += 1;
                            id
                        }
                        Err(StoreError::Conflict { field }) => {
                            let code = if field == "role" { "error-lead-exists" } else { "error-duplicate" };
                            result.errors.push(error(row.line, "role", code, row.role.code()));
                            continue;
                        }
                        Err(other) => return Err(other.into()),
                    }
                }
            };
            if let Some(left_on) = row.left_on {
                sqlx::query("UPDATE memberships SET left_on = $1 WHERE id = $2")
                    .bind(date_to_db(left_on))
                    .bind(&membership_id)
                    .execute(&mut **tx)
                    .await?;
            }
            audit::record(
                tx,
                actor,
                Change {
                    action: "import",
                    entity: "membership",
                    entity_id: Some(&membership_id),
                    programme_id: Some(&programme_id),
                    before,
                    after: Some(
                        serde_json::json!({"role": row.role.code(), "joined_on": joined_on, "left_on": left_on}),
                    ),
                },
            )
            .await?;
        }
        Ok(())
    }
}

/// Who a person row is, in order: the person with its e-mail; the person with its own tax code;
/// the one person of that name in that organisation (unless their tax codes differ), when the row
/// or that person has no e-mail. A row whose e-mail matched nobody but whose name is taken in that
/// organisation by someone with another e-mail is a new person, returned second as a likely
/// duplicate for the preview to flag.
async fn match_person(
    tx: &mut Tx,
    row: &import::PersonRow,
    organisation_id: Option<&str>,
) -> Result<(Option<Person>, Option<Person>)> {
    if let Some(email) = &row.email
        && let Some(person) = person_where_in(tx, "email = $1", email.as_str()).await?
    {
        return Ok((Some(person), None));
    }
    if let Some(code) = &row.tax_code
        && let Some(person) = person_where_in(tx, "tax_code = $1", code.as_str()).await?
    {
        return Ok((Some(person), None));
    }
    let Some(organisation_id) = organisation_id else { return Ok((None, None)) };
    let same_name = people_named_in(tx, row.name.as_str(), organisation_id).await?;
    let compatible: Vec<Person> =
        same_name.into_iter().filter(|p| row.tax_code.is_none() || p.tax_code.is_none()).collect();
    match compatible.as_slice() {
        [] => Ok((None, None)),
        // A row without an e-mail, or a person on record without one, is the same person.
        [only] if row.email.is_none() || only.email.is_none() => Ok((compatible.into_iter().next(), None)),
        _ => Ok((None, compatible.into_iter().next())),
    }
}

/// SQLite's page cache for the import's connection, in KiB. With the default 2 MiB a large file's
/// transaction outgrows the cache and SQLite writes the same index pages out to the WAL again and
/// again before the commit; 16 MiB holds the indexes of a 50,000-row file and keeps the import
/// under its 64 MiB bound.
const IMPORT_CACHE_KIB: i64 = 16 * 1024;
/// SQLite's own default, given back before the connection returns to the pool: set before the
/// commit, it frees the pages once they are written, and it does not spill (nothing is read after).
const DEFAULT_CACHE_KIB: i64 = 2_000;

/// Sets the page cache of the transaction's connection (SQLite only; PostgreSQL's buffers are the
/// server's).
async fn import_cache(tx: &mut Tx, engine: crate::Engine, kib: i64) -> Result<()> {
    if engine == crate::Engine::Sqlite {
        sqlx::query(&format!("PRAGMA cache_size = -{kib}")).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Every organisation's id by its tax code: what rows refer to organisations by.
async fn organisation_ids(tx: &mut Tx) -> Result<HashMap<String, String>> {
    Ok(sqlx::query_as::<_, (String, String)>("SELECT tax_code, id FROM organisations")
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect())
}

/// The whole table of a file (for the entities whose files are small), guards taken away.
fn whole(rows: TableRows<'_>, result: &mut ImportResult) -> Result<Table, TableError> {
    let (headers, encoding, delimiter) = (rows.headers.clone(), rows.encoding, rows.delimiter);
    let rows = rows.collect::<Result<Vec<_>, _>>()?;
    result.rows = rows.len();
    let mut table = Table { headers, rows, encoding, delimiter };
    reti_domain::formula::unguard_table(&mut table);
    Ok(table)
}

/// The ids of the organisations of `batch` that are on record, by tax code.
async fn organisation_ids_of(
    tx: &mut Tx,
    engine: crate::Engine,
    batch: &[OrganisationInput],
) -> Result<HashMap<String, String>> {
    let sql = format!(
        "SELECT tax_code, id FROM organisations WHERE tax_code IN (VALUES {})",
        engine.values_list(batch.len(), 1)
    );
    let mut query = sqlx::query_as::<_, (String, String)>(&sql);
    for input in batch {
        query = query.bind(input.tax_code.as_str());
    }
    Ok(query.fetch_all(&mut **tx).await?.into_iter().collect())
}

/// Matches the file's columns; a missing required column refuses the file before any row is read.
pub(super) fn map_or_refuse(
    headers: &[String],
    columns: &[reti_domain::columns::Column],
    result: &mut ImportResult,
) -> Option<reti_domain::columns::ColumnMap> {
    let map = map_columns(headers, columns);
    result.unknown_columns = map.unknown.clone();
    result.errors.extend(import::column_problems(&map));
    result.errors.is_empty().then_some(map)
}

/// The columns of one organisation in a multi-row `INSERT`.
const ORGANISATION_COLUMNS: usize = 12;

/// Inserts new organisations in one statement (the caller's batch fits one: see
/// [`crate::Engine::rows_per_insert`]), with their resource tags and one audit entry each: a
/// 50,000-row file must not take 50,000 round trips. Values are bound by reference, never copied.
async fn insert_organisations(
    tx: &mut Tx,
    engine: crate::Engine,
    actor: &Actor,
    programme: Option<&str>,
    inputs: &[&OrganisationInput],
) -> Result<()> {
    if inputs.is_empty() {
        return Ok(());
    }
    let now = Timestamp::now().to_db();
    let ids: Vec<String> = inputs.iter().map(|_| new_id()).collect();
    let sql = format!(
        "INSERT INTO organisations (id, name, name_folded, kind, tax_code, municipality_code, address, email, phone, website, created_at, updated_at)
         VALUES {}",
        engine.values_list(inputs.len(), ORGANISATION_COLUMNS)
    );
    let folded: Vec<String> = inputs.iter().map(|input| fold(&input.name)).collect();
    let mut query = sqlx::query(&sql);
    for ((input, id), folded) in inputs.iter().zip(&ids).zip(&folded) {
        query = query
            .bind(id.as_str())
            .bind(input.name.trim())
            .bind(folded.as_str())
            .bind(input.kind.code())
            .bind(input.tax_code.as_str())
            .bind(input.municipality_code.as_deref())
            .bind(input.address.trim())
            .bind(input.email.as_ref().map(Email::as_str))
            .bind(input.phone.trim())
            .bind(input.website.trim())
            .bind(now.as_str())
            .bind(now.as_str());
    }
    query.execute(&mut **tx).await.map_err(StoreError::unique_as("tax_code"))?;
    let mut tags: Vec<(&str, String, &str)> = Vec::new();
    for (input, id) in inputs.iter().zip(&ids) {
        let mut seen = std::collections::HashSet::new();
        for tag in input.resources.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            let folded = fold(tag);
            if seen.insert(folded.clone()) {
                tags.push((id.as_str(), folded, tag));
            }
        }
    }
    for part in tags.chunks(engine.rows_per_insert(3)) {
        let sql = format!(
            "INSERT INTO organisation_tags (organisation_id, tag_folded, tag) VALUES {}",
            engine.values_list(part.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for (id, folded, tag) in part {
            query = query.bind(*id).bind(folded.as_str()).bind(*tag);
        }
        query.execute(&mut **tx).await?;
    }
    let changes = inputs
        .iter()
        .zip(&ids)
        .map(|(input, id)| Change {
            action: "create",
            entity: "organisation",
            entity_id: Some(id.as_str()),
            programme_id: programme,
            before: None,
            after: Some(input.audit_value()),
        })
        .collect();
    audit::record_many(tx, engine, actor, changes).await?;
    Ok(())
}

/// How long an uploaded file waits for confirmation before it can no longer be imported.
pub const PENDING_IMPORT_LIFETIME: time::Duration = time::Duration::hours(24);

/// An uploaded file waiting for confirmation.
pub struct PendingImport {
    pub entity: Entity,
    pub filename: String,
    pub content: Vec<u8>,
    /// Older than [`PENDING_IMPORT_LIFETIME`]: kept until the next sweep, but not importable.
    pub expired: bool,
}

impl Db {
    /// Keeps an uploaded file until its uploader confirms the import; files older than a day go.
    pub async fn save_pending_import(
        &self,
        user_id: &str,
        entity: Entity,
        filename: &str,
        content: &[u8],
    ) -> Result<String> {
        let id = new_id();
        let now = Timestamp::now();
        sqlx::query("DELETE FROM pending_imports WHERE created_at < $1")
            .bind(now.before(PENDING_IMPORT_LIFETIME).to_db())
            .execute(self.pool())
            .await?;
        sqlx::query("INSERT INTO pending_imports (id, user_id, entity, filename, content, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&id)
            .bind(user_id)
            .bind(entity.code())
            .bind(filename.chars().take(200).collect::<String>())
            .bind(content.to_vec())
            .bind(now.to_db())
            .execute(self.pool())
            .await?;
        Ok(id)
    }

    /// The pending file `id`, if it belongs to `user_id`.
    pub async fn pending_import(&self, id: &str, user_id: &str) -> Result<Option<PendingImport>> {
        let row: Option<(String, String, Vec<u8>, String)> = sqlx::query_as(
            "SELECT entity, filename, content, created_at FROM pending_imports WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        let cutoff = Timestamp::now().before(PENDING_IMPORT_LIFETIME).to_db();
        Ok(row.and_then(|(entity, filename, content, created_at)| {
            let expired = created_at < cutoff;
            Entity::parse(&entity).map(|entity| PendingImport { entity, filename, content, expired })
        }))
    }

    /// Purges the uploaded files older than [`PENDING_IMPORT_LIFETIME`]; how many went.
    pub async fn delete_expired_pending_imports(&self) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM pending_imports WHERE created_at < $1")
            .bind(Timestamp::now().before(PENDING_IMPORT_LIFETIME).to_db())
            .execute(self.pool())
            .await?
            .rows_affected())
    }
}
