//! GA-SATF (Frolov & Oseledets, IEEE Access 2023): a Tucker decomposition of
//! the user x item x position tensor, where position `p` of a user holds the
//! item they took `L - 1 - p` steps before their latest one. A causal
//! Toeplitz "attention" matrix on the position mode lets an item at one
//! position also count at later ones, with weight decaying with distance.
//!
//! The tensor is never formed: each (user, position) holds at most one item,
//! so every mode product of HOOI is a sum over the user's items.

use faer::Mat;
use serde::{Deserialize, Serialize};

use crate::linalg::{Rows, leading_left_singular_vectors, leading_left_subspace, product, random_orthonormal};
use crate::progress::{Flow, Halt};
use crate::random::Random;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatfParams {
    /// Tucker ranks of the user, item and position modes.
    pub ranks: [usize; 3],
    /// The attention weight of a distance `d` is `(d + 1)^-decay`; 0 weighs the whole past equally.
    pub decay: f64,
    /// Item factors are scaled by `popularity^((scaling - 1) / 2)`; 1 leaves them alone.
    pub scaling: f64,
    pub iterations: usize,
    pub seed: u64,
}

/// Each user's last `len` items, right-aligned: the latest at `len - 1`.
pub struct Positions {
    pub len: usize,
    /// users x len item ids, row-major; `None` before a short history starts.
    pub items: Vec<Option<u32>>,
}

impl Positions {
    pub fn new(histories: &[&[u32]], len: usize) -> Positions {
        let mut items = vec![None; histories.len() * len];
        for (user, history) in histories.iter().enumerate() {
            let tail = &history[history.len().saturating_sub(len)..];
            let start = user * len + len - tail.len();
            for (slot, item) in items[start..start + tail.len()].iter_mut().zip(tail) {
                *slot = Some(*item);
            }
        }
        Positions { len, items }
    }

    pub fn users(&self) -> usize {
        self.items.len() / self.len
    }

    /// (user, position, item) for every filled slot.
    fn filled(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.items.iter().enumerate().filter_map(|(k, item)| item.map(|i| (k / self.len, k % self.len, i as usize)))
    }
}

/// The lower-triangular Toeplitz matrix `A[p][q] = (p - q + 1)^-decay` for `q <= p`.
pub fn attention(len: usize, decay: f64) -> Rows {
    let mut a = Rows::zeros(len, len);
    for p in 0..len {
        for q in 0..=p {
            a.data[p * len + q] = ((p - q + 1) as f64).powf(-decay);
        }
    }
    a
}

/// What the fit learned: item factors and the weights with which each past
/// position votes for the next item.
#[derive(Debug, Clone, PartialEq)]
pub struct SatfModel {
    /// items x r1, orthonormal columns.
    pub items: Rows,
    /// `weights[p]` multiplies the item at position `p` when predicting position `len - 1`.
    pub position_weights: Vec<f64>,
    /// The norm of the core tensor after each iteration (it should grow and settle).
    pub core_norms: Vec<f64>,
}

/// The positional projector: with `AW = A W` and `Wl` solving `Aᵀ Wl = W`,
/// the weights are `AW · Wl[len - 1]`, i.e. how position `len - 1` is
/// reconstructed from the others through the position factors.
pub fn position_weights(a: &Rows, w: &Rows) -> Vec<f64> {
    let len = a.rows;
    let aw = product(a.to_faer().as_ref(), w.to_faer().as_ref());
    // Aᵀ is upper triangular with a unit diagonal: back substitution, column by column.
    let mut wl = Rows::zeros(len, w.cols);
    for s in 0..w.cols {
        for p in (0..len).rev() {
            let tail: f64 = (p + 1..len).map(|q| a.get(q, p) * wl.get(q, s)).sum();
            wl.data[p * w.cols + s] = (w.get(p, s) - tail) / a.get(p, p);
        }
    }
    (0..len).map(|p| (0..w.cols).map(|s| aw[(p, s)] * wl.get(len - 1, s)).sum()).collect()
}

/// Users or items per block of the batched products: big enough for fast
/// kernels, small enough that a block stays a few megabytes at any size.
const BLOCK: usize = 128;

/// Power steps of the subspace iteration: more from a random start, fewer
/// once HOOI's previous answer is a good start.
const FIRST_STEPS: usize = 4;
const WARM_STEPS: usize = 2;

