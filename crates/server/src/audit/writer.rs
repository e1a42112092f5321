//! Group commit: every request hands its audit event to one writer task and
//! waits; the writer commits whatever is waiting in one transaction, extends
//! the hash chain under the chain-head row lock, and then releases all the
//! waiting requests at once. One fsync covers many requests, and no request
//! is answered before its row is durable.

use std::time::Duration;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, TransactionTrait,
};
use tokio::sync::{broadcast, mpsc, oneshot};

use super::AuditEvent;
use super::chain::row_hash;
use super::row::AuditRow;
use crate::store::entities::{audit_chain_head, audit_log};
use crate::telemetry::meters;

const MAX_BATCH: usize = 512;
const QUEUE_CAPACITY: usize = 16_384;
const LIVE_BUFFER: usize = 1024;
const COMMIT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("the audit writer has stopped")]
    WriterStopped,
    #[error("the audit commit timed out")]
    Timeout,
    #[error("the audit commit failed: {0}")]
    Commit(String),
}

type Reply = oneshot::Sender<Result<i64, AuditError>>;

/// What the writer is asked to do, in order of arrival.
enum Job {
    Append(Box<AuditEvent>, Reply),
    /// Answered once everything queued before it is committed.
    Flush(oneshot::Sender<()>),
}

/// The handle requests use to record events. Cheap to clone.
#[derive(Clone)]
pub struct AuditSink {
    queue: mpsc::Sender<Job>,
    live: broadcast::Sender<AuditRow>,
}

impl AuditSink {
    /// Starts the writer on its own connection and returns the handle.
    pub fn start(db: DatabaseConnection) -> AuditSink {
        let (queue, inbox) = mpsc::channel(QUEUE_CAPACITY);
        let (live, _) = broadcast::channel(LIVE_BUFFER);
        tokio::spawn(run_writer(db, inbox, live.clone()));
        AuditSink { queue, live }
    }

    /// Committed rows as they happen, for the live view. A receiver that
    /// falls behind loses the oldest rows rather than slowing the writer.
    pub fn subscribe(&self) -> broadcast::Receiver<AuditRow> {
        self.live.subscribe()
    }

    /// Records one event and returns its id once it is committed.
    pub async fn record(&self, event: AuditEvent) -> Result<i64, AuditError> {
        let (action, outcome, reason_code) = (event.action, event.outcome, event.reason_code);
        let (reply, committed) = oneshot::channel();
        self.queue
            .send(Job::Append(Box::new(event), reply))
            .await
            .map_err(|_| AuditError::WriterStopped)?;
        let result = match tokio::time::timeout(COMMIT_TIMEOUT, committed).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(AuditError::WriterStopped),
            Err(_) => Err(AuditError::Timeout),
        };
        if result.is_ok() {
            meters::audit_event(action, outcome, reason_code);
        }
        result
    }

    /// Waits until every event handed over before this call is committed
    /// (or has failed): a stopping server calls it last, so that no
    /// background event is lost with the process.
    pub async fn flush(&self) {
        let (done, flushed) = oneshot::channel();
        if self.queue.send(Job::Flush(done)).await.is_ok() {
            let _ = tokio::time::timeout(COMMIT_TIMEOUT, flushed).await;
        }
    }
}

async fn run_writer(
    db: DatabaseConnection,
    mut inbox: mpsc::Receiver<Job>,
    live: broadcast::Sender<AuditRow>,
) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while inbox.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let mut events = Vec::with_capacity(jobs.len());
        let mut replies = Vec::with_capacity(jobs.len());
        let mut flushes = Vec::new();
        for job in jobs.drain(..) {
            match job {
                Job::Append(event, reply) => {
                    events.push(*event);
                    replies.push(reply);
                }
                Job::Flush(done) => flushes.push(done),
            }
        }
        if !events.is_empty() {
            commit_batch(&db, events, replies, &live).await;
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

async fn commit_batch(
    db: &DatabaseConnection,
    events: Vec<AuditEvent>,
    replies: Vec<Reply>,
    live: &broadcast::Sender<AuditRow>,
) {
    let started = std::time::Instant::now();
    let rows = events.len();
    match append(db, events).await {
        Ok(committed) => {
            meters::audit_batch(rows, started.elapsed(), true);
            tracing::debug!(
                rows,
                micros = started.elapsed().as_micros() as u64,
                "audit batch committed"
            );
            for (reply, row) in replies.into_iter().zip(&committed) {
                let _ = reply.send(Ok(row.id));
            }
            if live.receiver_count() > 0 {
                for row in committed {
                    let _ = live.send(AuditRow::from(row));
                }
            }
        }
        Err(err) => {
            meters::audit_batch(rows, started.elapsed(), false);
            tracing::error!(error = %err, rows, "audit batch failed");
            for reply in replies {
                let _ = reply.send(Err(AuditError::Commit(err.to_string())));
            }
        }
    }
}

/// Appends the events to the chain in one transaction.
async fn append(
    db: &DatabaseConnection,
    events: Vec<AuditEvent>,
) -> Result<Vec<audit_log::Model>, DbErr> {
    let txn = db.begin().await?;
    // Taking the write lock first: on MySQL this locks the head row until
    // commit; on SQLite it makes this transaction the single writer before
    // anything is read, so several processes can share the chain.
    audit_chain_head::Entity::update_many()
        .col_expr(
            audit_chain_head::Column::LastId,
            Expr::col(audit_chain_head::Column::LastId),
        )
        .filter(audit_chain_head::Column::Id.eq(1))
        .exec(&txn)
        .await?;
    let head = audit_chain_head::Entity::find_by_id(1)
        .one(&txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit chain head".into()))?;

    let mut last_id = head.last_id;
    let mut last_hash = head.last_hash;
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        last_id += 1;
        let mut row = to_row(last_id, event, last_hash);
        row.hash = row_hash(&row);
        last_hash = row.hash.clone();
        rows.push(row);
    }
    let models = rows
        .iter()
        .cloned()
        .map(|row| row.into_active_model().reset_all());
    audit_log::Entity::insert_many(models).exec(&txn).await?;
    audit_chain_head::Entity::update_many()
        .col_expr(audit_chain_head::Column::LastId, Expr::value(last_id))
        .col_expr(audit_chain_head::Column::LastHash, Expr::value(last_hash))
        .filter(audit_chain_head::Column::Id.eq(1))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows)
}

fn join(fields: &[&'static str]) -> Option<String> {
    (!fields.is_empty()).then(|| fields.join(","))
}

fn to_row(id: i64, event: AuditEvent, prev_hash: String) -> audit_log::Model {
    audit_log::Model {
        id,
        timestamp: event.timestamp,
        user_id: event.user_id,
        role: event.role.map(|r| r.as_str().to_string()),
        action: event.action.as_str().to_string(),
        resource: event.action.resource().to_string(),
        patient_id: event.patient_id,
        record_id: event.record_id,
        outcome: event.outcome.as_str().to_string(),
        reason_code: event.reason_code.map(str::to_string),
        emergency_use: event.emergency_access_id.is_some(),
        emergency_access_id: event.emergency_access_id,
        purpose_of_use: event.purpose.map(|p| p.as_str().to_string()),
        fields_released: join(&event.fields_released),
        fields_withheld: join(&event.fields_withheld),
        reason: event.reason,
        ip_address: event.client.ip.map(|ip| ip.to_string()),
        user_agent: event.client.user_agent,
        request_id: (!event.client.request_id.is_empty()).then_some(event.client.request_id),
        prev_hash,
        hash: String::new(),
    }
}
