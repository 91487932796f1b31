//! How long each demo takes with the parameters its form starts with: the
//! catalogue's "about N seconds" comes from here. Release build, one core
//! (the demo worker runs one demo at a time).
//!
//!     cargo bench -p paperclub-demos --bench defaults

use std::time::Instant;

use paperclub_demos::progress::{Flow, peak_memory_mib};
use paperclub_demos::{calibration, dlrm, gqa, lidb, performative, sequences};

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
    let report = time(
        "performative, defaults (3 worlds x 2 lambdas x 5 rounds x 40 steps, 200 users, 50 items, lists of 10)",
        || performative::run(&performative::Params::default(), &mut |_| Flow::Continue).unwrap(),
    );
    let [without, with] = *report.diversity.last().unwrap();
    println!(
        "  claim held: {}; diversity start {:.3}, last round lambda 0 {:.3} ({:.3}..{:.3}) vs lambda {} {:.3} ({:.3}..{:.3}); NDCG cost {:.4}",
        report.claim_held,
        report.initial_diversity.mean,
        without.mean,
        without.low,
        without.high,
        report.params.lambda,
        with.mean,
        with.low,
        with.high,
        report.ndcg_cost
    );
    println!("  peak memory so far {:.0} MiB", peak_memory_mib());
    let report = time(
        "gqa-training, defaults (MHA 8 / GQA 2 / MQA 1 KV heads, 400 steps x 32, decoding at 16,384 tokens)",
        || gqa::run(&gqa::Params::default(), &mut |_| Flow::Continue).unwrap(),
    );
    println!("  claim held: {} (quality {}, faster {})", report.claim_held, report.quality_held, report.faster);
    for v in &report.variants {
        println!(
            "  {}: loss {:.3}, accuracy {:.3}, cache {} B/token, {:.0} tokens/s at the context, trained in {:.1} s",
            v.name,
            v.validation.loss,
            v.validation.accuracy,
            v.cache_bytes_per_token,
            v.tokens_per_second,
            v.train_seconds
        );
    }
    println!("  peak memory so far {:.0} MiB", peak_memory_mib());
    let report = time("lidb-training, defaults (pretrain 400 steps, 4 subject sentences, 120 steps each)", || {
        lidb::run(&lidb::Params::default(), &mut |_| Flow::Continue).unwrap()
    });
    println!("  claim held: {}; pretraining {:.1} s", report.claim_held, report.pretrain_seconds);
    for m in &report.methods {
        println!(
            "  {}: {} trainable bytes, subject loss {:.3} accuracy {:.2}, old facts accuracy {:.2} (drift {:+.3}), {:.2} s",
            m.name, m.trainable_bytes, m.subject.loss, m.subject.accuracy, m.original.accuracy, m.drift, m.seconds
        );
    }
    println!("  peak memory so far {:.0} MiB", peak_memory_mib());
    let mlp = calibration::Params { hidden: 16, ..calibration::Params::default() };
    let report = time("calibrated-ranking, two-layer perceptron with 16 hidden units", || {
        calibration::run(&mlp, &mut |_| Flow::Continue).unwrap()
    });
    println!(
        "  claim held: {} (spread ratio {:.1}, NDCG gap {:.4})",
        report.claim_held, report.spread_ratio, report.ndcg_gap
    );
}
