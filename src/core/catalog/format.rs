//! The storage catalogue: one row per element format, with its exact bit layout.
//!
//! Every byte count the page shows is computed from these rows. A tensor is seen the way ggml
//! sees it: `rows` rows of `cols` contiguous elements (ne1 × ne0); for a linear layer `cols` is
//! the input dimension, and block formats put their blocks along it.

use crate::core::text::i18n::Prose::{self, Same, Text};
use crate::core::text::i18n::{Key, Strings};

/// Groups shown in the format picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// IEEE-style floats cast element by element.
    Float,
    /// Integers with explicit scales (per channel or per group).
    Integer,
    /// bitsandbytes 4-bit (QLoRA).
    Bitsandbytes,
    /// OCP microscaling and NVIDIA's FP4.
    Microscaling,
    /// ggml's 32-element block types.
    GgmlLegacy,
    /// ggml's 256-element k-quant super-blocks.
    GgmlK,
    /// ggml's non-linear (codebook) types.
    GgmlI,
    /// ggml's ternary types (BitNet b1.58 style).
    GgmlTernary,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::Float,
        Family::Integer,
        Family::Bitsandbytes,
        Family::Microscaling,
        Family::GgmlLegacy,
        Family::GgmlK,
        Family::GgmlI,
        Family::GgmlTernary,
    ];

    /// The family's name in the page's language (picker groups, the lab's toggles).
    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Family::Float => t.fam_float,
            Family::Integer => t.fam_integer,
            Family::Bitsandbytes => t.fam_bnb,
            Family::Microscaling => t.fam_mx,
            Family::GgmlLegacy => t.fam_legacy,
            Family::GgmlK => t.fam_k,
            Family::GgmlI => t.fam_i,
            Family::GgmlTernary => t.fam_ternary,
        }
    }
}

/// One storage format.
#[derive(Debug, PartialEq, Eq)]
pub struct Format {
    /// Lowercase id used in links and on the command line.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    pub family: Family,
    /// Elements per block (1 for plain casts).
    pub block_elems: u32,
    /// Bits per block, scales included.
    pub block_bits: u32,
    /// Extra bits per row (a per-output-channel scale).
    pub row_bits: u32,
    /// Extra bits per column of each matrix (GPTQ's `g_idx`: one int32 per input feature).
    pub col_bits: u32,
    /// Extra bits per tensor (a per-tensor scale).
    pub tensor_bits: u32,
    /// Blocks run over the flattened tensor (bitsandbytes) rather than within each row (ggml, GPTQ).
    pub flat_blocks: bool,
    /// What one element is.
    pub element: Prose,
    /// What scales the elements.
    pub scale: Prose,
    /// Where the layout comes from.
    pub source: Prose,
}

const GGML_COMMON: Prose = Text(Key::cat_ggml_source);

/// A ggml block type: blocks within rows, no other overhead.
const fn ggml(id: &'static str, name: &'static str, family: Family, elems: u32, bytes: u32, layout: Prose) -> Format {
    Format {
        id,
        name,
        family,
        block_elems: elems,
        block_bits: bytes * 8,
        row_bits: 0,
        col_bits: 0,
        tensor_bits: 0,
        flat_blocks: false,
        element: layout,
        scale: Text(Key::cat_see_layout),
        source: GGML_COMMON,
    }
}

/// An element-wise cast with no scale.
const fn cast(id: &'static str, name: &'static str, bits: u32, element: Prose, source: Prose) -> Format {
    Format {
        block_elems: 1,
        block_bits: bits,
        element,
        scale: Text(Key::cat_none),
        source,
        ..ggml(id, name, Family::Float, 1, 0, Same(""))
    }
}

pub static F32: Format = cast("f32", "F32", 32, Same("IEEE binary32"), Same("IEEE 754"));
pub static F16: Format = cast("f16", "F16", 16, Same("IEEE binary16 (E5M10)"), Same("IEEE 754"));
pub static BF16: Format = cast("bf16", "BF16", 16, Same("bfloat16 (E8M7)"), Same("Google Brain bfloat16"));
pub static Q8_0: Format = ggml("q8_0", "Q8_0", Family::GgmlLegacy, 32, 34, Same("fp16 d; int8 qs[32]"));

