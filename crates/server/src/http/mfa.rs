//! The second factor: the sign-in step after the password, enrolment of
//! an authenticator app, and re-authentication for step-up actions.
//!
//! Between password and code the client holds a short-lived challenge
//! token, signed by the server and single use: once a sign-in completes
//! with it, a marker under its hash (never the token itself) refuses it
//! on every instance until it would have expired anyway.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::auth::session_response;
use super::context::ClientInfo;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, parse_json};
use super::guard::{self, Rule, Target, audit, guarded};
use super::limits;
use crate::app::AppState;
use crate::audit::{Action, AuditEvent, Outcome};
use crate::auth::refresh;
use crate::auth::totp::{self, Check};
use crate::domain::mfa;
use crate::domain::users::{self, UserView};
use crate::policy::{ANY_ROLE, Caller};
use crate::secret::Secret;

const MINUTE: std::time::Duration = std::time::Duration::from_secs(60);

pub fn router(state: &Arc<AppState>) -> Router<Arc<AppState>> {
    Router::new()
        .route("/mfa", post(verify))
        .route("/mfa/enroll", post(enroll))
        .route("/mfa/enroll/confirm", post(confirm))
        .route(
            "/reauth",
            guarded(
                state,
                Rule {
                    roles: ANY_ROLE,
                    action: Some(Action::AuthReauth),
                    target: Target::None,
                },
                post(reauth),
            ),
        )
}

// ---- Freshness, for step-up actions ---------------------------------------

fn fresh_key(session_id: &str) -> String {
    format!("fresh:{session_id}")
}

/// Marks a session freshly authenticated for the configured window.
pub(crate) async fn mark_fresh(state: &AppState, session_id: &str) -> ApiResult<()> {
    state
        .sessions
        .mark(&fresh_key(session_id), state.config.mfa.reauth_window)
        .await
        .map_err(|_| limits::STORE_DOWN)
}

/// Refuses a step-up action unless the caller signed in or
/// re-authenticated within the window. The guard audits the refusal.
pub(crate) async fn require_fresh(state: &AppState, caller: &Caller) -> ApiResult<()> {
    let fresh = state
        .sessions
        .is_marked(&fresh_key(&caller.session_id))
        .await
        .map_err(|_| limits::STORE_DOWN)?;
    if fresh {
        Ok(())
    } else {
        Err(ApiError::ReauthRequired)
    }
}

/// Starts a session for a user who has fully signed in: the refresh
/// family, the last-login time, and the freshness that sign-in gives.
pub(crate) async fn start_session(state: &AppState, user: &UserView) -> ApiResult<refresh::Issued> {
    users::record_login(&state.db, user.id).await?;
    let issued = refresh::start_family(&state.db, user.id, state.config.refresh_token_ttl).await?;
    mark_fresh(state, &issued.family_id).await?;
    Ok(issued)
}

// ---- The challenge token ---------------------------------------------------

#[derive(Serialize, Deserialize)]
struct ChallengeClaims {
    /// The user.
    u: i64,
    /// Expiry, Unix seconds.
    e: i64,
    /// Whether the user must enrol before the sign-in completes.
    r: bool,
    /// Randomness, so that two challenges never look alike.
    n: String,
}

fn challenge_mac(state: &AppState) -> Hmac<Sha256> {
    let mut derive = <Hmac<Sha256> as Mac>::new_from_slice(state.config.jwt.secret.expose())
        .expect("HMAC takes any key length");
    derive.update(b"healthsecure/mfa/challenge");
    let key = derive.finalize().into_bytes();
    <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("HMAC takes any key length")
}

/// A signed challenge for `user_id`, valid for the configured minutes.
pub(crate) fn issue_challenge(state: &AppState, user_id: i64, enrolment: bool) -> String {
    let ttl = state.config.mfa.challenge_ttl.as_secs() as i64;
    let claims = ChallengeClaims {
        u: user_id,
        e: chrono::Utc::now().timestamp() + ttl,
        r: enrolment,
        n: uuid::Uuid::new_v4().simple().to_string(),
    };
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("plain claims"));
    let mut mac = challenge_mac(state);
    mac.update(payload.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{payload}.{signature}")
}

