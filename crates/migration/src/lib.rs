//! Schema migrations for HealthSecure.
//!
//! Every statement is built with sea-query so the same migration runs on
//! SQLite, MySQL/MariaDB and PostgreSQL; nothing here is engine-specific
//! except the timestamp column type, which must keep microseconds everywhere
//! because audit rows hash their timestamp, and MySQL's character set
//! (`m20261205_000003_utf8mb4`).

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261204_000001_initial;
mod m20261204_000002_disclosures;
mod m20261204_000003_user_identities;
mod m20261205_000003_utf8mb4;
mod m20261206_000001_user_mfa;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261204_000001_initial::Migration),
            Box::new(m20261204_000002_disclosures::Migration),
            Box::new(m20261204_000003_user_identities::Migration),
            Box::new(m20261205_000003_utf8mb4::Migration),
            Box::new(m20261206_000001_user_mfa::Migration),
        ]
    }
}
