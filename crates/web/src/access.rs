//! Deny by default: every route is registered with an [`Access`] rule (see `routes.rs`), and the
//! guard of that rule runs before its handler. Finer checks (this network, this programme) are the
//! handlers' own, on top of this one.

use crate::context::{Identity, RequestContext};
use crate::error::AppError;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in person (browser session).
    LoggedIn,
    /// The regional coordination of some programme, or the platform administrator.
    Coordinator,
    /// The platform administrator only.
    Admin,
    /// Any valid API token.
    ApiToken,
    /// An API token of the regional coordination or the administrator.
    ApiCoordinator,
    /// An API token of the platform administrator.
    ApiAdmin,
}

impl Access {
    /// Whether `identity` passes this rule.
    pub fn allows(self, identity: Option<&Identity>) -> bool {
        match self {
            Access::Public => true,
            Access::LoggedIn | Access::ApiToken => identity.is_some(),
            Access::Coordinator | Access::ApiCoordinator => identity.is_some_and(Identity::is_coordinator),
            Access::Admin | Access::ApiAdmin => identity.is_some_and(|i| i.user.is_admin),
        }
    }
}

/// Runs the rule: anonymous browsers go to the login page, anonymous API calls get 401, everyone
/// else without the right gets 403.
pub async fn guard(access: Access, request: Request, next: Next) -> Response {
    let context = request.extensions().get::<RequestContext>();
    let identity = context.and_then(|c| c.identity.as_ref());
    if access.allows(identity) {
        return next.run(request).await;
    }
    if identity.is_some() {
        return AppError::Forbidden.into_response();
    }
    if matches!(access, Access::ApiToken | Access::ApiCoordinator | Access::ApiAdmin)
        || request.uri().path().starts_with("/api/")
    {
        return AppError::Unauthorized.into_response();
    }
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|accept| accept.contains("text/html") || accept.contains("*/*"));
    if wants_html && request.method() == axum::http::Method::GET {
        let next_path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let target = format!("/login?next={}", urlencode(next_path));
        return Redirect::to(&target).into_response();
    }
    AppError::Unauthorized.into_response()
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)]).map(|s| s[1..].to_owned()).unwrap_or_default()
}

/// A `next=` target is only followed when it is a path on this site (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path.to_owned(),
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next(Some("/audit?page=2")), "/audit?page=2");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn urlencode_escapes() {
        assert_eq!(urlencode("/a b?x=1&y"), "%2Fa+b%3Fx%3D1%26y");
    }
}
