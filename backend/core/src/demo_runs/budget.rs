//! How much one demo run may use, for the checks that refuse a parameter set
//! before it is queued. The worker enforces the same memory limit on itself
//! (`DEMO_MEMORY_LIMIT_MB`, read here too so both agree); a prediction may use
//! half of it, the rest is the model, the data and the allocator's slack.

use std::sync::OnceLock;

use crate::forms::Problem;

/// The worker's memory limit when `DEMO_MEMORY_LIMIT_MB` is not set.
pub const DEFAULT_MEMORY_LIMIT_MB: u64 = 2048;

fn memory_limit_mb() -> u64 {
    static LIMIT: OnceLock<u64> = OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::env::var("DEMO_MEMORY_LIMIT_MB")
            .ok()
            .and_then(|raw| raw.trim().parse().ok())
            .unwrap_or(DEFAULT_MEMORY_LIMIT_MB)
    })
}

/// The problem to show when a run predicted to hold `bytes` at its peak
/// would not fit.
pub fn over_memory(bytes: u64) -> Option<Problem> {
    let budget_mib = memory_limit_mb() / 2;
    let need_mib = bytes.div_ceil(1 << 20);
    (need_mib > budget_mib).then_some(Problem::OverMemoryBudget { need_mib, budget_mib })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prediction_over_half_the_workers_limit_is_refused() {
        assert_eq!(over_memory(10 << 20), None);
        let budget = DEFAULT_MEMORY_LIMIT_MB / 2;
        assert_eq!(
            over_memory((budget + 1) << 20),
            Some(Problem::OverMemoryBudget { need_mib: budget + 1, budget_mib: budget })
        );
    }
}
