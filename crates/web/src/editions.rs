//! Building an edition of the e-book (issue 11, decision 0041): the stored edition turned into
//! what `reti_publish` writes, and the job that builds one version, reporting its progress.
//!
//! Each format is one more [`NewEditionFile`] of the version: the EPUB and the PDF, written from
//! the same [`Edition`] in [`build_files`].

use crate::i18n::Translator;
use anyhow::Context;
use reti_domain::Locale;
use reti_domain::input::ChapterInput;
use reti_domain::practices::PracticeStatus;
use reti_domain::text::fold;
use reti_publish::{Chapter, CoverImage, Edition, Labels, PracticeDoc};
use reti_store::editions::{EditionVersion, NewEditionFile, VersionStatus};
use reti_store::practices::{Practice, PracticeFilter};
use reti_store::{Db, PageRequest};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The content type of an EPUB file.
pub const EPUB_MIME: &str = "application/epub+zip";

/// The content type of a PDF file.
pub const PDF_MIME: &str = "application/pdf";

/// Why a build failed when the reason is the edition's, not the machine's: the page translates
/// these (their text is a Fluent key); any other failure is shown as it was logged.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("editions-build-error-empty")]
    Empty,
    #[error("editions-build-error-gone")]
    Gone,
}

impl BuildError {
    /// The Fluent key of the reason.
    pub fn code(&self) -> &'static str {
        match self {
            BuildError::Empty => "editions-build-error-empty",
            BuildError::Gone => "editions-build-error-gone",
        }
    }
}

/// The edition `edition_id` as it stands, ready to be written: only the practices still published
/// are printed. Fails with [`BuildError`] when the edition is gone or prints no practice.
pub async fn assemble(db: &Db, edition_id: &str) -> anyhow::Result<Edition> {
    let edition = db.edition(edition_id).await?.ok_or(BuildError::Gone)?;
    let chapters = db.edition_chapters(edition_id).await?;
    let mut published = Published::read(db).await?;
    let chapters: Vec<Chapter> = chapters
        .into_iter()
        .map(|chapter| {
            let ids = chapter.practices.iter().map(|chosen| chosen.practice_id.as_str());
            published.chapter(chapter.title, chapter.introduction, ids)
        })
        .collect();
    if chapters.iter().all(|c| c.practices.is_empty()) {
        return Err(BuildError::Empty.into());
    }
    let identifier = uuid::Uuid::parse_str(&edition.id).context("an edition id is a UUID")?;
    let cover = match edition.has_cover {
        true => db.edition_cover(edition_id).await?.map(|c| CoverImage { mime: c.mime, bytes: c.bytes, alt: c.alt }),
        false => None,
    };
    Ok(Edition {
        identifier,
        modified: time::OffsetDateTime::now_utc(),
        title: edition.title,
        subtitle: Some(edition.subtitle).filter(|s| !s.is_empty()),
        year: i32::try_from(edition.year).context("the edition's year")?,
        editors: edition.editors,
        licence: edition.licence,
        introduction_markdown: edition.introduction,
        english_summary_markdown: edition.english_summary,
        cover,
        chapters,
        labels: labels(),
    })
}

/// The e-book's words (section headings, index, colophon, accessibility summary) from the locale
/// files, in Italian: the e-book's language.
pub fn labels() -> Labels {
    let tr = Translator::new(Locale::It);
    Labels::from_lookup(|key| tr.t(key))
}

/// Every published practice, one chapter per action line as [`chapters_by`] makes them: the
/// ad-hoc edition of `reti ebook build --all-published`.
pub async fn all_published_chapters(db: &Db) -> anyhow::Result<Vec<Chapter>> {
    let mut published = Published::read(db).await?;
    let lines = db.ebook_action_line_titles().await?;
    let grouped = group_chapters(published.practices.values(), &lines, ChapterBasis::ActionLine);
    Ok(grouped
        .into_iter()
        .map(|(input, ids)| published.chapter(input.title, input.introduction, ids.iter().map(String::as_str)))
        .collect())
}

/// The published practices by id with their municipalities' names: what chapters print.
struct Published {
    practices: HashMap<String, Practice>,
    territories: HashMap<String, Vec<String>>,
}

impl Published {
    async fn read(db: &Db) -> anyhow::Result<Published> {
        let filter = PracticeFilter { status: Some(PracticeStatus::Published), ..Default::default() };
        let practices = db.practices(&filter, PageRequest::all()).await?.items;
        Ok(Published {
            practices: practices.into_iter().map(|p| (p.id.clone(), p)).collect(),
            territories: db.ebook_published_territories().await?,
        })
    }

    /// A chapter of the practices `ids` in that order; those no longer published are left out.
    fn chapter<'a>(&mut self, title: String, introduction: String, ids: impl Iterator<Item = &'a str>) -> Chapter {
        let practices = ids
            .filter_map(|id| self.practices.remove(id))
            .map(|practice| PracticeDoc {
                territories: self.territories.remove(&practice.id).unwrap_or_default(),
                title: practice.title,
                network: practice.network_name,
                action_line: practice.action_line,
                theme: practice.theme,
                year: practice.year,
                texts: practice.texts,
            })
            .collect();
        Chapter { title, introduction_markdown: introduction, practices }
    }
}

/// The file name of an edition's files: `<slug>.<format>`.
pub fn file_name(edition: &Edition, format: &str) -> String {
    format!("{}.{format}", reti_publish::slug(&edition.title))
}

