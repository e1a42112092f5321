//! `healthsecure audit verify | export`: the operator's tools for proving
//! the trail intact and handing it to an auditor. The export is the same
//! stream the HTTP route sends, and it is audited the same way.

use clap::Subcommand;
use futures::TryStreamExt;
use tokio::io::AsyncWriteExt;

use crate::audit::{Action, AuditEvent, ExportRequest, Outcome, Purpose, export, verify_chain};
use crate::config::Config;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain from the first row to the last.
    Verify,
    /// Write the audit trail (optionally filtered) to standard output.
    Export {
        /// csv, ndjson or fhir (FHIR R4 AuditEvent resources, one per line)
        #[arg(long)]
        format: String,
        /// Earliest time, RFC 3339 (inclusive)
        #[arg(long)]
        from: Option<String>,
        /// Latest time, RFC 3339 (inclusive)
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        user_id: Option<String>,
        #[arg(long)]
        patient_id: Option<String>,
        /// An action name such as patient.view
        #[arg(long)]
        action: Option<String>,
        /// allowed, denied or failed
        #[arg(long)]
        outcome: Option<String>,
        /// true or false: only rows under (or not under) a break-glass grant
        #[arg(long)]
        emergency: Option<String>,
    },
}

pub async fn run(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify => verify(config).await,
        AuditCommand::Export {
            format,
            from,
            to,
            user_id,
            patient_id,
            action,
            outcome,
            emergency,
        } => {
            let options = [
                ("format", Some(format)),
                ("from", from),
                ("to", to),
                ("user_id", user_id),
                ("patient_id", patient_id),
                ("action", action),
                ("outcome", outcome),
                ("emergency", emergency),
            ];
            let params: Vec<(String, String)> = options
                .into_iter()
                .filter_map(|(name, value)| value.map(|v| (name.to_string(), v)))
                .collect();
            let request = ExportRequest::parse(&params)
                .map_err(|e| anyhow::anyhow!("invalid export options: {e}"))?;
            export_to_stdout(config, request).await
        }
    }
}

async fn verify(config: &Config) -> anyhow::Result<()> {
    let db = super::open(config).await?;
    let report = verify_chain(&db).await?;
    if report.ok {
        println!("Audit trail intact: {} rows verified.", report.rows);
        if let Some(hash) = report.last_hash {
            println!("Last row hash: {hash}");
        }
        Ok(())
    } else {
        let first = report
            .first_bad_id
            .map_or("unknown".to_string(), |id| id.to_string());
        anyhow::bail!(
            "audit trail BROKEN at row {first} ({} rows verified before it)",
            report.rows
        )
    }
}

/// Audits the export, then streams every matching row up to that audit
/// row to standard output, one page at a time.
async fn export_to_stdout(config: &Config, request: ExportRequest) -> anyhow::Result<()> {
    let db = super::open(config).await?;
    let sink = super::audit_sink(config).await?;
    let event = AuditEvent::new(Action::AuditExport, Outcome::Allowed, &super::cli_client())
        .purpose(Purpose::Operations)
        .reason_text(&request.describe());
    let own_row = sink.record(event).await?;

    let chunks = export::stream(db, request, own_row, config.audit_source_id.clone());
    let mut chunks = std::pin::pin!(chunks);
    let mut out = tokio::io::BufWriter::new(tokio::io::stdout());
    while let Some(chunk) = chunks.try_next().await? {
        out.write_all(&chunk).await?;
    }
    out.flush().await?;
    Ok(())
}
