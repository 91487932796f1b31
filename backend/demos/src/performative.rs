//! Demo: performative recommendation (Eilat & Rosenfeld, ICML 2023). Content
//! creators respond to the recommender: after it is trained, each item moves
//! toward what its audience (the users who get it in their lists) is
//! believed to like. A recommender trained for accuracy alone pulls the
//! items together round after round; one that also rewards the diversity of
//! the content *as it will be after the response* keeps it spread out, at a
//! small cost in accuracy.
//!
//! The paper's synthetic setting: content is 2-dimensional so items can be
//! drawn on the unit circle; users have true tastes on the circle (a few
//! clusters); scores are inner products with learned user vectors; the loss
//! is a differentiable NDCG (NeuralSort with Sinkhorn normalisation) plus
//! lambda times a differentiable diversity of the responded items.

use std::f64::consts::TAU;

use candle_core::{DType, Tensor, Var};
use serde::{Deserialize, Serialize};

use crate::progress::{Cancelled, Flow, Halt, Progress};
use crate::random::Random;
use crate::training::{self, Adam, CPU};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    pub seed: u64,
    /// Independent worlds, each run with lambda = 0 and with lambda.
    pub seeds: usize,
    pub users: usize,
    pub items: usize,
    /// Length of each user's list (NDCG@list).
    pub list: usize,
    /// Clusters of users' tastes on the circle, and their spread in radians.
    pub clusters: usize,
    pub spread: f64,
    /// How far an item moves toward its audience's mean learned taste (0..1).
    pub strength: f64,
    /// Weight of the diversity of the responded content in the loss.
    pub lambda: f64,
    /// Temperature of the soft sort.
    pub temperature: f64,
    pub sinkhorn_iterations: usize,
    /// Train, let the items respond, repeat.
    pub rounds: usize,
    pub steps: usize,
    pub learning_rate: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: 0,
            seeds: 3,
            users: 200,
            items: 50,
            list: 10,
            clusters: 3,
            spread: 0.35,
            strength: 0.8,
            lambda: 0.15,
            temperature: 0.1,
            sinkhorn_iterations: 1,
            rounds: 5,
            steps: 40,
            learning_rate: 0.05,
        }
    }
}

/// A point on the circle.
pub type Point = [f64; 2];

/// One round of one world with one lambda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    /// NDCG@list of the trained recommender on the content it was trained on.
    pub ndcg: f64,
    /// Mean distance between items after they responded.
    pub diversity: f64,
    pub items_after: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct World {
    pub seed: u64,
    pub users: Vec<Point>,
    pub items: Vec<Point>,
    pub initial_diversity: f64,
    /// Rounds without the diversity term, then with it.
    pub rounds: [Vec<Round>; 2],
}

/// Across worlds: the mean and the range (lowest, highest).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

