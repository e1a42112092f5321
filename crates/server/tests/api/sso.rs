//! Single sign-on against a real OpenID provider on loopback: the whole
//! authorization code flow with PKCE, driven as a browser would, and each
//! way a callback must be refused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::oidc_provider::*;

/// A server configured for the test provider, plus `extra` settings.
async fn spawn_sso_app(provider: &TestProvider, extra: &[(&'static str, &str)]) -> TestApp {
    let mut env = sso_env(provider);
    env.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    spawn_app_with(&pairs).await
}

/// Starts a flow and signs in at the provider as `login`.
async fn through_provider(
    app: &TestApp,
    login: &str,
    return_to: Option<&str>,
) -> (Started, Callback) {
    let browser = Browser::new();
    let started = browser.start(app, return_to).await;
    let callback = browser
        .sign_in_at_provider(&started.authorize_url, login)
        .await;
    (started, callback)
}

/// The audit rows of one action, oldest first.
async fn rows_of(
    app: &TestApp,
    action: &str,
) -> Vec<healthsecure::store::entities::audit_log::Model> {
    app.audit_rows()
        .await
        .into_iter()
        .filter(|r| r.action == action)
        .collect()
}

/// The reason codes of every refused sign-on, oldest first.
async fn rejection_reasons(app: &TestApp) -> Vec<String> {
    rows_of(app, "auth.sso_rejected")
        .await
        .into_iter()
        .map(|r| r.reason_code.unwrap_or_default())
        .collect()
}

/// Exchanges the refresh cookie for a session and reads the profile.
async fn session_from_cookie(app: &TestApp, refresh_cookie: &str) -> (Value, Value) {
    let pair = refresh_cookie.split(';').next().unwrap();
    let response = app
        .http
        .post(app.url("/api/auth/refresh"))
        .header("cookie", pair)
        .send()
        .await
        .unwrap();
    let session = json_of(response, StatusCode::OK).await;
    let token = session["access_token"].as_str().unwrap();
    let me = json_of(
        app.get_with_token("/api/auth/me", token).await,
        StatusCode::OK,
    )
    .await;
    (session, me)
}

#[tokio::test]
async fn the_sign_in_page_lists_configured_providers_by_id_and_name() {
    let unconfigured = spawn_app().await;
    let configured = spawn_app_with(&[
        ("OIDC_ACME_ISSUER", "http://127.0.0.1:9"),
        ("OIDC_ACME_CLIENT_ID", "hs"),
        ("OIDC_ACME_CLIENT_SECRET", "acme-client-secret"),
        (
            "OIDC_ACME_REDIRECT_URL",
            "http://127.0.0.1:9/api/auth/oidc/acme/callback",
        ),
        ("OIDC_ACME_NAME", "Acme staff login"),
    ])
    .await;

    let none = unconfigured
        .http
        .get(unconfigured.url("/api/auth/providers"))
        .send()
        .await
        .unwrap();
    let one = configured
        .http
        .get(configured.url("/api/auth/providers"))
        .send()
        .await
        .unwrap();

    assert_eq!(json_of(none, StatusCode::OK).await, json!([]));
    assert_eq!(
        json_of(one, StatusCode::OK).await,
        json!([{ "id": "acme", "name": "Acme staff login" }])
    );
}

#[tokio::test]
async fn a_provider_that_cannot_be_reached_refuses_sso_but_not_password_sign_in() {
    let app = spawn_app_with(&[
        ("OIDC_ACME_ISSUER", "http://127.0.0.1:9"),
        ("OIDC_ACME_CLIENT_ID", "hs"),
        ("OIDC_ACME_CLIENT_SECRET", "acme-client-secret"),
        (
            "OIDC_ACME_REDIRECT_URL",
            "http://127.0.0.1:9/api/auth/oidc/acme/callback",
        ),
    ])
    .await;

    let start = app
        .http
        .get(app.url("/api/auth/oidc/acme/login"))
        .send()
        .await
        .unwrap();
    let unknown = app
        .http
        .get(app.url("/api/auth/oidc/nobody/login"))
        .send()
        .await
        .unwrap();

    assert_eq!(
        error_code(start, StatusCode::SERVICE_UNAVAILABLE).await,
        "unavailable"
    );
    assert_eq!(
        error_code(unknown, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    assert_eq!(
        app.login_raw(DOCTOR.email, PASSWORD).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        rejection_reasons(&app).await,
        vec!["provider_unavailable", "unknown_provider"]
    );
}

#[tokio::test]
async fn a_doctor_signs_in_through_the_provider_and_holds_the_same_session_as_after_a_password_login()
 {
    let Some(provider) = provider("sso_sign_in") else {
        return;
    };
    let app = spawn_sso_app(provider, &[]).await;
    let browser = Browser::new();

    let started = browser.start(&app, Some("/patients?page=2")).await;
    let callback = browser
        .sign_in_at_provider(&started.authorize_url, DOCTOR_LOGIN)
        .await;
    let response = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;

    // The request to the provider: code flow, PKCE S256, state and nonce.
    let auth = &started.authorize_url;
    assert!(
        auth.as_str()
            .starts_with(&format!("{}/auth?", provider.issuer))
    );
    assert_eq!(started.param("response_type").as_deref(), Some("code"));
    assert_eq!(
        started.param("code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(started.param("code_challenge").map(|c| c.len()), Some(43));
    assert!(started.param("state").is_some_and(|s| s.len() >= 16));
    assert!(started.param("nonce").is_some_and(|s| s.len() >= 16));
    assert_eq!(started.param("client_id").as_deref(), Some(CLIENT_ID));
    let scope = started.param("scope").unwrap();
    for wanted in ["openid", "email", "profile"] {
        assert!(
            scope.split(' ').any(|s| s == wanted),
            "scope lacks {wanted}: {scope}"
        );
    }
    for attribute in [
        "HttpOnly",
        "Secure",
        "SameSite=Lax",
        "Path=/api/auth/oidc",
        "Max-Age=600",
    ] {
        assert!(
            started.set_cookie.contains(attribute),
            "flow cookie lacks {attribute}"
        );
    }
    // The callback: back to the page asked for, with the refresh cookie.
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["location"], "/patients?page=2");
    let cookies = set_cookies(&response);
    let refresh = cookie_named(&cookies, "hs_refresh").expect("a refresh cookie");
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/auth"] {
        assert!(
            refresh.contains(attribute),
            "refresh cookie lacks {attribute}: {refresh}"
        );
    }
    let cleared = cookie_named(&cookies, "hs_oidc").expect("the flow cookie is cleared");
    assert!(cleared.contains("Max-Age=0"));
    // The cookie is a session like any other: refresh, then act as the doctor.
    let (session, me) = session_from_cookie(&app, &refresh).await;
    assert_eq!(session["token_type"], "Bearer");
    assert_eq!(me["email"], DOCTOR.email);
    assert_eq!(me["role"], "doctor");
    // Audited, linked on this first sign-in, and no secret in any row.
    let logins = rows_of(&app, "auth.sso_login").await;
    assert_eq!(logins.len(), 1);
    assert_eq!(logins[0].outcome, "allowed");
    assert_eq!(logins[0].user_id, me["id"].as_i64());
    assert_eq!(logins[0].role.as_deref(), Some("doctor"));
    assert_eq!(logins[0].reason_code.as_deref(), Some("identity_linked"));
    assert_eq!(rows_of(&app, "auth.sso_start").await.len(), 1);
    let code = callback.param("code").unwrap();
    let state = started.param("state").unwrap();
    let nonce = started.param("nonce").unwrap();
    let everything = format!("{:?}\n{}", app.audit_rows().await, app.logs());
    for secret in [&code, &state, &nonce, &started.flow_cookie] {
        assert!(
            !everything.contains(secret.as_str()),
            "a flow secret reached the audit trail or logs"
        );
    }
}

#[tokio::test]
async fn a_linked_identity_signs_in_again_without_relinking_and_email_case_does_not_matter() {
    let Some(provider) = provider("sso_relink") else {
        return;
    };
    let app = spawn_sso_app(provider, &[]).await;

    for _ in 0..2 {
        let (started, callback) = through_provider(&app, DOCTOR2_LOGIN, None).await;
        let response = app
            .sso_callback(&callback, Some(&started.flow_cookie))
            .await;
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(response.headers()["location"], "/");
    }

    let logins = rows_of(&app, "auth.sso_login").await;
    let reasons: Vec<_> = logins.iter().map(|r| r.reason_code.clone()).collect();
    assert_eq!(reasons, vec![Some("identity_linked".to_string()), None]);
    assert_eq!(logins[0].user_id, logins[1].user_id);
}

#[tokio::test]
async fn a_wrong_state_is_refused_audited_and_leaves_the_real_flow_usable() {
    let Some(provider) = provider("sso_wrong_state") else {
        return;
    };
    let app = spawn_sso_app(provider, &[]).await;
    let (started, callback) = through_provider(&app, DOCTOR_LOGIN, None).await;

    let forged = callback.with("state", Some("not-the-state-we-sent"));
    let refused = app.sso_callback(&forged, Some(&started.flow_cookie)).await;
    assert!(cookie_named(&set_cookies(&refused), "hs_refresh").is_none());
    assert_eq!(
        error_code(refused, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    let genuine = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;

    assert_eq!(genuine.status(), StatusCode::FOUND);
    assert!(cookie_named(&set_cookies(&genuine), "hs_refresh").is_some());
    assert_eq!(rejection_reasons(&app).await, vec!["state_mismatch"]);
}

#[tokio::test]
async fn a_callback_without_state_or_without_the_flow_cookie_is_refused_and_audited() {
    let Some(provider) = provider("sso_missing_state") else {
        return;
    };
    let app = spawn_sso_app(provider, &[]).await;
    let (started, callback) = through_provider(&app, DOCTOR_LOGIN, None).await;

    let no_state = app
        .sso_callback(&callback.with("state", None), Some(&started.flow_cookie))
        .await;
    let no_cookie = app.sso_callback(&callback, None).await;

    assert_eq!(
        error_code(no_state, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(
        error_code(no_cookie, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(
        rejection_reasons(&app).await,
        vec!["missing_state", "missing_flow_cookie"]
    );
}

#[tokio::test]
async fn a_replayed_callback_is_refused_and_audited() {
    let Some(provider) = provider("sso_replay") else {
        return;
    };
    let app = spawn_sso_app(provider, &[]).await;
    let (started, callback) = through_provider(&app, DOCTOR_LOGIN, None).await;

    let first = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;
    let replay = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;

    assert_eq!(first.status(), StatusCode::FOUND);
    assert!(cookie_named(&set_cookies(&replay), "hs_refresh").is_none());
    assert_eq!(
        error_code(replay, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(rejection_reasons(&app).await, vec!["state_reused"]);
    assert_eq!(rows_of(&app, "auth.sso_login").await.len(), 1);
}

#[tokio::test]
async fn swapped_flows_are_refused_and_audited() {
    let Some(provider) = provider("sso_swapped") else {
        return;
    };
    let app = spawn_sso_app(provider, &[]).await;
    // Flow A is the victim's, signed in at the provider; flow B is another
    // browser's, which never got that far.
    let (_, callback_a) = through_provider(&app, DOCTOR_LOGIN, None).await;
    let flow_b = Browser::new().start(&app, None).await;

    // A's code and state presented with B's browser cookie.
    let swapped = app
        .sso_callback(&callback_a, Some(&flow_b.flow_cookie))
        .await;
    // A's code injected into B's flow (B's state and cookie): PKCE stops it,
    // because B's verifier does not match the challenge A's code was issued for.
    let injected = callback_a.with("state", flow_b.param("state").as_deref());
    let injected = app.sso_callback(&injected, Some(&flow_b.flow_cookie)).await;

    assert_eq!(
        error_code(swapped, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(
        error_code(injected, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(
        rejection_reasons(&app).await,
        vec!["state_mismatch", "code_refused"]
    );
    assert!(rows_of(&app, "auth.sso_login").await.is_empty());
}

#[tokio::test]
async fn a_return_to_outside_this_site_or_altered_in_the_cookie_is_refused_and_audited() {
    let Some(provider) = provider("sso_return_to") else {
        return;
    };
    let app = spawn_sso_app(provider, &[]).await;
    let browser = Browser::new();

    for hostile in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
    ] {
        let response = browser.start_raw(&app, Some(hostile)).await;
        assert_eq!(
            error_code(response, StatusCode::BAD_REQUEST).await,
            "validation_failed",
            "{hostile:?}"
        );
    }
    // A flow cookie whose return_to was changed no longer carries a valid seal.
    let (started, callback) = through_provider(&app, DOCTOR_LOGIN, Some("/patients")).await;
    let tampered = tamper_return_to(&started.flow_cookie, "//evil.example/");
    let response = app.sso_callback(&callback, Some(&tampered)).await;

    assert_eq!(
        error_code(response, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(
        rejection_reasons(&app).await,
        vec![
            "invalid_return_to",
            "invalid_return_to",
            "invalid_return_to",
            "invalid_return_to",
            "invalid_flow_cookie"
        ]
    );
    assert!(rows_of(&app, "auth.sso_login").await.is_empty());
}

/// Rewrites the return path inside a sealed flow cookie, keeping the seal.
fn tamper_return_to(flow_cookie: &str, return_to: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let (name, sealed) = flow_cookie.split_once('=').unwrap();
    let (body, tag) = sealed.split_once('.').unwrap();
    let mut flow: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).unwrap()).unwrap();
    flow["r"] = json!(return_to);
    let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&flow).unwrap());
    format!("{name}={body}.{tag}")
}

#[tokio::test]
async fn an_unknown_identity_is_sent_back_to_the_sign_in_page_and_audited() {
    let Some(provider) = provider("sso_unknown") else {
        return;
    };
    let app = spawn_sso_app(provider, &[]).await;

    let (started, callback) = through_provider(&app, STRANGER_LOGIN, None).await;
    let stranger = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;
    // Someone claiming the doctor's address without the provider vouching for it.
    let (started, callback) = through_provider(&app, IMPOSTOR_LOGIN, None).await;
    let impostor = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;

    for response in [&stranger, &impostor] {
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(
            response.headers()["location"],
            "/sign-in?sso_error=not_permitted"
        );
        assert!(cookie_named(&set_cookies(response), "hs_refresh").is_none());
    }
    let rows = rows_of(&app, "auth.sso_rejected").await;
    let reasons: Vec<_> = rows
        .iter()
        .map(|r| r.reason_code.clone().unwrap())
        .collect();
    assert_eq!(reasons, vec!["unknown_user", "email_not_verified"]);
    assert!(
        rows.iter()
            .all(|r| r.user_id.is_none() && r.outcome == "denied")
    );
    let stranger_row = rows[0].reason.clone().unwrap();
    assert!(stranger_row.contains("provider=test"), "{stranger_row}");
    assert!(
        stranger_row.contains("email=stranger@elsewhere.test"),
        "{stranger_row}"
    );
    assert!(rows_of(&app, "auth.sso_login").await.is_empty());
}

#[tokio::test]
async fn a_deactivated_user_cannot_sign_in_by_sso_linked_or_not() {
    let Some(provider) = provider("sso_deactivated") else {
        return;
    };
    let app = spawn_sso_app(provider, &[]).await;
    let admin = app.login(&ADMIN).await;
    let nurse = app.login(&NURSE).await;
    let nurse2 = app.login(&NURSE2).await;
    // The nurse links the identity first; nurse 2 never signs in by SSO.
    let (started, callback) = through_provider(&app, NURSE_LOGIN, None).await;
    let linked = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;
    assert_eq!(linked.status(), StatusCode::FOUND);
    for user in [&nurse, &nurse2] {
        let path = format!("/api/admin/users/{}/deactivate", user.user_id);
        assert_eq!(
            app.post(&path, &admin, json!({})).await.status(),
            StatusCode::OK
        );
    }

    let mut refused = Vec::new();
    for login in [NURSE_LOGIN, NURSE2_LOGIN] {
        let (started, callback) = through_provider(&app, login, None).await;
        refused.push(
            app.sso_callback(&callback, Some(&started.flow_cookie))
                .await,
        );
    }

    for response in &refused {
        assert_eq!(
            response.headers()["location"],
            "/sign-in?sso_error=not_permitted"
        );
        assert!(cookie_named(&set_cookies(response), "hs_refresh").is_none());
    }
    let rows = rows_of(&app, "auth.sso_rejected").await;
    let refusals: Vec<_> = rows
        .iter()
        .map(|r| (r.reason_code.clone().unwrap(), r.user_id))
        .collect();
    assert_eq!(
        refusals,
        vec![
            ("inactive_user".to_string(), Some(nurse.user_id)),
            ("inactive_user".to_string(), Some(nurse2.user_id)),
        ]
    );
}

#[tokio::test]
async fn an_id_token_for_another_nonce_is_refused_and_audited() {
    let Some(provider) = provider("sso_nonce") else {
        return;
    };
    let app = spawn_sso_app(provider, &[]).await;
    let browser = Browser::new();
    let started = browser.start(&app, None).await;
    // The request reaching the provider carries another nonce than the one
    // this browser's flow expects, as an injected authorization request would.
    let mut altered = started.authorize_url.clone();
    let pairs: Vec<(String, String)> = altered
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "nonce" {
                "someone-elses-nonce".into()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    altered.query_pairs_mut().clear().extend_pairs(&pairs);

    let callback = browser.sign_in_at_provider(&altered, DOCTOR_LOGIN).await;
    let response = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;

    assert_eq!(
        error_code(response, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(rejection_reasons(&app).await, vec!["nonce_mismatch"]);
}

#[tokio::test]
async fn an_error_from_the_provider_returns_to_the_sign_in_page_and_is_audited() {
    let Some(provider) = provider("sso_provider_error") else {
        return;
    };
    let app = spawn_sso_app(provider, &[]).await;
    let browser = Browser::new();
    let started = browser.start(&app, None).await;

    let callback = browser.cancel_at_provider(&started.authorize_url).await;
    let response = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;

    assert_eq!(callback.param("error").as_deref(), Some("access_denied"));
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        response.headers()["location"],
        "/sign-in?sso_error=provider_error"
    );
    let rows = rows_of(&app, "auth.sso_rejected").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].reason_code.as_deref(), Some("provider_error"));
    assert!(
        rows[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("error=access_denied")
    );
}

#[tokio::test]
async fn the_group_mapping_confirms_an_account_role_but_never_grants_one() {
    let Some(provider) = provider("sso_role_map") else {
        return;
    };
    let app = spawn_sso_app(
        provider,
        &[
            ("OIDC_TEST_SCOPES", "groups"),
            ("OIDC_TEST_ROLE_MAP", "clinicians:doctor,ward-7:nurse"),
        ],
    )
    .await;

    // The doctor's groups map to doctor: signed in as the doctor.
    let (started, callback) = through_provider(&app, DOCTOR_LOGIN, None).await;
    let doctor = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;
    // The nurse is in a group that maps to doctor: refused, not promoted.
    let (started, callback) = through_provider(&app, NURSE_LOGIN, None).await;
    let nurse = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;

    assert_eq!(
        started.param("scope").unwrap(),
        "openid email profile groups"
    );
    assert_eq!(doctor.headers()["location"], "/");
    let refresh = cookie_named(&set_cookies(&doctor), "hs_refresh").unwrap();
    assert_eq!(
        session_from_cookie(&app, &refresh).await.1["role"],
        "doctor"
    );
    assert_eq!(
        nurse.headers()["location"],
        "/sign-in?sso_error=not_permitted"
    );
    assert_eq!(rejection_reasons(&app).await, vec!["role_not_confirmed"]);
    let nurse_me = app.login(&NURSE).await;
    let me = json_of(app.get("/api/auth/me", &nurse_me).await, StatusCode::OK).await;
    assert_eq!(me["role"], "nurse");
}

#[tokio::test]
async fn a_provider_required_to_show_a_second_factor_is_refused_when_its_token_does_not() {
    let Some(provider) = provider("sso_require_mfa") else {
        return;
    };
    // The test provider signs people in with a password only: its ID tokens
    // carry no `amr` naming a second factor.
    let app = spawn_sso_app(provider, &[("OIDC_TEST_REQUIRE_MFA", "true")]).await;
    let (started, callback) = through_provider(&app, DOCTOR_LOGIN, None).await;
    let refused = app
        .sso_callback(&callback, Some(&started.flow_cookie))
        .await;
    assert_eq!(
        refused.headers()["location"],
        "/sign-in?sso_error=not_permitted"
    );
    assert!(cookie_named(&set_cookies(&refused), "hs_refresh").is_none());
    assert_eq!(rejection_reasons(&app).await, vec!["second_factor_missing"]);
}
