//! Medical records: restricted sensitive records for nurses, authorship,
//! and the same checks on the real Synthea patients.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::patients::new_record;

async fn records_of(app: &TestApp, patient_id: i64, session: &Session) -> Vec<Value> {
    let path = format!("/api/patients/{patient_id}/records?page_size=100");
    let page = json_of(app.get(&path, session).await, StatusCode::OK).await;
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_nurse_gets_sensitive_records_restricted_while_a_doctor_gets_them_whole() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let bundle = fixture_bundle();
    let sensitive_sources = bundle.records.iter().filter(|r| r.sensitive).count();
    assert!(
        sensitive_sources > 0,
        "the fixture must hold a sensitive record"
    );

    let for_nurse = records_of(&app, ward.patient_id, &ward.nurse).await;
    let for_doctor = records_of(&app, ward.patient_id, &ward.doctor).await;

    assert_eq!(for_nurse.len(), bundle.records.len());
    let restricted: Vec<&Value> = for_nurse
        .iter()
        .filter(|r| r["restricted"] == true)
        .collect();
    assert_eq!(restricted.len(), sensitive_sources);
    for record in &restricted {
        assert!(
            record.get("diagnosis").is_none() && record.get("notes").is_none(),
            "{record}"
        );
        assert_eq!(record["sensitive"], true);
    }
    for record in for_nurse.iter().filter(|r| r["restricted"] == false) {
        assert!(record["diagnosis"].is_string(), "{record}");
    }
    assert!(
        for_doctor
            .iter()
            .all(|r| r["restricted"] == false && r["diagnosis"].is_string())
    );
}

#[tokio::test]
async fn a_single_record_is_reachable_only_through_a_patient_the_caller_may_see() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let outsider = app.login(&NURSE2).await;
    let record_id = records_of(&app, ward.patient_id, &ward.doctor).await[0]["id"]
        .as_i64()
        .unwrap();

    let own = app
        .get(&format!("/api/records/{record_id}"), &ward.nurse)
        .await;
    let other = app
        .get(&format!("/api/records/{record_id}"), &outsider)
        .await;
    let missing = app.get("/api/records/987654", &ward.nurse).await;

    assert_eq!(json_of(own, StatusCode::OK).await["id"], record_id);
    assert_eq!(error_code(other, StatusCode::FORBIDDEN).await, "forbidden");
    assert_eq!(
        error_code(missing, StatusCode::NOT_FOUND).await,
        "not_found"
    );
}

