//! Capability values for patient access, and the checks that make them.

use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use super::{CLINICIANS, Caller, Denial, PatientFields, RecordFields, require_role};
use crate::audit::{Action, AuditEvent, Outcome, Purpose};
use crate::http::context::ClientInfo;
use crate::store::entities::{care_team, emergency_access, patient};

/// What entitles the caller to this patient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessBasis {
    CareTeam,
    Emergency { grant_id: i64 },
}

#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("access denied")]
    Denied(Denial),
    #[error("patient not found")]
    PatientNotFound,
    #[error(transparent)]
    Store(#[from] DbErr),
}

/// Permission to read one patient's data, with the fields the caller's
/// role allows. Only `authorize_patient` makes one.
#[derive(Clone, Debug)]
pub struct PatientGrant {
    caller: Caller,
    patient_id: i64,
    basis: AccessBasis,
}

impl PatientGrant {
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    pub fn patient_id(&self) -> i64 {
        self.patient_id
    }

    pub fn basis(&self) -> AccessBasis {
        self.basis
    }

    pub fn patient_fields(&self) -> PatientFields {
        PatientFields::for_role(self.caller.role)
    }

    pub fn record_fields(&self) -> RecordFields {
        RecordFields::for_role(self.caller.role)
    }

    pub fn purpose(&self) -> Purpose {
        match self.basis {
            AccessBasis::CareTeam => Purpose::Treatment,
            AccessBasis::Emergency { .. } => Purpose::EmergencyTreatment,
        }
    }

    /// The audit event for an allowed access under this grant.
    pub fn audit(&self, action: Action, client: &ClientInfo) -> AuditEvent {
        let event = AuditEvent::new(action, Outcome::Allowed, client)
            .by(self.caller.user_id, self.caller.role)
            .patient(self.patient_id)
            .purpose(self.purpose());
        match self.basis {
            AccessBasis::CareTeam => event,
            AccessBasis::Emergency { grant_id } => event.emergency(grant_id),
        }
    }
}

/// Permission to change one patient's chart: care-team members only. A
/// break-glass grant is for reading in an emergency and never allows writes.
#[derive(Clone, Debug)]
pub struct PatientWriteGrant {
    caller: Caller,
    patient_id: i64,
}

impl PatientWriteGrant {
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    pub fn patient_id(&self) -> i64 {
        self.patient_id
    }

    pub fn record_fields(&self) -> RecordFields {
        RecordFields::for_role(self.caller.role)
    }

    pub fn audit(&self, action: Action, client: &ClientInfo) -> AuditEvent {
        AuditEvent::new(action, Outcome::Allowed, client)
            .by(self.caller.user_id, self.caller.role)
            .patient(self.patient_id)
            .purpose(Purpose::Treatment)
    }
}

/// Decides whether `caller` may read `patient_id`: a clinician on the care
/// team, or one holding an active break-glass grant for that patient.
pub async fn authorize_patient<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    patient_id: i64,
) -> Result<PatientGrant, AccessError> {
    require_role(caller, CLINICIANS).map_err(AccessError::Denied)?;
    // A care-team row or a grant names an existing patient (foreign keys),
    // so the existence check is needed only to tell "no such patient" from
    // "not yours" on refusal; the common, permitted read skips a query.
    if on_care_team(db, caller.user_id, patient_id).await? {
        return Ok(PatientGrant {
            caller: caller.clone(),
            patient_id,
            basis: AccessBasis::CareTeam,
        });
    }
    if let Some(grant_id) = active_emergency_grant(db, caller.user_id, patient_id).await? {
        return Ok(PatientGrant {
            caller: caller.clone(),
            patient_id,
            basis: AccessBasis::Emergency { grant_id },
        });
    }
    ensure_patient_exists(db, patient_id).await?;
    Err(AccessError::Denied(Denial::NotOnCareTeam))
}

/// Decides whether `caller` may change `patient_id`'s chart.
pub async fn authorize_patient_write<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    patient_id: i64,
) -> Result<PatientWriteGrant, AccessError> {
    require_role(caller, CLINICIANS).map_err(AccessError::Denied)?;
    ensure_patient_exists(db, patient_id).await?;
    if on_care_team(db, caller.user_id, patient_id).await? {
        Ok(PatientWriteGrant {
            caller: caller.clone(),
            patient_id,
        })
    } else {
        Err(AccessError::Denied(Denial::NotOnCareTeam))
    }
}

async fn ensure_patient_exists<C: ConnectionTrait>(
    db: &C,
    patient_id: i64,
) -> Result<(), AccessError> {
    let found = patient::Entity::find_by_id(patient_id)
        .select_only()
        .column(patient::Column::Id)
        .into_tuple::<i64>()
        .one(db)
        .await?;
    found.map(|_| ()).ok_or(AccessError::PatientNotFound)
}

async fn on_care_team<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    patient_id: i64,
) -> Result<bool, DbErr> {
    let count = care_team::Entity::find()
        .filter(care_team::Column::UserId.eq(user_id))
        .filter(care_team::Column::PatientId.eq(patient_id))
        .count(db)
        .await?;
    Ok(count > 0)
}

/// The id of an activated, unrevoked, unexpired grant, if any. Expiry is
/// checked against the clock on every request, so access ends exactly at
/// `expires_at` whatever a token says.
pub async fn active_emergency_grant<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    patient_id: i64,
) -> Result<Option<i64>, DbErr> {
    emergency_access::Entity::find()
        .select_only()
        .column(emergency_access::Column::Id)
        .filter(emergency_access::Column::UserId.eq(user_id))
        .filter(emergency_access::Column::PatientId.eq(patient_id))
        .filter(emergency_access::Column::ActivatedAt.is_not_null())
        .filter(emergency_access::Column::RevokedAt.is_null())
        .filter(emergency_access::Column::ExpiresAt.gt(Utc::now()))
        .into_tuple::<i64>()
        .one(db)
        .await
}
