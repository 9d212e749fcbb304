//! SIMD128 kernels for MXFP4 and NVFP4 as ggml quantizes them (see ../mod.rs).
//!
//! ggml picks each element's code with `best_index_mxfp4`: the first of the 16 doubled E2M1
//! values `k · d` whose rounded error `|k · d − x|` is smallest. For x ≥ 0 no negative value
//! ever wins (its error rounds to at least x, the error of code 0), and symmetrically for
//! x < 0, so the code is the nearest magnitude among {0, 1, 2, 3, 4, 6, 8, 12}·d with ties to
//! the smaller, plus 8 for a negative x with a non-zero magnitude. When d is a normal f32 with
//! a short mantissa and |x| < 32·d, every `k · d` is a multiple of ulp(|x|), so the errors
//! that decide the winner are exact and the winner is the count of midpoints
//! {0.5, 1.5, 2.5, 3.5, 5, 7, 10}·d strictly below |x|; NaN compares below none and gets 0.
//! Other blocks (±inf, tiny or saturated scales) go to the reference.

use crate::core::catalog::format;
use crate::core::kernels::quant;
use core::arch::wasm32::*;
use std::sync::OnceLock;

use super::ggml::{floats_to_u8, hpmax, load_f32, load_u8, narrow_u8, store_f32, store_u8, widen_f32};
use super::Fast;
use crate::core::kernels::quant::ggml_common::{
    best_index_mxfp4, c_to_u8, e8m0_to_f32_half, floor_log2f, KVALUES_MXFP4,
};
use crate::core::kernels::quant::microscaling::{self as reference, fp32_to_ue4m3, ue4m3_to_f32_half};

pub const ROWS: &[(&str, Fast)] = &[
    (quant::microscaling::MXFP4.id, Fast { quantize: quantize_mxfp4, dequantize: dequantize_mxfp4 }),
    (quant::microscaling::NVFP4.id, Fast { quantize: quantize_nvfp4, dequantize: dequantize_nvfp4 }),
];

/// `max(0, |x|)` over the values, skipping NaN (as `if (amax < |x|) amax = |x|`): `pmax(0, v)`
/// keeps 0 where `v` is NaN, and a tree of `pmax` over the rest (NaN-free) is their max.
#[inline(always)]
fn amax_skip_nan<const N: usize>(v: &[v128; N]) -> f32 {
    let zero = f32x4_splat(0.0);
    let mut m = v.map(|x| f32x4_pmax(zero, f32x4_abs(x)));
    let mut n = N;
    while n > 1 {
        for i in 0..n / 2 {
            m[i] = f32x4_pmax(m[2 * i], m[2 * i + 1]);
        }
        n /= 2;
    }
    hpmax(m[0])
}

/// Sign nibble for sixteen codes: 8 where the element is negative and its magnitude code is
/// not 0. `neg` holds 16 lanes of 0 / −1.
#[inline(always)]
fn with_sign(mag: v128, neg: v128) -> v128 {
    let nonzero = i8x16_ne(mag, u8x16_splat(0));
    v128_or(mag, v128_and(v128_and(neg, nonzero), u8x16_splat(8)))
}

/// Negative-lane masks of sixteen f32 (four vectors), as sixteen bytes of 0 / −1.
#[inline(always)]
fn negatives(v: &[v128]) -> v128 {
    let zero = f32x4_splat(0.0);
    let m = |i: usize| f32x4_lt(v[i], zero);
    i8x16_narrow_i16x8(i16x8_narrow_i32x4(m(0), m(1)), i16x8_narrow_i32x4(m(2), m(3)))
}

// ---- MXFP4 -----------------------------------------------------------------------------------

/// Magnitude code from `c = ceil(2|x|/d)` (0..=32): the count of {1, 3, 5, 7, 10, 14, 20} below c.
const MX_ELEMS: usize = format::MXFP4.block_elems();
const MXFP4_BYTES: usize = format::MXFP4.block_bytes();
/// Four NVFP4 blocks at a time, as the reference (`microscaling::NVFP4`).
const NVFP4_ELEMS: usize = 4 * format::NVFP4.block_elems();
const NVFP4_BYTES: usize = 4 * format::NVFP4.block_bytes();

