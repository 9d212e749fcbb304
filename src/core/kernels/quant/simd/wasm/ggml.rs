//! SIMD128 kernels for ggml's 32-element block types Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 (see ../mod.rs).
//!
//! The float arithmetic is the reference's, op for op (`x * id` then `+ 8.5`, …), four lanes at
//! a time. What SIMD cannot reproduce cheaply goes to the reference, block by block: a block
//! holding NaN or ±inf (C's sequential `MAX` and `<` scans treat NaN by position), and a block
//! whose scale is not a normal f32 or whose range overflows. With a normal scale every code lies
//! in its format's range before the C integer conversion, so truncating in f32 (exact) and
//! packing the integral values into bytes gives the reference's bytes.
//!
//! Speed notes (V8 on x86-64): f32 min/max with wasm's NaN rules and `trunc_sat` expand to
//! several instructions each, so extremes come from integer min/max of the raw bits and codes
//! stay integral f32 until packed; LLVM rewrites chained saturating narrows into clamp-and-
//! shuffle sequences, so bytes are packed with exact float/integer arithmetic and one shuffle.

use crate::core::kernels::quant;
use core::arch::wasm32::*;

use super::Fast;
use crate::core::kernels::quant::ggml_common::fp16_to_f32;
use crate::core::kernels::quant::ggml_legacy as reference;

use reference::{Q4_0_BYTES, Q4_1_BYTES, Q5_0_BYTES, Q5_1_BYTES, Q8_0_BYTES, QK};

/// Smallest block magnitude (amax, or max − min) the SIMD path takes: it keeps `d = amax / k`
/// (k ≤ 127) a normal f32, so `d` and `1 / d` carry relative errors of half an ulp and every
/// `x · id` stays within the format's range.
const MIN_SPAN: f32 = 1.0 / (1u128 << 119) as f32;

