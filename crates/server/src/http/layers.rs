//! Middleware every response passes through: request ids, security
//! headers, the access log line, and the contract's error body for errors
//! produced outside the handlers (unknown routes, wrong methods, body
//! limits, panics).

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::context::{
    REQUEST_ID_HEADER, accept_request_id, header_value, new_request_id, with_request_id,
};
use super::error::{ApiError, ErrorCode};
use crate::app::AppState;

/// The web app's policy: scripts only from our own origin, never inline.
/// Inline styles are allowed because the component library injects them.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";

pub async fn request_envelope(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = accept_request_id(request.headers()).unwrap_or_else(new_request_id);
    let method = request.method().clone();
    let is_api = request.uri().path().starts_with("/api/");
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| {
            if is_api {
                "/api/<unmatched>".into()
            } else {
                "<static>".into()
            }
        });

    let mut response = with_request_id(id.clone(), async move {
        let response = next.run(request).await;
        if response.status().is_client_error() || response.status().is_server_error() {
            contract_error_body(response)
        } else {
            response
        }
    })
    .await;

    let headers = response.headers_mut();
    headers.insert(
        HeaderName::from_static(REQUEST_ID_HEADER),
        header_value(&id),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    if is_api {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.tls.is_some() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }

    // One line per request: the route template, never the raw path or
    // query string, which could carry search terms (names). The metrics
    // carry the same template.
    crate::telemetry::meters::http_request(
        method.as_str(),
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    tracing::info!(
        request_id = %id,
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// Gives errors from outside the handlers the contract's JSON body.
fn contract_error_body(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if response.extensions().get::<ErrorCode>().is_some() || is_json {
        return response;
    }
    let status = response.status();
    let error = match status {
        StatusCode::NOT_FOUND => ApiError::NotFound("There is nothing at this address."),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ApiError::validation("Send the request body as JSON.")
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            ApiError::Unavailable("The service is not ready. Try again shortly.")
        }
        StatusCode::REQUEST_TIMEOUT => {
            ApiError::Unavailable("The request took too long. Try again.")
        }
        s if s.is_client_error() => ApiError::validation("The request could not be understood."),
        _ => ApiError::internal(anyhow::anyhow!("unhandled error status {status}")),
    };
    let mut rebuilt = error.into_response();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        *rebuilt.status_mut() = status;
        if let Some(allow) = response.headers().get(header::ALLOW) {
            rebuilt.headers_mut().insert(header::ALLOW, allow.clone());
        }
    }
    rebuilt
}

/// Turns a panic into a plain 500 in the contract's shape; the panic
/// message goes to the log only.
pub fn panic_response(payload: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %detail, "handler panicked");
    ApiError::internal(anyhow::anyhow!("panic")).into_response()
}
