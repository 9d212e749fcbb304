//! What a user picks for a whole model — a "scheme" — and which format each tensor gets under it.
//!
//! Three rules cover the tools people use:
//! - **llama-quantize presets** (`q4_k_m`, `q8_0`, …): the per-tensor mix of llama.cpp's
//!   `llama_tensor_get_type_impl` (src/llama-quant.cpp, ggml-org/llama.cpp, 2026), without an
//!   importance matrix, restated in [`llama_type`] below.
//! - **pure ggml types** (`q4_k`, `q5_k`, `q3_k`): every quantizable tensor at that type, as
//!   `llama-quantize --pure` does.
//! - **checkpoint formats** (`bf16`, `fp8_e4m3`, `int4_g128`, `nf4`, `mxfp4`, …): linear-layer
//!   weights at the format; embeddings, output head, routers, norms and biases in BF16, as FP8,
//!   GPTQ and bitsandbytes checkpoints leave them. 16- and 32-bit floats apply to every tensor.

use crate::core::catalog::format::{self, Family, Format, BF16, F16, F32, Q8_0};
use crate::core::catalog::model::{Arch, Kind, Tensor};
use crate::core::text::i18n::Strings;

/// llama.cpp file types (`LLAMA_FTYPE_MOSTLY_*`) that have a mixing rule here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ftype {
    Q2K,
    Q2KS,
    Q3KS,
    Q3KM,
    Q3KL,
    Q4KS,
    Q4KM,
    Q5KS,
    Q5KM,
    Q6K,
    Q8_0,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Iq4Nl,
    Iq4Xs,
    Tq1_0,
    Tq2_0,
    /// Q2_K as llama-quantize mixed it in June 2023 (PR #1684), when LLaMA-v1 was measured.
    Q2K2306,
    /// Q2_K as mixed from August 2023 (PR #2807) until January 2024, when Llama-2-70B was measured.
    Q2K2308,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    LlamaQuantize(Ftype),
    Pure,
    Checkpoint,
}

#[derive(Debug, PartialEq)]
pub struct Scheme {
    pub id: &'static str,
    pub name: &'static str,
    /// The format most tensors get.
    pub base: &'static Format,
    pub rule: Rule,
}

/// A group of the format picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// llama-quantize's presets.
    Presets,
    /// ggml types, every tensor at that type.
    Pure,
    /// Checkpoint formats, by their catalogue family.
    Family(Family),
}

impl Group {
    /// The group's name in the page's language.
    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Group::Presets => t.grp_presets,
            Group::Pure => t.grp_pure,
            Group::Family(f) => f.label(t),
        }
    }
}

impl Scheme {
    pub fn group(&self) -> Group {
        match self.rule {
            Rule::LlamaQuantize(_) => Group::Presets,
            Rule::Pure => Group::Pure,
            Rule::Checkpoint => Group::Family(self.base.family),
        }
    }
}

/// Groups in picker order.
pub fn groups() -> Vec<Group> {
    let mut out = Vec::new();
    for s in schemes() {
        if !out.contains(&s.group()) {
            out.push(s.group());
        }
    }
    out
}

macro_rules! preset {
    ($id:literal, $name:literal, $base:literal, $ft:ident) => {
        ($id, $name, $base, Rule::LlamaQuantize(Ftype::$ft))
    };
}

