//! Quantization kernels. Each kernel has a scalar reference — the definition, byte-exact with
//! the oracle named in `tests/fixtures/SPEC.md` — and, where it pays, a SIMD128 version for
//! wasm32 that must equal it on every byte.
//!
//! A kernel sees a tensor as rows of `row` elements. Block kernels need `row` to be a multiple
//! of their block; per-row kernels store one scale per row; per-tensor kernels store one f32
//! scale in front of everything, computed over the whole tensor before any row is quantized.

pub mod float;
pub mod ggml_common;
pub mod ggml_legacy;
pub mod ggml_ternary;
pub mod int;
pub mod iq_grids;
pub mod iq_lattice;
pub mod iquants;
pub mod kquants;
pub mod microscaling;
pub mod nf4;
pub mod simd;
pub mod ternary;

use crate::core::catalog::format::{Family, Format};
use crate::core::text::i18n::Msg;
use crate::msg;

/// How a kernel's bytes are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Blocks of `elems` elements in `bytes` bytes, within rows.
    Blocks { elems: usize, bytes: usize },
    /// Blocks over the flattened tensor, across rows (bitsandbytes' double quantization).
    Flat { elems: usize, bytes: usize },
    /// One header of `header` bytes per row, then `bits` per element (rounded up to a byte per row).
    PerRow { header: usize, bits: usize },
    /// One f32 scale for the tensor, then `bits` per element packed over the whole tensor.
    PerTensor { bits: usize },
}

impl Layout {
    /// Bits per element of the layout, block scales included and per-row or per-tensor
    /// headers left out (they depend on the shape).
    pub fn nominal_bits(self) -> f64 {
        match self {
            Layout::Blocks { elems, bytes } | Layout::Flat { elems, bytes } => (bytes * 8) as f64 / elems as f64,
            Layout::PerRow { bits, .. } | Layout::PerTensor { bits } => bits as f64,
        }
    }
}

/// How a per-tensor kernel derives its scale from the whole tensor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TensorScale {
    /// `max |x|` over finite values, divided by the format's largest magnitude (1 when that is 0).
    Absmax { format_max: f32 },
    /// `mean |x|` over finite values (a sequential f64 sum), as BitNet b1.58.
    AbsMean,
}

/// `quantize(x, row, tensor_scale, out)`: `x` is whole rows; `out` is exactly the body bytes.
pub type QuantizeFn = fn(&[f32], usize, f32, &mut [u8]);
/// `dequantize(q, row, tensor_scale, out)`.
pub type DequantizeFn = fn(&[u8], usize, f32, &mut [f32]);

pub struct Kernel {
    pub id: &'static str,
    pub name: &'static str,
    pub layout: Layout,
    pub tensor_scale: Option<TensorScale>,
    pub quantize: QuantizeFn,
    pub dequantize: DequantizeFn,
    /// The catalogue format whose bytes this kernel writes (`format_layout_matches` checks the
    /// layouts agree), or none: a lab-only kernel, or one that stands in for a format whose
    /// exact layout it does not write (`STAND_INS`).
    pub format: Option<&'static Format>,
}

impl Kernel {
    /// The kernel of a catalogue block format: id, name and `Layout::Blocks` are the
    /// descriptor's, so the block size is written once, in `catalog::format`.
    pub const fn of_blocks(f: &'static Format, quantize: QuantizeFn, dequantize: DequantizeFn) -> Kernel {
        Kernel {
            id: f.id,
            name: f.name,
            layout: Layout::Blocks { elems: f.block_elems(), bytes: f.block_bytes() },
            tensor_scale: None,
            quantize,
            dequantize,
            format: Some(f),
        }
    }

    /// The SIMD128 version, where this build has one.
    pub fn fast(&self) -> Option<simd::Fast> {
        simd::fast(self.id)
    }

    /// The functions to run: the SIMD pair when asked for and present, else the reference; and
    /// whether SIMD was picked.
    pub fn pick(&self, use_fast: bool) -> (QuantizeFn, DequantizeFn, bool) {
        match (use_fast, self.fast()) {
            (true, Some(f)) => (f.quantize, f.dequantize, true),
            _ => (self.quantize, self.dequantize, false),
        }
    }

