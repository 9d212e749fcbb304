//! SIMD128 kernels for ggml's k-quants Q2_K, Q3_K, Q4_K, Q5_K, Q6_K (see ../mod.rs).
//!
//! A k-quant's time goes into the search for each sub-block's scale (ggml's `make_qkx2_quants`,
//! `make_qx_quants`): up to 22 trial scales, each a sequential sum over the sub-block; Q3_K's
//! `make_q3_quants` refines single codes in up to five passes, each a chain through two sums. A
//! sequential sum cannot be split without reassociating it, so the lanes run over four
//! sub-blocks instead: vector i holds element i of each (`transpose`), and each lane does its
//! sub-block's arithmetic in exactly the reference's order; the reference's branches become
//! masks. The per-super-block tail (the 4-, 6- or 8-bit scales and their fp16 scales) and the
//! bit packing are the reference's own functions; the codes are requantized four at a time.
//!
//! Rounding: ggml's `nearest_int` is `(bits(v + 1.5·2²³) & 0x7fffff) − 2²²`. The requantization
//! uses that bit trick as it is (`nearest_int_x4`); inside the searches `(v + M) − M` (round half
//! to even, exact for |v| < 2²²) stands in for it, where the trial scale is checked to keep every
//! |v| below 2²¹. Q3_K's refinement rounds quotients with no such bound, so it too uses the bit
//! trick.
//!
//! A super-block goes to the reference when it holds NaN, ±inf or a magnitude beyond 2²⁰ (then
//! no sum overflows into inf − inf, so no NaN arises, whose payload wasm does not pin), when a
//! trial scale would take a code out of that rounding range, or when a stored scale is not
//! finite.

use core::arch::wasm32::*;

use super::ggml::{ints_to_u8, load_f32, store_u8};
use super::Fast;
use crate::core::catalog::format;
use crate::core::kernels::quant::kquants::{self as reference, GROUP_MAX_EPS, QK_K};

pub const ROWS: &[(&str, Fast)] = &[
    (reference::Q6_K.id, Fast { quantize: quantize_q6_k, dequantize: reference::Q6_K.dequantize }),
    (reference::Q5_K.id, Fast { quantize: quantize_q5_k, dequantize: reference::Q5_K.dequantize }),
    (reference::Q4_K.id, Fast { quantize: quantize_q4_k, dequantize: reference::Q4_K.dequantize }),
    (reference::Q3_K.id, Fast { quantize: quantize_q3_k, dequantize: reference::Q3_K.dequantize }),
    (reference::Q2_K.id, Fast { quantize: quantize_q2_k, dequantize: reference::Q2_K.dequantize }),
];

/// 1.5·2²³ (see the module comment).
const MAGIC: f32 = 12_582_912.0;

/// The largest magnitude a super-block may hold to take the SIMD path.
const LIMIT: f32 = (1u32 << 20) as f32;

/// Four f32 of `x` from `at`.
#[inline(always)]
pub(super) fn load4(x: &[f32], at: usize) -> v128 {
    assert!(at + 4 <= x.len());
    // SAFETY: elements at..at+4 lie inside `x` (checked above); any alignment is allowed.
    unsafe { v128_load(x.as_ptr().add(at).cast()) }
}

/// Whether every value is finite with magnitude at most `LIMIT`: an integer max of the
/// magnitude bits, which order as the magnitudes do (NaN and inf above every finite value).
#[inline(always)]
pub(super) fn tame<const N: usize, const V: usize>(x: &[f32; N]) -> bool {
    let v: [v128; V] = load_f32(x);
    let magnitude = u32x4_splat(0x7fff_ffff);
    let m = v.iter().fold(u32x4_splat(0), |m, &v| i32x4_max(m, v128_and(v, magnitude)));
    !v128_any_true(i32x4_gt(m, u32x4_splat(LIMIT.to_bits())))
}

