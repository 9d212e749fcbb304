//! SIMD128 kernel for bitsandbytes' NF4, blocks of 64 (see ../mod.rs).
//!
//! The reference's arithmetic is one product `x · (1 / amax)` per element and 15 strict
//! comparisons with the pivots; SIMD does exactly that, four lanes at a time, so every block is
//! taken, NaN and ±inf included (NaN compares above no pivot and gets code 0, as in the tree).
//! Only the block absmax needs care: NaN is skipped, and an all-NaN block keeps −f32::MAX.

use crate::core::kernels::quant;
use core::arch::wasm32::*;

use super::ggml::{hpmax, ints_to_u8, load_f32, load_u8, pin, store_f32, store_u8};
use super::Fast;
use crate::core::kernels::quant::nf4::{NF4, PIVOTS};

pub const ROWS: &[(&str, Fast)] =
    &[(quant::nf4::NF4_KERNEL.id, Fast { quantize: quantize_nf4, dequantize: dequantize_nf4 })];

const QK: usize = crate::core::catalog::format::NF4.block_elems();
const BLOCK_BYTES: usize = crate::core::catalog::format::NF4.block_bytes();

/// Codes of four values `w = x · r`: the number of pivots strictly below each.
#[inline(always)]
fn codes4(w: v128, p: &[v128; 15]) -> v128 {
    count15(&p.map(|p| f32x4_gt(w, p)))
}

/// Per lane, how many of fifteen compare masks are set (each is −1 there): a tree of sums keeps
/// the chains short.
#[inline(always)]
pub(super) fn count15(s: &[v128; 15]) -> v128 {
    let a = i32x4_add(i32x4_add(s[0], s[1]), i32x4_add(s[2], s[3]));
    let b = i32x4_add(i32x4_add(s[4], s[5]), i32x4_add(s[6], s[7]));
    let c = i32x4_add(i32x4_add(s[8], s[9]), i32x4_add(s[10], s[11]));
    let d = i32x4_add(i32x4_add(s[12], s[13]), s[14]);
    i32x4_neg(i32x4_add(i32x4_add(a, b), i32x4_add(c, d)))
}

/// Thirty-two codes (elements 0..16 and 16..32, one per byte) to sixteen bytes, element 2i in
/// the high nibble.
#[inline(always)]
fn pack_high_first(c0: v128, c1: v128) -> v128 {
    let even = i8x16_shuffle::<0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30>(c0, c1);
    let odd = i8x16_shuffle::<1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31>(c0, c1);
    v128_or(i8x16_shl(even, 4), odd)
}

pub fn quantize_nf4(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let p = PIVOTS.map(|p| f32x4_splat(p));
    let (xs, _) = x.as_chunks::<QK>();
    let (ys, _) = out.as_chunks_mut::<BLOCK_BYTES>();
    for (xb, yb) in xs.iter().zip(ys) {
        // max(0, |x|) skipping NaN, as f32::max, sixteen values at a time (pinned, see `pin`);
        // the reference folds from −f32::MAX, which only shows in a block of nothing but NaN.
        let (groups, _) = xb.as_chunks::<16>();
        let zero = f32x4_splat(0.0);
        let m: [v128; 4] = core::array::from_fn(|g| {
            let v: [v128; 4] = load_f32(&groups[g]);
            let a = v.map(|v| f32x4_pmax(zero, f32x4_abs(v)));
            pin(f32x4_pmax(f32x4_pmax(a[0], a[1]), f32x4_pmax(a[2], a[3])))
        });
        let mut amax = hpmax(f32x4_pmax(f32x4_pmax(m[0], m[1]), f32x4_pmax(m[2], m[3])));
        if amax == 0.0 {
            if xb.iter().all(|v| v.is_nan()) {
                amax = -f32::MAX;
            } else {
                yb[..4].copy_from_slice(&amax.to_le_bytes());
                yb[4..].fill(0x77);
                continue;
            }
        }
        yb[..4].copy_from_slice(&amax.to_le_bytes());
        let r = f32x4_splat(1.0 / amax);
        // Loaded again (through black_box, so LLVM does not keep the first loads alive).
        let (groups, _) = core::hint::black_box(xb).as_chunks::<16>();
        let c: [v128; 4] = core::array::from_fn(|g| {
            let v: [v128; 4] = load_f32(&groups[g]);
            ints_to_u8(&v.map(|v| codes4(f32x4_mul(v, r), &p)))
        });
        store_u8(yb, 4, pack_high_first(c[0], c[1]));
        store_u8(yb, 20, pack_high_first(c[2], c[3]));
    }
}

/// Byte `b` of each codebook value, as a lookup table.
fn codebook_plane(b: usize) -> v128 {
    let t = NF4.map(|v| v.to_le_bytes()[b]);
    u8x16(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13], t[14], t[15])
}

/// `NF4[c]` for sixteen codes, as four vectors of f32.
#[inline(always)]
fn lookup(codes: v128, planes: &[v128; 4]) -> [v128; 4] {
    let [b0, b1, b2, b3] = planes.map(|t| i8x16_swizzle(t, codes));
    let lo01 = i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(b0, b1);
    let hi01 = i8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(b0, b1);
    let lo23 = i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(b2, b3);
    let hi23 = i8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(b2, b3);
    [
        i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(lo01, lo23),
        i16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(lo01, lo23),
        i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(hi01, hi23),
        i16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(hi01, hi23),
    ]
}

pub fn dequantize_nf4(q: &[u8], _row: usize, _scale: f32, out: &mut [f32]) {
    let planes = [0, 1, 2, 3].map(codebook_plane);
    let (qs, _) = q.as_chunks::<BLOCK_BYTES>();
    let (ys, _) = out.as_chunks_mut::<QK>();
    for (qb, yb) in qs.iter().zip(ys) {
        let amax = f32x4_splat(f32::from_le_bytes([qb[0], qb[1], qb[2], qb[3]]));
        for half in 0..2 {
            let b = load_u8(qb, 4 + 16 * half);
            let (hi, lo) = (u8x16_shr(b, 4), v128_and(b, u8x16_splat(0x0f)));
            // Element 2i is byte i's high nibble, element 2i + 1 its low nibble.
            let first = i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(hi, lo);
            let second = i8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(hi, lo);
            for (k, codes) in [first, second].into_iter().enumerate() {
                for (i, f) in lookup(codes, &planes).into_iter().enumerate() {
                    store_f32(yb, 32 * half + 16 * k + 4 * i, f32x4_mul(f, amax));
                }
            }
        }
    }
}
