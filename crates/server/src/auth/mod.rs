//! Authentication: password hashing, access tokens, refresh-token
//! families and single sign-on.

pub mod oidc;
pub mod password;
pub mod refresh;
pub mod tokens;
pub mod totp;

pub use password::{NewPassword, PasswordHasher};
pub use tokens::{AccessClaims, TokenRejection, TokenService};
