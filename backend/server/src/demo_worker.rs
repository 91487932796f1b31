//! Demo runs execute in their own process, `paperclub demo-worker`, so that a
//! run that exhausts memory or hangs takes down only that process: the web
//! server keeps answering. `serve` starts one and restarts it when it dies
//! (unless `DEMO_WORKER=external`: then run workers yourself, on this machine
//! or others, against the same database).
//!
//! The worker caps its own data segment (`DEMO_MEMORY_LIMIT_MB`, default
//! 2048: an allocation past it aborts the process, never the machine) and
//! each run's time (`DEMO_TIME_LIMIT_SECONDS`, default 900). A run whose
//! worker died is claimed again after its lease (`DEMO_LEASE_SECONDS`, 60)
//! and failed with the reason after two attempts. On SIGTERM the worker puts
//! the run in hand back in the queue and exits.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use paperclub_core::clock::Clock;
use paperclub_core::demo_runs::{self, Limits, Ran};
use sqlx::PgPool;
use tokio::sync::watch;
use tracing::Instrument;

/// The worker's limits, from the environment.
#[derive(Debug, Clone, Copy)]
pub struct WorkerSettings {
    pub memory_limit_bytes: u64,
    pub limits: Limits,
}

impl WorkerSettings {
    pub fn from_env() -> Result<WorkerSettings> {
        let number = |name: &str, default: u64| -> Result<u64> {
            match std::env::var(name) {
                Ok(raw) => raw.trim().parse().with_context(|| format!("{name} must be a whole number")),
                Err(_) => Ok(default),
            }
        };
        Ok(WorkerSettings {
            memory_limit_bytes: number("DEMO_MEMORY_LIMIT_MB", 2048)? << 20,
            limits: Limits {
                lease: chrono::Duration::seconds(number("DEMO_LEASE_SECONDS", 60)? as i64),
                time_limit: Duration::from_secs(number("DEMO_TIME_LIMIT_SECONDS", 900)?),
            },
        })
    }
}

/// Caps the process's data segment (heap and anonymous mappings; Linux counts
/// them since 4.7). Address space reserved but not written, such as thread
/// stacks' guard areas or malloc's arenas, is not counted, so the cap is on
/// what a run really uses.
pub fn limit_memory(bytes: u64) -> Result<()> {
    let limit = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
    // SAFETY: setrlimit reads the struct we pass and changes only this process.
    let failed = unsafe { libc::setrlimit(libc::RLIMIT_DATA, &limit) } != 0;
    if failed {
        anyhow::bail!("cannot limit the worker's memory: {}", std::io::Error::last_os_error());
    }
    Ok(())
}

/// Set by [`supervise`] for its child: the worker then asks the kernel to
/// send it SIGTERM when the web server dies, even by SIGKILL, so no worker
/// outlives the process that started it.
pub const DIE_WITH_PARENT: &str = "PAPERCLUB_DEMO_WORKER_DIES_WITH_PARENT";

pub fn die_with_parent() {
    // SAFETY: prctl with PR_SET_PDEATHSIG only sets this process's signal.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) };
    // The parent may have died before the call: then we were adopted by init.
    // SAFETY: getppid has no preconditions.
    if unsafe { libc::getppid() } == 1 {
        std::process::exit(0);
    }
}

/// The worker loop: one run at a time until `stop` (or, with `once`, after
/// one claim).
pub async fn run(
    pool: PgPool,
    clock: Arc<dyn Clock>,
    limits: Limits,
    once: bool,
    mut stop: watch::Receiver<bool>,
) -> Result<()> {
    tracing::info!("demo worker started");
    loop {
        let claimed = demo_runs::claim_next(&pool, clock.now(), limits).await;
        let run = match claimed {
            Ok(Some(run)) => run,
            Ok(None) | Err(_) => {
                if let Err(error) = claimed {
                    tracing::error!(%error, "could not claim a demo run");
                }
                if once {
                    break;
                }
                tokio::select! {
                    _ = stop.changed() => break,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
                continue;
            }
        };
        let id = run.id;
        let span = tracing::info_span!("demo_run", run_id = id, demo = %run.demo, attempt = run.attempts);
        tokio::select! {
            ran = demo_runs::carry_out(&pool, clock.clone(), run, limits).instrument(span) => {
                match ran {
                    Ok(Ran::Failed(id)) => tracing::warn!(run_id = id, "demo run failed"),
                    Ok(_) => {}
                    Err(error) => tracing::error!(run_id = id, %error, "could not record how a demo run ended"),
                }
            }
            _ = stop.changed() => {
                // The demo's thread cannot be interrupted; the process exits
                // under it. The run goes back to the queue for the next worker.
                demo_runs::requeue(&pool, id).await.context("could not put the run back in the queue")?;
                tracing::info!(run_id = id, "demo worker stopping: the run is queued again");
                break;
            }
        }
        if once || *stop.borrow() {
            break;
        }
    }
    tracing::info!("demo worker stopped");
    Ok(())
}

/// Keeps one `paperclub demo-worker` process running beside the web server
/// (the same binary, the same environment) until `stop`, then asks it to
/// finish with SIGTERM.
pub async fn supervise(mut stop: watch::Receiver<bool>) {
    let program = match std::env::current_exe() {
        Ok(program) => program,
        Err(error) => {
            tracing::error!(%error, "cannot find this program to start the demo worker");
            return;
        }
    };
    loop {
        let child = tokio::process::Command::new(&program)
            .arg("demo-worker")
            .env(DIE_WITH_PARENT, "1")
            .kill_on_drop(true)
            .spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(error) => {
                tracing::error!(%error, "cannot start the demo worker");
                return;
            }
        };
        tracing::info!(pid = child.id(), "demo worker process started");
        tokio::select! {
            exited = child.wait() => {
                // Killed by its memory limit, most likely: the run it had is
                // claimed again (or failed) by the next one.
                tracing::warn!(status = ?exited.ok(), "the demo worker process exited; starting another");
                tokio::select! {
                    _ = stop.changed() => return,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
            _ = stop.changed() => {
                if let Some(pid) = child.id() {
                    // SAFETY: sends a signal to our own child process.
                    unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
                }
                if tokio::time::timeout(Duration::from_secs(10), child.wait()).await.is_err() {
                    let _ = child.kill().await;
                }
                return;
            }
        }
    }
}
