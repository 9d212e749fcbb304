//! SIMD128 quantizers for ggml's IQ3_XXS and IQ3_S (see ../mod.rs): the reference's scale search
//! and packing (`quantize_iq3_xxs_by`, `quantize_iq3_s_by`) with its neighbour search
//! (`iq3_find_best_neighbour`) run four neighbours to a vector. Each lane computes its
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
    self as reference, iq3s_tables, iq3xxs_tables, quantize_iq3_s_by, quantize_iq3_xxs_by, Iq3Tables,
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

    /// `iq3_find_best_neighbour` for off-grid point `u`, four neighbours at a time.
    fn best(&self, u: usize, xval: &[f32; 4], weight: &[f32; 4], scale: f32) -> usize {
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
    let lanes = iq3xxs_lanes();
    quantize_iq3_xxs_by(x, out, |u, x, w, s| lanes.best(u, x, w, s));
}

pub fn quantize_iq3_s(x: &[f32], _row: usize, _scale: f32, out: &mut [u8]) {
    let lanes = iq3s_lanes();
    quantize_iq3_s_by(x, out, |u, x, w, s| lanes.best(u, x, w, s));
}