/// Fits GA-SATF by higher-order orthogonal iteration. `step` is called after
/// each mode update and may stop the fit.
///
/// Each mode product is a sum over filled slots of an outer product with a
/// row of `AW = A W`. Grouped by user (or item), the sums become one dense
/// product per block: for users `u` of a block, stack `Vw[item(u, p)]` as
/// column `p` of an `(n·r1) x L` matrix and multiply by `AW` (`L x r2`).
pub fn fit(
    positions: &Positions,
    n_items: usize,
    params: &SatfParams,
    step: &mut dyn FnMut() -> Flow,
) -> Result<SatfModel, Halt> {
    let (users, len) = (positions.users(), positions.len);
    let [r0, r1, r2] = params.ranks;
    let a = attention(len, params.decay);
    let a_faer = a.to_faer();
    let mut random = Random::new(params.seed);
    let mut popularity = vec![1e-9_f64; n_items];
    let mut by_item: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n_items];
    let mut by_position: Vec<Vec<(u32, u32)>> = vec![Vec::new(); len];
    for (user, p, item) in positions.filled() {
        popularity[item] += 1.0;
        by_item[item].push((user as u32, p as u32));
        by_position[p].push((user as u32, item as u32));
    }
    let scale: Vec<f64> = popularity.iter().map(|p| p.powf(0.5 * (params.scaling - 1.0))).collect();
    let scaled = |v: &Rows| {
        let mut out = v.clone();
        for (i, s) in scale.iter().enumerate() {
            out.row_mut(i).iter_mut().for_each(|x| *x *= s);
        }
        out
    };

    let mut v = random_orthonormal(n_items, r1, &mut random);
    let mut w = random_orthonormal(len, r2, &mut random);
    let mut u: Option<Rows> = None;
    let mut core_norms = Vec::with_capacity(params.iterations);
    let mut checkpoint = || if step() == Flow::Stop { Err(Halt::Cancelled) } else { Ok(()) };
    let failed = |e: String| Halt::Failed(e);
    for iteration in 0..params.iterations {
        let steps = if iteration == 0 { FIRST_STEPS } else { WARM_STEPS };
        // User mode: Y0[u] = sum over u's slots p of Vw[item] ⊗ AW[p].
        let vw = scaled(&v);
        let aw = product(a_faer.as_ref(), w.to_faer().as_ref());
        let mut y0 = Mat::<f64>::zeros(users, r1 * r2);
        for first in (0..users).step_by(BLOCK) {
            let n = BLOCK.min(users - first);
            let mut stacked = Mat::<f64>::zeros(n * r1, len);
            for user in first..first + n {
                for (p, item) in positions.items[user * len..(user + 1) * len].iter().enumerate() {
                    if let Some(item) = item {
                        stacked.col_as_slice_mut(p)[(user - first) * r1..][..r1]
                            .copy_from_slice(vw.row(*item as usize));
                    }
                }
            }
            let block = product(stacked.as_ref(), aw.as_ref());
            for user in 0..n {
                for c in 0..r1 {
                    for s in 0..r2 {
                        y0[(first + user, c * r2 + s)] = block[(user * r1 + c, s)];
                    }
                }
            }
        }
        let (users_factors, _) =
            leading_left_subspace(y0.as_ref(), r0, u.as_ref(), steps, &mut random).map_err(failed)?;
        drop(y0);
        checkpoint()?;

        // Item mode: Y1[i] = sum over the slots holding i of U[user] ⊗ AW[p].
        let mut y1 = Mat::<f64>::zeros(n_items, r0 * r2);
        for first in (0..n_items).step_by(BLOCK) {
            let n = BLOCK.min(n_items - first);
            let mut stacked = Mat::<f64>::zeros(n * r0, len);
            for (offset, slots) in by_item[first..first + n].iter().enumerate() {
                for &(user, p) in slots {
                    let column = &mut stacked.col_as_slice_mut(p as usize)[offset * r0..][..r0];
                    column.iter_mut().zip(users_factors.row(user as usize)).for_each(|(t, x)| *t += x);
                }
            }
            let block = product(stacked.as_ref(), aw.as_ref());
            for item in 0..n {
                for r in 0..r0 {
                    for s in 0..r2 {
                        y1[(first + item, r * r2 + s)] = block[(item * r0 + r, s)];
                    }
                }
            }
        }
        v = leading_left_subspace(y1.as_ref(), r1, Some(&v), steps, &mut random).map_err(failed)?.0;
        drop(y1);
        checkpoint()?;

        // Position mode, through the attention: Aᵀ Y2 with Y2[p] = Uᵀ_p Vw_p
        // over the users whose position p is filled (one product per position).
        let vw = scaled(&v);
        let mut y2 = Mat::<f64>::zeros(len, r0 * r1);
        for (p, slots) in by_position.iter().enumerate() {
            if slots.is_empty() {
                continue;
            }
            let up = Mat::from_fn(r0, slots.len(), |r, k| users_factors.get(slots[k].0 as usize, r));
            let vp = Mat::from_fn(slots.len(), r1, |k, c| vw.get(slots[k].1 as usize, c));
            let block = product(up.as_ref(), vp.as_ref());
            for r in 0..r0 {
                for c in 0..r1 {
                    y2[(p, r * r1 + c)] = block[(r, c)];
                }
            }
        }
        let z = product(a_faer.transpose(), y2.as_ref());
        drop(y2);
        // Few positions: the exact decomposition is cheap here.
        let (position_factors, values) = leading_left_singular_vectors(z.as_ref(), r2).map_err(failed)?;
        // The core tensor's norm is the norm of the retained singular values.
        core_norms.push(values.iter().map(|s| s * s).sum::<f64>().sqrt());
        w = position_factors;
        u = Some(users_factors);
        checkpoint()?;
    }
    let position_weights = position_weights(&a, &w);
    Ok(SatfModel { items: v, position_weights, core_norms })
}

