//! The models GA-SATF is compared with: most popular, PureSVD (the paper's
//! baselines) and a first-order Markov chain, which knows the generator's
//! "next in the chain" structure and so shows how much signal there is.

use faer::Mat;

use crate::linalg::{Rows, product, random_orthonormal};
use crate::progress::Halt;
use crate::random::Random;

/// How often each item occurs in the histories.
pub fn popularity(histories: &[&[u32]], n_items: usize) -> Vec<f64> {
    let mut counts = vec![0.0; n_items];
    for item in histories.iter().flat_map(|h| h.iter()) {
        counts[*item as usize] += 1.0;
    }
    counts
}

/// PureSVD: the `rank` leading right singular vectors of the binary
/// user x item matrix X; a user's scores are `V Vᵀ x`. X is sparse, so the
/// vectors come from subspace iteration on `Xᵀ X` (a few products with X,
/// then an exact SVD of the small projected matrix).
pub struct PureSvd {
    pub items: Rows,
}

impl PureSvd {
    pub fn fit(histories: &[&[u32]], n_items: usize, rank: usize, seed: u64) -> Result<PureSvd, Halt> {
        let sets: Vec<Vec<u32>> = histories
            .iter()
            .map(|h| {
                let mut set = h.to_vec();
                set.sort_unstable();
                set.dedup();
                set
            })
            .collect();
        let width = (rank + 16).min(n_items).min(sets.len());
        let rank = rank.min(width);
        let times_x = |q: &Rows| {
            let mut out = Rows::zeros(sets.len(), q.cols);
            for (user, set) in sets.iter().enumerate() {
                let row = out.row_mut(user);
                for item in set {
                    row.iter_mut().zip(q.row(*item as usize)).for_each(|(o, x)| *o += x);
                }
            }
            out
        };
        let times_xt = |y: &Rows| {
            let mut out = Rows::zeros(n_items, y.cols);
            for (user, set) in sets.iter().enumerate() {
                for item in set {
                    out.row_mut(*item as usize).iter_mut().zip(y.row(user)).for_each(|(o, x)| *o += x);
                }
            }
            out
        };
        let mut q = random_orthonormal(n_items, width, &mut Random::new(seed));
        for _ in 0..6 {
            let gram_times_q = times_xt(&times_x(&q));
            q = Rows::from_faer(gram_times_q.to_faer().qr().compute_thin_Q().as_ref());
        }
        // X Q = U S Bᵀ, so X's right singular vectors are Q B.
        let svd =
            times_x(&q).to_faer().thin_svd().map_err(|e| Halt::Failed(format!("the SVD did not converge: {e:?}")))?;
        let items: Mat<f64> = product(q.to_faer().as_ref(), svd.V().subcols(0, rank));
        Ok(PureSvd { items: Rows::from_faer(items.as_ref()) })
    }

    pub fn score(&self, history: &[u32], scores: &mut [f64]) {
        let mut seen: Vec<u32> = history.to_vec();
        seen.sort_unstable();
        seen.dedup();
        let mut query = vec![0.0; self.items.cols];
        for item in &seen {
            query.iter_mut().zip(self.items.row(*item as usize)).for_each(|(q, v)| *q += v);
        }
        for (i, score) in scores.iter_mut().enumerate() {
            *score = self.items.row(i).iter().zip(&query).map(|(v, q)| v * q).sum();
        }
    }
}

/// First-order Markov chain: how often item j followed item i, with
/// popularity breaking ties.
pub struct Markov {
    /// For each item, the items that followed it and how often, sorted by item.
    next: Vec<Vec<(u32, f64)>>,
    popularity: Vec<f64>,
}

impl Markov {
    pub fn fit(histories: &[&[u32]], n_items: usize) -> Markov {
        let mut pairs: Vec<(u32, u32)> = histories.iter().flat_map(|h| h.windows(2).map(|w| (w[0], w[1]))).collect();
        pairs.sort_unstable();
        let mut next = vec![Vec::new(); n_items];
        for group in pairs.chunk_by(|a, b| a == b) {
            let (from, to) = group[0];
            next[from as usize].push((to, group.len() as f64));
        }
        Markov { next, popularity: popularity(histories, n_items) }
    }

    pub fn score(&self, history: &[u32], scores: &mut [f64]) {
        for (score, pop) in scores.iter_mut().zip(&self.popularity) {
            *score = 1e-6 * pop;
        }
        if let Some(last) = history.last() {
            for (item, count) in &self.next[*last as usize] {
                scores[*item as usize] += count;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pure_svd_recovers_the_exact_factorization_of_a_low_rank_matrix() {
        // Two groups of users with disjoint item sets: X has rank 2, and
        // V Vᵀ x reproduces a user's own set exactly.
        let a: Vec<u32> = vec![0, 1, 2];
        let b: Vec<u32> = vec![3, 4];
        let histories: Vec<&[u32]> = (0..10).map(|u| if u % 2 == 0 { &a[..] } else { &b[..] }).collect();
        let model = PureSvd::fit(&histories, 6, 2, 1).unwrap();
        crate::linalg::assert_orthonormal_columns(&model.items, 1e-9);
        let mut scores = vec![0.0; 6];
        model.score(&[0], &mut scores);
        // x = e0 projected on span{(1,1,1,0,0,0)/√3, (0,0,0,1,1,0)/√2} = (1,1,1,0,0,0)/3.
        for (i, expected) in [1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0, 0.0, 0.0, 0.0].iter().enumerate() {
            assert!((scores[i] - expected).abs() < 1e-9, "{scores:?}");
        }
    }

    #[test]
    fn markov_counts_transitions_from_the_last_item() {
        let histories: Vec<&[u32]> = vec![&[0, 1, 2], &[0, 1], &[0, 2]];
        let model = Markov::fit(&histories, 3);
        let mut scores = vec![0.0; 3];
        model.score(&[2, 0], &mut scores);
        assert!(scores[1] > scores[2] && scores[2] > scores[0]);
        assert!((scores[1] - 2.0).abs() < 1e-3);
    }
}
