//! Demo: DLRM with continual learning (Naumov et al. 2019; TorchRec). Every
//! day brings new ids and drifted tastes. Three ways to keep up, compared
//! on each next day's traffic: a model trained once on day 0 (static), the
//! same model trained on with one pass over each new day (continual), and a
//! model retrained from scratch on everything so far every day (full).
//! The claim: after the drift, continual beats static and comes close to
//! full retraining at a fraction of its cost.

pub mod data;
pub mod model;

use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::progress::{Cancelled, Flow, Progress};
pub use data::Stream;
use model::{Dlrm, Sample, log_loss_of};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    pub seed: u64,
    /// The traffic (its keys sit beside the model's in the form and the JSON).
    #[serde(flatten)]
    pub stream: Stream,
    pub embedding_dim: usize,
    pub table_rows: usize,
    pub hidden: usize,
    pub learning_rate: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: 0,
            stream: Stream::default(),
            embedding_dim: 8,
            table_rows: 2000,
            hidden: 24,
            learning_rate: 0.03,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayReport {
    pub day: usize,
    pub auc: [f64; 3],
    pub log_loss: [f64; 3],
    /// Samples each strategy trained on to get ready for this day (static: none
    /// after day 0; continual: yesterday once; full: every day so far).
    pub trained_samples: [u64; 3],
    pub train_seconds: [f64; 3],
    /// The continual model's tables: share of rows in use, evictions so far.
    pub occupancy: f64,
    pub evictions: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub params: Params,
    /// static, continual, full
    pub days: Vec<DayReport>,
    pub mean_auc: [f64; 3],
    /// Continual's training cost as a share of full retraining's (samples).
    pub cost_share: f64,
    pub samples_per_second: f64,
    /// Continual beats static by at least 0.005 AUC on average, is within
    /// 0.01 of full retraining, and costs at most half as much.
    pub claim_held: bool,
}

/// Area under the ROC curve, ties counted half.
pub fn auc(scores: &[f64], clicks: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*a].total_cmp(&scores[*b]));
    let (mut rank_sum, mut positives) = (0.0, 0usize);
    let mut k = 0;
    while k < order.len() {
        let mut end = k;
        while end + 1 < order.len() && scores[order[end + 1]] == scores[order[k]] {
            end += 1;
        }
        let average_rank = (k + end) as f64 / 2.0 + 1.0;
        for &i in &order[k..=end] {
            if clicks[i] {
                rank_sum += average_rank;
                positives += 1;
            }
        }
        k = end + 1;
    }
    let negatives = scores.len() - positives;
    if positives == 0 || negatives == 0 {
        return 0.5;
    }
    (rank_sum - (positives * (positives + 1)) as f64 / 2.0) / (positives * negatives) as f64
}

fn evaluate(model: &mut Dlrm, day: &[Sample]) -> (f64, f64) {
    let scores: Vec<f64> = day.iter().map(|s| model.predict(s)).collect();
    let clicks: Vec<bool> = day.iter().map(|s| s.click).collect();
    let log_loss = scores.iter().zip(&clicks).map(|(p, c)| log_loss_of(*p, *c)).sum::<f64>() / day.len().max(1) as f64;
    (auc(&scores, &clicks), log_loss)
}

