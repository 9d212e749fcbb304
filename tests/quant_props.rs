//! Properties of every kernel on arbitrary input (`support/roundtrip.rs`): quantize → dequantize
//! never panics, keeps the length, dequantizes finite weights (|x| ≤ 10⁴, or the format's range
//! for a cast without a scale) to finite values; the error metrics are finite (or absent) for
//! any input, NaN and infinities included.

#![cfg(not(target_arch = "wasm32"))]

#[path = "support/roundtrip.rs"]
mod roundtrip;

use bitbudget::core::kernels::quant::kernels;
use proptest::prelude::*;
use roundtrip::{check, fit};

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
            check(k, &x, row).map_err(TestCaseError::fail)?;
        }
    }

    #[test]
    fn any_bits_never_panic_and_metrics_stay_sane(bits in prop::collection::vec(any::<u32>(), 0..600), many in any::<bool>()) {
        let x: Vec<f32> = bits.into_iter().map(f32::from_bits).collect();
        for k in kernels() {
            let Some((x, row)) = fit(k, x.clone(), many) else { continue };
            check(k, &x, row).map_err(TestCaseError::fail)?;
        }
    }
}
