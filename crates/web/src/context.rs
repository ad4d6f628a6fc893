//! Who is asking, in which language: computed once per request by [`load_context`] and kept in the
//! request's extensions for the access guard, the handlers and the error pages.
//!
//! Browser requests are identified by their session cookie; API requests (`/api/`) only by a bearer
//! token, so that a browser's cookies can never drive the API (no CSRF through the API).

use crate::AppState;
use crate::i18n::Translator;
use axum::extract::{Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use reti_domain::{Locale, Role};
use reti_store::registry::networks::NetworkAssignment;
use reti_store::registry::scope::Scope;
use reti_store::sessions::{SessionUser, USER_ID_KEY, with_session_user};
use reti_store::users::{Assignment, User};
use tower_sessions::Session;

pub const SESSION_LOCALE_KEY: &str = "locale";
pub const SESSION_CSRF_KEY: &str = "csrf";
pub const SESSION_FLASH_KEY: &str = "flash";

/// A logged-in person and the roles they hold.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: User,
    pub assignments: Vec<Assignment>,
    /// The networks the user works on, and as what.
    pub networks: Vec<NetworkAssignment>,
}

impl Identity {
    pub fn has_role(&self, role: Role) -> bool {
        self.assignments.iter().any(|a| a.role.0 == role)
    }

    /// Whether the user coordinates at least one programme (or administers the platform).
    pub fn is_coordinator(&self) -> bool {
        self.user.is_admin || self.has_role(Role::Coordinator)
    }

    /// The programmes this user coordinates; the administrator coordinates none by role but
    /// sees everything (callers check `is_admin` first).
    pub fn coordinated_programmes(&self) -> Vec<String> {
        self.assignments.iter().filter(|a| a.role.0 == Role::Coordinator).map(|a| a.programme_id.clone()).collect()
    }

    /// Whether the user coordinates `programme_id` (the administrator coordinates every programme).
    pub fn coordinates(&self, programme_id: &str) -> bool {
        self.user.is_admin
            || self.assignments.iter().any(|a| a.role.0 == Role::Coordinator && a.programme_id == programme_id)
    }

    /// The registry data the user reaches in lists, exports and imports (decision 0010).
    pub fn scope(&self) -> Scope {
        Scope::of(&self.user, &self.assignments, &self.networks)
    }

    /// What the user may do with a network of `programme_id`.
    pub fn network_access(&self, network_id: &str, programme_id: &str) -> NetworkAccess {
        let roles: Vec<Role> = self.networks.iter().filter(|n| n.network_id == network_id).map(|n| n.role).collect();
        if self.coordinates(programme_id) || roles.contains(&Role::NetworkLead) {
            NetworkAccess::Manage
        } else if !roles.is_empty() {
            NetworkAccess::Private
        } else {
            NetworkAccess::Public
        }
    }
}

/// How much of a network a user sees: its public profile, its private data (members, contacts,
/// projects' budgets), or everything with the right to change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NetworkAccess {
    Public,
    Private,
    Manage,
}

/// Everything known about the request before routing.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub identity: Option<Identity>,
    pub locale: Locale,
    /// The session's CSRF token, when the session has one already.
    pub csrf: Option<String>,
    pub programme_name: String,
    pub path: String,
    pub client_ip: String,
    /// The unread notifications of a browser session's account, read with the session.
    pub unread_notifications: i64,
    /// The browser session's account is asked to turn its second factor on and has not yet
    /// (`require_mfa_for`, decision 0060): the pages show a banner.
    pub mfa_setup_due: bool,
}

impl RequestContext {
    pub fn translator(&self) -> Translator {
        Translator::new(self.locale)
    }
}

