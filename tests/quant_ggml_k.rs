//! The k-quants, IQ4_NL/IQ4_XS and TQ1_0/TQ2_0 against ggml's own output (tests/fixtures/SPEC.md):
//! every quantized byte and every dequantized value must match.

#[path = "support/fixtures.rs"]
mod fixtures;

use bitbudget::core::quant::{kernel, Layout};

fn check(id: &str) {
    let k = kernel(id).unwrap_or_else(|| panic!("no kernel {id}"));
    let path = format!("{}/tests/fixtures/{id}.fix", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let block_bytes = match k.layout {
        Layout::Blocks { bytes, .. } => bytes,
        other => panic!("{id}: not a block layout: {other:?}"),
    };
    let cases = fixtures::parse(&bytes);
    assert!(!cases.is_empty(), "{id}: no cases");
    for case in &cases {
        let q = k.quantize_tensor(&case.input, case.row).unwrap_or_else(|e| panic!("{id}/{}: {e}", case.name));
        if let Some(at) = fixtures::first_byte_diff(&q, &case.quant) {
            panic!(
                "{id}/{}: quantized bytes differ at byte {at} (block {}, offset {} in it): got {:?}, want {:?} \
                 (lengths {} and {})",
                case.name,
                at / block_bytes,
                at % block_bytes,
                q.get(at),
                case.quant.get(at),
                q.len(),
                case.quant.len()
            );
        }
        let deq = k
            .dequantize_tensor(&case.quant, case.input.len(), case.row)
            .unwrap_or_else(|e| panic!("{id}/{}: {e}", case.name));
        assert_eq!(deq.len(), case.dequant.len(), "{id}/{}: dequantized length", case.name);
        if let Some(i) = deq.iter().zip(&case.dequant).position(|(&a, &b)| !fixtures::same_f32(a, b)) {
            panic!(
                "{id}/{}: dequantized element {i} differs: got {:e} ({:#010x}), want {:e} ({:#010x})",
                case.name,
                deq[i],
                deq[i].to_bits(),
                case.dequant[i],
                case.dequant[i].to_bits()
            );
        }
    }
}

#[test]
fn q2_k() {
    check("q2_k");
}

#[test]
fn q3_k() {
    check("q3_k");
}

#[test]
fn q4_k() {
    check("q4_k");
}

#[test]
fn q5_k() {
    check("q5_k");
}

#[test]
fn q6_k() {
    check("q6_k");
}

#[test]
fn iq4_nl() {
    check("iq4_nl");
}

#[test]
fn iq4_xs() {
    check("iq4_xs");
}

#[test]
fn tq1_0() {
    check("tq1_0");
}

#[test]
fn tq2_0() {
    check("tq2_0");
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
    for id in ["q2_k", "q3_k", "q4_k", "q5_k", "q6_k", "iq4_nl", "iq4_xs", "tq1_0", "tq2_0"] {
        let k = kernel(id).unwrap();
        for round in 0..64 {
            let x: Vec<f32> = (0..512)
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
            assert_eq!(k.dequantize_tensor(&q, 512, 512).unwrap().len(), 512);
            let junk: Vec<u8> = (0..q.len()).map(|_| next() as u8).collect();
            assert_eq!(k.dequantize_tensor(&junk, 512, 512).unwrap().len(), 512);
        }
    }
}
