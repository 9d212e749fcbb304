//! Bytes a configuration needs: weights per tensor class, KV cache, runtime, and the total.

use crate::core::catalog::format::{Format, F32};
use crate::core::catalog::model::{Arch, Class, LocalKind, Mixer, ModelRef};
use crate::core::catalog::scheme::{tensor_format, Scheme};
use crate::core::catalog::sparsity::Sparsity;
use crate::core::memory::runtime::{Engine, RuntimeParts};
use crate::core::text::units::{Size, MAX_SIZE_BYTES};

/// Bytes and parameters of one tensor class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassBytes {
    pub params: u64,
    pub bytes: u64,
}

/// Weight bytes of a whole model under one scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Indexed by [`Class::index`].
    pub classes: [ClassBytes; 5],
    /// Which formats the scheme used, with their parameters and bytes (a preset's mix).
    pub formats: Vec<(&'static Format, ClassBytes)>,
}

impl Weights {
    pub fn bytes(&self) -> u64 {
        self.classes.iter().map(|c| c.bytes).sum()
    }
    pub fn params(&self) -> u64 {
        self.classes.iter().map(|c| c.params).sum()
    }
}

pub fn weights(arch: &Arch, scheme: &Scheme) -> Weights {
    weights_of(&arch.tensors(), arch, scheme)
}

/// Weight bytes of a tensor list (an architecture's, or one read from a file) under a scheme;
/// `arch` supplies what the scheme's rules look at (layer count, heads, experts, tying).
pub fn weights_of(tensors: &[crate::core::catalog::model::Tensor], arch: &Arch, scheme: &Scheme) -> Weights {
    weights_pruned(tensors, arch, scheme, Sparsity::Dense)
}

