//! Exports of the trail as a stream of file chunks, shared by the HTTP
//! route and the command line so both produce the same bytes.
//!
//! Rows are read in id order in keyset pages (`id > last seen`), so memory
//! stays at one page however long the trail is, and the export ends at the
//! row id it was given: rows committed while it runs belong to the next
//! export, and a file always matches the trail as it stood when it began.

mod csv;
mod fhir;

use futures::Stream;
use sea_orm::{DatabaseConnection, DbErr};

use super::filter::{ExportFormat, ExportRequest};
use super::query::export_page;
use super::row::AuditRow;
use crate::store::entities::audit_log;

const PAGE_ROWS: u64 = 1000;

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Ndjson => "application/x-ndjson",
            ExportFormat::Fhir => "application/fhir+ndjson",
        }
    }

    /// A file name such as `healthsecure-audit-20261204T101500Z.csv`.
    pub fn file_name(self, at: chrono::DateTime<chrono::Utc>) -> String {
        let extension = match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Ndjson => "ndjson",
            ExportFormat::Fhir => "fhir.ndjson",
        };
        format!(
            "healthsecure-audit-{}.{extension}",
            at.format("%Y%m%dT%H%M%SZ")
        )
    }
}

struct Cursor {
    db: DatabaseConnection,
    request: ExportRequest,
    source_id: String,
    after: i64,
    up_to: i64,
    started: bool,
    finished: bool,
}

fn encode(format: ExportFormat, row: audit_log::Model, source_id: &str, out: &mut Vec<u8>) {
    match format {
        ExportFormat::Csv => csv::write_row(out, &row),
        ExportFormat::Ndjson => {
            serde_json::to_writer(&mut *out, &AuditRow::from(row))
                .expect("audit rows always serialise");
            out.push(b'\n');
        }
        ExportFormat::Fhir => {
            serde_json::to_writer(&mut *out, &fhir::audit_event(&row, source_id))
                .expect("audit events always serialise");
            out.push(b'\n');
        }
    }
}

/// The rows matching `request` with ids up to `up_to`, encoded, one chunk
/// per page. `source_id` names this deployment in FHIR output.
pub fn stream(
    db: DatabaseConnection,
    request: ExportRequest,
    up_to: i64,
    source_id: String,
) -> impl Stream<Item = Result<Vec<u8>, DbErr>> + Send + 'static {
    let cursor = Cursor {
        db,
        request,
        source_id,
        after: 0,
        up_to,
        started: false,
        finished: false,
    };
    futures::stream::try_unfold(cursor, next_chunk)
}

async fn next_chunk(mut cursor: Cursor) -> Result<Option<(Vec<u8>, Cursor)>, DbErr> {
    if cursor.finished {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(256 * 1024);
    if !cursor.started {
        cursor.started = true;
        if cursor.request.format == ExportFormat::Csv {
            csv::write_header(&mut out);
        }
    }
    let rows = export_page(
        &cursor.db,
        &cursor.request.filter,
        cursor.after,
        cursor.up_to,
        PAGE_ROWS,
    )
    .await?;
    cursor.finished = (rows.len() as u64) < PAGE_ROWS;
    if let Some(last) = rows.last() {
        cursor.after = last.id;
    }
    for row in rows {
        encode(cursor.request.format, row, &cursor.source_id, &mut out);
    }
    if out.is_empty() {
        return Ok(None);
    }
    Ok(Some((out, cursor)))
}
