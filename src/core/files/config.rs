//! A model from its Hugging Face `config.json`: every field that changes bytes, read into an
//! [`Arch`] a link can carry, with the fields it could not read and what it assumed.
//!
//! The JSON is read with serde_json into [`Json`], which keeps every name of an object in file
//! order (duplicates included, so a name given twice is refused rather than silently the last).
//! A multimodal config's `text_config` (Gemma 3, Llama 4) is the language model read; its
//! vision tower is named as not counted. Each family's fields are read as transformers' config
//! class reads them, and where a published config leaves a field to the class's default (Gemma 3's
//! `text_config` names five fields), the default is used and said. A field out of the range a
//! link can carry, of the wrong type, or naming an unknown layer kind is refused with its name;
//! a field that changes bytes but is not modelled (a vision tower, multi-token-prediction layers)
//! is listed as not read; any other name this reader does not know is listed too.

use std::fmt;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::core::catalog::model::{
    Arch, DeltaNet, Ffn, Local, LocalKind, Mamba, Mixer, Mla, Moe, Pattern, DECODER, MAX_CONTEXT, MAX_EXPERTS, MAX_FFN,
    MAX_HEADS, MAX_HEAD_DIM, MAX_HIDDEN, MAX_LAYERS, MAX_RANK, MAX_VOCAB,
};
use crate::core::catalog::scheme::{by_id, Scheme};
use crate::core::text::i18n::Msg;
use crate::core::text::units::{clip, fmt_thousands, MAX_PARAMS};
use crate::msg;

/// A config.json is a few kilobytes (Llama 4's, with its layer lists, under 4 KB); more than this is
/// not one and is refused unread.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// A JSON value that keeps every name of an object, duplicates included, in file order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_none<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Bool(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
                // JSON numbers are finite; anything else stays a number that no field accepts.
                Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::String(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Json, E> {
                Ok(Json::String(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = s.next_element()? {
                    out.push(v);
                }
                Ok(Json::Array(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Json>()? {
                    out.push((k, v));
                }
                Ok(Json::Object(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl Json {
    /// The value as the message quotes it: JSON text, clipped.
    fn text(&self) -> String {
        let s = match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => n.to_string(),
            Json::String(s) => format!("\"{s}\""),
            Json::Array(_) => "[…]".into(),
            Json::Object(_) => "{…}".into(),
        };
        clip(&s)
    }

    /// The first name an object gives twice, here or in any object inside, with its path.
    fn duplicate(&self, path: &str) -> Option<String> {
        match self {
            Json::Object(items) => items.iter().enumerate().find_map(|(i, (k, v))| {
                let here = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                if items[..i].iter().any(|(other, _)| other == k) {
                    Some(here)
                } else {
                    v.duplicate(&here)
                }
            }),
            Json::Array(items) => items.iter().find_map(|v| v.duplicate(path)),
            _ => None,
        }
    }
}

/// What a config.json says about its model.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigModel {
    pub arch: Arch,
    /// The `model_type` read (the text model's, for a multimodal config).
    pub model_type: String,
    /// The format the checkpoint ships in, as the nearest scheme of the catalogue (its
    /// `quantization_config`, else its `torch_dtype`); `None` when nothing in the catalogue is near.
    pub shipped: Option<&'static Scheme>,
    /// What was assumed for fields the file leaves out, and how the shipped format was mapped.
    pub assumed: Vec<Msg>,
    /// Fields that change bytes but are not modelled, and names this reader does not know.
    pub unread: Vec<Msg>,
}

/// The families read here: `model_type`, the transformers config class whose defaults apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Llama,
    Mistral,
    Mixtral,
    Qwen2,
    Qwen2Moe,
    Qwen3,
    Qwen3Moe,
    Qwen3Next,
    Gemma,
    Gemma2,
    Gemma3,
    GptOss,
    DeepseekV2,
    DeepseekV3,
    Llama4,
    /// Phi-3 and Phi-4: q, k, v in one matrix, gate and up in another.
    Phi3,
    /// GLM-4.5: DeepSeek-V3's experts (a router bias, shared experts, dense first layers) with
    /// grouped-query attention whose q, k and v carry biases.
    Glm4Moe,
    /// Jamba: Mamba-1 layers with attention every `attn_layer_period` layers and experts every
    /// `expert_layer_period`.
    Jamba,
    /// Nemotron-H: one mixer or one FFN a layer, as `hybrid_override_pattern` spells them;
    /// Mamba-2, and an FFN of up and down only.
    NemotronH,
    /// Granite 4.0-H: Mamba-2 or attention (`layer_types`), each followed by experts and a
    /// shared FFN (the shared FFN alone without experts).
    GraniteMoeHybrid,
}

impl Family {
    /// Families with Mamba layers, whose layers an explicit pattern places.
    fn hybrid(self) -> bool {
        matches!(self, Family::Jamba | Family::NemotronH | Family::GraniteMoeHybrid)
    }
}

const FAMILIES: &[(&str, Family, &str)] = &[
    ("llama", Family::Llama, "LlamaConfig"),
    ("mistral", Family::Mistral, "MistralConfig"),
    ("mixtral", Family::Mixtral, "MixtralConfig"),
    ("qwen2", Family::Qwen2, "Qwen2Config"),
    ("qwen2_moe", Family::Qwen2Moe, "Qwen2MoeConfig"),
    ("qwen3", Family::Qwen3, "Qwen3Config"),
    ("qwen3_moe", Family::Qwen3Moe, "Qwen3MoeConfig"),
    ("qwen3_next", Family::Qwen3Next, "Qwen3NextConfig"),
    ("gemma", Family::Gemma, "GemmaConfig"),
    ("gemma2", Family::Gemma2, "Gemma2Config"),
    ("gemma3", Family::Gemma3, "Gemma3TextConfig"),
    ("gemma3_text", Family::Gemma3, "Gemma3TextConfig"),
    ("gpt_oss", Family::GptOss, "GptOssConfig"),
    ("deepseek_v2", Family::DeepseekV2, "DeepseekV2Config"),
    ("deepseek_v3", Family::DeepseekV3, "DeepseekV3Config"),
    ("llama4", Family::Llama4, "Llama4TextConfig"),
    ("llama4_text", Family::Llama4, "Llama4TextConfig"),
    // Kimi K2 is DeepSeek-V3's architecture (`DeepseekV3ForCausalLM`) under its own name.
    ("kimi_k2", Family::DeepseekV3, "DeepseekV3Config"),
    ("phi3", Family::Phi3, "Phi3Config"),
    ("glm4_moe", Family::Glm4Moe, "Glm4MoeConfig"),
    ("jamba", Family::Jamba, "JambaConfig"),
    ("nemotron_h", Family::NemotronH, "NemotronHConfig"),
    ("granitemoehybrid", Family::GraniteMoeHybrid, "GraniteMoeHybridConfig"),
];

/// The `model_type`s this reader knows, for the message that refuses another.
pub fn known_model_types() -> String {
    let mut v: Vec<&str> = FAMILIES.iter().map(|(t, _, _)| *t).collect();
    v.dedup();
    v.join(", ")
}

/// Defaults of the transformers config classes for fields that published configs leave out
/// (transformers' `configuration_<family>.py`). Only these are filled in, each with a note.
fn class_default(f: Family, key: &str) -> Option<u64> {
    use Family::*;
    Some(match (f, key) {
        (Gemma3, "num_attention_heads") => 8,
        (Gemma3, "num_key_value_heads") => 4,
        (Gemma3 | Gemma2 | Gemma, "head_dim") => 256,
        (Gemma3, "vocab_size") => 262_208,
        (Gemma3, "max_position_embeddings") => 131_072,
        (Gemma3 | Gemma2, "sliding_window") => 4096,
        (Gemma3, "sliding_window_pattern") => 6,
        (Gemma2 | Gemma, "max_position_embeddings") => 8192,
        (Llama, "max_position_embeddings") => 2048,
        (Mistral | Mixtral, "max_position_embeddings") => 131_072,
        (Mistral | Mixtral, "num_key_value_heads") => 8,
        (Qwen2 | Qwen2Moe | Qwen3 | Qwen3Moe | Qwen3Next, "max_position_embeddings") => 32_768,
        (Qwen3, "head_dim") => 128,
        (Qwen3Next, "head_dim") => 256,
        (Qwen3Next, "full_attention_interval") => 4,
        (Qwen2Moe | Qwen3Moe | Qwen3Next, "decoder_sparse_step") => 1,
        (Llama4, "head_dim") => 128,
        (Llama4, "interleave_moe_layer_step") => 1,
        (Llama4, "max_position_embeddings") => 131_072,
        (GptOss, "max_position_embeddings") => 131_072,
        (DeepseekV2 | DeepseekV3, "max_position_embeddings") => 4096,
        (DeepseekV2 | DeepseekV3, "first_k_dense_replace") => 0,
        (DeepseekV2 | DeepseekV3, "moe_layer_freq") => 1,
        (Phi3, "max_position_embeddings") => 4096,
        (Glm4Moe, "max_position_embeddings") => 131_072,
        (Glm4Moe, "first_k_dense_replace") => 1,
        // transformers' JambaConfig.
        (Jamba, "num_key_value_heads") => 8,
        (Jamba, "max_position_embeddings") => 262_144,
        (Jamba, "attn_layer_period") => 8,
        (Jamba, "attn_layer_offset") => 4,
        (Jamba, "expert_layer_period") => 2,
        (Jamba, "expert_layer_offset") => 1,
        (Jamba, "mamba_d_state") => 16,
        (Jamba, "mamba_d_conv") => 4,
        (Jamba, "mamba_expand") => 2,
        _ => return None,
    })
}

/// Whether the family ties its output head to the embedding when the file does not say.
fn ties_by_default(f: Family) -> bool {
    matches!(f, Family::Gemma | Family::Gemma2 | Family::Gemma3)
}

/// Names that do not change bytes (or are read through another name): not listed as unread.
const IGNORED: &[&str] = &[
    "_attn_implementation_autoset",
    "_name_or_path",
    "architectures",
    "attention_dropout",
    "attn_logit_softcapping",
    "attention_multiplier",
    "attn_scale",
    "attn_temperature_tuning",
    "auto_map",
    "aux_loss_alpha",
    "bos_token_id",
    "boi_token_index",
    "cache_implementation",
    "chunk_size",
    "embedding_multiplier",
    "expand",
    "hidden_dropout",
    "layer_norm_epsilon",
    "logits_scaling",
    "mamba_chunk_size",
    "mamba_hidden_act",
    "mlp_hidden_act",
    "normalization_function",
    "num_logits_to_keep",
    "position_embedding_type",
    "rescale_prenorm_residual",
    "residual_in_fp32",
    "residual_multiplier",
    "time_step_floor",
    "time_step_limit",
    "time_step_max",
    "time_step_min",
    "use_mamba_kernels",
    "decoder_start_token_id",
    "dtype",
    "eoi_token_index",
    "eos_token_id",
    "ep_size",
    "experts_per_token",
    "final_logit_softcapping",
    "floor_scale",
    "for_llm_compressor",
    "hidden_act",
    "hidden_activation",
    "image_token_index",
    "initial_context_length",
    "initializer_range",
    "max_window_layers",
    "mm_tokens_per_image",
    "model_type",
    "n_group",
    "norm_topk_prob",
    "output_router_logits",
    "pad_token_id",
    "partial_rotary_factor",
    "pretraining_tp",
    "qk_head_dim",
    "query_pre_attn_scalar",
    "rms_norm_eps",
    "rope_interleave",
    "rope_local_base_freq",
    "rope_parameters",
    "rope_scaling",
    "rope_theta",
    "routed_scaling_factor",
    "router_aux_loss_coef",
    "router_jitter_noise",
    "scoring_func",
    "seq_aux",
    "swiglu_limit",
    "topk_group",
    "topk_method",
    "torch_dtype",
    "transformers_version",
    "use_cache",
    "use_mrope",
];

/// Reads fields of one object (the text model's), remembering which it read.
struct Fields<'a> {
    items: &'a [(String, Json)],
    /// `text_config.` when reading a multimodal config's text model, for the messages.
    prefix: &'static str,
    family: Family,
    class: &'static str,
    read: Vec<&'a str>,
    assumed: Vec<Msg>,
}

impl<'a> Fields<'a> {
    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The value, `None` when absent or `null` (transformers reads `null` as "not set").
    fn get(&mut self, key: &'a str) -> Option<&'a Json> {
        let v = self.items.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        if v.is_some() {
            self.read.push(key);
        }
        v.filter(|v| **v != Json::Null)
    }

    fn has(&self, key: &str) -> bool {
        self.items.iter().any(|(k, v)| k == key && *v != Json::Null)
    }

    /// A whole number from `lo` to `hi`; a float with no fraction counts.
    fn int(&mut self, key: &'a str, lo: u64, hi: u64) -> Result<Option<u64>, Msg> {
        let Some(v) = self.get(key) else { return Ok(None) };
        let n = match v {
            Json::Number(n) => n.as_u64().or_else(|| {
                n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 2f64.powi(63)).map(|f| f as u64)
            }),
            _ => return Err(msg!(cfg_not_int, self.name(key), v.text())),
        };
        match n {
            Some(n) if (lo..=hi).contains(&n) => Ok(Some(n)),
            // Negative, fractional, or too big.
            _ => Err(msg!(cfg_range, self.name(key), v.text(), lo, fmt_thousands(hi))),
        }
    }

    fn need(&mut self, key: &'a str, lo: u64, hi: u64) -> Result<u64, Msg> {
        match self.int(key, lo, hi)? {
            Some(n) => Ok(n),
            None => match class_default(self.family, key) {
                Some(d) => {
                    self.assumed.push(msg!(cfg_default, self.name(key), fmt_thousands(d), self.class));
                    Ok(d)
                }
                None => Err(msg!(cfg_missing, self.name(key))),
            },
        }
    }

    fn flag(&mut self, key: &'a str) -> Result<Option<bool>, Msg> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(msg!(cfg_not_bool, self.name(key), v.text())),
        }
    }

    fn text(&mut self, key: &'a str) -> Result<Option<&'a str>, Msg> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.as_str())),
            Some(v) => Err(msg!(cfg_not_text, self.name(key), v.text())),
        }
    }

    fn list(&mut self, key: &'a str) -> Result<Option<&'a [Json]>, Msg> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::Array(v)) => Ok(Some(v.as_slice())),
            Some(v) => Err(msg!(cfg_not_list, self.name(key), v.text())),
        }
    }

    fn object(&mut self, key: &'a str) -> Result<Option<&'a [(String, Json)]>, Msg> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::Object(v)) => Ok(Some(v.as_slice())),
            Some(v) => Err(msg!(cfg_not_object, self.name(key), v.text())),
        }
    }
}

