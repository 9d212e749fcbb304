//! ggml's 32-element block types Q8_0, Q4_0, Q4_1, Q5_0, Q5_1: byte-exact ports of
//! `quantize_row_*_ref` and `dequantize_row_*` (ggml-quants.c).

use super::ggml_common::{c_max, c_to_i8, c_to_u8, fp16_bits, fp16_to_f32};
use super::Kernel;
use crate::core::catalog::format;

/// Elements per block, the catalogue's (every legacy type has the same).
pub(crate) const QK: usize = format::Q8_0.block_elems();
pub(crate) const Q8_0_BYTES: usize = format::Q8_0.block_bytes();
pub(crate) const Q4_0_BYTES: usize = format::Q4_0.block_bytes();
pub(crate) const Q4_1_BYTES: usize = format::Q4_1.block_bytes();
pub(crate) const Q5_0_BYTES: usize = format::Q5_0.block_bytes();
pub(crate) const Q5_1_BYTES: usize = format::Q5_1.block_bytes();

// The catalogue's blocks are the fields this code reads and writes (ggml-common.h).
const _: () = {
    let f = [&format::Q4_0, &format::Q4_1, &format::Q5_0, &format::Q5_1, &format::Q8_0];
    let mut i = 0;
    while i < f.len() {
        assert!(f[i].block_elems() == 32);
        i += 1;
    }
    assert!(Q8_0_BYTES == 2 + QK); // d, qs[32]
    assert!(Q4_0_BYTES == 2 + QK / 2); // d, qs[16]
    assert!(Q4_1_BYTES == 2 + 2 + QK / 2); // d, m, qs[16]
    assert!(Q5_0_BYTES == 2 + 4 + QK / 2); // d, qh[4], qs[16]
    assert!(Q5_1_BYTES == 2 + 2 + 4 + QK / 2); // d, m, qh[4], qs[16]
};

fn put_f16(out: &mut [u8], at: usize, v: f32) {
    out[at..at + 2].copy_from_slice(&fp16_bits(v).to_le_bytes());
}

/// Q8_0: d = amax/127 (fp16), q = roundf(x/d) computed with the unrounded d.
pub fn quantize_q8_0(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK).zip(out.chunks_exact_mut(Q8_0_BYTES)) {
        let amax = xb.iter().fold(0.0f32, |m, v| c_max(m, v.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        put_f16(yb, 0, d);
        for (q, &v) in yb[2..].iter_mut().zip(xb) {
            *q = c_to_i8((v * id).round()) as u8;
        }
    }
}

pub fn dequantize_q8_0(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(Q8_0_BYTES).zip(out.chunks_exact_mut(QK)) {
        let d = fp16_to_f32(yb[0], yb[1]);
        for (o, &c) in xb.iter_mut().zip(&yb[2..]) {
            *o = f32::from(c as i8) * d;
        }
    }
}

/// The signed value with the largest magnitude (the first of equals); NaN never wins.
fn signed_max(xb: &[f32]) -> f32 {
    let (mut amax, mut max) = (0.0f32, 0.0f32);
    for &v in xb {
        if amax < v.abs() {
            amax = v.abs();
            max = v;
        }
    }
    max
}

/// Smallest and largest, skipping NaN (`if (v < min) min = v` in C).
fn min_max(xb: &[f32]) -> (f32, f32) {
    let (mut min, mut max) = (f32::MAX, -f32::MAX);
    for &v in xb {
        if v < min {
            min = v;
        }
        if v > max {
            max = v;
        }
    }
    (min, max)
}

/// `MIN(hi, (int8_t)v)` stored as `uint8_t`.
fn clamp_code(v: f32, hi: i8) -> u8 {
    c_to_i8(v).min(hi) as u8
}

/// Q4_0: d = max/−8, so the largest magnitude maps to code 0; q = min(15, trunc(x/d + 8.5)).
pub fn quantize_q4_0(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK).zip(out.chunks_exact_mut(Q4_0_BYTES)) {
        let d = signed_max(xb) / -8.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        put_f16(yb, 0, d);
        for j in 0..QK / 2 {
            let lo = clamp_code(xb[j] * id + 8.5, 15);
            let hi = clamp_code(xb[j + QK / 2] * id + 8.5, 15);
            yb[2 + j] = (u32::from(lo) | (u32::from(hi) << 4)) as u8;
        }
    }
}

