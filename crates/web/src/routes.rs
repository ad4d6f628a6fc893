//! Every route of the application with its access rule. The router is built from this table and
//! the role × route test walks the same table, so a route cannot exist without a rule, and the rule
//! is what is tested.

use crate::access::{Access, guard};
use crate::{AppState, api, assets, ops, pages};
use axum::Router;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};

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
        route(M::GET, "/account", LoggedIn, get(pages::account::show)),
        route(M::POST, "/account/language", LoggedIn, post(pages::account::set_language)),
        route(M::POST, "/account/password", LoggedIn, post(pages::account::change_password)),
        route(M::POST, "/account/tokens", LoggedIn, post(pages::account::create_token)),
        route(M::POST, "/account/tokens/{id}/revoke", LoggedIn, post(pages::account::revoke_token)),
        route(M::GET, "/static/{*path}", Public, get(assets::serve_asset)),
        route(M::GET, "/healthz", Public, get(ops::healthz)),
        route(M::GET, "/metrics", Public, get(ops::metrics_text)),
        route(M::GET, "/api/v1/openapi.json", Public, get(api::openapi_json)),
        route(M::GET, "/api/v1/me", ApiToken, get(api::me)),
        route(M::GET, "/api/v1/organisations", ApiToken, get(api::list_organisations)),
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
