//! SIMD128 casts to F16, BF16 and FP8 E4M3 / E5M2, and back (see ../mod.rs).
//!
//! Every cast works on the f32 bit pattern with integer arithmetic: the normal range rounds to
//! nearest even by adding `half ulp − 1` plus the lowest kept bit, and the target's subnormal
//! range comes from one f32 addition of a power of two whose ulp is the target's smallest
//! subnormal (the addition itself rounds to nearest even). That is exactly what `half` and
//! `float8` compute, so no lane needs the reference — except FP8 groups of 16 holding a NaN:
//! `float8` reads the sign and payload of a NaN after an f32 → f64 promotion, whose NaN bits
//! wasm leaves to the engine, so those groups go to the reference. Tails shorter than a vector
//! go to the reference too. Groups of 16 wholly in the target's normal range (the common case)
//! skip the selects for subnormals, overflow and NaN; BF16 groups without NaN skip the NaN one.

use crate::core::kernels::quant;
use core::arch::wasm32::*;

use super::Fast;
use crate::core::kernels::quant::float::{
    self as reference, BF16, F16, FP8_E4M3, FP8_E4M3_NOSAT, FP8_E5M2, FP8_E5M2_NOSAT,
};
use crate::core::kernels::quant::Kernel;

pub const ROWS: &[(&str, Fast)] = &[
    (quant::float::F16.id, Fast { quantize: quantize_f16, dequantize: dequantize_f16 }),
    (quant::float::BF16.id, Fast { quantize: quantize_bf16, dequantize: dequantize_bf16 }),
    (quant::float::FP8_E4M3.id, Fast { quantize: quantize_e4m3_sat, dequantize: dequantize_e4m3 }),
    (quant::float::FP8_E4M3_NOSAT.id, Fast { quantize: quantize_e4m3_nosat, dequantize: dequantize_e4m3 }),
    (quant::float::FP8_E5M2.id, Fast { quantize: quantize_e5m2_sat, dequantize: dequantize_e5m2 }),
    (quant::float::FP8_E5M2_NOSAT.id, Fast { quantize: quantize_e5m2_nosat, dequantize: dequantize_e5m2 }),
];

// ---- Loads and stores of whole vectors out of fixed-size arrays (shared with int.rs). ----

/// The `i`-th group of four f32 in `a`.
#[inline(always)]
pub(super) fn load_f32<const N: usize>(a: &[f32; N], i: usize) -> v128 {
    let v: &[f32; 4] = a[4 * i..4 * i + 4].try_into().unwrap();
    // SAFETY: `v` is 16 readable bytes; v128_load has no alignment requirement.
    unsafe { v128_load(v.as_ptr().cast()) }
}

/// Stores `x` as the `i`-th group of four f32 in `a`.
#[inline(always)]
pub(super) fn store_f32<const N: usize>(a: &mut [f32; N], i: usize, x: v128) {
    let v: &mut [f32; 4] = (&mut a[4 * i..4 * i + 4]).try_into().unwrap();
    // SAFETY: `v` is 16 writable bytes; v128_store has no alignment requirement.
    unsafe { v128_store(v.as_mut_ptr().cast(), x) }
}

/// The `i`-th 16 bytes of `a`.
#[inline(always)]
pub(super) fn load_u8(a: &[u8], i: usize) -> v128 {
    let v: &[u8; 16] = a[16 * i..16 * i + 16].try_into().unwrap();
    // SAFETY: `v` is 16 readable bytes; v128_load has no alignment requirement.
    unsafe { v128_load(v.as_ptr().cast()) }
}

/// Stores `x` as the `i`-th 16 bytes of `a`.
#[inline(always)]
pub(super) fn store_u8(a: &mut [u8], i: usize, x: v128) {
    let v: &mut [u8; 16] = (&mut a[16 * i..16 * i + 16]).try_into().unwrap();
    // SAFETY: `v` is 16 writable bytes; v128_store has no alignment requirement.
    unsafe { v128_store(v.as_mut_ptr().cast(), x) }
}

