//! Editions of the e-book of best practices (issue 11, decision 0041): what the coordination
//! composes, and each build as a numbered version whose files (one row per format) stay
//! downloadable after later builds.
//!
//! A build is requested inside one write with its audit entry and its job
//! ([`EDITION_BUILD_KIND`]); the job's progress, its files and its failure are the queue's own
//! bookkeeping ([`Db::system_write`]), not anybody's change.

use crate::audit::Change;
use crate::jobs::NewJob;
use crate::{Actor, Db, Result, StoreError, Timestamp, Writer, new_id};
use reti_domain::FieldError;
use reti_domain::input::edition::{ChapterInput, EditionInput, Move, moved};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// The job that builds one version: payload `{"version_id": …}`.
pub const EDITION_BUILD_KIND: &str = "edition_build";
/// Stored error texts are cut to this many characters.
const ERROR_LIMIT: usize = 2000;

#[derive(Debug, Clone, Serialize)]
pub struct Edition {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    pub year: i64,
    pub editors: Vec<String>,
    pub licence: String,
    pub introduction: String,
    /// Markdown, in English; empty for none.
    pub english_summary: String,
    pub created_at: String,
    pub updated_at: String,
    /// An uploaded cover; without one the e-book draws its own.
    pub has_cover: bool,
}

const EDITION_COLUMNS: &str = "SELECT e.id, e.title, e.subtitle, e.year, e.editors, e.licence, e.introduction,
    e.english_summary, e.created_at, e.updated_at, (SELECT COUNT(*) FROM edition_covers c WHERE c.edition_id = e.id) AS covers
    FROM editions e";

fn edition_from_row(row: &sqlx::any::AnyRow) -> Result<Edition> {
    let editors: String = row.try_get("editors")?;
    Ok(Edition {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        subtitle: row.try_get("subtitle")?,
        year: row.try_get("year")?,
        editors: editors.lines().map(str::to_owned).collect(),
        licence: row.try_get("licence")?,
        introduction: row.try_get("introduction")?,
        english_summary: row.try_get("english_summary")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        has_cover: row.try_get::<i64, _>("covers")? > 0,
    })
}

