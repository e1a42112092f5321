//! Break-glass emergency access: a clinician outside a patient's care team
//! gets immediate, narrow, time-limited read access to that one patient,
//! with a stated reason, watched by administrators and reviewed after the
//! fact.
//!
//! The grant is a row; the policy reads it on every request, so access ends
//! exactly at `expires_at`, on revocation or on deactivation, whatever any
//! token says, and a restart cannot revive it.

use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::error::{DomainError, DomainResult};
use super::types::{Page, PageRequest};
use crate::policy::{CLINICIANS, Caller, Denial, Role, require_role};
use crate::store::entities::{care_team, emergency_access, patient, user};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReasonCategory {
    EmergencyTreatment,
    PatientUnableToConsent,
    UrgentMedicationReconciliation,
    Other,
}

impl ReasonCategory {
    pub const ALL: [ReasonCategory; 4] = [
        ReasonCategory::EmergencyTreatment,
        ReasonCategory::PatientUnableToConsent,
        ReasonCategory::UrgentMedicationReconciliation,
        ReasonCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCategory::EmergencyTreatment => "emergency_treatment",
            ReasonCategory::PatientUnableToConsent => "patient_unable_to_consent",
            ReasonCategory::UrgentMedicationReconciliation => "urgent_medication_reconciliation",
            ReasonCategory::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<ReasonCategory> {
        ReasonCategory::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// A justification: 20 to 1000 characters after trimming.
#[derive(Clone, Debug)]
pub struct Justification(String);

impl Justification {
    pub const MIN: usize = 20;
    pub const MAX: usize = 1000;

    pub fn parse(raw: &str) -> Result<Justification, String> {
        let text = raw.trim();
        let length = text.chars().count();
        if !(Self::MIN..=Self::MAX).contains(&length) {
            return Err(format!(
                "`reason` must be {} to {} characters after trimming (it has {length}). Say why this emergency access is needed.",
                Self::MIN,
                Self::MAX
            ));
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err("`reason` must not contain control characters.".into());
        }
        Ok(Justification(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewOutcome {
    Justified,
    Unjustified,
    NeedsFollowUp,
}

impl ReviewOutcome {
    pub fn parse(raw: &str) -> Option<ReviewOutcome> {
        match raw {
            "justified" => Some(ReviewOutcome::Justified),
            "unjustified" => Some(ReviewOutcome::Unjustified),
            "needs_follow_up" => Some(ReviewOutcome::NeedsFollowUp),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewOutcome::Justified => "justified",
            ReviewOutcome::Unjustified => "unjustified",
            ReviewOutcome::NeedsFollowUp => "needs_follow_up",
        }
    }
}

/// A grant as administrators and its holder see it: ids, times and the
/// stated reason, never patient data.
#[derive(Clone, Debug, Serialize)]
pub struct GrantView {
    pub id: i64,
    pub user_id: i64,
    pub user_role: Option<Role>,
    pub patient_id: i64,
    pub reason_category: String,
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub activated_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<i64>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub reviewed_by: Option<i64>,
    pub review_outcome: Option<String>,
    pub review_note: Option<String>,
    pub status: &'static str,
    pub review_overdue: bool,
}

/// Settings the service needs from configuration.
#[derive(Clone, Copy, Debug)]
pub struct GrantRules {
    pub duration: std::time::Duration,
    pub max_active_per_user: u64,
    pub review_overdue_after: std::time::Duration,
}

impl GrantRules {
    /// The age at which an unreviewed grant is overdue, as a chrono span.
    fn overdue_after(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.review_overdue_after).unwrap_or(chrono::Duration::days(3))
    }
}

fn status(row: &emergency_access::Model, now: DateTime<Utc>) -> &'static str {
    if row.revoked_at.is_some() {
        "revoked"
    } else if row.expires_at <= now {
        "expired"
    } else if row.activated_at.is_some() {
        "active"
    } else {
        "pending"
    }
}

fn view(row: emergency_access::Model, role: Option<Role>, rules: &GrantRules) -> GrantView {
    let now = Utc::now();
    let overdue_after = rules.overdue_after();
    GrantView {
        status: status(&row, now),
        review_overdue: row.reviewed_at.is_none() && row.requested_at + overdue_after <= now,
        id: row.id,
        user_id: row.user_id,
        user_role: role,
        patient_id: row.patient_id,
        reason_category: row.reason_category,
        reason: row.reason,
        requested_at: row.requested_at,
        activated_at: row.activated_at,
        expires_at: row.expires_at,
        revoked_at: row.revoked_at,
        revoked_by: row.revoked_by,
        reviewed_at: row.reviewed_at,
        reviewed_by: row.reviewed_by,
        review_outcome: row.review_outcome,
        review_note: row.review_note,
    }
}

async fn views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<emergency_access::Model>,
    rules: &GrantRules,
) -> DomainResult<Vec<GrantView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    let roles: std::collections::HashMap<i64, Option<Role>> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Role)
        .filter(user::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, role)| (id, Role::parse(&role)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let role = roles.get(&row.user_id).copied().flatten();
            view(row, role, rules)
        })
        .collect())
}

