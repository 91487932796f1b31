//! GA-SATF, Rust against the numpy reference (`shared/reference/satf_ref.py`)
//! on the same data: HR@10 must agree within 0.01 for the same ranks, decay
//! and iterations, and the fit times give the speed ratio. Then the
//! MovieLens-1M-sized problem (6,000 users x 3,700 items x 200 positions),
//! Rust only: fit time, whole-demo time and peak memory.
//!
//!     scripts/bench-satf.sh          (sets up numpy in a cache venv, runs this)
//!
//! Environment: SATF_REF (path to satf_ref.py), PYTHON (an interpreter with
//! numpy and scipy). Without them only the Rust side runs.

use std::process::Command;
use std::time::Instant;

use paperclub_demos::progress::{Flow, peak_memory_mib};
use paperclub_demos::sequences::{self, CsvLimits, Generator, Params, Sequences, evaluation, satf};

const LIMITS: CsvLimits = CsvLimits { max_rows: 5_000_000, max_item_id: 100_000, min_users: 1, max_users: 100_000 };

struct Measured {
    hr: f64,
    ndcg: f64,
    fit_seconds: f64,
}

fn rust_satf(data: &Sequences, positions: usize, ranks: [usize; 3], decay: f64, iterations: usize) -> Measured {
    let (histories, targets) = data.split_last();
    let started = Instant::now();
    let tensor = satf::Positions::new(&histories, positions);
    let params = satf::SatfParams { ranks, decay, scaling: 1.0, iterations, seed: 0 };
    let model = satf::fit(&tensor, data.items, &params, &mut || Flow::Continue).expect("fit");
    let fit_seconds = started.elapsed().as_secs_f64();
    let ranking = evaluation::evaluate(&histories, &targets, data.items, &mut |h, s| model.score(h, s));
    Measured { hr: ranking.hr_at_10, ndcg: ranking.ndcg_at_10, fit_seconds }
}

/// Runs the reference on a CSV; returns GA-SATF's numbers from its JSON.
fn reference(
    csv: &std::path::Path,
    positions: usize,
    ranks: [usize; 3],
    decay: f64,
    iterations: usize,
) -> Option<Measured> {
    let (python, script) = (std::env::var("PYTHON").ok()?, std::env::var("SATF_REF").ok()?);
    let output = Command::new(python)
        .env("OPENBLAS_NUM_THREADS", "1")
        .env("OMP_NUM_THREADS", "1")
        .arg(script)
        .arg("--csv")
        .arg(csv)
        .args(["--maxlen", &positions.to_string()])
        .args(["--ranks", &format!("{},{},{}", ranks[0], ranks[1], ranks[2])])
        .args(["--decay", &decay.to_string(), "--iters", &iterations.to_string()])
        .output()
        .expect("the reference runs");
    assert!(output.status.success(), "reference failed: {}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("reference JSON");
    let satf = &json["ga_satf"];
    Some(Measured { hr: satf["hr10"].as_f64()?, ndcg: satf["ndcg10"].as_f64()?, fit_seconds: satf["fit_s"].as_f64()? })
}

fn compare(label: &str, data: &Sequences, csv: &std::path::Path, ranks: [usize; 3], decay: f64) {
    let ours = rust_satf(data, 50, ranks, decay, 4);
    println!("{label}: Rust    GA-SATF HR@10 {:.4} NDCG@10 {:.4} fit {:.3} s", ours.hr, ours.ndcg, ours.fit_seconds);
    if let Some(theirs) = reference(csv, 50, ranks, decay, 4) {
        println!(
            "{label}: numpy   GA-SATF HR@10 {:.4} NDCG@10 {:.4} fit {:.3} s",
            theirs.hr, theirs.ndcg, theirs.fit_seconds
        );
        let gap = (ours.hr - theirs.hr).abs();
        println!(
            "{label}: |ΔHR@10| {gap:.4} ({}), speed-up {:.1}x",
            if gap <= 0.01 { "agrees" } else { "DISAGREES" },
            theirs.fit_seconds / ours.fit_seconds
        );
    }
}

fn main() {
    let dir = std::env::temp_dir().join(format!("paperclub-satf-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // 1. Our generator's data, 2,000 users x 600 items, K = 50, ranks 64/64/8.
    let ours = Params::default().data.generate(0);
    let csv = dir.join("rust-generated.csv");
    std::fs::write(&csv, ours.to_csv()).unwrap();
    for decay in [0.0, 1.0] {
        compare(&format!("rust data, decay {decay}"), &ours, &csv, [64, 64, 8], decay);
    }

    // 2. The reference's own generated data, read back through our CSV parser.
    if let (Ok(python), Ok(script)) = (std::env::var("PYTHON"), std::env::var("SATF_REF")) {
        let dumped = dir.join("numpy-generated.csv");
        let status = Command::new(python)
            .env("OPENBLAS_NUM_THREADS", "1")
            .arg(script)
            .args(["--dump", dumped.to_str().unwrap(), "--iters", "1"])
            .output()
            .expect("the reference runs");
        assert!(status.status.success());
        let theirs = Sequences::from_csv(&std::fs::read_to_string(&dumped).unwrap(), LIMITS).unwrap();
        compare("numpy data, decay 0", &theirs, &dumped, [64, 64, 8], 0.0);
    }

    // 3. MovieLens-1M-sized: 6,000 users x 3,700 items, 200 positions, ~1M interactions.
    let generator = Generator {
        users: 6000,
        items: 3700,
        clusters: 37,
        min_length: 20,
        max_length: 310,
        p_next: 0.6,
        p_taste: 0.3,
    };
    let started = Instant::now();
    let big = generator.generate(0);
    let generated = started.elapsed().as_secs_f64();
    let fit = rust_satf(&big, 200, [64, 64, 8], 0.0, 4);
    println!(
        "ML-1M-sized ({} users, {} items, {} interactions, K = 200): generate {generated:.2} s, GA-SATF fit {:.2} s, HR@10 {:.4}",
        big.users.len(),
        big.items,
        big.interactions(),
        fit.fit_seconds,
        fit.hr
    );
    let params = Params { data: generator.clone(), positions: 200, ..Params::default() };
    let started = Instant::now();
    let report = sequences::run(&params, None, &mut |_| Flow::Continue).expect("the demo runs");
    println!(
        "ML-1M-sized whole demo (generate, 4 models, full-ranking evaluation of each): {:.2} s; peak memory {:.0} MiB",
        started.elapsed().as_secs_f64(),
        peak_memory_mib()
    );
    for model in &report.models {
        println!(
            "  {:<13} HR@10 {:.4} NDCG@10 {:.4} coverage {:.3} fit {:.2} s",
            model.model, model.ranking.hr_at_10, model.ranking.ndcg_at_10, model.ranking.coverage, model.fit_seconds
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
