//! Good practices, their review workflow and the public board of experiences (SPEC §6, decision
//! 0029).
//!
//! The search: the analyzer of `reti_domain::search` turns a practice into terms, stored in
//! `search_title`/`search_body`; SQLite indexes the published ones in the FTS5 table
//! `practice_search` (ranked by `bm25()`, title ten times the text), PostgreSQL in the generated
//! `search_vector` (ranked by `ts_rank_cd` with title weight A, text B, normalised by length).

use crate::audit::Change;
use crate::jobs::NewJob;
use crate::sql::{Conditions, Page, PageRequest};
use crate::{Actor, Db, Engine, Result, StoreError, Timestamp, Writer, new_id};
use reti_domain::practices::{PracticeInput, PracticeStatus, PracticeTexts, Transition};
use reti_domain::search::{self, Query};
use reti_domain::text::fold;
use reti_domain::{FieldError, FieldErrors};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize)]
pub struct Practice {
    pub id: String,
    pub programme_id: String,
    pub network_id: Option<String>,
    pub network_name: Option<String>,
    pub author_user_id: Option<String>,
    pub author_name: Option<String>,
    pub title: String,
    pub theme: String,
    pub action_line: Option<i64>,
    pub year: Option<i64>,
    pub texts: PracticeTexts,
    pub status: PracticeStatus,
    pub created_at: String,
    pub published_at: Option<String>,
    #[serde(skip)]
    pub search_title: String,
    #[serde(skip)]
    pub search_body: String,
}

/// A municipality a practice names.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PracticeMunicipality {
    pub istat_code: String,
    pub name: String,
    pub province_code: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PracticeComment {
    pub author_label: String,
    pub step: String,
    pub body: String,
    pub created_at: String,
}

const COLUMNS: &str =
    "SELECT p.id, p.programme_id, p.network_id, n.name AS network_name, p.author_user_id, u.name AS author_name,
    p.title, p.theme, p.action_line, p.year, p.context, p.problem, p.objectives, p.target_group, p.activities, p.actors,
    p.resources, p.results, p.innovation, p.sustainability, p.transferability, p.lessons, p.contacts, p.status,
    p.created_at, p.published_at, p.search_title, p.search_body";
const FROM: &str =
    " FROM practices p LEFT JOIN networks n ON n.id = p.network_id LEFT JOIN users u ON u.id = p.author_user_id";

fn practice_from_row(row: &AnyRow) -> Result<Practice> {
    let status: String = row.try_get("status")?;
    let text = |name: &str| -> Result<String> { Ok(row.try_get(name)?) };
    Ok(Practice {
        id: row.try_get("id")?,
        programme_id: row.try_get("programme_id")?,
        network_id: row.try_get("network_id")?,
        network_name: row.try_get("network_name")?,
        author_user_id: row.try_get("author_user_id")?,
        author_name: row.try_get("author_name")?,
        title: row.try_get("title")?,
        theme: row.try_get("theme")?,
        action_line: row.try_get("action_line")?,
        year: row.try_get("year")?,
        texts: PracticeTexts {
            context: text("context")?,
            problem: text("problem")?,
            objectives: text("objectives")?,
            target_group: text("target_group")?,
            activities: text("activities")?,
            actors: text("actors")?,
            resources: text("resources")?,
            results: text("results")?,
            innovation: text("innovation")?,
            sustainability: text("sustainability")?,
            transferability: text("transferability")?,
            lessons: text("lessons")?,
            contacts: text("contacts")?,
        },
        status: PracticeStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("practice status {status:?}")))?,
        created_at: row.try_get("created_at")?,
        published_at: row.try_get("published_at")?,
        search_title: row.try_get("search_title")?,
        search_body: row.try_get("search_body")?,
    })
}

/// The terms of the title (with the theme) and of the text, as stored and indexed.
fn terms(input: &PracticeInput) -> (String, String) {
    (search::index_text(&format!("{}\n{}", input.title, input.theme)), search::index_text(&input.texts.joined()))
}

fn audit_value(input: &PracticeInput, codes: &[String]) -> serde_json::Value {
    serde_json::json!({"title": input.title, "network_id": input.network_id, "municipalities": codes,
        "action_line": input.action_line, "theme": input.theme, "year": input.year, "texts": input.texts})
}