pub async fn grant_view<C: ConnectionTrait>(
    db: &C,
    row: emergency_access::Model,
    rules: &GrantRules,
) -> DomainResult<GrantView> {
    Ok(views(db, vec![row], rules).await?.remove(0))
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Grants that still count against the holder: not revoked, not expired.
fn live(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(emergency_access::Column::RevokedAt.is_null())
        .add(emergency_access::Column::ExpiresAt.gt(now))
}

#[derive(Debug)]
pub struct Requested {
    pub grant: emergency_access::Model,
    /// The one-time activation token; only its hash is stored.
    pub activation_token: String,
}

/// Why a request was refused beyond the ordinary domain errors.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("too many active grants")]
    TooManyActive { retry_after_secs: u64 },
}

impl From<sea_orm::DbErr> for RequestError {
    fn from(err: sea_orm::DbErr) -> Self {
        RequestError::Domain(DomainError::Store(err))
    }
}

/// Creates a grant for the caller and one patient, effective as soon as it
/// is activated with the returned token.
pub async fn request<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    patient_id: i64,
    category: ReasonCategory,
    reason: &Justification,
    rules: &GrantRules,
) -> Result<Requested, RequestError> {
    require_role(caller, CLINICIANS).map_err(DomainError::from)?;
    if patient::Entity::find_by_id(patient_id).count(db).await? == 0 {
        return Err(DomainError::NotFound("No patient has that id.").into());
    }
    let on_team = care_team::Entity::find()
        .filter(care_team::Column::UserId.eq(caller.user_id))
        .filter(care_team::Column::PatientId.eq(patient_id))
        .count(db)
        .await?;
    if on_team > 0 {
        return Err(DomainError::Conflict(
            "You are already on this patient's care team: open the chart directly, no emergency access is needed.".into(),
        )
        .into());
    }
    let now = Utc::now();
    let active: Vec<emergency_access::Model> = emergency_access::Entity::find()
        .filter(emergency_access::Column::UserId.eq(caller.user_id))
        .filter(live(now))
        .order_by_asc(emergency_access::Column::ExpiresAt)
        .all(db)
        .await?;
    if active.len() as u64 >= rules.max_active_per_user {
        let first_end = active.first().map_or(now, |g| g.expires_at);
        let retry_after_secs = (first_end - now).num_seconds().max(1) as u64;
        return Err(RequestError::TooManyActive { retry_after_secs });
    }

    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let activation_token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let duration = chrono::Duration::from_std(rules.duration).unwrap_or(chrono::Duration::hours(1));
    let grant = emergency_access::ActiveModel {
        user_id: Set(caller.user_id),
        patient_id: Set(patient_id),
        reason_category: Set(category.as_str().to_string()),
        reason: Set(Some(reason.as_str().to_string())),
        token_hash: Set(token_hash(&activation_token)),
        requested_at: Set(now),
        activated_at: Set(None),
        expires_at: Set(now + duration),
        revoked_at: Set(None),
        revoked_by: Set(None),
        expiry_audited: Set(false),
        reviewed_at: Set(None),
        reviewed_by: Set(None),
        review_outcome: Set(None),
        review_note: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Requested {
        grant,
        activation_token,
    })
}

