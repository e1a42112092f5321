//! Column helpers shared by the migrations.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

/// A UTC instant with microsecond precision on every engine.
///
/// MySQL's plain `DATETIME`/`TIMESTAMP` drop fractions of a second, which
/// would change an audit row's timestamp between hashing and reading back.
pub fn instant(backend: DatabaseBackend, name: impl IntoIden) -> ColumnDef {
    let mut column = ColumnDef::new(name);
    match backend {
        DatabaseBackend::MySql => column.custom(Alias::new("DATETIME(6)")),
        _ => column.timestamp_with_time_zone(),
    };
    column.not_null().take()
}

pub fn instant_null(backend: DatabaseBackend, name: impl IntoIden) -> ColumnDef {
    let mut column = instant(backend, name);
    column.null().take()
}

pub fn id_pk(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .take()
}

pub fn id_ref(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().take()
}

pub fn id_ref_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().take()
}

pub fn text_len(name: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(name).string_len(len).not_null().take()
}

pub fn text_len_null(name: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(name).string_len(len).null().take()
}

pub fn long_text_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).text().null().take()
}

pub fn flag(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name)
        .boolean()
        .not_null()
        .default(false)
        .take()
}
