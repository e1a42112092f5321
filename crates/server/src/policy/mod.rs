//! The access policy: who may do what to which patient, and which fields
//! they receive.
//!
//! Checks return capability values. A `PatientGrant` can only be made here,
//! after the role, care-team and break-glass checks; the services that read
//! patient data require one as an argument, and the audit row is written
//! from the same value, so "read without a check" and "read without an
//! audit row naming the basis" do not compile.

mod fields;
mod grants;

pub use fields::{PATIENT_FIELDS, PatientFields, RecordFields};
pub use grants::{
    AccessBasis, AccessError, PatientGrant, PatientWriteGrant, active_emergency_grant,
    authorize_patient, authorize_patient_write,
};

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Doctor,
    Nurse,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Doctor => "doctor",
            Role::Nurse => "nurse",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        match raw {
            "doctor" => Some(Role::Doctor),
            "nurse" => Some(Role::Nurse),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn is_clinician(self) -> bool {
        matches!(self, Role::Doctor | Role::Nurse)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub const CLINICIANS: &[Role] = &[Role::Doctor, Role::Nurse];
pub const DOCTORS: &[Role] = &[Role::Doctor];
pub const ADMINS: &[Role] = &[Role::Admin];
pub const DOCTORS_AND_ADMINS: &[Role] = &[Role::Doctor, Role::Admin];
pub const ANY_ROLE: &[Role] = &[Role::Doctor, Role::Nurse, Role::Admin];

/// The authenticated user behind a request, as established from a verified
/// access token and the current user row.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: i64,
    pub role: Role,
    pub session_id: String,
    pub token_id: String,
    pub token_expires_at: i64,
}

/// Why the policy said no; each maps to an audit reason code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denial {
    RoleNotPermitted,
    NotOnCareTeam,
    NotAuthor,
    FieldNotEditable,
}

impl Denial {
    pub fn reason_code(self) -> &'static str {
        match self {
            Denial::RoleNotPermitted => "role_not_permitted",
            Denial::NotOnCareTeam => "not_on_care_team",
            Denial::NotAuthor => "not_author",
            Denial::FieldNotEditable => "field_not_editable",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Denial::RoleNotPermitted => "Your role does not allow this action.",
            Denial::NotOnCareTeam => {
                "You are not on this patient's care team. Ask an administrator for an assignment, or use emergency access if this is an emergency."
            }
            Denial::NotAuthor => "Only the doctor who wrote this record can change it.",
            Denial::FieldNotEditable => {
                "Your role may change only the patient's phone, address and emergency contact."
            }
        }
    }
}

/// The service-layer role check, repeated below the route guard so that a
/// service called from a new route cannot skip it.
pub fn require_role(caller: &Caller, allowed: &[Role]) -> Result<(), Denial> {
    if allowed.contains(&caller.role) {
        Ok(())
    } else {
        Err(Denial::RoleNotPermitted)
    }
}
