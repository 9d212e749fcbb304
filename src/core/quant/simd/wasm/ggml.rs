//! SIMD128 kernels for ggml's 32-element block types Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 (see ../mod.rs).
//!
//! The float arithmetic is the reference's, op for op (`x * id` then `+ 8.5`, …), four lanes at
//! a time. What SIMD cannot reproduce cheaply goes to the reference, block by block: a block
//! holding NaN or ±inf (C's sequential `MAX` and `<` scans treat NaN by position), and a block
//! whose scale is not a normal f32 or whose range overflows. With a normal scale every code lies
//! in its format's range before the C integer conversion, so truncating with saturation and
//! narrowing gives the reference's bytes.

use core::arch::wasm32::*;

use super::Fast;
use crate::core::quant::ggml_common::{fp16_bits, fp16_to_f32};
use crate::core::quant::ggml_legacy as reference;

const QK: usize = 32;

/// Smallest block magnitude (amax, or max − min) the SIMD path takes: it keeps `d = amax / k`
/// (k ≤ 127) a normal f32, so `d` and `1 / d` carry relative errors of half an ulp and every
/// `x · id` stays within the format's range.
const MIN_SPAN: f32 = 1.0 / (1u128 << 119) as f32;

pub const ROWS: &[(&str, Fast)] = &[
    ("q8_0", Fast { quantize: quantize_q8_0, dequantize: dequantize_q8_0 }),
    ("q4_0", Fast { quantize: quantize_q4_0, dequantize: dequantize_q4_0 }),
    ("q4_1", Fast { quantize: quantize_q4_1, dequantize: dequantize_q4_1 }),
    ("q5_0", Fast { quantize: quantize_q5_0, dequantize: dequantize_q5_0 }),
    ("q5_1", Fast { quantize: quantize_q5_1, dequantize: dequantize_q5_1 }),
];

// ---- helpers shared with the other block families -------------------------------------------

/// `N / 4` vectors of four f32 from `N` values.
#[inline(always)]
pub(super) fn load_f32<const N: usize, const V: usize>(x: &[f32; N]) -> [v128; V] {
    debug_assert_eq!(N, 4 * V);
    core::array::from_fn(|i| {
        assert!(4 * i + 4 <= N);
        // SAFETY: lanes 4i..4i+4 lie inside `x` (checked above, folded at compile time);
        // v128_load accepts any alignment.
        unsafe { v128_load(x.as_ptr().add(4 * i).cast()) }
    })
}

/// Sixteen bytes of `q` from `at`.
#[inline(always)]
pub(super) fn load_u8(q: &[u8], at: usize) -> v128 {
    assert!(at + 16 <= q.len());
    // SAFETY: bytes at..at+16 lie inside `q` (checked above); any alignment is allowed.
    unsafe { v128_load(q.as_ptr().add(at).cast()) }
}

/// Stores sixteen bytes into `out` at `at`.
#[inline(always)]
pub(super) fn store_u8(out: &mut [u8], at: usize, v: v128) {
    assert!(at + 16 <= out.len());
    // SAFETY: bytes at..at+16 lie inside `out` (checked above); any alignment is allowed.
    unsafe { v128_store(out.as_mut_ptr().add(at).cast(), v) }
}

/// Stores four f32 into `out` at `at`.
#[inline(always)]
pub(super) fn store_f32(out: &mut [f32], at: usize, v: v128) {
    assert!(at + 4 <= out.len());
    // SAFETY: elements at..at+4 lie inside `out` (checked above); any alignment is allowed.
    unsafe { v128_store(out.as_mut_ptr().add(at).cast(), v) }
}

/// The largest lane of four f32 that hold no NaN (`pmax` is a single instruction where `max`,
/// with its NaN and −0 rules, is several).
#[inline(always)]
pub(super) fn hpmax(v: v128) -> f32 {
    let v = f32x4_pmax(v, i32x4_shuffle::<2, 3, 0, 1>(v, v));
    f32x4_extract_lane::<0>(f32x4_pmax(v, i32x4_shuffle::<1, 0, 3, 2>(v, v)))
}

/// The largest and smallest lanes of i32 vectors.
#[inline(always)]
fn hmax_i32(v: v128) -> i32 {
    let v = i32x4_max(v, i32x4_shuffle::<2, 3, 0, 1>(v, v));
    i32x4_extract_lane::<0>(i32x4_max(v, i32x4_shuffle::<1, 0, 3, 2>(v, v)))
}

