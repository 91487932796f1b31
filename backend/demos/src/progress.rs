//! Progress reports and cancellation, shared by every demo.

/// How far a run has come, in steps of work done out of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

impl Progress {
    pub fn fraction(self) -> f64 {
        if self.total == 0 { 1.0 } else { self.done as f64 / self.total as f64 }
    }
}

/// What the caller answers to a progress report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// The run was stopped by its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// Why a run ended without a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Halt {
    /// Stopped by its caller.
    Cancelled,
    /// The computation could not go on (a factorization failed, the data cannot be used).
    Failed(String),
}

impl From<Cancelled> for Halt {
    fn from(_: Cancelled) -> Halt {
        Halt::Cancelled
    }
}

/// The process's peak resident memory in MiB (Linux `VmHWM`), for the
/// benchmarks' reports; NaN where it cannot be read.
pub fn peak_memory_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}