pub static FP8_E4M3: Format = Format {
    scale: Text(Key::cat_fp8_scale),
    ..cast("fp8_e4m3", "FP8 E4M3", 8, Text(Key::cat_e4m3_element), Text(Key::cat_e4m3_source))
};
pub static FP8_E5M2: Format = cast("fp8_e5m2", "FP8 E5M2", 8, Text(Key::cat_e5m2_element), Text(Key::cat_e5m2_source));
pub static INT8: Format = Format {
    id: "int8",
    name: "INT8 per-channel",
    family: Family::Integer,
    block_elems: 1,
    block_bits: 8,
    row_bits: 32,
    col_bits: 0,
    tensor_bits: 0,
    flat_blocks: false,
    element: Text(Key::cat_int8_element),
    scale: Text(Key::cat_row_scale),
    source: Text(Key::cat_int8_source),
};
pub static INT4_G128: Format = Format {
    id: "int4_g128",
    name: "INT4 g128 (GPTQ)",
    family: Family::Integer,
    block_elems: 128,
    block_bits: 128 * 4 + 16 + 4,
    row_bits: 0,
    col_bits: 0,
    tensor_bits: 0,
    flat_blocks: false,
    element: Text(Key::cat_uint4_element),
    scale: Text(Key::cat_gptq_scale),
    source: Same("AutoGPTQ QuantLinear: qweight, qzeros, scales (4 + 16/128 + 4/128 bpw)"),
};
pub static INT4_G128_GIDX: Format = Format {
    id: "int4_g128_gidx",
    name: "INT4 g128 (GPTQ + g_idx)",
    family: Family::Integer,
    block_elems: 128,
    block_bits: 128 * 4 + 16 + 4,
    row_bits: 0,
    col_bits: 32,
    tensor_bits: 0,
    flat_blocks: false,
    element: Text(Key::cat_uint4_element),
    scale: Text(Key::cat_gptq_gidx_scale),
    source: Text(Key::cat_gptq_gidx_source),
};
pub static NF4: Format = Format {
    id: "nf4",
    name: "NF4 (bs 64)",
    family: Family::Bitsandbytes,
    block_elems: 64,
    block_bits: 64 * 4 + 32,
    row_bits: 0,
    col_bits: 0,
    tensor_bits: 0,
    flat_blocks: true,
    element: Text(Key::cat_nf4_index),
    scale: Text(Key::cat_nf4_scale),
    source: Same("bitsandbytes quantize_4bit(blocksize=64, compress_statistics=False)"),
};
pub static NF4_DQ: Format = Format {
    // 256 first-level blocks of 64 share one fp32 second-level scale.
    id: "nf4_dq",
    name: "NF4 + double quant",
    family: Family::Bitsandbytes,
    block_elems: 64 * 256,
    block_bits: 64 * 256 * 4 + 256 * 8 + 32,
    row_bits: 0,
    col_bits: 0,
    tensor_bits: 0,
    flat_blocks: true,
    element: Text(Key::cat_nf4_index),
    scale: Text(Key::cat_nf4_dq_scale),
    source: Text(Key::cat_qlora_source),
};
pub static MXFP8: Format = Format {
    id: "mxfp8",
    name: "MXFP8 (E4M3)",
    family: Family::Microscaling,
    block_elems: 32,
    block_bits: 32 * 8 + 8,
    row_bits: 0,
    col_bits: 0,
    tensor_bits: 0,
    flat_blocks: false,
    element: Same("FP8 E4M3"),
    scale: Text(Key::cat_e8m0_per_32),
    source: Same("OCP Microscaling Formats (MX) v1.0"),
};
pub static MXFP4: Format = Format {
    id: "mxfp4",
    name: "MXFP4",
    family: Family::Microscaling,
    block_elems: 32,
    block_bits: 32 * 4 + 8,
    row_bits: 0,
    col_bits: 0,
    tensor_bits: 0,
    flat_blocks: false,
    element: Same("FP4 E2M1"),
    scale: Text(Key::cat_e8m0_per_32),
    source: Text(Key::cat_mxfp4_source),
};
pub static NVFP4: Format = Format {
    id: "nvfp4",
    name: "NVFP4",
    family: Family::Microscaling,
    block_elems: 16,
    block_bits: 16 * 4 + 8,
    row_bits: 0,
    col_bits: 0,
    tensor_bits: 32,
    flat_blocks: false,
    element: Same("FP4 E2M1"),
    scale: Text(Key::cat_nvfp4_scale),
    source: Text(Key::cat_nvfp4_source),
};
pub static Q4_0: Format = ggml("q4_0", "Q4_0", Family::GgmlLegacy, 32, 18, Text(Key::cat_q4_0_layout));
pub static Q4_1: Format = ggml("q4_1", "Q4_1", Family::GgmlLegacy, 32, 20, Same("fp16 d, m; qs[16]"));
pub static Q5_0: Format = ggml("q5_0", "Q5_0", Family::GgmlLegacy, 32, 22, Same("fp16 d; qh[4]; qs[16]"));
pub static Q5_1: Format = ggml("q5_1", "Q5_1", Family::GgmlLegacy, 32, 24, Same("fp16 d, m; qh[4]; qs[16]"));
pub static Q2_K: Format = ggml("q2_k", "Q2_K", Family::GgmlK, 256, 84, Same("scales[16]; qs[64]; fp16 d, dmin"));
pub static Q3_K: Format = ggml("q3_k", "Q3_K", Family::GgmlK, 256, 110, Same("hmask[32]; qs[64]; scales[12]; fp16 d"));
pub static Q4_K: Format = ggml("q4_k", "Q4_K", Family::GgmlK, 256, 144, Same("fp16 d, dmin; scales[12]; qs[128]"));
pub static Q5_K: Format =
    ggml("q5_k", "Q5_K", Family::GgmlK, 256, 176, Same("fp16 d, dmin; scales[12]; qh[32]; qs[128]"));
