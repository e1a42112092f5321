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

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
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
