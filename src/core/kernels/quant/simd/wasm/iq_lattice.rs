//! SIMD128 quantizers for ggml's IQ3_XXS and IQ3_S (see ../mod.rs): the reference's scale search
//! and packing (`quantize_iq3_xxs_by`, `quantize_iq3_s_by`) with its inner steps (`Iq3Steps`) in
//! lanes. The trial codes `level(id, x)` four values to a vector where `id` and every value are
//! finite (so no NaN reaches `nearest_int`; otherwise the reference's `level`); the sums
//! Σwxq, Σwq² four trials to a vector, each lane adding over the 32 values in order; and the
//! neighbour search (`iq3_find_best_neighbour`) four neighbours to a vector. Each lane computes its
//! neighbour's weighted squared distance in the reference's order (`d2 += w·diff·diff` over the
//! four values), the lists padded to a multiple of four with NaN values, whose distances compare
//! false as the reference's would; a lane keeps its first strict minimum and the four lanes are
//! joined by (distance, position in the list), which is the reference's sequential `d2 < best`
//! choice. Only comparisons of the distances reach the output, so no input goes to the
//! reference.

use core::arch::wasm32::*;
use std::sync::OnceLock;

use super::Fast;
use crate::core::kernels::quant::iq_lattice::{
    self as reference, iq3s_tables, iq3xxs_tables, level, quantize_iq3_s_by, quantize_iq3_xxs_by, Iq3Steps, Iq3Tables,
};

pub const ROWS: &[(&str, Fast)] = &[
    (reference::IQ3_XXS.id, Fast { quantize: quantize_iq3_xxs, dequantize: reference::IQ3_XXS.dequantize }),
    (reference::IQ3_S.id, Fast { quantize: quantize_iq3_s, dequantize: reference::IQ3_S.dequantize }),
];

/// Four neighbours: element i's values of the four in `values[i]`, their grid indices.
struct Quad {
    values: [v128; 4],
    index: [u16; 4],
}

/// Every point's neighbours as quads: `quads[first[u]..first[u + 1]]`.
struct Lanes {
    first: Vec<u32>,
    quads: Vec<Quad>,
}

impl Lanes {
    fn build(t: &Iq3Tables) -> Lanes {
        let mut first = Vec::with_capacity(4097);
        let mut quads = Vec::new();
        for u in 0..4096 {
            first.push(quads.len() as u32);
            for four in t.neighbours(u).chunks(4) {
                let value = |i: usize, k: usize| four.get(k).map_or(f32::NAN, |&j| t.values(usize::from(j))[i]);
                quads.push(Quad {
                    values: core::array::from_fn(|i| f32x4(value(i, 0), value(i, 1), value(i, 2), value(i, 3))),
                    index: core::array::from_fn(|k| four.get(k).map_or(0, |&j| j)),
                });
            }
        }
        first.push(quads.len() as u32);
        Lanes { first, quads }
    }
}

/// The values `2l + 1` of the codes 0..=7.
const Q: [f32; 8] = [1.0, 3.0, 5.0, 7.0, 9.0, 11.0, 13.0, 15.0];

impl Iq3Steps for Lanes {
    /// `iq3_find_best_neighbour` for off-grid point `u`, four neighbours at a time.
    fn best_neighbour(&self, u: usize, xval: &[f32; 4], weight: &[f32; 4], scale: f32) -> usize {
        let quads = &self.quads[self.first[u] as usize..self.first[u + 1] as usize];
        let s = f32x4_splat(scale);
        let x = xval.map(|v| f32x4_splat(v));
        let w = weight.map(|v| f32x4_splat(v));
        let mut best_d2 = f32x4_splat(f32::MAX);
        let mut best_at = i32x4_splat(0);
        let mut at = i32x4(0, 1, 2, 3);
        for q in quads {
            let mut d2 = f32x4_splat(0.0);
            for i in 0..4 {
                let diff = f32x4_sub(f32x4_mul(s, q.values[i]), x[i]);
                d2 = f32x4_add(d2, f32x4_mul(f32x4_mul(w[i], diff), diff));
            }
            let better = f32x4_lt(d2, best_d2);
            best_d2 = v128_bitselect(d2, best_d2, better);
            best_at = v128_bitselect(at, best_at, better);
            at = i32x4_add(at, i32x4_splat(4));
        }
        let d = [
            f32x4_extract_lane::<0>(best_d2),
            f32x4_extract_lane::<1>(best_d2),
            f32x4_extract_lane::<2>(best_d2),
            f32x4_extract_lane::<3>(best_d2),
        ];
        let p = [
            i32x4_extract_lane::<0>(best_at),
            i32x4_extract_lane::<1>(best_at),
            i32x4_extract_lane::<2>(best_at),
            i32x4_extract_lane::<3>(best_at),
        ];
        let mut k = 0;
        for j in 1..4 {
            if d[j] < d[k] || (d[j] == d[k] && p[j] < p[k]) {
                k = j;
            }
        }
        let p = p[k] as usize;
        usize::from(quads[p / 4].index[p % 4])
    }

