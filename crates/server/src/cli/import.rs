use std::path::PathBuf;

use crate::audit::{Action, AuditEvent, Outcome, Purpose};
use crate::config::Config;
use crate::importer::{FileResult, collect_files, import_files};

pub async fn run(config: &Config, paths: Vec<PathBuf>) -> anyhow::Result<()> {
    let files = collect_files(&paths)?;
    if files.is_empty() {
        anyhow::bail!("no .json files found in the given paths");
    }
    let db = super::open(config).await?;
    let audit = super::audit_sink(config).await?;
    let cipher = super::cipher(config);
    let started = std::time::Instant::now();
    let total = files.len();
    let summary = import_files(&db, &cipher, &files, |index, file, result| {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let line = match result {
            FileResult::Imported(outcome) => format!(
                "{} patient, {} new records ({} already present)",
                if outcome.patient_created {
                    "new"
                } else {
                    "existing"
                },
                outcome.records_created,
                outcome.records_present
            ),
            FileResult::WithoutPatient => "no patient in this bundle; nothing to import".into(),
            FileResult::Refused(reason) => format!("REFUSED: {reason}"),
        };
        println!("[{}/{}] {}: {}", index + 1, total, name, line);
    })
    .await;

    let client = super::cli_client();
    for id in &summary.created_ids {
        let event = AuditEvent::new(Action::PatientImport, Outcome::Allowed, &client)
            .patient(*id)
            .purpose(Purpose::Operations);
        audit.record(event).await?;
    }

    println!();
    println!(
        "Imported in {:.1} s from {} files:",
        started.elapsed().as_secs_f64(),
        summary.files
    );
    println!(
        "  patients: {} new, {} already present",
        summary.patients_created, summary.patients_present
    );
    println!(
        "  records:  {} new ({} flagged sensitive), {} already present",
        summary.records_created, summary.sensitive_created, summary.records_present
    );
    if !summary.skipped.is_empty() {
        let skipped: Vec<String> = summary
            .skipped
            .iter()
            .map(|(kind, n)| format!("{kind} {n}"))
            .collect();
        println!("  skipped resources: {}", skipped.join(", "));
    }
    if !summary.without_patient.is_empty() {
        println!(
            "  files without a patient: {}",
            summary.without_patient.len()
        );
    }
    if !summary.refused.is_empty() {
        println!("  files refused: {}", summary.refused.len());
        for (file, reason) in &summary.refused {
            println!("    {}: {}", file.display(), reason);
        }
        anyhow::bail!(
            "{} file(s) were refused; nothing from them was imported",
            summary.refused.len()
        );
    }
    Ok(())
}
