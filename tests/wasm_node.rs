//! The core compiled to wasm32 (with SIMD128) gives the same figures as natively.
//! Runs in Node through wasm-bindgen-test-runner (see scripts/test).
#![cfg(target_arch = "wasm32")]

use bitbudget::core::state::scenario::Scenario;
use bitbudget::core::view::report::build;
use wasm_bindgen_test::wasm_bindgen_test as test;

/// `.cargo/config.toml` turns SIMD128 on; a RUSTFLAGS variable would silently turn it off.
/// A run-time check on purpose: the test run reports it by name instead of failing to build.
#[test]
#[allow(clippy::assertions_on_constants)]
fn simd128_is_enabled() {
    assert!(cfg!(target_feature = "simd128"), "built without simd128: is RUSTFLAGS set?");
}

#[test]
fn footprints_match_the_native_figures() {
    let (s, notes) = Scenario::decode("v=1&m=llama-3.1-8b@bf16,llama-3.1-8b@q4_k_m,70b@q8_0&ctx=8192");
    assert!(notes.is_empty());
    let r = build(&s, &[]);
    assert_eq!(r.rows[0].weights.bytes, 16_060_522_496);
    assert_eq!(r.rows[0].kv.bytes, 1_073_741_824);
    assert_eq!(r.rows[1].weights.bytes, 4_912_898_048);
    assert_eq!(r.rows[1].bpw, "4.89");
    assert!(r.rows[2].estimated);
    assert_eq!(Scenario::decode(&s.encode()).0, s);
}

/// The same seed gives the same sample tensor in wasm as natively (pinned in core::tensor's tests).
#[test]
fn sample_tensors_are_identical_to_native() {
    use bitbudget::core::kernels::tensor::{sample, Distribution};
    let bits: Vec<u32> = sample(Distribution::Gaussian, 4, 1234).iter().map(|v| v.to_bits()).collect();
    assert_eq!(bits, [3207187794, 1050495241, 3204769097, 1068867002]);
    // Longer stretches of the other distributions: sums of the bit patterns, as pinned natively.
    for (d, expect) in [
        (Distribution::StudentT3, 8760411873864u64),
        (Distribution::Laplace, 8860343280114),
        (Distribution::LlmLike, 8864239729120),
    ] {
        let s: u64 = sample(d, 1 << 12, 7).iter().map(|v| u64::from(v.to_bits())).sum();
        assert_eq!(s, expect, "{d:?}");
    }
}
