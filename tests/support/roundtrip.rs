//! The property every kernel keeps on any input, shared by `tests/quant_props.rs` and the
//! `quant` fuzz target (`fuzz/src/lib.rs`): quantize → dequantize does not panic and keeps the
//! length, finite weights within the kernel's `finite_range` come back finite, and the error
//! metrics are sane.

use bitbudget::core::kernels::metrics::ErrorStats;
use bitbudget::core::kernels::quant::Kernel;

/// `x` trimmed to what `k` takes as one tensor, with its row length: one unit when `many_rows`
/// (and there are at least two), else the whole tensor. `None` when nothing is left.
pub fn fit(k: &Kernel, mut x: Vec<f32>, many_rows: bool) -> Option<(Vec<f32>, usize)> {
    let unit = k.unit();
    x.truncate(x.len() / unit * unit);
    if x.is_empty() {
        return None;
    }
    let row = if many_rows && x.len() >= 2 * unit { unit } else { x.len() };
    Some((x, row))
}

/// Checks the property for `x` (already fitted) in rows of `row`; says what broke.
pub fn check(k: &Kernel, x: &[f32], row: usize) -> Result<(), String> {
    let q = k.quantize_tensor(x, row).map_err(|e| format!("{}: {e}", k.id))?;
    let y = k.dequantize_tensor(&q, x.len(), row).map_err(|e| format!("{}: {e}", k.id))?;
    if y.len() != x.len() {
        return Err(format!("{}: {} values back for {}", k.id, y.len(), x.len()));
    }
    if x.iter().all(|v| v.abs() <= k.finite_range()) {
        if let Some(i) = y.iter().position(|v| !v.is_finite()) {
            return Err(format!("{}: x[{i}] = {} → {}", k.id, x[i], y[i]));
        }
    }
    let mut stats = ErrorStats::default();
    stats.add(x, &y);
    let m = stats.summary();
    if !m.is_sane() {
        return Err(format!("{}: {m:?}", k.id));
    }
    Ok(())
}
