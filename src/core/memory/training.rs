//! Training memory: weights, gradients and optimizer state per parameter (full fine-tuning,
//! LoRA, QLoRA), activations from the architecture, and ZeRO partitioning across devices.
//!
//! Bytes per trained parameter (weights + gradients + optimizer state):
//! - Adam in FP32: 4 + 4 + 8 (m, v) = 16.
//! - Mixed precision (Rajbhandari et al. 2020, ZeRO §3.1): 16-bit weights and gradients,
//!   FP32 master weights, momentum and variance: 2 + 2 + 12 = 16 ("K = 12").
//! - 8-bit Adam (Dettmers et al. 2022, bitsandbytes): mixed precision with 8-bit m and v:
//!   2 + 2 + (4 + 1 + 1) = 10.
//!
//! ZeRO across G devices (same paper, Figure 1): stage 1 divides the optimizer state by G,
//! stage 2 also the gradients, stage 3 also the weights.
//!
//! LoRA trains r·(in + out) parameters per adapted matrix, with the optimizer's bytes; the base
//! stays frozen in the configuration's format (no gradients). QLoRA is LoRA on a base stored as
//! NF4 with double quantization (Dettmers et al. 2023).
//!
//! Activations (Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer
//! Models", §4.1, 16-bit, no parallelism): per layer s·b·h·(34 + 5·a·s/h) bytes for sequence s,
//! micro-batch b, hidden h and a heads. With full activation checkpointing each layer keeps only
//! its 16-bit input, 2·s·b·h, and one layer's activations are rebuilt at a time. The formula is
//! for GPT's 4h MLP and materialised attention scores; fused attention kernels drop the 5·a·s/h
//! term, so it is an upper bound for them.

use crate::core::catalog::model::{Kind, ModelRef};
use crate::core::catalog::scheme::{self, Scheme};
use crate::core::catalog::sparsity::Sparsity;
use crate::core::memory::footprint::layout_weights;
use crate::core::text::i18n::{fill, Strings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Optimizer {
    AdamFp32,
    #[default]
    MixedAdam,
    Adam8bit,
}

impl Optimizer {
    pub const ALL: [Optimizer; 3] = [Optimizer::AdamFp32, Optimizer::MixedAdam, Optimizer::Adam8bit];

    /// (weights, gradients, optimizer state incl. master weights) bytes per trained parameter.
    pub fn bytes(self) -> (u64, u64, u64) {
        match self {
            Optimizer::AdamFp32 => (4, 4, 8),
            Optimizer::MixedAdam => (2, 2, 12),
            Optimizer::Adam8bit => (2, 2, 6),
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Optimizer::AdamFp32 => "adam32",
            Optimizer::MixedAdam => "mixed",
            Optimizer::Adam8bit => "adam8",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Optimizer::AdamFp32 => "Adam, FP32 (16 B/param)",
            Optimizer::MixedAdam => "Adam, mixed precision (16 B/param)",
            Optimizer::Adam8bit => "8-bit Adam, mixed precision (10 B/param)",
        }
    }

    pub fn from_id(id: &str) -> Option<Optimizer> {
        Optimizer::ALL.into_iter().find(|o| o.id() == id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    #[default]
    Full,
    Lora,
    Qlora,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Full, Method::Lora, Method::Qlora];

    pub fn id(self) -> &'static str {
        match self {
            Method::Full => "full",
            Method::Lora => "lora",
            Method::Qlora => "qlora",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Full => "Full fine-tuning",
            Method::Lora => "LoRA (frozen base in the configuration's format)",
            Method::Qlora => "QLoRA (frozen NF4 + double-quant base)",
        }
    }

    pub fn from_id(id: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.id() == id)
    }
}

/// Which matrices LoRA adapts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Targets {
    /// q and v projections (the LoRA paper's choice).
    #[default]
    QueryValue,
    /// Every linear layer (QLoRA's choice).
    AllLinear,
}

