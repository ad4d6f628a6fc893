//! The home page: what the platform is, for visitors; roles and next steps, for people logged in.

use super::render;
use crate::AppState;
use crate::error::AppResult;
use crate::page::PageContext;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use reti_domain::Role;

#[derive(Template)]
#[template(path = "home_public.html")]
struct PublicHome {
    page: PageContext,
}

#[derive(Template)]
#[template(path = "home_user.html")]
struct UserHome {
    page: PageContext,
    name: String,
    is_admin: bool,
    /// (role label, programme name)
    roles: Vec<(String, String)>,
    /// (href, label)
    next_steps: Vec<(&'static str, String)>,
    /// (network id, name, role label)
    networks: Vec<(String, String, String)>,
    meetings: Vec<super::meetings::MeetingLine>,
}

pub async fn home(State(state): State<AppState>, page: PageContext) -> AppResult<Response> {
    let Some(identity) = page.identity.clone() else {
        return render(&PublicHome { page });
    };
    let tr = page.translator();
    let roles = identity.assignments.iter().map(|a| (tr.t(a.role.0.label_key()), a.programme_name.clone())).collect();
    let networks = identity
        .networks
        .iter()
        .map(|n| (n.network_id.clone(), n.network_name.clone(), tr.t(n.role.label_key())))
        .collect();
    let mut next_steps = Vec::new();
    if identity.is_coordinator() {
        next_steps.push(("/networks", tr.t("next-step-networks")));
        next_steps.push(("/import", tr.t("next-step-import")));
        next_steps.push(("/invitations/new", tr.t("next-step-invite")));
        next_steps.push(("/audit", tr.t("next-step-audit")));
    }
    if identity.has_role(Role::NetworkLead)
        || identity.has_role(Role::NetworkMember)
        || identity.has_role(Role::Facilitator)
    {
        next_steps.push(("/account", tr.t("next-step-profile")));
    }
    next_steps.push(("/account", tr.t("next-step-tokens")));
    if !identity.networks.is_empty() || identity.is_coordinator() {
        next_steps.push(("/agenda", tr.t("next-step-agenda")));
    }
    let meetings = super::meetings::my_meetings(&state, &page, &identity).await?;
    render(&UserHome {
        meetings,
        name: identity.user.name.clone(),
        is_admin: identity.user.is_admin,
        roles,
        next_steps,
        networks,
        page,
    })
}
