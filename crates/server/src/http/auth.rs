//! Sign-in, token refresh, sign-out, the caller's profile and password
//! change.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::context::ClientInfo;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, parse_json};
use super::guard::{Rule, Target, audit, guarded};
use super::limits;
use crate::app::AppState;
use crate::audit::{Action, AuditEvent, Outcome};
use crate::auth::refresh::{self, Rotation};
use crate::auth::{NewPassword, password::MAX_PASSWORD_BYTES};
use crate::domain::Email;
use crate::domain::users::{self, UserView};
use crate::policy::{ANY_ROLE, Caller, Role};
use crate::secret::Secret;

pub const REFRESH_COOKIE: &str = "hs_refresh";
const REFRESH_COOKIE_PATH: &str = "/api/auth";
const MINUTE: std::time::Duration = std::time::Duration::from_secs(60);

pub fn router(state: &Arc<AppState>) -> Router<Arc<AppState>> {
    let any = |action| Rule {
        roles: ANY_ROLE,
        action,
        target: Target::None,
    };
    Router::new()
        .route("/login", post(login))
        .route("/refresh", post(refresh_session))
        .route(
            "/logout",
            guarded(state, any(Some(Action::AuthLogout)), post(logout)),
        )
        .route("/me", guarded(state, any(None), get(me)))
        .route(
            "/logout-all",
            guarded(state, any(Some(Action::AuthLogoutAll)), post(logout_all)),
        )
        .route(
            "/password",
            guarded(
                state,
                any(Some(Action::AuthPasswordChange)),
                post(change_password),
            ),
        )
        .merge(super::mfa::router(state))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginRequest {
    email: String,
    password: Secret<String>,
}

#[derive(Serialize)]
pub struct SessionUser {
    id: i64,
    email: String,
    name: String,
    role: Role,
    active: bool,
    last_login: Option<DateTime<Utc>>,
}

impl From<UserView> for SessionUser {
    fn from(user: UserView) -> Self {
        SessionUser {
            id: user.id,
            email: user.email,
            name: user.name,
            role: user.role,
            active: user.active,
            last_login: user.last_login,
        }
    }
}

#[derive(Serialize)]
struct SessionBody {
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
    /// Inactivity after which the web app signs the user out.
    idle_timeout_secs: u64,
    refresh_token: String,
    user: SessionUser,
    /// Only when a sign-in ends by confirming a new authenticator: the
    /// recovery codes, shown this once.
    #[serde(skip_serializing_if = "Option::is_none")]
    recovery_codes: Option<Vec<String>>,
}

/// The answer to a correct password when a second factor is due.
#[derive(Serialize)]
struct MfaChallengeBody {
    mfa_required: bool,
    mfa_token: String,
    enrollment_required: bool,
}

/// The one answer for every failed sign-in, whatever the reason.
fn login_failed() -> ApiError {
    ApiError::Unauthorized("The email or password is incorrect.")
}

/// Anyone: signs in with email and password. Every failure looks the same
/// from outside (status, body and time), including a locked account; the
/// audit row keeps the reason. Attempts are limited per client address.
async fn login(
    State(state): State<Arc<AppState>>,
    client: ClientInfo,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let login_limits = state.config.login;
    let refuse = |reason: &'static str, user_id: Option<i64>, login_name: Option<&str>| {
        let mut event =
            AuditEvent::new(Action::AuthLoginFailed, Outcome::Denied, &client).reason_code(reason);
        event.user_id = user_id;
        if let Some(name) = login_name {
            event = event.reason_text(&format!("login_name={name}"));
        }
        event
    };
    let ip_key = format!("login:ip:{}", limits::client_key(&client));
    if let Err(err) =
        limits::within(&state, &ip_key, login_limits.attempts_per_minute, MINUTE).await
    {
        if limits::is_rate_limited(&err) {
            state
                .audit
                .record(refuse("rate_limited", None, None))
                .await?;
        }
        return Err(err);
    }
    let body: LoginRequest = match parse_json(&body) {
        Ok(body) => body,
        Err(err) => {
            state
                .audit
                .record(refuse("invalid_request", None, None))
                .await?;
            return Err(err);
        }
    };
    // Only a well-formed address is kept as evidence; anything else (a
    // password typed into the wrong field, say) is not stored.
    let login_name = Email::parse(&body.email).map(|e| e.as_str().to_string());
    let login_name = Some(login_name.as_deref().unwrap_or("<not an email address>"));
    let lock_key = limits::failed_login_key(&body.email);
    let failures = state
        .sessions
        .peek(&lock_key)
        .await
        .map_err(|_| limits::STORE_DOWN)?;
    let locked = failures.count >= u64::from(login_limits.max_failures);

    let account = users::find_by_email(&state.db, &body.email).await?;
    let password = body.password.expose();
    let stored_hash = account
        .as_ref()
        .filter(|_| !locked)
        .and_then(|a| a.password_hash.as_deref());
    let verified = state.passwords.verify(password, stored_hash).await;
    let failure = match &account {
        _ if locked => Some("account_locked"),
        None => Some("unknown_user"),
        Some(_) if password.len() > MAX_PASSWORD_BYTES => Some("password_too_long"),
        Some(_) if !verified => Some("bad_password"),
        Some(row) if !row.active => Some("inactive_user"),
        Some(_) => None,
    };
    if let Some(reason) = failure {
        if !locked {
            let failures = state
                .sessions
                .count(&lock_key, login_limits.lockout)
                .await
                .map_err(|_| limits::STORE_DOWN)?;
            if failures.count == u64::from(login_limits.max_failures) {
                crate::telemetry::meters::account_locked();
            }
        }
        state
            .audit
            .record(refuse(reason, account.as_ref().map(|a| a.id), login_name))
            .await?;
        return Err(login_failed());
    }
    state
        .sessions
        .reset(&lock_key)
        .await
        .map_err(|_| limits::STORE_DOWN)?;
    let account = account.expect("checked above");
    let user = UserView::from_row(account)?;
    // A second factor is due when the account has one, or must have one.
    let enrolled = crate::domain::mfa::confirmed(&state.db, user.id)
        .await?
        .is_some();
    let must_enrol = !enrolled && state.config.mfa.required_for(user.role);
    if enrolled || must_enrol {
        let mfa_token = super::mfa::issue_challenge(&state, user.id, must_enrol);
        let reason = if must_enrol {
            "enrolment_required"
        } else {
            "code_required"
        };
        let event = AuditEvent::new(Action::AuthMfaChallenge, Outcome::Allowed, &client)
            .by(user.id, user.role)
            .reason_code(reason);
        state.audit.record(event).await?;
        let body = MfaChallengeBody {
            mfa_required: true,
            mfa_token,
            enrollment_required: must_enrol,
        };
        return Ok(Json(body).into_response());
    }
    let issued = super::mfa::start_session(&state, &user).await?;
    let event =
        AuditEvent::new(Action::AuthLogin, Outcome::Allowed, &client).by(user.id, user.role);
    state.audit.record(event).await?;
    let user = UserView {
        last_login: Some(Utc::now()),
        ..user
    };
    Ok(session_response(&state, user, issued, None))
}

