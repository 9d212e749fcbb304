//! ggml's lattice i-quants: IQ1_S, IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS and IQ3_S (256-element
//! super-blocks whose groups of 8 or 4 values are points of a fixed grid, with signs and small
//! scales). The dequantizers follow `dequantize_row_iq*` in ggml-quants.c statement by statement
//! (f32 arithmetic in C's order, which is also gguf-py's `quants.py`), reading the grids of
//! `iq_grids` (ggml's tables, as data).
//!
//! Quantizers: IQ3_XXS and IQ3_S, byte-exact ports of `quantize_row_iq3_xxs_impl` and
//! `quantize_row_iq3_s_impl` as ggml runs them without an importance matrix (weights x²), with
//! the neighbour lists `iq3xs_init_impl` builds. The IQ1 and IQ2 types have none here: ggml
//! asserts an importance matrix for IQ1_S, IQ2_XXS and IQ2_XS (`ggml_quantize_requires_imatrix`),
//! and llama-quantize refuses every one of them without one (`tensor_requires_imatrix` in
//! llama-quant.cpp), so the lab reads them (`READ_ONLY` in `mod.rs`) but does not make them.

use super::ggml_common::c_max;
use super::ggml_legacy::ggml_kernel;
use super::iq_grids::{IQ1S_CODES, IQ2S_CODES, IQ2XS_CODES, IQ2XXS_CODES, IQ3S_CODES, IQ3XXS_CODES};
use super::kquants::{get_f16, nearest_int, put_f16, QK_K};
use super::Kernel;
use crate::core::catalog::format;

/// Expands codes of `BITS` bits an element (element j in bits `BITS·j ..`) through a value map:
/// 2-bit codes into eight grid values (IQ1, IQ2), 3-bit codes into four (IQ3).
const fn expand<T: Copy, const BITS: usize, const W: usize, const N: usize, const M: usize>(
    codes: &[u16; N],
    map: [T; M],
) -> [[T; W]; N] {
    let mut out = [[map[0]; W]; N];
    let mask = (1u16 << BITS) - 1;
    let mut k = 0;
    while k < N {
        let mut j = 0;
        while j < W {
            out[k][j] = map[((codes[k] >> (BITS * j)) & mask) as usize];
            j += 1;
        }
        k += 1;
    }
    out
}

/// The IQ2 grids' three magnitudes (ggml stores them as bytes 0x08, 0x19, 0x2b).
const IQ2_MAP: [i8; 3] = [0x08, 0x19, 0x2b];
/// `iq2xxs_grid`, `iq2xs_grid`, `iq2s_grid`: eight magnitudes per point.
static IQ2XXS_GRID: [[i8; 8]; 256] = expand::<_, 2, 8, _, _>(&IQ2XXS_CODES, IQ2_MAP);
static IQ2XS_GRID: [[i8; 8]; 512] = expand::<_, 2, 8, _, _>(&IQ2XS_CODES, IQ2_MAP);
static IQ2S_GRID: [[i8; 8]; 1024] = expand::<_, 2, 8, _, _>(&IQ2S_CODES, IQ2_MAP);
/// `iq1s_grid`: eight values of −1, 0, 1 per point.
static IQ1S_GRID: [[i8; 8]; 2048] = expand::<_, 2, 8, _, _>(&IQ1S_CODES, [-1, 0, 1]);
/// `iq3xxs_grid`: its last magnitude is 0x3e, not 2·7 + 1 scaled (the quantizer's grid is).
static IQ3XXS_GRID: [[u8; 4]; 256] =
    expand::<_, 3, 4, _, _>(&IQ3XXS_CODES, [0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3e]);
/// `iq3s_grid` (and, for both IQ3 types, the quantizer's grid `2l + 1`).
static IQ3S_GRID: [[u8; 4]; 512] = expand::<_, 3, 4, _, _>(&IQ3S_CODES, [1, 3, 5, 7, 9, 11, 13, 15]);

/// ggml's `ksigns_iq2xs`: seven sign bits and, in bit 7, the one that makes the count even.
const fn ksigns(i: u32) -> u8 {
    (i | ((i.count_ones() & 1) << 7)) as u8
}

/// `grid × ±1` as ggml multiplies it: `db * grid[j] * (sign ? -1.f : 1.f)`.
fn signed(db: f32, g: f32, negative: bool) -> f32 {
    db * g * if negative { -1.0 } else { 1.0 }
}

fn u16_at(q: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([q[at], q[at + 1]])
}

fn u32_at(q: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([q[at], q[at + 1], q[at + 2], q[at + 3]])
}

