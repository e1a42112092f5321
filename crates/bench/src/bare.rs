//! The bare reference the product is measured against: the same
//! primary-key read of a patient and one durable insert per request, on the
//! same database and with the same connection settings, and nothing else:
//! no token, no session or care-team check, no field filter, no hash chain.
//!
//! The insert uses group commit like the product's audit writer (one task
//! on its own connection commits whatever is waiting in one transaction and
//! only then lets the requests answer), so the figure is the best that this
//! stack reaches for "read one row, durably write one row".

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use healthsecure::config::Config;
use healthsecure::store::{self, entities::patient};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Statement, Value};
use serde_json::json;
use tokio::sync::{mpsc, oneshot};

const MAX_BATCH: usize = 512;

struct Hit {
    patient_id: i64,
    request: u64,
    done: oneshot::Sender<bool>,
}

struct Bare {
    db: DatabaseConnection,
    log: mpsc::Sender<Hit>,
    requests: AtomicU64,
}

pub async fn serve(config: &Config, listen: &str, address_file: &Path) -> anyhow::Result<()> {
    let url = config.database_url.expose();
    let db = store::connect_with(url, &config.db_pool).await?;
    let writer = store::connect(url, 1).await?;
    create_log_table(&writer).await?;
    let (log, inbox) = mpsc::channel(16_384);
    tokio::spawn(write_log(writer, inbox));
    let state = Arc::new(Bare {
        db,
        log,
        requests: AtomicU64::new(0),
    });
    let app = Router::new()
        .route("/patients/{id}", get(read_patient))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    std::fs::write(address_file, listener.local_addr()?.to_string())?;
    axum::serve(listener, app).await?;
    Ok(())
}

async fn read_patient(State(bare): State<Arc<Bare>>, UrlPath(id): UrlPath<i64>) -> Response {
    let row = match patient::Entity::find_by_id(id).one(&bare.db).await {
        Ok(Some(row)) => row,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let (done, committed) = oneshot::channel();
    let hit = Hit {
        patient_id: row.id,
        request: bare.requests.fetch_add(1, Ordering::Relaxed),
        done,
    };
    if bare.log.send(hit).await.is_err() || committed.await != Ok(true) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    Json(json!({
        "id": row.id,
        "mrn": row.mrn,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "date_of_birth": row.date_of_birth,
        "sex": row.sex,
        "phone": row.phone,
        "address": row.address,
    }))
    .into_response()
}

async fn create_log_table(db: &DatabaseConnection) -> anyhow::Result<()> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => {
            "CREATE TABLE IF NOT EXISTS bench_bare_log (id INTEGER PRIMARY KEY AUTOINCREMENT, \
             patient_id BIGINT NOT NULL, at VARCHAR(40) NOT NULL, request_id VARCHAR(64) NOT NULL)"
        }
        _ => {
            "CREATE TABLE IF NOT EXISTS bench_bare_log (id BIGINT AUTO_INCREMENT PRIMARY KEY, \
             patient_id BIGINT NOT NULL, at VARCHAR(40) NOT NULL, request_id VARCHAR(64) NOT NULL)"
        }
    };
    db.execute_unprepared(sql).await?;
    Ok(())
}

/// Commits whatever is waiting in one transaction, then answers its requests.
async fn write_log(db: DatabaseConnection, mut inbox: mpsc::Receiver<Hit>) {
    let backend = db.get_database_backend();
    let mut hits = Vec::with_capacity(MAX_BATCH);
    while inbox.recv_many(&mut hits, MAX_BATCH).await > 0 {
        let now = chrono::Utc::now().to_rfc3339();
        let mut values: Vec<Value> = Vec::with_capacity(hits.len() * 3);
        for hit in &hits {
            values.push(hit.patient_id.into());
            values.push(now.clone().into());
            values.push(format!("bare-{}", hit.request).into());
        }
        let placeholders = vec!["(?, ?, ?)"; hits.len()].join(", ");
        let sql = format!(
            "INSERT INTO bench_bare_log (patient_id, at, request_id) VALUES {placeholders}"
        );
        let committed = insert(&db, Statement::from_sql_and_values(backend, sql, values)).await;
        for hit in hits.drain(..) {
            let _ = hit.done.send(committed);
        }
    }
}

async fn insert(db: &DatabaseConnection, statement: Statement) -> bool {
    use sea_orm::TransactionTrait;
    let Ok(txn) = db.begin().await else {
        return false;
    };
    if txn.execute_raw(statement).await.is_err() {
        return false;
    }
    txn.commit().await.is_ok()
}
