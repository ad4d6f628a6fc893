//! The one place where errors become HTTP responses.
//!
//! Handlers return [`AppError`]; its `IntoResponse` only sets the status and attaches an
//! [`ErrorInfo`]. The [`render_errors`] middleware, which knows the request's language and whether
//! it is an API call, then writes the body: a translated HTML page or a JSON error. The same
//! middleware dresses the bare error responses produced by axum itself (404, 405, 413, rejected
//! extractors) and by the panic catcher, so no visitor ever sees a raw error.

use crate::context::RequestContext;
use crate::i18n::Translator;
use crate::page::PageContext;
use askama::Template;
use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use reti_domain::{FieldErrors, TableError};
use reti_store::StoreError;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("unauthorized")]
    Unauthorized,
    #[error("invalid or missing CSRF token")]
    Csrf,
    #[error("gone")]
    Gone,
    #[error("too many attempts")]
    RateLimited,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("conflict on {0}")]
    Conflict(&'static str),
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { field } => AppError::Conflict(field),
            StoreError::Invalid(errors) => AppError::Invalid(errors),
            other => AppError::Internal(other.into()),
        }
    }
}

/// What the error middleware needs to write the body.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// Machine-readable code for the API.
    pub code: &'static str,
    /// Fluent id of the page title / API message.
    pub message_key: &'static str,
    pub field_errors: FieldErrors,
    /// Set on 500s: the id under which the cause was logged.
    pub error_id: Option<String>,
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Gone => StatusCode::GONE,
            AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

