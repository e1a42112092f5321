//! The audit trail for administrators: search, export and chain
//! verification. Each use of the trail is itself audited, with the names of
//! the filters used and never their values or the query string.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::TryStreamExt;

use super::context::ClientInfo;
use super::error::{ApiError, ApiResult};
use super::extract::ApiQuery;
use super::guard::{Rule, Target, audit, guarded};
use crate::app::AppState;
use crate::audit::{
    Action, AuditEvent, AuditFilter, AuditRow, AuditSearch, ChainReport, ExportRequest, Outcome,
    Purpose, export, query, verify_chain,
};
use crate::domain::Page;
use crate::policy::{ADMINS, Caller};

pub fn router(state: &Arc<AppState>) -> Router<Arc<AppState>> {
    let admin = |action| Rule {
        roles: ADMINS,
        action: Some(action),
        target: Target::None,
    };
    Router::new()
        .route("/", guarded(state, admin(Action::AuditView), get(search)))
        .route(
            "/export",
            guarded(state, admin(Action::AuditExport), get(export_trail)),
        )
        .route(
            "/verify",
            guarded(state, admin(Action::AuditVerify), get(verify)),
        )
        .route(
            "/events",
            guarded(state, admin(Action::AuditMonitor), get(live_feed)),
        )
}

fn event(action: Action, caller: &Caller, client: &ClientInfo) -> AuditEvent {
    AuditEvent::new(action, Outcome::Allowed, client)
        .by(caller.user_id, caller.role)
        .purpose(Purpose::Operations)
}

/// Administrators: one page of the trail, filtered and sorted.
async fn search(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiQuery(params): ApiQuery<Vec<(String, String)>>,
) -> ApiResult<Json<Page<AuditRow>>> {
    let search = AuditSearch::parse(&params).map_err(ApiError::validation)?;

    let page = query::search(&state.db, &search).await?;
    audit(
        &state,
        event(Action::AuditView, &caller, &client).reason_text(&search.filter.describe()),
    )
    .await?;
    Ok(Json(page))
}

/// Administrators: the filtered trail as a CSV, NDJSON or FHIR NDJSON
/// download. The export is audited before the first byte is sent, and it
/// covers the trail up to and including its own row.
async fn export_trail(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiQuery(params): ApiQuery<Vec<(String, String)>>,
) -> ApiResult<Response> {
    let request = ExportRequest::parse(&params).map_err(ApiError::validation)?;

    let own_row = audit(
        &state,
        event(Action::AuditExport, &caller, &client).reason_text(&request.describe()),
    )
    .await?;
    let format = request.format;
    let chunks = export::stream(
        state.db.clone(),
        request,
        own_row,
        state.config.audit_source_id.clone(),
    )
    .inspect_err(|err| tracing::error!(error = %err, "audit export stopped part-way"));
    let disposition = format!(
        "attachment; filename=\"{}\"",
        format.file_name(chrono::Utc::now())
    );
    let mut response = Body::from_stream(chunks).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(ApiError::internal)?,
    );
    Ok(response)
}

/// Administrators: whether the hash chain is intact, or its first bad row.
async fn verify(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
) -> ApiResult<Json<ChainReport>> {
    let report = verify_chain(&state.db).await?;
    crate::telemetry::meters::chain_verified(report.first_bad_id.is_none());
    let mut row = event(Action::AuditVerify, &caller, &client);
    if let Some(bad) = report.first_bad_id {
        tracing::error!(first_bad_id = bad, "the audit chain is broken");
        row = row.reason_code("chain_broken");
    }
    audit(&state, row).await?;
    Ok(Json(report))
}

/// Administrators: the trail as it is written, as server-sent events
/// (`event: audit`, the row as in searches), optionally narrowed by user,
/// patient, action, outcome or emergency use. Only rows committed on this
/// instance are sent; a client that reads too slowly misses rows (and is
/// told how many) instead of holding anything up.
async fn live_feed(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiQuery(params): ApiQuery<Vec<(String, String)>>,
) -> ApiResult<
    axum::response::sse::Sse<
        impl futures::Stream<Item = Result<axum::response::sse::Event, std::convert::Infallible>>,
    >,
> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    use tokio_stream::StreamExt;
    use tokio_stream::wrappers::BroadcastStream;
    use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

    let filter = AuditFilter::parse_live(&params).map_err(ApiError::validation)?;
    let receiver = state.audit.subscribe();
    audit(
        &state,
        event(Action::AuditMonitor, &caller, &client).reason_text(&filter.describe()),
    )
    .await?;
    let stream = BroadcastStream::new(receiver).filter_map(move |item| {
        let event = match item {
            Ok(row) if !filter.matches(&row) => return None,
            Ok(row) => Event::default()
                .event("audit")
                .data(serde_json::to_string(&row).ok()?),
            Err(BroadcastStreamRecvError::Lagged(missed)) => {
                Event::default().event("lagged").data(missed.to_string())
            }
        };
        Some(Ok(event))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15))))
}
