//! The route guard: authenticates the bearer token, checks the route's
//! roles, and makes sure every request it lets through is audited exactly
//! once before the response leaves.
//!
//! Handlers audit their successes themselves, from the grant they acted
//! under. Anything a handler refuses is audited here from the error
//! response. A handler that succeeds without auditing is a bug: the guard
//! turns its response into a 500 rather than release unaudited data.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::context::{ClientInfo, client_info};
use super::error::{ApiError, ErrorCode};
use super::extract::parse_id;
use super::limits;
use crate::app::AppState;
use crate::audit::{Action, AuditEvent, Outcome};
use crate::auth::TokenRejection;
use crate::policy::{Caller, Denial, Role};
use crate::store::entities::user;

tokio::task_local! {
    static REQUEST_AUDIT: Arc<RequestAudit>;
}

/// What the guard learns from the handler while it runs: whether the
/// request was audited, and which patient it turned out to concern (for
/// routes that name a record, the patient is known only once it is loaded).
#[derive(Default)]
struct RequestAudit {
    audited: AtomicBool,
    patient_id: AtomicI64,
}

/// Notes the patient a request concerns, so a refusal's audit row names it.
pub fn note_patient(patient_id: i64) {
    let _ = REQUEST_AUDIT.try_with(|audit| audit.patient_id.store(patient_id, Ordering::SeqCst));
}

/// Which path parameter, if any, names the audited resource.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    None,
    Patient,
    Record,
    User,
}

/// What a route requires and how it is audited.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub roles: &'static [Role],
    /// `None` for routes that touch no patient data and change nothing
    /// (such as reading one's own profile); refusals are audited anyway.
    pub action: Option<Action>,
    pub target: Target,
}

/// Records `event` for the current request and notes that it is audited.
pub async fn audit(state: &AppState, event: AuditEvent) -> Result<i64, ApiError> {
    let _ = REQUEST_AUDIT.try_with(|audit| audit.audited.store(true, Ordering::SeqCst));
    Ok(state.audit.record(event).await?)
}

pub async fn guard(
    State((state, rule)): State<(Arc<AppState>, Rule)>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let client = client_info(&parts, &state.config.trusted_proxies);
    let (patient_id, record_id, user_id) = target_ids(&mut parts, rule.target).await;

    let caller = match authenticate(&state, &parts.headers).await {
        Ok(caller) => caller,
        Err(failure) => return refuse_token(&state, failure, &client).await,
    };
    let refusal = |reason: &'static str, outcome, patient_id: Option<i64>| {
        let mut event = AuditEvent::new(
            rule.action.unwrap_or(Action::AuthTokenRejected),
            outcome,
            &client,
        )
        .by(caller.user_id, caller.role)
        .reason_code(reason);
        event.patient_id = patient_id;
        event.record_id = record_id;
        if let (Some(target), None) = (user_id, patient_id) {
            event.reason = Some(format!("target_user={target}"));
        }
        event
    };
    if !rule.roles.contains(&caller.role) {
        let denial = Denial::RoleNotPermitted;
        let event = refusal(denial.reason_code(), Outcome::Denied, patient_id);
        return after_audit(&state, event, ApiError::Denied(denial).into_response()).await;
    }
    let user_key = format!("api:user:{}", caller.user_id);
    let config = &state.config;
    if let Err(error) = limits::within(
        &state,
        &user_key,
        config.rate_limit_requests,
        config.rate_limit_window,
    )
    .await
    {
        if !limits::is_rate_limited(&error) {
            return error.into_response();
        }
        let event = refusal("rate_limited", Outcome::Denied, patient_id);
        return after_audit(&state, event, error.into_response()).await;
    }

    parts.extensions.insert(caller.clone());
    let audit = Arc::new(RequestAudit::default());
    let response = REQUEST_AUDIT
        .scope(audit.clone(), next.run(Request::from_parts(parts, body)))
        .await;
    // Routes without an action touch no patient data and change nothing;
    // their refusals by the guard itself are audited above.
    if audit.audited.load(Ordering::SeqCst) || rule.action.is_none() {
        return response;
    }
    if response.status().is_success() {
        tracing::error!(action = ?rule.action, "a handler succeeded without writing its audit row; refusing");
        return ApiError::internal(anyhow::anyhow!("unaudited success")).into_response();
    }
    let code = response
        .extensions()
        .get::<ErrorCode>()
        .map_or("error", |c| c.0);
    let reason = response
        .extensions()
        .get::<DenialReason>()
        .map_or(code, |d| d.0);
    let outcome = if matches!(
        code,
        "forbidden" | "unauthorized" | "rate_limited" | "reauth_required"
    ) {
        Outcome::Denied
    } else {
        Outcome::Failed
    };
    let noted = audit.patient_id.load(Ordering::SeqCst);
    let patient_id = if noted > 0 { Some(noted) } else { patient_id };
    after_audit(&state, refusal(reason, outcome, patient_id), response).await
}