fn info_for_status(status: StatusCode) -> ErrorInfo {
    let (code, message_key) = match status {
        StatusCode::NOT_FOUND => ("not_found", "error-not-found"),
        StatusCode::FORBIDDEN => ("forbidden", "error-forbidden"),
        StatusCode::UNAUTHORIZED => ("unauthorized", "error-unauthorized"),
        StatusCode::GONE => ("gone", "error-gone"),
        StatusCode::TOO_MANY_REQUESTS => ("rate_limited", "error-rate-limited"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "error-payload-too-large"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "error-method-not-allowed"),
        StatusCode::CONFLICT => ("conflict", "error-conflict"),
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST | StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("invalid", "error-invalid")
        }
        _ => ("internal", "error-internal"),
    };
    ErrorInfo { code, message_key, field_errors: FieldErrors::default(), error_id: None }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut info = info_for_status(status);
        match self {
            AppError::Csrf => {
                info.code = "csrf";
                info.message_key = "error-csrf";
            }
            AppError::Conflict(field) => info.field_errors.push(field, "error-duplicate"),
            AppError::Invalid(errors) => info.field_errors = errors,
            AppError::Internal(cause) => {
                let id = uuid::Uuid::now_v7().to_string();
                tracing::error!(error_id = %id, error = ?cause, "internal error");
                info.error_id = Some(id);
            }
            _ => {}
        }
        let mut response = status.into_response();
        response.extensions_mut().insert(info);
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The translated sentence for one field error, naming the field. A field inside a JSON body
/// (`affiliations[0].position`) is named by its last part; a field without a label by itself.
/// The message of a problem with `field`: `code` with the field's label and the error's `args`.
pub fn field_message(tr: &Translator, field: &str, code: &str, args: &[(&'static str, String)]) -> String {
    let name = field.rsplit('.').next().unwrap_or(field);
    let name = name.split('[').next().unwrap_or(name);
    let key = format!("field-{}", name.replace('_', "-"));
    let label = tr.t(&key);
    let field_label = if label == key { field.to_owned() } else { label };
    let mut all = vec![("field", field_label)];
    all.extend(args.iter().cloned());
    tr.t_args(code, &all)
}

/// The translated sentence for a file refused by the reader, naming the bound it passed.
pub fn table_message(tr: &Translator, error: &TableError) -> String {
    let n = |value: u64| grouped(tr, value);
    let bytes = |value: u64| format!("{} MB", grouped(tr, value / (1024 * 1024)));
    match error {
        TableError::Empty => tr.t("table-empty"),
        TableError::Unreadable(reason) => tr.t_args("table-unreadable", &[("reason", reason.clone())]),
        TableError::TooLarge { limit } => tr.t_args("table-too-large", &[("limit", bytes(*limit))]),
        TableError::TooManyRows { limit } => tr.t_args("table-too-many-rows", &[("limit", n(*limit as u64))]),
        TableError::TooManyColumns { line, limit } => {
            tr.t_args("table-too-many-columns", &[("line", n(*line as u64)), ("limit", n(*limit as u64))])
        }
        TableError::TooManyCells { limit } => tr.t_args("table-too-many-cells", &[("limit", n(*limit as u64))]),
        TableError::CellTooLong { line, limit } => {
            tr.t_args("table-cell-too-long", &[("line", n(*line as u64)), ("limit", n(*limit as u64))])
        }
        TableError::DeclaredDimensions { rows, columns, max_rows, max_columns } => tr.t_args(
            "table-declared-dimensions",
            &[
                ("rows", n(*rows)),
                ("columns", n(*columns)),
                ("max_rows", n(*max_rows as u64)),
                ("max_columns", n(*max_columns as u64)),
            ],
        ),
        TableError::TooManyParts { limit } => tr.t_args("table-too-many-parts", &[("limit", n(*limit as u64))]),
        TableError::Uncompressed { limit } => tr.t_args("table-uncompressed", &[("limit", bytes(*limit))]),
        TableError::CompressionRatio { part, limit } => {
            tr.t_args("table-compression-ratio", &[("part", part.clone()), ("limit", n(*limit))])
        }
        TableError::SizeMismatch { part } => tr.t_args("table-size-mismatch", &[("part", part.clone())]),
        TableError::TooManyStrings { limit } => tr.t_args("table-too-many-strings", &[("limit", n(*limit as u64))]),
        TableError::StringsTooLarge { limit } => tr.t_args("table-strings-too-large", &[("limit", bytes(*limit))]),
        TableError::Doctype { part } => tr.t_args("table-doctype", &[("part", part.clone())]),
    }
}

/// A number with its thousands grouped as the language writes them: 1.048.576, 1,048,576.
fn grouped(tr: &Translator, value: u64) -> String {
    let separator = match tr.locale {
        reti_domain::Locale::It => '.',
        reti_domain::Locale::En => ',',
    };
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageContext,
    status: u16,
    title: String,
    message: String,
    error_id: Option<String>,
}

fn is_rendered(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html") || ct.starts_with("application/json"))
}

/// Writes the body of every error response (see the module documentation).
pub async fn render_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    // Used when the request never reached `load_context` (a panic, a rejected body).
    let accept_language = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(reti_domain::Locale::from_accept_language)
        .unwrap_or_default();
    let method = request.method().clone();
    // The route's pattern names no record; unmatched requests are logged by their path.
    let route = match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None => request.uri().path().to_owned(),
    };
    let mut response = next.run(request).await;
    let context = response.extensions_mut().remove::<RequestContext>();
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let info = response.extensions().get::<ErrorInfo>().cloned();
    if info.is_none() && is_rendered(&response) {
        return response;
    }
    let mut info = info.unwrap_or_else(|| info_for_status(status));
    // Every refusal, whoever made it: the route's guard, an extractor, a handler's own check, the
    // CSRF check. (Pages that answer a refused login themselves log it there.)
    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS) {
        crate::security::log_refusal(context.as_ref(), method.as_str(), &route, info.code, None);
    }
    if status.is_server_error() && info.error_id.is_none() {
        let id = uuid::Uuid::now_v7().to_string();
        tracing::error!(error_id = %id, %status, "error response without a logged cause");
        info.error_id = Some(id);
    }
    let page = match &context {
        Some(context) => PageContext::from_context(Some(context)),
        None => PageContext::for_locale(accept_language),
    };
    let mut headers = response.headers().clone();
    headers.remove(header::CONTENT_LENGTH);
    let tr = page.translator();
    let mut rendered = if is_api {
        let fields: Vec<_> = info
            .field_errors
            .0
            .iter()
            .map(
                |e| json!({"field": e.field, "code": e.code, "message": field_message(&tr, &e.field, e.code, &e.args)}),
            )
            .collect();
        let body = json!({"error": {
            "status": status.as_u16(),
            "code": info.code,
            "message": tr.t(info.message_key),
            "fields": fields,
            "error_id": info.error_id,
        }});
        axum::Json(body).into_response()
    } else {
        let mut message = tr.t(&format!("{}-detail", info.message_key));
        for error in &info.field_errors.0 {
            message.push(' ');
            message.push_str(&field_message(&tr, &error.field, error.code, &error.args));
        }
        let page = ErrorPage {
            title: tr.t(info.message_key),
            message,
            status: status.as_u16(),
            error_id: info.error_id,
            page,
        };
        match page.render() {
            Ok(html) => Html(html).into_response(),
            Err(error) => {
                tracing::error!(?error, "error page failed to render");
                Response::new(Body::from("Error"))
            }
        }
    };
    *rendered.status_mut() = status;
    for (name, value) in headers.iter() {
        if name != header::CONTENT_TYPE {
            rendered.headers_mut().insert(name, value.clone());
        }
    }
    if status == StatusCode::UNAUTHORIZED && is_api {
        rendered.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    rendered
}
