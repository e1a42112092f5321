use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    healthsecure::cli::run().await
}