#[inline(always)]
fn hmin_i32(v: v128) -> i32 {
    let v = i32x4_min(v, i32x4_shuffle::<2, 3, 0, 1>(v, v));
    i32x4_extract_lane::<0>(i32x4_min(v, i32x4_shuffle::<1, 0, 3, 2>(v, v)))
}

/// Order-preserving i32 keys of f32 bits (negative values get their magnitude bits flipped):
/// −0 sorts just below +0, and NaN beyond ±inf, so the key range also tells finiteness. The
/// map is its own inverse.
#[inline(always)]
fn key(v: v128) -> v128 {
    v128_xor(v, u32x4_shr(i32x4_shr(v, 31), 1))
}

fn unkey(k: i32) -> f32 {
    f32::from_bits((k ^ (((k >> 31) as u32) >> 1) as i32) as u32)
}

/// Keys of +inf and −inf: a block's keys lie strictly between them iff it is finite.
const KEY_INF: i32 = 0x7f80_0000;
const KEY_NEG_INF: i32 = 0x807f_ffff_u32 as i32;

/// The block's (max, min), or None when it holds NaN or ±inf.
#[inline(always)]
fn max_min(v: &[v128; 8]) -> Option<(f32, f32)> {
    let k = v.map(key);
    let hi = hmax_i32(reduce8(&k, |a, b| i32x4_max(a, b)));
    let lo = hmin_i32(reduce8(&k, |a, b| i32x4_min(a, b)));
    (hi < KEY_INF && lo > KEY_NEG_INF).then(|| (unkey(hi), unkey(lo)))
}

/// 1.5·2²³: adding it to an integral f32 of magnitude below 2²² puts the integer, in two's
/// complement, in the low mantissa bits. Exact, and one instruction where `trunc_sat` is several.
const MAGIC: f32 = 12_582_912.0;

/// An integral f32 (|t| < 2²²) to i32.
#[inline(always)]
pub(super) fn integral_to_i32(t: v128) -> v128 {
    i32x4_sub(f32x4_add(t, f32x4_splat(MAGIC)), i32x4_splat(MAGIC.to_bits() as i32))
}

/// Tree of `f` over eight vectors.
#[inline(always)]
pub(super) fn reduce8(v: &[v128; 8], f: impl Fn(v128, v128) -> v128) -> v128 {
    f(f(f(v[0], v[1]), f(v[2], v[3])), f(f(v[4], v[5]), f(v[6], v[7])))
}

/// Sixteen i32 lanes in 0..=255 (or saturating) to sixteen u8.
#[inline(always)]
pub(super) fn narrow_u8(a: v128, b: v128, c: v128, d: v128) -> v128 {
    u8x16_narrow_i16x8(i16x8_narrow_i32x4(a, b), i16x8_narrow_i32x4(c, d))
}

/// Sixteen u8 (or i8 when `signed`) to four vectors of f32.
#[inline(always)]
pub(super) fn widen_f32(v: v128, signed: bool) -> [v128; 4] {
    let (lo, hi) = if signed {
        (i16x8_extend_low_i8x16(v), i16x8_extend_high_i8x16(v))
    } else {
        (u16x8_extend_low_u8x16(v), u16x8_extend_high_u8x16(v))
    };
    let ints = if signed {
        [
            i32x4_extend_low_i16x8(lo),
            i32x4_extend_high_i16x8(lo),
            i32x4_extend_low_i16x8(hi),
            i32x4_extend_high_i16x8(hi),
        ]
    } else {
        [
            u32x4_extend_low_u16x8(lo),
            u32x4_extend_high_u16x8(lo),
            u32x4_extend_low_u16x8(hi),
            u32x4_extend_high_u16x8(hi),
        ]
    };
    ints.map(|i| f32x4_convert_i32x4(i))
}

fn put_f16(out: &mut [u8], at: usize, v: f32) {
    out[at..at + 2].copy_from_slice(&fp16_bits(v).to_le_bytes());
}

// ---- quantization ----------------------------------------------------------------------------

