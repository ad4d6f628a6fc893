//! CSRF protection for every browser form, by default: any non-GET request outside the API must
//! carry the session's token, in the `csrf_token` form field, the `x-csrf-token` header, or (for
//! multipart uploads, whose body we do not parse here) the `csrf_token` query parameter.
//! API calls are exempt because they authenticate with a bearer token, never a cookie.

use crate::context::SESSION_CSRF_KEY;
use crate::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

/// The largest form body the site accepts.
pub const FORM_BODY_LIMIT: usize = 1024 * 1024;

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn field(pairs: &str, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(pairs)
        .ok()?
        .into_iter()
        .find_map(|(key, value)| (key == name).then_some(value))
}

pub async fn verify_csrf(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let expected = match request.extensions().get::<Session>() {
        Some(session) => session.get::<String>(SESSION_CSRF_KEY).await.ok().flatten(),
        None => None,
    };
    let Some(expected) = expected else { return AppError::Csrf.into_response() };

    let (parts, body) = request.into_parts();
    let mut submitted = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
    if submitted.is_none() {
        submitted = parts.uri.query().and_then(|q| field(q, "csrf_token"));
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let body = if is_form {
        let Ok(bytes) = to_bytes(body, FORM_BODY_LIMIT).await else {
            return AppError::PayloadTooLarge.into_response();
        };
        if submitted.is_none() {
            submitted = std::str::from_utf8(&bytes).ok().and_then(|text| field(text, "csrf_token"));
        }
        Body::from(bytes)
    } else {
        body
    };
    match submitted {
        Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => {
            next.run(Request::from_parts(parts, body)).await
        }
        _ => AppError::Csrf.into_response(),
    }
}
