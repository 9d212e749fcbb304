//! What a user picks for a whole model — a "scheme" — and which format each tensor gets under it.
//!
//! Three rules cover the tools people use:
//! - **llama-quantize presets** (`q4_k_m`, `q8_0`, `iq2_xxs`, `mxfp4_moe`, …): the per-tensor mix
//!   of llama.cpp's `llama_tensor_get_type_impl` (src/llama-quant.cpp, ggml-org/llama.cpp
//!   007dbbf3, 2026), restated in [`llama_type`] below: without an importance matrix, except for
//!   the presets llama-quantize makes only with one (`tensor_requires_imatrix`: IQ1_*, IQ2_*,
//!   IQ3_XXS, IQ3_XS, Q2_K_S), which are mixed as it mixes them with one.
//! - **overrides** (`q4_k_m+emb=q8_0+out=q8_0`): llama-quantize's `--token-embedding-type` and
//!   `--output-tensor-type` on a preset or a pure type; the common "_L" files are
//!   `+emb=q8_0+out=q8_0`. [`parse`] reads them; each distinct scheme is made once and kept.
//! - **pure ggml types** (`q4_k`, `q5_k`, `q3_k`): every quantizable tensor at that type, as
//!   `llama-quantize --pure` does.
//! - **checkpoint formats** (`bf16`, `fp8_e4m3`, `int4_g128`, `nf4`, `mxfp4`, …): linear-layer
//!   weights at the format; embeddings, output head, routers, norms and biases in BF16, as FP8,
//!   GPTQ and bitsandbytes checkpoints leave them. 16- and 32-bit floats apply to every tensor.

use crate::core::catalog::format::{self, Family, Format, BF16, F16, F32, Q8_0};
use crate::core::catalog::model::{Arch, Kind, Tensor};
use crate::core::text::i18n::{Msg, Strings};
use crate::core::text::units::clip;
use crate::msg;

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
    Iq3M,
    Iq3S,
    Iq3Xs,
    Iq3Xxs,
    Iq2M,
    Iq2S,
    Iq2Xs,
    Iq2Xxs,
    Iq1M,
    Iq1S,
    /// gpt-oss's mix: routed experts in MXFP4, every other quantized tensor in Q8_0.
    Mxfp4Moe,
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

impl Ftype {
    /// Whether llama-quantize makes this preset only with an importance matrix: some tensor it
    /// assigns (other than the token embedding and the output head) is a type
    /// `tensor_requires_imatrix` lists — IQ1_S, IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, or Q2_K in
    /// a Q2_K_S file. Such a preset is mixed as llama-quantize mixes it with one (`has_imatrix`).
    pub fn needs_imatrix(self) -> bool {
        use Ftype::*;
        matches!(self, Iq3Xs | Iq3Xxs | Iq2M | Iq2S | Iq2Xs | Iq2Xxs | Iq1M | Iq1S | Q2KS)
    }
}