/// Refuses a config.json of `len` bytes above [`MAX_CONFIG_BYTES`], from its size alone (the page
/// and the command line ask before reading the file).
pub fn check_config_size(len: u64) -> Result<(), Msg> {
    if len > MAX_CONFIG_BYTES {
        return Err(msg!(cfg_too_big, fmt_thousands(len), fmt_thousands(MAX_CONFIG_BYTES)));
    }
    Ok(())
}

/// Reads a config.json. Never panics: anything it cannot read is an error naming the field.
pub fn read_config(bytes: &[u8]) -> Result<ConfigModel, Msg> {
    check_config_size(bytes.len() as u64)?;
    let json: Json = serde_json::from_slice(bytes).map_err(|e| msg!(cfg_json, e.line(), e.column()))?;
    let Json::Object(top) = &json else { return Err(msg!(cfg_not_json_object)) };
    if let Some(name) = json.duplicate("") {
        return Err(msg!(cfg_duplicate, clip(&name)));
    }
    let text = top.iter().find(|(k, _)| k == "text_config").map(|(_, v)| v);
    let (items, prefix) = match text {
        Some(Json::Object(t)) => (t.as_slice(), "text_config."),
        Some(Json::Null) | None => (top.as_slice(), ""),
        Some(v) => return Err(msg!(cfg_not_object, "text_config", v.text())),
    };
    let type_of = |items: &[(String, Json)]| -> Result<Option<String>, Msg> {
        match items.iter().find(|(k, _)| k == "model_type").map(|(_, v)| v) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(msg!(cfg_not_text, "model_type", v.text())),
        }
    };
    let model_type = match type_of(items)? {
        Some(t) => t,
        None => type_of(top)?.ok_or_else(|| msg!(cfg_no_type))?,
    };
    let &(_, family, class) = FAMILIES
        .iter()
        .find(|(t, _, _)| *t == model_type)
        .ok_or_else(|| msg!(cfg_unknown_type, clip(&model_type), known_model_types()))?;
    let mut f = Fields { items, prefix, family, class, read: Vec::new(), assumed: Vec::new() };
    let mut outer = Fields { items: top, prefix: "", family, class, read: vec!["text_config"], assumed: Vec::new() };
    let mut unread = Vec::new();
    let arch = read_arch(&mut f, &mut outer, &mut unread)?;
    let (shipped, quant) = shipped_format(&mut f, &mut outer)?;
    let rope = rope_note(&mut f, arch.max_context);
    // Everything else: a vision tower, then names this reader does not know.
    let mut report = |items: &[(String, Json)], read: &[&str], prefix: &str| {
        for (k, _) in items {
            if read.contains(&k.as_str()) || IGNORED.contains(&k.as_str()) {
                continue;
            }
            let name = clip(&format!("{prefix}{k}"));
            if k.ends_with("vision_config") || k.ends_with("audio_config") {
                unread.push(msg!(cfg_vision, name));
            } else {
                unread.push(msg!(cfg_unread, name));
            }
        }
    };
    if prefix.is_empty() {
        let read: Vec<&str> = f.read.iter().chain(&outer.read).copied().collect();
        report(top, &read, "");
    } else {
        report(items, &f.read, prefix);
        report(top, &outer.read, "");
    }
    let assumed = [f.assumed, outer.assumed, quant, rope.into_iter().collect()].concat();
    Ok(ConfigModel { arch, model_type, shipped, assumed, unread })
}

/// Layer kinds a `layer_types` list names.
fn layer_kind(name: &str) -> Option<u8> {
    Some(match name {
        "full_attention" | "attention" | "global" => 0,
        "sliding_attention" | "local" => 1,
        "chunked_attention" => 2,
        "linear_attention" => 3,
        _ => return None,
    })
}

/// The period of a list of layer kinds (0 for full attention, another number for the one local
/// kind): 0 when every layer is local, else the spacing of the full-attention layers, which must
/// be the last of every period.
fn period_of(key: &str, kinds: &[u8]) -> Result<u32, Msg> {
    let Some(first) = kinds.iter().position(|k| *k == 0) else { return Ok(0) };
    let p = first + 1;
    if p < 2 || kinds.iter().enumerate().any(|(i, k)| (*k == 0) != ((i + 1) % p == 0)) {
        return Err(msg!(cfg_pattern, key));
    }
    Ok(p as u32)
}

