//! Break-glass access through HTTP: the life of a grant, every refusal,
//! notifications to a real SMTP server and a webhook, and the live feed.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::patients::new_patient;

const REASON: &str = "Patient arrived unconscious in the emergency department; need allergies.";

fn ask(patient_id: i64) -> Value {
    json!({ "patient_id": patient_id, "reason_category": "emergency_treatment", "reason": REASON })
}

/// Requests and activates a grant; returns the request answer.
async fn break_glass(app: &TestApp, who: &Session, patient_id: i64) -> Value {
    let requested = json_of(
        app.post("/api/emergency/request", who, ask(patient_id))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let token = requested["access_token"].as_str().unwrap();
    let activated = app
        .post(&format!("/api/emergency/activate/{token}"), who, json!({}))
        .await;
    assert_eq!(activated.status(), StatusCode::OK);
    requested
}

async fn other_patient(app: &TestApp) -> i64 {
    let doctor2 = app.login(&DOCTOR2).await;
    let created = app
        .post("/api/patients", &doctor2, new_patient("923-45-6781"))
        .await;
    json_of(created, StatusCode::CREATED).await["id"]
        .as_i64()
        .unwrap()
}

async fn until(instant: DateTime<Utc>) {
    let wait = (instant - Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(wait).await;
}

#[tokio::test]
async fn a_grant_opens_one_patient_until_it_expires_and_a_refresh_does_not_extend_it() {
    let app = spawn_app_with(&[("EMERGENCY_ACCESS_DURATION", "5s")]).await;
    let ward = ward(&app).await;
    let nurse = app.login(&NURSE2).await;
    let chart = format!("/api/patients/{}", ward.patient_id);
    let elsewhere = other_patient(&app).await;
    assert_eq!(
        app.get(&chart, &nurse).await.status(),
        StatusCode::FORBIDDEN
    );

    let requested = json_of(
        app.post("/api/emergency/request", &nurse, ask(ward.patient_id))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let pending = app.get(&chart, &nurse).await.status();
    let token = requested["access_token"].as_str().unwrap();
    let activated = json_of(
        app.post(
            &format!("/api/emergency/activate/{token}"),
            &nurse,
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let read = json_of(app.get(&chart, &nurse).await, StatusCode::OK).await;
    let records = app.get(&format!("{chart}/records"), &nurse).await.status();
    let write = app
        .put(&chart, &nurse, json!({ "phone": "555-0199" }))
        .await
        .status();
    let other = app
        .get(&format!("/api/patients/{elsewhere}"), &nurse)
        .await
        .status();
    let listed = json_of(app.get("/api/patients", &nurse).await, StatusCode::OK).await;
    let refreshed = json_of(
        app.http
            .post(app.url("/api/auth/refresh"))
            .json(&json!({ "refresh_token": nurse.refresh_token }))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let refreshed_token = refreshed["access_token"].as_str().unwrap().to_string();

    let expires_at: DateTime<Utc> = requested["expires_at"].as_str().unwrap().parse().unwrap();
    until(expires_at - chrono::Duration::milliseconds(900)).await;
    let just_before = app.get_with_token(&chart, &refreshed_token).await.status();
    until(expires_at + chrono::Duration::milliseconds(200)).await;
    let just_after = app.get_with_token(&chart, &refreshed_token).await.status();
    let old_token_after = app.get(&chart, &nurse).await.status();

    assert_eq!(
        pending,
        StatusCode::FORBIDDEN,
        "no access before activation"
    );
    assert_eq!(activated["status"], "active");
    assert!(
        read.get("ssn").is_none(),
        "a nurse under a grant still never sees the SSN"
    );
    assert_eq!(records, StatusCode::OK);
    assert_eq!(write, StatusCode::FORBIDDEN, "a grant never allows writes");
    assert_eq!(
        other,
        StatusCode::FORBIDDEN,
        "a grant opens one patient only"
    );
    assert_eq!(listed["total"], 1);
    assert_eq!(just_before, StatusCode::OK);
    assert_eq!(just_after, StatusCode::FORBIDDEN);
    assert_eq!(old_token_after, StatusCode::FORBIDDEN);

    let grant_id = requested["id"].as_i64().unwrap();
    let rows = app.audit_rows().await;
    let view = rows
        .iter()
        .find(|r| {
            r.action == "patient.view" && r.outcome == "allowed" && r.user_id == Some(nurse.user_id)
        })
        .unwrap();
    assert_eq!(view.emergency_access_id, Some(grant_id));
    assert!(view.emergency_use);
    assert_eq!(view.purpose_of_use.as_deref(), Some("ETREAT"));
    let mut expired = false;
    for _ in 0..40 {
        expired =
            app.audit_rows().await.iter().any(|r| {
                r.action == "emergency.expired" && r.emergency_access_id == Some(grant_id)
            });
        if expired {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(expired, "the expiry is in the audit trail");
}

#[tokio::test]
async fn revocation_ends_access_at_once_and_a_restart_does_not_revive_it() {
    let mut app = spawn_app().await;
    let ward = ward(&app).await;
    let nurse = app.login(&NURSE2).await;
    let chart = format!("/api/patients/{}", ward.patient_id);
    let grant = break_glass(&app, &nurse, ward.patient_id).await;
    assert_eq!(app.get(&chart, &nurse).await.status(), StatusCode::OK);

    let revoked = app
        .post(
            &format!("/api/emergency/{}/revoke", grant["id"]),
            &ward.admin,
            json!({}),
        )
        .await;
    let after_revoke = app.get(&chart, &nurse).await.status();
    app.stop();
    let restarted = app.spawn_peer().await;
    let after_restart = restarted.get(&chart, &nurse).await.status();
    let again = restarted
        .post(
            &format!("/api/emergency/{}/revoke", grant["id"]),
            &ward.admin,
            json!({}),
        )
        .await;

    assert_eq!(json_of(revoked, StatusCode::OK).await["status"], "revoked");
    assert_eq!(after_revoke, StatusCode::FORBIDDEN);
    assert_eq!(after_restart, StatusCode::FORBIDDEN);
    assert_eq!(error_code(again, StatusCode::CONFLICT).await, "conflict");
}

#[tokio::test]
async fn deactivating_the_holder_ends_their_grants() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let nurse = app.login(&NURSE2).await;
    break_glass(&app, &nurse, ward.patient_id).await;

    app.post(
        &format!("/api/admin/users/{}/deactivate", nurse.user_id),
        &ward.admin,
        json!({}),
    )
    .await;
    app.post(
        &format!("/api/admin/users/{}/activate", nurse.user_id),
        &ward.admin,
        json!({}),
    )
    .await;
    let nurse = app.login(&NURSE2).await;

    let chart = app
        .get(&format!("/api/patients/{}", ward.patient_id), &nurse)
        .await
        .status();
    let live = json_of(
        app.get("/api/emergency/active", &ward.admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(chart, StatusCode::FORBIDDEN);
    assert_eq!(live.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn requests_that_should_not_get_a_grant_are_refused_with_a_reason() {
    let app = spawn_app_with(&[("EMERGENCY_MAX_ACTIVE_GRANTS", "1")]).await;
    let ward = ward(&app).await;
    let nurse = app.login(&NURSE2).await;
    let elsewhere = other_patient(&app).await;
    let mut short = ask(ward.patient_id);
    short["reason"] = json!("   too short        ");
    let mut blank = ask(ward.patient_id);
    blank["reason"] = json!("                                ");
    let mut category = ask(ward.patient_id);
    category["reason_category"] = json!("curiosity");

    let by_admin = app
        .post("/api/emergency/request", &ward.admin, ask(ward.patient_id))
        .await;
    let too_short = app.post("/api/emergency/request", &nurse, short).await;
    let empty = app.post("/api/emergency/request", &nurse, blank).await;
    let bad_category = app.post("/api/emergency/request", &nurse, category).await;
    let unknown = app
        .post("/api/emergency/request", &nurse, ask(987_654))
        .await;
    let on_team = app
        .post("/api/emergency/request", &ward.nurse, ask(ward.patient_id))
        .await;
    let first = app
        .post("/api/emergency/request", &nurse, ask(ward.patient_id))
        .await;
    let over_cap = app
        .post("/api/emergency/request", &nurse, ask(elsewhere))
        .await;

    assert_eq!(
        error_code(by_admin, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
    assert_eq!(
        error_code(too_short, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(
        error_code(empty, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(
        error_code(bad_category, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(
        error_code(unknown, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    assert_eq!(error_code(on_team, StatusCode::CONFLICT).await, "conflict");
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(over_cap.headers().contains_key("retry-after"));
    assert_eq!(
        error_code(over_cap, StatusCode::TOO_MANY_REQUESTS).await,
        "rate_limited"
    );
    let grants = json_of(
        app.get("/api/emergency/grants", &ward.admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(grants["total"], 1, "refused requests leave no grant behind");
    let rows = app.audit_rows().await;
    assert_eq!(
        rows.iter()
            .filter(|r| r.action == "emergency.request" && r.outcome != "allowed")
            .count(),
        7
    );
}

#[tokio::test]
async fn an_activation_token_works_once_for_its_owner_and_never_after_expiry() {
    let app = spawn_app_with(&[("EMERGENCY_ACCESS_DURATION", "2s")]).await;
    let ward = ward(&app).await;
    let nurse = app.login(&NURSE2).await;
    let colleague = app.login(&DOCTOR2).await;
    let elsewhere = other_patient(&app).await;

    let first = json_of(
        app.post("/api/emergency/request", &nurse, ask(ward.patient_id))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let token = first["access_token"].as_str().unwrap();
    let by_other = app
        .post(
            &format!("/api/emergency/activate/{token}"),
            &colleague,
            json!({}),
        )
        .await;
    let by_owner = app
        .post(
            &format!("/api/emergency/activate/{token}"),
            &nurse,
            json!({}),
        )
        .await;
    let reused = app
        .post(
            &format!("/api/emergency/activate/{token}"),
            &nurse,
            json!({}),
        )
        .await;
    let made_up = app
        .post(
            "/api/emergency/activate/not-a-real-token",
            &nurse,
            json!({}),
        )
        .await;
    let second = json_of(
        app.post("/api/emergency/request", &nurse, ask(elsewhere))
            .await,
        StatusCode::CREATED,
    )
    .await;
    until(
        second["expires_at"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap()
            + chrono::Duration::milliseconds(200),
    )
    .await;
    let late = app
        .post(
            &format!(
                "/api/emergency/activate/{}",
                second["access_token"].as_str().unwrap()
            ),
            &nurse,
            json!({}),
        )
        .await;

    assert_eq!(
        error_code(by_other, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
    assert_eq!(by_owner.status(), StatusCode::OK);
    assert_eq!(error_code(reused, StatusCode::CONFLICT).await, "conflict");
    assert_eq!(
        error_code(made_up, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    assert_eq!(error_code(late, StatusCode::FORBIDDEN).await, "forbidden");
}

#[tokio::test]
async fn grants_are_reviewed_once_and_unreviewed_ones_become_overdue() {
    let app = spawn_app_with(&[("EMERGENCY_REVIEW_OVERDUE", "1s")]).await;
    let ward = ward(&app).await;
    let nurse = app.login(&NURSE2).await;
    let grant = break_glass(&app, &nurse, ward.patient_id).await;
    let id = grant["id"].as_i64().unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;

    let overdue = json_of(
        app.get("/api/emergency/grants?status=overdue", &ward.admin)
            .await,
        StatusCode::OK,
    )
    .await;
    let invalid = app
        .post(
            &format!("/api/emergency/{id}/review"),
            &ward.admin,
            json!({ "outcome": "fine" }),
        )
        .await;
    let reviewed = app
        .post(
            &format!("/api/emergency/{id}/review"),
            &ward.admin,
            json!({ "outcome": "justified", "note": "Confirmed with the ED lead." }),
        )
        .await;
    let twice = app
        .post(
            &format!("/api/emergency/{id}/review"),
            &ward.admin,
            json!({ "outcome": "unjustified" }),
        )
        .await;
    let by_clinician = app.get("/api/emergency/grants", &ward.doctor).await;
    let after = json_of(
        app.get("/api/emergency/grants?status=overdue", &ward.admin)
            .await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["items"][0]["review_overdue"], true);
    assert_eq!(overdue["items"][0]["user_role"], "nurse");
    assert_eq!(
        error_code(invalid, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    let reviewed = json_of(reviewed, StatusCode::OK).await;
    assert_eq!(reviewed["review_outcome"], "justified");
    assert_eq!(reviewed["reviewed_by"], ward.admin.user_id);
    assert_eq!(error_code(twice, StatusCode::CONFLICT).await, "conflict");
    assert_eq!(
        error_code(by_clinician, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
    assert_eq!(after["total"], 0);
}

#[tokio::test]
async fn administrators_are_told_by_mail_and_webhook_without_patient_data() {
    let Some(smtp) = SmtpSink::start("administrators_are_told_by_mail_and_webhook") else {
        return;
    };
    let hook = WebhookReceiver::start().await;
    let secret = "webhook-signing-secret-9d8c7b6a5f4e3d2c1b0a";
    let smtp_url = smtp.url();
    let app = spawn_app_with(&[
        ("SMTP_URL", smtp_url.as_str()),
        (
            "EMERGENCY_NOTIFICATION_EMAIL",
            "privacy.officer@hospital.test",
        ),
        ("ALERT_WEBHOOK_URL", hook.url.as_str()),
        ("ALERT_WEBHOOK_SECRET", secret),
    ])
    .await;
    let ward = ward(&app).await;
    let nurse = app.login(&NURSE2).await;

    let grant = break_glass(&app, &nurse, ward.patient_id).await;
    let mail = smtp.wait_for_messages(1).await;
    let posts = hook.wait_for(1).await;

    assert_eq!(mail.len(), 1, "one e-mail arrives");
    let message = &mail[0];
    assert!(message.contains("privacy.officer@hospital.test"));
    assert!(message.contains(&format!("grant #{}", grant["id"])));
    let patient = fixture_bundle().patient;
    for secret_value in [
        patient.last_name.as_str(),
        patient.first_name.as_str(),
        patient.ssn.as_deref().unwrap(),
        REASON,
    ] {
        assert!(
            !message.contains(secret_value),
            "the e-mail carries patient data or the justification"
        );
    }
    assert_eq!(posts.len(), 1, "one webhook call");
    let (headers, body) = &posts[0];
    let timestamp: i64 = headers["x-healthsecure-timestamp"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let expected = healthsecure::notify::signature(secret, timestamp, body);
    assert_eq!(
        headers["x-healthsecure-signature"].to_str().unwrap(),
        expected
    );
    let alert: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(alert["grant_id"], grant["id"]);
    assert_eq!(alert["user_role"], "nurse");
    assert!(!String::from_utf8_lossy(body).contains(REASON));
}

#[tokio::test]
async fn an_unreachable_mail_server_never_delays_the_grant() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let smtp_url = format!("smtp://127.0.0.1:{closed}");
    let app = spawn_app_with(&[
        ("SMTP_URL", smtp_url.as_str()),
        ("EMERGENCY_NOTIFICATION_EMAIL", "alerts@hospital.test"),
    ])
    .await;
    let ward = ward(&app).await;
    let nurse = app.login(&NURSE2).await;

    let started = std::time::Instant::now();
    break_glass(&app, &nurse, ward.patient_id).await;
    let chart = app
        .get(&format!("/api/patients/{}", ward.patient_id), &nurse)
        .await
        .status();

    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(chart, StatusCode::OK);
}

#[tokio::test]
async fn a_connected_administrator_receives_new_grants_live() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let nurse = app.login(&NURSE2).await;
    let feed = app
        .http
        .get(app.url("/api/emergency/events"))
        .bearer_auth(&ward.admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let refused = app.get("/api/emergency/events", &nurse).await;

    let requested = json_of(
        app.post("/api/emergency/request", &nurse, ask(ward.patient_id))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let mut stream = feed.bytes_stream();
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !seen.contains("event: grant") || !seen.contains(&format!("\"id\":{}", requested["id"])) {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("the grant arrives within 5 s");
        seen.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }

    assert_eq!(
        error_code(refused, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
    assert!(seen.contains("\"status\":\"pending\""));
}

/// With Redis, the live feed is shared: an administrator connected to one
/// instance sees a grant requested through another.
#[tokio::test]
async fn an_administrator_on_one_instance_sees_grants_requested_through_another() {
    let Some(redis) = Redis::start("live feed across instances") else {
        return;
    };
    let url = redis.url();
    let a = spawn_app_with(&[("REDIS_URL", url.as_str())]).await;
    let b = a.spawn_peer().await;
    let ward = ward(&a).await;
    let nurse = b.login(&NURSE2).await;
    let feed = a
        .http
        .get(&a.urls_on_every_instance("/api/emergency/events")[0])
        .bearer_auth(&ward.admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::OK);

    let requested = json_of(
        b.post("/api/emergency/request", &nurse, ask(ward.patient_id))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let mut stream = feed.bytes_stream();
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let wanted = format!("\"id\":{}", requested["id"]);
    while !seen.contains(&wanted) {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("the grant made through the other instance arrives within 5 s");
        seen.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }

    assert!(seen.contains("event: grant"));
}