/// A practice chosen for a chapter, as the edition's pages list it.
#[derive(Debug, Clone, Serialize)]
pub struct ChosenPractice {
    pub practice_id: String,
    pub title: String,
    pub network_name: Option<String>,
    pub action_line: Option<i64>,
    pub theme: String,
    /// A practice taken off the board after it was chosen is left out of the builds.
    pub published: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EditionChapter {
    pub id: String,
    pub title: String,
    pub introduction: String,
    pub practices: Vec<ChosenPractice>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    Queued,
    Running,
    Done,
    Failed,
}

impl VersionStatus {
    pub fn code(self) -> &'static str {
        match self {
            VersionStatus::Queued => "queued",
            VersionStatus::Running => "running",
            VersionStatus::Done => "done",
            VersionStatus::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<VersionStatus> {
        [VersionStatus::Queued, VersionStatus::Running, VersionStatus::Done, VersionStatus::Failed]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// Still to finish: the page shows its progress.
    pub fn pending(self) -> bool {
        matches!(self, VersionStatus::Queued | VersionStatus::Running)
    }
}

/// One file of a version (its bytes are read apart, by [`Db::edition_file`]).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EditionFile {
    pub version_id: String,
    /// `epub`, `pdf`.
    pub format: String,
    pub file_name: String,
    pub mime: String,
    pub size: i64,
    /// Hex.
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EditionVersion {
    pub id: String,
    pub edition_id: String,
    pub number: i64,
    pub status: VersionStatus,
    /// 0–100.
    pub progress: i64,
    pub error: Option<String>,
    pub requested_by_label: String,
    pub requested_at: String,
    pub built_at: Option<String>,
    pub files: Vec<EditionFile>,
}

const VERSION_COLUMNS: &str = "SELECT id, edition_id, number, status, progress, error, requested_by_label,
    requested_at, built_at FROM edition_versions";

fn version_from_row(row: &sqlx::any::AnyRow) -> Result<EditionVersion> {
    let status: String = row.try_get("status")?;
    Ok(EditionVersion {
        id: row.try_get("id")?,
        edition_id: row.try_get("edition_id")?,
        number: row.try_get("number")?,
        status: VersionStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("edition version status {status:?}")))?,
        progress: row.try_get("progress")?,
        error: row.try_get("error")?,
        requested_by_label: row.try_get("requested_by_label")?,
        requested_at: row.try_get("requested_at")?,
        built_at: row.try_get("built_at")?,
        files: Vec::new(),
    })
}

/// A built file to store.
#[derive(Debug, Clone)]
pub struct NewEditionFile {
    pub format: &'static str,
    pub file_name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

/// An uploaded cover, checked by the caller.
#[derive(Debug, Clone)]
pub struct NewCover {
    pub mime: &'static str,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub bytes: Vec<u8>,
}

/// An uploaded cover as served.
#[derive(Debug, Clone)]
pub struct Cover {
    pub mime: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
    pub bytes: Vec<u8>,
}

/// An edition with a built version, as the public board lists it: the done versions, newest
/// first.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedEdition {
    pub edition: Edition,
    pub versions: Vec<EditionVersion>,
}

fn edition_audit(input: &EditionInput) -> serde_json::Value {
    serde_json::to_value(input).expect("serialisable")
}

/// Records a change of edition `id` in the audit log.
async fn audit(
    w: &mut Writer<'_>,
    action: &str,
    id: &str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> Result<()> {
    w.audit(Change { action, entity: "edition", entity_id: Some(id), programme_id: None, before, after: Some(after) })
        .await
}

/// Rewrites the positions of `ids` in `table` (`edition_chapters` by `id`, or a chapter's
/// practices by `practice_id`) to their order.
async fn renumber(w: &mut Writer<'_>, sql: &str, scope: Option<&str>, ids: &[String]) -> Result<()> {
    for (position, id) in ids.iter().enumerate() {
        let mut query = sqlx::query(sql).bind(position as i64).bind(id);
        if let Some(scope) = scope {
            query = query.bind(scope);
        }
        query.execute(&mut *w.tx).await?;
    }
    Ok(())
}

impl Db {
    /// Every edition, newest first.
    pub async fn editions(&self) -> Result<Vec<Edition>> {
        let sql = format!("{EDITION_COLUMNS} ORDER BY e.created_at DESC, e.id DESC");
        sqlx::query(&sql).fetch_all(self.pool()).await?.iter().map(edition_from_row).collect()
    }

    pub async fn edition(&self, id: &str) -> Result<Option<Edition>> {
        let sql = format!("{EDITION_COLUMNS} WHERE e.id = $1");
        sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?.as_ref().map(edition_from_row).transpose()
    }

    pub async fn create_edition(&self, actor: &Actor, input: &EditionInput) -> Result<String> {
        let id = new_id();
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO editions (id, title, subtitle, year, editors, licence, introduction, english_summary,
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            )
            .bind(&id)
            .bind(&input.title)
            .bind(&input.subtitle)
            .bind(i64::from(input.year))
            .bind(input.editors.join("\n"))
            .bind(&input.licence)
            .bind(&input.introduction)
            .bind(&input.english_summary)
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
            audit(w, "create", &id, None, edition_audit(input)).await
        })
        .await?;
        Ok(id)
    }

