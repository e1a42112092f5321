//! Tests of the public API: a whole bundle in; a patient, records, skipped counts or an
//! error that names a place but never a value out.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::json;

use self::support::{fixture, parse_value, record, resource_mut, valid_bundle};
use super::*;

/// Fixtures and bundle surgery, shared with the mapping modules' own tests.
pub(super) mod support {
    use serde_json::Value;

    use super::super::{FhirError, ImportedRecord, PatientBundle, parse_bundle};

    pub(crate) fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/fhir/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    pub(crate) fn valid_bundle() -> Value {
        serde_json::from_slice(&fixture("valid_bundle.json")).expect("the fixture is JSON")
    }

    /// The resource with `id` inside a bundle value, to change before parsing.
    pub(crate) fn resource_mut<'a>(bundle: &'a mut Value, id: &str) -> &'a mut Value {
        let entries = bundle["entry"].as_array_mut().expect("entries");
        let mut resources = entries.iter_mut().map(|entry| &mut entry["resource"]);
        resources
            .find(|resource| resource["id"] == id)
            .expect("the resource is in the fixture")
    }

    pub(crate) fn parse_value(bundle: &Value) -> Result<PatientBundle, FhirError> {
        parse_bundle(&serde_json::to_vec(bundle).expect("serializable"))
    }

    pub(crate) fn record<'a>(bundle: &'a PatientBundle, source_id: &str) -> &'a ImportedRecord {
        let mut records = bundle.records.iter();
        records
            .find(|r| r.source_id == source_id)
            .expect("the record was imported")
    }
}

#[test]
fn a_valid_bundle_yields_its_patient_its_records_and_what_it_skipped() {
    let bundle = parse_bundle(&fixture("valid_bundle.json")).expect("valid fixture");

    let patient = &bundle.patient;
    assert_eq!(patient.fhir_id, "0f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b");
    assert_eq!(
        (patient.first_name.as_str(), patient.last_name.as_str()),
        ("Ada Marie", "Quill")
    );
    assert_eq!(patient.mrn, "MRN-0042");
    assert_eq!(patient.ssn.as_deref(), Some("999-12-3456"));
    assert_eq!(
        patient.date_of_birth,
        NaiveDate::from_ymd_opt(1985, 2, 14).unwrap()
    );
    assert_eq!(patient.sex, "female");
    assert_eq!(patient.phone.as_deref(), Some("555-0142"));
    let address = "12 Harbor Drive, Apt 3, Riverton, WY 82501";
    assert_eq!(patient.address.as_deref(), Some(address));
    let contact = "Bram Quill (Emergency Contact), 555-0177";
    assert_eq!(patient.emergency_contact.as_deref(), Some(contact));
    let types: Vec<_> = bundle
        .records
        .iter()
        .map(|r| r.record_type.as_str())
        .collect();
    let expected = [
        "condition",
        "condition",
        "encounter",
        "medication",
        "medication",
        "procedure",
        "observation",
        "observation",
    ];
    assert_eq!(types, expected);
    let skipped: BTreeMap<&str, usize> = bundle
        .skipped
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    let expected_skipped = [
        ("Claim", 1),
        ("Immunization", 1),
        ("Location", 1),
        ("Observation", 1),
        ("Organization", 1),
        ("VendorWellnessScore", 1),
    ];
    assert_eq!(skipped, BTreeMap::from(expected_skipped));
    let sensitive: Vec<_> = bundle
        .records
        .iter()
        .filter(|r| r.sensitive)
        .map(|r| r.source_id.as_str())
        .collect();
    assert_eq!(
        sensitive,
        ["Condition/cond-mdd", "MedicationRequest/med-sertraline"]
    );
    assert_eq!(
        record(&bundle, "Observation/obs-weight").notes.as_deref(),
        Some("72.5 kg")
    );
}

