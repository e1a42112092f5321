//! Sign-in, refresh, sign-out and password change.

use std::time::Instant;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn signing_in_returns_a_bearer_token_a_refresh_cookie_and_the_user() {
    let app = spawn_app().await;

    let response = app.login_raw(DOCTOR.email, PASSWORD).await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let body = json_of(response, StatusCode::OK).await;

    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["user"]["role"], "doctor");
    assert!(body["user"].get("password_hash").is_none());
    assert!(cookie.starts_with(&format!(
        "hs_refresh={}",
        body["refresh_token"].as_str().unwrap()
    )));
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/auth"] {
        assert!(
            cookie.contains(attribute),
            "cookie lacks {attribute}: {cookie}"
        );
    }
}

#[tokio::test]
async fn emails_are_matched_after_normalisation() {
    let app = spawn_app().await;

    let response = app.login_raw("  Doctor@HOSPITAL.test ", PASSWORD).await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_failed_sign_in_looks_the_same_and_the_audit_keeps_the_reason() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;
    let nurse2 = app.login(&NURSE2).await;
    let deactivated = app
        .post(
            &format!("/api/admin/users/{}/deactivate", nurse2.user_id),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(deactivated.status(), StatusCode::OK);

    let attempts = [
        (DOCTOR.email, "wrong password entirely"),
        ("nobody@hospital.test", PASSWORD),
        (NURSE2.email, PASSWORD),
        (DOCTOR.email, &"x".repeat(73)),
    ];
    let mut bodies = Vec::new();
    for (email, password) in attempts {
        let response = app.login_raw(email, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let mut body: Value = response.json().await.unwrap();
        body.as_object_mut().unwrap().remove("request_id");
        bodies.push(body);
    }

    assert!(
        bodies.windows(2).all(|pair| pair[0] == pair[1]),
        "bodies differ: {bodies:?}"
    );
    let rows = app.audit_rows().await;
    let reasons: Vec<_> = rows
        .iter()
        .filter(|r| r.action == "auth.login_failed")
        .filter_map(|r| r.reason_code.clone())
        .collect();
    assert_eq!(
        reasons,
        vec![
            "bad_password",
            "unknown_user",
            "inactive_user",
            "password_too_long"
        ]
    );
}

#[tokio::test]
async fn an_unknown_account_takes_as_long_to_refuse_as_a_wrong_password() {
    let app = spawn_app_with(&[("LOGIN_RATE_LIMIT", "100")]).await;
    let timed = |email: &'static str| {
        let app = &app;
        async move {
            let started = Instant::now();
            let response = app.login_raw(email, "not the password at all").await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            started.elapsed().as_secs_f64()
        }
    };
    // Pairs run back to back, in alternating order, so load from elsewhere
    // on the machine falls on both sides of a pair alike.
    let mut ratios = Vec::new();
    for round in 0..11 {
        let (known, unknown) = if round % 2 == 0 {
            let known = timed(DOCTOR.email).await;
            (known, timed("ghost@hospital.test").await)
        } else {
            let unknown = timed("ghost@hospital.test").await;
            (timed(DOCTOR.email).await, unknown)
        };
        ratios.push(unknown / known);
    }

    // Skipping the hash for an unknown account answers in a few
    // milliseconds against a few hundred (a ratio near 0.02), and a dummy
    // hash one cost step cheaper halves the time; busy machines move the
    // median of equal work by a few tenths either way. The band sits
    // between the two.
    ratios.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = ratios[ratios.len() / 2];
    assert!(
        (0.7..1.45).contains(&median),
        "median unknown/known ratio {median:.3}: {ratios:?}"
    );
}

#[tokio::test]
async fn a_refresh_token_works_once_and_its_reuse_ends_the_whole_session() {
    let app = spawn_app().await;
    let session = app.login(&DOCTOR).await;
    let refresh = |token: String| {
        app.http
            .post(app.url("/api/auth/refresh"))
            .json(&json!({ "refresh_token": token }))
            .send()
    };

    let first = json_of(
        refresh(session.refresh_token.clone()).await.unwrap(),
        StatusCode::OK,
    )
    .await;
    let reuse = refresh(session.refresh_token.clone()).await.unwrap();
    let successor = refresh(first["refresh_token"].as_str().unwrap().to_string())
        .await
        .unwrap();
    let with_new_access = app
        .get_with_token("/api/patients", first["access_token"].as_str().unwrap())
        .await;

    assert_eq!(
        error_code(reuse, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );
    assert_eq!(
        error_code(successor, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );
    assert_eq!(with_new_access.status(), StatusCode::UNAUTHORIZED);
    assert!(
        app.audit_rows()
            .await
            .iter()
            .any(|r| r.action == "auth.refresh_reuse")
    );
}

#[tokio::test]
async fn the_refresh_cookie_alone_renews_the_session() {
    let app = spawn_app().await;
    let session = app.login(&NURSE).await;

    let response = app
        .http
        .post(app.url("/api/auth/refresh"))
        .header("cookie", format!("hs_refresh={}", session.refresh_token))
        .send()
        .await
        .unwrap();

    let body = json_of(response, StatusCode::OK).await;
    assert_ne!(body["refresh_token"], session.refresh_token.as_str());
}

#[tokio::test]
async fn concurrent_refreshes_with_one_token_yield_exactly_one_success() {
    let app = spawn_app().await;
    let session = app.login(&DOCTOR).await;

    let attempts = (0..8).map(|_| {
        app.http
            .post(app.url("/api/auth/refresh"))
            .json(&json!({ "refresh_token": session.refresh_token }))
            .send()
    });
    let results = futures::future::join_all(attempts).await;

    let successes = results
        .iter()
        .filter(|r| r.as_ref().unwrap().status() == StatusCode::OK)
        .count();
    assert_eq!(successes, 1);
}

#[tokio::test]
async fn signing_out_ends_the_access_token_and_the_refresh_token_at_once() {
    let app = spawn_app().await;
    let session = app.login(&DOCTOR).await;

    let logout = app.post("/api/auth/logout", &session, json!({})).await;
    let after = app.get("/api/auth/me", &session).await;
    let refresh = app
        .http
        .post(app.url("/api/auth/refresh"))
        .json(&json!({ "refresh_token": session.refresh_token }))
        .send()
        .await
        .unwrap();

    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(refresh.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions_but_keeps_this_one() {
    let app = spawn_app().await;
    let current = app.login(&NURSE).await;
    let other = app.login(&NURSE).await;
    let new_password = "a much longer passphrase 2026";

    let wrong = app
        .post(
            "/api/auth/password",
            &current,
            json!({ "current_password": "nope", "new_password": new_password }),
        )
        .await;
    let too_long = app
        .post(
            "/api/auth/password",
            &current,
            json!({ "current_password": PASSWORD, "new_password": "y".repeat(73) }),
        )
        .await;
    let changed = app
        .post(
            "/api/auth/password",
            &current,
            json!({ "current_password": PASSWORD, "new_password": new_password }),
        )
        .await;

    assert_eq!(error_code(wrong, StatusCode::FORBIDDEN).await, "forbidden");
    assert_eq!(
        error_code(too_long, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/auth/me", &current).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/auth/me", &other).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login_raw(NURSE.email, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login_raw(NURSE.email, new_password).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn me_describes_the_signed_in_user_without_secrets() {
    let app = spawn_app().await;
    let session = app.login(&ADMIN).await;

    let me = json_of(app.get("/api/auth/me", &session).await, StatusCode::OK).await;

    assert_eq!(me["email"], ADMIN.email);
    assert_eq!(me["role"], "admin");
    assert_eq!(me["active"], true);
    assert!(me["last_login"].is_string());
    let keys: Vec<&String> = me.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 6, "{me}");
}