    /// `nearest_int(0.5f*(id*x - 1))` clamped to 0..=7, four to a vector: for finite `id` and
    /// values `id·x` is never NaN, and `nearest_int`'s addition and bit mask are the lanes'.
    fn levels(&self, id: f32, xval: &[f32; 32], l: &mut [i8; 32]) {
        let finite = id.is_finite() && xval.iter().all(|x| x.is_finite());
        if !finite {
            *l = xval.map(|x| level(id, x));
            return;
        }
        let (idv, one, half, magic) = (f32x4_splat(id), f32x4_splat(1.0), f32x4_splat(0.5), f32x4_splat(12582912.0));
        for (x, l) in xval.chunks_exact(4).zip(l.chunks_exact_mut(4)) {
            let xv = f32x4(x[0], x[1], x[2], x[3]);
            let v = f32x4_mul(half, f32x4_sub(f32x4_mul(idv, xv), one));
            let n = i32x4_sub(v128_and(f32x4_add(v, magic), i32x4_splat(0x007f_ffff)), i32x4_splat(0x0040_0000));
            let n = i32x4_min(i32x4_max(n, i32x4_splat(0)), i32x4_splat(7));
            l[0] = i32x4_extract_lane::<0>(n) as i8;
            l[1] = i32x4_extract_lane::<1>(n) as i8;
            l[2] = i32x4_extract_lane::<2>(n) as i8;
            l[3] = i32x4_extract_lane::<3>(n) as i8;
        }
    }

    /// Σ w·x·q and Σ w·q² of four trials to a vector, each lane over the values in order.
    fn sums(&self, weight: &[f32; 32], xval: &[f32; 32], ls: &[[i8; 32]], out: &mut [(f32, f32)]) {
        for (ls, out) in ls.chunks(4).zip(out.chunks_mut(4)) {
            let code = |t: usize, i: usize| ls.get(t).map_or(0, |l| l[i] as usize);
            let (mut sumqx, mut sumq2) = (f32x4_splat(0.0), f32x4_splat(0.0));
            for i in 0..32 {
                let q = f32x4(Q[code(0, i) & 7], Q[code(1, i) & 7], Q[code(2, i) & 7], Q[code(3, i) & 7]);
                let w = weight[i];
                sumqx = f32x4_add(sumqx, f32x4_mul(f32x4_splat(w * xval[i]), q));
                sumq2 = f32x4_add(sumq2, f32x4_mul(f32x4_mul(f32x4_splat(w), q), q));
            }
            let qx = [
                f32x4_extract_lane::<0>(sumqx),
                f32x4_extract_lane::<1>(sumqx),
                f32x4_extract_lane::<2>(sumqx),
                f32x4_extract_lane::<3>(sumqx),
            ];
            let q2 = [
                f32x4_extract_lane::<0>(sumq2),
                f32x4_extract_lane::<1>(sumq2),
                f32x4_extract_lane::<2>(sumq2),
                f32x4_extract_lane::<3>(sumq2),
            ];
            for (t, o) in out.iter_mut().enumerate() {
                *o = (qx[t], q2[t]);
            }
        }
    }
}

fn iq3xxs_lanes() -> &'static Lanes {
    static LANES: OnceLock<Lanes> = OnceLock::new();
    LANES.get_or_init(|| Lanes::build(iq3xxs_tables()))
}

fn iq3s_lanes() -> &'static Lanes {
    static LANES: OnceLock<Lanes> = OnceLock::new();
    LANES.get_or_init(|| Lanes::build(iq3s_tables()))
}

pub fn quantize_iq3_xxs(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    quantize_iq3_xxs_by(x, out, iq3xxs_lanes());
}

pub fn quantize_iq3_s(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    quantize_iq3_s_by(x, out, iq3s_lanes());
}