/// [`weights_of`] with the linear layers pruned (everything else stays dense).
pub fn weights_pruned(
    tensors: &[crate::core::catalog::model::Tensor],
    arch: &Arch,
    scheme: &Scheme,
    sparsity: Sparsity,
) -> Weights {
    let mut classes = [ClassBytes::default(); 5];
    let mut formats: Vec<(&'static Format, ClassBytes)> = Vec::new();
    for t in tensors {
        let (f, bytes) = tensor_bytes(t, arch, scheme, sparsity);
        let add = |c: &mut ClassBytes| {
            c.params += t.params();
            c.bytes += bytes;
        };
        add(&mut classes[t.kind.class().index()]);
        match formats.iter_mut().find(|(g, _)| std::ptr::eq(*g, f)) {
            Some((_, c)) => add(c),
            None => formats.push((f, ClassBytes { params: t.params(), bytes })),
        }
    }
    crate::core::text::order::sort_by_key(&mut formats, |(_, c)| (-(c.params as f64), 0.0));
    Weights { classes, formats }
}

/// One tensor's format under a scheme and its bytes, the linear layers pruned to `sparsity`
/// (what [`weights_pruned`] sums).
pub fn tensor_bytes(
    t: &crate::core::catalog::model::Tensor,
    arch: &Arch,
    scheme: &Scheme,
    sparsity: Sparsity,
) -> (&'static Format, u64) {
    let f = tensor_format(scheme, t, arch);
    let pruned = if t.kind.is_linear() { sparsity } else { Sparsity::Dense };
    (f, pruned.tensor_bytes(f, t.rows, t.cols, t.count))
}

/// The memo key of a model's layout: a preset's id (a raw count's template), or a custom
/// architecture's link text.
pub fn layout_key(model: &ModelRef) -> String {
    match model {
        ModelRef::Preset(p) | ModelRef::Scaled(p, _) => p.id.to_string(),
        ModelRef::Count(n) => crate::core::catalog::model::raw_template(*n).0.id.to_string(),
        ModelRef::Custom(a) => a.encode(),
    }
}

thread_local! {
    /// Weights per (layout, scheme): the chart and best-for-budget ask for every scheme of every
    /// preset on each edit, and the tensor walk is the costly part. Layouts are presets (raw
    /// counts use their template's), so the cache is bounded by presets × schemes.
    static WEIGHTS: std::cell::RefCell<std::collections::HashMap<(String, &'static str, Sparsity), Weights>> =
        Default::default();
}

/// [`weights`] of a model's layout (a preset, a raw count's template unscaled, or a custom
/// architecture), memoized.
pub fn layout_weights(model: &ModelRef, scheme: &'static Scheme) -> Weights {
    layout_weights_pruned(model, scheme, Sparsity::Dense)
}

/// [`layout_weights`] with the linear layers pruned.
pub fn layout_weights_pruned(model: &ModelRef, scheme: &'static Scheme, sparsity: Sparsity) -> Weights {
    let (arch, _, _) = model.layout();
    let key = layout_key(model);
    WEIGHTS.with(|c| {
        let mut c = c.borrow_mut();
        // Custom architectures can be typed into a link: keep the memo bounded.
        if c.len() > 8192 {
            c.clear();
        }
        c.entry((key, scheme.id, sparsity))
            .or_insert_with(|| weights_pruned(&arch.tensors(), &arch, scheme, sparsity))
            .clone()
    })
}

/// What one group of layers keeps while generating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KvKind {
    /// Full attention: K and V of every KV head for every token of the context.
    Full,
    /// Multi-head latent attention: one latent plus its rope key per token.
    Latent,
    /// Sliding window: the last `window` tokens.
    Sliding(u64),
    /// Chunked attention: the tokens of the current chunk.
    Chunked(u64),
    /// Linear attention: a fixed state per sequence, whatever the context (F32, as llama.cpp keeps it).
    State,
    /// Mamba: the convolution's last inputs and the SSM state, per sequence, whatever the context
    /// (F32, as llama.cpp keeps them: its `r` and `s` tensors).
    Ssm,
}

impl KvKind {
    /// A fixed state per sequence rather than a cache that grows with the context.
    pub fn per_sequence(self) -> bool {
        matches!(self, KvKind::State | KvKind::Ssm)
    }
}

/// The KV cache of one kind of layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KvPart {
    pub kind: KvKind,
    pub layers: u32,
    /// Tokens each of these layers keeps per sequence (0 for a state).
    pub tokens: u64,
    /// Bytes these layers together keep per token (per sequence for a state).
    pub unit: u64,
    /// Bytes for the whole batch.
    pub bytes: u64,
}

/// The KV cache per kind of layer, as inference engines size it: full-attention layers keep
/// every token of the context, sliding-window layers the last `window` tokens, chunked layers one
/// chunk (both at most the context), MLA layers one latent of kv_lora + rope_dim per token, and
/// linear-attention layers a fixed state per sequence (F32, whatever the KV format: llama.cpp's
/// `recurrent_type_k/v`, src/llama-model.cpp). K and V rows are stored whole in the KV format (a
/// block format rounds each row up to whole blocks). The batch multiplies everything: each
/// sequence has its own cache and state. Encoders keep nothing. What llama.cpp allocates beyond
/// the window for its micro-batch is [`llama_cpp_swa_cells`].
pub fn kv_parts(arch: &Arch, ctx: u64, batch: u64, kv: &Format) -> Vec<KvPart> {
    if !arch.has_kv_cache() {
        return Vec::new();
    }
    let (tensors, row) = arch.kv_row();
    let rows = |layers: u32, tokens: u64| {
        tensors.saturating_mul(kv.tensor_bytes(tokens, row, 1)).saturating_mul(u64::from(layers))
    };
    let part = |kind: KvKind, layers: u32, tokens: u64| KvPart {
        kind,
        layers,
        tokens,
        unit: rows(layers, 1),
        bytes: rows(layers, tokens.saturating_mul(batch)),
    };
    let local = arch.local.map_or(0, |l| l.count(arch.layers));
    let full = arch.count_layers(|m, _| m == Mixer::Attention).saturating_sub(local);
    let mut out = Vec::new();
    if full > 0 {
        out.push(part(if arch.mla.is_some() { KvKind::Latent } else { KvKind::Full }, full, ctx));
    }
    match arch.local.map(|l| l.kind) {
        Some(_) if local == 0 => {}
        Some(LocalKind::Sliding(w)) => out.push(part(KvKind::Sliding(w), local, w.min(ctx))),
        Some(LocalKind::Chunked(c)) => out.push(part(KvKind::Chunked(c), local, c.min(ctx))),
        Some(LocalKind::DeltaNet(d)) => out.push(state_part(KvKind::State, local, d.state_elems(), batch)),
        None => {}
    }
    let mamba = arch.count_layers(|m, _| m == Mixer::Mamba);
    if let Some(m) = arch.mamba.filter(|_| mamba > 0) {
        out.push(state_part(KvKind::Ssm, mamba, m.state_elems(), batch));
    }
    out
}

