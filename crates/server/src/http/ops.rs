//! Operational endpoints for load balancers and orchestrators.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::app::AppState;

/// Health and readiness, and `/metrics` unless it has an address of its own.
pub fn router(metrics_here: bool) -> Router<Arc<AppState>> {
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz));
    if metrics_here {
        router.route("/metrics", get(metrics))
    } else {
        router
    }
}

/// `/metrics` alone, for the separate `METRICS_ADDRESS` listener.
pub fn metrics_router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// Prometheus text format. Operational counts only: no PHI, no ids.
async fn metrics(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    match crate::telemetry::meters::render(&state).await {
        Some(text) => (
            StatusCode::OK,
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        None => crate::http::ApiError::NotFound("Metrics are not recorded by this process.")
            .into_response(),
    }
}

/// The process is up and serving.
async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// The database and the session store answer; until they do, take this
/// instance out of rotation.
async fn readyz(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let database = state.db.execute_unprepared("SELECT 1").await.is_ok();
    let sessions = state.sessions.ping().await;
    let ready = database && sessions;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ready { "ready" } else { "not_ready" },
        "database": database,
        "session_store": sessions,
        "session_store_kind": state.sessions.kind(),
    });
    (status, Json(body))
}
