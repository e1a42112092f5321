//! The HTTP layer: one module per resource with thin handlers, the API
//! error type, extractors and middleware.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod context;
pub mod disclosures;
pub mod emergency;
pub mod error;
pub mod extract;
pub mod guard;
pub mod layers;
pub mod limits;
pub mod mfa;
pub mod openapi;
pub mod ops;
pub mod patients;
pub mod records;
pub mod spa;
pub mod sso;

pub use error::{ApiError, ApiResult};