/// Which practices the app lists. Every filter that is set must hold.
#[derive(Debug, Clone, Default)]
pub struct PracticeFilter {
    /// Practices of these networks, or (with `programme_ids`) of these programmes.
    pub network_ids: Option<Vec<String>>,
    pub programme_ids: Option<Vec<String>>,
    pub status: Option<PracticeStatus>,
}

/// The board's filters. A filter left `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub query: Option<Query>,
    pub action_line: Option<i64>,
    pub theme: Option<String>,
    pub province_code: Option<String>,
    pub network_id: Option<String>,
    pub year: Option<i64>,
}

/// A published practice as the board lists it, with the passage its snippet is made from.
#[derive(Debug, Clone, Serialize)]
pub struct BoardItem {
    pub id: String,
    pub title: String,
    pub theme: String,
    pub action_line: Option<i64>,
    pub year: Option<i64>,
    pub network_name: Option<String>,
    /// The texts the snippet is cut from: problem, then results, then context.
    #[serde(skip)]
    pub text: String,
}

/// What the board's filters offer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BoardFacets {
    pub themes: Vec<String>,
    pub action_lines: Vec<i64>,
    pub years: Vec<i64>,
    /// (id, name)
    pub networks: Vec<(String, String)>,
    /// (code, name)
    pub provinces: Vec<(String, String)>,
}

/// One entry of an import: a checked practice with its place resolved.
#[derive(Debug, Clone)]
pub struct PracticeImport {
    pub programme_id: String,
    pub input: PracticeInput,
    pub codes: Vec<String>,
}

const BOARD_COLUMNS: &str = "SELECT p.id, p.title, p.theme, p.action_line, p.year, n.name AS network_name,
    p.problem || ' ' || p.results || ' ' || p.context AS snippet_text";

fn board_item(row: &AnyRow) -> Result<BoardItem> {
    Ok(BoardItem {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        theme: row.try_get("theme")?,
        action_line: row.try_get("action_line")?,
        year: row.try_get("year")?,
        network_name: row.try_get("network_name")?,
        text: row.try_get("snippet_text")?,
    })
}

impl BoardFilter {
    fn conditions(&self, conditions: &mut Conditions) {
        conditions.push("p.status = 'published'".into());
        if let Some(line) = self.action_line {
            let b = conditions.bind(line.to_string());
            conditions.push(format!("p.action_line = CAST({b} AS BIGINT)"));
        }
        if let Some(year) = self.year {
            let b = conditions.bind(year.to_string());
            conditions.push(format!("p.year = CAST({b} AS BIGINT)"));
        }
        if let Some(theme) = &self.theme {
            let b = conditions.bind(theme.clone());
            conditions.push(format!("p.theme = {b}"));
        }
        if let Some(network) = &self.network_id {
            let b = conditions.bind(network.clone());
            conditions.push(format!("p.network_id = {b}"));
        }
        if let Some(province) = &self.province_code {
            let b = conditions.bind(province.clone());
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM practice_municipalities pm JOIN municipalities m ON m.istat_code = pm.istat_code
                 WHERE pm.practice_id = p.id AND m.province_code = {b})"
            ));
        }
    }
}