fn read_arch(f: &mut Fields, outer: &mut Fields, unread: &mut Vec<Msg>) -> Result<Arch, Msg> {
    use Family::*;
    let fam = f.family;
    let layers = f.need("num_hidden_layers", 1, MAX_LAYERS)? as u32;
    let hidden = f.need("hidden_size", 1, MAX_HIDDEN)?;
    let heads = f.need("num_attention_heads", 1, MAX_HEADS)?;
    let kv_heads = match f.int("num_key_value_heads", 1, MAX_HEADS)? {
        Some(k) => k,
        None => match class_default(fam, "num_key_value_heads") {
            Some(_) => f.need("num_key_value_heads", 1, MAX_HEADS)?,
            None => {
                f.assumed.push(msg!(cfg_kv_same, heads));
                heads
            }
        },
    };
    if kv_heads > heads || heads % kv_heads != 0 {
        return Err(msg!(cfg_divides, f.name("num_attention_heads"), heads, f.name("num_key_value_heads"), kv_heads));
    }
    let given_head_dim = match f.int("head_dim", 1, MAX_HEAD_DIM)? {
        None if fam == NemotronH => f.int("attention_head_dim", 1, MAX_HEAD_DIM)?,
        d => d,
    };
    let head_dim = match given_head_dim {
        Some(d) => d,
        None if class_default(fam, "head_dim").is_some() => f.need("head_dim", 1, MAX_HEAD_DIM)?,
        // MLA's own head sizes are read below; its value head stands for the head size.
        None if matches!(fam, DeepseekV2 | DeepseekV3) => f.int("v_head_dim", 1, MAX_HEAD_DIM)?.unwrap_or(1),
        None => {
            if hidden % heads != 0 {
                return Err(msg!(cfg_divides, f.name("hidden_size"), hidden, f.name("num_attention_heads"), heads));
            }
            if hidden / heads > MAX_HEAD_DIM {
                let name = format!("{} / {}", f.name("hidden_size"), f.name("num_attention_heads"));
                return Err(msg!(cfg_range, name, hidden / heads, 1u64, MAX_HEAD_DIM));
            }
            f.assumed.push(msg!(cfg_head_dim, hidden / heads));
            hidden / heads
        }
    };
    let vocab = f.need("vocab_size", 1, MAX_VOCAB)?;
    let max_context = f.need("max_position_embeddings", 1, MAX_CONTEXT)?;
    let tied = match f.flag("tie_word_embeddings")? {
        Some(t) => t,
        None => match outer.flag("tie_word_embeddings")? {
            Some(t) => t,
            None => {
                let t = ties_by_default(fam);
                f.assumed.push(msg!(cfg_default, f.name("tie_word_embeddings"), t.to_string(), f.class));
                t
            }
        },
    };
    // Biases: Qwen2's q, k, v always; Llama's and gpt-oss's `attention_bias` on all four.
    let attention_bias = f.flag("attention_bias")?.unwrap_or(fam == GptOss);
    // Qwen2's windowed layers (from `max_window_layers` on) are not modelled; off, nothing to read.
    if f.flag("use_sliding_window")? == Some(true) {
        return Err(msg!(cfg_unsupported, f.name("use_sliding_window"), "true"));
    }
    if f.flag("mlp_bias")? == Some(true) {
        return Err(msg!(cfg_unsupported, f.name("mlp_bias"), "true"));
    }
    // GLM-4.5's optional q/k norms (`use_qk_norm`); Llama 4's is an L2 norm without weights.
    let qk_norm = match fam {
        Glm4Moe | Llama4 => f.flag("use_qk_norm")?.unwrap_or(false) && fam == Glm4Moe,
        _ => matches!(fam, Qwen3 | Qwen3Moe | Qwen3Next | Gemma3),
    };
    let mut a = Arch {
        layers,
        hidden,
        heads,
        kv_heads,
        head_dim,
        ffn: 1,
        vocab,
        tied_embeddings: tied,
        max_context,
        qkv_bias: attention_bias || matches!(fam, Qwen2 | Qwen2Moe),
        // GLM-4.5's `attention_bias` is on q, k and v only.
        out_bias: attention_bias && fam != Glm4Moe,
        fused: fam == Phi3,
        norms_per_layer: if matches!(fam, Gemma2 | Gemma3) { 4 } else { 2 },
        qk_norm,
        attn_gate: fam == Qwen3Next,
        sinks: fam == GptOss,
        ..DECODER
    };
    read_ffn(f, &mut a)?;
    read_mla(f, &mut a)?;
    if fam.hybrid() {
        read_hybrid(f, &mut a)?;
    } else {
        a.local = read_local(f, &a)?;
    }
    if let Some(n) = f.int("num_nextn_predict_layers", 0, MAX_LAYERS)?.filter(|n| *n > 0) {
        unread.push(msg!(cfg_mtp, f.name("num_nextn_predict_layers"), n));
    }
    if a.rough_params() > u128::from(MAX_PARAMS) {
        return Err(msg!(cfg_big));
    }
    // What a link must carry: the same architecture back (every field within its limits).
    Arch::decode(&a.encode()).map_err(|e| msg!(cfg_link, e))?;
    Ok(a)
}

/// The FFN: a dense width, or a mixture of experts with its shared experts and dense layers.
fn read_ffn(f: &mut Fields, a: &mut Arch) -> Result<(), Msg> {
    use Family::*;
    let fam = f.family;
    let (experts_key, expert_ffn_key) = match fam {
        Mixtral | GptOss | Llama4 => ("num_local_experts", "intermediate_size"),
        Qwen2Moe | Qwen3Moe | Qwen3Next => ("num_experts", "moe_intermediate_size"),
        DeepseekV2 | DeepseekV3 | Glm4Moe | NemotronH => ("n_routed_experts", "moe_intermediate_size"),
        Jamba => ("num_experts", "intermediate_size"),
        GraniteMoeHybrid => ("num_local_experts", "intermediate_size"),
        _ => ("", ""),
    };
    let dense_key = match fam {
        Llama4 => "intermediate_size_mlp",
        // Granite 4.0-H without experts keeps its shared FFN alone.
        GraniteMoeHybrid => "shared_intermediate_size",
        _ => "intermediate_size",
    };
    // Jamba keeps a dense FFN unless it has more than one expert.
    let least = if fam == Jamba { 1 } else { 0 };
    let experts =
        if experts_key.is_empty() { None } else { f.int(experts_key, 0, MAX_EXPERTS)?.filter(|e| *e > least) };
    let Some(experts) = experts else {
        a.ffn = f.need(dense_key, 1, MAX_FFN)?;
        return Ok(());
    };
    if experts < 2 {
        return Err(msg!(cfg_range, f.name(experts_key), experts, 2u64, MAX_EXPERTS));
    }
    let active = f.need("num_experts_per_tok", 1, MAX_EXPERTS)?;
    if active > experts {
        return Err(msg!(cfg_more, f.name("num_experts_per_tok"), active, f.name(experts_key), experts));
    }
    let expert_ffn = f.need(expert_ffn_key, 1, MAX_FFN)?;
    // The dense FFN of the layers without experts; in an all-MoE model unused, the expert width.
    a.ffn = match f.int(dense_key, 1, MAX_FFN)? {
        Some(d) if dense_key != expert_ffn_key => d,
        _ => expert_ffn,
    };
    let shared_width = match fam {
        Qwen2Moe | Qwen3Next => f.int("shared_expert_intermediate_size", 0, MAX_FFN)?.unwrap_or(0),
        DeepseekV2 | DeepseekV3 | Glm4Moe => f.int("n_shared_experts", 0, 16)?.unwrap_or(0) * expert_ffn,
        Llama4 => expert_ffn,
        GraniteMoeHybrid => f.int("shared_intermediate_size", 0, MAX_FFN)?.unwrap_or(0),
        NemotronH => f.int("moe_shared_expert_intermediate_size", 0, MAX_FFN)?.unwrap_or(0),
        _ => 0,
    };
    if shared_width % expert_ffn != 0 || shared_width / expert_ffn > 16 {
        let key = f.name(match fam {
            GraniteMoeHybrid => "shared_intermediate_size",
            NemotronH => "moe_shared_expert_intermediate_size",
            _ => "shared_expert_intermediate_size",
        });
        return Err(msg!(cfg_divides, key, shared_width, f.name(expert_ffn_key), expert_ffn));
    }
    let (mut dense, mut every) = (0, 1);
    match fam {
        DeepseekV2 | DeepseekV3 => {
            dense = f.need("first_k_dense_replace", 0, u64::from(a.layers))?;
            let freq = f.need("moe_layer_freq", 1, MAX_LAYERS)?;
            if freq != 1 {
                return Err(msg!(cfg_unsupported, f.name("moe_layer_freq"), freq));
            }
            a.router_bias = fam == DeepseekV3;
        }
        Glm4Moe => {
            dense = f.need("first_k_dense_replace", 0, u64::from(a.layers))?;
            a.router_bias = true;
        }
        Qwen2Moe | Qwen3Moe | Qwen3Next => {
            every = f.need("decoder_sparse_step", 1, MAX_LAYERS)?;
            let only = f.list("mlp_only_layers")?.unwrap_or_default();
            // Dense layers must be a prefix (`first_k_dense`) for this page's model.
            let firsts = only.iter().enumerate().all(|(i, v)| *v == Json::Number((i as u64).into()));
            if !firsts {
                return Err(msg!(cfg_unsupported, f.name("mlp_only_layers"), "[…]"));
            }
            dense = only.len() as u64;
            a.shared_gate = shared_width > 0;
        }
        Llama4 => {
            every = f.need("interleave_moe_layer_step", 1, MAX_LAYERS)?;
            if let Some(list) = f.list("moe_layers")? {
                let expect: Vec<Json> =
                    (0..u64::from(a.layers)).filter(|i| (i + 1) % every == 0).map(|i| Json::Number(i.into())).collect();
                if list != expect.as_slice() {
                    return Err(msg!(cfg_unsupported, f.name("moe_layers"), "[…]"));
                }
            }
        }
        GptOss => {
            a.expert_bias = true;
            a.router_bias = true;
        }
        NemotronH => {
            // Nemotron 3's latent projections around the experts are not modelled.
            if let Some(n) = f.int("moe_latent_size", 0, MAX_FFN)?.filter(|n| *n > 0) {
                return Err(msg!(cfg_unsupported, f.name("moe_latent_size"), n));
            }
            a.router_bias = true;
        }
        _ => {}
    }
    a.moe = Some(Moe {
        experts,
        active,
        shared: shared_width / expert_ffn,
        expert_ffn,
        dense_layers: dense as u32,
        every: every as u32,
    });
    Ok(())
}

