//! Field filtering by role. A withheld field is absent from the JSON the
//! server sends; it is never sent and hidden by the web app.

use super::Role;

/// Every patient field a clinician may be shown, in response order.
pub const PATIENT_FIELDS: &[&str] = &[
    "id",
    "mrn",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "phone",
    "address",
    "emergency_contact",
    "ssn",
    "created_at",
    "updated_at",
];

/// Which patient fields a caller receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PatientFields {
    pub ssn: bool,
}

impl PatientFields {
    pub fn for_role(role: Role) -> PatientFields {
        PatientFields {
            ssn: role == Role::Doctor,
        }
    }

    pub fn released(self) -> Vec<&'static str> {
        PATIENT_FIELDS
            .iter()
            .copied()
            .filter(|f| *f != "ssn" || self.ssn)
            .collect()
    }

    pub fn withheld(self) -> Vec<&'static str> {
        if self.ssn { Vec::new() } else { vec!["ssn"] }
    }
}

/// Which parts of a medical record a caller receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordFields {
    role: Role,
}

/// Fields withheld from nurses on records flagged sensitive.
pub const SENSITIVE_RECORD_FIELDS: &[&str] = &["diagnosis", "notes"];

impl RecordFields {
    pub fn for_role(role: Role) -> RecordFields {
        RecordFields { role }
    }

    /// A record is restricted for this caller when fields are withheld from it.
    pub fn restricted(self, sensitive: bool) -> bool {
        sensitive && self.role != Role::Doctor
    }

    pub fn withheld(self, any_sensitive: bool) -> Vec<&'static str> {
        if self.restricted(any_sensitive) {
            SENSITIVE_RECORD_FIELDS.to_vec()
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_doctors_receive_the_ssn() {
        assert!(
            PatientFields::for_role(Role::Doctor)
                .released()
                .contains(&"ssn")
        );
        assert!(
            !PatientFields::for_role(Role::Nurse)
                .released()
                .contains(&"ssn")
        );
        assert_eq!(PatientFields::for_role(Role::Nurse).withheld(), vec!["ssn"]);
    }

    #[test]
    fn sensitive_records_are_restricted_for_nurses_only() {
        assert!(RecordFields::for_role(Role::Nurse).restricted(true));
        assert!(!RecordFields::for_role(Role::Nurse).restricted(false));
        assert!(!RecordFields::for_role(Role::Doctor).restricted(true));
    }
}