/// The `Set-Cookie` value that hands a new session's refresh token to the
/// browser; single sign-on ends with the same cookie as a password login.
pub(crate) fn refresh_cookie(issued: &refresh::Issued) -> String {
    let max_age = (issued.expires_at - Utc::now()).num_seconds().max(0);
    format!(
        "{REFRESH_COOKIE}={}; Path={REFRESH_COOKIE_PATH}; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict",
        issued.token
    )
}

pub(crate) fn session_response(
    state: &AppState,
    user: UserView,
    issued: refresh::Issued,
    recovery_codes: Option<Vec<String>>,
) -> Response {
    let access_token = state.tokens.issue(user.id, user.role, &issued.family_id);
    let cookie = refresh_cookie(&issued);
    let body = SessionBody {
        access_token,
        token_type: "Bearer",
        expires_in: state.tokens.ttl().as_secs(),
        idle_timeout_secs: state.config.idle_timeout.as_secs(),
        refresh_token: issued.token,
        user: user.into(),
        recovery_codes,
    };
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "hs_refresh=; Path=/api/auth; Max-Age=0; HttpOnly; Secure; SameSite=Strict",
    )
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RefreshRequest {
    refresh_token: Option<Secret<String>>,
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == REFRESH_COOKIE)
        .map(|(_, value)| value.to_string())
}

