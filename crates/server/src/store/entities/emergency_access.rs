use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "emergency_access")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub patient_id: i64,
    pub reason_category: String,
    pub reason: Option<String>,
    pub token_hash: String,
    pub requested_at: DateTimeUtc,
    pub activated_at: Option<DateTimeUtc>,
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<i64>,
    pub expiry_audited: bool,
    pub reviewed_at: Option<DateTimeUtc>,
    pub reviewed_by: Option<i64>,
    pub review_outcome: Option<String>,
    pub review_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