    pub async fn update_edition(&self, actor: &Actor, id: &str, input: &EditionInput) -> Result<()> {
        let before = self.edition(id).await?.ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            sqlx::query(
                "UPDATE editions SET title = $1, subtitle = $2, year = $3, editors = $4, licence = $5, introduction = $6,
                 english_summary = $7, updated_at = $8 WHERE id = $9",
            )
            .bind(&input.title)
            .bind(&input.subtitle)
            .bind(i64::from(input.year))
            .bind(input.editors.join("\n"))
            .bind(&input.licence)
            .bind(&input.introduction)
            .bind(&input.english_summary)
            .bind(Timestamp::now().to_db())
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
            let before = serde_json::to_value(&before).expect("serialisable");
            audit(w, "update", id, Some(before), edition_audit(input)).await
        })
        .await
    }

    /// The chapters of an edition in order, each with its practices in order.
    pub async fn edition_chapters(&self, edition_id: &str) -> Result<Vec<EditionChapter>> {
        let chapters = sqlx::query(
            "SELECT id, title, introduction FROM edition_chapters WHERE edition_id = $1 ORDER BY position, id",
        )
        .bind(edition_id)
        .fetch_all(self.pool())
        .await?;
        let mut out: Vec<EditionChapter> = chapters
            .iter()
            .map(|row| {
                Ok(EditionChapter {
                    id: row.try_get("id")?,
                    title: row.try_get("title")?,
                    introduction: row.try_get("introduction")?,
                    practices: Vec::new(),
                })
            })
            .collect::<Result<_>>()?;
        let rows = sqlx::query(
            "SELECT cp.chapter_id, p.id, p.title, n.name AS network_name, p.action_line, p.theme, p.status
             FROM edition_chapter_practices cp
             JOIN edition_chapters c ON c.id = cp.chapter_id
             JOIN practices p ON p.id = cp.practice_id
             LEFT JOIN networks n ON n.id = p.network_id
             WHERE c.edition_id = $1 ORDER BY cp.chapter_id, cp.position",
        )
        .bind(edition_id)
        .fetch_all(self.pool())
        .await?;
        for row in &rows {
            let chapter_id: String = row.try_get("chapter_id")?;
            let Some(chapter) = out.iter_mut().find(|c| c.id == chapter_id) else { continue };
            chapter.practices.push(ChosenPractice {
                practice_id: row.try_get("id")?,
                title: row.try_get("title")?,
                network_name: row.try_get("network_name")?,
                action_line: row.try_get("action_line")?,
                theme: row.try_get("theme")?,
                published: row.try_get::<String, _>("status")? == "published",
            });
        }
        Ok(out)
    }

    async fn chapter_ids(&self, edition_id: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT id FROM edition_chapters WHERE edition_id = $1 ORDER BY position, id")
            .bind(edition_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// `NotFound` unless `chapter_id` is a chapter of `edition_id`.
    async fn chapter_of(&self, edition_id: &str, chapter_id: &str) -> Result<EditionChapter> {
        self.edition_chapters(edition_id).await?.into_iter().find(|c| c.id == chapter_id).ok_or(StoreError::NotFound)
    }

    /// Adds chapters at the end, each with its practices (which must be published), in one write.
    pub async fn add_edition_chapters(
        &self,
        actor: &Actor,
        edition_id: &str,
        chapters: &[(ChapterInput, Vec<String>)],
    ) -> Result<Vec<String>> {
        self.edition(edition_id).await?.ok_or(StoreError::NotFound)?;
        let first = self.chapter_ids(edition_id).await?.len();
        for (_, practices) in chapters {
            for practice_id in practices {
                self.check_published(practice_id).await?;
            }
        }
        let ids: Vec<String> = chapters.iter().map(|_| new_id()).collect();
        self.write(actor, async |w| {
            for (n, ((input, practices), id)) in chapters.iter().zip(&ids).enumerate() {
                sqlx::query(
                    "INSERT INTO edition_chapters (id, edition_id, position, title, introduction) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(edition_id)
                .bind((first + n) as i64)
                .bind(&input.title)
                .bind(&input.introduction)
                .execute(&mut *w.tx)
                .await?;
                for (position, practice_id) in practices.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO edition_chapter_practices (chapter_id, practice_id, position) VALUES ($1, $2, $3)",
                    )
                    .bind(id)
                    .bind(practice_id)
                    .bind(position as i64)
                    .execute(&mut *w.tx)
                    .await?;
                }
                let after = json!({"chapter_id": id, "title": input.title, "introduction": input.introduction,
                    "practices": practices});
                audit(w, "add_chapter", edition_id, None, after).await?;
            }
            Ok::<_, StoreError>(())
        })
        .await?;
        Ok(ids)
    }

    pub async fn update_edition_chapter(
        &self,
        actor: &Actor,
        edition_id: &str,
        chapter_id: &str,
        input: &ChapterInput,
    ) -> Result<()> {
        let before = self.chapter_of(edition_id, chapter_id).await?;
        self.write(actor, async |w| {
            sqlx::query("UPDATE edition_chapters SET title = $1, introduction = $2 WHERE id = $3")
                .bind(&input.title)
                .bind(&input.introduction)
                .bind(chapter_id)
                .execute(&mut *w.tx)
                .await?;
            let before = json!({"chapter_id": chapter_id, "title": before.title, "introduction": before.introduction});
            let after = json!({"chapter_id": chapter_id, "title": input.title, "introduction": input.introduction});
            audit(w, "update_chapter", edition_id, Some(before), after).await
        })
        .await
    }

    pub async fn remove_edition_chapter(&self, actor: &Actor, edition_id: &str, chapter_id: &str) -> Result<()> {
        let before = self.chapter_of(edition_id, chapter_id).await?;
        let rest: Vec<String> = self.chapter_ids(edition_id).await?.into_iter().filter(|id| id != chapter_id).collect();
        self.write(actor, async |w| {
            sqlx::query("DELETE FROM edition_chapters WHERE id = $1").bind(chapter_id).execute(&mut *w.tx).await?;
            renumber(w, "UPDATE edition_chapters SET position = $1 WHERE id = $2", None, &rest).await?;
            let before = serde_json::to_value(&before).expect("serialisable");
            w.audit(Change {
                action: "remove_chapter",
                entity: "edition",
                entity_id: Some(edition_id),
                programme_id: None,
                before: Some(before),
                after: None,
            })
            .await
        })
        .await
    }

    /// Moves a chapter one place; nothing changes (and nothing is recorded) at either end.
    pub async fn move_edition_chapter(
        &self,
        actor: &Actor,
        edition_id: &str,
        chapter_id: &str,
        step: Move,
    ) -> Result<()> {
        self.chapter_of(edition_id, chapter_id).await?;
        let Some(order) = moved(&self.chapter_ids(edition_id).await?, &chapter_id.to_owned(), step) else {
            return Ok(());
        };
        self.write(actor, async |w| {
            renumber(w, "UPDATE edition_chapters SET position = $1 WHERE id = $2", None, &order).await?;
            audit(w, "move_chapter", edition_id, None, json!({"chapter_id": chapter_id, "order": order})).await
        })
        .await
    }

    /// An unknown or unpublished practice is refused on the field `editions_practice`.
    async fn check_published(&self, practice_id: &str) -> Result<()> {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM practices WHERE id = $1")
            .bind(practice_id)
            .fetch_optional(self.pool())
            .await?;
        if status.as_deref() != Some("published") {
            return Err(StoreError::Invalid(
                FieldError::new("editions_practice", "editions-error-practice-not-published").into(),
            ));
        }
        Ok(())
    }

    /// Adds a published practice at the end of a chapter; a practice already there is refused.
    pub async fn add_chapter_practice(
        &self,
        actor: &Actor,
        edition_id: &str,
        chapter_id: &str,
        practice_id: &str,
    ) -> Result<()> {
        let chapter = self.chapter_of(edition_id, chapter_id).await?;
        self.check_published(practice_id).await?;
        if chapter.practices.iter().any(|p| p.practice_id == practice_id) {
            return Err(StoreError::Invalid(
                FieldError::new("editions_practice", "editions-error-practice-chosen").into(),
            ));
        }
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO edition_chapter_practices (chapter_id, practice_id, position) VALUES ($1, $2, $3)",
            )
            .bind(chapter_id)
            .bind(practice_id)
            .bind(chapter.practices.len() as i64)
            .execute(&mut *w.tx)
            .await
            .map_err(StoreError::unique_as("editions_practice"))?;
            audit(w, "add_practice", edition_id, None, json!({"chapter_id": chapter_id, "practice_id": practice_id}))
                .await
        })
        .await
    }

    pub async fn remove_chapter_practice(
        &self,
        actor: &Actor,
        edition_id: &str,
        chapter_id: &str,
        practice_id: &str,
    ) -> Result<()> {
        let chapter = self.chapter_of(edition_id, chapter_id).await?;
        if !chapter.practices.iter().any(|p| p.practice_id == practice_id) {
            return Err(StoreError::NotFound);
        }
        let rest: Vec<String> =
            chapter.practices.into_iter().map(|p| p.practice_id).filter(|id| id != practice_id).collect();
        self.write(actor, async |w| {
            sqlx::query("DELETE FROM edition_chapter_practices WHERE chapter_id = $1 AND practice_id = $2")
                .bind(chapter_id)
                .bind(practice_id)
                .execute(&mut *w.tx)
                .await?;
            let sql = "UPDATE edition_chapter_practices SET position = $1 WHERE practice_id = $2 AND chapter_id = $3";
            renumber(w, sql, Some(chapter_id), &rest).await?;
            w.audit(Change {
                action: "remove_practice",
                entity: "edition",
                entity_id: Some(edition_id),
                programme_id: None,
                before: Some(json!({"chapter_id": chapter_id, "practice_id": practice_id})),
                after: None,
            })
            .await
        })
        .await
    }

    /// Moves a practice one place in its chapter; nothing changes at either end.
    pub async fn move_chapter_practice(
        &self,
        actor: &Actor,
        edition_id: &str,
        chapter_id: &str,
        practice_id: &str,
        step: Move,
    ) -> Result<()> {
        let chapter = self.chapter_of(edition_id, chapter_id).await?;
        let ids: Vec<String> = chapter.practices.into_iter().map(|p| p.practice_id).collect();
        if !ids.iter().any(|id| id == practice_id) {
            return Err(StoreError::NotFound);
        }
        let Some(order) = moved(&ids, &practice_id.to_owned(), step) else { return Ok(()) };
        self.write(actor, async |w| {
            let sql = "UPDATE edition_chapter_practices SET position = $1 WHERE practice_id = $2 AND chapter_id = $3";
            renumber(w, sql, Some(chapter_id), &order).await?;
            audit(w, "move_practice", edition_id, None, json!({"chapter_id": chapter_id, "order": order})).await
        })
        .await
    }

    /// Sets the uploaded cover, or (`None`) goes back to the generated one.
    pub async fn set_edition_cover(&self, actor: &Actor, edition_id: &str, cover: Option<&NewCover>) -> Result<()> {
        self.edition(edition_id).await?.ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            sqlx::query("DELETE FROM edition_covers WHERE edition_id = $1")
                .bind(edition_id)
                .execute(&mut *w.tx)
                .await?;
            if let Some(cover) = cover {
                sqlx::query(
                    "INSERT INTO edition_covers (edition_id, mime, width, height, alt, content, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(edition_id)
                .bind(cover.mime)
                .bind(cover.width)
                .bind(cover.height)
                .bind(&cover.alt)
                .bind(cover.bytes.clone())
                .bind(Timestamp::now().to_db())
                .execute(&mut *w.tx)
                .await?;
            }
            let after = match cover {
                Some(c) => {
                    json!({"cover": "uploaded", "mime": c.mime, "width": c.width, "height": c.height, "alt": c.alt})
                }
                None => json!({"cover": "generated"}),
            };
            audit(w, "set_cover", edition_id, None, after).await
        })
        .await
    }

    pub async fn edition_cover(&self, edition_id: &str) -> Result<Option<Cover>> {
        let row = sqlx::query("SELECT mime, alt, width, height, content FROM edition_covers WHERE edition_id = $1")
            .bind(edition_id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| {
            Ok(Cover {
                mime: row.try_get("mime")?,
                alt: row.try_get("alt")?,
                width: row.try_get("width")?,
                height: row.try_get("height")?,
                bytes: row.try_get("content")?,
            })
        })
        .transpose()
    }

    /// A new version of `edition_id`, queued; with `queue` its build job is queued in the same
    /// write (the demo builds at once instead).
    pub async fn request_edition_build(&self, actor: &Actor, edition_id: &str, queue: bool) -> Result<EditionVersion> {
        self.edition(edition_id).await?.ok_or(StoreError::NotFound)?;
        let id = new_id();
        self.write(actor, async |w| {
            let last: Option<i64> = sqlx::query_scalar("SELECT MAX(number) FROM edition_versions WHERE edition_id = $1")
                .bind(edition_id)
                .fetch_one(&mut *w.tx)
                .await?;
            let number = last.unwrap_or(0) + 1;
            sqlx::query(
                "INSERT INTO edition_versions (id, edition_id, number, status, progress, requested_by, requested_by_label, requested_at)
                 VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6)",
            )
            .bind(&id)
            .bind(edition_id)
            .bind(number)
            .bind(actor.user_id.as_deref())
            .bind(&actor.label)
            .bind(Timestamp::now().to_db())
            .execute(&mut *w.tx)
            .await
            .map_err(StoreError::unique_as("number"))?;
            if queue {
                let mut job = NewJob::new(EDITION_BUILD_KIND, json!({"version_id": id}));
                job.max_attempts = 3;
                w.enqueue(&job).await?;
            }
            audit(w, "build", edition_id, None, json!({"version_id": id, "number": number})).await
        })
        .await?;
        self.edition_version(&id).await?.ok_or(StoreError::NotFound)
    }

    async fn with_files(&self, mut versions: Vec<EditionVersion>) -> Result<Vec<EditionVersion>> {
        if versions.is_empty() {
            return Ok(versions);
        }
        let placeholders: Vec<String> = (1..=versions.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT version_id, format, file_name, mime, size, sha256 FROM edition_files
             WHERE version_id IN ({}) ORDER BY format",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as::<_, EditionFile>(&sql);
        for version in &versions {
            query = query.bind(version.id.clone());
        }
        for file in query.fetch_all(self.pool()).await? {
            if let Some(version) = versions.iter_mut().find(|v| v.id == file.version_id) {
                version.files.push(file);
            }
        }
        Ok(versions)
    }

    /// The versions of an edition, newest first, with their files.
    pub async fn edition_versions(&self, edition_id: &str) -> Result<Vec<EditionVersion>> {
        let sql = format!("{VERSION_COLUMNS} WHERE edition_id = $1 ORDER BY number DESC");
        let rows = sqlx::query(&sql).bind(edition_id).fetch_all(self.pool()).await?;
        self.with_files(rows.iter().map(version_from_row).collect::<Result<_>>()?).await
    }

    pub async fn edition_version(&self, version_id: &str) -> Result<Option<EditionVersion>> {
        let sql = format!("{VERSION_COLUMNS} WHERE id = $1");
        let Some(row) = sqlx::query(&sql).bind(version_id).fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        Ok(self.with_files(vec![version_from_row(&row)?]).await?.pop())
    }

    /// Records how far a build is (the worker's bookkeeping; no audit entry).
    pub async fn edition_build_progress(&self, version_id: &str, status: VersionStatus, progress: i64) -> Result<()> {
        self.system_write(async |b| {
            sqlx::query("UPDATE edition_versions SET status = $1, progress = $2, error = NULL WHERE id = $3")
                .bind(status.code())
                .bind(progress.clamp(0, 100))
                .bind(version_id)
                .execute(&mut *b.tx)
                .await?;
            Ok(())
        })
        .await
    }

    /// Stores the files of a build and marks its version done, in one transaction.
    pub async fn finish_edition_build(&self, version_id: &str, files: &[NewEditionFile]) -> Result<()> {
        let now = Timestamp::now().to_db();
        self.system_write(async |b| {
            sqlx::query("DELETE FROM edition_files WHERE version_id = $1").bind(version_id).execute(&mut *b.tx).await?;
            for file in files {
                sqlx::query(
                    "INSERT INTO edition_files (version_id, format, file_name, mime, size, sha256, content, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(version_id)
                .bind(file.format)
                .bind(&file.file_name)
                .bind(file.mime)
                .bind(file.bytes.len() as i64)
                .bind(&file.sha256)
                .bind(file.bytes.clone())
                .bind(&now)
                .execute(&mut *b.tx)
                .await?;
            }
            sqlx::query(
                "UPDATE edition_versions SET status = 'done', progress = 100, error = NULL, built_at = $1 WHERE id = $2",
            )
            .bind(&now)
            .bind(version_id)
            .execute(&mut *b.tx)
            .await?;
            Ok(())
        })
        .await
    }

    /// Marks a build failed, with why.
    pub async fn fail_edition_build(&self, version_id: &str, error: &str) -> Result<()> {
        let error: String = error.chars().take(ERROR_LIMIT).collect();
        self.system_write(async |b| {
            sqlx::query("UPDATE edition_versions SET status = 'failed', error = $1 WHERE id = $2")
                .bind(&error)
                .bind(version_id)
                .execute(&mut *b.tx)
                .await?;
            Ok(())
        })
        .await
    }

    /// A file of a done version, with its bytes: what the board serves.
    pub async fn edition_file(
        &self,
        edition_id: &str,
        number: i64,
        file_name: &str,
    ) -> Result<Option<(EditionFile, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT f.version_id, f.format, f.file_name, f.mime, f.size, f.sha256, f.content
             FROM edition_files f JOIN edition_versions v ON v.id = f.version_id
             WHERE v.edition_id = $1 AND v.number = $2 AND v.status = 'done' AND f.file_name = $3",
        )
        .bind(edition_id)
        .bind(number)
        .bind(file_name)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            let file = EditionFile {
                version_id: row.try_get("version_id")?,
                format: row.try_get("format")?,
                file_name: row.try_get("file_name")?,
                mime: row.try_get("mime")?,
                size: row.try_get("size")?,
                sha256: row.try_get("sha256")?,
            };
            Ok((file, row.try_get("content")?))
        })
        .transpose()
    }

    /// Whether an edition has a done version (its cover is then public).
    pub async fn edition_is_published(&self, edition_id: &str) -> Result<bool> {
        let done: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM edition_versions WHERE edition_id = $1 AND status = 'done'")
                .bind(edition_id)
                .fetch_one(self.pool())
                .await?;
        Ok(done > 0)
    }

    /// Every edition with a done version, the most recently built first, with its done versions.
    pub async fn published_editions(&self) -> Result<Vec<PublishedEdition>> {
        let sql = format!("{VERSION_COLUMNS} WHERE status = 'done' ORDER BY built_at DESC, number DESC");
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        let versions = self.with_files(rows.iter().map(version_from_row).collect::<Result<_>>()?).await?;
        let editions = self.editions().await?;
        let mut out: Vec<PublishedEdition> = Vec::new();
        for version in versions {
            match out.iter_mut().find(|p| p.edition.id == version.edition_id) {
                Some(published) => published.versions.push(version),
                None => {
                    let Some(edition) = editions.iter().find(|e| e.id == version.edition_id) else { continue };
                    out.push(PublishedEdition { edition: edition.clone(), versions: vec![version] });
                }
            }
        }
        Ok(out)
    }
}
