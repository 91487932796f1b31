//! Seeded randomness: the same seed gives the same data and the same result
//! on every machine (ChaCha, as `rand`'s `StdRng` is today, pinned by Cargo.lock).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Debug, Clone)]
pub struct Random(StdRng);

impl Random {
    pub fn new(seed: u64) -> Self {
        Random(StdRng::seed_from_u64(seed))
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.0.r#gen::<f64>()
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]: ln is finite
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Uniform integer in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        self.0.gen_range(0..n)
    }

    /// Gamma(shape, 1) by Marsaglia and Tsang; shapes below 1 are boosted by
    /// `U^(1/shape)`, which keeps the sampler exact.
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let boost = self.uniform().max(f64::MIN_POSITIVE).powf(1.0 / shape);
            return self.gamma(shape + 1.0) * boost;
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = self.uniform();
            if u.max(f64::MIN_POSITIVE).ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    /// A point of the simplex drawn from a symmetric Dirichlet(`alpha`).
    pub fn dirichlet(&mut self, alpha: f64, n: usize) -> Vec<f64> {
        let draws: Vec<f64> = (0..n).map(|_| self.gamma(alpha)).collect();
        let total: f64 = draws.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        draws.into_iter().map(|g| g / total).collect()
    }

    /// An index drawn with the probabilities whose running sums are `cumulative`
    /// (the last one being the total).
    pub fn pick(&mut self, cumulative: &[f64]) -> usize {
        let target = self.uniform() * cumulative.last().copied().unwrap_or(0.0);
        cumulative.partition_point(|&c| c <= target).min(cumulative.len().saturating_sub(1))
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Running sums of `weights`, for [`Random::pick`].
pub fn cumulative(weights: &[f64]) -> Vec<f64> {
    weights
        .iter()
        .scan(0.0, |sum, w| {
            *sum += w;
            Some(*sum)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers_and_normals_look_normal() {
        let (mut a, mut b) = (Random::new(7), Random::new(7));
        assert!((0..100).all(|_| a.normal() == b.normal()));
        let mut r = Random::new(1);
        let samples: Vec<f64> = (0..20_000).map(|_| r.normal()).collect();
        let mean = samples.iter().sum::<f64>() / samples.len() as f64;
        let var = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / samples.len() as f64;
        assert!(mean.abs() < 0.03, "{mean}");
        assert!((var - 1.0).abs() < 0.05, "{var}");
    }

    #[test]
    fn gamma_and_dirichlet_have_their_means_and_pick_follows_weights() {
        let mut r = Random::new(2);
        for shape in [0.3, 1.0, 4.0] {
            let mean = (0..20_000).map(|_| r.gamma(shape)).sum::<f64>() / 20_000.0;
            assert!((mean - shape).abs() < 0.05 * shape.max(1.0), "shape {shape}: mean {mean}");
        }
        let point = r.dirichlet(0.3, 12);
        assert!((point.iter().sum::<f64>() - 1.0).abs() < 1e-12 && point.iter().all(|p| *p >= 0.0));
        let weights = cumulative(&[1.0, 0.0, 3.0]);
        let mut counts = [0usize; 3];
        for _ in 0..40_000 {
            counts[r.pick(&weights)] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((counts[2] as f64 / counts[0] as f64 - 3.0).abs() < 0.15, "{counts:?}");
    }
}