#[tokio::test]
async fn a_doctor_adds_a_record_as_its_author_and_only_the_author_may_change_it() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let colleague = app.login(&DOCTOR2).await;
    app.assign(&ward.admin, colleague.user_id, ward.patient_id)
        .await;
    let path = format!("/api/patients/{}/records", ward.patient_id);

    let created = json_of(
        app.post(&path, &ward.doctor, new_record()).await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let by_author = app
        .put(
            &format!("/api/records/{id}"),
            &ward.doctor,
            json!({ "treatment": "Nasal spray" }),
        )
        .await;
    let by_colleague = app
        .put(
            &format!("/api/records/{id}"),
            &colleague,
            json!({ "treatment": "Other" }),
        )
        .await;
    let by_nurse = app.post(&path, &ward.nurse, new_record()).await;

    assert_eq!(created["doctor_id"], ward.doctor.user_id);
    assert_eq!(created["diagnosis"], "Seasonal allergic rhinitis");
    assert_eq!(
        json_of(by_author, StatusCode::OK).await["treatment"],
        "Nasal spray"
    );
    assert_eq!(
        error_code(by_colleague, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
    assert_eq!(
        error_code(by_nurse, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
}

#[tokio::test]
async fn invalid_record_input_is_refused() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let path = format!("/api/patients/{}/records", ward.patient_id);

    for (field, value) in [
        ("severity", json!("apocalyptic")),
        ("record_type", json!("horoscope")),
        ("diagnosis", json!("   ")),
        ("diagnosis", json!("x".repeat(501))),
    ] {
        let mut body = new_record();
        body[field] = value;
        let response = app.post(&path, &ward.doctor, body).await;
        assert_eq!(
            error_code(response, StatusCode::BAD_REQUEST).await,
            "validation_failed",
            "{field}"
        );
    }
}

/// The done-criterion on real input: after import and assignment, a doctor
/// opens an imported patient with SSN and records, a nurse the same patient
/// without the SSN and with sensitive records restricted.
#[tokio::test]
async fn real_synthea_patients_follow_the_role_policy() {
    if skip_without_real_data("real_synthea_patients_follow_the_role_policy").is_none() {
        return;
    }
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;
    let doctor = app.login(&DOCTOR).await;
    let nurse = app.login(&NURSE).await;
    let bundles = real_bundles();
    let chosen = bundles
        .iter()
        .find(|b| b.patient.ssn.is_some() && b.records.iter().any(|r| r.sensitive))
        .expect("the shared data holds a patient with an SSN and a sensitive record");
    let patient_id = app.patient_id(&admin, &chosen.patient.mrn).await;
    app.assign(&admin, doctor.user_id, patient_id).await;
    app.assign(&admin, nurse.user_id, patient_id).await;

    let doctor_chart = json_of(
        app.get(&format!("/api/patients/{patient_id}"), &doctor)
            .await,
        StatusCode::OK,
    )
    .await;
    let nurse_chart = json_of(
        app.get(&format!("/api/patients/{patient_id}"), &nurse)
            .await,
        StatusCode::OK,
    )
    .await;
    let total = json_of(
        app.get(
            &format!("/api/patients/{patient_id}/records?page_size=1"),
            &nurse,
        )
        .await,
        StatusCode::OK,
    )
    .await["total"]
        .clone();
    let nurse_records = records_of(&app, patient_id, &nurse).await;

    assert_eq!(
        doctor_chart["ssn"],
        chosen.patient.ssn.clone().unwrap().as_str()
    );
    assert_eq!(
        doctor_chart["date_of_birth"],
        chosen.patient.date_of_birth.to_string()
    );
    assert!(nurse_chart.get("ssn").is_none());
    assert_eq!(total, chosen.records.len());
    let restricted = nurse_records
        .iter()
        .filter(|r| r["restricted"] == true)
        .count();
    let sensitive_on_page = nurse_records
        .iter()
        .filter(|r| r["sensitive"] == true)
        .count();
    assert_eq!(restricted, sensitive_on_page);
    assert!(
        nurse_records
            .iter()
            .filter(|r| r["restricted"] == true)
            .all(|r| r.get("diagnosis").is_none())
    );
}

/// Care recorded long ago (a childhood condition) and an audit search
/// reaching past 2038 work on every engine: MariaDB would turn such
/// instants into NULL if they were bound as TIMESTAMP parameters.
#[tokio::test]
async fn records_from_before_1970_are_kept_and_audit_searches_may_reach_past_2038() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let path = format!("/api/patients/{}/records", ward.patient_id);
    let mut old = new_record();
    old["recorded_at"] = json!("1962-05-17T08:30:00Z");

    let created = json_of(
        app.post(&path, &ward.doctor, old).await,
        StatusCode::CREATED,
    )
    .await;
    let listed = records_of(&app, ward.patient_id, &ward.doctor).await;
    let search = json_of(
        app.get(
            "/api/audit?from=1960-01-01T00:00:00Z&to=2045-01-01T00:00:00Z",
            &ward.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(created["recorded_at"], "1962-05-17T08:30:00Z");
    assert!(
        listed
            .iter()
            .any(|r| r["recorded_at"] == "1962-05-17T08:30:00Z")
    );
    assert!(search["total"].as_u64().unwrap() > 0, "{search}");
}
