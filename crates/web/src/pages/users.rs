//! The people with access to the programmes the viewer coordinates, with their roles.

use super::render;
use crate::AppState;
use crate::error::AppResult;
use crate::extract::CurrentUser;
use crate::page::PageContext;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    page: PageContext,
    /// (name, e-mail, roles)
    rows: Vec<(String, String, String)>,
}

pub async fn list(State(state): State<AppState>, identity: CurrentUser, page: PageContext) -> AppResult<Response> {
    let visible_programmes = identity.coordinated_programmes();
    let users = if identity.user.is_admin {
        state.db.users().await?
    } else {
        state.db.users_in_programmes(&visible_programmes).await?
    };
    let tr = page.translator();
    let mut rows = Vec::with_capacity(users.len());
    for user in users {
        let mut roles: Vec<String> = state
            .db
            .assignments(&user.id)
            .await?
            .into_iter()
            .filter(|a| identity.user.is_admin || visible_programmes.contains(&a.programme_id))
            .map(|a| format!("{} ({})", tr.t(a.role.0.label_key()), a.programme_code))
            .collect();
        if user.is_admin {
            roles.insert(0, tr.t("role-admin"));
        }
        rows.push((user.name, user.email, roles.join(", ")));
    }
    render(&UsersPage { page, rows })
}