    /// Elements a row must be a multiple of.
    pub fn granule(&self) -> usize {
        match self.layout {
            Layout::Blocks { elems, .. } => elems,
            Layout::PerRow { .. } | Layout::Flat { .. } => 1,
            // Packed codes must end on a byte boundary at every row.
            Layout::PerTensor { bits } => 8 / gcd(8, bits),
        }
    }

    /// Elements a tensor must be a multiple of: the row granule, and a flat layout's block.
    pub fn unit(&self) -> usize {
        match self.layout {
            Layout::Flat { elems, .. } => self.granule() / gcd(self.granule(), elems) * elems,
            _ => self.granule(),
        }
    }

    /// The largest |x| this kernel brings back finite (tested on any input): every kernel
    /// scales or saturates, except the non-saturating E4M3 cast, whose |x| ≥ 464 become NaN by
    /// design (E4M3FN has no infinity). 10⁴ is far beyond any trained weight.
    pub fn finite_range(&self) -> f32 {
        if self.id == "fp8_e4m3_nosat" {
            448.0
        } else {
            1e4
        }
    }

    /// Bytes of the body (without the per-tensor header) for `n` elements in rows of `row`.
    pub fn body_len(&self, n: usize, row: usize) -> usize {
        match self.layout {
            Layout::Blocks { elems, bytes } | Layout::Flat { elems, bytes } => n / elems * bytes,
            Layout::PerRow { header, bits } => n / row.max(1) * (header + (row * bits).div_ceil(8)),
            Layout::PerTensor { bits } => (n * bits).div_ceil(8),
        }
    }

    /// Bytes before the body: the per-tensor scale, when there is one.
    pub fn header_len(&self) -> usize {
        if self.tensor_scale.is_some() {
            4
        } else {
            0
        }
    }

    /// Checks that `n` elements in rows of `row` suit this kernel.
    pub fn check_shape(&self, n: usize, row: usize) -> Result<(), Msg> {
        if row == 0 || !n.is_multiple_of(row) {
            return Err(msg!(k_rows, n, row));
        }
        if !row.is_multiple_of(self.granule()) {
            return Err(msg!(k_granule, self.name, self.granule(), row));
        }
        if let Layout::Flat { elems, .. } = self.layout {
            if !n.is_multiple_of(elems) {
                return Err(msg!(k_flat, self.name, elems, n));
            }
        }
        Ok(())
    }

    /// The scale a per-tensor kernel uses for `x` (1 for other kernels).
    pub fn scale_of(&self, x: &[f32]) -> f32 {
        let mut acc = ScaleAcc::default();
        acc.add(x);
        acc.finish(self.tensor_scale)
    }

    /// The whole tensor in this kernel's layout: the per-tensor header (if any), then the body.
    pub fn quantize_tensor(&self, x: &[f32], row: usize) -> Result<Vec<u8>, Msg> {
        self.check_shape(x.len(), row)?;
        let scale = self.scale_of(x);
        let h = self.header_len();
        let mut out = vec![0u8; h + self.body_len(x.len(), row)];
        if h > 0 {
            out[..4].copy_from_slice(&scale.to_le_bytes());
        }
        (self.quantize)(x, row, scale, &mut out[h..]);
        Ok(out)
    }

