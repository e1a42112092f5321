//! `GET /api/audit`: refused to clinicians, parameters checked by name,
//! rows in the contract's shape, sorted and paged, each search audited.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// The rows `GET /api/audit` returns for `query`, read as the administrator.
pub async fn search(app: &TestApp, admin: &Session, query: &str) -> Value {
    let response = app.get(&format!("/api/audit?{query}"), admin).await;
    json_of(response, StatusCode::OK).await
}

#[tokio::test]
async fn clinicians_are_refused_every_audit_route_and_the_refusal_is_audited() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;
    let nurse = app.login(&NURSE).await;
    let routes = [
        ("/api/audit", "audit.view"),
        ("/api/audit/export?format=csv", "audit.export"),
        ("/api/audit/verify", "audit.verify"),
    ];

    for session in [&doctor, &nurse] {
        for (path, _) in routes {
            let response = app.get(path, session).await;
            assert_eq!(
                error_code(response, StatusCode::FORBIDDEN).await,
                "forbidden",
                "{path}"
            );
        }
    }

    let rows = app.audit_rows().await;
    for session in [&doctor, &nurse] {
        for (path, action) in routes {
            let refused = rows
                .iter()
                .filter(|r| r.action == action && r.user_id == Some(session.user_id))
                .collect::<Vec<_>>();
            assert_eq!(refused.len(), 1, "{path}");
            assert_eq!(refused[0].outcome, "denied");
            assert_eq!(
                refused[0].reason_code.as_deref(),
                Some("role_not_permitted")
            );
        }
    }
}

#[tokio::test]
async fn bad_filter_values_and_sorts_outside_the_allowlist_are_refused_by_name() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;

    for (query, parameter) in [
        ("user_id=abc", "user_id"),
        ("patient_id=0", "patient_id"),
        ("action=patient", "action"),
        ("outcome=ok", "outcome"),
        ("emergency=1", "emergency"),
        ("from=2026-13-01", "from"),
        ("to=tomorrow", "to"),
        ("sort=password_hash", "sort"),
        ("sort=id;DROP", "sort"),
        ("order=sideways", "order"),
        ("page_size=101", "page_size"),
        ("page=0", "page"),
        ("patient=5", "patient"),
    ] {
        let response = app.get(&format!("/api/audit?{query}"), &admin).await;
        let body = json_of(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(body["code"], "validation_failed", "{query}");
        let message = body["error"].as_str().unwrap();
        assert!(
            message.contains(&format!("`{parameter}`")),
            "{query}: {message}"
        );
    }

    let refused = app.audit_rows().await;
    let refusals = refused
        .iter()
        .filter(|r| r.action == "audit.view" && r.outcome == "failed")
        .count();
    assert_eq!(refusals, 13);
}

#[tokio::test]
async fn rows_come_in_the_contract_shape_sorted_and_paged_as_asked() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    app.get(&format!("/api/patients/{}", ward.patient_id), &ward.nurse)
        .await;

    let first = search(&app, &ward.admin, "sort=id&order=asc&page_size=3").await;
    let second = search(&app, &ward.admin, "sort=id&order=asc&page_size=3&page=2").await;
    let by_user = search(&app, &ward.admin, "sort=user_id&order=desc&page_size=100").await;
    let view = search(
        &app,
        &ward.admin,
        &format!("action=patient.view&user_id={}", ward.nurse.user_id),
    )
    .await;

    let ids = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&first), vec![1, 2, 3]);
    assert_eq!(ids(&second), vec![4, 5, 6]);
    assert_eq!(
        (first["page"].clone(), first["page_size"].clone()),
        (json!(1), json!(3))
    );
    // The first search is itself audited before the second one counts.
    assert_eq!(
        second["total"].as_u64().unwrap(),
        first["total"].as_u64().unwrap() + 1
    );
    let users: Vec<i64> = by_user["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["user_id"].as_i64())
        .collect();
    assert!(users.windows(2).all(|w| w[0] >= w[1]), "{users:?}");
    let row = &view["items"][0];
    for field in [
        "id",
        "timestamp",
        "user_id",
        "role",
        "action",
        "resource",
        "patient_id",
        "record_id",
        "outcome",
        "reason_code",
        "emergency_use",
        "reason",
        "ip_address",
        "user_agent",
        "request_id",
        "hash",
        "purpose_of_use",
        "fields_released",
        "fields_withheld",
        "emergency_access_id",
    ] {
        assert!(row.get(field).is_some(), "{field} missing from {row}");
    }
    assert_eq!(row["role"], "nurse");
    assert_eq!(row["purpose_of_use"], "TREAT");
    assert_eq!(row["fields_withheld"], json!(["ssn"]));
    assert_eq!(row["emergency_use"], false);
    assert!(row["timestamp"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn a_search_is_audited_with_the_names_of_its_filters_only() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;

    search(
        &app,
        &admin,
        "patient_id=987654&action=patient.view&from=2026-01-01T00:00:00Z",
    )
    .await;

    let rows = app.audit_rows().await;
    let own = rows.iter().rfind(|r| r.action == "audit.view").unwrap();
    assert_eq!(
        own.reason.as_deref(),
        Some("filters=patient_id,action,from")
    );
    assert_eq!(own.user_id, Some(admin.user_id));
    assert_eq!(own.outcome, "allowed");
    assert!(!format!("{own:?}").contains("987654"));
}
