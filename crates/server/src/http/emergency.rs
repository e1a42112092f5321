//! Break-glass routes: request and activate (clinicians), watch, revoke
//! and review (administrators).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::Stream;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::context::ClientInfo;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId};
use super::guard::{Rule, Target, audit, guarded, note_patient};
use crate::app::AppState;
use crate::audit::{Action, AuditEvent, Outcome, Purpose};
use crate::domain::emergency::{
    self, ActivationError, GrantFilter, GrantView, Justification, ReasonCategory, RequestError,
    ReviewOutcome,
};
use crate::domain::{PageRequest, optional_text};
use crate::policy::{ADMINS, ANY_ROLE, CLINICIANS, Caller};
use crate::store::entities::emergency_access;

pub fn router(state: &Arc<AppState>) -> Router<Arc<AppState>> {
    let rule = |roles, action| Rule {
        roles,
        action: Some(action),
        target: Target::None,
    };
    Router::new()
        .route(
            "/request",
            guarded(
                state,
                rule(CLINICIANS, Action::EmergencyRequest),
                post(request),
            ),
        )
        .route(
            "/activate/{token}",
            guarded(
                state,
                rule(CLINICIANS, Action::EmergencyActivate),
                post(activate),
            ),
        )
        .route(
            "/active",
            guarded(state, rule(ANY_ROLE, Action::EmergencyList), get(active)),
        )
        .route(
            "/grants",
            guarded(state, rule(ADMINS, Action::EmergencyList), get(grants)),
        )
        .route(
            "/events",
            guarded(state, rule(ADMINS, Action::EmergencyMonitor), get(events)),
        )
        .route(
            "/{id}/revoke",
            guarded(state, rule(ADMINS, Action::EmergencyRevoke), post(revoke)),
        )
        .route(
            "/{id}/review",
            guarded(state, rule(ADMINS, Action::EmergencyReview), post(review)),
        )
}