    pub fn dequantize_tensor(&self, q: &[u8], n: usize, row: usize) -> Result<Vec<f32>, Msg> {
        self.check_shape(n, row)?;
        let h = self.header_len();
        if q.len() != h + self.body_len(n, row) {
            return Err(msg!(k_bytes, self.name, q.len(), n));
        }
        let scale = if h > 0 { f32::from_le_bytes([q[0], q[1], q[2], q[3]]) } else { 1.0 };
        let mut out = vec![0f32; n];
        (self.dequantize)(&q[h..], row, scale, &mut out);
        Ok(out)
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Streams a per-tensor statistic over chunks, in order.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScaleAcc {
    amax: f32,
    sum: f64,
    count: u64,
}

impl ScaleAcc {
    pub fn add(&mut self, x: &[f32]) {
        for &v in x {
            if v.is_finite() {
                let a = v.abs();
                if a > self.amax {
                    self.amax = a;
                }
                self.sum += f64::from(a);
                self.count += 1;
            }
        }
    }

    pub fn finish(&self, rule: Option<TensorScale>) -> f32 {
        match rule {
            None => 1.0,
            Some(TensorScale::Absmax { format_max }) => {
                if self.amax == 0.0 {
                    1.0
                } else {
                    self.amax / format_max
                }
            }
            Some(TensorScale::AbsMean) => {
                if self.count == 0 {
                    0.0
                } else {
                    (self.sum / self.count as f64) as f32
                }
            }
        }
    }
}

/// What the page needs to know of a kernel without linking its code: the page lists kernels,
/// the worker runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub layout: Layout,
    /// The catalogue's family, for the lab's per-family toggles.
    pub family: Family,
    /// The catalogue format whose bytes the kernel writes (see `Kernel::format`).
    pub format: Option<&'static Format>,
}

/// Declares the registry once: the kernels (with their code) and their infos (without).
macro_rules! registry {
    ($($family:ident: $($k:path),+;)*) => {
        static KERNELS: &[Kernel] = &[$($($k),+),*];
        static INFOS: &[KernelInfo] =
            &[$($(KernelInfo {
                id: $k.id,
                name: $k.name,
                layout: $k.layout,
                family: Family::$family,
                format: $k.format,
            }),+),*];
    };
}

/// Every kernel, in the lab's order.
pub fn kernels() -> &'static [Kernel] {
    KERNELS
}

pub fn kernel(id: &str) -> Option<&'static Kernel> {
    KERNELS.iter().find(|k| k.id == id)
}

/// Every kernel's id, name and layout, in the lab's order (no code linked).
pub fn infos() -> &'static [KernelInfo] {
    INFOS
}

pub fn info(id: &str) -> Option<&'static KernelInfo> {
    INFOS.iter().find(|k| k.id == id)
}

/// Catalogue formats measured by a kernel that does not write their exact bytes: (format id,
/// kernel id, why). Every other catalogue format but F32 has a kernel whose `format` is it.
pub const STAND_INS: &[(&str, &str, &str)] = &[
    // GPTQ stores a 4-bit zero point per group (532 bits per 128); the lab's kernel keeps it in a
    // byte (536 bits). The values it brings back are the same rule's.
    ("int4_g128", "int4_g128_asym", "zero point in a byte, not packed 4-bit"),
    ("int4_g128_gidx", "int4_g128_asym", "g_idx reorders columns; the values are the same"),
    // bitsandbytes keeps the absmaxes' mean once per tensor; the kernel keeps it per 256 blocks.
    ("nf4_dq", "nf4_dq", "the absmaxes' mean per 256 blocks, not per tensor (+32 bits per 16384)"),
];

/// Why the lab reads a ggml type but does not make it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoQuantizer {
    /// ggml's C quantizer asserts an importance matrix (`ggml_quantize_requires_imatrix`).
    GgmlNeedsImatrix,
    /// ggml's C quantizer runs without one, but llama-quantize refuses to make the type without
    /// an importance matrix (`tensor_requires_imatrix` in llama-quant.cpp), so no file holds it
    /// quantized that way; the lab does not implement that path.
    LlamaQuantizeNeedsImatrix,
}

/// A catalogue format the lab reads (a GGUF tensor) but does not quantize, with its dequantizer
/// and why there is no quantizer. The lab never measures another algorithm under its name.
pub struct ReadOnly {
    pub format: &'static Format,
    /// `dequantize(q, out)` over whole blocks.
    pub dequantize: fn(&[u8], &mut [f32]),
    pub why: NoQuantizer,
}

/// What the page needs to know of a read-only format without linking its dequantizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOnlyInfo {
    pub format: &'static Format,
    pub why: NoQuantizer,
}

