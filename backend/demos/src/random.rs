//! Seeded randomness: the same seed gives the same data and the same result
//! on every machine (ChaCha, as `rand`'s `StdRng` is today, pinned by Cargo.lock).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

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
}
