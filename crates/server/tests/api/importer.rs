//! `healthsecure import-fhir` through the command line.

use crate::helpers::*;

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn importing_the_same_bundle_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid_bundle.json");
    let records = fixture_bundle().records.len();

    let first = cli(dir.path(), &["import-fhir", file.to_str().unwrap()], None);
    let second = cli(dir.path(), &["import-fhir", file.to_str().unwrap()], None);

    assert!(first.status.success() && second.status.success());
    assert!(stdout(&first).contains("patients: 1 new, 0 already present"));
    assert!(stdout(&first).contains(&format!("records:  {records} new")));
    assert!(stdout(&second).contains("patients: 0 new, 1 already present"));
    assert!(stdout(&second).contains(&format!(
        "records:  0 new (0 flagged sensitive), {records} already present"
    )));
}

#[test]
fn a_malformed_file_is_refused_by_name_and_the_others_still_import() {
    let dir = tempfile::tempdir().unwrap();
    let bad = fixture("malformed.json");
    let missing_field = fixture("patient_missing_birth_date.json");
    let good = fixture("valid_bundle.json");

    let output = cli(
        dir.path(),
        &[
            "import-fhir",
            bad.to_str().unwrap(),
            missing_field.to_str().unwrap(),
            good.to_str().unwrap(),
        ],
        None,
    );

    let text = stdout(&output);
    assert!(!output.status.success());
    assert!(text.contains("malformed.json: REFUSED"), "{text}");
    assert!(
        text.contains("patient_missing_birth_date.json: REFUSED"),
        "{text}"
    );
    assert!(
        text.contains("birthDate"),
        "the reason names the field: {text}"
    );
    assert!(text.contains("patients: 1 new"), "{text}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("2 file(s) were refused"));
}

#[test]
fn unknown_and_unmapped_resource_types_are_counted_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = fixture_bundle();

    let output = cli(
        dir.path(),
        &[
            "import-fhir",
            fixture("valid_bundle.json").to_str().unwrap(),
        ],
        None,
    );

    let text = stdout(&output);
    let skipped_line = text
        .lines()
        .find(|l| l.contains("skipped resources:"))
        .expect("a skipped line");
    for (kind, count) in &bundle.skipped {
        assert!(
            skipped_line.contains(&format!("{kind} {count}")),
            "{kind} missing from: {skipped_line}"
        );
    }
    assert!(
        bundle.skipped.keys().any(|k| ![
            "Claim",
            "Immunization",
            "Observation",
            "Organization",
            "Location"
        ]
        .contains(&k.as_str())),
        "the fixture has an unknown type"
    );
}

#[test]
fn a_bundle_without_a_patient_is_reported_and_not_an_error() {
    let dir = tempfile::tempdir().unwrap();

    let output = cli(
        dir.path(),
        &["import-fhir", fixture("no_patient.json").to_str().unwrap()],
        None,
    );

    assert!(output.status.success());
    assert!(stdout(&output).contains("no patient in this bundle"));
}

#[test]
fn all_shared_synthea_bundles_import_and_a_second_run_adds_nothing() {
    let Some(data) =
        skip_without_real_data("all_shared_synthea_bundles_import_and_a_second_run_adds_nothing")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let expected = real_bundles();
    let records: usize = expected.iter().map(|b| b.records.len()).sum();

    let first = cli(dir.path(), &["import-fhir", data.to_str().unwrap()], None);
    let second = cli(dir.path(), &["import-fhir", data.to_str().unwrap()], None);

    assert!(first.status.success(), "{}", stdout(&first));
    assert!(stdout(&first).contains(&format!(
        "patients: {} new, 0 already present",
        expected.len()
    )));
    assert!(stdout(&first).contains(&format!("records:  {records} new")));
    assert!(stdout(&second).contains(&format!(
        "patients: 0 new, {} already present",
        expected.len()
    )));
    assert!(stdout(&second).contains("records:  0 new"));
}

#[test]
fn a_missing_path_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();

    let output = cli(dir.path(), &["import-fhir", "/nonexistent/bundles"], None);

    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("/nonexistent/bundles does not exist")
    );
}