/// C's `roundf` (half away from zero) to i32, for |v| < 2²²: truncate, then step away from zero
/// where the dropped fraction (exact: v − trunc(v)) is at least one half.
#[inline(always)]
fn round_away(v: v128) -> v128 {
    let t = f32x4_trunc(v);
    let frac = f32x4_sub(v, t);
    let up = f32x4_ge(frac, f32x4_splat(0.5));
    let down = f32x4_le(frac, f32x4_splat(-0.5));
    // The masks are −1 where true.
    i32x4_add(i32x4_sub(integral_to_i32(t), up), down)
}

/// Q8_0 on a block whose amax is in [MIN_SPAN, f32::MAX]: |x · id| ≤ 127·(1 + 2⁻²²), so every
/// roundf lands in −127..=127 and narrowing is exact.
pub fn quantize_q8_0(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let (xs, _) = x.as_chunks::<QK>();
    let (ys, _) = out.as_chunks_mut::<34>();
    let magnitude = u32x4_splat(0x7fff_ffff);
    for (xb, yb) in xs.iter().zip(ys) {
        let v: [v128; 8] = load_f32(xb);
        // |x| bits order as i32, NaN and inf above every finite value.
        let amax = f32::from_bits(hmax_i32(reduce8(&v.map(|v| v128_and(v, magnitude)), |a, b| i32x4_max(a, b))) as u32);
        if !(MIN_SPAN..=f32::MAX).contains(&amax) {
            reference::quantize_q8_0(xb, yb);
            continue;
        }
        let d = amax / 127.0;
        let id = f32x4_splat(1.0 / d);
        put_f16(yb, 0, d);
        let q = v.map(|v| round_away(f32x4_mul(v, id)));
        let lo = i8x16_narrow_i16x8(i16x8_narrow_i32x4(q[0], q[1]), i16x8_narrow_i32x4(q[2], q[3]));
        let hi = i8x16_narrow_i16x8(i16x8_narrow_i32x4(q[4], q[5]), i16x8_narrow_i32x4(q[6], q[7]));
        store_u8(yb, 2, lo);
        store_u8(yb, 18, hi);
    }
}

/// The first value in `xb` whose magnitude is `m` (NaN when none is).
fn first_of_magnitude(xb: &[f32], m: f32) -> f32 {
    xb.iter().copied().find(|v| v.abs() == m).unwrap_or(f32::NAN)
}

/// ggml's signed max (the value of largest magnitude, the first of equals), or None when the
/// block holds NaN or ±inf. From the block's max and min: only when both +amax and −amax occur
/// does the order matter, and then a scalar scan settles it.
#[inline(always)]
fn signed_max(xb: &[f32; QK], v: &[v128; 8]) -> Option<f32> {
    let (hi, lo) = max_min(v)?;
    if hi == -lo {
        // Equal magnitudes of both signs, or an all-zero block: rare.
        return Some(first_of_magnitude(xb, hi));
    }
    // Otherwise a select, not a branch: the sign of a block's extreme is a coin toss.
    Some(if -lo > hi { lo } else { hi })
}

/// Codes `min(trunc(x · id + add), top)` for the 32 values, as two vectors of 16 u8 (elements
/// 0..16 and 16..32). With a normal `d` the sums lie in [0, top + 1.5), where truncation and
/// the clamp equal the C conversion.
#[inline(always)]
fn offset_codes(v: &[v128; 8], id: f32, add: f32, top: u8) -> (v128, v128) {
    let (id, add) = (f32x4_splat(id), f32x4_splat(add));
    let q = v.map(|v| integral_to_i32(f32x4_trunc(f32x4_add(f32x4_mul(v, id), add))));
    let top = u8x16_splat(top);
    (u8x16_min(narrow_u8(q[0], q[1], q[2], q[3]), top), u8x16_min(narrow_u8(q[4], q[5], q[6], q[7]), top))
}

/// Codes `min(trunc((x − min) · id + 0.5), top)`; the sums lie in [0.5, top + 0.5 + 2⁻¹⁹).
#[inline(always)]
fn min_codes(v: &[v128; 8], min: f32, id: f32, top: u8) -> (v128, v128) {
    let (min, id, half) = (f32x4_splat(min), f32x4_splat(id), f32x4_splat(0.5));
    let q = v.map(|v| integral_to_i32(f32x4_trunc(f32x4_add(f32x4_mul(f32x4_sub(v, min), id), half))));
    let top = u8x16_splat(top);
    (u8x16_min(narrow_u8(q[0], q[1], q[2], q[3]), top), u8x16_min(narrow_u8(q[4], q[5], q[6], q[7]), top))
}

