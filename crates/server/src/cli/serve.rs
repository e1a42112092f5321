use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::app::{AppState, router};
use crate::config::Config;

pub async fn run(config: Config) -> anyhow::Result<()> {
    if config.tls.is_some() {
        anyhow::bail!(
            "TLS_CERT_FILE: serving HTTPS directly is not available in this version; terminate TLS at a reverse proxy and list it in TRUSTED_PROXIES"
        );
    }
    let bind = config.bind;
    let production = config.is_production();
    let has_web_app = config.static_dir.is_some();
    let state = AppState::start(config).await?;
    let sweeper = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            tick.tick().await;
            crate::http::emergency::audit_expiries(&sweeper).await;
        }
    });
    let listener = TcpListener::bind(bind)
        .await
        .map_err(|e| anyhow::anyhow!("SERVER_PORT/BIND_ADDRESS: cannot listen on {bind}: {e}"))?;
    let address = listener.local_addr()?;
    tracing::info!(address = %address, production, web_app = has_web_app, "listening");
    eprintln!("HealthSecure is ready at http://{address}/");
    if !has_web_app {
        eprintln!(
            "(the web app is not built: the API is served, but / shows a hint; run `make web`)"
        );
    }
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
