//! Running as production runs: HTTPS served by the server itself with a
//! certificate made for the test, a graceful stop that finishes the request
//! in flight and its audit row, and the Prometheus metrics an operator
//! scrapes after a working session.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

/// A CA and a server certificate for 127.0.0.1, made with openssl.
fn make_certificates(dir: &Path) {
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=Test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        "san.ext",
        "-out",
        "server.pem",
    ]);
}

#[tokio::test]
async fn the_server_answers_over_https_with_hsts_when_given_a_certificate() {
    if !tool_present("https", "openssl", &["version"]) {
        return;
    }
    let certs = tempfile::tempdir().unwrap();
    make_certificates(certs.path());
    let cert = certs.path().join("server.pem").display().to_string();
    let key = certs.path().join("server.key").display().to_string();
    let app = spawn_app_with(&[("TLS_CERT_FILE", &cert), ("TLS_KEY_FILE", &key)]).await;
    let ca = std::fs::read(certs.path().join("ca.pem")).unwrap();
    let trusting = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .build()
        .unwrap();

    let health = trusting.get(app.url("/healthz")).send().await.unwrap();
    let login = trusting
        .post(app.url("/api/auth/login"))
        .json(&json!({ "email": DOCTOR.email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let untrusted = app.http.get(app.url("/healthz")).send().await;
    let plain = reqwest::get(app.url("/healthz").replace("https://", "http://")).await;

    assert!(app.base.starts_with("https://127.0.0.1:"), "{}", app.base);
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(
        health.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
    assert_eq!(login.status(), StatusCode::OK);
    assert!(login.headers().contains_key("strict-transport-security"));
    assert!(
        untrusted.is_err(),
        "a client without the CA must refuse the certificate"
    );
    assert!(
        plain.map_or(true, |r| !r.status().is_success()),
        "plain HTTP must not be served on the TLS port"
    );
}

#[test]
fn a_missing_certificate_stops_start_up_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(binary())
        .arg("serve")
        .current_dir(dir.path())
        .env("DATA_DIR", dir.path())
        .env("DATABASE_URL", "sqlite::memory:")
        .env("SERVER_PORT", "0")
        .env("TLS_CERT_FILE", dir.path().join("absent.pem"))
        .env("TLS_KEY_FILE", dir.path().join("absent.key"))
        .output()
        .unwrap();

    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("TLS_CERT_FILE"));
}

/// Drives a sign-in over a raw connection so the test knows the request is
/// in the handler (the server has asked for the body with `100 Continue`)
/// before the stop signal arrives.
#[tokio::test]
async fn a_stopping_server_finishes_the_request_in_flight_and_commits_its_audit_row() {
    let mut app = spawn_app().await;
    let address = app.urls_on_every_instance("")[0].replace("http://", "");
    let body = json!({ "email": NURSE.email, "password": PASSWORD }).to_string();
    let request_id = "graceful-stop-1";
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST /api/auth/login HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\nX-Request-Id: {request_id}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let mut interim = [0u8; 25];
    stream.read_exact(&mut interim).unwrap();
    assert!(interim.starts_with(b"HTTP/1.1 100 Continue"));

    app.terminate_first_instance();
    for _ in 0..500 {
        if app.first_instance_logs().contains("shutting down") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stream.write_all(body.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = app.wait_first_instance(Duration::from_secs(20));
    let refused = std::net::TcpStream::connect(&address);

    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("access_token"));
    assert!(status.success(), "exit status {status}");
    assert!(refused.is_err(), "a stopped server accepts no connection");
    let rows = app.audit_rows().await;
    assert!(
        rows.iter()
            .any(|r| r.action == "auth.login" && r.request_id.as_deref() == Some(request_id)),
        "the sign-in's audit row is committed"
    );
    assert!(
        app.first_instance_logs()
            .contains("\"message\":\"stopped\"")
    );
}

/// The sum of a metric's samples whose labels include every given pair,
/// over the texts of every instance.
fn sample(texts: &[String], name: &str, labels: &[(&str, &str)]) -> f64 {
    texts
        .iter()
        .flat_map(|text| text.lines())
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (metric, rest) = series.split_once('{').unwrap_or((series, ""));
            let matches = metric == name
                && labels
                    .iter()
                    .all(|(k, v)| rest.contains(&format!("{k}=\"{v}\"")));
            matches.then(|| value.parse::<f64>().ok()).flatten()
        })
        .sum()
}

async fn scrape(app: &TestApp) -> Vec<String> {
    let mut texts = Vec::new();
    for url in app.urls_on_every_instance("/metrics") {
        let response = app.http.get(url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        texts.push(response.text().await.unwrap());
    }
    texts
}

#[tokio::test]
async fn after_a_working_session_the_metrics_show_the_expected_counters() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES", "2"), ("LOGIN_RATE_LIMIT", "100")]).await;
    let ward = ward(&app).await;
    let outsider = app.login(&DOCTOR2).await;
    let nurse2 = app.login(&NURSE2).await;
    let chart = format!("/api/patients/{}", ward.patient_id);

    for _ in 0..3 {
        app.get(&chart, &ward.doctor).await;
    }
    app.get(&chart, &outsider).await;
    app.get_with_token("/api/patients", "not-a-token").await;
    for _ in 0..2 {
        app.login_raw(NURSE.email, "not the password at all").await;
    }
    app.login_raw(NURSE.email, PASSWORD).await;
    let grant = app
        .post(
            "/api/emergency/request",
            &nurse2,
            json!({
                "patient_id": ward.patient_id,
                "reason_category": "emergency_treatment",
                "reason": "Unconscious patient in the emergency department, no records on site"
            }),
        )
        .await;
    app.get("/api/audit/verify", &ward.admin).await;
    let texts = scrape(&app).await;
    let all = texts.concat();

    assert_eq!(grant.status(), StatusCode::CREATED);
    let reads = [
        ("route", "/api/patients/{id}"),
        ("status", "200"),
        ("method", "GET"),
    ];
    assert_eq!(
        sample(&texts, "healthsecure_http_requests_total", &reads),
        3.0
    );
    assert!(
        sample(
            &texts,
            "healthsecure_http_request_duration_seconds_count",
            &reads
        ) >= 3.0
    );
    assert_eq!(
        sample(
            &texts,
            "healthsecure_access_denied_total",
            &[("action", "patient.view")]
        ),
        1.0
    );
    assert_eq!(
        sample(
            &texts,
            "healthsecure_login_failures_total",
            &[("reason", "bad_password")]
        ),
        2.0
    );
    assert_eq!(
        sample(
            &texts,
            "healthsecure_login_failures_total",
            &[("reason", "account_locked")]
        ),
        1.0
    );
    assert_eq!(
        sample(&texts, "healthsecure_account_lockouts_total", &[]),
        1.0
    );
    assert_eq!(
        sample(&texts, "healthsecure_token_rejections_total", &[]),
        1.0
    );
    assert_eq!(
        sample(&texts, "healthsecure_emergency_grants_total", &[]),
        1.0
    );
    let instances = texts.len() as f64;
    assert_eq!(
        sample(&texts, "healthsecure_emergency_grants_active", &[]),
        instances,
        "every instance reports the one live grant"
    );
    assert_eq!(
        sample(
            &texts,
            "healthsecure_audit_chain_verifications_total",
            &[("result", "intact")]
        ),
        1.0
    );
    assert!(
        sample(
            &texts,
            "healthsecure_audit_write_duration_seconds_count",
            &[]
        ) >= 10.0
    );
    assert_eq!(
        sample(&texts, "healthsecure_audit_write_failures_total", &[]),
        0.0
    );
    assert!(all.contains("healthsecure_db_pool_connections{state=\"idle\"}"));
    assert!(all.contains("healthsecure_emergency_reviews_overdue"));
    assert!(
        !all.contains(&format!("/api/patients/{}", ward.patient_id))
            && !all.contains(&fixture_bundle().patient.last_name),
        "labels carry route templates only"
    );
}

#[tokio::test]
async fn metrics_can_live_on_a_private_address_of_their_own() {
    let app = spawn_app_with(&[("METRICS_ADDRESS", "127.0.0.1:0")]).await;

    let on_main = app.http.get(app.url("/metrics")).send().await.unwrap();
    let logs = app.logs();
    let line = logs
        .lines()
        .find(|l| l.contains("\"message\":\"metrics listening\""))
        .expect("the metrics address is logged");
    let event: serde_json::Value = serde_json::from_str(line).unwrap();
    let private = app
        .http
        .get(format!(
            "http://{}/metrics",
            event["address"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();

    assert_eq!(on_main.status(), StatusCode::NOT_FOUND);
    assert_eq!(private.status(), StatusCode::OK);
    assert!(
        private
            .text()
            .await
            .unwrap()
            .contains("healthsecure_http_requests_total")
    );
}

/// Replicas that start together against a new database all migrate it; on
/// a server engine they take turns under a lock, so none trips over a
/// table another has just created. (SQLite is one machine's file: not
/// shared by replicas.)
#[test]
fn instances_migrating_a_new_database_at_the_same_time_all_succeed() {
    if !crate::test_db::on_mariadb() {
        eprintln!(
            "SKIPPED concurrent migrations: they concern server engines (scripts/test-mariadb)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();

    let outputs: Vec<_> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..3)
            .map(|_| scope.spawn(|| cli(dir.path(), &["migrate"], None)))
            .collect();
        runs.into_iter().map(|run| run.join().unwrap()).collect()
    });
    let verify = cli(dir.path(), &["audit", "verify"], None);

    for output in outputs {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}