/// A state of `(conv, recurrent)` elements per sequence and layer, in F32, for `layers` layers
/// and `batch` sequences.
fn state_part(kind: KvKind, layers: u32, (conv, state): (u64, u64), batch: u64) -> KvPart {
    let unit = F32.tensor_bytes(1, conv + state, 1).saturating_mul(u64::from(layers));
    KvPart { kind, layers, tokens: 0, unit, bytes: unit.saturating_mul(batch) }
}

/// KV cache bytes: the sum of [`kv_parts`].
pub fn kv_bytes(arch: &Arch, ctx: u64, batch: u64, kv: &Format) -> u64 {
    kv_parts(arch, ctx, batch, kv).iter().fold(0u64, |a, p| a.saturating_add(p.bytes))
}

pub use crate::core::memory::runtime::LLAMA_CPP_UBATCH;

/// Cells llama.cpp gives one sequence's sliding-window (or chunked) cache: `min(context,
/// window + n_ubatch)` rounded up to 256 (src/llama-kv-cache-iswa.cpp, `size_swa`; the `n_ubatch`
/// since PR #13833, the padding since issue #17037), with each sequence its own stream as
/// llama.cpp does by default (`kv_unified` false). With `--swa-full` it keeps the whole context.
pub fn llama_cpp_swa_cells(ctx: u64, window: u64, ubatch: u64) -> u64 {
    ctx.min(window.saturating_add(ubatch)).div_ceil(256).saturating_mul(256)
}

/// Memory the runtime adds beyond weights and KV (CUDA context, compute buffers, activations):
/// a fixed size, a share of the weights, or an engine's buffers modelled from the architecture,
/// the context and the batch ([`crate::core::memory::runtime`]). Always shown, always editable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Runtime {
    Fixed(Size),
    PercentOfWeights(f64),
    Modelled(Engine),
}

/// `p` % of `weights` bytes, rounded: a runtime given as a share of the weights.
fn share_of_weights(p: f64, weights: u64) -> u64 {
    (weights as f64 * p / 100.0).round() as u64
}

impl Runtime {
    /// The runtime of a model with `weights` bytes and this layout at `ctx` tokens and `batch`
    /// sequences; its parts when an engine's are modelled.
    pub fn parts(&self, weights: u64, arch: &Arch, ctx: u64, batch: u64) -> (u64, Option<RuntimeParts>) {
        match *self {
            Runtime::Fixed(s) => (s.bytes(), None),
            Runtime::PercentOfWeights(p) => (share_of_weights(p, weights), None),
            Runtime::Modelled(e) => {
                let p = e.parts(arch, ctx, batch);
                (p.total(), Some(p))
            }
        }
    }

    /// What a card holding `weights` bytes of a split model keeps of its runtime `total`: that
    /// share of the weights for a share, the whole runtime otherwise (an engine's compute buffer
    /// is sized by the graph, which each card runs for its layers).
    pub fn on_card(&self, total: u64, weights: u64) -> u64 {
        match *self {
            Runtime::PercentOfWeights(p) => share_of_weights(p, weights),
            _ => total,
        }
    }

