//! Ranking and calibration metrics over lists of scores and 0/1 labels.

use super::losses::sigmoid;

/// NDCG@k averaged over the lists that have at least one click.
pub fn ndcg_at(k: usize, lists: &[(Vec<f64>, Vec<f64>)]) -> f64 {
    let discount = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let mut total = 0.0;
    let mut counted = 0;
    for (scores, labels) in lists {
        let mut order: Vec<usize> = (0..scores.len()).collect();
        // Ties broken by position so the result does not depend on the sort.
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let dcg: f64 = order.iter().take(k).enumerate().map(|(rank, &i)| labels[i] * discount(rank)).sum();
        let mut ideal_labels = labels.clone();
        ideal_labels.sort_by(|a, b| b.total_cmp(a));
        let ideal: f64 = ideal_labels.iter().take(k).enumerate().map(|(rank, y)| y * discount(rank)).sum();
        if ideal > 0.0 {
            total += dcg / ideal;
            counted += 1;
        }
    }
    if counted == 0 { 0.0 } else { total / counted as f64 }
}

/// Mean binary cross-entropy of sigmoid(score) against the labels.
pub fn log_loss(scores: &[f64], labels: &[f64]) -> f64 {
    let eps = 1e-12;
    scores
        .iter()
        .zip(labels)
        .map(|(&s, &y)| {
            let p = sigmoid(s).clamp(eps, 1.0 - eps);
            -(y * p.ln() + (1.0 - y) * (1.0 - p).ln())
        })
        .sum::<f64>()
        / scores.len().max(1) as f64
}

/// Expected calibration error of sigmoid(score) with equal-width bins.
pub fn ece(scores: &[f64], labels: &[f64], bins: usize) -> f64 {
    let mut sum_p = vec![0.0; bins];
    let mut sum_y = vec![0.0; bins];
    let mut count = vec![0usize; bins];
    for (&s, &y) in scores.iter().zip(labels) {
        let p = sigmoid(s);
        let bin = ((p * bins as f64) as usize).min(bins - 1);
        sum_p[bin] += p;
        sum_y[bin] += y;
        count[bin] += 1;
    }
    let n = scores.len().max(1) as f64;
    (0..bins)
        .filter(|&b| count[b] > 0)
        .map(|b| (sum_p[b] / count[b] as f64 - sum_y[b] / count[b] as f64).abs() * count[b] as f64 / n)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_known_for_a_swap() {
        let perfect = vec![(vec![3.0, 2.0, 1.0], vec![1.0, 0.0, 0.0])];
        assert!((ndcg_at(10, &perfect) - 1.0).abs() < 1e-12);
        // The only click ranked second: 1 / log2(3).
        let second = vec![(vec![1.0, 2.0, 0.0], vec![1.0, 0.0, 0.0])];
        assert!((ndcg_at(10, &second) - 1.0 / 3f64.log2()).abs() < 1e-12);
        let no_clicks = vec![(vec![1.0], vec![0.0])];
        assert_eq!(ndcg_at(10, &no_clicks), 0.0);
    }

    #[test]
    fn calibrated_probabilities_have_no_calibration_error() {
        // sigmoid(0) = 0.5 and half the labels are clicks.
        assert!(ece(&[0.0, 0.0, 0.0, 0.0], &[1.0, 0.0, 1.0, 0.0], 10) < 1e-12);
        assert!((ece(&[10.0, 10.0], &[0.0, 0.0], 10) - sigmoid(10.0)).abs() < 1e-9);
        assert!((log_loss(&[0.0], &[1.0]) - 2f64.ln()).abs() < 1e-12);
    }
}
