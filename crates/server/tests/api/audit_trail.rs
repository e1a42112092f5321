//! The audit trail: one row per audited request, written before the
//! answer, hash-chained, free of PHI, and a refused request when it cannot
//! be written.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn every_audited_request_leaves_exactly_one_row() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let outsider = app.login(&DOCTOR2).await;
    let before = app.audit_rows().await.len();
    let id = ward.patient_id;

    let requests = vec![
        app.get("/api/patients", &ward.doctor).await,
        app.get(&format!("/api/patients/{id}"), &ward.doctor).await,
        app.get(&format!("/api/patients/{id}"), &ward.nurse).await,
        app.get(&format!("/api/patients/{id}/records"), &ward.nurse)
            .await,
        app.get(&format!("/api/patients/{id}"), &outsider).await,
        app.get(&format!("/api/patients/{id}"), &ward.admin).await,
        app.get("/api/patients?page_size=500", &ward.doctor).await,
        app.get_with_token("/api/patients", "garbage").await,
        app.login_raw(DOCTOR.email, "wrong password again").await,
    ];
    let statuses: Vec<u16> = requests.iter().map(|r| r.status().as_u16()).collect();
    let rows = app.audit_rows().await;

    assert_eq!(statuses, vec![200, 200, 200, 200, 403, 403, 400, 401, 401]);
    let actions: Vec<(&str, &str)> = rows[before..]
        .iter()
        .map(|r| (r.action.as_str(), r.outcome.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("patient.list", "allowed"),
            ("patient.view", "allowed"),
            ("patient.view", "allowed"),
            ("record.list", "allowed"),
            ("patient.view", "denied"),
            ("patient.view", "denied"),
            ("patient.list", "failed"),
            ("auth.token_rejected", "denied"),
            ("auth.login_failed", "denied"),
        ]
    );
}

#[tokio::test]
async fn patient_reads_record_the_purpose_and_the_fields_released_and_withheld() {
    let app = spawn_app().await;
    let ward = ward(&app).await;

    app.get(&format!("/api/patients/{}", ward.patient_id), &ward.doctor)
        .await;
    app.get(&format!("/api/patients/{}", ward.patient_id), &ward.nurse)
        .await;

    let rows = app.audit_rows().await;
    let views: Vec<_> = rows.iter().filter(|r| r.action == "patient.view").collect();
    assert_eq!(views.len(), 2);
    assert_eq!(views[0].purpose_of_use.as_deref(), Some("TREAT"));
    assert!(
        views[0]
            .fields_released
            .as_deref()
            .unwrap()
            .split(',')
            .any(|f| f == "ssn")
    );
    assert_eq!(views[0].fields_withheld, None);
    assert!(
        !views[1]
            .fields_released
            .as_deref()
            .unwrap()
            .split(',')
            .any(|f| f == "ssn")
    );
    assert_eq!(views[1].fields_withheld.as_deref(), Some("ssn"));
    assert_eq!(views[1].role.as_deref(), Some("nurse"));
}

#[tokio::test]
async fn the_chain_verifies_and_names_the_first_row_changed_deleted_or_reordered() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    for _ in 0..3 {
        app.get(&format!("/api/patients/{}", ward.patient_id), &ward.doctor)
            .await;
    }
    let intact = app.cli(&["audit", "verify"]);
    assert!(
        intact.status.success(),
        "{}",
        String::from_utf8_lossy(&intact.stderr)
    );
    let db = healthsecure::store::connect(&database_url(app.dir.path()), 1)
        .await
        .unwrap();

    db.execute_unprepared("UPDATE audit_log SET outcome = 'denied' WHERE id = 4")
        .await
        .unwrap();
    let changed = app.cli(&["audit", "verify"]);
    db.execute_unprepared("UPDATE audit_log SET outcome = 'allowed' WHERE id = 4")
        .await
        .unwrap();
    db.execute_unprepared("UPDATE audit_log SET request_id = 'other' WHERE id = 3")
        .await
        .unwrap();
    let changed_again = app.cli(&["audit", "verify"]);

    assert!(!changed.status.success());
    assert!(
        String::from_utf8_lossy(&changed.stderr).contains("row 4"),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    assert!(String::from_utf8_lossy(&changed_again.stderr).contains("row 3"));
}

#[tokio::test]
async fn deleting_or_reordering_audit_rows_is_detected() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    for _ in 0..4 {
        app.get(&format!("/api/patients/{}", ward.patient_id), &ward.doctor)
            .await;
    }
    let total = app.audit_rows().await.len();
    let copy = tempfile::tempdir().unwrap();
    crate::test_db::copy_database(app.dir.path(), copy.path());
    let db = healthsecure::store::connect(&database_url(app.dir.path()), 1)
        .await
        .unwrap();

    db.execute_unprepared("DELETE FROM audit_log WHERE id = 5")
        .await
        .unwrap();
    let deleted = app.cli(&["audit", "verify"]);
    db.execute_unprepared(&format!("DELETE FROM audit_log WHERE id > {}", total - 1))
        .await
        .unwrap();
    let copy_db = healthsecure::store::connect(&database_url(copy.path()), 1)
        .await
        .unwrap();
    copy_db
        .execute_unprepared("UPDATE audit_log SET id = -6 WHERE id = 6")
        .await
        .unwrap();
    copy_db
        .execute_unprepared("UPDATE audit_log SET id = 6 WHERE id = 7")
        .await
        .unwrap();
    copy_db
        .execute_unprepared("UPDATE audit_log SET id = 7 WHERE id = -6")
        .await
        .unwrap();
    let reordered = cli(copy.path(), &["audit", "verify"], None);

    assert!(
        String::from_utf8_lossy(&deleted.stderr).contains("row 5"),
        "{}",
        String::from_utf8_lossy(&deleted.stderr)
    );
    assert!(
        String::from_utf8_lossy(&reordered.stderr).contains("row 6"),
        "{}",
        String::from_utf8_lossy(&reordered.stderr)
    );
}