pub static Q6_K: Format =
    ggml("q6_k", "Q6_K", Family::GgmlK, 256, 210, Same("ql[128]; qh[64]; int8 scales[16]; fp16 d"));
pub static IQ4_NL: Format = ggml("iq4_nl", "IQ4_NL", Family::GgmlI, 32, 18, Text(Key::cat_iq4_nl_layout));
pub static IQ4_XS: Format =
    ggml("iq4_xs", "IQ4_XS", Family::GgmlI, 256, 136, Same("fp16 d; scales_h; scales_l[4]; qs[128]"));
pub static IQ3_S: Format =
    ggml("iq3_s", "IQ3_S", Family::GgmlI, 256, 110, Same("fp16 d; qs[64]; qh[8]; signs[32]; scales[4]"));
pub static IQ3_XXS: Format =
    ggml("iq3_xxs", "IQ3_XXS", Family::GgmlI, 256, 98, Same("fp16 d; qs[64]; scales_and_signs[32]"));
pub static IQ2_S: Format =
    ggml("iq2_s", "IQ2_S", Family::GgmlI, 256, 82, Same("fp16 d; qs[32]; signs[32]; qh[8]; scales[8]"));
pub static IQ2_XS: Format = ggml("iq2_xs", "IQ2_XS", Family::GgmlI, 256, 74, Same("fp16 d; u16 qs[32]; scales[8]"));
pub static IQ2_XXS: Format = ggml("iq2_xxs", "IQ2_XXS", Family::GgmlI, 256, 66, Same("fp16 d; u16 qs[32]"));
pub static IQ1_M: Format = ggml("iq1_m", "IQ1_M", Family::GgmlI, 256, 56, Same("qs[32]; qh[16]; scales[8]"));
pub static IQ1_S: Format = ggml("iq1_s", "IQ1_S", Family::GgmlI, 256, 50, Same("fp16 d; qs[32]; u16 qh[8]"));
pub static TQ1_0: Format = ggml("tq1_0", "TQ1_0", Family::GgmlTernary, 256, 54, Text(Key::cat_tq1_0_layout));
pub static TQ2_0: Format = ggml("tq2_0", "TQ2_0", Family::GgmlTernary, 256, 66, Text(Key::cat_tq2_0_layout));

/// The catalogue, in picker order. Each row is a named descriptor above; the kernels
/// (`kernels::quant`), the GGUF type table (`files::gguf`) and the SQNR table
/// (`estimate::bits`) refer to these descriptors rather than repeat an id or a block layout.
pub static FORMATS: &[&Format] = &[
    &F32,
    &F16,
    &BF16,
    &FP8_E4M3,
    &FP8_E5M2,
    &INT8,
    &INT4_G128,
    &INT4_G128_GIDX,
    &NF4,
    &NF4_DQ,
    &MXFP8,
    &MXFP4,
    &NVFP4,
    &Q4_0,
    &Q4_1,
    &Q5_0,
    &Q5_1,
    &Q8_0,
    &Q2_K,
    &Q3_K,
    &Q4_K,
    &Q5_K,
    &Q6_K,
    &IQ4_NL,
    &IQ4_XS,
    &IQ3_S,
    &IQ3_XXS,
    &IQ2_S,
    &IQ2_XS,
    &IQ2_XXS,
    &IQ1_M,
    &IQ1_S,
    &TQ1_0,
    &TQ2_0,
];

