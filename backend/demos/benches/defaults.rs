//! How long each demo takes with the parameters its form starts with: the
//! catalogue's "about N seconds" comes from here. Release build, one core
//! (the demo worker runs one demo at a time).
//!
//!     cargo bench -p paperclub-demos --bench defaults

use std::time::Instant;

use paperclub_demos::progress::{Flow, peak_memory_mib};
use paperclub_demos::{calibration, dlrm, sequences};

fn time<T>(label: &str, run: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = run();
    println!("{label}: {:.2} s", started.elapsed().as_secs_f64());
    out
}

fn main() {
    let report = time("ga-satf, defaults (2,000 users x 600 items, K = 50, ranks 64/64/8)", || {
        sequences::run(&sequences::Params::default(), None, &mut |_| Flow::Continue).unwrap()
    });
    println!("  claim held: {}", report.claim_held);
    let report = time("calibrated-ranking, defaults (linear, 5 days x 400 lists x 20, 1,500 steps)", || {
        calibration::run(&calibration::Params::default(), &mut |_| Flow::Continue).unwrap()
    });
    println!("  claim held: {} (spread ratio {:.1})", report.claim_held, report.spread_ratio);
    let report = time("dlrm, defaults (6 days x 12,000 impressions, 4 fields, tables of 2,000 rows)", || {
        dlrm::run(&dlrm::Params::default(), &mut |_| Flow::Continue).unwrap()
    });
    println!(
        "  claim held: {}; mean AUC once/continual/full {:.4}/{:.4}/{:.4}; cost share {:.2}; {:.0} training samples/s",
        report.claim_held,
        report.mean_auc[0],
        report.mean_auc[1],
        report.mean_auc[2],
        report.cost_share,
        report.samples_per_second
    );
    let stream = dlrm::Stream { days: 10, samples_per_day: 30_000, ids_per_field: 20_000, ..dlrm::Stream::default() };
    let bigger = dlrm::Params { stream, table_rows: 20_000, ..dlrm::Params::default() };
    let report = time("dlrm, 10 days x 30,000 impressions, 20,000 ids per field, tables of 20,000 rows", || {
        dlrm::run(&bigger, &mut |_| Flow::Continue).unwrap()
    });
    println!(
        "  claim held: {}; mean AUC once/continual/full {:.4}/{:.4}/{:.4}; {:.0} training samples/s; peak memory {:.0} MiB",
        report.claim_held,
        report.mean_auc[0],
        report.mean_auc[1],
        report.mean_auc[2],
        report.samples_per_second,
        peak_memory_mib()
    );
    let mlp = calibration::Params { hidden: 16, ..calibration::Params::default() };
    let report = time("calibrated-ranking, two-layer perceptron with 16 hidden units", || {
        calibration::run(&mlp, &mut |_| Flow::Continue).unwrap()
    });
    println!(
        "  claim held: {} (spread ratio {:.1}, NDCG gap {:.4})",
        report.claim_held, report.spread_ratio, report.ndcg_gap
    );
}
