//! SIMD128 pruning, equal to `prune::prune` and `prune::mask` on every bit (tests/wasm_simd.rs checks it in Node on
//! the fixtures and on random and crafted input). 2:4-style patterns (M = 4) rank each value
//! against the other three lanes of its vector; M = 8 against both vectors of its group;
//! unstructured rows find the threshold magnitude by bisection with vector counts, and only
//! vectors holding a value equal to the threshold take the scalar path. Anything else (rows that
//! the group or vector does not divide, other M) runs the reference.

use crate::core::catalog::sparsity::Sparsity;
use crate::core::kernels::prune;

/// Prunes like [`prune::prune`], with SIMD128 where this build has it.
pub fn prune(sparsity: Sparsity, x: &[f32], row: usize, out: &mut [f32]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if wasm::run(sparsity, x, row, &mut |at, v, k| wasm::store(out, at, core::arch::wasm32::v128_and(v, k))) {
        return;
    }
    prune::prune(sparsity, x, row, out)
}

/// Which values survive, like [`prune::mask`], with SIMD128 where this build has it.
pub fn mask(sparsity: Sparsity, x: &[f32], row: usize) -> Vec<bool> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        let mut keep = vec![false; x.len()];
        if wasm::run(sparsity, x, row, &mut |at, _, k| {
            for (l, b) in wasm::lanes(k).into_iter().enumerate() {
                keep[at + l] = b != 0;
            }
        }) {
            return keep;
        }
    }
    prune::mask(sparsity, x, row)
}

