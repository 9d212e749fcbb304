//! Every kernel against its fixture (tests/fixtures/SPEC.md): quantized bytes equal, and
//! dequantized values bit-equal (any NaN equals any NaN).
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/fixtures.rs"]
mod fixtures;

use bitbudget::core::quant::{kernels, Kernel};
use fixtures::{first_byte_diff, parse, same_f32};

fn fixture_path(id: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(format!("{id}.fix"))
}

/// Checks one kernel against its fixture; returns the failures as text.
fn check(k: &Kernel, bytes: &[u8]) -> Vec<String> {
    let mut failures = Vec::new();
    for case in parse(bytes) {
        let q = match k.quantize_tensor(&case.input, case.row) {
            Ok(q) => q,
            Err(e) => {
                failures.push(format!("{} / {}: {e}", k.id, case.name));
                continue;
            }
        };
        if let Some(at) = first_byte_diff(&q, &case.quant) {
            failures.push(format!(
                "{} / {}: quantized byte {at} differs ({:?} vs expected {:?}; {} vs {} bytes)",
                k.id,
                case.name,
                q.get(at),
                case.quant.get(at),
                q.len(),
                case.quant.len()
            ));
        }
        match k.dequantize_tensor(&case.quant, case.input.len(), case.row) {
            Ok(d) => {
                if let Some(i) = d.iter().zip(&case.dequant).position(|(a, b)| !same_f32(*a, *b)) {
                    failures.push(format!(
                        "{} / {}: dequantized element {i} is {:e} ({:#010x}), expected {:e} ({:#010x})",
                        k.id,
                        case.name,
                        d[i],
                        d[i].to_bits(),
                        case.dequant[i],
                        case.dequant[i].to_bits()
                    ));
                }
            }
            Err(e) => failures.push(format!("{} / {} dequantize: {e}", k.id, case.name)),
        }
    }
    failures
}

#[test]
fn every_kernel_reproduces_its_fixture() {
    let mut failures = Vec::new();
    let mut missing = Vec::new();
    for k in kernels() {
        match std::fs::read(fixture_path(k.id)) {
            Ok(bytes) => failures.extend(check(k, &bytes)),
            Err(_) => missing.push(k.id),
        }
    }
    assert!(missing.is_empty(), "kernels without a fixture: {missing:?}");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}
