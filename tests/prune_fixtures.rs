//! The pruning reference kernels against the fixtures numpy wrote (scripts/fixtures/prune_gen.py):
//! the same values kept, and the pruned tensor equal bit for bit.

#[path = "support/fixtures.rs"]
mod fixtures;

use bitbudget::core::catalog::sparsity::Sparsity;
use bitbudget::core::kernels::prune::{mask, prune};

pub const FILES: [(&str, Sparsity); 4] = [
    ("nm_2_4", Sparsity::NM { n: 2, m: 4 }),
    ("nm_4_8", Sparsity::NM { n: 4, m: 8 }),
    ("u50", Sparsity::Unstructured { percent: 50 }),
    ("u70", Sparsity::Unstructured { percent: 70 }),
];

#[test]
fn pruning_reproduces_the_numpy_fixtures() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for (file, sparsity) in FILES {
        let path = format!("{}/tests/fixtures/prune/{file}.fix", env!("CARGO_MANIFEST_DIR"));
        for case in fixtures::parse(&std::fs::read(&path).unwrap()) {
            cases += 1;
            let keep: Vec<u8> = mask(sparsity, &case.input, case.row).iter().map(|&k| u8::from(k)).collect();
            if let Some(at) = fixtures::first_byte_diff(&keep, &case.quant) {
                failures.push(format!("{file} / {}: kept differs at {at}", case.name));
            }
            let mut out = vec![0f32; case.input.len()];
            prune(sparsity, &case.input, case.row, &mut out);
            if let Some(at) = out.iter().zip(&case.dequant).position(|(a, b)| a.to_bits() != b.to_bits()) {
                failures
                    .push(format!("{file} / {}: value {at} is {:?}, numpy {:?}", case.name, out[at], case.dequant[at]));
            }
        }
    }
    assert_eq!(cases, 32);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
