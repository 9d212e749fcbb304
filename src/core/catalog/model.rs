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
}

/// What a layer that does not attend to the whole context does instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalKind {
    /// Sliding-window attention: each token sees the last `window` tokens, so a layer caches at
    /// most that many (Gemma 2 and 3, gpt-oss).
    Sliding(u64),
    /// Chunked attention: tokens see only their own chunk of this many tokens, so a layer caches
    /// at most one chunk (Llama 4's RoPE layers; its NoPE layers attend to everything).
    Chunked(u64),
    /// Gated DeltaNet linear attention (Qwen3-Next): no KV cache, a fixed state per sequence.
    DeltaNet(DeltaNet),
}

/// A Gated DeltaNet layer's sizes (Qwen3-Next's `linear_*` fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeltaNet {
    pub key_heads: u64,
    pub value_heads: u64,
    pub key_dim: u64,
    pub value_dim: u64,
    /// Width of the short causal convolution over q, k and v.
    pub conv: u64,
}

impl DeltaNet {
    /// Channels the convolution runs over: q and k (key heads × key size each) and v.
    pub fn conv_channels(&self) -> u64 {
        2 * self.key_heads * self.key_dim + self.value_heads * self.value_dim
    }

    /// Elements of one sequence's state in one layer: the convolution's last `conv - 1` inputs
    /// per channel, and one key × value matrix per value head (llama.cpp's `n_embd_r` and
    /// `n_embd_s`, src/llama-hparams.cpp).
    pub fn state_elems(&self) -> (u64, u64) {
        (self.conv.saturating_sub(1) * self.conv_channels(), self.value_heads * self.key_dim * self.value_dim)
    }
}

/// The layers that do not attend to the whole context, as a repeating pattern: of every
/// `period` layers the last attends to everything and the others are `kind` (Gemma 3: 5 of 6
/// sliding; gpt-oss and Gemma 2: every other, from the first; Llama 4: 3 of 4 chunked; Qwen3-Next:
/// 3 of 4 DeltaNet). `period` 0: every layer is `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Local {
    pub kind: LocalKind,
    pub period: u32,
}

impl Local {
    pub fn is_local(&self, layer: u32) -> bool {
        self.period == 0 || !(layer + 1).is_multiple_of(self.period)
    }

    /// How many of `layers` are local.
    pub fn count(&self, layers: u32) -> u32 {
        layers - layers.checked_div(self.period).unwrap_or(0)
    }
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
    /// After those, every `every`th layer has the experts and the others a dense FFN (Llama 4
    /// Maverick's `interleave_moe_layer_step` 2; 1 for most).
    pub every: u32,
}

impl Moe {
    pub fn on(&self, layer: u32) -> bool {
        layer >= self.dense_layers && (layer + 1).is_multiple_of(self.every.max(1))
    }
}

/// A Mamba layer's sizes, as llama.cpp names them (`ssm_d_inner`, `ssm_d_state`, `ssm_d_conv`,
/// `ssm_n_group`, `ssm_dt_rank`, src/llama-hparams.h). Two versions:
/// - Mamba-2 (`heads` > 0; Nemotron-H, Granite 4.0-H, Falcon-H1): one projection in to z, x, B,
///   C (each of `groups` groups) and dt per head; the convolution over x, B and C; dt bias, A and
///   D per head; a gated RMSNorm of `inner`; the projection out.
/// - Mamba-1 (`heads` 0, `groups` 0; Jamba): in to x and z; the convolution over x; x_proj to
///   dt (rank `dt_rank`), B and C; dt_proj back up with a bias; A as `inner` × `state`, D per
///   channel; Jamba's RMSNorms on dt, B and C; the projection out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mamba {
    /// Channels of the inner stream (`expand` × hidden, or Mamba-2's heads × head size).
    pub inner: u64,
    pub heads: u64,
    pub groups: u64,
    pub state: u64,
    /// Width of the short causal convolution.
    pub conv: u64,
    pub dt_rank: u64,
    pub conv_bias: bool,
    /// Biases on the projections in and out.
    pub proj_bias: bool,
}

impl Mamba {
    /// Channels the convolution runs over: x, and Mamba-2's B and C.
    pub fn conv_channels(&self) -> u64 {
        self.inner + 2 * self.groups * self.state
    }

    /// Elements of one sequence's state in one layer: the convolution's last `conv - 1` inputs
    /// per channel, and `state` values per inner channel (llama.cpp's `n_embd_r` and `n_embd_s`,
    /// src/llama-hparams.cpp: `(ssm_d_conv - 1) * (ssm_d_inner + 2*ssm_n_group*ssm_d_state)` and
    /// `ssm_d_state * ssm_d_inner`).
    pub fn state_elems(&self) -> (u64, u64) {
        (self.conv.saturating_sub(1) * self.conv_channels(), self.state * self.inner)
    }
}

/// What mixes the tokens in one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mixer {
    /// Attention (full, or the arch's `local` kind where its pattern places it).
    Attention,
    Mamba,
    /// No mixer: an FFN-only layer (Nemotron-H's `-` and `E`).
    None,
}

/// The feed-forward part of one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ffn {
    Dense,
    Experts,
    /// None: a mixer-only layer (Nemotron-H's `M` and `*`).
    None,
}

/// The most layers a per-layer pattern holds (Nemotron-H-56B has 118).
pub const MAX_PATTERN_LAYERS: usize = 256;

/// Each layer's kind as one letter of the link: `a`/`b`/`c` attention with a dense FFN, with
/// experts, alone; `m`/`n`/`o` Mamba likewise; `f` a dense FFN alone, `e` experts alone.
const LAYER_LETTERS: [(char, Mixer, Ffn); 8] = [
    ('a', Mixer::Attention, Ffn::Dense),
    ('b', Mixer::Attention, Ffn::Experts),
    ('c', Mixer::Attention, Ffn::None),
    ('m', Mixer::Mamba, Ffn::Dense),
    ('n', Mixer::Mamba, Ffn::Experts),
    ('o', Mixer::Mamba, Ffn::None),
    ('f', Mixer::None, Ffn::Dense),
    ('e', Mixer::None, Ffn::Experts),
];

/// Every layer's mixer and FFN, written out where the layers do not follow a rule of `local`
/// and `moe` (Jamba's attention every 8th from the 5th, Nemotron-H's `hybrid_override_pattern`,
/// Granite 4.0-H's `layer_types`). Four bits a layer, so `Arch` stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern {
    len: u16,
    codes: [u8; MAX_PATTERN_LAYERS / 2],
}