/// Four runs of `N` elements of `x` (at 0, N, 2N, 3N) as N vectors: vector i holds element i of
/// each run, so each lane is one run.
#[inline(always)]
pub(super) fn transpose<const N: usize>(x: &[f32]) -> [v128; N] {
    let mut out = [f32x4_splat(0.0); N];
    for k in 0..N / 4 {
        let r: [v128; 4] = core::array::from_fn(|s| load4(x, s * N + 4 * k));
        let t0 = i32x4_shuffle::<0, 4, 1, 5>(r[0], r[1]);
        let t1 = i32x4_shuffle::<2, 6, 3, 7>(r[0], r[1]);
        let t2 = i32x4_shuffle::<0, 4, 1, 5>(r[2], r[3]);
        let t3 = i32x4_shuffle::<2, 6, 3, 7>(r[2], r[3]);
        out[4 * k] = i32x4_shuffle::<0, 1, 4, 5>(t0, t2);
        out[4 * k + 1] = i32x4_shuffle::<2, 3, 6, 7>(t0, t2);
        out[4 * k + 2] = i32x4_shuffle::<0, 1, 4, 5>(t1, t3);
        out[4 * k + 3] = i32x4_shuffle::<2, 3, 6, 7>(t1, t3);
    }
    out
}

/// `nearest_int(v).clamp(lo, hi)` as an integral f32, for |v| < 2²²: `v + M − M` rounds half
/// to even, and is +0 (never −0) when it rounds to zero.
#[inline(always)]
fn round_clamp(v: v128, lo: f32, hi: f32) -> v128 {
    let magic = f32x4_splat(MAGIC);
    f32x4_pmin(f32x4_pmax(f32x4_sub(f32x4_add(v, magic), magic), f32x4_splat(lo)), f32x4_splat(hi))
}

/// ggml's `nearest_int` on four lanes, for any v but NaN (the bit trick itself).
#[inline(always)]
fn nearest_int_x4(v: v128) -> v128 {
    let bits = v128_and(f32x4_add(v, f32x4_splat(MAGIC)), i32x4_splat(0x007f_ffff));
    i32x4_sub(bits, i32x4_splat(0x0040_0000))
}

#[inline(always)]
fn lanes(v: v128) -> [f32; 4] {
    [f32x4_extract_lane::<0>(v), f32x4_extract_lane::<1>(v), f32x4_extract_lane::<2>(v), f32x4_extract_lane::<3>(v)]
}

#[inline(always)]
pub(super) fn lane(v: v128, i: usize) -> f32 {
    lanes(v)[i]
}

/// One vector per group.
#[inline(always)]
pub(super) fn each<const G: usize>(f: impl FnMut(usize) -> v128) -> [v128; G] {
    core::array::from_fn(f)
}

/// Where `mask` is set, `a`; elsewhere `b`.
#[inline(always)]
pub(super) fn sel(mask: v128, a: v128, b: v128) -> v128 {
    v128_bitselect(a, b, mask)
}

/// Writes the codes of `x` (whole sixteens) into `codes` as bytes: `f` maps four values to four
/// i32 codes in 0..=255.
#[inline(always)]
fn put_codes(x: &[f32], codes: &mut [u8], f: impl Fn(v128) -> v128) {
    for (xs, cs) in x.chunks_exact(16).zip(codes.chunks_exact_mut(16)) {
        let q: [v128; 4] = core::array::from_fn(|i| f(load4(xs, 4 * i)));
        store_u8(cs, 0, ints_to_u8(&q));
    }
}

/// A super-block's codes from its 16 sub-blocks' stored scales, as the reference requantizes:
/// `nearest_int(x / d[j]).clamp(lo, hi) + off`; a sub-block whose scale is 0 gets `zero(j, x,
/// codes)` instead (what the search found).
#[inline(always)]
fn requantize(
    xb: &[f32],
    d: &[f32; 16],
    (lo, hi, off): (i32, i32, i32),
    mut zero: impl FnMut(usize, &[f32], &mut [u8]),
) -> [u8; QK_K] {
    let mut codes = [0u8; QK_K];
    for (j, (xs, cs)) in xb.chunks_exact(16).zip(codes.chunks_exact_mut(16)).enumerate() {
        if d[j] == 0.0 {
            zero(j, xs, cs);
        } else {
            let d = f32x4_splat(d[j]);
            put_codes(xs, cs, |v| code_x4(f32x4_div(v, d), lo, hi, off));
        }
    }
    codes
}

/// `nearest_int(v).clamp(lo, hi) + off` on four lanes, as i32.
#[inline(always)]
fn code_x4(v: v128, lo: i32, hi: i32, off: i32) -> v128 {
    i32x4_add(i32x4_min(i32x4_max(nearest_int_x4(v), i32x4_splat(lo)), i32x4_splat(hi)), i32x4_splat(off))
}