pub fn dequantize_q4_0(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(Q4_0_BYTES).zip(out.chunks_exact_mut(QK)) {
        let d = fp16_to_f32(yb[0], yb[1]);
        for j in 0..QK / 2 {
            xb[j] = (i32::from(yb[2 + j] & 0x0f) - 8) as f32 * d;
            xb[j + QK / 2] = (i32::from(yb[2 + j] >> 4) - 8) as f32 * d;
        }
    }
}

/// Q4_1: d = (max − min)/15 and m = min (fp16 both); q = min(15, trunc((x − min)/d + 0.5)).
pub fn quantize_q4_1(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK).zip(out.chunks_exact_mut(Q4_1_BYTES)) {
        let (min, max) = min_max(xb);
        let d = (max - min) / 15.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        put_f16(yb, 0, d);
        put_f16(yb, 2, min);
        for j in 0..QK / 2 {
            let lo = clamp_code((xb[j] - min) * id + 0.5, 15);
            let hi = clamp_code((xb[j + QK / 2] - min) * id + 0.5, 15);
            yb[4 + j] = (u32::from(lo) | (u32::from(hi) << 4)) as u8;
        }
    }
}

pub fn dequantize_q4_1(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(Q4_1_BYTES).zip(out.chunks_exact_mut(QK)) {
        let d = fp16_to_f32(yb[0], yb[1]);
        let m = fp16_to_f32(yb[2], yb[3]);
        for j in 0..QK / 2 {
            xb[j] = f32::from(yb[4 + j] & 0x0f) * d + m;
            xb[j + QK / 2] = f32::from(yb[4 + j] >> 4) * d + m;
        }
    }
}

/// Packs 32 five-bit codes: low nibbles as Q4, fifth bits into a little-endian u32.
fn pack5(codes: &[u8; QK], qh: &mut [u8], qs: &mut [u8]) {
    let mut h = 0u32;
    for j in 0..QK / 2 {
        let (a, b) = (codes[j], codes[j + QK / 2]);
        qs[j] = (a & 0x0f) | ((b & 0x0f) << 4);
        h |= u32::from((a & 0x10) >> 4) << j;
        h |= u32::from((b & 0x10) >> 4) << (j + QK / 2);
    }
    qh.copy_from_slice(&h.to_le_bytes());
}

fn unpack5(qh: &[u8], qs: &[u8]) -> [u8; QK] {
    let h = u32::from_le_bytes([qh[0], qh[1], qh[2], qh[3]]);
    let mut codes = [0u8; QK];
    for j in 0..QK / 2 {
        codes[j] = (qs[j] & 0x0f) | (((h >> j) << 4) as u8 & 0x10);
        codes[j + QK / 2] = (qs[j] >> 4) | ((h >> (j + 12)) as u8 & 0x10);
    }
    codes
}

/// Q5_0: d = max/−16; q = min(31, trunc(x/d + 16.5)).
pub fn quantize_q5_0(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK).zip(out.chunks_exact_mut(Q5_0_BYTES)) {
        let d = signed_max(xb) / -16.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        put_f16(yb, 0, d);
        let mut codes = [0u8; QK];
        for (c, &v) in codes.iter_mut().zip(xb) {
            *c = clamp_code(v * id + 16.5, 31);
        }
        let (qh, qs) = yb[2..].split_at_mut(4);
        pack5(&codes, qh, qs);
    }
}

pub fn dequantize_q5_0(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(Q5_0_BYTES).zip(out.chunks_exact_mut(QK)) {
        let d = fp16_to_f32(yb[0], yb[1]);
        for (o, c) in xb.iter_mut().zip(unpack5(&yb[2..6], &yb[6..])) {
            *o = (i32::from(c) - 16) as f32 * d;
        }
    }
}

/// Q5_1: d = (max − min)/31, m = min; q = (uint8_t)((x − min)/d + 0.5), no clamp.
pub fn quantize_q5_1(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK).zip(out.chunks_exact_mut(Q5_1_BYTES)) {
        let (min, max) = min_max(xb);
        let d = (max - min) / 31.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        put_f16(yb, 0, d);
        put_f16(yb, 2, min);
        let mut codes = [0u8; QK];
        for (c, &v) in codes.iter_mut().zip(xb) {
            *c = c_to_u8((v - min) * id + 0.5);
        }
        let (qh, qs) = yb[4..].split_at_mut(4);
        pack5(&codes, qh, qs);
    }
}

