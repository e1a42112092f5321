//! `healthsecure serve`: the API and the web app over HTTP, or over HTTPS
//! with rustls when `TLS_CERT_FILE` and `TLS_KEY_FILE` are set, and
//! `/metrics` on an address of its own when `METRICS_ADDRESS` is set.
//!
//! On SIGTERM or Ctrl-C the server stops accepting connections, lets the
//! requests in flight finish (for at most `SHUTDOWN_GRACE`), ends the live
//! feeds and the expiry sweeper, and waits until the audit writer has
//! committed everything it was handed: a deployment that replaces an
//! instance loses no answer and no audit row.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;

use crate::app::{AppState, router};
use crate::config::{Config, TlsFiles};

pub async fn run(config: Config) -> anyhow::Result<()> {
    crate::telemetry::meters::install();
    let bind = config.bind;
    let production = config.is_production();
    let has_web_app = config.static_dir.is_some();
    let grace = config.shutdown_grace;
    let metrics_address = config.metrics_address;
    // Certificate problems are reported before anything else starts.
    let tls = match &config.tls {
        Some(files) => Some(load_tls(files).await?),
        None => None,
    };
    let state = AppState::start(config).await?;
    let sweeper = tokio::spawn(sweep_expiries(state.clone()));

    let listener = std::net::TcpListener::bind(bind)
        .map_err(|e| anyhow::anyhow!("SERVER_PORT/BIND_ADDRESS: cannot listen on {bind}: {e}"))?;
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let metrics = match metrics_address {
        Some(at) => Some(serve_metrics(state.clone(), at).await?),
        None => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(address = %address, scheme, production, web_app = has_web_app, "listening");
    eprintln!("HealthSecure is ready at {scheme}://{address}/");
    if !has_web_app {
        eprintln!(
            "(the web app is not built: the API is served, but / shows a hint; run `make web`)"
        );
    }

    let handle = Handle::new();
    tokio::spawn(stop_on_signal(handle.clone(), state.clone(), grace));
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    match tls {
        Some(tls) => {
            axum_server::from_tcp_rustls(listener, tls)?
                .handle(handle)
                .serve(app)
                .await?
        }
        None => {
            axum_server::from_tcp(listener)?
                .handle(handle)
                .serve(app)
                .await?
        }
    }

    // Every connection is closed: nothing new can reach the audit writer
    // but the sweeper, which stops at the next tick.
    let _ = sweeper.await;
    if let Some(metrics) = metrics {
        metrics.abort();
    }
    state.audit.flush().await;
    tracing::info!("stopped");
    Ok(())
}

async fn load_tls(files: &TlsFiles) -> anyhow::Result<RustlsConfig> {
    RustlsConfig::from_pem_file(&files.cert, &files.key)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "TLS_CERT_FILE/TLS_KEY_FILE: cannot use {} and {} (PEM certificate chain and private key expected): {e}",
                files.cert.display(),
                files.key.display()
            )
        })
}

/// Serves `/metrics` alone on its own address, for a scraper on a private
/// network.
async fn serve_metrics(
    state: Arc<AppState>,
    at: SocketAddr,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let listener = tokio::net::TcpListener::bind(at)
        .await
        .map_err(|e| anyhow::anyhow!("METRICS_ADDRESS: cannot listen on {at}: {e}"))?;
    let address = listener.local_addr()?;
    tracing::info!(address = %address, "metrics listening");
    let app = crate::http::ops::metrics_router(state);
    Ok(tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    }))
}

/// Writes `emergency.expired` rows once a second until the server stops.
async fn sweep_expiries(state: Arc<AppState>) {
    let mut stopping = state.stopping.subscribe();
    let stopped = async move {
        let _ = stopping.wait_for(|stop| *stop).await;
    };
    tokio::pin!(stopped);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = tick.tick() => crate::http::emergency::audit_expiries(&state).await,
            _ = &mut stopped => return,
        }
    }
}

/// Starts the graceful stop on SIGTERM (what orchestrators send) or Ctrl-C.
async fn stop_on_signal(handle: Handle<SocketAddr>, state: Arc<AppState>, grace: Duration) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!(grace_seconds = grace.as_secs(), "shutting down");
    // Live feeds end now; other requests get up to `grace` to finish.
    let _ = state.stopping.send(true);
    handle.graceful_shutdown(Some(grace));
}
