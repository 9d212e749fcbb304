//! ggml's non-linear 4-bit types IQ4_NL (32-element blocks) and IQ4_XS (256-element super-blocks
//! of eight 32-element blocks with 6-bit scales): byte-exact ports of `quantize_row_iq4_nl_impl`
//! as `quantize_iq4_nl` / `quantize_iq4_xs` call it without an importance matrix (weights x²,
//! seven trial scales either side), and of `dequantize_row_iq4_nl` / `dequantize_row_iq4_xs`.

use super::ggml_legacy::ggml_kernel;
use super::kquants::{get_f16, nearest_int, put_f16, signed_max, GROUP_MAX_EPS, QK_K};
use super::Kernel;
use crate::core::catalog::format;

/// ggml's `kvalues_iq4nl`: the 16 code points, sorted.
pub const KVALUES_IQ4NL: [i8; 16] = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];

const QK4_NL: usize = format::IQ4_NL.block_elems();
const NTRY: i32 = 7;

/// The midpoints between neighbouring code values (exact: halves of integers).
pub(crate) const MIDS: [f32; 15] = {
    let mut m = [0f32; 15];
    let mut i = 0;
    while i < 15 {
        m[i] = (KVALUES_IQ4NL[i] as f32 + KVALUES_IQ4NL[i + 1] as f32) / 2.0;
        i += 1;
    }
    m
};

/// ggml's `best_index_int8` for the IQ4 table (the version ggml-python 0.0.45 ships): the code
/// whose value is nearest to `x`, a tie going to the larger value; NaN fails every comparison of
/// that search and ends at code 15. For any other x that is the number of midpoints x reaches
/// (near a midpoint both of the search's differences are exact), found here without branches
/// on the data, as ggml's newer version does.
pub(crate) fn best_index(x: f32) -> u8 {
    if x.is_nan() {
        return 15;
    }
    let mut idx = 0;
    for step in [8, 4, 2, 1] {
        if x >= MIDS[idx + step - 1] {
            idx += step;
        }
    }
    idx as u8
}

fn value(l: u8) -> f32 {
    f32::from(KVALUES_IQ4NL[usize::from(l)])
}

/// One 32-element block's scale (the trial scale that maximises (Σwqx)²/Σwq², weights x²),
/// with its codes in `codes`. An all-zero block gets scale 0 and codes 0.
fn block_scale(xb: &[f32], codes: &mut [u8]) -> f32 {
    let mut weight = [0f32; QK4_NL];
    for (w, &v) in weight.iter_mut().zip(xb) {
        *w = v * v;
    }
    let (max, amax) = signed_max(xb);
    if amax < GROUP_MAX_EPS {
        codes.fill(0);
        return 0.0;
    }
    let values0 = f32::from(KVALUES_IQ4NL[0]);
    let mut d = -max / values0;
    let id = 1.0 / d;
    let (mut sumqx, mut sumq2) = (0.0f32, 0.0f32);
    for ((c, &v), &w) in codes.iter_mut().zip(xb).zip(&weight) {
        *c = best_index(id * v);
        let q = value(*c);
        sumqx += w * q * v;
        sumq2 += w * q * q;
    }
    d = if sumq2 > 0.0 { sumqx / sumq2 } else { 0.0 };
    let mut best = d * sumqx;
    for itry in -NTRY..=NTRY {
        let id = (itry + i32::from(KVALUES_IQ4NL[0])) as f32 / max;
        let (mut sumqx, mut sumq2) = (0.0f32, 0.0f32);
        for (&v, &w) in xb.iter().zip(&weight) {
            let q = value(best_index(id * v));
            sumqx += w * q * v;
            sumq2 += w * q * q;
        }
        if sumq2 > 0.0 && sumqx * sumqx > best * sumq2 {
            d = sumqx / sumq2;
            best = d * sumqx;
        }
    }
    d
}

