//! Storage: connections, entities and the queries the services need.
//!
//! SQLite runs in WAL mode with `synchronous=FULL` so that a committed audit
//! row survives a power cut; the audit writer gets a connection of its own
//! because SQLite serialises writers and a shared pool turns that into lock
//! waits for readers.

pub mod entities;
pub mod sessions;

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    MySql,
    Postgres,
}

impl Engine {
    pub fn of(url: &str) -> Engine {
        if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres") {
            Engine::Postgres
        } else {
            Engine::MySql
        }
    }
}

/// Opens a pool of `max` connections with the engine's durability settings.
pub async fn connect(url: &str, max: u32) -> Result<DatabaseConnection, DbErr> {
    let engine = Engine::of(url);
    if engine == Engine::Sqlite {
        ensure_sqlite_folder(url);
    }
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(max)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if engine == Engine::Sqlite {
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    }
    Database::connect(options).await
}

fn ensure_sqlite_folder(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        let _ = std::fs::create_dir_all(parent);
    }
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
