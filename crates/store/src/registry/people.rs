//! People and their affiliations to organisations. Only the people who take part in the programme's
//! work are recorded here; the people the programme serves are never named (SPEC §2, §9).

use super::AuditValue;
use super::scope::{Scope, audit_programme, person_audit_programme};
use crate::audit::{self, Change};
use crate::sql::{Conditions, Page, PageRequest, contains_pattern, read_json_page};
use crate::{Actor, Db, Engine, Result, StoreError, Timestamp, Tx, new_id};
use reti_domain::Email;
use reti_domain::text::fold;
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct Affiliation {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub position: String,
    pub ended: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: String,
    /// The person's own codice fiscale, when an import gave it.
    pub tax_code: Option<String>,
    pub archived: bool,
    pub affiliations: Vec<Affiliation>,
}

/// Someone who works for a member of a network.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct NetworkPerson {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub organisation_name: String,
}

/// What a form, an API call or an import row says of a person, validated in the domain.
pub use reti_domain::input::PersonInput;

#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub query: Option<String>,
    pub organisation_id: Option<String>,
    pub include_archived: bool,
    /// Only people within this scope (`None`: everyone, for callers that checked access already).
    pub scope: Option<Scope>,
}

impl AuditValue for PersonInput {
    fn audit_value(&self) -> serde_json::Value {
        serde_json::json!({"name": self.name.as_str(), "email": self.email.as_ref().map(Email::as_str), "phone": self.phone})
    }
}

/// The columns of a person `p`, with their affiliations (oldest first) as one JSON array in the
/// person's row rather than as rows of their own. The organisation's name is looked up by its key
/// for each affiliation: as a join, PostgreSQL may hash the whole organisations table once per
/// person of the page (10 ms for the demo's 25 people).
fn columns(engine: Engine) -> String {
    let affiliations = engine.json_rows(
        "a.id, a.organisation_id, (SELECT o.name FROM organisations o WHERE o.id = a.organisation_id), a.position, a.ended_at",
        "a.created_at, a.id",
        "FROM affiliations a WHERE a.person_id = p.id",
    );
    format!("p.id, p.name, p.email, p.phone, p.tax_code, p.archived_at, {affiliations} AS affiliations")
}

/// An affiliation as [`columns`] reads it: id, organisation id and name, position, end.
type AffiliationColumns = (String, String, String, String, Option<String>);

/// The columns [`columns`] reads, by name: from a row, or from one object of a page read as JSON.
#[derive(serde::Deserialize)]
struct Columns {
    id: String,
    name: String,
    email: Option<String>,
    phone: String,
    tax_code: Option<String>,
    archived_at: Option<String>,
    affiliations: Vec<AffiliationColumns>,
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Person> {
    let affiliations: String = row.try_get("affiliations")?;
    Ok(person_of(Columns {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        tax_code: row.try_get("tax_code")?,
        archived_at: row.try_get("archived_at")?,
        affiliations: serde_json::from_str(&affiliations)
            .map_err(|e| StoreError::Corrupt(format!("affiliations: {e}")))?,
    }))
}

fn person_of(columns: Columns) -> Person {
    Person {
        id: columns.id,
        name: columns.name,
        email: columns.email,
        phone: columns.phone,
        tax_code: columns.tax_code,
        archived: columns.archived_at.is_some(),
        affiliations: columns
            .affiliations
            .into_iter()
            .map(|(id, organisation_id, organisation_name, position, ended_at)| Affiliation {
                id,
                organisation_id,
                organisation_name,
                position,
                ended: ended_at.is_some(),
            })
            .collect(),
    }
}

impl Db {
    pub async fn create_person(&self, actor: &Actor, input: &PersonInput) -> Result<Person> {
        self.create_person_with_affiliations(actor, input, &[]).await
    }

