//! `GET /api/audit/verify` and `healthsecure audit verify`: intact chains
//! reported as such, even while rows are being written, and the first bad
//! row named after tampering.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::helpers::*;

#[tokio::test]
async fn verify_reports_an_intact_chain_and_then_the_first_row_changed() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    app.get(&format!("/api/patients/{}", ward.patient_id), &ward.doctor)
        .await;

    let intact = json_of(
        app.get("/api/audit/verify", &ward.admin).await,
        StatusCode::OK,
    )
    .await;
    let db = healthsecure::store::connect(&database_url(app.dir.path()), 1)
        .await
        .unwrap();
    db.execute_unprepared("UPDATE audit_log SET reason_code = 'forged' WHERE id = 5")
        .await
        .unwrap();
    let broken = json_of(
        app.get("/api/audit/verify", &ward.admin).await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(intact["ok"], true);
    assert!(intact["rows"].as_u64().unwrap() > 5);
    assert_eq!(intact["first_bad_id"], Value::Null);
    let rows = app.audit_rows().await;
    let verified_up_to = rows
        .iter()
        .position(|r| r.action == "audit.verify")
        .unwrap()
        - 1;
    assert_eq!(intact["last_hash"], rows[verified_up_to].hash.as_str());
    assert_eq!(broken["last_hash"], Value::Null);
    assert_eq!(broken["ok"], false);
    assert_eq!(broken["first_bad_id"], 5);
    assert_eq!(broken["rows"], 4);
    let verifications: Vec<_> = rows.iter().filter(|r| r.action == "audit.verify").collect();
    assert_eq!(verifications.len(), 2);
    assert_eq!(
        verifications[1].reason_code.as_deref(),
        Some("chain_broken")
    );
}

#[tokio::test]
async fn verifying_while_requests_are_being_audited_gives_no_false_alarm() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let path = format!("/api/patients/{}", ward.patient_id);

    let traffic = async {
        for _ in 0..40 {
            let reads = (0..4).map(|_| app.get(&path, &ward.doctor));
            futures::future::join_all(reads).await;
        }
    };
    let checks = async {
        let mut reports = Vec::new();
        for _ in 0..10 {
            let response = app.get("/api/audit/verify", &ward.admin).await;
            reports.push(json_of(response, StatusCode::OK).await);
        }
        reports
    };
    let ((), reports) = futures::join!(traffic, checks);

    for report in reports {
        assert_eq!(report["ok"], true, "{report}");
    }
}

/// A forged row past the chain head also blocks the writer (its next id is
/// taken), so the server refuses audited requests; the offline command
/// names the row.
#[tokio::test]
async fn a_row_slipped_in_behind_the_writer_is_named_by_verify() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;
    let last = app.audit_rows().await.last().unwrap().id;
    let db = healthsecure::store::connect(&database_url(app.dir.path()), 1)
        .await
        .unwrap();
    let columns = "timestamp, user_id, role, action, resource, patient_id, record_id, outcome, \
        reason_code, emergency_use, emergency_access_id, purpose_of_use, fields_released, \
        fields_withheld, reason, ip_address, user_agent, request_id, prev_hash, hash";

    db.execute_unprepared(&format!(
        "INSERT INTO audit_log (id, {columns}) SELECT id + 1, {columns} FROM audit_log WHERE id = {last}"
    ))
    .await
    .unwrap();
    let verify = app.cli(&["audit", "verify"]);
    let blocked = app.get("/api/audit/verify", &admin).await;

    assert!(!verify.status.success());
    let message = String::from_utf8_lossy(&verify.stderr);
    assert!(message.contains(&format!("row {}", last + 1)), "{message}");
    assert_eq!(
        error_code(blocked, StatusCode::SERVICE_UNAVAILABLE).await,
        "unavailable"
    );
}
