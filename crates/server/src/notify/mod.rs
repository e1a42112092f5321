//! Telling administrators about emergency access at once: e-mail over SMTP,
//! a signed webhook, and a live feed for the web app.
//!
//! Delivery never blocks the emergency itself: the live feed is an
//! in-process broadcast (relayed through Redis between instances when Redis
//! is configured, see `relay`), and e-mail and webhook run in the
//! background with retries. Alerts carry ids, role, category and times, never patient data
//! or the clinician's justification.

mod email;
mod relay;
mod webhook;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::broadcast;

use crate::domain::emergency::GrantView;
use crate::policy::Role;

pub use email::EmailChannel;
pub use relay::Relay;
pub use webhook::{WebhookChannel, signature};

/// What an alert says about a grant.
#[derive(Clone, Debug, Serialize)]
pub struct GrantAlert {
    pub event: &'static str,
    pub grant_id: i64,
    pub user_id: i64,
    pub user_role: Option<Role>,
    pub patient_id: i64,
    pub reason_category: String,
    pub requested_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub review_url: Option<String>,
}

impl GrantAlert {
    pub fn requested(grant: &GrantView, public_url: Option<&str>) -> GrantAlert {
        GrantAlert {
            event: "emergency.request",
            grant_id: grant.id,
            user_id: grant.user_id,
            user_role: grant.user_role,
            patient_id: grant.patient_id,
            reason_category: grant.reason_category.clone(),
            requested_at: grant.requested_at,
            expires_at: grant.expires_at,
            review_url: public_url
                .map(|base| format!("{}/admin/emergency", base.trim_end_matches('/'))),
        }
    }
}

const LIVE_BUFFER: usize = 256;
const ATTEMPTS: [Duration; 3] = [
    Duration::ZERO,
    Duration::from_millis(500),
    Duration::from_secs(3),
];

#[derive(Clone)]
pub struct Notifier {
    email: Option<EmailChannel>,
    webhook: Option<WebhookChannel>,
    /// Grant changes as JSON, for the connected administrators.
    live: broadcast::Sender<Arc<str>>,
    relay: Option<Relay>,
    public_url: Option<String>,
}

impl Notifier {
    pub fn new(
        email: Option<EmailChannel>,
        webhook: Option<WebhookChannel>,
        public_url: Option<String>,
    ) -> Notifier {
        let (live, _) = broadcast::channel(LIVE_BUFFER);
        Notifier {
            email,
            webhook,
            live,
            relay: None,
            public_url,
        }
    }

    /// Shares the live feed with every instance through Redis.
    pub async fn relay_through(mut self, redis_url: &str) -> Result<Notifier, String> {
        self.relay = Some(Relay::start(redis_url, self.live.clone()).await?);
        Ok(self)
    }

    /// A receiver of grant changes (JSON) for one live-feed client.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<str>> {
        self.live.subscribe()
    }

    /// Publishes a grant change to connected administrators, on every
    /// instance when the feed is relayed.
    pub fn publish(&self, grant: &GrantView) {
        let Ok(json) = serde_json::to_string(grant) else {
            return;
        };
        let Some(relay) = self.relay.clone() else {
            let _ = self.live.send(Arc::from(json));
            return;
        };
        let live = self.live.clone();
        tokio::spawn(async move {
            if let Err(kind) = relay.publish(&json).await {
                // This instance's administrators still hear of it.
                tracing::warn!(kind = %kind, "live feed not relayed through Redis");
                let _ = live.send(Arc::from(json));
            }
        });
    }

    /// Announces a new grant everywhere; returns at once.
    pub fn grant_requested(&self, grant: &GrantView) {
        self.publish(grant);
        let alert = GrantAlert::requested(grant, self.public_url.as_deref());
        if let Some(email) = self.email.clone() {
            let alert = alert.clone();
            tokio::spawn(
                async move { deliver("email", alert.grant_id, || email.send(&alert)).await },
            );
        }
        if let Some(webhook) = self.webhook.clone() {
            tokio::spawn(async move {
                deliver("webhook", alert.grant_id, || webhook.send(&alert)).await
            });
        }
    }
}

/// Tries a delivery a few times, logging each failure (without details
/// that could carry data) and giving up quietly.
async fn deliver<F, Fut>(channel: &'static str, grant_id: i64, attempt: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    for (number, delay) in ATTEMPTS.iter().enumerate() {
        tokio::time::sleep(*delay).await;
        match attempt().await {
            Ok(()) => {
                tracing::info!(
                    channel,
                    grant_id,
                    attempt = number + 1,
                    "emergency alert delivered"
                );
                return;
            }
            Err(problem) => {
                tracing::warn!(channel, grant_id, attempt = number + 1, problem = %problem, "emergency alert not delivered");
            }
        }
    }
    tracing::error!(channel, grant_id, "emergency alert abandoned after retries");
}