/// Sends `response` once `event` is committed, or a 503 if it cannot be.
async fn after_audit(state: &AppState, event: AuditEvent, response: Response) -> Response {
    match state.audit.record(event).await {
        Ok(_) => response,
        Err(err) => ApiError::from(err).into_response(),
    }
}

/// Marks a 403 with the policy's reason, for the audit row.
#[derive(Clone, Copy, Debug)]
pub struct DenialReason(pub &'static str);

async fn target_ids(
    parts: &mut axum::http::request::Parts,
    target: Target,
) -> (Option<i64>, Option<i64>, Option<i64>) {
    let Ok(params) = RawPathParams::from_request_parts(parts, &()).await else {
        return (None, None, None);
    };
    let id = params
        .iter()
        .find(|(name, _)| *name == "id")
        .and_then(|(_, value)| parse_id(value));
    match target {
        Target::Patient => (id, None, None),
        Target::Record => (None, id, None),
        Target::User => (None, None, id),
        Target::None => (None, None, None),
    }
}

enum AuthFailure {
    Token {
        rejection: TokenRejection,
        user_id: Option<i64>,
    },
    Unavailable(ApiError),
}

/// Establishes the caller from the bearer token, the session store and the
/// current user row: a deactivated user or a changed role ends the session
/// at once, not when the token expires.
async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Caller, AuthFailure> {
    let token = bearer(headers).ok_or(AuthFailure::Token {
        rejection: TokenRejection::Missing,
        user_id: None,
    })?;
    let claims = state
        .tokens
        .verify(token)
        .map_err(|rejection| AuthFailure::Token {
            rejection,
            user_id: None,
        })?;
    let user_id: i64 = claims.sub.parse().map_err(|_| AuthFailure::Token {
        rejection: TokenRejection::InvalidClaims,
        user_id: None,
    })?;
    let token_failure = |rejection| AuthFailure::Token {
        rejection,
        user_id: Some(user_id),
    };
    let revoked = state
        .sessions
        .is_revoked(&claims.sid)
        .await
        .map_err(|_| AuthFailure::Unavailable(limits::STORE_DOWN))?;
    if revoked {
        return Err(token_failure(TokenRejection::SessionRevoked));
    }
    use sea_orm::EntityTrait;
    let row = user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await
        .map_err(|err| AuthFailure::Unavailable(ApiError::from(err)))?;
    let Some(row) = row.filter(|row| row.active) else {
        return Err(token_failure(TokenRejection::UserInactive));
    };
    if row.role != claims.role {
        return Err(token_failure(TokenRejection::RoleChanged));
    }
    let role = Role::parse(&row.role).ok_or(token_failure(TokenRejection::InvalidClaims))?;
    Ok(Caller {
        user_id,
        role,
        session_id: claims.sid,
        token_id: claims.jti,
        token_expires_at: claims.exp,
    })
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

async fn refuse_token(state: &AppState, failure: AuthFailure, client: &ClientInfo) -> Response {
    let (rejection, user_id) = match failure {
        AuthFailure::Token { rejection, user_id } => (rejection, user_id),
        AuthFailure::Unavailable(err) => return err.into_response(),
    };
    let mut event = AuditEvent::new(Action::AuthTokenRejected, Outcome::Denied, client)
        .reason_code(rejection.reason_code());
    event.user_id = user_id;
    let refusal =
        ApiError::Unauthorized("Sign in again: your session is missing, invalid or has ended.");
    after_audit(state, event, refusal.into_response()).await
}

/// For routes that take either a bearer token or something else (the
/// enrolment routes during sign-in): the caller, or the audited refusal.
pub(crate) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    client: &ClientInfo,
) -> Result<Caller, Response> {
    match authenticate(state, headers).await {
        Ok(caller) => Ok(caller),
        Err(failure) => Err(refuse_token(state, failure, client).await),
    }
}

/// Whether the request carries a bearer token at all.
pub(crate) fn has_bearer(headers: &HeaderMap) -> bool {
    headers.contains_key(axum::http::header::AUTHORIZATION)
}

/// The authenticated caller, placed in the request by the guard.
impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("route is missing its guard")))
    }
}

/// Wraps a method router in the guard for `rule`.
pub fn guarded(
    state: &Arc<AppState>,
    rule: Rule,
    route: axum::routing::MethodRouter<Arc<AppState>>,
) -> axum::routing::MethodRouter<Arc<AppState>> {
    route.route_layer(axum::middleware::from_fn_with_state(
        (state.clone(), rule),
        guard,
    ))
}
