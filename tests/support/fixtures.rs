//! Reads the fixture files described in tests/fixtures/SPEC.md and checks kernels against them.
#![allow(dead_code)] // shared by several test crates, each of which uses part of it

use bitbudget::core::kernels::quant::Kernel;

pub struct Case {
    pub name: String,
    pub row: usize,
    pub input: Vec<f32>,
    pub quant: Vec<u8>,
    pub dequant: Vec<f32>,
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let s = &self.b[self.at..self.at + n];
        self.at += n;
        s
    }
    fn u32(&mut self) -> usize {
        let s = self.take(4);
        u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize
    }
    fn f32s(&mut self, n: usize) -> Vec<f32> {
        self.take(4 * n).chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
    }
}

pub fn parse(bytes: &[u8]) -> Vec<Case> {
    let mut r = Reader { b: bytes, at: 0 };
    assert_eq!(r.take(4), b"BBFX", "not a fixture file");
    assert_eq!(r.u32(), 1, "fixture version");
    let cases = r.u32();
    (0..cases)
        .map(|_| {
            let len = r.take(1)[0] as usize;
            let name = String::from_utf8(r.take(len).to_vec()).expect("ASCII name");
            let n = r.u32();
            let row = r.u32();
            let input = r.f32s(n);
            let q_len = r.u32();
            let quant = r.take(q_len).to_vec();
            let dequant = r.f32s(n);
            Case { name, row, input, quant, dequant }
        })
        .collect()
}

/// Bit-equal, except that any NaN equals any NaN.
pub fn same_f32(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// The first index where two quantized byte strings differ.
pub fn first_byte_diff(a: &[u8], b: &[u8]) -> Option<usize> {
    if a.len() != b.len() {
        return Some(a.len().min(b.len()));
    }
    a.iter().zip(b).position(|(x, y)| x != y)
}

/// Checks one kernel against its fixture; returns the failures as text.
pub fn check(k: &Kernel, bytes: &[u8]) -> Vec<String> {
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

/// Checks a read fixture (`tests/fixtures/read/<id>.fix`: ggml blocks and gguf-py's
/// dequantization) against the dequantizer of `id` (a kernel's, or a read-only format's).
pub fn check_read(id: &str, bytes: &[u8]) -> Vec<String> {
    let mut failures = Vec::new();
    for case in parse(bytes) {
        let n = case.dequant.len();
        match bitbudget::core::kernels::quant::dequantize_by_id(id, &case.quant, n, case.row) {
            Ok(d) => {
                if let Some(i) = d.iter().zip(&case.dequant).position(|(a, b)| !same_f32(*a, *b)) {
                    failures.push(format!(
                        "read {id} / {}: element {i} is {:e} ({:#010x}), expected {:e} ({:#010x})",
                        case.name,
                        d[i],
                        d[i].to_bits(),
                        case.dequant[i],
                        case.dequant[i].to_bits()
                    ));
                }
            }
            Err(e) => failures.push(format!("read {id} / {}: {e}", case.name)),
        }
    }
    failures
}
