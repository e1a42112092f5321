//! Per-request context: the request id and the client's address and agent,
//! available to error rendering and audit without threading them through
//! every call.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};

tokio::task_local! {
    static REQUEST_ID: String;
}

pub const REQUEST_ID_HEADER: &str = "x-request-id";
const USER_AGENT_CAP: usize = 256;

/// Runs `fut` with `id` as the current request id.
pub async fn with_request_id<F: std::future::Future>(id: String, fut: F) -> F::Output {
    REQUEST_ID.scope(id, fut).await
}

pub fn current_request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_default()
}

/// Accepts a caller-supplied id only when it is a short, plain token, so it
/// can be echoed into headers, logs and audit rows safely.
pub fn accept_request_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(REQUEST_ID_HEADER)?.to_str().ok()?;
    let plain = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    plain.then(|| value.to_string())
}

pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

pub fn header_value(id: &str) -> HeaderValue {
    HeaderValue::from_str(id).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

/// Who is on the other end of the request, as far as audit is concerned.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    pub request_id: String,
}

/// The client address is the socket peer, unless that peer is a configured
/// trusted proxy; only then is `X-Forwarded-For` read, from the right,
/// skipping further trusted proxies. Anyone else's forwarding headers are
/// ignored.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok());
    let hops: Vec<IpAddr> = forwarded
        .flat_map(|v| v.split(','))
        .filter_map(|hop| hop.trim().parse().ok())
        .collect();
    Some(
        hops.into_iter()
            .rev()
            .find(|hop| !trusted.contains(hop))
            .unwrap_or(peer),
    )
}

fn user_agent(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(axum::http::header::USER_AGENT)?;
    let text = String::from_utf8_lossy(raw.as_bytes());
    Some(text.chars().take(USER_AGENT_CAP).collect())
}

impl<S> FromRequestParts<S> for ClientInfo
where
    S: Send + Sync + AsRef<crate::app::AppState>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(client_info(parts, &state.as_ref().config.trusted_proxies))
    }
}

pub fn client_info(parts: &Parts, trusted: &[IpAddr]) -> ClientInfo {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    ClientInfo {
        ip: client_ip(peer, &parts.headers, trusted),
        user_agent: user_agent(&parts.headers),
        request_id: current_request_id(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn forwarding_headers_from_untrusted_peers_are_ignored() {
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        let ip = client_ip(Some(peer), &forwarded("1.2.3.4"), &[]);
        assert_eq!(ip, Some(peer));
    }

    #[test]
    fn a_trusted_proxy_forwards_the_rightmost_untrusted_hop() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let ip = client_ip(
            Some(proxy),
            &forwarded("6.6.6.6, 198.51.100.7, 10.0.0.2"),
            &[proxy],
        );
        assert_eq!(ip, Some("198.51.100.7".parse().unwrap()));
    }

    #[test]
    fn request_ids_must_be_short_plain_tokens() {
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID_HEADER, "abc-123_x.y".parse().unwrap());
        assert_eq!(accept_request_id(&headers).as_deref(), Some("abc-123_x.y"));
        headers.insert(REQUEST_ID_HEADER, "a b".parse().unwrap());
        assert_eq!(accept_request_id(&headers), None);
        headers.insert(REQUEST_ID_HEADER, "x".repeat(65).parse().unwrap());
        assert_eq!(accept_request_id(&headers), None);
    }
}
