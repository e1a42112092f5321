//! Emergency alerts as a signed JSON POST to `ALERT_WEBHOOK_URL`.
//!
//! The receiver checks `X-HealthSecure-Signature`: `sha256=` and the hex
//! HMAC-SHA-256, keyed with `ALERT_WEBHOOK_SECRET`, of the timestamp in
//! `X-HealthSecure-Timestamp`, a dot, and the raw body. Including the time
//! lets receivers refuse replays.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::GrantAlert;
use crate::secret::Secret;

#[derive(Clone)]
pub struct WebhookChannel {
    client: reqwest::Client,
    url: reqwest::Url,
    secret: Secret<String>,
}

/// The signature header value for a timestamp and body.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

impl WebhookChannel {
    pub fn new(url: &str, secret: Secret<String>) -> Result<WebhookChannel, String> {
        let url: reqwest::Url = url
            .parse()
            .map_err(|_| "ALERT_WEBHOOK_URL is not a valid URL".to_string())?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err("ALERT_WEBHOOK_URL must be an http(s) URL".into());
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|_| "cannot build the webhook client".to_string())?;
        Ok(WebhookChannel {
            client,
            url,
            secret,
        })
    }

    pub async fn send(&self, alert: &GrantAlert) -> Result<(), String> {
        let body = serde_json::to_vec(alert).map_err(|_| "cannot encode the alert".to_string())?;
        let timestamp = chrono::Utc::now().timestamp();
        let response = self
            .client
            .post(self.url.clone())
            .header("content-type", "application/json")
            .header("x-healthsecure-timestamp", timestamp.to_string())
            .header(
                "x-healthsecure-signature",
                signature(self.secret.expose(), timestamp, &body),
            )
            .body(body)
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    "webhook timed out".to_string()
                } else {
                    "webhook unreachable".to_string()
                }
            })?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(format!("webhook answered {}", response.status().as_u16()))
        }
    }
}