const MX_CODE: [u8; 16] = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 6];

/// MXFP4 codes of 16 elements. `two_over_d` is a power of two, so `|x| · 2/d` is exact (or
/// underflows where the code is 0 anyway) and `|x| > m·d ⟺ ceil(2|x|/d) > 2m`. `pmax(0, ·)`
/// turns NaN into 0 (code 0, as in the reference) before the exact conversion to bytes.
#[inline(always)]
fn mx_codes(v: &[v128], two_over_d: v128) -> v128 {
    let zero = f32x4_splat(0.0);
    let c: [v128; 4] = core::array::from_fn(|i| f32x4_ceil(f32x4_pmax(zero, f32x4_mul(f32x4_abs(v[i]), two_over_d))));
    let c = floats_to_u8(&c, 0.0);
    let mag = i8x16_swizzle(load_u8(&MX_CODE, 0), u8x16_min(c, u8x16_splat(15)));
    // c > 20: code 7 (the lookup gave 6).
    let mag = i8x16_sub(mag, u8x16_gt(c, u8x16_splat(20)));
    with_sign(mag, negatives(v))
}

/// Smallest amax the SIMD path takes: 2^−123 keeps the E8M0 scale ≥ 2 (d normal).
const MX_MIN_AMAX: f32 = 1.0 / (1u128 << 123) as f32;

/// The E8M0 byte for a block's amax (> 0, finite), as ggml computes it.
#[inline(always)]
fn e8m0_of(amax: f32) -> u8 {
    let bits = amax.to_bits();
    // Away from the top of a binade, floor(log2f(amax)) is the exponent field − 127: log2 is
    // at least 3e−4 below the next integer when the mantissa is under 0x7ff000, far more
    // than f32 rounding of values up to 128 in magnitude can close.
    if bits >= 0x0080_0000 && bits & 0x007f_ffff < 0x007f_f000 {
        ((bits >> 23) - 2) as u8
    } else {
        c_to_u8(floor_log2f(amax) - 2.0 + 127.0)
    }
}

pub fn quantize_mxfp4(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let (xs, _) = x.as_chunks::<MX_ELEMS>();
    let (ys, _) = out.as_chunks_mut::<MXFP4_BYTES>();
    for (xb, yb) in xs.iter().zip(ys) {
        let v: [v128; 8] = load_f32(xb);
        let amax = amax_skip_nan(&v);
        // amax ≥ 2^−123 gives e ≥ 2, so d = 2^(e − 128) is normal and 2/d = 2^(129 − e). Above
        // e = 252 (amax within a rounding of 2^128) 8·d overflows in the reference's errors.
        let e = if (MX_MIN_AMAX..=f32::MAX).contains(&amax) { e8m0_of(amax) } else { 0 };
        if !(2..=252).contains(&e) {
            reference::quantize_mxfp4(xb, yb);
            continue;
        }
        yb[0] = e;
        let two_over_d = f32x4_splat(f32::from_bits((256 - u32::from(e)) << 23));
        let lo = mx_codes(&v[..4], two_over_d);
        let hi = mx_codes(&v[4..], two_over_d);
        store_u8(yb, 1, v128_or(lo, i8x16_shl(hi, 4)));
    }
}

/// Sixteen codes to f32: `KVALUES_MXFP4[c] · d`, stored at `out[at..at + 16]`.
#[inline(always)]
fn put_kvalues(out: &mut [f32], at: usize, codes: v128, d: f32) {
    let k = KVALUES_MXFP4.map(|v| v as u8);
    let table =
        u8x16(k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8], k[9], k[10], k[11], k[12], k[13], k[14], k[15]);
    let d = f32x4_splat(d);
    for (i, f) in widen_f32(i8x16_swizzle(table, codes), true).into_iter().enumerate() {
        store_f32(out, at + 4 * i, f32x4_mul(f, d));
    }
}

