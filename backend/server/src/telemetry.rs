//! Structured logs through `tracing`. `LOG_FORMAT=json` for machines,
//! readable text otherwise; `RUST_LOG` filters as usual.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let json = std::env::var("LOG_FORMAT").is_ok_and(|format| format == "json");
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(true);
    // A second init (tests) is not an error worth stopping for.
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
