//! SIMD128 [`ErrorStats::add`]: the same four interleaved f64 lanes (element `i` of the chunk in
//! lane `i % 4`, two f64x2 vectors per sum), the same additions in the same order, so the sums
//! are equal bit for bit; the maximum and the histogram counts do not depend on order. Groups of
//! four holding a non-finite value update only their finite lanes (masked); a tail shorter than
//! four goes to [`ErrorStats::add_one`]. Each block of the chunk is read twice, once for the
//! products and once for the errors, so that the accumulators fit in the registers.

use core::arch::wasm32::*;

use crate::core::kernels::metrics::{ErrorStats, HIST_BINS, HIST_MIN_EXP, HIST_PER_OCTAVE, LANES};

/// Histogram slots while adding: 1 + bin for positive errors, NEG + 1 + bin for negative ones,
/// 0 and NEG for errors below the range (both count as zero), SKIP for lanes not counted.
const NEG: i32 = 256;
const SKIP: i32 = 511;
/// One table per lane, so that increments of the same bin in a row do not wait on each other.
const TABLE: usize = 512;
const _: () = assert!(NEG > HIST_BINS as i32 && NEG + HIST_BINS as i32 + 1 < SKIP && SKIP < TABLE as i32);

/// `(bits >> 50)` of |e| minus this is 1 + [`crate::core::kernels::metrics::hist_bin`]'s bin.
const BIN_OFFSET: i32 = (1023 + HIST_MIN_EXP) * HIST_PER_OCTAVE - 1;

/// Groups of four per block: 4 KiB of each input, still in the L1 cache for the second pass.
const BLOCK: usize = 256;

pub fn add(stats: &mut ErrorStats, x: &[f32], y: &[f32]) {
    let n = x.len().min(y.len());
    let (xb, _) = x[..n].as_chunks::<LANES>();
    let (yb, _) = y[..n].as_chunks::<LANES>();
    let load = |s: &[f64; LANES]| [f64x2(s[0], s[1]), f64x2(s[2], s[3])];
    // [x², y², xy] and [e², |e|], each for lanes 0–1 and 2–3.
    let mut products = [load(&stats.sum_x2), load(&stats.sum_y2), load(&stats.sum_xy)];
    let mut errors = [load(&stats.sum_e2), load(&stats.sum_abs_e)];
    let mut max = [f64x2_splat(stats.max_abs_e); 2];
    let mut hist = [[0u64; TABLE]; LANES];
    let mut count = 0;
    for (xs, ys) in xb.chunks(BLOCK).zip(yb.chunks(BLOCK)) {
        for (a, b) in xs.iter().zip(ys) {
            let (a, b, fa, fb) = load_pair(a, b);
            let ok = v128_and(fa, fb);
            if i32x4_all_true(ok) {
                add_products::<false>(&mut products, a, b, ok);
            } else {
                add_products::<true>(&mut products, a, b, ok);
            }
        }
        for (a, b) in xs.iter().zip(ys) {
            let (a, b, fa, fb) = load_pair(a, b);
            let ok = v128_and(fa, fb);
            if i32x4_all_true(ok) {
                add_errors::<false>(&mut errors, &mut max, &mut hist, a, b, ok);
                count += 4;
            } else {
                add_errors::<true>(&mut errors, &mut max, &mut hist, a, b, ok);
                count += u64::from(i32x4_bitmask(ok).count_ones());
                // As add_one: a non-finite input counts as such whatever the output is.
                let (fa, fb) = (i32x4_bitmask(fa) as u32, i32x4_bitmask(fb) as u32);
                stats.nonfinite_inputs += u64::from((!fa & 0xf).count_ones());
                stats.nonfinite_outputs += u64::from((fa & !fb).count_ones());
            }
        }
    }
    let store = |s: &mut [f64; LANES], v: [v128; 2]| {
        *s = [
            f64x2_extract_lane::<0>(v[0]),
            f64x2_extract_lane::<1>(v[0]),
            f64x2_extract_lane::<0>(v[1]),
            f64x2_extract_lane::<1>(v[1]),
        ];
    };
    let [x2, y2, xy] = products;
    let [e2, ae] = errors;
    store(&mut stats.sum_x2, x2);
    store(&mut stats.sum_y2, y2);
    store(&mut stats.sum_xy, xy);
    store(&mut stats.sum_e2, e2);
    store(&mut stats.sum_abs_e, ae);
    for m in max {
        for v in [f64x2_extract_lane::<0>(m), f64x2_extract_lane::<1>(m)] {
            if v > stats.max_abs_e {
                stats.max_abs_e = v;
            }
        }
    }
    stats.count += count;
    for h in &hist {
        stats.hist.zero += h[0] + h[NEG as usize];
        for b in 0..HIST_BINS {
            stats.hist.positive[b] += h[1 + b];
            stats.hist.negative[b] += h[NEG as usize + 1 + b];
        }
    }
    for i in xb.len() * LANES..n {
        stats.add_one(i % LANES, x[i], y[i]);
    }
}

