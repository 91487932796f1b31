//! `paperclub`: the platform's one binary.

use std::io::Read;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use paperclub_core::accounts::Role;
use paperclub_core::clock::SystemClock;
use paperclub_core::seed::{self, Seeded};
use paperclub_server::{Application, Settings, telemetry};

/// paperclub runs an ML team's reading groups and meetups: the site, the
/// organiser's dashboard and calendar feeds.
///
/// Configuration comes from environment variables, each with a local default:
/// DATABASE_URL (postgres://postgres@127.0.0.1:5432/paperclub),
/// LEPTOS_SITE_ADDR (127.0.0.1:3000), PUBLIC_BASE_URL (http://LEPTOS_SITE_ADDR),
/// LEPTOS_SITE_ROOT (target/site: the folder with pkg/), DATABASE_MAX_CONNECTIONS (16),
/// RUST_LOG (info) and LOG_FORMAT (text or json).
#[derive(Parser)]
#[command(name = "paperclub", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending database migrations, then serve the site until Ctrl-C or SIGTERM.
    Serve,
    /// Run queued demo runs, one at a time, until SIGTERM. `serve` starts one
    /// itself unless DEMO_WORKER=external; start more on any machine that
    /// reaches the database. DEMO_MEMORY_LIMIT_MB (2048),
    /// DEMO_TIME_LIMIT_SECONDS (900), DEMO_LEASE_SECONDS (60).
    DemoWorker {
        /// Claim at most one run, carry it out and exit.
        #[arg(long)]
        once: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Name the freshly built bundle and stylesheet in PKG after their
    /// content and write their brotli and gzip copies (scripts/build-site.sh runs it).
    Assets {
        /// The site's pkg folder, holding paperclub.js, paperclub_bg.wasm and paperclub.css.
        pkg: std::path::PathBuf,
    },
    /// Load the channel's own events (two series, three events) into an empty database.
    /// A database that already has content is left alone.
    Seed,
    /// Manage accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an organiser (or check-in staff), or reset an existing account's password and role.
    ///
    /// The password is read from the PAPERCLUB_ADMIN_PASSWORD variable or, with
    /// --password-stdin, from standard input (never from the command line, where
    /// other users could see it). At least 12 characters.
    Create {
        /// The organiser's e-mail: what they sign in with.
        #[arg(long)]
        email: String,
        /// The name shown on the dashboard.
        #[arg(long)]
        name: String,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
        /// `organiser` (everything) or `checkin` (only the door pages).
        #[arg(long, default_value = "organiser", value_parser = ["organiser", "checkin"])]
        role: String,
    },
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Command::Assets { pkg } = &cli.command {
        let manifest = paperclub_server::assets::prepare(pkg)?;
        println!("{}", manifest.output_name);
        return Ok(());
    }
    telemetry::init();
    let settings = Settings::from_env()?;
    match cli.command {
        Command::Serve => serve(settings).await,
        Command::DemoWorker { once } => demo_worker(settings, once).await,
        Command::Assets { .. } => unreachable!("handled before the settings are read"),
        Command::Migrate => {
            let pool = connect(&settings).await?;
            paperclub_core::db::migrate(&pool).await.context("migrations failed")?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed => {
            let pool = connect(&settings).await?;
            paperclub_core::db::migrate(&pool).await.context("migrations failed")?;
            match seed::load(&pool).await? {
                Seeded::Loaded { series, events } => {
                    println!("seed loaded: {series} series, {events} events")
                }
                Seeded::AlreadyHadContent => {
                    println!("the database already has content; seed skipped")
                }
            }
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { email, name, password_stdin, role } } => {
            let password = if password_stdin {
                let mut input = String::new();
                std::io::stdin().read_to_string(&mut input).context("cannot read the password from stdin")?;
                input.trim_end_matches(['\r', '\n']).to_owned()
            } else {
                match std::env::var("PAPERCLUB_ADMIN_PASSWORD") {
                    Ok(password) => password,
                    Err(_) => bail!("give the password in PAPERCLUB_ADMIN_PASSWORD or on stdin with --password-stdin"),
                }
            };
            let pool = connect(&settings).await?;
            paperclub_core::db::migrate(&pool).await.context("migrations failed")?;
            let role = if role == "checkin" { Role::Checkin } else { Role::Organiser };
            match paperclub_core::accounts::upsert_staff(&pool, &email, &name, &password, role).await {
                Ok(account) => {
                    let what = if role == Role::Checkin { "check-in staff" } else { "organiser" };
                    println!(
                        "{what} {} <{}> can sign in at {}/admin/sign-in",
                        account.display_name, account.email, settings.public_base_url
                    );
                    Ok(())
                }
                Err(paperclub_core::Error::Invalid(errors)) => {
                    bail!("not created: {errors:?} (the e-mail must be valid and the password at least 12 characters)")
                }
                Err(other) => Err(other.into()),
            }
        }
    }
}

async fn demo_worker(settings: Settings, once: bool) -> Result<()> {
    use paperclub_server::demo_worker::{self, WorkerSettings};
    if std::env::var_os(demo_worker::DIE_WITH_PARENT).is_some() {
        demo_worker::die_with_parent();
    }
    let worker = WorkerSettings::from_env()?;
    // Before anything big is allocated: the limit is on the runs.
    demo_worker::limit_memory(worker.memory_limit_bytes)?;
    let pool = connect(&settings).await?;
    paperclub_core::db::migrate(&pool).await.context("migrations failed")?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        paperclub_server::startup::shutdown_signal().await;
        let _ = stop.send(true);
    });
    demo_worker::run(pool, Arc::new(SystemClock), worker.limits, once, stopped).await
}

async fn connect(settings: &Settings) -> Result<sqlx::PgPool> {
    if paperclub_core::db::ensure_database(&settings.database_url)
        .await
        .with_context(|| format!("cannot reach PostgreSQL at {}", settings.database_url_for_logs()))?
    {
        println!("created database {}", settings.database_url_for_logs());
    }
    paperclub_core::db::connect(&settings.database_url, 2)
        .await
        .with_context(|| format!("cannot connect to PostgreSQL at {}", settings.database_url_for_logs()))
}

async fn serve(settings: Settings) -> Result<()> {
    let application = if settings.test_controls {
        tracing::warn!("PAPERCLUB_TEST_CONTROLS is on: POST /test/clock moves this server's clock");
        Application::build_with_test_clock(&settings, paperclub_core::clock::OffsetClock::default()).await?
    } else {
        Application::build(&settings, Arc::new(SystemClock)).await?
    };
    tracing::info!(
        port = application.port(),
        public = %settings.public_base_url,
        database = %settings.database_url_for_logs(),
        "paperclub is serving"
    );
    application.run_until_stopped().await
}
