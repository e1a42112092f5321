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
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
    TransactionTrait,
};

use crate::config::PoolConfig;

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
    connect_with(url, &PoolConfig::sized(max)).await
}

/// Opens a pool shaped by `pool` with the engine's durability settings.
pub async fn connect_with(url: &str, pool: &PoolConfig) -> Result<DatabaseConnection, DbErr> {
    let engine = Engine::of(url);
    if engine == Engine::Sqlite {
        ensure_sqlite_folder(url);
    }
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(pool.max_connections)
        .min_connections(pool.min_connections)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(pool.acquire_timeout)
        .idle_timeout(pool.idle_timeout)
        .max_lifetime(pool.max_lifetime)
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
///
/// Several instances may start at once against a new database; on a server
/// engine they take turns through a named lock held for the whole run, so
/// that no two of them create the same table. (SQLite is one machine's file,
/// and its own write lock orders the writers.) The pool needs two
/// connections: one holds the lock while the other migrates.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let (lock, unlock) = match backend {
        DbBackend::MySql => (
            "SELECT GET_LOCK('healthsecure.migrate', 120)",
            Some("SELECT RELEASE_LOCK('healthsecure.migrate')"),
        ),
        // A transaction-scoped advisory lock: released at commit.
        DbBackend::Postgres => ("SELECT pg_advisory_xact_lock(7261706921)", None),
        _ => return Migrator::up(db, None).await,
    };
    // The transaction pins one pooled connection, which holds the lock.
    let holder = db.begin().await?;
    let granted = holder
        .query_one_raw(Statement::from_string(backend, lock))
        .await?;
    if backend == DbBackend::MySql {
        let granted: Option<i64> = granted.and_then(|row| row.try_get_by_index(0).ok());
        if granted != Some(1) {
            return Err(DbErr::Migration(
                "another instance has been migrating this database for two minutes".into(),
            ));
        }
    }
    let result = Migrator::up(db, None).await;
    if let Some(unlock) = unlock {
        holder
            .query_one_raw(Statement::from_string(backend, unlock))
            .await?;
    }
    holder.commit().await?;
    result
}