#[inline(always)]
fn splat(v: u32) -> v128 {
    u32x4_splat(v)
}

/// A reference cast kernel on a stretch of elements (cast kernels ignore row and scale).
fn ref_quantize(k: &Kernel, x: &[f32], out: &mut [u8]) {
    (k.quantize)(x, 1, 1.0, out)
}

/// The magnitudes `|x|` (as bits) of a target's normal range rounded to nearest even: rebias,
/// add `half ulp − 1` and the lowest kept bit (`c` holds the rebias and `half ulp − 1`), and
/// shift out the `drop` bits the target does not keep. Rounding may carry into the exponent.
#[inline(always)]
fn round_normal(abs: v128, c: u32, drop: u32) -> v128 {
    let odd = v128_and(u32x4_shr(abs, drop), splat(1));
    u32x4_shr(i32x4_add(i32x4_add(abs, splat(c)), odd), drop)
}

/// Whether |x| of every lane of `v` lies in `lo..=hi` (bit patterns; signed compares are
/// exact as |x| < 2^31).
#[inline(always)]
fn all_within(v: [v128; 4], lo: u32, hi: u32) -> bool {
    let inside = |x: v128| {
        let abs = v128_and(x, splat(0x7fff_ffff));
        v128_and(i32x4_gt(abs, splat(lo - 1)), i32x4_lt(abs, splat(hi + 1)))
    };
    i32x4_all_true(v128_and(v128_and(inside(v[0]), inside(v[1])), v128_and(inside(v[2]), inside(v[3]))))
}

#[inline(always)]
fn load16(v: &[f32; 16]) -> [v128; 4] {
    [load_f32(v, 0), load_f32(v, 1), load_f32(v, 2), load_f32(v, 3)]
}

/// Lanes that are NaN in any of the four vectors.
#[inline(always)]
fn any_nan(v: [v128; 4]) -> v128 {
    let nan = |x: v128| f32x4_ne(x, x);
    v128_or(v128_or(nan(v[0]), nan(v[1])), v128_or(nan(v[2]), nan(v[3])))
}

// ---- F16 ----

/// Rebias (−112 << 23) and half an f16 ulp less one.
const F16_C: u32 = 0xc800_0fff;
/// |x| from 2^-14 to just below 65536: f16's normal range (the top rounds to infinity by itself).
const F16_NORMAL: (u32, u32) = (0x3880_0000, 0x477f_ffff);

/// f32 lanes whose |x| is in `F16_NORMAL` → f16 codes.
#[inline(always)]
fn f16_normal_lanes(x: v128) -> v128 {
    let normal = round_normal(v128_and(x, splat(0x7fff_ffff)), F16_C, 13);
    v128_or(normal, v128_and(u32x4_shr(x, 16), splat(0x8000)))
}

/// f32 lanes → f16 codes in the low half of each i32 lane, as `half::f16::from_f32`.
#[inline(always)]
pub(super) fn f16_lanes(x: v128) -> v128 {
    let abs = v128_and(x, splat(0x7fff_ffff));
    let normal = round_normal(abs, F16_C, 13);
    // Below 2^-14: |x| + 0.5 rounds to a multiple of 2^-24, f16's smallest subnormal.
    let sub = i32x4_sub(f32x4_add(abs, f32x4_splat(0.5)), splat(0x3f00_0000));
    let r = v128_bitselect(sub, normal, i32x4_lt(abs, splat(0x3880_0000)));
    // From 65536 (and infinity): 0x7c00. Rounding carries [65520, 65536) there already.
    let r = v128_bitselect(splat(0x7c00), r, i32x4_gt(abs, splat(0x477f_ffff)));
    // NaN: quiet bit and the top of the payload, as `half` does.
    let nan = v128_or(splat(0x7e00), v128_and(u32x4_shr(abs, 13), splat(0x3ff)));
    let r = v128_bitselect(nan, r, i32x4_gt(abs, splat(0x7f80_0000)));
    v128_or(r, v128_and(u32x4_shr(x, 16), splat(0x8000)))
}

