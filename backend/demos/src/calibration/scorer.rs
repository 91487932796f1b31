//! The models the calibration demo retrains every day: a linear scorer and a
//! two-layer perceptron (ReLU hidden layer). Gradients are written by hand:
//! the backward pass of a linear layer and a ReLU is four lines, and a test
//! checks it against finite differences.

use crate::random::Random;

#[derive(Debug, Clone, PartialEq)]
pub enum Scorer {
    Linear {
        weights: Vec<f64>,
        bias: f64,
    },
    /// `s = w2 · relu(W1 x + b1) + b2`.
    Mlp {
        /// hidden x features, row-major.
        w1: Vec<f64>,
        b1: Vec<f64>,
        w2: Vec<f64>,
        b2: f64,
    },
}

impl Scorer {
    /// A fresh model started somewhere random, as a retrain would be; the
    /// output bias starts far from zero on purpose, since that is the offset
    /// a translation-invariant loss never corrects.
    pub fn new(features: usize, hidden: usize, random: &mut Random) -> Scorer {
        if hidden == 0 {
            let weights = (0..features).map(|_| random.normal() * 0.1).collect();
            return Scorer::Linear { weights, bias: random.normal() * 3.0 };
        }
        let scale = (2.0 / features as f64).sqrt();
        Scorer::Mlp {
            w1: (0..hidden * features).map(|_| random.normal() * scale).collect(),
            b1: vec![0.0; hidden],
            w2: (0..hidden).map(|_| random.normal() * (1.0 / hidden as f64).sqrt()).collect(),
            b2: random.normal() * 3.0,
        }
    }

    /// Scores of every row of `features` (row-major, `width` per row).
    pub fn scores(&self, features: &[f64], width: usize) -> Vec<f64> {
        features.chunks(width).map(|x| self.score(x, &mut Vec::new())).collect()
    }

    /// One score; `hidden` receives the hidden activations (for backward).
    fn score(&self, x: &[f64], hidden: &mut Vec<f64>) -> f64 {
        match self {
            Scorer::Linear { weights, bias } => dot(weights, x) + bias,
            Scorer::Mlp { w1, b1, w2, b2 } => {
                hidden.clear();
                hidden.extend(w1.chunks(x.len()).zip(b1).map(|(row, b)| (dot(row, x) + b).max(0.0)));
                dot(w2, hidden) + b2
            }
        }
    }

    /// One gradient-descent step given the loss's gradient with respect to
    /// each row's score, averaged over the rows.
    pub fn descend(&mut self, features: &[f64], width: usize, score_gradients: &[f64], learning_rate: f64) {
        let step = learning_rate / score_gradients.len().max(1) as f64;
        match self {
            Scorer::Linear { weights, bias } => {
                let mut grad_w = vec![0.0; weights.len()];
                let mut grad_b = 0.0;
                for (x, g) in features.chunks(width).zip(score_gradients) {
                    grad_w.iter_mut().zip(x).for_each(|(gw, x)| *gw += g * x);
                    grad_b += g;
                }
                weights.iter_mut().zip(&grad_w).for_each(|(w, g)| *w -= step * g);
                *bias -= step * grad_b;
            }
            Scorer::Mlp { .. } => {
                let (mut grad_w1, mut grad_b1, mut grad_w2, mut grad_b2) = self.zero_gradients();
                let mut hidden = Vec::new();
                for (x, g) in features.chunks(width).zip(score_gradients) {
                    self.score(x, &mut hidden);
                    let Scorer::Mlp { w2, .. } = &*self else { unreachable!() };
                    grad_b2 += g;
                    for (k, h) in hidden.iter().enumerate() {
                        grad_w2[k] += g * h;
                        // ReLU passes the gradient only where the unit is active.
                        if *h > 0.0 {
                            let back = g * w2[k];
                            grad_b1[k] += back;
                            grad_w1[k * width..(k + 1) * width].iter_mut().zip(x).for_each(|(gw, x)| *gw += back * x);
                        }
                    }
                }
                let Scorer::Mlp { w1, b1, w2, b2 } = self else { unreachable!() };
                w1.iter_mut().zip(&grad_w1).for_each(|(w, g)| *w -= step * g);
                b1.iter_mut().zip(&grad_b1).for_each(|(w, g)| *w -= step * g);
                w2.iter_mut().zip(&grad_w2).for_each(|(w, g)| *w -= step * g);
                *b2 -= step * grad_b2;
            }
        }
    }

    fn zero_gradients(&self) -> (Vec<f64>, Vec<f64>, Vec<f64>, f64) {
        match self {
            Scorer::Linear { weights, .. } => (vec![0.0; weights.len()], Vec::new(), Vec::new(), 0.0),
            Scorer::Mlp { w1, b1, w2, .. } => (vec![0.0; w1.len()], vec![0.0; b1.len()], vec![0.0; w2.len()], 0.0),
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loss = Σ score · c (so d loss / d score = c): one descent step with a
    /// tiny rate must lower it by rate/n · |∇θ|², the gradient's squared norm,
    /// which we get independently by finite differences over every parameter.
    #[test]
    fn the_backward_pass_matches_finite_differences() {
        let mut random = Random::new(4);
        let (width, rows) = (3, 5);
        let features: Vec<f64> = (0..width * rows).map(|_| random.normal()).collect();
        let c: Vec<f64> = (0..rows).map(|_| random.normal()).collect();
        for hidden in [0, 4] {
            let model = Scorer::new(width, hidden, &mut random);
            let loss = |m: &Scorer| m.scores(&features, width).iter().zip(&c).map(|(s, c)| s * c).sum::<f64>();
            let params = |m: &Scorer| -> Vec<f64> {
                match m {
                    Scorer::Linear { weights, bias } => weights.iter().copied().chain([*bias]).collect(),
                    Scorer::Mlp { w1, b1, w2, b2 } => w1.iter().chain(b1).chain(w2).copied().chain([*b2]).collect(),
                }
            };
            let set = |m: &mut Scorer, values: &[f64]| {
                let mut values = values.iter().copied();
                match m {
                    Scorer::Linear { weights, bias } => {
                        weights.iter_mut().chain([bias]).for_each(|p| *p = values.next().unwrap())
                    }
                    Scorer::Mlp { w1, b1, w2, b2 } => w1
                        .iter_mut()
                        .chain(b1.iter_mut())
                        .chain(w2.iter_mut())
                        .chain([b2])
                        .for_each(|p| *p = values.next().unwrap()),
                }
            };
            let theta = params(&model);
            let numeric: Vec<f64> = (0..theta.len())
                .map(|i| {
                    let (mut plus, mut minus) = (model.clone(), model.clone());
                    let mut t = theta.clone();
                    t[i] += 1e-6;
                    set(&mut plus, &t);
                    t[i] -= 2e-6;
                    set(&mut minus, &t);
                    (loss(&plus) - loss(&minus)) / 2e-6
                })
                .collect();
            let mut stepped = model.clone();
            let rate = 1e-3;
            stepped.descend(&features, width, &c, rate * rows as f64);
            let moved: Vec<f64> = params(&stepped).iter().zip(&theta).map(|(a, b)| (b - a) / rate).collect();
            for (analytic, numeric) in moved.iter().zip(&numeric) {
                assert!((analytic - numeric).abs() < 1e-5, "hidden {hidden}: {moved:?} vs {numeric:?}");
            }
        }
    }
}