    /// Creates the person and affiliates them to each `(organisation id, position)`, all or nothing.
    pub async fn create_person_with_affiliations(
        &self,
        actor: &Actor,
        input: &PersonInput,
        affiliations: &[(String, String)],
    ) -> Result<Person> {
        let id = self
            .write(actor, async |w| {
                let id = insert_person(&mut w.tx, w.actor, input).await?;
                for (organisation_id, position) in affiliations {
                    affiliate(&mut w.tx, w.actor, &id, organisation_id, position).await?;
                }
                Ok::<_, StoreError>(id)
            })
            .await?;
        self.person(&id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn update_person(&self, actor: &Actor, id: &str, input: &PersonInput) -> Result<Person> {
        self.update_person_with_affiliations(actor, id, input, &[]).await
    }

    /// Updates the person and affiliates them to each `(organisation id, position)`, all or nothing.
    pub async fn update_person_with_affiliations(
        &self,
        actor: &Actor,
        id: &str,
        input: &PersonInput,
        affiliations: &[(String, String)],
    ) -> Result<Person> {
        let before = self.person(id).await?.ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            update_person_in(&mut w.tx, w.actor, &before, input).await?;
            for (organisation_id, position) in affiliations {
                affiliate(&mut w.tx, w.actor, id, organisation_id, position).await?;
            }
            Ok::<_, StoreError>(())
        })
        .await?;
        self.person(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn set_person_archived(&self, actor: &Actor, id: &str, archived: bool) -> Result<()> {
        let mut connection = self.pool().acquire().await?;
        let programme = person_audit_programme(&mut connection, actor, id).await?;
        drop(connection);
        super::set_archived(self, actor, "people", "person", id, programme.as_deref(), archived).await
    }

    pub async fn person(&self, id: &str) -> Result<Option<Person>> {
        let sql = format!("SELECT {} FROM people p WHERE p.id = $1", columns(self.engine()));
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn person_by_email(&self, email: &str) -> Result<Option<Person>> {
        let id: Option<String> = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(self.pool())
            .await?;
        match id {
            Some(id) => self.person(&id).await,
            None => Ok(None),
        }
    }

    pub async fn list_people(&self, filter: &PersonFilter, page: PageRequest) -> Result<Page<Person>> {
        let mut conditions = Conditions::default();
        if !filter.include_archived {
            conditions.push("p.archived_at IS NULL".into());
        }
        if let Some(query) = filter.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let name = conditions.bind(contains_pattern(&fold(query)));
            let email = conditions.bind(contains_pattern(&query.to_lowercase()));
            conditions.push(format!("(p.name_folded LIKE {name} ESCAPE '\\' OR p.email LIKE {email} ESCAPE '\\')"));
        }
        if let Some(organisation) = filter.organisation_id.as_deref().filter(|o| !o.is_empty()) {
            let organisation = conditions.bind(organisation);
            conditions.push(format!(
                "p.id IN (SELECT person_id FROM affiliations WHERE organisation_id = {organisation} AND ended_at IS NULL)"
            ));
        }
        if let Some(people) = filter.scope.as_ref().and_then(|scope| scope.people_set(&mut conditions)) {
            // Read once for the page and its count (8,000 people for a coordinator at EU scale).
            let people = conditions.set("scope_people", "person_id", &people);
            conditions.push(format!("p.id IN (SELECT person_id FROM {people})"));
        }
        let where_clause = conditions.where_clause();
        let from_where = format!("FROM people p{where_clause}");
        let engine = self.engine();
        // The page's people are chosen by key first, and only those 25 read whole: otherwise each
        // person in scope has their affiliations read before the sort keeps 25 of them.
        let list = format!(
            "SELECT {}, p.name_folded FROM (SELECT p.id {from_where} ORDER BY p.name_folded, p.id{}) chosen
             JOIN people p ON p.id = chosen.id",
            columns(engine),
            page.limit_offset()
        );
        let item =
            engine.json_page_item(&["id", "name", "email", "phone", "tax_code", "archived_at"], &["affiliations"]);
        let items = engine.json_page_items(&item, "page.name_folded, page.id", &list);
        let (rows, total) =
            read_json_page::<Columns>(self, &conditions, &items, &format!("SELECT COUNT(*) {from_where}")).await?;
        let items = rows.into_iter().map(person_of).collect();
        Ok(Page { items, page: page.page, per_page: page.per_page, total })
    }

    /// The people currently working for the current members of a network, in the order of its
    /// memberships (lead first), with the organisation they work for: one query for the network.
    pub async fn network_people(&self, network_id: &str) -> Result<Vec<NetworkPerson>> {
        Ok(sqlx::query_as(
            "SELECT p.id, p.name, p.email, o.name AS organisation_name
             FROM memberships ms
             JOIN organisations o ON o.id = ms.organisation_id
             JOIN affiliations a ON a.organisation_id = ms.organisation_id AND a.ended_at IS NULL
             JOIN people p ON p.id = a.person_id AND p.archived_at IS NULL
             WHERE ms.network_id = $1 AND ms.left_on IS NULL
             ORDER BY CASE ms.role WHEN 'lead' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END, o.name_folded, ms.id, p.name_folded, p.id",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Records that the person works for the organisation (a current affiliation is not repeated).
    pub async fn add_affiliation(
        &self,
        actor: &Actor,
        person_id: &str,
        organisation_id: &str,
        position: &str,
    ) -> Result<()> {
        self.write(actor, async |w| affiliate(&mut w.tx, w.actor, person_id, organisation_id, position).await).await
    }

    /// Ends an affiliation; it stays in the person's history.
    pub async fn end_affiliation(&self, actor: &Actor, person_id: &str, affiliation_id: &str) -> Result<()> {
        self.write(actor, async |w| {
            let changed = sqlx::query(
                "UPDATE affiliations SET ended_at = $1 WHERE id = $2 AND person_id = $3 AND ended_at IS NULL",
            )
            .bind(Timestamp::now().to_db())
            .bind(affiliation_id)
            .bind(person_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            let organisation: String = sqlx::query_scalar("SELECT organisation_id FROM affiliations WHERE id = $1")
                .bind(affiliation_id)
                .fetch_one(&mut *w.tx)
                .await?;
            let programme = audit_programme(&mut w.tx, w.actor, &[organisation]).await?;
            w.audit(Change {
                action: "end",
                entity: "affiliation",
                entity_id: Some(affiliation_id),
                programme_id: programme.as_deref(),
                before: None,
                after: None,
            })
            .await
        })
        .await
    }
}

/// The person matching `condition` (on one bound value), read inside the import's transaction so
/// that rows written earlier in the same file count. The import needs no affiliations: they come
/// empty.
pub(crate) async fn person_where_in(tx: &mut Tx, condition: &'static str, value: &str) -> Result<Option<Person>> {
    let sql = format!(
        "SELECT id, name, email, phone, tax_code, archived_at, '[]' AS affiliations FROM people WHERE {condition}"
    );
    let row = sqlx::query(&sql).bind(value).fetch_optional(&mut **tx).await?;
    row.as_ref().map(from_row).transpose()
}

/// The people of that name (compared folded) currently affiliated to the organisation, without
/// their affiliations.
pub(crate) async fn people_named_in(tx: &mut Tx, name: &str, organisation_id: &str) -> Result<Vec<Person>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.email, p.phone, p.tax_code, p.archived_at, '[]' AS affiliations FROM people p
         WHERE p.name_folded = $1 AND p.archived_at IS NULL AND p.id IN
         (SELECT person_id FROM affiliations WHERE organisation_id = $2 AND ended_at IS NULL) ORDER BY p.id",
    )
    .bind(fold(name))
    .bind(organisation_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Records the person's own tax code (the caller checks nobody else has it).
pub(crate) async fn set_person_tax_code(tx: &mut Tx, person_id: &str, tax_code: &str) -> Result<()> {
    sqlx::query("UPDATE people SET tax_code = $1 WHERE id = $2")
        .bind(tax_code)
        .bind(person_id)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::unique_as("tax_code"))?;
    Ok(())
}

pub(crate) async fn insert_person(tx: &mut Tx, actor: &Actor, input: &PersonInput) -> Result<String> {
    let id = new_id();
    let now = Timestamp::now().to_db();
    sqlx::query("INSERT INTO people (id, name, name_folded, email, phone, created_by_user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
        .bind(&id)
        .bind(input.name.as_str())
        .bind(fold(input.name.as_str()))
        .bind(input.email.as_ref().map(Email::as_str))
        .bind(input.phone.trim())
        .bind(actor.user_id.as_deref())
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::unique_as("email"))?;
    let programme = audit_programme(tx, actor, &[]).await?;
    audit::record(
        tx,
        actor,
        Change {
            action: "create",
            entity: "person",
            entity_id: Some(&id),
            programme_id: programme.as_deref(),
            before: None,
            after: Some(input.audit_value()),
        },
    )
    .await?;
    Ok(id)
}

pub(crate) async fn update_person_in(tx: &mut Tx, actor: &Actor, before: &Person, input: &PersonInput) -> Result<()> {
    sqlx::query("UPDATE people SET name = $1, name_folded = $2, email = $3, phone = $4, updated_at = $5 WHERE id = $6")
        .bind(input.name.as_str())
        .bind(fold(input.name.as_str()))
        .bind(input.email.as_ref().map(Email::as_str))
        .bind(input.phone.trim())
        .bind(Timestamp::now().to_db())
        .bind(&before.id)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::unique_as("email"))?;
    let programme = person_audit_programme(tx, actor, &before.id).await?;
    audit::record(
        tx,
        actor,
        Change {
            action: "update",
            entity: "person",
            entity_id: Some(&before.id),
            programme_id: programme.as_deref(),
            before: Some(serde_json::json!({"name": before.name, "email": before.email, "phone": before.phone})),
            after: Some(input.audit_value()),
        },
    )
    .await
}

pub(crate) async fn affiliate(
    tx: &mut Tx,
    actor: &Actor,
    person_id: &str,
    organisation_id: &str,
    position: &str,
) -> Result<()> {
    let current: Option<String> = sqlx::query_scalar(
        "SELECT id FROM affiliations WHERE person_id = $1 AND organisation_id = $2 AND ended_at IS NULL",
    )
    .bind(person_id)
    .bind(organisation_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = current {
        sqlx::query("UPDATE affiliations SET position = $1 WHERE id = $2")
            .bind(position.trim())
            .bind(&id)
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO affiliations (id, person_id, organisation_id, position, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(person_id)
    .bind(organisation_id)
    .bind(position.trim())
    .bind(Timestamp::now().to_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::missing_reference_as("organisation_id", "error-organisation-unknown"))?;
    let programme = audit_programme(tx, actor, &[organisation_id.to_owned()]).await?;
    audit::record(
        tx,
        actor,
        Change {
            action: "create",
            entity: "affiliation",
            entity_id: Some(&id),
            programme_id: programme.as_deref(),
            before: None,
            after: Some(
                serde_json::json!({"person_id": person_id, "organisation_id": organisation_id, "position": position}),
            ),
        },
    )
    .await
}