/// Runs `kernel` on each super-block; one it declines (returns `None`) goes to `reference`,
/// which overwrites whatever the kernel wrote.
#[inline(always)]
fn by_block<const B: usize>(
    x: &[f32],
    out: &mut [u8],
    reference: fn(&[f32], &mut [u8]),
    kernel: impl Fn(&[f32; QK_K], &mut [u8; B]) -> Option<()>,
) {
    let (xs, _) = x.as_chunks::<QK_K>();
    let (ys, _) = out.as_chunks_mut::<B>();
    for (xb, yb) in xs.iter().zip(ys) {
        if kernel(xb, yb).is_none() {
            reference(xb, yb);
        }
    }
}

// ---- make_qkx2_quants: Q2_K, Q4_K, Q5_K ------------------------------------------------------

/// Four sub-blocks' `make_qkx2_quants` results: scale and the negated min per lane, and what
/// their codes are computed from — `(x − code_min) · code_iscale` — since the requantization
/// keeps them where a stored scale is 0.
struct Qkx2 {
    scale: v128,
    neg_min: v128,
    code_min: v128,
    code_iscale: v128,
}

/// `make_qkx2_quants` (rdelta 0.1) on `G` groups of four sub-blocks of `N`, one sub-block per
/// lane (`x`, `w` transposed); `None` when a trial scale leaves the exact rounding range. `MAD`
/// picks the absolute error over the squared one. The groups go through each loop side by side:
/// a lane's sums are chains of dependent adds, and two chains in flight hide their latency.
#[inline(always)]
fn qkx2<const N: usize, const G: usize, const MAD: bool>(
    x: &[[v128; N]; G],
    w: &[[v128; N]; G],
    nmax: f32,
    rmin: f32,
    nstep: i32,
) -> Option<[Qkx2; G]> {
    let zero = f32x4_splat(0.0);
    let (mut min, mut max) = (each::<G>(|g| x[g][0]), each::<G>(|g| x[g][0]));
    let (mut sum_w, mut sum_x) = (each::<G>(|g| w[g][0]), each::<G>(|g| f32x4_mul(w[g][0], x[g][0])));
    for i in 1..N {
        for g in 0..G {
            let (v, wi) = (x[g][i], w[g][i]);
            min[g] = sel(f32x4_lt(v, min[g]), v, min[g]);
            max[g] = sel(f32x4_gt(v, max[g]), v, max[g]);
            sum_w[g] = f32x4_add(sum_w[g], wi);
            sum_x[g] = f32x4_add(sum_x[g], f32x4_mul(wi, v));
        }
    }
    min = min.map(|m| sel(f32x4_gt(m, zero), zero, m));
    // Lanes with max == min are done: scale 0, codes 0.
    let active = each::<G>(|g| f32x4_ne(max[g], min[g]));
    let amax = each::<G>(|g| f32x4_pmax(f32x4_abs(max[g]), f32x4_abs(min[g])));
    // Every |(x − min) · iscale| stays below 2²¹ (NaN fails the test).
    let in_range = |g: usize, min: v128, iscale: v128| {
        let bound = f32x4_mul(f32x4_add(amax[g], f32x4_abs(min)), f32x4_abs(iscale));
        v128_or(v128_not(active[g]), f32x4_lt(bound, f32x4_splat(2_097_152.0)))
    };
    let code = |v: v128, min: v128, iscale: v128| round_clamp(f32x4_mul(f32x4_sub(v, min), iscale), 0.0, nmax);
    let err = |d: v128| if MAD { f32x4_abs(d) } else { f32x4_mul(d, d) };
    let error = |scale: &[v128; G], min: &[v128; G], l: &[[v128; N]; G]| {
        let mut e = [zero; G];
        for i in 0..N {
            for g in 0..G {
                let d = f32x4_sub(f32x4_add(f32x4_mul(scale[g], l[g][i]), min[g]), x[g][i]);
                e[g] = f32x4_add(e[g], f32x4_mul(w[g][i], err(d)));
            }
        }
        e
    };
    let mut iscale = each::<G>(|g| f32x4_div(f32x4_splat(nmax), f32x4_sub(max[g], min[g])));
    let mut ok = each::<G>(|g| in_range(g, min[g], iscale[g]));
    let mut scale = iscale.map(|is| f32x4_div(f32x4_splat(1.0), is));
    let mut l = [[zero; N]; G];
    for i in 0..N {
        for g in 0..G {
            l[g][i] = code(x[g][i], min[g], iscale[g]);
        }
    }
    let mut best_error = error(&scale, &min, &l);
    let (mut code_min, mut code_iscale) = (min, iscale);
    for is in 0..=nstep {
        let num = f32x4_splat(rmin + 0.1 * is as f32 + nmax);
        iscale = each::<G>(|g| f32x4_div(num, f32x4_sub(max[g], min[g])));
        ok = each::<G>(|g| v128_and(ok[g], in_range(g, min[g], iscale[g])));
        let (mut sum_l, mut sum_l2, mut sum_xl) = ([zero; G], [zero; G], [zero; G]);
        for i in 0..N {
            for g in 0..G {
                let li = code(x[g][i], min[g], iscale[g]);
                l[g][i] = li;
                let wl = f32x4_mul(w[g][i], li);
                sum_l[g] = f32x4_add(sum_l[g], wl);
                sum_l2[g] = f32x4_add(sum_l2[g], f32x4_mul(wl, li));
                sum_xl[g] = f32x4_add(sum_xl[g], f32x4_mul(wl, x[g][i]));
            }
        }
        let det = each::<G>(|g| f32x4_sub(f32x4_mul(sum_w[g], sum_l2[g]), f32x4_mul(sum_l[g], sum_l[g])));
        let live = each::<G>(|g| v128_and(active[g], f32x4_gt(det[g], zero)));
        if !v128_any_true(live.iter().fold(zero, |a, &b| v128_or(a, b))) {
            continue;
        }
        let mut this_scale =
            each::<G>(|g| f32x4_div(f32x4_sub(f32x4_mul(sum_w[g], sum_xl[g]), f32x4_mul(sum_x[g], sum_l[g])), det[g]));
        let mut this_min =
            each::<G>(|g| f32x4_div(f32x4_sub(f32x4_mul(sum_l2[g], sum_x[g]), f32x4_mul(sum_l[g], sum_xl[g])), det[g]));
        for g in 0..G {
            let positive = f32x4_gt(this_min[g], zero);
            this_min[g] = sel(positive, zero, this_min[g]);
            this_scale[g] = sel(positive, f32x4_div(sum_xl[g], sum_l2[g]), this_scale[g]);
        }
        let cur_error = error(&this_scale, &this_min, &l);
        for g in 0..G {
            let win = v128_and(live[g], f32x4_lt(cur_error[g], best_error[g]));
            code_min[g] = sel(win, min[g], code_min[g]);
            code_iscale[g] = sel(win, iscale[g], code_iscale[g]);
            best_error[g] = sel(win, cur_error[g], best_error[g]);
            scale[g] = sel(win, this_scale[g], scale[g]);
            min[g] = sel(win, this_min[g], min[g]);
        }
    }
    if ok.iter().any(|&ok| i32x4_bitmask(ok) != 0xf) {
        return None;
    }
    Some(core::array::from_fn(|g| Qkx2 {
        scale: v128_and(active[g], scale[g]),
        neg_min: f32x4_neg(min[g]),
        code_min: code_min[g],
        // Zero in a done lane: its codes are (x − min) · 0 = 0.
        code_iscale: v128_and(active[g], code_iscale[g]),
    }))
}

