//! Model architectures, the presets, and the tensor list each architecture implies.
//!
//! Parameter counts are never typed in: they are derived from the architecture by
//! [`Arch::tensors`], and a test checks them against each model's published count.

use crate::core::text::i18n::{fill, Lang, Msg, Strings};
use crate::msg;

/// Whether a model keeps a KV cache when it generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Decoder with RMSNorm, rotary positions, a gated FFN and no biases (Llama and its kin).
    Decoder,
    /// BERT-style encoder: LayerNorm with bias, biases on every linear layer, learned positions,
    /// token types, pooler and the masked-LM head transform. No KV cache.
    Bert,
    /// DistilBERT: BERT's layers without token types, pooler or masked-LM head (the base model
    /// its 66M counts).
    DistilBert,
    /// GPT-2: a decoder with learned positions, LayerNorm with bias, biases on every linear
    /// layer, one fused q/k/v matrix, a GELU FFN and tied embeddings.
    Gpt2,
    /// gpt-oss: a decoder whose q, k, v and output projections carry biases, with one learned
    /// attention-sink logit per head and layer, and whose MoE router and experts carry biases.
    GptOss,
}

/// Sliding-window attention on some layers (the rest attend to the whole context).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlidingWindow {
    pub window: u64,
    pub local_layers: u32,
}

/// DeepSeek's multi-head latent attention: the cache holds a compressed latent per token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mla {
    pub q_lora: u64,
    pub kv_lora: u64,
    pub rope_dim: u64,
    pub nope_dim: u64,
    pub v_head_dim: u64,
}

/// Mixture of experts in the FFN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moe {
    pub experts: u64,
    pub active: u64,
    pub shared: u64,
    /// FFN width of one expert.
    pub expert_ffn: u64,
    /// The first layers keep a dense FFN (DeepSeek's `first_k_dense_replace`).
    pub dense_layers: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arch {
    pub style: Style,
    pub layers: u32,
    pub hidden: u64,
    pub heads: u64,
    pub kv_heads: u64,
    pub head_dim: u64,
    /// Dense FFN width.
    pub ffn: u64,
    pub vocab: u64,
    pub tied_embeddings: bool,
    pub max_context: u64,
    pub sliding_window: Option<SlidingWindow>,
    pub mla: Option<Mla>,
    pub moe: Option<Moe>,
    pub qkv_bias: bool,
    /// An RMSNorm on q and on k, one `head_dim`-wide weight each per layer, shared by the heads
    /// (Qwen3, Gemma 3).
    pub qk_norm: bool,
    /// Phi-3 stores q, k, v as one matrix and gate, up as one.
    pub fused: bool,
    /// RMSNorm vectors per layer (2 for Llama, 4 for Gemma-2).
    pub norms_per_layer: u64,
    /// BERT: learned positions and token-type vocabulary.
    pub positions: u64,
    pub type_vocab: u64,
}

/// What a tensor is, in the terms llama-quantize uses to pick its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    TokenEmbd,
    PosEmbd,
    TypeEmbd,
    Output,
    AttnQ,
    AttnK,
    AttnV,
    AttnQkv,
    AttnOut,
    /// MLA's low-rank projections other than kv_b (q_a, q_b, kv_a).
    AttnLowRank,
    /// MLA's kv_b: llama-quantize treats it like attn_v.
    AttnKvB,
    FfnUp,
    FfnGate,
    FfnDown,
    /// MoE router (`ffn_gate_inp`): never quantized.
    Router,
    /// BERT pooler and masked-LM head transform.
    HeadLinear,
    /// Norm weights and biases: 1-D, never quantized.
    Vector,
}

/// The classes the footprint is broken down into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    Embedding,
    OutputHead,
    Attention,
    Ffn,
    Norms,
}

impl Class {
    pub const ALL: [Class; 5] = [Class::Embedding, Class::Attention, Class::Ffn, Class::OutputHead, Class::Norms];

    pub fn label(self) -> &'static str {
        self.label_in(Lang::En.strings())
    }

    pub fn label_in(self, t: &Strings) -> &'static str {
        match self {
            Class::Embedding => t.seg_embedding,
            Class::OutputHead => t.seg_head,
            Class::Attention => t.seg_attention,
            Class::Ffn => t.seg_ffn,
            Class::Norms => t.seg_norms,
        }
    }

    pub fn index(self) -> usize {
        Class::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }
}

impl Kind {
    pub fn class(self) -> Class {
        match self {
            Kind::TokenEmbd | Kind::PosEmbd | Kind::TypeEmbd => Class::Embedding,
            Kind::Output | Kind::HeadLinear => Class::OutputHead,
            Kind::AttnQ
            | Kind::AttnK
            | Kind::AttnV
            | Kind::AttnQkv
            | Kind::AttnOut
            | Kind::AttnLowRank
            | Kind::AttnKvB => Class::Attention,
            Kind::FfnUp | Kind::FfnGate | Kind::FfnDown | Kind::Router => Class::Ffn,
            Kind::Vector => Class::Norms,
        }
    }

    /// A weight matrix of a linear layer (what GPTQ, bitsandbytes and FP8 checkpoints quantize).
    pub fn is_linear(self) -> bool {
        !matches!(self, Kind::TokenEmbd | Kind::PosEmbd | Kind::TypeEmbd | Kind::Output | Kind::Router | Kind::Vector)
    }
}

/// `count` matrices of `rows` × `cols` (`cols` contiguous: the input dimension).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tensor {
    pub kind: Kind,
    pub layer: Option<u32>,
    pub rows: u64,
    pub cols: u64,
    pub count: u64,
    /// A routed expert: only `active / experts` of it is read per token.
    pub routed: bool,
}

impl Tensor {
    pub fn params(&self) -> u64 {
        self.rows * self.cols * self.count
    }
}

struct TensorList {
    out: Vec<Tensor>,
    layer: Option<u32>,
}

impl TensorList {
    fn push(&mut self, kind: Kind, rows: u64, cols: u64) {
        self.push_n(kind, rows, cols, 1, false);
    }
    fn push_n(&mut self, kind: Kind, rows: u64, cols: u64, count: u64, routed: bool) {
        self.out.push(Tensor { kind, layer: self.layer, rows, cols, count, routed });
    }
    fn vector(&mut self, len: u64) {
        self.push(Kind::Vector, 1, len);
    }
    /// A linear layer `inp → out`, with its bias if it has one.
    fn linear(&mut self, kind: Kind, inp: u64, out: u64, bias: bool) {
        self.push(kind, out, inp);
        if bias {
            self.vector(out);
        }
    }
}

impl Arch {
    /// Every tensor of the checkpoint, in layer order.
    pub fn tensors(&self) -> Vec<Tensor> {
        let bert = matches!(self.style, Style::Bert | Style::DistilBert);
        // GPT-2 has BERT's biases, LayerNorms and plain FFN, in a decoder.
        let biased = bert || self.style == Style::Gpt2;
        let gpt_oss = self.style == Style::GptOss;
        let h = self.hidden;
        let mut t = TensorList { out: Vec::new(), layer: None };
        t.push(Kind::TokenEmbd, self.vocab, h);
        if biased {
            t.push(Kind::PosEmbd, self.positions, h);
        }
        if bert {
            if self.type_vocab > 0 {
                t.push(Kind::TypeEmbd, self.type_vocab, h);
            }
            t.vector(h);
            t.vector(h);
        }
        let q_dim = self.heads * self.head_dim;
        let kv_dim = self.kv_heads * self.head_dim;
        for layer in 0..self.layers {
            t.layer = Some(layer);
            if let Some(m) = self.mla {
                t.linear(Kind::AttnLowRank, h, m.q_lora, false);
                t.vector(m.q_lora);
                t.linear(Kind::AttnLowRank, m.q_lora, self.heads * (m.nope_dim + m.rope_dim), false);
                t.linear(Kind::AttnLowRank, h, m.kv_lora + m.rope_dim, false);
                t.vector(m.kv_lora);
                t.linear(Kind::AttnKvB, m.kv_lora, self.heads * (m.nope_dim + m.v_head_dim), false);
                t.linear(Kind::AttnOut, self.heads * m.v_head_dim, h, false);
            } else if self.fused {
                t.linear(Kind::AttnQkv, h, q_dim + 2 * kv_dim, self.qkv_bias || biased);
                t.linear(Kind::AttnOut, q_dim, h, biased);
            } else {
                let bias = self.qkv_bias || biased || gpt_oss;
                t.linear(Kind::AttnQ, h, q_dim, bias);
                t.linear(Kind::AttnK, h, kv_dim, bias);
                t.linear(Kind::AttnV, h, kv_dim, bias);
                t.linear(Kind::AttnOut, q_dim, h, biased || gpt_oss);
            }
            if self.qk_norm {
                t.vector(self.head_dim);
                t.vector(self.head_dim);
            }
            if gpt_oss {
                t.vector(self.heads); // the attention sinks
            }
            match self.moe {
                Some(m) if layer >= m.dense_layers => {
                    t.push(Kind::Router, m.experts, h);
                    if gpt_oss {
                        t.vector(m.experts);
                    }
                    for (kind, rows, cols) in [
                        (Kind::FfnGate, m.expert_ffn, h),
                        (Kind::FfnUp, m.expert_ffn, h),
                        (Kind::FfnDown, h, m.expert_ffn),
                    ] {
                        t.push_n(kind, rows, cols, m.experts, true);
                        if gpt_oss {
                            t.push_n(Kind::Vector, 1, rows, m.experts, true);
                        }
                        if m.shared > 0 {
                            t.push_n(kind, rows, cols, m.shared, false);
                        }
                    }
                }
                _ if biased => {
                    t.linear(Kind::FfnUp, h, self.ffn, true);
                    t.linear(Kind::FfnDown, self.ffn, h, true);
                }
                _ if self.fused => {
                    t.linear(Kind::FfnUp, h, 2 * self.ffn, false);
                    t.linear(Kind::FfnDown, self.ffn, h, false);
                }
                _ => {
                    t.linear(Kind::FfnGate, h, self.ffn, false);
                    t.linear(Kind::FfnUp, h, self.ffn, false);
                    t.linear(Kind::FfnDown, self.ffn, h, false);
                }
            }
            // BERT's and GPT-2's LayerNorms carry a bias beside each weight.
            let vectors = if biased { 4 } else { self.norms_per_layer };
            for _ in 0..vectors {
                t.vector(h);
            }
        }
        t.layer = None;
        if self.style == Style::Bert {
            t.linear(Kind::HeadLinear, h, h, true); // pooler
            t.linear(Kind::HeadLinear, h, h, true); // MLM transform
            t.vector(h);
            t.vector(h);
            t.vector(self.vocab); // MLM decoder bias; its weight is the tied embedding
        } else if self.style != Style::DistilBert {
            t.vector(h);
            if self.style == Style::Gpt2 {
                t.vector(h); // the final LayerNorm's bias
            }
            if !self.tied_embeddings {
                t.push(Kind::Output, self.vocab, h);
            }
        }
        t.out
    }

