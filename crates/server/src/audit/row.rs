//! An audit row as administrators and exports see it: the contract's field
//! names, the timestamp exactly as hashed, and both hashes, so a copy of
//! the trail can be re-verified away from the server.

use serde::Serialize;

use super::chain::format_timestamp;
use crate::store::entities::audit_log;

#[derive(Clone, Debug, Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub timestamp: String,
    pub user_id: Option<i64>,
    pub role: Option<String>,
    pub action: String,
    pub resource: String,
    pub patient_id: Option<i64>,
    pub record_id: Option<i64>,
    pub outcome: String,
    pub reason_code: Option<String>,
    pub emergency_use: bool,
    pub emergency_access_id: Option<i64>,
    pub purpose_of_use: Option<String>,
    pub fields_released: Vec<String>,
    pub fields_withheld: Vec<String>,
    pub reason: Option<String>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The stored comma-joined field list as a list of names.
pub fn field_list(stored: Option<&str>) -> Vec<String> {
    stored
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_default()
}

impl From<audit_log::Model> for AuditRow {
    fn from(row: audit_log::Model) -> Self {
        AuditRow {
            id: row.id,
            timestamp: format_timestamp(&row.timestamp),
            user_id: row.user_id,
            role: row.role,
            action: row.action,
            resource: row.resource,
            patient_id: row.patient_id,
            record_id: row.record_id,
            outcome: row.outcome,
            reason_code: row.reason_code,
            emergency_use: row.emergency_use,
            emergency_access_id: row.emergency_access_id,
            purpose_of_use: row.purpose_of_use,
            fields_released: field_list(row.fields_released.as_deref()),
            fields_withheld: field_list(row.fields_withheld.as_deref()),
            reason: row.reason,
            ip_address: row.ip_address,
            user_agent: row.user_agent,
            request_id: row.request_id,
            prev_hash: row.prev_hash,
            hash: row.hash,
        }
    }
}
