//! Magnitude pruning, the reference kernels: N:M (keep the N largest |x| of each M consecutive
//! values of a row) and unstructured per row (prune the given percentage of each row's values,
//! smallest |x| first). Pruned values become +0.0; kept values keep their bits.
//!
//! Order: larger |x| first; equal |x| keep the lower index; NaN counts as smaller than any number
//! (numpy's stable `argsort(-abs(x))`, which puts NaN last — the oracle of the fixtures,
//! `scripts/fixtures/prune_gen.py`). A row's last group, when M does not divide it, keeps
//! min(N, its length).

use crate::core::catalog::sparsity::Sparsity;

/// A sortable magnitude: |x|'s bits (ordered like |x| for every non-NaN), −1 for NaN.
pub fn key(x: f32) -> i32 {
    let a = x.to_bits() & 0x7fff_ffff;
    if a > 0x7f80_0000 {
        -1
    } else {
        a as i32
    }
}

/// Whether `a` (at index `i`) goes before `b` (at `j > i` or `j < i`) in the keeping order.
fn before(a: i32, i: usize, b: i32, j: usize) -> bool {
    a > b || (a == b && i < j)
}

/// Marks the `n` largest of each group of `m` consecutive values in each row of `row` values.
pub fn mask_nm(x: &[f32], row: usize, n: usize, m: usize, keep: &mut [bool]) {
    for (xr, kr) in x.chunks(row.max(1)).zip(keep.chunks_mut(row.max(1))) {
        for (g, k) in xr.chunks(m.max(1)).zip(kr.chunks_mut(m.max(1))) {
            for (i, (&v, k)) in g.iter().zip(k.iter_mut()).enumerate() {
                let rank = g.iter().enumerate().filter(|&(j, &w)| before(key(w), j, key(v), i)).count();
                *k = rank < n;
            }
        }
    }
}

/// Values a row of `cols` prunes at `percent`: round half up, as `Sparsity::kept` counts.
pub fn pruned_count(cols: usize, percent: u8) -> usize {
    (cols * usize::from(percent) + 50) / 100
}

/// Marks what survives pruning `percent` of each row's values, smallest first.
pub fn mask_rows(x: &[f32], row: usize, percent: u8, keep: &mut [bool]) {
    let mut order: Vec<usize> = Vec::with_capacity(row);
    for (xr, kr) in x.chunks(row.max(1)).zip(keep.chunks_mut(row.max(1))) {
        let kept = xr.len() - pruned_count(xr.len(), percent).min(xr.len());
        order.clear();
        order.extend(0..xr.len());
        // Stable: equal keys stay in index order.
        order.sort_by_key(|&i| std::cmp::Reverse(key(xr[i])));
        kr.fill(false);
        for &i in &order[..kept] {
            kr[i] = true;
        }
    }
}

/// Which values of `x` (whole rows of `row`) survive `sparsity`.
pub fn mask(sparsity: Sparsity, x: &[f32], row: usize) -> Vec<bool> {
    let mut keep = vec![true; x.len()];
    match sparsity {
        Sparsity::Dense => {}
        Sparsity::NM { n, m } => mask_nm(x, row, n.into(), m.into(), &mut keep),
        Sparsity::Unstructured { percent } => mask_rows(x, row, percent, &mut keep),
    }
    keep
}

/// Prunes `x` (whole rows of `row`) to `sparsity`: kept values keep their bits, the rest +0.0.
pub fn prune(sparsity: Sparsity, x: &[f32], row: usize, out: &mut [f32]) {
    for ((o, &v), k) in out.iter_mut().zip(x).zip(mask(sparsity, x, row)) {
        *o = if k { v } else { 0.0 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_four_keeps_the_two_largest_and_the_lower_index_on_ties() {
        let x = [1.0, -3.0, 2.0, 0.5, 1.0, 1.0, -1.0, 0.0, f32::NAN, 0.0, -0.0, 7.0];
        let mut out = [9.0f32; 12];
        prune(Sparsity::NM { n: 2, m: 4 }, &x, 12, &mut out);
        assert_eq!(&out[..4], &[0.0, -3.0, 2.0, 0.0]);
        assert_eq!(&out[4..8], &[1.0, 1.0, 0.0, 0.0], "three equal |1|: the first two");
        // NaN is the smallest; +0 and −0 tie, the lower index wins and keeps its bits.
        assert_eq!(out[8].to_bits(), 0.0f32.to_bits());
        assert_eq!(out[9].to_bits(), 0.0f32.to_bits());
        assert_eq!(out[10].to_bits(), 0.0f32.to_bits(), "pruned: +0.0");
        assert_eq!(out[11], 7.0);
        let y = [-0.0f32, 1.0, 0.0, 0.0];
        prune(Sparsity::NM { n: 2, m: 4 }, &y, 4, &mut out[..4]);
        assert_eq!(out[0].to_bits(), (-0.0f32).to_bits(), "a kept −0.0 stays −0.0");
    }

    #[test]
    fn unstructured_prunes_the_share_of_each_row() {
        let x: Vec<f32> = (0..10).map(|i| i as f32 - 4.5).collect(); // |x|: 4.5 3.5 … 0.5 … 4.5
        let mut out = vec![0f32; 10];
        prune(Sparsity::Unstructured { percent: 50 }, &x, 10, &mut out);
        assert_eq!(out.iter().filter(|v| **v != 0.0).count(), 5);
        // 4.5, 4.5, 3.5, 3.5, then one of the two 2.5: the lower index.
        assert_eq!(out, [-4.5, -3.5, -2.5, 0.0, 0.0, 0.0, 0.0, 0.0, 3.5, 4.5]);
        assert_eq!(pruned_count(4096, 50), 2048);
        assert_eq!(pruned_count(3, 50), 2, "1.5 rounds up");
        assert_eq!(Sparsity::Unstructured { percent: 50 }.kept(3), 3 - pruned_count(3, 50) as u64);
    }
}
