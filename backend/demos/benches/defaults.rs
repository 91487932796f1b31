//! How long each demo takes with the parameters its form starts with: the
//! catalogue's "about N seconds" comes from here. Release build, one core
//! (the demo worker runs one demo at a time).
//!
//!     cargo bench -p paperclub-demos --bench defaults

use std::time::Instant;

use paperclub_demos::progress::Flow;
use paperclub_demos::{calibration, sequences};

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
    let mlp = calibration::Params { hidden: 16, ..calibration::Params::default() };
    let report = time("calibrated-ranking, two-layer perceptron with 16 hidden units", || {
        calibration::run(&mlp, &mut |_| Flow::Continue).unwrap()
    });
    println!(
        "  claim held: {} (spread ratio {:.1}, NDCG gap {:.4})",
        report.claim_held, report.spread_ratio, report.ndcg_gap
    );
}