impl Targets {
    pub fn id(self) -> &'static str {
        match self {
            Targets::QueryValue => "qv",
            Targets::AllLinear => "all",
        }
    }

    pub fn covers(self, k: Kind) -> bool {
        match self {
            Targets::QueryValue => matches!(k, Kind::AttnQ | Kind::AttnV | Kind::AttnQkv),
            Targets::AllLinear => k.is_linear(),
        }
    }
}

pub const MAX_RANK: u32 = 4096;
pub const MAX_DEVICES: u32 = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Training {
    pub method: Method,
    pub optimizer: Optimizer,
    pub rank: u32,
    pub targets: Targets,
    pub checkpointing: bool,
    /// ZeRO stage 0 to 3.
    pub zero: u8,
    pub devices: u32,
}

impl Default for Training {
    fn default() -> Training {
        Training {
            method: Method::Full,
            optimizer: Optimizer::MixedAdam,
            rank: 16,
            targets: Targets::QueryValue,
            checkpointing: false,
            zero: 0,
            devices: 1,
        }
    }
}

/// Bytes per device of one training configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TrainingBytes {
    /// Model weights held by this device (the trained copy, or the frozen base).
    pub weights: u64,
    pub gradients: u64,
    /// Optimizer state, FP32 master weights included.
    pub optimizer: u64,
    /// LoRA adapters' own weights (their gradients and state are in the two fields above).
    pub adapters: u64,
    pub activations: u64,
    /// Parameters trained (all of them, or the adapters').
    pub trained_params: u64,
}

impl TrainingBytes {
    pub fn states(&self) -> u64 {
        self.weights + self.gradients + self.optimizer + self.adapters
    }
    pub fn total(&self) -> u64 {
        self.states() + self.activations
    }
}

/// Activation bytes per device for a layer stack (Korthikanti et al. 2022; see the module).
pub fn activation_bytes(layers: u64, seq: u64, batch: u64, hidden: u64, heads: u64, checkpointing: bool) -> u64 {
    let (s, b, h, a) = (seq as u128, batch as u128, hidden as u128, heads as u128);
    let layer = s * b * h * 34 + 5 * a * s * s * b;
    let total = if checkpointing { u128::from(layers) * 2 * s * b * h + layer } else { u128::from(layers) * layer };
    total.min(u128::from(u64::MAX)) as u64
}

/// LoRA parameters: r·(in + out) for each adapted matrix.
pub fn lora_params(model: &ModelRef, rank: u32, targets: Targets) -> u64 {
    let (arch, ratio, _) = model.layout();
    let n: u64 = arch
        .tensors()
        .iter()
        .filter(|t| targets.covers(t.kind))
        .map(|t| u64::from(rank) * (t.rows + t.cols) * t.count)
        .sum();
    // A raw count scales its template: adapters grow like the width, the square root of the ratio.
    (n as f64 * ratio.sqrt()).round() as u64
}

/// Divides by `g` when `on`, rounding up (each device holds its whole share).
fn share(bytes: u64, on: bool, g: u32) -> u64 {
    if on {
        bytes.div_ceil(u64::from(g.max(1)))
    } else {
        bytes
    }
}