/// (id, display name, base format id, rule), in picker order.
const SCHEME_ROWS: &[(&str, &str, &str, Rule)] = &[
    ("f32", "F32", "f32", Rule::Checkpoint),
    ("f16", "F16", "f16", Rule::Checkpoint),
    ("bf16", "BF16", "bf16", Rule::Checkpoint),
    ("fp8_e4m3", "FP8 E4M3", "fp8_e4m3", Rule::Checkpoint),
    ("fp8_e5m2", "FP8 E5M2", "fp8_e5m2", Rule::Checkpoint),
    ("int8", "INT8 per-channel", "int8", Rule::Checkpoint),
    ("int4_g128", "INT4 g128 (GPTQ)", "int4_g128", Rule::Checkpoint),
    ("int4_g128_gidx", "INT4 g128 + g_idx", "int4_g128_gidx", Rule::Checkpoint),
    ("nf4", "NF4", "nf4", Rule::Checkpoint),
    ("nf4_dq", "NF4 + double quant", "nf4_dq", Rule::Checkpoint),
    ("mxfp8", "MXFP8", "mxfp8", Rule::Checkpoint),
    ("mxfp4", "MXFP4", "mxfp4", Rule::Checkpoint),
    ("nvfp4", "NVFP4", "nvfp4", Rule::Checkpoint),
    preset!("q8_0", "Q8_0", "q8_0", Q8_0),
    preset!("q6_k", "Q6_K", "q6_k", Q6K),
    preset!("q5_k_m", "Q5_K_M", "q5_k", Q5KM),
    preset!("q5_k_s", "Q5_K_S", "q5_k", Q5KS),
    preset!("q5_1", "Q5_1", "q5_1", Q5_1),
    preset!("q5_0", "Q5_0", "q5_0", Q5_0),
    preset!("q4_k_m", "Q4_K_M", "q4_k", Q4KM),
    preset!("q4_k_s", "Q4_K_S", "q4_k", Q4KS),
    preset!("q4_1", "Q4_1", "q4_1", Q4_1),
    preset!("q4_0", "Q4_0", "q4_0", Q4_0),
    preset!("iq4_nl", "IQ4_NL", "iq4_nl", Iq4Nl),
    preset!("iq4_xs", "IQ4_XS", "iq4_xs", Iq4Xs),
    preset!("q3_k_l", "Q3_K_L", "q3_k", Q3KL),
    preset!("q3_k_m", "Q3_K_M", "q3_k", Q3KM),
    preset!("q3_k_s", "Q3_K_S", "q3_k", Q3KS),
    preset!("q2_k", "Q2_K", "q2_k", Q2K),
    preset!("q2_k_s", "Q2_K_S", "q2_k", Q2KS),
    preset!("tq2_0", "TQ2_0", "tq2_0", Tq2_0),
    preset!("tq1_0", "TQ1_0", "tq1_0", Tq1_0),
    ("q5_k", "Q5_K (pure)", "q5_k", Rule::Pure),
    ("q4_k", "Q4_K (pure)", "q4_k", Rule::Pure),
    ("q3_k", "Q3_K (pure)", "q3_k", Rule::Pure),
];

/// Mixes llama-quantize no longer makes, for published measurements of files made with them
/// (each checked against the file size published with it); not in the picker.
const HISTORIC_ROWS: &[(&str, &str, &str, Rule)] = &[
    preset!("q2_k@2023-06", "Q2_K@2023-06", "q2_k", Q2K2306),
    preset!("q2_k@2023-08", "Q2_K@2023-08", "q2_k", Q2K2308),
];

static HISTORIC: std::sync::OnceLock<Vec<Scheme>> = std::sync::OnceLock::new();

/// A pickable scheme, or a historic mix by its id.
pub fn by_id_or_historic(id: &str) -> Option<&'static Scheme> {
    by_id(id).or_else(|| {
        HISTORIC
            .get_or_init(|| {
                HISTORIC_ROWS
                    .iter()
                    .filter_map(|&(id, name, base, rule)| Some(Scheme { id, name, base: format::by_id(base)?, rule }))
                    .collect()
            })
            .iter()
            .find(|s| s.id == id)
    })
}

static SCHEMES: std::sync::OnceLock<Vec<Scheme>> = std::sync::OnceLock::new();

pub fn schemes() -> &'static [Scheme] {
    SCHEMES.get_or_init(|| {
        SCHEME_ROWS
            .iter()
            .filter_map(|&(id, name, base, rule)| Some(Scheme { id, name, base: format::by_id(base)?, rule }))
            .collect()
    })
}

pub fn by_id(id: &str) -> Option<&'static Scheme> {
    schemes().iter().find(|s| s.id == id)
}

/// The format one tensor is stored in under `scheme`.
pub fn tensor_format(scheme: &Scheme, t: &Tensor, arch: &Arch) -> &'static Format {
    match scheme.rule {
        Rule::Checkpoint => {
            if scheme.base.block_elems == 1 && scheme.base.block_bits >= 16 || t.kind.is_linear() {
                scheme.base
            } else {
                &BF16
            }
        }
        Rule::Pure => {
            if llama_quantizes(t) {
                fallback(t, scheme.base)
            } else {
                &F32
            }
        }
        Rule::LlamaQuantize(ft) => {
            if llama_quantizes(t) {
                fallback(t, llama_type(ft, scheme.base, t, arch))
            } else {
                &F32
            }
        }
    }
}

/// llama.cpp's `tensor_allows_quantization` for the tensors modelled here: 2-D weights except
/// routers and BERT's position / token-type tables. What it leaves alone stays as converted
/// (F32 for these tensors in convert_hf_to_gguf.py).
fn llama_quantizes(t: &Tensor) -> bool {
    !matches!(t.kind, Kind::Vector | Kind::Router | Kind::PosEmbd | Kind::TypeEmbd)
}

fn f(id: &str) -> &'static Format {
    format::by_id(id).unwrap_or(&F16)
}

