//! The JSON API under `/api/v1`, authenticated with bearer tokens. Its OpenAPI 3 document is
//! generated from these handlers and served at `/api/v1/openapi.json`.

use crate::error::AppResult;
use crate::extract::CurrentUser;
use axum::Json;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

pub mod districts;
pub mod json;
pub mod meetings;
pub mod registry;

#[derive(OpenApi)]
#[openapi(
    info(title = "Reti API", version = "1", description = "Programmes, networks and organisations of Reti. Authenticate with `Authorization: Bearer <token>`; create tokens from your account page or with `reti token create`."),
    paths(
        me,
        registry::list_programmes, registry::get_programme, registry::create_programme, registry::update_programme, registry::search_municipalities,
        registry::list_organisations, registry::create_organisation, registry::get_organisation,
        registry::update_organisation, registry::archive_organisation,
        registry::list_people, registry::create_person, registry::get_person, registry::update_person, registry::archive_person,
        registry::list_networks, registry::create_network, registry::get_network, registry::update_network,
        registry::archive_network, registry::add_membership, registry::end_membership,
        registry::list_projects, registry::create_project, registry::get_project, registry::update_project, registry::archive_project,
        districts::list_districts,
        meetings::list_meetings, meetings::create_meeting, meetings::get_meeting, meetings::update_meeting, meetings::cancel_meeting,
        meetings::list_registrations, meetings::create_registration, meetings::delete_registration,
        meetings::get_attendance, meetings::put_attendance, meetings::sign_attendance,
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