/// Training memory per device for `model` (whose inference format is `scheme`: the frozen base
/// of LoRA), at sequence length `seq` and micro-batch `batch` per device.
pub fn training_bytes(model: &ModelRef, scheme: &'static Scheme, seq: u64, batch: u64, t: &Training) -> TrainingBytes {
    let (arch, ratio, _) = model.layout();
    let params = match model {
        ModelRef::Count(n) | ModelRef::Scaled(_, n) => *n,
        _ => model.layout_counts().0,
    };
    let (w, g, o) = t.optimizer.bytes();
    let g_devices = t.devices.max(1);
    let scale = |b: u64| (b as f64 * ratio).round() as u64;
    let (hidden, layers) = match model {
        // A raw count's width and depth grow about as the cube root of the ratio each.
        ModelRef::Count(_) | ModelRef::Scaled(..) => {
            ((arch.hidden as f64 * libm::cbrt(ratio)) as u64, (f64::from(arch.layers) * libm::cbrt(ratio)) as u64)
        }
        _ => (arch.hidden, u64::from(arch.layers)),
    };
    let activations = activation_bytes(layers.max(1), seq, batch, hidden.max(1), arch.heads, t.checkpointing);
    match t.method {
        Method::Full => TrainingBytes {
            weights: share(params * w, t.zero >= 3, g_devices),
            gradients: share(params * g, t.zero >= 2, g_devices),
            optimizer: share(params * o, t.zero >= 1, g_devices),
            adapters: 0,
            activations,
            trained_params: params,
        },
        Method::Lora | Method::Qlora => {
            let base_scheme = match t.method {
                Method::Qlora => scheme::by_id("nf4_dq").unwrap_or(scheme),
                _ => scheme,
            };
            let base = scale(layout_weights(model, base_scheme).bytes());
            let n = lora_params(model, t.rank, t.targets);
            TrainingBytes {
                weights: share(base, t.zero >= 3, g_devices),
                gradients: share(n * g, t.zero >= 2, g_devices),
                optimizer: share(n * o, t.zero >= 1, g_devices),
                adapters: share(n * w, t.zero >= 3, g_devices),
                activations,
                trained_params: n,
            }
        }
    }
}

/// What one configuration takes, the one way every view counts it: for inference its
/// footprint; in training mode the weights held while training, gradients, optimizer state and
/// activations, plus the footprint's runtime term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    /// The weights as stored (the trained copy or the frozen base when training).
    pub weights: u64,
    pub total: u64,
    pub training: Option<TrainingBytes>,
}

pub fn memory(
    f: &crate::core::memory::footprint::Footprint,
    model: &ModelRef,
    scheme: &'static Scheme,
    ctx: u64,
    batch: u64,
    training: Option<&Training>,
) -> Memory {
    match training {
        Some(t) => {
            let b = training_bytes(model, scheme, ctx, batch, t);
            Memory { weights: b.weights, total: b.total().saturating_add(f.runtime), training: Some(b) }
        }
        None => Memory { weights: f.weight_bytes(), total: f.total(), training: None },
    }
}