/// Sixteen bytes from 32 codes: element j in the low nibble of byte j, element j + 16 in the high.
pub(crate) fn pack_nibbles(codes: &[u8], qs: &mut [u8]) {
    for (j, b) in qs.iter_mut().enumerate() {
        *b = codes[j] | (codes[j + 16] << 4);
    }
}

/// IQ4_NL block: d, qs[16].
const IQ4_NL_BYTES: usize = format::IQ4_NL.block_bytes();

pub fn quantize_iq4_nl(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK4_NL).zip(out.chunks_exact_mut(IQ4_NL_BYTES)) {
        let mut codes = [0u8; QK4_NL];
        let scale = block_scale(xb, &mut codes);
        put_f16(yb, 0, scale);
        // Requantize with the chosen (f32) scale.
        let id = if scale != 0.0 { 1.0 / scale } else { 0.0 };
        for (c, &v) in codes.iter_mut().zip(xb) {
            *c = best_index(id * v);
        }
        pack_nibbles(&codes, &mut yb[2..]);
    }
}

pub fn dequantize_iq4_nl(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(IQ4_NL_BYTES).zip(out.chunks_exact_mut(QK4_NL)) {
        let d = get_f16(yb, 0);
        for (j, &b) in yb[2..].iter().enumerate() {
            xb[j] = d * value(b & 0xf);
            xb[j + 16] = d * value(b >> 4);
        }
    }
}

/// IQ4_XS block: d, scales_h (u16: the top 2 bits of each 6-bit scale), scales_l[4] (low
/// nibbles, two per byte), qs[128].
const IQ4_XS_BYTES: usize = format::IQ4_XS.block_bytes();

pub fn quantize_iq4_xs(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK_K).zip(out.chunks_exact_mut(IQ4_XS_BYTES)) {
        let mut codes = [0u8; QK_K];
        let mut scales = [0f32; QK_K / QK4_NL];
        for (ib, s) in scales.iter_mut().enumerate() {
            *s = block_scale(&xb[32 * ib..32 * ib + 32], &mut codes[32 * ib..32 * ib + 32]);
        }
        let idl = iq4_xs_scales(&scales, yb);
        for ((cs, xs), &idl) in codes.chunks_exact_mut(32).zip(xb.chunks_exact(32)).zip(&idl) {
            for (c, &v) in cs.iter_mut().zip(xs) {
                *c = best_index(idl * v);
            }
        }
        for (qs, c) in yb[8..].chunks_exact_mut(16).zip(codes.chunks_exact(32)) {
            pack_nibbles(c, qs);
        }
    }
}

/// IQ4_XS's fp16 scale and the eight 6-bit block scales from the blocks' searches; returns each
/// block's inverse stored scale, which its codes are requantized with.
pub(crate) fn iq4_xs_scales(scales: &[f32; QK_K / QK4_NL], yb: &mut [u8]) -> [f32; QK_K / QK4_NL] {
    let (max_scale, _) = signed_max(scales);
    let d = -max_scale / 32.0;
    put_f16(yb, 0, d);
    let id = if d != 0.0 { 1.0 / d } else { 0.0 };
    let mut scales_h = 0u16;
    let mut idl = [0f32; QK_K / QK4_NL];
    for (ib, &s) in scales.iter().enumerate() {
        let l = nearest_int(id * s).clamp(-32, 31);
        let dl = d * l as f32;
        idl[ib] = if dl != 0.0 { 1.0 / dl } else { 0.0 };
        let l = (l + 32) as u8;
        if ib % 2 == 0 {
            yb[4 + ib / 2] = l & 0xf;
        } else {
            yb[4 + ib / 2] |= (l & 0xf) << 4;
        }
        scales_h |= u16::from(l >> 4) << (2 * ib);
    }
    yb[2..4].copy_from_slice(&scales_h.to_le_bytes());
    idl
}