/// Whether the SIMD path takes this pattern at this row length (never without SIMD128).
pub fn simd(sparsity: Sparsity, row: usize) -> bool {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        wasm::handles(sparsity, row)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        let _ = (sparsity, row);
        false
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use core::arch::wasm32::*;

    use crate::core::catalog::sparsity::Sparsity;
    use crate::core::kernels::prune::pruned_count;

    /// `prune::key` on four lanes: |x|'s bits, −1 for NaN.
    #[inline(always)]
    fn keys(v: v128) -> v128 {
        let a = v128_and(v, u32x4_splat(0x7fff_ffff));
        v128_bitselect(i32x4_splat(-1), a, u32x4_gt(a, u32x4_splat(0x7f80_0000)))
    }

    /// Lanes 0..4 rotated left by 1, 2, 3: lane i holds lane (i + r) mod 4.
    #[inline(always)]
    fn rotations(k: v128) -> [v128; 3] {
        [i32x4_shuffle::<1, 2, 3, 0>(k, k), i32x4_shuffle::<2, 3, 0, 1>(k, k), i32x4_shuffle::<3, 0, 1, 2>(k, k)]
    }

    /// Lanes whose partner in rotation r has a lower index: (i + r) mod 4 < i, i.e. i ≥ 4 − r.
    #[inline(always)]
    fn wraps() -> [v128; 3] {
        [i32x4(0, 0, 0, -1), i32x4(0, 0, -1, -1), i32x4(0, -1, -1, -1)]
    }

    /// How many of the vector's other lanes go before each lane (−1 per lane in the sum).
    #[inline(always)]
    fn rank_within(k: v128) -> v128 {
        let mut rank = i32x4_splat(0);
        for (kr, w) in rotations(k).into_iter().zip(wraps()) {
            let before = v128_or(i32x4_gt(kr, k), v128_and(i32x4_eq(kr, k), w));
            rank = i32x4_sub(rank, before);
        }
        rank
    }

    fn load(x: &[f32], at: usize) -> v128 {
        f32x4(x[at], x[at + 1], x[at + 2], x[at + 3])
    }

    pub fn lanes(k: v128) -> [i32; 4] {
        [i32x4_extract_lane::<0>(k), i32x4_extract_lane::<1>(k), i32x4_extract_lane::<2>(k), i32x4_extract_lane::<3>(k)]
    }

    pub fn store(out: &mut [f32], at: usize, v: v128) {
        out[at] = f32x4_extract_lane::<0>(v);
        out[at + 1] = f32x4_extract_lane::<1>(v);
        out[at + 2] = f32x4_extract_lane::<2>(v);
        out[at + 3] = f32x4_extract_lane::<3>(v);
    }

    pub fn handles(sparsity: Sparsity, row: usize) -> bool {
        match sparsity {
            Sparsity::NM { m: 4, .. } | Sparsity::Unstructured { .. } => row > 0 && row.is_multiple_of(4),
            Sparsity::NM { m: 8, .. } => row > 0 && row.is_multiple_of(8),
            _ => false,
        }
    }

    /// Hands each vector of `x`, at its index, with its keep mask to `emit`; false when this
    /// pattern or row length is not taken (the caller runs the reference).
    pub fn run(sparsity: Sparsity, x: &[f32], row: usize, emit: &mut dyn FnMut(usize, v128, v128)) -> bool {
        if !handles(sparsity, row) || !x.len().is_multiple_of(row) {
            return false;
        }
        match sparsity {
            Sparsity::NM { n, m: 4 } => nm4(x, i32::from(n), emit),
            Sparsity::NM { n, .. } => nm8(x, i32::from(n), emit),
            Sparsity::Unstructured { percent } => rows(x, row, percent, emit),
            Sparsity::Dense => return false,
        }
        true
    }

    fn nm4(x: &[f32], n: i32, emit: &mut dyn FnMut(usize, v128, v128)) {
        for at in (0..x.len()).step_by(4) {
            let v = load(x, at);
            emit(at, v, i32x4_lt(rank_within(keys(v)), i32x4_splat(n)));
        }
    }

    fn nm8(x: &[f32], n: i32, emit: &mut dyn FnMut(usize, v128, v128)) {
        for at in (0..x.len()).step_by(8) {
            let (va, vb) = (load(x, at), load(x, at + 4));
            let (ka, kb) = (keys(va), keys(vb));
            let (mut ra, mut rb) = (rank_within(ka), rank_within(kb));
            // Across the halves every b lane has the higher index: it goes before an a lane only
            // when larger, and an a lane goes before a b lane when larger or equal.
            for kbr in [kb].into_iter().chain(rotations(kb)) {
                ra = i32x4_sub(ra, i32x4_gt(kbr, ka));
            }
            for kar in [ka].into_iter().chain(rotations(ka)) {
                rb = i32x4_sub(rb, i32x4_ge(kar, kb));
            }
            let limit = i32x4_splat(n);
            emit(at, va, i32x4_lt(ra, limit));
            emit(at + 4, vb, i32x4_lt(rb, limit));
        }
    }

    /// Values of the row with a key ≥ `t`.
    fn count_at_least(keys: &[v128], t: i32) -> usize {
        let tv = i32x4_splat(t);
        let mut acc = i32x4_splat(0);
        for k in keys {
            acc = i32x4_sub(acc, i32x4_ge(*k, tv));
        }
        (i32x4_extract_lane::<0>(acc)
            + i32x4_extract_lane::<1>(acc)
            + i32x4_extract_lane::<2>(acc)
            + i32x4_extract_lane::<3>(acc)) as usize
    }

    fn rows(x: &[f32], row: usize, percent: u8, emit: &mut dyn FnMut(usize, v128, v128)) {
        let mut k: Vec<v128> = Vec::with_capacity(row / 4);
        for (r, xr) in x.chunks(row).enumerate() {
            let kept = row - pruned_count(row, percent).min(row);
            k.clear();
            k.extend((0..row).step_by(4).map(|at| keys(load(xr, at))));
            // The largest t with at least `kept` keys ≥ t: the smallest key kept.
            let (mut lo, mut hi) = (-1i32, 0x7f80_0000i32);
            if kept == 0 {
                lo = i32::MAX;
            } else {
                while lo < hi {
                    let mid = lo + (hi - lo + 1) / 2;
                    if count_at_least(&k, mid) >= kept {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
            }
            let t = lo;
            // Keys above t are all kept; of those equal to t, the first `ties` in index order.
            let mut ties = if kept == 0 { 0 } else { kept - count_at_least(&k, t.saturating_add(1)) };
            let tv = i32x4_splat(t);
            for (i, kv) in k.iter().enumerate() {
                let at = i * 4;
                let v = load(xr, at);
                let mut keep = i32x4_gt(*kv, tv);
                let eq = i32x4_eq(*kv, tv);
                if kept > 0 && v128_any_true(eq) {
                    let mut take = [0i32; 4];
                    for (l, e) in lanes(eq).iter().enumerate() {
                        if *e != 0 && ties > 0 {
                            take[l] = -1;
                            ties -= 1;
                        }
                    }
                    keep = v128_or(keep, i32x4(take[0], take[1], take[2], take[3]));
                }
                emit(r * row + at, v, keep);
            }
        }
    }
}
