//! `hs-bench`: the commands `scripts/bench` drives. None of this is part of
//! the product: it prepares a benchmark database through the product's own
//! storage code, serves the bare reference handler the product is measured
//! against, and measures the raw bcrypt rate.
//!
//! Every command reads `DATABASE_URL` and `PHI_ENCRYPTION_KEY` the way the
//! server does (`healthsecure::config::Config::from_env`).

mod bare;
mod bcrypt_rate;
mod prepare;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "hs-bench", about = "Benchmark commands for HealthSecure")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Stores copies of the Synthea bundles in DIR, with fresh identifiers,
    /// until the database holds TARGET patients.
    Multiply {
        dir: std::path::PathBuf,
        #[arg(long, default_value_t = 10_000)]
        target: usize,
    },
    /// Puts every patient on the care team of one of the given doctors, in
    /// turn, and writes the first doctor's patient ids and last names to
    /// files for the load scripts.
    CareTeams {
        #[arg(long = "doctor", required = true)]
        doctors: Vec<String>,
        #[arg(long)]
        ids_out: std::path::PathBuf,
        #[arg(long)]
        names_out: std::path::PathBuf,
    },
    /// Prints the number of rows in `audit_log` or `bench_bare_log`.
    Count { table: String },
    /// Serves the bare reference: a primary-key read and one durable insert
    /// per request, with no authentication, policy or hash chain.
    Bare {
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: String,
        /// Written with the bound address once the server listens.
        #[arg(long)]
        address_file: std::path::PathBuf,
    },
    /// Measures how many bcrypt verifications per second THREADS threads
    /// manage at COST, and prints the result as JSON.
    BcryptRate {
        #[arg(long, default_value_t = 12)]
        cost: u32,
        #[arg(long, default_value_t = 2)]
        threads: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::BcryptRate {
        cost,
        threads,
        seconds,
    } = cli.command
    {
        return bcrypt_rate::run(cost, threads, seconds);
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let config = healthsecure::config::Config::from_env()
            .map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
        match cli.command {
            Command::Multiply { dir, target } => prepare::multiply(&config, &dir, target).await,
            Command::CareTeams {
                doctors,
                ids_out,
                names_out,
            } => prepare::care_teams(&config, &doctors, &ids_out, &names_out).await,
            Command::Count { table } => prepare::count(&config, &table).await,
            Command::Bare {
                listen,
                address_file,
            } => bare::serve(&config, &listen, &address_file).await,
            Command::BcryptRate { .. } => unreachable!("handled before the runtime starts"),
        }
    })
}