/// The claims of a genuine, unexpired challenge (used or not).
fn open_challenge(state: &AppState, token: &str) -> Option<ChallengeClaims> {
    if token.len() > 512 {
        return None;
    }
    let (payload, signature) = token.split_once('.')?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    let mut mac = challenge_mac(state);
    mac.update(payload.as_bytes());
    mac.verify_slice(&signature).ok()?;
    let claims: ChallengeClaims =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    (claims.e > chrono::Utc::now().timestamp()).then_some(claims)
}

fn used_key(token: &str) -> String {
    format!("mfa:used:{}", hex::encode(Sha256::digest(token.as_bytes())))
}

async fn challenge_used(state: &AppState, token: &str) -> ApiResult<bool> {
    let uses = state
        .sessions
        .peek(&used_key(token))
        .await
        .map_err(|_| limits::STORE_DOWN)?;
    Ok(uses.count > 0)
}

/// Uses the challenge up; false when another request already did.
async fn spend_challenge(state: &AppState, token: &str) -> ApiResult<bool> {
    let uses = state
        .sessions
        .count(&used_key(token), state.config.mfa.challenge_ttl)
        .await
        .map_err(|_| limits::STORE_DOWN)?;
    Ok(uses.count == 1)
}

fn challenge_refused() -> ApiError {
    ApiError::Unauthorized(
        "This sign-in step has expired or was already used. Sign in again with your email and password.",
    )
}

fn code_refused() -> ApiError {
    ApiError::Unauthorized(
        "That code is not correct. Enter the current six-digit code from your authenticator app, or one of your recovery codes.",
    )
}

// ---- Limits ----------------------------------------------------------------

fn failures_key(user_id: i64) -> String {
    format!("mfa:fail:{user_id}")
}

/// Refuses while the user has used up their wrong codes for the window.
async fn throttled(state: &AppState, user_id: i64) -> ApiResult<Option<ApiError>> {
    let failures = state
        .sessions
        .peek(&failures_key(user_id))
        .await
        .map_err(|_| limits::STORE_DOWN)?;
    if failures.count >= u64::from(state.config.login.max_failures) {
        let retry_after_secs = failures.resets_in.as_secs().max(1);
        return Ok(Some(ApiError::RateLimited { retry_after_secs }));
    }
    Ok(None)
}

async fn count_failure(state: &AppState, user_id: i64) -> ApiResult<()> {
    state
        .sessions
        .count(&failures_key(user_id), state.config.login.lockout)
        .await
        .map_err(|_| limits::STORE_DOWN)?;
    Ok(())
}

async fn clear_failures(state: &AppState, user_id: i64) -> ApiResult<()> {
    state
        .sessions
        .reset(&failures_key(user_id))
        .await
        .map_err(|_| limits::STORE_DOWN)
}

async fn ip_limit(
    state: &AppState,
    client: &ClientInfo,
    route: &str,
    action: Action,
) -> ApiResult<()> {
    let key = format!("{route}:ip:{}", limits::client_key(client));
    let limit = state.config.login.attempts_per_minute;
    if let Err(err) = limits::within(state, &key, limit, MINUTE).await {
        if limits::is_rate_limited(&err) {
            let event =
                AuditEvent::new(action, Outcome::Denied, client).reason_code("rate_limited");
            state.audit.record(event).await?;
        }
        return Err(err);
    }
    Ok(())
}

fn failed(client: &ClientInfo, reason: &'static str, user_id: Option<i64>) -> AuditEvent {
    let mut event =
        AuditEvent::new(Action::AuthMfaFailed, Outcome::Denied, client).reason_code(reason);
    event.user_id = user_id;
    event
}

