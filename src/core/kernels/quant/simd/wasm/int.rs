//! SIMD128 INT8 per-channel and INT4 group kernels (see ../mod.rs).
//!
//! The scales are the reference's own scalar expressions (one per row or group); the codes use
//! the same IEEE operations lane by lane: `x / s` (a true division, as the reference), round to
//! nearest even (`f32x4_nearest`), then a saturating conversion (`i32x4_trunc_sat_f32x4` turns
//! NaN into 0, as the reference does) and saturating narrowing before the clamp, which give the
//! same codes as clamping first. The absolute maxima are integer maxima of |x|'s bits with
//! non-finite lanes zeroed (the same value as the reference's float fold), so no lane needs the
//! reference. Rows that are not a multiple of 16 elements go to the reference whole.

use crate::core::kernels::quant;
use core::arch::wasm32::*;

use half::f16;

use super::float::{load_f32, load_u8, store_f32, store_u8};
use super::Fast;
use crate::core::kernels::quant::int::INT8;

pub const ROWS: &[(&str, Fast)] = &[
    (quant::int::INT8.id, Fast { quantize: quantize_int8, dequantize: dequantize_int8 }),
    (quant::int::INT4_G32_SYM.id, Fast { quantize: quantize_int4_sym::<32>, dequantize: dequantize_int4_sym::<32> }),
    (quant::int::INT4_G64_SYM.id, Fast { quantize: quantize_int4_sym::<64>, dequantize: dequantize_int4_sym::<64> }),
    (quant::int::INT4_G128_SYM.id, Fast { quantize: quantize_int4_sym::<128>, dequantize: dequantize_int4_sym::<128> }),
    (quant::int::INT4_G32_ASYM.id, Fast { quantize: quantize_int4_asym::<32>, dequantize: dequantize_int4_asym::<32> }),
    (quant::int::INT4_G64_ASYM.id, Fast { quantize: quantize_int4_asym::<64>, dequantize: dequantize_int4_asym::<64> }),
    (
        quant::int::INT4_G128_ASYM.id,
        Fast { quantize: quantize_int4_asym::<128>, dequantize: dequantize_int4_asym::<128> },
    ),
];

/// The bits of |x| where x is finite, else 0: as i32, ordered as the magnitudes.
#[inline(always)]
fn finite_abs_bits(x: v128) -> v128 {
    let abs = v128_and(x, u32x4_splat(0x7fff_ffff));
    v128_and(abs, i32x4_lt(abs, u32x4_splat(0x7f80_0000)))
}

/// x with non-finite lanes zeroed.
#[inline(always)]
fn finite_or_zero(x: v128) -> v128 {
    v128_and(x, i32x4_lt(v128_and(x, u32x4_splat(0x7fff_ffff)), u32x4_splat(0x7f80_0000)))
}

/// The largest finite |x| of whole groups of 16 (0 if none), as the reference's fold.
#[inline(always)]
fn finite_absmax(x: &[[f32; 16]]) -> f32 {
    let mut m = [u32x4_splat(0); 4];
    for v in x {
        for (k, mk) in m.iter_mut().enumerate() {
            *mk = i32x4_max(*mk, finite_abs_bits(load_f32(v, k)));
        }
    }
    let m = i32x4_max(i32x4_max(m[0], m[1]), i32x4_max(m[2], m[3]));
    let m = i32x4_max(m, i32x4_shuffle::<2, 3, 0, 1>(m, m));
    let m = i32x4_max(m, i32x4_shuffle::<1, 0, 3, 2>(m, m));
    f32::from_bits(i32x4_extract_lane::<0>(m) as u32)
}

/// rint(x / s) as i32 lanes, saturated; NaN → 0.
#[inline(always)]
fn rint_div(x: v128, s: v128) -> v128 {
    i32x4_trunc_sat_f32x4(f32x4_nearest(f32x4_div(x, s)))
}

/// Sixteen rint(x / s), saturated to i8 (NaN → 0).
#[inline(always)]
fn codes16(v: &[f32; 16], s: v128) -> v128 {
    let lo = i16x8_narrow_i32x4(rint_div(load_f32(v, 0), s), rint_div(load_f32(v, 1), s));
    let hi = i16x8_narrow_i32x4(rint_div(load_f32(v, 2), s), rint_div(load_f32(v, 3), s));
    i8x16_narrow_i16x8(lo, hi)
}

// ---- INT8 ----