    pub fn params(&self) -> u64 {
        self.tensors().iter().map(Tensor::params).sum()
    }

    /// Parameters that take part in one token's forward pass (routed experts at `active / experts`).
    pub fn active_params(&self) -> u64 {
        let moe = self.moe;
        self.tensors()
            .iter()
            .map(|t| match moe {
                Some(m) if t.routed => t.params() / m.experts * m.active,
                _ => t.params(),
            })
            .sum()
    }

    /// Whether generating keeps a KV cache at all.
    pub fn has_kv_cache(&self) -> bool {
        matches!(self.style, Style::Decoder | Style::Gpt2 | Style::GptOss)
    }

    /// Elements one layer caches per token: K and V of every KV head, or MLA's latent plus its rope key.
    pub fn kv_row(&self) -> (u64, u64) {
        match self.mla {
            Some(m) => (1, m.kv_lora + m.rope_dim),
            None => (2, self.kv_heads * self.head_dim),
        }
    }
}

/// A named model with its architecture and what was published about it.
#[derive(Debug, PartialEq)]
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    pub arch: Arch,
    /// The parameter count its authors publish, and where.
    pub published_params: f64,
    pub published_source: &'static str,
    /// Training tokens, where published.
    pub trained_tokens: Option<f64>,
    /// The lineage whose tokenizer and training data it shares: perplexities per token compare
    /// only within one family.
    pub family: &'static str,
    /// The scheme id (`scheme::by_id`) of the weights as their authors ship them: `bf16` for a
    /// config.json `torch_dtype` of bfloat16, `fp8_e4m3` for DeepSeek's block-scaled FP8,
    /// `mxfp4` for gpt-oss (its experts; attention, router and embeddings stay BF16).
    pub shipped: &'static str,
}

pub const DECODER: Arch = Arch {
    style: Style::Decoder,
    layers: 32,
    hidden: 4096,
    heads: 32,
    kv_heads: 8,
    head_dim: 128,
    ffn: 14336,
    vocab: 128256,
    tied_embeddings: false,
    max_context: 131072,
    sliding_window: None,
    mla: None,
    moe: None,
    qkv_bias: false,
    qk_norm: false,
    fused: false,
    norms_per_layer: 2,
    positions: 0,
    type_vocab: 0,
};

/// LLaMA (v1, 2023): full multi-head attention, 32k vocabulary, 2k context.
const LLAMA_V1: Arch = Arch { kv_heads: 32, ffn: 11008, vocab: 32000, max_context: 2048, ..DECODER };

/// Qwen2-0.5B: grouped-query attention with q/k/v biases, tied embeddings, 152k vocabulary.
const QWEN2_SMALL: Arch = Arch {
    layers: 24,
    hidden: 896,
    heads: 14,
    kv_heads: 2,
    head_dim: 64,
    ffn: 4864,
    vocab: 151936,
    tied_embeddings: true,
    qkv_bias: true,
    ..DECODER
};

/// Qwen3: q/k norms and no biases, 128-wide heads, the 151,936-token vocabulary, 40,960 positions
/// (every Qwen3 config.json in `tests/fixtures/configs`).
const QWEN3: Arch = Arch { head_dim: 128, vocab: 151936, max_context: 40960, qk_norm: true, ..DECODER };

/// Gemma 3 (4B and up): Gemma 2's four norms per layer plus q/k norms, tied embeddings, the
/// 262,208-row embedding, 128K positions, five sliding-window layers (1,024 tokens) to every
/// global one.
const GEMMA3: Arch = Arch {
    head_dim: 256,
    vocab: 262208,
    tied_embeddings: true,
    max_context: 131072,
    norms_per_layer: 4,
    qk_norm: true,
    ..DECODER
};

/// Layers of a Gemma 3 model that slide: every sixth layer (the 6th, 12th, …) is global.
const fn gemma3_local(layers: u32) -> u32 {
    layers - layers / 6
}

/// gpt-oss-20b; the 120b has 36 layers and 128 experts. Every other layer slides over 128 tokens.
const GPT_OSS: Arch = Arch {
    style: Style::GptOss,
    layers: 24,
    hidden: 2880,
    heads: 64,
    kv_heads: 8,
    head_dim: 64,
    ffn: 2880,
    vocab: 201088,
    max_context: 131072,
    sliding_window: Some(SlidingWindow { window: 128, local_layers: 12 }),
    moe: Some(Moe { experts: 32, active: 4, shared: 0, expert_ffn: 2880, dense_layers: 0 }),
    ..DECODER
};

/// Llama 4's text model: 48 layers of 40 heads and 8 KV heads (the L2 q/k norm has no weights),
/// one routed expert of 8192 per token beside a shared one, a 202,048-token vocabulary.
const LLAMA4: Arch = Arch {
    layers: 48,
    hidden: 5120,
    heads: 40,
    kv_heads: 8,
    ffn: 16384,
    vocab: 202048,
    moe: Some(Moe { experts: 16, active: 1, shared: 1, expert_ffn: 8192, dense_layers: 0 }),
    ..DECODER
};

/// DeepSeek-V3's layout: MLA, 256 routed experts (8 per token) and a shared one, 3 dense layers.
const DEEPSEEK_V3: Arch = Arch {
    layers: 61,
    hidden: 7168,
    heads: 128,
    kv_heads: 128,
    head_dim: 128,
    ffn: 18432,
    vocab: 129280,
    max_context: 163840,
    mla: Some(Mla { q_lora: 1536, kv_lora: 512, rope_dim: 64, nope_dim: 128, v_head_dim: 128 }),
    moe: Some(Moe { experts: 256, active: 8, shared: 1, expert_ffn: 2048, dense_layers: 3 }),
    ..DECODER
};

const BERT: Arch = Arch {
    style: Style::Bert,
    layers: 12,
    hidden: 768,
    heads: 12,
    kv_heads: 12,
    head_dim: 64,
    ffn: 3072,
    vocab: 30522,
    tied_embeddings: true,
    max_context: 512,
    sliding_window: None,
    mla: None,
    moe: None,
    qkv_bias: true,
    qk_norm: false,
    fused: false,
    norms_per_layer: 0,
    positions: 512,
    type_vocab: 2,
};

/// GPT-2 (124M) has BERT-base's widths and layer count.
const GPT2: Arch =
    Arch { style: Style::Gpt2, vocab: 50257, max_context: 1024, fused: true, positions: 1024, type_vocab: 0, ..BERT };