impl Db {
    pub async fn practice(&self, id: &str) -> Result<Option<Practice>> {
        let sql = format!("{COLUMNS}{FROM} WHERE p.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(practice_from_row).transpose()
    }

    pub async fn practice_municipalities(&self, id: &str) -> Result<Vec<PracticeMunicipality>> {
        let rows = sqlx::query(
            "SELECT m.istat_code, m.name, m.province_code FROM practice_municipalities pm
             JOIN municipalities m ON m.istat_code = pm.istat_code WHERE pm.practice_id = $1 ORDER BY pm.position",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(PracticeMunicipality {
                    istat_code: row.try_get("istat_code")?,
                    name: row.try_get("name")?,
                    province_code: row.try_get("province_code")?,
                })
            })
            .collect()
    }

    pub async fn practice_comments(&self, id: &str) -> Result<Vec<PracticeComment>> {
        let rows = sqlx::query(
            "SELECT author_label, step, body, created_at FROM practice_comments WHERE practice_id = $1 ORDER BY created_at, id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(PracticeComment {
                    author_label: row.try_get("author_label")?,
                    step: row.try_get("step")?,
                    body: row.try_get("body")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// One page of practices for the app, newest first.
    pub async fn practices(&self, filter: &PracticeFilter, request: PageRequest) -> Result<Page<Practice>> {
        let mut conditions = Conditions::default();
        let mut scope = Vec::new();
        if let Some(ids) = &filter.network_ids
            && !ids.is_empty()
        {
            scope.push(format!("p.network_id IN ({})", conditions.bind_all(ids.iter().cloned())));
        }
        if let Some(ids) = &filter.programme_ids
            && !ids.is_empty()
        {
            scope.push(format!("p.programme_id IN ({})", conditions.bind_all(ids.iter().cloned())));
        }
        if filter.network_ids.is_some() || filter.programme_ids.is_some() {
            conditions.push(if scope.is_empty() { "1 = 0".into() } else { format!("({})", scope.join(" OR ")) });
        }
        if let Some(status) = filter.status {
            let b = conditions.bind(status.code());
            conditions.push(format!("p.status = {b}"));
        }
        let where_clause = conditions.where_clause();
        let total: i64 = conditions
            .query_scalar(&format!("SELECT COUNT(*) FROM practices p{where_clause}"))
            .fetch_one(self.pool())
            .await?;
        let sql = format!("{COLUMNS}{FROM}{where_clause} ORDER BY p.updated_at DESC, p.id{}", request.limit_offset());
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        let items = rows.iter().map(practice_from_row).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: request.page, per_page: request.per_page, total })
    }

    /// The ISTAT codes of municipalities typed as names or codes, each checked; the unknown ones
    /// are named.
    pub async fn resolve_municipalities(&self, typed: &[String]) -> Result<Result<Vec<String>, FieldErrors>> {
        let mut codes = Vec::new();
        let mut errors = FieldErrors::default();
        if typed.is_empty() {
            return Ok(Ok(codes));
        }
        let mut conditions = Conditions::default();
        let list = conditions.bind_all(typed.iter().cloned());
        let folded = conditions.bind_all(typed.iter().map(|t| fold(t)));
        let rows = conditions
            .query(&format!(
                "SELECT istat_code, name_folded FROM municipalities WHERE istat_code IN ({list}) OR name_folded IN ({folded})"
            ))
            .fetch_all(self.pool())
            .await?;
        let found: Vec<(String, String)> = rows
            .iter()
            .map(|row| Ok((row.try_get("istat_code")?, row.try_get("name_folded")?)))
            .collect::<Result<_>>()?;
        for name in typed {
            let folded = fold(name);
            let matches: Vec<&String> =
                found.iter().filter(|(code, n)| code == name || *n == folded).map(|(code, _)| code).collect();
            match matches.as_slice() {
                [code] => {
                    if !codes.contains(*code) {
                        codes.push((*code).clone());
                    }
                }
                [] => errors.add(
                    FieldError::new("municipalities", "error-practice-municipality-unknown").with_arg("name", name),
                ),
                _ => errors.add(
                    FieldError::new("municipalities", "error-practice-municipality-ambiguous").with_arg("name", name),
                ),
            }
        }
        Ok(if errors.is_empty() { Ok(codes) } else { Err(errors) })
    }

    /// The e-mail addresses of a programme's coordinators, for the workflow's notices.
    pub async fn programme_coordinator_emails(&self, programme_id: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT u.email FROM role_assignments r JOIN users u ON u.id = r.user_id
             WHERE r.programme_id = $1 AND r.role = 'coordinator' ORDER BY u.email",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn user_email(&self, user_id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// A new draft of `programme_id`, written by `author_user_id`.
    pub async fn create_practice(
        &self,
        actor: &Actor,
        programme_id: &str,
        author_user_id: Option<&str>,
        input: &PracticeInput,
        codes: &[String],
    ) -> Result<Practice> {
        let id = new_id();
        self.write(actor, async |w| {
            insert_practice(w, &id, programme_id, author_user_id, input, codes, PracticeStatus::Draft).await?;
            w.audit(Change {
                action: "create",
                entity: "practice",
                entity_id: Some(&id),
                programme_id: Some(programme_id),
                before: None,
                after: Some(audit_value(input, codes)),
            })
            .await
        })
        .await?;
        self.practice(&id).await?.ok_or(StoreError::NotFound)
    }

    /// Changes a practice its authors may still change (a draft or a returned one).
    pub async fn update_practice(
        &self,
        actor: &Actor,
        id: &str,
        input: &PracticeInput,
        codes: &[String],
    ) -> Result<Practice> {
        let before = self.practice(id).await?.ok_or(StoreError::NotFound)?;
        if !before.status.editable() {
            return Err(StoreError::Invalid(FieldError::new("status", "error-practice-not-editable").into()));
        }
        let (title_terms, body_terms) = terms(input);
        let t = &input.texts;
        self.write(actor, async |w| {
            sqlx::query(
                "UPDATE practices SET title = $1, network_id = $2, action_line = $3, theme = $4, year = $5, context = $6,
                 problem = $7, objectives = $8, target_group = $9, activities = $10, actors = $11, resources = $12,
                 results = $13, innovation = $14, sustainability = $15, transferability = $16, lessons = $17,
                 contacts = $18, search_title = $19, search_body = $20, updated_at = $21 WHERE id = $22",
            )
            .bind(&input.title)
            .bind(input.network_id.as_deref())
            .bind(input.action_line)
            .bind(&input.theme)
            .bind(input.year.map(i64::from))
            .bind(&t.context)
            .bind(&t.problem)
            .bind(&t.objectives)
            .bind(&t.target_group)
            .bind(&t.activities)
            .bind(&t.actors)
            .bind(&t.resources)
            .bind(&t.results)
            .bind(&t.innovation)
            .bind(&t.sustainability)
            .bind(&t.transferability)
            .bind(&t.lessons)
            .bind(&t.contacts)
            .bind(&title_terms)
            .bind(&body_terms)
            .bind(Timestamp::now().to_db())
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
            sqlx::query("DELETE FROM practice_municipalities WHERE practice_id = $1").bind(id).execute(&mut *w.tx).await?;
            insert_municipalities(w, id, codes).await?;
            w.audit(Change {
                action: "update",
                entity: "practice",
                entity_id: Some(id),
                programme_id: Some(&before.programme_id),
                before: Some(serde_json::json!({"title": before.title, "texts": before.texts})),
                after: Some(audit_value(input, codes)),
            })
            .await
        })
        .await?;
        self.practice(id).await?.ok_or(StoreError::NotFound)
    }

    /// Takes one step of the workflow, with its comment (a return's reason), its audit entry and
    /// the `notices` that announce it, all or nothing. A submission of an incomplete practice is
    /// refused with every missing field named.
    pub async fn transition_practice(
        &self,
        actor: &Actor,
        id: &str,
        transition: Transition,
        comment: &str,
        notices: &[NewJob],
    ) -> Result<Practice> {
        let before = self.practice(id).await?.ok_or(StoreError::NotFound)?;
        let to = transition.apply(before.status).map_err(|e| StoreError::Invalid(e.into()))?;
        if transition == Transition::Submit {
            let missing = as_input(&before).missing_for_submission();
            if !missing.is_empty() {
                return Err(missing.into());
            }
        }
        let engine = self.engine;
        self.write(actor, async |w| {
            let now = Timestamp::now().to_db();
            let published_at = (to == PracticeStatus::Published).then_some(now.clone());
            sqlx::query(
                "UPDATE practices SET status = $1, updated_at = $2, published_at = COALESCE($3, published_at) WHERE id = $4 AND status = $5",
            )
            .bind(to.code())
            .bind(&now)
            .bind(published_at.as_deref())
            .bind(id)
            .bind(before.status.code())
            .execute(&mut *w.tx)
            .await?;
            if to == PracticeStatus::Published && engine == Engine::Sqlite {
                index_sqlite(w, id, &before.search_title, &before.search_body).await?;
            }
            if !comment.is_empty() {
                insert_comment(w, id, transition.code(), comment).await?;
            }
            for notice in notices {
                w.enqueue(notice).await?;
            }
            w.audit(Change {
                action: transition.code(),
                entity: "practice",
                entity_id: Some(id),
                programme_id: Some(&before.programme_id),
                before: Some(serde_json::json!({"status": before.status.code()})),
                after: Some(serde_json::json!({"status": to.code(), "comment": comment})),
            })
            .await
        })
        .await?;
        self.practice(id).await?.ok_or(StoreError::NotFound)
    }

    /// A reviewer's comment on a practice under review.
    pub async fn comment_practice(&self, actor: &Actor, id: &str, comment: &str, notices: &[NewJob]) -> Result<()> {
        let practice = self.practice(id).await?.ok_or(StoreError::NotFound)?;
        if !matches!(practice.status, PracticeStatus::Submitted | PracticeStatus::InReview) {
            return Err(StoreError::Invalid(FieldError::new("comment", "error-practice-not-in-review").into()));
        }
        self.write(actor, async |w| {
            insert_comment(w, id, "comment", comment).await?;
            for notice in notices {
                w.enqueue(notice).await?;
            }
            w.audit(Change {
                action: "comment",
                entity: "practice",
                entity_id: Some(id),
                programme_id: Some(&practice.programme_id),
                before: None,
                after: Some(serde_json::json!({"comment": comment})),
            })
            .await
        })
        .await
    }

    /// Writes every entry of an import, or none: `publish` puts them on the board at once. One
    /// audit entry, a migration, records the whole import.
    pub async fn import_practices(
        &self,
        actor: &Actor,
        entries: &[PracticeImport],
        publish: bool,
    ) -> Result<Vec<String>> {
        let engine = self.engine;
        let status = if publish { PracticeStatus::Published } else { PracticeStatus::Draft };
        let ids: Vec<String> = entries.iter().map(|_| new_id()).collect();
        self.write(actor, async |w| {
            for (entry, id) in entries.iter().zip(&ids) {
                insert_practice(w, id, &entry.programme_id, None, &entry.input, &entry.codes, status).await?;
                if publish && engine == Engine::Sqlite {
                    let (title_terms, body_terms) = terms(&entry.input);
                    index_sqlite(w, id, &title_terms, &body_terms).await?;
                }
            }
            let programme = entries.first().map(|e| e.programme_id.as_str());
            w.audit(Change {
                action: "migrate",
                entity: "practice",
                entity_id: None,
                programme_id: programme,
                before: None,
                after: Some(serde_json::json!({"imported": ids.len(), "published": publish, "ids": ids})),
            })
            .await
        })
        .await?;
        Ok(ids)
    }

    /// One page of the board: ranked by relevance when there is a query, newest first otherwise.
    pub async fn board(&self, filter: &BoardFilter, request: PageRequest) -> Result<Page<BoardItem>> {
        let mut conditions = Conditions::default();
        let (from, order) = match (&filter.query, self.engine) {
            (None, _) => (
                " FROM practices p LEFT JOIN networks n ON n.id = p.network_id".to_owned(),
                "p.published_at DESC, p.id".to_owned(),
            ),
            (Some(query), Engine::Sqlite) => {
                let b = conditions.bind(query.fts5_all());
                conditions.push(format!("practice_search MATCH {b}"));
                (
                    " FROM practice_search s JOIN practices p ON p.id = s.practice_id LEFT JOIN networks n ON n.id = p.network_id"
                        .to_owned(),
                    "bm25(practice_search, 0.0, 10.0, 1.0), p.id".to_owned(),
                )
            }
            (Some(query), Engine::Postgres) => {
                let b = conditions.bind(query.tsquery_all());
                conditions.push(format!("p.search_vector @@ to_tsquery('simple', {b})"));
                (
                    " FROM practices p LEFT JOIN networks n ON n.id = p.network_id".to_owned(),
                    format!(
                        "ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', p.search_vector, to_tsquery('simple', {b}), 1) DESC, p.id"
                    ),
                )
            }
        };
        filter.conditions(&mut conditions);
        let where_clause = conditions.where_clause();
        let total: i64 =
            conditions.query_scalar(&format!("SELECT COUNT(*){from}{where_clause}")).fetch_one(self.pool()).await?;
        let sql = format!("{BOARD_COLUMNS}{from}{where_clause} ORDER BY {order}{}", request.limit_offset());
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        let items = rows.iter().map(board_item).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: request.page, per_page: request.per_page, total })
    }

    /// Published practices most like `practice`: those sharing its most telling terms, best first.
    pub async fn board_like_this(&self, practice: &Practice, limit: u32) -> Result<Vec<BoardItem>> {
        let Some(query) = search::like_this(&practice.search_title, &practice.search_body) else {
            return Ok(Vec::new());
        };
        let sql = match self.engine {
            Engine::Sqlite => format!(
                "{BOARD_COLUMNS} FROM practice_search s JOIN practices p ON p.id = s.practice_id LEFT JOIN networks n ON n.id = p.network_id
                 WHERE practice_search MATCH $1 AND p.id <> $2 AND p.status = 'published'
                 ORDER BY bm25(practice_search, 0.0, 10.0, 1.0), p.id LIMIT {limit}"
            ),
            Engine::Postgres => format!(
                "{BOARD_COLUMNS} FROM practices p LEFT JOIN networks n ON n.id = p.network_id
                 WHERE p.search_vector @@ to_tsquery('simple', $1) AND p.id <> $2 AND p.status = 'published'
                 ORDER BY ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', p.search_vector, to_tsquery('simple', $1), 1) DESC, p.id LIMIT {limit}"
            ),
        };
        let terms = match self.engine {
            Engine::Sqlite => query.fts5_any(),
            Engine::Postgres => query.tsquery_any(),
        };
        let rows = sqlx::query(&sql).bind(terms).bind(&practice.id).fetch_all(self.pool()).await?;
        rows.iter().map(board_item).collect()
    }

    /// The values the board's filters offer, from the published practices.
    pub async fn board_facets(&self) -> Result<BoardFacets> {
        let themes = sqlx::query_scalar(
            "SELECT DISTINCT theme FROM practices WHERE status = 'published' AND theme <> '' ORDER BY theme",
        )
        .fetch_all(self.pool())
        .await?;
        let action_lines = sqlx::query_scalar(
            "SELECT DISTINCT action_line FROM practices WHERE status = 'published' AND action_line IS NOT NULL ORDER BY action_line",
        )
        .fetch_all(self.pool())
        .await?;
        let years = sqlx::query_scalar(
            "SELECT DISTINCT year FROM practices WHERE status = 'published' AND year IS NOT NULL ORDER BY year DESC",
        )
        .fetch_all(self.pool())
        .await?;
        let pairs = |rows: Vec<AnyRow>| -> Result<Vec<(String, String)>> {
            rows.iter().map(|row| Ok((row.try_get("k")?, row.try_get("v")?))).collect()
        };
        let networks = pairs(
            sqlx::query(
                "SELECT n.id AS k, n.name AS v FROM networks n WHERE EXISTS
                 (SELECT 1 FROM practices p WHERE p.network_id = n.id AND p.status = 'published') ORDER BY n.name, n.id",
            )
            .fetch_all(self.pool())
            .await?,
        )?;
        let provinces = pairs(
            sqlx::query(
                "SELECT DISTINCT m.province_code AS k, m.province AS v FROM practice_municipalities pm
                 JOIN municipalities m ON m.istat_code = pm.istat_code JOIN practices p ON p.id = pm.practice_id
                 WHERE p.status = 'published' ORDER BY v, k",
            )
            .fetch_all(self.pool())
            .await?,
        )?;
        Ok(BoardFacets { themes, action_lines, years, networks, provinces })
    }
}

