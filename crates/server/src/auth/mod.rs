//! Authentication: password hashing, access tokens and refresh-token
//! families.

pub mod password;
pub mod refresh;
pub mod tokens;

pub use password::{NewPassword, PasswordHasher};
pub use tokens::{AccessClaims, TokenRejection, TokenService};
