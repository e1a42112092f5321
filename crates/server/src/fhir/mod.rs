//! FHIR R4 import, without storage.
//!
//! Clinics and researchers exchange patient histories as FHIR `Bundle` files (Synthea
//! writes the same shape). This module turns one such file into plain values: one
//! [`ImportedPatient`] and the [`ImportedRecord`]s that become `medical_records` rows,
//! each already flagged `sensitive` when it touches HIV, mental health, substance use,
//! reproductive or genetic care. Keeping this layer free of database code lets the
//! importer validate a whole file before it writes anything, so a malformed file never
//! leaves a partial patient behind, and lets the demo generator produce the very same
//! values without any FHIR input.
//!
//! Errors name the resource (`Condition/abc`) and the field, never a value: a message
//! that reaches a log must not carry a name, an SSN, a date or a diagnosis.

mod bundle;
mod observation;
mod patient;
mod raw;
mod records;
mod sensitive;
mod synthetic;
mod synthetic_catalog;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

/// Parses one FHIR R4 Bundle holding exactly one `Patient`.
///
/// Either the whole bundle maps cleanly or an error names the first problem; nothing
/// is returned for a bundle that is only partly readable.
pub fn parse_bundle(bytes: &[u8]) -> Result<PatientBundle, FhirError> {
    bundle::parse(bytes)
}

/// Plausible, clearly fictional patients for demonstrations and tests.
///
/// The same seed always yields the same patients. MRNs run `DEMO-000001`, `DEMO-000002`,
/// ... in order, SSNs lie in the never-issued 900-999 area and are unique within the
/// call, phone numbers in the 555-0100..555-0199 range reserved for fiction.
pub fn synthetic_patients(seed: u64, count: usize) -> Vec<PatientBundle> {
    synthetic::generate(seed, count)
}

/// The demographic part of a FHIR `Patient`. `Debug` shows only the FHIR id.
#[derive(Clone, PartialEq, Eq)]
pub struct ImportedPatient {
    /// `Patient.id`: the stable key for re-importing the same person.
    pub fhir_id: String,
    /// The identifier typed `MR`, or `Patient.id` when the bundle has none.
    pub mrn: String,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    /// `male`, `female`, `other` or `unknown`.
    pub sex: String,
    pub phone: Option<String>,
    /// One line: `line, city, state postalCode`.
    pub address: Option<String>,
    pub emergency_contact: Option<String>,
    /// `ddd-dd-dddd`; `None` when the bundle has no usable SSN.
    pub ssn: Option<String>,
}

impl fmt::Debug for ImportedPatient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportedPatient")
            .field("fhir_id", &self.fhir_id)
            .finish_non_exhaustive()
    }
}

pub use crate::domain::records::{RecordType, Severity};

// How imported records get a severity.
//
// Imported data carries no severity, so the importer derives one with a deliberately
// simple rule that a clinician can predict. Observations are `Low`. For the other
// records, a diagnosis naming a life-threatening event (cardiac arrest, stroke, sepsis,
// overdose...) makes them `Critical` and one naming a serious disease (cancer, HIV,
// tuberculosis, heart failure...) `High`; an emergency encounter is at least `High`, an
// inpatient one at least `Medium`; otherwise conditions and procedures are `Medium`,
// encounters and prescriptions `Low`. A condition recorded as "history of ..." is `Low`.

const CRITICAL_TERMS: &[&str] = &[
    "cardiac arrest",
    "respiratory arrest",
    "respiratory failure",
    "septic shock",
    "sepsis",
    "overdose",
    "myocardial infarction",
    "stroke",
    "anaphylaxis",
];

const HIGH_TERMS: &[&str] = &[
    "malignant",
    "cancer",
    "carcinoma",
    "leukemia",
    "lymphoma",
    "hiv",
    "human immunodeficiency virus",
    "tuberculosis",
    "heart failure",
    "atrial fibrillation",
    "coronary",
    "pneumonia",
    "fracture",
    "chronic kidney disease",
    "eclampsia",
];