/// f16 codes (u32 lanes) → f32 lanes, exactly (NaN stays NaN).
#[inline(always)]
pub(super) fn f16_to_f32_lanes(c: v128) -> v128 {
    let m = v128_and(c, splat(0x7fff));
    let normal = i32x4_add(i32x4_shl(m, 13), splat(0x3800_0000));
    let sub = f32x4_mul(f32x4_convert_i32x4(m), f32x4_splat(f32::from_bits(0x3380_0000))); // 2^-24
    let special = v128_or(i32x4_shl(m, 13), splat(0x7f80_0000));
    let r = v128_bitselect(sub, normal, i32x4_lt(m, splat(0x400)));
    let r = v128_bitselect(special, r, i32x4_gt(m, splat(0x7bff)));
    v128_or(r, i32x4_shl(v128_and(c, splat(0x8000)), 16))
}

fn quantize_f16(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let (xb, xt) = x.as_chunks::<16>();
    let (ob, ot) = out.as_chunks_mut::<32>();
    for (v, o) in xb.iter().zip(ob.iter_mut()) {
        let v = load16(v);
        let [a, b, c, d] =
            if all_within(v, F16_NORMAL.0, F16_NORMAL.1) { v.map(f16_normal_lanes) } else { v.map(f16_lanes) };
        store_u8(o, 0, u16x8_narrow_i32x4(a, b));
        store_u8(o, 1, u16x8_narrow_i32x4(c, d));
    }
    ref_quantize(&F16, xt, ot);
}

fn dequantize_f16(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    let (qb, qt) = q.as_chunks::<16>();
    let (ob, ot) = out.as_chunks_mut::<8>();
    for (c, o) in qb.iter().zip(ob.iter_mut()) {
        let h = load_u8(c, 0);
        store_f32(o, 0, f16_to_f32_lanes(u32x4_extend_low_u16x8(h)));
        store_f32(o, 1, f16_to_f32_lanes(u32x4_extend_high_u16x8(h)));
    }
    reference::dequantize_f16(qt, ot);
}

// ---- BF16 ----

/// Non-NaN f32 lanes → bf16 codes (low half of each lane), RNE (the sign rides along).
#[inline(always)]
fn bf16_rne(x: v128) -> v128 {
    round_normal(x, 0x7fff, 16)
}

/// f32 lanes → bf16 codes: RNE; NaN → sign | 0x7fc0.
#[inline(always)]
fn bf16_lanes(x: v128) -> v128 {
    let r = bf16_rne(x);
    let nan = v128_or(v128_and(u32x4_shr(x, 16), splat(0x8000)), splat(0x7fc0));
    v128_bitselect(nan, r, f32x4_ne(x, x))
}

fn quantize_bf16(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let (xb, xt) = x.as_chunks::<16>();
    let (ob, ot) = out.as_chunks_mut::<32>();
    for (v, o) in xb.iter().zip(ob.iter_mut()) {
        let v = load16(v);
        let [a, b, c, d] = if v128_any_true(any_nan(v)) { v.map(bf16_lanes) } else { v.map(bf16_rne) };
        store_u8(o, 0, u16x8_narrow_i32x4(a, b));
        store_u8(o, 1, u16x8_narrow_i32x4(c, d));
    }
    ref_quantize(&BF16, xt, ot);
}

fn dequantize_bf16(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    let (qb, qt) = q.as_chunks::<32>();
    let (ob, ot) = out.as_chunks_mut::<16>();
    let zero = u32x4_splat(0);
    for (c, o) in qb.iter().zip(ob.iter_mut()) {
        for k in 0..2 {
            let h = load_u8(c, k);
            store_f32(o, 2 * k, i16x8_shuffle::<8, 0, 8, 1, 8, 2, 8, 3>(h, zero));
            store_f32(o, 2 * k + 1, i16x8_shuffle::<8, 4, 8, 5, 8, 6, 8, 7>(h, zero));
        }
    }
    reference::dequantize_bf16(qt, ot);
}

// ---- FP8 ----