#[test]
fn debug_output_of_imported_values_carries_no_personal_data() {
    let bundle = parse_bundle(&fixture("valid_bundle.json")).expect("valid fixture");

    let printed = format!("{bundle:?}");

    for value in [
        "Quill",
        "Ada",
        "999-12-3456",
        "555-0142",
        "1985",
        "Harbor",
        "depressive",
    ] {
        assert!(!printed.contains(value), "Debug shows {value}");
    }
}

#[test]
fn record_types_and_severities_read_back_from_their_stored_names() {
    for kind in RecordType::ALL {
        assert_eq!(RecordType::parse(kind.as_str()), Some(kind));
    }
    for level in [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ] {
        assert_eq!(Severity::parse(level.as_str()), Some(level));
    }
    assert_eq!(RecordType::parse("claim"), None);
}

fn real_bundles_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/synthea-r4"
    ));
    dir.is_dir().then_some(dir)
}

#[test]
fn every_real_synthea_file_imports_or_is_refused_for_holding_no_patient() {
    let Some(dir) = real_bundles_dir() else {
        println!(
            "skipped: the shared Synthea sample (shared/data/synthea-r4) is not beside the repository"
        );
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("readable directory")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();

    let mut bundles = Vec::new();
    let mut without_patient = 0;
    for path in &files {
        match parse_bundle(&std::fs::read(path).expect("readable file")) {
            Ok(bundle) => bundles.push(bundle),
            Err(FhirError::NoPatient) => without_patient += 1,
            Err(error) => panic!("{}: {error}", path.display()),
        }
    }

    assert_eq!(bundles.len() + without_patient, files.len());
    assert!(!bundles.is_empty());
    let mut fhir_ids = HashSet::new();
    for bundle in &bundles {
        assert!(
            fhir_ids.insert(bundle.patient.fhir_id.clone()),
            "patients are distinct"
        );
        let source_ids: HashSet<_> = bundle.records.iter().map(|r| &r.source_id).collect();
        assert_eq!(
            source_ids.len(),
            bundle.records.len(),
            "source ids are unique"
        );
        assert!(
            bundle
                .records
                .iter()
                .all(|r| !r.diagnosis.trim().is_empty())
        );
        let hiv_lab = |r: &&ImportedRecord| r.diagnosis.starts_with("HIV");
        assert!(bundle.records.iter().filter(hiv_lab).all(|r| r.sensitive));
    }
    let records: Vec<&ImportedRecord> = bundles.iter().flat_map(|b| &b.records).collect();
    let sensitive = records.iter().filter(|r| r.sensitive).count();
    assert!(
        sensitive > 0,
        "the HIV cohort's laboratory results are sensitive"
    );
    println!(
        "{} patients, {} without patient, {} records, {sensitive} sensitive",
        bundles.len(),
        without_patient,
        records.len()
    );
}

#[test]
fn malformed_json_is_refused_with_its_position() {
    let error = parse_bundle(&fixture("malformed.json")).unwrap_err();

    assert!(
        matches!(error, FhirError::MalformedJson { line: 1, .. }),
        "{error}"
    );
}

#[test]
fn a_file_that_is_not_a_bundle_is_refused() {
    let patient_alone = json!({"resourceType": "Patient", "id": "p1"});

    let error = parse_value(&patient_alone).unwrap_err();
    let array_error = parse_bundle(b" [1, 2]").unwrap_err();

    assert!(matches!(error, FhirError::NotABundle { .. }), "{error}");
    assert!(matches!(array_error, FhirError::NotABundle { .. }));
}

#[test]
fn a_bundle_whose_entry_is_not_a_list_is_refused_without_quoting_it() {
    let bundle = br#"{"resourceType": "Bundle", "entry": "Jane Doe 999-12-3456"}"#;

    let error = parse_bundle(bundle).unwrap_err();

    assert!(matches!(error, FhirError::InvalidStructure { line: 1, .. }));
    assert!(!error.to_string().contains("Jane"));
}

#[test]
fn a_bundle_without_a_patient_is_refused() {
    let error = parse_bundle(&fixture("no_patient.json")).unwrap_err();

    assert_eq!(error, FhirError::NoPatient);
}

#[test]
fn a_bundle_with_two_patients_is_refused() {
    let mut bundle = valid_bundle();
    let mut second = bundle["entry"][0].clone();
    second["resource"]["id"] = json!("another-patient");
    bundle["entry"].as_array_mut().unwrap().push(second);

    let error = parse_value(&bundle).unwrap_err();

    assert_eq!(error, FhirError::MultiplePatients { count: 2 });
}

#[test]
fn a_resource_about_another_patient_is_refused() {
    let mut bundle = valid_bundle();
    resource_mut(&mut bundle, "obs-weight")["subject"] =
        json!({"reference": "Patient/someone-else"});

    let error = parse_value(&bundle).unwrap_err();

    assert!(matches!(error, FhirError::ForeignSubject { .. }));
    assert_eq!(
        error.to_string(),
        "Observation/obs-weight refers to a patient other than the bundle's Patient"
    );
}

#[test]
fn a_record_id_used_twice_is_refused() {
    let mut bundle = valid_bundle();
    resource_mut(&mut bundle, "cond-mdd")["id"] = json!("cond-htn");

    let error = parse_value(&bundle).unwrap_err();

    assert!(matches!(error, FhirError::DuplicateResource { .. }));
    assert_eq!(
        error.to_string(),
        "Condition/cond-htn appears more than once in the bundle"
    );
}

#[test]
fn a_mapped_resource_without_a_usable_id_is_named_by_its_position() {
    let mut bundle = valid_bundle();
    resource_mut(&mut bundle, "enc-er")["id"] = json!("bad id with spaces");

    let error = parse_value(&bundle).unwrap_err();

    assert_eq!(
        error.to_string(),
        "Encounter in entry 3: field `id` is malformed"
    );
}

#[test]
fn a_member_of_the_wrong_json_type_names_the_resource_and_the_field() {
    let mut bundle = valid_bundle();
    resource_mut(&mut bundle, "enc-er")["period"] = json!({"start": 20220107});

    let error = parse_value(&bundle).unwrap_err();

    let expected = FieldProblem::WrongType;
    assert!(
        matches!(error, FhirError::InvalidField { field: "period", problem, .. } if problem == expected)
    );
    assert_eq!(
        error.to_string(),
        "Encounter/enc-er: field `period` has the wrong JSON type"
    );
}

#[test]
fn an_unreadable_date_is_refused_without_quoting_it() {
    let mut bundle = valid_bundle();
    resource_mut(&mut bundle, "cond-htn")["onsetDateTime"] = json!("sometime in May");

    let error = parse_value(&bundle).unwrap_err();

    assert_eq!(
        error.to_string(),
        "Condition/cond-htn: field `onsetDateTime` is not a valid date"
    );
}

#[test]
fn fhir_dates_of_every_precision_are_read_in_utc() {
    let at = ResourceRef {
        resource_type: "Condition",
        id: None,
        entry_index: 0,
    };
    let read =
        |value: &str| super::bundle::instant(value, &at, "onsetDateTime").map(|t| t.to_rfc3339());

    assert_eq!(
        read("2019-05-02T09:30:00+02:00").unwrap(),
        "2019-05-02T07:30:00+00:00"
    );
    assert_eq!(
        read("2019-05-02T09:30:00.250Z").unwrap(),
        "2019-05-02T09:30:00.250+00:00"
    );
    assert_eq!(read("2019-05-02").unwrap(), "2019-05-02T00:00:00+00:00");
    assert_eq!(read("2019-05").unwrap(), "2019-05-01T00:00:00+00:00");
    assert_eq!(read("2019").unwrap(), "2019-01-01T00:00:00+00:00");
    assert!(read("2019-13").is_err());
    assert!(read("yesterday").is_err());
}
