//! Medical records: read through a patient grant with role-filtered
//! fields, written by the doctors on the patient's care team.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use super::error::{DomainError, DomainResult};
use super::patients::Field;
use super::types::{Page, PageRequest};
use crate::policy::{DOCTORS, Denial, PatientGrant, PatientWriteGrant, RecordFields, require_role};
use crate::store::entities::medical_record;

/// What kind of clinical entry a record is; stored as `as_str()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordType {
    Condition,
    Encounter,
    Medication,
    Procedure,
    Observation,
}

impl RecordType {
    pub const ALL: [RecordType; 5] = [
        RecordType::Condition,
        RecordType::Encounter,
        RecordType::Medication,
        RecordType::Procedure,
        RecordType::Observation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Condition => "condition",
            RecordType::Encounter => "encounter",
            RecordType::Medication => "medication",
            RecordType::Procedure => "procedure",
            RecordType::Observation => "observation",
        }
    }

    pub fn parse(value: &str) -> Option<RecordType> {
        RecordType::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }
}

/// A coarse triage level, ordered from `Low` to `Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(value: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|level| level.as_str() == value)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct RecordView {
    pub id: i64,
    pub patient_id: i64,
    pub doctor_id: Option<i64>,
    pub record_type: String,
    #[serde(skip_serializing_if = "Field::is_withheld")]
    pub diagnosis: Field<String>,
    pub treatment: Option<String>,
    #[serde(skip_serializing_if = "Field::is_withheld")]
    pub notes: Field<Option<String>>,
    pub medications: Option<String>,
    pub severity: String,
    pub sensitive: bool,
    pub restricted: bool,
    pub recorded_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Field names a record view may release, for audit rows.
pub const RECORD_FIELDS: &[&str] = &[
    "record_type",
    "diagnosis",
    "treatment",
    "notes",
    "medications",
    "severity",
    "sensitive",
    "recorded_at",
];

fn view(row: medical_record::Model, fields: RecordFields) -> RecordView {
    let restricted = fields.restricted(row.sensitive);
    let (diagnosis, notes) = if restricted {
        (Field::Withheld, Field::Withheld)
    } else {
        (Field::Released(row.diagnosis), Field::Released(row.notes))
    };
    RecordView {
        id: row.id,
        patient_id: row.patient_id,
        doctor_id: row.doctor_id,
        record_type: row.record_type,
        diagnosis,
        treatment: row.treatment,
        notes,
        medications: row.medications,
        severity: row.severity,
        sensitive: row.sensitive,
        restricted,
        recorded_at: row.recorded_at.to_utc(),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// A page of records and whether any of them had fields withheld.
pub struct RecordPage {
    pub page: Page<RecordView>,
    pub any_restricted: bool,
}

/// The patient's records, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    grant: &PatientGrant,
    page: PageRequest,
) -> DomainResult<RecordPage> {
    let select = medical_record::Entity::find()
        .filter(medical_record::Column::PatientId.eq(grant.patient_id()));
    let total = select.clone().count(db).await?;
    let rows = select
        .order_by_desc(medical_record::Column::RecordedAt)
        .order_by_desc(medical_record::Column::Id)
        .offset(page.offset())
        .limit(page.page_size)
        .all(db)
        .await?;
    let fields = grant.record_fields();
    let items: Vec<RecordView> = rows.into_iter().map(|row| view(row, fields)).collect();
    let any_restricted = items.iter().any(|r| r.restricted);
    Ok(RecordPage {
        page: Page {
            items,
            page: page.page,
            page_size: page.page_size,
            total,
        },
        any_restricted,
    })
}

/// The patient a record belongs to, so the policy can decide on it first.
pub async fn patient_of<C: ConnectionTrait>(db: &C, record_id: i64) -> DomainResult<i64> {
    medical_record::Entity::find_by_id(record_id)
        .select_only()
        .column(medical_record::Column::PatientId)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .ok_or(DomainError::NotFound("No medical record has that id."))
}

/// One record, reachable only through a grant for its patient.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    grant: &PatientGrant,
    record_id: i64,
) -> DomainResult<RecordView> {
    let row = medical_record::Entity::find_by_id(record_id)
        .filter(medical_record::Column::PatientId.eq(grant.patient_id()))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound("No medical record has that id."))?;
    Ok(view(row, grant.record_fields()))
}

#[derive(Clone, Debug)]
pub struct NewRecord {
    pub record_type: RecordType,
    pub diagnosis: String,
    pub treatment: Option<String>,
    pub notes: Option<String>,
    pub medications: Option<String>,
    pub severity: Severity,
    pub sensitive: bool,
    pub recorded_at: Option<DateTime<Utc>>,
}

/// Adds a record authored by the calling doctor.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    grant: &PatientWriteGrant,
    new: NewRecord,
) -> DomainResult<RecordView> {
    require_role(grant.caller(), DOCTORS)?;
    let now = Utc::now();
    let row = medical_record::ActiveModel {
        patient_id: Set(grant.patient_id()),
        doctor_id: Set(Some(grant.caller().user_id)),
        record_type: Set(new.record_type.as_str().to_string()),
        diagnosis: Set(new.diagnosis),
        treatment: Set(new.treatment),
        notes: Set(new.notes),
        medications: Set(new.medications),
        severity: Set(new.severity.as_str().to_string()),
        sensitive: Set(new.sensitive),
        source_id: Set(None),
        recorded_at: Set(new.recorded_at.unwrap_or(now).fixed_offset()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(view(row, grant.record_fields()))
}

#[derive(Clone, Debug, Default)]
pub struct RecordChanges {
    pub diagnosis: Option<String>,
    pub treatment: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub medications: Option<Option<String>>,
    pub severity: Option<Severity>,
    pub sensitive: Option<bool>,
}

/// Changes a record; only its author may, and only while still on the
/// patient's care team.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    grant: &PatientWriteGrant,
    record_id: i64,
    changes: RecordChanges,
) -> DomainResult<RecordView> {
    require_role(grant.caller(), DOCTORS)?;
    let row = medical_record::Entity::find_by_id(record_id)
        .filter(medical_record::Column::PatientId.eq(grant.patient_id()))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound("No medical record has that id."))?;
    if row.doctor_id != Some(grant.caller().user_id) {
        return Err(Denial::NotAuthor.into());
    }
    let mut active: medical_record::ActiveModel = row.into();
    if let Some(v) = changes.diagnosis {
        active.diagnosis = Set(v);
    }
    if let Some(v) = changes.treatment {
        active.treatment = Set(v);
    }
    if let Some(v) = changes.notes {
        active.notes = Set(v);
    }
    if let Some(v) = changes.medications {
        active.medications = Set(v);
    }
    if let Some(v) = changes.severity {
        active.severity = Set(v.as_str().to_string());
    }
    if let Some(v) = changes.sensitive {
        active.sensitive = Set(v);
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(db).await?;
    Ok(view(updated, grant.record_fields()))
}