/// The severity a diagnosis text alone implies, if any term of the rule on
/// [`Severity`] matches.
fn implied_severity(text: &str) -> Option<Severity> {
    let text = text.to_lowercase();
    if sensitive::mentions_any(&text, CRITICAL_TERMS) {
        Some(Severity::Critical)
    } else if sensitive::mentions_any(&text, HIGH_TERMS) {
        Some(Severity::High)
    } else {
        None
    }
}

/// One future `medical_records` row. `Debug` hides the clinical text and the date.
#[derive(Clone, PartialEq, Eq)]
pub struct ImportedRecord {
    /// `<ResourceType>/<id>`, unique within its bundle: with the patient, the key that
    /// makes a re-import change nothing.
    pub source_id: String,
    pub record_type: RecordType,
    /// Never empty.
    pub diagnosis: String,
    pub treatment: Option<String>,
    pub notes: Option<String>,
    pub medications: Option<String>,
    pub severity: Severity,
    pub sensitive: bool,
    pub recorded_at: DateTime<Utc>,
}

impl fmt::Debug for ImportedRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportedRecord")
            .field("source_id", &self.source_id)
            .field("record_type", &self.record_type)
            .field("severity", &self.severity)
            .field("sensitive", &self.sensitive)
            .finish_non_exhaustive()
    }
}

/// Everything one bundle yields, plus what it held that the importer does not keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientBundle {
    pub patient: ImportedPatient,
    pub records: Vec<ImportedRecord>,
    /// Resources not imported, counted by `resourceType` (Claim, Immunization,
    /// Observations outside the selected codes, types this importer does not know...).
    pub skipped: BTreeMap<String, usize>,
}

/// Where in a bundle a problem lies, printed as `Condition/<id>` or, when the id itself
/// is missing or unusable, as `Condition in entry 7`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRef {
    pub resource_type: &'static str,
    pub id: Option<String>,
    /// Zero-based position in `Bundle.entry`.
    pub entry_index: usize,
}

impl fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{}/{}", self.resource_type, id),
            None => write!(f, "{} in entry {}", self.resource_type, self.entry_index),
        }
    }
}

/// What is wrong with a field; deliberately silent about the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    Missing,
    WrongType,
    NotADate,
    UnknownCode,
    NoText,
    Malformed,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FieldProblem::Missing => "is missing",
            FieldProblem::WrongType => "has the wrong JSON type",
            FieldProblem::NotADate => "is not a valid date",
            FieldProblem::UnknownCode => "holds a code outside its value set",
            FieldProblem::NoText => "has neither text nor a coding display",
            FieldProblem::Malformed => "is malformed",
        })
    }
}

/// Why a file could not be imported. The message names places, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FhirError {
    #[error("not valid JSON (syntax error at line {line}, column {column})")]
    MalformedJson { line: usize, column: usize },
    #[error("not a FHIR Bundle: {reason}")]
    NotABundle { reason: &'static str },
    #[error("the bundle's structure is invalid at line {line}, column {column}")]
    InvalidStructure { line: usize, column: usize },
    #[error("bundle entry {entry_index} holds a resource without a resourceType")]
    UntypedResource { entry_index: usize },
    #[error("the bundle holds no Patient resource")]
    NoPatient,
    #[error("the bundle holds {count} Patient resources; exactly one is expected")]
    MultiplePatients { count: usize },
    #[error("{resource}: field `{field}` {problem}")]
    InvalidField {
        resource: ResourceRef,
        field: &'static str,
        problem: FieldProblem,
    },
    #[error("{resource} appears more than once in the bundle")]
    DuplicateResource { resource: ResourceRef },
    #[error("{resource} refers to a patient other than the bundle's Patient")]
    ForeignSubject { resource: ResourceRef },
}

#[cfg(test)]
mod tests;