/// Declares the read-only formats once: with their dequantizers, and without.
macro_rules! read_only {
    ($($f:ident: $d:path, $why:ident;)*) => {
        /// The formats the lab reads and does not make, in the catalogue's order.
        pub static READ_ONLY: &[ReadOnly] = &[$(ReadOnly {
            format: &crate::core::catalog::format::$f,
            dequantize: $d,
            why: NoQuantizer::$why,
        }),*];
        /// [`READ_ONLY`] without the code.
        pub static READ_ONLY_INFOS: &[ReadOnlyInfo] =
            &[$(ReadOnlyInfo { format: &crate::core::catalog::format::$f, why: NoQuantizer::$why }),*];
    };
}

read_only!(
    IQ2_S: iq_lattice::dequantize_iq2_s, LlamaQuantizeNeedsImatrix;
    IQ2_XS: iq_lattice::dequantize_iq2_xs, GgmlNeedsImatrix;
    IQ2_XXS: iq_lattice::dequantize_iq2_xxs, GgmlNeedsImatrix;
    IQ1_M: iq_lattice::dequantize_iq1_m, LlamaQuantizeNeedsImatrix;
    IQ1_S: iq_lattice::dequantize_iq1_s, GgmlNeedsImatrix;
);

/// The read-only row of a catalogue format (with its dequantizer: the worker's).
pub fn read_only(format_id: &str) -> Option<&'static ReadOnly> {
    READ_ONLY.iter().find(|r| r.format.id == format_id)
}

/// The read-only row of a catalogue format, without the code (the page's).
pub fn read_only_info(format_id: &str) -> Option<&'static ReadOnlyInfo> {
    READ_ONLY_INFOS.iter().find(|r| r.format.id == format_id)
}

/// The block layout of what reads a format's bytes back: its kernel, or its read-only row.
pub fn dequantizer_layout(id: &str) -> Option<Layout> {
    kernel(id).map(|k| k.layout).or_else(|| {
        read_only(id).map(|r| Layout::Blocks { elems: r.format.block_elems(), bytes: r.format.block_bytes() })
    })
}

/// `n` elements in rows of `row` from bytes in the layout of kernel (or read-only format) `id`.
pub fn dequantize_by_id(id: &str, q: &[u8], n: usize, row: usize) -> Result<Vec<f32>, Msg> {
    if let Some(k) = kernel(id) {
        return k.dequantize_tensor(q, n, row);
    }
    let r = read_only(id).ok_or_else(|| msg!(f_no_dequant, id))?;
    let (elems, bytes) = (r.format.block_elems(), r.format.block_bytes());
    if row == 0 || !n.is_multiple_of(row) {
        return Err(msg!(k_rows, n, row));
    }
    if !row.is_multiple_of(elems) {
        return Err(msg!(k_granule, r.format.name, elems, row));
    }
    if q.len() != n / elems * bytes {
        return Err(msg!(k_bytes, r.format.name, q.len(), n));
    }
    let mut out = vec![0f32; n];
    (r.dequantize)(q, &mut out);
    Ok(out)
}

/// The lab kernel whose measured error stands for a scheme: the format itself, or a preset's
/// base type. F32 loses nothing and has none.
pub fn scheme_kernel(s: &crate::core::catalog::scheme::Scheme) -> Option<&'static str> {
    format_kernel(s.base.id)
}

/// The kernel whose measured error stands for a storage format (catalogue id): the one that
/// writes its bytes, else its stand-in (`STAND_INS`); none for F32 (nothing is lost).
pub fn format_kernel(format_id: &str) -> Option<&'static str> {
    INFOS
        .iter()
        .find(|k| k.format.is_some_and(|f| f.id == format_id))
        .map(|k| k.id)
        .or_else(|| STAND_INS.iter().find(|s| s.0 == format_id).and_then(|s| info(s.1)).map(|k| k.id))
}

