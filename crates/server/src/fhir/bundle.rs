//! Reads a FHIR R4 Bundle and maps it to a [`PatientBundle`].
//!
//! This file holds the walk over the bundle and what every mapping shares: naming the
//! resource in errors, checking that a resource belongs to the bundle's patient,
//! resolving references inside the bundle, reading FHIR dates. The serde model is in
//! `raw`, the per-resource mappings in `patient`, `records` and `observation`.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde_json::error::Category;

use super::observation::map_observation;
use super::patient::map_patient;
use super::raw::{CodeableConcept, Member, RawBundle, RawEntry, RawResource, Reference};
use super::records::{map_condition, map_encounter, map_medication, map_procedure};
use super::{FhirError, FieldProblem, PatientBundle, ResourceRef};

pub(super) fn parse(bytes: &[u8]) -> Result<PatientBundle, FhirError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| b"[\"-0123456789tfn".contains(b)) {
        let reason = "the top-level JSON value is not an object";
        return Err(FhirError::NotABundle { reason });
    }
    let bundle: RawBundle = serde_json::from_slice(bytes).map_err(|error| {
        let (line, column) = (error.line(), error.column());
        match error.classify() {
            Category::Data => FhirError::InvalidStructure { line, column },
            Category::Syntax | Category::Eof | Category::Io => {
                FhirError::MalformedJson { line, column }
            }
        }
    })?;
    if bundle.resource_type.as_deref() != Some("Bundle") {
        let reason = "its resourceType is not \"Bundle\"";
        return Err(FhirError::NotABundle { reason });
    }
    map_bundle(&bundle.entry)
}

/// A resource with where it sits in the bundle.
struct Located<'a> {
    resource_type: &'a str,
    raw: &'a RawResource,
    full_url: Option<&'a str>,
    entry_index: usize,
}

fn map_bundle(entries: &[RawEntry]) -> Result<PatientBundle, FhirError> {
    let mut skipped = BTreeMap::new();
    let mut located = Vec::with_capacity(entries.len());
    for (entry_index, entry) in entries.iter().enumerate() {
        let Some(raw) = &entry.resource else {
            *skipped
                .entry("(entry without resource)".to_owned())
                .or_default() += 1;
            continue;
        };
        let resource_type = raw
            .resource_type
            .as_deref()
            .ok_or(FhirError::UntypedResource { entry_index })?;
        let full_url = entry.full_url.as_deref();
        located.push(Located {
            resource_type,
            raw,
            full_url,
            entry_index,
        });
    }

    let mut patients = located.iter().filter(|r| r.resource_type == "Patient");
    let patient_entry = match (patients.next(), patients.count()) {
        (None, _) => return Err(FhirError::NoPatient),
        (Some(only), 0) => only,
        (Some(_), others) => return Err(FhirError::MultiplePatients { count: others + 1 }),
    };
    let patient_at = resource_ref("Patient", patient_entry)?;
    let patient = map_patient(patient_entry.raw, &patient_at)?;

    let context = Context::new(&located, &patient.fhir_id, patient_entry.full_url);
    let mut records = Vec::new();
    let mut source_ids = HashSet::new();
    for resource in &located {
        let Some(kind) = mapped_type(resource.resource_type) else {
            if resource.resource_type != "Patient" {
                *skipped
                    .entry(resource.resource_type.to_owned())
                    .or_default() += 1;
            }
            continue;
        };
        let at = resource_ref(kind, resource)?;
        context.check_subject(resource.raw, &at)?;
        let record = match kind {
            "Condition" => Some(map_condition(resource.raw, &at)?),
            "Encounter" => Some(map_encounter(resource.raw, &at, &context)?),
            "MedicationRequest" => Some(map_medication(resource.raw, &at, &context)?),
            "Procedure" => Some(map_procedure(resource.raw, &at, &context)?),
            _ => map_observation(resource.raw, &at)?,
        };
        let Some(record) = record else {
            *skipped.entry(kind.to_owned()).or_default() += 1;
            continue;
        };
        if !source_ids.insert(record.source_id.clone()) {
            return Err(FhirError::DuplicateResource { resource: at });
        }
        records.push(record);
    }
    Ok(PatientBundle {
        patient,
        records,
        skipped,
    })
}

fn mapped_type(resource_type: &str) -> Option<&'static str> {
    [
        "Condition",
        "Encounter",
        "MedicationRequest",
        "Procedure",
        "Observation",
    ]
    .into_iter()
    .find(|kind| *kind == resource_type)
}

/// Names the resource for errors; a mapped resource must have a valid id, because its
/// id is what makes a re-import recognise the record.
fn resource_ref(kind: &'static str, resource: &Located) -> Result<ResourceRef, FhirError> {
    let mut at = ResourceRef {
        resource_type: kind,
        id: None,
        entry_index: resource.entry_index,
    };
    let id = resource.raw.id.require(&at, "id")?;
    let valid = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !valid {
        return Err(invalid(&at, "id", FieldProblem::Malformed));
    }
    at.id = Some(id.clone());
    Ok(at)
}