    /// What each of `cards` tensor-parallel cards keeps of a footprint's runtime `total`: a share
    /// of the weights splits with them; a size or an engine's buffers are on every card (vLLM's
    /// profile measures the same activation peak on each of two cards as on one:
    /// https://github.com/vllm-project/vllm/pull/10511).
    pub fn per_card(&self, total: u64, cards: u64) -> u64 {
        match self {
            Runtime::PercentOfWeights(_) => total.div_ceil(cards.max(1)),
            _ => total,
        }
    }

    /// The part of the runtime that does not depend on the configuration (what every card keeps
    /// whatever model it holds): a size, an engine's context; 0 for a share of the weights.
    pub fn fixed_part(&self) -> u64 {
        match self {
            Runtime::Fixed(s) => s.bytes(),
            Runtime::PercentOfWeights(_) => 0,
            Runtime::Modelled(e) => e.context(),
        }
    }

    pub fn encode(&self) -> String {
        match self {
            Runtime::Fixed(s) => s.encode(),
            Runtime::PercentOfWeights(p) => format!("{p}%"),
            Runtime::Modelled(e) => e.id().to_string(),
        }
    }

    pub fn parse(text: &str) -> Result<Runtime, crate::core::text::i18n::Msg> {
        let t = text.trim();
        if let Some(e) = Engine::by_id(t) {
            return Ok(Runtime::Modelled(e));
        }
        if let Some(p) = t.strip_suffix('%') {
            return match p.trim().parse::<f64>() {
                Ok(v) if v.is_finite() && (0.0..=1000.0).contains(&v) => Ok(Runtime::PercentOfWeights(v)),
                _ => Err(crate::msg!(err_percent, crate::core::text::units::clip(text))),
            };
        }
        Size::parse(t, &crate::core::text::units::Unit::ALL, true).map(Runtime::Fixed)
    }
}

/// Everything one configuration needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Footprint {
    pub params: u64,
    pub active_params: u64,
    pub weights: Weights,
    pub kv: u64,
    /// The KV cache per kind of layer; `kv` is their sum.
    pub kv_parts: Vec<KvPart>,
    pub runtime: u64,
    /// The runtime's parts when an engine's buffers are modelled.
    pub runtime_parts: Option<RuntimeParts>,
    /// Raw counts borrow a template's layout, so their split and KV cache are estimates.
    pub estimated_from: Option<&'static str>,
}

impl Footprint {
    pub fn weight_bytes(&self) -> u64 {
        self.weights.bytes()
    }
    pub fn total(&self) -> u64 {
        self.weight_bytes().saturating_add(self.kv).saturating_add(self.runtime)
    }
    /// Bits per parameter over the whole model.
    pub fn bpw(&self) -> f64 {
        self.weight_bytes() as f64 * 8.0 / self.params.max(1) as f64
    }
    /// Share of a budget, in percent.
    pub fn percent_of(&self, budget: u64) -> f64 {
        self.total() as f64 * 100.0 / budget.max(1) as f64
    }
    pub fn fits(&self, budget: u64) -> bool {
        self.total() <= budget
    }
}

/// The footprint of `model` under `scheme` at this context, batch and KV format.
///
/// A raw count takes the layout of the nearest Llama-3 model (see `model::raw_template`): its weight
/// bytes scale linearly with the count, its KV cache with the cube root (layers and width grow
/// together, about as N^⅓ each).
pub fn evaluate(
    model: &ModelRef,
    scheme: &'static Scheme,
    ctx: u64,
    batch: u64,
    kv: &Format,
    runtime: &Runtime,
) -> Footprint {
    evaluate_pruned(model, scheme, Sparsity::Dense, ctx, batch, kv, runtime)
}

