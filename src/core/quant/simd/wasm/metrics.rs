//! SIMD128 [`ErrorStats::add`]: the same four interleaved f64 lanes (element `i` of the chunk in
//! lane `i % 4`, two f64x2 vectors per sum), the same additions in the same order, so the sums
//! are equal bit for bit; the maximum and the histogram counts do not depend on order. Groups of
//! four holding a non-finite value update only their finite lanes (masked); a tail shorter than
//! four goes to [`ErrorStats::add_one`].

use core::arch::wasm32::*;

use crate::core::metrics::{ErrorStats, HIST_BINS, HIST_MIN_EXP, HIST_PER_OCTAVE, LANES};

/// Histogram slots while adding: 0 is "zero", then the positive bins, then the negative bins,
/// then one slot for lanes that are not counted.
const POS: i32 = 1;
const NEG: i32 = 1 + HIST_BINS as i32;
const SKIP: i32 = 1 + 2 * HIST_BINS as i32;

/// One histogram per lane (so that increments of the same bin in a row do not wait on each
/// other), with room for every slot index that fits in 9 bits.
const TABLE: usize = 512;
const _: () = assert!(SKIP < TABLE as i32);

/// `(bits >> 50)` of |e| minus this is [`crate::core::metrics::hist_bin`]'s bin.
const BIN_OFFSET: i32 = (1023 + HIST_MIN_EXP) * HIST_PER_OCTAVE;

struct Acc {
    /// [x², y², xy, e², |e|] for lanes 0–1 and 2–3.
    sums: [[v128; 2]; 5],
    max: [v128; 2],
    count: u64,
}

pub fn add(stats: &mut ErrorStats, x: &[f32], y: &[f32]) {
    let n = x.len().min(y.len());
    let (xb, _) = x[..n].as_chunks::<LANES>();
    let (yb, _) = y[..n].as_chunks::<LANES>();
    let load = |s: &[f64; LANES]| [f64x2(s[0], s[1]), f64x2(s[2], s[3])];
    let mut acc = Acc {
        sums: [
            load(&stats.sum_x2),
            load(&stats.sum_y2),
            load(&stats.sum_xy),
            load(&stats.sum_e2),
            load(&stats.sum_abs_e),
        ],
        max: [f64x2_splat(stats.max_abs_e); 2],
        count: 0,
    };
    // Apart from `acc`, so that the sums can stay in registers.
    let mut hist = [[0u64; TABLE]; LANES];
    let finite = |v: v128| i32x4_lt(v128_and(v, u32x4_splat(0x7fff_ffff)), u32x4_splat(0x7f80_0000));
    for (a, b) in xb.iter().zip(yb) {
        // SAFETY: each is 16 readable bytes; v128_load has no alignment requirement.
        let (a, b) = unsafe { (v128_load(a.as_ptr().cast()), v128_load(b.as_ptr().cast())) };
        let (fa, fb) = (finite(a), finite(b));
        let ok = v128_and(fa, fb);
        if i32x4_all_true(ok) {
            acc.step::<false>(&mut hist, a, b, ok);
        } else {
            acc.step::<true>(&mut hist, a, b, ok);
            // As add_one: a non-finite input counts as such whatever the output is.
            let (fa, fb) = (i32x4_bitmask(fa) as u32, i32x4_bitmask(fb) as u32);
            stats.nonfinite_inputs += u64::from((!fa & 0xf).count_ones());
            stats.nonfinite_outputs += u64::from((fa & !fb).count_ones());
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
    let [x2, y2, xy, e2, ae] = acc.sums;
    store(&mut stats.sum_x2, x2);
    store(&mut stats.sum_y2, y2);
    store(&mut stats.sum_xy, xy);
    store(&mut stats.sum_e2, e2);
    store(&mut stats.sum_abs_e, ae);
    for m in acc.max {
        for v in [f64x2_extract_lane::<0>(m), f64x2_extract_lane::<1>(m)] {
            if v > stats.max_abs_e {
                stats.max_abs_e = v;
            }
        }
    }
    stats.count += acc.count;
    for h in &hist {
        stats.hist.zero += h[0];
        for b in 0..HIST_BINS {
            stats.hist.positive[b] += h[POS as usize + b];
            stats.hist.negative[b] += h[NEG as usize + b];
        }
    }
    for i in xb.len() * LANES..n {
        stats.add_one(i % LANES, x[i], y[i]);
    }
}

impl Acc {
    /// Four pairs; with `MASKED`, only the lanes set in `ok` (32-bit lane masks) count.
    #[inline(always)]
    fn step<const MASKED: bool>(&mut self, hist: &mut [[u64; TABLE]; LANES], a: v128, b: v128, ok: v128) {
        let hi = |v: v128| i32x4_shuffle::<2, 3, 2, 3>(v, v);
        let (a0, a1) = (f64x2_promote_low_f32x4(a), f64x2_promote_low_f32x4(hi(a)));
        let (b0, b1) = (f64x2_promote_low_f32x4(b), f64x2_promote_low_f32x4(hi(b)));
        let (e0, e1) = (f64x2_sub(b0, a0), f64x2_sub(b1, a1));
        let (ae0, ae1) = (f64x2_abs(e0), f64x2_abs(e1));
        let terms = [
            [f64x2_mul(a0, a0), f64x2_mul(a1, a1)],
            [f64x2_mul(b0, b0), f64x2_mul(b1, b1)],
            [f64x2_mul(a0, b0), f64x2_mul(a1, b1)],
            [f64x2_mul(e0, e0), f64x2_mul(e1, e1)],
            [ae0, ae1],
        ];
        // 64-bit lane masks for the two halves.
        let m = [i32x4_shuffle::<0, 0, 1, 1>(ok, ok), i32x4_shuffle::<2, 2, 3, 3>(ok, ok)];
        for (s, t) in self.sums.iter_mut().zip(terms) {
            for h in 0..2 {
                let sum = f64x2_add(s[h], t[h]);
                s[h] = if MASKED { v128_bitselect(sum, s[h], m[h]) } else { sum };
            }
        }
        for (h, ae) in [ae0, ae1].into_iter().enumerate() {
            let mx = f64x2_pmax(self.max[h], ae);
            self.max[h] = if MASKED { v128_bitselect(mx, self.max[h], m[h]) } else { mx };
        }
        // The high words of |e| and e, elements 0..4 in order.
        let top = i32x4_shuffle::<1, 3, 5, 7>(ae0, ae1);
        let neg = i32x4_shr(i32x4_shuffle::<1, 3, 5, 7>(e0, e1), 31);
        let bin = i32x4_sub(u32x4_shr(top, 18), i32x4_splat(BIN_OFFSET));
        let slot = i32x4_add(
            i32x4_min(bin, i32x4_splat(HIST_BINS as i32 - 1)),
            v128_bitselect(i32x4_splat(NEG), i32x4_splat(POS), neg),
        );
        let slot = v128_andnot(slot, i32x4_lt(bin, i32x4_splat(0)));
        let slot = if MASKED { v128_bitselect(slot, i32x4_splat(SKIP), ok) } else { slot };
        let at = |s: i32| s as usize % TABLE;
        hist[0][at(i32x4_extract_lane::<0>(slot))] += 1;
        hist[1][at(i32x4_extract_lane::<1>(slot))] += 1;
        hist[2][at(i32x4_extract_lane::<2>(slot))] += 1;
        hist[3][at(i32x4_extract_lane::<3>(slot))] += 1;
        self.count += if MASKED { u64::from(i32x4_bitmask(ok).count_ones()) } else { 4 };
    }
}