/// The codes of the sub-blocks of `n` elements: each requantized with its stored scale `d` and
/// min `dm` as the reference does, or, where `d` is 0, the search's own.
#[inline(always)]
fn min_codes(xb: &[f32; QK_K], n: usize, d: &[f32], dm: &[f32], search: &[Qkx2], nmax: i32) -> [u8; QK_K] {
    let mut codes = [0u8; QK_K];
    for (j, (xs, cs)) in xb.chunks_exact(n).zip(codes.chunks_exact_mut(n)).enumerate() {
        if d[j] == 0.0 {
            let s = &search[j / 4];
            let (m, is) = (f32x4_splat(lane(s.code_min, j % 4)), f32x4_splat(lane(s.code_iscale, j % 4)));
            put_codes(xs, cs, |v| code_x4(f32x4_mul(f32x4_sub(v, m), is), 0, nmax, 0));
        } else {
            let (d, dm) = (f32x4_splat(d[j]), f32x4_splat(dm[j]));
            put_codes(xs, cs, |v| code_x4(f32x4_div(f32x4_add(v, dm), d), 0, nmax, 0));
        }
    }
    codes
}

fn all_finite(v: &[f32]) -> bool {
    v.iter().all(|v| v.is_finite())
}

/// Q4_K's and Q5_K's head (d, dmin, scales) and codes, as `reference::quantize_k4_head`.
#[inline(always)]
fn k4(xb: &[f32; QK_K], nmax: i32, rmin: f32, nstep: i32, head: &mut [u8]) -> Option<[u8; QK_K]> {
    if !tame::<QK_K, 64>(xb) {
        return None;
    }
    let x: [[v128; 32]; 2] = core::array::from_fn(|g| transpose(&xb[128 * g..]));
    let w = x.map(|x| {
        let mut sum_x2 = f32x4_splat(0.0);
        for &v in &x {
            sum_x2 = f32x4_add(sum_x2, f32x4_mul(v, v));
        }
        let av_x = f32x4_sqrt(f32x4_div(sum_x2, f32x4_splat(32.0)));
        x.map(|v| f32x4_add(av_x, f32x4_abs(v)))
    });
    let search = qkx2::<32, 2, false>(&x, &w, nmax as f32, rmin, nstep)?;
    let scales = core::array::from_fn(|j| lane(search[j / 4].scale, j % 4));
    let mins = core::array::from_fn(|j| lane(search[j / 4].neg_min, j % 4));
    let (d, dm) = reference::k4_scales(&scales, &mins, head);
    if !all_finite(&d) || !all_finite(&dm) {
        return None;
    }
    Some(min_codes(xb, 32, &d, &dm, &search, nmax))
}

