//! Integer formats with explicit scales: INT8 with one scale per row (output channel), and
//! INT4 in groups of 32, 64 or 128, symmetric or with a zero point (GPTQ's rule).

use half::f16;

use super::{Kernel, Layout};
use crate::core::catalog::format;

/// `rint(v)` clamped to `[lo, hi]`; NaN gives `nan`.
fn rint_clamp(v: f32, lo: i32, hi: i32, nan: i32) -> i32 {
    if v.is_nan() {
        nan
    } else {
        (v.round_ties_even().clamp(lo as f32, hi as f32)) as i32
    }
}

fn finite_absmax(x: &[f32]) -> f32 {
    x.iter().filter(|v| v.is_finite()).fold(0.0f32, |m, v| m.max(v.abs()))
}

/// Per row: f32 s = amax/127, then q = clamp(rint(x/s), −127, 127).
pub fn quantize_int8(x: &[f32], row: usize, out: &mut [u8]) {
    for (xr, yr) in x.chunks_exact(row).zip(out.chunks_exact_mut(4 + row)) {
        let s = finite_absmax(xr) / 127.0;
        yr[..4].copy_from_slice(&s.to_le_bytes());
        for (q, &v) in yr[4..].iter_mut().zip(xr) {
            *q = if s == 0.0 { 0 } else { rint_clamp(v / s, -127, 127, 0) as i8 as u8 };
        }
    }
}

pub fn dequantize_int8(q: &[u8], row: usize, out: &mut [f32]) {
    for (yr, xr) in q.chunks_exact(4 + row).zip(out.chunks_exact_mut(row)) {
        let s = f32::from_le_bytes([yr[0], yr[1], yr[2], yr[3]]);
        for (o, &c) in xr.iter_mut().zip(&yr[4..]) {
            *o = f32::from(c as i8) * s;
        }
    }
}

fn pack_nibbles(codes: impl Iterator<Item = u8>, out: &mut [u8]) {
    out.fill(0);
    for (i, c) in codes.enumerate() {
        out[i / 2] |= (c & 0x0f) << (4 * (i % 2));
    }
}

fn nibble(q: &[u8], i: usize) -> u8 {
    (q[i / 2] >> (4 * (i % 2))) & 0x0f
}

/// Symmetric: f16 s = amax/7; q = clamp(rint(x/s), −8, 7), stored as q + 8.
pub fn quantize_int4_sym(x: &[f32], g: usize, out: &mut [u8]) {
    for (xg, yg) in x.chunks_exact(g).zip(out.chunks_exact_mut(2 + g / 2)) {
        let s = f16::from_f32(finite_absmax(xg) / 7.0);
        yg[..2].copy_from_slice(&s.to_bits().to_le_bytes());
        let s = s.to_f32();
        let code = |v: f32| if s == 0.0 { 8 } else { (rint_clamp(v / s, -8, 7, 0) + 8) as u8 };
        pack_nibbles(xg.iter().map(|&v| code(v)), &mut yg[2..]);
    }
}

pub fn dequantize_int4_sym(q: &[u8], g: usize, out: &mut [f32]) {
    for (yg, xg) in q.chunks_exact(2 + g / 2).zip(out.chunks_exact_mut(g)) {
        let s = f16::from_bits(u16::from_le_bytes([yg[0], yg[1]])).to_f32();
        for (i, o) in xg.iter_mut().enumerate() {
            *o = (i32::from(nibble(&yg[2..], i)) - 8) as f32 * s;
        }
    }
}

/// With a zero point (GPTQ): the range always holds 0; f16 s = (hi − lo)/15,
/// z = clamp(rint(−lo/s), 0, 15), q = clamp(rint(x/s) + z, 0, 15).
pub fn quantize_int4_asym(x: &[f32], g: usize, out: &mut [u8]) {
    for (xg, yg) in x.chunks_exact(g).zip(out.chunks_exact_mut(3 + g / 2)) {
        let finite = xg.iter().filter(|v| v.is_finite());
        let lo = finite.clone().fold(0.0f32, |m, &v| m.min(v));
        let hi = finite.fold(0.0f32, |m, &v| m.max(v));
        let s16 = f16::from_f32((hi - lo) / 15.0);
        let s = s16.to_f32();
        let z = if s == 0.0 { 0 } else { rint_clamp(-lo / s, 0, 15, 0) };
        yg[..2].copy_from_slice(&s16.to_bits().to_le_bytes());
        yg[2] = z as u8;
        let code = |v: f32| {
            if s == 0.0 || v.is_nan() {
                z as u8
            } else {
                // Clamping to ±64 first keeps the sum in range; z is 0..=15, so the result is the same.
                (rint_clamp(v / s, -64, 64, 0) + z).clamp(0, 15) as u8
            }
        };
        pack_nibbles(xg.iter().map(|&v| code(v)), &mut yg[3..]);
    }
}