/// The request body, or the refusal, audited before it is sent.
async fn parse_audited<T: serde::de::DeserializeOwned>(
    state: &AppState,
    client: &ClientInfo,
    body: &[u8],
) -> ApiResult<T> {
    match parse_json(body) {
        Ok(body) => Ok(body),
        Err(err) => {
            state
                .audit
                .record(failed(client, "invalid_request", None))
                .await?;
            Err(err)
        }
    }
}

// ---- Sign-in with a code -----------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyRequest {
    mfa_token: Secret<String>,
    code: Option<Secret<String>>,
    recovery_code: Option<Secret<String>>,
}

/// Anyone holding a sign-in challenge: completes the sign-in with a code
/// from the authenticator app or a recovery code.
async fn verify(
    State(state): State<Arc<AppState>>,
    client: ClientInfo,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    ip_limit(&state, &client, "mfa", Action::AuthMfaFailed).await?;
    let body: VerifyRequest = parse_audited(&state, &client, &body).await?;
    let token = body.mfa_token.expose();
    let Some(claims) = open_challenge(&state, token) else {
        state
            .audit
            .record(failed(&client, "invalid_challenge", None))
            .await?;
        return Err(challenge_refused());
    };
    let user_id = claims.u;
    if challenge_used(&state, token).await? {
        state
            .audit
            .record(failed(&client, "challenge_used", Some(user_id)))
            .await?;
        return Err(challenge_refused());
    }
    if claims.r {
        state
            .audit
            .record(failed(&client, "enrolment_required", Some(user_id)))
            .await?;
        return Err(ApiError::validation(
            "Set up your authenticator app first: this sign-in continues at POST /api/auth/mfa/enroll.",
        ));
    }
    let user = UserView::from_row(users::find(&state.db, user_id).await?)?;
    if !user.active {
        state
            .audit
            .record(failed(&client, "inactive_user", Some(user_id)))
            .await?;
        return Err(challenge_refused());
    }
    if let Some(limited) = throttled(&state, user_id).await? {
        state
            .audit
            .record(failed(&client, "rate_limited", Some(user_id)))
            .await?;
        return Err(limited);
    }
    let Some(row) = mfa::confirmed(&state.db, user_id).await? else {
        state
            .audit
            .record(failed(&client, "not_enrolled", Some(user_id)))
            .await?;
        return Err(challenge_refused());
    };
    let outcome: Result<&'static str, &'static str> = match (&body.code, &body.recovery_code) {
        (Some(code), None) => {
            let secret = mfa::secret_of(&state.phi, &row)?;
            match totp::check(
                &secret,
                code.expose(),
                totp::current_step(),
                row.last_used_step,
            ) {
                Check::Accepted(step) if mfa::use_step(&state.db, user_id, step).await? => {
                    Ok("totp")
                }
                Check::Accepted(_) | Check::Replayed => Err("code_reused"),
                Check::Wrong => Err("wrong_code"),
            }
        }
        (None, Some(recovery)) => {
            if mfa::use_recovery_code(&state.db, &state.phi, user_id, recovery.expose()).await? {
                Ok("recovery_code")
            } else {
                Err("wrong_recovery_code")
            }
        }
        _ => {
            state
                .audit
                .record(failed(&client, "invalid_request", Some(user_id)))
                .await?;
            return Err(ApiError::validation(
                "Send either `code` (from the authenticator app) or `recovery_code`, not both.",
            ));
        }
    };
    let method = match outcome {
        Ok(method) => method,
        Err(reason) => {
            count_failure(&state, user_id).await?;
            state
                .audit
                .record(failed(&client, reason, Some(user_id)))
                .await?;
            return Err(code_refused());
        }
    };
    if !spend_challenge(&state, token).await? {
        state
            .audit
            .record(failed(&client, "challenge_used", Some(user_id)))
            .await?;
        return Err(challenge_refused());
    }
    clear_failures(&state, user_id).await?;
    let issued = start_session(&state, &user).await?;
    let event = AuditEvent::new(Action::AuthMfa, Outcome::Allowed, &client)
        .by(user.id, user.role)
        .reason_code(method);
    state.audit.record(event).await?;
    let user = UserView {
        last_login: Some(chrono::Utc::now()),
        ..user
    };
    Ok(session_response(&state, user, issued, None))
}