/// [`evaluate`] with the linear layers pruned to `sparsity`.
pub fn evaluate_pruned(
    model: &ModelRef,
    scheme: &'static Scheme,
    sparsity: Sparsity,
    ctx: u64,
    batch: u64,
    kv: &Format,
    runtime: &Runtime,
) -> Footprint {
    let (arch, ratio, estimated_from) = model.layout();
    let mut w = layout_weights_pruned(model, scheme, sparsity);
    let kv_parts = model_kv_parts(model, &arch, ratio, ctx, batch, kv);
    let (mut params, mut active) = model.layout_counts();
    // A raw count, or a preset scaled off its count: the layout's bytes scaled to the count.
    if let ModelRef::Count(n) | ModelRef::Scaled(_, n) = model {
        for c in w.classes.iter_mut().chain(w.formats.iter_mut().map(|(_, c)| c)) {
            *c = ClassBytes { params: scale_bytes(c.params, ratio), bytes: scale_bytes(c.bytes, ratio) };
        }
        active = if matches!(model, ModelRef::Count(_)) { *n } else { scale_bytes(active, ratio) };
        params = *n;
    }
    let (runtime, runtime_parts) = runtime.parts(w.bytes(), &arch, ctx, batch);
    let kv = kv_parts.iter().fold(0u64, |a, p| a.saturating_add(p.bytes));
    Footprint { params, active_params: active, weights: w, kv, kv_parts, runtime, runtime_parts, estimated_from }
}

pub(crate) fn scale_bytes(v: u64, r: f64) -> u64 {
    (v as f64 * r).round().min(MAX_SIZE_BYTES) as u64
}

/// The KV cache of `model` by kind of layer: its layout's, scaled by the cube root of the count
/// ratio for a raw count or a scaled preset (layers and width grow together).
fn model_kv_parts(model: &ModelRef, arch: &Arch, ratio: f64, ctx: u64, batch: u64, kv: &Format) -> Vec<KvPart> {
    let mut parts = kv_parts(arch, ctx, batch, kv);
    if let ModelRef::Count(_) | ModelRef::Scaled(..) = model {
        for p in &mut parts {
            p.bytes = scale_bytes(p.bytes, libm::cbrt(ratio));
            p.unit = scale_bytes(p.unit, libm::cbrt(ratio));
        }
    }
    parts
}

/// The largest context that fits: `tokens`, and whether the model's trained context (the cap)
/// decided it rather than the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextFit {
    pub tokens: u64,
    pub capped: bool,
}

/// The largest context at which `fixed` bytes (the weights, which do not depend on it), the
/// runtime at that context (`runtime_at`: a size or a share of the weights is the same at every
/// context; an engine's compute buffer grows with it) and the KV cache fit `budget`, at most the
/// layout's trained context; `None` when not even one token fits. Both grow with the context, so
/// a bisection finds it.
pub fn largest_context(
    model: &ModelRef,
    fixed: u64,
    runtime_at: &dyn Fn(u64) -> u64,
    batch: u64,
    kv: &Format,
    budget: u64,
) -> Option<ContextFit> {
    let (arch, ratio, _) = model.layout();
    let cap = arch.max_context.max(1);
    let fits = |ctx: u64| {
        let kv =
            model_kv_parts(model, &arch, ratio, ctx, batch, kv).iter().fold(0u64, |a, p| a.saturating_add(p.bytes));
        fixed.saturating_add(runtime_at(ctx)).saturating_add(kv) <= budget
    };
    bisect_context(cap, &fits)
}

/// The largest context up to `cap` for which `fits` holds, by bisection (`fits` grows no easier
/// with the context); `None` when not even one token fits.
pub fn bisect_context(cap: u64, fits: &dyn Fn(u64) -> bool) -> Option<ContextFit> {
    if !fits(1) {
        return None;
    }
    if fits(cap) {
        return Some(ContextFit { tokens: cap, capped: true });
    }
    // fits(lo) and !fits(hi) throughout.
    let (mut lo, mut hi) = (1, cap);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(ContextFit { tokens: lo, capped: false })
}

