//! The provider's callback: proves the browser is the one that started the
//! flow, uses the flow up, redeems the code, finds the account and issues
//! the same session (refresh cookie) a password login does.
//!
//! Refusals are answered two ways. A callback that does not match the
//! browser's flow (wrong, missing or reused state, a flow from another
//! browser, an ID token for another nonce) is a `400` in the contract's
//! shape: only a stale tab or an attack gets there. A person the provider
//! vouched for who may not sign in here, or a provider that failed, is sent
//! back to the sign-in page with an `sso_error` code the page explains.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::{admit, cookie, found, query_params, sso_event};
use crate::app::AppState;
use crate::audit::{Action, Outcome};
use crate::auth::oidc::flow::{FLOW_COOKIE, FLOW_TTL_SECS, clear_flow_cookie, same_state};
use crate::auth::oidc::{FlowCookieError, Provider, ProviderFailure, ReturnTo, VerifiedIdentity};
use crate::auth::refresh;
use crate::domain::identities::{self, Identity};
use crate::domain::users::{self, UserView};
use crate::http::auth::refresh_cookie;
use crate::http::context::ClientInfo;
use crate::http::error::{ApiError, ApiResult};
use crate::http::limits;

/// The sign-in page's explanation codes.
const NOT_PERMITTED: &str = "not_permitted";
const PROVIDER_ERROR: &str = "provider_error";
const MISMATCH_MESSAGE: &str = "This sign-in could not be completed: it was started in another \
    browser or tab, took longer than ten minutes, or was already used. Start again from the sign-in page.";

#[derive(Clone, Copy, Debug)]
enum Answer {
    Mismatch,
    SignInPage(&'static str),
}

/// A refused callback, with what its audit row records.
#[derive(Debug)]
struct Refusal {
    reason: &'static str,
    answer: Answer,
    user_id: Option<i64>,
    /// Identifiers an administrator needs to follow up (the provider's
    /// subject, a verified e-mail address); never a code or token.
    detail: Option<String>,
    /// Whether the flow was used up, so that its cookie should go.
    spent: bool,
}

impl Refusal {
    fn mismatch(reason: &'static str) -> Refusal {
        Refusal {
            reason,
            answer: Answer::Mismatch,
            user_id: None,
            detail: None,
            spent: false,
        }
    }

    fn sign_in_page(reason: &'static str, code: &'static str) -> Refusal {
        Refusal {
            answer: Answer::SignInPage(code),
            ..Refusal::mismatch(reason)
        }
    }

    fn spent(self) -> Refusal {
        Refusal {
            spent: true,
            ..self
        }
    }

    fn of(self, user_id: Option<i64>, detail: String) -> Refusal {
        Refusal {
            user_id,
            detail: Some(detail),
            ..self
        }
    }

    fn outcome(&self) -> Outcome {
        match self.reason {
            "provider_unavailable" | "id_token_missing" => Outcome::Failed,
            _ => Outcome::Denied,
        }
    }

