//! SeaORM entities, one per table. Relations are expressed in queries, not
//! here: every join the product needs is written out where it is used.

pub mod audit_chain_head;
pub mod audit_log;
pub mod care_team;
pub mod disclosure;
pub mod emergency_access;
pub mod medical_record;
pub mod patient;
pub mod refresh_token;
pub mod user;
pub mod user_identity;
pub mod user_mfa;
pub mod user_recovery_code;
