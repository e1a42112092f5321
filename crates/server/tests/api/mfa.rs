//! Two-step sign-in through HTTP: enrolment, codes at the edges of their
//! window, replays, recovery codes, limits, an administrator's reset, and
//! the step-up guard on break-glass and role changes.
//!
//! Codes are computed here from the secret the server hands out, with an
//! RFC 6238 implementation of the test's own, for time steps chosen
//! relative to the real clock.

use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

const STEP: i64 = 30;

/// The product's default: administrators must use a second factor.
const ADMINS_NEED_MFA: (&str, &str) = ("MFA_REQUIRED_ROLES", "admin");

fn unbase32(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32"),
        };
        buffer = (buffer << 5) | u32::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

fn now_step() -> i64 {
    chrono::Utc::now().timestamp() / STEP
}

/// The code an authenticator app shows for `step`.
fn code(secret: &str, step: i64) -> String {
    let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(&unbase32(secret)).unwrap();
    mac.update(&step.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let at = (hash[19] & 0xf) as usize;
    let value = u32::from_be_bytes([hash[at] & 0x7f, hash[at + 1], hash[at + 2], hash[at + 3]]);
    format!("{:06}", value % 1_000_000)
}

/// Waits out the last seconds of a time step, so that a code computed now
/// is judged in the same step by the server.
async fn settle() {
    let into = chrono::Utc::now().timestamp() % STEP;
    if into > STEP - 4 {
        tokio::time::sleep(Duration::from_secs((STEP - into + 1) as u64)).await;
    }
}

async fn post_json(app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Signs in with the password and returns the challenge body.
async fn challenge(app: &TestApp, staff: &Staff) -> Value {
    let body = json_of(app.login_raw(staff.email, PASSWORD).await, StatusCode::OK).await;
    assert_eq!(body["mfa_required"], true, "{body}");
    assert!(body.get("access_token").is_none(), "{body}");
    body
}

fn session_of(body: &Value) -> Session {
    Session {
        token: body["access_token"].as_str().unwrap().to_string(),
        refresh_token: body["refresh_token"].as_str().unwrap().to_string(),
        user_id: body["user"]["id"].as_i64().unwrap(),
    }
}

/// An enrolled account: its secret and recovery codes.
struct Enrolled {
    secret: String,
    recovery_codes: Vec<String>,
    session: Session,
    /// The step of the code that confirmed the enrolment.
    used_step: i64,
}

/// Enrols an account whose role requires it, through its first sign-in.
async fn enrol_at_sign_in(app: &TestApp, staff: &Staff) -> Enrolled {
    let first = challenge(app, staff).await;
    assert_eq!(first["enrollment_required"], true);
    let token = first["mfa_token"].as_str().unwrap();
    let setup = json_of(
        post_json(app, "/api/auth/mfa/enroll", json!({ "mfa_token": token })).await,
        StatusCode::OK,
    )
    .await;
    let secret = setup["secret"].as_str().unwrap().to_string();
    settle().await;
    let step = now_step();
    let done = json_of(
        post_json(
            app,
            "/api/auth/mfa/enroll/confirm",
            json!({ "mfa_token": token, "code": code(&secret, step) }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    Enrolled {
        secret,
        recovery_codes: done["recovery_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect(),
        session: session_of(&done),
        used_step: step,
    }
}

/// Enrols a signed-in account from its profile, confirming with the code
/// of `step`.
async fn enrol_signed_in(app: &TestApp, who: &Session, step_offset: i64) -> (String, i64) {
    let setup = json_of(
        app.post("/api/auth/mfa/enroll", who, json!({})).await,
        StatusCode::OK,
    )
    .await;
    let secret = setup["secret"].as_str().unwrap().to_string();
    settle().await;
    let step = now_step() + step_offset;
    let done = json_of(
        app.post(
            "/api/auth/mfa/enroll/confirm",
            who,
            json!({ "code": code(&secret, step) }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["recovery_codes"].as_array().unwrap().len(), 10);
    (secret, step)
}

async fn reasons(app: &TestApp, action: &str) -> Vec<String> {
    app.audit_rows()
        .await
        .into_iter()
        .filter(|row| row.action == action)
        .map(|row| row.reason_code.unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn an_admin_cannot_sign_in_with_the_password_alone_and_is_led_through_enrolment() {
    let app = spawn_app_with(&[ADMINS_NEED_MFA]).await;
    let first = challenge(&app, &ADMIN).await;
    assert_eq!(first["enrollment_required"], true);
    let token = first["mfa_token"].as_str().unwrap();

    // No code can stand in for an authenticator that does not exist yet.
    let early = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": token, "code": "123456" }),
    )
    .await;
    assert_eq!(
        error_code(early, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    // Enrolment needs the challenge (or a session): nothing else will do.
    let anonymous = post_json(&app, "/api/auth/mfa/enroll", json!({})).await;
    assert_eq!(
        error_code(anonymous, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );

    let setup = json_of(
        post_json(&app, "/api/auth/mfa/enroll", json!({ "mfa_token": token })).await,
        StatusCode::OK,
    )
    .await;
    let secret = setup["secret"].as_str().unwrap();
    assert_eq!(unbase32(secret).len(), 20);
    let url = setup["otpauth_url"].as_str().unwrap();
    assert!(
        url.starts_with("otpauth://totp/HealthSecure:admin%40hospital.test?"),
        "{url}"
    );
    assert!(url.contains(&format!("secret={secret}")));
    let svg = setup["qr_svg"].as_str().unwrap();
    assert!(svg.contains("<svg") && !svg.contains("<script"));

    let wrong = post_json(
        &app,
        "/api/auth/mfa/enroll/confirm",
        json!({ "mfa_token": token, "code": "000000" }),
    )
    .await;
    assert_eq!(
        error_code(wrong, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );

    settle().await;
    let done = json_of(
        post_json(
            &app,
            "/api/auth/mfa/enroll/confirm",
            json!({ "mfa_token": token, "code": code(secret, now_step()) }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let recovery: Vec<&str> = done["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(recovery.len(), 10);
    assert_eq!(
        recovery
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len(),
        10
    );
    let admin = session_of(&done);
    assert_eq!(
        app.get("/api/auth/me", &admin).await.status(),
        StatusCode::OK
    );

    // The challenge is spent.
    let again = post_json(
        &app,
        "/api/auth/mfa/enroll/confirm",
        json!({ "mfa_token": token, "code": code(secret, now_step()) }),
    )
    .await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    // The next sign-in asks for a code, not for enrolment.
    assert_eq!(challenge(&app, &ADMIN).await["enrollment_required"], false);

    // Neither the secret nor a recovery code is stored or logged in clear.
    let logs = app.logs();
    assert!(!logs.contains(secret));
    assert!(recovery.iter().all(|c| !logs.contains(c)));
    let audit = format!("{:?}", app.audit_rows().await);
    assert!(!audit.contains(secret) && !audit.contains(token));
    assert!(
        reasons(&app, "auth.mfa_challenge")
            .await
            .contains(&"enrolment_required".into())
    );
    let enrolments = reasons(&app, "auth.mfa_enroll").await;
    assert!(
        enrolments.contains(&"secret_issued".into()) && enrolments.contains(&"confirmed".into())
    );
    assert!(
        reasons(&app, "auth.mfa_failed")
            .await
            .contains(&"enrolment_code_wrong".into())
    );
    assert!(
        reasons(&app, "auth.mfa")
            .await
            .contains(&"enrolment_code".into())
    );
}

#[tokio::test]
async fn a_valid_code_signs_in_a_wrong_one_does_not_and_a_used_one_cannot_be_replayed() {
    let app = spawn_app_with(&[ADMINS_NEED_MFA]).await;
    let enrolled = enrol_at_sign_in(&app, &ADMIN).await;

    let pending = challenge(&app, &ADMIN).await;
    let token = pending["mfa_token"].as_str().unwrap();
    let wrong = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": token, "code": "12345x" }),
    )
    .await;
    assert_eq!(
        error_code(wrong, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );

    // The code of the enrolment step was used: it is refused now.
    let reused = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": token, "code": code(&enrolled.secret, enrolled.used_step) }),
    )
    .await;
    assert_eq!(reused.status(), StatusCode::UNAUTHORIZED);
    if now_step() <= enrolled.used_step + 1 {
        assert!(
            reasons(&app, "auth.mfa_failed")
                .await
                .contains(&"code_reused".into())
        );
    }

    // The next step's code is within the window and unused.
    let next = code(&enrolled.secret, enrolled.used_step + 1);
    let signed_in = json_of(
        post_json(
            &app,
            "/api/auth/mfa",
            json!({ "mfa_token": token, "code": next }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let admin = session_of(&signed_in);
    assert_eq!(
        app.get("/api/auth/me", &admin).await.status(),
        StatusCode::OK
    );

    // The same code on a new challenge is a replay.
    let later = challenge(&app, &ADMIN).await;
    let replay = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": later["mfa_token"], "code": next }),
    )
    .await;
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    // And a challenge that completed a sign-in cannot complete another.
    let spent = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": token, "code": next }),
    )
    .await;
    assert_eq!(spent.status(), StatusCode::UNAUTHORIZED);
    assert!(
        reasons(&app, "auth.mfa_failed")
            .await
            .contains(&"challenge_used".into())
    );
    // A forged challenge is refused.
    let forged = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": format!("{token}x"), "code": next }),
    )
    .await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);

    let failures = reasons(&app, "auth.mfa_failed").await;
    assert!(failures.contains(&"wrong_code".into()), "{failures:?}");
    assert!(
        failures.contains(&"invalid_challenge".into()),
        "{failures:?}"
    );
    assert!(reasons(&app, "auth.mfa").await.contains(&"totp".into()));
}

#[tokio::test]
async fn codes_one_step_either_side_are_accepted_and_two_steps_away_are_not() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;
    // The previous step's code confirms the enrolment.
    let (secret, used) = enrol_signed_in(&app, &doctor, -1).await;
    assert_eq!(used, now_step() - 1);

    // Optional for doctors, but once enrolled a code is asked for.
    let pending = challenge(&app, &DOCTOR).await;
    assert_eq!(pending["enrollment_required"], false);
    let token = pending["mfa_token"].as_str().unwrap();
    settle().await;
    let now = now_step();
    for refused in [now - 2, now + 2] {
        let response = post_json(
            &app,
            "/api/auth/mfa",
            json!({ "mfa_token": token, "code": code(&secret, refused) }),
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "step {refused}"
        );
    }
    let accepted = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": token, "code": code(&secret, now + 1) }),
    )
    .await;
    let session = session_of(&json_of(accepted, StatusCode::OK).await);
    // The current step is now older than the last one used: refused.
    let reauth = app
        .post(
            "/api/auth/reauth",
            &session,
            json!({ "code": code(&secret, now) }),
        )
        .await;
    assert_eq!(error_code(reauth, StatusCode::FORBIDDEN).await, "forbidden");
    assert!(
        reasons(&app, "auth.reauth_failed")
            .await
            .contains(&"code_reused".into())
    );
}

#[tokio::test]
async fn a_recovery_code_works_once() {
    let app = spawn_app_with(&[ADMINS_NEED_MFA]).await;
    let enrolled = enrol_at_sign_in(&app, &ADMIN).await;
    let first = &enrolled.recovery_codes[0];

    let pending = challenge(&app, &ADMIN).await;
    // Typed in lower case with spaces: still the same code.
    let typed = first.to_lowercase().replace('-', " ");
    let used = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": pending["mfa_token"], "recovery_code": typed }),
    )
    .await;
    assert_eq!(used.status(), StatusCode::OK);

    let pending = challenge(&app, &ADMIN).await;
    let again = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": pending["mfa_token"], "recovery_code": first }),
    )
    .await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    let other = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": pending["mfa_token"], "recovery_code": enrolled.recovery_codes[1] }),
    )
    .await;
    assert_eq!(other.status(), StatusCode::OK);
    let both = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": challenge(&app, &ADMIN).await["mfa_token"], "code": "123456", "recovery_code": first }),
    )
    .await;
    assert_eq!(both.status(), StatusCode::BAD_REQUEST);
    assert!(
        reasons(&app, "auth.mfa")
            .await
            .contains(&"recovery_code".into())
    );
    assert!(
        reasons(&app, "auth.mfa_failed")
            .await
            .contains(&"wrong_recovery_code".into())
    );
    drop(enrolled.session);
}

#[tokio::test]
async fn wrong_codes_are_limited_per_account_and_audited() {
    let app = spawn_app_with(&[ADMINS_NEED_MFA, ("LOGIN_MAX_FAILURES", "3")]).await;
    let enrolled = enrol_at_sign_in(&app, &ADMIN).await;
    let pending = challenge(&app, &ADMIN).await;
    let token = pending["mfa_token"].as_str().unwrap();
    for _ in 0..3 {
        let wrong = post_json(
            &app,
            "/api/auth/mfa",
            json!({ "mfa_token": token, "code": "000000" }),
        )
        .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right code is refused now, and a new challenge does not help.
    let fresh = challenge(&app, &ADMIN).await;
    let limited = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": fresh["mfa_token"], "code": code(&enrolled.secret, enrolled.used_step + 1) }),
    )
    .await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(
        error_code(limited, StatusCode::TOO_MANY_REQUESTS).await,
        "rate_limited"
    );
    let limited = post_json(
        &app,
        "/api/auth/mfa",
        json!({ "mfa_token": fresh["mfa_token"], "recovery_code": enrolled.recovery_codes[0] }),
    )
    .await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let failures = reasons(&app, "auth.mfa_failed").await;
    assert_eq!(failures.iter().filter(|r| *r == "wrong_code").count(), 3);
    assert!(failures.contains(&"rate_limited".into()));
}

#[tokio::test]
async fn an_admin_resets_a_users_authenticator_and_their_sessions_end() {
    let app = spawn_app_with(&[ADMINS_NEED_MFA, ("REAUTH_WINDOW", "4s")]).await;
    let admin = enrol_at_sign_in(&app, &ADMIN).await;
    let doctor = app.login(&DOCTOR).await;
    let (secret, used) = enrol_signed_in(&app, &doctor, 0).await;
    // A doctor with an authenticator needs it to sign in.
    let pending = challenge(&app, &DOCTOR).await;
    let doctor = session_of(
        &json_of(
            post_json(
                &app,
                "/api/auth/mfa",
                json!({ "mfa_token": pending["mfa_token"], "code": code(&secret, used + 1) }),
            )
            .await,
            StatusCode::OK,
        )
        .await,
    );
    // Only administrators reset, and a doctor cannot enrol twice.
    let path = format!("/api/admin/users/{}/mfa/reset", doctor.user_id);
    assert_eq!(
        app.post(&path, &doctor, json!({})).await.status(),
        StatusCode::FORBIDDEN
    );
    let twice = app.post("/api/auth/mfa/enroll", &doctor, json!({})).await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);

    // A reset is a step-up action: after the window, confirm first.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let stale = app.post(&path, &admin.session, json!({})).await;
    assert_eq!(
        error_code(stale, StatusCode::FORBIDDEN).await,
        "reauth_required"
    );
    let confirmed = app
        .post(
            "/api/auth/reauth",
            &admin.session,
            json!({ "password": PASSWORD }),
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::NO_CONTENT);
    let reset = app.post(&path, &admin.session, json!({})).await;
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);

    assert_eq!(
        app.get("/api/auth/me", &doctor).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Optional for doctors: the next sign-in is by password alone again.
    let doctor = app.login(&DOCTOR).await;
    assert_eq!(
        app.get("/api/auth/me", &doctor).await.status(),
        StatusCode::OK
    );
    let resets = reasons(&app, "auth.mfa_reset").await;
    assert!(resets.iter().any(|r| r.contains("reset")), "{resets:?}");
    let rows = app.audit_rows().await;
    assert!(rows.iter().any(|r| r.action == "auth.mfa_reset"
        && r.outcome == "denied"
        && r.reason_code.as_deref() == Some("reauth_required")));
}

#[tokio::test]
async fn break_glass_needs_a_fresh_sign_in_or_re_authentication() {
    let app = spawn_app_with(&[("REAUTH_WINDOW", "4s")]).await;
    let ward = ward(&app).await;
    let nurse = app.login(&NURSE2).await;
    let ask = json!({
        "patient_id": ward.patient_id,
        "reason_category": "emergency_treatment",
        "reason": "Patient arrived unconscious in the emergency department; need allergies.",
    });

    tokio::time::sleep(Duration::from_secs(5)).await;
    let stale = app
        .post("/api/emergency/request", &nurse, ask.clone())
        .await;
    assert_eq!(
        error_code(stale, StatusCode::FORBIDDEN).await,
        "reauth_required"
    );

    let wrong = app
        .post(
            "/api/auth/reauth",
            &nurse,
            json!({ "password": "not the password" }),
        )
        .await;
    assert_eq!(error_code(wrong, StatusCode::FORBIDDEN).await, "forbidden");
    let nothing = app.post("/api/auth/reauth", &nurse, json!({})).await;
    assert_eq!(nothing.status(), StatusCode::BAD_REQUEST);
    let ok = app
        .post("/api/auth/reauth", &nurse, json!({ "password": PASSWORD }))
        .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    let requested = json_of(
        app.post("/api/emergency/request", &nurse, ask).await,
        StatusCode::CREATED,
    )
    .await;
    let activate = format!(
        "/api/emergency/activate/{}",
        requested["access_token"].as_str().unwrap()
    );

    // Activation is a step-up action too; an authenticator code also confirms.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let stale = app.post(&activate, &nurse, json!({})).await;
    assert_eq!(
        error_code(stale, StatusCode::FORBIDDEN).await,
        "reauth_required"
    );
    let (secret, used) = enrol_signed_in(&app, &nurse, 0).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let ok = app
        .post(
            "/api/auth/reauth",
            &nurse,
            json!({ "code": code(&secret, used + 1) }),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.post(&activate, &nurse, json!({})).await.status(),
        StatusCode::OK
    );

    let rows = app.audit_rows().await;
    let refused: Vec<_> = rows
        .iter()
        .filter(|r| r.reason_code.as_deref() == Some("reauth_required"))
        .map(|r| (r.action.as_str(), r.outcome.as_str()))
        .collect();
    assert!(
        refused.contains(&("emergency.request", "denied")),
        "{refused:?}"
    );
    assert!(
        refused.contains(&("emergency.activate", "denied")),
        "{refused:?}"
    );
    let reauths = reasons(&app, "auth.reauth").await;
    assert!(reauths.contains(&"password".into()) && reauths.contains(&"totp".into()));
    assert!(
        reasons(&app, "auth.reauth_failed")
            .await
            .contains(&"bad_password".into())
    );
}

#[tokio::test]
async fn a_role_change_needs_a_fresh_sign_in_but_a_name_change_does_not() {
    let app = spawn_app_with(&[("REAUTH_WINDOW", "4s")]).await;
    // The doctor signs in first: a slow password check on a busy machine
    // must not eat into the administrator's window.
    let doctor = app.login(&DOCTOR).await;
    let admin = app.login(&ADMIN).await;
    let path = format!("/api/admin/users/{}", doctor.user_id);
    // Signing in counts as fresh.
    let changed = app.put(&path, &admin, json!({ "role": "nurse" })).await;
    assert_eq!(changed.status(), StatusCode::OK);

    tokio::time::sleep(Duration::from_secs(5)).await;
    let stale = app.put(&path, &admin, json!({ "role": "doctor" })).await;
    assert_eq!(
        error_code(stale, StatusCode::FORBIDDEN).await,
        "reauth_required"
    );
    let renamed = app
        .put(&path, &admin, json!({ "name": "Dr Renamed" }))
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let same_role = app.put(&path, &admin, json!({ "role": "nurse" })).await;
    assert_eq!(same_role.status(), StatusCode::OK);

    let ok = app
        .post("/api/auth/reauth", &admin, json!({ "password": PASSWORD }))
        .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    let changed = app.put(&path, &admin, json!({ "role": "doctor" })).await;
    assert_eq!(json_of(changed, StatusCode::OK).await["role"], "doctor");
    let rows = app.audit_rows().await;
    assert!(rows.iter().any(|r| r.action == "user.update"
        && r.outcome == "denied"
        && r.reason_code.as_deref() == Some("reauth_required")));
}

#[tokio::test]
async fn the_command_line_resets_a_lost_authenticator() {
    let app = spawn_app_with(&[ADMINS_NEED_MFA]).await;
    let enrolled = enrol_at_sign_in(&app, &ADMIN).await;
    assert_eq!(challenge(&app, &ADMIN).await["enrollment_required"], false);

    let out = app.cli(&["user", "reset-mfa", "--email", ADMIN.email]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The refresh session is over, and the next sign-in sets up a new one.
    let refresh = app
        .http
        .post(app.url("/api/auth/refresh"))
        .json(&json!({ "refresh_token": enrolled.session.refresh_token }))
        .send()
        .await
        .unwrap();
    assert_eq!(refresh.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&app, &ADMIN).await["enrollment_required"], true);
    assert!(
        reasons(&app, "auth.mfa_reset")
            .await
            .contains(&"reset".into())
    );
    let unknown = app.cli(&["user", "reset-mfa", "--email", "nobody@hospital.test"]);
    assert!(!unknown.status.success());
}
