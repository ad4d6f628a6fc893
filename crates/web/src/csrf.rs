//! CSRF protection for every browser form, by default: any non-GET request outside the API must
//! carry the session's token, in the `csrf_token` form field or the `x-csrf-token` header — never
//! in the URL, where it would reach logs, history and `Referer` headers. A multipart upload carries
//! it as its first field (the forms put it first), read here without reading the file behind it.
//! API calls are exempt because they authenticate with a bearer token, never a cookie.

use crate::context::SESSION_CSRF_KEY;
use crate::error::AppError;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tower_sessions::Session;

/// The largest form body the site accepts.
pub const FORM_BODY_LIMIT: usize = 1024 * 1024;

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn field(pairs: &str, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(pairs)
        .ok()?
        .into_iter()
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// How much of a multipart body is read to find its first field.
const MULTIPART_PEEK: usize = 8 * 1024;

/// The `csrf_token` field when it is the first part of a multipart body, and the body, whole again.
async fn first_multipart_field(content_type: &str, body: Body) -> (Option<String>, Body) {
    let mut stream = body.into_data_stream();
    let mut head = Vec::new();
    let mut failed = None;
    while head.len() < MULTIPART_PEEK {
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(error)) => {
                failed = Some(error);
                break;
            }
            None => break,
        }
    }
    let head = Bytes::from(head);
    // A client may send the whole body as one chunk: the probe sees only the peeked prefix.
    let probe = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(head.slice(..head.len().min(MULTIPART_PEEK))))
        .expect("a request from a valid content type");
    let token = match Multipart::from_request(probe, &()).await {
        Ok(mut parts) => match parts.next_field().await {
            Ok(Some(field)) if field.name() == Some("csrf_token") => field.text().await.ok(),
            _ => None,
        },
        Err(_) => None,
    };
    let rest = futures_util::stream::iter(failed.map(Err));
    let body = Body::from_stream(futures_util::stream::iter([Ok(head)]).chain(rest).chain(stream));
    (token, body)
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
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let body = if content_type.starts_with("multipart/form-data") && submitted.is_none() {
        let (token, body) = first_multipart_field(&content_type, body).await;
        submitted = token;
        body
    } else if is_form {
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