/// Presets, each checked against its config.json on the Hugging Face hub.
pub static PRESETS: &[Preset] = &[
    Preset {
        id: "bert-base",
        name: "BERT-base (uncased)",
        arch: BERT,
        published_params: 110e6,
        published_source: "google-bert/bert-base-uncased model card: 110M",
        // 1M steps × 256 sequences × 512 tokens (Devlin et al. 2019 §A.2, which rounds it to
        // "128,000 tokens/batch").
        trained_tokens: Some(131e9),
        family: "BERT",
        shipped: "f32",
    },
    Preset {
        id: "bert-large",
        name: "BERT-large (uncased)",
        arch: Arch { layers: 24, hidden: 1024, heads: 16, kv_heads: 16, ffn: 4096, ..BERT },
        published_params: 336e6,
        published_source: "google-bert/bert-large-uncased model card: 336M",
        trained_tokens: Some(131e9),
        family: "BERT",
        shipped: "f32",
    },
    Preset {
        id: "llama-3.2-1b",
        name: "Llama-3.2-1B",
        arch: Arch {
            layers: 16,
            hidden: 2048,
            heads: 32,
            kv_heads: 8,
            head_dim: 64,
            ffn: 8192,
            tied_embeddings: true,
            ..DECODER
        },
        published_params: 1.23e9,
        published_source: "meta-llama/Llama-3.2-1B model card: 1.23B",
        trained_tokens: Some(9e12),
        family: "Llama 3",
        shipped: "bf16",
    },
    Preset {
        id: "llama-3.2-3b",
        name: "Llama-3.2-3B",
        arch: Arch { layers: 28, hidden: 3072, heads: 24, kv_heads: 8, ffn: 8192, tied_embeddings: true, ..DECODER },
        published_params: 3.21e9,
        published_source: "meta-llama/Llama-3.2-3B model card: 3.21B",
        trained_tokens: Some(9e12),
        family: "Llama 3",
        shipped: "bf16",
    },
    Preset {
        id: "llama-3.1-8b",
        name: "Llama-3.1-8B",
        arch: DECODER,
        published_params: 8.03e9,
        published_source: "meta-llama/Llama-3.1-8B: 8.03B (safetensors metadata)",
        trained_tokens: Some(15e12),
        family: "Llama 3",
        shipped: "bf16",
    },
    Preset {
        id: "llama-3.1-70b",
        name: "Llama-3.1-70B",
        arch: Arch { layers: 80, hidden: 8192, heads: 64, ffn: 28672, ..DECODER },
        published_params: 70.6e9,
        published_source: "meta-llama/Llama-3.1-70B: 70.6B (safetensors metadata)",
        trained_tokens: Some(15e12),
        family: "Llama 3",
        shipped: "bf16",
    },
    Preset {
        id: "llama-3.1-405b",
        name: "Llama-3.1-405B",
        arch: Arch { layers: 126, hidden: 16384, heads: 128, ffn: 53248, ..DECODER },
        published_params: 406e9,
        published_source: "meta-llama/Llama-3.1-405B: 406B (safetensors metadata)",
        trained_tokens: Some(15e12),
        family: "Llama 3",
        shipped: "bf16",
    },
    Preset {
        id: "llama-3-8b",
        name: "Llama-3-8B",
        arch: Arch { max_context: 8192, ..DECODER },
        published_params: 8.03e9,
        published_source: "meta-llama/Meta-Llama-3-8B: 8.03B (safetensors metadata)",
        trained_tokens: Some(15e12),
        family: "Llama 3",
        shipped: "bf16",
    },
    Preset {
        id: "llama-3-70b",
        name: "Llama-3-70B",
        arch: Arch { layers: 80, hidden: 8192, heads: 64, ffn: 28672, max_context: 8192, ..DECODER },
        published_params: 70.6e9,
        published_source: "meta-llama/Meta-Llama-3-70B: 70.6B (safetensors metadata)",
        trained_tokens: Some(15e12),
        family: "Llama 3",
        shipped: "bf16",
    },
    Preset {
        id: "llama-2-70b",
        name: "Llama-2-70B",
        arch: Arch { layers: 80, hidden: 8192, heads: 64, ffn: 28672, vocab: 32000, max_context: 4096, ..DECODER },
        published_params: 68.98e9,
        published_source: "meta-llama/Llama-2-70b-hf: 69.0B (safetensors metadata)",
        trained_tokens: Some(2e12), // Llama 2 paper (Touvron et al. 2023b), Table 1
        family: "Llama 2",
        shipped: "f16",
    },
    Preset {
        id: "llama-2-7b",
        name: "Llama-2-7B",
        arch: Arch { max_context: 4096, ..LLAMA_V1 },
        published_params: 6.74e9,
        published_source: "meta-llama/Llama-2-7b-hf: 6.74B (safetensors metadata); Llama 2 paper: 7B",
        trained_tokens: Some(2e12), // Llama 2 paper (Touvron et al. 2023b), Table 1
        family: "Llama 2",
        shipped: "f16",
    },
    Preset {
        id: "llama-2-13b",
        name: "Llama-2-13B",
        arch: Arch { layers: 40, hidden: 5120, heads: 40, kv_heads: 40, ffn: 13824, max_context: 4096, ..LLAMA_V1 },
        published_params: 13.0e9,
        published_source: "meta-llama/Llama-2-13b-hf: 13.0B (safetensors metadata)",
        trained_tokens: Some(2e12),
        family: "Llama 2",
        shipped: "f16",
    },
    Preset {
        id: "gpt2",
        name: "GPT-2 (124M)",
        arch: GPT2,
        published_params: 124e6,
        published_source: "openai-community/gpt2 model card: 124M",
        trained_tokens: None,
        family: "GPT-2",
        shipped: "f32",
    },
    Preset {
        id: "distilgpt2",
        name: "DistilGPT2",
        arch: Arch { layers: 6, ..GPT2 },
        published_params: 82e6,
        published_source: "distilbert/distilgpt2 model card: 82M",
        trained_tokens: None,
        family: "GPT-2",
        shipped: "f32",
    },
    Preset {
        id: "distilbert-base",
        name: "DistilBERT-base (uncased)",
        arch: Arch { style: Style::DistilBert, layers: 6, type_vocab: 0, ..BERT },
        published_params: 66e6,
        published_source: "Sanh et al. 2019 (arXiv 1910.01108), Table 3: 66M",
        trained_tokens: None,
        family: "BERT",
        shipped: "f32",
    },
    Preset {
        id: "llama-7b",
        name: "LLaMA-7B (v1)",
        arch: LLAMA_V1,
        published_params: 6.7e9,
        published_source: "LLaMA paper (Touvron et al. 2023), Table 2: 6.7B",
        trained_tokens: Some(1.0e12), // ibid., Table 2
        family: "LLaMA",
        shipped: "f16",
    },
    Preset {
        id: "llama-13b",
        name: "LLaMA-13B (v1)",
        arch: Arch { layers: 40, hidden: 5120, heads: 40, kv_heads: 40, ffn: 13824, ..LLAMA_V1 },
        published_params: 13.0e9,
        published_source: "LLaMA paper (Touvron et al. 2023), Table 2: 13.0B",
        trained_tokens: Some(1.0e12),
        family: "LLaMA",
        shipped: "f16",
    },
    Preset {
        id: "llama-30b",
        name: "LLaMA-30B (v1)",
        arch: Arch { layers: 60, hidden: 6656, heads: 52, kv_heads: 52, ffn: 17920, ..LLAMA_V1 },
        published_params: 32.5e9,
        published_source: "LLaMA paper (Touvron et al. 2023), Table 2: 32.5B",
        trained_tokens: Some(1.4e12),
        family: "LLaMA",
        shipped: "f16",
    },
    Preset {
        id: "llama-65b",
        name: "LLaMA-65B (v1)",
        arch: Arch { layers: 80, hidden: 8192, heads: 64, kv_heads: 64, ffn: 22016, ..LLAMA_V1 },
        published_params: 65.2e9,
        published_source: "LLaMA paper (Touvron et al. 2023), Table 2: 65.2B",
        trained_tokens: Some(1.4e12),
        family: "LLaMA",
        shipped: "f16",
    },
    Preset {
        id: "mistral-7b",
        name: "Mistral-7B-v0.3",
        arch: Arch { vocab: 32768, max_context: 32768, ..DECODER },
        published_params: 7.25e9,
        published_source: "mistralai/Mistral-7B-v0.3: 7.25B (safetensors metadata)",
        trained_tokens: None,
        family: "Mistral",
        shipped: "bf16",
    },
    Preset {
        id: "mixtral-8x7b",
        name: "Mixtral-8x7B",
        arch: Arch {
            vocab: 32000,
            max_context: 32768,
            moe: Some(Moe { experts: 8, active: 2, shared: 0, expert_ffn: 14336, dense_layers: 0 }),
            ..DECODER
        },
        published_params: 46.7e9,
        published_source: "Mixtral of Experts (Jiang et al. 2024): 47B total, 13B active; hub: 46.7B",
        trained_tokens: None,
        family: "Mistral",
        shipped: "bf16",
    },
    Preset {
        id: "qwen3-30b-a3b",
        name: "Qwen3-30B-A3B",
        arch: Arch {
            layers: 48,
            hidden: 2048,
            heads: 32,
            kv_heads: 4,
            ffn: 6144,
            moe: Some(Moe { experts: 128, active: 8, shared: 0, expert_ffn: 768, dense_layers: 0 }),
            ..QWEN3
        },
        published_params: 30.5e9,
        published_source: "Qwen/Qwen3-30B-A3B model card: 30.5B total, 3.3B activated (config.json: 128 experts, 8 per token); Keras Hub qwen3_moe_30b_a3b_en: 30,532,122,624",
        trained_tokens: Some(36e12), // Qwen3 technical report: about 36 trillion tokens
        family: "Qwen3",
        shipped: "bf16",
    },
    Preset {
        id: "qwen2-0.5b",
        name: "Qwen2-0.5B",
        arch: QWEN2_SMALL,
        published_params: 0.494e9,
        published_source: "Qwen/Qwen2-0.5B config.json (24 layers, 896 wide, 14/2 heads, FFN 4864, tied); the card gives 0.35B without embeddings",
        trained_tokens: Some(12e12), // Qwen2 technical report (arXiv 2407.10671), Table 1
        family: "Qwen2",
        shipped: "bf16",
    },
    Preset {
        id: "qwen2-1.5b",
        name: "Qwen2-1.5B",
        arch: Arch { layers: 28, hidden: 1536, heads: 12, head_dim: 128, ffn: 8960, ..QWEN2_SMALL },
        published_params: 1.544e9,
        published_source: "Qwen/Qwen2-1.5B config.json (28 layers, 1536 wide, 12/2 heads, FFN 8960, tied); the card gives 1.3B without embeddings",
        trained_tokens: Some(7e12),
        family: "Qwen2",
        shipped: "bf16",
    },
    Preset {
        id: "qwen2-7b",
        name: "Qwen2-7B",
        arch: Arch {
            layers: 28,
            hidden: 3584,
            heads: 28,
            kv_heads: 4,
            ffn: 18944,
            vocab: 152064,
            qkv_bias: true,
            ..DECODER
        },
        published_params: 7.6e9,
        published_source: "Qwen/Qwen2-7B model card: 7.6B (6.5B without embeddings)",
        trained_tokens: Some(7e12),
        family: "Qwen2",
        shipped: "bf16",
    },
    Preset {
        id: "qwen2-57b-a14b",
        name: "Qwen2-57B-A14B",
        arch: Arch {
            layers: 28,
            hidden: 3584,
            heads: 28,
            kv_heads: 4,
            ffn: 18944,
            vocab: 151936,
            qkv_bias: true,
            // 64 routed experts of 2560, 8 per token, and one shared expert of 20480 (= 8 × 2560).
            moe: Some(Moe { experts: 64, active: 8, shared: 8, expert_ffn: 2560, dense_layers: 0 }),
            ..DECODER
        },
        published_params: 57e9,
        published_source: "Qwen/Qwen2-57B-A14B model card: 57B total, 14B activated",
        trained_tokens: Some(4.5e12), // upcycled from a dense Qwen2 model, then 4.5T tokens (Qwen2 report)
        family: "Qwen2",
        shipped: "bf16",
    },
    Preset {
        id: "qwen2-72b",
        name: "Qwen2-72B",
        arch: Arch {
            layers: 80,
            hidden: 8192,
            heads: 64,
            kv_heads: 8,
            ffn: 29568,
            vocab: 152064,
            qkv_bias: true,
            ..DECODER
        },
        published_params: 72.7e9,
        published_source: "Qwen/Qwen2-72B config.json (80 layers, 8192 wide, 64/8 heads, FFN 29568); the card says 72B",
        trained_tokens: Some(7e12),
        family: "Qwen2",
        shipped: "bf16",
    },
    Preset {
        id: "qwen3-14b",
        name: "Qwen3-14B",
        arch: Arch { layers: 40, hidden: 5120, heads: 40, kv_heads: 8, ffn: 17408, ..QWEN3 },
        published_params: 14.8e9,
        published_source: "Qwen/Qwen3-14B model card: 14.8B (13.2B without embeddings); Keras Hub qwen3_14b_en: 14,768,307,200",
        trained_tokens: Some(36e12), // Qwen3 technical report: about 36 trillion tokens
        family: "Qwen3",
        shipped: "bf16",
    },
    Preset {
        id: "qwen2.5-7b",
        name: "Qwen2.5-7B",
        arch: Arch {
            layers: 28,
            hidden: 3584,
            heads: 28,
            kv_heads: 4,
            ffn: 18944,
            vocab: 152064,
            qkv_bias: true,
            ..DECODER
        },
        published_params: 7.61e9,
        published_source: "Qwen/Qwen2.5-7B model card: 7.61B",
        trained_tokens: Some(18e12),
        family: "Qwen2.5",
        shipped: "bf16",
    },
    Preset {
        id: "qwen2.5-72b",
        name: "Qwen2.5-72B",
        arch: Arch {
            layers: 80,
            hidden: 8192,
            heads: 64,
            kv_heads: 8,
            ffn: 29568,
            vocab: 152064,
            qkv_bias: true,
            ..DECODER
        },
        published_params: 72.7e9,
        published_source: "Qwen/Qwen2.5-72B model card: 72.7B",
        trained_tokens: Some(18e12),
        family: "Qwen2.5",
        shipped: "bf16",
    },
    Preset {
        id: "gemma-2-9b",
        name: "Gemma-2-9B",
        arch: Arch {
            layers: 42,
            hidden: 3584,
            heads: 16,
            kv_heads: 8,
            head_dim: 256,
            ffn: 14336,
            vocab: 256000,
            tied_embeddings: true,
            max_context: 8192,
            sliding_window: Some(SlidingWindow { window: 4096, local_layers: 21 }),
            norms_per_layer: 4,
            ..DECODER
        },
        published_params: 9.24e9,
        published_source: "google/gemma-2-9b: 9.24B (safetensors metadata)",
        trained_tokens: Some(8e12),
        family: "Gemma 2",
        shipped: "bf16",
    },
    Preset {
        id: "phi-3-mini",
        name: "Phi-3-mini-4k",
        arch: Arch {
            layers: 32,
            hidden: 3072,
            heads: 32,
            kv_heads: 32,
            head_dim: 96,
            ffn: 8192,
            vocab: 32064,
            max_context: 4096,
            fused: true,
            ..DECODER
        },
        published_params: 3.8e9,
        published_source: "Phi-3 technical report (Abdin et al. 2024): 3.8B",
        trained_tokens: Some(3.3e12),
        family: "Phi-3",
        shipped: "bf16",
    },
    Preset {
        id: "deepseek-v3",
        name: "DeepSeek-V3",
        arch: DEEPSEEK_V3,
        published_params: 671e9,
        published_source: "DeepSeek-V3 technical report: 671B total, 37B active (MTP module excluded)",
        trained_tokens: Some(14.8e12),
        family: "DeepSeek-V3",
        shipped: "fp8_e4m3",
    },
    Preset {
        id: "qwen3-0.6b",
        name: "Qwen3-0.6B",
        arch: Arch { layers: 28, hidden: 1024, heads: 16, kv_heads: 8, ffn: 3072, tied_embeddings: true, ..QWEN3 },
        published_params: 0.6e9,
        published_source: "Qwen/Qwen3-0.6B model card: 0.6B (0.44B without embeddings); Keras Hub qwen3_0.6b_en: 596,049,920",
        trained_tokens: Some(36e12), // Qwen3 technical report: about 36 trillion tokens
        family: "Qwen3",
        shipped: "bf16",
    },
    Preset {
        id: "qwen3-1.7b",
        name: "Qwen3-1.7B",
        arch: Arch { layers: 28, hidden: 2048, heads: 16, kv_heads: 8, ffn: 6144, tied_embeddings: true, ..QWEN3 },
        // The card's 1.7B is 1.2 % under the count; Keras Hub's metadata gives it whole.
        published_params: 1_720_574_976.0,
        published_source: "Keras Hub qwen3_1.7b_en: 1,720,574,976; Qwen/Qwen3-1.7B model card: 1.7B (1.4B without embeddings)",
        trained_tokens: Some(36e12),
        family: "Qwen3",
        shipped: "bf16",
    },
    Preset {
        id: "qwen3-4b",
        name: "Qwen3-4B",
        arch: Arch { layers: 36, hidden: 2560, heads: 32, kv_heads: 8, ffn: 9728, tied_embeddings: true, ..QWEN3 },
        published_params: 4.0e9,
        published_source: "Qwen/Qwen3-4B model card: 4.0B (3.6B without embeddings); Keras Hub qwen3_4b_en: 4,022,468,096",
        trained_tokens: Some(36e12),
        family: "Qwen3",
        shipped: "bf16",
    },
    Preset {
        id: "qwen3-8b",
        name: "Qwen3-8B",
        arch: Arch { layers: 36, hidden: 4096, heads: 32, kv_heads: 8, ffn: 12288, ..QWEN3 },
        published_params: 8.2e9,
        published_source: "Qwen/Qwen3-8B model card: 8.2B; Keras Hub qwen3_8b_en: 8,190,735,360",
        trained_tokens: Some(36e12),
        family: "Qwen3",
        shipped: "bf16",
    },
    Preset {
        id: "qwen3-32b",
        name: "Qwen3-32B",
        arch: Arch { layers: 64, hidden: 5120, heads: 64, kv_heads: 8, ffn: 25600, ..QWEN3 },
        published_params: 32.8e9,
        published_source: "Qwen/Qwen3-32B model card: 32.8B (31.2B without embeddings); Keras Hub qwen3_32b_en: 32,762,123,264",
        trained_tokens: Some(36e12),
        family: "Qwen3",
        shipped: "bf16",
    },
    Preset {
        id: "qwen3-235b-a22b",
        name: "Qwen3-235B-A22B",
        arch: Arch {
            layers: 94,
            hidden: 4096,
            heads: 64,
            kv_heads: 4,
            ffn: 12288,
            moe: Some(Moe { experts: 128, active: 8, shared: 0, expert_ffn: 1536, dense_layers: 0 }),
            ..QWEN3
        },
        published_params: 235e9,
        published_source: "Qwen/Qwen3-235B-A22B model card: 235B total, 22B activated (234B without embeddings); Keras Hub qwen3_moe_235b_a22b_en: 235,093,634,560",
        trained_tokens: Some(36e12),
        family: "Qwen3",
        shipped: "bf16",
    },
    Preset {
        id: "gpt-oss-20b",
        name: "gpt-oss-20b",
        arch: GPT_OSS,
        published_params: 20.91e9,
        published_source: "gpt-oss model card (OpenAI, 2025): 20.91B total, 3.61B active; Keras Hub gpt_oss_20b_en: 20,914,757,184",
        trained_tokens: None,
        family: "gpt-oss",
        shipped: "mxfp4",
    },
    Preset {
        id: "gpt-oss-120b",
        name: "gpt-oss-120b",
        arch: Arch {
            layers: 36,
            sliding_window: Some(SlidingWindow { window: 128, local_layers: 18 }),
            moe: Some(Moe { experts: 128, active: 4, shared: 0, expert_ffn: 2880, dense_layers: 0 }),
            ..GPT_OSS
        },
        published_params: 116.83e9,
        published_source: "gpt-oss model card (OpenAI, 2025): 116.83B total, 5.13B active; Keras Hub gpt_oss_120b_en: 116,829,156,672",
        trained_tokens: None,
        family: "gpt-oss",
        shipped: "mxfp4",
    },
    Preset {
        id: "gemma-3-1b",
        name: "Gemma-3-1B",
        arch: Arch {
            layers: 26,
            hidden: 1152,
            heads: 4,
            kv_heads: 1,
            ffn: 6912,
            vocab: 262144,
            max_context: 32768,
            sliding_window: Some(SlidingWindow { window: 512, local_layers: gemma3_local(26) }),
            ..GEMMA3
        },
        published_params: 999_885_952.0,
        published_source: "Keras Hub gemma3_1b: 999,885,952; google/gemma-3-1b model card: 1B",
        trained_tokens: Some(2e12), // Gemma 3 model card: 2T tokens for 1B
        family: "Gemma 3",
        shipped: "bf16",
    },
    Preset {
        id: "gemma-3-4b",
        name: "Gemma-3-4B",
        arch: Arch {
            layers: 34,
            hidden: 2560,
            heads: 8,
            kv_heads: 4,
            ffn: 10240,
            sliding_window: Some(SlidingWindow { window: 1024, local_layers: gemma3_local(34) }),
            ..GEMMA3
        },
        published_params: 3_880_099_328.0,
        published_source: "Keras Hub gemma3_4b_text: 3,880,099,328 (text model; 4,299,915,632 with the vision encoder, the card's 4B)",
        trained_tokens: Some(4e12),
        family: "Gemma 3",
        shipped: "bf16",
    },
    Preset {
        id: "gemma-3-12b",
        name: "Gemma-3-12B",
        arch: Arch {
            layers: 48,
            hidden: 3840,
            heads: 16,
            kv_heads: 8,
            ffn: 15360,
            sliding_window: Some(SlidingWindow { window: 1024, local_layers: gemma3_local(48) }),
            ..GEMMA3
        },
        published_params: 11_765_788_416.0,
        published_source: "Keras Hub gemma3_12b_text: 11,765,788,416 (text model; 12,187,079,280 with the vision encoder, the card's 12B)",
        trained_tokens: Some(12e12),
        family: "Gemma 3",
        shipped: "bf16",
    },
    Preset {
        id: "gemma-3-27b",
        name: "Gemma-3-27B",
        arch: Arch {
            layers: 62,
            hidden: 5376,
            heads: 32,
            kv_heads: 16,
            head_dim: 128,
            ffn: 21504,
            sliding_window: Some(SlidingWindow { window: 1024, local_layers: gemma3_local(62) }),
            ..GEMMA3
        },
        published_params: 27_009_002_240.0,
        published_source: "Keras Hub gemma3_27b_text: 27,009,002,240 (text model; 27,432,062,576 with the vision encoder, the card's 27B)",
        trained_tokens: Some(14e12),
        family: "Gemma 3",
        shipped: "bf16",
    },
    Preset {
        id: "llama-4-scout",
        name: "Llama-4-Scout-17B-16E",
        arch: Arch { max_context: 10485760, ..LLAMA4 },
        published_params: 109e9,
        published_source: "meta-llama/Llama-4-Scout-17B-16E model card: 17B active, 109B total (the total counts the vision encoder, which this text model leaves out)",
        trained_tokens: None,
        family: "Llama 4",
        shipped: "bf16",
    },
    Preset {
        id: "llama-4-maverick",
        name: "Llama-4-Maverick-17B-128E",
        arch: Arch {
            max_context: 1048576,
            // MoE in every other layer (`interleave_moe_layer_step` 2); the count does not depend
            // on which layers, so the 24 dense ones are put first.
            moe: Some(Moe { experts: 128, active: 1, shared: 1, expert_ffn: 8192, dense_layers: 24 }),
            ..LLAMA4
        },
        published_params: 400e9,
        published_source: "meta-llama/Llama-4-Maverick-17B-128E model card: 17B active, 400B total",
        trained_tokens: None,
        family: "Llama 4",
        shipped: "bf16",
    },
    Preset {
        id: "deepseek-r1",
        name: "DeepSeek-R1",
        arch: DEEPSEEK_V3,
        published_params: 671e9,
        published_source: "deepseek-ai/DeepSeek-R1 model card: 671B total, 37B activated (DeepSeek-V3-Base, RL-trained)",
        trained_tokens: Some(14.8e12), // its base, DeepSeek-V3-Base
        family: "DeepSeek-V3",
        shipped: "fp8_e4m3",
    },
    Preset {
        id: "kimi-k2",
        name: "Kimi K2",
        arch: Arch {
            heads: 64,
            kv_heads: 64,
            vocab: 163840,
            max_context: 131072,
            moe: Some(Moe { experts: 384, active: 8, shared: 1, expert_ffn: 2048, dense_layers: 1 }),
            ..DEEPSEEK_V3
        },
        published_params: 1.04e12,
        published_source: "Kimi K2 technical report: 1.04T total, 32B activated (the moonshotai/Kimi-K2-Instruct card rounds to 1T)",
        trained_tokens: Some(15.5e12), // Kimi K2 card and report: 15.5T tokens
        family: "Kimi K2",
        shipped: "fp8_e4m3",
    },
    Preset {
        id: "phi-4",
        name: "Phi-4",
        arch: Arch {
            layers: 40,
            hidden: 5120,
            heads: 40,
            kv_heads: 10,
            ffn: 17920,
            vocab: 100352,
            max_context: 16384,
            fused: true,
            ..DECODER
        },
        published_params: 14e9,
        published_source: "microsoft/phi-4 model card: 14B; Phi-4 technical report (Abdin et al. 2024)",
        trained_tokens: Some(9.8e12), // model card: 9.8T tokens
        family: "Phi-4",
        shipped: "bf16",
    },
    Preset {
        id: "mistral-small-3.1-24b",
        name: "Mistral-Small-3.1-24B",
        arch: Arch { layers: 40, hidden: 5120, ffn: 32768, vocab: 131072, ..DECODER },
        published_params: 23_572_403_200.0,
        published_source: "Keras Hub magistral_small_2506_en: 23,572,403,200 (Magistral Small, this text model fine-tuned); mistralai/Mistral-Small-3.1-24B-Instruct-2503 card: 24B with the vision encoder",
        trained_tokens: None,
        family: "Mistral Small 3",
        shipped: "bf16",
    },
    Preset {
        id: "glm-4.5-air",
        name: "GLM-4.5-Air",
        arch: Arch {
            layers: 46,
            hidden: 4096,
            heads: 96,
            kv_heads: 8,
            ffn: 10944,
            vocab: 151552,
            qkv_bias: true,
            moe: Some(Moe { experts: 128, active: 8, shared: 1, expert_ffn: 1408, dense_layers: 1 }),
            ..DECODER
        },
        published_params: 106e9,
        published_source: "zai-org/GLM-4.5 README and GLM-4.5-Air card: 106B total, 12B active (MTP layer excluded)",
        trained_tokens: None,
        family: "GLM-4.5",
        shipped: "bf16",
    },
];

