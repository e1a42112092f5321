//! Where a test's database lives.
//!
//! By default every test folder holds a SQLite file. With
//! `HS_TEST_DATABASE=mariadb` (set by `scripts/test-mariadb`) every test
//! folder is paired with a database of its own on the MariaDB server that
//! `HS_TEST_MARIADB_URL` names, reached over TLS as production reaches
//! it. The prepared template is imported once into its own database and
//! copied table by table into each test's database: a copy takes tens of
//! milliseconds where a fresh import takes seconds.

use std::path::Path;
use std::sync::OnceLock;

use sea_orm::{ConnectionTrait, DbBackend, Statement};

enum Engine {
    Sqlite,
    MariaDb { admin_url: String },
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| match std::env::var("HS_TEST_DATABASE").as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => Engine::Sqlite,
        Ok("mariadb") => Engine::MariaDb {
            admin_url: std::env::var("HS_TEST_MARIADB_URL")
                .expect("HS_TEST_MARIADB_URL names the MariaDB server (see scripts/test-mariadb)"),
        },
        Ok(other) => panic!("HS_TEST_DATABASE={other}: use sqlite or mariadb"),
    })
}

/// True when the suite runs against MariaDB (with Redis and two instances).
pub fn on_mariadb() -> bool {
    matches!(engine(), Engine::MariaDb { .. })
}

/// The database URL that belongs to a test folder.
pub fn database_url(dir: &Path) -> String {
    match engine() {
        Engine::Sqlite => format!("sqlite://{}/healthsecure.db?mode=rwc", dir.display()),
        Engine::MariaDb { admin_url } => with_database(admin_url, &database_name(dir)),
    }
}

/// Makes sure the folder's database exists (SQLite creates its file itself).
pub fn ensure_database(dir: &Path) {
    if let Engine::MariaDb { admin_url } = engine() {
        let sql = format!("CREATE DATABASE IF NOT EXISTS `{}`", database_name(dir));
        let url = admin_url.clone();
        block_on(async move {
            let db = healthsecure::store::connect(&url, 1).await.unwrap();
            db.execute_unprepared(&sql).await.unwrap();
            db.close().await.unwrap();
        });
    }
}

/// Copies the database of folder `from` into folder `to`, which must have
/// none yet: the SQLite files, or every table of the MariaDB database.
pub fn copy_database(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
    if let Engine::MariaDb { admin_url } = engine() {
        let (url, source, target) = (admin_url.clone(), database_name(from), database_name(to));
        block_on(async move { clone_mariadb(&url, &source, &target).await });
    }
}

/// A statement that makes every insert into `audit_log` fail, in the
/// engine's trigger dialect; `DROP TRIGGER audit_blocked` undoes it.
pub fn block_audit_inserts_sql() -> &'static str {
    match engine() {
        Engine::Sqlite => {
            "CREATE TRIGGER audit_blocked BEFORE INSERT ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'blocked'); END"
        }
        Engine::MariaDb { .. } => {
            "CREATE TRIGGER audit_blocked BEFORE INSERT ON audit_log \
             FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'blocked'"
        }
    }
}

async fn clone_mariadb(admin_url: &str, source: &str, target: &str) {
    let db = healthsecure::store::connect(admin_url, 1).await.unwrap();
    let tables = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::MySql,
            "SELECT table_name FROM information_schema.tables \
             WHERE table_schema = ? AND table_type = 'BASE TABLE'",
            [source.into()],
        ))
        .await
        .unwrap();
    let mut definitions = Vec::new();
    for row in tables {
        let table: String = row.try_get_by_index(0).unwrap();
        let show = format!("SHOW CREATE TABLE `{source}`.`{table}`");
        let created = db
            .query_one_raw(Statement::from_string(DbBackend::MySql, show))
            .await
            .unwrap()
            .unwrap();
        definitions.push((table, created.try_get_by_index::<String>(1).unwrap()));
    }
    // One pooled connection, so the session settings hold for every statement.
    db.execute_unprepared(&format!("CREATE DATABASE `{target}`"))
        .await
        .unwrap();
    db.execute_unprepared(&format!("USE `{target}`"))
        .await
        .unwrap();
    db.execute_unprepared("SET FOREIGN_KEY_CHECKS = 0")
        .await
        .unwrap();
    for (table, definition) in definitions {
        db.execute_unprepared(&definition).await.unwrap();
        db.execute_unprepared(&format!(
            "INSERT INTO `{target}`.`{table}` SELECT * FROM `{source}`.`{table}`"
        ))
        .await
        .unwrap();
    }
    db.close().await.unwrap();
}

/// A database name derived from the folder's unique temporary name.
fn database_name(dir: &Path) -> String {
    let name = dir.file_name().unwrap().to_string_lossy();
    let tag: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("hs_{tag}")
}

/// `mysql://user:password@host:port/[db]?options` with the database replaced.
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, options) = admin_url.split_once('?').unwrap_or((admin_url, ""));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &base[..authority_end]);
    if !options.is_empty() {
        url.push('?');
        url.push_str(options);
    }
    url
}

/// Runs a future to completion on a thread of its own, so that the
/// synchronous helpers can use the database from inside a test's runtime.
fn block_on<F>(future: F) -> F::Output
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    std::thread::spawn(move || {
        let _ = rustls::crypto::ring::default_provider().install_default();
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    })
    .join()
    .unwrap()
}
