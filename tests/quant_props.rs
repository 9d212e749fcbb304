//! Properties of every kernel on arbitrary input: quantize → dequantize never panics, keeps the
//! length, dequantizes finite weights (|x| ≤ 10⁴, or the format's range for a cast without a
//! scale) to finite values; the error metrics are finite (or absent) for any input, NaN and
//! infinities included.

#![cfg(not(target_arch = "wasm32"))]

use bitbudget::core::metrics::{ErrorStats, Summary};
use bitbudget::core::quant::{kernels, Kernel};
use proptest::prelude::*;

/// `x` trimmed to what `k` accepts as one tensor, in rows of one unit when `many_rows`.
fn fit(k: &Kernel, mut x: Vec<f32>, many_rows: bool) -> Option<(Vec<f32>, usize)> {
    let unit = k.unit();
    x.truncate(x.len() / unit * unit);
    if x.is_empty() {
        return None;
    }
    let row = if many_rows && x.len() >= 2 * unit { unit } else { x.len() };
    Some((x, row))
}

fn roundtrip(k: &Kernel, x: &[f32], row: usize) -> Vec<f32> {
    let q = k.quantize_tensor(x, row).unwrap_or_else(|e| panic!("{}: {e}", k.id));
    let y = k.dequantize_tensor(&q, x.len(), row).unwrap_or_else(|e| panic!("{}: {e}", k.id));
    assert_eq!(y.len(), x.len(), "{}", k.id);
    y
}

fn summary(x: &[f32], y: &[f32]) -> Summary {
    let mut s = ErrorStats::default();
    s.add(x, y);
    s.summary()
}

fn weight() -> impl Strategy<Value = f32> {
    prop_oneof![
        4 => -1.0f32..1.0,
        2 => -1e4f32..1e4,
        1 => Just(0.0f32),
        1 => Just(-0.0f32),
        1 => (1u32..0x0080_0000).prop_map(f32::from_bits), // subnormals
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn finite_weights_come_back_finite(x in prop::collection::vec(weight(), 0..600), many in any::<bool>()) {
        for k in kernels() {
            let r = k.finite_range();
            let x: Vec<f32> = x.iter().map(|v| v.clamp(-r, r)).collect();
            let Some((x, row)) = fit(k, x, many) else { continue };
            let y = roundtrip(k, &x, row);
            if let Some(i) = y.iter().position(|v| !v.is_finite()) {
                return Err(TestCaseError::fail(format!("{}: x[{i}] = {} → {}", k.id, x[i], y[i])));
            }
            let m = summary(&x, &y);
            prop_assert!(m.is_sane(), "{}: {m:?}", k.id);
        }
    }

    #[test]
    fn any_bits_never_panic_and_metrics_stay_sane(bits in prop::collection::vec(any::<u32>(), 0..600), many in any::<bool>()) {
        let x: Vec<f32> = bits.into_iter().map(f32::from_bits).collect();
        for k in kernels() {
            let Some((x, row)) = fit(k, x.clone(), many) else { continue };
            let y = roundtrip(k, &x, row);
            let m = summary(&x, &y);
            prop_assert!(m.is_sane(), "{}: {m:?}", k.id);
        }
    }
}