pub fn dequantize_mxfp4(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    let (qs, _) = q.as_chunks::<MXFP4_BYTES>();
    let (ys, _) = out.as_chunks_mut::<MX_ELEMS>();
    for (qb, yb) in qs.iter().zip(ys) {
        let d = e8m0_to_f32_half(qb[0]);
        let c = load_u8(qb, 1);
        put_kvalues(yb, 0, v128_and(c, u8x16_splat(0x0f)), d);
        put_kvalues(yb, 16, u8x16_shr(c, 4), d);
    }
}

// ---- NVFP4 -----------------------------------------------------------------------------------

/// NVFP4 codes of 16 elements with the scale `d` (the halved UE4M3 value, a normal f32 with a
/// 3-bit mantissa): the midpoints `m · d` are exact.
#[inline(always)]
fn nv_codes(v: &[v128; 4], d: f32) -> v128 {
    let mids = [0.5f32, 1.5, 2.5, 3.5, 5.0, 7.0, 10.0].map(|m| f32x4_splat(m * d));
    let c = |i: usize| {
        let a = f32x4_abs(v[i]);
        // Each compare is −1 where |x| lies above the midpoint.
        let s = mids.map(|m| f32x4_gt(a, m));
        let sum =
            i32x4_add(i32x4_add(i32x4_add(s[0], s[1]), i32x4_add(s[2], s[3])), i32x4_add(i32x4_add(s[4], s[5]), s[6]));
        i32x4_neg(sum)
    };
    with_sign(narrow_u8(c(0), c(1), c(2), c(3)), negatives(v))
}

/// `ue4m3_to_f32_half` of every byte, from the reference itself (it calls `powi`).
fn ue4m3_half_table() -> &'static [f32; 256] {
    static TABLE: OnceLock<[f32; 256]> = OnceLock::new();
    TABLE.get_or_init(|| core::array::from_fn(|i| ue4m3_to_f32_half(i as u8)))
}

pub fn quantize_nvfp4(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let half = ue4m3_half_table();
    let (xs, _) = x.as_chunks::<NVFP4_ELEMS>();
    let (ys, _) = out.as_chunks_mut::<NVFP4_BYTES>();
    for (xb, yb) in xs.iter().zip(ys) {
        let (subs, _) = xb.as_chunks::<16>();
        for s in 0..4 {
            let vs: [v128; 4] = load_f32(&subs[s]);
            let vs = &vs;
            let amax = amax_skip_nan(vs);
            let ue = fp32_to_ue4m3(amax / 6.0);
            yb[s] = ue;
            let at = 4 + 8 * s;
            if ue == 0 {
                // d = 0: every value's error is |x|, so code 0 wins everywhere.
                yb[at..at + 8].fill(0);
            } else if ue >= 0x78 {
                // A saturated scale (amax ≥ 1536, or ±inf): |x| can pass 32·d. The reference's
                // own per-element search.
                let d = half[usize::from(ue)];
                let xsb = &xb[16 * s..16 * s + 16];
                for j in 0..8 {
                    yb[at + j] = best_index_mxfp4(xsb[j], d) | (best_index_mxfp4(xsb[j + 8], d) << 4);
                }
            } else {
                let c = nv_codes(vs, half[usize::from(ue)]);
                // Byte j: element j low, element j + 8 high.
                let packed = v128_or(c, i8x16_shl(i64x2_shuffle::<1, 1>(c, c), 4));
                yb[at..at + 8].copy_from_slice(&u64x2_extract_lane::<0>(packed).to_le_bytes());
            }
        }
    }
}

pub fn dequantize_nvfp4(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    let half = ue4m3_half_table();
    let (qs, _) = q.as_chunks::<NVFP4_BYTES>();
    let (ys, _) = out.as_chunks_mut::<NVFP4_ELEMS>();
    for (qb, yb) in qs.iter().zip(ys) {
        for s in 0..4 {
            let d = half[usize::from(qb[s])];
            let at = 4 + 8 * s;
            let c = u64x2_splat(u64::from_le_bytes(qb[at..at + 8].try_into().unwrap()));
            // Lanes 0..8: low nibbles (elements 0..8); lanes 8..16: high nibbles (8..16).
            let codes = i64x2_shuffle::<0, 3>(v128_and(c, u8x16_splat(0x0f)), u8x16_shr(c, 4));
            put_kvalues(yb, 16 * s, codes, d);
        }
    }
}
