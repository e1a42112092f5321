//! Staff accounts and care teams, as an administrator manages them.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn an_administrator_creates_a_user_who_can_then_sign_in() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;
    let body = json!({ "email": " New.Nurse@Hospital.test", "name": "New Nurse", "role": "nurse", "password": "initial password 123" });

    let created = json_of(
        app.post("/api/admin/users", &admin, body.clone()).await,
        StatusCode::CREATED,
    )
    .await;
    let duplicate = app.post("/api/admin/users", &admin, body).await;
    let login = app
        .login_raw("new.nurse@hospital.test", "initial password 123")
        .await;

    assert_eq!(created["email"], "new.nurse@hospital.test");
    assert_eq!(created["role"], "nurse");
    assert_eq!(created["active"], true);
    assert!(created.get("password").is_none() && created.get("password_hash").is_none());
    assert_eq!(
        error_code(duplicate, StatusCode::CONFLICT).await,
        "conflict"
    );
    assert_eq!(login.status(), StatusCode::OK);
}

#[tokio::test]
async fn user_creation_refuses_weak_or_overlong_passwords_and_unknown_roles() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;

    for (field, value) in [
        ("password", json!("short")),
        ("password", json!("p".repeat(73))),
        ("role", json!("superuser")),
        ("email", json!("not-an-email")),
    ] {
        let mut body = json!({ "email": "x@hospital.test", "name": "X", "role": "doctor", "password": "long enough password" });
        body[field] = value;
        let response = app.post("/api/admin/users", &admin, body).await;
        assert_eq!(
            error_code(response, StatusCode::BAD_REQUEST).await,
            "validation_failed",
            "{field}"
        );
    }
}

#[tokio::test]
async fn clinicians_are_refused_the_administration_routes() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;

    let list = app.get("/api/admin/users", &doctor).await;
    let assign = app
        .post(
            "/api/admin/care-team",
            &doctor,
            json!({ "user_id": doctor.user_id, "patient_id": 1 }),
        )
        .await;

    assert_eq!(error_code(list, StatusCode::FORBIDDEN).await, "forbidden");
    assert_eq!(error_code(assign, StatusCode::FORBIDDEN).await, "forbidden");
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions_at_once() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;
    let nurse = app.login(&NURSE).await;

    let response = app
        .post(
            &format!("/api/admin/users/{}/deactivate", nurse.user_id),
            &admin,
            json!({}),
        )
        .await;
    let after = app.get("/api/patients", &nurse).await;
    let refresh = app
        .http
        .post(app.url("/api/auth/refresh"))
        .json(&json!({ "refresh_token": nurse.refresh_token }))
        .send()
        .await
        .unwrap();
    let reactivated = app
        .post(
            &format!("/api/admin/users/{}/activate", nurse.user_id),
            &admin,
            json!({}),
        )
        .await;

    assert_eq!(json_of(response, StatusCode::OK).await["active"], false);
    assert_eq!(
        error_code(after, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );
    assert_eq!(refresh.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_of(reactivated, StatusCode::OK).await["active"], true);
    assert_eq!(
        app.get("/api/patients", &nurse).await.status(),
        StatusCode::UNAUTHORIZED,
        "old session stays ended"
    );
}

#[tokio::test]
async fn a_role_change_takes_effect_on_the_next_request() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;
    let doctor = app.login(&DOCTOR2).await;

    let changed = app
        .put(
            &format!("/api/admin/users/{}", doctor.user_id),
            &admin,
            json!({ "role": "nurse" }),
        )
        .await;
    let with_old_token = app.get("/api/patients", &doctor).await;
    let own_role = app
        .put(
            &format!("/api/admin/users/{}", admin.user_id),
            &admin,
            json!({ "role": "doctor" }),
        )
        .await;

    assert_eq!(json_of(changed, StatusCode::OK).await["role"], "nurse");
    assert_eq!(with_old_token.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(own_role, StatusCode::CONFLICT).await, "conflict");
}

#[tokio::test]
async fn an_administrator_resets_a_password_and_the_old_sessions_end() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;
    let doctor = app.login(&DOCTOR).await;

    let reset = app
        .post(
            &format!("/api/admin/users/{}/password", doctor.user_id),
            &admin,
            json!({ "password": "temporary password 42" }),
        )
        .await;

    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/patients", &doctor).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login_raw(DOCTOR.email, "temporary password 42")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn care_team_assignment_grants_access_and_removal_takes_it_away() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;
    let nurse = app.login(&NURSE2).await;
    let patient_id = app.patient_id(&admin, &fixture_bundle().patient.mrn).await;
    let link = json!({ "user_id": nurse.user_id, "patient_id": patient_id });

    let before = app
        .get(&format!("/api/patients/{patient_id}"), &nurse)
        .await
        .status();
    let assigned = app.post("/api/admin/care-team", &admin, link.clone()).await;
    let twice = app.post("/api/admin/care-team", &admin, link.clone()).await;
    let during = app
        .get(&format!("/api/patients/{patient_id}"), &nurse)
        .await
        .status();
    let removed = app
        .delete("/api/admin/care-team", &admin, link.clone())
        .await;
    let after = app
        .get(&format!("/api/patients/{patient_id}"), &nurse)
        .await
        .status();
    let admin_link = app
        .post(
            "/api/admin/care-team",
            &admin,
            json!({ "user_id": admin.user_id, "patient_id": patient_id }),
        )
        .await;

    assert_eq!(before, StatusCode::FORBIDDEN);
    assert_eq!(assigned.status(), StatusCode::CREATED);
    assert_eq!(error_code(twice, StatusCode::CONFLICT).await, "conflict");
    assert_eq!(during, StatusCode::OK);
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(after, StatusCode::FORBIDDEN);
    assert_eq!(
        error_code(admin_link, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
}

#[tokio::test]
async fn the_mrn_lookup_returns_only_an_id() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;

    let found = json_of(
        app.get(
            &format!(
                "/api/admin/patients/lookup?mrn={}",
                fixture_bundle().patient.mrn
            ),
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let missing = app
        .get("/api/admin/patients/lookup?mrn=NOPE-1", &admin)
        .await;

    assert_eq!(found.as_object().unwrap().len(), 1);
    assert!(found["id"].is_i64());
    assert_eq!(
        error_code(missing, StatusCode::NOT_FOUND).await,
        "not_found"
    );
}

#[tokio::test]
async fn the_user_list_is_paginated_and_carries_no_password_hashes() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;

    let page = json_of(
        app.get("/api/admin/users?page_size=2", &admin).await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["total"], 5);
    assert!(
        !page.to_string().contains("$2"),
        "a bcrypt hash leaked: {page}"
    );
}