/// Writes every format of `edition`: the EPUB, then the PDF (typesetting is CPU work, so both
/// run off the async workers).
pub async fn build_files(edition: Edition) -> anyhow::Result<Vec<NewEditionFile>> {
    let epub_name = file_name(&edition, "epub");
    let pdf_name = file_name(&edition, "pdf");
    let (epub, pdf) = tokio::task::spawn_blocking(move || {
        let epub = reti_publish::write_epub(&edition).context("writing the EPUB")?;
        let pdf = reti_publish::write_pdf(&edition).context("writing the PDF")?;
        anyhow::Ok((epub, pdf))
    })
    .await
    .context("the e-book writers stopped")??;
    Ok(vec![new_file("epub", epub_name, EPUB_MIME, epub), new_file("pdf", pdf_name, PDF_MIME, pdf)])
}

fn new_file(format: &'static str, file_name: String, mime: &'static str, bytes: Vec<u8>) -> NewEditionFile {
    NewEditionFile { format, file_name, mime, sha256: hex(&Sha256::digest(&bytes)), bytes }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The job of [`reti_store::editions::EDITION_BUILD_KIND`]: builds the version of the payload.
/// A build that fails marks its version failed with why, and the job is done (building again is
/// the coordination's choice); only failing to record the outcome fails the attempt.
pub async fn run_build(db: &Db, payload: serde_json::Value) -> anyhow::Result<()> {
    let version_id = payload["version_id"].as_str().context("an edition build names its version")?;
    let Some(version) = db.edition_version(version_id).await? else {
        // The edition was deleted with its versions: nothing to build.
        return Ok(());
    };
    build_version(db, &version).await
}

/// Builds `version` now: its progress, then its files or its failure, are recorded as it goes.
pub async fn build_version(db: &Db, version: &EditionVersion) -> anyhow::Result<()> {
    if version.status == VersionStatus::Done {
        return Ok(());
    }
    let id = version.id.as_str();
    db.edition_build_progress(id, VersionStatus::Running, 5).await?;
    let built = async {
        let edition = assemble(db, &version.edition_id).await?;
        db.edition_build_progress(id, VersionStatus::Running, 30).await?;
        let files = build_files(edition).await?;
        db.edition_build_progress(id, VersionStatus::Running, 90).await?;
        anyhow::Ok(files)
    }
    .await;
    match built {
        Ok(files) => db.finish_edition_build(id, &files).await?,
        Err(error) => {
            tracing::warn!(version = %id, error = %format!("{error:#}"), "an edition build failed");
            db.fail_edition_build(id, &format!("{error:#}")).await?;
        }
    }
    Ok(())
}

/// What the chapters made at once are per: the practices' action line or their theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChapterBasis {
    ActionLine,
    Theme,
}

impl ChapterBasis {
    pub fn parse(code: &str) -> Option<ChapterBasis> {
        match code {
            "action_line" => Some(ChapterBasis::ActionLine),
            "theme" => Some(ChapterBasis::Theme),
            _ => None,
        }
    }
}

/// How chapters sort: (without a line or theme, action line number, theme).
type ChapterKey = (bool, i64, String);
/// A practice's (title folded for sorting, id).
type TitledPractice = (String, String);

/// One chapter per action line (in the order of their numbers) or per theme (alphabetical), with
/// every published practice of it by title; practices without one in a last chapter. Titles are
/// in Italian, the e-book's language.
pub async fn chapters_by(db: &Db, basis: ChapterBasis) -> anyhow::Result<Vec<(ChapterInput, Vec<String>)>> {
    let filter = PracticeFilter { status: Some(PracticeStatus::Published), ..Default::default() };
    let practices = db.practices(&filter, PageRequest::all()).await?.items;
    let lines = db.ebook_action_line_titles().await?;
    Ok(group_chapters(practices.iter(), &lines, basis))
}

/// [`chapters_by`] on practices already read; `lines` are the action lines' titles by
/// (programme, number).
fn group_chapters<'a>(
    practices: impl Iterator<Item = &'a Practice>,
    lines: &HashMap<(String, i64), String>,
    basis: ChapterBasis,
) -> Vec<(ChapterInput, Vec<String>)> {
    let tr = Translator::new(Locale::It);
    // The key sorts chapters: `true` (no line, no theme) last.
    let mut chapters: BTreeMap<ChapterKey, (String, Vec<TitledPractice>)> = BTreeMap::new();
    for practice in practices {
        let (key, title) = match basis {
            ChapterBasis::ActionLine => match practice.action_line {
                Some(n) => {
                    let title = match lines.get(&(practice.programme_id.clone(), n)) {
                        Some(line) => tr.t_args(
                            "editions-chapter-action-line",
                            &[("number", n.to_string()), ("title", line.clone())],
                        ),
                        None => tr.t_args("editions-chapter-action-line-number", &[("number", n.to_string())]),
                    };
                    ((false, n, String::new()), title)
                }
                None => ((true, 0, String::new()), tr.t("editions-chapter-other")),
            },
            ChapterBasis::Theme => match practice.theme.trim() {
                "" => ((true, 0, String::new()), tr.t("editions-chapter-other")),
                theme => ((false, 0, fold(theme)), theme.to_owned()),
            },
        };
        chapters.entry(key).or_insert_with(|| (title, Vec::new())).1.push((fold(&practice.title), practice.id.clone()));
    }
    chapters
        .into_values()
        .map(|(title, mut practices)| {
            practices.sort();
            (ChapterInput { title, introduction: String::new() }, practices.into_iter().map(|(_, id)| id).collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_lower_case_hex() {
        assert_eq!(hex(&Sha256::digest(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