const Q4_K_BYTES: usize = format::Q4_K.block_bytes();
const Q5_K_BYTES: usize = format::Q5_K.block_bytes();
const Q6_K_BYTES: usize = format::Q6_K.block_bytes();
const Q3_K_BYTES: usize = format::Q3_K.block_bytes();
const Q2_K_BYTES: usize = format::Q2_K.block_bytes();

pub fn quantize_q4_k(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    by_block(x, out, reference::quantize_q4_k, |xb, yb: &mut [u8; Q4_K_BYTES]| {
        let codes = k4(xb, 15, -1.0, 20, &mut yb[..16])?;
        reference::pack_q4_k(&codes, &mut yb[16..]);
        Some(())
    });
}

pub fn quantize_q5_k(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    by_block(x, out, reference::quantize_q5_k, |xb, yb: &mut [u8; Q5_K_BYTES]| {
        let codes = k4(xb, 31, -0.5, 15, &mut yb[..16])?;
        reference::pack_q5_k(&codes, &mut yb[16..]);
        Some(())
    });
}

pub fn quantize_q2_k(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    by_block(x, out, reference::quantize_q2_k, |xb, yb: &mut [u8; Q2_K_BYTES]| {
        if !tame::<QK_K, 64>(xb) {
            return None;
        }
        let x: [[v128; 16]; 4] = core::array::from_fn(|g| transpose(&xb[64 * g..]));
        let w = x.map(|x| x.map(|v| f32x4_abs(v)));
        let search = qkx2::<16, 4, true>(&x, &w, 3.0, -0.5, 15)?;
        let scales = core::array::from_fn(|j| lane(search[j / 4].scale, j % 4));
        let mins = core::array::from_fn(|j| lane(search[j / 4].neg_min, j % 4));
        let (d, dm) = reference::q2_k_scales(&scales, &mins, yb);
        if !all_finite(&d) || !all_finite(&dm) {
            return None;
        }
        let codes = min_codes(xb, 16, &d, &dm, &search, 3);
        reference::pack_2bit(&codes, &mut yb[16..80]);
        Some(())
    });
}

// ---- make_qx_quants: Q6_K --------------------------------------------------------------------

/// Per lane, `reference::signed_max`'s value of largest magnitude, and whether that magnitude
/// reaches `GROUP_MAX_EPS` (below it the reference writes an all-zero sub-block).
#[inline(always)]
pub(super) fn signed_max<const N: usize, const G: usize>(x: &[[v128; N]; G]) -> ([v128; G], [v128; G]) {
    let zero = f32x4_splat(0.0);
    let (mut max, mut amax) = ([zero; G], [zero; G]);
    for g in 0..G {
        for &v in &x[g] {
            let a = f32x4_abs(v);
            let gt = f32x4_gt(a, amax[g]);
            amax[g] = sel(gt, a, amax[g]);
            max[g] = sel(gt, v, max[g]);
        }
    }
    (max, amax.map(|a| f32x4_ge(a, f32x4_splat(GROUP_MAX_EPS))))
}