/// The stored practice as an input again, to check it whole at submission.
fn as_input(practice: &Practice) -> PracticeInput {
    PracticeInput {
        title: practice.title.clone(),
        network_id: practice.network_id.clone(),
        municipalities: Vec::new(),
        action_line: practice.action_line,
        theme: practice.theme.clone(),
        year: practice.year.and_then(|y| i32::try_from(y).ok()),
        texts: practice.texts.clone(),
    }
}

async fn insert_practice(
    w: &mut Writer<'_>,
    id: &str,
    programme_id: &str,
    author_user_id: Option<&str>,
    input: &PracticeInput,
    codes: &[String],
    status: PracticeStatus,
) -> Result<()> {
    let (title_terms, body_terms) = terms(input);
    let now = Timestamp::now().to_db();
    let published_at = (status == PracticeStatus::Published).then_some(now.clone());
    let t = &input.texts;
    sqlx::query(
        "INSERT INTO practices (id, programme_id, network_id, author_user_id, title, theme, action_line, year, context,
         problem, objectives, target_group, activities, actors, resources, results, innovation, sustainability,
         transferability, lessons, contacts, status, search_title, search_body, created_at, updated_at, published_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
         $23, $24, $25, $25, $26)",
    )
    .bind(id)
    .bind(programme_id)
    .bind(input.network_id.as_deref())
    .bind(author_user_id)
    .bind(&input.title)
    .bind(&input.theme)
    .bind(input.action_line)
    .bind(input.year.map(i64::from))
    .bind(&t.context)
    .bind(&t.problem)
    .bind(&t.objectives)
    .bind(&t.target_group)
    .bind(&t.activities)
    .bind(&t.actors)
    .bind(&t.resources)
    .bind(&t.results)
    .bind(&t.innovation)
    .bind(&t.sustainability)
    .bind(&t.transferability)
    .bind(&t.lessons)
    .bind(&t.contacts)
    .bind(status.code())
    .bind(&title_terms)
    .bind(&body_terms)
    .bind(&now)
    .bind(published_at.as_deref())
    .execute(&mut *w.tx)
    .await
    .map_err(StoreError::missing_reference_as("network_id", "error-practice-network-unknown"))?;
    insert_municipalities(w, id, codes).await
}