#[derive(Debug, PartialEq)]
pub struct Scheme {
    pub id: &'static str,
    pub name: &'static str,
    /// The format most tensors get.
    pub base: &'static Format,
    pub rule: Rule,
    /// `--token-embedding-type`: the token embedding's type, whatever the rule says.
    pub emb: Option<&'static Format>,
    /// `--output-tensor-type`: the output head's type (and a tied embedding's, unless `emb`).
    pub out: Option<&'static Format>,
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
    preset!("mxfp4_moe", "MXFP4_MOE", "mxfp4", Mxfp4Moe),
    preset!("iq4_nl", "IQ4_NL", "iq4_nl", Iq4Nl),
    preset!("iq4_xs", "IQ4_XS", "iq4_xs", Iq4Xs),
    preset!("q3_k_l", "Q3_K_L", "q3_k", Q3KL),
    preset!("q3_k_m", "Q3_K_M", "q3_k", Q3KM),
    preset!("iq3_m", "IQ3_M", "iq3_s", Iq3M),
    preset!("iq3_s", "IQ3_S", "iq3_s", Iq3S),
    preset!("q3_k_s", "Q3_K_S", "q3_k", Q3KS),
    preset!("iq3_xs", "IQ3_XS", "iq3_s", Iq3Xs),
    preset!("iq3_xxs", "IQ3_XXS", "iq3_xxs", Iq3Xxs),
    preset!("q2_k", "Q2_K", "q2_k", Q2K),
    preset!("q2_k_s", "Q2_K_S", "q2_k", Q2KS),
    preset!("iq2_m", "IQ2_M", "iq2_s", Iq2M),
    preset!("iq2_s", "IQ2_S", "iq2_xs", Iq2S),
    preset!("iq2_xs", "IQ2_XS", "iq2_xs", Iq2Xs),
    preset!("iq2_xxs", "IQ2_XXS", "iq2_xxs", Iq2Xxs),
    preset!("iq1_m", "IQ1_M", "iq1_m", Iq1M),
    preset!("iq1_s", "IQ1_S", "iq1_s", Iq1S),
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
                    .filter_map(|&(id, name, base, rule)| {
                        Some(Scheme { id, name, base: format::by_id(base)?, rule, emb: None, out: None })
                    })
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
            .filter_map(|&(id, name, base, rule)| {
                Some(Scheme { id, name, base: format::by_id(base)?, rule, emb: None, out: None })
            })
            .collect()
    })
}

/// A pickable scheme by its id, overrides included (`q4_k_m+emb=q8_0`).
pub fn by_id(id: &str) -> Option<&'static Scheme> {
    schemes().iter().find(|s| s.id == id).or_else(|| id.contains('+').then(|| parse(id).ok()).flatten())
}

/// The two overrides a scheme id may carry, by their id keys.
const OVERRIDE_KEYS: [&str; 2] = ["emb", "out"];

/// Schemes with overrides, made when first read and kept (a scheme is `&'static`). A link or
/// the CLI can only name finitely many: a base scheme and two ggml types.
static OVERRIDDEN: std::sync::Mutex<Vec<&'static Scheme>> = std::sync::Mutex::new(Vec::new());

/// Reads a scheme id: a pickable scheme, optionally followed by `+emb=<type>` and
/// `+out=<type>` (llama-quantize's `--token-embedding-type` and `--output-tensor-type`; a
/// llama-quantize preset or pure type, and a ggml type). The canonical id writes `emb` first.
pub fn parse(text: &str) -> Result<&'static Scheme, Msg> {
    let id = text.trim().to_ascii_lowercase();
    let mut parts = id.split('+');
    let head = parts.next().unwrap_or("");
    let base = schemes().iter().find(|s| s.id == head).ok_or_else(|| msg!(err_format, clip(text)))?;
    let (mut emb, mut out) = (None, None);
    for part in parts {
        let (key, ty) = part.split_once('=').ok_or_else(|| msg!(err_override, clip(part), clip(text)))?;
        let slot = match key {
            "emb" => &mut emb,
            "out" => &mut out,
            _ => return Err(msg!(err_override, clip(part), clip(text))),
        };
        let f = format::by_id(ty).filter(|f| f.is_ggml_type()).ok_or_else(|| msg!(err_override_type, clip(ty)))?;
        if slot.replace(f).is_some() {
            return Err(msg!(err_override, clip(part), clip(text)));
        }
    }
    if emb.is_none() && out.is_none() {
        return Ok(base);
    }
    if base.rule == Rule::Checkpoint {
        return Err(msg!(err_override_base, base.name));
    }
    let canonical = canonical_id(base.id, emb, out);
    let mut made = OVERRIDDEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = made.iter().find(|s| s.id == canonical) {
        return Ok(s);
    }
    let mut name = base.name.to_string();
    for (key, f) in OVERRIDE_KEYS.iter().zip([emb, out]) {
        if let Some(f) = f {
            name.push_str(&format!("+{key}={}", f.name));
        }
    }
    let s: &'static Scheme = Box::leak(Box::new(Scheme {
        id: Box::leak(canonical.into_boxed_str()),
        name: Box::leak(name.into_boxed_str()),
        base: base.base,
        rule: base.rule,
        emb,
        out,
    }));
    made.push(s);
    Ok(s)
}

