//! Structured logs: JSON lines on stdout with request ids (on stderr for
//! commands whose standard output is data, such as an audit export).
//! Nothing logged carries PHI; see `http::layers` for what a request line
//! contains.

pub mod meters;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::BoxMakeWriter;

use crate::config::LogFormat;

pub fn init(level: &str, format: LogFormat, to_stderr: bool) {
    let filter = EnvFilter::try_new(format!(
        "{level},sqlx=warn,sea_orm=warn,hyper=warn,tower_http=warn,rustls=warn,h2=warn"
    ))
    .unwrap_or_else(|_| EnvFilter::new("info"));
    let writer = if to_stderr {
        BoxMakeWriter::new(std::io::stderr)
    } else {
        BoxMakeWriter::new(std::io::stdout)
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_target(false);
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}
