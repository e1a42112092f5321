//! A day on the ward replayed and then found again, event by event,
//! through the administrators' audit search.

use reqwest::StatusCode;
use serde_json::json;

use crate::audit_api::search;
use crate::helpers::*;

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

#[tokio::test]
async fn a_scripted_day_leaves_one_row_per_event_with_its_outcome_and_reason() {
    let app = spawn_app().await;
    let since = now();
    let ward = ward(&app).await;
    let outsider = app.login(&DOCTOR2).await;
    let (admin, doctor, nurse, id) = (&ward.admin, &ward.doctor, &ward.nurse, ward.patient_id);
    let new_user = json!({ "email": "temp@hospital.test", "name": "Temp", "role": "nurse", "password": "a long initial password" });

    let statuses = vec![
        app.get(&format!("/api/patients/{id}"), doctor)
            .await
            .status(),
        app.get(&format!("/api/patients/{id}"), nurse)
            .await
            .status(),
        app.get(&format!("/api/patients/{id}/records"), nurse)
            .await
            .status(),
        app.get(&format!("/api/patients/{id}"), &outsider)
            .await
            .status(),
        app.put(
            &format!("/api/patients/{id}"),
            nurse,
            json!({ "last_name": "X" }),
        )
        .await
        .status(),
        app.get("/api/admin/users", nurse).await.status(),
        app.login_raw(NURSE2.email, "not the password at all")
            .await
            .status(),
        app.login_raw("nobody@hospital.test", "not the password at all")
            .await
            .status(),
        app.get_with_token("/api/patients", "garbage")
            .await
            .status(),
    ];
    let created = json_of(
        app.post("/api/admin/users", admin, new_user).await,
        StatusCode::CREATED,
    )
    .await;
    let temp = created["id"].as_i64().unwrap();
    let deactivated = app
        .post(
            &format!("/api/admin/users/{temp}/deactivate"),
            admin,
            json!({}),
        )
        .await;
    let removed = app
        .delete(
            "/api/admin/care-team",
            admin,
            json!({ "user_id": nurse.user_id, "patient_id": id }),
        )
        .await;

    let codes: Vec<u16> = statuses.iter().map(|s| s.as_u16()).collect();
    assert_eq!(codes, vec![200, 200, 200, 403, 403, 403, 401, 401, 401]);
    assert_eq!(deactivated.status(), StatusCode::OK);
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let (a, d, n, o) = (
        admin.user_id,
        doctor.user_id,
        nurse.user_id,
        outsider.user_id,
    );
    let expected: Vec<(String, usize, &str, Option<&str>)> = vec![
        (format!("action=auth.login&user_id={a}"), 1, "allowed", None),
        (format!("action=auth.login&user_id={d}"), 1, "allowed", None),
        (format!("action=auth.login&user_id={n}"), 1, "allowed", None),
        (format!("action=auth.login&user_id={o}"), 1, "allowed", None),
        (
            format!("action=patient.lookup&user_id={a}&patient_id={id}"),
            1,
            "allowed",
            None,
        ),
        (
            format!("action=care_team.assign&user_id={a}&patient_id={id}"),
            2,
            "allowed",
            None,
        ),
        (
            format!("action=patient.view&user_id={d}&patient_id={id}"),
            1,
            "allowed",
            None,
        ),
        (
            format!("action=patient.view&user_id={n}&patient_id={id}"),
            1,
            "allowed",
            None,
        ),
        (
            format!("action=record.list&user_id={n}&patient_id={id}"),
            1,
            "allowed",
            None,
        ),
        (
            format!("action=patient.view&user_id={o}"),
            1,
            "denied",
            Some("not_on_care_team"),
        ),
        (
            format!("action=patient.update&user_id={n}"),
            1,
            "denied",
            Some("field_not_editable"),
        ),
        (
            format!("action=user.list&user_id={n}"),
            1,
            "denied",
            Some("role_not_permitted"),
        ),
        (
            "action=auth.login_failed&emergency=false".into(),
            2,
            "denied",
            None,
        ),
        (
            "action=auth.token_rejected".into(),
            1,
            "denied",
            Some("malformed_token"),
        ),
        (
            format!("action=user.create&user_id={a}"),
            1,
            "allowed",
            None,
        ),
        (
            format!("action=user.deactivate&user_id={a}"),
            1,
            "allowed",
            None,
        ),
        (
            format!("action=care_team.remove&user_id={a}&patient_id={id}"),
            1,
            "allowed",
            None,
        ),
    ];
    for (query, count, outcome, reason) in &expected {
        let found = search(&app, admin, &format!("{query}&from={since}&page_size=100")).await;
        let items = found["items"].as_array().unwrap();
        assert_eq!(items.len(), *count, "{query}: {found}");
        assert_eq!(found["total"], *count as u64, "{query}");
        for item in items {
            assert_eq!(item["outcome"], *outcome, "{query}");
            if let Some(reason) = reason {
                assert_eq!(item["reason_code"], *reason, "{query}");
            }
        }
    }
    let failed = search(
        &app,
        admin,
        &format!("action=auth.login_failed&from={since}"),
    )
    .await;
    let mut reasons: Vec<&str> = failed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["reason_code"].as_str().unwrap())
        .collect();
    reasons.sort();
    assert_eq!(reasons, vec!["bad_password", "unknown_user"]);
    let day: Vec<_> = app
        .audit_rows()
        .await
        .into_iter()
        .filter(|r| r.action != "audit.view")
        .filter(|r| healthsecure::audit::AuditRow::from(r.clone()).timestamp >= since)
        .collect();
    let expected_rows: usize = expected.iter().map(|(_, count, _, _)| count).sum();
    assert_eq!(day.len(), expected_rows, "one row per event and no more");
}