/// Anyone holding a refresh token (body or cookie): exchanges it for a new
/// pair. A token used twice revokes its whole family.
async fn refresh_session(
    State(state): State<Arc<AppState>>,
    client: ClientInfo,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let reject = |reason: &'static str| {
        AuditEvent::new(Action::AuthTokenRejected, Outcome::Denied, &client).reason_code(reason)
    };
    let ip_key = format!("refresh:ip:{}", limits::client_key(&client));
    let limit = state.config.login.attempts_per_minute.saturating_mul(3);
    if let Err(err) = limits::within(&state, &ip_key, limit, MINUTE).await {
        if limits::is_rate_limited(&err) {
            state.audit.record(reject("rate_limited")).await?;
        }
        return Err(err);
    }
    // The body is optional: browsers send the cookie alone.
    let body: RefreshRequest = if body.iter().all(u8::is_ascii_whitespace) {
        RefreshRequest::default()
    } else {
        match parse_json(&body) {
            Ok(body) => body,
            Err(err) => {
                state.audit.record(reject("invalid_request")).await?;
                return Err(err);
            }
        }
    };
    let from_body = body.refresh_token.map(|s| s.expose().clone());
    let presented = from_body
        .or_else(|| cookie_token(&headers))
        .filter(|t| !t.is_empty() && t.len() <= 128);
    let rejected = || ApiError::Unauthorized("Sign in again: the session has ended.");
    let Some(presented) = presented else {
        let event = AuditEvent::new(Action::AuthTokenRejected, Outcome::Denied, &client)
            .reason_code("missing_refresh_token");
        state.audit.record(event).await?;
        return Err(rejected());
    };
    match refresh::rotate(&state.db, &presented).await? {
        Rotation::Rotated { user_id, issued } => {
            let account = users::find(&state.db, user_id).await?;
            if !account.active {
                refresh::revoke_family(&state.db, &issued.family_id).await?;
                let mut event = AuditEvent::new(Action::AuthRefresh, Outcome::Denied, &client)
                    .reason_code("inactive_user");
                event.user_id = Some(user_id);
                state.audit.record(event).await?;
                return Err(rejected());
            }
            let user = UserView::from_row(account)?;
            state
                .audit
                .record(
                    AuditEvent::new(Action::AuthRefresh, Outcome::Allowed, &client)
                        .by(user.id, user.role),
                )
                .await?;
            Ok(session_response(&state, user, issued, None))
        }
        Rotation::Reused { user_id, family_id } => {
            state
                .sessions
                .revoke(&family_id, state.tokens.ttl())
                .await
                .map_err(|_| ApiError::Unavailable("Sessions cannot be changed right now."))?;
            let mut event = AuditEvent::new(Action::AuthRefreshReuse, Outcome::Denied, &client)
                .reason_code("refresh_token_reused");
            event.user_id = Some(user_id);
            state.audit.record(event).await?;
            Err(rejected())
        }
        Rotation::Revoked { user_id } => {
            let mut event = reject("session_ended");
            event.user_id = Some(user_id);
            state.audit.record(event).await?;
            Err(rejected())
        }
        Rotation::Expired { user_id } => {
            let mut event = AuditEvent::new(Action::AuthTokenRejected, Outcome::Denied, &client)
                .reason_code("refresh_token_expired");
            event.user_id = Some(user_id);
            state.audit.record(event).await?;
            Err(rejected())
        }
        Rotation::Unknown => {
            let event = AuditEvent::new(Action::AuthTokenRejected, Outcome::Denied, &client)
                .reason_code("unknown_refresh_token");
            state.audit.record(event).await?;
            Err(rejected())
        }
    }
}

