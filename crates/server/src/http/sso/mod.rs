//! Single sign-on routes: the provider list for the sign-in page, the start
//! of a flow, and the provider's callback (in `callback`).
//!
//! These routes are public and audit themselves: every start, every
//! completed sign-in and every refusal writes one row, which names the
//! provider and a reason code but never a code, state, nonce or token.

mod callback;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use openidconnect::url::form_urlencoded;
use serde::Serialize;

use super::context::ClientInfo;
use super::error::{ApiError, ApiResult};
use super::limits;
use crate::app::AppState;
use crate::audit::{Action, AuditEvent, Outcome};
use crate::auth::oidc::flow::flow_cookie;
use crate::auth::oidc::{Provider, ReturnTo};

const MINUTE: std::time::Duration = std::time::Duration::from_secs(60);

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/providers", get(providers))
        .route("/oidc/{provider}/login", get(start))
        .route("/oidc/{provider}/callback", get(callback::callback))
}

#[derive(Serialize)]
struct ProviderView {
    id: String,
    name: String,
}

/// Anyone: the configured providers, one sign-in button each.
async fn providers(State(state): State<Arc<AppState>>) -> Json<Vec<ProviderView>> {
    let list = state.sso.list().map(|p| ProviderView {
        id: p.id.clone(),
        name: p.name.clone(),
    });
    Json(list.collect())
}

/// Anyone: sends the browser to the provider with a new flow (state, nonce
/// and PKCE challenge), whose secrets wait in a sealed cookie for the
/// callback. `return_to` must be a path on this site.
async fn start(
    State(state): State<Arc<AppState>>,
    Path(provider_id): Path<String>,
    client: ClientInfo,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let provider = admit(&state, "sso:start", &provider_id, &client).await?;
    let refuse = |reason, outcome| {
        sso_event(
            Action::AuthSsoRejected,
            outcome,
            &client,
            &provider_id,
            reason,
        )
    };
    let return_to = match query_params(query.as_deref()).map(|q| q.get("return_to").cloned()) {
        Some(None) => Some(ReturnTo::home()),
        Some(Some(raw)) => ReturnTo::parse(&raw),
        None => None,
    };
    let Some(return_to) = return_to else {
        state
            .audit
            .record(refuse("invalid_return_to", Outcome::Denied))
            .await?;
        return Err(ApiError::validation(
            "return_to must be a path on this site, such as /patients.",
        ));
    };

    let Ok(authorization) = provider.authorize(state.sso.http(), return_to).await else {
        state
            .audit
            .record(refuse("provider_unavailable", Outcome::Failed))
            .await?;
        return Err(ApiError::Unavailable(
            "The sign-on provider cannot be reached right now. Try again shortly, or sign in with your password.",
        ));
    };
    let sealed = state.sso.sealer().seal(&authorization.flow);
    let started = sso_event(
        Action::AuthSsoStart,
        Outcome::Allowed,
        &client,
        &provider_id,
        "",
    );
    state.audit.record(started).await?;
    Ok(found(authorization.url.as_str(), &[flow_cookie(&sealed)]))
}

/// The first steps of both routes: the per-address limit (as for password
/// sign-in; fails closed when the session store is down), then the
/// provider named in the path. Both refusals are audited.
async fn admit<'a>(
    state: &'a AppState,
    route: &str,
    provider_id: &str,
    client: &ClientInfo,
) -> ApiResult<&'a Provider> {
    let refuse = |reason| {
        sso_event(
            Action::AuthSsoRejected,
            Outcome::Denied,
            client,
            provider_id,
            reason,
        )
    };
    let key = format!("{route}:ip:{}", limits::client_key(client));
    let limit = state.config.login.attempts_per_minute;
    if let Err(err) = limits::within(state, &key, limit, MINUTE).await {
        if limits::is_rate_limited(&err) {
            state.audit.record(refuse("rate_limited")).await?;
        }
        return Err(err);
    }
    let Some(provider) = state.sso.get(provider_id) else {
        state.audit.record(refuse("unknown_provider")).await?;
        return Err(ApiError::NotFound("No sign-on provider has that id."));
    };
    Ok(provider)
}

/// One audit row about a sign-on attempt with a provider (named by the
/// path, so kept to plain characters); an empty reason leaves the reason
/// code unset.
fn sso_event(
    action: Action,
    outcome: Outcome,
    client: &ClientInfo,
    provider_id: &str,
    reason: &'static str,
) -> AuditEvent {
    let plain: String = provider_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(64)
        .collect();
    let event = AuditEvent::new(action, outcome, client).reason_text(&format!("provider={plain}"));
    if reason.is_empty() {
        event
    } else {
        event.reason_code(reason)
    }
}

/// The query's parameters, or `None` when a name appears twice (a second
/// `state` or `code` must never be silently chosen between).
fn query_params(raw: Option<&str>) -> Option<HashMap<String, String>> {
    let mut params = HashMap::new();
    for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if params
            .insert(name.into_owned(), value.into_owned())
            .is_some()
        {
            return None;
        }
    }
    Some(params)
}

/// One cookie's value from the request.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
}

/// A `302 Found` to `location`, setting `cookies`.
fn found(location: &str, cookies: &[String]) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, value);
    }
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_query_parameters_are_refused() {
        let params = query_params(Some("code=a&state=b&iss=http%3A%2F%2Fx")).unwrap();
        assert_eq!(params["iss"], "http://x");
        assert!(query_params(Some("state=a&state=b")).is_none());
        assert!(query_params(None).unwrap().is_empty());
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("hs_oidc_x=1; hs_oidc=sealed.value; other=2"),
        );
        assert_eq!(cookie(&headers, "hs_oidc").as_deref(), Some("sealed.value"));
        assert_eq!(cookie(&headers, "missing"), None);
    }
}