/// Per-class bytes for display, in [`Class::ALL`] order.
pub fn class_rows(f: &Footprint) -> impl Iterator<Item = (Class, ClassBytes)> + '_ {
    Class::ALL.iter().map(move |c| (*c, f.weights.classes[c.index()]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::format::{by_id, F16};
    use crate::core::catalog::model::preset;
    use crate::core::catalog::scheme;

    fn arch(id: &str) -> Arch {
        preset(id).unwrap().arch
    }

    /// Llama-3.1-8B in BF16 with 512 MiB of runtime: 16,060,522,496 + 536,870,912 bytes before any
    /// context, then 131,072 bytes a token (2 · 32 layers · 8 heads · 128 · 2 bytes). In 24 GB:
    /// (24e9 − 16,597,393,408) / 131,072 = 56,477.1, so 56,477 tokens; in 80 GB the trained
    /// 131,072 tokens fit and the cap decides; in 16 GB not one token does.
    #[test]
    fn largest_context_of_llama_3_1_8b_by_hand() {
        let m = ModelRef::Preset(preset("llama-3.1-8b").unwrap());
        let bf16 = scheme::by_id("bf16").unwrap();
        let runtime = Runtime::Fixed(Size::parse("512MiB", &crate::core::text::units::Unit::ALL, false).unwrap());
        let f = evaluate(&m, bf16, 1, 1, &F16, &runtime);
        assert_eq!((f.weight_bytes(), f.runtime), (16_060_522_496, 536_870_912));
        let fixed = f.weight_bytes() + f.runtime;
        let fit = largest_context(&m, fixed, &|_| 0, 1, &F16, 24_000_000_000).unwrap();
        assert_eq!(fit, ContextFit { tokens: 56_477, capped: false });
        // It fits there and not one token beyond.
        assert!(evaluate(&m, bf16, 56_477, 1, &F16, &runtime).total() <= 24_000_000_000);
        assert!(evaluate(&m, bf16, 56_478, 1, &F16, &runtime).total() > 24_000_000_000);
        // Four sequences share the budget: a quarter of the tokens each.
        assert_eq!(largest_context(&m, fixed, &|_| 0, 4, &F16, 24_000_000_000).unwrap().tokens, 56_477 / 4);
        assert_eq!(
            largest_context(&m, fixed, &|_| 0, 1, &F16, 80_000_000_000),
            Some(ContextFit { tokens: 131_072, capped: true })
        );
        assert_eq!(largest_context(&m, fixed, &|_| 0, 1, &F16, 16_000_000_000), None);
    }

    /// Sliding-window layers stop growing at their window, so past it only the full layers grow:
    /// Gemma-2-9B, 21 full + 21 local (4,096) layers of 8 KV heads × 256, F16.
    #[test]
    fn largest_context_past_a_window() {
        let m = ModelRef::Preset(preset("gemma-2-9b").unwrap());
        let per_layer_token = 2 * 8 * 256 * 2;
        let local = 21 * per_layer_token * 4096;
        let budget = 40_000_000_000;
        let fixed = 20_000_000_000;
        let fit = largest_context(&m, fixed, &|_| 0, 1, &F16, budget).unwrap();
        // The trained context (8,192) caps it: 21 · 8,192 + 21 · 4,096 token-layers fit easily.
        assert_eq!(fit, ContextFit { tokens: 8192, capped: true });
        let tight = fixed + local + 21 * per_layer_token * 6000;
        assert_eq!(
            largest_context(&m, fixed, &|_| 0, 1, &F16, tight).unwrap(),
            ContextFit { tokens: 6000, capped: false }
        );
    }

    #[test]
    fn kv_of_llama_3_1_8b_by_hand() {
        // 2 · 32 layers · 8 heads · 128 · 8192 tokens · 2 bytes
        assert_eq!(kv_bytes(&arch("llama-3.1-8b"), 8192, 1, &F16), 2 * 32 * 8 * 128 * 8192 * 2);
        assert_eq!(kv_bytes(&arch("llama-3.1-8b"), 8192, 4, &F16), 4 * 1_073_741_824);
        // Q8_0: 1024-wide rows are 32 blocks of 34 bytes.
        assert_eq!(kv_bytes(&arch("llama-3.1-8b"), 100, 1, by_id("q8_0").unwrap()), 2 * 32 * 100 * 32 * 34);
    }

    #[test]
    fn sliding_window_layers_stop_at_the_window() {
        // Gemma-2-9B: 21 global + 21 local (4096) layers, 8 KV heads of 256.
        let per_token_layer = 2 * 8 * 256 * 2;
        let expect = 21 * per_token_layer * 8192 + 21 * per_token_layer * 4096;
        assert_eq!(kv_bytes(&arch("gemma-2-9b"), 8192, 1, &F16), expect);
        // Below the window every layer keeps every token.
        assert_eq!(kv_bytes(&arch("gemma-2-9b"), 1000, 1, &F16), 42 * per_token_layer * 1000);
    }

    /// Chunked layers keep at most one chunk, sliding layers the window, both at most the
    /// context; the batch multiplies every kind.
    #[test]
    fn each_layer_kind_keeps_its_own_tokens() {
        use crate::core::catalog::model::{Local, DECODER};
        // Llama 4 Scout's attention: 48 layers, 8 KV heads of 128; 36 chunked (8,192), 12 full.
        let scout = Arch { layers: 48, local: Some(Local { kind: LocalKind::Chunked(8192), period: 4 }), ..DECODER };
        let per_layer_token = 2 * 8 * 128 * 2;
        let p = kv_parts(&scout, 32768, 2, &F16);
        assert_eq!(
            p[0],
            KvPart {
                kind: KvKind::Full,
                layers: 12,
                tokens: 32768,
                unit: 12 * per_layer_token,
                bytes: 2 * 12 * per_layer_token * 32768
            }
        );
        assert_eq!(
            p[1],
            KvPart {
                kind: KvKind::Chunked(8192),
                layers: 36,
                tokens: 8192,
                unit: 36 * per_layer_token,
                bytes: 2 * 36 * per_layer_token * 8192
            }
        );
        assert_eq!(kv_bytes(&scout, 32768, 2, &F16), 2 * per_layer_token * (12 * 32768 + 36 * 8192));
        // Below a chunk every layer keeps every token.
        assert_eq!(kv_bytes(&scout, 1000, 1, &F16), 48 * per_layer_token * 1000);
        // Every layer sliding (Mistral-7B v0.1: `sliding_window` 4096 on all 32 layers).
        let mistral = Arch { local: Some(Local { kind: LocalKind::Sliding(4096), period: 0 }), ..DECODER };
        assert_eq!(kv_parts(&mistral, 32768, 1, &F16).len(), 1);
        assert_eq!(kv_bytes(&mistral, 32768, 1, &F16), 32 * per_layer_token * 4096);
    }

    /// llama.cpp's sliding-window cache per sequence: `GGML_PAD(min(n_ctx_seq, n_swa + n_ubatch),
    /// 256)` (src/llama-kv-cache-iswa.cpp). Measured: Gemma-4 E4B at `-c 4096`, n_swa 512,
    /// n_ubatch 1024 logs "creating SWA KV cache, size = 1536 cells" (qualcomm/GenieX#1346).
    /// Gemma 3 270M (18 layers, one KV head of 256, window 512, 3 global layers) at `-c 1024`
    /// logs 1536 cells / 27.0 MiB with 3 slots and 1024 cells / 18.0 MiB with 4 (unslothai/unsloth#7530):
    /// llama.cpp gives each slot 1024/3 rounded up to 512 cells, or 256.
    #[test]
    fn llama_cpp_swa_cache_sizes() {
        use crate::core::catalog::model::{Local, DECODER};
        assert_eq!(llama_cpp_swa_cells(4096, 512, 1024), 1536);
        assert_eq!(llama_cpp_swa_cells(131072, 128, LLAMA_CPP_UBATCH), 768);
        assert_eq!(llama_cpp_swa_cells(8192, 4096, LLAMA_CPP_UBATCH), 4608);
        assert_eq!(llama_cpp_swa_cells(1000, 4096, LLAMA_CPP_UBATCH), 1024);
        let g270m = Arch {
            layers: 18,
            hidden: 640,
            heads: 4,
            kv_heads: 1,
            head_dim: 256,
            local: Some(Local { kind: LocalKind::Sliding(512), period: 6 }),
            ..DECODER
        };
        for (slots, seq, mib) in [(3, 512, 27 << 20), (4, 256, 18 << 20)] {
            assert_eq!(llama_cpp_swa_cells(seq, 512, LLAMA_CPP_UBATCH), seq);
            assert_eq!(kv_bytes(&g270m, seq, slots, &F16), mib, "{slots} slots");
        }
    }

    #[test]
    fn mla_caches_the_latent() {
        // DeepSeek-V3: 61 layers × (512 + 64) per token.
        assert_eq!(kv_bytes(&arch("deepseek-v3"), 4096, 1, &F16), 61 * 576 * 4096 * 2);
    }

    #[test]
    fn encoders_have_no_kv_cache() {
        assert_eq!(kv_bytes(&arch("bert-base"), 512, 8, &F16), 0);
    }

    #[test]
    fn raw_counts_scale_their_template() {
        let bf16 = scheme::by_id("bf16").unwrap();
        let rt = Runtime::Fixed(Size { value: 0.0, unit: crate::core::text::units::Unit::GB });
        let exact = evaluate(&ModelRef::Preset(preset("llama-3.1-8b").unwrap()), bf16, 8192, 1, &F16, &rt);
        let raw = evaluate(&ModelRef::Count(16_060_522_496), bf16, 8192, 1, &F16, &rt);
        assert_eq!(raw.params, 16_060_522_496);
        assert_eq!(raw.estimated_from, Some("Llama-3.1-8B"));
        assert_eq!(raw.weight_bytes(), 2 * exact.weight_bytes());
        assert_eq!(raw.kv, (exact.kv as f64 * libm::cbrt(2f64)).round() as u64);
        assert!(exact.estimated_from.is_none());
    }

    #[test]
    fn memoized_weights_equal_the_walk() {
        for id in ["q4_k_m", "bf16", "int4_g128"] {
            let sc = scheme::by_id(id).unwrap();
            for m in [ModelRef::Preset(preset("deepseek-v3").unwrap()), ModelRef::Count(40_000_000_000)] {
                let arch = m.layout().0;
                assert_eq!(layout_weights(&m, sc), weights(&arch, sc));
                assert_eq!(layout_weights(&m, sc), weights(&arch, sc), "second call, from the cache");
                assert_eq!(m.layout_counts(), (arch.params(), arch.active_params()));
            }
        }
    }

    #[test]
    fn runtime_terms() {
        let a = crate::core::catalog::model::preset("llama-3.1-8b").unwrap().arch;
        assert_eq!(Runtime::parse("10%").unwrap().parts(1000, &a, 1, 1), (100, None));
        assert_eq!(Runtime::parse("512MiB").unwrap().parts(1, &a, 1, 1), (536_870_912, None));
        assert_eq!(Runtime::parse("0GB").unwrap().parts(5, &a, 1, 1).0, 0);
        let vllm = Runtime::parse(" vLLM ").unwrap();
        assert_eq!(vllm, Runtime::Modelled(Engine::Vllm));
        assert_eq!(vllm.encode(), "vllm");
        let (total, parts) = vllm.parts(1, &a, 4096, 1);
        assert_eq!(Some(total), parts.map(|p| p.total()));
        // Per card: a share of the weights splits, a size and an engine's buffers do not.
        assert_eq!(Runtime::parse("10%").unwrap().per_card(100, 4), 25);
        assert_eq!(vllm.per_card(100, 4), 100);
        assert_eq!((vllm.fixed_part(), Runtime::parse("10%").unwrap().fixed_part()), (Engine::Vllm.context(), 0));
        assert!(Runtime::parse("-5%").is_err());
        assert!(Runtime::parse("NaN%").is_err());
        assert!(Runtime::parse("5 parsecs").is_err());
        assert_eq!(Runtime::parse("2.5%").unwrap().encode(), "2.5%");
    }
}
