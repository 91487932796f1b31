//! Dense matrices for the demos: row-major storage for the hand-written
//! sparse loops (a row is one contiguous slice), and faer for the
//! factorizations and large products (pure Rust, no system BLAS).

use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatRef, Par, Side};

use crate::random::Random;

/// A row-major matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Rows {
    pub fn zeros(rows: usize, cols: usize) -> Rows {
        Rows { rows, cols, data: vec![0.0; rows * cols] }
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    pub fn row_mut(&mut self, i: usize) -> &mut [f64] {
        &mut self.data[i * self.cols..(i + 1) * self.cols]
    }

    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }

    pub fn to_faer(&self) -> Mat<f64> {
        Mat::from_fn(self.rows, self.cols, |i, j| self.data[i * self.cols + j])
    }

    pub fn from_faer(m: MatRef<'_, f64>) -> Rows {
        let mut out = Rows::zeros(m.nrows(), m.ncols());
        for j in 0..m.ncols() {
            for i in 0..m.nrows() {
                out.data[i * m.ncols() + j] = m[(i, j)];
            }
        }
        out
    }

    /// The first `cols` columns.
    pub fn left_columns(&self, cols: usize) -> Rows {
        let mut out = Rows::zeros(self.rows, cols);
        for i in 0..self.rows {
            out.row_mut(i).copy_from_slice(&self.row(i)[..cols]);
        }
        out
    }

    /// The Gram matrix `selfᵀ · self`.
    pub fn gram(&self) -> Rows {
        let m = self.to_faer();
        Rows::from_faer((m.transpose() * &m).as_ref())
    }
}

/// `a · b` through faer's blocked kernels.
pub fn product(a: MatRef<'_, f64>, b: MatRef<'_, f64>) -> Mat<f64> {
    let mut out = Mat::zeros(a.nrows(), b.ncols());
    matmul(out.as_mut(), Accum::Replace, a, b, 1.0, Par::Seq);
    out
}

/// The `rank` leading left singular vectors of `m` (orthonormal columns)
/// and their singular values, largest first, exactly: through the
/// eigenvectors of the small Gram matrix (`mᵀm` for a tall `m`, then made
/// orthonormal by QR of `m Vr`, so near-zero singular values are never
/// divided by; `m mᵀ` for a wide one). `rank <= min(rows, cols)`.
pub fn leading_left_singular_vectors(m: MatRef<'_, f64>, rank: usize) -> Result<(Rows, Vec<f64>), String> {
    let (rows, cols) = (m.nrows(), m.ncols());
    assert!(rank <= rows.min(cols), "rank {rank} of a {rows}x{cols} matrix");
    let tall = rows >= cols;
    let gram = if tall { product(m.transpose(), m) } else { product(m, m.transpose()) };
    let eigen = gram.self_adjoint_eigen(Side::Lower).map_err(|e| format!("the eigensolver did not converge: {e:?}"))?;
    // Eigenvalues come in nondecreasing order: the leading ones are last.
    let n = gram.nrows();
    let top = eigen.U().subcols(n - rank, rank).reverse_cols();
    let values = (0..rank).map(|k| eigen.S()[n - 1 - k].max(0.0).sqrt()).collect();
    let vectors = if tall { product(m, top).qr().compute_thin_Q() } else { top.to_owned() };
    Ok((Rows::from_faer(vectors.as_ref()), values))
}