registry!(
    Float: float::F16, float::BF16, float::FP8_E4M3, float::FP8_E4M3_NOSAT, float::FP8_E5M2, float::FP8_E5M2_NOSAT,
        float::FP6_E2M3, float::FP6_E3M2, float::FP4_E2M1;
    Integer: int::INT8, int::INT4_G32_SYM, int::INT4_G64_SYM, int::INT4_G128_SYM, int::INT4_G32_ASYM,
        int::INT4_G64_ASYM, int::INT4_G128_ASYM;
    Microscaling: microscaling::MXFP8, microscaling::MXFP4, microscaling::NVFP4;
    Bitsandbytes: nf4::NF4_KERNEL, nf4::NF4_DQ;
    // BitNet b1.58's absmean rule is the ternary scheme ggml's TQ types store.
    GgmlTernary: ternary::TERNARY;
    GgmlLegacy: ggml_legacy::Q8_0, ggml_legacy::Q5_1, ggml_legacy::Q5_0, ggml_legacy::Q4_1, ggml_legacy::Q4_0;
    GgmlK: kquants::Q6_K, kquants::Q5_K, kquants::Q4_K, kquants::Q3_K, kquants::Q2_K;
    GgmlI: iquants::IQ4_XS, iquants::IQ4_NL, iq_lattice::IQ3_S, iq_lattice::IQ3_XXS;
    GgmlTernary: ggml_ternary::TQ2_0, ggml_ternary::TQ1_0;
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::format::{by_id, FORMATS};

    /// A kernel that writes a catalogue format's bytes has its block layout: whole catalogue
    /// blocks at the same bits (NVFP4 takes four at a time), or the row header INT8 counts.
    #[test]
    fn format_layout_matches() {
        for k in kernels() {
            let Some(f) = k.format else { continue };
            assert_eq!((k.id, k.name), (f.id, f.name), "{}: id and name are the descriptor's", k.id);
            let (fe, fb) = (f.block_elems(), f.block_bits as usize);
            let ok = match k.layout {
                Layout::Blocks { elems, bytes } | Layout::Flat { elems, bytes } => {
                    elems.is_multiple_of(fe) && bytes * 8 == elems / fe * fb && f.row_bits == 0
                }
                Layout::PerRow { header, bits } => fe == 1 && bits == fb && header * 8 == f.row_bits as usize,
                Layout::PerTensor { .. } => false,
            };
            assert!(
                ok && f.col_bits == 0,
                "{}: kernel layout {:?} is not the catalogue's ({} elements in {} bits, {} bits per row)",
                k.id,
                k.layout,
                fe,
                fb,
                f.row_bits
            );
            assert_eq!(k.layout.nominal_bits(), f.bpw(), "{}: bits per element", k.id);
        }
    }

    /// Every catalogue format but F32 has a kernel: its own (`Kernel::format`) or a stand-in
    /// listed with its reason; a kernel with a catalogue id is that format's or a listed stand-in.
    #[test]
    fn every_format_has_a_kernel() {
        for f in FORMATS.iter().filter(|f| f.id != "f32") {
            let own = kernels().iter().filter(|k| k.format.is_some_and(|g| g.id == f.id)).count();
            let stand_in = STAND_INS.iter().filter(|s| s.0 == f.id).count();
            let read = READ_ONLY.iter().filter(|r| r.format.id == f.id).count();
            assert_eq!(
                own + stand_in + read,
                1,
                "{}: {own} kernels write it, {stand_in} stand in for it, {read} read-only rows",
                f.id
            );
        }
        for r in READ_ONLY {
            assert!(kernel(r.format.id).is_none(), "{}: read-only, yet a kernel has its id", r.format.id);
        }
        for (f, k, _) in STAND_INS {
            assert!(by_id(f).is_some(), "stand-in for {f}: no such format");
            let k = kernel(k).unwrap_or_else(|| panic!("stand-in for {f}: no kernel {k}"));
            assert!(k.format.is_none(), "{}: writes {f}'s bytes, so it is no stand-in", k.id);
        }
        for k in kernels().iter().filter(|k| by_id(k.id).is_some() && k.format.is_none()) {
            assert!(STAND_INS.iter().any(|s| s.1 == k.id), "{}: a catalogue id with no `format`", k.id);
        }
        for (i, k) in kernels().iter().enumerate() {
            assert!(kernels()[i + 1..].iter().all(|o| o.id != k.id), "{}: two kernels", k.id);
        }
    }
}
