//! The live feed across instances: with Redis configured, a grant change
//! is published on a Redis channel and every instance (the publishing one
//! included) relays what the channel carries to its own connected
//! administrators. Without it an administrator connected to one replica
//! would never see a grant requested through another.
//!
//! The feed is best effort, as it is on one instance: the audit trail, the
//! e-mail and the webhook are the records; a message lost while Redis is
//! away is not replayed.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;

const CHANNEL: &str = "hs:live:grants";
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct Relay {
    publisher: ConnectionManager,
}

impl Relay {
    /// Connects the publisher and starts the subscriber, which forwards
    /// every message on the channel into `local`.
    pub async fn start(url: &str, local: broadcast::Sender<Arc<str>>) -> Result<Relay, String> {
        let client = redis::Client::open(url)
            .map_err(|_| "REDIS_URL is not a valid Redis URL".to_string())?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(1);
        let publisher = tokio::time::timeout(
            Duration::from_secs(5),
            ConnectionManager::new_with_config(client.clone(), config),
        )
        .await
        .map_err(|_| "REDIS_URL: timed out connecting to Redis".to_string())?
        .map_err(|e| format!("REDIS_URL: cannot connect to Redis ({:?})", e.kind()))?;
        // Subscribed before the instance serves: nothing published after
        // start-up is missed.
        let first = subscribe(&client)
            .await
            .map_err(|e| format!("REDIS_URL: cannot subscribe to the live feed ({e})"))?;
        tokio::spawn(relay_forever(client, first, local));
        Ok(Relay { publisher })
    }

    /// Publishes one message to every instance.
    pub async fn publish(&self, message: &str) -> Result<(), String> {
        let mut connection = self.publisher.clone();
        redis::cmd("PUBLISH")
            .arg(CHANNEL)
            .arg(message)
            .query_async::<i64>(&mut connection)
            .await
            .map(|_| ())
            .map_err(|e| format!("{:?}", e.kind()))
    }
}

async fn subscribe(client: &redis::Client) -> Result<redis::aio::PubSub, String> {
    let mut pubsub = client
        .get_async_pubsub()
        .await
        .map_err(|e| format!("{:?}", e.kind()))?;
    pubsub
        .subscribe(CHANNEL)
        .await
        .map_err(|e| format!("{:?}", e.kind()))?;
    Ok(pubsub)
}

/// Forwards the channel into this instance's feed for the life of the
/// process, subscribing again after Redis restarts.
async fn relay_forever(
    client: redis::Client,
    first: redis::aio::PubSub,
    local: broadcast::Sender<Arc<str>>,
) {
    let mut current = Some(first);
    loop {
        let pubsub = match current.take() {
            Some(pubsub) => pubsub,
            None => match subscribe(&client).await {
                Ok(pubsub) => pubsub,
                Err(kind) => {
                    tracing::warn!(kind = %kind, "cannot subscribe to the live feed in Redis");
                    tokio::time::sleep(RECONNECT_DELAY).await;
                    continue;
                }
            },
        };
        let mut messages = pubsub.into_on_message();
        while let Some(message) = messages.next().await {
            if let Ok(text) = message.get_payload::<String>() {
                let _ = local.send(Arc::from(text));
            }
        }
        tracing::warn!("the live-feed subscription to Redis ended; subscribing again");
        tokio::time::sleep(RECONNECT_DELAY).await;
    }
}
