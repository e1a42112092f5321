//! The second factor of an account: its authenticator secret (sealed),
//! the last time step used, and its single-use recovery codes (hashed).
//!
//! Every change that must happen once (a time step used, a recovery code
//! spent, an enrolment confirmed) is a conditional update whose row count
//! says whether this request was the one that made it, so two instances
//! racing with the same code cannot both succeed.

use chrono::Utc;
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, TransactionSession, TransactionTrait,
};

use super::{DomainError, DomainResult};
use crate::auth::totp;
use crate::phi::PhiCipher;
use crate::store::entities::{user_mfa, user_recovery_code};

pub const RECOVERY_CODES: usize = 10;
/// Crockford's base32 alphabet: no I, L, O or U to misread.
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Twelve characters of five bits: 60 bits per code.
const RECOVERY_LEN: usize = 12;

/// The account's confirmed authenticator, if it has one.
pub async fn confirmed<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
) -> DomainResult<Option<user_mfa::Model>> {
    authenticator(db, user_id, true).await
}

/// A secret issued for enrolment and not yet confirmed with a code.
pub async fn pending<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
) -> DomainResult<Option<user_mfa::Model>> {
    authenticator(db, user_id, false).await
}

async fn authenticator<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    confirmed: bool,
) -> DomainResult<Option<user_mfa::Model>> {
    Ok(user_mfa::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|row| row.confirmed_at.is_some() == confirmed))
}

pub fn secret_of(phi: &PhiCipher, row: &user_mfa::Model) -> DomainResult<Vec<u8>> {
    phi.decrypt_totp_secret(row.user_id, &row.secret_ciphertext)
        .map_err(DomainError::Phi)
}

/// Starts (or restarts) enrolment with a new secret; refused when the
/// account already has a confirmed authenticator.
pub async fn start_enrolment<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    phi: &PhiCipher,
    user_id: i64,
) -> DomainResult<Vec<u8>> {
    let secret = totp::new_secret();
    let txn = db.begin().await?;
    if let Some(existing) = user_mfa::Entity::find_by_id(user_id).one(&txn).await? {
        if existing.confirmed_at.is_some() {
            return Err(DomainError::Conflict(
                "Two-step sign-in is already set up for this account. An administrator can reset it if the authenticator is lost.".into(),
            ));
        }
        user_mfa::Entity::delete_by_id(user_id).exec(&txn).await?;
    }
    user_mfa::ActiveModel {
        user_id: Set(user_id),
        secret_ciphertext: Set(phi.encrypt_totp_secret(user_id, &secret)),
        confirmed_at: Set(None),
        last_used_step: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(secret)
}

/// Records that the code of `step` was used; false when that step (or a
/// later one) already was.
pub async fn use_step<C: ConnectionTrait>(db: &C, user_id: i64, step: i64) -> DomainResult<bool> {
    let result = user_mfa::Entity::update_many()
        .col_expr(user_mfa::Column::LastUsedStep, Expr::value(step))
        .filter(user_mfa::Column::UserId.eq(user_id))
        .filter(
            Condition::any()
                .add(user_mfa::Column::LastUsedStep.is_null())
                .add(user_mfa::Column::LastUsedStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Confirms a pending enrolment with the step of its first code and
/// issues a fresh set of recovery codes, returned once in plain text.
pub async fn confirm<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    phi: &PhiCipher,
    user_id: i64,
    step: i64,
) -> DomainResult<Option<Vec<String>>> {
    let txn = db.begin().await?;
    let confirmed = user_mfa::Entity::update_many()
        .col_expr(user_mfa::Column::ConfirmedAt, Expr::value(Utc::now()))
        .col_expr(user_mfa::Column::LastUsedStep, Expr::value(step))
        .filter(user_mfa::Column::UserId.eq(user_id))
        .filter(user_mfa::Column::ConfirmedAt.is_null())
        .exec(&txn)
        .await?;
    if confirmed.rows_affected != 1 {
        return Ok(None);
    }
    user_recovery_code::Entity::delete_many()
        .filter(user_recovery_code::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let now = Utc::now();
    let rows = codes.iter().map(|code| user_recovery_code::ActiveModel {
        user_id: Set(user_id),
        code_hash: Set(phi.recovery_code_hash(user_id, &normalise_recovery(code))),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    });
    user_recovery_code::Entity::insert_many(rows)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(Some(codes))
}

/// Spends a recovery code; false when it is not one of the account's
/// unused codes.
pub async fn use_recovery_code<C: ConnectionTrait>(
    db: &C,
    phi: &PhiCipher,
    user_id: i64,
    code: &str,
) -> DomainResult<bool> {
    let normalised = normalise_recovery(code);
    if normalised.len() != RECOVERY_LEN {
        return Ok(false);
    }
    let hash = phi.recovery_code_hash(user_id, &normalised);
    let result = user_recovery_code::Entity::update_many()
        .col_expr(user_recovery_code::Column::UsedAt, Expr::value(Utc::now()))
        .filter(user_recovery_code::Column::UserId.eq(user_id))
        .filter(user_recovery_code::Column::CodeHash.eq(hash))
        .filter(user_recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Removes the account's authenticator and recovery codes; true when it
/// had any.
pub async fn reset<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user_id: i64,
) -> DomainResult<bool> {
    let txn = db.begin().await?;
    let codes = user_recovery_code::Entity::delete_many()
        .filter(user_recovery_code::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    let mfa = user_mfa::Entity::delete_by_id(user_id).exec(&txn).await?;
    txn.commit().await?;
    Ok(codes.rows_affected + mfa.rows_affected > 0)
}

fn new_recovery_code() -> String {
    let mut rng = rand::rng();
    let raw: String = (0..RECOVERY_LEN)
        .map(|_| RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())] as char)
        .collect();
    format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12])
}

/// As typed: case, spaces and dashes do not matter.
fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .take(64)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_grouped_and_normalise_back() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 14);
        assert_eq!(normalise_recovery(&code).len(), RECOVERY_LEN);
        assert_eq!(
            normalise_recovery(&code.to_lowercase().replace('-', " ")),
            normalise_recovery(&code)
        );
    }
}