const IQ2_XXS_BYTES: usize = format::IQ2_XXS.block_bytes();
const IQ2_XS_BYTES: usize = format::IQ2_XS.block_bytes();
const IQ2_S_BYTES: usize = format::IQ2_S.block_bytes();
const IQ3_XXS_BYTES: usize = format::IQ3_XXS.block_bytes();
const IQ3_S_BYTES: usize = format::IQ3_S.block_bytes();
const IQ1_S_BYTES: usize = format::IQ1_S.block_bytes();
const IQ1_M_BYTES: usize = format::IQ1_M.block_bytes();

// The catalogue's blocks are the fields this code reads and writes (ggml-common.h).
const _: () = {
    let f = [&format::IQ2_XXS, &format::IQ2_XS, &format::IQ2_S, &format::IQ3_XXS];
    let mut i = 0;
    while i < f.len() {
        assert!(f[i].block_elems() == QK_K);
        i += 1;
    }
    assert!(format::IQ3_S.block_elems() == QK_K);
    assert!(format::IQ1_S.block_elems() == QK_K && format::IQ1_M.block_elems() == QK_K);
    assert!(IQ2_XXS_BYTES == 2 + QK_K / 4); // d, u16 qs[QK_K/8]
    assert!(IQ2_XS_BYTES == 2 + QK_K / 4 + QK_K / 32); // d, u16 qs[QK_K/8], scales
    assert!(IQ2_S_BYTES == 2 + QK_K / 4 + QK_K / 32 + QK_K / 32); // d, qs (+signs), qh, scales
    assert!(IQ3_XXS_BYTES == 2 + 3 * QK_K / 8); // d, qs, scales_and_signs
    assert!(IQ3_S_BYTES == 2 + QK_K / 4 + QK_K / 32 + QK_K / 8 + QK_K / 64); // d, qs, qh, signs, scales
    assert!(IQ1_S_BYTES == 2 + QK_K / 8 + QK_K / 16); // d, qs, u16 qh[QK_K/32]
    assert!(IQ1_M_BYTES == QK_K / 8 + QK_K / 16 + QK_K / 32); // qs, qh, scales (d inside)
};

/// IQ2_XXS: per 32 values two u32, the first four grid indices, the second four 7-bit sign
/// codes and a 4-bit scale.
pub fn dequantize_iq2_xxs(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(IQ2_XXS_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let d = get_f16(yb, 0);
        for (ib, y) in xb.chunks_exact_mut(32).enumerate() {
            let at = 2 + 8 * ib;
            let aux1 = u32_at(yb, at + 4);
            let db = d * (0.5 + (aux1 >> 28) as f32) * 0.25;
            for (l, y) in y.chunks_exact_mut(8).enumerate() {
                let grid = &IQ2XXS_GRID[usize::from(yb[at + l])];
                let signs = ksigns((aux1 >> (7 * l)) & 127);
                for (j, v) in y.iter_mut().enumerate() {
                    *v = signed(db, f32::from(grid[j]), signs & (1 << j) != 0);
                }
            }
        }
    }
}

/// IQ2_XS: u16 per 8 values (9-bit grid index, 7-bit sign code), a 4-bit scale per 16.
pub fn dequantize_iq2_xs(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(IQ2_XS_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let d = get_f16(yb, 0);
        for (ib, y) in xb.chunks_exact_mut(32).enumerate() {
            let sc = yb[66 + ib];
            let db = [d * (0.5 + f32::from(sc & 0xf)) * 0.25, d * (0.5 + f32::from(sc >> 4)) * 0.25];
            for (l, y) in y.chunks_exact_mut(8).enumerate() {
                let code = u16_at(yb, 2 + 2 * (4 * ib + l));
                let grid = &IQ2XS_GRID[usize::from(code & 511)];
                let signs = ksigns(u32::from(code >> 9));
                for (j, v) in y.iter_mut().enumerate() {
                    *v = signed(db[l / 2], f32::from(grid[j]), signs & (1 << j) != 0);
                }
            }
        }
    }
}

/// IQ2_S: 10-bit grid indices (8 low bits in qs, 2 high in qh), explicit sign bytes, a 4-bit
/// scale per 16.
pub fn dequantize_iq2_s(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(IQ2_S_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let d = get_f16(yb, 0);
        let (qs, signs, qh, scales) = (&yb[2..34], &yb[34..66], &yb[66..74], &yb[74..82]);
        for (ib, y) in xb.chunks_exact_mut(32).enumerate() {
            let db = [d * (0.5 + f32::from(scales[ib] & 0xf)) * 0.25, d * (0.5 + f32::from(scales[ib] >> 4)) * 0.25];
            for (l, y) in y.chunks_exact_mut(8).enumerate() {
                let index = usize::from(qs[4 * ib + l]) | ((usize::from(qh[ib]) << (8 - 2 * l)) & 0x300);
                let grid = &IQ2S_GRID[index];
                let s = signs[4 * ib + l];
                for (j, v) in y.iter_mut().enumerate() {
                    *v = signed(db[l / 2], f32::from(grid[j]), s & (1 << j) != 0);
                }
            }
        }
    }
}