pub fn run(params: &Params, progress: &mut dyn FnMut(Progress) -> Flow) -> Result<Report, Cancelled> {
    let stream = &params.stream;
    let days = stream.generate(params.seed);
    let fresh = || {
        Dlrm::new(
            stream.dense,
            stream.fields,
            params.embedding_dim,
            params.hidden,
            params.table_rows,
            params.seed ^ 0x5151,
        )
    };
    // Work in samples: day 0 twice for the first model, one pass per day for
    // continual, everything so far for each full retrain.
    let full_total: u64 = (1..stream.days).map(|d| (d * stream.samples_per_day) as u64).sum();
    let continual_total = (stream.days.saturating_sub(2) * stream.samples_per_day) as u64;
    let total = (2 * stream.samples_per_day) as u64 + continual_total + full_total;
    let mut done = 0u64;
    let mut tick = |n: u64, progress: &mut dyn FnMut(Progress) -> Flow| {
        done += n;
        if progress(Progress { done, total }) == Flow::Stop { Err(Cancelled) } else { Ok(()) }
    };
    let train = |model: &mut Dlrm, samples: &[Sample]| {
        for sample in samples {
            model.learn(sample, params.learning_rate);
        }
    };

    // Day 0: the model both static and continual start from (two passes).
    let started = Instant::now();
    let mut base = fresh();
    train(&mut base, &days[0]);
    train(&mut base, &days[0]);
    let base_seconds = started.elapsed().as_secs_f64();
    tick(2 * stream.samples_per_day as u64, progress)?;
    let mut stale = base.clone();
    let mut continual = base;
    let mut reports = Vec::new();
    let mut learned_seconds = 0.0;
    for day in 1..stream.days {
        // Continual: a warm start, one pass over yesterday's traffic.
        let started = Instant::now();
        let mut continual_samples = 0;
        if day >= 2 {
            train(&mut continual, &days[day - 1]);
            continual_samples = days[day - 1].len() as u64;
            tick(continual_samples, progress)?;
        }
        let continual_seconds = started.elapsed().as_secs_f64();
        // Full retraining: a fresh model on every day so far.
        let started = Instant::now();
        let mut full = fresh();
        for past in &days[..day] {
            train(&mut full, past);
            tick(past.len() as u64, progress)?;
        }
        let full_seconds = started.elapsed().as_secs_f64();
        learned_seconds += continual_seconds + full_seconds;
        let test = &days[day];
        let results = [evaluate(&mut stale, test), evaluate(&mut continual, test), evaluate(&mut full, test)];
        reports.push(DayReport {
            day,
            auc: [results[0].0, results[1].0, results[2].0],
            log_loss: [results[0].1, results[1].1, results[2].1],
            trained_samples: [0, continual_samples, (day * stream.samples_per_day) as u64],
            train_seconds: [0.0, continual_seconds, full_seconds],
            occupancy: continual.occupancy(),
            evictions: continual.evictions(),
        });
    }
    let mean = |k: usize| reports.iter().map(|r| r.auc[k]).sum::<f64>() / reports.len().max(1) as f64;
    let mean_auc = [mean(0), mean(1), mean(2)];
    let continual_cost = continual_total as f64;
    let cost_share = continual_cost / full_total.max(1) as f64;
    let all_seconds = base_seconds + learned_seconds;
    let trained = (2 * stream.samples_per_day) as f64 + continual_cost + full_total as f64;
    Ok(Report {
        params: params.clone(),
        claim_held: mean_auc[1] >= mean_auc[0] + 0.005 && mean_auc[2] - mean_auc[1] < 0.01 && cost_share <= 0.5,
        mean_auc,
        cost_share,
        samples_per_second: trained / all_seconds.max(1e-9),
        days: reports,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ordered_pairs_and_ties_half() {
        assert_eq!(auc(&[0.1, 0.9], &[false, true]), 1.0);
        assert_eq!(auc(&[0.9, 0.1], &[false, true]), 0.0);
        assert_eq!(auc(&[0.5, 0.5], &[false, true]), 0.5);
        let third = auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]);
        assert!((third - 0.75).abs() < 1e-12);
    }

    fn small(seed: u64) -> Params {
        let stream = Stream { days: 5, samples_per_day: 4000, ids_per_field: 600, ..Stream::default() };
        Params { seed, stream, table_rows: 800, ..Params::default() }
    }

    #[test]
    fn continual_learning_beats_the_static_model_and_nears_full_retraining_across_seeds() {
        for seed in [1, 2] {
            let report = run(&small(seed), &mut |_| Flow::Continue).unwrap();
            eprintln!(
                "seed {seed}: AUC static {:.4}, continual {:.4}, full {:.4}; cost share {:.2}; evictions {}",
                report.mean_auc[0],
                report.mean_auc[1],
                report.mean_auc[2],
                report.cost_share,
                report.days.last().unwrap().evictions
            );
            assert!(report.mean_auc[1] > report.mean_auc[0], "seed {seed}");
            assert!(report.cost_share <= 0.5);
            assert!(report.days.last().unwrap().evictions > 0, "the bounded tables had to evict");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_aucs_and_a_run_can_be_stopped() {
        let strip = |r: Report| r.days.iter().map(|d| (d.auc, d.log_loss)).collect::<Vec<_>>();
        let a = run(&small(3), &mut |_| Flow::Continue).unwrap();
        let b = run(&small(3), &mut |_| Flow::Continue).unwrap();
        assert_eq!(strip(a), strip(b));
        assert_eq!(run(&small(3), &mut |_| Flow::Stop), Err(Cancelled));
    }
}