fn quantize_int8(x: &[f32], row: usize, _scale: f32, out: &mut [u8]) {
    if !row.is_multiple_of(16) {
        return (INT8.quantize)(x, row, 1.0, out);
    }
    for (xr, yr) in x.chunks_exact(row).zip(out.chunks_exact_mut(4 + row)) {
        let (xb, _) = xr.as_chunks::<16>();
        let s = finite_absmax(xb) / 127.0;
        yr[..4].copy_from_slice(&s.to_le_bytes());
        let (_, codes) = yr.split_at_mut(4);
        if s == 0.0 {
            codes.fill(0);
            continue;
        }
        let sv = f32x4_splat(s);
        let lo = i8x16_splat(-127);
        for (i, v) in xb.iter().enumerate() {
            store_u8(codes, i, i8x16_max(codes16(v, sv), lo));
        }
    }
}

fn dequantize_int8(q: &[u8], row: usize, _scale: f32, out: &mut [f32]) {
    if !row.is_multiple_of(16) {
        return (INT8.dequantize)(q, row, 1.0, out);
    }
    for (yr, xr) in q.chunks_exact(4 + row).zip(out.chunks_exact_mut(row)) {
        let s = f32::from_le_bytes([yr[0], yr[1], yr[2], yr[3]]);
        let sv = f32x4_splat(s);
        let (xb, _) = xr.as_chunks_mut::<16>();
        for (i, o) in xb.iter_mut().enumerate() {
            let c = load_u8(&yr[4..], i);
            let (lo, hi) = (i16x8_extend_low_i8x16(c), i16x8_extend_high_i8x16(c));
            let f = |w| f32x4_mul(f32x4_convert_i32x4(w), sv);
            store_f32(o, 0, f(i32x4_extend_low_i16x8(lo)));
            store_f32(o, 1, f(i32x4_extend_high_i16x8(lo)));
            store_f32(o, 2, f(i32x4_extend_low_i16x8(hi)));
            store_f32(o, 3, f(i32x4_extend_high_i16x8(hi)));
        }
    }
}

// ---- INT4 ----

/// Codes 0..=15 in the bytes of `a` (elements 0..16) and `b` (16..32) → 16 bytes, element 2i
/// in the low nibble.
#[inline(always)]
fn pack_nibbles(a: v128, b: v128) -> v128 {
    let f = |w: v128| v128_and(v128_or(w, u16x8_shr(w, 4)), u16x8_splat(0xff));
    u8x16_narrow_i16x8(f(a), f(b))
}

/// 16 bytes → codes of elements 0..16 and 16..32 (one per byte).
#[inline(always)]
fn unpack_nibbles(b: v128) -> (v128, v128) {
    let lo = v128_and(b, u8x16_splat(0x0f));
    let hi = u8x16_shr(b, 4);
    (
        i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(lo, hi),
        i8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(lo, hi),
    )
}

/// Sixteen signed byte lanes × s → four f32 vectors in `o`.
#[inline(always)]
fn scale16(c: v128, sv: v128, o: &mut [f32; 16]) {
    let (lo, hi) = (i16x8_extend_low_i8x16(c), i16x8_extend_high_i8x16(c));
    let f = |w| f32x4_mul(f32x4_convert_i32x4(w), sv);
    store_f32(o, 0, f(i32x4_extend_low_i16x8(lo)));
    store_f32(o, 1, f(i32x4_extend_high_i16x8(lo)));
    store_f32(o, 2, f(i32x4_extend_low_i16x8(hi)));
    store_f32(o, 3, f(i32x4_extend_high_i16x8(hi)));
}

/// Symmetric: f16 s = amax/7; codes clamp(rint(x/s), −8, 7) + 8.
fn quantize_int4_sym<const G: usize>(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let (lo, hi, eight) = (i8x16_splat(-8), i8x16_splat(7), i8x16_splat(8));
    for (xg, yg) in x.chunks_exact(G).zip(out.chunks_exact_mut(2 + G / 2)) {
        let (xb, _) = xg.as_chunks::<16>();
        let s16 = f16::from_f32(finite_absmax(xb) / 7.0);
        yg[..2].copy_from_slice(&s16.to_bits().to_le_bytes());
        let s = s16.to_f32();
        let (_, body) = yg.split_at_mut(2);
        if s == 0.0 {
            body.fill(0x88);
            continue;
        }
        let sv = f32x4_splat(s);
        for (i, pair) in xb.chunks_exact(2).enumerate() {
            let code = |v| i8x16_add(i8x16_min(i8x16_max(codes16(v, sv), lo), hi), eight);
            store_u8(body, i, pack_nibbles(code(&pair[0]), code(&pair[1])));
        }
    }
}

fn dequantize_int4_sym<const G: usize>(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    for (yg, xg) in q.chunks_exact(2 + G / 2).zip(out.chunks_exact_mut(G)) {
        let sv = f32x4_splat(f16::from_bits(u16::from_le_bytes([yg[0], yg[1]])).to_f32());
        let (xb, _) = xg.as_chunks_mut::<16>();
        for (i, pair) in xb.chunks_exact_mut(2).enumerate() {
            let (a, b) = unpack_nibbles(load_u8(&yg[2..], i));
            let [o0, o1] = pair else { unreachable!() };
            scale16(i8x16_sub(a, i8x16_splat(8)), sv, o0);
            scale16(i8x16_sub(b, i8x16_splat(8)), sv, o1);
        }
    }
}

