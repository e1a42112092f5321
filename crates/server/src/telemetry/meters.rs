//! Prometheus metrics: what operators scrape, graph and alert on.
//!
//! Every label comes from a closed set in the code (route templates,
//! methods, statuses, audit actions, outcomes and reason codes), never from
//! a request's values: no label can carry PHI, and no client can grow the
//! number of series. Gauges that describe the database (live emergency
//! grants, overdue reviews, pool use) are read when scraped.
//!
//! Until `install` runs (the `serve` command) every recording function is a
//! no-op, so the library and its unit tests need no recorder.

use std::sync::OnceLock;
use std::time::Duration;

use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseConnection;

use crate::app::AppState;
use crate::audit::{Action, Outcome};
use crate::domain::emergency;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];
const BATCH_BUCKETS: [f64; 8] = [1.0, 2.0, 4.0, 8.0, 16.0, 64.0, 256.0, 512.0];

/// Installs the process-wide recorder once; later calls change nothing.
pub fn install() {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &LATENCY_BUCKETS)
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full("healthsecure_audit_batch_rows".into()),
                    &BATCH_BUCKETS,
                )
            })
            .expect("bucket lists are not empty")
            .build_recorder();
        let handle = recorder.handle();
        // A second recorder (in a test harness, say) keeps the first.
        let _ = metrics::set_global_recorder(recorder);
        describe();
        handle
    });
}

fn describe() {
    metrics::describe_counter!(
        "healthsecure_http_requests_total",
        "HTTP requests answered, by method, route template and status"
    );
    metrics::describe_histogram!(
        "healthsecure_http_request_duration_seconds",
        "Time to answer, by method, route template and status"
    );
    metrics::describe_counter!(
        "healthsecure_audit_events_total",
        "Audit rows committed, by action and outcome"
    );
    metrics::describe_counter!(
        "healthsecure_login_failures_total",
        "Failed sign-ins, by reason"
    );
    metrics::describe_counter!(
        "healthsecure_account_lockouts_total",
        "Accounts locked after too many failed sign-ins"
    );
    metrics::describe_counter!(
        "healthsecure_token_rejections_total",
        "Requests refused for a missing, invalid or revoked token, by reason"
    );
    metrics::describe_counter!(
        "healthsecure_access_denied_total",
        "Requests refused by the access policy, by action"
    );
    metrics::describe_counter!(
        "healthsecure_emergency_grants_total",
        "Break-glass grants requested"
    );
    metrics::describe_gauge!(
        "healthsecure_emergency_grants_active",
        "Break-glass grants live now"
    );
    metrics::describe_gauge!(
        "healthsecure_emergency_reviews_overdue",
        "Break-glass grants past their review deadline"
    );
    metrics::describe_histogram!(
        "healthsecure_audit_write_duration_seconds",
        "Time to commit one batch of audit rows"
    );
    metrics::describe_histogram!(
        "healthsecure_audit_batch_rows",
        "Audit rows committed together"
    );
    metrics::describe_counter!(
        "healthsecure_audit_write_failures_total",
        "Audit batches that could not be committed (their requests failed with 503)"
    );
    metrics::describe_counter!(
        "healthsecure_audit_chain_verifications_total",
        "Audit chain verifications, by result"
    );
    metrics::describe_gauge!(
        "healthsecure_db_pool_connections",
        "Database connections of this instance's pool, by state"
    );
}

/// One answered HTTP request.
pub fn http_request(method: &str, route: &str, status: u16, elapsed: Duration) {
    let labels = [
        ("method", method.to_string()),
        ("route", route.to_string()),
        ("status", status.to_string()),
    ];
    counter!("healthsecure_http_requests_total", &labels).increment(1);
    histogram!("healthsecure_http_request_duration_seconds", &labels).record(elapsed);
}

/// One committed audit row, and the security counters derived from it.
pub fn audit_event(action: Action, outcome: Outcome, reason_code: Option<&'static str>) {
    counter!(
        "healthsecure_audit_events_total",
        "action" => action.as_str(),
        "outcome" => outcome.as_str()
    )
    .increment(1);
    let reason = reason_code.unwrap_or("none");
    match action {
        Action::AuthLoginFailed => {
            counter!("healthsecure_login_failures_total", "reason" => reason).increment(1);
        }
        Action::AuthTokenRejected => {
            counter!("healthsecure_token_rejections_total", "reason" => reason).increment(1);
        }
        Action::EmergencyRequest if outcome == Outcome::Allowed => {
            counter!("healthsecure_emergency_grants_total").increment(1);
        }
        _ if outcome == Outcome::Denied => {
            counter!("healthsecure_access_denied_total", "action" => action.as_str()).increment(1);
        }
        _ => {}
    }
}

/// An account just reached its failure limit and is now locked.
pub fn account_locked() {
    counter!("healthsecure_account_lockouts_total").increment(1);
}

/// One audit batch: committed or failed, how long it took, how many rows.
pub fn audit_batch(rows: usize, elapsed: Duration, committed: bool) {
    if committed {
        histogram!("healthsecure_audit_write_duration_seconds").record(elapsed);
        histogram!("healthsecure_audit_batch_rows").record(rows as f64);
    } else {
        counter!("healthsecure_audit_write_failures_total").increment(1);
    }
}

/// One verification of the audit chain, through the API or the CLI.
pub fn chain_verified(intact: bool) {
    let result = if intact { "intact" } else { "broken" };
    counter!("healthsecure_audit_chain_verifications_total", "result" => result).increment(1);
}

/// The Prometheus text: the gauges read now, then every series.
pub async fn render(state: &AppState) -> Option<String> {
    let handle = HANDLE.get()?;
    let rules = state.grant_rules();
    if let Ok(live) = emergency::live_count(&state.db).await {
        gauge!("healthsecure_emergency_grants_active").set(live as f64);
    }
    if let Ok(overdue) = emergency::overdue_count(&state.db, &rules).await {
        gauge!("healthsecure_emergency_reviews_overdue").set(overdue as f64);
    }
    if let Some((size, idle)) = pool_use(&state.db) {
        gauge!("healthsecure_db_pool_connections", "state" => "idle").set(idle as f64);
        gauge!("healthsecure_db_pool_connections", "state" => "in_use")
            .set((size as usize).saturating_sub(idle) as f64);
    }
    Some(handle.render())
}

/// (open connections, idle connections) of the shared pool.
fn pool_use(db: &DatabaseConnection) -> Option<(u32, usize)> {
    use sea_orm::DatabaseConnectionType as Kind;
    match &db.inner {
        Kind::SqlxMySqlPoolConnection(_) => {
            let pool = db.get_mysql_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        Kind::SqlxSqlitePoolConnection(_) => {
            let pool = db.get_sqlite_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        Kind::SqlxPostgresPoolConnection(_) => {
            let pool = db.get_postgres_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        _ => None,
    }
}
