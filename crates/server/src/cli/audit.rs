use clap::Subcommand;

use crate::audit::verify_chain;
use crate::config::Config;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain from the first row to the last.
    Verify,
}

pub async fn run(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify => {
            let db = super::open(config).await?;
            let report = verify_chain(&db).await?;
            if report.ok {
                println!("Audit trail intact: {} rows verified.", report.rows);
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
    }
}