/// E4M3: rebias (−120 << 23) and half a ulp less one; normal range from 2^-6 to 464 (which
/// rounds to 448 by itself).
const E4M3_C: u32 = 0xc407_ffff;
const E4M3_NORMAL: (u32, u32) = (0x3c80_0000, 0x43e8_0000);
/// E5M2: rebias (−112 << 23) and half a ulp less one; normal range from 2^-14 to below 61440.
const E5M2_C: u32 = 0xc80f_ffff;
const E5M2_NORMAL: (u32, u32) = (0x3880_0000, 0x476f_ffff);

/// f32 lanes whose |x| lies in a normal range → FP8 codes (`c`, `drop` as [`round_normal`]).
#[inline(always)]
fn fp8_normal_lanes(x: v128, c: u32, drop: u32) -> v128 {
    let normal = round_normal(v128_and(x, splat(0x7fff_ffff)), c, drop);
    v128_or(normal, v128_and(u32x4_shr(x, 24), splat(0x80)))
}

/// f32 lanes → E4M3FN codes (u32 lanes), not for NaN; `big` is the code for |x| > 464 and ±inf.
#[inline(always)]
fn e4m3_lanes(x: v128, big: u32) -> v128 {
    let abs = v128_and(x, splat(0x7fff_ffff));
    let normal = round_normal(abs, E4M3_C, 20);
    // Below 2^-6: |x| + 2^14 rounds to a multiple of 2^-9, the smallest subnormal.
    let sub = i32x4_sub(f32x4_add(abs, f32x4_splat(16384.0)), splat(0x4680_0000));
    let r = v128_bitselect(sub, normal, i32x4_lt(abs, splat(0x3c80_0000)));
    // Up to 464 rounds to 448 (0x7e) by itself; beyond: `big`.
    let r = v128_bitselect(splat(big), r, i32x4_gt(abs, splat(0x43e8_0000)));
    v128_or(r, v128_and(u32x4_shr(x, 24), splat(0x80)))
}

/// f32 lanes → E5M2 codes (u32 lanes), not for NaN; `big` is the code from 61440 and for ±inf.
#[inline(always)]
fn e5m2_lanes(x: v128, big: u32) -> v128 {
    let abs = v128_and(x, splat(0x7fff_ffff));
    let normal = round_normal(abs, E5M2_C, 21);
    // Below 2^-14: |x| + 2^7 rounds to a multiple of 2^-16, the smallest subnormal.
    let sub = i32x4_sub(f32x4_add(abs, f32x4_splat(128.0)), splat(0x4300_0000));
    let r = v128_bitselect(sub, normal, i32x4_lt(abs, splat(0x3880_0000)));
    // Below 61440 rounds to at most 57344 (0x7b) by itself; from there: `big`.
    let r = v128_bitselect(splat(big), r, i32x4_gt(abs, splat(0x476f_ffff)));
    v128_or(r, v128_and(u32x4_shr(x, 24), splat(0x80)))
}

/// Sixteen elements at a time: all in the normal range `normal` → `fast`; else, holding NaN →
/// the reference `k`; else `lanes`.
#[inline(always)]
fn quantize_fp8(
    x: &[f32],
    out: &mut [u8],
    k: &Kernel,
    normal: (u32, u32),
    fast: impl Fn(v128) -> v128,
    lanes: impl Fn(v128) -> v128,
) {
    let (xb, xt) = x.as_chunks::<16>();
    let (ob, ot) = out.as_chunks_mut::<16>();
    for (v, o) in xb.iter().zip(ob.iter_mut()) {
        let w = load16(v);
        let [a, b, c, d] = if all_within(w, normal.0, normal.1) {
            w.map(&fast)
        } else if v128_any_true(any_nan(w)) {
            ref_quantize(k, v, o);
            continue;
        } else {
            w.map(&lanes)
        };
        store_u8(o, 0, u8x16_narrow_i16x8(u16x8_narrow_i32x4(a, b), u16x8_narrow_i32x4(c, d)));
    }
    ref_quantize(k, xt, ot);
}