thread_local! {
    /// Counts by the preset's position in [`PRESETS`]: the chart asks for them for every preset
    /// and every swept count on each edit, so a lookup must not hash the id.
    static COUNTS: std::cell::RefCell<Vec<Option<(u64, u64)>>> = std::cell::RefCell::new(vec![None; PRESETS.len()]);
    /// The raw-count templates with their total counts, in [`RAW_COUNT_TEMPLATES`] order.
    static TEMPLATES: Vec<(&'static Preset, f64)> =
        RAW_COUNT_TEMPLATES.iter().filter_map(|id| preset(id)).map(|p| (p, p.counts().0 as f64)).collect();
}

impl Preset {
    /// Total and active parameters of the architecture, memoized (each is a walk of the
    /// tensor list).
    pub fn counts(&self) -> (u64, u64) {
        let slot = PRESETS.iter().position(|p| std::ptr::eq(p, self));
        if let Some(c) = slot.and_then(|i| COUNTS.with(|c| c.borrow()[i])) {
            return c;
        }
        let c = (self.arch.params(), self.arch.active_params());
        if let Some(i) = slot {
            COUNTS.with(|m| m.borrow_mut()[i] = Some(c));
        }
        c
    }
}

pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// Raw parameter counts borrow the layout of the nearest Llama-3 model (by log size): these.
pub const RAW_COUNT_TEMPLATES: [&str; 5] =
    ["llama-3.2-1b", "llama-3.2-3b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b"];

/// The template preset for a raw count, and the ratio count / template count.
pub fn raw_template(params: u64) -> (&'static Preset, f64) {
    let n = params.max(1) as f64;
    // Nearest by |ln(n / c)|, compared as max(n / c, c / n) without the logarithm.
    let far = |c: f64| (n / c).max(c / n);
    let best = TEMPLATES.with(|t| t.iter().copied().min_by(|a, b| far(a.1).total_cmp(&far(b.1))));
    let (p, c) = best.unwrap_or_else(|| (&PRESETS[0], PRESETS[0].counts().0 as f64));
    (p, n / c)
}

/// What a configuration names: a preset, a bare parameter count, or a decoder architecture
/// spelled out (one read from a file's tensor list). `Custom` holds its `Arch` inline (over
/// clippy's 200 bytes on wasm32 since `Arch::qk_norm`): a `ModelRef` is `Copy`, and a box would
/// cost that.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ModelRef {
    Preset(&'static Preset),
    Count(u64),
    Custom(Arch),
    /// A preset's layout and training tokens, scaled to another count (the slider moved off it):
    /// `llama-3.1-70b:71.1B` in the link.
    Scaled(&'static Preset, u64),
}

/// Link text of a custom decoder: `arch-L32-H4096-A32-K8-D128-F14336-V128256-T0-C8192-N2`, then
/// `-B1` for q/k/v biases, `-Q1` for q/k norms and `-E<experts>x<active>x<expert ffn>x<shared>x<dense layers>` for a
/// mixture of experts. Letters: layers, hidden, attention heads, KV heads, head size, FFN width,
/// vocabulary, tied embeddings, context, norms per layer.
pub const ARCH_PREFIX: &str = "arch-";

impl Arch {
    /// Whether [`Arch::encode`] can spell this architecture (plain decoders, with or without MoE).
    pub fn linkable(&self) -> bool {
        self.style == Style::Decoder
            && self.mla.is_none()
            && self.sliding_window.is_none()
            && !self.fused
            && self.positions == 0
            && self.type_vocab == 0
    }

    pub fn encode(&self) -> String {
        let mut s = format!(
            "{ARCH_PREFIX}L{}-H{}-A{}-K{}-D{}-F{}-V{}-T{}-C{}-N{}",
            self.layers,
            self.hidden,
            self.heads,
            self.kv_heads,
            self.head_dim,
            self.ffn,
            self.vocab,
            u8::from(self.tied_embeddings),
            self.max_context,
            self.norms_per_layer
        );
        if self.qkv_bias {
            s.push_str("-B1");
        }
        if self.qk_norm {
            s.push_str("-Q1");
        }
        if let Some(m) = self.moe {
            s.push_str(&format!("-E{}x{}x{}x{}x{}", m.experts, m.active, m.expert_ffn, m.shared, m.dense_layers));
        }
        s
    }

    /// Reads [`Arch::encode`]'s text, every field within limits, the whole model at most
    /// 100T parameters.
    pub fn decode(text: &str) -> Result<Arch, Msg> {
        let t = text.trim();
        let bad = |why: Msg| msg!(err_custom, crate::core::text::units::clip(t), why);
        let body = t.strip_prefix(ARCH_PREFIX).ok_or_else(|| bad(msg!(err_arch_prefix)))?;
        let mut a = Arch { tied_embeddings: false, qkv_bias: false, moe: None, ..DECODER };
        let mut seen = String::new();
        for part in body.split('-') {
            // After the first character, whatever its width (a link can carry any text).
            let (k, v) = part.split_at(part.chars().next().map_or(0, char::len_utf8));
            let num = |max: u64| -> Result<u64, Msg> {
                v.parse::<u64>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| bad(msg!(err_arch_range, format!("{k}{v}"), max)))
            };
            match k {
                "L" => a.layers = num(1000)? as u32,
                "H" => a.hidden = num(1 << 17)?,
                "A" => a.heads = num(1 << 10)?,
                "K" => a.kv_heads = num(1 << 10)?,
                "D" => a.head_dim = num(1 << 10)?,
                "F" => a.ffn = num(1 << 20)?,
                "V" => a.vocab = num(1 << 22)?,
                "C" => a.max_context = num(1 << 27)?,
                "N" => a.norms_per_layer = num(8)?,
                "T" | "B" | "Q" => {
                    let on = match v {
                        "0" => false,
                        "1" => true,
                        _ => return Err(bad(msg!(err_arch_flag, format!("{k}{v}"), k))),
                    };
                    match k {
                        "T" => a.tied_embeddings = on,
                        "B" => a.qkv_bias = on,
                        _ => a.qk_norm = on,
                    }
                }
                "E" => {
                    let n: Vec<u64> = v.split('x').map(|x| x.parse::<u64>().unwrap_or(u64::MAX)).collect();
                    let [experts, active, expert_ffn, shared, dense] = n[..] else {
                        return Err(bad(msg!(err_arch_moe)));
                    };
                    if !(2..=1024).contains(&experts)
                        || !(1..=experts).contains(&active)
                        || !(1..=1 << 20).contains(&expert_ffn)
                        || shared > 16
                        || dense > 1000
                    {
                        return Err(bad(msg!(err_arch_moe_range, v)));
                    }
                    a.moe = Some(Moe { experts, active, shared, expert_ffn, dense_layers: dense as u32 });
                }
                _ => return Err(bad(msg!(err_arch_unknown, crate::core::text::units::clip(part)))),
            }
            if seen.contains(k) {
                return Err(bad(msg!(err_arch_twice, k)));
            }
            seen.push_str(k);
        }
        if let Some(missing) = "LHAKDFVTCN".chars().find(|c| !seen.contains(*c)) {
            return Err(bad(msg!(err_arch_missing, missing.to_string())));
        }
        if a.kv_heads > a.heads || a.moe.is_some_and(|m| m.dense_layers > a.layers) {
            return Err(bad(msg!(err_arch_heads)));
        }
        // The count in 128-bit arithmetic first: a hostile link must not overflow the tensor walk.
        let l = u128::from(a.layers);
        let (h, f, v) = (u128::from(a.hidden), u128::from(a.ffn), u128::from(a.vocab));
        let q = u128::from(a.heads * a.head_dim);
        let e = a.moe.map_or(1, |m| u128::from(m.experts + m.shared) * u128::from(m.expert_ffn).max(1));
        let rough = 2 * v * h + l * (2 * q * h + 2 * h * q + 3 * h * f.max(e));
        if rough > u128::from(crate::core::text::units::MAX_PARAMS) {
            return Err(bad(msg!(err_arch_big)));
        }
        Ok(a)
    }
}

impl ModelRef {
    /// The id used in links: a preset id, or the count in canonical text (`7B`).
    pub fn encode(&self) -> String {
        match self {
            ModelRef::Preset(p) => p.id.to_string(),
            ModelRef::Count(n) => crate::core::text::units::format_count(*n),
            ModelRef::Custom(a) => a.encode(),
            ModelRef::Scaled(p, n) => format!("{}:{}", p.id, crate::core::text::units::format_count(*n)),
        }
    }

    /// `model` moved to `n` parameters: a preset (or a scaled one) keeps its layout and tokens,
    /// and becomes itself again at its own count; anything else is a raw count.
    pub fn with_count(&self, n: u64) -> ModelRef {
        match self {
            ModelRef::Preset(p) | ModelRef::Scaled(p, _) if p.arch.params() == n => ModelRef::Preset(p),
            ModelRef::Preset(p) | ModelRef::Scaled(p, _) => ModelRef::Scaled(p, n),
            _ => ModelRef::Count(n),
        }
    }

    /// The preset whose layout this model uses, if it names one.
    pub fn preset(&self) -> Option<&'static Preset> {
        match self {
            ModelRef::Preset(p) | ModelRef::Scaled(p, _) => Some(p),
            _ => None,
        }
    }

    /// A preset id (case-insensitive), a preset scaled to a count (`llama-3.1-70b:71.1B`), or a
    /// count.
    pub fn parse(text: &str) -> Result<ModelRef, Msg> {
        let t = text.trim().to_ascii_lowercase();
        if let Some(p) = preset(&t) {
            return Ok(ModelRef::Preset(p));
        }
        if let Some((id, count)) = t.split_once(':') {
            let p = preset(id).ok_or_else(|| msg!(err_model, crate::core::text::units::clip(text)))?;
            return crate::core::text::units::parse_count(count).map(|n| ModelRef::Preset(p).with_count(n));
        }
        if t.starts_with(ARCH_PREFIX) {
            return Arch::decode(text.trim()).map(ModelRef::Custom);
        }
        crate::core::text::units::parse_count(&t).map(ModelRef::Count).map_err(|e| {
            if t.starts_with(|c: char| c.is_ascii_alphabetic()) {
                msg!(err_model, crate::core::text::units::clip(text))
            } else {
                e
            }
        })
    }

    /// The architecture the footprint is computed on, the factor from its count to this
    /// model's, and the template's name when the layout is borrowed (raw counts).
    pub fn layout(&self) -> (Arch, f64, Option<&'static str>) {
        match self {
            ModelRef::Preset(p) => (p.arch, 1.0, None),
            ModelRef::Count(n) => {
                let (t, r) = raw_template(*n);
                (t.arch, r, Some(t.name))
            }
            ModelRef::Custom(a) => (*a, 1.0, None),
            ModelRef::Scaled(p, n) => (p.arch, *n as f64 / p.counts().0.max(1) as f64, Some(p.name)),
        }
    }

    /// Total and active parameters of the layout (a raw count's template, unscaled).
    pub fn layout_counts(&self) -> (u64, u64) {
        match self {
            ModelRef::Preset(p) => p.counts(),
            ModelRef::Count(n) => raw_template(*n).0.counts(),
            ModelRef::Custom(a) => (a.params(), a.active_params()),
            ModelRef::Scaled(p, _) => p.counts(),
        }
    }

    pub fn label(&self) -> String {
        self.label_in(Lang::En.strings())
    }

    pub fn label_in(&self, t: &Strings) -> String {
        use crate::core::text::units::human_count;
        match self {
            ModelRef::Preset(p) => p.name.to_string(),
            ModelRef::Count(n) => fill(t.n_parameters, &[&human_count(*n)]),
            ModelRef::Custom(a) => fill(t.custom_model, &[&a.layers.to_string(), &human_count(a.params())]),
            ModelRef::Scaled(p, n) => fill(t.scaled_model, &[p.name, &human_count(*n)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Off a preset and back: the slider's steps keep the preset's layout and tokens, and its own
    /// count is the preset again; the link writes `id:count` and reads it back.
    #[test]
    fn a_scaled_preset_keeps_its_layout_and_comes_back() {
        let p = preset("llama-3.1-70b").unwrap();
        let m = ModelRef::Preset(p).with_count(71_100_000_000);
        assert_eq!(m, ModelRef::Scaled(p, 71_100_000_000));
        assert_eq!(m.encode(), "llama-3.1-70b:71.1B");
        assert_eq!(ModelRef::parse("Llama-3.1-70B:71.1B"), Ok(m));
        assert_eq!(m.with_count(p.arch.params()), ModelRef::Preset(p));
        assert_eq!(ModelRef::parse(&format!("llama-3.1-70b:{}", p.arch.params())), Ok(ModelRef::Preset(p)));
        let (arch, ratio, name) = m.layout();
        assert_eq!((arch, name), (p.arch, Some("Llama-3.1-70B")));
        assert!((ratio - 71.1e9 / p.arch.params() as f64).abs() < 1e-12);
        assert_eq!(m.label(), "Llama-3.1-70B scaled to 71.1B");
        // A raw count stays a raw count; a bad preset or count is refused.
        assert_eq!(ModelRef::Count(7).with_count(8), ModelRef::Count(8));
        assert!(ModelRef::parse("nope:7B").is_err() && ModelRef::parse("llama-3.1-70b:x").is_err());
    }

    /// The new presets' counts, written out from their config.json files.
    #[test]
    fn gpt2_distil_and_llama_2_counts_by_hand() {
        let count = |id: &str| preset(id).unwrap().arch.params();
        // GPT-2: wte 50257·768 + wpe 1024·768 + 12 × (c_attn 768·2304 + 2304, c_proj 768·768 + 768,
        // c_fc 768·3072 + 3072, c_proj 3072·768 + 768, ln_1 and ln_2 2·2·768) + ln_f 2·768.
        let layer = 768 * 2304 + 2304 + 768 * 768 + 768 + 768 * 3072 + 3072 + 3072 * 768 + 768 + 4 * 768;
        assert_eq!(layer, 7_087_872);
        assert_eq!(count("gpt2"), 50257 * 768 + 1024 * 768 + 12 * layer + 2 * 768);
        assert_eq!(count("gpt2"), 124_439_808);
        assert_eq!(count("distilgpt2"), 50257 * 768 + 1024 * 768 + 6 * layer + 2 * 768);
        assert_eq!(count("distilgpt2"), 81_912_576);
        // DistilBERT: word 30522·768 + position 512·768 + LayerNorm 2·768 + 6 layers of the same
        // shape as GPT-2's (q, k, v, out with biases = one 768·2304 + 768·768 and their biases).
        assert_eq!(count("distilbert-base"), 30522 * 768 + 512 * 768 + 2 * 768 + 6 * layer);
        assert_eq!(count("distilbert-base"), 66_362_880);
        // Llama 2: 32000·4096·2 + 32 × (4·4096² + 3·4096·11008 + 2·4096) + 4096.
        assert_eq!(count("llama-2-7b"), 6_738_415_616);
        assert_eq!(
            count("llama-2-13b"),
            32000 * 5120 * 2 + 40 * (4 * 5120 * 5120 + 3 * 5120 * 13824 + 2 * 5120) + 5120
        );
        assert_eq!(count("llama-2-13b"), 13_015_864_320);
        assert!(preset("gpt2").unwrap().arch.has_kv_cache() && !preset("distilbert-base").unwrap().arch.has_kv_cache());
    }

    /// Hand sums for Llama-3.1-8B: per layer q, o (4096²), k, v (1024×4096), three FFN matrices
    /// (14336×4096) and two norms; plus embedding, head and final norm.
    #[test]
    fn llama_3_1_8b_by_hand() {
        let layer = 2 * 4096 * 4096 + 2 * 1024 * 4096 + 3 * 14336 * 4096 + 2 * 4096;
        let total = 32 * layer + 2 * 128256 * 4096 + 4096;
        assert_eq!(preset("llama-3.1-8b").unwrap().arch.params(), total);
        assert_eq!(total, 8_030_261_248);
    }

    /// Mixtral's total and active counts: 46.7B and 12.9B (Mistral's announcement: 12.9B active).
    #[test]
    fn mixtral_total_and_active() {
        let a = preset("mixtral-8x7b").unwrap().arch;
        assert_eq!(a.params(), 46_702_792_704);
        assert_eq!(a.active_params(), 12_879_925_248);
    }

    /// Qwen3-30B-A3B by hand: 48 layers of attention (q 4096, k/v 512, o), a 128-way router and
    /// 128 experts of 3 × 768 × 2048, two norms and the q/k norms; untied 151,936-token embedding
    /// and head. Keras Hub's metadata for it: 30,532,122,624.
    #[test]
    fn qwen3_30b_a3b_total_and_active() {
        let a = preset("qwen3-30b-a3b").unwrap().arch;
        let attn = 2 * 2048 * 4096 + 2 * 2048 * 512;
        // Two norms of the hidden size and the q and k norms of one head each.
        let norms = 2 * 2048 + 2 * 128;
        let layer = attn + 128 * 2048 + 128 * 3 * 768 * 2048 + norms;
        let total = 48 * layer + 2 * 151936 * 2048 + 2048;
        assert_eq!(a.params(), total);
        assert_eq!(total, 30_532_122_624);
        let active_layer = attn + 128 * 2048 + 8 * 3 * 768 * 2048 + norms;
        assert_eq!(a.active_params(), 48 * active_layer + 2 * 151936 * 2048 + 2048);
    }

    /// BERT-base with pooler and MLM head: the 440,473,133-byte pytorch_model.bin holds 110.1M fp32 values.
    #[test]
    fn bert_base_by_hand() {
        let emb = 30522 * 768 + 512 * 768 + 2 * 768 + 2 * 768;
        let layer = 4 * (768 * 768 + 768) + 2 * 768 + (768 * 3072 + 3072) + (3072 * 768 + 768) + 2 * 768;
        let heads = 2 * (768 * 768 + 768) + 2 * 768 + 30522;
        assert_eq!(preset("bert-base").unwrap().arch.params(), emb + 12 * layer + heads);
        assert!(!preset("bert-base").unwrap().arch.has_kv_cache());
    }

    #[test]
    fn custom_architectures_round_trip_and_refuse_nonsense() {
        let a = preset("mixtral-8x7b").unwrap().arch;
        let text = a.encode();
        assert_eq!(text, "arch-L32-H4096-A32-K8-D128-F14336-V32000-T0-C32768-N2-E8x2x14336x0x0");
        assert_eq!(Arch::decode(&text), Ok(a));
        assert_eq!(ModelRef::parse(&text), Ok(ModelRef::Custom(a)));
        let q = preset("qwen2.5-7b").unwrap().arch;
        assert_eq!(Arch::decode(&q.encode()), Ok(q));
        for bad in [
            "arch-L32",
            "arch-L0-H4096-A32-K8-D128-F14336-V32000-T0-C32768-N2",
            "arch-L32-H4096-A32-K64-D128-F14336-V32000-T0-C32768-N2",
            "arch-L32-H4096-A32-K8-D128-F14336-V32000-T2-C32768-N2",
            "arch-L32-L32-H4096-A32-K8-D128-F14336-V32000-T0-C32768-N2",
            "arch-L1000-H131072-A1024-K8-D1024-F1048576-V4194304-T0-C32768-N2",
            "arch-L32-H4096-A32-K8-D128-F14336-V32000-T0-C32768-N2-Z9",
            "arch-L32-H4096-A32-K8-D128-F14336-V32000-T0-C32768-N2-E8x9x1x0x0",
            // A key that is not one ASCII letter (found by the fuzzer: it used to panic).
            "arch-L32-\u{fffd}4096-K32-K8-D128-F14336-V128256-T1-C8192-N1",
            "arch-é-L32",
        ] {
            assert!(Arch::decode(bad).is_err(), "{bad}");
        }
        assert!(!preset("deepseek-v3").unwrap().arch.linkable() && !preset("bert-base").unwrap().arch.linkable());
    }

    #[test]
    fn raw_counts_pick_the_nearest_llama_3() {
        assert_eq!(raw_template(8_000_000_000).0.id, "llama-3.1-8b");
        assert_eq!(raw_template(40_000_000_000).0.id, "llama-3.1-70b");
        assert_eq!(raw_template(1).0.id, "llama-3.2-1b");
        assert_eq!(raw_template(2_000_000_000_000).0.id, "llama-3.1-405b");
    }

    /// The presets with a config.json in `tests/fixtures/configs/<id>/` (SOURCES.md there says
    /// where each came from).
    const CONFIGS: [&str; 21] = [
        "qwen3-0.6b",
        "qwen3-1.7b",
        "qwen3-4b",
        "qwen3-8b",
        "qwen3-14b",
        "qwen3-32b",
        "qwen3-30b-a3b",
        "qwen3-235b-a22b",
        "gpt-oss-20b",
        "gpt-oss-120b",
        "gemma-3-1b",
        "gemma-3-4b",
        "gemma-3-12b",
        "gemma-3-27b",
        "llama-4-scout",
        "llama-4-maverick",
        "deepseek-r1",
        "kimi-k2",
        "phi-4",
        "mistral-small-3.1-24b",
        "glm-4.5-air",
    ];

    fn config(id: &str) -> serde_json::Value {
        let path = format!("{}/tests/fixtures/configs/{id}/config.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Each preset's fields are its config.json's: the text model's (`text_config` where the
    /// checkpoint also holds a vision encoder), with transformers' defaults where a key is absent
    /// (`tie_word_embeddings` false but for Gemma 3, `head_dim` = hidden / heads). What a config.json does not
    /// spell — Qwen3's and Gemma 3's q/k norms, Llama 4's shared expert — is its model type's.
    #[test]
    fn presets_match_their_config_json() {
        for id in CONFIGS {
            let root = config(id);
            let c = root.get("text_config").unwrap_or(&root);
            let int = |k: &str| c.get(k).and_then(serde_json::Value::as_u64);
            let need = |k: &str| int(k).unwrap_or_else(|| panic!("{id}: no {k}"));
            let model_type = c["model_type"].as_str().unwrap_or_default();
            let a = preset(id).unwrap_or_else(|| panic!("no preset {id}")).arch;
            let (layers, hidden, heads) = (need("num_hidden_layers"), need("hidden_size"), need("num_attention_heads"));
            assert_eq!((u64::from(a.layers), a.hidden, a.heads), (layers, hidden, heads), "{id}");
            assert_eq!(a.kv_heads, need("num_key_value_heads"), "{id}");
            assert_eq!(a.vocab, need("vocab_size"), "{id}");
            assert_eq!(a.max_context, need("max_position_embeddings"), "{id}");
            let tied = c.get("tie_word_embeddings").and_then(serde_json::Value::as_bool);
            let tied = tied.unwrap_or(model_type == "gemma3_text");
            assert_eq!(a.tied_embeddings, tied, "{id}");
            match a.mla {
                Some(m) => {
                    let mla = (m.q_lora, m.kv_lora, m.rope_dim, m.nope_dim, m.v_head_dim);
                    let want = ["q_lora_rank", "kv_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim", "v_head_dim"];
                    assert_eq!(
                        mla,
                        (need(want[0]), need(want[1]), need(want[2]), need(want[3]), need(want[4])),
                        "{id}"
                    );
                }
                None => assert_eq!(a.head_dim, int("head_dim").unwrap_or(hidden / heads), "{id}"),
            }
            let qk_norm = matches!(model_type, "qwen3" | "qwen3_moe" | "gemma3_text");
            assert_eq!(a.qk_norm, qk_norm, "{id}");
            let bias = c.get("attention_bias").and_then(serde_json::Value::as_bool).unwrap_or(false);
            assert_eq!(a.qkv_bias || a.style == Style::GptOss, bias, "{id}");
            assert_eq!(a.style == Style::GptOss, model_type == "gpt_oss", "{id}");
            assert_eq!(a.fused, model_type == "phi3", "{id}");
            // Experts: Qwen's `num_experts`, Mixtral's `num_local_experts`, DeepSeek's `n_routed_experts`.
            let experts = int("num_experts").or(int("num_local_experts")).or(int("n_routed_experts"));
            match (a.moe, experts) {
                (None, None) => assert_eq!(a.ffn, need("intermediate_size"), "{id}"),
                (Some(m), Some(e)) => {
                    assert_eq!((m.experts, m.active), (e, need("num_experts_per_tok")), "{id}");
                    let llama4 = model_type == "llama4_text";
                    // Llama 4 and gpt-oss call the expert's width `intermediate_size`; Llama 4's
                    // dense layers are `intermediate_size_mlp` wide, every `interleave_moe_layer_step`-th
                    // layer is MoE, and each MoE layer has one shared expert.
                    let expert_ffn = int("moe_intermediate_size").unwrap_or_else(|| need("intermediate_size"));
                    assert_eq!(m.expert_ffn, expert_ffn, "{id}");
                    let shared = if llama4 { 1 } else { int("n_shared_experts").unwrap_or(0) };
                    assert_eq!(m.shared, shared, "{id}");
                    let dense = match int("interleave_moe_layer_step") {
                        Some(step) => layers - layers / step,
                        None => int("first_k_dense_replace").unwrap_or(0),
                    };
                    assert_eq!(u64::from(m.dense_layers), dense, "{id}");
                    if dense > 0 {
                        let ffn = if llama4 { need("intermediate_size_mlp") } else { need("intermediate_size") };
                        assert_eq!(a.ffn, ffn, "{id}");
                    }
                }
                (moe, experts) => panic!("{id}: {moe:?} against {experts:?} experts"),
            }
            // Sliding windows: gpt-oss lists its layers; Gemma 3 slides on five layers of six.
            let local =
                match (c.get("layer_types").and_then(serde_json::Value::as_array), int("sliding_window_pattern")) {
                    (Some(types), _) => types.iter().filter(|t| t.as_str() == Some("sliding_attention")).count() as u64,
                    (None, Some(pattern)) => layers - layers / pattern,
                    (None, None) => 0,
                };
            let window = int("sliding_window").filter(|_| local > 0);
            let sliding = a.sliding_window.map(|w| (w.window, u64::from(w.local_layers)));
            assert_eq!(sliding, window.map(|w| (w, local)), "{id}");
        }
    }

    /// The counts Keras Hub's preset metadata gives for the same weights, to the parameter: the
    /// text models of Qwen3, gpt-oss, Gemma 3 1B and Magistral Small (Mistral Small 3.1's text
    /// model fine-tuned). Keras keeps Gemma 3's 262,144 tokens where the Hugging Face checkpoints
    /// of 4B and up have 262,208 embedding rows: 64 rows more.
    #[test]
    fn counts_equal_keras_hubs() {
        let count = |id: &str| preset(id).unwrap().arch.params();
        for (id, keras) in [
            ("qwen3-0.6b", 596_049_920),
            ("qwen3-1.7b", 1_720_574_976),
            ("qwen3-4b", 4_022_468_096),
            ("qwen3-8b", 8_190_735_360),
            ("qwen3-14b", 14_768_307_200),
            ("qwen3-32b", 32_762_123_264),
            ("qwen3-30b-a3b", 30_532_122_624),
            ("qwen3-235b-a22b", 235_093_634_560),
            ("gpt-oss-20b", 20_914_757_184),
            ("gpt-oss-120b", 116_829_156_672),
            ("gemma-3-1b", 999_885_952),
            ("mistral-small-3.1-24b", 23_572_403_200),
        ] {
            assert_eq!(count(id), keras, "{id}");
        }
        for (id, keras) in
            [("gemma-3-4b", 3_880_099_328), ("gemma-3-12b", 11_765_788_416), ("gemma-3-27b", 27_009_002_240)]
        {
            assert_eq!(count(id), keras + 64 * preset(id).unwrap().arch.hidden, "{id}");
        }
    }

    /// Active counts against the cards. gpt-oss's card leaves the input embedding out (a lookup);
    /// GLM's 12B leaves the embedding and the head out.
    #[test]
    fn active_counts_match_the_cards() {
        let within = |x: f64, y: f64, tol: f64| (x / y - 1.0).abs() <= tol;
        let active = |id: &str| preset(id).unwrap().arch.active_params() as f64;
        let embedding = |id: &str| {
            let a = preset(id).unwrap().arch;
            (a.vocab * a.hidden) as f64
        };
        for (id, card, without, tol) in [
            // The card's 3.3B; the layout gives 3.35B.
            ("qwen3-30b-a3b", 3.3e9, 0.0, 0.02),
            ("qwen3-235b-a22b", 22e9, 0.0, 0.02),
            ("gpt-oss-20b", 3.61e9, 1.0, 0.01),
            ("gpt-oss-120b", 5.13e9, 1.0, 0.01),
            ("llama-4-scout", 17e9, 0.0, 0.02),
            ("llama-4-maverick", 17e9, 0.0, 0.02),
            ("deepseek-r1", 37e9, 0.0, 0.02),
            // The card's 32B; the layout gives 32.9B.
            ("kimi-k2", 32e9, 0.0, 0.03),
            ("glm-4.5-air", 12e9, 2.0, 0.02),
        ] {
            let n = active(id) - without * embedding(id);
            println!("{id:<18} {n:>16} active, card {card:e} ({:+.2} %)", (n / card - 1.0) * 100.0);
            assert!(within(n, card, tol), "{id}: {n} active vs {card}");
        }
        // gpt-oss-20b by hand: attention with its biases and 64 sinks, router with bias, 4 of 32
        // experts (gate, up: 2880 × 2880 each with bias; down likewise), two norms, 24 layers.
        let attn = 2 * 2880 * 4096 + 2 * 2880 * 512 + (4096 + 2 * 512 + 2880) + 64;
        let expert = 3 * 2880 * 2880 + 3 * 2880;
        let layer = attn + 32 * 2880 + 32 + 4 * expert + 2 * 2880;
        assert_eq!(preset("gpt-oss-20b").unwrap().arch.active_params(), 24 * layer + 2 * 201088 * 2880 + 2880);
    }

    /// A q/k norm is two vectors of one head per layer, and the link carries it.
    #[test]
    fn qk_norms_count_and_round_trip() {
        let q = preset("qwen3-8b").unwrap().arch;
        let plain = Arch { qk_norm: false, ..q };
        assert_eq!(q.params() - plain.params(), 36 * 2 * 128);
        assert!(q.linkable());
        assert!(q.encode().ends_with("-Q1"), "{}", q.encode());
        assert_eq!(Arch::decode(&q.encode()), Ok(q));
        assert!(Arch::decode("arch-L32-H4096-A32-K8-D128-F14336-V128256-T0-C8192-N2-Q2").is_err());
    }
}
