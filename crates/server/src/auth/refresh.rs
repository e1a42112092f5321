//! Refresh tokens: opaque random values stored only as SHA-256 hashes,
//! single use, grouped in families that share one absolute expiry. A family
//! is one sign-in session; its id is the session id in access tokens.
//! Presenting a used token again revokes the whole family.

use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QuerySelect,
};
use sha2::{Digest, Sha256};

use crate::store::entities::refresh_token;

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A freshly issued refresh token (the plain value leaves the server once).
pub struct Issued {
    pub token: String,
    pub family_id: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issued")
            .field("family_id", &self.family_id)
            .finish_non_exhaustive()
    }
}

/// Starts a new family for a sign-in.
pub async fn start_family<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    ttl: std::time::Duration,
) -> Result<Issued, DbErr> {
    let family_id = uuid::Uuid::new_v4().to_string();
    let expires_at =
        Utc::now() + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(7));
    issue_in_family(db, user_id, family_id, expires_at).await
}

async fn issue_in_family<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    family_id: String,
    expires_at: DateTime<Utc>,
) -> Result<Issued, DbErr> {
    let token = new_token();
    refresh_token::ActiveModel {
        family_id: Set(family_id.clone()),
        token_hash: Set(hash_token(&token)),
        user_id: Set(user_id),
        issued_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Issued {
        token,
        family_id,
        expires_at,
    })
}

#[derive(Debug)]
pub enum Rotation {
    Rotated {
        user_id: i64,
        issued: Issued,
    },
    Unknown,
    Expired {
        user_id: i64,
    },
    /// The session was ended (sign-out, password change, deactivation).
    Revoked {
        user_id: i64,
    },
    /// An already used token came back: the family is now revoked.
    Reused {
        user_id: i64,
        family_id: String,
    },
}

/// Exchanges a refresh token for a new one in the same family. Marking the
/// old token used is one conditional update, so of several concurrent
/// requests with the same token exactly one wins.
pub async fn rotate<C: ConnectionTrait>(db: &C, presented: &str) -> Result<Rotation, DbErr> {
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_token(presented)))
        .one(db)
        .await?
    else {
        return Ok(Rotation::Unknown);
    };
    let now = Utc::now();
    if row.revoked_at.is_some() && row.used_at.is_none() {
        return Ok(Rotation::Revoked {
            user_id: row.user_id,
        });
    }
    if row.used_at.is_some() {
        revoke_family(db, &row.family_id).await?;
        return Ok(Rotation::Reused {
            user_id: row.user_id,
            family_id: row.family_id,
        });
    }
    if row.expires_at <= now {
        return Ok(Rotation::Expired {
            user_id: row.user_id,
        });
    }
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        revoke_family(db, &row.family_id).await?;
        return Ok(Rotation::Reused {
            user_id: row.user_id,
            family_id: row.family_id,
        });
    }
    let issued = issue_in_family(db, row.user_id, row.family_id, row.expires_at).await?;
    Ok(Rotation::Rotated {
        user_id: row.user_id,
        issued,
    })
}

pub async fn revoke_family<C: ConnectionTrait>(db: &C, family_id: &str) -> Result<(), DbErr> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every live family of a user except `keep`, returning the
/// session ids that must also be refused for access tokens.
pub async fn revoke_user_families<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    keep: Option<&str>,
) -> Result<Vec<String>, DbErr> {
    let mut live = refresh_token::Entity::find()
        .select_only()
        .column(refresh_token::Column::FamilyId)
        .distinct()
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .filter(refresh_token::Column::ExpiresAt.gt(Utc::now()))
        .into_tuple::<String>()
        .all(db)
        .await?;
    live.retain(|family| Some(family.as_str()) != keep);
    for family in &live {
        revoke_family(db, family).await?;
    }
    Ok(live)
}
