//! Editions of the e-book (issue 11, decision 0041). The coordination's pages under
//! `/ebook/editions`: an edition's details, cover, chapters with their ordered practices (forms
//! only: add, remove, move up or down), and its builds with their progress; and the public
//! `/bacheca/ebook`, where every built version stays downloadable.

use super::practice_images::{IMAGE_BODY_LIMIT, MAX_IMAGE_BYTES, checked_image, checked_texts};
use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::editions::{BuildError, ChapterBasis, chapters_by};
use crate::error::{AppError, AppResult};
use crate::extract::Coordination;
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use reti_domain::input::edition::{DEFAULT_LICENCE, Move};
use reti_domain::input::{ChapterInput, ChapterRaw, EditionInput, EditionRaw};
use reti_domain::markdown;
use reti_domain::practices::PracticeStatus;
use reti_domain::{FieldError, FieldErrors};
use reti_store::editions::{Edition, EditionChapter, EditionVersion, NewCover, PublishedEdition};
use reti_store::practices::PracticeFilter;
use reti_store::{PageRequest, StoreError};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// The request body a cover upload may have.
pub const COVER_BODY_LIMIT: usize = IMAGE_BODY_LIMIT;

/// A stored time (UTC, RFC 3339) as people in Italy read it.
pub fn local_time(text: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| reti_domain::meetings::to_local(t.with_timezone(&chrono::Utc)).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// A size in bytes as "12,3 kB" or "1,2 MB".
pub fn file_size(page: &PageContext, bytes: i64) -> String {
    let (value, unit) =
        if bytes >= 1024 * 1024 { (bytes as f64 / 1048576.0, "MB") } else { (bytes as f64 / 1024.0, "kB") };
    let text = format!("{value:.1} {unit}");
    match page.locale {
        reti_domain::Locale::It => text.replace('.', ","),
        reti_domain::Locale::En => text,
    }
}

/// Why a build failed, in the reader's language when it is a known reason.
pub fn failure(page: &PageContext, error: &str) -> String {
    if error.starts_with("editions-build-error-") { page.t(error) } else { error.to_owned() }
}

/// A version as the pages show it.
pub struct VersionView {
    pub version: EditionVersion,
    pub status: String,
    pub requested_at: String,
    pub built_at: String,
    pub error: String,
    /// (href, file name, size, sha256)
    pub files: Vec<(String, String, String, String)>,
}

pub fn version_view(page: &PageContext, version: EditionVersion) -> VersionView {
    let files = version
        .files
        .iter()
        .map(|f| {
            (
                format!("/bacheca/ebook/{}/{}/{}", version.edition_id, version.number, f.file_name),
                f.file_name.clone(),
                file_size(page, f.size),
                f.sha256.clone(),
            )
        })
        .collect();
    VersionView {
        status: page.t(&format!("editions-status-{}", version.status.code())),
        requested_at: local_time(&version.requested_at),
        built_at: version.built_at.as_deref().map(local_time).unwrap_or_default(),
        error: version.error.as_deref().map(|e| failure(page, e)).unwrap_or_default(),
        files,
        version,
    }
}

// ---------------------------------------------------------------------------------------------
// The list and the edition's details

pub struct EditionRow {
    pub edition: Edition,
    pub latest: Option<VersionView>,
}

#[derive(Template)]
#[template(path = "editions/list.html")]
struct ListPage {
    page: PageContext,
    rows: Vec<EditionRow>,
}

pub async fn list(State(state): State<AppState>, page: PageContext, _: Coordination) -> AppResult<Response> {
    let mut rows = Vec::new();
    for edition in state.db.editions().await? {
        let latest = state.db.edition_versions(&edition.id).await?.into_iter().next().map(|v| version_view(&page, v));
        rows.push(EditionRow { edition, latest });
    }
    render(&ListPage { page, rows })
}

#[derive(Template)]
#[template(path = "editions/form.html")]
struct FormTemplate {
    page: PageContext,
    title: String,
    action: String,
    back: String,
    form: EditionRaw,
    errors: FieldErrors,
}

fn form_page(
    page: PageContext,
    edition_id: Option<&str>,
    form: EditionRaw,
    errors: FieldErrors,
) -> AppResult<Response> {
    let (title, action, back) = match edition_id {
        Some(id) => (page.t("editions-edit"), format!("/ebook/editions/{id}"), format!("/ebook/editions/{id}")),
        None => (page.t("editions-new"), "/ebook/editions".to_owned(), "/ebook/editions".to_owned()),
    };
    render_status(form_status(&errors), &FormTemplate { page, title, action, back, form, errors })
}

pub async fn new_form(FormPage(page): FormPage, _: Coordination) -> AppResult<Response> {
    let form = EditionRaw {
        year: Some(time::OffsetDateTime::now_utc().year().to_string()),
        licence: Some(DEFAULT_LICENCE.to_owned()),
        ..EditionRaw::default()
    };
    form_page(page, None, form, FieldErrors::default())
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    Coordination(user): Coordination,
    axum::Form(form): axum::Form<EditionRaw>,
) -> AppResult<Response> {
    let outcome = match EditionInput::parse(&form) {
        Ok(input) => state.db.create_edition(&user.actor(), &input).await,
        Err(errors) => Err(errors.into()),
    };
    match outcome {
        Ok(id) => {
            set_flash_redirect(&session, page.t("editions-flash-created"), &format!("/ebook/editions/{id}")).await
        }
        Err(StoreError::Invalid(errors)) => form_page(page, None, form, errors),
        Err(other) => Err(other.into()),
    }
}

fn raw_of(edition: &Edition) -> EditionRaw {
    EditionRaw {
        title: Some(edition.title.clone()),
        subtitle: Some(edition.subtitle.clone()),
        year: Some(edition.year.to_string()),
        editors: Some(edition.editors.join("\n")),
        licence: Some(edition.licence.clone()),
        introduction: Some(edition.introduction.clone()),
        english_summary: Some(edition.english_summary.clone()),
    }
}

/// The alt text of the edition's uploaded cover; empty without one.
async fn cover_alt(state: &AppState, edition: &Edition) -> AppResult<String> {
    if !edition.has_cover {
        return Ok(String::new());
    }
    Ok(state.db.edition_cover(&edition.id).await?.map(|c| c.alt).unwrap_or_default())
}

async fn edition_or_404(state: &AppState, id: &str) -> AppResult<Edition> {
    state.db.edition(id).await?.ok_or(AppError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    _: Coordination,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let edition = edition_or_404(&state, &id).await?;
    form_page(page, Some(&edition.id), raw_of(&edition), FieldErrors::default())
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    Coordination(user): Coordination,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<EditionRaw>,
) -> AppResult<Response> {
    let edition = edition_or_404(&state, &id).await?;
    let outcome = match EditionInput::parse(&form) {
        Ok(input) => state.db.update_edition(&user.actor(), &edition.id, &input).await,
        Err(errors) => Err(errors.into()),
    };
    match outcome {
        Ok(()) => set_flash_redirect(&session, page.t("flash-saved"), &format!("/ebook/editions/{id}")).await,
        Err(StoreError::Invalid(errors)) => form_page(page, Some(&edition.id), form, errors),
        Err(other) => Err(other.into()),
    }
}

pub struct ChapterLine {
    pub chapter: EditionChapter,
    /// The chosen practices still on the board.
    pub published: i64,
}

#[derive(Template)]
#[template(path = "editions/show.html")]
struct ShowPage {
    page: PageContext,
    edition: Edition,
    introduction: String,
    english_summary: String,
    cover_alt: String,
    chapters: Vec<ChapterLine>,
    versions: Vec<VersionView>,
    /// A build is queued or running: the page's script follows it.
    pending: bool,
    chapter_form: ChapterRaw,
    errors: FieldErrors,
}

async fn show_page(
    state: &AppState,
    page: PageContext,
    edition: Edition,
    chapter_form: ChapterRaw,
    errors: FieldErrors,
) -> AppResult<Response> {
    let chapters = state
        .db
        .edition_chapters(&edition.id)
        .await?
        .into_iter()
        .map(|chapter| ChapterLine {
            published: chapter.practices.iter().filter(|p| p.published).count() as i64,
            chapter,
        })
        .collect();
    let versions: Vec<VersionView> =
        state.db.edition_versions(&edition.id).await?.into_iter().map(|v| version_view(&page, v)).collect();
    let pending = versions.iter().any(|v| v.version.status.pending());
    let cover_alt = cover_alt(state, &edition).await?;
    let introduction = markdown::render(&edition.introduction);
    let english_summary = markdown::render(&edition.english_summary);
    render_status(
        form_status(&errors),
        &ShowPage {
            page,
            edition,
            introduction,
            english_summary,
            cover_alt,
            chapters,
            versions,
            pending,
            chapter_form,
            errors,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    _: Coordination,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let edition = edition_or_404(&state, &id).await?;
    show_page(&state, page, edition, ChapterRaw::default(), FieldErrors::default()).await
}

// ---------------------------------------------------------------------------------------------
// Cover

/// A cover upload's fields; the file is read whole (it is small) and refused past the limit.
#[derive(Default)]
struct CoverUpload {
    bytes: Vec<u8>,
    alt: String,
    too_large: bool,
}

async fn read_cover(multipart: &mut Multipart) -> CoverUpload {
    let mut upload = CoverUpload::default();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return upload,
            Err(error) => {
                upload.too_large |= error.status() == StatusCode::PAYLOAD_TOO_LARGE;
                return upload;
            }
        };
        match field.name() {
            Some("file") => loop {
                match field.chunk().await {
                    Ok(Some(chunk)) if upload.bytes.len() + chunk.len() > MAX_IMAGE_BYTES => {
                        upload.too_large = true;
                        return upload;
                    }
                    Ok(Some(chunk)) => upload.bytes.extend_from_slice(&chunk),
                    Ok(None) => break,
                    Err(error) => {
                        upload.too_large |= error.status() == StatusCode::PAYLOAD_TOO_LARGE;
                        return upload;
                    }
                }
            },
            Some("alt") => upload.alt = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
}

pub async fn upload_cover(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    Coordination(user): Coordination,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let edition = edition_or_404(&state, &id).await?;
    let upload = read_cover(&mut multipart).await;
    let mut errors = FieldErrors::default();
    let image = if upload.too_large {
        errors.add(FieldError::new("file", "error-image-too-large").with_arg("max", MAX_IMAGE_BYTES / (1024 * 1024)));
        None
    } else {
        errors.check(checked_image(&upload.bytes))
    };
    let alt = match checked_texts(&upload.alt, "") {
        Ok((alt, _)) => Some(alt),
        Err(problems) => {
            errors.0.extend(problems.0);
            None
        }
    };
    let (Some((mime, width, height)), Some(alt)) = (image, alt) else {
        return show_page(&state, page, edition, ChapterRaw::default(), errors).await;
    };
    let cover = NewCover { mime, width: width as i64, height: height as i64, alt, bytes: upload.bytes };
    state.db.set_edition_cover(&user.actor(), &edition.id, Some(&cover)).await?;
    set_flash_redirect(&session, page.t("editions-flash-cover"), &format!("/ebook/editions/{id}")).await
}

pub async fn generated_cover(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Coordination(user): Coordination,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let edition = edition_or_404(&state, &id).await?;
    state.db.set_edition_cover(&user.actor(), &edition.id, None).await?;
    set_flash_redirect(&session, page.t("editions-flash-cover-generated"), &format!("/ebook/editions/{id}")).await
}

/// The uploaded cover: public once the edition has a built version, else the coordination's.
pub async fn cover(
    State(state): State<AppState>,
    user: Option<crate::extract::CurrentUser>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let coordinator = user.is_some_and(|u| u.is_coordinator());
    if !coordinator && !state.db.edition_is_published(&id).await? {
        return Err(AppError::NotFound);
    }
    let cover = state.db.edition_cover(&id).await?.ok_or(AppError::NotFound)?;
    let cache = if coordinator { "private, no-cache" } else { "public, max-age=3600" };
    Ok((
        [
            (header::CONTENT_TYPE, cover.mime),
            (header::CACHE_CONTROL, cache.to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        cover.bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// Chapters

pub async fn add_chapter(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    Coordination(user): Coordination,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ChapterRaw>,
) -> AppResult<Response> {
    let edition = edition_or_404(&state, &id).await?;
    match ChapterInput::parse(&form) {
        Ok(input) => {
            let ids = state.db.add_edition_chapters(&user.actor(), &edition.id, &[(input, Vec::new())]).await?;
            let to = ids.first().map(|c| format!("/ebook/editions/{id}/chapters/{c}")).unwrap_or_default();
            set_flash_redirect(&session, page.t("editions-flash-chapter-added"), &to).await
        }
        Err(errors) => show_page(&state, page, edition, form, errors).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GenerateForm {
    pub editions_basis: String,
}

pub async fn generate_chapters(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    Coordination(user): Coordination,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<GenerateForm>,
) -> AppResult<Response> {
    let edition = edition_or_404(&state, &id).await?;
    let Some(basis) = ChapterBasis::parse(&form.editions_basis) else {
        let errors = FieldErrors::from(FieldError::new("editions_basis", "editions-error-basis"));
        return show_page(&state, page, edition, ChapterRaw::default(), errors).await;
    };
    let chapters = chapters_by(&state.db, basis).await?;
    state.db.add_edition_chapters(&user.actor(), &edition.id, &chapters).await?;
    let message = page.t_count("editions-flash-chapters-generated", &(chapters.len() as i64));
    set_flash_redirect(&session, message, &format!("/ebook/editions/{id}#chapters")).await
}

#[derive(Deserialize)]
pub struct ChapterPath {
    pub id: String,
    pub chapter_id: String,
}

#[derive(Template)]
#[template(path = "editions/chapter.html")]
struct ChapterPage {
    page: PageContext,
    edition: Edition,
    chapter: EditionChapter,
    /// Published practices not in the chapter yet: (id, label).
    candidates: Vec<(String, String)>,
    form: ChapterRaw,
    errors: FieldErrors,
}

async fn chapter_page(
    state: &AppState,
    page: PageContext,
    path: &ChapterPath,
    form: Option<ChapterRaw>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let edition = edition_or_404(state, &path.id).await?;
    let chapter = state
        .db
        .edition_chapters(&edition.id)
        .await?
        .into_iter()
        .find(|c| c.id == path.chapter_id)
        .ok_or(AppError::NotFound)?;
    let filter = PracticeFilter { status: Some(PracticeStatus::Published), ..Default::default() };
    let mut candidates: Vec<(String, String)> = state
        .db
        .practices(&filter, PageRequest::all())
        .await?
        .items
        .into_iter()
        .filter(|p| !chapter.practices.iter().any(|c| c.practice_id == p.id))
        .map(|p| {
            let network = p.network_name.map(|n| format!(" — {n}")).unwrap_or_default();
            (p.id, format!("{}{network}", p.title))
        })
        .collect();
    candidates.sort_by_cached_key(|(_, label)| reti_domain::text::fold(label));
    let form = form.unwrap_or_else(|| ChapterRaw {
        title: Some(chapter.title.clone()),
        introduction: Some(chapter.introduction.clone()),
    });
    render_status(form_status(&errors), &ChapterPage { page, edition, chapter, candidates, form, errors })
}

pub async fn chapter(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    _: Coordination,
    Path(path): Path<ChapterPath>,
) -> AppResult<Response> {
    chapter_page(&state, page, &path, None, FieldErrors::default()).await
}

fn chapter_href(path: &ChapterPath) -> String {
    format!("/ebook/editions/{}/chapters/{}", path.id, path.chapter_id)
}

pub async fn update_chapter(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    Coordination(user): Coordination,
    Path(path): Path<ChapterPath>,
    axum::Form(form): axum::Form<ChapterRaw>,
) -> AppResult<Response> {
    let outcome = match ChapterInput::parse(&form) {
        Ok(input) => state.db.update_edition_chapter(&user.actor(), &path.id, &path.chapter_id, &input).await,
        Err(errors) => Err(errors.into()),
    };
    match outcome {
        Ok(()) => set_flash_redirect(&session, page.t("flash-saved"), &chapter_href(&path)).await,
        Err(StoreError::Invalid(errors)) => chapter_page(&state, page, &path, Some(form), errors).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn remove_chapter(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Coordination(user): Coordination,
    Path(path): Path<ChapterPath>,
) -> AppResult<Response> {
    state.db.remove_edition_chapter(&user.actor(), &path.id, &path.chapter_id).await?;
    let to = format!("/ebook/editions/{}#chapters", path.id);
    set_flash_redirect(&session, page.t("editions-flash-chapter-removed"), &to).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    pub editions_direction: String,
}

fn step_of(form: &MoveForm) -> AppResult<Move> {
    Move::parse(&form.editions_direction)
        .ok_or_else(|| AppError::Invalid(FieldError::new("editions_direction", "editions-error-direction").into()))
}

pub async fn move_chapter(
    State(state): State<AppState>,
    Coordination(user): Coordination,
    Path(path): Path<ChapterPath>,
    axum::Form(form): axum::Form<MoveForm>,
) -> AppResult<Response> {
    state.db.move_edition_chapter(&user.actor(), &path.id, &path.chapter_id, step_of(&form)?).await?;
    Ok(axum::response::Redirect::to(&format!("/ebook/editions/{}#chapter-{}", path.id, path.chapter_id))
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PracticeForm {
    pub editions_practice: String,
}

pub async fn add_practice(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    Coordination(user): Coordination,
    Path(path): Path<ChapterPath>,
    axum::Form(form): axum::Form<PracticeForm>,
) -> AppResult<Response> {
    let practice = form.editions_practice.trim();
    let outcome = if practice.is_empty() {
        Err(StoreError::Invalid(FieldError::new("editions_practice", "error-required").into()))
    } else {
        state.db.add_chapter_practice(&user.actor(), &path.id, &path.chapter_id, practice).await
    };
    match outcome {
        Ok(()) => set_flash_redirect(&session, page.t("editions-flash-practice-added"), &chapter_href(&path)).await,
        Err(StoreError::Invalid(errors)) => chapter_page(&state, page, &path, None, errors).await,
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct PracticePath {
    pub id: String,
    pub chapter_id: String,
    pub practice_id: String,
}

impl PracticePath {
    fn chapter(&self) -> ChapterPath {
        ChapterPath { id: self.id.clone(), chapter_id: self.chapter_id.clone() }
    }
}

pub async fn remove_practice(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Coordination(user): Coordination,
    Path(path): Path<PracticePath>,
) -> AppResult<Response> {
    state.db.remove_chapter_practice(&user.actor(), &path.id, &path.chapter_id, &path.practice_id).await?;
    set_flash_redirect(&session, page.t("editions-flash-practice-removed"), &chapter_href(&path.chapter())).await
}

pub async fn move_practice(
    State(state): State<AppState>,
    Coordination(user): Coordination,
    Path(path): Path<PracticePath>,
    axum::Form(form): axum::Form<MoveForm>,
) -> AppResult<Response> {
    let step = step_of(&form)?;
    state.db.move_chapter_practice(&user.actor(), &path.id, &path.chapter_id, &path.practice_id, step).await?;
    let to = format!("{}#practice-{}", chapter_href(&path.chapter()), path.practice_id);
    Ok(axum::response::Redirect::to(&to).into_response())
}

// ---------------------------------------------------------------------------------------------
// Builds

/// Queues a build of the edition; refused (on the Build button's field) when no chapter has a
/// published practice, since the book would be empty.
pub async fn request_build(state: &AppState, user: &Coordination, edition_id: &str) -> AppResult<EditionVersion> {
    let chapters = state.db.edition_chapters(edition_id).await?;
    if !chapters.iter().any(|c| c.practices.iter().any(|p| p.published)) {
        return Err(AppError::Invalid(FieldError::new("editions_build", BuildError::Empty.code()).into()));
    }
    Ok(state.db.request_edition_build(&user.actor(), edition_id, true).await?)
}

pub async fn build(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    user: Coordination,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let edition = edition_or_404(&state, &id).await?;
    match request_build(&state, &user, &edition.id).await {
        Ok(version) => {
            let message = page.t_args("editions-flash-build-queued", &[("number", version.number.to_string())]);
            set_flash_redirect(&session, message, &format!("/ebook/editions/{id}#versions")).await
        }
        Err(AppError::Invalid(errors)) => show_page(&state, page, edition, ChapterRaw::default(), errors).await,
        Err(other) => Err(other),
    }
}

#[derive(Serialize)]
pub struct ProgressLine {
    pub number: i64,
    pub status: String,
    pub label: String,
    pub progress: i64,
}

/// The state of the edition's builds, for the page's script that follows a build.
pub async fn progress(
    State(state): State<AppState>,
    page: PageContext,
    _: Coordination,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<ProgressLine>>> {
    let edition = edition_or_404(&state, &id).await?;
    let lines = state
        .db
        .edition_versions(&edition.id)
        .await?
        .into_iter()
        .map(|v| ProgressLine {
            number: v.number,
            status: v.status.code().to_owned(),
            label: page.t(&format!("editions-status-{}", v.status.code())),
            progress: v.progress,
        })
        .collect();
    Ok(Json(lines))
}

// ---------------------------------------------------------------------------------------------
// The public board of editions

pub struct PublishedView {
    pub edition: Edition,
    pub latest: VersionView,
    pub older: Vec<VersionView>,
    pub older_count: i64,
    pub cover_alt: String,
}

#[derive(Template)]
#[template(path = "editions/board.html")]
struct BoardPage {
    page: PageContext,
    editions: Vec<PublishedView>,
}

pub async fn board(State(state): State<AppState>, page: PageContext) -> AppResult<Response> {
    let mut editions = Vec::new();
    for PublishedEdition { edition, versions } in state.db.published_editions().await? {
        let mut views = versions.into_iter().map(|v| version_view(&page, v));
        let Some(latest) = views.next() else { continue };
        let cover_alt = cover_alt(&state, &edition).await?;
        let older: Vec<VersionView> = views.collect();
        editions.push(PublishedView { edition, latest, older_count: older.len() as i64, older, cover_alt });
    }
    render(&BoardPage { page, editions })
}

#[derive(Deserialize)]
pub struct FilePath {
    pub id: String,
    pub number: String,
    pub file: String,
}

/// A built file, at its stable address `/bacheca/ebook/{edition}/{number}/{file name}`.
pub async fn download(State(state): State<AppState>, Path(path): Path<FilePath>) -> AppResult<Response> {
    let number: i64 = path.number.parse().map_err(|_| AppError::NotFound)?;
    let (file, bytes) = state.db.edition_file(&path.id, number, &path.file).await?.ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, file.mime.clone()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", file.file_name)),
            (header::CACHE_CONTROL, "public, max-age=86400".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
