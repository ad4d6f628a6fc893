//! The JSON API under `/api/v1`, authenticated with bearer tokens. Its OpenAPI 3 document is
//! generated from these handlers and served at `/api/v1/openapi.json`.

use crate::error::AppResult;
use crate::extract::CurrentUser;
use axum::Json;
use reti_store::Page;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

pub mod actor_map;
pub mod board;
pub mod districts;
pub mod documents;
pub mod editions;
pub mod funder_reports;
pub mod groups;
pub mod indicators;
pub mod json;
pub mod labs;
pub mod matrix;
pub mod meetings;
pub mod networks;
pub mod organisations;
pub mod people;
pub mod programmes;
pub mod projects;
pub mod reading;
pub mod sustainability;
pub mod territory;
pub mod threads;
pub mod ties;

#[derive(OpenApi)]
#[openapi(
    info(title = "Reti API", version = "1", description = "Programmes, networks and organisations of Reti. Authenticate with `Authorization: Bearer <token>`; create tokens from your account page or with `reti token create`."),
    paths(
        me, me_export,
        programmes::list_programmes, programmes::get_programme, programmes::create_programme, programmes::update_programme, territory::search_municipalities,
        organisations::list_organisations, organisations::create_organisation, organisations::get_organisation,
        organisations::update_organisation, organisations::archive_organisation,
        people::list_people, people::create_person, people::get_person, people::update_person, people::archive_person,
        networks::list_networks, networks::create_network, networks::get_network, networks::update_network,
        networks::archive_network, networks::add_membership, networks::end_membership,
        projects::list_projects, projects::create_project, projects::get_project, projects::update_project, projects::archive_project,
        districts::list_districts,
        matrix::list_diary, matrix::create_diary_entry, matrix::get_diary_entry, matrix::update_diary_entry, matrix::delete_diary_entry,
        matrix::get_matrix, matrix::add_objective, matrix::update_objective, matrix::remove_objective,
        matrix::add_process, matrix::update_process, matrix::remove_process, matrix::put_cell,
        meetings::list_meetings, meetings::create_meeting, meetings::get_meeting, meetings::update_meeting, meetings::cancel_meeting,
        meetings::list_registrations, meetings::create_registration, meetings::delete_registration,
        meetings::get_attendance, meetings::put_attendance, meetings::sign_attendance,
        reading::list_versions, reading::get_version, reading::put_version, reading::list_rounds, reading::create_round,
        reading::get_answer, reading::put_answer, reading::network_results,
        groups::propose, groups::list, groups::get, groups::create,
        board::search_practices,
        ties::get_ties,
        indicators::list_indicators, indicators::list_custom_indicators, indicators::create_custom_indicator,
        indicators::update_custom_indicator, indicators::delete_custom_indicator, indicators::set_custom_value,
        funder_reports::request_report, funder_reports::get_report, funder_reports::report_file,
        labs::list_labs, labs::get_lab, labs::create_lab, labs::update_lab, labs::list_participants, labs::enrol, labs::leave,
        threads::list_threads, threads::create_thread, threads::list_lab_threads, threads::create_lab_thread,
        threads::get_thread, threads::create_reply, threads::hide_message,
        threads::list_notifications,
        documents::list_documents, documents::create_document, documents::list_lab_documents,
        documents::create_lab_document, documents::get_document, documents::update_document,
        documents::list_revisions, documents::diff_revisions, documents::create_comment, documents::restore_revision,
        actor_map::get_map, actor_map::list_relations, actor_map::create_relation, actor_map::update_relation,
        actor_map::delete_relation, actor_map::list_snapshots, actor_map::get_snapshot, actor_map::take_snapshot,
        actor_map::growth_spaces,
        sustainability::get_plan, sustainability::put_plan, sustainability::list_reviews, sustainability::create_review,
        editions::list_editions, editions::get_edition, editions::build_edition,
    ),
    components(schemas(Me, RoleView, ApiErrorBody, ApiErrorDetail)),
    modifiers(&BearerSecurity),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The error body of every failed API call.
#[derive(Serialize, ToSchema)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ApiErrorDetail {
    pub status: u16,
    /// Machine-readable: `unauthorized`, `forbidden`, `not_found`, `invalid`, `conflict`, …
    pub code: String,
    /// In the language of `Accept-Language` (Italian by default).
    pub message: String,
    pub error_id: Option<String>,
}

/// A page of results.
#[derive(Serialize, ToSchema)]
pub struct ApiPage<T: ToSchema> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

pub(crate) fn page_of<T, U: ToSchema>(page: Page<T>, map: impl FnMut(T) -> U) -> ApiPage<U> {
    ApiPage {
        items: page.items.into_iter().map(map).collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }
}

#[derive(Serialize, ToSchema)]
pub struct RoleView {
    pub programme_code: String,
    pub programme_name: String,
    /// `coordinator`, `facilitator`, `network_lead` or `network_member`.
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub roles: Vec<RoleView>,
}

/// The account behind the token.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = ApiErrorBody)))]
pub async fn me(CurrentUser { identity, .. }: CurrentUser) -> AppResult<Json<Me>> {
    Ok(Json(Me {
        id: identity.user.id,
        email: identity.user.email,
        name: identity.user.name,
        is_admin: identity.user.is_admin,
        roles: identity
            .assignments
            .into_iter()
            .map(|a| RoleView {
                programme_code: a.programme_code,
                programme_name: a.programme_name,
                role: a.role.0.code().to_owned(),
            })
            .collect(),
    }))
}

/// Everything the platform holds about the person behind the token (SPEC §9, decision 0050): the
/// document of "Scarica i miei dati" and `reti person export`, always the token owner's own.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "accounts",
    responses((status = 200, body = serde_json::Value), (status = 401, body = ApiErrorBody)))]
pub async fn me_export(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    CurrentUser { identity, .. }: CurrentUser,
) -> AppResult<Json<serde_json::Value>> {
    Ok(Json(state.db.person_export(&identity.user.email).await?))
}