/// `make_qx_quants` (rmse_type 1, weights x²) on `G` groups of four sub-blocks of 16, one per
/// lane, side by side as in `qkx2`: the scale and the trial `iscale` whose codes the search
/// kept (0 in an all-zero lane).
#[inline(always)]
fn qx<const G: usize>(x: &[[v128; 16]; G], nmax: f32) -> [(v128, v128); G] {
    let zero = f32x4_splat(0.0);
    let (max, active) = signed_max(x);
    let w = x.map(|x| x.map(|v| f32x4_mul(v, v)));
    let wv: [[v128; 16]; G] = core::array::from_fn(|g| core::array::from_fn(|i| f32x4_mul(w[g][i], x[g][i])));
    // |iscale · x| ≤ 32.9 in an active lane, so `round_clamp` is exact.
    let sums = |iscale: &[v128; G]| {
        let (mut sumlx, mut suml2) = ([zero; G], [zero; G]);
        for i in 0..16 {
            for g in 0..G {
                let l = round_clamp(f32x4_mul(iscale[g], x[g][i]), -nmax, nmax - 1.0);
                sumlx[g] = f32x4_add(sumlx[g], f32x4_mul(wv[g][i], l));
                suml2[g] = f32x4_add(suml2[g], f32x4_mul(f32x4_mul(w[g][i], l), l));
            }
        }
        (sumlx, suml2)
    };
    let mut iscale = max.map(|m| f32x4_div(f32x4_splat(-nmax), m));
    let (sumlx, suml2) = sums(&iscale);
    let mut scale = each::<G>(|g| sel(f32x4_ne(suml2[g], zero), f32x4_div(sumlx[g], suml2[g]), zero));
    let mut best = each::<G>(|g| f32x4_mul(scale[g], sumlx[g]));
    let mut code_iscale = iscale;
    for is in (-9..=9).filter(|&is| is != 0) {
        let num = f32x4_splat(-(nmax + 0.1 * is as f32));
        iscale = max.map(|m| f32x4_div(num, m));
        let (sumlx, suml2) = sums(&iscale);
        for g in 0..G {
            let better = f32x4_gt(f32x4_mul(sumlx[g], sumlx[g]), f32x4_mul(best[g], suml2[g]));
            let win = v128_and(active[g], v128_and(f32x4_gt(suml2[g], zero), better));
            scale[g] = sel(win, f32x4_div(sumlx[g], suml2[g]), scale[g]);
            best[g] = sel(win, f32x4_mul(scale[g], sumlx[g]), best[g]);
            code_iscale[g] = sel(win, iscale[g], code_iscale[g]);
        }
    }
    core::array::from_fn(|g| (v128_and(active[g], scale[g]), v128_and(active[g], code_iscale[g])))
}

pub fn quantize_q6_k(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    by_block(x, out, reference::quantize_q6_k, |xb, yb: &mut [u8; Q6_K_BYTES]| {
        if !tame::<QK_K, 64>(xb) {
            return None;
        }
        let x: [[[v128; 16]; 2]; 2] =
            core::array::from_fn(|h| core::array::from_fn(|g| transpose(&xb[128 * h + 64 * g..])));
        let [a, b] = x.map(|x| qx(&x, 32.0));
        let search = [a[0], a[1], b[0], b[1]];
        let scales = core::array::from_fn(|j| lane(search[j / 4].0, j % 4));
        let Some(d) = reference::q6_k_scales(&scales, yb) else { return Some(()) };
        if !all_finite(&d) {
            return None;
        }
        let codes = requantize(xb, &d, (-32, 31, 32), |j, xs, cs| {
            // The search's codes; an all-zero sub-block's are 0 (not 0 + 32).
            let is = lane(search[j / 4].1, j % 4);
            if is != 0.0 {
                let is = f32x4_splat(is);
                put_codes(xs, cs, |v| code_x4(f32x4_mul(is, v), -32, 31, 32));
            }
        });
        reference::pack_q6_k(&codes, yb);
        Some(())
    });
}

// ---- make_q3_quants: Q3_K --------------------------------------------------------------------