impl SatfModel {
    /// Scores of every item for a user with this history: the last `len - 1`
    /// items vote through the item factors with their position's weight, as
    /// if the next item were at position `len - 1`.
    pub fn score(&self, history: &[u32], scores: &mut [f64]) {
        let len = self.position_weights.len();
        let recent = &history[history.len().saturating_sub(len - 1)..];
        let offset = len - 1 - recent.len();
        let mut query = vec![0.0; self.items.cols];
        for (k, item) in recent.iter().enumerate() {
            let weight = self.position_weights[offset + k];
            query.iter_mut().zip(self.items.row(*item as usize)).for_each(|(q, v)| *q += weight * v);
        }
        for (i, score) in scores.iter_mut().enumerate() {
            *score = self.items.row(i).iter().zip(&query).map(|(v, q)| v * q).sum();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::assert_orthonormal_columns;

    #[test]
    fn attention_is_causal_toeplitz_with_the_decay() {
        let a = attention(3, 1.0);
        assert_eq!(a.data, vec![1.0, 0.0, 0.0, 0.5, 1.0, 0.0, 1.0 / 3.0, 0.5, 1.0]);
        assert!(attention(4, 0.0).data.iter().all(|x| *x == 0.0 || *x == 1.0));
    }

    #[test]
    fn the_projector_matches_a_hand_computed_case() {
        // L = 2, no decay: A = [[1, 0], [1, 1]], W = (1, 1)/√2.
        // AW = (1, 2)/√2; Aᵀ Wl = W gives Wl = (0, 1/√2); weights = AW · Wl[1] = (1/2, 1).
        let s = std::f64::consts::FRAC_1_SQRT_2;
        let weights = position_weights(&attention(2, 0.0), &Rows { rows: 2, cols: 1, data: vec![s, s] });
        assert!((weights[0] - 0.5).abs() < 1e-12 && (weights[1] - 1.0).abs() < 1e-12, "{weights:?}");
        // With a full-rank W the projector can only reproduce position L-1 itself.
        let w = random_orthonormal(4, 4, &mut Random::new(3));
        let weights = position_weights(&attention(4, 0.7), &w);
        for (p, x) in weights.iter().enumerate() {
            assert!((x - if p == 3 { 1.0 } else { 0.0 }).abs() < 1e-10, "{weights:?}");
        }
    }

    #[test]
    fn hooi_factors_are_orthonormal_and_the_core_grows() {
        let histories: Vec<Vec<u32>> = (0..60u32).map(|u| (0..12).map(|k| (u + k) % 20).collect()).collect();
        let refs: Vec<&[u32]> = histories.iter().map(Vec::as_slice).collect();
        let positions = Positions::new(&refs, 8);
        let params = SatfParams { ranks: [6, 5, 3], decay: 0.5, scaling: 1.0, iterations: 3, seed: 1 };
        let model = fit(&positions, 20, &params, &mut || Flow::Continue).unwrap();
        assert_orthonormal_columns(&model.items, 1e-10);
        assert_eq!(model.position_weights.len(), 8);
        let norms = &model.core_norms;
        assert!(norms.windows(2).all(|w| w[1] >= w[0] - 1e-9), "HOOI never loses fit: {norms:?}");
        // Every user walks the ring 0..20: after item k comes k+1.
        let mut scores = vec![0.0; 20];
        model.score(&[3, 4, 5, 6, 7, 8, 9], &mut scores);
        let best = (0..20).filter(|i| !(3..=9).contains(i)).max_by(|a, b| scores[*a].total_cmp(&scores[*b]));
        assert_eq!(best, Some(10), "{scores:?}");
    }

    #[test]
    fn positions_are_right_aligned() {
        let positions = Positions::new(&[&[1, 2][..], &[3, 4, 5, 6][..]], 3);
        assert_eq!(positions.items, vec![None, Some(1), Some(2), Some(4), Some(5), Some(6)]);
    }
}