/// The format the weights are held in while training: 16 or 32 bits for full fine-tuning
/// (the configuration's format is what it is served in), the base's for LoRA, NF4 for QLoRA.
pub fn stored_scheme(scheme: &'static Scheme, t: &Training) -> &'static Scheme {
    let id = match (t.method, t.optimizer) {
        (Method::Full, Optimizer::AdamFp32) => "f32",
        (Method::Full, _) => "bf16",
        (Method::Qlora, _) => "nf4_dq",
        (Method::Lora, _) => return scheme,
    };
    scheme::by_id(id).unwrap_or(scheme)
}

/// A configuration's title (`Llama-2-13B @ F16 · 2:4 sparse`) as the mode stores it: in
/// training, the format its weights are held in while training, and the served format when that
/// differs (`8B @ BF16, trained for Q4_K_M`).
pub fn mode_title(
    model: &ModelRef,
    scheme: &'static crate::core::catalog::scheme::Scheme,
    sparsity: Sparsity,
    training: Option<&Training>,
    t: &Strings,
) -> String {
    let plain = sparsity.titled(format!("{} @ {}", model.label_in(t), scheme.name), t);
    let Some(tr) = training else { return plain };
    let stored = stored_scheme(scheme, tr);
    if std::ptr::eq(stored, scheme) {
        return plain;
    }
    let held = sparsity.titled(format!("{} @ {}", model.label_in(t), stored.name), t);
    fill(t.trained_for, &[&held, scheme.name])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::model::preset;

    fn m(id: &str) -> ModelRef {
        ModelRef::Preset(preset(id).unwrap())
    }

    /// HF accelerate's `estimate-memory bert-base-cased`: 413.18 MB of FP32 weights and 1.61 GB
    /// "Training using Adam" (binary units), i.e. 16 B/param for BertModel's 108,310,272
    /// parameters; accelerate also counts BertModel's two int64 buffers of 512 (8,192 bytes).
    #[test]
    fn accelerate_bert_base_cased_adam() {
        let emb = 28996 * 768 + 512 * 768 + 2 * 768 + 2 * 768;
        let layer = 4 * (768 * 768 + 768) + 2 * 768 + (768 * 3072 + 3072) + (3072 * 768 + 768) + 2 * 768;
        let params: u64 = emb + 12 * layer + 768 * 768 + 768;
        assert_eq!(params, 108_310_272);
        let (w, g, o) = Optimizer::AdamFp32.bytes();
        let mib = |b: u64| b as f64 / 1048576.0;
        assert_eq!(format!("{:.2}", mib(params * w + 8192)), "413.18");
        assert_eq!(format!("{:.2}", mib(params * (w + g + o)) / 1024.0), "1.61");
    }

    /// ZeRO, Figure 1: Ψ = 7.5B, K = 12, 64 devices: 120, 31.4, 16.6 and 1.9 GB per device.
    #[test]
    fn zero_paper_figure_1() {
        let psi = ModelRef::Count(7_500_000_000);
        let mut t = Training { devices: 64, ..Training::default() };
        let want = [120.0, 31.4, 16.6, 1.9];
        for (stage, w) in want.iter().enumerate() {
            t.zero = stage as u8;
            let b = training_bytes(&psi, scheme::by_id("bf16").unwrap(), 1, 1, &t);
            let gb = b.states() as f64 / 1e9;
            assert!((gb - w).abs() < 0.05 * w.max(1.0), "stage {stage}: {gb} GB vs {w}");
        }
    }

    /// The figure: Llama-3.1-8B, mixed-precision Adam, one device: 8.03e9 × 16 B.
    #[test]
    fn llama_8b_mixed_adam_states() {
        let b = training_bytes(&m("llama-3.1-8b"), scheme::by_id("bf16").unwrap(), 4096, 1, &Training::default());
        assert_eq!(b.states(), 8_030_261_248 * 16);
        assert_eq!((b.weights, b.gradients, b.optimizer), (8_030_261_248 * 2, 8_030_261_248 * 2, 8_030_261_248 * 12));
        // Activations by hand: 32 · (4096·1·4096·34 + 5·32·4096²·1) = 32 · (570,425,344 + 2,684,354,560).
        assert_eq!(b.activations, 32 * (570_425_344 + 2_684_354_560));
        let ck = training_bytes(
            &m("llama-3.1-8b"),
            scheme::by_id("bf16").unwrap(),
            4096,
            1,
            &Training { checkpointing: true, ..Training::default() },
        );
        assert_eq!(ck.activations, 32 * 2 * 4096 * 4096 + 570_425_344 + 2_684_354_560);
    }

    /// LoRA r = 16 on q and v of Llama-3.1-8B: 32 layers × 16 × ((4096 + 4096) + (4096 + 1024)).
    #[test]
    fn lora_and_qlora() {
        let n = lora_params(&m("llama-3.1-8b"), 16, Targets::QueryValue);
        assert_eq!(n, 32 * 16 * (8192 + 5120));
        let t = Training { method: Method::Lora, ..Training::default() };
        let b = training_bytes(&m("llama-3.1-8b"), scheme::by_id("bf16").unwrap(), 512, 1, &t);
        assert_eq!(b.weights, 16_060_522_496);
        assert_eq!((b.adapters, b.gradients, b.optimizer), (2 * n, 2 * n, 12 * n));
        let q = training_bytes(
            &m("llama-3.1-8b"),
            scheme::by_id("bf16").unwrap(),
            512,
            1,
            &Training { method: Method::Qlora, ..t },
        );
        // NF4 on the linear layers; embeddings and head stay BF16 (2 × 525M × 2 bytes).
        assert!(q.weights < b.weights * 4 / 10, "NF4 base: {}", q.weights);
        assert_eq!(q.trained_params, n);
        let all = lora_params(&m("llama-3.1-8b"), 16, Targets::AllLinear);
        // + k (4096 + 1024), o (4096 + 4096), gate/up (4096 + 14336) ×2, down (14336 + 4096).
        assert_eq!(all, n + 32 * 16 * (5120 + 8192 + 3 * 18432));
    }
}
