//! The initial schema: staff, patients, records, care teams, emergency
//! grants, refresh-token families and the hash-chained audit log.

use sea_orm_migration::prelude::*;

use crate::columns::{
    flag, id_pk, id_ref, id_ref_null, instant, instant_null, long_text_null, text_len,
    text_len_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    Role,
    PasswordHash,
    Active,
    MustChangePassword,
    LastLogin,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Patients {
    Table,
    Id,
    Mrn,
    FhirId,
    FirstName,
    LastName,
    DateOfBirth,
    Sex,
    Phone,
    Address,
    EmergencyContact,
    SsnCiphertext,
    SsnIndex,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MedicalRecords {
    Table,
    Id,
    PatientId,
    DoctorId,
    RecordType,
    Diagnosis,
    Treatment,
    Notes,
    Medications,
    Severity,
    Sensitive,
    SourceId,
    RecordedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CareTeamAssignments {
    Table,
    Id,
    UserId,
    PatientId,
    AssignedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EmergencyAccess {
    Table,
    Id,
    UserId,
    PatientId,
    ReasonCategory,
    Reason,
    TokenHash,
    RequestedAt,
    ActivatedAt,
    ExpiresAt,
    RevokedAt,
    RevokedBy,
    ExpiryAudited,
    ReviewedAt,
    ReviewedBy,
    ReviewOutcome,
    ReviewNote,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    FamilyId,
    TokenHash,
    UserId,
    IssuedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    Timestamp,
    UserId,
    Role,
    Action,
    Resource,
    PatientId,
    RecordId,
    Outcome,
    ReasonCode,
    EmergencyUse,
    EmergencyAccessId,
    PurposeOfUse,
    FieldsReleased,
    FieldsWithheld,
    Reason,
    IpAddress,
    UserAgent,
    RequestId,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditChainHead {
    Table,
    Id,
    LastId,
    LastHash,
}

/// The chain's starting point: the previous hash of the very first row.
const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(id_pk(Users::Id))
                    .col(text_len(Users::Email, 254).unique_key())
                    .col(text_len(Users::Name, 200))
                    .col(text_len(Users::Role, 16))
                    .col(text_len_null(Users::PasswordHash, 100))
                    .col(flag(Users::Active))
                    .col(flag(Users::MustChangePassword))
                    .col(instant_null(db, Users::LastLogin))
                    .col(instant(db, Users::CreatedAt))
                    .col(instant(db, Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Patients::Table)
                    .col(id_pk(Patients::Id))
                    .col(text_len(Patients::Mrn, 64).unique_key())
                    .col(text_len_null(Patients::FhirId, 64).unique_key())
                    .col(text_len(Patients::FirstName, 100))
                    .col(text_len(Patients::LastName, 100))
                    .col(ColumnDef::new(Patients::DateOfBirth).date().not_null())
                    .col(text_len(Patients::Sex, 16))
                    .col(text_len_null(Patients::Phone, 40))
                    .col(text_len_null(Patients::Address, 300))
                    .col(text_len_null(Patients::EmergencyContact, 300))
                    .col(ColumnDef::new(Patients::SsnCiphertext).blob().null())
                    .col(text_len_null(Patients::SsnIndex, 64).unique_key())
                    .col(id_ref_null(Patients::CreatedBy))
                    .col(instant(db, Patients::CreatedAt))
                    .col(instant(db, Patients::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_patients_name")
                    .table(Patients::Table)
                    .col(Patients::LastName)
                    .col(Patients::FirstName)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MedicalRecords::Table)
                    .col(id_pk(MedicalRecords::Id))
                    .col(id_ref(MedicalRecords::PatientId))
                    .col(id_ref_null(MedicalRecords::DoctorId))
                    .col(text_len(MedicalRecords::RecordType, 16))
                    .col(text_len(MedicalRecords::Diagnosis, 500))
                    .col(long_text_null(MedicalRecords::Treatment))
                    .col(long_text_null(MedicalRecords::Notes))
                    .col(long_text_null(MedicalRecords::Medications))
                    .col(text_len(MedicalRecords::Severity, 16))
                    .col(flag(MedicalRecords::Sensitive))
                    .col(text_len_null(MedicalRecords::SourceId, 128))
                    .col(instant(db, MedicalRecords::RecordedAt))
                    .col(instant(db, MedicalRecords::CreatedAt))
                    .col(instant(db, MedicalRecords::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_records_patient")
                            .from(MedicalRecords::Table, MedicalRecords::PatientId)
                            .to(Patients::Table, Patients::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_records_doctor")
                            .from(MedicalRecords::Table, MedicalRecords::DoctorId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_records_patient_time")
                    .table(MedicalRecords::Table)
                    .col(MedicalRecords::PatientId)
                    .col(MedicalRecords::RecordedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_records_source")
                    .table(MedicalRecords::Table)
                    .col(MedicalRecords::PatientId)
                    .col(MedicalRecords::SourceId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CareTeamAssignments::Table)
                    .col(id_pk(CareTeamAssignments::Id))
                    .col(id_ref(CareTeamAssignments::UserId))
                    .col(id_ref(CareTeamAssignments::PatientId))
                    .col(id_ref_null(CareTeamAssignments::AssignedBy))
                    .col(instant(db, CareTeamAssignments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_care_team_user")
                            .from(CareTeamAssignments::Table, CareTeamAssignments::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_care_team_patient")
                            .from(CareTeamAssignments::Table, CareTeamAssignments::PatientId)
                            .to(Patients::Table, Patients::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_care_team_user_patient")
                    .table(CareTeamAssignments::Table)
                    .col(CareTeamAssignments::UserId)
                    .col(CareTeamAssignments::PatientId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_care_team_patient")
                    .table(CareTeamAssignments::Table)
                    .col(CareTeamAssignments::PatientId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EmergencyAccess::Table)
                    .col(id_pk(EmergencyAccess::Id))
                    .col(id_ref(EmergencyAccess::UserId))
                    .col(id_ref(EmergencyAccess::PatientId))
                    .col(text_len(EmergencyAccess::ReasonCategory, 48))
                    .col(long_text_null(EmergencyAccess::Reason))
                    .col(text_len(EmergencyAccess::TokenHash, 64).unique_key())
                    .col(instant(db, EmergencyAccess::RequestedAt))
                    .col(instant_null(db, EmergencyAccess::ActivatedAt))
                    .col(instant(db, EmergencyAccess::ExpiresAt))
                    .col(instant_null(db, EmergencyAccess::RevokedAt))
                    .col(id_ref_null(EmergencyAccess::RevokedBy))
                    .col(flag(EmergencyAccess::ExpiryAudited))
                    .col(instant_null(db, EmergencyAccess::ReviewedAt))
                    .col(id_ref_null(EmergencyAccess::ReviewedBy))
                    .col(text_len_null(EmergencyAccess::ReviewOutcome, 32))
                    .col(long_text_null(EmergencyAccess::ReviewNote))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_emergency_user")
                            .from(EmergencyAccess::Table, EmergencyAccess::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_emergency_patient")
                            .from(EmergencyAccess::Table, EmergencyAccess::PatientId)
                            .to(Patients::Table, Patients::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_emergency_user_patient")
                    .table(EmergencyAccess::Table)
                    .col(EmergencyAccess::UserId)
                    .col(EmergencyAccess::PatientId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(id_pk(RefreshTokens::Id))
                    .col(text_len(RefreshTokens::FamilyId, 36))
                    .col(text_len(RefreshTokens::TokenHash, 64).unique_key())
                    .col(id_ref(RefreshTokens::UserId))
                    .col(instant(db, RefreshTokens::IssuedAt))
                    .col(instant(db, RefreshTokens::ExpiresAt))
                    .col(instant_null(db, RefreshTokens::UsedAt))
                    .col(instant_null(db, RefreshTokens::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_family")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::FamilyId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_user")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::UserId)
                    .to_owned(),
            )
            .await?;

        // Audit ids are assigned by the chain writer under the chain-head
        // lock, not by the engine, so that ids are gap-free and a missing
        // row is itself evidence of tampering.
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(
                        ColumnDef::new(AuditLog::Id)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(instant(db, AuditLog::Timestamp))
                    .col(id_ref_null(AuditLog::UserId))
                    .col(text_len_null(AuditLog::Role, 16))
                    .col(text_len(AuditLog::Action, 48))
                    .col(text_len(AuditLog::Resource, 32))
                    .col(id_ref_null(AuditLog::PatientId))
                    .col(id_ref_null(AuditLog::RecordId))
                    .col(text_len(AuditLog::Outcome, 16))
                    .col(text_len_null(AuditLog::ReasonCode, 48))
                    .col(flag(AuditLog::EmergencyUse))
                    .col(id_ref_null(AuditLog::EmergencyAccessId))
                    .col(text_len_null(AuditLog::PurposeOfUse, 16))
                    .col(text_len_null(AuditLog::FieldsReleased, 500))
                    .col(text_len_null(AuditLog::FieldsWithheld, 500))
                    .col(long_text_null(AuditLog::Reason))
                    .col(text_len_null(AuditLog::IpAddress, 64))
                    .col(text_len_null(AuditLog::UserAgent, 256))
                    .col(text_len_null(AuditLog::RequestId, 64))
                    .col(text_len(AuditLog::PrevHash, 64))
                    .col(text_len(AuditLog::Hash, 64))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_audit_time", vec![AuditLog::Timestamp]),
            (
                "idx_audit_user",
                vec![AuditLog::UserId, AuditLog::Timestamp],
            ),
            (
                "idx_audit_patient",
                vec![AuditLog::PatientId, AuditLog::Timestamp],
            ),
            (
                "idx_audit_action",
                vec![AuditLog::Action, AuditLog::Timestamp],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(AuditLog::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(AuditChainHead::Table)
                    .col(
                        ColumnDef::new(AuditChainHead::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AuditChainHead::LastId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(text_len(AuditChainHead::LastHash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(AuditChainHead::Table)
                    .columns([
                        AuditChainHead::Id,
                        AuditChainHead::LastId,
                        AuditChainHead::LastHash,
                    ])
                    .values_panic([1.into(), 0i64.into(), GENESIS_HASH.into()])
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The audit trail is evidence: there is deliberately no way back
        // from this migration that drops it.
        let _ = manager;
        Err(DbErr::Migration(
            "the initial schema holds the audit trail and cannot be rolled back".into(),
        ))
    }
}
