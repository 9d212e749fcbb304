//! ggml's k-quants Q2_K, Q3_K, Q4_K, Q5_K, Q6_K (256-element super-blocks): byte-exact ports of
//! `quantize_row_q*_K_ref` (the path taken without an importance matrix) and `dequantize_row_q*_K`
//! in ggml-quants.c.
//!
//! The arithmetic follows the C statement by statement: f32 throughout, the same operation order,
//! C's `a > b ? a : b` comparisons where NaN matters, and `nearest_int`'s bit trick as it is.

use super::ggml_common::{fp16_bits, fp16_to_f32};
use super::ggml_legacy::ggml_kernel;
use super::Kernel;
use crate::core::catalog::format;

/// Elements per super-block, the catalogue's (every k-quant has the same).
pub(crate) const QK_K: usize = format::Q4_K.block_elems();

/// ggml's `GROUP_MAX_EPS`: a group whose largest magnitude is below this counts as all zero.
pub(crate) const GROUP_MAX_EPS: f32 = 1e-15;

/// ggml's `nearest_int`: add 1.5·2^23 and read the low mantissa bits. Exact round-half-even for
/// |v| < 2^22; any other input (huge, ±inf, NaN) still gives a defined value, reproduced here.
pub(crate) fn nearest_int(v: f32) -> i32 {
    // x86 turns `NaN + c` into the NaN quieted; spelled out so that wasm gives the same bits.
    let sum = if v.is_nan() { quiet(v) } else { v + 12582912.0 };
    (sum.to_bits() as i32 & 0x007f_ffff) - 0x0040_0000
}

/// A NaN as x86 arithmetic passes it on: quieted, payload and sign kept.
fn quiet(v: f32) -> f32 {
    f32::from_bits(v.to_bits() | 0x0040_0000)
}

/// `a * b` and `a + b` with the NaN rule spelled out: when both operands are NaN, x86 returns the
/// NaN of the instruction's first source, and which C operand gcc made the first source is not
/// C's choice but the compiler's. Where the payload can reach `nearest_int`, these fix the order
/// the oracle's build used — `a`'s NaN wins — and keep wasm from picking another.
fn mul_nan_a(a: f32, b: f32) -> f32 {
    if a.is_nan() {
        quiet(a)
    } else if b.is_nan() {
        quiet(b)
    } else {
        a * b
    }
}

fn add_nan_a(a: f32, b: f32) -> f32 {
    if a.is_nan() {
        quiet(a)
    } else if b.is_nan() {
        quiet(b)
    } else {
        a + b
    }
}

/// The value of largest magnitude (the first of equals; NaN skipped, 0 for none) and that
/// magnitude: ggml's `if (fabsf(x) > amax) { amax = fabsf(x); max = x; }` scan.
pub(crate) fn signed_max(x: &[f32]) -> (f32, f32) {
    let (mut max, mut amax) = (0.0f32, 0.0f32);
    for &v in x {
        if v.abs() > amax {
            amax = v.abs();
            max = v;
        }
    }
    (max, amax)
}

pub(crate) fn put_f16(out: &mut [u8], at: usize, v: f32) {
    out[at..at + 2].copy_from_slice(&fp16_bits(v).to_le_bytes());
}

pub(crate) fn get_f16(q: &[u8], at: usize) -> f32 {
    fp16_to_f32(q[at], q[at + 1])
}

/// Packs four 2-bit codes per byte: byte `l` of each 32-byte group holds elements
/// `l`, `l + 32`, `l + 64`, `l + 96` of its 128-element half, lowest bits first.
pub(crate) fn pack_2bit(codes: &[u8; QK_K], qs: &mut [u8]) {
    for (half, q) in qs.chunks_exact_mut(32).enumerate() {
        let c = &codes[half * 128..];
        for (l, b) in q.iter_mut().enumerate() {
            *b = c[l] | (c[l + 32] << 2) | (c[l + 64] << 4) | (c[l + 96] << 6);
        }
    }
}