/// A hybrid's layers and Mamba sizes: Jamba's periods, Nemotron-H's `hybrid_override_pattern`,
/// Granite 4.0-H's `layer_types`; each family's Mamba fields as its transformers class reads them.
fn read_hybrid(f: &mut Fields, a: &mut Arch) -> Result<(), Msg> {
    use Family::*;
    let n = a.layers as usize;
    let experts = a.moe.is_some();
    let ffn = if experts { Ffn::Experts } else { Ffn::Dense };
    let layers: Vec<(Mixer, Ffn)> = match f.family {
        Jamba => {
            let period = |f: &mut Fields, key, offset| -> Result<(u64, u64), Msg> {
                let p = f.need(key, 1, MAX_LAYERS)?;
                Ok((p, f.need(offset, 0, p - 1)?))
            };
            let (ap, ao) = period(f, "attn_layer_period", "attn_layer_offset")?;
            let (ep, eo) = period(f, "expert_layer_period", "expert_layer_offset")?;
            (0..n as u64)
                .map(|i| {
                    let mixer = if i % ap == ao { Mixer::Attention } else { Mixer::Mamba };
                    (mixer, if experts && i % ep == eo { Ffn::Experts } else { Ffn::Dense })
                })
                .collect()
        }
        NemotronH => {
            let key = "hybrid_override_pattern";
            let text = f.text(key)?.ok_or_else(|| msg!(cfg_missing, f.name(key)))?;
            if text.chars().count() != n {
                return Err(msg!(cfg_layer_count, f.name(key), text.chars().count(), n));
            }
            let mut v = Vec::with_capacity(n);
            for c in text.chars() {
                v.push(match c {
                    'M' => (Mixer::Mamba, Ffn::None),
                    '*' => (Mixer::Attention, Ffn::None),
                    '-' => (Mixer::None, Ffn::Dense),
                    'E' if experts => (Mixer::None, Ffn::Experts),
                    c => return Err(msg!(cfg_layer_kind, f.name(key), clip(&c.to_string()))),
                });
            }
            v
        }
        _ => {
            let key = if f.has("layer_types") { "layer_types" } else { "layers_block_type" };
            let list = f.list(key)?.ok_or_else(|| msg!(cfg_missing, f.name("layer_types")))?;
            if list.len() != n {
                return Err(msg!(cfg_layer_count, f.name(key), list.len(), n));
            }
            let mut v = Vec::with_capacity(n);
            for item in list {
                v.push(match item {
                    Json::String(s) if s == "mamba" => (Mixer::Mamba, ffn),
                    Json::String(s) if s == "attention" => (Mixer::Attention, ffn),
                    Json::String(s) => return Err(msg!(cfg_layer_kind, f.name(key), clip(s))),
                    v => return Err(msg!(cfg_not_text, f.name(key), v.text())),
                });
            }
            v
        }
    };
    if layers.len() > crate::core::catalog::model::MAX_PATTERN_LAYERS {
        let key = f.name("num_hidden_layers");
        return Err(msg!(cfg_range, key, n, 1u64, crate::core::catalog::model::MAX_PATTERN_LAYERS));
    }
    let pattern = Pattern::new(&layers).ok_or_else(|| msg!(cfg_missing, f.name("num_hidden_layers")))?;
    let hidden = a.hidden;
    let flag = |f: &mut Fields, key: &'static str, default: bool| -> Result<bool, Msg> {
        Ok(match f.flag(key)? {
            Some(b) => b,
            None => {
                f.assumed.push(msg!(cfg_default, f.name(key), default.to_string(), f.class));
                default
            }
        })
    };
    let mamba = match f.family {
        Jamba => {
            let expand = f.need("mamba_expand", 1, 16)?;
            let state = f.need("mamba_d_state", 1, MAX_HEAD_DIM)?;
            // "auto": ceil(hidden / 16), as JambaConfig computes it.
            let dt_rank = match f.get("mamba_dt_rank") {
                Some(Json::String(s)) if s == "auto" => hidden.div_ceil(16),
                Some(_) => f.need("mamba_dt_rank", 1, MAX_RANK)?,
                None => hidden.div_ceil(16),
            };
            Mamba {
                inner: expand * hidden,
                heads: 0,
                groups: 0,
                state,
                conv: f.need("mamba_d_conv", 1, 64)?,
                dt_rank,
                conv_bias: flag(f, "mamba_conv_bias", true)?,
                proj_bias: flag(f, "mamba_proj_bias", false)?,
            }
        }
        NemotronH => {
            let heads = f.need("mamba_num_heads", 1, MAX_HEADS)?;
            let head = f.need("mamba_head_dim", 1, MAX_HEAD_DIM)?;
            let groups = f.need("n_groups", 1, MAX_HEADS)?;
            f.flag("mamba_proj_bias")?;
            Mamba {
                inner: heads * head,
                heads,
                groups,
                state: f.need("ssm_state_size", 1, MAX_HEAD_DIM)?,
                conv: f.need("conv_kernel", 1, 64)?,
                dt_rank: 0,
                conv_bias: flag(f, "use_conv_bias", true)?,
                proj_bias: flag(f, "use_bias", false)?,
            }
        }
        _ => {
            let heads = f.need("mamba_n_heads", 1, MAX_HEADS)?;
            let head = f.need("mamba_d_head", 1, MAX_HEAD_DIM)?;
            let expand = f.need("mamba_expand", 1, 16)?;
            if heads * head != expand * hidden {
                let name = format!("{} × {}", f.name("mamba_n_heads"), f.name("mamba_d_head"));
                return Err(msg!(cfg_divides, name, heads * head, f.name("mamba_expand"), expand * hidden));
            }
            Mamba {
                inner: heads * head,
                heads,
                groups: f.need("mamba_n_groups", 1, MAX_HEADS)?,
                state: f.need("mamba_d_state", 1, MAX_HEAD_DIM)?,
                conv: f.need("mamba_d_conv", 1, 64)?,
                dt_rank: 0,
                conv_bias: flag(f, "mamba_conv_bias", true)?,
                proj_bias: flag(f, "mamba_proj_bias", false)?,
            }
        }
    };
    if mamba.heads > 0 && (mamba.inner % mamba.heads != 0 || mamba.heads % mamba.groups != 0) {
        return Err(msg!(cfg_divides, f.name("mamba_num_heads"), mamba.heads, f.name("n_groups"), mamba.groups));
    }
    if f.family == Jamba && f.int("sliding_window", 1, u64::MAX)?.is_some() {
        return Err(msg!(cfg_unsupported, f.name("sliding_window"), "…"));
    }
    let has_mamba = pattern.count(|m, _| m == Mixer::Mamba) > 0;
    a.mamba = has_mamba.then_some(mamba);
    // A Mamba-free pattern is still a pattern (Nemotron-H's FFN-only layers).
    a.pattern = Some(pattern);
    if let Some(m) = a.moe.as_mut() {
        // The pattern places the experts.
        m.dense_layers = 0;
        m.every = 1;
        if pattern.count(|_, f| f == Ffn::Experts) == 0 {
            a.moe = None;
        }
    }
    if f.family == NemotronH {
        // One norm before each block's one mixer or FFN; the FFN is up and down (squared ReLU).
        a.norms_per_layer = 1;
        a.plain_ffn = true;
    }
    Ok(())
}

/// DeepSeek's multi-head latent attention.
fn read_mla(f: &mut Fields, a: &mut Arch) -> Result<(), Msg> {
    if !matches!(f.family, Family::DeepseekV2 | Family::DeepseekV3) {
        return Ok(());
    }
    let kv_lora = f.need("kv_lora_rank", 1, MAX_RANK)?;
    let q_lora = f.int("q_lora_rank", 0, MAX_RANK)?.unwrap_or(0);
    let rope_dim = f.need("qk_rope_head_dim", 0, MAX_HEAD_DIM)?;
    let nope_dim = f.need("qk_nope_head_dim", 0, MAX_HEAD_DIM)?;
    let v_head_dim = f.need("v_head_dim", 1, MAX_HEAD_DIM)?;
    a.mla = Some(Mla { q_lora, kv_lora, rope_dim, nope_dim, v_head_dim });
    Ok(())
}

