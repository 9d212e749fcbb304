//! SIMD128 kernels for ggml's IQ4_NL and IQ4_XS (see ../mod.rs and kquants.rs, whose layout
//! this follows: lanes over four 32-element blocks, each doing the reference's scale search in
//! its order; two groups side by side; the reference's own scale tail and nibble packer).
//!
//! `best_index` (the nearest of the 16 code values, a tie to the upper) is the number of
//! midpoints between neighbouring values that x reaches: for finite x that is the reference's
//! binary search exactly, since near a midpoint both of its differences are exact. A NaN would
//! give 0 where the reference gives 15, so only finite products reach it: a block group holding
//! NaN, ±inf or a magnitude beyond 2²⁰, or an inverse scale that is not finite, goes to the
//! reference.

use core::arch::wasm32::*;

use super::ggml::{ints_to_u8, store_u8};
use super::kquants::{each, lane, load4, sel, signed_max, tame, transpose};
use super::nf4::count15;
use super::Fast;
use crate::core::catalog::format;
use crate::core::kernels::quant::iquants::{self as reference, KVALUES_IQ4NL, MIDS};
use crate::core::kernels::quant::kquants::{put_f16, QK_K};

pub const ROWS: &[(&str, Fast)] = &[
    (reference::IQ4_XS.id, Fast { quantize: quantize_iq4_xs, dequantize: reference::IQ4_XS.dequantize }),
    (reference::IQ4_NL.id, Fast { quantize: quantize_iq4_nl, dequantize: reference::IQ4_NL.dequantize }),
];

const QK4_NL: usize = format::IQ4_NL.block_elems();
const IQ4_NL_BYTES: usize = format::IQ4_NL.block_bytes();
const IQ4_XS_BYTES: usize = format::IQ4_XS.block_bytes();

/// `best_index` of four finite values, as i32: the midpoints each reaches (a compare is −1).
#[inline(always)]
fn index_x4(x: v128) -> v128 {
    count15(&MIDS.map(|m| f32x4_ge(x, f32x4_splat(m))))
}

/// The code values of four indices (i32 in 0..16), as f32: a byte swizzle of the table (the
/// other three bytes of each lane index past it and read 0), then sign extension.
#[inline(always)]
fn value_x4(idx: v128) -> v128 {
    let table = i8x16(
        KVALUES_IQ4NL[0],
        KVALUES_IQ4NL[1],
        KVALUES_IQ4NL[2],
        KVALUES_IQ4NL[3],
        KVALUES_IQ4NL[4],
        KVALUES_IQ4NL[5],
        KVALUES_IQ4NL[6],
        KVALUES_IQ4NL[7],
        KVALUES_IQ4NL[8],
        KVALUES_IQ4NL[9],
        KVALUES_IQ4NL[10],
        KVALUES_IQ4NL[11],
        KVALUES_IQ4NL[12],
        KVALUES_IQ4NL[13],
        KVALUES_IQ4NL[14],
        KVALUES_IQ4NL[15],
    );
    let b = i8x16_swizzle(table, v128_or(idx, u32x4_splat(0xffff_ff00)));
    f32x4_convert_i32x4(i32x4_shr(i32x4_shl(b, 24), 24))
}

