//! How much one demo run may use, and each demo's cost model: the checks
//! that refuse a parameter set before it is queued. The worker enforces the
//! same limits on itself (`DEMO_MEMORY_LIMIT_MB`, `DEMO_TIME_LIMIT_SECONDS`,
//! read here too so both agree). A prediction may use half of each: the rest
//! is the model, the data and the allocator's slack for memory, and for time
//! a machine slower than the one the defaults were timed on (the benches have
//! seen 2.4x between two of ours).

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::spec::DemoSpec;
use crate::forms::Problem;

/// The worker's memory limit when `DEMO_MEMORY_LIMIT_MB` is not set.
pub const DEFAULT_MEMORY_LIMIT_MB: u64 = 2048;
/// The worker's wall-clock limit per run when `DEMO_TIME_LIMIT_SECONDS` is not set.
pub const DEFAULT_TIME_LIMIT_SECONDS: u64 = 900;

fn limit_from_env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|raw| raw.trim().parse().ok()).unwrap_or(default)
}

fn memory_limit_mb() -> u64 {
    static LIMIT: OnceLock<u64> = OnceLock::new();
    *LIMIT.get_or_init(|| limit_from_env("DEMO_MEMORY_LIMIT_MB", DEFAULT_MEMORY_LIMIT_MB))
}

fn time_limit_seconds() -> u64 {
    static LIMIT: OnceLock<u64> = OnceLock::new();
    *LIMIT.get_or_init(|| limit_from_env("DEMO_TIME_LIMIT_SECONDS", DEFAULT_TIME_LIMIT_SECONDS))
}

/// How a demo's run time and peak memory grow with its parameters. `work` is
/// in the demo's own units (multiply-adds, samples, steps): only its ratio to
/// the defaults' work matters, since the defaults were timed
/// (`DemoSpec::default_seconds`, from `cargo bench --bench defaults`).
#[derive(Clone, Copy)]
pub struct CostModel {
    pub work: fn(&Map<String, Value>) -> f64,
    /// The parameter the refusal is shown next to: the one a visitor would
    /// lower first.
    pub time_field: &'static str,
    /// Bytes the run holds at its peak beyond the worker's own baseline.
    pub memory: fn(&Map<String, Value>) -> f64,
    pub memory_field: &'static str,
}

impl CostModel {
    /// For calculators: no work to speak of, whatever the parameters.
    pub const NEGLIGIBLE: CostModel = CostModel { work: |_| 1.0, time_field: "", memory: |_| 0.0, memory_field: "" };
}

/// What a run with `params` is predicted to take, in seconds.
pub fn predicted_seconds(demo: &DemoSpec, params: &Map<String, Value>) -> f64 {
    let defaults: Map<String, Value> =
        demo.params.iter().map(|spec| (spec.name.to_owned(), Value::from(spec.default))).collect();
    let work = demo.cost.work;
    f64::from(demo.default_seconds) * work(params) / work(&defaults).max(f64::MIN_POSITIVE)
}

/// The problems of a parameter set whose predicted time or memory is over the budget.
pub fn problems(demo: &DemoSpec, params: &Map<String, Value>) -> Vec<(&'static str, Problem)> {
    let mut problems = Vec::new();
    if let Some(problem) = over_time(predicted_seconds(demo, params)) {
        problems.push((demo.cost.time_field, problem));
    }
    if let Some(problem) = over_memory((demo.cost.memory)(params) as u64) {
        problems.push((demo.cost.memory_field, problem));
    }
    problems
}

/// The problem to show when a run predicted to take `seconds` would not fit.
pub fn over_time(seconds: f64) -> Option<Problem> {
    let budget_seconds = time_limit_seconds() / 2;
    (seconds > budget_seconds as f64).then(|| Problem::OverTimeBudget {
        need_minutes: (seconds / 60.0).ceil() as u64,
        budget_minutes: (budget_seconds / 60).max(1),
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

    #[test]
    fn a_run_predicted_over_half_the_wall_clock_limit_is_refused() {
        let budget = DEFAULT_TIME_LIMIT_SECONDS / 2;
        assert_eq!(over_time(budget as f64), None);
        assert_eq!(
            over_time(budget as f64 * 3.0),
            Some(Problem::OverTimeBudget { need_minutes: (budget * 3).div_ceil(60), budget_minutes: budget / 60 })
        );
    }

    #[test]
    fn every_demo_predicts_its_defaults_take_the_time_they_were_timed_at_and_fit() {
        for demo in super::super::registry::DEMOS {
            let defaults = demo.parse(&Default::default()).unwrap();
            let predicted = predicted_seconds(demo, &defaults);
            assert!((predicted - f64::from(demo.default_seconds)).abs() < 1e-6, "{}", demo.id);
        }
    }

    fn with(demo: &DemoSpec, changes: &[(&str, f64)]) -> Map<String, Value> {
        let mut params: Map<String, Value> =
            demo.params.iter().map(|spec| (spec.name.to_owned(), Value::from(spec.default))).collect();
        for (name, value) in changes {
            params.insert((*name).to_owned(), Value::from(*value));
        }
        params
    }

    fn at_maxima(demo: &DemoSpec) -> Map<String, Value> {
        demo.params.iter().map(|spec| (spec.name.to_owned(), Value::from(spec.max))).collect()
    }

    #[test]
    fn the_models_agree_with_the_runs_the_bench_timed_away_from_the_defaults() {
        use super::super::{calibration, dlrm};
        // The bench: the 16-unit perceptron on the calibration defaults took
        // 57.2 s against the linear model's 8.84 s; DLRM over 10 days of
        // 30,000 with 20,000-row tables 14.1 s against 1.73 s.
        let perceptron = predicted_seconds(&calibration::SPEC, &with(&calibration::SPEC, &[("hidden", 16.0)]));
        let ratio = perceptron / f64::from(calibration::SPEC.default_seconds);
        assert!((5.0..8.0).contains(&ratio), "perceptron {ratio:.1}x, timed 6.5x");
        let bigger = with(
            &dlrm::SPEC,
            &[("days", 10.0), ("samples_per_day", 30_000.0), ("ids_per_field", 20_000.0), ("table_rows", 20_000.0)],
        );
        let ratio = predicted_seconds(&dlrm::SPEC, &bigger) / f64::from(dlrm::SPEC.default_seconds);
        assert!((4.0..12.0).contains(&ratio), "dlrm {ratio:.1}x, timed 8.2x");
    }

    #[test]
    fn the_demos_that_train_refuse_their_maxima_next_to_a_field_they_have() {
        use super::super::registry::find;
        for id in ["calibrated-ranking", "dlrm", "performative", "gqa-training", "lidb-training"] {
            let demo = find(id).unwrap();
            let maxima = at_maxima(demo);
            let problems = problems(demo, &maxima);
            assert!(!problems.is_empty(), "{id} at its maxima: {:.0} s", predicted_seconds(demo, &maxima));
            for (field, _) in problems {
                assert!(demo.params.iter().any(|spec| spec.name == field), "{id}: {field}");
            }
        }
        // GA-SATF is a few matrix products even at its largest.
        let satf = find("ga-satf").unwrap();
        assert!(problems(satf, &at_maxima(satf)).is_empty());
    }
}
