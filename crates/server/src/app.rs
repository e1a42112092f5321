//! Application state and the whole router, shared by `serve` and the tests.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Method, header};
use sea_orm::DatabaseConnection;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;

use crate::audit::AuditSink;
use crate::auth::oidc::SsoProviders;
use crate::auth::{PasswordHasher, TokenService};
use crate::config::Config;
use crate::config::NotifyConfig;
use crate::domain::emergency::GrantRules;
use crate::http::{
    admin, audit, auth, disclosures, emergency, layers, openapi, ops, patients, records, spa, sso,
};
use crate::notify::{EmailChannel, Notifier, WebhookChannel};
use crate::phi::PhiCipher;
use crate::store::{self, sessions::SessionStore};

pub struct AppState {
    pub config: Arc<Config>,
    pub db: DatabaseConnection,
    pub audit: AuditSink,
    pub tokens: TokenService,
    pub passwords: PasswordHasher,
    pub phi: PhiCipher,
    pub sessions: SessionStore,
    pub notifier: Notifier,
    pub sso: SsoProviders,
    /// Set once when the server begins to stop: long-lived responses (the
    /// live feed) and background tasks end on it.
    pub stopping: tokio::sync::watch::Sender<bool>,
}

impl AppState {
    pub fn grant_rules(&self) -> GrantRules {
        let emergency = self.config.emergency;
        GrantRules {
            duration: emergency.duration,
            max_active_per_user: emergency.max_active_per_user,
            review_overdue_after: emergency.review_overdue_after,
        }
    }
}

fn notifier(config: &Config) -> Result<Notifier, String> {
    let NotifyConfig {
        smtp_url,
        smtp_from,
        alert_emails,
        webhook_url,
        webhook_secret,
    } = &config.notify;
    let email = match smtp_url {
        Some(url) => Some(EmailChannel::new(url.expose(), smtp_from, alert_emails)?),
        None => None,
    };
    let webhook = match (webhook_url, webhook_secret) {
        (Some(url), Some(secret)) => Some(WebhookChannel::new(url, secret.clone())?),
        _ => None,
    };
    Ok(Notifier::new(email, webhook, config.public_url.clone()))
}

impl AsRef<AppState> for AppState {
    fn as_ref(&self) -> &AppState {
        self
    }
}

impl AppState {
    /// Connects to the database, applies migrations and starts the audit writer.
    pub async fn start(config: Config) -> anyhow::Result<Arc<AppState>> {
        let url = config.database_url.expose().clone();
        let db = store::connect_with(&url, &config.db_pool)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
        if config.migrate_on_start {
            // Two connections of its own: one holds the migration lock.
            let migrator = store::connect(&url, 2)
                .await
                .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
            store::migrate(&migrator)
                .await
                .map_err(|e| anyhow::anyhow!("cannot apply migrations: {e}"))?;
            let _ = migrator.close().await;
        }
        // The audit writer has a connection of its own (see `store`).
        let sessions = match &config.redis_url {
            Some(url) => SessionStore::redis(url.expose())
                .await
                .map_err(anyhow::Error::msg)?,
            None => SessionStore::in_memory(),
        };
        let mut notifier = notifier(&config).map_err(anyhow::Error::msg)?;
        if let Some(url) = &config.redis_url {
            notifier = notifier
                .relay_through(url.expose())
                .await
                .map_err(anyhow::Error::msg)?;
        }
        let audit_db = store::connect(&url, 1)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the audit connection: {e}"))?;
        let sso = SsoProviders::new(&config.sso, config.jwt.secret.expose())
            .map_err(anyhow::Error::msg)?;
        let state = AppState {
            audit: AuditSink::start(audit_db),
            tokens: TokenService::new(&config.jwt),
            passwords: PasswordHasher::new(
                config.bcrypt_cost,
                config.max_concurrent_password_checks,
            ),
            phi: PhiCipher::new(config.phi_key.expose()),
            sessions,
            notifier,
            sso,
            stopping: tokio::sync::watch::Sender::new(false),
            config: Arc::new(config),
            db,
        };
        Ok(Arc::new(state))
    }
}

/// The complete router: the API, the operational endpoints and the web app.
pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .nest("/auth", auth::router(&state).merge(sso::router()))
        .nest(
            "/patients",
            patients::router(&state)
                .merge(records::patient_records_router(&state))
                .merge(disclosures::router(&state)),
        )
        .nest("/records", records::router(&state))
        .nest("/admin", admin::router(&state))
        .nest("/emergency", emergency::router(&state))
        .nest("/audit", audit::router(&state))
        .merge(openapi::router())
        .fallback(|| async {
            crate::http::ApiError::NotFound("There is no API route at this address.")
        });

    let max_body = state.config.max_body_bytes;
    Router::new()
        .nest("/api", api)
        .merge(ops::router(state.config.metrics_address.is_none()))
        .merge(spa::router(state.config.static_dir.as_deref()))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(CatchPanicLayer::custom(layers::panic_response))
        .layer(tower::util::option_layer(cors(&state.config.cors_origins)))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::request_envelope,
        ))
        .with_state(state)
}

/// CORS for the configured exact origins only; no origin is ever reflected.
/// Without configured origins there is no CORS layer at all: the web app is
/// served from the same origin as the API.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allowed: Vec<_> = origins.iter().filter_map(|o| o.parse().ok()).collect();
    let layer = CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([HeaderName::from_static("x-request-id")]);
    Some(layer)
}