/// The layers that do not attend to the whole context.
fn read_local(f: &mut Fields, a: &Arch) -> Result<Option<Local>, Msg> {
    use Family::*;
    let fam = f.family;
    let n = a.layers as usize;
    // An explicit list first (newer configs of every family write `layer_types`).
    let kinds: Option<Vec<u8>> = match f.list("layer_types")? {
        Some(list) => {
            if list.len() != n {
                return Err(msg!(cfg_layer_count, f.name("layer_types"), list.len(), n));
            }
            let mut kinds = Vec::with_capacity(n);
            for v in list {
                let k = match v {
                    Json::String(s) => {
                        layer_kind(s).ok_or_else(|| msg!(cfg_layer_kind, f.name("layer_types"), clip(s)))?
                    }
                    v => return Err(msg!(cfg_not_text, f.name("layer_types"), v.text())),
                };
                kinds.push(k);
            }
            Some(kinds)
        }
        None => None,
    };
    let (kind, period) = match (fam, kinds) {
        (_, Some(kinds)) => {
            let mut local = kinds.iter().filter(|k| **k != 0);
            let Some(&first) = local.next() else { return Ok(None) };
            if let Some(&other) = local.find(|k| **k != first) {
                let names = ["", "sliding_attention", "chunked_attention", "linear_attention"];
                return Err(msg!(cfg_layer_mix, f.name("layer_types"), names[first as usize], names[other as usize]));
            }
            (first, period_of(&f.name("layer_types"), &kinds)?)
        }
        (Gemma3, None) => (1, f.need("sliding_window_pattern", 2, MAX_LAYERS)? as u32),
        (Gemma2 | GptOss, None) => (1, 2),
        (Mistral | Mixtral | Phi3, None) if f.has("sliding_window") => (1, 0),
        (Qwen2 | Qwen2Moe | Qwen3 | Qwen3Moe, None) if f.has("sliding_window") => {
            let w = f.int("sliding_window", 1, u64::MAX)?.unwrap_or(0);
            f.assumed.push(msg!(cfg_sliding_off, f.name("sliding_window"), fmt_thousands(w)));
            return Ok(None);
        }
        (Qwen3Next, None) => (3, f.need("full_attention_interval", 1, MAX_LAYERS)? as u32),
        (Llama4, None) => {
            let Some(chunk) = f.int("attention_chunk_size", 1, MAX_CONTEXT)? else { return Ok(None) };
            let given = f.list("no_rope_layers")?.unwrap_or_default();
            let kinds: Vec<u8> = if given.is_empty() {
                let every = f.int("no_rope_layer_interval", 1, MAX_LAYERS)?.unwrap_or(4);
                f.assumed.push(msg!(cfg_no_rope, f.name("no_rope_layers"), every, f.class));
                (0..n as u64).map(|i| u8::from((i + 1) % every != 0) * 2).collect()
            } else if given.len() != n {
                return Err(msg!(cfg_layer_count, f.name("no_rope_layers"), given.len(), n));
            } else {
                // 1: a RoPE layer, attending in chunks; 0: a NoPE layer, attending to everything.
                let mut kinds = Vec::with_capacity(n);
                for v in given {
                    kinds.push(match v {
                        Json::Number(x) if x.as_u64() == Some(1) => 2,
                        Json::Number(x) if x.as_u64() == Some(0) => 0,
                        v => return Err(msg!(cfg_layer_kind, f.name("no_rope_layers"), v.text())),
                    });
                }
                kinds
            };
            if kinds.iter().all(|k| *k == 0) {
                return Ok(None);
            }
            let period = period_of(&f.name("no_rope_layers"), &kinds)?;
            return Ok(Some(Local { kind: LocalKind::Chunked(chunk), period }));
        }
        _ => return Ok(None),
    };
    let kind = match kind {
        1 => LocalKind::Sliding(f.need("sliding_window", 1, MAX_CONTEXT)?),
        2 => LocalKind::Chunked(f.need("attention_chunk_size", 1, MAX_CONTEXT)?),
        _ => {
            if fam != Qwen3Next {
                return Err(msg!(cfg_unsupported, f.name("layer_types"), "linear_attention"));
            }
            LocalKind::DeltaNet(DeltaNet {
                key_heads: f.need("linear_num_key_heads", 1, MAX_HEADS)?,
                value_heads: f.need("linear_num_value_heads", 1, MAX_HEADS)?,
                key_dim: f.need("linear_key_head_dim", 1, MAX_HEAD_DIM)?,
                value_dim: f.need("linear_value_head_dim", 1, MAX_HEAD_DIM)?,
                conv: f.need("linear_conv_kernel_dim", 1, 64)?,
            })
        }
    };
    // What `layer_types` replaces, read so that it is not listed as unread.
    match fam {
        Qwen3Next => drop(f.int("full_attention_interval", 1, MAX_LAYERS)?),
        Gemma3 => drop(f.int("sliding_window_pattern", 1, MAX_LAYERS)?),
        Llama4 => {
            f.list("no_rope_layers")?;
            f.int("no_rope_layer_interval", 1, MAX_LAYERS)?;
        }
        _ => {}
    }
    if period == 1 {
        return Ok(None);
    }
    Ok(Some(Local { kind, period }))
}

/// The format the checkpoint ships in: its `quantization_config`, mapped to the nearest scheme
/// (and what that leaves out), else its `torch_dtype`.
fn shipped_format(f: &mut Fields, outer: &mut Fields) -> Result<(Option<&'static Scheme>, Vec<Msg>), Msg> {
    let q = match outer.object("quantization_config")? {
        Some(q) => Some(("quantization_config", q)),
        None if !std::ptr::eq(f.items, outer.items) => {
            f.object("quantization_config")?.map(|q| ("text_config.quantization_config", q))
        }
        None => None,
    };
    let Some((key, q)) = q else {
        let dtype = match outer.text("torch_dtype")? {
            Some(d) => Some(d),
            None => outer.text("dtype")?,
        };
        let id = match dtype {
            Some("bfloat16") => "bf16",
            Some("float16") => "f16",
            Some("float32") => "f32",
            _ => return Ok((None, Vec::new())),
        };
        let s = by_id(id);
        let note = s.map(|s| msg!(cfg_dtype, dtype.unwrap_or_default(), s.name));
        return Ok((s, note.into_iter().collect()));
    };
    let mut g =
        Fields { items: q, prefix: "", family: f.family, class: f.class, read: Vec::new(), assumed: Vec::new() };
    let method = g.text("quant_method")?.unwrap_or("").to_string();
    let name = format!("{key}.quant_method");
    let (id, detail) = match method.as_str() {
        "mxfp4" => ("mxfp4", msg!(cfg_q_mxfp4)),
        "fp8" => {
            let e5m2 = g.text("fmt")? == Some("e5m2");
            let id = if e5m2 { "fp8_e5m2" } else { "fp8_e4m3" };
            match g.list("weight_block_size")? {
                Some([Json::Number(r), Json::Number(c)]) => (id, msg!(cfg_q_fp8_block, r.to_string(), c.to_string())),
                _ => (id, msg!(cfg_q_fp8)),
            }
        }
        "gptq" | "awq" => {
            let bits = g.int("bits", 1, 64)?.or(g.int("w_bit", 1, 64)?).unwrap_or(0);
            let group = g.int("group_size", 0, 1 << 20)?.or(g.int("q_group_size", 0, 1 << 20)?).unwrap_or(0);
            let gidx = g.flag("desc_act")? == Some(true);
            match (bits, group) {
                (4, 128) => (if gidx { "int4_g128_gidx" } else { "int4_g128" }, msg!(cfg_q_int, bits, group)),
                (8, _) => ("int8", msg!(cfg_q_int, bits, group)),
                _ => return Ok((None, vec![msg!(cfg_q_none, name, clip(&format!("{method} {bits}-bit g{group}")))])),
            }
        }
        "bitsandbytes" => {
            if g.flag("load_in_4bit")? == Some(true) {
                let dq = g.flag("bnb_4bit_use_double_quant")? == Some(true);
                match g.text("bnb_4bit_quant_type")? {
                    Some("nf4") => (if dq { "nf4_dq" } else { "nf4" }, msg!(cfg_q_bnb)),
                    _ => return Ok((None, vec![msg!(cfg_q_none, name, "bitsandbytes fp4")])),
                }
            } else {
                ("int8", msg!(cfg_q_bnb))
            }
        }
        m => return Ok((None, vec![msg!(cfg_q_none, name, clip(if m.is_empty() { "?" } else { m }))])),
    };
    let Some(s) = by_id(id) else { return Ok((None, Vec::new())) };
    Ok((Some(s), vec![msg!(cfg_quant, clip(&method), detail, s.name)]))
}

