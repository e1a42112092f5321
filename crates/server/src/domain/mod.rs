//! The domain: checked value types and the services that act on patients,
//! records and staff accounts. Services take capability values from the
//! policy module, never bare ids.

pub mod access_report;
pub mod disclosures;
pub mod emergency;
pub mod error;
pub mod identities;
pub mod mfa;
pub mod patients;
pub mod records;
pub mod types;
pub mod users;

pub use error::{DomainError, DomainResult, is_unique_violation};
pub use types::{Email, Page, PageRequest, Sex, SortOrder, Ssn, bounded_text, optional_text};
