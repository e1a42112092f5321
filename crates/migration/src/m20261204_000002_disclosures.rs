//! Disclosures made outside the system (a chart faxed to a specialist, a
//! record sent to a court), recorded by the care team so that a patient's
//! accounting of disclosures covers them as HIPAA 164.528 asks.
//!
//! Like the audit trail, this table is append-only: the product has no way
//! to change or remove a recorded disclosure.

use sea_orm_migration::prelude::*;

use crate::columns::{id_pk, id_ref, instant, text_len};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Disclosures {
    Table,
    Id,
    PatientId,
    RecordedBy,
    RecordedByRole,
    Recipient,
    Purpose,
    Description,
    DisclosedOn,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Patients {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(Disclosures::Table)
                    .col(id_pk(Disclosures::Id))
                    .col(id_ref(Disclosures::PatientId))
                    .col(id_ref(Disclosures::RecordedBy))
                    .col(text_len(Disclosures::RecordedByRole, 16))
                    .col(text_len(Disclosures::Recipient, 200))
                    .col(text_len(Disclosures::Purpose, 200))
                    .col(ColumnDef::new(Disclosures::Description).text().not_null())
                    .col(ColumnDef::new(Disclosures::DisclosedOn).date().not_null())
                    .col(instant(db, Disclosures::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_disclosures_patient")
                            .from(Disclosures::Table, Disclosures::PatientId)
                            .to(Patients::Table, Patients::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_disclosures_user")
                            .from(Disclosures::Table, Disclosures::RecordedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_disclosures_patient")
                    .table(Disclosures::Table)
                    .col(Disclosures::PatientId)
                    .col(Disclosures::DisclosedOn)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let _ = manager;
        Err(DbErr::Migration(
            "recorded disclosures are part of patients' accountings and cannot be rolled back"
                .into(),
        ))
    }
}