/// `make_qx_quants` with `rmse_type == 1` and no importance weights (weights are x²): a signed
/// scale for `x` with codes in [−nmax, nmax − 1], stored as `code + nmax` in `codes`.
fn make_qx_quants(nmax: i32, x: &[f32], codes: &mut [u8]) -> f32 {
    let (max, amax) = signed_max(x);
    if amax < GROUP_MAX_EPS {
        codes.fill(0);
        return 0.0;
    }
    let nmaxf = nmax as f32;
    let code = |iscale: f32, v: f32| nearest_int(iscale * v).clamp(-nmax, nmax - 1);
    // Σ w·x·l and Σ w·l² for the codes at `iscale`, with w = x².
    let sums = |iscale: f32| {
        let (mut sumlx, mut suml2) = (0.0f32, 0.0f32);
        for &v in x {
            let l = code(iscale, v) as f32;
            let w = v * v;
            // Accumulator first: of two NaN terms, the earlier one's payload survives.
            sumlx = add_nan_a(sumlx, w * v * l);
            suml2 += w * l * l;
        }
        (sumlx, suml2)
    };
    let mut iscale = -nmaxf / max;
    for (c, &v) in codes.iter_mut().zip(x) {
        *c = (code(iscale, v) + nmax) as u8;
    }
    let (sumlx, suml2) = sums(iscale);
    let mut scale = if suml2 != 0.0 { sumlx / suml2 } else { 0.0 };
    let mut best = scale * sumlx;
    for is in (-9..=9).filter(|&is| is != 0) {
        iscale = -(nmaxf + 0.1 * is as f32) / max;
        let (sumlx, suml2) = sums(iscale);
        if suml2 > 0.0 && sumlx * sumlx > best * suml2 {
            for (c, &v) in codes.iter_mut().zip(x) {
                *c = (code(iscale, v) + nmax) as u8;
            }
            scale = sumlx / suml2;
            best = scale * sumlx;
        }
    }
    scale
}

