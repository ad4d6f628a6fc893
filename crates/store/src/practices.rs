//! Good practices, their review workflow and the public board of experiences (SPEC §6, decision
//! 0029).
//!
//! The search: the analyzer of `reti_domain::search` turns a practice into terms, stored in
//! `search_title`/`search_body`; a published practice's terms go into `practice_terms` with their
//! BM25 weight, indexed best first, so that both engines read only the top of a ranking
//! (decision 0035).

use crate::audit::Change;
use crate::jobs::NewJob;
use crate::sql::{Conditions, Page, PageRequest};
use crate::{Actor, Db, Engine, Result, StoreError, Timestamp, Tx, Writer, new_id};
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

/// The terms of the title (with the theme) and of the text, as stored and indexed
/// (`search_title`, `search_body`).
pub fn terms(input: &PracticeInput) -> (String, String) {
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
            if to == PracticeStatus::Published {
                let codes: Vec<String> =
                    sqlx::query_scalar("SELECT istat_code FROM practice_municipalities WHERE practice_id = $1")
                        .bind(id)
                        .fetch_all(&mut *w.tx)
                        .await?;
                let (title, body) = (before.search_title.clone(), before.search_body.clone());
                index_board(&mut w.tx, engine, &[Indexed::new(id, title, body, &as_input(&before), codes)]).await?;
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
            let mut indexed = Vec::new();
            for (entry, id) in entries.iter().zip(&ids) {
                insert_practice(w, id, &entry.programme_id, None, &entry.input, &entry.codes, status).await?;
                if publish {
                    let (title_terms, body_terms) = terms(&entry.input);
                    indexed.push(Indexed::new(id, title_terms, body_terms, &entry.input, entry.codes.clone()));
                }
            }
            index_board(&mut w.tx, engine, &indexed).await?;
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

    /// Rebuilds the board's index when it does not count every published practice: a database
    /// made before migration 0026 holds published practices that the index (which replaced the
    /// full-text tables there) has never seen. On every other start this is two small reads.
    /// Returns how many practices were indexed.
    pub async fn rebuild_board_index_if_stale(&self) -> Result<usize> {
        let published_code = PracticeStatus::Published.code();
        let published: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM practices WHERE status = $1")
            .bind(published_code)
            .fetch_one(self.pool())
            .await?;
        let indexed: Option<i64> = sqlx::query_scalar("SELECT practices FROM practice_term_counts WHERE term = ''")
            .fetch_optional(self.pool())
            .await?;
        if indexed.unwrap_or(0) == published {
            return Ok(0);
        }
        let sql = format!("{COLUMNS}{FROM} WHERE p.status = $1 ORDER BY p.id");
        let rows = sqlx::query(&sql).bind(published_code).fetch_all(self.pool()).await?;
        let mut codes: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        let pairs = sqlx::query(
            "SELECT pm.practice_id, pm.istat_code FROM practice_municipalities pm
             JOIN practices p ON p.id = pm.practice_id WHERE p.status = $1",
        )
        .bind(published_code)
        .fetch_all(self.pool())
        .await?;
        for pair in &pairs {
            codes.entry(pair.try_get("practice_id")?).or_default().push(pair.try_get("istat_code")?);
        }
        let mut practices = Vec::with_capacity(rows.len());
        for row in &rows {
            let practice = practice_from_row(row)?;
            let codes = codes.remove(&practice.id).unwrap_or_default();
            let (title, body) = (practice.search_title.clone(), practice.search_body.clone());
            practices.push(Indexed::new(&practice.id, title, body, &as_input(&practice), codes));
        }
        let engine = self.engine;
        self.system_write(async |b| {
            for table in ["practice_terms", "practice_term_counts", "practice_facets"] {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *b.tx).await?;
            }
            for chunk in practices.chunks(1000) {
                index_board(&mut b.tx, engine, chunk).await?;
            }
            Ok(())
        })
        .await?;
        Ok(practices.len())
    }

    /// One page of the board: ranked by relevance when there is a query, newest first otherwise.
    /// `total` is counted up to [`BOARD_COUNT_CAP`] + 1 only: more means "more than the cap".
    pub async fn board(&self, filter: &BoardFilter, request: PageRequest) -> Result<Page<BoardItem>> {
        let mut conditions = Conditions::default();
        filter.conditions(&mut conditions);
        let filtered = conditions.clauses.len() > 1;
        let Some(query) = &filter.query else {
            let where_clause = conditions.where_clause();
            let total = if filtered {
                conditions
                    .query_scalar(&format!(
                        "SELECT COUNT(*) FROM (SELECT 1 FROM practices p{where_clause} LIMIT {}) c",
                        BOARD_COUNT_CAP + 1
                    ))
                    .fetch_one(self.pool())
                    .await?
            } else {
                self.practice_term_counts(&[]).await?.0
            };
            // Newest first, read in the order of the index (status, published_at, id).
            let sql = format!(
                "{BOARD_COLUMNS} FROM practices p LEFT JOIN networks n ON n.id = p.network_id{where_clause}
                 ORDER BY p.published_at DESC, p.id DESC{}",
                request.limit_offset()
            );
            let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
            let items = rows.iter().map(board_item).collect::<Result<Vec<_>>>()?;
            return Ok(Page { items, page: request.page, per_page: request.per_page, total });
        };
        let (documents, counts) = self.practice_term_counts(&query.terms).await?;
        let terms: Vec<(String, f64, i64)> = query
            .terms
            .iter()
            .map(|t| {
                let df = counts.iter().find(|(term, _)| term == t).map_or(0, |(_, n)| *n);
                (t.clone(), search::idf(documents, df), df)
            })
            .collect();
        let offset = u64::from(request.page.max(1) - 1) * u64::from(request.per_page);
        let need = usize::try_from(offset + u64::from(request.per_page)).unwrap_or(usize::MAX);
        let total = if terms.iter().any(|(_, _, df)| *df == 0) {
            // A term no published practice holds: nothing matches every term.
            0
        } else if terms.len() == 1 && !filtered {
            terms[0].2
        } else if !filtered && at_least_all_terms(documents, &terms) > BOARD_COUNT_CAP {
            // Common words: more practices than the cap surely hold them all, nothing to read.
            BOARD_COUNT_CAP + 1
        } else {
            self.board_count(&terms, &conditions).await?
        };
        let ranked = if total == 0 { Vec::new() } else { self.board_top(&terms, filter, need, true, None).await? };
        let page: Vec<String> = ranked.into_iter().skip(offset as usize).map(|(id, _)| id).collect();
        let items = self.board_items(&page).await?;
        Ok(Page { items, page: request.page, per_page: request.per_page, total })
    }

    /// Published practices most like `practice`: those sharing its most telling terms, best first.
    pub async fn board_like_this(&self, practice: &Practice, limit: u32) -> Result<Vec<BoardItem>> {
        let Some(query) = search::like_this(&practice.search_title, &practice.search_body) else {
            return Ok(Vec::new());
        };
        let (documents, counts) = self.practice_term_counts(&query.terms).await?;
        let terms: Vec<(String, f64, i64)> = counts
            .into_iter()
            .filter(|(_, df)| *df > 0)
            .map(|(term, df)| (term, search::idf(documents, df), df))
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let filter = BoardFilter::default();
        // One more than asked: the practice itself, best like itself, is read and left out.
        let ranked = self.board_top(&terms, &filter, limit as usize + 1, false, Some(&practice.id)).await?;
        let ids: Vec<String> = ranked.into_iter().take(limit as usize).map(|(id, _)| id).collect();
        self.board_items(&ids).await
    }

    /// The board rows of `ids`, in that order.
    async fn board_items(&self, ids: &[String]) -> Result<Vec<BoardItem>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conditions = Conditions::default();
        let list = conditions.bind_all(ids.iter().cloned());
        let sql = format!(
            "{BOARD_COLUMNS} FROM practices p LEFT JOIN networks n ON n.id = p.network_id WHERE p.id IN ({list})"
        );
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        let mut items = rows.iter().map(board_item).collect::<Result<Vec<_>>>()?;
        items.sort_by_key(|item| ids.iter().position(|id| *id == item.id));
        Ok(items)
    }

    /// The number of published practices, and how many hold each of `terms` (those none holds
    /// are missing), in one statement.
    async fn practice_term_counts(&self, terms: &[String]) -> Result<(i64, Vec<(String, i64)>)> {
        let mut conditions = Conditions::default();
        let list = conditions.bind_all(std::iter::once(String::new()).chain(terms.iter().cloned()));
        let sql = format!("SELECT term, practices FROM practice_term_counts WHERE term IN ({list})");
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        let mut documents = 0;
        let mut counts = Vec::new();
        for row in &rows {
            let (term, n): (String, i64) = (row.try_get("term")?, row.try_get("practices")?);
            if term.is_empty() { documents = n } else { counts.push((term, n)) }
        }
        Ok((documents, counts))
    }

    /// How many published practices hold every term and pass the filters, counted up to
    /// [`BOARD_COUNT_CAP`] + 1: the rarest term's practices are read, each checked for the others.
    async fn board_count(&self, terms: &[(String, f64, i64)], filter: &Conditions) -> Result<i64> {
        let mut conditions =
            Conditions { clauses: filter.clauses.clone(), binds: filter.binds.clone(), sets: Vec::new() };
        let rarest = terms.iter().min_by_key(|(_, _, df)| *df).map(|(t, _, _)| t.clone()).unwrap_or_default();
        let b = conditions.bind(rarest.clone());
        conditions.push(format!("t.term = {b}"));
        for (term, _, _) in terms.iter().filter(|(t, _, _)| *t != rarest) {
            let b = conditions.bind(term.clone());
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM practice_terms o WHERE o.practice_id = t.practice_id AND o.term = {b})"
            ));
        }
        // Read in the index's order, so that no engine prefers scanning the whole table for a
        // bounded count; practices are joined only to filter them.
        let from = if filter.clauses.len() > 1 {
            "practice_terms t JOIN practices p ON p.id = t.practice_id"
        } else {
            conditions.clauses.remove(0);
            "practice_terms t"
        };
        let sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM {from}{} ORDER BY t.term, t.weight DESC, t.practice_id LIMIT {}) c",
            conditions.where_clause(),
            BOARD_COUNT_CAP + 1
        );
        Ok(conditions.query_scalar(&sql).fetch_one(self.pool()).await?)
    }

    /// The best `need` practices for `terms` (term, idf, practices holding it) passing `filter`,
    /// best first: every term required (`all`) or any ("more like this"), `except` left out.
    ///
    /// The score is BM25's: the sum over the terms of idf × the practice's stored weight. Each
    /// term's practices are read best weight first from the index, `depth` of them; the practices
    /// seen are scored whole; a practice not seen cannot score more than the sum of the weights
    /// where each list stopped, so once the `need`-th score passes that bound the top is final
    /// (the threshold algorithm); a list that ends early leaves no practice unseen. Otherwise a
    /// deeper pass; past [`BOARD_DEPTH_LIMIT`] the best of what was read is the answer (decision
    /// 0035: terms found in most practices whose best practices do not overlap).
    async fn board_top(
        &self,
        terms: &[(String, f64, i64)],
        filter: &BoardFilter,
        need: usize,
        all: bool,
        except: Option<&str>,
    ) -> Result<Vec<(String, f64)>> {
        let mut depth = need.saturating_mul(4).max(80);
        loop {
            let (ranked, lists) = self.board_round(terms, filter, need, all, except, depth).await?;
            let ended = lists.iter().any(|(read, _)| *read < depth as i64);
            let complete = lists.iter().all(|(read, _)| *read < depth as i64);
            let bound: f64 = terms
                .iter()
                .zip(&lists)
                .filter(|(_, (read, _))| *read >= depth as i64)
                .map(|((_, idf, _), (_, last))| idf * last)
                .sum();
            // One term's list is read in the order of the ranking, ties by id, so the need-th may
            // equal the bound; with several terms, an unseen practice could tie and come first.
            let beaten = |score: f64| if terms.len() == 1 { score >= bound } else { score > bound };
            let exact = complete || (all && ended);
            if exact || ranked.get(need.saturating_sub(1)).is_some_and(|(_, score)| beaten(*score)) {
                return Ok(ranked);
            }
            if depth >= BOARD_DEPTH_LIMIT {
                return if ranked.is_empty() {
                    // Nothing complete among the best read: score every match.
                    self.board_top_all(terms, filter, need, all, except).await
                } else {
                    Ok(ranked)
                };
            }
            depth = depth.saturating_mul(8).min(BOARD_DEPTH_LIMIT.max(need));
        }
    }

    /// One pass of [`Db::board_top`], one statement: the best `need` of the practices among the
    /// first `depth` of each term's list, and for each list how many it read and its last weight.
    async fn board_round(
        &self,
        terms: &[(String, f64, i64)],
        filter: &BoardFilter,
        need: usize,
        all: bool,
        except: Option<&str>,
        depth: usize,
    ) -> Result<(Vec<(String, f64)>, Vec<(i64, f64)>)> {
        let mut c = Conditions::default();
        let mut lists = Vec::new();
        let mut weights = Vec::new();
        let mut score = Vec::new();
        let mut held = Vec::new();
        let mut stats = Vec::new();
        for (i, (term, idf, _)) in terms.iter().enumerate() {
            let before = c.clauses.len();
            filter.conditions(&mut c);
            let b = c.bind(term.clone());
            c.push(format!("t.term = {b}"));
            let clauses = c.clauses.split_off(before);
            let from = if clauses.len() > 2 {
                "practice_terms t JOIN practices p ON p.id = t.practice_id"
            } else {
                "practice_terms t"
            };
            // Without filters the index alone answers (the status clause is the filter's first).
            let clauses = if clauses.len() > 2 { clauses.join(" AND ") } else { format!("t.term = {b}") };
            lists.push(format!(
                "l{i} AS (SELECT t.practice_id, t.weight FROM {from} WHERE {clauses}
                 ORDER BY t.weight DESC, t.practice_id LIMIT {depth})"
            ));
            let b = c.bind(term.clone());
            weights.push(format!(
                "COALESCE(s.k{i}, (SELECT w.weight FROM practice_terms w WHERE w.practice_id = s.practice_id AND w.term = {b})) AS w{i}"
            ));
            // The idf is bound, not written as a literal: the statement's text then depends only on
            // the number of terms, the filters and the depth, so each connection prepares it once
            // and PostgreSQL stops planning it anew for every query (decision 0057).
            let b = c.bind(format!("{idf:e}"));
            score.push(format!("CAST({b} AS DOUBLE PRECISION) * COALESCE(w{i}, 0)"));
            held.push(format!("w{i} IS NOT NULL"));
            stats.push(format!("(SELECT COUNT(*) FROM l{i}) AS read{i}, (SELECT MIN(weight) FROM l{i}) AS last{i}"));
        }
        // Each seen practice once, with the weights its lists gave it: only the other terms are
        // looked up. (PostgreSQL types a UNION's columns pair by pair: a bare NULL would be text.)
        let seen = (0..terms.len())
            .map(|i| {
                let columns: Vec<String> = (0..terms.len())
                    .map(|k| {
                        if k == i {
                            format!("weight AS k{k}")
                        } else {
                            format!("CAST(NULL AS DOUBLE PRECISION) AS k{k}")
                        }
                    })
                    .collect();
                format!("SELECT practice_id, {} FROM l{i}", columns.join(", "))
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let seen_weights = (0..terms.len()).map(|k| format!("MAX(k{k}) AS k{k}")).collect::<Vec<_>>().join(", ");
        let mut wheres = Vec::new();
        if all {
            wheres.push(held.join(" AND "));
        }
        if let Some(id) = except {
            let b = c.bind(id);
            wheres.push(format!("s.practice_id <> {b}"));
        }
        let where_clause = if wheres.is_empty() { String::new() } else { format!(" WHERE {}", wheres.join(" AND ")) };
        // Each seen practice's weights are looked up one by one (correlated subqueries, kept apart
        // by MATERIALIZED): as joins, SQLite 3.46 turned the required terms into inner joins and
        // read every practice holding the first term (43,000 at 50,000 practices) instead of the
        // 1,280 seen: 14 and 22 ms for the two passes of a two-word query, 1.5 and 8.5 ms as
        // lookups (docs/benchmarks/practices.md).
        let sql = format!(
            "WITH {}, seen AS (SELECT practice_id, {seen_weights} FROM ({seen}) u GROUP BY practice_id),
             weighed AS MATERIALIZED (SELECT s.practice_id, {} FROM seen s),
             scored AS (SELECT practice_id, {} AS score FROM weighed s{where_clause}),
             best AS (SELECT practice_id, score FROM scored ORDER BY score DESC, practice_id LIMIT {need})
             SELECT b.practice_id, b.score, {} FROM (SELECT 1 AS one) o LEFT JOIN best b ON 1 = 1
             ORDER BY b.score DESC, b.practice_id",
            lists.join(", "),
            weights.join(", "),
            score.join(" + "),
            stats.join(", ")
        );
        let rows = c.query(&sql).fetch_all(self.pool()).await?;
        let mut read = Vec::new();
        if let Some(row) = rows.first() {
            for i in 0..terms.len() {
                let last: Option<f64> = row.try_get(format!("last{i}").as_str())?;
                read.push((row.try_get(format!("read{i}").as_str())?, last.unwrap_or(0.0)));
            }
        }
        let mut ranked = Vec::new();
        for row in &rows {
            let id: Option<String> = row.try_get("practice_id")?;
            if let Some(id) = id {
                ranked.push((id, row.try_get("score")?));
            }
        }
        Ok((ranked, read))
    }

    /// [`Db::board_top`] when reading the best of each term is not enough: every match scored.
    async fn board_top_all(
        &self,
        terms: &[(String, f64, i64)],
        filter: &BoardFilter,
        need: usize,
        all: bool,
        except: Option<&str>,
    ) -> Result<Vec<(String, f64)>> {
        let mut conditions = Conditions::default();
        filter.conditions(&mut conditions);
        let mut cases = String::new();
        for (term, idf, _) in terms {
            let b = conditions.bind(term.clone());
            let idf = conditions.bind(format!("{idf:e}"));
            cases.push_str(&format!(" WHEN {b} THEN CAST({idf} AS DOUBLE PRECISION)"));
        }
        let list = conditions.bind_all(terms.iter().map(|(t, _, _)| t.clone()));
        conditions.push(format!("t.term IN ({list})"));
        if let Some(id) = except {
            let b = conditions.bind(id);
            conditions.push(format!("t.practice_id <> {b}"));
        }
        let having = if all { format!(" HAVING COUNT(*) = {}", terms.len()) } else { String::new() };
        let sql = format!(
            "SELECT t.practice_id, SUM(t.weight * CASE t.term{cases} ELSE 0 END) AS score
             FROM practice_terms t JOIN practices p ON p.id = t.practice_id{}
             GROUP BY t.practice_id{having} ORDER BY score DESC, t.practice_id LIMIT {need}",
            conditions.where_clause()
        );
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(|row| Ok((row.try_get("practice_id")?, row.try_get("score")?))).collect()
    }

    /// The values the board's filters offer, from the counts kept as practices are published.
    /// Networks: the [`BOARD_NETWORK_CHOICES`] with the most published practices, and `selected`
    /// (the network filtered on) — at EU scale nearly every one of 10,000 networks has a practice,
    /// a list nobody can choose from (and 26 ms to read).
    pub async fn board_facets(&self, selected: Option<&str>) -> Result<BoardFacets> {
        // The labels of the few values listed, each found by its index.
        let sql = format!(
            "SELECT f.kind, f.value, CASE f.kind
               WHEN 'province' THEN (SELECT m.province FROM municipalities m WHERE m.province_code = f.value LIMIT 1)
             END AS label
             FROM practice_facets f WHERE f.practices > 0 AND f.kind <> 'network'
             UNION ALL
             SELECT 'network', n.id, n.name FROM (SELECT value FROM practice_facets WHERE kind = 'network' AND practices > 0
                    ORDER BY practices DESC, value LIMIT {BOARD_NETWORK_CHOICES}) f JOIN networks n ON n.id = f.value
             UNION ALL
             SELECT 'network', n.id, n.name FROM networks n
              WHERE n.id = $1 AND EXISTS (SELECT 1 FROM practice_facets f WHERE f.kind = 'network' AND f.value = $1 AND f.practices > 0)"
        );
        let rows = sqlx::query(&sql).bind(selected.unwrap_or_default()).fetch_all(self.pool()).await?;
        let mut facets = BoardFacets::default();
        for row in &rows {
            let (kind, value, label): (String, String, Option<String>) =
                (row.try_get("kind")?, row.try_get("value")?, row.try_get("label")?);
            let label = label.unwrap_or_else(|| value.clone());
            match kind.as_str() {
                "theme" => facets.themes.push(value),
                "action_line" => facets.action_lines.extend(value.parse::<i64>().ok()),
                "year" => facets.years.extend(value.parse::<i64>().ok()),
                "network" => facets.networks.push((value, label)),
                "province" => facets.provinces.push((value, label)),
                _ => {}
            }
        }
        facets.themes.sort();
        facets.action_lines.sort_unstable();
        facets.years.sort_unstable_by(|a, b| b.cmp(a));
        facets.networks.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        facets.networks.dedup();
        facets.provinces.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        Ok(facets)
    }
}

