//! A patient's accounting of disclosures (HIPAA 164.528, and the access
//! report of the proposed 164.528 rule): every read or change of the
//! patient's data found in the audit trail, allowed or refused, and every
//! disclosure recorded by hand, newest first in one list.
//!
//! Only the sort keys of the two sources are merged in the database (a
//! `UNION ALL` of kind, id and time), so paging stays exact and cheap
//! however long the patient's history; the page's rows are then read by id.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Order, Query, UnionType};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Serialize;

use super::error::DomainResult;
use super::types::{Page, PageRequest};
use crate::audit::format_timestamp;
use crate::policy::PatientGrant;
use crate::store::entities::{audit_log, disclosure, user};

/// Actions that read or change a patient's data, by prefix.
const PATIENT_DATA_ACTIONS: &[&str] = &["patient.%", "record.%", "emergency.%", "disclosure.%"];

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReportEntry {
    Access(AccessEntry),
    Disclosure(DisclosureEntry),
}

/// One audited request that touched the patient's data.
#[derive(Clone, Debug, Serialize)]
pub struct AccessEntry {
    /// Exactly as in the audit trail: microseconds, UTC.
    pub at: String,
    pub audit_id: i64,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub role: Option<String>,
    pub action: String,
    pub outcome: String,
    pub reason_code: Option<String>,
    pub purpose_of_use: Option<String>,
    pub emergency_access_id: Option<i64>,
    pub record_id: Option<i64>,
}

/// One disclosure made outside the system and recorded by hand.
#[derive(Clone, Debug, Serialize)]
pub struct DisclosureEntry {
    pub at: NaiveDate,
    pub disclosure_id: i64,
    pub user_id: i64,
    pub user_name: Option<String>,
    pub role: String,
    pub recipient: String,
    pub purpose: String,
    pub description: String,
    pub recorded_at: DateTime<Utc>,
}

fn accesses(patient_id: i64) -> Condition {
    let actions = PATIENT_DATA_ACTIONS
        .iter()
        .fold(Condition::any(), |any, prefix| {
            any.add(audit_log::Column::Action.like(*prefix))
        });
    Condition::all()
        .add(audit_log::Column::PatientId.eq(patient_id))
        .add(actions)
}

/// The page's (kind, id) keys, newest first.
async fn page_keys<C: ConnectionTrait>(
    db: &C,
    patient_id: i64,
    page: PageRequest,
) -> DomainResult<Vec<(String, i64)>> {
    let (kind, id, at) = (Alias::new("kind"), Alias::new("entry_id"), Alias::new("at"));
    let mut union = Query::select()
        .expr_as(Expr::val("access"), kind.clone())
        .expr_as(Expr::col(audit_log::Column::Id), id.clone())
        .expr_as(Expr::col(audit_log::Column::Timestamp), at.clone())
        .from(audit_log::Entity)
        .cond_where(accesses(patient_id))
        .to_owned();
    let disclosures = Query::select()
        .expr_as(Expr::val("disclosure"), kind.clone())
        .expr_as(Expr::col(disclosure::Column::Id), id.clone())
        .expr_as(Expr::col(disclosure::Column::DisclosedOn), at.clone())
        .from(disclosure::Entity)
        .and_where(disclosure::Column::PatientId.eq(patient_id))
        .to_owned();
    union.union(UnionType::All, disclosures);
    let select = Query::select()
        .column(kind.clone())
        .column(id.clone())
        .from_subquery(union, Alias::new("entries"))
        .order_by(at, Order::Desc)
        .order_by(kind, Order::Desc)
        .order_by(id, Order::Desc)
        .limit(page.page_size)
        .offset(page.offset())
        .to_owned();
    let rows = db.query_all(&select).await?;
    let keys = rows
        .iter()
        .map(|row| Ok((row.try_get("", "kind")?, row.try_get("", "entry_id")?)))
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    Ok(keys)
}

async fn names<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> DomainResult<HashMap<i64, String>> {
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(users.into_iter().map(|u| (u.id, u.name)).collect())
}

/// One page of the grant's patient's accounting.
pub async fn report<C: ConnectionTrait>(
    db: &C,
    grant: &PatientGrant,
    page: PageRequest,
) -> DomainResult<Page<ReportEntry>> {
    let patient_id = grant.patient_id();
    let total = audit_log::Entity::find()
        .filter(accesses(patient_id))
        .count(db)
        .await?
        + disclosure::Entity::find()
            .filter(disclosure::Column::PatientId.eq(patient_id))
            .count(db)
            .await?;
    let keys = page_keys(db, patient_id, page).await?;
    let ids_of = |wanted: &str| -> Vec<i64> {
        keys.iter()
            .filter(|(kind, _)| kind == wanted)
            .map(|(_, id)| *id)
            .collect()
    };
    let access_rows: HashMap<i64, audit_log::Model> = audit_log::Entity::find()
        .filter(audit_log::Column::Id.is_in(ids_of("access")))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    let disclosure_rows: HashMap<i64, disclosure::Model> = disclosure::Entity::find()
        .filter(disclosure::Column::Id.is_in(ids_of("disclosure")))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    let people = access_rows
        .values()
        .filter_map(|row| row.user_id)
        .chain(disclosure_rows.values().map(|row| row.recorded_by))
        .collect();
    let people = names(db, people).await?;

    let items = keys
        .iter()
        .filter_map(|(kind, id)| match kind.as_str() {
            "access" => access_rows.get(id).map(|row| access(row, &people)),
            _ => disclosure_rows.get(id).map(|row| disclosed(row, &people)),
        })
        .collect();
    Ok(Page {
        items,
        page: page.page,
        page_size: page.page_size,
        total,
    })
}

fn access(row: &audit_log::Model, people: &HashMap<i64, String>) -> ReportEntry {
    ReportEntry::Access(AccessEntry {
        at: format_timestamp(&row.timestamp),
        audit_id: row.id,
        user_id: row.user_id,
        user_name: row.user_id.and_then(|id| people.get(&id).cloned()),
        role: row.role.clone(),
        action: row.action.clone(),
        outcome: row.outcome.clone(),
        reason_code: row.reason_code.clone(),
        purpose_of_use: row.purpose_of_use.clone(),
        emergency_access_id: row.emergency_access_id,
        record_id: row.record_id,
    })
}

fn disclosed(row: &disclosure::Model, people: &HashMap<i64, String>) -> ReportEntry {
    ReportEntry::Disclosure(DisclosureEntry {
        at: row.disclosed_on,
        disclosure_id: row.id,
        user_id: row.recorded_by,
        user_name: people.get(&row.recorded_by).cloned(),
        role: row.recorded_by_role.clone(),
        recipient: row.recipient.clone(),
        purpose: row.purpose.clone(),
        description: row.description.clone(),
        recorded_at: row.recorded_at,
    })
}
