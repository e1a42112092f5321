//! A patient's accounting of disclosures: every access found in the audit
//! trail and every disclosure recorded by hand, for the doctors who may
//! see the patient, and itself audited.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

fn disclosure() -> Value {
    json!({
        "recipient": "County Public Health Department",
        "purpose": "Mandatory communicable disease report",
        "description": "Laboratory result and encounter summary of 2 December",
        "disclosed_at": today(),
    })
}

#[tokio::test]
async fn the_report_lists_clinicians_reads_refusals_and_recorded_disclosures() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let outsider = app.login(&DOCTOR2).await;
    let id = ward.patient_id;
    app.get(&format!("/api/patients/{id}"), &ward.doctor).await;
    app.get(&format!("/api/patients/{id}"), &ward.nurse).await;
    app.get(&format!("/api/patients/{id}/records"), &ward.nurse)
        .await;
    app.get(&format!("/api/patients/{id}"), &outsider).await;

    let recorded = json_of(
        app.post(
            &format!("/api/patients/{id}/disclosures"),
            &ward.doctor,
            disclosure(),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let report = json_of(
        app.get(
            &format!("/api/patients/{id}/access-report?page_size=100"),
            &ward.doctor,
        )
        .await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(recorded["recipient"], "County Public Health Department");
    assert_eq!(recorded["disclosed_at"], today());
    let items = report["items"].as_array().unwrap();
    assert_eq!(report["total"], items.len() as u64);
    let find = |user: i64, action: &str| {
        items
            .iter()
            .find(|i| i["kind"] == "access" && i["user_id"] == user && i["action"] == action)
            .unwrap_or_else(|| panic!("no {action} by {user} in {report}"))
    };
    let doctor_read = find(ward.doctor.user_id, "patient.view");
    assert_eq!(doctor_read["role"], "doctor");
    assert_eq!(doctor_read["outcome"], "allowed");
    assert_eq!(doctor_read["purpose_of_use"], "TREAT");
    assert_eq!(doctor_read["user_name"], "Dr Test One");
    assert_eq!(doctor_read["emergency_access_id"], Value::Null);
    let nurse_read = find(ward.nurse.user_id, "patient.view");
    assert_eq!(nurse_read["role"], "nurse");
    find(ward.nurse.user_id, "record.list");
    let refused = find(outsider.user_id, "patient.view");
    assert_eq!(refused["outcome"], "denied");
    let disclosed = items.iter().find(|i| i["kind"] == "disclosure").unwrap();
    assert_eq!(disclosed["recipient"], "County Public Health Department");
    assert_eq!(
        disclosed["purpose"],
        "Mandatory communicable disease report"
    );
    assert_eq!(disclosed["at"], today());
    assert_eq!(disclosed["user_id"], ward.doctor.user_id);
    assert!(items.iter().all(|i| i["action"] != "care_team.assign"));
    let times: Vec<&str> = items
        .iter()
        .filter(|i| i["kind"] == "access")
        .map(|i| i["at"].as_str().unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
}

#[tokio::test]
async fn the_report_is_itself_audited_and_appears_in_the_next_one() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let path = format!("/api/patients/{}/access-report", ward.patient_id);

    app.get(&path, &ward.doctor).await;
    let second = json_of(app.get(&path, &ward.doctor).await, StatusCode::OK).await;

    let rows = app.audit_rows().await;
    let audited: Vec<_> = rows
        .iter()
        .filter(|r| r.action == "patient.access_report")
        .collect();
    assert_eq!(audited.len(), 2);
    assert_eq!(audited[0].patient_id, Some(ward.patient_id));
    assert_eq!(audited[0].user_id, Some(ward.doctor.user_id));
    assert_eq!(audited[0].outcome, "allowed");
    assert_eq!(second["items"][0]["action"], "patient.access_report");
}

#[tokio::test]
async fn only_doctors_who_may_see_the_patient_get_the_report() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let outsider = app.login(&DOCTOR2).await;
    let path = format!("/api/patients/{}/access-report", ward.patient_id);

    let nurse = app.get(&path, &ward.nurse).await;
    let admin = app.get(&path, &ward.admin).await;
    let other_doctor = app.get(&path, &outsider).await;
    let missing = app
        .get("/api/patients/999999/access-report", &ward.doctor)
        .await;

    assert_eq!(error_code(nurse, StatusCode::FORBIDDEN).await, "forbidden");
    assert_eq!(error_code(admin, StatusCode::FORBIDDEN).await, "forbidden");
    assert_eq!(
        error_code(other_doctor, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
    assert_eq!(
        error_code(missing, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    let rows = app.audit_rows().await;
    let refusals: Vec<_> = rows
        .iter()
        .filter(|r| r.action == "patient.access_report" && r.outcome == "denied")
        .map(|r| r.reason_code.as_deref().unwrap())
        .collect();
    assert_eq!(
        refusals,
        vec![
            "role_not_permitted",
            "role_not_permitted",
            "not_on_care_team"
        ]
    );
}

#[tokio::test]
async fn a_disclosure_is_checked_recorded_by_care_team_doctors_only_and_audited_by_id() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let outsider = app.login(&DOCTOR2).await;
    let path = format!("/api/patients/{}/disclosures", ward.patient_id);
    let tomorrow_and_more = (chrono::Utc::now() + chrono::Duration::days(3))
        .date_naive()
        .to_string();

    let mut invalid = Vec::new();
    for (field, value) in [
        ("disclosed_at", json!(tomorrow_and_more)),
        ("disclosed_at", json!("12/02/2026")),
        ("recipient", json!("")),
        ("recipient", json!("r".repeat(201))),
        ("purpose", json!("  ")),
        ("description", json!("d".repeat(1001))),
    ] {
        let mut body = disclosure();
        body[field] = value;
        let response = app.post(&path, &ward.doctor, body).await;
        let body = json_of(response, StatusCode::BAD_REQUEST).await;
        invalid.push((field, body["error"].as_str().unwrap().contains(field)));
    }
    let mut extra = disclosure();
    extra["patient_id"] = json!(1);
    let unknown_field = app.post(&path, &ward.doctor, extra).await;
    let nurse = app.post(&path, &ward.nurse, disclosure()).await;
    let other_doctor = app.post(&path, &outsider, disclosure()).await;
    let created = json_of(
        app.post(&path, &ward.doctor, disclosure()).await,
        StatusCode::CREATED,
    )
    .await;

    assert!(invalid.iter().all(|(_, named)| *named), "{invalid:?}");
    assert_eq!(
        error_code(unknown_field, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(error_code(nurse, StatusCode::FORBIDDEN).await, "forbidden");
    assert_eq!(
        error_code(other_doctor, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
    let rows = app.audit_rows().await;
    let audited: Vec<_> = rows
        .iter()
        .filter(|r| r.action == "disclosure.create" && r.outcome == "allowed")
        .collect();
    assert_eq!(audited.len(), 1);
    assert_eq!(
        audited[0].reason,
        Some(format!("disclosure={}", created["id"]))
    );
    assert_eq!(audited[0].resource, "disclosure");
    let trail = format!("{rows:?}");
    assert!(
        !trail.contains("County Public Health"),
        "recipient text in the audit trail"
    );
    assert!(
        !trail.contains("Laboratory result"),
        "description text in the audit trail"
    );
}

#[tokio::test]
async fn the_report_is_paged() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let id = ward.patient_id;
    for _ in 0..3 {
        app.get(&format!("/api/patients/{id}"), &ward.nurse).await;
    }
    app.post(
        &format!("/api/patients/{id}/disclosures"),
        &ward.doctor,
        disclosure(),
    )
    .await;
    let path = format!("/api/patients/{id}/access-report?page_size=2");

    let first = json_of(app.get(&path, &ward.doctor).await, StatusCode::OK).await;
    let second = json_of(
        app.get(&format!("{path}&page=2"), &ward.doctor).await,
        StatusCode::OK,
    )
    .await;
    let too_big = app
        .get(
            &format!("/api/patients/{id}/access-report?page_size=101"),
            &ward.doctor,
        )
        .await;

    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert_eq!(second["items"].as_array().unwrap().len(), 2);
    assert_eq!(second["page"], 2);
    assert_ne!(first["items"][0], second["items"][0]);
    assert_eq!(
        error_code(too_big, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
}
