//! Gradient-based training for the demos whose gradients would be fragile
//! by hand (soft sorting, attention): candle's reverse-mode autodiff on the
//! CPU, and Adam over a set of candle variables.
//!
//! Why candle: it is a well-kept tensor library with reverse-mode autodiff
//! (`Tensor::backward`), f64 on the CPU (so gradients can be checked against
//! finite differences to 1e-5), and without its optional features it adds
//! few crates to the build (gemm, which faer already brings, half,
//! safetensors, zip; burn's autodiff backend pulls several times as many).
//! Only `candle-core` is used: the optimiser is the few lines below.

use candle_core::{DType, Device, Tensor, Var};

pub use candle_core::{Error, Result};

use crate::random::Random;

/// Everything here runs on the CPU.
pub const CPU: Device = Device::Cpu;

/// A trainable `rows x cols` matrix (or vector with `rows = 1`), entries
/// normal with the given spread, drawn from our own seeded generator so runs
/// repeat exactly.
pub fn normal_var(random: &mut Random, shape: &[usize], spread: f64, dtype: DType) -> Result<Var> {
    let count: usize = shape.iter().product();
    let values: Vec<f64> = (0..count).map(|_| random.normal() * spread).collect();
    Var::from_tensor(&Tensor::from_vec(values, shape, &CPU)?.to_dtype(dtype)?)
}

/// Adam (Kingma & Ba) with decoupled weight decay, over the given variables.
pub struct Adam {
    vars: Vec<Var>,
    first: Vec<Tensor>,
    second: Vec<Tensor>,
    step: i32,
    pub learning_rate: f64,
    pub weight_decay: f64,
}

impl Adam {
    pub fn new(vars: Vec<Var>, learning_rate: f64) -> Result<Self> {
        let zeros = |v: &Var| v.as_tensor().zeros_like();
        let first = vars.iter().map(zeros).collect::<Result<Vec<_>>>()?;
        let second = vars.iter().map(zeros).collect::<Result<Vec<_>>>()?;
        Ok(Adam { vars, first, second, step: 0, learning_rate, weight_decay: 0.0 })
    }

    /// One step down the gradient of `loss`; variables the loss does not
    /// depend on stay as they are.
    pub fn minimise(&mut self, loss: &Tensor) -> Result<()> {
        let grads = loss.backward()?;
        self.step += 1;
        let (beta1, beta2, eps): (f64, f64, f64) = (0.9, 0.999, 1e-8);
        let correction1 = 1.0 - beta1.powi(self.step);
        let correction2 = 1.0 - beta2.powi(self.step);
        for ((var, first), second) in self.vars.iter().zip(&mut self.first).zip(&mut self.second) {
            let Some(grad) = grads.get(var.as_tensor()) else { continue };
            // A variable's gradient still points into this step's graph
            // (candle detaches only intermediate ones): detached, the moments
            // do not keep every step's graph alive.
            let grad = grad.detach();
            *first = ((&*first * beta1)? + (&grad * (1.0 - beta1))?)?;
            *second = ((&*second * beta2)? + (grad.sqr()? * (1.0 - beta2))?)?;
            let direction = ((&*first / correction1)? / ((&*second / correction2)?.sqrt()? + eps)?)?;
            let mut next = (var.as_tensor() - (direction * self.learning_rate)?)?;
            if self.weight_decay > 0.0 {
                next = (next - (var.as_tensor() * (self.learning_rate * self.weight_decay))?)?;
            }
            var.set(&next)?;
        }
        Ok(())
    }
}

/// A tensor's values as one flat `Vec<f64>`, whatever its shape and type.
pub fn values(tensor: &Tensor) -> Result<Vec<f64>> {
    tensor.flatten_all()?.to_dtype(DType::F64)?.to_vec1::<f64>()
}

/// A scalar tensor's value.
pub fn scalar(tensor: &Tensor) -> Result<f64> {
    tensor.to_dtype(DType::F64)?.to_scalar::<f64>()
}

/// Checks autodiff against central finite differences: the largest gap
/// between candle's gradient of `loss` with respect to `var` and the
/// numerical one, over the entries `entries` (all entries when empty), as a
/// share of the gradient's largest entry. `var` must be f64.
#[cfg(test)]
pub fn gradient_gap(var: &Var, entries: &[usize], loss: &dyn Fn() -> Result<Tensor>) -> Result<f64> {
    let analytic = values(loss()?.backward()?.get(var.as_tensor()).expect("the loss depends on the variable"))?;
    let original = values(var.as_tensor())?;
    let shape = var.as_tensor().shape().clone();
    let entries: Vec<usize> = if entries.is_empty() { (0..original.len()).collect() } else { entries.to_vec() };
    let h = 1e-6;
    let mut gap: f64 = 0.0;
    for &i in &entries {
        let at = |delta: f64| -> Result<f64> {
            let mut moved = original.clone();
            moved[i] += delta;
            var.set(&Tensor::from_vec(moved, shape.clone(), &CPU)?)?;
            scalar(&loss()?)
        };
        let numeric = (at(h)? - at(-h)?) / (2.0 * h);
        gap = gap.max((numeric - analytic[i]).abs());
    }
    var.set(&Tensor::from_vec(original, shape, &CPU)?)?;
    let size = analytic.iter().fold(0.0f64, |m, g| m.max(g.abs())).max(1e-12);
    Ok(gap / size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adam_finds_the_minimum_of_a_quadratic() {
        let mut random = Random::new(1);
        let x = normal_var(&mut random, &[3], 1.0, DType::F64).unwrap();
        let target = Tensor::new(&[1.0f64, -2.0, 0.5], &CPU).unwrap();
        let mut adam = Adam::new(vec![x.clone()], 0.1).unwrap();
        for _ in 0..500 {
            let loss = (x.as_tensor() - &target).unwrap().sqr().unwrap().sum_all().unwrap();
            adam.minimise(&loss).unwrap();
        }
        for (got, want) in values(x.as_tensor()).unwrap().iter().zip([1.0, -2.0, 0.5]) {
            assert!((got - want).abs() < 1e-3, "{got} vs {want}");
        }
    }

    #[test]
    fn adam_keeps_no_graph_alive_between_steps() {
        let mut random = Random::new(2);
        let x = normal_var(&mut random, &[4], 1.0, DType::F64).unwrap();
        let mut adam = Adam::new(vec![x.clone()], 0.1).unwrap();
        // The gradient of sum(x·tanh(x)) depends on intermediate tensors; the
        // moments must not.
        let loss = (x.as_tensor() * x.as_tensor().tanh().unwrap()).unwrap().sum_all().unwrap();
        adam.minimise(&loss).unwrap();
        assert!(!adam.first[0].track_op() && !adam.second[0].track_op());
    }

    #[test]
    fn the_gradient_check_notices_a_wrong_gradient() {
        // Detaching one factor of x·x hides half the gradient from autodiff:
        // the numerical derivative (2x) then disagrees with it (x).
        let x = Var::from_tensor(&Tensor::new(&[1.0f64, 2.0], &CPU).unwrap()).unwrap();
        let hidden = gradient_gap(&x, &[], &|| (x.as_tensor().detach() * x.as_tensor())?.sum_all()).unwrap();
        assert!(hidden > 0.4, "{hidden}");
        let whole = gradient_gap(&x, &[], &|| x.as_tensor().sqr()?.sum_all()).unwrap();
        assert!(whole < 1e-6, "{whole}");
    }
}
