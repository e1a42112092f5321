//! Behaviour every response shares: headers, request ids, error shape,
//! body limits, and the operational endpoints.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn every_response_carries_the_security_headers_and_a_request_id() {
    let app = spawn_app().await;

    let api = app.http.get(app.url("/api/patients")).send().await.unwrap();
    let health = app.http.get(app.url("/healthz")).send().await.unwrap();

    for response in [&api, &health] {
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("script-src 'self' 'unsafe-inline'")
        );
        assert!(headers.contains_key("x-request-id"));
        assert!(!headers.contains_key("access-control-allow-origin"));
    }
    assert_eq!(api.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn a_short_plain_request_id_is_echoed_and_anything_else_replaced() {
    let app = spawn_app().await;

    let plain = app
        .http
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-123")
        .send()
        .await
        .unwrap();
    let hostile = app
        .http
        .get(app.url("/healthz"))
        .header("x-request-id", "a\"b<script>")
        .send()
        .await
        .unwrap();

    assert_eq!(plain.headers()["x-request-id"], "trace-123");
    let replaced = hostile.headers()["x-request-id"].to_str().unwrap();
    assert!(
        replaced.chars().all(|c| c.is_ascii_alphanumeric()),
        "{replaced}"
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    let huge = format!(
        "{{\"email\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(2 * 1024 * 1024)
    );

    let response = app
        .http
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    let health = app.http.get(app.url("/healthz")).send().await.unwrap();

    assert_eq!(
        error_code(response, StatusCode::PAYLOAD_TOO_LARGE).await,
        "payload_too_large"
    );
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_api_routes_and_wrong_methods_answer_in_the_contract_shape() {
    let app = spawn_app().await;

    let unknown = app
        .http
        .get(app.url("/api/nothing-here"))
        .send()
        .await
        .unwrap();
    let method = app
        .http
        .delete(app.url("/api/auth/login"))
        .send()
        .await
        .unwrap();
    let not_json = app
        .http
        .post(app.url("/api/auth/login"))
        .body("email=a")
        .send()
        .await
        .unwrap();
    let broken_json = app
        .http
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\":")
        .send()
        .await
        .unwrap();

    assert_eq!(
        error_code(unknown, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    assert_eq!(method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(method.text().await.unwrap().contains("\"request_id\""));
    assert_eq!(
        error_code(not_json, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
    assert_eq!(
        error_code(broken_json, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
}

#[tokio::test]
async fn health_and_readiness_answer_without_authentication() {
    let app = spawn_app().await;

    let health = json_of(
        app.http.get(app.url("/healthz")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    let ready = json_of(
        app.http.get(app.url("/readyz")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;

    assert_eq!(health["status"], "ok");
    assert_eq!(ready["database"], true);
}

#[test]
fn production_refuses_to_start_without_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(binary())
        .arg("serve")
        .current_dir(dir.path())
        .env("ENVIRONMENT", "production")
        .env("TRUSTED_PROXIES", "127.0.0.1")
        .env("PHI_ENCRYPTION_KEY", PHI_KEY)
        .env_remove("JWT_SECRET")
        .output()
        .unwrap();

    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("JWT_SECRET"));
}