// ---- Enrolment -------------------------------------------------------------

/// Who is enrolling: a signed-in user, or one part-way through a sign-in
/// that requires enrolment.
enum Enroller {
    SignedIn(Caller),
    SigningIn { user_id: i64, token: String },
}

impl Enroller {
    fn user_id(&self) -> i64 {
        match self {
            Enroller::SignedIn(caller) => caller.user_id,
            Enroller::SigningIn { user_id, .. } => *user_id,
        }
    }
}

/// Establishes the enroller from the bearer token or the challenge; a
/// refusal is audited and returned as the response.
async fn enroller(
    state: &AppState,
    headers: &HeaderMap,
    client: &ClientInfo,
    mfa_token: Option<&Secret<String>>,
) -> Result<Result<Enroller, Response>, ApiError> {
    if guard::has_bearer(headers) {
        return Ok(guard::signed_in(state, headers, client)
            .await
            .map(Enroller::SignedIn));
    }
    let Some(token) = mfa_token.map(|t| t.expose().clone()) else {
        state
            .audit
            .record(failed(client, "missing_credentials", None))
            .await?;
        return Ok(Err(ApiError::Unauthorized(
            "Sign in first: send the bearer token, or the `mfa_token` from the sign-in step.",
        )
        .into_response()));
    };
    let claims = match open_challenge(state, &token) {
        Some(claims) if claims.r => claims,
        Some(claims) => {
            state
                .audit
                .record(failed(client, "enrolment_not_required", Some(claims.u)))
                .await?;
            return Ok(Err(ApiError::validation(
                "This account already has an authenticator: send the code to POST /api/auth/mfa instead.",
            )
            .into_response()));
        }
        None => {
            state
                .audit
                .record(failed(client, "invalid_challenge", None))
                .await?;
            return Ok(Err(challenge_refused().into_response()));
        }
    };
    if challenge_used(state, &token).await? {
        state
            .audit
            .record(failed(client, "challenge_used", Some(claims.u)))
            .await?;
        return Ok(Err(challenge_refused().into_response()));
    }
    Ok(Ok(Enroller::SigningIn {
        user_id: claims.u,
        token,
    }))
}

