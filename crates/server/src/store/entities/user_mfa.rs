use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_mfa")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    /// The TOTP secret, sealed with AES-256-GCM (see `phi`).
    pub secret_ciphertext: Vec<u8>,
    /// Empty while enrolment waits for its first code.
    pub confirmed_at: Option<DateTimeUtc>,
    /// The time step of the last accepted code; no code at or before it
    /// is accepted again.
    pub last_used_step: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
