//! The hash chain: each row stores the SHA-256 of its canonical content,
//! which includes its id and the previous row's hash. Changing, deleting,
//! inserting or reordering rows breaks the chain at the first row touched.

use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
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
    /// The hash of the last row verified, when the chain is intact. Kept
    /// somewhere the database's administrators cannot write, it proves
    /// later that no one rewrote the chain up to that row.
    pub last_hash: Option<String>,
}

/// Where a walk of the chain has got to.
struct Walk {
    expected_id: i64,
    prev_hash: String,
    rows: u64,
}

impl Walk {
    fn broken(&self, first_bad_id: i64) -> ChainReport {
        ChainReport {
            ok: false,
            rows: self.rows,
            first_bad_id: Some(first_bad_id),
            last_hash: None,
        }
    }

    /// Checks rows from `expected_id` to `last_id` in pages, so memory stays
    /// flat however long the trail is. Returns the first bad id, if any.
    async fn run_to(
        &mut self,
        db: &DatabaseConnection,
        last_id: i64,
    ) -> Result<Option<i64>, DbErr> {
        while self.expected_id <= last_id {
            let page = audit_log::Entity::find()
                .filter(audit_log::Column::Id.gte(self.expected_id))
                .filter(audit_log::Column::Id.lte(last_id))
                .order_by_asc(audit_log::Column::Id)
                .limit(VERIFY_PAGE)
                .all(db)
                .await?;
            if page.is_empty() {
                // Rows removed from the end: the head names rows that are gone.
                return Ok(Some(self.expected_id));
            }
            for row in page {
                let intact = row.id == self.expected_id
                    && row.prev_hash == self.prev_hash
                    && row_hash(&row) == row.hash;
                if !intact {
                    // A gap means the missing row is the first bad one.
                    return Ok(Some(self.expected_id.min(row.id)));
                }
                self.rows += 1;
                self.expected_id += 1;
                self.prev_hash = row.hash;
            }
        }
        Ok(None)
    }
}

async fn head(db: &DatabaseConnection) -> Result<Option<(i64, String)>, DbErr> {
    let head = audit_chain_head::Entity::find_by_id(1).one(db).await?;
    Ok(head.map(|h| (h.last_id, h.last_hash)))
}

/// Walks the whole chain in id order up to the chain head.
///
/// The head is read before the rows: rows committed while the walk runs
/// lie beyond it and are checked on the next round instead of looking like
/// a broken tail, so verifying a live server gives no false alarms. Rows
/// beyond a head that has stopped moving were never appended by the writer
/// and break the chain.
pub async fn verify_chain(db: &DatabaseConnection) -> Result<ChainReport, DbErr> {
    let mut walk = Walk {
        expected_id: 1,
        prev_hash: GENESIS_HASH.to_string(),
        rows: 0,
    };
    let Some((mut last_id, mut last_hash)) = head(db).await? else {
        return Ok(walk.broken(1));
    };
    loop {
        if let Some(bad) = walk.run_to(db, last_id).await? {
            return Ok(walk.broken(bad));
        }
        if walk.prev_hash != last_hash {
            return Ok(walk.broken(last_id.max(1)));
        }
        let beyond = audit_log::Entity::find()
            .filter(audit_log::Column::Id.gt(last_id))
            .count(db)
            .await?;
        if beyond == 0 {
            break;
        }
        let (newer_id, newer_hash) = head(db).await?.unwrap_or((last_id, last_hash.clone()));
        if newer_id == last_id {
            return Ok(walk.broken(last_id + 1));
        }
        (last_id, last_hash) = (newer_id, newer_hash);
    }
    Ok(ChainReport {
        ok: true,
        rows: walk.rows,
        first_bad_id: None,
        last_hash: Some(walk.prev_hash),
    })
}
