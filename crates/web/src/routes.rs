//! Every route of the application with its access rule. The router is built from this table and
//! the role × route test walks the same table, so a route cannot exist without a rule, and the rule
//! is what is tested.

use crate::access::{Access, guard};
use crate::{AppState, api, assets, ops, pages};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, post, put};

pub struct Route {
    pub method: Method,
    /// The axum path, e.g. `/account/tokens/{id}/revoke`.
    pub path: &'static str,
    pub access: Access,
    handler: MethodRouter<AppState>,
}

fn route(method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> Route {
    Route { method, path, access, handler }
}

/// The table.
pub fn table() -> Vec<Route> {
    use Access::*;
    use Method as M;
    vec![
        route(M::GET, "/", Public, get(pages::home::home)),
        route(M::GET, "/accessibility", Public, get(pages::info::accessibility)),
        route(M::GET, "/privacy", Public, get(pages::info::privacy)),
        route(M::GET, "/login", Public, get(pages::login::form)),
        route(M::POST, "/login", Public, post(pages::login::submit)),
        route(M::POST, "/logout", Public, post(pages::login::logout)),
        route(M::GET, "/password/forgot", Public, get(pages::password::forgot_form)),
        route(M::POST, "/password/forgot", Public, post(pages::password::forgot_submit)),
        route(M::GET, "/password/reset/{token}", Public, get(pages::password::reset_form)),
        route(M::POST, "/password/reset/{token}", Public, post(pages::password::reset_submit)),
        route(M::GET, "/invitations/{token}", Public, get(pages::invitations::accept_form)),
        route(M::POST, "/invitations/{token}", Public, post(pages::invitations::accept_submit)),
        route(M::GET, "/invitations/new", Coordinator, get(pages::invitations::new_form)),
        route(M::POST, "/invitations", Coordinator, post(pages::invitations::create)),
        route(M::GET, "/users", Coordinator, get(pages::users::list)),
        route(M::GET, "/audit", Coordinator, get(pages::audit::list)),
        route(M::GET, "/admin/jobs", Admin, get(pages::jobs::list)),
        route(M::POST, "/admin/jobs/{id}/retry", Admin, post(pages::jobs::retry)),
        route(M::GET, "/account", LoggedIn, get(pages::account::show)),
        route(M::POST, "/account/language", LoggedIn, post(pages::account::set_language)),
        route(M::POST, "/account/password", LoggedIn, post(pages::account::change_password)),
        route(M::POST, "/account/tokens", LoggedIn, post(pages::account::create_token)),
        route(M::POST, "/account/tokens/{id}/revoke", LoggedIn, post(pages::account::revoke_token)),
        route(M::GET, "/organisations", LoggedIn, get(pages::organisations::list)),
        route(M::GET, "/organisations/new", Coordinator, get(pages::organisations::new_form)),
        route(M::POST, "/organisations", Coordinator, post(pages::organisations::create)),
        route(M::GET, "/organisations/{id}", LoggedIn, get(pages::organisations::show)),
        route(M::GET, "/organisations/{id}/edit", Coordinator, get(pages::organisations::edit_form)),
        route(M::POST, "/organisations/{id}", Coordinator, post(pages::organisations::update)),
        route(M::POST, "/organisations/{id}/archive", Coordinator, post(pages::organisations::archive)),
        route(M::POST, "/organisations/{id}/restore", Coordinator, post(pages::organisations::restore)),
        route(M::GET, "/programmes", LoggedIn, get(pages::programmes::list)),
        route(M::POST, "/programmes", Admin, post(pages::programmes::create)),
        route(M::POST, "/programmes/{id}/archive", Admin, post(pages::programmes::archive)),
        route(M::GET, "/programmes/{id}", LoggedIn, get(pages::programmes::show)),
        route(M::POST, "/programmes/{id}", Coordinator, post(pages::programmes::update)),
        route(M::POST, "/programmes/{id}/action-lines", Coordinator, post(pages::programmes::put_action_line)),
        route(M::GET, "/municipalities", LoggedIn, get(pages::territory::search)),
        route(M::GET, "/people", Coordinator, get(pages::people::list)),
        route(M::GET, "/people/new", Coordinator, get(pages::people::new_form)),
        route(M::POST, "/people", Coordinator, post(pages::people::create)),
        route(M::GET, "/people/{id}", Coordinator, get(pages::people::show)),
        route(M::GET, "/people/{id}/edit", Coordinator, get(pages::people::edit_form)),
        route(M::POST, "/people/{id}", Coordinator, post(pages::people::update)),
        route(M::POST, "/people/{id}/archive", Coordinator, post(pages::people::archive)),
        route(M::POST, "/people/{id}/affiliations", Coordinator, post(pages::people::add_affiliation)),
        route(
            M::POST,
            "/people/{id}/affiliations/{affiliation_id}/end",
            Coordinator,
            post(pages::people::end_affiliation),
        ),
        route(M::GET, "/districts", LoggedIn, get(pages::districts::list)),
        route(M::GET, "/networks", LoggedIn, get(pages::networks::list)),
        route(M::GET, "/networks/new", Coordinator, get(pages::networks::new_form)),
        route(M::POST, "/networks", Coordinator, post(pages::networks::create)),
        route(M::GET, "/networks/{id}", LoggedIn, get(pages::networks::show)),
        route(M::GET, "/networks/{id}/edit", LoggedIn, get(pages::networks::edit_form)),
        route(M::POST, "/networks/{id}", LoggedIn, post(pages::networks::update)),
        route(M::POST, "/networks/{id}/archive", Coordinator, post(pages::networks::archive)),
        route(M::POST, "/networks/{id}/memberships", LoggedIn, post(pages::networks::add_membership)),
        route(
            M::POST,
            "/networks/{id}/memberships/{membership_id}/end",
            LoggedIn,
            post(pages::networks::end_membership),
        ),
        route(M::GET, "/networks/{id}/projects/new", LoggedIn, get(pages::projects::new_form)),
        route(M::POST, "/networks/{id}/projects", LoggedIn, post(pages::projects::create)),
        route(M::GET, "/projects/{id}", LoggedIn, get(pages::projects::show)),
        route(M::GET, "/projects/{id}/edit", LoggedIn, get(pages::projects::edit_form)),
        route(M::POST, "/projects/{id}", LoggedIn, post(pages::projects::update)),
        route(M::POST, "/projects/{id}/archive", LoggedIn, post(pages::projects::archive)),
        route(M::POST, "/projects/{id}/actions", LoggedIn, post(pages::projects::add_action)),
        route(M::POST, "/projects/{id}/actions/{action_id}/delete", LoggedIn, post(pages::projects::remove_action)),
        route(M::GET, "/networks/{id}/meetings", LoggedIn, get(pages::meetings::calendar)),
        route(M::GET, "/networks/{id}/meetings/new", LoggedIn, get(pages::meetings::new_form)),
        route(M::POST, "/networks/{id}/meetings", LoggedIn, post(pages::meetings::create)),
        route(M::GET, "/agenda", LoggedIn, get(pages::meetings::agenda)),
        route(M::GET, "/calendar/{token}", Public, get(pages::meetings::feed)),
        route(M::POST, "/calendar-feeds", LoggedIn, post(pages::meetings::create_feed)),
        route(M::POST, "/calendar-feeds/{id}/revoke", LoggedIn, post(pages::meetings::revoke_feed)),
        route(M::GET, "/meetings/{id}", LoggedIn, get(pages::meetings::show)),
        route(M::GET, "/meetings/{id}/edit", LoggedIn, get(pages::meetings::edit_form)),
        route(M::POST, "/meetings/{id}", LoggedIn, post(pages::meetings::update)),
        route(M::POST, "/meetings/{id}/cancel", LoggedIn, post(pages::meetings::cancel)),
        route(M::GET, "/meetings/{id}/calendar.ics", LoggedIn, get(pages::meetings::ics)),
        route(M::POST, "/meetings/{id}/registrations", LoggedIn, post(pages::meetings::register)),
        route(M::POST, "/meetings/{id}/registrations/{person_id}/cancel", LoggedIn, post(pages::meetings::unregister)),
        route(M::POST, "/meetings/{id}/attendance", LoggedIn, post(pages::meetings::record_attendance)),
        route(M::POST, "/meetings/{id}/sign", LoggedIn, post(pages::meetings::sign)),
        route(M::GET, "/meetings/{id}/register", LoggedIn, get(pages::meetings::register_print)),
        route(M::POST, "/meetings/{id}/minutes", LoggedIn, post(pages::meetings::save_minutes)),
        route(
            M::POST,
            "/meetings/{id}/attachments",
            LoggedIn,
            post(pages::meetings::upload_attachment)
                .layer(DefaultBodyLimit::max(pages::meetings::ATTACHMENT_BODY_LIMIT)),
        ),
        route(
            M::GET,
            "/meetings/{id}/attachments/{attachment_id}",
            LoggedIn,
            get(pages::meetings::download_attachment),
        ),
        route(M::POST, "/meetings/{id}/actions", LoggedIn, post(pages::meetings::add_action)),
        route(M::POST, "/meetings/{id}/actions/{action_id}/status", LoggedIn, post(pages::meetings::action_status)),
        route(M::GET, "/import", Coordinator, get(pages::imports::form)),
        route(
            M::POST,
            "/import",
            Coordinator,
            post(pages::imports::preview).layer(DefaultBodyLimit::max(pages::imports::UPLOAD_LIMIT)),
        ),
        route(M::POST, "/import/{id}/confirm", Coordinator, post(pages::imports::confirm)),
        route(M::GET, "/export/{file}", Coordinator, get(pages::imports::export)),
        route(M::GET, "/static/{*path}", Public, get(assets::serve_asset)),
        route(M::GET, "/healthz", Public, get(ops::healthz)),
        route(M::GET, "/metrics", Public, get(ops::metrics_text)),
        route(M::GET, "/api/v1/openapi.json", Public, get(api::openapi_json)),
        route(M::GET, "/api/v1/me", ApiToken, get(api::me)),
        route(M::GET, "/api/v1/programmes", ApiToken, get(api::registry::list_programmes)),
        route(M::POST, "/api/v1/programmes", ApiAdmin, post(api::registry::create_programme)),
        route(M::GET, "/api/v1/programmes/{id}", ApiToken, get(api::registry::get_programme)),
        route(M::PUT, "/api/v1/programmes/{id}", ApiToken, put(api::registry::update_programme)),
        route(M::GET, "/api/v1/municipalities", ApiToken, get(api::registry::search_municipalities)),
        route(M::GET, "/api/v1/organisations", ApiToken, get(api::registry::list_organisations)),
        route(M::POST, "/api/v1/organisations", ApiCoordinator, post(api::registry::create_organisation)),
        route(M::GET, "/api/v1/organisations/{id}", ApiToken, get(api::registry::get_organisation)),
        route(M::PUT, "/api/v1/organisations/{id}", ApiCoordinator, put(api::registry::update_organisation)),
        route(M::DELETE, "/api/v1/organisations/{id}", ApiCoordinator, delete(api::registry::archive_organisation)),
        route(M::GET, "/api/v1/people", ApiCoordinator, get(api::registry::list_people)),
        route(M::POST, "/api/v1/people", ApiCoordinator, post(api::registry::create_person)),
        route(M::GET, "/api/v1/people/{id}", ApiCoordinator, get(api::registry::get_person)),
        route(M::PUT, "/api/v1/people/{id}", ApiCoordinator, put(api::registry::update_person)),
        route(M::DELETE, "/api/v1/people/{id}", ApiCoordinator, delete(api::registry::archive_person)),
        route(M::GET, "/api/v1/districts", ApiToken, get(api::districts::list_districts)),
        route(M::GET, "/api/v1/networks", ApiToken, get(api::registry::list_networks)),
        route(M::POST, "/api/v1/networks", ApiCoordinator, post(api::registry::create_network)),
        route(M::GET, "/api/v1/networks/{id}", ApiToken, get(api::registry::get_network)),
        route(M::PUT, "/api/v1/networks/{id}", ApiToken, put(api::registry::update_network)),
        route(M::DELETE, "/api/v1/networks/{id}", ApiToken, delete(api::registry::archive_network)),
        route(M::POST, "/api/v1/networks/{id}/memberships", ApiToken, post(api::registry::add_membership)),
        route(
            M::POST,
            "/api/v1/networks/{id}/memberships/{membership_id}/end",
            ApiToken,
            post(api::registry::end_membership),
        ),
        route(M::GET, "/api/v1/networks/{id}/projects", ApiToken, get(api::registry::list_projects)),
        route(M::POST, "/api/v1/networks/{id}/projects", ApiToken, post(api::registry::create_project)),
        route(M::GET, "/api/v1/projects/{id}", ApiToken, get(api::registry::get_project)),
        route(M::PUT, "/api/v1/projects/{id}", ApiToken, put(api::registry::update_project)),
        route(M::DELETE, "/api/v1/projects/{id}", ApiToken, delete(api::registry::archive_project)),
        route(M::GET, "/api/v1/meetings", ApiToken, get(api::meetings::list_meetings)),
        route(M::POST, "/api/v1/meetings", ApiToken, post(api::meetings::create_meeting)),
        route(M::GET, "/api/v1/meetings/{id}", ApiToken, get(api::meetings::get_meeting)),
        route(M::PUT, "/api/v1/meetings/{id}", ApiToken, put(api::meetings::update_meeting)),
        route(M::DELETE, "/api/v1/meetings/{id}", ApiToken, delete(api::meetings::cancel_meeting)),
        route(M::GET, "/api/v1/meetings/{id}/registrations", ApiToken, get(api::meetings::list_registrations)),
        route(M::POST, "/api/v1/meetings/{id}/registrations", ApiToken, post(api::meetings::create_registration)),
        route(
            M::DELETE,
            "/api/v1/meetings/{id}/registrations/{person_id}",
            ApiToken,
            delete(api::meetings::delete_registration),
        ),
        route(M::GET, "/api/v1/meetings/{id}/attendance", ApiToken, get(api::meetings::get_attendance)),
        route(M::PUT, "/api/v1/meetings/{id}/attendance", ApiToken, put(api::meetings::put_attendance)),
        route(M::POST, "/api/v1/meetings/{id}/attendance/sign", ApiToken, post(api::meetings::sign_attendance)),
    ]
}

pub fn build(state: AppState) -> Router {
    let mut router = Router::new();
    for Route { path, access, handler, .. } in table() {
        let guarded = handler.route_layer(axum::middleware::from_fn(move |request, next| guard(access, request, next)));
        router = router.route(path, guarded);
    }
    router.with_state(state)
}
