//! Access tokens: every malformed, expired, forged or mis-addressed token
//! is refused with 401, and each refusal is audited.

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn claims(user_id: i64, role: &str) -> Value {
    let now = now();
    json!({
        "sub": user_id.to_string(), "role": role, "sid": "forged-session", "jti": "forged-jti",
        "iat": now, "nbf": now, "exp": now + 600, "iss": JWT_ISSUER, "aud": JWT_AUDIENCE,
    })
}

fn sign(claims: &Value, secret: &str, kid: Option<&str>) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid.map(str::to_string);
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn unsigned(claims: &Value) -> String {
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = engine.encode(br#"{"alg":"none","typ":"JWT","kid":"k1"}"#);
    format!("{header}.{}.", engine.encode(claims.to_string()))
}

#[tokio::test]
async fn a_well_formed_token_signed_with_the_server_key_is_accepted() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;

    let token = sign(&claims(doctor.user_id, "doctor"), JWT_SECRET, Some("k1"));
    let response = app.get_with_token("/api/patients", &token).await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn missing_malformed_expired_forged_and_unsigned_tokens_are_refused() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;
    let id = doctor.user_id;
    let with = |changes: Value| {
        let mut c = claims(id, "doctor");
        for (key, value) in changes.as_object().unwrap() {
            if value.is_null() {
                c.as_object_mut().unwrap().remove(key);
            } else {
                c[key] = value.clone();
            }
        }
        sign(&c, JWT_SECRET, Some("k1"))
    };
    let cases: Vec<(&str, Option<String>)> = vec![
        ("missing", None),
        ("malformed", Some("not-a-jwt".into())),
        (
            "expired",
            Some(with(
                json!({ "exp": now() - 60, "iat": now() - 1000, "nbf": now() - 1000 }),
            )),
        ),
        ("not yet valid", Some(with(json!({ "nbf": now() + 600 })))),
        (
            "wrong signature",
            Some(sign(
                &claims(id, "doctor"),
                "another-secret-entirely-0123456789abcdef",
                Some("k1"),
            )),
        ),
        ("alg none", Some(unsigned(&claims(id, "doctor")))),
        (
            "unknown kid",
            Some(sign(&claims(id, "doctor"), JWT_SECRET, Some("attacker"))),
        ),
        (
            "no kid",
            Some(sign(&claims(id, "doctor"), JWT_SECRET, None)),
        ),
        ("wrong issuer", Some(with(json!({ "iss": "someone-else" })))),
        (
            "wrong audience",
            Some(with(json!({ "aud": "another-api" }))),
        ),
        ("missing sid", Some(with(json!({ "sid": null })))),
        ("missing exp", Some(with(json!({ "exp": null })))),
        (
            "exp as string",
            Some(with(json!({ "exp": (now() + 600).to_string() }))),
        ),
        ("sub as number", Some(with(json!({ "sub": id })))),
        ("role escalation", Some(with(json!({ "role": "admin" })))),
        ("unknown role", Some(with(json!({ "role": "superuser" })))),
    ];

    let audit_before = app.audit_rows().await.len();
    for (case, token) in &cases {
        let mut request = app.http.get(app.url("/api/patients"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(
            error_code(response, StatusCode::UNAUTHORIZED).await,
            "unauthorized",
            "case: {case}"
        );
    }

    let rows = app.audit_rows().await;
    let rejections: Vec<_> = rows[audit_before..]
        .iter()
        .filter(|r| r.action == "auth.token_rejected")
        .collect();
    assert_eq!(rejections.len(), cases.len());
    assert!(
        rejections
            .iter()
            .all(|r| r.outcome == "denied" && r.reason_code.is_some())
    );
}

#[tokio::test]
async fn a_bearer_scheme_other_than_bearer_is_refused() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;

    let response = app
        .http
        .get(app.url("/api/patients"))
        .header("authorization", format!("Basic {}", doctor.token))
        .send()
        .await
        .unwrap();

    assert_eq!(
        error_code(response, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );
}