async fn insert_municipalities(w: &mut Writer<'_>, id: &str, codes: &[String]) -> Result<()> {
    for (position, code) in codes.iter().enumerate() {
        sqlx::query("INSERT INTO practice_municipalities (practice_id, istat_code, position) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(code)
            .bind(position as i64)
            .execute(&mut *w.tx)
            .await?;
    }
    Ok(())
}

async fn insert_comment(w: &mut Writer<'_>, id: &str, step: &str, body: &str) -> Result<()> {
    let (label, user_id) = (w.actor().label.clone(), w.actor().user_id.clone());
    sqlx::query(
        "INSERT INTO practice_comments (id, practice_id, author_user_id, author_label, step, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(id)
    .bind(user_id)
    .bind(&label)
    .bind(step)
    .bind(body)
    .bind(Timestamp::now().to_db())
    .execute(&mut *w.tx)
    .await?;
    Ok(())
}

/// Adds a published practice to the SQLite full-text table.
async fn index_sqlite(w: &mut Writer<'_>, id: &str, title_terms: &str, body_terms: &str) -> Result<()> {
    sqlx::query("INSERT INTO practice_search (practice_id, title, body) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(title_terms)
        .bind(body_terms)
        .execute(&mut *w.tx)
        .await?;
    Ok(())
}

impl Db {
    /// The networks `key` names, by id or by name (accents and case folded): (id, programme id).
    pub async fn networks_matching(&self, key: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT id, programme_id FROM networks WHERE id = $1 OR name_folded = $2 ORDER BY id")
            .bind(key)
            .bind(fold(key))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|row| Ok((row.try_get("id")?, row.try_get("programme_id")?))).collect()
    }

    /// The programme, when the installation has exactly one.
    pub async fn only_programme(&self) -> Result<Option<String>> {
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM programmes ORDER BY id LIMIT 2").fetch_all(self.pool()).await?;
        Ok(if ids.len() == 1 { ids.into_iter().next() } else { None })
    }

    /// Checks the records of an import file against the registry: each entry's network (name or
    /// id) and municipalities, and, when they go straight to the board, the whole template. Every
    /// problem is named `practices[index].field`.
    pub async fn prepare_practice_import(
        &self,
        records: &[reti_domain::practices::PracticeRecord],
        publish: bool,
    ) -> Result<Result<Vec<PracticeImport>, FieldErrors>> {
        let mut errors = FieldErrors::default();
        let mut entries = Vec::with_capacity(records.len());
        let mut networks: std::collections::HashMap<String, Vec<(String, String)>> = std::collections::HashMap::new();
        let only_programme = self.only_programme().await?;
        for (index, record) in records.iter().enumerate() {
            let mut entry_errors = FieldErrors::default();
            let mut place = None;
            match &record.network {
                Some(key) => {
                    if !networks.contains_key(key) {
                        let found = self.networks_matching(key).await?;
                        networks.insert(key.clone(), found);
                    }
                    match networks[key].as_slice() {
                        [(id, programme)] => place = Some((Some(id.clone()), programme.clone())),
                        [] => entry_errors.push("network", "error-practice-network-unknown"),
                        _ => entry_errors.push("network", "error-practice-network-ambiguous"),
                    }
                }
                None => match &only_programme {
                    Some(programme) => place = Some((None, programme.clone())),
                    None => entry_errors.push("network", "error-practice-programme-ambiguous"),
                },
            }
            let mut raw = record.to_raw();
            raw.network_id = place.as_ref().and_then(|(id, _)| id.clone()).unwrap_or_default();
            match PracticeInput::parse(&raw) {
                Ok(input) => {
                    if publish {
                        entry_errors.0.extend(input.missing_for_submission().0);
                    }
                    match self.resolve_municipalities(&input.municipalities).await? {
                        Ok(codes) => {
                            if let (Some((_, programme_id)), true) = (place, entry_errors.is_empty()) {
                                entries.push(PracticeImport { programme_id, input, codes });
                            }
                        }
                        Err(found) => entry_errors.0.extend(found.0),
                    }
                }
                Err(found) => entry_errors.0.extend(found.0),
            }
            errors.0.extend(entry_errors.nested("practices", index).0);
        }
        Ok(if errors.is_empty() { Ok(entries) } else { Err(errors) })
    }

    /// The practices `filter` selects with their municipalities' ISTAT codes, for the exports:
    /// two statements whatever their number.
    pub async fn practices_export(&self, filter: &PracticeFilter) -> Result<Vec<(Practice, Vec<String>)>> {
        let page = self.practices(filter, PageRequest::all()).await?;
        let mut codes: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        let rows =
            sqlx::query("SELECT practice_id, istat_code FROM practice_municipalities ORDER BY practice_id, position")
                .fetch_all(self.pool())
                .await?;
        for row in &rows {
            codes.entry(row.try_get("practice_id")?).or_default().push(row.try_get("istat_code")?);
        }
        Ok(page
            .items
            .into_iter()
            .map(|p| {
                let list = codes.remove(&p.id).unwrap_or_default();
                (p, list)
            })
            .collect())
    }
}

/// A stored practice in the shape of the import file.
pub fn record_of(practice: &Practice, codes: Vec<String>) -> reti_domain::practices::PracticeRecord {
    let t = practice.texts.clone();
    reti_domain::practices::PracticeRecord {
        title: practice.title.clone(),
        network: practice.network_name.clone(),
        municipalities: codes,
        action_line: practice.action_line,
        theme: practice.theme.clone(),
        year: practice.year,
        context: t.context,
        problem: t.problem,
        objectives: t.objectives,
        target_group: t.target_group,
        activities: t.activities,
        actors: t.actors,
        resources: t.resources,
        results: t.results,
        innovation: t.innovation,
        sustainability: t.sustainability,
        transferability: t.transferability,
        lessons: t.lessons,
        contacts: t.contacts,
    }
}

/// The columns of the CSV and XLSX exports: the import file's fields.
pub const EXPORT_COLUMNS: &[crate::registry::export::ExportColumn] = &[
    crate::registry::export::ExportColumn { field: "title", header: "Titolo" },
    crate::registry::export::ExportColumn { field: "network", header: "Rete" },
    crate::registry::export::ExportColumn { field: "municipalities", header: "Comuni (ISTAT)" },
    crate::registry::export::ExportColumn { field: "action_line", header: "Linea d'azione" },
    crate::registry::export::ExportColumn { field: "theme", header: "Tema" },
    crate::registry::export::ExportColumn { field: "year", header: "Anno" },
    crate::registry::export::ExportColumn { field: "status", header: "Stato" },
    crate::registry::export::ExportColumn { field: "context", header: "Contesto" },
    crate::registry::export::ExportColumn { field: "problem", header: "Problema" },
    crate::registry::export::ExportColumn { field: "objectives", header: "Obiettivi" },
    crate::registry::export::ExportColumn { field: "target_group", header: "Destinatari" },
    crate::registry::export::ExportColumn { field: "activities", header: "Attività" },
    crate::registry::export::ExportColumn { field: "actors", header: "Attori coinvolti" },
    crate::registry::export::ExportColumn { field: "resources", header: "Risorse e costi" },
    crate::registry::export::ExportColumn { field: "results", header: "Risultati" },
    crate::registry::export::ExportColumn { field: "innovation", header: "Innovatività" },
    crate::registry::export::ExportColumn { field: "sustainability", header: "Sostenibilità" },
    crate::registry::export::ExportColumn { field: "transferability", header: "Trasferibilità" },
    crate::registry::export::ExportColumn { field: "lessons", header: "Lezioni apprese" },
    crate::registry::export::ExportColumn { field: "contacts", header: "Contatti" },
];

/// The practices as rows of [`EXPORT_COLUMNS`].
pub fn export_table(practices: Vec<(Practice, Vec<String>)>) -> crate::registry::export::ExportTable {
    let rows = practices
        .into_iter()
        .map(|(p, codes)| {
            let mut row = vec![
                p.title.clone(),
                p.network_name.clone().unwrap_or_default(),
                codes.join(", "),
                p.action_line.map(|n| n.to_string()).unwrap_or_default(),
                p.theme.clone(),
                p.year.map(|n| n.to_string()).unwrap_or_default(),
                p.status.code().to_owned(),
            ];
            row.extend(p.texts.fields().iter().map(|(_, text)| (*text).to_owned()));
            row
        })
        .collect();
    crate::registry::export::ExportTable { columns: EXPORT_COLUMNS, rows }
}
