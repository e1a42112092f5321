//! What a domain operation can refuse or fail with. The HTTP layer maps
//! these to statuses in one place (`http::error`).

use crate::phi::PhiError;
use crate::policy::{AccessError, Denial};

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("{0}")]
    Invalid(String),
    #[error("not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// Another patient already holds this SSN or MRN. Kept apart from other
    /// conflicts because a run of them is a sign of someone probing for
    /// identifiers; the audit row carries the reason.
    #[error("{message}")]
    DuplicateIdentifier {
        message: &'static str,
        reason: &'static str,
    },
    #[error("denied")]
    Denied(Denial),
    #[error("storage: {0}")]
    Store(#[from] sea_orm::DbErr),
    #[error("protected data: {0}")]
    Phi(#[from] PhiError),
}

impl From<AccessError> for DomainError {
    fn from(err: AccessError) -> Self {
        match err {
            AccessError::Denied(denial) => DomainError::Denied(denial),
            AccessError::PatientNotFound => DomainError::NotFound("No patient has that id."),
            AccessError::Store(db) => DomainError::Store(db),
        }
    }
}

impl From<Denial> for DomainError {
    fn from(denial: Denial) -> Self {
        DomainError::Denied(denial)
    }
}

pub type DomainResult<T> = Result<T, DomainError>;

/// True when the error is a unique-constraint violation, on any engine.
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