/// llama.cpp's `tensor_type_fallback`: rows a block type cannot tile take a 32-element type.
fn fallback(t: &Tensor, want: &'static Format) -> &'static Format {
    if want.fits_row(t.cols) {
        return want;
    }
    let alt = match want.id {
        "iq4_xs" => f("iq4_nl"),
        "q2_k" | "q3_k" | "tq1_0" | "tq2_0" => f("q4_0"),
        "q4_k" => f("q5_0"),
        "q5_k" => f("q5_1"),
        "q6_k" => &Q8_0,
        _ => &F16,
    };
    if alt.fits_row(t.cols) {
        alt
    } else {
        &F16
    }
}

/// `use_more_bits` from llama-quant.cpp: the first and last eighth of the layers, and every third between.
fn use_more_bits(i: i64, n: i64) -> bool {
    i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2
}

/// The llama-quantize mix (no imatrix), for the tensor kinds modelled here.
fn llama_type(ft: Ftype, base: &'static Format, t: &Tensor, arch: &Arch) -> &'static Format {
    use Ftype::*;
    let n = i64::from(arch.layers);
    let i = t.layer.map_or(0, i64::from);
    let n_gqa = arch.heads / arch.kv_heads.max(1);
    let n_expert = arch.moe.map_or(0, |m| m.experts);
    // LLM_TYPE_70B: llama.cpp sizes 80-layer Llama-family models with grouped-query attention
    // as 70B (LLaMA-65B, with full multi-head attention, is LLM_TYPE_65B).
    let is_70b = arch.layers == 80 && arch.kv_heads != arch.heads;
    let q5k = f("q5_k");
    let q6k = f("q6_k");
    let q4k = f("q4_k");
    let q3k = f("q3_k");
    let q8 = &format::Q8_0;
    match t.kind {
        Kind::Output => output_type(base, t),
        Kind::TokenEmbd if arch.tied_embeddings => output_type(base, t),
        Kind::TokenEmbd => match ft {
            Tq1_0 | Tq2_0 => q4k,
            _ => base,
        },
        // June 2023: Q4_K for attn_v, attn_output and ffn_down, Q2_K elsewhere (output Q6_K).
        Kind::AttnV | Kind::AttnOut | Kind::FfnDown if ft == Q2K2306 => q4k,
        // August 2023: Q3_K for everything but attn_q, attn_k and the embedding; attn_v Q5_K on a 70B.
        Kind::AttnV if ft == Q2K2308 => {
            if is_70b {
                q5k
            } else {
                q3k
            }
        }
        Kind::AttnOut | Kind::FfnDown | Kind::FfnGate | Kind::FfnUp if ft == Q2K2308 => q3k,
        _ if matches!(ft, Q2K2306 | Q2K2308) => base,
        // attn_v, a fused attn_qkv and MLA's attn_kv_b share one branch. (llama-quant.cpp has a
        // later attn_qkv branch, but the attn_v branch matches first, so it never runs.)
        Kind::AttnV | Kind::AttnQkv | Kind::AttnKvB => {
            let mut ty = match ft {
                Q2K => {
                    if n_gqa >= 4 {
                        q4k
                    } else {
                        q3k
                    }
                }
                Q2KS if n_gqa >= 4 => q4k,
                Q3KM => {
                    if i < 2 {
                        q5k
                    } else {
                        q4k
                    }
                }
                Q3KL => q5k,
                Iq4Nl | Iq4Xs if n_gqa >= 4 => q5k,
                Q4KM | Q5KM if use_more_bits(i, n) => q6k,
                Q4KS if i < 4 => q5k,
                _ => base,
            };
            if is_70b && (ty == q3k || ty == q4k) {
                ty = q5k;
            }
            if n_expert == 8 {
                ty = q8;
            }
            ty
        }
        Kind::AttnK if n_expert == 8 => q8,
        Kind::FfnDown => match ft {
            Q2K => q3k,
            Q2KS if i < n / 8 => q4k,
            Q3KM => {
                if i < n / 16 {
                    q5k
                } else {
                    q4k
                }
            }
            Q3KL => q5k,
            Q4KM if use_more_bits(i, n) => q6k,
            Iq4Nl | Iq4Xs if i < n / 8 => q5k,
            Q5KM if use_more_bits(i, n) => q6k,
            Q4KS if i < n / 8 => q5k,
            _ => base,
        },
        Kind::AttnOut if n_expert == 8 => match ft {
            Q2K | Q3KS | Q3KM | Iq4Nl | Q4KS | Q4KM | Iq4Xs => q5k,
            _ => base,
        },
        Kind::AttnOut => match ft {
            Q2K => q3k,
            Q3KM => q4k,
            Q3KL => q5k,
            _ => base,
        },
        _ => base,
    }
}

/// The output head (and a tied token embedding): Q6_K unless the preset is Q8_0, Q8_0 where
/// rows do not tile into the base type's blocks.
fn output_type(base: &'static Format, t: &Tensor) -> &'static Format {
    if !base.fits_row(t.cols) {
        &Q8_0
    } else if base == &Q8_0 {
        base
    } else {
        f("q6_k")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::model::preset;

    #[test]
    fn every_row_resolves_and_ids_are_unique() {
        assert_eq!(schemes().len(), SCHEME_ROWS.len());
        for (i, a) in schemes().iter().enumerate() {
            for b in &schemes()[i + 1..] {
                assert_ne!(a.id, b.id);
            }
        }
        assert!(groups().len() >= 6);
    }

    #[test]
    fn use_more_bits_marks_half_of_32_layers() {
        let marked: Vec<i64> = (0..32).filter(|&i| use_more_bits(i, 32)).collect();
        assert_eq!(marked, vec![0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31]);
    }

    fn types_for(scheme: &str, model: &str) -> Vec<(Kind, Option<u32>, &'static str)> {
        let arch = preset(model).unwrap().arch;
        let s = by_id(scheme).unwrap();
        arch.tensors().iter().map(|t| (t.kind, t.layer, tensor_format(s, t, &arch).id)).collect()
    }

    fn type_of(v: &[(Kind, Option<u32>, &'static str)], kind: Kind, layer: Option<u32>) -> &'static str {
        v.iter().find(|(k, l, _)| *k == kind && *l == layer).unwrap().2
    }

    #[test]
    fn q4_k_m_on_llama_3_1_8b() {
        let v = types_for("q4_k_m", "llama-3.1-8b");
        assert_eq!(type_of(&v, Kind::Output, None), "q6_k");
        assert_eq!(type_of(&v, Kind::TokenEmbd, None), "q4_k");
        assert_eq!(type_of(&v, Kind::AttnV, Some(0)), "q6_k");
        assert_eq!(type_of(&v, Kind::AttnV, Some(4)), "q4_k");
        assert_eq!(type_of(&v, Kind::AttnV, Some(6)), "q6_k");
        assert_eq!(type_of(&v, Kind::FfnDown, Some(5)), "q4_k");
        assert_eq!(type_of(&v, Kind::FfnDown, Some(31)), "q6_k");
        assert_eq!(type_of(&v, Kind::AttnQ, Some(0)), "q4_k");
        assert_eq!(type_of(&v, Kind::Vector, None), "f32");
    }

    #[test]
    fn the_70b_rule_lifts_attn_v() {
        let v = types_for("q4_k_m", "llama-3.1-70b");
        assert_eq!(type_of(&v, Kind::AttnV, Some(10)), "q5_k");
        assert_eq!(type_of(&v, Kind::AttnV, Some(12)), "q6_k");
    }

    #[test]
    fn tied_embeddings_take_the_output_rule() {
        let v = types_for("q4_k_m", "llama-3.2-1b");
        assert_eq!(type_of(&v, Kind::TokenEmbd, None), "q6_k");
        let v = types_for("q8_0", "llama-3.2-1b");
        assert_eq!(type_of(&v, Kind::TokenEmbd, None), "q8_0");
    }

    #[test]
    fn eight_experts_bump_attention() {
        let v = types_for("q4_k_m", "mixtral-8x7b");
        assert_eq!(type_of(&v, Kind::AttnV, Some(3)), "q8_0");
        assert_eq!(type_of(&v, Kind::AttnK, Some(3)), "q8_0");
        assert_eq!(type_of(&v, Kind::AttnOut, Some(3)), "q5_k");
        assert_eq!(type_of(&v, Kind::Router, Some(3)), "f32");
    }

    #[test]
    fn checkpoint_formats_quantize_linear_layers_only() {
        let v = types_for("nf4", "llama-3.1-8b");
        assert_eq!(type_of(&v, Kind::AttnQ, Some(0)), "nf4");
        assert_eq!(type_of(&v, Kind::TokenEmbd, None), "bf16");
        assert_eq!(type_of(&v, Kind::Output, None), "bf16");
        let v = types_for("f32", "bert-base");
        assert!(v.iter().all(|(_, _, id)| *id == "f32"));
    }

    #[test]
    fn rows_that_do_not_tile_fall_back() {
        let t = Tensor { kind: Kind::AttnQ, layer: Some(0), rows: 8, cols: 96, count: 1, routed: false };
        assert_eq!(fallback(&t, f("q4_k")).id, "q5_0");
        assert_eq!(fallback(&t, f("q6_k")).id, "q8_0");
        let odd = Tensor { cols: 100, ..t };
        assert_eq!(fallback(&odd, f("q4_k")).id, "f16");
        assert_eq!(fallback(&t, f("q4_0")).id, "q4_0");
    }
}