#[tokio::test]
async fn truncating_the_end_of_the_trail_is_detected() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;
    app.get("/api/patients", &doctor).await;
    let last = app.audit_rows().await.last().unwrap().id;
    let db = healthsecure::store::connect(&database_url(app.dir.path()), 1)
        .await
        .unwrap();

    db.execute_unprepared(&format!("DELETE FROM audit_log WHERE id = {last}"))
        .await
        .unwrap();
    let verify = app.cli(&["audit", "verify"]);

    assert!(String::from_utf8_lossy(&verify.stderr).contains(&format!("row {last}")));
}

#[tokio::test]
async fn when_the_audit_row_cannot_be_written_the_read_fails_and_returns_no_data() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let db = healthsecure::store::connect(&database_url(app.dir.path()), 1)
        .await
        .unwrap();
    db.execute_unprepared(crate::test_db::block_audit_inserts_sql())
        .await
        .unwrap();

    let response = app
        .get(&format!("/api/patients/{}", ward.patient_id), &ward.doctor)
        .await;
    let status = response.status();
    let body = response.text().await.unwrap();

    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("\"code\":\"unavailable\""), "{body}");
    assert!(
        !body.contains(&fixture_bundle().patient.last_name),
        "patient data leaked: {body}"
    );
    db.execute_unprepared("DROP TRIGGER audit_blocked")
        .await
        .unwrap();
    let recovered = app
        .get(&format!("/api/patients/{}", ward.patient_id), &ward.doctor)
        .await;
    assert_eq!(recovered.status(), StatusCode::OK);
}

/// Runs a working session with every kind of request, including hostile
/// input that carries PHI, then scans the captured logs and the audit
/// table for the patient's identifying values and diagnoses.
#[tokio::test]
async fn no_ssn_name_birth_date_or_diagnosis_reaches_the_logs_or_the_audit_trail() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let bundle = fixture_bundle();
    let patient = &bundle.patient;
    let id = ward.patient_id;

    app.get(
        &format!("/api/patients?q={}", patient.last_name),
        &ward.doctor,
    )
    .await;
    app.get(&format!("/api/patients/{id}"), &ward.doctor).await;
    app.get(&format!("/api/patients/{id}/records"), &ward.nurse)
        .await;
    app.put(
        &format!("/api/patients/{id}"),
        &ward.doctor,
        json!({ "ssn": patient.ssn, "first_name": patient.first_name }),
    )
    .await;
    app.put(
        &format!("/api/patients/{id}"),
        &ward.nurse,
        json!({ "last_name": patient.last_name }),
    )
    .await;
    app.post(
        "/api/patients",
        &ward.doctor,
        json!({ "first_name": patient.first_name, "ssn": 12345, "diagnosis": "x" }),
    )
    .await;
    app.post("/api/patients", &ward.doctor, json!({ "first_name": patient.first_name, "last_name": patient.last_name, "date_of_birth": patient.date_of_birth.to_string(), "sex": "robot", "ssn": patient.ssn })).await;
    app.post(&format!("/api/patients/{id}/records"), &ward.doctor, json!({ "record_type": "condition", "diagnosis": bundle.records[0].diagnosis, "severity": 5 })).await;
    app.get(
        &format!("/api/patients/{id}?ssn={}", patient.ssn.clone().unwrap()),
        &ward.doctor,
    )
    .await;

    let mut secrets = identifying_values(&bundle);
    // With the shared Synthea data present, a real patient is read too.
    if let Some(real) = real_bundles().into_iter().find(|b| b.patient.ssn.is_some()) {
        let real_id = app.patient_id(&ward.admin, &real.patient.mrn).await;
        app.assign(&ward.admin, ward.doctor.user_id, real_id).await;
        app.get(&format!("/api/patients/{real_id}"), &ward.doctor)
            .await;
        app.get(
            &format!("/api/patients/{real_id}/records?page_size=100"),
            &ward.doctor,
        )
        .await;
        app.get(
            &format!("/api/patients?q={}", real.patient.last_name),
            &ward.doctor,
        )
        .await;
        secrets.extend(identifying_values(&real));
    }

    let logs = app.logs();
    let audit = format!("{:?}", app.audit_rows().await);
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "the logs contain a protected value"
        );
        assert!(
            !audit.contains(secret.as_str()),
            "the audit trail contains a protected value"
        );
    }
    assert!(
        logs.contains("\"route\":\"/api/patients/{id}\""),
        "the request log lines are captured"
    );
}

/// Values that identify a patient or reveal a diagnosis, as they appear in
/// the source bundle.
fn identifying_values(bundle: &healthsecure::fhir::PatientBundle) -> Vec<String> {
    let patient = &bundle.patient;
    let mut values = vec![
        patient.first_name.clone(),
        patient.last_name.clone(),
        patient.date_of_birth.to_string(),
    ];
    if let Some(ssn) = &patient.ssn {
        values.push(ssn.clone());
        values.push(ssn.replace('-', ""));
    }
    values.extend(
        bundle
            .records
            .iter()
            .map(|r| r.diagnosis.clone())
            .filter(|d| d.len() > 6),
    );
    values
}