pub fn dequantize_int4_asym(q: &[u8], g: usize, out: &mut [f32]) {
    for (yg, xg) in q.chunks_exact(3 + g / 2).zip(out.chunks_exact_mut(g)) {
        let s = f16::from_bits(u16::from_le_bytes([yg[0], yg[1]])).to_f32();
        let z = i32::from(yg[2]);
        for (i, o) in xg.iter_mut().enumerate() {
            *o = (i32::from(nibble(&yg[3..], i)) - z) as f32 * s;
        }
    }
}

/// INT8's row header (the fp32 scale) and element, from the catalogue descriptor.
const INT8_HEADER: usize = format::INT8.row_bits as usize / 8;
const _: () = {
    let f = &format::INT8;
    assert!(f.block_elems == 1 && f.block_bits == 8 && INT8_HEADER == 4 && f.row_bits == 32);
    // f32 scale, int8
};

pub const INT8: Kernel = Kernel {
    id: format::INT8.id,
    name: format::INT8.name,
    layout: Layout::PerRow { header: INT8_HEADER, bits: format::INT8.block_bits as usize },
    tensor_scale: None,
    quantize: |x, row, _s, out| quantize_int8(x, row, out),
    dequantize: |q, row, _s, out| dequantize_int8(q, row, out),
    format: Some(&format::INT8),
};

macro_rules! int4_kernel {
    ($name:ident, $id:literal, $display:literal, $g:expr, $header:expr, $q:path, $d:path) => {
        pub const $name: Kernel = Kernel {
            id: $id,
            name: $display,
            layout: Layout::Blocks { elems: $g, bytes: $header + $g / 2 },
            tensor_scale: None,
            quantize: |x, _row, _s, out| $q(x, $g, out),
            dequantize: |q, _row, _s, out| $d(q, $g, out),
            // Lab-only; int4_g128_asym stands in for GPTQ's INT4 g128 (`STAND_INS`).
            format: None,
        };
    };
}

int4_kernel!(INT4_G32_SYM, "int4_g32_sym", "INT4 g32 symmetric", 32, 2, quantize_int4_sym, dequantize_int4_sym);
int4_kernel!(INT4_G64_SYM, "int4_g64_sym", "INT4 g64 symmetric", 64, 2, quantize_int4_sym, dequantize_int4_sym);
int4_kernel!(INT4_G128_SYM, "int4_g128_sym", "INT4 g128 symmetric", 128, 2, quantize_int4_sym, dequantize_int4_sym);
int4_kernel!(INT4_G32_ASYM, "int4_g32_asym", "INT4 g32 zero point", 32, 3, quantize_int4_asym, dequantize_int4_asym);
int4_kernel!(INT4_G64_ASYM, "int4_g64_asym", "INT4 g64 zero point", 64, 3, quantize_int4_asym, dequantize_int4_asym);
int4_kernel!(
    INT4_G128_ASYM,
    "int4_g128_asym",
    "INT4 g128 zero point (GPTQ)",
    128,
    3,
    quantize_int4_asym,
    dequantize_int4_asym
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int8_by_hand() {
        let x = [127.0, -63.5, 0.4, f32::NAN, f32::INFINITY, -254.0, 1.5, 2.5];
        let mut q = [0u8; 12];
        quantize_int8(&x, 8, &mut q);
        // amax over finite values is 254, so s = 2: −63.5/2 = −31.75 → −32; 1.5/2 = 0.75 → 1; 2.5/2 = 1.25 → 1.
        assert_eq!(f32::from_le_bytes([q[0], q[1], q[2], q[3]]), 2.0);
        let codes: Vec<i8> = q[4..].iter().map(|&c| c as i8).collect();
        assert_eq!(codes, [64, -32, 0, 0, 127, -127, 1, 1]);
    }

    #[test]
    fn int4_sym_ties_go_to_even() {
        let mut x = [0.0f32; 32];
        x[0] = 7.0;
        x[1] = 2.5;
        x[2] = -3.5;
        x[3] = -7.0;
        let mut q = [0u8; 18];
        quantize_int4_sym(&x, 32, &mut q);
        let mut back = [0f32; 32];
        dequantize_int4_sym(&q, 32, &mut back);
        // amax 7 → s = 1: 2.5 → 2 and −3.5 → −4 (halves to even).
        assert_eq!(&back[..4], &[7.0, 2.0, -4.0, -7.0]);
    }

    #[test]
    fn int4_asym_keeps_zero_exact() {
        let x: Vec<f32> = (0..32).map(|i| i as f32 * 0.5 + 1.0).collect();
        let mut q = vec![0u8; 19];
        quantize_int4_asym(&x, 32, &mut q);
        assert_eq!(q[2], 0, "all positive: lo = 0, zero point 0");
        let mut back = vec![0f32; 32];
        dequantize_int4_asym(&q, 32, &mut back);
        let s = 16.5f32 / 15.0;
        assert!(back.iter().zip(&x).all(|(b, v)| (b - v).abs() <= s / 2.0 + 1e-3));
    }
}