fn grant_event(
    action: Action,
    caller: &Caller,
    client: &ClientInfo,
    grant: &emergency_access::Model,
) -> AuditEvent {
    AuditEvent::new(action, Outcome::Allowed, client)
        .by(caller.user_id, caller.role)
        .patient(grant.patient_id)
        .emergency(grant.id)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestBody {
    patient_id: i64,
    reason_category: String,
    reason: String,
}

/// Doctors and nurses outside the patient's care team: asks for emergency
/// access to one patient. The grant is immediate (no approval step) and
/// starts when activated with the returned one-time token.
async fn request(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiJson(body): ApiJson<RequestBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    note_patient(body.patient_id);
    super::mfa::require_fresh(&state, &caller).await?;
    let category = ReasonCategory::parse(&body.reason_category).ok_or_else(|| {
        ApiError::validation(
            "`reason_category` must be emergency_treatment, patient_unable_to_consent, urgent_medication_reconciliation or other.",
        )
    })?;
    let reason = Justification::parse(&body.reason).map_err(ApiError::Validation)?;
    if body.patient_id <= 0 {
        return Err(ApiError::validation(
            "`patient_id` must be a positive whole number.",
        ));
    }

    let rules = state.grant_rules();
    let requested = emergency::request(
        &state.db,
        &caller,
        body.patient_id,
        category,
        &reason,
        &rules,
    )
    .await
    .map_err(|err| match err {
        RequestError::Domain(domain) => ApiError::from(domain),
        RequestError::TooManyActive { retry_after_secs } => {
            ApiError::RateLimited { retry_after_secs }
        }
    })?;
    let grant = &requested.grant;
    let event = grant_event(Action::EmergencyRequest, &caller, &client, grant)
        .purpose(Purpose::EmergencyTreatment)
        .reason_code(category.as_str())
        .reason_text(reason.as_str());
    audit(&state, event).await?;
    let view = emergency::grant_view(&state.db, grant.clone(), &rules).await?;
    state.notifier.grant_requested(&view);
    let body = json!({
        "id": grant.id,
        "access_token": requested.activation_token,
        "expires_at": grant.expires_at,
        "patient_id": grant.patient_id,
    });
    Ok((StatusCode::CREATED, Json(body)))
}

/// The clinician who requested the grant: starts access with its one-time token.
async fn activate(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    Path(token): Path<String>,
) -> ApiResult<Json<GrantView>> {
    if token.is_empty() || token.len() > 128 {
        return Err(ApiError::NotFound("That activation token is not valid."));
    }
    super::mfa::require_fresh(&state, &caller).await?;

    let grant = emergency::activate(&state.db, &caller, &token).await.map_err(|err| {
        let (error, grant) = match err {
            ActivationError::Unknown => (ApiError::NotFound("That activation token is not valid."), None),
            ActivationError::OtherUser { grant } => {
                (ApiError::forbidden("This activation token belongs to another user."), Some(grant))
            }
            ActivationError::AlreadyUsed { grant } => {
                (ApiError::Conflict("This activation token was already used.".into()), Some(grant))
            }
            ActivationError::Ended { grant } => (
                ApiError::forbidden("This emergency grant has ended; request a new one if access is still needed."),
                Some(grant),
            ),
            ActivationError::Store(db) => (ApiError::from(db), None),
        };
        if let Some(grant) = grant {
            note_patient(grant.patient_id);
        }
        error
    })?;
    audit(
        &state,
        grant_event(Action::EmergencyActivate, &caller, &client, &grant)
            .purpose(Purpose::EmergencyTreatment),
    )
    .await?;
    let view = emergency::grant_view(&state.db, grant, &state.grant_rules()).await?;
    state.notifier.publish(&view);
    Ok(Json(view))
}

/// Clinicians: their own live grants. Administrators: every live grant.
async fn active(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
) -> ApiResult<Json<Vec<GrantView>>> {
    let grants = emergency::live_grants(&state.db, &caller, &state.grant_rules()).await?;
    let event = AuditEvent::new(Action::EmergencyList, Outcome::Allowed, &client)
        .by(caller.user_id, caller.role);
    audit(&state, event).await?;
    Ok(Json(grants))
}

#[derive(Deserialize)]
struct GrantParams {
    status: Option<String>,
    page: Option<String>,
    page_size: Option<String>,
}

/// Administrators: grants for review, filtered by status.
async fn grants(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiQuery(params): ApiQuery<GrantParams>,
) -> ApiResult<Json<crate::domain::Page<GrantView>>> {
    let page = PageRequest::parse(params.page.as_deref(), params.page_size.as_deref())
        .map_err(ApiError::validation)?;
    let filter = match params.status.as_deref() {
        None => GrantFilter::All,
        Some(raw) => GrantFilter::parse(raw).ok_or_else(|| {
            ApiError::validation(
                "`status` must be all, active, expired, revoked, unreviewed or overdue.",
            )
        })?,
    };

    let page = emergency::grants(&state.db, filter, page, &state.grant_rules()).await?;
    let event = AuditEvent::new(Action::EmergencyList, Outcome::Allowed, &client)
        .by(caller.user_id, caller.role)
        .purpose(Purpose::Operations);
    audit(&state, event).await?;
    Ok(Json(page))
}

/// Administrators: ends a grant at once.
async fn revoke(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<Json<GrantView>> {
    let grant = emergency::revoke(&state.db, &caller, id).await?;
    audit(
        &state,
        grant_event(Action::EmergencyRevoke, &caller, &client, &grant).purpose(Purpose::Operations),
    )
    .await?;
    let view = emergency::grant_view(&state.db, grant, &state.grant_rules()).await?;
    state.notifier.publish(&view);
    Ok(Json(view))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewBody {
    outcome: String,
    note: Option<String>,
}

/// Administrators: records the review of a grant (once), with an outcome.
async fn review(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(body): ApiJson<ReviewBody>,
) -> ApiResult<Json<GrantView>> {
    let outcome = ReviewOutcome::parse(&body.outcome).ok_or_else(|| {
        ApiError::validation("`outcome` must be justified, unjustified or needs_follow_up.")
    })?;
    let note = optional_text("note", body.note.as_deref(), 2000).map_err(ApiError::Validation)?;

    let grant = emergency::review(&state.db, &caller, id, outcome, note).await?;
    let event = grant_event(Action::EmergencyReview, &caller, &client, &grant)
        .purpose(Purpose::Operations)
        .reason_code(outcome.as_str());
    audit(&state, event).await?;
    let view = emergency::grant_view(&state.db, grant, &state.grant_rules()).await?;
    state.notifier.publish(&view);
    Ok(Json(view))
}

/// Administrators: a live feed (server-sent events) of grant changes, on
/// every instance when Redis is configured.
async fn events(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let receiver = state.notifier.subscribe();
    let event = AuditEvent::new(Action::EmergencyMonitor, Outcome::Allowed, &client)
        .by(caller.user_id, caller.role)
        .purpose(Purpose::Operations);
    audit(&state, event).await?;
    let mut stopping = state.stopping.subscribe();
    let grants = BroadcastStream::new(receiver).filter_map(|grant| {
        let grant = grant.ok()?;
        Some(Ok(Event::default().event("grant").data(&*grant)))
    });
    // A stopping server ends the feed (the browser reconnects to another
    // instance) instead of holding the stop for its whole grace period.
    let stream = futures::StreamExt::take_until(grants, async move {
        let _ = stopping.wait_for(|stop| *stop).await;
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// Writes `emergency.expired` for every grant that ran out, once, on
/// whichever instance gets there first.
pub async fn audit_expiries(state: &AppState) {
    let claimed = match emergency::claim_expired(&state.db).await {
        Ok(claimed) => claimed,
        Err(err) => {
            tracing::warn!(error = %err, "could not check for expired emergency grants");
            return;
        }
    };
    for grant in claimed {
        let mut event = AuditEvent::new(
            Action::EmergencyExpired,
            Outcome::Allowed,
            &crate::http::context::ClientInfo::default(),
        )
        .patient(grant.patient_id)
        .emergency(grant.id)
        .purpose(Purpose::EmergencyTreatment);
        event.user_id = Some(grant.user_id);
        if state.audit.record(event).await.is_err() {
            let _ = emergency::unclaim_expired(&state.db, grant.id).await;
        }
    }
}