/// Formats a llama.cpp or vLLM KV cache can hold.
pub static KV_FORMATS: &[&str] =
    &["f32", "f16", "bf16", "fp8_e4m3", "fp8_e5m2", "q8_0", "q5_1", "q5_0", "q4_1", "q4_0", "iq4_nl"];

pub fn by_id(id: &str) -> Option<&'static Format> {
    FORMATS.iter().copied().find(|f| f.id == id)
}

impl Format {
    /// Bytes per block. A compile error (in a const) for a layout that is not whole bytes
    /// per block, such as GPTQ's 532-bit groups.
    pub const fn block_bytes(&self) -> usize {
        assert!(self.block_bits.is_multiple_of(8), "block is not whole bytes");
        (self.block_bits / 8) as usize
    }

    /// Elements per block.
    pub const fn block_elems(&self) -> usize {
        self.block_elems as usize
    }

    /// Nominal bits per weight of the block layout (row, column and tensor overheads excluded).
    pub fn bpw(&self) -> f64 {
        f64::from(self.block_bits) / f64::from(self.block_elems)
    }

    /// Exact bytes of `count` matrices of `rows` × `cols` elements (experts stack as `count`).
    /// A partial block at the end of a row (or of a flattened tensor) is stored whole.
    pub fn tensor_bytes(&self, rows: u64, cols: u64, count: u64) -> u64 {
        let bits = || -> Option<u128> {
            let (rows, cols, count) = (u128::from(rows), u128::from(cols), u128::from(count));
            let elems = u128::from(self.block_elems);
            let row_count = rows.checked_mul(count)?;
            let blocks = if self.flat_blocks {
                row_count.checked_mul(cols)?.div_ceil(elems)
            } else {
                row_count.checked_mul(cols.div_ceil(elems))?
            };
            blocks
                .checked_mul(self.block_bits.into())?
                .checked_add(row_count.checked_mul(self.row_bits.into())?)?
                .checked_add(cols.checked_mul(count)?.checked_mul(self.col_bits.into())?)?
                .checked_add(self.tensor_bits.into())
        };
        bits().and_then(|b| u64::try_from(b.div_ceil(8)).ok()).unwrap_or(u64::MAX)
    }

    /// Whether this is a ggml tensor type llama-quantize can be told to write
    /// (`--token-embedding-type`, `--output-tensor-type`): the ggml block families, the plain
    /// floats, and MXFP4 (ggml's NVFP4 has no per-tensor scale, so the catalogue's is not it).
    pub fn is_ggml_type(&self) -> bool {
        matches!(self.family, Family::GgmlLegacy | Family::GgmlK | Family::GgmlI | Family::GgmlTernary)
            || [F32.id, F16.id, BF16.id, MXFP4.id].contains(&self.id)
    }

