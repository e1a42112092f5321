//! Sessions across API instances sharing one database and one real Redis:
//! every way a session ends is honoured everywhere at once, rate limits
//! are shared, and a Redis outage fails closed.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

async fn pair(redis: &Redis, extra: &[(&str, &str)]) -> (TestApp, TestApp) {
    let url = redis.url();
    let mut env = vec![("REDIS_URL", url.as_str())];
    env.extend_from_slice(extra);
    let a = spawn_app_with(&env).await;
    let b = a.spawn_peer().await;
    (a, b)
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.http
        .post(app.url("/api/auth/refresh"))
        .json(&json!({ "refresh_token": token }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn signing_out_on_one_instance_ends_the_session_on_the_other_at_once() {
    let Some(redis) = Redis::start("signing_out_on_one_instance") else {
        return;
    };
    let (a, b) = pair(&redis, &[]).await;
    let session = a.login(&DOCTOR).await;
    assert_eq!(
        b.get("/api/auth/me", &session).await.status(),
        StatusCode::OK
    );

    let logout = a.post("/api/auth/logout", &session, json!({})).await;
    let on_b = b.get("/api/patients", &session).await;

    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        error_code(on_b, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );
}

#[tokio::test]
async fn a_password_change_on_one_instance_ends_other_sessions_on_the_other() {
    let Some(redis) = Redis::start("a_password_change_on_one_instance") else {
        return;
    };
    let (a, b) = pair(&redis, &[]).await;
    let current = a.login(&NURSE).await;
    let elsewhere = b.login(&NURSE).await;

    let change =
        json!({ "current_password": PASSWORD, "new_password": "another long passphrase 7" });
    let changed = a.post("/api/auth/password", &current, change).await;

    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        b.get("/api/auth/me", &elsewhere).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        b.get("/api/auth/me", &current).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn deactivation_and_password_reset_on_one_instance_end_sessions_on_the_other() {
    let Some(redis) = Redis::start("deactivation_and_password_reset") else {
        return;
    };
    let (a, b) = pair(&redis, &[]).await;
    let admin = a.login(&ADMIN).await;
    let nurse = b.login(&NURSE).await;
    let doctor = b.login(&DOCTOR).await;

    a.post(
        &format!("/api/admin/users/{}/deactivate", nurse.user_id),
        &admin,
        json!({}),
    )
    .await;
    a.post(
        &format!("/api/admin/users/{}/password", doctor.user_id),
        &admin,
        json!({ "password": "reset by admin 2026" }),
    )
    .await;

    assert_eq!(
        b.get("/api/auth/me", &nurse).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        b.get("/api/auth/me", &doctor).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        refresh(&b, &doctor.refresh_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn refresh_token_reuse_across_instances_is_detected_and_ends_the_family() {
    let Some(redis) = Redis::start("refresh_token_reuse_across_instances") else {
        return;
    };
    let (a, b) = pair(&redis, &[]).await;
    let session = a.login(&DOCTOR).await;

    let rotated = json_of(refresh(&a, &session.refresh_token).await, StatusCode::OK).await;
    let replayed = refresh(&b, &session.refresh_token).await;
    let new_access = rotated["access_token"].as_str().unwrap();

    assert_eq!(replayed.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        a.get_with_token("/api/auth/me", new_access).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        refresh(&a, rotated["refresh_token"].as_str().unwrap())
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(
        a.audit_rows()
            .await
            .iter()
            .any(|r| r.action == "auth.refresh_reuse")
    );
}

#[tokio::test]
async fn a_rate_limit_reached_through_one_instance_counts_on_the_other() {
    let Some(redis) = Redis::start("a_rate_limit_reached_through_one_instance") else {
        return;
    };
    let (a, b) = pair(
        &redis,
        &[("RATE_LIMIT_REQUESTS", "6"), ("RATE_LIMIT_WINDOW", "1h")],
    )
    .await;
    let doctor = a.login(&DOCTOR).await;

    for _ in 0..3 {
        assert_eq!(
            a.get("/api/patients", &doctor).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            b.get("/api/patients", &doctor).await.status(),
            StatusCode::OK
        );
    }
    let limited = b.get("/api/patients", &doctor).await;

    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry_after));
    assert_eq!(
        error_code(limited, StatusCode::TOO_MANY_REQUESTS).await,
        "rate_limited"
    );
    let rows = a.audit_rows().await;
    assert!(
        rows.iter()
            .any(|r| r.reason_code.as_deref() == Some("rate_limited") && r.outcome == "denied")
    );
}

#[tokio::test]
async fn when_redis_stops_authenticated_requests_fail_closed_and_recover_when_it_returns() {
    let Some(mut redis) = Redis::start("when_redis_stops") else {
        return;
    };
    let (a, _b) = pair(&redis, &[]).await;
    let doctor = a.login(&DOCTOR).await;

    redis.stop();
    let during = a.get("/api/patients", &doctor).await;
    let ready_during = a.http.get(a.url("/readyz")).send().await.unwrap().status();
    redis.restart();
    let mut after = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..50 {
        after = a.get("/api/patients", &doctor).await.status();
        if after == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    assert_eq!(
        error_code(during, StatusCode::SERVICE_UNAVAILABLE).await,
        "unavailable"
    );
    assert_eq!(ready_during, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(after, StatusCode::OK);
}

#[tokio::test]
async fn a_locked_account_answers_exactly_like_a_wrong_password() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES", "3"), ("LOGIN_RATE_LIMIT", "100")]).await;
    let mut bodies = Vec::new();

    for _ in 0..3 {
        let response = app.login_raw(NURSE.email, "definitely not it").await;
        bodies.push(error_code(response, StatusCode::UNAUTHORIZED).await);
    }
    let with_right_password = app.login_raw(NURSE.email, PASSWORD).await;
    let other_account = app.login_raw(DOCTOR.email, PASSWORD).await;

    assert_eq!(with_right_password.status(), StatusCode::UNAUTHORIZED);
    assert!(!with_right_password.headers().contains_key("retry-after"));
    assert_eq!(other_account.status(), StatusCode::OK);
    let rows = app.audit_rows().await;
    assert_eq!(
        rows.iter()
            .filter(|r| r.reason_code.as_deref() == Some("account_locked"))
            .count(),
        1
    );
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_address_and_forged_forwarding_headers_change_nothing() {
    let app = spawn_app_with(&[("LOGIN_RATE_LIMIT", "4"), ("LOGIN_MAX_FAILURES", "100")]).await;

    let mut statuses = Vec::new();
    for i in 0..6 {
        let response = app
            .http
            .post(app.url("/api/auth/login"))
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .json(&json!({ "email": DOCTOR.email, "password": "wrong wrong wrong" }))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(response.headers().contains_key("retry-after"));
        }
    }

    assert_eq!(statuses, vec![401, 401, 401, 401, 429, 429]);
    let rows = app.audit_rows().await;
    let limited: Vec<_> = rows
        .iter()
        .filter(|r| r.reason_code.as_deref() == Some("rate_limited"))
        .collect();
    assert_eq!(limited.len(), 2);
    assert!(
        limited
            .iter()
            .all(|r| r.ip_address.as_deref() == Some("127.0.0.1"))
    );
}

#[tokio::test]
async fn guessing_the_current_password_from_a_session_is_limited() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES", "2")]).await;
    let session = app.login(&DOCTOR).await;
    let guess =
        json!({ "current_password": "guess guess guess", "new_password": "new password here 1" });

    let first = app
        .post("/api/auth/password", &session, guess.clone())
        .await
        .status();
    let second = app
        .post("/api/auth/password", &session, guess.clone())
        .await
        .status();
    let third = app.post("/api/auth/password", &session, guess).await;

    assert_eq!(
        (first, second),
        (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN)
    );
    assert_eq!(
        error_code(third, StatusCode::TOO_MANY_REQUESTS).await,
        "rate_limited"
    );
}

#[tokio::test]
async fn cors_answers_only_the_exact_configured_origin() {
    let app = spawn_app_with(&[("CORS_ORIGINS", "https://app.hospital.test")]).await;
    let preflight = |origin: &str| {
        app.http
            .request(reqwest::Method::OPTIONS, app.url("/api/patients"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };

    let allowed = preflight("https://app.hospital.test").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://app.hospital.test"
    );
    assert_eq!(
        allowed.headers()["access-control-allow-credentials"],
        "true"
    );
    for origin in [
        "null",
        "http://app.hospital.test",
        "https://app.hospital.test:8443",
        "https://app.hospital.test.evil.example",
        "https://evil-app.hospital.test",
        "https://APP.hospital.test.",
    ] {
        let response = preflight(origin).await.unwrap();
        assert!(
            !response
                .headers()
                .contains_key("access-control-allow-origin"),
            "{origin} was allowed"
        );
    }
}

#[tokio::test]
async fn tokens_signed_with_a_previous_key_are_accepted_during_a_rotation() {
    let old_secret = "the-previous-signing-key-7f3a9c2e1b8d4f6a0c5e";
    let previous = format!("k0:{old_secret}");
    let app = spawn_app_with(&[("JWT_PREVIOUS_KEYS", previous.as_str())]).await;
    let doctor = app.login(&DOCTOR).await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let claims = json!({
        "sub": doctor.user_id.to_string(), "role": "doctor", "sid": "rotated", "jti": "j",
        "iat": now, "nbf": now, "exp": now + 600, "iss": JWT_ISSUER, "aud": JWT_AUDIENCE,
    });
    let sign = |kid: &str, secret: &str| {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        header.kid = Some(kid.into());
        jsonwebtoken::encode(
            &header,
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap()
    };

    let old_key = app
        .get_with_token("/api/auth/me", &sign("k0", old_secret))
        .await;
    let mixed = app
        .get_with_token("/api/auth/me", &sign("k1", old_secret))
        .await;

    assert_eq!(old_key.status(), StatusCode::OK);
    assert_eq!(mixed.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn deeply_nested_json_is_refused_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));

    let response = app
        .http
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body(deep)
        .send()
        .await
        .unwrap();
    let health = app.http.get(app.url("/healthz")).send().await.unwrap();

    assert_eq!(
        error_code(response, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn health_stays_up_while_oversized_bodies_arrive() {
    let app = spawn_app().await;
    let huge = "x".repeat(3 * 1024 * 1024);

    let attacks = (0..6).map(|_| {
        app.http
            .post(app.url("/api/auth/login"))
            .header("content-type", "application/json")
            .body(huge.clone())
            .send()
    });
    let health = app.http.get(app.url("/healthz")).send();
    let (attacks, health) = tokio::join!(futures::future::join_all(attacks), health);

    assert_eq!(health.unwrap().status(), StatusCode::OK);
    for response in attacks.into_iter().flatten() {
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
}

#[tokio::test]
async fn every_key_written_to_redis_expires() {
    let Some(redis) = Redis::start("every_key_written_to_redis_expires") else {
        return;
    };
    let (a, b) = pair(&redis, &[]).await;
    let session = a.login(&DOCTOR).await;
    a.login_raw(NURSE.email, "a wrong password").await;
    b.get("/api/patients", &session).await;
    b.post("/api/auth/logout", &session, json!({})).await;

    let client = redis::Client::open(redis.url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut conn)
        .await
        .unwrap();

    assert!(
        keys.len() >= 4,
        "expected session and counter keys, found {keys:?}"
    );
    for key in keys {
        let ttl: i64 = redis::cmd("PTTL")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .unwrap();
        assert!(ttl > 0, "{key} has no expiry");
    }
}