/// The most networks the board's network filter lists (see [`Db::board_facets`]).
pub const BOARD_NETWORK_CHOICES: usize = 200;
/// The most results the board counts: past it, "more than 1,000".
pub const BOARD_COUNT_CAP: i64 = 1000;
/// How deep the board's search reads each term's best practices (for the first page).
const BOARD_DEPTH_LIMIT: usize = 640;

/// The fewest of the `documents` practices that can hold every one of `terms` (term, idf,
/// practices holding it): each practice lacking a term is among that term's `documents - df`,
/// so at least `documents - sum(documents - df)` hold them all.
fn at_least_all_terms(documents: i64, terms: &[(String, f64, i64)]) -> i64 {
    documents - terms.iter().map(|(_, _, df)| documents - df).sum::<i64>()
}

/// A practice going on the board, as its index needs it.
struct Indexed {
    id: String,
    title_terms: String,
    body_terms: String,
    /// The filters' (kind, value) pairs but the provinces, found from `codes`.
    facets: Vec<(&'static str, String)>,
    codes: Vec<String>,
}

impl Indexed {
    fn new(id: &str, title_terms: String, body_terms: String, input: &PracticeInput, codes: Vec<String>) -> Indexed {
        let mut facets = Vec::new();
        if !input.theme.is_empty() {
            facets.push(("theme", input.theme.clone()));
        }
        facets.extend(input.action_line.map(|line| ("action_line", line.to_string())));
        facets.extend(input.year.map(|year| ("year", year.to_string())));
        facets.extend(input.network_id.clone().map(|network| ("network", network)));
        Indexed { id: id.to_owned(), title_terms, body_terms, facets, codes }
    }
}

/// Puts published practices into the board's index: their terms with their weights, the count of
/// practices for each term, and the counts of the filters' values, all added to (a practice,
/// once published, stays published).
async fn index_board(tx: &mut Tx, engine: Engine, practices: &[Indexed]) -> Result<()> {
    use std::collections::{BTreeMap, BTreeSet};
    if practices.is_empty() {
        return Ok(());
    }
    let mut postings: Vec<(&str, String, f64)> = Vec::new();
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    counts.insert(String::new(), practices.len() as i64);
    for p in practices {
        for (term, weight) in search::term_weights(&p.title_terms, &p.body_terms) {
            *counts.entry(term.clone()).or_default() += 1;
            postings.push((&p.id, term, weight));
        }
    }
    for chunk in postings.chunks(engine.rows_per_insert(3)) {
        let sql = format!(
            "INSERT INTO practice_terms (practice_id, term, weight) VALUES {}",
            engine.values_list(chunk.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for (id, term, weight) in chunk {
            query = query.bind(*id).bind(term).bind(*weight);
        }
        query.execute(&mut **tx).await?;
    }
    let counts: Vec<(String, i64)> = counts.into_iter().collect();
    for chunk in counts.chunks(engine.rows_per_insert(2)) {
        let sql = format!(
            "INSERT INTO practice_term_counts (term, practices) VALUES {}
             ON CONFLICT (term) DO UPDATE SET practices = practice_term_counts.practices + excluded.practices",
            engine.values_list(chunk.len(), 2)
        );
        let mut query = sqlx::query(&sql);
        for (term, n) in chunk {
            query = query.bind(term).bind(*n);
        }
        query.execute(&mut **tx).await?;
    }
    // The provinces of the practices' municipalities.
    let codes: BTreeSet<&String> = practices.iter().flat_map(|p| &p.codes).collect();
    let mut province_of: BTreeMap<String, String> = BTreeMap::new();
    let codes: Vec<&String> = codes.into_iter().collect();
    for chunk in codes.chunks(2000) {
        let sql = format!(
            "SELECT istat_code, province_code FROM municipalities WHERE istat_code IN ({})",
            crate::sql::placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for code in chunk {
            query = query.bind(*code);
        }
        for row in query.fetch_all(&mut **tx).await? {
            province_of.insert(row.try_get("istat_code")?, row.try_get("province_code")?);
        }
    }
    let mut facets: BTreeMap<(&str, String), i64> = BTreeMap::new();
    for p in practices {
        let provinces: BTreeSet<&String> = p.codes.iter().filter_map(|c| province_of.get(c)).collect();
        for (kind, value) in p.facets.iter().cloned().chain(provinces.into_iter().map(|v| ("province", v.clone()))) {
            *facets.entry((kind, value)).or_default() += 1;
        }
    }
    let facets: Vec<((&str, String), i64)> = facets.into_iter().collect();
    for chunk in facets.chunks(engine.rows_per_insert(3)) {
        let sql = format!(
            "INSERT INTO practice_facets (kind, value, practices) VALUES {}
             ON CONFLICT (kind, value) DO UPDATE SET practices = practice_facets.practices + excluded.practices",
            engine.values_list(chunk.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for ((kind, value), n) in chunk {
            query = query.bind(*kind).bind(value).bind(*n);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::at_least_all_terms;

    #[test]
    fn practices_holding_every_term_are_bounded_from_below() {
        let term = |df: i64| (String::new(), 0.0, df);
        // 37,527 and 42,089 of 50,028 practices: at least 29,588 hold both.
        assert_eq!(at_least_all_terms(50_028, &[term(37_527), term(42_089)]), 29_588);
        assert_eq!(at_least_all_terms(10, &[term(10)]), 10);
        // Rare words prove nothing: the bound goes below zero and the count is read.
        assert!(at_least_all_terms(1_000, &[term(400), term(500)]) < 0);
    }
}
