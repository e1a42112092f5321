//! The live audit view: administrators watch rows as they are committed.

use std::time::{Duration, Instant};

use futures::StreamExt;
use reqwest::StatusCode;

use crate::helpers::*;

async fn read_until(
    stream: &mut (impl futures::Stream<Item = reqwest::Result<axum::body::Bytes>> + Unpin),
    needles: &[&str],
    within: Duration,
) -> String {
    let deadline = tokio::time::Instant::now() + within;
    let mut seen = String::new();
    while !needles.iter().all(|n| seen.contains(n)) {
        match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(Some(Ok(chunk))) => seen.push_str(&String::from_utf8_lossy(&chunk)),
            _ => break,
        }
    }
    seen
}

/// The feed shows what the instance it is connected to commits, so the
/// administrator watches every instance, as the web app would behind a load
/// balancer that spreads requests.
async fn watch(
    app: &TestApp,
    token: &str,
    path: &str,
) -> impl futures::Stream<Item = reqwest::Result<axum::body::Bytes>> + Unpin {
    let mut feeds = Vec::new();
    for url in app.urls_on_every_instance(path) {
        let feed = app.http.get(url).bearer_auth(token).send().await.unwrap();
        assert_eq!(feed.status(), StatusCode::OK);
        feeds.push(feed.bytes_stream().boxed());
    }
    futures::stream::select_all(feeds)
}

#[tokio::test]
async fn a_denial_and_a_failed_sign_in_reach_a_watching_administrator_within_a_second() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let outsider = app.login(&DOCTOR2).await;
    let mut stream = watch(&app, &ward.admin.token, "/api/audit/events").await;

    app.get(&format!("/api/patients/{}", ward.patient_id), &outsider)
        .await;
    app.login_raw(NURSE.email, "not the right one").await;
    let seen = read_until(
        &mut stream,
        &[
            "\"reason_code\":\"not_on_care_team\"",
            "\"action\":\"auth.login_failed\"",
        ],
        Duration::from_secs(1),
    )
    .await;

    assert!(seen.contains("event: audit"), "{seen}");
    assert!(
        seen.contains("\"reason_code\":\"not_on_care_team\""),
        "denial missing: {seen}"
    );
    assert!(
        seen.contains("\"action\":\"auth.login_failed\""),
        "failed sign-in missing: {seen}"
    );
}

#[tokio::test]
async fn only_administrators_may_watch_the_trail() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;

    let response = app.get("/api/audit/events", &doctor).await;

    assert_eq!(
        error_code(response, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
}

/// A client that never reads its feed must not slow anyone down: the
/// writer drops rows for it instead of waiting.
#[tokio::test]
async fn a_watcher_that_never_reads_does_not_slow_the_api() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let chart = format!("/api/patients/{}", ward.patient_id);
    let median = |mut samples: Vec<Duration>| {
        samples.sort();
        samples[samples.len() / 2]
    };
    let timed = || async {
        let mut samples = Vec::new();
        for _ in 0..60 {
            let started = Instant::now();
            assert_eq!(app.get(&chart, &ward.doctor).await.status(), StatusCode::OK);
            samples.push(started.elapsed());
        }
        samples
    };

    let baseline = median(timed().await);
    let stalled = app
        .http
        .get(app.url("/api/audit/events"))
        .bearer_auth(&ward.admin.token)
        .send()
        .await
        .unwrap();
    for _ in 0..1500 {
        app.http
            .get(app.url("/api/patients"))
            .bearer_auth("flood")
            .send()
            .await
            .unwrap();
    }
    let with_stalled = median(timed().await);
    drop(stalled);

    assert!(
        with_stalled < baseline * 3 + Duration::from_millis(20),
        "median {with_stalled:?} with a stalled watcher vs {baseline:?} without"
    );
}

/// A watcher narrowed to one patient's denials sees those and nothing else,
/// not even the allowed reads of the same chart written just before.
#[tokio::test]
async fn a_filtered_feed_passes_only_the_rows_it_asks_for() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let outsider = app.login(&DOCTOR2).await;
    let chart = format!("/api/patients/{}", ward.patient_id);
    let query = format!(
        "/api/audit/events?outcome=denied&patient_id={}",
        ward.patient_id
    );
    let mut stream = watch(&app, &ward.admin.token, &query).await;

    assert_eq!(app.get(&chart, &ward.doctor).await.status(), StatusCode::OK);
    app.login_raw(NURSE.email, "not the right one").await;
    app.get(&chart, &outsider).await;
    let seen = read_until(
        &mut stream,
        &["\"reason_code\":\"not_on_care_team\""],
        Duration::from_secs(2),
    )
    .await;

    assert!(
        seen.contains("\"reason_code\":\"not_on_care_team\""),
        "{seen}"
    );
    assert!(!seen.contains("\"outcome\":\"allowed\""), "{seen}");
    assert!(!seen.contains("auth.login_failed"), "{seen}");
}

#[tokio::test]
async fn the_feed_refuses_a_filter_it_cannot_apply() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;

    for query in ["from=2026-01-01T00:00:00Z", "outcome=maybe", "colour=red"] {
        let response = app.get(&format!("/api/audit/events?{query}"), &admin).await;
        assert_eq!(
            error_code(response, StatusCode::BAD_REQUEST).await,
            "validation_failed",
            "{query}"
        );
    }
}
