//! Leave-last-out evaluation with full ranking: every item is scored for
//! every user, the items the user already has are excluded, and the held-out
//! item is looked for in the top k.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    pub hr_at_10: f64,
    pub ndcg_at_10: f64,
    /// Share of the catalogue that appears in at least one top-10 list.
    pub coverage: f64,
}

pub const TOP: usize = 10;

/// Scores every user's items with `score(history, scores)` and
/// measures HR@10, NDCG@10 and coverage.
pub fn evaluate(
    histories: &[&[u32]],
    targets: &[u32],
    n_items: usize,
    score: &mut dyn FnMut(&[u32], &mut [f64]),
) -> Ranking {
    let mut scores = vec![0.0; n_items];
    let mut order: Vec<u32> = Vec::with_capacity(n_items);
    let mut recommended = vec![false; n_items];
    let (mut hits, mut gain) = (0usize, 0.0);
    for (history, target) in histories.iter().zip(targets) {
        score(history, &mut scores);
        for item in history.iter() {
            scores[*item as usize] = f64::NEG_INFINITY;
        }
        // Highest score first; equal scores by item id, so the result does not depend on the sort.
        let better = |a: &u32, b: &u32| scores[*b as usize].total_cmp(&scores[*a as usize]).then(a.cmp(b));
        order.clear();
        order.extend(0..n_items as u32);
        let k = TOP.min(n_items);
        if k < n_items {
            order.select_nth_unstable_by(k, better);
        }
        order.truncate(k);
        order.sort_unstable_by(better);
        for (rank, item) in order.iter().enumerate() {
            if scores[*item as usize] == f64::NEG_INFINITY {
                break;
            }
            recommended[*item as usize] = true;
            if item == target {
                hits += 1;
                gain += 1.0 / (rank as f64 + 2.0).log2();
            }
        }
    }
    let users = targets.len().max(1) as f64;
    Ranking {
        hr_at_10: hits as f64 / users,
        ndcg_at_10: gain / users,
        coverage: recommended.iter().filter(|r| **r).count() as f64 / n_items.max(1) as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_ranks_and_seen_items_are_counted_as_defined() {
        // 16 items; scores prefer low ids. User 0's target 0 ranks first;
        // user 1 has seen 0..3, its target 5 is then second (after 4);
        // user 2's target 11 is eleventh: a miss.
        let histories: Vec<&[u32]> = vec![&[7], &[0, 1, 2, 3], &[1]];
        let targets = [0, 5, 11];
        let ranking = evaluate(&histories, &targets, 16, &mut |_, scores| {
            scores.iter_mut().enumerate().for_each(|(i, s)| *s = -(i as f64));
        });
        assert!((ranking.hr_at_10 - 2.0 / 3.0).abs() < 1e-12);
        let expected_ndcg = (1.0 + 1.0 / 3f64.log2()) / 3.0;
        assert!((ranking.ndcg_at_10 - expected_ndcg).abs() < 1e-12);
        // Top lists: 0..=10 but 7; 4..=13; 0 and 2..=10. Items 14 and 15 are never shown.
        assert!((ranking.coverage - 14.0 / 16.0).abs() < 1e-12);
    }
}
