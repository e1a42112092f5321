//! The one API error type and the one place that turns it into the
//! contract's JSON body: `{"error", "code", "request_id"}`.
//!
//! Client errors carry a stable code and a plain message. Server-side causes
//! are logged here, once, and never reach the body.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::DomainError;
use crate::http::context;
use crate::http::guard::DenialReason;
use crate::policy::{AccessError, Denial};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden(String),
    #[error("denied by policy")]
    Denied(Denial),
    #[error("not found")]
    NotFound(&'static str),
    #[error("validation failed")]
    Validation(String),
    #[error("conflict")]
    Conflict(String),
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A conflict whose cause is worth its own audit reason code.
    #[error("conflict")]
    ConflictWithReason {
        message: String,
        reason: &'static str,
    },
    /// A step-up action asked of a session not freshly authenticated.
    #[error("re-authentication required")]
    ReauthRequired,
    #[error("unavailable")]
    Unavailable(&'static str),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn validation(message: impl Into<String>) -> Self {
        ApiError::Validation(message.into())
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::Forbidden(message.into())
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(cause.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::Denied(_) | ApiError::ReauthRequired => {
                StatusCode::FORBIDDEN
            }
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Validation(_) => StatusCode::BAD_REQUEST,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::ConflictWithReason { .. } => StatusCode::CONFLICT,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) | ApiError::Denied(_) => "forbidden",
            ApiError::ReauthRequired => "reauth_required",
            ApiError::NotFound(_) => "not_found",
            ApiError::Validation(_) => "validation_failed",
            ApiError::Conflict(_) => "conflict",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::ConflictWithReason { .. } => "conflict",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::Unauthorized(message) | ApiError::NotFound(message) => (*message).to_string(),
            ApiError::Forbidden(message) | ApiError::Validation(message) | ApiError::Conflict(message) => {
                message.clone()
            }
            ApiError::RateLimited { retry_after_secs } => {
                format!("Too many requests. Wait {retry_after_secs} seconds and try again.")
            }
            ApiError::Denied(denial) => denial.message().to_string(),
            ApiError::PayloadTooLarge => "The request body is too large.".into(),
            ApiError::MethodNotAllowed => "This method is not allowed on this address.".into(),
            ApiError::ConflictWithReason { message, .. } => message.clone(),
            ApiError::Unavailable(message) => (*message).to_string(),
            ApiError::ReauthRequired => "Confirm it is you: enter your password or a code from your authenticator app, then try again.".into(),
            ApiError::Internal(_) => {
                "Something went wrong on the server. Try again; if it persists, contact support with the request id.".into()
            }
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: String,
    code: &'a str,
    request_id: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            // `{:#}` prints the cause chain; causes never hold PHI because
            // storage and crypto errors name tables and operations only.
            tracing::error!(error = %format!("{cause:#}"), "request failed");
        }
        let body = ErrorBody {
            error: self.message(),
            code: self.code(),
            request_id: context::current_request_id(),
        };
        let mut response = (self.status(), axum::Json(body)).into_response();
        if let ApiError::RateLimited { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        if let ApiError::PayloadTooLarge = self {
            // The rest of the body was not read, so the connection cannot
            // carry another request; say so, so clients do not reuse it.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response.extensions_mut().insert(ErrorCode(self.code()));
        let reason = match &self {
            ApiError::Denied(denial) => Some(denial.reason_code()),
            ApiError::ConflictWithReason { reason, .. } => Some(*reason),
            _ => None,
        };
        if let Some(reason) = reason {
            response.extensions_mut().insert(DenialReason(reason));
        }
        response
    }
}

/// Marks an error response with its machine code, so the audit layer can
/// record why a request was refused without parsing the body.
#[derive(Clone, Copy, Debug)]
pub struct ErrorCode(pub &'static str);

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        ApiError::Internal(anyhow::Error::new(err).context("database"))
    }
}

impl From<crate::audit::AuditError> for ApiError {
    fn from(err: crate::audit::AuditError) -> Self {
        tracing::error!(error = %err, "audit write failed; refusing the request");
        ApiError::Unavailable(
            "The audit trail cannot be written, so the request was refused. Try again shortly.",
        )
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid(message) => ApiError::Validation(message),
            DomainError::NotFound(message) => ApiError::NotFound(message),
            DomainError::Conflict(message) => ApiError::Conflict(message),
            DomainError::DuplicateIdentifier { message, reason } => ApiError::ConflictWithReason {
                message: message.into(),
                reason,
            },
            DomainError::Denied(denial) => ApiError::Denied(denial),
            DomainError::Store(db) => ApiError::from(db),
            DomainError::Phi(phi) => {
                ApiError::Internal(anyhow::Error::new(phi).context("decrypting protected data"))
            }
        }
    }
}

impl From<AccessError> for ApiError {
    fn from(err: AccessError) -> Self {
        ApiError::from(DomainError::from(err))
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