pub const ROWS: &[(&str, Fast)] = &[
    (quant::ggml_legacy::Q8_0.id, Fast { quantize: quantize_q8_0, dequantize: dequantize_q8_0 }),
    (quant::ggml_legacy::Q4_0.id, Fast { quantize: quantize_q4_0, dequantize: dequantize_q4_0 }),
    (quant::ggml_legacy::Q4_1.id, Fast { quantize: quantize_q4_1, dequantize: dequantize_q4_1 }),
    (quant::ggml_legacy::Q5_0.id, Fast { quantize: quantize_q5_0, dequantize: dequantize_q5_0 }),
    (quant::ggml_legacy::Q5_1.id, Fast { quantize: quantize_q5_1, dequantize: dequantize_q5_1 }),
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

/// Lane b of the result is `f` over the four lanes of `r[b]`.
#[inline(always)]
fn transpose_reduce(r: [v128; 4], f: impl Fn(v128, v128) -> v128) -> v128 {
    let t0 = f(i32x4_shuffle::<0, 4, 1, 5>(r[0], r[1]), i32x4_shuffle::<2, 6, 3, 7>(r[0], r[1]));
    let t1 = f(i32x4_shuffle::<0, 4, 1, 5>(r[2], r[3]), i32x4_shuffle::<2, 6, 3, 7>(r[2], r[3]));
    f(i32x4_shuffle::<0, 1, 4, 5>(t0, t1), i32x4_shuffle::<2, 3, 6, 7>(t0, t1))
}

/// Facts about four blocks from integer extremes of their raw f32 bits (one instruction per
/// vector each, where float min/max with NaN rules take several). As i32, non-negative floats
/// order by value above every negative one, and negative floats order by magnitude; as u32,
/// negative floats lie above every non-negative one, ordered by magnitude. Each lane is a block.
struct Extremes {
    /// i32 max: the largest non-negative value if there is one, else the most negative.
    s_max: v128,
    /// u32 max: the most negative value if there is one, else the largest.
    u_max: v128,
    /// u32 min (with `MIN`): the smallest non-negative value if there is one, else the negative
    /// value nearest zero.
    u_min: v128,
}

/// Passes a block's reductions through memory. V8 keeps wasm loads in order but schedules pure
/// operations late, so without an effect between blocks it issues all 32 loads of a group
/// before any reduction and spills most of them; this store (a few instructions) pins each
/// block's reductions before the next block's loads.
#[inline(always)]
pub(super) fn pin<T>(v: T) -> T {
    core::hint::black_box(v)
}

/// Each block is loaded once and all its trees are built from it, so at most eight input
/// vectors are alive at a time (V8 has sixteen registers).
#[inline(always)]
fn extremes<const MIN: bool>(x: &[f32; 4 * QK]) -> Extremes {
    let (blocks, _) = x.as_chunks::<QK>();
    let r: [[v128; 3]; 4] = core::array::from_fn(|b| {
        let v: [v128; 8] = load_f32(&blocks[b]);
        let s_max = reduce8(&v, |a, b| i32x4_max(a, b));
        let u_max = reduce8(&v, |a, b| u32x4_max(a, b));
        let u_min = if MIN { reduce8(&v, |a, b| u32x4_min(a, b)) } else { s_max };
        pin([s_max, u_max, u_min])
    });
    Extremes {
        s_max: transpose_reduce(r.map(|r| r[0]), |a, b| i32x4_max(a, b)),
        u_max: transpose_reduce(r.map(|r| r[1]), |a, b| u32x4_max(a, b)),
        u_min: if MIN { transpose_reduce(r.map(|r| r[2]), |a, b| u32x4_min(a, b)) } else { u32x4_splat(0) },
    }
}

impl Extremes {
    /// No NaN and no ±inf: positive ones would top the i32 max, negative ones the u32 max.
    #[inline(always)]
    fn finite(&self) -> v128 {
        v128_and(i32x4_lt(self.s_max, i32x4_splat(0x7f80_0000)), u32x4_lt(self.u_max, u32x4_splat(0xff80_0000)))
    }
}

#[inline(always)]
fn f32_lanes(v: v128) -> [f32; 4] {
    [f32x4_extract_lane::<0>(v), f32x4_extract_lane::<1>(v), f32x4_extract_lane::<2>(v), f32x4_extract_lane::<3>(v)]
}

/// ggml's FP32-to-FP16 (round to nearest even, NaN to 0x7e00 with its sign), branch-free as in
/// ggml-impl.h's `ggml_compute_fp32_to_fp16`, four lanes at a time: equal to `fp16_bits`.
#[inline(always)]
fn fp16_x4(f: v128) -> [u16; 4] {
    let scale_to_inf = f32x4_splat(f32::from_bits(0x7780_0000)); // 2^112
    let scale_to_zero = f32x4_splat(f32::from_bits(0x0880_0000)); // 2^-110
    let base = f32x4_mul(f32x4_mul(f32x4_abs(f), scale_to_inf), scale_to_zero);
    let shl1 = i32x4_add(f, f);
    let sign = u32x4_shr(v128_and(f, u32x4_splat(0x8000_0000)), 16);
    let bias = u32x4_max(v128_and(shl1, u32x4_splat(0xff00_0000)), u32x4_splat(0x7100_0000));
    let base = f32x4_add(i32x4_add(u32x4_shr(bias, 1), u32x4_splat(0x0780_0000)), base);
    let exp = v128_and(u32x4_shr(base, 13), u32x4_splat(0x7c00));
    let nonsign = i32x4_add(exp, v128_and(base, u32x4_splat(0x0fff)));
    let nan = u32x4_gt(shl1, u32x4_splat(0xff00_0000));
    let h = v128_or(sign, v128_bitselect(u32x4_splat(0x7e00), nonsign, nan));
    [u16x8_extract_lane::<0>(h), u16x8_extract_lane::<2>(h), u16x8_extract_lane::<4>(h), u16x8_extract_lane::<6>(h)]
}

/// 1.5·2²³: adding it to an integral f32 of magnitude below 2²² puts the integer, in two's
/// complement, in the low mantissa bits (exact).
const MAGIC: f32 = 12_582_912.0;

/// Sixteen integral f32 in `−offset..=255 − offset` (four vectors, elements in order) to
/// sixteen bytes `v + offset`. Exact float arithmetic packs two values into the low 16 bits of
/// each lane (`MAGIC + offset·257 + a + 256·b < 2²⁴`), integer ops pack four, and one byte
/// shuffle restores the order: no integer narrowing, which LLVM turns into clamp-and-shuffle
/// chains.
#[inline(always)]
pub(super) fn floats_to_u8(q: &[v128], offset: f32) -> v128 {
    let (magic, k256) = (f32x4_splat(MAGIC + offset * 257.0), f32x4_splat(256.0));
    let w01 = f32x4_add(f32x4_add(q[0], magic), f32x4_mul(q[1], k256));
    let w23 = f32x4_add(f32x4_add(q[2], magic), f32x4_mul(q[3], k256));
    // Lane i: the bytes of elements i, 4 + i, 8 + i, 12 + i.
    let a = v128_or(v128_and(w01, u32x4_splat(0xffff)), i32x4_shl(w23, 16));
    i8x16_shuffle::<0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15>(a, a)
}

/// Sixteen i32 in 0..=255 (four vectors, elements in order) to sixteen bytes: shifts and ors
/// pack four a lane, one byte shuffle restores the order (see `floats_to_u8`).
#[inline(always)]
pub(super) fn ints_to_u8(q: &[v128]) -> v128 {
    let a = v128_or(v128_or(q[0], i32x4_shl(q[1], 8)), v128_or(i32x4_shl(q[2], 16), i32x4_shl(q[3], 24)));
    i8x16_shuffle::<0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15>(a, a)
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

// ---- quantization ----------------------------------------------------------------------------
//
// Four blocks at a time: their scales are computed in the lanes of one vector (`f32x4_div` is
// the same IEEE division as the scalar one) and converted to fp16 together. A block the SIMD
// path does not take is computed anyway (every SIMD op is total) and then overwritten by the
// reference.

/// Runs `kernel` on groups of four blocks (inlined, so its constants are set up once); the last
/// one to three blocks go to `reference`.
#[inline(always)]
fn by_four<const B4: usize>(
    x: &[f32],
    out: &mut [u8],
    reference: fn(&[f32], &mut [u8]),
    kernel: impl Fn(&[f32; 4 * QK], &mut [u8; B4]),
) {
    let (xs, x_rest) = x.as_chunks::<{ 4 * QK }>();
    let (ys, y_rest) = out.as_chunks_mut::<B4>();
    for (x4, y4) in xs.iter().zip(ys) {
        kernel(x4, y4);
    }
    reference(x_rest, y_rest);
}

/// Block `b` of a group, loaded again for the code pass. Reading through `black_box` keeps LLVM
/// from reusing the scale pass's loads, which would keep 32 vectors alive across the pass and
/// make V8 spill them; reloading from L1 is cheaper.
#[inline(always)]
fn reload(x: &[f32; 4 * QK], b: usize) -> [v128; 8] {
    load_f32(&core::hint::black_box(x).as_chunks::<QK>().0[b])
}

/// Hands the blocks whose lane in `ok` is false to `reference`.
#[inline(always)]
fn redo<const B: usize>(ok: v128, x: &[f32; 4 * QK], y: &mut [u8], reference: fn(&[f32], &mut [u8])) {
    let bad = !i32x4_bitmask(ok) & 0xf;
    if bad != 0 {
        for b in (0..4).filter(|b| bad & (1 << b) != 0) {
            reference(&x[QK * b..QK * (b + 1)], &mut y[B * b..B * (b + 1)]);
        }
    }
}

/// C's `roundf` (half away from zero), for |v| < 2²², as an integral f32: `t = trunc(v)` and
/// the fraction `f = v − t` (exact, |f| < 1); `trunc(2f)` is ±1 exactly where |f| ≥ 0.5, with
/// v's sign.
#[inline(always)]
fn round_away(v: v128) -> v128 {
    let t = f32x4_trunc(v);
    let f = f32x4_sub(v, t);
    f32x4_add(t, f32x4_trunc(f32x4_add(f, f)))
}

/// Q8_0 on blocks whose amax is in [MIN_SPAN, f32::MAX]: |x · id| ≤ 127·(1 + 2⁻²²), so every
/// roundf lands in −127..=127 and the byte packing is exact.
pub fn quantize_q8_0(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    by_four(
        x,
        out,
        reference::quantize_q8_0,
        #[inline(always)]
        |x: &[f32; 4 * QK], y: &mut [u8; 4 * Q8_0_BYTES]| {
            // |x| bits order as integers, NaN and inf above every finite value.
            let magnitude = u32x4_splat(0x7fff_ffff);
            let (blocks, _) = x.as_chunks::<QK>();
            let amax = transpose_reduce(
                core::array::from_fn(|b| {
                    let v: [v128; 8] = load_f32(&blocks[b]);
                    pin(reduce8(&v.map(|v| v128_and(v, magnitude)), |a, b| i32x4_max(a, b)))
                }),
                |a, b| i32x4_max(a, b),
            );
            let ok = v128_and(i32x4_lt(amax, i32x4_splat(0x7f80_0000)), f32x4_ge(amax, f32x4_splat(MIN_SPAN)));
            let d = f32x4_div(amax, f32x4_splat(127.0));
            let id = f32_lanes(f32x4_div(f32x4_splat(1.0), d));
            let h = fp16_x4(d);
            let (ys, _) = y.as_chunks_mut::<Q8_0_BYTES>();
            for (b, yb) in ys.iter_mut().enumerate() {
                let idb = f32x4_splat(id[b]);
                let q = reload(x, b).map(|v| round_away(f32x4_mul(v, idb)));
                yb[..2].copy_from_slice(&h[b].to_le_bytes());
                // Bytes q + 128, then flip the top bit: q as i8.
                let flip = u8x16_splat(0x80);
                store_u8(yb, 2, v128_xor(floats_to_u8(&q[..4], 128.0), flip));
                store_u8(yb, 18, v128_xor(floats_to_u8(&q[4..], 128.0), flip));
            }
            redo::<Q8_0_BYTES>(ok, x, y, reference::quantize_q8_0);
        },
    );
}

/// The first value in `xb` whose magnitude is `m` (NaN when none is).
fn first_of_magnitude(xb: &[f32], m: f32) -> f32 {
    xb.iter().copied().find(|v| v.abs() == m).unwrap_or(f32::NAN)
}

/// Scales for four blocks: per lane `d` (also as fp16), `1 / d`, `min` (type-1 formats) and
/// whether the SIMD path takes the block.
struct Scales {
    ok: v128,
    d16: [u16; 4],
    id: [f32; 4],
    min: [f32; 4],
    min16: [u16; 4],
}

/// Q4_0 and Q5_0: `d = max / −k` with ggml's signed max (the value of largest magnitude, the
/// first of equals). The candidates are the largest non-negative value and the most negative
/// one (`s_max` and `u_max`, equal when the block has one sign); only when their magnitudes tie
/// with different bits does the order matter, and then a scalar scan settles it.
#[inline(always)]
fn scales_0(x: &[f32; 4 * QK], k: f32) -> Scales {
    let e = extremes::<false>(x);
    let magnitude = u32x4_splat(0x7fff_ffff);
    let (pos, neg) = (v128_and(e.s_max, magnitude), v128_and(e.u_max, magnitude));
    // A select, not a branch: the sign of a block's extreme is a coin toss.
    let mut max = v128_bitselect(e.u_max, e.s_max, i32x4_gt(neg, pos));
    let tie = v128_andnot(i32x4_eq(neg, pos), i32x4_eq(e.u_max, e.s_max));
    if v128_any_true(tie) {
        // Equal magnitudes of both signs (±0 included): rare.
        let mut m = f32_lanes(max);
        for b in (0..4).filter(|&b| i32x4_bitmask(tie) & (1 << b) != 0) {
            m[b] = first_of_magnitude(&x[QK * b..QK * (b + 1)], m[b].abs());
        }
        max = f32x4(m[0], m[1], m[2], m[3]);
    }
    let ok = v128_and(e.finite(), f32x4_ge(f32x4_abs(max), f32x4_splat(MIN_SPAN)));
    let d = f32x4_div(max, f32x4_splat(-k));
    Scales { ok, d16: fp16_x4(d), id: f32_lanes(f32x4_div(f32x4_splat(1.0), d)), min: [0.0; 4], min16: [0; 4] }
}

/// Q4_1 and Q5_1: `d = (max − min) / k` and `min`. With the u32 min of the raw bits (the
/// smallest non-negative value if there is one, else the negative value nearest zero): max is
/// `s_max` when some value is non-negative, else `u_min`; min is `u_max` when some value is
/// negative (−0 counts), else `u_min`. When `min` is zero the reference keeps the first zero it
/// meets, so its sign comes from a scan.
#[inline(always)]
fn scales_1(x: &[f32; 4 * QK], k: f32) -> Scales {
    let e = extremes::<true>(x);
    let u_min = e.u_min;
    let hi = v128_bitselect(u_min, e.s_max, i32x4_lt(e.s_max, i32x4_splat(0)));
    let mut lo = v128_bitselect(e.u_max, u_min, i32x4_lt(e.u_max, i32x4_splat(0)));
    let span = f32x4_sub(hi, lo);
    let ok =
        v128_and(e.finite(), v128_and(f32x4_ge(span, f32x4_splat(MIN_SPAN)), f32x4_le(span, f32x4_splat(f32::MAX))));
    let zero = f32x4_eq(lo, f32x4_splat(0.0));
    if v128_any_true(zero) {
        let mut m = f32_lanes(lo);
        for b in (0..4).filter(|&b| i32x4_bitmask(zero) & (1 << b) != 0) {
            m[b] = x[QK * b..QK * (b + 1)].iter().copied().find(|&v| v == 0.0).unwrap_or(m[b]);
        }
        lo = f32x4(m[0], m[1], m[2], m[3]);
    }
    let d = f32x4_div(span, f32x4_splat(k));
    Scales {
        ok,
        d16: fp16_x4(d),
        id: f32_lanes(f32x4_div(f32x4_splat(1.0), d)),
        min: f32_lanes(lo),
        min16: fp16_x4(lo),
    }
}

/// Codes `min(trunc(x · id + add), top)` for the 32 values, as integral f32 (elements in
/// order). With a normal `d` the sums lie in [0, top + 1.5), where truncation and the clamp
/// equal the C conversion.
#[inline(always)]
fn offset_codes(v: &[v128; 8], id: f32, add: f32, top: f32) -> [v128; 8] {
    let (id, add, top) = (f32x4_splat(id), f32x4_splat(add), f32x4_splat(top));
    v.map(|v| f32x4_pmin(f32x4_trunc(f32x4_add(f32x4_mul(v, id), add)), top))
}

/// Codes `min(trunc((x − min) · id + 0.5), top)`; the sums lie in [0.5, top + 0.5 + 2⁻¹⁹).
#[inline(always)]
fn min_codes(v: &[v128; 8], min: f32, id: f32, top: f32) -> [v128; 8] {
    let (min, id, half, top) = (f32x4_splat(min), f32x4_splat(id), f32x4_splat(0.5), f32x4_splat(top));
    v.map(|v| f32x4_pmin(f32x4_trunc(f32x4_add(f32x4_mul(f32x4_sub(v, min), id), half)), top))
}

/// Q4 bytes: element j in the low nibble, element j + 16 in the high one (`lo + 16·hi`, exact).
#[inline(always)]
fn pack4(q: &[v128; 8]) -> v128 {
    let k16 = f32x4_splat(16.0);
    let c: [v128; 4] = core::array::from_fn(|j| f32x4_add(q[j], f32x4_mul(q[j + 4], k16)));
    floats_to_u8(&c, 0.0)
}

/// ggml's five-bit packing: the fifth bits of elements 0..32 as a little-endian u32, then the
/// low nibbles as Q4.
#[inline(always)]
fn pack5(q: &[v128; 8], out: &mut [u8], at: usize) {
    let (lo, hi) = (floats_to_u8(&q[..4], 0.0), floats_to_u8(&q[4..], 0.0));
    let h = u32::from(i8x16_bitmask(i8x16_shl(lo, 3))) | (u32::from(i8x16_bitmask(i8x16_shl(hi, 3))) << 16);
    out[at..at + 4].copy_from_slice(&h.to_le_bytes());
    store_u8(out, at + 4, v128_or(v128_and(lo, u8x16_splat(0x0f)), i8x16_shl(hi, 4)));
}

pub fn quantize_q4_0(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    by_four(
        x,
        out,
        reference::quantize_q4_0,
        #[inline(always)]
        |x: &[f32; 4 * QK], y: &mut [u8; 4 * Q4_0_BYTES]| {
            let s = scales_0(x, 8.0);
            let (ys, _) = y.as_chunks_mut::<Q4_0_BYTES>();
            for (b, yb) in ys.iter_mut().enumerate() {
                yb[..2].copy_from_slice(&s.d16[b].to_le_bytes());
                store_u8(yb, 2, pack4(&offset_codes(&reload(x, b), s.id[b], 8.5, 15.0)));
            }
            redo::<Q4_0_BYTES>(s.ok, x, y, reference::quantize_q4_0);
        },
    );
}

pub fn quantize_q5_0(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    by_four(
        x,
        out,
        reference::quantize_q5_0,
        #[inline(always)]
        |x: &[f32; 4 * QK], y: &mut [u8; 4 * Q5_0_BYTES]| {
            let s = scales_0(x, 16.0);
            let (ys, _) = y.as_chunks_mut::<Q5_0_BYTES>();
            for (b, yb) in ys.iter_mut().enumerate() {
                yb[..2].copy_from_slice(&s.d16[b].to_le_bytes());
                pack5(&offset_codes(&reload(x, b), s.id[b], 16.5, 31.0), yb, 2);
            }
            redo::<Q5_0_BYTES>(s.ok, x, y, reference::quantize_q5_0);
        },
    );
}

pub fn quantize_q4_1(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    by_four(
        x,
        out,
        reference::quantize_q4_1,
        #[inline(always)]
        |x: &[f32; 4 * QK], y: &mut [u8; 4 * Q4_1_BYTES]| {
            let s = scales_1(x, 15.0);
            let (ys, _) = y.as_chunks_mut::<Q4_1_BYTES>();
            for (b, yb) in ys.iter_mut().enumerate() {
                yb[..2].copy_from_slice(&s.d16[b].to_le_bytes());
                yb[2..4].copy_from_slice(&s.min16[b].to_le_bytes());
                store_u8(yb, 4, pack4(&min_codes(&reload(x, b), s.min[b], s.id[b], 15.0)));
            }
            redo::<Q4_1_BYTES>(s.ok, x, y, reference::quantize_q4_1);
        },
    );
}

pub fn quantize_q5_1(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    by_four(
        x,
        out,
        reference::quantize_q5_1,
        #[inline(always)]
        |x: &[f32; 4 * QK], y: &mut [u8; 4 * Q5_1_BYTES]| {
            let s = scales_1(x, 31.0);
            let (ys, _) = y.as_chunks_mut::<Q5_1_BYTES>();
            for (b, yb) in ys.iter_mut().enumerate() {
                yb[..2].copy_from_slice(&s.d16[b].to_le_bytes());
                yb[2..4].copy_from_slice(&s.min16[b].to_le_bytes());
                // The reference does not clamp Q5_1; its sums stay below 32 all the same.
                pack5(&min_codes(&reload(x, b), s.min[b], s.id[b], 31.0), yb, 4);
            }
            redo::<Q5_1_BYTES>(s.ok, x, y, reference::quantize_q5_1);
        },
    );
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
    let (qs, _) = q.as_chunks::<Q8_0_BYTES>();
    let (ys, _) = out.as_chunks_mut::<QK>();
    for (qb, yb) in qs.iter().zip(ys) {
        let d = fp16_to_f32(qb[0], qb[1]);
        put16(yb, 0, load_u8(qb, 2), true, d, None);
        put16(yb, 16, load_u8(qb, 18), true, d, None);
    }
}

pub fn dequantize_q4_0(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    let (qs, _) = q.as_chunks::<Q4_0_BYTES>();
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
    let (qs, _) = q.as_chunks::<Q4_1_BYTES>();
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
    let (qs, _) = q.as_chunks::<Q5_0_BYTES>();
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
    let (qs, _) = q.as_chunks::<Q5_1_BYTES>();
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