/// Any signed-in user: ends this session; the access token and the refresh
/// family stop working at once.
async fn logout(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
) -> ApiResult<Response> {
    refresh::revoke_family(&state.db, &caller.session_id).await?;
    state
        .sessions
        .revoke(&caller.session_id, state.tokens.ttl())
        .await
        .map_err(|_| {
            ApiError::Unavailable("Sessions cannot be changed right now. Try again shortly.")
        })?;
    audit(
        &state,
        AuditEvent::new(Action::AuthLogout, Outcome::Allowed, &client)
            .by(caller.user_id, caller.role),
    )
    .await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie());
    Ok(response)
}

/// Any signed-in user: ends every session of theirs, on every device, and
/// any emergency grant they hold.
async fn logout_all(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
) -> ApiResult<Response> {
    let ended = refresh::revoke_user_families(&state.db, caller.user_id, None).await?;
    for session in ended.iter().chain(std::iter::once(&caller.session_id)) {
        state
            .sessions
            .revoke(session, state.tokens.ttl())
            .await
            .map_err(|_| limits::STORE_DOWN)?;
    }
    crate::domain::emergency::revoke_all_for_user(&state.db, caller.user_id, caller.user_id)
        .await?;
    let event = AuditEvent::new(Action::AuthLogoutAll, Outcome::Allowed, &client)
        .by(caller.user_id, caller.role);
    audit(&state, event).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie());
    Ok(response)
}

/// Any signed-in user: their own profile.
async fn me(State(state): State<Arc<AppState>>, caller: Caller) -> ApiResult<Json<SessionUser>> {
    let user = UserView::from_row(users::find(&state.db, caller.user_id).await?)?;
    Ok(Json(user.into()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordChange {
    current_password: Secret<String>,
    new_password: Secret<String>,
}

/// Any signed-in user: changes their own password after proving the
/// current one; every other session of theirs ends.
async fn change_password(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiJson(body): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    let new_password =
        NewPassword::parse(body.new_password.expose().clone()).map_err(ApiError::validation)?;
    // Guessing the current password from a stolen session is limited like
    // guessing it at sign-in.
    let login_limits = state.config.login;
    let guesses_key = format!("password:user:{}", caller.user_id);
    let guesses = state
        .sessions
        .peek(&guesses_key)
        .await
        .map_err(|_| limits::STORE_DOWN)?;
    if guesses.count >= u64::from(login_limits.max_failures) {
        let retry_after_secs = guesses.resets_in.as_secs().max(1);
        return Err(ApiError::RateLimited { retry_after_secs });
    }
    let account = users::find(&state.db, caller.user_id).await?;
    let current = body.current_password.expose();
    if !state
        .passwords
        .verify(current, account.password_hash.as_deref())
        .await
    {
        state
            .sessions
            .count(&guesses_key, login_limits.lockout)
            .await
            .map_err(|_| limits::STORE_DOWN)?;
        return Err(ApiError::forbidden("The current password is incorrect."));
    }
    if body.current_password.expose() == body.new_password.expose() {
        return Err(ApiError::validation(
            "The new password must differ from the current one.",
        ));
    }
    let hash = state
        .passwords
        .hash(&new_password)
        .await
        .map_err(ApiError::internal)?;
    users::set_password_hash(&state.db, caller.user_id, hash, false).await?;
    let ended =
        refresh::revoke_user_families(&state.db, caller.user_id, Some(&caller.session_id)).await?;
    for session in &ended {
        state
            .sessions
            .revoke(session, state.tokens.ttl())
            .await
            .map_err(|_| {
                ApiError::Unavailable("Sessions cannot be changed right now. Try again shortly.")
            })?;
    }
    audit(
        &state,
        AuditEvent::new(Action::AuthPasswordChange, Outcome::Allowed, &client)
            .by(caller.user_id, caller.role),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