/// `make_q3_quants` (do_rmse, weights x²) on `G` groups of four sub-blocks of 16, one per lane,
/// side by side as in `qkx2`: the scale and the codes + nmax (0 in an all-zero lane), as f32.
/// A pass that changes no code in a lane leaves it as it was, so a lane done before the others
/// may run their further passes.
#[inline(always)]
fn q3<const G: usize>(x: &[[v128; 16]; G], nmax: i32) -> [(v128, [v128; 16]); G] {
    let zero = f32x4_splat(0.0);
    let (max, active) = signed_max(x);
    let w = x.map(|x| x.map(|v| f32x4_mul(v, v)));
    let wv: [[v128; 16]; G] = core::array::from_fn(|g| core::array::from_fn(|i| f32x4_mul(w[g][i], x[g][i])));
    // |iscale · x| ≤ 4 in an active lane, so `round_clamp` is exact.
    let iscale = max.map(|m| f32x4_div(f32x4_splat(-nmax as f32), m));
    let (mut l, mut sumlx, mut suml2) = ([[zero; 16]; G], [zero; G], [zero; G]);
    for i in 0..16 {
        for g in 0..G {
            let li = round_clamp(f32x4_mul(iscale[g], x[g][i]), -nmax as f32, (nmax - 1) as f32);
            l[g][i] = li;
            sumlx[g] = f32x4_add(sumlx[g], f32x4_mul(wv[g][i], li));
            suml2[g] = f32x4_add(suml2[g], f32x4_mul(f32x4_mul(w[g][i], li), li));
        }
    }
    for _ in 0..5 {
        let mut changed = zero;
        for i in 0..16 {
            for g in 0..G {
                let (v, li) = (x[g][i], l[g][i]);
                let slx = f32x4_sub(sumlx[g], f32x4_mul(wv[g][i], li));
                let sl2 = f32x4_sub(suml2[g], f32x4_mul(f32x4_mul(w[g][i], li), li));
                // Unbounded (slx may be tiny), but never NaN where slx > 0: the bit trick itself.
                let new_l = f32x4_convert_i32x4(code_x4(f32x4_div(f32x4_mul(v, sl2), slx), -nmax, nmax - 1, 0));
                let slx2 = f32x4_add(slx, f32x4_mul(wv[g][i], new_l));
                let sl22 = f32x4_add(sl2, f32x4_mul(f32x4_mul(w[g][i], new_l), new_l));
                let better = f32x4_gt(
                    f32x4_mul(f32x4_mul(slx2, slx2), suml2[g]),
                    f32x4_mul(f32x4_mul(sumlx[g], sumlx[g]), sl22),
                );
                let win = v128_and(
                    v128_and(active[g], f32x4_gt(slx, zero)),
                    v128_and(f32x4_ne(new_l, li), v128_and(f32x4_gt(sl22, zero), better)),
                );
                l[g][i] = sel(win, new_l, li);
                sumlx[g] = sel(win, slx2, sumlx[g]);
                suml2[g] = sel(win, sl22, suml2[g]);
                changed = v128_or(changed, win);
            }
        }
        if !v128_any_true(changed) {
            break;
        }
    }
    let off = f32x4_splat(nmax as f32);
    core::array::from_fn(|g| {
        let scale = sel(f32x4_gt(suml2[g], zero), f32x4_div(sumlx[g], suml2[g]), zero);
        (v128_and(active[g], scale), l[g].map(|l| v128_and(active[g], f32x4_add(l, off))))
    })
}

pub fn quantize_q3_k(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    by_block(x, out, reference::quantize_q3_k, |xb, yb: &mut [u8; Q3_K_BYTES]| {
        if !tame::<QK_K, 64>(xb) {
            return None;
        }
        let x: [[v128; 16]; 4] = core::array::from_fn(|g| transpose(&xb[64 * g..]));
        let search = q3(&x, 4);
        let scales = core::array::from_fn(|j| lane(search[j / 4].0, j % 4));
        let d = reference::q3_k_scales(&scales, yb);
        if !all_finite(&d) {
            return None;
        }
        let mut codes = requantize(xb, &d, (-4, 3, 4), |j, _, cs| {
            // The search's codes.
            for (c, &l) in cs.iter_mut().zip(&search[j / 4].1) {
                *c = lane(l, j % 4) as u8;
            }
        });
        reference::pack_q3_k(&mut codes, yb);
        Some(())
    });
}
