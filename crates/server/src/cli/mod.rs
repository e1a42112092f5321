//! The `healthsecure` command line: one function per subcommand.

mod audit;
mod demo;
mod import;
mod serve;
mod user;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use sea_orm::DatabaseConnection;

use crate::audit::AuditSink;
use crate::config::Config;
use crate::phi::PhiCipher;
use crate::store;

#[derive(Parser)]
#[command(
    name = "healthsecure",
    version,
    about = "Medical data access control server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web app (configuration from the environment and `.env`).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Import FHIR R4 patient bundles (files or folders of `.json` files).
    ImportFhir {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Create demo staff and care teams, and demo patients when there are none; print the sign-ins.
    Demo {
        /// How many synthetic patients to generate when the database has none.
        #[arg(long, default_value_t = 40)]
        patients: usize,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// Verify or export the audit trail.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
}

pub async fn run() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    let stdout_is_data = matches!(
        cli.command,
        Command::Audit {
            command: audit::AuditCommand::Export { .. }
        }
    );
    crate::telemetry::init(&config.log_level, config.log_format, stdout_is_data);
    // One TLS provider for every client in the process (database, Redis,
    // SMTP, webhook), chosen here rather than by whichever library asks first.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let result = match cli.command {
        Command::Serve => serve::run(config).await,
        Command::Migrate => open(&config).await.map(|_| println!("Migrations applied.")),
        Command::ImportFhir { paths } => import::run(&config, paths).await,
        Command::Demo { patients } => demo::run(&config, patients).await,
        Command::User { command } => user::run(&config, command).await,
        Command::Audit { command } => audit::run(&config, command).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the database and applies migrations, for the offline commands.
async fn open(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let db = store::connect(config.database_url.expose(), 2)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
    store::migrate(&db)
        .await
        .map_err(|e| anyhow::anyhow!("cannot apply migrations: {e}"))?;
    Ok(db)
}

/// An audit writer for offline commands, on its own connection.
async fn audit_sink(config: &Config) -> anyhow::Result<AuditSink> {
    let db = store::connect(config.database_url.expose(), 1)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the audit connection: {e}"))?;
    Ok(AuditSink::start(db))
}

fn cipher(config: &Config) -> Arc<PhiCipher> {
    Arc::new(PhiCipher::new(config.phi_key.expose()))
}

/// The client description stored on audit rows written by the command line.
fn cli_client() -> crate::http::context::ClientInfo {
    crate::http::context::ClientInfo {
        ip: None,
        user_agent: Some(format!("healthsecure-cli/{}", env!("CARGO_PKG_VERSION"))),
        request_id: crate::http::context::new_request_id(),
    }
}