/// IQ3_XXS: one byte per 4 values (an index into the 256-point grid); per 32 values a u32 of
/// four 7-bit sign codes and a 4-bit scale.
pub fn dequantize_iq3_xxs(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(IQ3_XXS_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let d = get_f16(yb, 0);
        for (ib, y) in xb.chunks_exact_mut(32).enumerate() {
            let aux = u32_at(yb, 2 + QK_K / 4 + 4 * ib);
            let db = d * (0.5 + (aux >> 28) as f32) * 0.5;
            let qs = &yb[2 + 8 * ib..];
            for (l, y) in y.chunks_exact_mut(8).enumerate() {
                let signs = ksigns((aux >> (7 * l)) & 127);
                let (g1, g2) = (&IQ3XXS_GRID[usize::from(qs[2 * l])], &IQ3XXS_GRID[usize::from(qs[2 * l + 1])]);
                for j in 0..4 {
                    y[j] = signed(db, f32::from(g1[j]), signs & (1 << j) != 0);
                    y[j + 4] = signed(db, f32::from(g2[j]), signs & (1 << (j + 4)) != 0);
                }
            }
        }
    }
}

/// IQ3_S: 9-bit indices into the 512-point grid (8 low bits in qs, the ninth in qh), explicit
/// sign bytes, a 4-bit odd scale `1 + 2s` per 32.
pub fn dequantize_iq3_s(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(IQ3_S_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let d = get_f16(yb, 0);
        let (qs, qh, signs, scales) = (&yb[2..66], &yb[66..74], &yb[74..106], &yb[106..110]);
        for (ib, y) in xb.chunks_exact_mut(32).enumerate() {
            let s = scales[ib / 2] >> (4 * (ib % 2)) & 0xf;
            let db = d * f32::from(1 + 2 * s);
            let (qs, h, sg) = (&qs[8 * ib..], u16::from(qh[ib]), &signs[4 * ib..]);
            for (l, y) in y.chunks_exact_mut(8).enumerate() {
                let i1 = usize::from(u16::from(qs[2 * l]) | ((h << (8 - 2 * l)) & 256));
                let i2 = usize::from(u16::from(qs[2 * l + 1]) | ((h << (7 - 2 * l)) & 256));
                let (g1, g2) = (&IQ3S_GRID[i1], &IQ3S_GRID[i2]);
                for j in 0..4 {
                    y[j] = signed(db, f32::from(g1[j]), sg[l] & (1 << j) != 0);
                    y[j + 4] = signed(db, f32::from(g2[j]), sg[l] & (1 << (j + 4)) != 0);
                }
            }
        }
    }
}

/// ggml's `IQ1S_DELTA` (and `IQ1M_DELTA`): the shift of every IQ1 grid value.
const IQ1_DELTA: f32 = 0.125;

/// IQ1_S: 11-bit indices into the 2048-point ternary grid (8 low bits in qs, 3 high in qh); per
/// 32 values a u16 qh holding the four high parts, a 3-bit odd scale and the shift's sign.
pub fn dequantize_iq1_s(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(IQ1_S_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let d = get_f16(yb, 0);
        for (ib, y) in xb.chunks_exact_mut(32).enumerate() {
            let qh = u16_at(yb, 2 + QK_K / 8 + 2 * ib);
            let dl = d * f32::from(2 * ((qh >> 12) & 7) + 1);
            let delta = if qh & 0x8000 != 0 { -IQ1_DELTA } else { IQ1_DELTA };
            for (l, y) in y.chunks_exact_mut(8).enumerate() {
                let index = usize::from(yb[2 + 4 * ib + l]) | (usize::from((qh >> (3 * l)) & 7) << 8);
                for (v, &g) in y.iter_mut().zip(&IQ1S_GRID[index]) {
                    *v = dl * (f32::from(g) + delta);
                }
            }
        }
    }
}

