//! ggml's ternary types TQ1_0 and TQ2_0 (256-element blocks, codes −1, 0, +1 times one fp16 scale,
//! the block's largest magnitude): byte-exact ports of `quantize_row_tq{1,2}_0_ref` and
//! `dequantize_row_tq{1,2}_0` in ggml-quants.c.

use super::ggml_common::c_max;
use super::ggml_legacy::ggml_kernel;
use super::kquants::{get_f16, put_f16, QK_K};
use super::Kernel;
use crate::core::catalog::format;

/// The scale (C's `MAX` over |x|, so a NaN is forgotten by the next value) and its inverse.
fn scale_of(xb: &[f32]) -> (f32, f32) {
    let amax = xb.iter().fold(0.0f32, |m, v| c_max(m, v.abs()));
    // C tests `d ? 1/d : 0`, so a NaN scale gives a NaN inverse.
    let id = if amax != 0.0 { 1.0 / amax } else { 0.0 };
    (amax, id)
}

/// The low byte of C's `int xi = lroundf(v) + 1`: −1, 0, 1 become 0, 1, 2. lroundf of NaN, ±inf
/// or a value beyond the range of `long` is undefined; the project's rule makes it 0 (so 1).
fn trit(v: f32) -> u8 {
    let r = if v.abs() < 9_223_372_036_854_775_808.0 { v.round() as i64 } else { 0 };
    r.wrapping_add(1) as u8
}

/// Five trits (the first most significant) as a byte: the base-3 number scaled to 256/243,
/// rounded up, so that multiplying by 3 moves the next trit into the top bits.
fn pack_trits(trits: impl Iterator<Item = u8>) -> u8 {
    // C accumulates in a uint8_t, so everything wraps at 256.
    let q = trits.fold(0u8, |q, t| q.wrapping_mul(3).wrapping_add(t));
    (u16::from(q) * 256).div_ceil(243) as u8
}

/// TQ1_0 block: qs[48] (five trits each), qh[4] (four trits each), d.
const TQ1_0_BYTES: usize = format::TQ1_0.block_bytes();

pub fn quantize_tq1_0(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK_K).zip(out.chunks_exact_mut(TQ1_0_BYTES)) {
        let (d, id) = scale_of(xb);
        put_f16(yb, 52, d);
        // Bytes 0..32 take elements m + 32n (n < 5), bytes 32..48 take 160 + m + 16n.
        for m in 0..32 {
            yb[m] = pack_trits((0..5).map(|n| trit(xb[m + 32 * n] * id)));
        }
        for m in 0..16 {
            yb[32 + m] = pack_trits((0..5).map(|n| trit(xb[160 + m + 16 * n] * id)));
        }
        // qh byte j: elements 240 + j + 4m (m < 4), then a zero trit in the last place.
        for j in 0..4 {
            yb[48 + j] = pack_trits((0..4).map(|m| trit(xb[240 + j + 4 * m] * id)).chain([0]));
        }
    }
}

/// Trit `n` (0 = most significant) of a packed byte, as −1, 0 or 1 in f32.
fn unpack_trit(b: u8, n: usize) -> f32 {
    const POW3: [u8; 5] = [1, 3, 9, 27, 81];
    let q = b.wrapping_mul(POW3[n]);
    f32::from(((u16::from(q) * 3) >> 8) as i16 - 1)
}

pub fn dequantize_tq1_0(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(TQ1_0_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let d = get_f16(yb, 52);
        let mut y = xb.iter_mut();
        for (bytes, trits) in [(&yb[..32], 5), (&yb[32..48], 5), (&yb[48..52], 4)] {
            for n in 0..trits {
                // `bytes` first: zip must not pull an extra element from `y`.
                for (&b, o) in bytes.iter().zip(y.by_ref()) {
                    *o = unpack_trit(b, n) * d;
                }
            }
        }
    }
}

/// TQ2_0 block: qs[64] (2-bit codes, element m + 32n of each 128 in bits 2n of byte m), d.
const TQ2_0_BYTES: usize = format::TQ2_0.block_bytes();

pub fn quantize_tq2_0(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK_K).zip(out.chunks_exact_mut(TQ2_0_BYTES)) {
        let (d, id) = scale_of(xb);
        put_f16(yb, 64, d);
        for (qs, xs) in yb[..64].chunks_exact_mut(32).zip(xb.chunks_exact(128)) {
            for (m, b) in qs.iter_mut().enumerate() {
                *b = (0..4).fold(0u8, |q, n| q.wrapping_add((trit(xs[m + 32 * n] * id) & 3) << (2 * n)));
            }
        }
    }
}

pub fn dequantize_tq2_0(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(TQ2_0_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let d = get_f16(yb, 64);
        for (qs, y) in yb[..64].chunks_exact(32).zip(xb.chunks_exact_mut(128)) {
            for (n, ys) in y.chunks_exact_mut(32).enumerate() {
                for (o, &b) in ys.iter_mut().zip(qs) {
                    *o = f32::from(i16::from((b >> (2 * n)) & 3) - 1) * d;
                }
            }
        }
    }
}

ggml_kernel!(TQ1_0, format::TQ1_0, quantize_tq1_0, dequantize_tq1_0);
ggml_kernel!(TQ2_0, format::TQ2_0, quantize_tq2_0, dequantize_tq2_0);

// The catalogue's blocks are the fields this code reads and writes (ggml-common.h).
const _: () = {
    assert!(format::TQ1_0.block_elems() == QK_K && format::TQ2_0.block_elems() == QK_K);
    assert!(TQ1_0_BYTES == (QK_K - 4 * QK_K / 64) / 5 + QK_K / 64 + 2); // qs (5 trits a byte), qh, d
    assert!(TQ2_0_BYTES == QK_K / 4 + 2); // qs, d
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every trit pattern survives TQ1_0's packing, and ±amax, 0 come back exactly.
    #[test]
    fn tq1_0_round_trips_ternary_values() {
        let x: Vec<f32> = (0..256).map(|i| [1.0, 0.0, -1.0][(i * 7 + i / 3) % 3]).collect();
        let mut q = [0u8; TQ1_0_BYTES];
        quantize_tq1_0(&x, &mut q);
        let mut back = [0f32; 256];
        dequantize_tq1_0(&q, &mut back);
        assert_eq!(x, back);
    }

    #[test]
    fn tq2_0_round_trips_ternary_values() {
        let x: Vec<f32> = (0..256).map(|i| [0.5, 0.0, -0.5][(i * 5 + i / 7) % 3]).collect();
        let mut q = [0u8; TQ2_0_BYTES];
        quantize_tq2_0(&x, &mut q);
        let mut back = [0f32; 256];
        dequantize_tq2_0(&q, &mut back);
        assert_eq!(x, back);
    }

    #[test]
    fn trit_follows_lroundf_and_the_projects_rule() {
        assert_eq!(trit(0.5), 2);
        assert_eq!(trit(-0.5), 0);
        assert_eq!(trit(0.49), 1);
        assert_eq!(trit(f32::NAN), 1);
        assert_eq!(trit(f32::INFINITY), 1);
        assert_eq!(trit(1e30), 1);
        assert_eq!(trit(300.0), 45);
    }
}
