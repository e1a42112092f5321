//! Text on MySQL and MariaDB is stored as utf8mb4 and compared exactly.
//!
//! MariaDB before 11.6 creates latin1 tables unless the server is tuned,
//! so a patient named in Vietnamese or Chinese, or a break-glass reason
//! with an emoji, was refused with an error. The binary collation makes
//! MySQL compare text as SQLite and PostgreSQL do: exactly, case and
//! trailing spaces included (searches lower-case both sides themselves),
//! so a unique MRN or e-mail address means the same on every engine.
//!
//! Other engines are already UTF-8 throughout; this migration does nothing
//! there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const CHARSET: &str = "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::MySql {
            return Ok(());
        }
        let db = manager.get_connection();
        // Tables created by later migrations inherit the database's default.
        db.execute_unprepared(&format!("ALTER DATABASE {CHARSET}"))
            .await?;
        let tables = db
            .query_all_raw(Statement::from_string(
                DatabaseBackend::MySql,
                "SELECT table_name FROM information_schema.tables \
                 WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
            ))
            .await?;
        for row in tables {
            let table: String = row.try_get_by_index(0)?;
            let table = table.replace('`', "``");
            db.execute_unprepared(&format!("ALTER TABLE `{table}` CONVERT TO {CHARSET}"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Converting back could not hold the text stored since.
        let _ = manager;
        Err(DbErr::Migration(
            "text stored as utf8mb4 cannot be converted back safely".into(),
        ))
    }
}
