//! Every kernel against its fixture (tests/fixtures/SPEC.md): quantized bytes equal, and
//! dequantized values bit-equal (any NaN equals any NaN).
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/fixtures.rs"]
mod fixtures;

use bitbudget::core::kernels::quant::kernels;
use fixtures::check;

fn fixture_path(id: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(format!("{id}.fix"))
}

#[test]
fn every_kernel_reproduces_its_fixture() {
    let mut failures = Vec::new();
    for k in kernels() {
        match std::fs::read(fixture_path(k.id)) {
            Ok(bytes) => failures.extend(check(k, &bytes)),
            Err(_) => failures.push(format!("{}: no fixture", k.id)),
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Any bit pattern as input, and any bytes as a quantized block: no panic, right lengths.
#[test]
fn arbitrary_inputs_do_not_panic() {
    let mut s = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    for k in kernels() {
        // Flat double-quantized NF4 needs 16384 elements; everything else takes rows of 512.
        let n = if k.check_shape(512, 512).is_ok() { 512 } else { 16384 };
        for round in 0..16 {
            let x: Vec<f32> = (0..n)
                .map(|i| {
                    let r = next();
                    match round % 4 {
                        0 => f32::from_bits(r as u32),
                        1 => {
                            [0.0, -0.0, f32::INFINITY, f32::NEG_INFINITY, f32::NAN, f32::MIN_POSITIVE, f32::MAX][i % 7]
                        }
                        2 => f32::from_bits((r as u32) & 0x807f_ffff),
                        _ => (r >> 40) as f32 * if r & 1 == 0 { 1e-30 } else { 1e30 },
                    }
                })
                .collect();
            let q = k.quantize_tensor(&x, 512).unwrap();
            assert_eq!(k.dequantize_tensor(&q, n, 512).unwrap().len(), n);
            let junk: Vec<u8> = (0..q.len()).map(|_| next() as u8).collect();
            assert_eq!(k.dequantize_tensor(&junk, n, 512).unwrap().len(), n);
        }
    }
}

/// The fixtures are the kernels: each `tests/fixtures/<id>.fix` names a kernel (the other way
/// round, `every_kernel_reproduces_its_fixture` fails on a kernel with none).
#[test]
fn every_fixture_names_a_kernel() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut stray = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if let Some(id) = name.strip_suffix(".fix") {
            if bitbudget::core::kernels::quant::kernel(id).is_none() {
                stray.push(id.to_string());
            }
        }
    }
    assert!(stray.is_empty(), "fixtures with no kernel: {stray:?}");
}

fn read_fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/read");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let id = path.file_name()?.to_str()?.strip_suffix(".fix")?.to_string();
            Some((id, std::fs::read(&path).unwrap()))
        })
        .collect();
    out.sort();
    out
}

/// The ggml types the lab reads: gguf-py's dequantization of random valid blocks, every grid
/// point and the scale's extremes (`tests/fixtures/read/`), reproduced bit for bit.
#[test]
fn every_read_fixture_is_reproduced() {
    let mut failures = Vec::new();
    for (id, bytes) in read_fixtures() {
        failures.extend(fixtures::check_read(&id, &bytes));
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Every read-only format and every lattice i-quant kernel has a read fixture, and every read
/// fixture names one of them.
#[test]
fn every_read_only_format_has_a_read_fixture() {
    use bitbudget::core::catalog::format::{IQ3_S, IQ3_XXS};
    use bitbudget::core::kernels::quant::READ_ONLY;
    let have: Vec<String> = read_fixtures().into_iter().map(|(id, _)| id).collect();
    let mut want: Vec<&str> = READ_ONLY.iter().map(|r| r.format.id).collect();
    want.extend([IQ3_S.id, IQ3_XXS.id]);
    for id in &want {
        assert!(have.iter().any(|h| h == id), "{id}: no tests/fixtures/read/{id}.fix");
    }
    for id in &have {
        assert!(
            want.contains(&id.as_str()),
            "tests/fixtures/read/{id}.fix: no read-only format or lattice kernel {id}"
        );
    }
}