    /// Whether a llama.cpp block type can hold rows of this length (llama-quantize falls back otherwise).
    pub fn fits_row(&self, cols: u64) -> bool {
        cols.is_multiple_of(u64::from(self.block_elems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text every language reads the same is a name, a spec or a C layout on this list: a
    /// new format's prose fails here until it is one or is translated by key. The keyed ones are
    /// Chinese in the Chinese table (the i18n tests check every key is filled in each language).
    #[test]
    fn the_catalogue_is_translated() {
        const SAME: &[&str] = &[
            "AutoGPTQ QuantLinear: qweight, qzeros, scales (4 + 16/128 + 4/128 bpw)",
            "FP4 E2M1",
            "FP8 E4M3",
            "Google Brain bfloat16",
            "IEEE 754",
            "IEEE binary16 (E5M10)",
            "IEEE binary32",
            "OCP Microscaling Formats (MX) v1.0",
            "bfloat16 (E8M7)",
            "bitsandbytes quantize_4bit(blocksize=64, compress_statistics=False)",
        ];
        let layout = |s: &str| s.contains('[') && s.split(';').all(|p| !p.contains(" per ") && !p.contains(" a "));
        let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for f in FORMATS {
            for p in [f.element, f.scale, f.source] {
                match p {
                    Same(text) => assert!(
                        SAME.contains(&text) || (layout(text) && !text.contains('(')),
                        "{}: “{text}” reads as English prose: give it a key",
                        f.id
                    ),
                    Text(key) => {
                        let zh = crate::core::text::i18n::Lang::ZhCn.prose(p);
                        assert!(han(zh) && !han(p.en()), "{}: {key:?}", f.id);
                    }
                }
            }
        }
    }

    #[test]
    fn ids_are_unique_and_lowercase() {
        for (i, a) in FORMATS.iter().enumerate() {
            assert_eq!(a.id, a.id.to_lowercase());
            for b in &FORMATS[i + 1..] {
                assert_ne!(a.id, b.id);
            }
        }
        for id in KV_FORMATS {
            assert!(by_id(id).is_some(), "{id}");
        }
    }

    /// Block sizes and bpw from reference/quant-facts.md A1 and A5, written out by hand.
    #[test]
    fn block_bpw_match_the_published_layouts() {
        let expect = [
            ("f32", 32.0),
            ("f16", 16.0),
            ("bf16", 16.0),
            ("fp8_e4m3", 8.0),
            ("fp8_e5m2", 8.0),
            ("int8", 8.0),
            ("int4_g128", 4.15625),
            ("nf4", 4.5),
            ("mxfp8", 8.25),
            ("mxfp4", 4.25),
            ("nvfp4", 4.5),
            ("q8_0", 8.5),
            ("q4_0", 4.5),
            ("q4_1", 5.0),
            ("q5_0", 5.5),
            ("q5_1", 6.0),
            ("q2_k", 2.625),
            ("q3_k", 3.4375),
            ("q4_k", 4.5),
            ("q5_k", 5.5),
            ("q6_k", 6.5625),
            ("iq4_nl", 4.5),
            ("iq4_xs", 4.25),
            // The i-quants' bpw as ggml-common.h's comments on their block structs state them.
            ("iq3_s", 3.4375),
            ("iq3_xxs", 3.0625),
            ("iq2_s", 2.5625),
            ("iq2_xs", 2.3125),
            ("iq2_xxs", 2.0625),
            ("iq1_m", 1.75),
            ("iq1_s", 1.5625),
            ("tq1_0", 1.6875),
            ("tq2_0", 2.0625),
        ];
        for (id, bpw) in expect {
            assert_eq!(by_id(id).unwrap().bpw(), bpw, "{id}");
        }
        // QLoRA: 4 + 8/64 + 32/(64·256) ≈ 4.127
        assert!((by_id("nf4_dq").unwrap().bpw() - (4.0 + 8.0 / 64.0 + 32.0 / 16384.0)).abs() < 1e-12);
    }

    #[test]
    fn tensor_bytes_count_every_overhead() {
        // 4096 × 4096 at Q4_K: 4096 rows × 16 blocks × 144 bytes.
        assert_eq!(by_id("q4_k").unwrap().tensor_bytes(4096, 4096, 1), 4096 * 16 * 144);
        // INT8: one byte per weight + 4 bytes per row.
        assert_eq!(by_id("int8").unwrap().tensor_bytes(10, 7, 1), 70 + 40);
        // GPTQ with g_idx: 4096 out × 4096 in: 32 groups × 532 bits per row, + 4 bytes per input.
        let g = by_id("int4_g128_gidx").unwrap();
        assert_eq!(g.tensor_bytes(4096, 4096, 1), 4096 * 32 * 532 / 8 + 4096 * 4);
        // bitsandbytes blocks over the flattened tensor: 3 × 50 = 150 elements → 3 blocks of 36 bytes.
        assert_eq!(by_id("nf4").unwrap().tensor_bytes(3, 50, 1), 3 * 36);
        // ggml blocks within rows: 3 rows of 50 → 2 blocks each.
        assert_eq!(Q8_0.tensor_bytes(3, 50, 1), 3 * 2 * 34);
        // NVFP4: 9 bytes per 16 + a 4-byte tensor scale.
        assert_eq!(by_id("nvfp4").unwrap().tensor_bytes(1, 32, 1), 18 + 4);
        // Experts multiply rows and g_idx alike.
        assert_eq!(g.tensor_bytes(128, 256, 8), 8 * g.tensor_bytes(128, 256, 1));
        // Huge shapes saturate instead of wrapping.
        assert_eq!(F32.tensor_bytes(u64::MAX, u64::MAX, u64::MAX), u64::MAX);
    }
}