/// Why an activation was refused; each becomes an audit reason.
#[derive(Debug, thiserror::Error)]
pub enum ActivationError {
    #[error("unknown activation token")]
    Unknown,
    #[error("the token belongs to another user")]
    OtherUser { grant: Box<emergency_access::Model> },
    #[error("the token was already used")]
    AlreadyUsed { grant: Box<emergency_access::Model> },
    #[error("the grant has ended")]
    Ended { grant: Box<emergency_access::Model> },
    #[error(transparent)]
    Store(#[from] sea_orm::DbErr),
}

/// Starts access under a grant; only its requester may, only once, and only
/// before it ends.
pub async fn activate<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    token: &str,
) -> Result<emergency_access::Model, ActivationError> {
    let Some(grant) = emergency_access::Entity::find()
        .filter(emergency_access::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
    else {
        return Err(ActivationError::Unknown);
    };
    let now = Utc::now();
    if grant.user_id != caller.user_id {
        return Err(ActivationError::OtherUser {
            grant: Box::new(grant),
        });
    }
    if grant.activated_at.is_some() {
        return Err(ActivationError::AlreadyUsed {
            grant: Box::new(grant),
        });
    }
    if grant.revoked_at.is_some() || grant.expires_at <= now {
        return Err(ActivationError::Ended {
            grant: Box::new(grant),
        });
    }
    let claimed = emergency_access::Entity::update_many()
        .col_expr(emergency_access::Column::ActivatedAt, Expr::value(now))
        .filter(emergency_access::Column::Id.eq(grant.id))
        .filter(emergency_access::Column::ActivatedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(ActivationError::AlreadyUsed {
            grant: Box::new(grant),
        });
    }
    Ok(emergency_access::Model {
        activated_at: Some(now),
        ..grant
    })
}

/// The caller's own live grants, or every live grant for administrators.
pub async fn live_grants<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    rules: &GrantRules,
) -> DomainResult<Vec<GrantView>> {
    let mut query = emergency_access::Entity::find().filter(live(Utc::now()));
    if caller.role != Role::Admin {
        query = query.filter(emergency_access::Column::UserId.eq(caller.user_id));
    }
    let rows = query
        .order_by_desc(emergency_access::Column::RequestedAt)
        .all(db)
        .await?;
    views(db, rows, rules).await
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantFilter {
    All,
    Active,
    Expired,
    Revoked,
    Unreviewed,
    Overdue,
}

impl GrantFilter {
    pub fn parse(raw: &str) -> Option<GrantFilter> {
        match raw {
            "all" => Some(GrantFilter::All),
            "active" => Some(GrantFilter::Active),
            "expired" => Some(GrantFilter::Expired),
            "revoked" => Some(GrantFilter::Revoked),
            "unreviewed" => Some(GrantFilter::Unreviewed),
            "overdue" => Some(GrantFilter::Overdue),
            _ => None,
        }
    }
}

/// Grants for the review queue, newest first.
pub async fn grants<C: ConnectionTrait>(
    db: &C,
    filter: GrantFilter,
    page: PageRequest,
    rules: &GrantRules,
) -> DomainResult<Page<GrantView>> {
    let now = Utc::now();
    let overdue_after = rules.overdue_after();
    let condition = match filter {
        GrantFilter::All => Condition::all(),
        GrantFilter::Active => live(now),
        GrantFilter::Expired => Condition::all()
            .add(emergency_access::Column::RevokedAt.is_null())
            .add(emergency_access::Column::ExpiresAt.lte(now)),
        GrantFilter::Revoked => {
            Condition::all().add(emergency_access::Column::RevokedAt.is_not_null())
        }
        GrantFilter::Unreviewed => {
            Condition::all().add(emergency_access::Column::ReviewedAt.is_null())
        }
        GrantFilter::Overdue => Condition::all()
            .add(emergency_access::Column::ReviewedAt.is_null())
            .add(emergency_access::Column::RequestedAt.lte(now - overdue_after)),
    };
    let query = emergency_access::Entity::find().filter(condition);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(emergency_access::Column::RequestedAt)
        .order_by_desc(emergency_access::Column::Id)
        .offset(page.offset())
        .limit(page.page_size)
        .all(db)
        .await?;
    let items = views(db, rows, rules).await?;
    Ok(Page {
        items,
        page: page.page,
        page_size: page.page_size,
        total,
    })
}

/// Ends a live grant at once.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    admin: &Caller,
    grant_id: i64,
) -> DomainResult<emergency_access::Model> {
    require_role(admin, &[Role::Admin])?;
    let grant = find(db, grant_id).await?;
    let now = Utc::now();
    if grant.revoked_at.is_some() || grant.expires_at <= now {
        return Err(DomainError::Conflict(
            "This grant has already ended.".into(),
        ));
    }
    let mut active: emergency_access::ActiveModel = grant.into();
    active.revoked_at = Set(Some(now));
    active.revoked_by = Set(Some(admin.user_id));
    Ok(active.update(db).await?)
}

