//! Reading the trail: one sorted page for the administrators' search, and
//! id-ordered keyset pages for exports, so an export of any length holds
//! one page in memory at a time.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::filter::{AuditFilter, AuditSearch, AuditSort};
use super::row::AuditRow;
use crate::domain::{Page, SortOrder};
use crate::store::entities::audit_log::{self, Column};

fn condition(filter: &AuditFilter) -> Condition {
    let mut all = Condition::all();
    if let Some(id) = filter.user_id {
        all = all.add(Column::UserId.eq(id));
    }
    if let Some(id) = filter.patient_id {
        all = all.add(Column::PatientId.eq(id));
    }
    if let Some(action) = &filter.action {
        all = all.add(Column::Action.eq(action.as_str()));
    }
    if let Some(outcome) = filter.outcome {
        all = all.add(Column::Outcome.eq(outcome.as_str()));
    }
    if let Some(emergency) = filter.emergency {
        all = all.add(Column::EmergencyUse.eq(emergency));
    }
    // Bound as an offset date-time: MariaDB turns a TIMESTAMP-typed
    // parameter outside 1970-2038 into NULL, and a search up to 2040 would
    // then find nothing (see `store::entities::medical_record`).
    if let Some(from) = filter.from {
        all = all.add(Column::Timestamp.gte(from.fixed_offset()));
    }
    if let Some(to) = filter.to {
        all = all.add(Column::Timestamp.lte(to.fixed_offset()));
    }
    all
}

fn sort_column(sort: AuditSort) -> Column {
    match sort {
        AuditSort::Timestamp => Column::Timestamp,
        AuditSort::Id => Column::Id,
        AuditSort::Action => Column::Action,
        AuditSort::UserId => Column::UserId,
        AuditSort::PatientId => Column::PatientId,
        AuditSort::Outcome => Column::Outcome,
    }
}

/// One page of matching rows; ties are broken by id in the same direction,
/// so pages never overlap.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    query: &AuditSearch,
) -> Result<Page<AuditRow>, DbErr> {
    let select = audit_log::Entity::find().filter(condition(&query.filter));
    let total = select.clone().count(db).await?;
    let order = match query.order {
        SortOrder::Asc => Order::Asc,
        SortOrder::Desc => Order::Desc,
    };
    let rows = select
        .order_by(sort_column(query.sort), order.clone())
        .order_by(Column::Id, order)
        .offset(query.page.offset())
        .limit(query.page.page_size)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(AuditRow::from).collect(),
        page: query.page.page,
        page_size: query.page.page_size,
        total,
    })
}

/// The next `limit` matching rows with ids in `(after, up_to]`, in chain
/// order.
pub async fn export_page<C: ConnectionTrait>(
    db: &C,
    filter: &AuditFilter,
    after: i64,
    up_to: i64,
    limit: u64,
) -> Result<Vec<audit_log::Model>, DbErr> {
    audit_log::Entity::find()
        .filter(condition(filter))
        .filter(Column::Id.gt(after))
        .filter(Column::Id.lte(up_to))
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await
}
