//! Exports of the trail: CSV that survives hostile values and cannot run as
//! a spreadsheet formula, NDJSON, FHIR `AuditEvent`s, and the command line,
//! each complete and each audited.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use serde_json::{Value, json};

use crate::helpers::*;

const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Sign-in attempts whose login name and user agent carry formula
/// prefixes, quotes, commas, line breaks and non-ASCII text.
const HOSTILE_REASON: &str =
    "line one\n=HYPERLINK(\"http://x\"), \"quoted\"\nünïcødé 🚑\tline three";

async fn hostile_sign_ins(app: &TestApp, ward: &Ward) {
    let agents: [&[u8]; 4] = [
        "=cmd|' /C calc'!A0 \"quoted\", with commas, ünïcødé 🚑".as_bytes(),
        b"+SUM(1,2)",
        b"-2+3",
        b"@risk \"a\",\"b\"",
    ];
    let names = [
        "=cmd|' /C calc'!A0",
        "\"quoted\",comma@hospital.test",
        "line one\r\n=HYPERLINK(\"http://x\")\nline three",
        "ünïcødé 🚑 \t tab@hospital.test",
    ];
    // Login names that are not email addresses are not kept; the
    // break-glass justification is the free text that is.
    let nurse = app.login(&NURSE2).await;
    let request = json!({ "patient_id": ward.patient_id, "reason_category": "other", "reason": HOSTILE_REASON });
    let response = app.post("/api/emergency/request", &nurse, request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    for (agent, name) in agents.into_iter().zip(names) {
        let response = app
            .http
            .post(app.url("/api/auth/login"))
            .header(USER_AGENT, HeaderValue::from_bytes(agent).unwrap())
            .json(&json!({ "email": name, "password": "wrong password here" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
}

async fn export(
    app: &TestApp,
    admin: &Session,
    query: &str,
) -> (reqwest::header::HeaderMap, String) {
    let response = app.get(&format!("/api/audit/export?{query}"), admin).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    (headers, response.text().await.unwrap())
}

#[tokio::test]
async fn the_csv_export_parses_back_whole_with_every_cell_inert() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let admin = ward.admin.clone();
    hostile_sign_ins(&app, &ward).await;

    let (headers, body) = export(&app, &admin, "format=csv").await;
    let stored = app.audit_rows().await;

    assert_eq!(headers[CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = headers[CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    assert!(disposition.ends_with(".csv\""), "{disposition}");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(&header[..3], &["id", "timestamp", "user_id"]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), stored.len(), "one line per audit row");
    for record in &records {
        assert_eq!(record.len(), header.len());
        for cell in record {
            assert!(!cell.starts_with(FORMULA_STARTS), "live cell: {cell:?}");
            assert!(
                !cell.trim_start().starts_with(FORMULA_STARTS),
                "live cell: {cell:?}"
            );
        }
    }
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let agents: Vec<&str> = records.iter().map(|r| &r[column("user_agent")]).collect();
    assert!(agents.contains(&"'=cmd|' /C calc'!A0 \"quoted\", with commas, ünïcødé 🚑"));
    assert!(agents.contains(&"'+SUM(1,2)"));
    assert!(agents.contains(&"'-2+3"));
    let reasons: Vec<&str> = records.iter().map(|r| &r[column("reason")]).collect();
    assert!(reasons.contains(&HOSTILE_REASON));
    assert!(reasons.contains(&"login_name=<not an email address>"));
    for (record, row) in records.iter().zip(&stored) {
        assert_eq!(record[column("id")], row.id.to_string());
        assert_eq!(record[column("hash")], row.hash);
    }
    let last = stored.last().unwrap();
    assert_eq!(last.action, "audit.export");
    assert_eq!(last.reason.as_deref(), Some("format=csv; filters=none"));
}

#[tokio::test]
async fn the_ndjson_export_has_one_line_per_row_and_follows_filters() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    hostile_sign_ins(&app, &ward).await;
    app.get(&format!("/api/patients/{}", ward.patient_id), &ward.doctor)
        .await;

    let (headers, all) = export(&app, &ward.admin, "format=ndjson").await;
    let total = app.audit_rows().await.len();
    let query = format!(
        "format=ndjson&user_id={}&action=patient.view",
        ward.doctor.user_id
    );
    let (_, filtered) = export(&app, &ward.admin, &query).await;

    assert_eq!(headers[CONTENT_TYPE], "application/x-ndjson");
    let lines: Vec<Value> = all
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), total);
    assert!(all.ends_with('\n'));
    assert!(lines.iter().any(|l| {
        l["reason"]
            .as_str()
            .is_some_and(|r| r.contains("\n=HYPERLINK"))
    }));
    let doctor_reads: Vec<Value> = filtered
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(doctor_reads.len(), 1);
    assert_eq!(doctor_reads[0]["patient_id"], ward.patient_id);
    assert_eq!(
        doctor_reads[0]["fields_released"].as_array().unwrap().len(),
        12
    );
}

#[tokio::test]
async fn the_fhir_export_holds_audit_events_naming_the_patient_and_the_practitioner() {
    let app = spawn_app_with(&[("AUDIT_SOURCE_ID", "hs-test-site")]).await;
    let ward = ward(&app).await;
    let outsider = app.login(&DOCTOR2).await;
    let id = ward.patient_id;
    app.get(&format!("/api/patients/{id}"), &ward.doctor).await;
    app.get(&format!("/api/patients/{id}"), &outsider).await;

    let (headers, body) = export(&app, &ward.admin, &format!("format=fhir&patient_id={id}")).await;

    assert_eq!(headers[CONTENT_TYPE], "application/fhir+ndjson");
    let events: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(events.iter().all(|e| e["resourceType"] == "AuditEvent"));
    let reads: Vec<&Value> = events
        .iter()
        .filter(|e| {
            e["subtype"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["code"] == "patient.view")
        })
        .collect();
    assert_eq!(reads.len(), 2);
    let (allowed, denied) = (reads[0], reads[1]);
    assert_eq!(allowed["action"], "R");
    assert_eq!(allowed["outcome"], "0");
    assert_eq!(denied["outcome"], "4");
    assert_eq!(denied["outcomeDesc"], "not_on_care_team");
    assert_eq!(allowed["type"]["code"], "rest");
    assert!(allowed["recorded"].as_str().unwrap().ends_with('Z'));
    let agent = &allowed["agent"][0];
    assert_eq!(
        agent["who"]["reference"],
        format!("Practitioner/{}", ward.doctor.user_id)
    );
    assert_eq!(agent["requestor"], true);
    assert_eq!(agent["role"][0]["coding"][0]["code"], "doctor");
    assert_eq!(agent["purposeOfUse"][0]["coding"][0]["code"], "TREAT");
    assert_eq!(agent["network"]["address"], "127.0.0.1");
    let patient = &allowed["entity"][0];
    assert_eq!(patient["what"]["reference"], format!("Patient/{id}"));
    assert_eq!(patient["role"]["code"], "1");
    assert_eq!(
        allowed["source"]["observer"]["identifier"]["value"],
        "hs-test-site"
    );
    assert_eq!(
        denied["agent"][0]["who"]["reference"],
        format!("Practitioner/{}", outsider.user_id)
    );
}

#[tokio::test]
async fn the_command_line_export_streams_the_same_rows_and_is_audited() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    app.get(&format!("/api/patients/{}", ward.patient_id), &ward.nurse)
        .await;
    let patient = ward.patient_id.to_string();

    let csv_out = app.cli(&["audit", "export", "--format", "csv"]);
    let rows_after_csv = app.audit_rows().await.len();
    let ndjson_out = app.cli(&[
        "audit",
        "export",
        "--format",
        "ndjson",
        "--patient-id",
        &patient,
    ]);
    let bad = app.cli(&["audit", "export", "--format", "xlsx"]);
    let bad_time = app.cli(&["audit", "export", "--format", "csv", "--from", "last week"]);

    assert!(
        csv_out.status.success(),
        "{}",
        String::from_utf8_lossy(&csv_out.stderr)
    );
    let records: Vec<_> = csv::Reader::from_reader(csv_out.stdout.as_slice())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(records.len(), rows_after_csv);
    let lines: Vec<Value> = String::from_utf8(ndjson_out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 4, "lookup, two assignments and a read");
    assert!(lines.iter().all(|l| l["patient_id"] == ward.patient_id));
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("`format`"));
    assert!(String::from_utf8_lossy(&bad_time.stderr).contains("`from`"));
    let stored = app.audit_rows().await;
    let exports: Vec<_> = stored
        .iter()
        .filter(|r| r.action == "audit.export")
        .collect();
    assert_eq!(exports.len(), 2, "refused option sets are not exports");
    assert!(exports.iter().all(|r| {
        r.user_agent
            .as_deref()
            .is_some_and(|ua| ua.starts_with("healthsecure-cli"))
    }));
    assert_eq!(
        exports[1].reason.as_deref(),
        Some("format=ndjson; filters=patient_id")
    );
}

#[tokio::test]
async fn an_export_is_refused_without_a_known_format() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;

    for query in [
        "",
        "format=xlsx",
        "format=csv&sort=id",
        "format=csv&from=never",
    ] {
        let response = app.get(&format!("/api/audit/export?{query}"), &admin).await;
        assert_eq!(
            error_code(response, StatusCode::BAD_REQUEST).await,
            "validation_failed",
            "{query}"
        );
    }
}
