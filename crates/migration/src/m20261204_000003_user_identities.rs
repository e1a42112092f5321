//! Links between staff accounts and their single sign-on identities.
//!
//! An identity is the pair (issuer, subject) an OpenID provider vouches
//! for; the subject never changes for a person at one issuer, whereas an
//! e-mail address can. Once a first sign-in has linked a pair to an account
//! by verified e-mail, later sign-ins find the account by the pair alone.
//!
//! A pair belongs to at most one account, and an account has at most one
//! identity per issuer, so a second account at the same issuer claiming
//! the same e-mail address cannot take an account over.

use sea_orm_migration::prelude::*;

use crate::columns::{id_pk, id_ref, instant, instant_null, text_len};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserIdentities {
    Table,
    Id,
    UserId,
    Provider,
    Issuer,
    Subject,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

/// Issuer URLs are short in practice; 300 characters keeps the unique
/// index within MySQL's key length limit in utf8mb4.
const ISSUER_LEN: u32 = 300;
/// OpenID Connect limits a subject to 255 ASCII characters.
const SUBJECT_LEN: u32 = 255;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(UserIdentities::Table)
                    .col(id_pk(UserIdentities::Id))
                    .col(id_ref(UserIdentities::UserId))
                    .col(text_len(UserIdentities::Provider, 64))
                    .col(text_len(UserIdentities::Issuer, ISSUER_LEN))
                    .col(text_len(UserIdentities::Subject, SUBJECT_LEN))
                    .col(instant(db, UserIdentities::CreatedAt))
                    .col(instant_null(db, UserIdentities::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_identities_user")
                            .from(UserIdentities::Table, UserIdentities::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_user_identities_subject")
                    .table(UserIdentities::Table)
                    .col(UserIdentities::Issuer)
                    .col(UserIdentities::Subject)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_user_identities_user_issuer")
                    .table(UserIdentities::Table)
                    .col(UserIdentities::UserId)
                    .col(UserIdentities::Issuer)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UserIdentities::Table).to_owned())
            .await
    }
}