    fn into_response(self) -> Response {
        let mut response = match self.answer {
            Answer::Mismatch => ApiError::validation(MISMATCH_MESSAGE).into_response(),
            Answer::SignInPage(code) => found(&format!("/sign-in?sso_error={code}"), &[]),
        };
        if self.spent
            && let Ok(value) = HeaderValue::from_str(&clear_flow_cookie())
        {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        response
    }
}

type Step<T> = ApiResult<Result<T, Refusal>>;

struct SignedIn {
    user: UserView,
    linked: bool,
    return_to: ReturnTo,
}

/// Anyone (the browser coming back from the provider): completes the
/// sign-in, or refuses it with an audit row naming the reason.
pub(super) async fn callback(
    State(state): State<Arc<AppState>>,
    Path(provider_id): Path<String>,
    client: ClientInfo,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let provider = admit(&state, "sso:callback", &provider_id, &client).await?;

    let signed_in = match finish(&state, provider, &headers, query.as_deref()).await? {
        Ok(signed_in) => signed_in,
        Err(refusal) => {
            let mut event = sso_event(
                Action::AuthSsoRejected,
                refusal.outcome(),
                &client,
                &provider_id,
                refusal.reason,
            );
            event.user_id = refusal.user_id;
            if let Some(detail) = &refusal.detail {
                event = event.reason_text(&format!("provider={}; {detail}", provider.settings.id));
            }
            state.audit.record(event).await?;
            return Ok(refusal.into_response());
        }
    };
    let user = &signed_in.user;
    users::record_login(&state.db, user.id).await?;
    let issued = refresh::start_family(&state.db, user.id, state.config.refresh_token_ttl).await?;
    crate::http::mfa::mark_fresh(&state, &issued.family_id).await?;
    let reason = if signed_in.linked {
        "identity_linked"
    } else {
        ""
    };
    let event = sso_event(
        Action::AuthSsoLogin,
        Outcome::Allowed,
        &client,
        &provider_id,
        reason,
    )
    .by(user.id, user.role);
    state.audit.record(event).await?;
    let cookies = [refresh_cookie(&issued), clear_flow_cookie()];
    Ok(found(signed_in.return_to.as_str(), &cookies))
}

/// Every check, in order; the first that fails decides the refusal.
async fn finish(
    state: &AppState,
    provider: &Provider,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Step<SignedIn> {
    let Some(params) = query_params(query) else {
        return Ok(Err(Refusal::mismatch("malformed_callback")));
    };
    let Some(presented_state) = params.get("state").filter(|s| !s.is_empty()) else {
        return Ok(Err(Refusal::mismatch("missing_state")));
    };
    let Some(sealed) = cookie(headers, FLOW_COOKIE).filter(|v| !v.is_empty()) else {
        return Ok(Err(Refusal::mismatch("missing_flow_cookie")));
    };
    let now = chrono::Utc::now().timestamp();
    let flow = match state.sso.sealer().open(&sealed, now) {
        Ok(flow) => flow,
        Err(FlowCookieError::Invalid) => return Ok(Err(Refusal::mismatch("invalid_flow_cookie"))),
        Err(FlowCookieError::Expired) => return Ok(Err(Refusal::mismatch("flow_expired"))),
    };
    if flow.provider != provider.settings.id {
        return Ok(Err(Refusal::mismatch("provider_mismatch")));
    }
    // A wrong state leaves the browser's flow alone: whoever sent it (a
    // forged link, say) must not be able to spoil a real sign-in under way.
    if !same_state(presented_state, &flow.state) {
        return Ok(Err(Refusal::mismatch("state_mismatch")));
    }
    // From here on the flow is used up, whatever happens next. The store
    // counts atomically, so of two concurrent callbacks exactly one is first.
    let ttl = Duration::from_secs(FLOW_TTL_SECS.unsigned_abs());
    let uses = state
        .sessions
        .count(&flow.used_key(), ttl)
        .await
        .map_err(|_| limits::STORE_DOWN)?;
    if uses.count > 1 {
        return Ok(Err(Refusal::mismatch("state_reused").spent()));
    }
    // RFC 9207: a provider that names itself must be the one asked.
    if params
        .get("iss")
        .is_some_and(|iss| *iss != provider.settings.issuer)
    {
        return Ok(Err(Refusal::mismatch("issuer_mismatch").spent()));
    }
    if let Some(error) = params.get("error") {
        let refusal = Refusal::sign_in_page("provider_error", PROVIDER_ERROR).spent();
        return Ok(Err(refusal.of(None, format!("error={}", plain(error)))));
    }
    let Some(code) = params.get("code").filter(|c| !c.is_empty()) else {
        return Ok(Err(Refusal::mismatch("missing_code").spent()));
    };
    let identity = match provider.redeem(state.sso.http(), code, &flow).await {
        Ok(identity) => identity,
        Err(failure) => return Ok(Err(provider_refusal(failure).spent())),
    };
    let account = account(state, provider, &identity).await?;
    Ok(account
        .map(|(user, linked)| SignedIn {
            user,
            linked,
            return_to: flow.return_to,
        })
        .map_err(Refusal::spent))
}

fn provider_refusal(failure: ProviderFailure) -> Refusal {
    let reason = failure.reason_code();
    match failure {
        ProviderFailure::Unavailable | ProviderFailure::MissingIdToken => {
            Refusal::sign_in_page(reason, PROVIDER_ERROR)
        }
        ProviderFailure::CodeRefused
        | ProviderFailure::NonceMismatch
        | ProviderFailure::InvalidIdToken => Refusal::mismatch(reason),
    }
}

/// The active account the identity reaches, with its role confirmed by
/// the provider's groups when a mapping is configured; and whether this
/// sign-in linked the identity.
async fn account(
    state: &AppState,
    provider: &Provider,
    identity: &VerifiedIdentity,
) -> Step<(UserView, bool)> {
    let who = Identity {
        provider: &provider.settings.id,
        issuer: &identity.issuer,
        subject: &identity.subject,
        verified_email: identity.verified_email.as_deref(),
    };
    let detail = describe(identity);
    let refuse =
        |reason, user_id| Refusal::sign_in_page(reason, NOT_PERMITTED).of(user_id, detail.clone());
    let reached = match identities::find(&state.db, &who).await? {
        Ok(reached) => reached,
        Err(unreached) => return Ok(Err(refuse(unreached.reason_code(), unreached.user_id()))),
    };
    let user = UserView::from_row(reached.user().clone())?;
    if !user.active {
        return Ok(Err(refuse("inactive_user", Some(user.id))));
    }
    if let Some(mapping) = &provider.settings.roles
        && !mapping.confirms(&identity.claims, user.role)
    {
        return Ok(Err(refuse("role_not_confirmed", Some(user.id))));
    }
    if provider.settings.require_mfa && !identity.used_second_factor() {
        return Ok(Err(refuse("second_factor_missing", Some(user.id))));
    }
    match identities::record_use(&state.db, &reached, &who).await? {
        Ok(linked) => Ok(Ok((user, linked))),
        Err(unreached) => Ok(Err(refuse(unreached.reason_code(), unreached.user_id()))),
    }
}

/// What the audit row keeps about who the provider vouched for.
fn describe(identity: &VerifiedIdentity) -> String {
    match &identity.verified_email {
        Some(email) => format!("subject={}; email={email}", identity.subject),
        None => format!("subject={}", identity.subject),
    }
}

/// A provider's error code as plain text: letters and underscores only.
fn plain(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(40)
        .collect()
}