/// Ends every live grant a user holds, as when the account is deactivated.
pub async fn revoke_all_for_user<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    by: i64,
) -> DomainResult<u64> {
    let result = emergency_access::Entity::update_many()
        .col_expr(emergency_access::Column::RevokedAt, Expr::value(Utc::now()))
        .col_expr(emergency_access::Column::RevokedBy, Expr::value(by))
        .filter(emergency_access::Column::UserId.eq(user_id))
        .filter(live(Utc::now()))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Records the after-the-fact review of a grant; each grant is reviewed once.
pub async fn review<C: ConnectionTrait>(
    db: &C,
    admin: &Caller,
    grant_id: i64,
    outcome: ReviewOutcome,
    note: Option<String>,
) -> DomainResult<emergency_access::Model> {
    require_role(admin, &[Role::Admin])?;
    let grant = find(db, grant_id).await?;
    if grant.reviewed_at.is_some() {
        return Err(DomainError::Conflict(
            "This grant has already been reviewed.".into(),
        ));
    }
    if grant.user_id == admin.user_id {
        return Err(Denial::RoleNotPermitted.into());
    }
    let mut active: emergency_access::ActiveModel = grant.into();
    active.reviewed_at = Set(Some(Utc::now()));
    active.reviewed_by = Set(Some(admin.user_id));
    active.review_outcome = Set(Some(outcome.as_str().to_string()));
    active.review_note = Set(note);
    Ok(active.update(db).await?)
}

pub async fn find<C: ConnectionTrait>(
    db: &C,
    grant_id: i64,
) -> DomainResult<emergency_access::Model> {
    emergency_access::Entity::find_by_id(grant_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound("No emergency grant has that id."))
}

/// Claims the expired, unrevoked grants whose expiry is not yet audited.
/// The claim is a conditional update, so with several instances each
/// expiry is audited once.
pub async fn claim_expired<C: ConnectionTrait>(
    db: &C,
) -> DomainResult<Vec<emergency_access::Model>> {
    let now = Utc::now();
    let due = emergency_access::Entity::find()
        .filter(emergency_access::Column::ExpiryAudited.eq(false))
        .filter(emergency_access::Column::RevokedAt.is_null())
        .filter(emergency_access::Column::ExpiresAt.lte(now))
        .limit(100)
        .all(db)
        .await?;
    let mut claimed = Vec::new();
    for grant in due {
        let result = emergency_access::Entity::update_many()
            .col_expr(emergency_access::Column::ExpiryAudited, Expr::value(true))
            .filter(emergency_access::Column::Id.eq(grant.id))
            .filter(emergency_access::Column::ExpiryAudited.eq(false))
            .exec(db)
            .await?;
        if result.rows_affected == 1 {
            claimed.push(grant);
        }
    }
    Ok(claimed)
}

/// Gives a claimed expiry back when its audit row could not be written.
pub async fn unclaim_expired<C: ConnectionTrait>(db: &C, grant_id: i64) -> DomainResult<()> {
    emergency_access::Entity::update_many()
        .col_expr(emergency_access::Column::ExpiryAudited, Expr::value(false))
        .filter(emergency_access::Column::Id.eq(grant_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Unreviewed grants older than the overdue age.
/// How many grants are live right now (pending or active, not expired or
/// revoked), for the operators' gauge.
pub async fn live_count<C: ConnectionTrait>(db: &C) -> DomainResult<u64> {
    Ok(emergency_access::Entity::find()
        .filter(live(Utc::now()))
        .count(db)
        .await?)
}

pub async fn overdue_count<C: ConnectionTrait>(db: &C, rules: &GrantRules) -> DomainResult<u64> {
    let overdue_after = rules.overdue_after();
    Ok(emergency_access::Entity::find()
        .filter(emergency_access::Column::ReviewedAt.is_null())
        .filter(emergency_access::Column::RequestedAt.lte(Utc::now() - overdue_after))
        .count(db)
        .await?)
}