/// The four pairs, and which of them are finite (32-bit lane masks).
#[inline(always)]
fn load_pair(a: &[f32; LANES], b: &[f32; LANES]) -> (v128, v128, v128, v128) {
    // SAFETY: each is 16 readable bytes; v128_load has no alignment requirement.
    let (a, b) = unsafe { (v128_load(a.as_ptr().cast()), v128_load(b.as_ptr().cast())) };
    let finite = |v: v128| i32x4_lt(v128_and(v, u32x4_splat(0x7fff_ffff)), u32x4_splat(0x7f80_0000));
    (a, b, finite(a), finite(b))
}

/// f32 lanes 0–1 and 2–3 as f64.
#[inline(always)]
fn halves(v: v128) -> [v128; 2] {
    [f64x2_promote_low_f32x4(v), f64x2_promote_low_f32x4(i32x4_shuffle::<2, 3, 2, 3>(v, v))]
}

/// 32-bit lane masks → 64-bit lane masks for lanes 0–1 and 2–3.
#[inline(always)]
fn mask_halves(ok: v128) -> [v128; 2] {
    [i32x4_shuffle::<0, 0, 1, 1>(ok, ok), i32x4_shuffle::<2, 2, 3, 3>(ok, ok)]
}

/// `acc + t`, or with `MASKED` only in the lanes set in `m`.
#[inline(always)]
fn accumulate<const MASKED: bool>(acc: &mut v128, t: v128, m: v128) {
    let sum = f64x2_add(*acc, t);
    *acc = if MASKED { v128_bitselect(sum, *acc, m) } else { sum };
}

#[inline(always)]
fn add_products<const MASKED: bool>(p: &mut [[v128; 2]; 3], a: v128, b: v128, ok: v128) {
    let (a, b, m) = (halves(a), halves(b), mask_halves(ok));
    for h in 0..2 {
        accumulate::<MASKED>(&mut p[0][h], f64x2_mul(a[h], a[h]), m[h]);
        accumulate::<MASKED>(&mut p[1][h], f64x2_mul(b[h], b[h]), m[h]);
        accumulate::<MASKED>(&mut p[2][h], f64x2_mul(a[h], b[h]), m[h]);
    }
}

#[inline(always)]
fn add_errors<const MASKED: bool>(
    s: &mut [[v128; 2]; 2],
    max: &mut [v128; 2],
    hist: &mut [[u64; TABLE]; LANES],
    xv: v128,
    yv: v128,
    ok: v128,
) {
    let (a, b, m) = (halves(xv), halves(yv), mask_halves(ok));
    let e = [f64x2_sub(b[0], a[0]), f64x2_sub(b[1], a[1])];
    let ae = [f64x2_abs(e[0]), f64x2_abs(e[1])];
    for h in 0..2 {
        accumulate::<MASKED>(&mut s[0][h], f64x2_mul(e[h], e[h]), m[h]);
        accumulate::<MASKED>(&mut s[1][h], ae[h], m[h]);
        let mx = f64x2_pmax(max[h], ae[h]);
        max[h] = if MASKED { v128_bitselect(mx, max[h], m[h]) } else { mx };
    }
    // The high word of |e| for elements 0..4 (in order) holds the exponent and the sub-bin.
    let top = i32x4_shuffle::<1, 3, 5, 7>(ae[0], ae[1]);
    let bin = i32x4_sub(u32x4_shr(top, 18), i32x4_splat(BIN_OFFSET));
    let bin = i32x4_min(i32x4_max(bin, i32x4_splat(0)), i32x4_splat(HIST_BINS as i32));
    // e < 0 exactly when y < x.
    let slot = v128_or(bin, v128_and(f32x4_lt(yv, xv), i32x4_splat(NEG)));
    let slot = if MASKED { v128_bitselect(slot, i32x4_splat(SKIP), ok) } else { slot };
    let at = |s: i32| s as usize % TABLE;
    hist[0][at(i32x4_extract_lane::<0>(slot))] += 1;
    hist[1][at(i32x4_extract_lane::<1>(slot))] += 1;
    hist[2][at(i32x4_extract_lane::<2>(slot))] += 1;
    hist[3][at(i32x4_extract_lane::<3>(slot))] += 1;
}