pub fn dequantize_q5_1(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(Q5_1_BYTES).zip(out.chunks_exact_mut(QK)) {
        let d = fp16_to_f32(yb[0], yb[1]);
        let m = fp16_to_f32(yb[2], yb[3]);
        for (o, c) in xb.iter_mut().zip(unpack5(&yb[4..8], &yb[8..])) {
            *o = f32::from(c) * d + m;
        }
    }
}

/// A kernel row for a ggml block type whose functions take whole blocks: id, name and block
/// layout are the catalogue descriptor's.
macro_rules! ggml_kernel {
    ($name:ident, $format:expr, $q:path, $d:path) => {
        pub const $name: Kernel =
            Kernel::of_blocks(&$format, |x, _row, _scale, out| $q(x, out), |q, _row, _scale, out| $d(q, out));
    };
}

pub(crate) use ggml_kernel;

ggml_kernel!(Q8_0, format::Q8_0, quantize_q8_0, dequantize_q8_0);
ggml_kernel!(Q4_0, format::Q4_0, quantize_q4_0, dequantize_q4_0);
ggml_kernel!(Q4_1, format::Q4_1, quantize_q4_1, dequantize_q4_1);
ggml_kernel!(Q5_0, format::Q5_0, quantize_q5_0, dequantize_q5_0);
ggml_kernel!(Q5_1, format::Q5_1, quantize_q5_1, dequantize_q5_1);

#[cfg(test)]
mod tests {
    use super::*;

    /// Q8_0 by hand: amax 127 gives d = 1, and halves round away from zero.
    #[test]
    fn q8_0_rounds_halves_away_from_zero() {
        let mut x = [0.0f32; 32];
        x[0] = 127.0;
        x[1] = 2.5;
        x[2] = -2.5;
        x[3] = 0.5;
        x[4] = -0.49;
        let mut q = [0u8; 34];
        quantize_q8_0(&x, &mut q);
        assert_eq!(u16::from_le_bytes([q[0], q[1]]), 0x3c00); // fp16 1.0
        assert_eq!(&q[2..7], &[127, 3, (-3i8) as u8, 1, 0]);
    }

    /// Q4_0 by hand: the largest magnitude −8 gives d = 1 and maps to code 0.
    #[test]
    fn q4_0_maps_the_extreme_to_code_zero() {
        let mut x = [0.0f32; 32];
        x[0] = -8.0;
        x[16] = 7.0;
        let mut q = [0u8; 18];
        quantize_q4_0(&x, &mut q);
        assert_eq!(u16::from_le_bytes([q[0], q[1]]), 0x3c00);
        // x[0] = −8 → trunc(−8·1 + 8.5) = 0; x[16] = 7 → 15 (high nibble of byte 0).
        assert_eq!(q[2], 0xf0);
        assert_eq!(q[3], 0x88);
        let mut back = [0f32; 32];
        dequantize_q4_0(&q, &mut back);
        assert_eq!((back[0], back[16], back[1]), (-8.0, 7.0, 0.0));
    }

    #[test]
    fn five_bit_packing_round_trips() {
        let mut codes = [0u8; 32];
        for (i, c) in codes.iter_mut().enumerate() {
            *c = (i * 7 % 32) as u8;
        }
        let (mut qh, mut qs) = ([0u8; 4], [0u8; 16]);
        pack5(&codes, &mut qh, &mut qs);
        assert_eq!(unpack5(&qh, &qs), codes);
    }

    #[test]
    fn conversions_follow_x86() {
        use super::super::ggml_common::{c_to_i8, cvtt_i32};
        assert_eq!(cvtt_i32(f32::NAN), i32::MIN);
        assert_eq!(cvtt_i32(f32::INFINITY), i32::MIN);
        assert_eq!(cvtt_i32(-2.9), -2);
        assert_eq!(c_to_i8(f32::NAN), 0);
        assert_eq!(c_to_i8(200.0), -56);
    }
}
