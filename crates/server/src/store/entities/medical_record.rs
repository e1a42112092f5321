//! A medical record: one condition, encounter, medication, procedure or
//! observation of one patient.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "medical_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub patient_id: i64,
    pub doctor_id: Option<i64>,
    pub record_type: String,
    pub diagnosis: String,
    pub treatment: Option<String>,
    pub notes: Option<String>,
    pub medications: Option<String>,
    pub severity: String,
    pub sensitive: bool,
    pub source_id: Option<String>,
    /// When the care happened, often decades ago. Held with an offset
    /// (always UTC) because the MySQL driver binds a UTC instant as a
    /// TIMESTAMP parameter, which MariaDB turns into NULL outside
    /// 1970-2038; an offset date-time is bound as a DATETIME value.
    pub recorded_at: DateTimeWithTimeZone,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
