//! Staff accounts: creation, role and name changes, activation, and the
//! look-ups sign-in needs. No answer ever carries a password or its hash.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use super::error::{DomainError, DomainResult, is_unique_violation};
use super::types::{Email, Page, PageRequest};
use crate::policy::Role;
use crate::store::entities::user;

#[derive(Clone, Debug, Serialize)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub must_change_password: bool,
    pub last_login: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl UserView {
    pub fn from_row(row: user::Model) -> DomainResult<UserView> {
        let role = Role::parse(&row.role).ok_or_else(|| {
            DomainError::Store(sea_orm::DbErr::Custom(format!(
                "user {} has an unknown role",
                row.id
            )))
        })?;
        Ok(UserView {
            id: row.id,
            email: row.email,
            name: row.name,
            role,
            active: row.active,
            must_change_password: row.must_change_password,
            last_login: row.last_login,
            created_at: row.created_at,
        })
    }
}

pub struct NewUser {
    pub email: Email,
    pub name: String,
    pub role: Role,
    /// The bcrypt hash of the initial password.
    pub password_hash: String,
    pub must_change_password: bool,
}

pub async fn create<C: ConnectionTrait>(db: &C, new: NewUser) -> DomainResult<UserView> {
    let now = Utc::now();
    let row = user::ActiveModel {
        email: Set(new.email.as_str().to_string()),
        name: Set(new.name),
        role: Set(new.role.as_str().to_string()),
        password_hash: Set(Some(new.password_hash)),
        active: Set(true),
        must_change_password: Set(new.must_change_password),
        last_login: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            DomainError::Conflict("An account with this email already exists.".into())
        } else {
            DomainError::Store(err)
        }
    })?;
    UserView::from_row(row)
}

pub async fn list<C: ConnectionTrait>(db: &C, page: PageRequest) -> DomainResult<Page<UserView>> {
    let total = user::Entity::find().count(db).await?;
    let rows = user::Entity::find()
        .order_by_asc(user::Column::Id)
        .offset(page.offset())
        .limit(page.page_size)
        .all(db)
        .await?;
    let items = rows
        .into_iter()
        .map(UserView::from_row)
        .collect::<DomainResult<_>>()?;
    Ok(Page {
        items,
        page: page.page,
        page_size: page.page_size,
        total,
    })
}

pub async fn find_by_email<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> DomainResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(Email::normalize(email)))
        .one(db)
        .await?)
}

pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> DomainResult<user::Model> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound("No user has that id."))
}

#[derive(Clone, Debug, Default)]
pub struct UserChanges {
    pub name: Option<String>,
    pub role: Option<Role>,
}

/// Changes a user's name or role. Administrators cannot change their own
/// role, so the last administrator cannot lock everyone out by accident.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    id: i64,
    changes: UserChanges,
) -> DomainResult<UserView> {
    let row = find(db, id).await?;
    if actor_id == id && changes.role.is_some_and(|role| role.as_str() != row.role) {
        return Err(DomainError::Conflict(
            "You cannot change your own role; ask another administrator.".into(),
        ));
    }
    let mut active: user::ActiveModel = row.into();
    if let Some(name) = changes.name {
        active.name = Set(name);
    }
    if let Some(role) = changes.role {
        active.role = Set(role.as_str().to_string());
    }
    active.updated_at = Set(Utc::now());
    UserView::from_row(active.update(db).await?)
}

pub async fn set_active<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    id: i64,
    active_flag: bool,
) -> DomainResult<UserView> {
    if actor_id == id && !active_flag {
        return Err(DomainError::Conflict(
            "You cannot deactivate your own account.".into(),
        ));
    }
    let row = find(db, id).await?;
    let mut active: user::ActiveModel = row.into();
    active.active = Set(active_flag);
    active.updated_at = Set(Utc::now());
    UserView::from_row(active.update(db).await?)
}

pub async fn set_password_hash<C: ConnectionTrait>(
    db: &C,
    id: i64,
    hash: String,
    must_change: bool,
) -> DomainResult<()> {
    let row = find(db, id).await?;
    let mut active: user::ActiveModel = row.into();
    active.password_hash = Set(Some(hash));
    active.must_change_password = Set(must_change);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(())
}

pub async fn record_login<C: ConnectionTrait>(db: &C, id: i64) -> DomainResult<()> {
    user::Entity::update_many()
        .col_expr(
            user::Column::LastLogin,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