fn quantize_e4m3_sat(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let fast = |v| fp8_normal_lanes(v, E4M3_C, 20);
    quantize_fp8(x, out, &FP8_E4M3, E4M3_NORMAL, fast, |v| e4m3_lanes(v, 0x7e));
}

fn quantize_e4m3_nosat(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let fast = |v| fp8_normal_lanes(v, E4M3_C, 20);
    quantize_fp8(x, out, &FP8_E4M3_NOSAT, E4M3_NORMAL, fast, |v| e4m3_lanes(v, 0x7f));
}

fn quantize_e5m2_sat(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let fast = |v| fp8_normal_lanes(v, E5M2_C, 21);
    quantize_fp8(x, out, &FP8_E5M2, E5M2_NORMAL, fast, |v| e5m2_lanes(v, 0x7b));
}

fn quantize_e5m2_nosat(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let fast = |v| fp8_normal_lanes(v, E5M2_C, 21);
    quantize_fp8(x, out, &FP8_E5M2_NOSAT, E5M2_NORMAL, fast, |v| e5m2_lanes(v, 0x7c));
}

/// E4M3FN codes (u32 lanes) → f32 lanes; 0x7f / 0xff are NaN.
#[inline(always)]
fn e4m3_to_f32_lanes(c: v128) -> v128 {
    let m = v128_and(c, splat(0x7f));
    let normal = i32x4_add(i32x4_shl(m, 20), splat(0x3c00_0000));
    let sub = f32x4_mul(f32x4_convert_i32x4(m), f32x4_splat(f32::from_bits(0x3b00_0000))); // 2^-9
    let r = v128_bitselect(sub, normal, i32x4_lt(m, splat(8)));
    let r = v128_bitselect(splat(0x7fc0_0000), r, i32x4_eq(m, splat(0x7f)));
    v128_or(r, i32x4_shl(v128_and(c, splat(0x80)), 24))
}

/// E5M2 codes (u32 lanes) → f32 lanes, with its infinities and NaN.
#[inline(always)]
fn e5m2_to_f32_lanes(c: v128) -> v128 {
    let m = v128_and(c, splat(0x7f));
    let normal = i32x4_add(i32x4_shl(m, 21), splat(0x3800_0000));
    let sub = f32x4_mul(f32x4_convert_i32x4(m), f32x4_splat(f32::from_bits(0x3780_0000))); // 2^-16
    let special = v128_or(i32x4_shl(m, 21), splat(0x7f80_0000));
    let r = v128_bitselect(sub, normal, i32x4_lt(m, splat(4)));
    let r = v128_bitselect(special, r, i32x4_gt(m, splat(0x7b)));
    v128_or(r, i32x4_shl(v128_and(c, splat(0x80)), 24))
}

#[inline(always)]
fn dequantize_fp8(q: &[u8], out: &mut [f32], lanes: impl Fn(v128) -> v128, tail: fn(u8) -> f32) {
    let (qb, qt) = q.as_chunks::<16>();
    let (ob, ot) = out.as_chunks_mut::<16>();
    for (c, o) in qb.iter().zip(ob.iter_mut()) {
        let b = load_u8(c, 0);
        let (lo, hi) = (u16x8_extend_low_u8x16(b), u16x8_extend_high_u8x16(b));
        store_f32(o, 0, lanes(u32x4_extend_low_u16x8(lo)));
        store_f32(o, 1, lanes(u32x4_extend_high_u16x8(lo)));
        store_f32(o, 2, lanes(u32x4_extend_low_u16x8(hi)));
        store_f32(o, 3, lanes(u32x4_extend_high_u16x8(hi)));
    }
    for (c, o) in qt.iter().zip(ot) {
        *o = tail(*c);
    }
}

fn dequantize_e4m3(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    dequantize_fp8(q, out, e4m3_to_f32_lanes, reference::e4m3_to_f32);
}

fn dequantize_e5m2(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    dequantize_fp8(q, out, e5m2_to_f32_lanes, reference::e5m2_to_f32);
}
