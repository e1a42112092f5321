//! The hash chain: each row stores the SHA-256 of its canonical content,
//! which includes its id and the previous row's hash. Changing, deleting,
//! inserting or reordering rows breaks the chain at the first row touched.

use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::store::entities::{audit_chain_head, audit_log};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const VERIFY_PAGE: u64 = 2000;

#[derive(Serialize)]
struct Canonical<'a> {
    id: i64,
    timestamp: String,
    user_id: Option<i64>,
    role: Option<&'a str>,
    action: &'a str,
    resource: &'a str,
    patient_id: Option<i64>,
    record_id: Option<i64>,
    outcome: &'a str,
    reason_code: Option<&'a str>,
    emergency_use: bool,
    emergency_access_id: Option<i64>,
    purpose_of_use: Option<&'a str>,
    fields_released: Option<&'a str>,
    fields_withheld: Option<&'a str>,
    reason: Option<&'a str>,
    ip_address: Option<&'a str>,
    user_agent: Option<&'a str>,
    request_id: Option<&'a str>,
    prev_hash: &'a str,
}

pub fn format_timestamp(ts: &chrono::DateTime<chrono::Utc>) -> String {
    ts.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The hash a row must carry, computed from everything else in it.
pub fn row_hash(row: &audit_log::Model) -> String {
    let canonical = Canonical {
        id: row.id,
        timestamp: format_timestamp(&row.timestamp),
        user_id: row.user_id,
        role: row.role.as_deref(),
        action: &row.action,
        resource: &row.resource,
        patient_id: row.patient_id,
        record_id: row.record_id,
        outcome: &row.outcome,
        reason_code: row.reason_code.as_deref(),
        emergency_use: row.emergency_use,
        emergency_access_id: row.emergency_access_id,
        purpose_of_use: row.purpose_of_use.as_deref(),
        fields_released: row.fields_released.as_deref(),
        fields_withheld: row.fields_withheld.as_deref(),
        reason: row.reason.as_deref(),
        ip_address: row.ip_address.as_deref(),
        user_agent: row.user_agent.as_deref(),
        request_id: row.request_id.as_deref(),
        prev_hash: &row.prev_hash,
    };
    let bytes = serde_json::to_vec(&canonical).expect("canonical audit rows always serialise");
    hex::encode(Sha256::digest(bytes))
}

#[derive(Clone, Debug, Serialize)]
pub struct ChainReport {
    pub ok: bool,
    pub rows: u64,
    pub first_bad_id: Option<i64>,
}

/// Walks the whole chain in id order, in pages, so memory stays flat
/// however long the trail is.
pub async fn verify_chain(db: &DatabaseConnection) -> Result<ChainReport, DbErr> {
    let mut expected_id = 1i64;
    let mut prev_hash = GENESIS_HASH.to_string();
    let mut rows = 0u64;
    loop {
        let page = audit_log::Entity::find()
            .filter(audit_log::Column::Id.gte(expected_id))
            .order_by_asc(audit_log::Column::Id)
            .limit(VERIFY_PAGE)
            .all(db)
            .await?;
        let page_len = page.len() as u64;
        for row in page {
            let intact =
                row.id == expected_id && row.prev_hash == prev_hash && row_hash(&row) == row.hash;
            if !intact {
                // A gap means the missing row is the first bad one.
                let first_bad_id = Some(expected_id.min(row.id));
                return Ok(ChainReport {
                    ok: false,
                    rows,
                    first_bad_id,
                });
            }
            rows += 1;
            expected_id += 1;
            prev_hash = row.hash;
        }
        if page_len < VERIFY_PAGE {
            break;
        }
    }
    // Rows removed from the end leave the chain consistent but shorter than
    // the head records.
    let head = audit_chain_head::Entity::find_by_id(1).one(db).await?;
    let tail_intact =
        head.is_some_and(|head| head.last_id == expected_id - 1 && head.last_hash == prev_hash);
    if !tail_intact {
        return Ok(ChainReport {
            ok: false,
            rows,
            first_bad_id: Some(expected_id),
        });
    }
    Ok(ChainReport {
        ok: true,
        rows,
        first_bad_id: None,
    })
}
