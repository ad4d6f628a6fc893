//! The accompaniment diary (SPEC §4): a network's entries with their totals, the entry form, a
//! facilitator's view across the networks they accompany, and the coordination's totals.

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::accompaniment::{DiaryAt, today};
use crate::error::{AppError, AppResult};
use crate::extract::{Coordination, CurrentUser};
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use reti_domain::diary::{DiaryContext, DiaryEntryInput, DiaryKind, DiaryRaw, format_hours};
use reti_domain::markdown;
use reti_domain::{FieldErrors, Locale, Role};
use reti_store::PageRequest;
use reti_store::diary::{DiaryEntry, DiaryFilter, DiaryTotals};
use reti_store::registry::networks::Network;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    pub page: Option<u32>,
}

#[derive(Deserialize)]
pub struct EntryPath {
    pub id: String,
    pub entry_id: String,
}

/// Hours in the page's language: "1,5" in Italian, "1.5" in English.
pub fn hours(locale: Locale, hundredths: i64) -> String {
    format_hours(hundredths, if locale == Locale::It { ',' } else { '.' })
}

/// An entry as listed, with its notes rendered.
pub struct EntryView {
    pub entry: DiaryEntry,
    pub hours: String,
    pub kind_key: String,
    pub notes_html: String,
    pub growth_spaces_html: String,
    pub next_steps_html: String,
    pub editable: bool,
}

fn entry_view(locale: Locale, entry: DiaryEntry, editable: bool) -> EntryView {
    EntryView {
        hours: hours(locale, entry.hundredths),
        kind_key: entry.kind.label_key(),
        notes_html: markdown::render(&entry.notes),
        growth_spaces_html: markdown::render(&entry.growth_spaces),
        next_steps_html: markdown::render(&entry.next_steps),
        editable,
        entry,
    }
}

/// Totals ready for the page: (label, hours, entries) rows.
pub struct TotalsView {
    pub hours: String,
    pub entries: i64,
    pub by_month: Vec<(String, String, i64)>,
    pub by_facilitator: Vec<(String, String, i64)>,
    pub by_network: Vec<(String, String, i64)>,
}

fn totals_view(locale: Locale, totals: DiaryTotals) -> TotalsView {
    let rows = |list: Vec<reti_store::diary::HoursTotal>| {
        list.into_iter().map(|t| (t.label, hours(locale, t.hundredths), t.entries)).collect()
    };
    TotalsView {
        hours: hours(locale, totals.hundredths),
        entries: totals.entries,
        by_month: rows(totals.by_month),
        by_facilitator: rows(totals.by_facilitator),
        by_network: rows(totals.by_network),
    }
}

#[derive(Template)]
#[template(path = "diary/list.html")]
struct ListPage {
    page: PageContext,
    network: Network,
    entries: Vec<EntryView>,
    pager: Pager,
    totals: TotalsView,
}

pub async fn list(
    State(state): State<AppState>,
    page: PageContext,
    diary: DiaryAt,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let filter = DiaryFilter::network(&diary.network.id);
    let request = PageRequest::new(query.page, Some(20));
    let result = state.db.diary_entries(&filter, request).await?;
    let totals = totals_view(page.locale, state.db.diary_totals(&filter).await?);
    let path = format!("/networks/{}/diary", diary.network.id);
    let pager = Pager::new(&path, &[], request, result.total);
    let entries = result
        .items
        .into_iter()
        .map(|entry| {
            let editable = diary.may_edit(&entry.author_user_id);
            entry_view(page.locale, entry, editable)
        })
        .collect();
    render(&ListPage { page, network: diary.network, entries, pager, totals })
}