/// Two nibbles a byte: element j low, element j + 16 high.
#[inline(always)]
fn pack4(lo: v128, hi: v128) -> v128 {
    v128_or(v128_and(lo, u8x16_splat(0x0f)), i8x16_shl(hi, 4))
}

/// ggml's five-bit packing: the fifth bits of elements 0..32 as a little-endian u32, then the
/// low nibbles as Q4.
#[inline(always)]
fn pack5(lo: v128, hi: v128, out: &mut [u8], at: usize) {
    let h = u32::from(i8x16_bitmask(i8x16_shl(lo, 3))) | (u32::from(i8x16_bitmask(i8x16_shl(hi, 3))) << 16);
    out[at..at + 4].copy_from_slice(&h.to_le_bytes());
    store_u8(out, at + 4, pack4(lo, hi));
}

/// The block's scale for Q4_0/Q5_0, `max / −k`, when the SIMD path may take the block.
#[inline(always)]
fn scale_0(xb: &[f32; QK], v: &[v128; 8], k: f32) -> Option<f32> {
    let max = signed_max(xb, v)?;
    (MIN_SPAN..=f32::MAX).contains(&max.abs()).then_some(max / -k)
}

pub fn quantize_q4_0(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let (xs, _) = x.as_chunks::<QK>();
    let (ys, _) = out.as_chunks_mut::<18>();
    for (xb, yb) in xs.iter().zip(ys) {
        let v: [v128; 8] = load_f32(xb);
        let Some(d) = scale_0(xb, &v, 8.0) else {
            reference::quantize_q4_0(xb, yb);
            continue;
        };
        put_f16(yb, 0, d);
        let (lo, hi) = offset_codes(&v, 1.0 / d, 8.5, 15);
        store_u8(yb, 2, pack4(lo, hi));
    }
}

pub fn quantize_q5_0(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let (xs, _) = x.as_chunks::<QK>();
    let (ys, _) = out.as_chunks_mut::<22>();
    for (xb, yb) in xs.iter().zip(ys) {
        let v: [v128; 8] = load_f32(xb);
        let Some(d) = scale_0(xb, &v, 16.0) else {
            reference::quantize_q5_0(xb, yb);
            continue;
        };
        put_f16(yb, 0, d);
        let (lo, hi) = offset_codes(&v, 1.0 / d, 16.5, 31);
        pack5(lo, hi, yb, 2);
    }
}

/// The block's (min, d) for Q4_1/Q5_1, `d = (max − min) / k`, when the SIMD path may take it.
/// `min` has the sign the reference stores: when it is zero, that of the first zero.
#[inline(always)]
fn scale_1(xb: &[f32; QK], v: &[v128; 8], k: f32) -> Option<(f32, f32)> {
    let (hi, lo) = max_min(v)?;
    let span = hi - lo;
    if !(MIN_SPAN..=f32::MAX).contains(&span) {
        return None;
    }
    let min = if lo == 0.0 { xb.iter().copied().find(|&x| x == 0.0).unwrap_or(lo) } else { lo };
    Some((min, span / k))
}

pub fn quantize_q4_1(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let (xs, _) = x.as_chunks::<QK>();
    let (ys, _) = out.as_chunks_mut::<20>();
    for (xb, yb) in xs.iter().zip(ys) {
        let v: [v128; 8] = load_f32(xb);
        let Some((min, d)) = scale_1(xb, &v, 15.0) else {
            reference::quantize_q4_1(xb, yb);
            continue;
        };
        put_f16(yb, 0, d);
        put_f16(yb, 2, min);
        let (lo, hi) = min_codes(&v, min, 1.0 / d, 15);
        store_u8(yb, 4, pack4(lo, hi));
    }
}

pub fn quantize_q5_1(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let (xs, _) = x.as_chunks::<QK>();
    let (ys, _) = out.as_chunks_mut::<24>();
    for (xb, yb) in xs.iter().zip(ys) {
        let v: [v128; 8] = load_f32(xb);
        let Some((min, d)) = scale_1(xb, &v, 31.0) else {
            reference::quantize_q5_1(xb, yb);
            continue;
        };
        put_f16(yb, 0, d);
        put_f16(yb, 2, min);
        // The reference does not clamp Q5_1; its sums stay below 32 all the same.
        let (lo, hi) = min_codes(&v, min, 1.0 / d, 31);
        pack5(lo, hi, yb, 4);
    }
}