pub(super) fn invalid(at: &ResourceRef, field: &'static str, problem: FieldProblem) -> FhirError {
    FhirError::InvalidField {
        resource: at.clone(),
        field,
        problem,
    }
}

/// What mappings need to know about the rest of the bundle.
pub(super) struct Context<'a> {
    by_reference: HashMap<String, &'a RawResource>,
    patient_references: [String; 3],
    patient_full_url: Option<&'a str>,
}

impl<'a> Context<'a> {
    fn new(located: &[Located<'a>], patient_id: &str, patient_full_url: Option<&'a str>) -> Self {
        let mut by_reference = HashMap::new();
        for resource in located {
            if let Some(url) = resource.full_url {
                by_reference.insert(url.to_owned(), resource.raw);
            }
            if let Member::Present(id) = &resource.raw.id {
                by_reference.insert(format!("{}/{id}", resource.resource_type), resource.raw);
            }
        }
        let patient_references = [
            format!("Patient/{patient_id}"),
            format!("urn:uuid:{patient_id}"),
            format!("/Patient/{patient_id}"),
        ];
        Context {
            by_reference,
            patient_references,
            patient_full_url,
        }
    }

    /// Refuses a resource whose subject is someone else: importing it would file one
    /// person's history under another's name. Conditional references (`Patient?...`)
    /// cannot be resolved here and are accepted.
    fn check_subject(&self, raw: &RawResource, at: &ResourceRef) -> Result<(), FhirError> {
        let reference = raw
            .subject
            .get(at, "subject")?
            .and_then(|s| s.reference.as_deref());
        let Some(reference) = reference else {
            return Ok(());
        };
        let [relative, uuid, absolute_suffix] = &self.patient_references;
        let ours = Some(reference) == self.patient_full_url
            || reference == relative
            || reference == uuid
            || reference.ends_with(absolute_suffix.as_str())
            || reference.starts_with("Patient?");
        if ours {
            Ok(())
        } else {
            Err(FhirError::ForeignSubject {
                resource: at.clone(),
            })
        }
    }

    pub(super) fn concept_at(&self, reference: &Reference) -> Option<&'a CodeableConcept> {
        let target = self.by_reference.get(reference.reference.as_deref()?)?;
        match &target.code {
            Member::Present(code) => Some(code),
            _ => None,
        }
    }
}

pub(super) fn source_id(at: &ResourceRef) -> String {
    format!(
        "{}/{}",
        at.resource_type,
        at.id.as_deref().unwrap_or_default()
    )
}

pub(super) fn required_label<'c>(
    concept: &'c CodeableConcept,
    at: &ResourceRef,
    field: &'static str,
) -> Result<&'c str, FhirError> {
    concept
        .label()
        .ok_or_else(|| invalid(at, field, FieldProblem::NoText))
}

/// The first present candidate, parsed; a present but unreadable one is an error rather
/// than a reason to fall back, since it means the file is not what it claims.
pub(super) fn first_instant(
    at: &ResourceRef,
    candidates: &[(Option<&str>, &'static str)],
    missing_field: &'static str,
) -> Result<DateTime<Utc>, FhirError> {
    match candidates
        .iter()
        .find_map(|(value, field)| Some(((*value)?, *field)))
    {
        Some((value, field)) => instant(value, at, field),
        None => Err(invalid(at, missing_field, FieldProblem::Missing)),
    }
}

/// A FHIR `dateTime` or `instant`: full timestamps with an offset, or a partial date
/// (`2016`, `2016-09`, `2016-09-13`) read as the start of that period in UTC.
pub(super) fn instant(
    value: &str,
    at: &ResourceRef,
    field: &'static str,
) -> Result<DateTime<Utc>, FhirError> {
    let parsed = DateTime::parse_from_rfc3339(value)
        .map(|t| t.to_utc())
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
        .or_else(|| partial_date(value).map(|d| d.and_time(NaiveTime::MIN).and_utc()));
    parsed.ok_or_else(|| invalid(at, field, FieldProblem::NotADate))
}

fn partial_date(value: &str) -> Option<NaiveDate> {
    let full = match value.len() {
        4 => format!("{value}-01-01"),
        7 => format!("{value}-01"),
        10 => value.to_owned(),
        _ => return None,
    };
    NaiveDate::parse_from_str(&full, "%Y-%m-%d").ok()
}

pub(super) fn non_blank(value: Option<&str>) -> Option<&str> {
    value.filter(|s| !s.trim().is_empty())
}

pub(super) fn join_present<I: IntoIterator<Item = Option<String>>>(
    parts: I,
    separator: &str,
) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(separator))
}
