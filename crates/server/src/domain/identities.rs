//! Which staff account a single sign-on identity reaches.
//!
//! Single sign-on never creates an account: an administrator creates it
//! first, as for password sign-in. An identity reaches an account through a
//! stored link (issuer + subject), or, the first time, through the
//! provider-verified e-mail address equal to the account's; that first
//! match then stores the link, so a later change of address at the
//! provider changes nothing here. An address the provider does not vouch
//! for never links anything.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use super::error::{DomainResult, is_unique_violation};
use super::users;
use crate::store::entities::{user, user_identity};

/// The identity a provider vouched for.
pub struct Identity<'a> {
    pub provider: &'a str,
    pub issuer: &'a str,
    pub subject: &'a str,
    pub verified_email: Option<&'a str>,
}

/// An account the identity reaches, and how.
#[derive(Debug)]
pub enum Reached {
    /// Through a stored link.
    Linked { user: user::Model, link_id: i64 },
    /// Through the verified e-mail address; not linked yet.
    ByEmail { user: user::Model },
}

impl Reached {
    pub fn user(&self) -> &user::Model {
        match self {
            Reached::Linked { user, .. } | Reached::ByEmail { user } => user,
        }
    }
}

/// Why the identity reaches no account; each is an audit reason code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreached {
    /// No link, and the provider vouched for no e-mail address.
    NoVerifiedEmail,
    /// No link, and no account has the verified address.
    NoAccount,
    /// The account with that address is already linked to another
    /// identity at the same issuer: a second account there claiming the
    /// address must not take the first one's place.
    LinkedElsewhere { user_id: i64 },
}

impl Unreached {
    pub fn reason_code(self) -> &'static str {
        match self {
            Unreached::NoVerifiedEmail => "email_not_verified",
            Unreached::NoAccount => "unknown_user",
            Unreached::LinkedElsewhere { .. } => "identity_conflict",
        }
    }

    pub fn user_id(self) -> Option<i64> {
        match self {
            Unreached::LinkedElsewhere { user_id } => Some(user_id),
            _ => None,
        }
    }
}

/// Finds the account, reading only.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    identity: &Identity<'_>,
) -> DomainResult<Result<Reached, Unreached>> {
    let link = user_identity::Entity::find()
        .filter(user_identity::Column::Issuer.eq(identity.issuer))
        .filter(user_identity::Column::Subject.eq(identity.subject))
        .one(db)
        .await?;
    if let Some(link) = link {
        let user = users::find(db, link.user_id).await?;
        return Ok(Ok(Reached::Linked {
            user,
            link_id: link.id,
        }));
    }
    let Some(email) = identity.verified_email else {
        return Ok(Err(Unreached::NoVerifiedEmail));
    };
    let Some(user) = users::find_by_email(db, email).await? else {
        return Ok(Err(Unreached::NoAccount));
    };
    let other_link = user_identity::Entity::find()
        .filter(user_identity::Column::UserId.eq(user.id))
        .filter(user_identity::Column::Issuer.eq(identity.issuer))
        .one(db)
        .await?;
    if other_link.is_some() {
        return Ok(Err(Unreached::LinkedElsewhere { user_id: user.id }));
    }
    Ok(Ok(Reached::ByEmail { user }))
}

/// Records a successful sign-in: stores the link on first use, or notes
/// when it was last used. Returns whether a link was created. When two
/// first sign-ins race, one link is stored; the other goes on only if that
/// link is its own identity's.
pub async fn record_use<C: ConnectionTrait>(
    db: &C,
    reached: &Reached,
    identity: &Identity<'_>,
) -> DomainResult<Result<bool, Unreached>> {
    let now = Utc::now();
    match reached {
        Reached::Linked { link_id, .. } => {
            user_identity::Entity::update_many()
                .col_expr(user_identity::Column::LastUsedAt, Expr::value(now))
                .filter(user_identity::Column::Id.eq(*link_id))
                .exec(db)
                .await?;
            Ok(Ok(false))
        }
        Reached::ByEmail { user } => {
            let inserted = user_identity::ActiveModel {
                user_id: Set(user.id),
                provider: Set(identity.provider.to_string()),
                issuer: Set(identity.issuer.to_string()),
                subject: Set(identity.subject.to_string()),
                created_at: Set(now),
                last_used_at: Set(Some(now)),
                ..Default::default()
            }
            .insert(db)
            .await;
            match inserted {
                Ok(_) => Ok(Ok(true)),
                Err(err) if is_unique_violation(&err) => {
                    let winner = user_identity::Entity::find()
                        .filter(user_identity::Column::Issuer.eq(identity.issuer))
                        .filter(user_identity::Column::Subject.eq(identity.subject))
                        .one(db)
                        .await?;
                    Ok(match winner {
                        Some(link) if link.user_id == user.id => Ok(false),
                        _ => Err(Unreached::LinkedElsewhere { user_id: user.id }),
                    })
                }
                Err(err) => Err(err.into()),
            }
        }
    }
}