/// The enroller's account, refused when it is inactive or has no password
/// (single sign-on accounts use their provider's second factor).
async fn local_account(state: &AppState, client: &ClientInfo, user_id: i64) -> ApiResult<UserView> {
    let row = users::find(&state.db, user_id).await?;
    let reason = if !row.active {
        Some("inactive_user")
    } else if row.password_hash.is_none() {
        Some("single_sign_on_account")
    } else {
        None
    };
    if let Some(reason) = reason {
        state
            .audit
            .record(failed(client, reason, Some(user_id)))
            .await?;
        let error = if row.active {
            ApiError::Conflict(
                "This account signs in through single sign-on; its identity provider asks for the second factor.".into(),
            )
        } else {
            challenge_refused()
        };
        return Err(error);
    }
    Ok(UserView::from_row(row)?)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct EnrollRequest {
    mfa_token: Option<Secret<String>>,
}

#[derive(Serialize)]
struct EnrollBody {
    secret: String,
    otpauth_url: String,
    qr_svg: String,
}

/// A signed-in local user, or one whose sign-in requires enrolment: a new
/// authenticator secret, as text, an `otpauth://` address and a QR code.
async fn enroll(
    State(state): State<Arc<AppState>>,
    client: ClientInfo,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    ip_limit(&state, &client, "mfa-enroll", Action::AuthMfaFailed).await?;
    let body: EnrollRequest = if body.iter().all(u8::is_ascii_whitespace) {
        EnrollRequest::default()
    } else {
        parse_audited(&state, &client, &body).await?
    };
    let who = match enroller(&state, &headers, &client, body.mfa_token.as_ref()).await? {
        Ok(who) => who,
        Err(refusal) => return Ok(refusal),
    };
    let user = local_account(&state, &client, who.user_id()).await?;
    let secret = match mfa::start_enrolment(&state.db, &state.phi, user.id).await {
        Ok(secret) => secret,
        Err(err) => {
            state
                .audit
                .record(failed(&client, "already_enrolled", Some(user.id)))
                .await?;
            return Err(err.into());
        }
    };
    let otpauth_url = totp::otpauth_url(&user.email, &secret);
    let qr_svg =
        totp::qr_svg(&otpauth_url).map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    let event = AuditEvent::new(Action::AuthMfaEnroll, Outcome::Allowed, &client)
        .by(user.id, user.role)
        .reason_code("secret_issued");
    state.audit.record(event).await?;
    let body = EnrollBody {
        secret: totp::base32(&secret),
        otpauth_url,
        qr_svg,
    };
    Ok(axum::Json(body).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfirmRequest {
    code: Secret<String>,
    mfa_token: Option<Secret<String>>,
}

/// The enroller: confirms the new authenticator with its first code and
/// receives ten single-use recovery codes, shown this once. During a
/// sign-in the answer also carries the new session.
async fn confirm(
    State(state): State<Arc<AppState>>,
    client: ClientInfo,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    ip_limit(&state, &client, "mfa-enroll", Action::AuthMfaFailed).await?;
    let body: ConfirmRequest = parse_audited(&state, &client, &body).await?;
    let who = match enroller(&state, &headers, &client, body.mfa_token.as_ref()).await? {
        Ok(who) => who,
        Err(refusal) => return Ok(refusal),
    };
    let user = local_account(&state, &client, who.user_id()).await?;
    if let Some(limited) = throttled(&state, user.id).await? {
        state
            .audit
            .record(failed(&client, "rate_limited", Some(user.id)))
            .await?;
        return Err(limited);
    }
    let Some(pending) = mfa::pending(&state.db, user.id).await? else {
        state
            .audit
            .record(failed(&client, "no_pending_enrolment", Some(user.id)))
            .await?;
        return Err(ApiError::Conflict(
            "There is no set-up waiting for a code. Start again to get a new QR code.".into(),
        ));
    };
    let secret = mfa::secret_of(&state.phi, &pending)?;
    let step = match totp::check(&secret, body.code.expose(), totp::current_step(), None) {
        Check::Accepted(step) => step,
        Check::Replayed | Check::Wrong => {
            count_failure(&state, user.id).await?;
            state
                .audit
                .record(failed(&client, "enrolment_code_wrong", Some(user.id)))
                .await?;
            return Err(ApiError::validation(
                "That code does not match. Check that the phone sets its time automatically, then enter the code the app shows now.",
            ));
        }
    };
    if let Enroller::SigningIn { token, .. } = &who
        && !spend_challenge(&state, token).await?
    {
        state
            .audit
            .record(failed(&client, "challenge_used", Some(user.id)))
            .await?;
        return Err(challenge_refused());
    }
    let Some(codes) = mfa::confirm(&state.db, &state.phi, user.id, step).await? else {
        state
            .audit
            .record(failed(&client, "no_pending_enrolment", Some(user.id)))
            .await?;
        return Err(ApiError::Conflict(
            "This set-up was already confirmed or replaced. Start again to get a new QR code."
                .into(),
        ));
    };
    clear_failures(&state, user.id).await?;
    let event = AuditEvent::new(Action::AuthMfaEnroll, Outcome::Allowed, &client)
        .by(user.id, user.role)
        .reason_code("confirmed");
    match who {
        Enroller::SignedIn(caller) => {
            mark_fresh(&state, &caller.session_id).await?;
            state.audit.record(event).await?;
            Ok(axum::Json(json!({ "recovery_codes": codes })).into_response())
        }
        Enroller::SigningIn { .. } => {
            let issued = start_session(&state, &user).await?;
            state.audit.record(event).await?;
            let signed_in = AuditEvent::new(Action::AuthMfa, Outcome::Allowed, &client)
                .by(user.id, user.role)
                .reason_code("enrolment_code");
            state.audit.record(signed_in).await?;
            let user = UserView {
                last_login: Some(chrono::Utc::now()),
                ..user
            };
            Ok(session_response(&state, user, issued, Some(codes)))
        }
    }
}

// ---- Re-authentication -------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReauthRequest {
    password: Option<Secret<String>>,
    code: Option<Secret<String>>,
}

/// Any signed-in user: proves who they are again with the password or a
/// code, which makes the session fresh for step-up actions.
async fn reauth(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiJson(body): ApiJson<ReauthRequest>,
) -> ApiResult<StatusCode> {
    let refuse = |reason: &'static str| {
        AuditEvent::new(Action::AuthReauthFailed, Outcome::Denied, &client)
            .by(caller.user_id, caller.role)
            .reason_code(reason)
    };
    let guesses_key = format!("reauth:user:{}", caller.user_id);
    let guesses = state
        .sessions
        .peek(&guesses_key)
        .await
        .map_err(|_| limits::STORE_DOWN)?;
    if guesses.count >= u64::from(state.config.login.max_failures) {
        audit(&state, refuse("rate_limited")).await?;
        let retry_after_secs = guesses.resets_in.as_secs().max(1);
        return Err(ApiError::RateLimited { retry_after_secs });
    }
    let account = users::find(&state.db, caller.user_id).await?;
    let verdict: Result<&'static str, &'static str> = match (&body.password, &body.code) {
        (Some(password), None) => {
            let ok = state
                .passwords
                .verify(password.expose(), account.password_hash.as_deref())
                .await;
            if ok {
                Ok("password")
            } else {
                Err("bad_password")
            }
        }
        (None, Some(code)) => match mfa::confirmed(&state.db, caller.user_id).await? {
            None => Err("not_enrolled"),
            Some(row) => {
                let secret = mfa::secret_of(&state.phi, &row)?;
                match totp::check(
                    &secret,
                    code.expose(),
                    totp::current_step(),
                    row.last_used_step,
                ) {
                    Check::Accepted(step)
                        if mfa::use_step(&state.db, caller.user_id, step).await? =>
                    {
                        Ok("totp")
                    }
                    Check::Accepted(_) | Check::Replayed => Err("code_reused"),
                    Check::Wrong => Err("wrong_code"),
                }
            }
        },
        _ => {
            audit(&state, refuse("invalid_request")).await?;
            return Err(ApiError::validation(
                "Send either `password` or `code` (from the authenticator app).",
            ));
        }
    };
    match verdict {
        Ok(method) => {
            state
                .sessions
                .reset(&guesses_key)
                .await
                .map_err(|_| limits::STORE_DOWN)?;
            mark_fresh(&state, &caller.session_id).await?;
            let event = AuditEvent::new(Action::AuthReauth, Outcome::Allowed, &client)
                .by(caller.user_id, caller.role)
                .reason_code(method);
            audit(&state, event).await?;
            Ok(StatusCode::NO_CONTENT)
        }
        Err(reason) => {
            state
                .sessions
                .count(&guesses_key, state.config.login.lockout)
                .await
                .map_err(|_| limits::STORE_DOWN)?;
            audit(&state, refuse(reason)).await?;
            let message = if reason == "not_enrolled" {
                "This account has no authenticator app set up: confirm with your password instead."
            } else {
                "That password or code is not correct. Try again."
            };
            Err(ApiError::forbidden(message))
        }
    }
}