impl Spread {
    fn of(values: impl Iterator<Item = f64>) -> Spread {
        let values: Vec<f64> = values.collect();
        let n = values.len().max(1) as f64;
        Spread {
            mean: values.iter().sum::<f64>() / n,
            low: values.iter().copied().fold(f64::INFINITY, f64::min),
            high: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub params: Params,
    /// The first world in full (for the pictures on the circle).
    pub shown: World,
    /// Per round, over worlds: [lambda = 0, lambda].
    pub ndcg: Vec<[Spread; 2]>,
    pub diversity: Vec<[Spread; 2]>,
    pub initial_diversity: Spread,
    /// After the last round, the lowest diversity with the term is above the
    /// highest without it.
    pub diversity_separated: bool,
    /// Mean NDCG lost to the term, over rounds and worlds.
    pub ndcg_cost: f64,
    /// Without the term, the last round's diversity is below the start's.
    pub homogenised: bool,
    pub claim_held: bool,
    pub seconds: f64,
}

/// The NDCG cost the claim still calls small.
pub const SMALL_NDCG_COST: f64 = 0.05;

fn on_circle(angle: f64) -> Point {
    [angle.cos(), angle.sin()]
}

fn dot(a: Point, b: Point) -> f64 {
    a[0] * b[0] + a[1] * b[1]
}

/// Graded relevance of an item to a user: 0 when the item points away from
/// the user's taste, 1 when it points the same way (exponential gains, as
/// NDCG is usually used).
fn gain(user: Point, item: Point) -> f64 {
    (2f64.powf(4.0 * dot(user, item).max(0.0)) - 1.0) / 15.0
}

fn discount(rank: usize) -> f64 {
    1.0 / (rank as f64 + 2.0).log2()
}

/// The best DCG@list each user could get from these items.
fn ideal_dcg(gains: &[f64], list: usize) -> f64 {
    let mut sorted = gains.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    sorted.iter().take(list).enumerate().map(|(k, g)| g * discount(k)).sum()
}

/// Mean distance between distinct points.
pub fn diversity(points: &[Point]) -> f64 {
    let n = points.len();
    if n < 2 {
        return 0.0;
    }
    let mut total = 0.0;
    for i in 0..n {
        for j in 0..n {
            if i != j {
                total += ((points[i][0] - points[j][0]).powi(2) + (points[i][1] - points[j][1]).powi(2)).sqrt();
            }
        }
    }
    total / (n * (n - 1)) as f64
}

/// The strategic response, for the real (hard) lists: each item moves by
/// `strength` toward the mean direction of the learned vectors of the users
/// whose lists it is in, then back onto the circle. An item in nobody's list
/// stays where it is.
fn respond(items: &[Point], learned: &[Point], list: usize, strength: f64) -> Vec<Point> {
    let mut pull = vec![[0.0; 2]; items.len()];
    let mut audience = vec![0usize; items.len()];
    for v in learned {
        let norm = dot(*v, *v).sqrt().max(1e-12);
        for j in top(items, *v, list) {
            pull[j][0] += v[0] / norm;
            pull[j][1] += v[1] / norm;
            audience[j] += 1;
        }
    }
    items
        .iter()
        .zip(pull.iter().zip(&audience))
        .map(|(x, (p, count))| {
            if *count == 0 {
                return *x;
            }
            let mean = [p[0] / *count as f64, p[1] / *count as f64];
            let moved = [(1.0 - strength) * x[0] + strength * mean[0], (1.0 - strength) * x[1] + strength * mean[1]];
            let norm = dot(moved, moved).sqrt();
            if norm < 1e-12 { *x } else { [moved[0] / norm, moved[1] / norm] }
        })
        .collect()
}

/// The indices of a user's list: the items with the highest scores.
fn top(items: &[Point], learned: Point, list: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| dot(learned, items[*b]).total_cmp(&dot(learned, items[*a])).then(a.cmp(b)));
    order.truncate(list);
    order
}

/// NDCG@list of the learned vectors on these items, against true tastes.
fn ndcg(users: &[Point], learned: &[Point], items: &[Point], list: usize) -> f64 {
    let mut total = 0.0;
    for (u, v) in users.iter().zip(learned) {
        let gains: Vec<f64> = items.iter().map(|x| gain(*u, *x)).collect();
        let ideal = ideal_dcg(&gains, list);
        let dcg: f64 = top(items, *v, list).iter().enumerate().map(|(k, j)| gains[*j] * discount(k)).sum();
        total += if ideal > 0.0 { dcg / ideal } else { 1.0 };
    }
    total / users.len().max(1) as f64
}

/// log(sum(exp(x))) along `dim`, kept as a size-1 dimension.
fn log_sum_exp(x: &Tensor, dim: usize) -> training::Result<Tensor> {
    let shift = x.max_keepdim(dim)?.detach();
    x.broadcast_sub(&shift)?.exp()?.sum_keepdim(dim)?.log()?.broadcast_add(&shift)
}

/// NeuralSort's relaxed permutation matrices (Grover et al. 2019), the top
/// `list` ranks of them, for each row of `scores` (`[users, items]`):
/// `[users, rank, item]`, row `k` the soft indicator of which item is at
/// rank `k` (highest score first). Sinkhorn iterations in log space then
/// bring it toward a partial permutation: each rank sums to one, each item
/// to at most one over the ranks.
///
/// Broadcasts are written as small batched matrix products: candle's CPU
/// kernels are several times faster on those than on strided broadcasts.
pub fn soft_sort(
    scores: &Tensor,
    temperature: f64,
    list: usize,
    sinkhorn_iterations: usize,
) -> training::Result<Tensor> {
    let (users, n) = scores.dims2()?;
    let dtype = scores.dtype();
    let ones = scores.ones_like()?;
    // s_i - s_j as [s_i, 1] · [1, -s_j]; then each item's sum of |s_i - s_j|.
    let differences = Tensor::stack(&[scores, &ones], 2)?.matmul(&Tensor::stack(&[&ones, &scores.neg()?], 1)?)?;
    let gaps = differences.abs()?.sum(2)?;
    // logits[k, j] = ((n + 1 - 2k) s_j - gaps_j) / temperature, k = 1..=list.
    let scale: Vec<f64> = (1..=list).flat_map(|k| [(n + 1) as f64 - 2.0 * k as f64, 1.0]).collect();
    let scale =
        Tensor::from_vec(scale, (1, list, 2), &CPU)?.to_dtype(dtype)?.broadcast_as((users, list, 2))?.contiguous()?;
    let mut logits = (scale.matmul(&Tensor::stack(&[scores, &gaps.neg()?], 1)?)? / temperature)?;
    logits = logits.broadcast_sub(&log_sum_exp(&logits, 2)?)?;
    for _ in 0..sinkhorn_iterations {
        logits = logits.broadcast_sub(&log_sum_exp(&logits, 1)?.relu()?)?;
        logits = logits.broadcast_sub(&log_sum_exp(&logits, 2)?)?;
    }
    logits.exp()
}

/// The data one world trains on, as tensors.
struct Batch {
    items: Tensor,
    gains: Tensor,
    ideal: Tensor,
    discounts: Tensor,
}

impl Batch {
    fn new(users: &[Point], items: &[Point], list: usize, dtype: DType) -> training::Result<Batch> {
        let gains: Vec<Vec<f64>> = users.iter().map(|u| items.iter().map(|x| gain(*u, *x)).collect()).collect();
        let ideal: Vec<f64> = gains.iter().map(|g| ideal_dcg(g, list).max(1e-12)).collect();
        let flat: Vec<f64> = gains.concat();
        let flat_items: Vec<f64> = items.iter().flatten().copied().collect();
        let discounts: Vec<f64> = (0..list).map(discount).collect();
        Ok(Batch {
            items: Tensor::from_vec(flat_items, (items.len(), 2), &CPU)?.to_dtype(dtype)?,
            gains: Tensor::from_vec(flat, (users.len(), items.len()), &CPU)?.to_dtype(dtype)?,
            ideal: Tensor::from_vec(ideal, (users.len(), 1), &CPU)?.to_dtype(dtype)?,
            discounts: Tensor::from_vec(discounts, (1, list, 1), &CPU)?.to_dtype(dtype)?,
        })
    }
}

/// The training loss: minus soft NDCG@list, minus lambda times the soft
/// diversity of the items after their (soft) response. Returns the loss, the
/// soft NDCG and the soft diversity.
fn loss(learned: &Tensor, batch: &Batch, params: &Params, lambda: f64) -> training::Result<(Tensor, Tensor, Tensor)> {
    let list = params.list;
    let scores = learned.matmul(&batch.items.t()?)?;
    let ranks = soft_sort(&scores, params.temperature, list, params.sinkhorn_iterations)?;
    // Each item's expected discount in each user's list: [users, items].
    let weights = ranks.broadcast_mul(&batch.discounts)?.sum(1)?;
    let ndcg = (weights * &batch.gains)?.sum_keepdim(1)?.div(&batch.ideal)?.mean_all()?;
    // The soft response: each item's audience, weighted by how surely it is in their list.
    let exposure = ranks.sum(1)?;
    let norms = (learned.sqr()?.sum_keepdim(1)? + 1e-12)?.sqrt()?;
    let directions = learned.broadcast_div(&norms)?;
    let pull = exposure.t()?.matmul(&directions)?;
    let audience = (exposure.sum_keepdim(0)?.t()? + 1e-6)?;
    let moved = ((&batch.items * (1.0 - params.strength))? + (pull.broadcast_div(&audience)? * params.strength)?)?;
    let moved = moved.broadcast_div(&(moved.sqr()?.sum_keepdim(1)? + 1e-12)?.sqrt()?)?;
    // Mean distance between distinct responded items (they are unit vectors:
    // |a - b|^2 = 2 - 2 a.b).
    let n = moved.dim(0)?;
    let squared = ((moved.matmul(&moved.t()?)? * -2.0)? + 2.0)?.relu()?;
    let off_diagonal = (Tensor::ones((n, n), moved.dtype(), &CPU)? - Tensor::eye(n, moved.dtype(), &CPU)?)?;
    let diversity = ((squared + 1e-12)?.sqrt()? * off_diagonal)?.sum_all()?.affine(1.0 / (n * (n - 1)) as f64, 0.0)?;
    let loss = (ndcg.neg()? - (&diversity * lambda)?)?;
    Ok((loss, ndcg, diversity))
}

/// Learned user vectors for these items: Adam on the loss, from a small
/// random start (`start`).
fn train(
    users: &[Point],
    items: &[Point],
    start: &[Point],
    params: &Params,
    lambda: f64,
    tick: &mut dyn FnMut() -> Result<(), Cancelled>,
) -> Result<Vec<Point>, Halt> {
    let failed = |e: training::Error| Halt::Failed(e.to_string());
    let batch = Batch::new(users, items, params.list, DType::F32).map_err(failed)?;
    let flat: Vec<f32> = start.iter().flatten().map(|v| *v as f32).collect();
    let learned = Var::from_tensor(&Tensor::from_vec(flat, (start.len(), 2), &CPU).map_err(failed)?).map_err(failed)?;
    let mut adam = Adam::new(vec![learned.clone()], params.learning_rate).map_err(failed)?;
    for _ in 0..params.steps {
        let (value, _, _) = loss(learned.as_tensor(), &batch, params, lambda).map_err(failed)?;
        adam.minimise(&value).map_err(failed)?;
        tick()?;
    }
    let values = training::values(learned.as_tensor()).map_err(failed)?;
    Ok(values.chunks(2).map(|c| [c[0], c[1]]).collect())
}

fn world(params: &Params, seed: u64) -> (Vec<Point>, Vec<Point>) {
    let mut random = Random::new(seed);
    let centres: Vec<f64> = (0..params.clusters.max(1)).map(|_| random.uniform() * TAU).collect();
    let users = (0..params.users)
        .map(|_| on_circle(centres[random.below(centres.len())] + params.spread * random.normal()))
        .collect();
    let items = (0..params.items).map(|_| on_circle(random.uniform() * TAU)).collect();
    (users, items)
}

fn play(params: &Params, seed: u64, tick: &mut dyn FnMut() -> Result<(), Cancelled>) -> Result<World, Halt> {
    let (users, items) = world(params, seed);
    let mut random = Random::new(seed ^ 0x9e37);
    let start: Vec<Point> = (0..users.len()).map(|_| [0.1 * random.normal(), 0.1 * random.normal()]).collect();
    let mut rounds: [Vec<Round>; 2] = [Vec::new(), Vec::new()];
    for (k, lambda) in [0.0, params.lambda].into_iter().enumerate() {
        let mut current = items.clone();
        for _ in 0..params.rounds {
            let learned = train(&users, &current, &start, params, lambda, tick)?;
            let ndcg = ndcg(&users, &learned, &current, params.list);
            current = respond(&current, &learned, params.list, params.strength);
            rounds[k].push(Round { ndcg, diversity: diversity(&current), items_after: current.clone() });
        }
    }
    Ok(World { seed, initial_diversity: diversity(&items), users, items, rounds })
}

pub fn run(params: &Params, progress: &mut dyn FnMut(Progress) -> Flow) -> Result<Report, Halt> {
    let started = std::time::Instant::now();
    let total = (params.seeds * 2 * params.rounds * params.steps) as u64;
    let mut done = 0;
    let mut tick = || {
        done += 1;
        if progress(Progress { done, total }) == Flow::Stop { Err(Cancelled) } else { Ok(()) }
    };
    let mut worlds = Vec::new();
    for k in 0..params.seeds.max(1) {
        worlds.push(play(params, params.seed.wrapping_add(k as u64 * 7919), &mut tick)?);
    }
    let per_round = |metric: fn(&Round) -> f64| -> Vec<[Spread; 2]> {
        (0..params.rounds).map(|r| [0, 1].map(|k| Spread::of(worlds.iter().map(|w| metric(&w.rounds[k][r]))))).collect()
    };
    let ndcg = per_round(|r| r.ndcg);
    let diversity = per_round(|r| r.diversity);
    let initial_diversity = Spread::of(worlds.iter().map(|w| w.initial_diversity));
    let last = diversity.last().copied();
    let diversity_separated = last.is_some_and(|[without, with]| with.low > without.high);
    let ndcg_cost = ndcg.iter().map(|[without, with]| without.mean - with.mean).sum::<f64>() / ndcg.len().max(1) as f64;
    let homogenised = last.is_some_and(|[without, _]| without.mean < initial_diversity.mean);
    Ok(Report {
        params: params.clone(),
        shown: worlds.swap_remove(0),
        claim_held: diversity_separated && ndcg_cost <= SMALL_NDCG_COST && homogenised,
        ndcg,
        diversity,
        initial_diversity,
        diversity_separated,
        ndcg_cost,
        homogenised,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::gradient_gap;

    fn small() -> Params {
        Params { users: 60, items: 20, list: 5, seeds: 3, rounds: 4, steps: 30, ..Params::default() }
    }

    #[test]
    fn soft_sort_approaches_the_true_permutation_as_the_temperature_falls() {
        let scores = Tensor::new(&[[0.3f64, -1.0, 2.0, 0.9]], &CPU).unwrap();
        let sorted = soft_sort(&scores, 0.01, 4, 3).unwrap().squeeze(0).unwrap().to_vec2::<f64>().unwrap();
        // Ranks: item 2, then 3, then 0, then 1.
        for (rank, item) in [2, 3, 0, 1].into_iter().enumerate() {
            assert!(sorted[rank][item] > 0.99, "rank {rank}: {:?}", sorted[rank]);
        }
        // With Sinkhorn, every item's column sums to one too.
        let warm = soft_sort(&scores, 1.0, 4, 200).unwrap().squeeze(0).unwrap().to_vec2::<f64>().unwrap();
        for item in 0..4 {
            let column: f64 = warm.iter().map(|row| row[item]).sum();
            assert!((column - 1.0).abs() < 1e-3, "{column}");
        }
    }

    #[test]
    fn autodiff_gradients_of_the_whole_loss_match_finite_differences() {
        let params = Params { temperature: 0.5, ..small() };
        let (users, items) = world(&params, 3);
        let batch = Batch::new(&users, &items, params.list, DType::F64).unwrap();
        let mut random = Random::new(5);
        let learned = training::normal_var(&mut random, &[users.len(), 2], 0.5, DType::F64).unwrap();
        let gap =
            gradient_gap(&learned, &[0, 1, 7, 20, 41, 79], &|| Ok(loss(learned.as_tensor(), &batch, &params, 0.7)?.0))
                .unwrap();
        assert!(gap < 1e-5, "relative gap {gap}");
    }

    #[test]
    fn hard_metrics_count_what_they_say() {
        let items = [on_circle(0.0), on_circle(0.1), on_circle(3.0)];
        assert!((diversity(&[on_circle(0.0), on_circle(std::f64::consts::PI)]) - 2.0).abs() < 1e-12);
        // A user who likes angle 0, ranked perfectly: NDCG 1; ranked backwards: less.
        let users = [on_circle(0.0)];
        assert!((ndcg(&users, &[on_circle(0.0)], &items, 2) - 1.0).abs() < 1e-12);
        assert!(ndcg(&users, &[on_circle(3.0)], &items, 2) < 0.6);
        // Two users at angle 0 pull the items in their lists toward 0; the far item stays.
        let moved = respond(&items, &[on_circle(0.0), on_circle(0.0)], 2, 0.5);
        assert!(moved[1][1].abs() < items[1][1].abs());
        assert_eq!(moved[2], items[2]);
    }

    #[test]
    fn the_diversity_term_keeps_content_spread_out_across_seeds() {
        let report = run(&small(), &mut |_| Flow::Continue).unwrap();
        eprintln!(
            "initial {:.3}; diversity per round {:?}; ndcg cost {:.4}",
            report.initial_diversity.mean,
            report.diversity.iter().map(|[a, b]| (a.mean, b.mean)).collect::<Vec<_>>(),
            report.ndcg_cost
        );
        assert!(report.homogenised, "without the term the content homogenises");
        assert!(report.diversity_separated, "with the term it stays more diverse in every world");
        assert_eq!(report.shown.rounds[1].len(), 4);
    }

    #[test]
    fn the_same_seed_repeats_and_a_run_can_be_stopped() {
        let params = Params { seeds: 1, rounds: 1, steps: 5, ..small() };
        let a = run(&params, &mut |_| Flow::Continue).unwrap();
        let b = run(&params, &mut |_| Flow::Continue).unwrap();
        assert_eq!(a.shown, b.shown);
        assert_eq!(run(&params, &mut |_| Flow::Stop).unwrap_err(), Halt::Cancelled);
    }
}