#[derive(Template)]
#[template(path = "diary/form.html")]
struct FormTemplate {
    page: PageContext,
    title: String,
    action: String,
    network: Network,
    kinds: Vec<(&'static str, String)>,
    form: DiaryRaw,
    errors: FieldErrors,
}

fn form_page(
    page: PageContext,
    title_key: &str,
    action: String,
    network: Network,
    form: DiaryRaw,
    errors: FieldErrors,
) -> AppResult<Response> {
    let kinds = DiaryKind::ALL.iter().map(|k| (k.code(), page.t(&k.label_key()))).collect();
    let status = form_status(&errors);
    render_status(status, &FormTemplate { title: page.t(title_key), page, action, network, kinds, form, errors })
}

pub async fn new_form(FormPage(page): FormPage, diary: DiaryAt) -> AppResult<Response> {
    let action = format!("/networks/{}/diary", diary.network.id);
    let form = DiaryRaw { entry_date: today().to_string(), ..DiaryRaw::default() };
    form_page(page, "diary-new", action, diary.network, form, FieldErrors::default())
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    diary: DiaryAt,
    axum::Form(form): axum::Form<DiaryRaw>,
) -> AppResult<Response> {
    let path = format!("/networks/{}/diary", diary.network.id);
    match DiaryEntryInput::parse(&form, &DiaryContext { today: today() }) {
        Ok(input) => {
            let user = &diary.user;
            state.db.create_diary_entry(&user.actor(), &diary.network.id, &user.identity.user.id, &input).await?;
            set_flash_redirect(&session, page.t("flash-saved"), &path).await
        }
        Err(errors) => form_page(page, "diary-new", path, diary.network, form, errors),
    }
}

/// The entry of the route, when it belongs to the network and the caller may change it.
async fn editable_entry(state: &AppState, diary: &DiaryAt, entry_id: &str) -> AppResult<DiaryEntry> {
    let entry =
        state.db.diary_entry(entry_id).await?.filter(|e| e.network_id == diary.network.id).ok_or(AppError::NotFound)?;
    if diary.may_edit(&entry.author_user_id) { Ok(entry) } else { Err(AppError::Forbidden) }
}

pub async fn edit_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    diary: DiaryAt,
    Path(path): Path<EntryPath>,
) -> AppResult<Response> {
    let entry = editable_entry(&state, &diary, &path.entry_id).await?;
    let form = DiaryRaw {
        entry_date: entry.entry_date.to_string(),
        hours: hours(page.locale, entry.hundredths),
        kind: entry.kind.code().to_owned(),
        notes: entry.notes,
        growth_spaces: entry.growth_spaces,
        next_steps: entry.next_steps,
    };
    let action = format!("/networks/{}/diary/{}", path.id, path.entry_id);
    form_page(page, "diary-edit", action, diary.network, form, FieldErrors::default())
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    diary: DiaryAt,
    Path(path): Path<EntryPath>,
    axum::Form(form): axum::Form<DiaryRaw>,
) -> AppResult<Response> {
    editable_entry(&state, &diary, &path.entry_id).await?;
    match DiaryEntryInput::parse(&form, &DiaryContext { today: today() }) {
        Ok(input) => {
            state.db.update_diary_entry(&diary.user.actor(), &diary.network.id, &path.entry_id, &input).await?;
            set_flash_redirect(&session, page.t("flash-saved"), &format!("/networks/{}/diary", path.id)).await
        }
        Err(errors) => {
            let action = format!("/networks/{}/diary/{}", path.id, path.entry_id);
            form_page(page, "diary-edit", action, diary.network, form, errors)
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    diary: DiaryAt,
    Path(path): Path<EntryPath>,
) -> AppResult<Response> {
    editable_entry(&state, &diary, &path.entry_id).await?;
    state.db.delete_diary_entry(&diary.user.actor(), &diary.network.id, &path.entry_id).await?;
    set_flash_redirect(&session, page.t("flash-diary-deleted"), &format!("/networks/{}/diary", path.id)).await
}

#[derive(Template)]
#[template(path = "diary/mine.html")]
struct MinePage {
    page: PageContext,
    networks: Vec<(String, String)>,
    entries: Vec<EntryView>,
    pager: Pager,
    totals: TotalsView,
    coordinator: bool,
}

/// A facilitator's own entries across the networks they accompany, with their totals.
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
    page: PageContext,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let networks: Vec<(String, String)> = user
        .networks
        .iter()
        .filter(|n| n.role == Role::Facilitator)
        .map(|n| (n.network_id.clone(), n.network_name.clone()))
        .collect();
    let filter = DiaryFilter {
        network_ids: Some(networks.iter().map(|(id, _)| id.clone()).collect()),
        author_user_id: Some(user.identity.user.id.clone()),
        ..DiaryFilter::default()
    };
    let request = PageRequest::new(query.page, Some(20));
    let result = state.db.diary_entries(&filter, request).await?;
    let totals = totals_view(page.locale, state.db.diary_totals(&filter).await?);
    let pager = Pager::new("/diary", &[], request, result.total);
    let entries = result.items.into_iter().map(|entry| entry_view(page.locale, entry, true)).collect();
    let coordinator = user.is_coordinator();
    render(&MinePage { page, networks, entries, pager, totals, coordinator })
}

#[derive(Template)]
#[template(path = "diary/totals.html")]
struct TotalsPage {
    page: PageContext,
    totals: TotalsView,
}

/// The coordination's totals over the networks of the programmes it coordinates.
pub async fn totals(
    State(state): State<AppState>,
    Coordination(user): Coordination,
    page: PageContext,
) -> AppResult<Response> {
    let programme_ids = (!user.user.is_admin).then(|| user.coordinated_programmes());
    let filter = DiaryFilter { programme_ids, ..DiaryFilter::default() };
    let totals = totals_view(page.locale, state.db.diary_totals(&filter).await?);
    render(&TotalsPage { page, totals })
}