/// The trained context and its rope scaling, as the file states them.
fn rope_note(f: &mut Fields, max_context: u64) -> Option<Msg> {
    let r = match f.get("rope_scaling").or_else(|| f.get("rope_parameters")) {
        Some(Json::Object(r)) => r,
        _ => return None,
    };
    let field = |k: &str| r.iter().find(|(n, _)| n == k).map(|(_, v)| v);
    let kind = match field("rope_type").or_else(|| field("type")) {
        Some(Json::String(s)) if s != "default" => clip(s),
        _ => return None,
    };
    let factor = match field("factor") {
        Some(Json::Number(n)) => n.to_string(),
        _ => return None,
    };
    let from = match field("original_max_position_embeddings") {
        Some(Json::Number(n)) => n.as_u64().map(fmt_thousands).unwrap_or_else(|| n.to_string()),
        _ => return Some(msg!(cfg_rope_factor, fmt_thousands(max_context), kind, factor)),
    };
    Some(msg!(cfg_rope, fmt_thousands(max_context), kind, factor, from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::format::{by_id as format, F16};
    use crate::core::memory::footprint::{kv_parts, KvKind, KvPart};
    use crate::core::text::i18n::Lang;

    fn fixture(id: &str) -> ConfigModel {
        let path = format!("{}/tests/fixtures/configs/{id}/config.json", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        read_config(&bytes).unwrap_or_else(|e| panic!("{id}: {e}"))
    }

    /// (kind, layers, bytes per token of those layers together — per sequence for a state) at
    /// F16, one sequence.
    fn kv_units(a: &Arch) -> Vec<(KvKind, u32, u64)> {
        kv_parts(a, 4096, 1, &F16).iter().map(|p: &KvPart| (p.kind, p.layers, p.unit)).collect()
    }

    fn texts(v: &[Msg]) -> Vec<String> {
        v.iter().map(|m| m.to_string()).collect()
    }

    /// Llama-3.1-8B: the preset's own count (8,030,261,248; its model card: 8.03B), and vLLM's
    /// measured KV cache per token, 128 KiB: 2 (K, V) × 32 layers × 8 KV heads × 128 × 2 bytes.
    #[test]
    fn llama_3_1_8b() {
        let m = fixture("llama-3.1-8b");
        let layer = 2 * 4096 * 4096 + 2 * 1024 * 4096 + 3 * 14336 * 4096 + 2 * 4096;
        assert_eq!(m.arch.params(), 32 * layer + 2 * 128256 * 4096 + 4096);
        assert_eq!(m.arch.params(), 8_030_261_248);
        assert_eq!(m.arch, crate::core::catalog::model::preset("llama-3.1-8b").unwrap().arch);
        assert_eq!(kv_units(&m.arch), [(KvKind::Full, 32, 2 * 32 * 8 * 128 * 2)]);
        assert_eq!(2 * 32 * 8 * 128 * 2, 128 << 10);
        assert_eq!(m.shipped.map(|s| s.id), Some("bf16"));
        assert!(m.unread.is_empty(), "{:?}", texts(&m.unread));
        assert_eq!(
            texts(&m.assumed),
            [
                "head_dim not given: hidden_size / num_attention_heads = 128.",
                "Weights in bfloat16 (torch_dtype): the default format here is BF16.",
                "Context: 131,072 tokens (max_position_embeddings), rope_scaling llama3 ×8.0 from 8,192 trained tokens."
            ]
        );
    }

    /// Qwen2.5-7B: q, k, v biases, untied 152,064-token head; model card 7.61B (6.53B without
    /// embeddings); vLLM's KV per token 56 KiB = 2 × 28 × 4 × 128 × 2. Its `sliding_window` is
    /// off (`use_sliding_window` false), and says so.
    #[test]
    fn qwen2_5_7b() {
        let m = fixture("qwen2.5-7b");
        let layer = 2 * 3584 * 3584 + 3584 + 2 * (3584 * 512 + 512) + 3 * 3584 * 18944 + 2 * 3584;
        assert_eq!(layer, 233_057_792);
        assert_eq!(m.arch.params(), 28 * layer + 2 * 152064 * 3584 + 3584);
        assert_eq!(m.arch.params(), 7_615_616_512);
        assert_eq!(28 * layer + 3584, 6_525_621_760);
        assert_eq!(kv_units(&m.arch), [(KvKind::Full, 28, 57_344)]);
        assert_eq!(57_344, 56 << 10);
        assert!(m.arch.local.is_none());
        assert!(texts(&m.assumed)
            .iter()
            .any(|t| t == "sliding_window = 131,072 is not used: use_sliding_window is false."));
    }

    /// Gemma 3 27B (the text model of a multimodal config): 62 layers, one in six global, q/k
    /// norms, four norms a layer, tied 262,208-token embedding. Gemma 3 technical report,
    /// Table 1: 25,600M non-embedding parameters (here 25,599,716,096) and a 417M vision encoder,
    /// which is named as not counted. The text config leaves vocabulary, context and the
    /// pattern to Gemma3TextConfig's defaults, and each is said.
    #[test]
    fn gemma_3_27b() {
        let m = fixture("gemma-3-27b-it");
        let attn = 5376 * 4096 + 2 * 5376 * 2048 + 4096 * 5376 + 2 * 128;
        let layer = attn + 3 * 5376 * 21504 + 4 * 5376;
        let body = 62 * layer + 5376;
        assert_eq!(body, 25_599_716_096);
        assert_eq!(m.arch.params(), body + 262_208 * 5376);
        assert_eq!(m.arch.local, Some(Local { kind: LocalKind::Sliding(1024), period: 6 }));
        // 10 global layers (every sixth), 52 sliding: K and V of 16 heads of 128 at 2 bytes.
        assert_eq!(kv_units(&m.arch), [(KvKind::Full, 10, 10 * 8192), (KvKind::Sliding(1024), 52, 52 * 8192)]);
        let assumed = texts(&m.assumed);
        for field in ["vocab_size", "max_position_embeddings", "sliding_window_pattern", "tie_word_embeddings"] {
            assert!(
                assumed.iter().any(|t| t.starts_with(&format!("text_config.{field} not given"))),
                "{field}: {assumed:?}"
            );
        }
        assert_eq!(
            texts(&m.unread),
            ["Not counted: vision_config (a vision or audio encoder); the counts are the language model's."]
        );
        assert_eq!(m.model_type, "gemma3_text");
    }

    /// gpt-oss-20b: OpenAI's model card gives 20.91B total and 3.61B active (active without the
    /// embedding table). Biases on q, k, v, o and every expert, a router bias, sinks; 12 sliding
    /// (128) and 12 full layers. Ships MXFP4 on its experts.
    #[test]
    fn gpt_oss_20b() {
        let m = fixture("gpt-oss-20b");
        let attn = 2880 * 4096 + 4096 + 2 * (2880 * 512 + 512) + 4096 * 2880 + 2880 + 64;
        let expert = 2 * (2880 * 2880 + 2880) + 2880 * 2880 + 2880;
        let router = 32 * 2880 + 32;
        let total = 24 * (attn + 32 * expert + router + 2 * 2880) + 2 * 201_088 * 2880 + 2880;
        assert_eq!(m.arch.params(), total);
        assert_eq!(total, 20_914_757_184);
        let active = 24 * (attn + 4 * expert + router + 2 * 2880) + 201_088 * 2880 + 2880;
        assert_eq!(m.arch.active_params() - 201_088 * 2880, active);
        assert_eq!(active, 3_608_307_264);
        assert_eq!(kv_units(&m.arch), [(KvKind::Full, 12, 12 * 2048), (KvKind::Sliding(128), 12, 12 * 2048)]);
        assert_eq!(m.shipped.map(|s| s.id), Some("mxfp4"));
        assert!(texts(&m.assumed)[0].contains("MXFP4 on the experts"), "{:?}", texts(&m.assumed));
    }

    /// Qwen3-Next-80B-A3B: 12 gated-attention layers (q twice as wide, q/k norms) and 36 Gated
    /// DeltaNet layers, 512 experts (10 active) and a gated shared expert. Model card: 80B total,
    /// 3B activated. The DeltaNet state per layer and sequence: 3 × (2·16·128 + 32·128) conv
    /// values and 32 × 128 × 128 recurrent ones, in F32; llama.cpp logs 50.25 MiB for 24 such
    /// layers of Qwen3.5 (same head sizes: "R (f32): 2.25 MiB, S (f32): 48.00 MiB",
    /// JamePeng/llama-cpp-python#78).
    #[test]
    fn qwen3_next_80b_a3b() {
        let m = fixture("qwen3-next-80b-a3b");
        let full = 2048 * 8192 + 2 * 2048 * 512 + 4096 * 2048 + 2 * 256;
        let delta = 2048 * 12288 + 2048 * 64 + 8192 * 4 + 32 + 32 + 128 + 4096 * 2048;
        let moe = |experts: u64| 512 * 2048 + experts * 3 * 2048 * 512 + 3 * 2048 * 512 + 2048;
        let total = 12 * full + 36 * delta + 48 * (moe(512) + 2 * 2048) + 2 * 151_936 * 2048 + 2048;
        assert_eq!(m.arch.params(), total);
        assert_eq!(total, 79_674_391_296);
        let active = 12 * full + 36 * delta + 48 * (moe(10) + 2 * 2048) + 2 * 151_936 * 2048 + 2048;
        assert_eq!(m.arch.active_params(), active);
        assert_eq!(active, 3_874_929_408);
        let state = (3 * 8192 + 32 * 128 * 128) * 4;
        assert_eq!(state, 2_195_456);
        assert_eq!(24 * state, 50_331_648 + 2_359_296); // 48.00 MiB + 2.25 MiB
        assert_eq!(kv_units(&m.arch), [(KvKind::Full, 12, 12 * 2 * 2 * 256 * 2), (KvKind::State, 36, 36 * state)]);
        // The state is per sequence, not per token: 4 sequences, 4 states, at any context.
        let p = kv_parts(&m.arch, 100_000, 4, &F16);
        assert_eq!(p[1].bytes, 4 * 36 * state);
        assert_eq!(p[0].bytes, 4 * 100_000 * 24_576);
    }

    /// Nemotron-H-8B-Base-8K: 52 blocks of one mixer or one FFN each, as its
    /// `hybrid_override_pattern` spells them: 24 Mamba-2 (M), 4 attention (*), 24 FFN (-), one
    /// norm each. A Mamba-2 block: in_proj to z, x, B and C of 8 groups and dt of 128 heads
    /// (2·8192 + 2·8·128 + 128 = 18,560 rows), the convolution over x, B, C (10,240 channels, 4
    /// taps and a bias), dt_bias, A_log and D per head, a gated norm of 8,192, out_proj. The FFN:
    /// up and down only (squared ReLU). Two public counts of the checkpoint give 8,100,852,736.
    /// KV: only the 4 attention layers, 4 × 2 × 8 × 128 × 2 = 16,384 bytes a token at F16 (an
    /// independent analysis of the same config: "key_value_bytes/token = 16,384"); the Mamba
    /// layers keep, per sequence, 3 × 10,240 convolution inputs and 128 × 8,192 state values in F32.
    #[test]
    fn nemotron_h_8b() {
        let m = fixture("nemotron-h-8b");
        let mamba = 4096 * 18560 + (10240 * 4 + 10240) + 3 * 128 + 8192 + 8192 * 4096 + 4096;
        let attention = 2 * 4096 * 4096 + 2 * 1024 * 4096 + 4096;
        let ffn = 2 * 4096 * 21504 + 4096;
        let total = 24 * mamba + 4 * attention + 24 * ffn + 2 * 131_072 * 4096 + 4096;
        assert_eq!(mamba, 109_640_064);
        assert_eq!(total, 8_100_852_736);
        assert_eq!((m.arch.params(), m.arch.active_params()), (total, total));
        let state = (3 * 10_240 + 128 * 8192) * 4;
        assert_eq!(state, 4_317_184);
        // llama.cpp would log R (f32): 2.81 MiB, S (f32): 96.00 MiB for one sequence.
        assert_eq!(24 * 3 * 10_240 * 4, 2_949_120);
        assert_eq!(24 * 128 * 8192 * 4, 96 << 20);
        assert_eq!(kv_units(&m.arch), [(KvKind::Full, 4, 16_384), (KvKind::Ssm, 24, 24 * state)]);
        let p = kv_parts(&m.arch, 8192, 3, &F16);
        assert_eq!((p[0].bytes, p[1].bytes), (3 * 8192 * 16_384, 3 * 24 * state));
        assert!(m.unread.is_empty(), "{:?}", texts(&m.unread));
        assert_eq!(m.arch, crate::core::catalog::model::preset("nemotron-h-8b").unwrap().arch);
        assert!(m
            .arch
            .encode()
            .contains("-S8192x128x8x128x4x0x1x0-Jofofofocfofofofofocfofofofofocfofofofofocfofofofofof-I1"));
    }

    /// Jamba-1.5-Mini: 32 layers, attention on every 8th from the 5th (4), Mamba on the other 28;
    /// 16 experts (2 a token) on every 2nd layer from the 2nd, a dense FFN on the others. A
    /// Mamba(-1) mixer: in_proj to x and z (2 × 8,192), the convolution over x (4 taps and a
    /// bias), x_proj to dt (rank 256), B and C (16 each), dt_proj back up with a bias, A as
    /// 8,192 × 16, D, Jamba's norms on dt, B and C, out_proj. The card: 52B total, 12B active.
    /// The state per Mamba layer and sequence: 3 × 8,192 convolution inputs and 8,192 × 16
    /// state values in F32.
    #[test]
    fn jamba_1_5_mini() {
        let m = fixture("jamba-1.5-mini");
        let mamba = 4096 * 16384
            + (8192 * 4 + 8192)
            + 8192 * (256 + 2 * 16)
            + (256 * 8192 + 8192)
            + 8192 * 16
            + 8192
            + (256 + 16 + 16)
            + 8192 * 4096;
        assert_eq!(mamba, 105_308_448);
        let attention = 2 * 4096 * 4096 + 2 * 1024 * 4096;
        let dense = 3 * 4096 * 14336;
        let moe = |experts: u64| 16 * 4096 + experts * 3 * 4096 * 14336;
        let total =
            |e: u64| 28 * mamba + 4 * attention + 16 * dense + 16 * moe(e) + 32 * 2 * 4096 + 2 * 65536 * 4096 + 4096;
        assert_eq!(m.arch.params(), total(16));
        assert_eq!(m.arch.active_params(), total(2));
        assert_eq!((total(16), total(2)), (51_570_323_328, 12_110_311_296));
        let state = (3 * 8192 + 8192 * 16) * 4;
        assert_eq!(state, 622_592);
        assert_eq!(kv_units(&m.arch), [(KvKind::Full, 4, 4 * 2 * 8 * 128 * 2), (KvKind::Ssm, 28, 28 * state)]);
        assert!(m.unread.is_empty(), "{:?}", texts(&m.unread));
        assert!(m.arch.encode().contains("-Jmnmnanmnx4"), "{}", m.arch.encode());
    }

    /// Granite 4.0-H (`granitemoehybrid`): `layer_types` places Mamba-2 and attention; every
    /// layer has the experts and the shared FFN after its mixer. A small config of that shape
    /// (transformers' GraniteMoeHybrid example: 8 layers, 512 wide, 8 experts of 1024, 2 a
    /// token, Mamba-2 of 8 heads × 128 (expand 2), 1 group, state 128), its shared FFN widened
    /// from 512 to 2,048: the shared FFN is counted in experts' widths, so one that is not a
    /// multiple of the expert's is refused (said below).
    #[test]
    fn granite_4_h_shape() {
        let json = r#"{"model_type": "granitemoehybrid", "hidden_size": 512, "intermediate_size": 1024,
            "layer_types": ["mamba", "mamba", "mamba", "attention", "mamba", "mamba", "mamba", "attention"],
            "mamba_conv_bias": true, "mamba_d_conv": 4, "mamba_d_head": 128, "mamba_d_state": 128,
            "mamba_expand": 2, "mamba_n_groups": 1, "mamba_n_heads": 8, "mamba_proj_bias": false,
            "max_position_embeddings": 4096, "num_attention_heads": 8, "num_experts_per_tok": 2,
            "num_hidden_layers": 8, "num_key_value_heads": 8, "num_local_experts": 8,
            "position_embedding_type": "nope", "shared_intermediate_size": 2048,
            "tie_word_embeddings": true, "torch_dtype": "bfloat16", "vocab_size": 49152}"#;
        let m = read_config(json.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        // in_proj 512 → 2·1024 + 2·1·128 + 8 = 2,312; conv 1,280 channels; 3 × 8 per head; norm 1,024.
        let mamba = 512 * 2312 + (1280 * 4 + 1280) + 3 * 8 + 1024 + 1024 * 512;
        let attention = 4 * 512 * 512;
        let ffn = |e: u64| 8 * 512 + e * 3 * 512 * 1024 + 3 * 512 * 2048 + 2 * 512;
        let total = |e: u64| 6 * mamba + 2 * attention + 8 * ffn(e) + 49152 * 512 + 512;
        assert_eq!((m.arch.params(), m.arch.active_params()), (total(8), total(2)));
        let state = (3 * 1280 + 128 * 1024) * 4;
        assert_eq!(kv_units(&m.arch), [(KvKind::Full, 2, 2 * 2 * 8 * 64 * 2), (KvKind::Ssm, 6, 6 * state)]);
        assert!(m.unread.is_empty(), "{:?}", texts(&m.unread));
        // Without experts the shared FFN is the dense one (Granite 4.0-H-Micro).
        let dense = json.replace("\"num_local_experts\": 8", "\"num_local_experts\": 0");
        let d = read_config(dense.as_bytes()).unwrap();
        assert_eq!((d.arch.moe, d.arch.ffn), (None, 2048));
        assert_eq!(d.arch.params(), 6 * mamba + 2 * attention + 8 * (3 * 512 * 2048 + 2 * 512) + 49152 * 512 + 512);
        let odd = json.replace("\"shared_intermediate_size\": 2048", "\"shared_intermediate_size\": 512");
        assert_eq!(
            err(&odd).to_string(),
            "shared_intermediate_size = 512 is not a multiple of intermediate_size = 1024."
        );
    }

    /// A hybrid's layer list is read whole or refused by name.
    #[test]
    fn hybrid_patterns_are_checked() {
        let nemotron = std::fs::read_to_string(format!(
            "{}/tests/fixtures/configs/nemotron-h-8b/config.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let short = nemotron.replacen("M-M-M-M*-M-M", "M-M-M*-M-M", 1);
        assert_eq!(err(&short).to_string(), "hybrid_override_pattern has 50 entries for 52 layers.");
        let odd = nemotron.replacen("M-M-M-M*-M-M", "M-M-M-M*-X-M", 1);
        assert_eq!(err(&odd).to_string(), "hybrid_override_pattern: unknown layer type X.");
        let gone = nemotron.replace("\"mamba_num_heads\": 128,", "");
        assert_eq!(err(&gone).to_string(), "mamba_num_heads is missing.");
        let jamba = std::fs::read_to_string(format!(
            "{}/tests/fixtures/configs/jamba-1.5-mini/config.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let e = err(&jamba.replace("\"attn_layer_offset\": 4", "\"attn_layer_offset\": 8"));
        assert!(e.to_string().starts_with("attn_layer_offset"), "{e}");
        let four = jamba
            .replace("\"attn_layer_period\": 8", "\"attn_layer_period\": 4")
            .replace("\"attn_layer_offset\": 4", "\"attn_layer_offset\": 3");
        let m = read_config(four.as_bytes()).unwrap();
        assert_eq!(m.arch.count_layers(|m, _| m == Mixer::Attention), 8);
    }

    /// DeepSeek-V3: the preset's layout, plus the router's `e_score_correction_bias` (256 per MoE
    /// layer): 671,026,419,200, what transformers counts for the checkpoint without its
    /// multi-token-prediction layer (which is named as not counted); 37.55B active (the report:
    /// 37B). MLA caches 61 × (512 + 64) values per token. Ships FP8 in 128 × 128 blocks.
    #[test]
    fn deepseek_v3() {
        let m = fixture("deepseek-v3");
        let attn = 7168 * 1536 + 1536 + 1536 * 24576 + 7168 * 576 + 512 + 512 * 32768 + 16384 * 7168;
        assert_eq!(attn, 187_107_328);
        let dense = attn + 3 * 7168 * 18432 + 2 * 7168;
        let moe = |e: u64| attn + 256 * 7168 + 256 + e * 3 * 7168 * 2048 + 3 * 7168 * 2048 + 2 * 7168;
        let total = 3 * dense + 58 * moe(256) + 2 * 129_280 * 7168 + 7168;
        assert_eq!(m.arch.params(), total);
        assert_eq!(total, 671_026_419_200);
        // The preset's layout, router bias included.
        assert_eq!(m.arch, crate::core::catalog::model::preset("deepseek-v3").unwrap().arch);
        assert_eq!(m.arch.active_params(), 3 * dense + 58 * moe(8) + 2 * 129_280 * 7168 + 7168);
        assert_eq!(m.arch.active_params(), 37_552_297_472);
        assert_eq!(kv_units(&m.arch), [(KvKind::Latent, 61, 61 * 576 * 2)]);
        assert_eq!(61 * 576 * 2, 70_272);
        assert_eq!(m.shipped.map(|s| s.id), Some("fp8_e4m3"));
        assert!(texts(&m.assumed)[0].contains("one F32 scale per 128×128 block"));
        assert!(texts(&m.unread).iter().any(|t| t.contains("num_nextn_predict_layers = 1")));
    }

    /// Llama 4 Scout: 48 layers of 16 experts (1 active) and a shared expert, 3 of every 4 layers
    /// attending in chunks of 8,192 (its `no_rope_layers` is empty: transformers' interval of 4).
    /// Meta's model card: 17B active, 109B total with the vision encoder; the vision tower of its
    /// config (34 layers of 1408, adapter, projector) is 871,932,416 more.
    #[test]
    fn llama_4_scout() {
        let m = fixture("llama-4-scout-17b-16e");
        let attn = 2 * 5120 * 5120 + 2 * 5120 * 1024;
        let expert = 3 * 5120 * 8192;
        let layer = |e: u64| attn + 16 * 5120 + e * expert + expert + 2 * 5120;
        let text = 48 * layer(16) + 2 * 202_048 * 5120 + 5120;
        assert_eq!(m.arch.params(), text);
        assert_eq!(text, 107_769_861_120);
        let vision_layer = 4 * (1408 * 1408 + 1408) + (1408 * 5632 + 5632) + (5632 * 1408 + 1408) + 4 * 1408;
        let vision =
            588 * 1408 + 1408 + 577 * 1408 + 4 * 1408 + 34 * vision_layer + 5632 * 4096 + 4096 * 4096 + 4096 * 5120;
        assert_eq!(vision, 871_932_416);
        assert_eq!(text + vision, 108_641_793_536); // "109B"
        assert_eq!(m.arch.active_params(), 48 * layer(1) + 2 * 202_048 * 5120 + 5120);
        assert_eq!(m.arch.active_params(), 17_172_894_720); // "17B active"
        assert_eq!(m.arch.local, Some(Local { kind: LocalKind::Chunked(8192), period: 4 }));
        assert_eq!(kv_units(&m.arch), [(KvKind::Full, 12, 12 * 4096), (KvKind::Chunked(8192), 36, 36 * 4096)]);
        assert!(texts(&m.assumed).iter().any(|t| t.starts_with("text_config.no_rope_layers is empty")));
        assert!(texts(&m.unread).iter().any(|t| t.starts_with("Not counted: vision_config")));
    }

    /// The architecture read from a file goes into the link and comes back the same.
    #[test]
    fn every_fixture_goes_into_a_link() {
        for id in [
            "llama-3.1-8b",
            "qwen2.5-7b",
            "gemma-3-27b-it",
            "gpt-oss-20b",
            "qwen3-next-80b-a3b",
            "deepseek-v3",
            "llama-4-scout-17b-16e",
        ] {
            let a = fixture(id).arch;
            assert_eq!(Arch::decode(&a.encode()), Ok(a), "{id}: {}", a.encode());
        }
    }

    fn err(json: &str) -> Msg {
        read_config(json.as_bytes()).expect_err(json)
    }

    const BASE: &str = r#""model_type": "llama", "num_hidden_layers": 32, "hidden_size": 4096,
        "num_attention_heads": 32, "num_key_value_heads": 8, "intermediate_size": 14336,
        "vocab_size": 128256, "max_position_embeddings": 131072, "tie_word_embeddings": false"#;

    /// Each bad file gets a message that names the field, in both languages.
    #[test]
    fn bad_files_name_the_field() {
        let cases: &[(String, &str, &str)] = &[
            (format!("{{{BASE}, \"hidden_size\": 4096}}"), "“hidden_size” is given twice", "“hidden_size”出现了两次"),
            (
                BASE.replace("\"hidden_size\": 4096", "\"hidden_size\": -4096"),
                "hidden_size = -4096 is out of range (1 to 131,072).",
                "hidden_size = -4096 超出范围",
            ),
            (
                BASE.replace("4096,", "1e30,"),
                "hidden_size = 1e+30 is out of range (1 to 131,072).",
                "hidden_size = 1e+30 超出范围",
            ),
            (
                BASE.replace("\"num_hidden_layers\": 32", "\"num_hidden_layers\": 99999999999999999999"),
                "num_hidden_layers = ",
                "num_hidden_layers",
            ),
            (
                BASE.replace("\"vocab_size\": 128256", "\"vocab_size\": \"128256\""),
                "vocab_size must be a whole number, not \"128256\".",
                "vocab_size 必须是整数",
            ),
            (
                BASE.replace("\"intermediate_size\": 14336,", ""),
                "intermediate_size is missing.",
                "缺少 intermediate_size",
            ),
            (
                BASE.replace("\"llama\"", "\"mamba_ssm\""),
                "Unknown architecture “mamba_ssm” (model_type)",
                "未知架构“mamba_ssm”",
            ),
            (BASE.replace("\"model_type\": \"llama\",", ""), "model_type is missing", "缺少 model_type"),
            (
                BASE.replace("\"tie_word_embeddings\": false", "\"tie_word_embeddings\": \"no\""),
                "tie_word_embeddings must be true or false",
                "tie_word_embeddings 必须是",
            ),
            (
                BASE.replace("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 3"),
                "num_attention_heads = 32 is not a multiple of num_key_value_heads = 3.",
                "不是 num_key_value_heads = 3 的倍数",
            ),
            (BASE.replace("\"hidden_size\": 4096", "\"hidden_size\": 131072, \"intermediate_size_x\": 1"), "", ""),
        ];
        for (body, en, zh) in cases.iter().take(cases.len() - 1) {
            let json = if body.starts_with('{') { body.clone() } else { format!("{{{body}}}") };
            let e = err(&json);
            assert!(e.text(Lang::En).contains(en), "{json}\n{}", e.text(Lang::En));
            assert!(e.text(Lang::ZhCn).contains(zh), "{json}\n{}", e.text(Lang::ZhCn));
        }
        // Not JSON, not an object, a layer list that does not fit.
        assert_eq!(err("{\"model_type\": ").to_string(), "config.json is not valid JSON (line 1, column 15).");
        assert_eq!(err("[1, 2]").to_string(), "config.json must be one JSON object of settings.");
        let mut gemma = std::fs::read_to_string(format!(
            "{}/tests/fixtures/configs/gemma-3-27b-it/config.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        gemma = gemma.replace(
            "\"sliding_window\": 1024",
            "\"sliding_window\": 1024, \"layer_types\": [\"sliding_attention\", \"full_attention\"]",
        );
        assert_eq!(err(&gemma).to_string(), "text_config.layer_types has 2 entries for 62 layers.");
        // A whole model too big for any link.
        let huge = BASE
            .replace("\"num_hidden_layers\": 32", "\"num_hidden_layers\": 1000")
            .replace("\"hidden_size\": 4096", "\"hidden_size\": 131072")
            .replace("14336", "1048576")
            .replace("\"num_attention_heads\": 32", "\"num_attention_heads\": 1024");
        assert_eq!(err(&format!("{{{huge}}}")).to_string(), "This model would have more than 100T parameters.");
    }

    /// A 10 MB file is refused unread, by its size; deep nesting and unknown names are safe.
    #[test]
    fn big_deep_and_odd_files() {
        let big = format!("{{{BASE}, \"pad\": \"{}\"}}", "x".repeat(10_000_000));
        assert_eq!(
            err(&big).to_string(),
            "This file is 10,000,264 bytes; a config.json is a few kilobytes, and at most 1,048,576 bytes are read."
        );
        let deep = format!("{{{BASE}, \"x\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(err(&deep).to_string().starts_with("config.json is not valid JSON"));
        let odd = read_config(format!("{{{BASE}, \"shiny_new_field\": 3}}").as_bytes()).unwrap();
        assert_eq!(texts(&odd.unread), ["Not read: shiny_new_field."]);
        assert_eq!(odd.arch.params(), 8_030_261_248);
        assert_eq!(odd.shipped, None);
        // Fields this reader cannot model are refused by name, not dropped.
        let e = err(&format!("{{{BASE}, \"mlp_bias\": true}}"));
        assert_eq!(e.to_string(), "mlp_bias = true is not modelled here.");
        assert_eq!(known_model_types().split(", ").count(), 23);
    }

    /// Quantization configs map to the nearest scheme and say what differs.
    #[test]
    fn shipped_formats() {
        let q = |json: &str| {
            let m = read_config(format!("{{{BASE}, \"quantization_config\": {json}}}").as_bytes()).unwrap();
            (m.shipped.map(|s| s.id), texts(&m.assumed).join(" | "))
        };
        assert_eq!(
            q(r#"{"quant_method": "gptq", "bits": 4, "group_size": 128, "desc_act": false}"#).0,
            Some("int4_g128")
        );
        assert_eq!(q(r#"{"quant_method": "awq", "bits": 4, "group_size": 128}"#).0, Some("int4_g128"));
        assert_eq!(
            q(r#"{"quant_method": "gptq", "bits": 4, "group_size": 128, "desc_act": true}"#).0,
            Some("int4_g128_gidx")
        );
        assert_eq!(q(r#"{"quant_method": "bitsandbytes", "load_in_4bit": true, "bnb_4bit_quant_type": "nf4", "bnb_4bit_use_double_quant": true}"#).0, Some("nf4_dq"));
        let (s, note) = q(r#"{"quant_method": "compressed-tensors"}"#);
        assert_eq!(s, None);
        assert!(
            note.contains("quantization_config.quant_method: compressed-tensors is not in the format catalogue"),
            "{note}"
        );
        assert!(format("mxfp4").is_some());
    }
}