/// The client's address. Behind the one trusted proxy, the right-most `X-Forwarded-For` entry is
/// the address that proxy saw; anything left of it was written by the client and proves nothing.
fn client_ip(request: &Parts, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(last) = request.headers.get_all("x-forwarded-for").iter().next_back()
        && let Some(hop) = last.to_str().ok().and_then(|v| v.rsplit(',').next())
        && let Ok(ip) = hop.trim().parse::<std::net::IpAddr>()
    {
        return ip.to_string();
    }
    request
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

async fn load_identity(state: &AppState, user: Option<User>) -> Result<Option<Identity>, reti_store::StoreError> {
    match user {
        Some(user) if !user.disabled => {
            let (assignments, networks) = state.db.roles(&user.id).await?;
            Ok(Some(Identity { user, assignments, networks }))
        }
        _ => Ok(None),
    }
}

/// The identity of a browser session: the account and roles the store read with the session
/// record (one statement, decision 0015) when they belong to the session's user, else read apart;
/// with the unread notifications and whether the account is asked for a second factor it lacks.
async fn session_identity(
    state: &AppState,
    user_id: Option<String>,
    loaded: Option<SessionUser>,
) -> Result<(Option<Identity>, i64, bool), reti_store::StoreError> {
    let policy = state.config.require_mfa_for;
    match (user_id, loaded) {
        (Some(id), Some(SessionUser { user, assignments, networks, unread_notifications, has_totp }))
            if user.id == id =>
        {
            let identity = (!user.disabled).then_some(Identity { user, assignments, networks });
            let due = identity.as_ref().is_some_and(|i| policy.applies_to(i)) && !has_totp;
            Ok((identity, unread_notifications, due))
        }
        (Some(id), _) => {
            let identity = load_identity(state, state.db.user(&id).await?).await?;
            let due = match &identity {
                Some(i) if policy.applies_to(i) => !state.db.has_totp(&i.user.id).await?,
                _ => false,
            };
            Ok((identity, 0, due))
        }
        (None, _) => Ok((None, 0, false)),
    }
}

/// Runs a GET or HEAD request, its session included, on one database connection (decision 0027).
/// Other methods take one per statement as before: they may read a slow upload after their first
/// statement, and a held connection would wait idle with them.
pub async fn one_connection(State(db): State<reti_store::Db>, request: Request, next: Next) -> Response {
    if request.method() == axum::http::Method::GET || request.method() == axum::http::Method::HEAD {
        db.pool().with_one_connection(next.run(request)).await
    } else {
        next.run(request).await
    }
}

pub async fn load_context(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match build_context(&state, &parts).await {
        Ok(context) => {
            parts.extensions.insert(context.clone());
            let mut response = next.run(Request::from_parts(parts, body)).await;
            // Handed back out so that the error pages can speak the user's language.
            if response.status().is_client_error() || response.status().is_server_error() {
                response.extensions_mut().insert(context);
            }
            response
        }
        Err(error) => crate::error::AppError::from(error).into_response(),
    }
}

async fn build_context(state: &AppState, request: &Parts) -> Result<RequestContext, reti_store::StoreError> {
    let path = request.uri.path().to_owned();
    let is_api = path.starts_with("/api/");
    let accept_language = request
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::from_accept_language);
    let switch = request
        .uri
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "lang").and_then(|(_, v)| Locale::parse(&v)));
    let client_ip = client_ip(request, state.config.trust_proxy);

    let mut csrf = None;
    let mut session_locale = None;
    let mut unread_notifications = 0;
    let mut mfa_setup_due = false;
    let identity = if is_api {
        let bearer = request
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim);
        let user = match bearer {
            Some(token) => state.db.user_by_token(token).await?,
            None => None,
        };
        load_identity(state, user).await?
    } else if let Some(session) = request.extensions.get::<Session>() {
        let (user_id, loaded) = with_session_user(session.get::<String>(USER_ID_KEY)).await;
        let user_id = user_id.ok().flatten();
        csrf = session.get::<String>(SESSION_CSRF_KEY).await.ok().flatten();
        session_locale = session.get::<Locale>(SESSION_LOCALE_KEY).await.ok().flatten();
        if let Some(locale) = switch
            && session_locale != Some(locale)
        {
            let _ = session.insert(SESSION_LOCALE_KEY, locale).await;
        }
        // `?lang=` is a GET: it switches this session only; the saved preference changes by POST.
        let (identity, unread, due) = session_identity(state, user_id, loaded).await?;
        unread_notifications = unread;
        mfa_setup_due = due;
        identity
    } else {
        None
    };

    let locale = switch
        .or(session_locale)
        .or_else(|| identity.as_ref().and_then(|i| i.user.locale))
        .or(accept_language)
        .unwrap_or_default();
    let programme_name = if is_api { String::new() } else { programme_name(state, identity.as_ref()).await? };
    Ok(RequestContext { identity, locale, csrf, programme_name, path, client_ip, unread_notifications, mfa_setup_due })
}

/// The programme named in the header: the user's own, or the installation's only one.
async fn programme_name(state: &AppState, identity: Option<&Identity>) -> Result<String, reti_store::StoreError> {
    if let Some(assignment) = identity.and_then(|i| i.assignments.first()) {
        return Ok(assignment.programme_name.clone());
    }
    let programmes = state.db.programmes().await?;
    Ok(match programmes.as_slice() {
        [only] => only.name.clone(),
        _ => String::new(),
    })
}