pub fn dequantize_iq4_xs(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(IQ4_XS_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let d = get_f16(yb, 0);
        let scales_h = u16::from_le_bytes([yb[2], yb[3]]);
        for (ib, (qs, y)) in yb[8..].chunks_exact(16).zip(xb.chunks_exact_mut(32)).enumerate() {
            let ls = ((yb[4 + ib / 2] >> (4 * (ib % 2))) & 0xf) | ((((scales_h >> (2 * ib)) & 3) as u8) << 4);
            let dl = d * f32::from(i16::from(ls) - 32);
            for (j, &b) in qs.iter().enumerate() {
                y[j] = dl * value(b & 0xf);
                y[j + 16] = dl * value(b >> 4);
            }
        }
    }
}

ggml_kernel!(IQ4_NL, format::IQ4_NL, quantize_iq4_nl, dequantize_iq4_nl);
ggml_kernel!(IQ4_XS, format::IQ4_XS, quantize_iq4_xs, dequantize_iq4_xs);

// The catalogue's blocks are the fields this code reads and writes (ggml-common.h).
const _: () = {
    assert!(QK4_NL == 32 && format::IQ4_XS.block_elems() == QK_K);
    assert!(IQ4_NL_BYTES == 2 + QK4_NL / 2); // d, qs
    assert!(IQ4_XS_BYTES == 2 + 2 + QK_K / 64 + QK_K / 2); // d, scales_h, scales_l, qs
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_index_picks_the_nearest_value_and_the_upper_one_on_ties() {
        assert_eq!(best_index(-1000.0), 0);
        assert_eq!(best_index(1000.0), 15);
        assert_eq!(best_index(0.0), 8);
        // −4.5 is half-way between −10 and 1.
        assert_eq!(best_index(-4.5), 8);
        assert_eq!(best_index(-4.6), 7);
        assert_eq!(best_index(113.0), 15);
        assert_eq!(best_index(f32::NAN), 15);
        for (i, &v) in KVALUES_IQ4NL.iter().enumerate() {
            assert_eq!(usize::from(best_index(f32::from(v))), i);
        }
    }

    /// The search as ggml-python 0.0.45 writes it: a binary search, then the nearer neighbour by
    /// differences.
    fn best_index_search(x: f32) -> u8 {
        let val = |i: usize| f32::from(KVALUES_IQ4NL[i]);
        if x <= val(0) {
            return 0;
        }
        if x >= val(15) {
            return 15;
        }
        let (mut ml, mut mu) = (0, 15);
        while mu - ml > 1 {
            let mav = (ml + mu) / 2;
            if x < val(mav) {
                mu = mav;
            } else {
                ml = mav;
            }
        }
        if x - val(mu - 1) < val(mu) - x {
            (mu - 1) as u8
        } else {
            mu as u8
        }
    }

    /// The midpoint count equals the search: every midpoint and its neighbours a few ulps
    /// away, a sweep of the whole range, specials.
    #[test]
    fn best_index_equals_the_search() {
        let mut xs = vec![0.0, -0.0, f32::INFINITY, f32::NEG_INFINITY, 1e-45, -1e-45, f32::MAX, -f32::MAX];
        for m in MIDS.iter().chain(KVALUES_IQ4NL.map(f32::from).iter()) {
            for d in -4i32..=4 {
                xs.push(f32::from_bits((m.to_bits() as i32 + d) as u32));
            }
        }
        xs.extend((-300_000..300_000).map(|i| i as f32 * 1e-3 + 1.3e-4));
        for x in xs {
            assert_eq!(best_index(x), best_index_search(x), "{x:e}");
        }
    }

    /// An all-zero IQ4_NL block: scale 0 and every code at the value nearest 0 (index 8).
    #[test]
    fn zero_block() {
        let mut q = [0u8; IQ4_NL_BYTES];
        quantize_iq4_nl(&[0.0; 32], &mut q);
        assert_eq!(&q[..2], &[0, 0]);
        assert!(q[2..].iter().all(|&b| b == 0x88));
    }
}