// ---- dequantization --------------------------------------------------------------------------

/// Writes `codes · d + m` (or `codes · d` without `m`) for 16 codes at `out[at..at + 16]`.
#[inline(always)]
fn put16(out: &mut [f32], at: usize, codes: v128, signed: bool, d: f32, m: Option<f32>) {
    let d = f32x4_splat(d);
    for (i, f) in widen_f32(codes, signed).into_iter().enumerate() {
        let y = f32x4_mul(f, d);
        store_f32(out, at + 4 * i, m.map_or(y, |m| f32x4_add(y, f32x4_splat(m))));
    }
}

/// The fifth bits of 32 codes, as 0x10 in the lanes of two vectors (elements 0..16, 16..32).
#[inline(always)]
fn fifth_bits(qh: &[u8]) -> (v128, v128) {
    let h = u32x4_splat(u32::from_le_bytes([qh[0], qh[1], qh[2], qh[3]]));
    let bit = u8x16(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);
    let pick = |idx: v128| {
        let set = i8x16_ne(v128_and(i8x16_swizzle(h, idx), bit), u8x16_splat(0));
        v128_and(set, u8x16_splat(0x10))
    };
    (
        pick(u8x16(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1)),
        pick(u8x16(2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3)),
    )
}

/// The low and high nibbles of 16 bytes.
#[inline(always)]
fn nibbles(q: v128) -> (v128, v128) {
    (v128_and(q, u8x16_splat(0x0f)), u8x16_shr(q, 4))
}

pub fn dequantize_q8_0(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    let (qs, _) = q.as_chunks::<34>();
    let (ys, _) = out.as_chunks_mut::<QK>();
    for (qb, yb) in qs.iter().zip(ys) {
        let d = fp16_to_f32(qb[0], qb[1]);
        put16(yb, 0, load_u8(qb, 2), true, d, None);
        put16(yb, 16, load_u8(qb, 18), true, d, None);
    }
}

pub fn dequantize_q4_0(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    let (qs, _) = q.as_chunks::<18>();
    let (ys, _) = out.as_chunks_mut::<QK>();
    for (qb, yb) in qs.iter().zip(ys) {
        let d = fp16_to_f32(qb[0], qb[1]);
        let (lo, hi) = nibbles(load_u8(qb, 2));
        let eight = u8x16_splat(8);
        put16(yb, 0, i8x16_sub(lo, eight), true, d, None);
        put16(yb, 16, i8x16_sub(hi, eight), true, d, None);
    }
}

pub fn dequantize_q4_1(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    let (qs, _) = q.as_chunks::<20>();
    let (ys, _) = out.as_chunks_mut::<QK>();
    for (qb, yb) in qs.iter().zip(ys) {
        let d = fp16_to_f32(qb[0], qb[1]);
        let m = fp16_to_f32(qb[2], qb[3]);
        let (lo, hi) = nibbles(load_u8(qb, 4));
        put16(yb, 0, lo, false, d, Some(m));
        put16(yb, 16, hi, false, d, Some(m));
    }
}

pub fn dequantize_q5_0(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    let (qs, _) = q.as_chunks::<22>();
    let (ys, _) = out.as_chunks_mut::<QK>();
    for (qb, yb) in qs.iter().zip(ys) {
        let d = fp16_to_f32(qb[0], qb[1]);
        let (h0, h1) = fifth_bits(&qb[2..6]);
        let (lo, hi) = nibbles(load_u8(qb, 6));
        let sixteen = u8x16_splat(16);
        put16(yb, 0, i8x16_sub(v128_or(lo, h0), sixteen), true, d, None);
        put16(yb, 16, i8x16_sub(v128_or(hi, h1), sixteen), true, d, None);
    }
}

pub fn dequantize_q5_1(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    let (qs, _) = q.as_chunks::<24>();
    let (ys, _) = out.as_chunks_mut::<QK>();
    for (qb, yb) in qs.iter().zip(ys) {
        let d = fp16_to_f32(qb[0], qb[1]);
        let m = fp16_to_f32(qb[2], qb[3]);
        let (h0, h1) = fifth_bits(&qb[4..8]);
        let (lo, hi) = nibbles(load_u8(qb, 8));
        put16(yb, 0, v128_or(lo, h0), false, d, Some(m));
        put16(yb, 16, v128_or(hi, h1), false, d, Some(m));
    }
}
