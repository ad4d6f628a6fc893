//! JSON request bodies whose problems name the field. axum's `Json` answers a wrong type with a
//! sentence for developers and no field; [`ApiJson`] reads the body through
//! `serde_path_to_error`, so that `{"name": 5}` gives a 422 whose `fields` names `name`, in the
//! caller's language like every other field error.

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use reti_domain::{FieldError, FieldErrors};
use serde::de::DeserializeOwned;

/// The field named when the body is not JSON at all.
pub const BODY_FIELD: &str = "body";

/// A JSON body, deserialised with field-naming errors.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&request) {
            return Err(StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response());
        }
        let bytes = Bytes::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        parse(&bytes).map(ApiJson).map_err(|errors| AppError::Invalid(errors).into_response())
    }
}

fn is_json(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase())
        .is_some_and(|mime| mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json")))
}

/// Reads `bytes` as a `T`; a problem names the field by its path (`affiliations[0].position`).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, FieldErrors> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let code = match error.inner().classify() {
            serde_json::error::Category::Data => "error-invalid-type",
            _ => "error-json-syntax",
        };
        let path = error.path().to_string();
        let field = if path == "." || code == "error-json-syntax" { BODY_FIELD.to_owned() } else { path };
        FieldError::new(field, code).into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Body {
        name: String,
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(serde::Deserialize)]
    struct Item {
        position: String,
    }

    fn field_of(json: &str) -> (String, &'static str) {
        let Err(errors) = parse::<Body>(json.as_bytes()) else { panic!("{json} was accepted") };
        (errors.0[0].field.clone(), errors.0[0].code)
    }

    #[test]
    fn a_good_body_is_read() {
        let body: Body = parse(br#"{"name": "x", "items": [{"position": "p"}]}"#).unwrap();
        assert_eq!((body.name.as_str(), body.items[0].position.as_str()), ("x", "p"));
    }

    #[test]
    fn a_wrong_type_names_its_field() {
        assert_eq!(field_of(r#"{"name": 5}"#), ("name".into(), "error-invalid-type"));
        assert_eq!(
            field_of(r#"{"name": "x", "items": [{"position": []}]}"#),
            ("items[0].position".into(), "error-invalid-type")
        );
    }

    #[test]
    fn broken_json_names_the_body() {
        assert_eq!(field_of(r#"{"name": "#), ("body".into(), "error-json-syntax"));
        assert_eq!(field_of("5"), ("body".into(), "error-invalid-type"));
    }
}
