//! The four ranking losses of the calibration demo, for one list of
//! candidates: the loss value and its gradient with respect to the scores,
//! written by hand (each is a few lines of softmax algebra, checked against
//! finite differences in the tests below).

/// Which loss trains the scorer.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Loss {
    /// Listwise softmax cross-entropy (labels normalised per list). Adding a
    /// constant to every score leaves it unchanged: nothing pins the scale.
    Softmax,
    /// The same with a virtual item of score 0 and label `y0` in every list
    /// (Yan et al. 2022): the constant now matters, so scores stay put.
    CalibratedSoftmax { y0: f64 },
    /// Pointwise sigmoid cross-entropy: calibrated, but not a ranking loss.
    Sigmoid,
    /// (1 - alpha) * sigmoid cross-entropy + alpha * listwise softmax over
    /// log-sigmoid scores (Bai et al. 2023).
    Rcr { alpha: f64 },
}

impl Loss {
    pub fn name(self) -> &'static str {
        match self {
            Loss::Softmax => "softmax",
            Loss::CalibratedSoftmax { .. } => "calibrated_softmax",
            Loss::Sigmoid => "sigmoid",
            Loss::Rcr { .. } => "rcr",
        }
    }

    /// Whether the loss pins the scores' scale (the paper's claim is about
    /// these against the plain softmax).
    pub fn is_calibrated(self) -> bool {
        !matches!(self, Loss::Softmax)
    }
}

pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// log(sigmoid(z)), stable for large |z|.
fn log_sigmoid(z: f64) -> f64 {
    if z >= 0.0 { -(-z).exp().ln_1p() } else { z - z.exp().ln_1p() }
}

/// Numerically stable log-softmax.
fn log_softmax(z: &[f64]) -> Vec<f64> {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let log_sum = z.iter().map(|v| (v - max).exp()).sum::<f64>().ln() + max;
    z.iter().map(|v| v - log_sum).collect()
}

/// -sum(q * log_softmax(z)) and its gradient (softmax(z) * sum(q) - q).
fn list_cross_entropy(z: &[f64], q: &[f64]) -> (f64, Vec<f64>) {
    let log_p = log_softmax(z);
    let total: f64 = q.iter().sum();
    let loss = -q.iter().zip(&log_p).map(|(q, lp)| q * lp).sum::<f64>();
    let grad = log_p.iter().zip(q).map(|(lp, q)| lp.exp() * total - q).collect();
    (loss, grad)
}

/// The loss of one list and its gradient with respect to the scores.
pub fn loss_and_gradient(loss: Loss, scores: &[f64], labels: &[f64]) -> (f64, Vec<f64>) {
    let clicks: f64 = labels.iter().sum();
    let normalised = |labels: &[f64]| -> Vec<f64> { labels.iter().map(|y| y / clicks).collect() };
    let sigmoid_ce = || -> (f64, Vec<f64>) {
        let value = scores.iter().zip(labels).map(|(&s, &y)| -(y * log_sigmoid(s) + (1.0 - y) * log_sigmoid(-s))).sum();
        let grad = scores.iter().zip(labels).map(|(&s, &y)| sigmoid(s) - y).collect();
        (value, grad)
    };
    match loss {
        Loss::Softmax => {
            if clicks <= 0.0 {
                return (0.0, vec![0.0; scores.len()]);
            }
            list_cross_entropy(scores, &normalised(labels))
        }
        Loss::CalibratedSoftmax { y0 } => {
            let mut z = scores.to_vec();
            z.push(0.0);
            let mut y = labels.to_vec();
            y.push(y0);
            let (value, mut grad) = list_cross_entropy(&z, &y);
            grad.pop();
            (value, grad)
        }
        Loss::Sigmoid => sigmoid_ce(),
        Loss::Rcr { alpha } => {
            let (pointwise, pointwise_grad) = sigmoid_ce();
            let (listwise, listwise_grad) = if clicks > 0.0 {
                let t: Vec<f64> = scores.iter().map(|&s| log_sigmoid(s)).collect();
                let (value, grad_t) = list_cross_entropy(&t, &normalised(labels));
                // dt/ds = 1 - sigmoid(s)
                (value, grad_t.iter().zip(scores).map(|(g, &s)| g * (1.0 - sigmoid(s))).collect())
            } else {
                (0.0, vec![0.0; scores.len()])
            };
            let value = (1.0 - alpha) * pointwise + alpha * listwise;
            let grad = pointwise_grad.iter().zip(&listwise_grad).map(|(p, l)| (1.0 - alpha) * p + alpha * l).collect();
            (value, grad)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOSSES: [Loss; 4] =
        [Loss::Softmax, Loss::CalibratedSoftmax { y0: 0.1 }, Loss::Sigmoid, Loss::Rcr { alpha: 0.5 }];

    #[test]
    fn every_gradient_matches_finite_differences() {
        let scores = [0.3, -1.2, 2.5, 0.0, -0.7];
        let labels = [1.0, 0.0, 1.0, 0.0, 0.0];
        for loss in LOSSES {
            let (_, grad) = loss_and_gradient(loss, &scores, &labels);
            for i in 0..scores.len() {
                let h = 1e-6;
                let (mut up, mut down) = (scores, scores);
                up[i] += h;
                down[i] -= h;
                let numeric =
                    (loss_and_gradient(loss, &up, &labels).0 - loss_and_gradient(loss, &down, &labels).0) / (2.0 * h);
                assert!(
                    (numeric - grad[i]).abs() < 1e-6,
                    "{} d/ds{i}: analytic {} numeric {numeric}",
                    loss.name(),
                    grad[i]
                );
            }
        }
    }

    #[test]
    fn plain_softmax_ignores_a_shift_of_all_scores_and_the_calibrated_losses_do_not() {
        let scores = [0.3, -1.2, 2.5];
        let shifted: Vec<f64> = scores.iter().map(|s| s + 5.0).collect();
        let labels = [1.0, 0.0, 0.0];
        for loss in LOSSES {
            let (a, _) = loss_and_gradient(loss, &scores, &labels);
            let (b, _) = loss_and_gradient(loss, &shifted, &labels);
            if loss.is_calibrated() {
                assert!((a - b).abs() > 1e-3, "{} should notice the shift", loss.name());
            } else {
                assert!((a - b).abs() < 1e-9, "softmax is translation-invariant");
            }
        }
    }

    #[test]
    fn a_list_without_clicks_teaches_the_softmax_nothing() {
        let (value, grad) = loss_and_gradient(Loss::Softmax, &[1.0, 2.0], &[0.0, 0.0]);
        assert_eq!(value, 0.0);
        assert_eq!(grad, vec![0.0, 0.0]);
    }
}