/// IQ1_M: as IQ1_S's grid, with a 3-bit scale per 16 values, the shift's sign per 8, and the
/// block's fp16 scale spread over the top nibbles of the four u16 scale words.
pub fn dequantize_iq1_m(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(IQ1_M_BYTES).zip(out.chunks_exact_mut(QK_K)) {
        let (qs, qhs) = (&yb[..32], &yb[32..48]);
        let sc = [u16_at(yb, 48), u16_at(yb, 50), u16_at(yb, 52), u16_at(yb, 54)];
        let bits = (sc[0] >> 12) | ((sc[1] >> 8) & 0x00f0) | ((sc[2] >> 4) & 0x0f00) | (sc[3] & 0xf000);
        let d = half::f16::from_bits(bits).to_f32();
        for (ib, y) in xb.chunks_exact_mut(32).enumerate() {
            let s = sc[ib / 2] >> (6 * (ib % 2));
            let dl = [d * f32::from(2 * (s & 7) + 1), d * f32::from(2 * ((s >> 3) & 7) + 1)];
            let (qs, qh) = (&qs[4 * ib..], &qhs[2 * ib..]);
            for (l, y) in y.chunks_exact_mut(8).enumerate() {
                let h = u16::from(qh[l / 2]);
                let (high, negative) = if l % 2 == 0 { (h << 8, h & 0x08 != 0) } else { (h << 4, h & 0x80 != 0) };
                let index = usize::from(u16::from(qs[l]) | (high & 0x700));
                let delta = if negative { -IQ1_DELTA } else { IQ1_DELTA };
                for (v, &g) in y.iter_mut().zip(&IQ1S_GRID[index]) {
                    *v = dl[l / 2] * (f32::from(g) + delta);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// IQ3 quantization

/// The quantizer's view of an IQ3 grid (`iq3xs_init_impl`): each point as four codes `l`
/// (value `2l + 1`), a map from the 4096 points of {0..7}⁴ (3 bits each, element j in bits
/// 3j..3j+2) to their grid index or, off the grid, to −(offset + 1) into `neighbours`, which holds
/// at each such offset a count n and the n grid points nearest to it: every point at the
/// nearest 2 (IQ3_XXS) or 3 (IQ3_S) distinct squared distances, ordered by distance, then index.
pub(crate) struct Iq3Tables {
    grid: Vec<[u8; 4]>,
    /// Each point's values `2l + 1` as floats (what ggml's `iq3*_grid` bytes convert to).
    values: Vec<[f32; 4]>,
    map: Vec<i32>,
    neighbours: Vec<u16>,
}

const KMAP_SIZE: usize = 4096;

impl Iq3Tables {
    fn build(codes: &[u16], nwant: usize) -> Iq3Tables {
        let levels = |c: usize| -> [u8; 4] { core::array::from_fn(|k| ((c >> (3 * k)) & 7) as u8) };
        let grid: Vec<[u8; 4]> = codes.iter().map(|&c| levels(usize::from(c))).collect();
        let mut map = vec![-1i32; KMAP_SIZE];
        for (i, &c) in codes.iter().enumerate() {
            map[usize::from(c)] = i as i32;
        }
        let mut neighbours = Vec::new();
        let mut dist2: Vec<(i32, usize)> = Vec::with_capacity(grid.len());
        for (i, m) in map.iter_mut().enumerate() {
            if *m >= 0 {
                continue;
            }
            let pos = levels(i);
            dist2.clear();
            for (j, g) in grid.iter().enumerate() {
                // Values 2l + 1 differ by twice the codes' difference.
                let d2: i32 = (0..4).map(|k| (2 * (i32::from(g[k]) - i32::from(pos[k]))).pow(2)).sum();
                dist2.push((d2, j));
            }
            dist2.sort_unstable();
            *m = -(neighbours.len() as i32 + 1);
            let start = neighbours.len();
            neighbours.push(0);
            let (mut d2, mut nhave) = (dist2[0].0, 1);
            for &(d, j) in &dist2 {
                if d > d2 {
                    if nhave == nwant {
                        break;
                    }
                    d2 = d;
                    nhave += 1;
                }
                neighbours.push(j as u16);
            }
            neighbours[start] = (neighbours.len() - start - 1) as u16;
        }
        let values = grid.iter().map(|g| g.map(|l| f32::from(2 * l + 1))).collect();
        Iq3Tables { grid, values, map, neighbours }
    }

    /// `iq3_find_best_neighbour`: among the neighbours of off-grid point `u`, the index of the one
    /// nearest `xval` (weighted squared error at `scale`). Where every distance fails
    /// `d2 < FLT_MAX` (NaN or infinite inputs) ggml aborts (`GGML_ASSERT`); this kernel takes the
    /// first neighbour there instead, and no fixture holds such a block.
    fn best_neighbour(&self, u: usize, xval: &[f32; 4], weight: &[f32; 4], scale: f32) -> usize {
        let start = (-self.map[u] - 1) as usize;
        let n = usize::from(self.neighbours[start]);
        let list = &self.neighbours[start + 1..start + 1 + n];
        let mut best_d2 = f32::MAX;
        let mut best = usize::from(list[0]);
        for &j in list {
            let v = &self.values[usize::from(j)];
            let mut d2 = 0.0f32;
            for i in 0..4 {
                let diff = scale * v[i] - xval[i];
                d2 += weight[i] * diff * diff;
            }
            if d2 < best_d2 {
                best_d2 = d2;
                best = usize::from(j);
            }
        }
        best
    }

    /// The neighbour list of point `u` of {0..7}⁴ (empty when `u` is on the grid).
    #[cfg_attr(not(all(target_arch = "wasm32", target_feature = "simd128")), allow(dead_code))]
    pub(crate) fn neighbours(&self, u: usize) -> &[u16] {
        match usize::try_from(-self.map[u] - 1) {
            Ok(start) => &self.neighbours[start + 1..start + 1 + usize::from(self.neighbours[start])],
            Err(_) => &[],
        }
    }

    /// Grid point `index`'s values `2l + 1` as floats.
    #[cfg_attr(not(all(target_arch = "wasm32", target_feature = "simd128")), allow(dead_code))]
    pub(crate) fn values(&self, index: usize) -> &[f32; 4] {
        &self.values[index]
    }

    /// Writes the codes of grid point `index` to `l`.
    fn put_codes(&self, index: usize, l: &mut [i8; 4]) {
        *l = self.grid[index].map(|c| c as i8);
    }

    /// The grid index of the point whose codes are `l` (which is on the grid by construction).
    fn index_of(&self, l: &[i8; 4]) -> usize {
        usize::try_from(self.map[point(l)]).unwrap_or(0)
    }
}

/// The point of {0..7}⁴ whose codes are `l` (3 bits each, element j in bits 3j..3j+2).
fn point(l: &[i8; 4]) -> usize {
    (l[0] as usize) | ((l[1] as usize) << 3) | ((l[2] as usize) << 6) | ((l[3] as usize) << 9)
}

/// Four of 32 values, as an array.
fn four<T>(v: &[T; 32], k: usize) -> &[T; 4] {
    v[4 * k..4 * k + 4].try_into().expect("four values")
}

fn four_mut<T>(v: &mut [T; 32], k: usize) -> &mut [T; 4] {
    (&mut v[4 * k..4 * k + 4]).try_into().expect("four values")
}

static IQ3XXS_TABLES: std::sync::OnceLock<Iq3Tables> = std::sync::OnceLock::new();
static IQ3S_TABLES: std::sync::OnceLock<Iq3Tables> = std::sync::OnceLock::new();

pub(crate) fn iq3xxs_tables() -> &'static Iq3Tables {
    IQ3XXS_TABLES.get_or_init(|| Iq3Tables::build(&IQ3XXS_CODES, 2))
}

pub(crate) fn iq3s_tables() -> &'static Iq3Tables {
    IQ3S_TABLES.get_or_init(|| Iq3Tables::build(&IQ3S_CODES, 3))
}

/// `kMaxQ`: eight levels per element.
const K_MAX_Q: i32 = 8;
/// ggml's `GROUP_MAX_EPS_IQ3_XXS`.
const GROUP_MAX_EPS_IQ3_XXS: f32 = 1e-8;

/// A NaN as x86 arithmetic passes it on: quieted, payload and sign kept.
fn quiet(v: f32) -> f32 {
    f32::from_bits(v.to_bits() | 0x0040_0000)
}

/// `nearest_int(0.5f*(id*x - 1))` clamped to the codes 0..=7. An input NaN reaches
/// `nearest_int` with its payload (quieted), as on x86; spelled out so that wasm agrees.
pub(crate) fn level(id: f32, x: f32) -> i8 {
    let v = if x.is_nan() {
        quiet(x)
    } else if id.is_nan() {
        quiet(id)
    } else {
        0.5 * (id * x - 1.0)
    };
    nearest_int(v).clamp(0, K_MAX_Q - 1) as i8
}

/// Σ w·x·q and Σ w·q² over the codes `l` (q = 2l + 1), in ggml's order.
fn sums(weight: &[f32], xval: &[f32], l: &[i8]) -> (f32, f32) {
    let (mut sumqx, mut sumq2) = (0.0f32, 0.0f32);
    for ((&w, &x), &li) in weight.iter().zip(xval).zip(l) {
        let q = f32::from(2 * li + 1);
        sumqx += w * x * q;
        sumq2 += w * q * q;
    }
    (sumqx, sumq2)
}

/// The two IQ3 types' scale searches differ in three details.
#[derive(Clone, Copy)]
enum Iq3 {
    /// 31 trial scales; groups start as on the grid, and only those off it are requantized.
    Xxs,
    /// 19 trial scales; groups start as off the grid, and all are requantized (ggml comments
    /// out the `continue`).
    S,
}

/// The scale search of one 32-value group, shared by IQ3_XXS and IQ3_S: trial scales
/// `(15 + 0.2·is) / max`, each group of 4 snapped to the grid (or to its best neighbour), the
/// best by (Σwxq)²/Σwq²; then the groups off the grid requantized at that scale and the scale
/// refitted. Returns the scale; the codes are left in `l`.
/// The scale search's inner steps: the reference's (`Iq3Tables`), or a SIMD kernel's, which must
/// give the same results for every input.
pub(crate) trait Iq3Steps {
    /// `iq3_find_best_neighbour`: the grid index nearest `xval` among off-grid point `u`'s
    /// neighbours, at `scale`, with weights `weight`.
    fn best_neighbour(&self, u: usize, xval: &[f32; 4], weight: &[f32; 4], scale: f32) -> usize;

    /// `level(id, x)` of each of the 32 values.
    fn levels(&self, id: f32, xval: &[f32; 32], l: &mut [i8; 32]) {
        *l = xval.map(|x| level(id, x));
    }

    /// `sums(weight, xval, l)` of each trial's codes `l`.
    fn sums(&self, weight: &[f32; 32], xval: &[f32; 32], ls: &[[i8; 32]], out: &mut [(f32, f32)]) {
        for (o, l) in out.iter_mut().zip(ls) {
            *o = sums(weight, xval, l);
        }
    }
}

impl Iq3Steps for Iq3Tables {
    fn best_neighbour(&self, u: usize, xval: &[f32; 4], weight: &[f32; 4], scale: f32) -> usize {
        Iq3Tables::best_neighbour(self, u, xval, weight, scale)
    }
}

/// The most trial scales of a search (IQ3_XXS's 31).
const MAX_TRIALS: usize = 31;

/// The scale search with its neighbour search given.
fn search_scale_by(
    t: &Iq3Tables,
    kind: Iq3,
    xval: &[f32; 32],
    weight: &[f32; 32],
    max: f32,
    l: &mut [i8; 32],
    steps: &impl Iq3Steps,
) -> f32 {
    let (trials, on_grid_start, refit_all) = match kind {
        Iq3::Xxs => (-15..=15, true, false),
        Iq3::S => (-9..=9, false, true),
    };
    let waux: [f32; 32] = core::array::from_fn(|i| weight[i].sqrt());
    let nmax = (2 * K_MAX_Q - 1) as f32;
    let mut best = 0.0f32;
    let mut scale = max / nmax;
    let mut is_on_grid = [on_grid_start; 8];
    // Each trial's codes depend on its scale only; the sums of all are taken together, and the
    // best chosen in trial order.
    let mut lauxs = [[0i8; 32]; MAX_TRIALS];
    let mut on_grids = [[true; 8]; MAX_TRIALS];
    let mut n = 0;
    for is in trials {
        let id = (nmax + is as f32 * 0.2) / max;
        let this_scale = 1.0 / id;
        let laux = &mut lauxs[n];
        steps.levels(id, xval, laux);
        for (k, on) in on_grids[n].iter_mut().enumerate() {
            let (x, g) = (four(xval, k), four_mut(laux, k));
            let u = point(g);
            if t.map[u] < 0 {
                *on = false;
                t.put_codes(steps.best_neighbour(u, x, four(&waux, k), this_scale), g);
            }
        }
        n += 1;
    }
    let mut trial_sums = [(0.0f32, 0.0f32); MAX_TRIALS];
    steps.sums(weight, xval, &lauxs[..n], &mut trial_sums[..n]);
    for ((laux, on_grid), &(sumqx, sumq2)) in lauxs.iter().zip(&on_grids).zip(&trial_sums[..n]) {
        if sumq2 > 0.0 && sumqx * sumqx > best * sumq2 {
            scale = sumqx / sumq2;
            best = scale * sumqx;
            *l = *laux;
            is_on_grid = *on_grid;
        }
    }
    if is_on_grid.iter().any(|&g| !g) && scale > 0.0 {
        let id = 1.0 / scale;
        for (k, &on) in is_on_grid.iter().enumerate() {
            if on && !refit_all {
                continue;
            }
            let x = four(xval, k);
            let u = point(&x.map(|x| level(id, x)));
            let index =
                if t.map[u] < 0 { steps.best_neighbour(u, x, four(&waux, k), scale) } else { t.map[u] as usize };
            t.put_codes(index, four_mut(l, k));
        }
        let (sumqx, sumq2) = sums(weight, xval, l);
        if sumq2 > 0.0 {
            scale = sumqx / sumq2;
        }
    }
    scale
}

/// `0.5·(id·s − 1)` rounded and clamped to a 4-bit block scale.
fn scale_code(id: f32, s: f32) -> u8 {
    nearest_int(0.5 * (id * s - 1.0)).clamp(0, 15) as u8
}

/// `quantize_row_iq3_xxs_impl(256, …)` with no importance matrix: per 32 values, signs made
/// even by flipping the smallest w·x² when their count is odd (seven stored, the eighth implied);
/// the scale search on |x|; a 4-bit scale against the block's `max_scale / 31` (stored × 1.0125).
pub fn quantize_iq3_xxs(x: &[f32], out: &mut [u8]) {
    quantize_iq3_xxs_by(x, out, iq3xxs_tables());
}

/// `quantize_iq3_xxs` with its neighbour search given (the SIMD kernel's).
pub(crate) fn quantize_iq3_xxs_by(x: &[f32], out: &mut [u8], steps: &impl Iq3Steps) {
    let t = iq3xxs_tables();
    for (xbl, yb) in x.chunks_exact(QK_K).zip(out.chunks_exact_mut(IQ3_XXS_BYTES)) {
        yb.fill(0);
        let mut q3 = [0u8; QK_K / 4];
        let mut scales_and_signs = [0u32; QK_K / 32];
        let mut scales = [0f32; QK_K / 32];
        let mut max_scale = 0.0f32;
        for (ib, xb) in xbl.chunks_exact(32).enumerate() {
            let weight: [f32; 32] = core::array::from_fn(|i| xb[i] * xb[i]);
            let mut xval = [0f32; 32];
            let mut block_signs = [0u8; 4];
            for (k, bs) in block_signs.iter_mut().enumerate() {
                let (mut nflip, mut s) = (0, 0u8);
                for i in 0..8 {
                    let v = xb[8 * k + i];
                    if v >= 0.0 {
                        xval[8 * k + i] = v;
                    } else {
                        xval[8 * k + i] = -v;
                        nflip += 1;
                        s |= 1 << i;
                    }
                }
                if nflip % 2 == 1 {
                    let wx2 = |i: usize| weight[8 * k + i] * xb[8 * k + i] * xb[8 * k + i];
                    let (mut imin, mut min) = (0, wx2(0));
                    for i in 1..8 {
                        if wx2(i) < min {
                            min = wx2(i);
                            imin = i;
                        }
                    }
                    xval[8 * k + imin] = -xval[8 * k + imin];
                    s ^= 1 << imin;
                }
                *bs = s & 127;
            }
            let max = xval[1..].iter().fold(xval[0], |m, &v| c_max(m, v));
            let mut l = [0i8; 32];
            if max < GROUP_MAX_EPS_IQ3_XXS {
                continue;
            }
            let mut scale = search_scale_by(t, Iq3::Xxs, &xval, &weight, max, &mut l, steps);
            if scale < 0.0 {
                scale = -scale;
                for bs in &mut block_signs {
                    *bs = !*bs & 127;
                }
            }
            for (k, q) in q3[8 * ib..8 * ib + 8].iter_mut().enumerate() {
                *q = t.index_of(four(&l, k)) as u8;
            }
            scales_and_signs[ib] =
                block_signs.iter().enumerate().fold(0u32, |a, (k, &b)| a | (u32::from(b) << (7 * k)));
            scales[ib] = scale;
            max_scale = c_max(max_scale, scale);
        }
        if max_scale == 0.0 {
            continue;
        }
        let d = max_scale / 31.0;
        put_f16(yb, 0, d * 1.0125);
        let id = 1.0 / d;
        for (sas, &s) in scales_and_signs.iter_mut().zip(&scales) {
            *sas |= u32::from(scale_code(id, s)) << 28;
        }
        yb[2..2 + QK_K / 4].copy_from_slice(&q3);
        for (b, sas) in yb[2 + QK_K / 4..].chunks_exact_mut(4).zip(&scales_and_signs) {
            b.copy_from_slice(&sas.to_le_bytes());
        }
    }
}

/// `quantize_row_iq3_s_impl(32, …)` with no importance matrix: eight signs per 8 values as they
/// are; the scale search on |x| over 19 trial scales, every group requantized after it; a 4-bit
/// scale against `max_scale / 31` (stored × 1.033). As in ggml, a group of 32 that is all zero
/// is skipped without advancing where the next group's grid indices and signs are written.
pub fn quantize_iq3_s(x: &[f32], out: &mut [u8]) {
    quantize_iq3_s_by(x, out, iq3s_tables());
}

/// `quantize_iq3_s` with its neighbour search given (the SIMD kernel's).
pub(crate) fn quantize_iq3_s_by(x: &[f32], out: &mut [u8], steps: &impl Iq3Steps) {
    let t = iq3s_tables();
    for (xbl, yb) in x.chunks_exact(QK_K).zip(out.chunks_exact_mut(IQ3_S_BYTES)) {
        yb.fill(0);
        let (mut qs_at, mut signs_at) = (2usize, 74usize);
        let mut scales = [0f32; QK_K / 32];
        let mut max_scale = 0.0f32;
        for (ib, xb) in xbl.chunks_exact(32).enumerate() {
            let weight: [f32; 32] = core::array::from_fn(|i| xb[i] * xb[i]);
            let mut xval = [0f32; 32];
            let mut block_signs = [0u8; 4];
            for (k, bs) in block_signs.iter_mut().enumerate() {
                for i in 0..8 {
                    let v = xb[8 * k + i];
                    if v >= 0.0 {
                        xval[8 * k + i] = v;
                    } else {
                        xval[8 * k + i] = -v;
                        *bs |= 1 << i;
                    }
                }
            }
            let max = xval[1..].iter().fold(xval[0], |m, &v| c_max(m, v));
            let mut l = [0i8; 32];
            if max == 0.0 {
                continue;
            }
            let mut scale = search_scale_by(t, Iq3::S, &xval, &weight, max, &mut l, steps);
            if scale < 0.0 {
                scale = -scale;
                for bs in &mut block_signs {
                    *bs = !*bs;
                }
            }
            for k in 0..8 {
                let index = t.index_of(four(&l, k));
                yb[qs_at + k] = (index & 255) as u8;
                let bit = ib * 8 + k;
                yb[66 + bit / 8] |= ((index >> 8) as u8) << (bit % 8);
            }
            qs_at += 8;
            yb[signs_at..signs_at + 4].copy_from_slice(&block_signs);
            signs_at += 4;
            scales[ib] = scale;
            max_scale = c_max(max_scale, scale);
        }
        if max_scale == 0.0 {
            continue;
        }
        let d = max_scale / 31.0;
        put_f16(yb, 0, d * 1.033);
        let id = 1.0 / d;
        for (b, s) in yb[106..110].iter_mut().zip(scales.chunks_exact(2)) {
            *b = scale_code(id, s[0]) | (scale_code(id, s[1]) << 4);
        }
    }
}

ggml_kernel!(IQ3_XXS, format::IQ3_XXS, quantize_iq3_xxs, dequantize_iq3_xxs);
ggml_kernel!(IQ3_S, format::IQ3_S, quantize_iq3_s, dequantize_iq3_s);

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries copied by hand from ggml-common.h: the expansion reproduces ggml's tables.
    #[test]
    fn grids_are_ggmls() {
        let u64_of = |g: &[i8; 8]| g.iter().rev().fold(0u64, |a, &b| (a << 8) | u64::from(b as u8));
        let u32_of = |g: &[u8; 4]| g.iter().rev().fold(0u32, |a, &b| (a << 8) | u32::from(b));
        assert_eq!(u64_of(&IQ2XXS_GRID[0]), 0x0808080808080808);
        assert_eq!(u64_of(&IQ2XXS_GRID[1]), 0x080808080808082b);
        assert_eq!(u64_of(&IQ2XXS_GRID[255]), 0x2b2b2b1908081908);
        assert_eq!(u64_of(&IQ2XS_GRID[511]), 0x2b2b2b2b2b2b2b2b);
        assert_eq!(u64_of(&IQ2S_GRID[1023]), 0x2b2b2b2b2b2b2b2b);
        assert_eq!(u64_of(&IQ1S_GRID[0]), 0xffffffffffffffff);
        assert_eq!(u64_of(&IQ1S_GRID[2047]), 0x0101010101010101);
        assert_eq!(u32_of(&IQ3XXS_GRID[0]), 0x04040404);
        assert_eq!(u32_of(&IQ3XXS_GRID[255]), 0x3e341c04);
        assert_eq!(u32_of(&IQ3S_GRID[0]), 0x01010101);
        assert_eq!(u32_of(&IQ3S_GRID[511]), 0x0f0f0101);
        let ks: Vec<u8> = (0..8).map(ksigns).collect();
        assert_eq!(ks, [0, 129, 130, 3, 132, 5, 6, 135]);
        assert_eq!(ksigns(127), 255);
    }
}
