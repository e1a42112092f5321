//! Extractors whose rejections use the contract's error body, and the
//! helpers handlers use to parse raw input.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// JSON body extractor. Request types use `deny_unknown_fields`, so an
/// unknown field is a 400 naming the field.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::PayloadTooLarge;
    }
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::validation(
            "Send the request body as JSON with `Content-Type: application/json`.",
        ),
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::validation("The request body is not valid JSON.")
        }
        JsonRejection::JsonDataError(err) => {
            ApiError::validation(describe_data_error(&err.body_text()))
        }
        _ => ApiError::validation("The request body could not be read."),
    }
}

/// Parses a JSON body read as bytes, for handlers that must audit a bad
/// body themselves. Same messages as `ApiJson`.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|err| {
        if err.is_syntax() || err.is_eof() {
            ApiError::validation("The request body is not valid JSON.")
        } else {
            ApiError::validation(describe_data_error(&err.to_string()))
        }
    })
}

/// Turns serde's message into a plain sentence that names at most a field,
/// never echoing a submitted value.
fn describe_data_error(text: &str) -> String {
    if let Some(field) = between(text, "unknown field `", "`") {
        return format!(
            "The field `{}` is not accepted here; remove it.",
            safe_name(field)
        );
    }
    if let Some(field) = between(text, "missing field `", "`") {
        return format!("The field `{}` is required.", safe_name(field));
    }
    if let Some(path) = text.split(": ").nth(1).filter(|p| !p.contains(' ')) {
        return format!(
            "The field `{}` has the wrong type or format.",
            safe_name(path)
        );
    }
    "A field in the request body has the wrong type or format.".into()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

fn safe_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
        .take(64)
        .collect()
}

/// Query-string extractor with the contract's error body.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(_)) | Err(_) => {
                Err(ApiError::validation("The query string is malformed."))
            }
        }
    }
}

/// For optional fields that can be cleared: an absent field is `None`
/// (leave as it is), an explicit `null` is `Some(None)` (clear it).
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

/// Path ids are positive integers; anything else is a 400.
pub struct PathId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::validation("The id in the path is malformed."))?;
        parse_id(&raw)
            .map(PathId)
            .ok_or_else(|| ApiError::validation("Ids are positive whole numbers."))
    }
}

pub fn parse_id(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_errors_name_the_field_but_never_the_value() {
        let msg = describe_data_error(
            "Failed to deserialize the JSON body into the target type: unknown field `role`, expected one of `email`, `password` at line 1 column 8",
        );
        assert_eq!(msg, "The field `role` is not accepted here; remove it.");
        let msg = describe_data_error(
            "Failed to deserialize the JSON body into the target type: ssn: invalid type: string \"123-45-6789\"",
        );
        assert!(!msg.contains("123"), "{msg}");
    }
}