/// The reference's `block_scale` on `G` groups of four blocks of 32, one per lane (transposed):
/// the trial scale maximising (Σwqx)²/Σwq² (weights x²), 0 in an all-zero lane.
#[inline(always)]
fn block_scales<const G: usize>(x: &[[v128; 32]; G]) -> [v128; G] {
    let zero = f32x4_splat(0.0);
    let (max, active) = signed_max(x);
    let w = x.map(|x| x.map(|v| f32x4_mul(v, v)));
    let sums = |id: &[v128; G]| {
        let (mut sumqx, mut sumq2) = ([zero; G], [zero; G]);
        for i in 0..32 {
            for g in 0..G {
                let q = value_x4(index_x4(f32x4_mul(id[g], x[g][i])));
                let wq = f32x4_mul(w[g][i], q);
                sumqx[g] = f32x4_add(sumqx[g], f32x4_mul(wq, x[g][i]));
                sumq2[g] = f32x4_add(sumq2[g], f32x4_mul(wq, q));
            }
        }
        (sumqx, sumq2)
    };
    let values0 = f32x4_splat(f32::from(KVALUES_IQ4NL[0]));
    let id = max.map(|m| f32x4_div(f32x4_splat(1.0), f32x4_div(f32x4_neg(m), values0)));
    let (sumqx, sumq2) = sums(&id);
    let mut d = each::<G>(|g| sel(f32x4_gt(sumq2[g], zero), f32x4_div(sumqx[g], sumq2[g]), zero));
    let mut best = each::<G>(|g| f32x4_mul(d[g], sumqx[g]));
    for itry in -7..=7 {
        let num = f32x4_splat((itry + i32::from(KVALUES_IQ4NL[0])) as f32);
        let (sumqx, sumq2) = sums(&max.map(|m| f32x4_div(num, m)));
        for g in 0..G {
            let better = f32x4_gt(f32x4_mul(sumqx[g], sumqx[g]), f32x4_mul(best[g], sumq2[g]));
            let win = v128_and(active[g], v128_and(f32x4_gt(sumq2[g], zero), better));
            d[g] = sel(win, f32x4_div(sumqx[g], sumq2[g]), d[g]);
            best[g] = sel(win, f32x4_mul(d[g], sumqx[g]), best[g]);
        }
    }
    each::<G>(|g| v128_and(active[g], d[g]))
}

/// The 32 codes `best_index(id · x)` of `xs` into `codes`; `None` when `id` is not finite.
#[inline(always)]
fn block_codes(xs: &[f32], id: f32, codes: &mut [u8]) -> Option<()> {
    if !id.is_finite() {
        return None;
    }
    let id = f32x4_splat(id);
    for (h, cs) in codes.chunks_exact_mut(16).enumerate() {
        let q: [v128; 4] = core::array::from_fn(|i| index_x4(f32x4_mul(id, load4(xs, 16 * h + 4 * i))));
        store_u8(cs, 0, ints_to_u8(&q));
    }
    Some(())
}

/// Eight blocks' scales (256 elements), lane j of vector j / 4 being block j's.
#[inline(always)]
fn scales8(x: &[f32; QK_K]) -> [f32; 8] {
    let x: [[v128; 32]; 2] = core::array::from_fn(|g| transpose(&x[128 * g..]));
    let s = block_scales(&x);
    core::array::from_fn(|j| lane(s[j / 4], j % 4))
}

pub fn quantize_iq4_nl(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    // Eight blocks at a time (the last few go to the reference).
    let (xs, x_rest) = x.as_chunks::<QK_K>();
    let (ys, y_rest) = out.as_chunks_mut::<{ 8 * IQ4_NL_BYTES }>();
    for (x8, y8) in xs.iter().zip(ys) {
        let done = tame::<QK_K, 64>(x8) && {
            let scales = scales8(x8);
            scales.iter().enumerate().all(|(b, &scale)| {
                let yb = &mut y8[IQ4_NL_BYTES * b..IQ4_NL_BYTES * (b + 1)];
                put_f16(yb, 0, scale);
                let id = if scale != 0.0 { 1.0 / scale } else { 0.0 };
                let mut codes = [0u8; QK4_NL];
                let ok = block_codes(&x8[QK4_NL * b..QK4_NL * (b + 1)], id, &mut codes).is_some();
                reference::pack_nibbles(&codes, &mut yb[2..]);
                ok
            })
        };
        if !done {
            reference::quantize_iq4_nl(x8, y8);
        }
    }
    reference::quantize_iq4_nl(x_rest, y_rest);
}

pub fn quantize_iq4_xs(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let (xs, _) = x.as_chunks::<QK_K>();
    let (ys, _) = out.as_chunks_mut::<IQ4_XS_BYTES>();
    for (xb, yb) in xs.iter().zip(ys) {
        let done = tame::<QK_K, 64>(xb) && {
            let idl = reference::iq4_xs_scales(&scales8(xb), yb);
            let mut codes = [0u8; QK_K];
            let ok = idl.iter().enumerate().all(|(b, &idl)| {
                block_codes(&xb[QK4_NL * b..QK4_NL * (b + 1)], idl, &mut codes[QK4_NL * b..QK4_NL * (b + 1)]).is_some()
            });
            for (qs, c) in yb[8..].chunks_exact_mut(16).zip(codes.chunks_exact(32)) {
                reference::pack_nibbles(c, qs);
            }
            ok
        };
        if !done {
            reference::quantize_iq4_xs(xb, yb);
        }
    }
}