/// The same subspace, approximately and much faster for a large `m` whose
/// leading subspace is roughly known (`start`, e.g. the previous iteration's
/// answer): a few steps of subspace iteration `Q <- qr(m mᵀ Q)` on `rank + 16`
/// columns, then the exact SVD of the small `Qᵀ m` (Rayleigh–Ritz).
pub fn leading_left_subspace(
    m: MatRef<'_, f64>,
    rank: usize,
    start: Option<&Rows>,
    steps: usize,
    random: &mut Random,
) -> Result<(Rows, Vec<f64>), String> {
    let (rows, cols) = (m.nrows(), m.ncols());
    let width = (rank + 16).min(rows).min(cols);
    if width <= rank + 4 {
        // Too small for sampling to pay: do it exactly.
        return leading_left_singular_vectors(m, rank);
    }
    let mut q = Mat::from_fn(rows, width, |i, j| match start {
        Some(start) if j < start.cols => start.get(i, j),
        _ => random.uniform() - 0.5,
    });
    q = q.qr().compute_thin_Q();
    for _ in 0..steps {
        let projected = product(m.transpose(), q.as_ref());
        q = product(m, projected.as_ref()).qr().compute_thin_Q();
    }
    let small = product(q.transpose(), m);
    let svd = small.thin_svd().map_err(|e| format!("the SVD did not converge: {e:?}"))?;
    let vectors = product(q.as_ref(), svd.U().subcols(0, rank));
    let values = (0..rank).map(|k| svd.S()[k]).collect();
    Ok((Rows::from_faer(vectors.as_ref()), values))
}

/// A random `rows x cols` matrix with orthonormal columns (QR of uniform noise).
pub fn random_orthonormal(rows: usize, cols: usize, random: &mut Random) -> Rows {
    let noise = Mat::from_fn(rows, cols, |_, _| random.uniform());
    Rows::from_faer(noise.qr().compute_thin_Q().as_ref())
}

#[cfg(test)]
pub(crate) fn assert_orthonormal_columns(m: &Rows, tolerance: f64) {
    let gram = m.gram();
    for i in 0..gram.rows {
        for j in 0..gram.cols {
            let expected = if i == j { 1.0 } else { 0.0 };
            assert!((gram.get(i, j) - expected).abs() < tolerance, "({i}, {j}) = {}", gram.get(i, j));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_singular_vectors_span_the_dominant_directions() {
        // Rows along (1, 1, 0) with large weight, (0, 0, 1) with small weight.
        let m = Rows { rows: 3, cols: 3, data: vec![3.0, 3.0, 0.0, 3.0, 3.0, 0.0, 0.0, 0.0, 1.0] };
        let (u, values) = leading_left_singular_vectors(m.to_faer().as_ref(), 1).unwrap();
        assert!((values[0] - 6.0).abs() < 1e-12, "{values:?}");
        assert_orthonormal_columns(&u, 1e-12);
        let s = std::f64::consts::FRAC_1_SQRT_2;
        assert!((u.get(0, 0).abs() - s).abs() < 1e-12 && (u.get(1, 0).abs() - s).abs() < 1e-12);
        assert!(u.get(2, 0).abs() < 1e-12);
        // Subspace iteration finds the same leading vectors of a larger matrix.
        let mut random = Random::new(9);
        let (left, right) = (random_orthonormal(300, 120, &mut random), random_orthonormal(120, 120, &mut random));
        let scaled = Mat::from_fn(300, 120, |i, k| left.get(i, k) * 0.8f64.powi(k as i32));
        let big = product(scaled.as_ref(), right.to_faer().transpose());
        let (exact, exact_values) = leading_left_singular_vectors(big.as_ref(), 5).unwrap();
        let (fast, fast_values) = leading_left_subspace(big.as_ref(), 5, None, 6, &mut random).unwrap();
        for k in 0..5 {
            assert!(
                (exact_values[k] - fast_values[k]).abs() < 1e-6 * exact_values[0],
                "{exact_values:?} {fast_values:?}"
            );
        }
        // Same subspace: projecting one basis onto the other keeps its norm.
        let overlap = product(exact.to_faer().transpose(), fast.to_faer().as_ref());
        assert!((overlap.norm_l2().powi(2) - 5.0).abs() < 1e-6);
        let q = random_orthonormal(20, 5, &mut Random::new(1));
        assert_orthonormal_columns(&q, 1e-12);
        let p = product(q.to_faer().transpose(), q.to_faer().as_ref());
        assert!((p[(2, 2)] - 1.0).abs() < 1e-12);
    }
}