/// `make_q3_quants` with `do_rmse`: a signed scale with codes in [−nmax, nmax − 1], refined one
/// code at a time (weights x²); codes stored as `code + nmax`.
fn make_q3_quants(nmax: i32, x: &[f32], codes: &mut [u8]) -> f32 {
    let (max, amax) = signed_max(x);
    if amax < GROUP_MAX_EPS {
        codes.fill(0);
        return 0.0;
    }
    let bound = |l: i32| l.clamp(-nmax, nmax - 1);
    let iscale = -(nmax as f32) / max;
    let mut ls = [0i32; 16];
    let ls = &mut ls[..x.len()];
    let (mut sumlx, mut suml2) = (0.0f32, 0.0f32);
    for (l, &v) in ls.iter_mut().zip(x) {
        *l = bound(nearest_int(iscale * v));
        let w = v * v;
        sumlx += w * v * *l as f32;
        suml2 += w * *l as f32 * *l as f32;
    }
    for _ in 0..5 {
        let mut changed = false;
        for (l, &v) in ls.iter_mut().zip(x) {
            let w = v * v;
            let mut slx = sumlx - w * v * *l as f32;
            if slx > 0.0 {
                let mut sl2 = suml2 - w * *l as f32 * *l as f32;
                let new_l = bound(nearest_int(v * sl2 / slx));
                if new_l != *l {
                    slx += w * v * new_l as f32;
                    sl2 += w * new_l as f32 * new_l as f32;
                    if sl2 > 0.0 && slx * slx * suml2 > sumlx * sumlx * sl2 {
                        *l = new_l;
                        sumlx = slx;
                        suml2 = sl2;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    for (c, &l) in codes.iter_mut().zip(ls.iter()) {
        *c = (l + nmax) as u8;
    }
    if suml2 > 0.0 {
        sumlx / suml2
    } else {
        0.0
    }
}

/// `make_qkx2_quants`: scale and min (`x ≈ scale·l − min`, l in [0, nmax]) chosen among
/// `nstep + 1` trial scales by weighted error (absolute if `USE_MAD`, else squared).
/// Returns `(scale, min)`; `nstep` is at least 1 for every caller.
/// `USE_MAD` is a constant so that each caller's error loop is compiled without the choice.
fn make_qkx2_quants<const USE_MAD: bool>(
    nmax: i32,
    x: &[f32],
    weights: &[f32],
    codes: &mut [u8],
    rmin: f32,
    rdelta: f32,
    nstep: i32,
) -> (f32, f32) {
    let (mut min, mut max) = (x[0], x[0]);
    let mut sum_w = weights[0];
    let mut sum_x = sum_w * x[0];
    for (&v, &w) in x.iter().zip(weights).skip(1) {
        if v < min {
            min = v;
        }
        if v > max {
            max = v;
        }
        sum_w += w;
        sum_x += w * v;
    }
    if min > 0.0 {
        min = 0.0;
    }
    if max == min {
        codes.fill(0);
        return (0.0, -min);
    }
    let nmaxf = nmax as f32;
    let err = |d: f32| if USE_MAD { d.abs() } else { d * d };
    let mut iscale = nmaxf / (max - min);
    let mut scale = 1.0 / iscale;
    let mut best_error = 0.0f32;
    for ((c, &v), &w) in codes.iter_mut().zip(x).zip(weights) {
        // (x − min) first: matters when min is a NaN (from x[0]) and x another NaN.
        *c = nearest_int(mul_nan_a(v - min, iscale)).clamp(0, nmax) as u8;
        best_error += w * err(scale * f32::from(*c) + min - v);
    }
    let mut aux = [0u8; 32];
    let aux = &mut aux[..x.len()];
    for is in 0..=nstep {
        iscale = (rmin + rdelta * is as f32 + nmaxf) / (max - min);
        let (mut sum_l, mut sum_l2, mut sum_xl) = (0.0f32, 0.0f32, 0.0f32);
        for ((a, &v), &w) in aux.iter_mut().zip(x).zip(weights) {
            let l = nearest_int(mul_nan_a(v - min, iscale)).clamp(0, nmax);
            *a = l as u8;
            let l = l as f32;
            sum_l += w * l;
            sum_l2 += w * l * l;
            sum_xl += w * l * v;
        }
        let det = sum_w * sum_l2 - sum_l * sum_l;
        if det > 0.0 {
            let mut this_scale = (sum_w * sum_xl - sum_x * sum_l) / det;
            let mut this_min = (sum_l2 * sum_x - sum_l * sum_xl) / det;
            if this_min > 0.0 {
                this_min = 0.0;
                this_scale = sum_xl / sum_l2;
            }
            let mut cur_error = 0.0f32;
            for ((&a, &v), &w) in aux.iter().zip(x).zip(weights) {
                cur_error += w * err(this_scale * f32::from(a) + this_min - v);
            }
            if cur_error < best_error {
                codes.copy_from_slice(aux);
                best_error = cur_error;
                scale = this_scale;
                min = this_min;
            }
        }
    }
    (scale, -min)
}

// ---------------------------------------------------------------- Q2_K

/// Q2_K block: scales[16] (low nibble scale, high nibble min), qs[64], d, dmin.
const Q2_K_BYTES: usize = format::Q2_K.block_bytes();

pub fn quantize_q2_k(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK_K).zip(out.chunks_exact_mut(Q2_K_BYTES)) {
        let mut codes = [0u8; QK_K];
        let mut scales = [0f32; 16];
        let mut mins = [0f32; 16];
        for j in 0..16 {
            let xs = &xb[16 * j..16 * j + 16];
            let mut weights = [0f32; 16];
            for (w, &v) in weights.iter_mut().zip(xs) {
                *w = v.abs();
            }
            (scales[j], mins[j]) =
                make_qkx2_quants::<true>(3, xs, &weights, &mut codes[16 * j..16 * j + 16], -0.5, 0.1, 15);
        }
        let (d, dm) = q2_k_scales(&scales, &mins, yb);
        for j in 0..16 {
            if d[j] == 0.0 {
                continue;
            }
            for (c, &v) in codes[16 * j..16 * j + 16].iter_mut().zip(&xb[16 * j..]) {
                // x first: matters when dm is NaN (inf·0) and x another NaN.
                *c = nearest_int(add_nan_a(v, dm[j]) / d[j]).clamp(0, 3) as u8;
            }
        }
        pack_2bit(&codes, &mut yb[16..80]);
    }
}

/// The largest value above 0, or 0: ggml's `if (x > max) max = x` from 0 (NaN skipped).
fn positive_max(x: &[f32]) -> f32 {
    x.iter().fold(0.0, |max, &v| if v > max { v } else { max })
}

/// Q2_K's scales, mins and their two fp16 scales from the sub-blocks' searches; returns each
/// sub-block's stored scale and min (`x ≈ d·l − dm`), which the codes are requantized with.
pub(crate) fn q2_k_scales(scales: &[f32; 16], mins: &[f32; 16], yb: &mut [u8]) -> ([f32; 16], [f32; 16]) {
    const Q4SCALE: f32 = 15.0;
    let (max_scale, max_min) = (positive_max(scales), positive_max(mins));
    let sc = &mut yb[..16];
    if max_scale > 0.0 {
        let iscale = Q4SCALE / max_scale;
        for (b, &s) in sc.iter_mut().zip(scales) {
            *b = nearest_int(iscale * s) as u8;
        }
        put_f16(yb, 80, max_scale / Q4SCALE);
    } else {
        sc.fill(0);
        put_f16(yb, 80, 0.0);
    }
    if max_min > 0.0 {
        let iscale = Q4SCALE / max_min;
        for (b, &m) in yb[..16].iter_mut().zip(mins) {
            *b |= (nearest_int(iscale * m) << 4) as u8;
        }
        put_f16(yb, 82, max_min / Q4SCALE);
    } else {
        put_f16(yb, 82, 0.0);
    }
    let (d_all, m_all) = (get_f16(yb, 80), get_f16(yb, 82));
    (core::array::from_fn(|j| d_all * f32::from(yb[j] & 0xf)), core::array::from_fn(|j| m_all * f32::from(yb[j] >> 4)))
}

pub fn dequantize_q2_k(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(Q2_K_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let (d, min) = (get_f16(yb, 80), get_f16(yb, 82));
        let mut y = xb.iter_mut();
        let mut is = 0;
        for half in 0..2 {
            let qs = &yb[16 + 32 * half..48 + 32 * half];
            for shift in [0, 2, 4, 6] {
                for part in [&qs[..16], &qs[16..]] {
                    let sc = yb[is];
                    is += 1;
                    let dl = d * f32::from(sc & 0xf);
                    let ml = min * f32::from(sc >> 4);
                    // `part` first: zip must not pull an extra element from `y`.
                    for (&b, o) in part.iter().zip(y.by_ref()) {
                        *o = dl * f32::from((b >> shift) & 3) - ml;
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------- Q3_K

/// Q3_K block: hmask[32], qs[64], scales[12] (sixteen 6-bit values), d.
const Q3_K_BYTES: usize = format::Q3_K.block_bytes();

/// The 6-bit scale `j` (0..16) from Q3_K's 12 packed bytes.
fn q3_scale(sc: &[u8], j: usize) -> u8 {
    let lo = if j < 8 { sc[j] & 0xf } else { sc[j - 8] >> 4 };
    lo | (((sc[8 + j % 4] >> (2 * (j / 4))) & 3) << 4)
}

pub fn quantize_q3_k(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK_K).zip(out.chunks_exact_mut(Q3_K_BYTES)) {
        let mut codes = [0u8; QK_K];
        let mut scales = [0f32; 16];
        for (j, s) in scales.iter_mut().enumerate() {
            *s = make_q3_quants(4, &xb[16 * j..16 * j + 16], &mut codes[16 * j..16 * j + 16]);
        }
        let d = q3_k_scales(&scales, yb);
        for j in 0..16 {
            if d[j] == 0.0 {
                continue;
            }
            for (c, &v) in codes[16 * j..16 * j + 16].iter_mut().zip(&xb[16 * j..]) {
                *c = (nearest_int(v / d[j]).clamp(-4, 3) + 4) as u8;
            }
        }
        pack_q3_k(&mut codes, yb);
    }
}

/// Q3_K's sixteen 6-bit scales and fp16 scale from the sub-blocks' searches; returns each
/// sub-block's stored scale.
pub(crate) fn q3_k_scales(scales: &[f32; 16], yb: &mut [u8]) -> [f32; 16] {
    let (max_scale, _) = signed_max(scales);
    let sc = &mut yb[96..108];
    sc.fill(0);
    if max_scale != 0.0 {
        let iscale = -32.0 / max_scale;
        for (j, &s) in scales.iter().enumerate() {
            // C stores nearest_int's result in an int8_t before clamping.
            let l = (i32::from(nearest_int(iscale * s) as i8).clamp(-32, 31) + 32) as u8;
            if j < 8 {
                sc[j] = l & 0xf;
            } else {
                sc[j - 8] |= (l & 0xf) << 4;
            }
            sc[j % 4 + 8] |= (l >> 4) << (2 * (j / 4));
        }
        put_f16(yb, 108, 1.0 / iscale);
    } else {
        put_f16(yb, 108, 0.0);
    }
    let d_all = get_f16(yb, 108);
    core::array::from_fn(|j| d_all * f32::from(q3_scale(&yb[96..108], j) as i8 - 32))
}

/// Q3_K's hmask and 2-bit codes from codes in 0..8 (consumed).
pub(crate) fn pack_q3_k(codes: &mut [u8; QK_K], yb: &mut [u8]) {
    // High bit of element j goes to bit j/32 of hmask[j % 32]: run k of 32 codes to bit k.
    let hmask = &mut yb[..32];
    hmask.fill(0);
    for (k, run) in codes.chunks_exact_mut(32).enumerate() {
        for (h, c) in hmask.iter_mut().zip(run) {
            // For a code in 0..8, `c > 3` is bit 2, and `c − 4` then is `c & 3`.
            *h |= (*c >> 2) << k;
            *c &= 3;
        }
    }
    pack_2bit(codes, &mut yb[32..96]);
}

pub fn dequantize_q3_k(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(Q3_K_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let d_all = get_f16(yb, 108);
        let hm = &yb[..32];
        let mut y = xb.iter_mut();
        let (mut is, mut m) = (0, 1u8);
        for half in 0..2 {
            let qs = &yb[32 + 32 * half..64 + 32 * half];
            for shift in [0, 2, 4, 6] {
                for off in [0, 16] {
                    let dl = d_all * f32::from(q3_scale(&yb[96..108], is) as i8 - 32);
                    is += 1;
                    for (l, o) in y.by_ref().take(16).enumerate() {
                        let low = i32::from((qs[off + l] >> shift) & 3);
                        let high = if hm[off + l] & m != 0 { 0 } else { 4 };
                        *o = dl * (low - high) as f32;
                    }
                }
                m <<= 1;
            }
        }
    }
}

// ---------------------------------------------------------------- Q4_K, Q5_K

/// Q4_K and Q5_K scales: eight 6-bit scales and eight 6-bit mins in 12 bytes.
fn pack_scale_min_k4(ls: &[u8; 8], lm: &[u8; 8], sc: &mut [u8]) {
    for j in 0..8 {
        if j < 4 {
            sc[j] = ls[j];
            sc[j + 4] = lm[j];
        } else {
            sc[j + 4] = (ls[j] & 0xf) | ((lm[j] & 0xf) << 4);
            sc[j - 4] |= (ls[j] >> 4) << 6;
            sc[j] |= (lm[j] >> 4) << 6;
        }
    }
}

/// ggml's `get_scale_min_k4`.
fn get_scale_min_k4(j: usize, q: &[u8]) -> (u8, u8) {
    if j < 4 {
        (q[j] & 63, q[j + 4] & 63)
    } else {
        ((q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4), (q[j + 4] >> 4) | ((q[j] >> 6) << 4))
    }
}

/// The shared body of `quantize_row_q4_K_ref` and `quantize_row_q5_K_ref`: writes d, dmin and
/// the 12 scale bytes into `head` (16 bytes) and returns the codes in [0, nmax].
fn quantize_k4_head(xb: &[f32], nmax: i32, rmin: f32, nstep: i32, head: &mut [u8]) -> [u8; QK_K] {
    let mut codes = [0u8; QK_K];
    let mut scales = [0f32; 8];
    let mut mins = [0f32; 8];
    for j in 0..8 {
        let xs = &xb[32 * j..32 * j + 32];
        let mut sum_x2 = 0.0f32;
        for &v in xs {
            sum_x2 += v * v;
        }
        let av_x = (sum_x2 / 32.0).sqrt();
        let mut weights = [0f32; 32];
        for (w, &v) in weights.iter_mut().zip(xs) {
            *w = av_x + v.abs();
        }
        (scales[j], mins[j]) =
            make_qkx2_quants::<false>(nmax, xs, &weights, &mut codes[32 * j..32 * j + 32], rmin, 0.1, nstep);
    }
    let (d, dm) = k4_scales(&scales, &mins, head);
    for j in 0..8 {
        if d[j] == 0.0 {
            continue;
        }
        for (ii, (c, &v)) in codes[32 * j..32 * j + 32].iter_mut().zip(&xb[32 * j..]).enumerate() {
            // Which NaN wins when dm is NaN (inf·0) and x another NaN: the oracle's -O3 build
            // vectorises this loop and, in its last four lanes only, makes dm the first source.
            let s = if ii >= 28 { add_nan_a(dm[j], v) } else { add_nan_a(v, dm[j]) };
            *c = nearest_int(s / d[j]).clamp(0, nmax) as u8;
        }
    }
    codes
}

/// Q4_K's and Q5_K's d, dmin and 12 scale bytes (into `head`) from the sub-blocks' scales and
/// mins; returns each sub-block's stored scale and min (`x ≈ d·l − dm`).
pub(crate) fn k4_scales(scales: &[f32; 8], mins: &[f32; 8], head: &mut [u8]) -> ([f32; 8], [f32; 8]) {
    let (max_scale, max_min) = (positive_max(scales), positive_max(mins));
    let inv_scale = if max_scale > 0.0 { 63.0 / max_scale } else { 0.0 };
    let inv_min = if max_min > 0.0 { 63.0 / max_min } else { 0.0 };
    let (mut ls, mut lm) = ([0u8; 8], [0u8; 8]);
    for j in 0..8 {
        // C keeps the low byte (uint8_t) of nearest_int, then caps it at 63.
        ls[j] = (nearest_int(inv_scale * scales[j]) as u8).min(63);
        lm[j] = (nearest_int(inv_min * mins[j]) as u8).min(63);
    }
    pack_scale_min_k4(&ls, &lm, &mut head[4..16]);
    put_f16(head, 0, max_scale / 63.0);
    put_f16(head, 2, max_min / 63.0);
    let (d_all, m_all) = (get_f16(head, 0), get_f16(head, 2));
    let sm: [(u8, u8); 8] = core::array::from_fn(|j| get_scale_min_k4(j, &head[4..16]));
    (sm.map(|(sc, _)| d_all * f32::from(sc)), sm.map(|(_, m)| m_all * f32::from(m)))
}

/// Q4_K block: d, dmin, scales[12], qs[128].
const Q4_K_BYTES: usize = format::Q4_K.block_bytes();

pub fn quantize_q4_k(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK_K).zip(out.chunks_exact_mut(Q4_K_BYTES)) {
        let codes = quantize_k4_head(xb, 15, -1.0, 20, &mut yb[..16]);
        pack_q4_k(&codes, &mut yb[16..]);
    }
}

/// Q4_K's qs: each 32-byte run holds two 32-element sub-blocks, the first in the low nibbles.
pub(crate) fn pack_q4_k(codes: &[u8; QK_K], qs: &mut [u8]) {
    for (q, c) in qs.chunks_exact_mut(32).zip(codes.chunks_exact(64)) {
        for (l, b) in q.iter_mut().enumerate() {
            *b = c[l] | (c[l + 32] << 4);
        }
    }
}

pub fn dequantize_q4_k(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(Q4_K_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let (d, min) = (get_f16(yb, 0), get_f16(yb, 2));
        for (i, (qs, y)) in yb[16..].chunks_exact(32).zip(xb.chunks_exact_mut(64)).enumerate() {
            let (sc1, m1) = get_scale_min_k4(2 * i, &yb[4..16]);
            let (sc2, m2) = get_scale_min_k4(2 * i + 1, &yb[4..16]);
            let (d1, m1) = (d * f32::from(sc1), min * f32::from(m1));
            let (d2, m2) = (d * f32::from(sc2), min * f32::from(m2));
            for (l, &b) in qs.iter().enumerate() {
                y[l] = d1 * f32::from(b & 0xf) - m1;
                y[l + 32] = d2 * f32::from(b >> 4) - m2;
            }
        }
    }
}

/// Q5_K block: d, dmin, scales[12], qh[32], qs[128].
const Q5_K_BYTES: usize = format::Q5_K.block_bytes();

pub fn quantize_q5_k(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK_K).zip(out.chunks_exact_mut(Q5_K_BYTES)) {
        let codes = quantize_k4_head(xb, 31, -0.5, 15, &mut yb[..16]);
        pack_q5_k(&codes, &mut yb[16..]);
    }
}

/// Q5_K's qh and qs: the low nibbles as Q4_K's; the fifth bit of sub-block 2i (2i + 1) is bit
/// 2i (2i + 1) of qh.
pub(crate) fn pack_q5_k(codes: &[u8; QK_K], rest: &mut [u8]) {
    let (qh, ql) = rest.split_at_mut(32);
    qh.fill(0);
    for (i, (q, c)) in ql.chunks_exact_mut(32).zip(codes.chunks_exact(64)).enumerate() {
        for (l, b) in q.iter_mut().enumerate() {
            let (l1, l2) = (c[l], c[l + 32]);
            if l1 > 15 {
                qh[l] |= 1 << (2 * i);
            }
            if l2 > 15 {
                qh[l] |= 2 << (2 * i);
            }
            *b = (l1 & 0xf) | ((l2 & 0xf) << 4);
        }
    }
}

pub fn dequantize_q5_k(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(Q5_K_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let (d, min) = (get_f16(yb, 0), get_f16(yb, 2));
        let qh = &yb[16..48];
        for (i, (ql, y)) in yb[48..].chunks_exact(32).zip(xb.chunks_exact_mut(64)).enumerate() {
            let (sc1, m1) = get_scale_min_k4(2 * i, &yb[4..16]);
            let (sc2, m2) = get_scale_min_k4(2 * i + 1, &yb[4..16]);
            let (d1, m1) = (d * f32::from(sc1), min * f32::from(m1));
            let (d2, m2) = (d * f32::from(sc2), min * f32::from(m2));
            let (u1, u2) = (1u8 << (2 * i), 2u8 << (2 * i));
            for (l, &b) in ql.iter().enumerate() {
                let h1 = if qh[l] & u1 != 0 { 16 } else { 0 };
                let h2 = if qh[l] & u2 != 0 { 16 } else { 0 };
                y[l] = d1 * f32::from((b & 0xf) + h1) - m1;
                y[l + 32] = d2 * f32::from((b >> 4) + h2) - m2;
            }
        }
    }
}

// ---------------------------------------------------------------- Q6_K

/// Q6_K block: ql[128], qh[64], scales[16] (int8), d.
const Q6_K_BYTES: usize = format::Q6_K.block_bytes();

pub fn quantize_q6_k(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK_K).zip(out.chunks_exact_mut(Q6_K_BYTES)) {
        let mut codes = [0u8; QK_K];
        let mut scales = [0f32; 16];
        for (ib, s) in scales.iter_mut().enumerate() {
            *s = make_qx_quants(32, &xb[16 * ib..16 * ib + 16], &mut codes[16 * ib..16 * ib + 16]);
        }
        let Some(d) = q6_k_scales(&scales, yb) else { continue };
        for j in 0..16 {
            if d[j] == 0.0 {
                continue;
            }
            for (c, &v) in codes[16 * j..16 * j + 16].iter_mut().zip(&xb[16 * j..]) {
                *c = (nearest_int(v / d[j]).clamp(-32, 31) + 32) as u8;
            }
        }
        pack_q6_k(&codes, yb);
    }
}

/// Q6_K's int8 scales and fp16 scale from the sub-blocks' searches; returns each sub-block's
/// stored scale, or none for an all-zero block (then written as zero bytes).
pub(crate) fn q6_k_scales(scales: &[f32; 16], yb: &mut [u8]) -> Option<[f32; 16]> {
    let (max_scale, max_abs_scale) = signed_max(scales);
    if max_abs_scale < GROUP_MAX_EPS {
        // All zero; fp16 0.0 is also zero bytes.
        yb.fill(0);
        return None;
    }
    let iscale = -128.0 / max_scale;
    put_f16(yb, 208, 1.0 / iscale);
    for (b, &s) in yb[192..208].iter_mut().zip(scales) {
        *b = nearest_int(iscale * s).min(127) as i8 as u8;
    }
    let d_all = get_f16(yb, 208);
    Some(core::array::from_fn(|j| d_all * f32::from(yb[192 + j] as i8)))
}

/// Q6_K's ql and qh from codes in 0..64.
pub(crate) fn pack_q6_k(codes: &[u8; QK_K], yb: &mut [u8]) {
    let (ql, qh) = yb[..192].split_at_mut(128);
    for half in 0..2 {
        let c = &codes[128 * half..];
        let ql = &mut ql[64 * half..64 * half + 64];
        let qh = &mut qh[32 * half..32 * half + 32];
        for l in 0..32 {
            ql[l] = (c[l] & 0xf) | ((c[l + 64] & 0xf) << 4);
            ql[l + 32] = (c[l + 32] & 0xf) | ((c[l + 96] & 0xf) << 4);
            qh[l] = (c[l] >> 4) | ((c[l + 32] >> 4) << 2) | ((c[l + 64] >> 4) << 4) | ((c[l + 96] >> 4) << 6);
        }
    }
}

pub fn dequantize_q6_k(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(Q6_K_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let d = get_f16(yb, 208);
        for half in 0..2 {
            let ql = &yb[64 * half..64 * half + 64];
            let qh = &yb[128 + 32 * half..160 + 32 * half];
            let sc = &yb[192 + 8 * half..200 + 8 * half];
            let y = &mut xb[128 * half..128 * half + 128];
            for l in 0..32 {
                let is = l / 16;
                let q1 = ((ql[l] & 0xf) | ((qh[l] & 3) << 4)) as i8 - 32;
                let q2 = ((ql[l + 32] & 0xf) | (((qh[l] >> 2) & 3) << 4)) as i8 - 32;
                let q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) as i8 - 32;
                let q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) as i8 - 32;
                y[l] = d * f32::from(sc[is] as i8) * f32::from(q1);
                y[l + 32] = d * f32::from(sc[is + 2] as i8) * f32::from(q2);
                y[l + 64] = d * f32::from(sc[is + 4] as i8) * f32::from(q3);
                y[l + 96] = d * f32::from(sc[is + 6] as i8) * f32::from(q4);
            }
        }
    }
}

ggml_kernel!(Q2_K, format::Q2_K, quantize_q2_k, dequantize_q2_k);
ggml_kernel!(Q3_K, format::Q3_K, quantize_q3_k, dequantize_q3_k);
ggml_kernel!(Q4_K, format::Q4_K, quantize_q4_k, dequantize_q4_k);
ggml_kernel!(Q5_K, format::Q5_K, quantize_q5_k, dequantize_q5_k);
ggml_kernel!(Q6_K, format::Q6_K, quantize_q6_k, dequantize_q6_k);

// The catalogue's blocks are the fields this code reads and writes (ggml-common.h).
const _: () = {
    let f = [&format::Q2_K, &format::Q3_K, &format::Q4_K, &format::Q5_K, &format::Q6_K];
    let mut i = 0;
    while i < f.len() {
        assert!(f[i].block_elems() == 256);
        i += 1;
    }
    assert!(Q2_K_BYTES == QK_K / 16 + QK_K / 4 + 2 + 2); // scales, qs, d, dmin
    assert!(Q3_K_BYTES == QK_K / 8 + QK_K / 4 + 12 + 2); // hmask, qs, scales, d
    assert!(Q4_K_BYTES == 2 + 2 + 12 + QK_K / 2); // d, dmin, scales, qs
    assert!(Q5_K_BYTES == 2 + 2 + 12 + QK_K / 8 + QK_K / 2); // d, dmin, scales, qh, qs
    assert!(Q6_K_BYTES == QK_K / 2 + QK_K / 4 + QK_K / 16 + 2); // ql, qh, scales, d
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_int_rounds_half_to_even_and_reads_nan_payloads() {
        assert_eq!(nearest_int(2.5), 2);
        assert_eq!(nearest_int(3.5), 4);
        assert_eq!(nearest_int(-2.5), -2);
        assert_eq!(nearest_int(-0.0), 0);
        // Out of its range the trick still gives something definite.
        assert_eq!(nearest_int(f32::INFINITY), -0x40_0000);
        assert_eq!(nearest_int(f32::NEG_INFINITY), -0x40_0000);
        assert_eq!(nearest_int(f32::from_bits(0x7fc0_0000)), 0);
        assert_eq!(nearest_int(f32::from_bits(0xffc0_0000)), 0);
        assert_eq!(nearest_int(f32::from_bits(0x7fc0_1234)), 0x1234);
    }

    #[test]
    fn nan_helpers_keep_the_first_operands_nan() {
        let (a, b) = (f32::from_bits(0x7fc0_1234), f32::from_bits(0xffc0_0000));
        assert_eq!(mul_nan_a(a, b).to_bits(), 0x7fc0_1234);
        assert_eq!(add_nan_a(b, a).to_bits(), 0xffc0_0000);
        assert_eq!(add_nan_a(1.0, a).to_bits(), 0x7fc0_1234);
        assert_eq!(mul_nan_a(2.0, 3.0), 6.0);
    }

    #[test]
    fn scale_min_packing_round_trips() {
        let ls = [0, 63, 17, 5, 40, 63, 1, 33];
        let lm = [63, 0, 9, 48, 2, 31, 62, 16];
        let mut sc = [0u8; 12];
        pack_scale_min_k4(&ls, &lm, &mut sc);
        for j in 0..8 {
            assert_eq!(get_scale_min_k4(j, &sc), (ls[j], lm[j]));
        }
    }

    /// Q6_K by hand: a ramp of integers keeps its exact values through a round trip.
    #[test]
    fn q6_k_round_trips_small_integers() {
        let x: Vec<f32> = (0..256).map(|i| (i % 64) as f32 - 32.0).collect();
        let mut q = [0u8; Q6_K_BYTES];
        quantize_q6_k(&x, &mut q);
        let mut back = [0f32; 256];
        dequantize_q6_k(&q, &mut back);
        for (a, b) in x.iter().zip(&back) {
            assert!((a - b).abs() <= 0.5, "{a} → {b}");
        }
    }

    #[test]
    fn all_zero_blocks_are_all_zero_bytes_where_ggml_says_so() {
        let x = [0f32; 256];
        let mut q = [0xaau8; Q6_K_BYTES];
        quantize_q6_k(&x, &mut q);
        assert!(q.iter().all(|&b| b == 0));
        let mut q = [0xaau8; Q4_K_BYTES];
        quantize_q4_k(&x, &mut q);
        assert!(q.iter().all(|&b| b == 0));
    }
}