/// With a zero point (GPTQ's rule, as `int::quantize_int4_asym`).
fn quantize_int4_asym<const G: usize>(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    for (xg, yg) in x.chunks_exact(G).zip(out.chunks_exact_mut(3 + G / 2)) {
        let (xb, _) = xg.as_chunks::<16>();
        // min(x, 0) and max(x, 0) over finite x: non-finite lanes count as 0, which changes neither.
        let (mut lo, mut hi) = ([f32x4_splat(0.0); 4], [f32x4_splat(0.0); 4]);
        for v in xb {
            for k in 0..4 {
                let f = finite_or_zero(load_f32(v, k));
                lo[k] = f32x4_pmin(lo[k], f);
                hi[k] = f32x4_pmax(hi[k], f);
            }
        }
        let lo = horizontal(lo, f32x4_pmin, f32::min);
        let hi = horizontal(hi, f32x4_pmax, f32::max);
        let s16 = f16::from_f32((hi - lo) / 15.0);
        let s = s16.to_f32();
        let z = if s == 0.0 {
            0
        } else {
            let r = -lo / s;
            if r.is_nan() {
                0
            } else {
                r.round_ties_even().clamp(0.0, 15.0) as i32
            }
        };
        yg[..2].copy_from_slice(&s16.to_bits().to_le_bytes());
        yg[2] = z as u8;
        let (_, body) = yg.split_at_mut(3);
        if s == 0.0 {
            body.fill(0);
            continue;
        }
        let sv = f32x4_splat(s);
        let zv = i16x8_splat(z as i16);
        let (zero, fifteen) = (i16x8_splat(0), i16x8_splat(15));
        // clamp(rint(x/s) + z, 0, 15) from saturated lanes: the same code as clamping to ±64 first.
        let half = |v: &[f32; 16], k: usize| {
            let w = i16x8_narrow_i32x4(rint_div(load_f32(v, k), sv), rint_div(load_f32(v, k + 1), sv));
            i16x8_min(i16x8_max(i16x8_add_sat(w, zv), zero), fifteen)
        };
        let code = |v: &[f32; 16]| u8x16_narrow_i16x8(half(v, 0), half(v, 2));
        for (i, pair) in xb.chunks_exact(2).enumerate() {
            store_u8(body, i, pack_nibbles(code(&pair[0]), code(&pair[1])));
        }
    }
}

/// The reduction of four vectors to one f32 (min or max; order does not matter for these).
#[inline(always)]
fn horizontal(m: [v128; 4], op: fn(v128, v128) -> v128, scalar: fn(f32, f32) -> f32) -> f32 {
    let m = op(op(m[0], m[1]), op(m[2], m[3]));
    let a = scalar(f32x4_extract_lane::<0>(m), f32x4_extract_lane::<1>(m));
    let b = scalar(f32x4_extract_lane::<2>(m), f32x4_extract_lane::<3>(m));
    scalar(a, b)
}

fn dequantize_int4_asym<const G: usize>(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    for (yg, xg) in q.chunks_exact(3 + G / 2).zip(out.chunks_exact_mut(G)) {
        let sv = f32x4_splat(f16::from_bits(u16::from_le_bytes([yg[0], yg[1]])).to_f32());
        let z = i16x8_splat(i16::from(yg[2]));
        let (xb, _) = xg.as_chunks_mut::<16>();
        for (i, pair) in xb.chunks_exact_mut(2).enumerate() {
            let (a, b) = unpack_nibbles(load_u8(&yg[3..], i));
            let [o0, o1] = pair else { unreachable!() };
            scale16_minus(a, z, sv, o0);
            scale16_minus(b, z, sv, o1);
        }
    }
}

/// Sixteen byte codes (0..=15) minus z (0..=255) × s → four f32 vectors in `o`.
#[inline(always)]
fn scale16_minus(c: v128, z: v128, sv: v128, o: &mut [f32; 16]) {
    let lo = i16x8_sub(u16x8_extend_low_u8x16(c), z);
    let hi = i16x8_sub(u16x8_extend_high_u8x16(c), z);
    let f = |w| f32x4_mul(f32x4_convert_i32x4(w), sv);
    store_f32(o, 0, f(i32x4_extend_low_i16x8(lo)));
    store_f32(o, 1, f(i32x4_extend_high_i16x8(lo)));
    store_f32(o, 2, f(i32x4_extend_low_i16x8(hi)));
    store_f32(o, 3, f(i32x4_extend_high_i16x8(hi)));
}
