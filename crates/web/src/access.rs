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

/// A `next=` target is only followed when it is a path on this site (no open redirect); anything
/// else leads home.
pub fn safe_next(next: Option<&str>) -> String {
    next.filter(|path| is_local_path(path)).map(str::to_owned).unwrap_or_else(|| "/".to_owned())
}

/// Whether `path` can only lead to this site, whatever a browser makes of it. Browsers drop tabs
/// and newlines and read `\` as `/`, so `/\t/evil.example` becomes `//evil.example`: reject every
/// control character and backslash (raw or percent-encoded), anything not plain visible ASCII, any
/// `//` start; then resolve it against a placeholder origin and insist the origin did not change.
fn is_local_path(path: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let plain = |text: &str| {
        text.starts_with('/')
            && !text.starts_with("//")
            && !text.contains('\\')
            && !text.chars().any(|c| c.is_control())
    };
    if !path.bytes().all(|b| b.is_ascii_graphic()) || !plain(path) || !plain(&decoded) {
        return false;
    }
    let origin = url::Url::parse("http://reti.invalid/").expect("a valid placeholder origin");
    origin.join(path).is_ok_and(|target| target.origin() == origin.origin())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Targets that a browser would take off this site, one way or another.
    pub const OFF_SITE: &[&str] = &[
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/%09/evil.example",
        "/\t/evil.example",
        "/\r\n/evil.example",
        "/%0d%0a/evil.example",
        "/%0A/evil.example",
        "/%00/evil.example",
        "/\0/evil.example",
        "/%2F/evil.example",
        "/%2f%2fevil.example",
        "/%5Cevil.example",
        "/%5c%5cevil.example",
        "%2F%2Fevil.example",
        "https://evil.example",
        "http:/evil.example",
        "HTTPS:evil.example",
        "javascript:alert(1)",
        "evil.example",
        " //evil.example",
        "/ /evil.example",
        "/\u{7f}/evil.example",
        "/\u{85}/evil.example",
        "/città",
        "",
    ];

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next(Some("/audit?page=2")), "/audit?page=2");
        assert_eq!(safe_next(Some("/networks/0192?tab=members#top")), "/networks/0192?tab=members#top");
        assert_eq!(safe_next(Some("/organisations?q=caff%C3%A8")), "/organisations?q=caff%C3%A8");
        assert_eq!(safe_next(None), "/");
        for target in OFF_SITE {
            assert_eq!(safe_next(Some(target)), "/", "{target:?} was followed");
        }
    }

    #[test]
    fn urlencode_escapes() {
        assert_eq!(urlencode("/a b?x=1&y"), "%2Fa+b%3Fx%3D1%26y");
    }
}
