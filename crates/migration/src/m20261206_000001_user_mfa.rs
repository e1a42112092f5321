//! The second factor: one authenticator (TOTP) secret per account, kept
//! encrypted, and its single-use recovery codes, kept only as keyed hashes.
//!
//! `user_mfa.confirmed_at` is empty while enrolment waits for its first
//! code. `last_used_step` is the time step of the last code accepted, so a
//! code cannot be used twice within its window.

use sea_orm_migration::prelude::*;

use crate::columns::{id_pk, id_ref, instant, instant_null, text_len};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserMfa {
    Table,
    UserId,
    SecretCiphertext,
    ConfirmedAt,
    LastUsedStep,
    CreatedAt,
}

#[derive(DeriveIden)]
enum UserRecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
    CreatedAt,
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
                    .table(UserMfa::Table)
                    .col(id_ref(UserMfa::UserId).primary_key())
                    .col(ColumnDef::new(UserMfa::SecretCiphertext).blob().not_null())
                    .col(instant_null(db, UserMfa::ConfirmedAt))
                    .col(ColumnDef::new(UserMfa::LastUsedStep).big_integer().null())
                    .col(instant(db, UserMfa::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_mfa_user")
                            .from(UserMfa::Table, UserMfa::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserRecoveryCodes::Table)
                    .col(id_pk(UserRecoveryCodes::Id))
                    .col(id_ref(UserRecoveryCodes::UserId))
                    .col(text_len(UserRecoveryCodes::CodeHash, 64))
                    .col(instant_null(db, UserRecoveryCodes::UsedAt))
                    .col(instant(db, UserRecoveryCodes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_recovery_codes_user")
                            .from(UserRecoveryCodes::Table, UserRecoveryCodes::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_user_recovery_codes_hash")
                    .table(UserRecoveryCodes::Table)
                    .col(UserRecoveryCodes::UserId)
                    .col(UserRecoveryCodes::CodeHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UserRecoveryCodes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(UserMfa::Table).to_owned())
            .await
    }
}
