use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub timestamp: DateTimeUtc,
    pub user_id: Option<i64>,
    pub role: Option<String>,
    pub action: String,
    pub resource: String,
    pub patient_id: Option<i64>,
    pub record_id: Option<i64>,
    pub outcome: String,
    pub reason_code: Option<String>,
    pub emergency_use: bool,
    pub emergency_access_id: Option<i64>,
    pub purpose_of_use: Option<String>,
    pub fields_released: Option<String>,
    pub fields_withheld: Option<String>,
    pub reason: Option<String>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