fn canonical_id(base: &str, emb: Option<&Format>, out: Option<&Format>) -> String {
    let mut id = base.to_string();
    for (key, f) in OVERRIDE_KEYS.iter().zip([emb, out]) {
        if let Some(f) = f {
            id.push_str(&format!("+{key}={}", f.id));
        }
    }
    id
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
        _ if !llama_quantizes(t) => &F32,
        // `llama_tensor_get_type` returns an override as it is, before any rule or fallback.
        _ if t.kind == Kind::TokenEmbd && scheme.emb.is_some() => scheme.emb.unwrap_or(scheme.base),
        _ if t.kind == Kind::Output && scheme.out.is_some() => scheme.out.unwrap_or(scheme.base),
        Rule::Pure => fallback(t, scheme.base),
        // A tied embedding takes the output rule, and so `--output-tensor-type` (then the fallback).
        Rule::LlamaQuantize(_) if t.kind == Kind::TokenEmbd && arch.tied_embeddings && scheme.out.is_some() => {
            fallback(t, scheme.out.unwrap_or(scheme.base))
        }
        Rule::LlamaQuantize(ft) => fallback(t, llama_type(ft, scheme.base, t, arch)),
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
        "iq4_xs" | "iq3_s" | "iq3_xxs" | "iq2_s" | "iq2_xs" | "iq2_xxs" | "iq1_m" | "iq1_s" => f("iq4_nl"),
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

/// llama-quantize's running count of `ffn_down` tensors before this one (`qs.i_ffn_down`), which
/// the IQ1/IQ2 rules read: tensors in the model loader's order (by layer, then by name, so a
/// layer's routed `ffn_down_exps` comes before its shared `ffn_down_shexp`).
fn ffn_down_counter(t: &Tensor, arch: &Arch) -> i64 {
    let layer = i64::from(t.layer.unwrap_or(0));
    match arch.moe {
        Some(m) => {
            let dense = i64::from(m.dense_layers);
            let per_moe_layer = 1 + i64::from(m.shared > 0);
            let before = layer.min(dense) + (layer - dense).max(0) * per_moe_layer;
            before + i64::from(layer >= dense && !t.routed && m.shared > 0)
        }
        None => layer,
    }
}

/// The llama-quantize mix, for the tensor kinds modelled here: without an importance matrix,
/// unless the preset needs one (`Ftype::needs_imatrix`), as `llama_tensor_get_type_impl` runs
/// its branches (its Falcon-only branches are left out).
fn llama_type(ft: Ftype, base: &'static Format, t: &Tensor, arch: &Arch) -> &'static Format {
    use Ftype::*;
    let n = i64::from(arch.layers);
    let i = t.layer.map_or(0, i64::from);
    let n_gqa = arch.heads / arch.kv_heads.max(1);
    let n_expert = arch.moe.map_or(0, |m| m.experts);
    let has_imatrix = ft.needs_imatrix();
    // LLM_TYPE_70B: llama.cpp sizes 80-layer Llama-family models with grouped-query attention
    // as 70B (LLaMA-65B, with full multi-head attention, is LLM_TYPE_65B).
    let is_70b = arch.layers == 80 && arch.kv_heads != arch.heads;
    let q5k = f("q5_k");
    let q6k = f("q6_k");
    let q4k = f("q4_k");
    let q3k = f("q3_k");
    let q2k = f("q2_k");
    let iq3s = f("iq3_s");
    let iq3xxs = f("iq3_xxs");
    let q8 = &format::Q8_0;
    // The very-low-bit presets share one branch, ahead of the others.
    let iq12 = matches!(ft, Iq2Xxs | Iq2Xs | Iq1S | Iq2S | Iq2M | Iq1M);
    let iq2sm = matches!(ft, Iq2S | Iq2M);
    match t.kind {
        Kind::Output => output_type(ft, base, t),
        Kind::TokenEmbd if arch.tied_embeddings => output_type(ft, base, t),
        // MXFP4_MOE: 3-D expert tensors in MXFP4, everything else Q8_0 (the token embedding too).
        _ if ft == Mxfp4Moe => {
            if t.routed && t.count > 1 {
                base
            } else {
                q8
            }
        }
        Kind::TokenEmbd => match ft {
            Iq2Xxs | Iq2Xs | Iq1S | Iq1M => q2k,
            Iq2S | Iq2M | Iq3Xxs => iq3s,
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
        Kind::AttnV | Kind::AttnQkv | Kind::AttnKvB if iq12 => {
            if n_gqa >= 4 || n_expert >= 4 {
                q4k
            } else if iq2sm {
                iq3s
            } else {
                q2k
            }
        }
        Kind::AttnK if iq12 && n_expert == 8 => q4k,
        Kind::FfnDown if iq12 => {
            if ffn_down_counter(t, arch) < n / 8 {
                if iq2sm {
                    iq3s
                } else {
                    q2k
                }
            } else {
                base
            }
        }
        Kind::AttnOut if iq12 => {
            if n_expert == 8 {
                q5k
            } else if matches!(ft, Iq1S | Iq1M) {
                f("iq2_xxs")
            } else if iq2sm {
                iq3s
            } else {
                base
            }
        }
        _ if iq12 => base,
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
                Iq3Xxs => {
                    if n_gqa >= 4 {
                        q4k
                    } else if has_imatrix {
                        iq3xxs
                    } else {
                        iq3s
                    }
                }
                Iq3Xs | Iq3S if n_gqa >= 4 => q4k,
                Iq3M => q4k,
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
        Kind::AttnK | Kind::AttnQ => match ft {
            Iq3Xs => iq3xxs,
            Iq3Xxs => f("iq2_s"),
            _ => base,
        },
        Kind::FfnDown => match ft {
            Q2K => q3k,
            Q2KS if i < n / 8 => q4k,
            Iq3Xxs if !has_imatrix => {
                if i < n / 8 {
                    q4k
                } else {
                    q3k
                }
            }
            Q3KM => {
                if i < n / 16 {
                    q5k
                } else {
                    q4k
                }
            }
            Iq3M if i < n / 8 || (n_expert == 8 && use_more_bits(i, n)) => q4k,
            Q3KL => q5k,
            Q4KM if use_more_bits(i, n) => q6k,
            Iq4Nl | Iq4Xs if i < n / 8 && !has_imatrix => q5k,
            Q5KM if use_more_bits(i, n) => q6k,
            Q4KS if i < n / 8 => q5k,
            _ => base,
        },
        Kind::AttnOut if n_expert == 8 => match ft {
            Q2K | Iq3Xs | Iq3Xxs | Q3KS | Q3KM | Iq4Nl | Q4KS | Q4KM | Iq3S | Iq3M | Iq4Xs => q5k,
            _ => base,
        },
        Kind::AttnOut => match ft {
            Q2K => q3k,
            Iq3Xxs => iq3s,
            Q3KM | Iq3M => q4k,
            Q3KL => q5k,
            _ => base,
        },
        Kind::FfnGate | Kind::FfnUp if ft == Iq3Xs && i >= n / 8 && i < 7 * n / 8 => iq3xxs,
        _ => base,
    }
}

/// The output head (and a tied token embedding): Q8_0 for MXFP4_MOE and where rows do not tile
/// into the base type's blocks; Q5_K for the IQ1, IQ2 and IQ3_XXS presets; Q6_K unless the
/// preset is Q8_0.
fn output_type(ft: Ftype, base: &'static Format, t: &Tensor) -> &'static Format {
    use Ftype::*;
    if ft == Mxfp4Moe || !base.fits_row(t.cols) {
        &format::Q8_0
    } else if matches!(ft, Iq2Xxs | Iq2Xs | Iq3Xxs | Iq1S | Iq2S | Iq2M | Iq1M) {
        f("q5_k")
    } else if base == &format::Q8_0 {
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

    /// The IQ presets on Llama-3.1-8B (n_gqa 4), as llama-quant.cpp assigns them.
    #[test]
    fn iq_presets_on_llama_3_1_8b() {
        let v = types_for("iq2_xxs", "llama-3.1-8b");
        assert_eq!(type_of(&v, Kind::Output, None), "q5_k");
        assert_eq!(type_of(&v, Kind::TokenEmbd, None), "q2_k");
        assert_eq!(type_of(&v, Kind::AttnV, Some(9)), "q4_k");
        assert_eq!(type_of(&v, Kind::FfnDown, Some(3)), "q2_k");
        assert_eq!(type_of(&v, Kind::FfnDown, Some(4)), "iq2_xxs");
        assert_eq!(type_of(&v, Kind::AttnOut, Some(4)), "iq2_xxs");
        let v = types_for("iq1_m", "llama-3.1-8b");
        assert_eq!(type_of(&v, Kind::AttnOut, Some(4)), "iq2_xxs");
        assert_eq!(type_of(&v, Kind::FfnUp, Some(4)), "iq1_m");
        let v = types_for("iq2_m", "llama-3.1-8b");
        assert_eq!(type_of(&v, Kind::TokenEmbd, None), "iq3_s");
        assert_eq!(type_of(&v, Kind::FfnDown, Some(0)), "iq3_s");
        assert_eq!(type_of(&v, Kind::AttnOut, Some(9)), "iq3_s");
        assert_eq!(type_of(&v, Kind::FfnGate, Some(9)), "iq2_s");
        // IQ2_S's default type is IQ2_XS.
        assert_eq!(type_of(&types_for("iq2_s", "llama-3.1-8b"), Kind::FfnGate, Some(9)), "iq2_xs");
        // IQ3_XXS, made with an importance matrix: ffn_down stays IQ3_XXS; q and k IQ2_S.
        let v = types_for("iq3_xxs", "llama-3.1-8b");
        assert_eq!(type_of(&v, Kind::Output, None), "q5_k");
        assert_eq!(type_of(&v, Kind::TokenEmbd, None), "iq3_s");
        assert_eq!(type_of(&v, Kind::FfnDown, Some(0)), "iq3_xxs");
        assert_eq!(type_of(&v, Kind::AttnQ, Some(0)), "iq2_s");
        assert_eq!(type_of(&v, Kind::AttnK, Some(0)), "iq2_s");
        assert_eq!(type_of(&v, Kind::AttnOut, Some(0)), "iq3_s");
        let v = types_for("iq3_xs", "llama-3.1-8b");
        assert_eq!(type_of(&v, Kind::Output, None), "q6_k");
        assert_eq!(type_of(&v, Kind::FfnUp, Some(3)), "iq3_s");
        assert_eq!(type_of(&v, Kind::FfnUp, Some(4)), "iq3_xxs");
        assert_eq!(type_of(&v, Kind::FfnGate, Some(28)), "iq3_s");
        assert_eq!(type_of(&v, Kind::AttnQ, Some(28)), "iq3_xxs");
        let v = types_for("iq3_m", "llama-3.1-8b");
        assert_eq!(type_of(&v, Kind::FfnDown, Some(3)), "q4_k");
        assert_eq!(type_of(&v, Kind::FfnDown, Some(4)), "iq3_s");
        assert_eq!(type_of(&v, Kind::AttnOut, Some(4)), "q4_k");
        assert_eq!(type_of(&v, Kind::AttnV, Some(4)), "q4_k");
    }

    /// Where ggml's counter and the layer differ: ffn_down tensors counted in the loader's order,
    /// a layer's routed experts before its shared expert, dense layers once.
    #[test]
    fn the_ffn_down_counter_counts_tensors() {
        let arch = preset("deepseek-v3").unwrap().arch;
        let m = arch.moe.unwrap();
        assert!(m.shared > 0 && m.dense_layers == 3);
        let t = |layer, routed| Tensor { kind: Kind::FfnDown, layer: Some(layer), rows: 1, cols: 1, count: 1, routed };
        assert_eq!(ffn_down_counter(&t(2, false), &arch), 2);
        assert_eq!(ffn_down_counter(&t(3, true), &arch), 3);
        assert_eq!(ffn_down_counter(&t(3, false), &arch), 4);
        assert_eq!(ffn_down_counter(&t(4, true), &arch), 5);
        // 61 layers: the first 61/8 = 7 counts are layers 0-2 and 3-4's pairs.
        let v = types_for("iq2_xxs", "deepseek-v3");
        let downs: Vec<&str> =
            v.iter().filter(|(k, l, _)| *k == Kind::FfnDown && l.is_some_and(|l| l <= 6)).map(|x| x.2).collect();
        assert_eq!(
            downs,
            ["q2_k", "q2_k", "q2_k", "q2_k", "q2_k", "q2_k", "q2_k", "iq2_xxs", "iq2_xxs", "iq2_xxs", "iq2_xxs"]
        );
    }

    /// gpt-oss in MXFP4_MOE: the experts MXFP4, every other quantized tensor Q8_0, routers F32.
    #[test]
    fn mxfp4_moe_on_gpt_oss() {
        let arch = preset("gpt-oss-20b").unwrap().arch;
        let s = by_id("mxfp4_moe").unwrap();
        for t in arch.tensors() {
            let got = tensor_format(s, &t, &arch).id;
            let want = match t.kind {
                Kind::Vector | Kind::Router => "f32",
                _ if t.routed => "mxfp4",
                _ => "q8_0",
            };
            assert_eq!(got, want, "{:?} {:?}", t.kind, t.layer);
        }
    }

    /// `--token-embedding-type` and `--output-tensor-type`: given as they are, before the mix.
    #[test]
    fn overrides() {
        let l = parse("Q4_K_M+OUT=q8_0+emb=q8_0").unwrap();
        assert_eq!((l.id, l.name), ("q4_k_m+emb=q8_0+out=q8_0", "Q4_K_M+emb=Q8_0+out=Q8_0"));
        assert!(std::ptr::eq(l, by_id("q4_k_m+emb=q8_0+out=q8_0").unwrap()));
        assert!(std::ptr::eq(parse("q4_k_m").unwrap(), by_id("q4_k_m").unwrap()));
        let arch = preset("llama-3.1-8b").unwrap().arch;
        let ts = arch.tensors();
        let of = |s: &'static Scheme, k: Kind, layer| {
            tensor_format(s, ts.iter().find(|t| t.kind == k && t.layer == layer).unwrap(), &arch).id
        };
        assert_eq!((of(l, Kind::TokenEmbd, None), of(l, Kind::Output, None)), ("q8_0", "q8_0"));
        assert_eq!(of(l, Kind::AttnV, Some(0)), "q6_k");
        assert_eq!(of(l, Kind::Vector, None), "f32");
        let pure = parse("q4_k+out=f16").unwrap();
        assert_eq!((of(pure, Kind::TokenEmbd, None), of(pure, Kind::Output, None)), ("q4_k", "f16"));
        // A tied embedding follows --output-tensor-type, unless --token-embedding-type is given.
        let tied = preset("llama-3.2-1b").unwrap().arch;
        let emb = tied.tensors().into_iter().find(|t| t.kind == Kind::TokenEmbd).unwrap();
        assert_eq!(tensor_format(parse("q4_k_m+out=q8_0").unwrap(), &emb, &tied).id, "q8_0");
        assert_eq!(tensor_format(parse("q4_k_m+emb=q4_0+out=q8_0").unwrap(), &emb, &tied).id, "q4_0");
        for bad in [
            "q4_k_m+emb=nf4",
            "q4_k_m+emb=q8_0+emb=q8_0",
            "q4_k_m+x=q8_0",
            "q4_k_m+q8_0",
            "nf4+out=q8_0",
            "q9+out=q8_0",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
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