impl Pattern {
    /// `None` when empty or longer than [`MAX_PATTERN_LAYERS`].
    pub fn new(layers: &[(Mixer, Ffn)]) -> Option<Pattern> {
        if layers.is_empty() || layers.len() > MAX_PATTERN_LAYERS {
            return None;
        }
        let mut p = Pattern { len: layers.len() as u16, codes: [0; MAX_PATTERN_LAYERS / 2] };
        for (i, l) in layers.iter().enumerate() {
            let code = LAYER_LETTERS.iter().position(|(_, m, f)| (*m, *f) == *l)? as u8;
            p.codes[i / 2] |= code << (4 * (i % 2));
        }
        Some(p)
    }

    /// One letter of the link's alphabet per layer, for the presets (a wrong letter does not compile).
    pub const fn of_letters(letters: &str) -> Pattern {
        let b = letters.as_bytes();
        assert!(!b.is_empty() && b.len() <= MAX_PATTERN_LAYERS);
        let mut p = Pattern { len: b.len() as u16, codes: [0; MAX_PATTERN_LAYERS / 2] };
        let mut i = 0;
        while i < b.len() {
            let mut code = 0;
            while code < LAYER_LETTERS.len() && LAYER_LETTERS[code].0 as u8 != b[i] {
                code += 1;
            }
            assert!(code < LAYER_LETTERS.len(), "not a layer letter");
            p.codes[i / 2] |= (code as u8) << (4 * (i % 2));
            i += 1;
        }
        p
    }

    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Layer `i`'s mixer and FFN (the last layer's beyond the end).
    pub fn get(&self, i: usize) -> (Mixer, Ffn) {
        let i = i.min(self.len().saturating_sub(1));
        let code = (self.codes[i / 2] >> (4 * (i % 2))) & 0xf;
        let (_, m, f) = LAYER_LETTERS[usize::from(code).min(LAYER_LETTERS.len() - 1)];
        (m, f)
    }

    /// How many layers have this mixer and FFN by `test`.
    pub fn count(&self, test: impl Fn(Mixer, Ffn) -> bool) -> u32 {
        (0..self.len())
            .filter(|i| {
                let (m, f) = self.get(*i);
                test(m, f)
            })
            .count() as u32
    }

    /// Link text: the shortest repeating unit, run-length coded (`o5c`), then `x<repeats>` when it
    /// repeats: Jamba's 32 layers are `mnmnanmnx4`.
    pub fn encode(&self) -> String {
        let n = self.len();
        let unit =
            (1..=n).find(|p| n.is_multiple_of(*p) && (0..n).all(|i| self.get(i) == self.get(i % p))).unwrap_or(n);
        let mut s = String::new();
        let mut i = 0;
        while i < unit {
            let l = self.get(i);
            let run = (i..unit).take_while(|j| self.get(*j) == l).count();
            let letter = LAYER_LETTERS.iter().find(|(_, m, f)| (*m, *f) == l).map_or('a', |x| x.0);
            s.push(letter);
            if run > 1 {
                s.push_str(&run.to_string());
            }
            i += run;
        }
        if unit < n {
            s.push_str(&format!("x{}", n / unit));
        }
        s
    }

    /// Reads [`Pattern::encode`]'s text; `None` for an unknown letter, a run of 0, or more than
    /// [`MAX_PATTERN_LAYERS`] layers.
    pub fn parse(text: &str) -> Option<Pattern> {
        let (body, times) = match text.split_once('x') {
            Some((b, t)) => (b, t.parse::<usize>().ok().filter(|t| (1..=MAX_PATTERN_LAYERS).contains(t))?),
            None => (text, 1),
        };
        let mut unit = Vec::new();
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            let (_, m, f) = *LAYER_LETTERS.iter().find(|(l, _, _)| *l == c)?;
            let mut digits = String::new();
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                digits.push(d);
            }
            let run = if digits.is_empty() { 1 } else { digits.parse::<usize>().ok()? };
            if run == 0 || unit.len() + run > MAX_PATTERN_LAYERS {
                return None;
            }
            unit.extend(std::iter::repeat_n((m, f), run));
        }
        if unit.len() * times > MAX_PATTERN_LAYERS {
            return None;
        }
        Pattern::new(&unit.repeat(times))
    }
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
    /// Layers that do not attend to the whole context (sliding, chunked, linear attention).
    pub local: Option<Local>,
    /// Every layer's mixer and FFN, where they follow no rule of `local` and `moe` (hybrids with
    /// Mamba layers); without it every layer attends and `moe` places the experts.
    pub pattern: Option<Pattern>,
    /// The Mamba layers' sizes (the pattern says which layers).
    pub mamba: Option<Mamba>,
    pub mla: Option<Mla>,
    pub moe: Option<Moe>,
    pub qkv_bias: bool,
    /// A bias on the attention output too (gpt-oss's `attention_bias` covers all four).
    pub out_bias: bool,
    /// RMSNorm over each query and key head (Qwen3, Gemma 3): two head-size vectors per layer.
    pub qk_norm: bool,
    /// Gated attention output (Qwen3-Next): the query projection is twice as wide.
    pub attn_gate: bool,
    /// gpt-oss's attention sinks: one learned logit per head and layer.
    pub sinks: bool,
    /// Biases on every expert matrix (gpt-oss).
    pub expert_bias: bool,
    /// A bias of one value per expert on the router (gpt-oss's router bias, DeepSeek-V3's
    /// `e_score_correction_bias`).
    pub router_bias: bool,
    /// A one-output gate on the shared expert (Qwen2-MoE and Qwen3-Next's `shared_expert_gate`).
    pub shared_gate: bool,
    /// Phi-3 stores q, k, v as one matrix and gate, up as one.
    pub fused: bool,
    /// An FFN without a gate, up and down only (Nemotron-H's squared ReLU), experts too.
    pub plain_ffn: bool,
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
    /// A linear attention layer's projections (llama.cpp's `ssm_in`, `ssm_ba`, `ssm_out`): the
    /// scheme's base type, no special case.
    SsmLinear,
    /// A linear attention layer's short convolution (`ssm_conv1d`): attention, never quantized.
    Conv,
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
            | Kind::AttnKvB
            | Kind::SsmLinear
            | Kind::Conv => Class::Attention,
            Kind::FfnUp | Kind::FfnGate | Kind::FfnDown | Kind::Router => Class::Ffn,
            Kind::Vector => Class::Norms,
        }
    }

    /// A weight matrix of a linear layer (what GPTQ, bitsandbytes and FP8 checkpoints quantize).
    pub fn is_linear(self) -> bool {
        !matches!(
            self,
            Kind::TokenEmbd | Kind::PosEmbd | Kind::TypeEmbd | Kind::Output | Kind::Router | Kind::Vector | Kind::Conv
        )
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
            let (mixer, ffn) = self.layer(layer);
            match (mixer, self.mamba) {
                (Mixer::Mamba, Some(m)) => Self::mamba_tensors(&mut t, h, &m),
                (Mixer::Attention, _) => self.mixer(&mut t, layer, biased, q_dim, kv_dim),
                _ => {}
            }
            match (ffn, self.moe) {
                (Ffn::None, _) => {}
                (Ffn::Experts, Some(m)) => self.experts(&mut t, &m),
                _ if biased => {
                    t.linear(Kind::FfnUp, h, self.ffn, true);
                    t.linear(Kind::FfnDown, self.ffn, h, true);
                }
                _ if self.fused => {
                    t.linear(Kind::FfnUp, h, 2 * self.ffn, false);
                    t.linear(Kind::FfnDown, self.ffn, h, false);
                }
                _ => {
                    if !self.plain_ffn {
                        t.linear(Kind::FfnGate, h, self.ffn, false);
                    }
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

    /// Layer `layer`'s mixer and FFN: the pattern's, else attention with experts where `moe`
    /// puts them.
    pub fn layer(&self, layer: u32) -> (Mixer, Ffn) {
        if let Some(p) = self.pattern {
            return p.get(layer as usize);
        }
        (Mixer::Attention, if self.moe.is_some_and(|m| m.on(layer)) { Ffn::Experts } else { Ffn::Dense })
    }

    /// How many layers have this mixer and FFN by `test`.
    pub fn count_layers(&self, test: impl Fn(Mixer, Ffn) -> bool) -> u32 {
        match self.pattern {
            Some(p) => p.count(test),
            None => (0..self.layers)
                .filter(|i| {
                    let (m, f) = self.layer(*i);
                    test(m, f)
                })
                .count() as u32,
        }
    }

    /// A Mamba layer's tensors (see [`Mamba`]).
    fn mamba_tensors(t: &mut TensorList, h: u64, m: &Mamba) {
        let (inner, state) = (m.inner, m.state);
        if m.heads > 0 {
            t.linear(Kind::SsmLinear, h, 2 * inner + 2 * m.groups * state + m.heads, m.proj_bias);
            t.linear(Kind::Conv, m.conv, m.conv_channels(), m.conv_bias);
            for len in [m.heads, m.heads, m.heads, inner] {
                t.vector(len); // dt_bias, A_log, D, the gated norm
            }
        } else {
            t.linear(Kind::SsmLinear, h, 2 * inner, m.proj_bias);
            t.linear(Kind::Conv, m.conv, inner, m.conv_bias);
            t.linear(Kind::SsmLinear, inner, m.dt_rank + 2 * state, false); // x_proj
            t.linear(Kind::SsmLinear, m.dt_rank, inner, true); // dt_proj
            t.push(Kind::Vector, inner, state); // A_log
            for len in [inner, m.dt_rank, state, state] {
                t.vector(len); // D, and Jamba's norms on dt, B and C
            }
        }
        t.linear(Kind::SsmLinear, inner, h, m.proj_bias);
    }

    /// The routed experts of one layer, with their router and shared experts.
    fn experts(&self, t: &mut TensorList, m: &Moe) {
        let h = self.hidden;
        t.push(Kind::Router, m.experts, h);
        if self.router_bias {
            t.vector(m.experts);
        }
        let gate = [(Kind::FfnGate, m.expert_ffn, h)];
        let rest = [(Kind::FfnUp, m.expert_ffn, h), (Kind::FfnDown, h, m.expert_ffn)];
        let matrices = if self.plain_ffn { &gate[..0] } else { &gate[..] };
        for &(kind, rows, cols) in matrices.iter().chain(&rest) {
            t.push_n(kind, rows, cols, m.experts, true);
            if self.expert_bias {
                t.push_n(Kind::Vector, 1, rows, m.experts, true);
            }
            if m.shared > 0 {
                t.push_n(kind, rows, cols, m.shared, false);
            }
        }
        if self.shared_gate && m.shared > 0 {
            t.push(Kind::Router, 1, h);
        }
    }

    /// One attention layer's tensors, or Gated DeltaNet's where `local` puts it.
    fn mixer(&self, t: &mut TensorList, layer: u32, biased: bool, q_dim: u64, kv_dim: u64) {
        let h = self.hidden;
        match self.local.filter(|l| l.is_local(layer)).map(|l| l.kind) {
            Some(LocalKind::DeltaNet(d)) => {
                // Qwen3-Next's Gated DeltaNet: q, k, v and the output gate z in one projection,
                // the per-head beta and alpha in another, the convolution over q, k and v,
                // A_log and dt_bias per value head, a gated RMSNorm of the value size, out.
                let (kd, vd) = (d.key_heads * d.key_dim, d.value_heads * d.value_dim);
                t.linear(Kind::SsmLinear, h, 2 * kd + 2 * vd, false);
                t.linear(Kind::SsmLinear, h, 2 * d.value_heads, false);
                t.push(Kind::Conv, d.conv_channels(), d.conv);
                t.vector(d.value_heads);
                t.vector(d.value_heads);
                t.vector(d.value_dim);
                t.linear(Kind::SsmLinear, vd, h, false);
            }
            _ => self.attention(t, biased, q_dim, kv_dim),
        }
    }

    /// One attention layer's tensors: MLA's low-rank projections, or q, k, v and the output.
    fn attention(&self, t: &mut TensorList, biased: bool, q_dim: u64, kv_dim: u64) {
        let h = self.hidden;
        if let Some(m) = self.mla {
            let q_out = self.heads * (m.nope_dim + m.rope_dim);
            if m.q_lora > 0 {
                t.linear(Kind::AttnLowRank, h, m.q_lora, false);
                t.vector(m.q_lora);
                t.linear(Kind::AttnLowRank, m.q_lora, q_out, false);
            } else {
                t.linear(Kind::AttnQ, h, q_out, false);
            }
            t.linear(Kind::AttnLowRank, h, m.kv_lora + m.rope_dim, false);
            t.vector(m.kv_lora);
            t.linear(Kind::AttnKvB, m.kv_lora, self.heads * (m.nope_dim + m.v_head_dim), false);
            t.linear(Kind::AttnOut, self.heads * m.v_head_dim, h, false);
            return;
        }
        let q_out = if self.attn_gate { 2 * q_dim } else { q_dim };
        let out_bias = biased || self.out_bias;
        if self.fused {
            t.linear(Kind::AttnQkv, h, q_dim + 2 * kv_dim, self.qkv_bias || biased);
            t.linear(Kind::AttnOut, q_dim, h, out_bias);
        } else {
            let bias = self.qkv_bias || biased;
            t.linear(Kind::AttnQ, h, q_out, bias);
            t.linear(Kind::AttnK, h, kv_dim, bias);
            t.linear(Kind::AttnV, h, kv_dim, bias);
            t.linear(Kind::AttnOut, q_dim, h, out_bias);
        }
        if self.qk_norm {
            t.vector(self.head_dim);
            t.vector(self.head_dim);
        }
        if self.sinks {
            t.vector(self.heads);
        }
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
        matches!(self.style, Style::Decoder | Style::Gpt2)
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
    local: None,
    pattern: None,
    mamba: None,
    mla: None,
    moe: None,
    qkv_bias: false,
    out_bias: false,
    qk_norm: false,
    attn_gate: false,
    sinks: false,
    expert_bias: false,
    router_bias: false,
    shared_gate: false,
    fused: false,
    plain_ffn: false,
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

/// gpt-oss-20b; the 120b has 36 layers and 128 experts. Every other layer slides over 128 tokens.
const GPT_OSS: Arch = Arch {
    layers: 24,
    hidden: 2880,
    heads: 64,
    kv_heads: 8,
    head_dim: 64,
    ffn: 2880,
    vocab: 201088,
    max_context: 131072,
    local: Some(Local { kind: LocalKind::Sliding(128), period: 2 }),
    moe: Some(Moe { experts: 32, active: 4, shared: 0, expert_ffn: 2880, dense_layers: 0, every: 1 }),
    qkv_bias: true,
    out_bias: true,
    sinks: true,
    expert_bias: true,
    router_bias: true,
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
    moe: Some(Moe { experts: 16, active: 1, shared: 1, expert_ffn: 8192, dense_layers: 0, every: 1 }),
    // Three of every four layers attend within their 8192-token chunk (the fourth, without
    // rotary positions, to everything).
    local: Some(Local { kind: LocalKind::Chunked(8192), period: 4 }),
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
    moe: Some(Moe { experts: 256, active: 8, shared: 1, expert_ffn: 2048, dense_layers: 3, every: 1 }),
    // `e_score_correction_bias`: one value per routed expert in each MoE layer.
    router_bias: true,
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
    qkv_bias: true,
    norms_per_layer: 0,
    positions: 512,
    type_vocab: 2,
    ..DECODER
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
            moe: Some(Moe { experts: 8, active: 2, shared: 0, expert_ffn: 14336, dense_layers: 0, every: 1 }),
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
            moe: Some(Moe { experts: 128, active: 8, shared: 0, expert_ffn: 768, dense_layers: 0, every: 1 }),
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
            moe: Some(Moe { experts: 64, active: 8, shared: 8, expert_ffn: 2560, dense_layers: 0, every: 1 }),
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
            local: Some(Local { kind: LocalKind::Sliding(4096), period: 2 }),
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
            moe: Some(Moe { experts: 128, active: 8, shared: 0, expert_ffn: 1536, dense_layers: 0, every: 1 }),
            ..QWEN3
        },
        published_params: 235e9,
        published_source: "Qwen/Qwen3-235B-A22B model card: 235B total, 22B activated (234B without embeddings); Keras Hub qwen3_moe_235b_a22b_en: 235,093,634,560",
        trained_tokens: Some(36e12),
        family: "Qwen3",
        shipped: "bf16",
    },
    Preset {
        id: "qwen3-next-80b-a3b",
        name: "Qwen3-Next-80B-A3B",
        // Three Gated DeltaNet layers to every gated full-attention layer (tests/fixtures/configs).
        arch: Arch {
            layers: 48,
            hidden: 2048,
            heads: 16,
            kv_heads: 2,
            head_dim: 256,
            ffn: 5120,
            max_context: 262144,
            local: Some(Local {
                kind: LocalKind::DeltaNet(DeltaNet { key_heads: 16, value_heads: 32, key_dim: 128, value_dim: 128, conv: 4 }),
                period: 4,
            }),
            moe: Some(Moe { experts: 512, active: 10, shared: 1, expert_ffn: 512, dense_layers: 0, every: 1 }),
            attn_gate: true,
            shared_gate: true,
            ..QWEN3
        },
        published_params: 80e9,
        published_source: "Qwen/Qwen3-Next-80B-A3B-Instruct model card: 80B in total, 3B activated; pretrained on 15T tokens",
        trained_tokens: Some(15e12),
        family: "Qwen3-Next",
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
            local: Some(Local { kind: LocalKind::Sliding(128), period: 2 }),
            moe: Some(Moe { experts: 128, active: 4, shared: 0, expert_ffn: 2880, dense_layers: 0, every: 1 }),
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
            local: Some(Local { kind: LocalKind::Sliding(512), period: 6 }),
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
            local: Some(Local { kind: LocalKind::Sliding(1024), period: 6 }),
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
            local: Some(Local { kind: LocalKind::Sliding(1024), period: 6 }),
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
            local: Some(Local { kind: LocalKind::Sliding(1024), period: 6 }),
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
        // The Hub's count holds the vision encoder and projector too (871,932,416): the text
        // model alone is this layout's 107,769,861,120, 0.80 % under it.
        published_params: 108_641_793_536.0,
        published_source: "huggingface.co/api/models/meta-llama/Llama-4-Scout-17B-16E-Instruct: safetensors.parameters.BF16 108,641,793,536 (with the vision encoder); the card: 17B active, 109B total",
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
            moe: Some(Moe { experts: 128, active: 1, shared: 1, expert_ffn: 8192, dense_layers: 0, every: 2 }),
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
            moe: Some(Moe { experts: 384, active: 8, shared: 1, expert_ffn: 2048, dense_layers: 1, every: 1 }),
            ..DEEPSEEK_V3
        },
        // The FP8 checkpoint's tensor total on the Hub also counts its block scales; the
        // parameters themselves are counted by engines that load it.
        published_params: 1_026_408_232_448.0,
        published_source: "Fireworks' model list, Kimi K2 Instruct: paramCount 1,026,408,232,448 (llama.cpp's n_params for a Kimi K2 GGUF is the same); the K2 report: 1.04T total, 32B activated; the card: 1T",
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
        published_params: 14_659_507_200.0,
        published_source: "huggingface.co/api/models/microsoft/phi-4: safetensors total 14,659,507,200 (llama.cpp's general.parameter_count for its GGUF is the same); the card and the Phi-4 report: 14B",
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
            moe: Some(Moe { experts: 128, active: 8, shared: 1, expert_ffn: 1408, dense_layers: 1, every: 1 }),
            router_bias: true,
            ..DECODER
        },
        published_params: 106e9,
        published_source: "zai-org/GLM-4.5 README and GLM-4.5-Air card: 106B total, 12B active (MTP layer excluded)",
        trained_tokens: None,
        family: "GLM-4.5",
        shipped: "bf16",
    },
    Preset {
        id: "nemotron-h-8b",
        name: "Nemotron-H-8B-Base-8K",
        arch: Arch {
            layers: 52,
            ffn: 21504,
            vocab: 131072,
            max_context: 8192,
            // `hybrid_override_pattern` M-M-M-M*-M-…: 24 Mamba-2 layers, 4 attention layers and
            // 24 FFN-only layers, each a block of its own with one norm.
            pattern: Some(Pattern::of_letters("ofofofocfofofofofocfofofofofocfofofofofocfofofofofof")),
            mamba: Some(Mamba {
                inner: 8192,
                heads: 128,
                groups: 8,
                state: 128,
                conv: 4,
                dt_rank: 0,
                conv_bias: true,
                proj_bias: false,
            }),
            plain_ffn: true,
            norms_per_layer: 1,
            ..DECODER
        },
        published_params: 8.1e9,
        published_source: "nvidia/Nemotron-H-8B-Base-8K: 8.1B, the checkpoint counted tensor by tensor in two public analyses (8,100,852,736 each); the card's name says 8B",
        trained_tokens: None,
        family: "Nemotron-H",
        shipped: "bf16",
    },
    Preset {
        id: "jamba-1.5-mini",
        name: "Jamba-1.5-Mini",
        arch: Arch {
            vocab: 65536,
            max_context: 262144,
            // Attention every 8th layer from the 5th, experts every 2nd from the 2nd.
            pattern: Some(Pattern::of_letters("mnmnanmnmnmnanmnmnmnanmnmnmnanmn")),
            mamba: Some(Mamba {
                inner: 8192,
                heads: 0,
                groups: 0,
                state: 16,
                conv: 4,
                dt_rank: 256,
                conv_bias: true,
                proj_bias: false,
            }),
            moe: Some(Moe { experts: 16, active: 2, shared: 0, expert_ffn: 14336, dense_layers: 0, every: 1 }),
            ..DECODER
        },
        published_params: 52e9,
        published_source: "ai21labs/AI21-Jamba-1.5-Mini model card: 12B active, 52B total (Jamba-Mini-1.6 has the same layout)",
        trained_tokens: None,
        family: "Jamba",
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
/// spelled out (one read from a file's tensor list).
// `Custom` carries a whole `Arch` (about 250 bytes with the per-layer pattern): a configuration
// holds one model, so the size costs nothing, and boxing it would lose `Copy`.
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
/// what it has beyond a plain decoder, each written only when present:
/// - `-B1` q/k/v biases; `-O1` an attention-output bias; `-Q1` q/k norms; `-Z1` a gated attention
///   output; `-X1` attention sinks;
/// - `-E<experts>x<active>x<expert ffn>x<shared>x<dense layers>[x<every>]` a mixture of experts
///   (`every`, written when not 1: experts on every `every`th layer); `-P1` expert biases, `-R1`
///   a router bias, `-Y1` a shared-expert gate;
/// - `-M<q rank>x<kv rank>x<rope dim>x<nope dim>x<v head dim>` multi-head latent attention;
/// - local layers, one of `-W<window>x<period>` (sliding window), `-U<chunk>x<period>` (chunked)
///   or `-G<key heads>x<value heads>x<key dim>x<value dim>x<conv>x<period>` (Gated DeltaNet):
///   of every `period` layers the last attends to the whole context (0: none does).
///
/// Letters: layers, hidden, attention heads, KV heads, head size, FFN width, vocabulary, tied
/// embeddings, context, norms per layer. Links written before the extensions read as before.
pub const ARCH_PREFIX: &str = "arch-";

/// The on/off fields after the required ones: letter, getter, setter.
type FlagField = (char, fn(&Arch) -> bool, fn(&mut Arch, bool));
const FLAGS: [FlagField; 9] = [
    ('B', |a| a.qkv_bias, |a, v| a.qkv_bias = v),
    ('O', |a| a.out_bias, |a, v| a.out_bias = v),
    ('Q', |a| a.qk_norm, |a, v| a.qk_norm = v),
    ('Z', |a| a.attn_gate, |a, v| a.attn_gate = v),
    ('X', |a| a.sinks, |a, v| a.sinks = v),
    ('P', |a| a.expert_bias, |a, v| a.expert_bias = v),
    ('R', |a| a.router_bias, |a, v| a.router_bias = v),
    ('Y', |a| a.shared_gate, |a, v| a.shared_gate = v),
    ('I', |a| a.plain_ffn, |a, v| a.plain_ffn = v),
];

/// The most layers, heads, … a link may name (what `Arch::decode` accepts).
pub const MAX_LAYERS: u64 = 1000;
pub const MAX_HIDDEN: u64 = 1 << 17;
pub const MAX_HEADS: u64 = 1 << 10;
pub const MAX_HEAD_DIM: u64 = 1 << 10;
pub const MAX_FFN: u64 = 1 << 20;
pub const MAX_VOCAB: u64 = 1 << 22;
pub const MAX_CONTEXT: u64 = 1 << 27;
pub const MAX_EXPERTS: u64 = 1024;
pub const MAX_RANK: u64 = 1 << 16;

impl Arch {
    /// Whether [`Arch::encode`] can spell this architecture (decoders without fused matrices).
    pub fn linkable(&self) -> bool {
        self.style == Style::Decoder && !self.fused && self.positions == 0 && self.type_vocab == 0
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
        if let Some(m) = self.moe {
            s.push_str(&format!("-E{}x{}x{}x{}x{}", m.experts, m.active, m.expert_ffn, m.shared, m.dense_layers));
            if m.every != 1 {
                s.push_str(&format!("x{}", m.every));
            }
        }
        if let Some(m) = self.mla {
            s.push_str(&format!("-M{}x{}x{}x{}x{}", m.q_lora, m.kv_lora, m.rope_dim, m.nope_dim, m.v_head_dim));
        }
        if let Some(l) = self.local {
            s.push_str(&match l.kind {
                LocalKind::Sliding(w) => format!("-W{w}x{}", l.period),
                LocalKind::Chunked(c) => format!("-U{c}x{}", l.period),
                LocalKind::DeltaNet(d) => {
                    format!("-G{}x{}x{}x{}x{}x{}", d.key_heads, d.value_heads, d.key_dim, d.value_dim, d.conv, l.period)
                }
            });
        }
        if let Some(m) = self.mamba {
            let (cb, pb) = (u8::from(m.conv_bias), u8::from(m.proj_bias));
            s.push_str(&format!(
                "-S{}x{}x{}x{}x{}x{}x{cb}x{pb}",
                m.inner, m.heads, m.groups, m.state, m.conv, m.dt_rank
            ));
        }
        if let Some(p) = self.pattern {
            s.push_str(&format!("-J{}", p.encode()));
        }
        for (k, get, _) in &FLAGS[1..] {
            if get(self) {
                s.push_str(&format!("-{k}1"));
            }
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
            // `x`-separated numbers, each within its range (the message names the field).
            let list = |ranges: &[(u64, u64)]| -> Result<Vec<u64>, Msg> {
                let n: Vec<Option<u64>> = v.split('x').map(|x| x.parse::<u64>().ok()).collect();
                let ok = n.len() == ranges.len()
                    && n.iter().zip(ranges).all(|(x, (lo, hi))| x.is_some_and(|x| (*lo..=*hi).contains(&x)));
                if ok {
                    Ok(n.into_iter().flatten().collect())
                } else {
                    Err(bad(msg!(err_arch_list, format!("{k}{v}"))))
                }
            };
            let period = (0, MAX_LAYERS);
            match k {
                "L" => a.layers = num(MAX_LAYERS)? as u32,
                "H" => a.hidden = num(MAX_HIDDEN)?,
                "A" => a.heads = num(MAX_HEADS)?,
                "K" => a.kv_heads = num(MAX_HEADS)?,
                "D" => a.head_dim = num(MAX_HEAD_DIM)?,
                "F" => a.ffn = num(MAX_FFN)?,
                "V" => a.vocab = num(MAX_VOCAB)?,
                "C" => a.max_context = num(MAX_CONTEXT)?,
                "N" => a.norms_per_layer = num(8)?,
                "T" => a.tied_embeddings = flag(v).ok_or_else(|| bad(msg!(err_arch_flag, format!("{k}{v}"), k)))?,
                "E" => {
                    let n: Vec<u64> = v.split('x').map(|x| x.parse::<u64>().unwrap_or(u64::MAX)).collect();
                    let (&[experts, active, expert_ffn, shared, dense], every) = (n.get(..5).unwrap_or(&[]), n.get(5))
                    else {
                        return Err(bad(msg!(err_arch_moe)));
                    };
                    let every = every.copied().unwrap_or(1);
                    if n.len() > 6
                        || !(2..=MAX_EXPERTS).contains(&experts)
                        || !(1..=experts).contains(&active)
                        || !(1..=MAX_FFN).contains(&expert_ffn)
                        || shared > 16
                        || dense > MAX_LAYERS
                        || !(1..=MAX_LAYERS).contains(&every)
                    {
                        return Err(bad(msg!(err_arch_moe_range, v)));
                    }
                    a.moe = Some(Moe {
                        experts,
                        active,
                        shared,
                        expert_ffn,
                        dense_layers: dense as u32,
                        every: every as u32,
                    });
                }
                "M" => {
                    let r =
                        list(&[(0, MAX_RANK), (1, MAX_RANK), (0, MAX_HEAD_DIM), (0, MAX_HEAD_DIM), (1, MAX_HEAD_DIM)])?;
                    a.mla = Some(Mla { q_lora: r[0], kv_lora: r[1], rope_dim: r[2], nope_dim: r[3], v_head_dim: r[4] });
                }
                "W" | "U" => {
                    let r = list(&[(1, MAX_CONTEXT), period])?;
                    let kind = if k == "W" { LocalKind::Sliding(r[0]) } else { LocalKind::Chunked(r[0]) };
                    a.local = Some(Local { kind, period: r[1] as u32 });
                }
                "G" => {
                    let d = (1, MAX_HEAD_DIM);
                    let r = list(&[(1, MAX_HEADS), (1, MAX_HEADS), d, d, (1, 64), period])?;
                    let kind = LocalKind::DeltaNet(DeltaNet {
                        key_heads: r[0],
                        value_heads: r[1],
                        key_dim: r[2],
                        value_dim: r[3],
                        conv: r[4],
                    });
                    a.local = Some(Local { kind, period: r[5] as u32 });
                }
                "S" => {
                    let r = list(&[
                        (1, MAX_FFN),
                        (0, MAX_HEADS),
                        (0, MAX_HEADS),
                        (1, MAX_HEAD_DIM),
                        (1, 64),
                        (0, MAX_RANK),
                        (0, 1),
                        (0, 1),
                    ])?;
                    let m = Mamba {
                        inner: r[0],
                        heads: r[1],
                        groups: r[2],
                        state: r[3],
                        conv: r[4],
                        dt_rank: r[5],
                        conv_bias: r[6] == 1,
                        proj_bias: r[7] == 1,
                    };
                    // Mamba-2: heads and groups that divide the channels; Mamba-1: a dt rank, no groups.
                    let v2 = m.heads > 0
                        && m.groups > 0
                        && m.inner.is_multiple_of(m.heads)
                        && m.heads.is_multiple_of(m.groups)
                        && m.dt_rank == 0;
                    let v1 = m.heads == 0 && m.groups == 0 && m.dt_rank > 0;
                    if !(v2 || v1) {
                        return Err(bad(msg!(err_arch_list, format!("{k}{v}"))));
                    }
                    a.mamba = Some(m);
                }
                "J" => a.pattern = Some(Pattern::parse(v).ok_or_else(|| bad(msg!(err_arch_list, format!("{k}{v}"))))?),
                _ => match FLAGS.iter().find(|(c, _, _)| k.len() == 1 && k.starts_with(*c)) {
                    Some((_, _, set)) => {
                        set(&mut a, flag(v).ok_or_else(|| bad(msg!(err_arch_flag, format!("{k}{v}"), k)))?)
                    }
                    None => return Err(bad(msg!(err_arch_unknown, crate::core::text::units::clip(part)))),
                },
            }
            if seen.contains(k) || (matches!(k, "W" | "U" | "G") && seen.contains(['W', 'U', 'G'])) {
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
        if a.local.is_some_and(|l| l.period == 1) {
            return Err(bad(msg!(err_arch_period)));
        }
        if !a.pattern_fits() {
            return Err(bad(msg!(err_arch_pattern)));
        }
        if a.rough_params() > u128::from(crate::core::text::units::MAX_PARAMS) {
            return Err(bad(msg!(err_arch_big)));
        }
        Ok(a)
    }

    /// Whether the per-layer pattern and the fields it goes with agree: a pattern of every layer,
    /// Mamba sizes exactly when it names a Mamba layer, experts exactly when it names an expert
    /// layer (and no rule of their own placing them), no local layers beside it.
    pub fn pattern_fits(&self) -> bool {
        let Some(p) = self.pattern else { return self.mamba.is_none() };
        let experts = p.count(|_, f| f == Ffn::Experts) > 0;
        p.len() == self.layers as usize
            && self.local.is_none()
            && self.mamba.is_some() == (p.count(|m, _| m == Mixer::Mamba) > 0)
            && self.moe.is_some() == experts
            && self.moe.is_none_or(|m| m.dense_layers == 0 && m.every == 1)
            && p.count(|m, f| m == Mixer::None && f == Ffn::None) == 0
    }

    /// An upper bound of the parameter count in 128-bit arithmetic, for fields no larger than
    /// [`Arch::decode`] allows: a hostile link or file must not overflow the tensor walk.
    pub fn rough_params(&self) -> u128 {
        fn w(x: u64) -> u128 {
            u128::from(x)
        }
        let (l, h, f, v) = (u128::from(self.layers), w(self.hidden), w(self.ffn), w(self.vocab));
        let heads = w(self.heads);
        let q = heads * w(self.head_dim);
        let mut attn = 4 * q * h + 4 * h + 4 * q + heads;
        if let Some(m) = self.mla {
            let (ql, kl, rope, nope, vd) = (w(m.q_lora), w(m.kv_lora), w(m.rope_dim), w(m.nope_dim), w(m.v_head_dim));
            attn += h * ql
                + (ql + h) * heads * (nope + rope)
                + h * (kl + rope)
                + kl * heads * (nope + vd)
                + heads * vd * h
                + ql
                + kl;
        }
        if let Some(Local { kind: LocalKind::DeltaNet(d), .. }) = self.local {
            let (kd, vd) = (w(d.key_heads) * w(d.key_dim), w(d.value_heads) * w(d.value_dim));
            attn += 2 * h * (2 * kd + 2 * vd) + (2 * kd + vd) * w(d.conv) + 3 * w(d.value_heads) + w(d.value_dim);
        }
        if let Some(m) = self.mamba {
            let (i, g, st, c, r, mh) = (w(m.inner), w(m.groups), w(m.state), w(m.conv), w(m.dt_rank), w(m.heads));
            let ch = i + 2 * g * st;
            attn += (h + 1) * (2 * ch + mh)
                + ch * (c + 1)
                + (i + 1) * (r + 2 * st)
                + r * i
                + i * st
                + 3 * mh
                + 2 * i
                + (i + 1) * h;
        }
        let ffn = match self.moe {
            Some(m) => {
                let (e, ef) = (w(m.experts) + w(m.shared) + 1, w(m.expert_ffn));
                3 * h * f.max(e * ef) + e * (h + 2 * ef) + 3 * h
            }
            None => 3 * h * f,
        };
        2 * v * h + l * (attn + ffn + 16 * h)
    }
}

/// `0` or `1`.
fn flag(v: &str) -> Option<bool> {
    match v {
        "0" => Some(false),
        "1" => Some(true),
        _ => None,
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
        assert!(!preset("phi-3-mini").unwrap().arch.linkable() && !preset("bert-base").unwrap().arch.linkable());
    }

    /// The link's extensions: MLA, local layers of each kind and the flags, written only when
    /// present, read back to the same architecture; a link written before them reads as before.
    #[test]
    fn extended_architectures_round_trip() {
        let ds = preset("deepseek-v3").unwrap().arch;
        assert_eq!(
            ds.encode(),
            "arch-L61-H7168-A128-K128-D128-F18432-V129280-T0-C163840-N2-E256x8x2048x1x3-M1536x512x64x128x128-R1"
        );
        let gemma = preset("gemma-2-9b").unwrap().arch;
        assert!(gemma.encode().ends_with("-N4-W4096x2"), "{}", gemma.encode());
        let next = Arch {
            local: Some(Local {
                kind: LocalKind::DeltaNet(DeltaNet {
                    key_heads: 16,
                    value_heads: 32,
                    key_dim: 128,
                    value_dim: 128,
                    conv: 4,
                }),
                period: 4,
            }),
            moe: Some(Moe { experts: 512, active: 10, shared: 1, expert_ffn: 512, dense_layers: 0, every: 1 }),
            qk_norm: true,
            attn_gate: true,
            shared_gate: true,
            ..DECODER
        };
        assert!(next.encode().ends_with("-E512x10x512x1x0-G16x32x128x128x4x4-Q1-Z1-Y1"), "{}", next.encode());
        let oss = Arch {
            local: Some(Local { kind: LocalKind::Sliding(128), period: 2 }),
            qkv_bias: true,
            out_bias: true,
            sinks: true,
            expert_bias: true,
            router_bias: true,
            ..DECODER
        };
        let scout = Arch {
            local: Some(Local { kind: LocalKind::Chunked(8192), period: 4 }),
            moe: Some(Moe { experts: 128, active: 1, shared: 1, expert_ffn: 8192, dense_layers: 0, every: 2 }),
            ..DECODER
        };
        assert!(scout.encode().contains("-E128x1x8192x1x0x2-U8192x4"), "{}", scout.encode());
        for a in [ds, gemma, next, oss, scout] {
            assert_eq!(Arch::decode(&a.encode()), Ok(a), "{}", a.encode());
            assert!(a.linkable());
        }
        // Before the extensions: the same text, the same architecture.
        let old = "arch-L32-H4096-A32-K8-D128-F14336-V128256-T0-C131072-N2-B1-E8x2x14336x0x0";
        let a = Arch::decode(old).unwrap();
        assert_eq!((a.local, a.mla, a.qk_norm, a.moe.map(|m| m.every)), (None, None, false, Some(1)));
        assert_eq!(a.encode(), old);
        let base = "arch-L32-H4096-A32-K8-D128-F14336-V128256-T0-C131072-N2";
        for bad in [
            "-W4096x1",          // a period of 1 has no local layer
            "-W0x2",             // no window
            "-W4096",            // no period
            "-W4096x2-U8192x4",  // two kinds of local layer
            "-G16x32x128x128x4", // a field short
            "-G16x32x128x128x99x4",
            "-M1536x0x64x128x128", // no latent
            "-Q2",
            "-E8x2x14336x0x0x0", // experts on every 0th layer
            "-E8x2x14336x0x0x1x1",
        ] {
            assert!(Arch::decode(&format!("{base}{bad}")).is_err(), "{bad}");
        }
    }

    /// Hybrids in the link: the Mamba sizes (`-S`) and every layer's kind (`-J`), run-length
    /// coded with the repeating unit written once; links from before read as before, and a
    /// pattern that does not fit the layers, the Mamba sizes or the experts is refused.
    #[test]
    fn hybrid_architectures_round_trip() {
        let jamba = preset("jamba-1.5-mini").unwrap().arch;
        assert_eq!(
            jamba.encode(),
            "arch-L32-H4096-A32-K8-D128-F14336-V65536-T0-C262144-N2-E16x2x14336x0x0-S8192x0x0x16x4x256x1x0-Jmnmnanmnx4"
        );
        let nemotron = preset("nemotron-h-8b").unwrap().arch;
        let granite_like = Arch {
            layers: 40,
            pattern: Pattern::parse("n5bn9bn9bn9bn4"),
            mamba: nemotron.mamba,
            moe: Some(Moe { experts: 72, active: 10, shared: 2, expert_ffn: 768, dense_layers: 0, every: 1 }),
            ..DECODER
        };
        // Attention on every 10th layer from the 6th: the unit of 10 written once.
        assert!(granite_like.encode().ends_with("-Jn5bn4x4"), "{}", granite_like.encode());
        assert_eq!(granite_like.count_layers(|m, _| m == Mixer::Attention), 4);
        assert_eq!(
            (granite_like.layer(5), granite_like.layer(6)),
            ((Mixer::Attention, Ffn::Experts), (Mixer::Mamba, Ffn::Experts))
        );
        for a in [jamba, nemotron, granite_like] {
            assert!(a.linkable() && a.pattern_fits());
            assert_eq!(Arch::decode(&a.encode()), Ok(a), "{}", a.encode());
        }
        // The pattern's letters: m, n, o Mamba with a dense FFN, experts, none; a, b, c attention
        // likewise; f and e an FFN alone.
        let p = Pattern::parse("mnoabcfe").unwrap();
        let kinds: Vec<(Mixer, Ffn)> = (0..8).map(|i| p.get(i)).collect();
        assert_eq!(kinds[2], (Mixer::Mamba, Ffn::None));
        assert_eq!(kinds[6], (Mixer::None, Ffn::Dense));
        assert_eq!(p.encode(), "mnoabcfe");
        assert_eq!(Pattern::parse("o3x2").unwrap().encode(), "ox6");
        for bad in ["", "z", "m0", "mx0", "m257", "mx257", "m2x200", "ax"] {
            assert!(Pattern::parse(bad).is_none(), "{bad}");
        }
        let base = "arch-L4-H4096-A32-K8-D128-F14336-V65536-T0-C8192-N2";
        let mamba = "-S8192x128x8x128x4x0x1x0";
        for bad in [
            format!("{base}{mamba}-Jm3"),                    // three layers for four
            format!("{base}-Jmmma"),                         // Mamba layers, no sizes
            format!("{base}{mamba}"),                        // sizes, no pattern
            format!("{base}{mamba}-Jmmmb"),                  // experts, no E
            format!("{base}{mamba}-Jmmma-W4096x2"),          // local layers beside a pattern
            format!("{base}-S8192x100x8x128x4x0x1x0-Jmmma"), // heads that do not divide
            format!("{base}-S8192x0x0x16x4x0x1x0-Jmmma"),    // Mamba-1 without a dt rank
            format!("{base}{mamba}-Jmmmq"),
        ] {
            assert!(Arch::decode(&bad).is_err(), "{bad}");
        }
        assert!(Arch::decode(&format!("{base}{mamba}-Jmmma")).is_ok());
    }

    /// A Mamba layer's parameters and state, by hand (Nemotron-H-8B's sizes): Mamba-2's in_proj
    /// 4096 → 2·8192 + 2·8·128 + 128; the convolution 10,240 × 4 and its bias; dt_bias, A_log, D
    /// of 128; the gated norm of 8,192; out_proj; the state 3 × 10,240 + 128 × 8,192 values.
    #[test]
    fn mamba_layers_by_hand() {
        let a = preset("nemotron-h-8b").unwrap().arch;
        let m = a.mamba.unwrap();
        assert_eq!(m.state_elems(), (3 * 10_240, 128 * 8192));
        let mixer: u64 = a.tensors().iter().filter(|t| t.layer == Some(0)).map(Tensor::params).sum();
        assert_eq!(mixer, 4096 * 18_560 + 10_240 * 5 + 3 * 128 + 8192 + 8192 * 4096 + 4096);
        let ffn: u64 = a.tensors().iter().filter(|t| t.layer == Some(1)).map(Tensor::params).sum();
        assert_eq!(ffn, 2 * 4096 * 21_504 + 4096);
        // Without a pattern nothing changes: every layer attends, the FFN has its gate.
        assert_eq!(preset("llama-3.1-8b").unwrap().arch.count_layers(|m, _| m == Mixer::Attention), 32);
    }

    /// Each local kind's layers, as transformers places them: gpt-oss and Gemma 2 from the
    /// first layer every other, Gemma 3 five of every six, Qwen3-Next three of every four.
    #[test]
    fn local_layers_sit_where_the_configs_put_them() {
        let l = Local { kind: LocalKind::Sliding(128), period: 2 };
        assert_eq!((0..6).map(|i| l.is_local(i)).collect::<Vec<_>>(), [true, false, true, false, true, false]);
        let g3 = Local { kind: LocalKind::Sliding(1024), period: 6 };
        assert_eq!(g3.count(62), 52);
        assert_eq!((0..62).filter(|i| !g3.is_local(*i)).collect::<Vec<_>>(), [5, 11, 17, 23, 29, 35, 41, 47, 53, 59]);
        let all = Local { kind: LocalKind::Sliding(4096), period: 0 };
        assert_eq!(all.count(32), 32);
        let m = Moe { experts: 128, active: 1, shared: 1, expert_ffn: 8192, dense_layers: 0, every: 2 };
        assert_eq!((0..4).map(|i| m.on(i)).collect::<Vec<_>>(), [false, true, false, true]);
    }

    #[test]
    fn raw_counts_pick_the_nearest_llama_3() {
        assert_eq!(raw_template(8_000_000_000).0.id, "llama-3.1-8b");
        assert_eq!(raw_template(40_000_000_000).0.id, "llama-3.1-70b");
        assert_eq!(raw_template(1).0.id, "llama-3.2-1b");
        assert_eq!(raw_template(2_000_000_000_000).0.id, "llama-3.1-405b");
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
