//! Security headers on every response, and the log of refused requests.
//!
//! Nothing is cached unless its handler says so: pages carry the session's CSRF token and people's
//! data, API answers are private, and the account page shows a new API token once. Only the
//! static assets set their own `Cache-Control`, and it is kept.

use crate::context::RequestContext;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// `https` is whether the site is served over TLS (`public_url` is https): then browsers are told
/// to use nothing else for a year.
pub async fn headers(State(https): State<bool>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        headers.entry(HeaderName::from_static(name)).or_insert(HeaderValue::from_static(value));
    };
    set("content-security-policy", CONTENT_SECURITY_POLICY);
    set("x-content-type-options", "nosniff");
    set("referrer-policy", "strict-origin-when-cross-origin");
    set("x-frame-options", "DENY");
    set("permissions-policy", "camera=(), microphone=(), geolocation=()");
    set("cross-origin-opener-policy", "same-origin");
    set("cache-control", "no-store");
    if https {
        set("strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    // An API answer that a browser is led to open is saved, never shown as a page; a file the
    // API serves keeps its own name.
    if api {
        set("content-disposition", "attachment; filename=\"api.json\"");
    }
    response
}

/// The request path as logged: the secret of a reset, invitation, calendar-feed or guest
/// confirmation link is replaced by `{token}`, so that logs never hold a working link.
pub fn logged_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in ["/password/reset/", "/invitations/", "/calendar/", "/guests/"] {
        if let Some(rest) = path.strip_prefix(prefix)
            && !rest.is_empty()
            && rest != "new"
        {
            return format!("{prefix}{{token}}").into();
        }
    }
    path.into()
}

/// The target of the security events, so that an operator can keep or route them apart
/// (`RUST_LOG=reti::security=warn`).
pub const LOG_TARGET: &str = "reti::security";

/// The longest e-mail address (RFC 5321): a longer "address" typed into the login form is cut.
const MAX_LOGGED_EMAIL: usize = 254;

/// Logs a refused request at `warn` (ASVS 7.1.3, 7.2.1, decision 0059): the client's address as
/// [`RequestContext`] resolved it (the proxy's hop under `trust_proxy`), the account when someone
/// is logged in, the method and route (link secrets redacted), and why. `email` is the address
/// typed into a login attempt, the only one it is given for; no password or token is ever logged.
pub fn log_refusal(context: Option<&RequestContext>, method: &str, route: &str, reason: &str, email: Option<&str>) {
    let client = context.map_or("unknown", |c| c.client_ip.as_str());
    let user = context.and_then(|c| c.identity.as_ref()).map(|i| i.user.id.as_str());
    let route = logged_path(route);
    let email = email.map(|e| e.chars().take(MAX_LOGGED_EMAIL).collect::<String>());
    // Values are recorded as strings, which the formatters quote and escape: typed text cannot
    // forge a log line.
    let email = email.as_deref();
    tracing::warn!(target: LOG_TARGET, client, user, method, route = route.as_ref(), reason, email, "request refused");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_secrets_stay_out_of_logs() {
        assert_eq!(logged_path("/password/reset/Zm9vYmFyc2VjcmV0"), "/password/reset/{token}");
        assert_eq!(logged_path("/invitations/Zm9vYmFyc2VjcmV0"), "/invitations/{token}");
        assert_eq!(logged_path("/calendar/Zm9vYmFyc2VjcmV0"), "/calendar/{token}");
        assert_eq!(logged_path("/guests/Zm9vYmFyc2VjcmV0"), "/guests/{token}");
        assert_eq!(logged_path("/meetings/0192/guests"), "/meetings/0192/guests");
        assert_eq!(logged_path("/invitations/Zm9v/extra"), "/invitations/{token}");
        assert_eq!(logged_path("/invitations/new"), "/invitations/new");
        assert_eq!(logged_path("/invitations"), "/invitations");
        assert_eq!(logged_path("/networks/0192"), "/networks/0192");
    }
}
