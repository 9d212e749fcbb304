//! Expected accuracy, on one measured scale: WikiText-2 log-perplexity (llama.cpp, context 512,
//! per Llama-2 token). Size, data, precision and pruning are each fitted to published
//! perplexities measured that way.
//!
//! ```text
//! L₁₆(N, D)      = E + c · ln(A/N^α + B/D^β)                     ([`scale`]: c fitted across sizes)
//! δ(N, D, mix)   = C · D^γD / N^γN · Σ_f w_f · exp(−b_f / γ)     (Kumar et al. 2024, eq. 2)
//! b_f            = SQNR_f / 6.02 dB                              (format f on the reference tensor)
//! Δloss          = δ(mix) − δ(all BF16)
//! N′ (16-bit eq.) : L₁₆(N′, D) = L₁₆(N, D) + Δloss  ⇒  A/N′^α = x·e^(Δ/c) − B/D^β, x = A/N^α + B/D^β
//! ```
//! A/N^α + B/D^β is a published pretraining law's reducible loss (Epoch's refit of Chinchilla by
//! default): it says how parameters trade against tokens. c and E are fitted to dense
//! perplexities across sizes; C, γD, γN and γ to quantized ones ([`fit`]), as ln(PPL/PPL₁₆).
//! `w_f` is the share of the model's parameters stored in format `f` (a llama-quantize preset
//! mixes several). Kumar et al. use one precision `P_post`; summing the per-format terms is
//! this project's extension for mixes.
//!
//! **Mixture of experts** (this project's rule, checked in [`holdout`]): the law sees
//! N = √(N_total · N_active); a dense model has N = N_total. Training tokens default to 20·N.
//!
//! **Pruning** ([`pruning`]): a model pruned in one shot at 50 % unstructured, 4:8 or 2:4 is a
//! dense model of N_eff = N·f parameters (f fitted to Wanda's published perplexities on this
//! scale), quantized like the dense one. Its Δloss is against the dense model at 16 bits, and its
//! band takes the rule's worst ratio on the pruning part. Other patterns get no estimate.

pub mod bits;
pub mod fit;
pub mod holdout;
pub mod pruning;
pub mod published;
pub mod scale;

use crate::core::catalog::model::ModelRef;
use crate::core::catalog::scheme::{self, Scheme};
use crate::core::catalog::sparsity::Sparsity;
use crate::core::memory::footprint::{layout_weights, Weights};

/// Which published pretraining law gives the shape of the size and data terms (how parameters
/// trade against tokens); [`scale`] maps it onto the measured scale.
///
/// The constants are transcribed from secondary copies (two independent notes that agree to
/// every digit, and give Epoch's standard errors); the papers' own tables could not be reached
/// from here to check them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Law {
    /// Besiroglu et al. 2024, "Chinchilla Scaling: A replication attempt" (arXiv 2404.10102),
    /// their refit of Hoffmann et al.'s Approach 3 data.
    #[default]
    Epoch,
    /// Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", Approach 3
    /// (α, β unrounded from the paper's TeX source; E, A, B as printed).
    Hoffmann,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LawConstants {
    pub e: f64,
    pub a: f64,
    pub b: f64,
    pub alpha: f64,
    pub beta: f64,
}

impl Law {
    pub const ALL: [Law; 2] = [Law::Epoch, Law::Hoffmann];

    pub fn constants(self) -> LawConstants {
        match self {
            Law::Epoch => LawConstants { e: 1.8172, a: 482.01, b: 2085.43, alpha: 0.3478, beta: 0.3658 },
            Law::Hoffmann => LawConstants { e: 1.69, a: 406.4, b: 410.7, alpha: 0.3392, beta: 0.2849 },
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Law::Epoch => "epoch",
            Law::Hoffmann => "hoffmann",
        }
    }

    pub fn label(self, t: &crate::core::text::i18n::Strings) -> &'static str {
        match self {
            Law::Epoch => t.law_epoch,
            Law::Hoffmann => t.law_hoffmann,
        }
    }

    pub fn from_id(id: &str) -> Option<Law> {
        Law::ALL.into_iter().find(|l| l.id() == id.trim().to_ascii_lowercase())
    }

    /// A/N^α + B/D^β: the pretraining law's reducible loss, nats per token.
    pub fn reducible(self, n: f64, d: f64) -> f64 {
        let c = self.constants();
        c.a / libm::pow(n, c.alpha) + c.b / libm::pow(d, c.beta)
    }

    /// The fitted mapping onto the measured scale (`scale::fit_all` reproduces it;
    /// `fitted_scale_is_current` checks it).
    pub fn scale(self) -> scale::Scale {
        match self {
            Law::Epoch => scale::Scale { c: EPOCH_SCALE.0, e_ref: EPOCH_SCALE.1 },
            Law::Hoffmann => scale::Scale { c: HOFFMANN_SCALE.0, e_ref: HOFFMANN_SCALE.1 },
        }
    }

    /// E_ref + c·ln(A/N^α + B/D^β): the 16-bit log-perplexity of a dense model of N parameters
    /// trained on D tokens, on the reference scale.
    pub fn loss(self, n: f64, d: f64) -> f64 {
        let s = self.scale();
        s.e_ref + s.c * libm::log(self.reducible(n, d))
    }

    /// The N′ whose 16-bit loss at the same D is `delta` higher than N's:
    /// A/N′^α = x·e^(Δ/c) − B/D^β with x = A/N^α + B/D^β.
    pub fn equivalent_params(self, n: f64, d: f64, delta: f64) -> f64 {
        if delta <= 0.0 {
            return n;
        }
        let k = self.constants();
        let size = self.reducible(n, d) * libm::exp(delta / self.scale().c) - k.b / libm::pow(d, k.beta);
        libm::pow(size / k.a, -1.0 / k.alpha)
    }
}

/// (c, E_ref) fitted by `scale::fit_all` (`bitbudget accuracy-fit` prints them).
pub const EPOCH_SCALE: (f64, f64) = (0.875653, 2.958869);
pub const HOFFMANN_SCALE: (f64, f64) = (1.065425, 2.956589);

/// The quantization penalty's constants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Penalty {
    /// ln C.
    pub ln_c: f64,
    pub gamma_d: f64,
    pub gamma_n: f64,
    pub gamma_post: f64,
}

/// Kumar et al. 2024, Appendix K, as transcribed second-hand (the paper's own table could not
/// be checked from here); only the fit's starting point.
pub const KUMAR: Penalty = Penalty {
    ln_c: -2.816_750, // ln 0.0598
    gamma_d: 0.5068,
    gamma_n: 0.3439,
    gamma_post: 0.5907,
};

/// The constants fitted to [`published::POINTS`] by [`fit::fit`] (`bitbudget accuracy-fit`
/// prints them; `fitted_constants_are_current` checks these are the fit's output).
pub const FITTED: Penalty = Penalty { ln_c: -9.322789, gamma_d: 0.402703, gamma_n: 0.067808, gamma_post: 0.805525 };
/// Root-mean-square of the fit's log residuals: the uncertainty band is Δloss · e^(±σ).
pub const FIT_SIGMA: f64 = 0.277067;

impl Penalty {
    /// C · D^γD / N^γN: how much a model of this size and training suffers from noise.
    pub fn sensitivity(&self, n: f64, d: f64) -> f64 {
        libm::exp(self.ln_c + self.gamma_d * libm::log(d) - self.gamma_n * libm::log(n))
    }

    /// Σ_f w_f · exp(−b_f/γ) over the formats of a weight mix.
    pub fn exposure(&self, mix: &[(f64, f64)]) -> f64 {
        mix.iter().map(|(share, bits)| share * libm::exp(-bits / self.gamma_post)).sum()
    }

    /// The bits a single format would need to give this exposure: −γ·ln(exposure).
    pub fn mix_bits(&self, exposure: f64) -> f64 {
        if exposure > 0.0 {
            -self.gamma_post * libm::log(exposure)
        } else {
            f64::INFINITY
        }
    }
}

/// A weight mix as (share of parameters, effective bits) per format.
pub fn mix(w: &Weights) -> Vec<(f64, f64)> {
    let total = w.params().max(1) as f64;
    w.formats.iter().map(|(f, c)| (c.params as f64 / total, bits::effective_bits(f))).collect()
}

/// Where a configuration's training-token count came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokensFrom {
    User,
    Preset,
    /// 20 tokens per parameter (Chinchilla's compute-optimal ratio).
    Rule,
}

/// Everything the page shows about one configuration's expected accuracy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Parameters the law sees (√(total·active) for MoE; N·f when pruned).
    pub n: f64,
    pub tokens: f64,
    pub tokens_from: TokensFrom,
    /// Effective bits of the weight mix.
    pub bits: f64,
    /// Loss at 16 bits and with this scheme, nats per token.
    pub loss16: f64,
    pub loss: f64,
    /// loss − loss16, with the band from the fit residuals.
    pub delta: f64,
    pub delta_lo: f64,
    pub delta_hi: f64,
    /// The 16-bit-equivalent parameter count, with its band.
    pub n16: f64,
    pub n16_lo: f64,
    pub n16_hi: f64,
}

impl Estimate {
    /// Perplexity increase over 16 bits, percent: (e^Δ − 1)·100.
    pub fn ppl_increase_percent(&self) -> f64 {
        libm::expm1(self.delta) * 100.0
    }
}

/// The parameters the law sees, and the default token count.
pub fn law_params(model: &ModelRef) -> f64 {
    let (arch, ratio, _) = model.layout();
    let (params, active) = model.layout_counts();
    let total = match model {
        ModelRef::Count(n) | ModelRef::Scaled(_, n) => *n as f64,
        ModelRef::Preset(_) | ModelRef::Custom(_) => params as f64,
    };
    if arch.moe.is_some() {
        (total * active as f64 * ratio).sqrt()
    } else {
        total
    }
}

pub fn training_tokens(model: &ModelRef, user: Option<u64>) -> (f64, TokensFrom) {
    if let Some(t) = user {
        return (t as f64, TokensFrom::User);
    }
    // A preset scaled by the slider keeps the tokens it was trained on.
    match model.preset() {
        Some(p) if p.trained_tokens.is_some() => (p.trained_tokens.unwrap_or(0.0), TokensFrom::Preset),
        _ => (20.0 * law_params(model), TokensFrom::Rule),
    }
}

/// What the law needs to know about one model (at one training-token count), computed once
/// and reused for every scheme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelLaw {
    pub n: f64,
    pub tokens: f64,
    pub tokens_from: TokensFrom,
    penalty: Penalty,
    sigma: f64,
    law: Law,
    sensitivity: f64,
    base: f64,
    exposure16: f64,
    pruning: Option<PrunedBy>,
}

/// What a pruned model's law remembers of the dense one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrunedBy {
    /// The fitted f (N_eff = N·f) and the rule's worst predicted/measured ratio.
    pub f: f64,
    pub worst: f64,
    dense_n: f64,
    dense_loss16: f64,
}

impl ModelLaw {
    /// With the page's fitted penalty.
    pub fn new(model: &ModelRef, tokens: Option<u64>, law: Law) -> ModelLaw {
        ModelLaw::with(&FITTED, FIT_SIGMA, model, tokens, law)
    }

    pub fn with(p: &Penalty, sigma: f64, model: &ModelRef, tokens: Option<u64>, law: Law) -> ModelLaw {
        let n = law_params(model).max(1.0);
        ModelLaw::of(p, sigma, model, n, training_tokens(model, tokens), law)
    }

    /// `model`'s shape with every count scaled by `scale` (an MoE's experts and widths alike):
    /// the law sees `scale` times its parameters, trained on `tokens` or 20 per parameter (a
    /// preset's published count is not the scaled copy's).
    pub fn scaled(model: &ModelRef, scale: f64, tokens: Option<u64>, law: Law) -> ModelLaw {
        let n = (law_params(model) * scale).max(1.0);
        let d = tokens.map_or((20.0 * n, TokensFrom::Rule), |t| (t as f64, TokensFrom::User));
        ModelLaw::of(&FITTED, FIT_SIGMA, model, n, d, law)
    }

    fn of(p: &Penalty, sigma: f64, model: &ModelRef, n: f64, tokens: (f64, TokensFrom), law: Law) -> ModelLaw {
        let (d, tokens_from) = tokens;
        let d = d.max(1.0);
        let exposure16 = scheme::by_id("bf16").map_or(0.0, |s| p.exposure(&mix(&layout_weights(model, s))));
        ModelLaw {
            n,
            tokens: d,
            tokens_from,
            penalty: *p,
            sigma,
            law,
            sensitivity: p.sensitivity(n, d),
            base: law.loss(n, d),
            exposure16,
            pruning: None,
        }
    }

    /// This model with its linear layers pruned to `sparsity`: the law of a dense model of
    /// N·f parameters at the same tokens ([`pruning::rule`]); itself when dense.
    pub fn pruned(&self, sparsity: Sparsity) -> Result<ModelLaw, pruning::NoRule> {
        if sparsity == Sparsity::Dense {
            return Ok(*self);
        }
        let g = pruning::rule(sparsity, self.law)?;
        let dense = self.pruning.map_or((self.n, self.loss16()), |p| (p.dense_n, p.dense_loss16));
        let n = dense.0 * g.f;
        Ok(ModelLaw {
            n,
            sensitivity: self.penalty.sensitivity(n, self.tokens),
            base: self.law.loss(n, self.tokens),
            pruning: Some(PrunedBy { f: g.f, worst: g.worst, dense_n: dense.0, dense_loss16: dense.1 }),
            ..*self
        })
    }

    /// The pruning rule this law applies, if any.
    pub fn pruned_by(&self) -> Option<PrunedBy> {
        self.pruning
    }

    /// The estimate for this model with weights `w` (a footprint's, or [`weights`]' output).
    /// A pruned law's Δloss (and its 16-bit equivalent) is against the dense model at 16 bits.
    pub fn estimate(&self, w: &Weights) -> Estimate {
        let exposure = self.penalty.exposure(&mix(w));
        let quant = self.sensitivity * (exposure - self.exposure16);
        let band = libm::exp(self.sigma);
        let (loss16, n_ref, delta, delta_lo, delta_hi) = match self.pruning {
            None => (self.loss16(), self.n, quant, quant / band, quant * band),
            Some(p) => {
                let prune = self.loss16() - p.dense_loss16;
                (
                    p.dense_loss16,
                    p.dense_n,
                    prune + quant,
                    prune / p.worst + quant / band,
                    prune * p.worst + quant * band,
                )
            }
        };
        Estimate {
            n: self.n,
            tokens: self.tokens,
            tokens_from: self.tokens_from,
            bits: self.penalty.mix_bits(exposure),
            loss16,
            loss: self.base + self.sensitivity * exposure,
            delta,
            delta_lo,
            delta_hi,
            n16: self.law.equivalent_params(n_ref, self.tokens, delta),
            n16_lo: self.law.equivalent_params(n_ref, self.tokens, delta_hi),
            n16_hi: self.law.equivalent_params(n_ref, self.tokens, delta_lo),
        }
    }

    /// Predicted loss at 16 bits.
    pub fn loss16(&self) -> f64 {
        self.base + self.sensitivity * self.exposure16
    }
}

/// The estimate for `model` under `scheme`, with the page's fitted penalty.
pub fn estimate(model: &ModelRef, scheme: &'static Scheme, tokens: Option<u64>, law: Law) -> Estimate {
    ModelLaw::new(model, tokens, law).estimate(&layout_weights(model, scheme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::model::preset;

    fn m(id: &str) -> ModelRef {
        ModelRef::Preset(preset(id).unwrap())
    }

    fn q(id: &str) -> &'static Scheme {
        scheme::by_id(id).unwrap()
    }

    /// Hand calculation: Epoch's law at N = 7e9, D = 1.4e12.
    /// 482.01 / 7e9^0.3478 = 0.181523; 2085.43 / 1.4e12^0.3658 = 0.075187; x = 0.256710;
    /// L = 2.958869 + 0.875653 · ln 0.256710 = 2.958869 − 0.875653 · 1.359810 = 1.768147.
    #[test]
    fn epoch_law_by_hand() {
        assert!((Law::Epoch.reducible(7e9, 1.4e12) - 0.256710).abs() < 1e-6);
        let l = Law::Epoch.loss(7e9, 1.4e12);
        assert!((l - 1.768147).abs() < 1e-5, "{l}");
        // Hoffmann: 406.4 / 7e9^0.3392 + 410.7 / 1.4e12^0.2849 = 0.18599 + 0.14226 = 0.32825.
        assert!((Law::Hoffmann.reducible(7e9, 1.4e12) - 0.32825).abs() < 1e-4);
        let s = Law::Hoffmann.scale();
        assert!((Law::Hoffmann.loss(7e9, 1.4e12) - (s.e_ref + s.c * libm::log(0.32825))).abs() < 2e-4);
    }

    /// N′ inverts the law: a model N′ at 16 bits has the loss of N plus Δ at the same D.
    #[test]
    fn equivalent_params_inverts_the_law() {
        for law in Law::ALL {
            let (n, d, delta) = (70e9, 2e12, 0.0119);
            let n16 = law.equivalent_params(n, d, delta);
            assert!(n16 < n);
            let back = law.loss(n16, d) - law.loss(n, d);
            assert!((back - delta).abs() < 1e-12, "{back}");
            assert_eq!(law.equivalent_params(n, d, 0.0), n);
            assert_eq!(law.equivalent_params(n, d, -1.0), n);
        }
        // By hand (Epoch): x = 0.1474851; x·e^(0.0119/0.875653) − 2085.43/2e12^0.3658 = 0.1495034
        // − 0.0659721 = 0.0835313; (0.0835313 / 482.01)^(−1/0.3478) = 6.52e10.
        let n16 = Law::Epoch.equivalent_params(70e9, 2e12, 0.0119);
        assert!((n16 / 6.525e10 - 1.0).abs() < 0.005, "{n16}");
    }

    /// The penalty's parts by hand with Kumar's constants.
    #[test]
    fn sensitivity_by_hand() {
        // 0.0598 · (1e12)^0.5068 / (1e10)^0.3439 = 0.0598 · 1.20670e6 / 2747.9 = 26.260.
        let s = KUMAR.sensitivity(1e10, 1e12);
        assert!((s / 26.26 - 1.0).abs() < 1e-3, "{s}");
        assert!((KUMAR.mix_bits(libm::exp(-4.0 / KUMAR.gamma_post)) - 4.0).abs() < 1e-12);
        assert_eq!(KUMAR.mix_bits(0.0), f64::INFINITY);
    }

    #[test]
    fn coarser_costs_more_and_bigger_suffers_less() {
        let order = ["bf16", "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q3_k_m", "q2_k"];
        let est: Vec<Estimate> = order.iter().map(|s| estimate(&m("llama-3-8b"), q(s), None, Law::Epoch)).collect();
        assert!(est[0].delta.abs() < 1e-9);
        for w in est.windows(2) {
            assert!(w[1].delta > w[0].delta, "{} ≤ {}", w[1].delta, w[0].delta);
            assert!(w[1].n16 <= w[0].n16);
            assert!(w[1].bits < w[0].bits);
        }
        for e in &est {
            assert!(e.delta_lo <= e.delta && e.delta <= e.delta_hi);
            assert!((e.loss - e.loss16 - e.delta).abs() < 1e-12);
        }
        let q4 = q("q4_k_m");
        let small = estimate(&ModelRef::Count(8_000_000_000), q4, Some(1_000_000_000_000), Law::Epoch);
        let big = estimate(&ModelRef::Count(70_000_000_000), q4, Some(1_000_000_000_000), Law::Epoch);
        assert!(big.delta < small.delta);
    }

    /// LLaMA-13B at Q4_K_M ranks above LLaMA-7B at F16 (measured 5.30 vs 5.91).
    #[test]
    fn llama_13b_q4_k_m_beats_llama_7b_f16() {
        for law in Law::ALL {
            let big = estimate(&m("llama-13b"), q("q4_k_m"), None, law);
            let small = estimate(&m("llama-7b"), q("f16"), None, law);
            assert!(big.loss < small.loss, "{law:?}: {} vs {}", big.loss, small.loss);
        }
    }

    /// The issue's first example. llama.cpp measured Llama-2-70B at Q2_K 3.7339 (ctx 512, the
    /// 27.27 GiB mix of Aug 2023) and Llama-2-13B at F16 5.0999 (PR #4969, ctx 512): the bigger,
    /// coarser model is better by ln(3.7339/5.0999) = −0.312. Today's Q2_K (23.71 GiB) costs more
    /// than that file did, and the page still ranks it first.
    #[test]
    fn llama_2_70b_q2_k_beats_llama_2_13b_f16() {
        for law in Law::ALL {
            let big = estimate(&m("llama-2-70b"), q("q2_k"), None, law);
            let small = estimate(&m("llama-2-13b"), q("f16"), None, law);
            assert!(big.loss < small.loss, "{law:?}: {} vs {}", big.loss, small.loss);
            // Between the measured gap and none: the size term alone is −0.28 to −0.32.
            let gap = big.loss - small.loss;
            assert!(gap < -0.05 && gap > -0.35, "{law:?}: {gap}");
        }
        // Epoch by hand, the 16-bit step: c·ln(x(68.98e9, 2e12) / x(13.02e9, 2e12))
        // = 0.875653 · ln((0.081873 + 0.065972) / (0.146144 + 0.065972)) = 0.875653 · −0.36147 = −0.31652.
        let step = estimate(&m("llama-2-70b"), q("f16"), None, Law::Epoch).loss
            - estimate(&m("llama-2-13b"), q("f16"), None, Law::Epoch).loss;
        assert!((step + 0.3165).abs() < 2e-3, "{step}");
    }

    /// Llama-2-13B at FP16 2:4, by hand: Wanda's 2:4 f on the measured scale (fitted in
    /// `pruning`), then the 16-bit law at N·f and the penalty at N·f for F16 weights.
    #[test]
    fn llama_2_13b_fp16_2_4_by_hand() {
        let f = pruning::rule(Sparsity::NM { n: 2, m: 4 }, Law::Epoch).unwrap().f;
        // f minimises Σ (ln(c·ln(x(N·f)/x(N))) − ln Δ)² over 7B, 13B, 70B: 0.0684.
        assert!((f - 0.0684).abs() < 0.0005, "{f}");
        let (n, d) = (13_015_864_320f64 * f, 2e12f64);
        let f16 = q("f16");
        let m13 = m("llama-2-13b");
        let exposure = FITTED.exposure(&mix(&layout_weights(&m13, f16)));
        let sens = (FITTED.ln_c + FITTED.gamma_d * d.ln() - FITTED.gamma_n * n.ln()).exp();
        let (a, b, alpha, beta) = (482.01f64, 2085.43f64, 0.3478f64, 0.3658f64);
        let want = EPOCH_SCALE.1 + EPOCH_SCALE.0 * (a * n.powf(-alpha) + b * d.powf(-beta)).ln() + sens * exposure;
        let law = ModelLaw::new(&m13, None, Law::Epoch);
        let got = law.pruned(Sparsity::NM { n: 2, m: 4 }).unwrap().estimate(&layout_weights(&m13, f16));
        assert!((got.loss - want).abs() < 1e-9, "{} vs {want}", got.loss);
        // N·f = 0.890e9: 2.958869 + 0.875653 · ln(482.01 / 0.890e9^0.3478 + 0.065972) = 2.2356.
        assert!((got.loss - 2.2356).abs() < 1e-3, "{}", got.loss);
        assert!((got.n - n).abs() < 1.0);
        // Δ is against the dense 13B at 16 bits, and lands near the measured ln(8.27/4.57) = 0.593.
        assert!((got.delta - (got.loss - law.loss16())).abs() < 1e-12);
        assert_eq!(got.loss16, law.loss16());
        assert!((got.delta / (8.27f64 / 4.57).ln() - 1.0).abs() < 0.15, "{}", got.delta);
        assert!(got.delta_lo < got.delta && got.delta < got.delta_hi);
        // Its 16-bit equivalent is the dense count with that loss: N·f within the penalty.
        assert!((got.n16 / n - 1.0).abs() < 0.01, "{} vs {n}", got.n16);
        // Quantizing the pruned model costs on top: Q4_K_M 2:4 is worse than F16 2:4.
        let q4 = layout_weights(&m13, q("q4_k_m"));
        assert!(law.pruned(Sparsity::NM { n: 2, m: 4 }).unwrap().estimate(&q4).loss > got.loss);
        // No rule for 1:4: no estimate.
        assert!(law.pruned(Sparsity::NM { n: 1, m: 4 }).is_err());
        assert_eq!(law.pruned(Sparsity::Dense), Ok(law));
    }

    /// One slider step off Llama-3.1-70B keeps its 15T tokens, so the loss moves by the step's
    /// size alone (before, it became a raw count at 20 tokens per parameter: 1.9584 → 1.9854).
    #[test]
    fn a_scaled_preset_keeps_its_tokens() {
        let p = preset("llama-3.1-70b").unwrap();
        let q4 = q("q4_k_m");
        let at = |m: ModelRef| estimate(&m, q4, None, Law::Epoch);
        let (home, step) = (at(ModelRef::Preset(p)), at(ModelRef::Preset(p).with_count(71_100_000_000)));
        assert_eq!((step.tokens, step.tokens_from), (15e12, TokensFrom::Preset));
        assert!(step.loss < home.loss && home.loss - step.loss < 0.002, "{} → {}", home.loss, step.loss);
        assert!((step.n / 71.1e9 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn moe_uses_the_geometric_mean_and_tokens_default_to_20n() {
        let mix = m("mixtral-8x7b");
        let n = law_params(&mix);
        assert!((n - (46_702_792_704f64 * 12_879_925_248f64).sqrt()).abs() < 1.0);
        assert_eq!(training_tokens(&mix, None), (20.0 * n, TokensFrom::Rule));
        assert_eq!(training_tokens(&mix, Some(8)), (8.0, TokensFrom::User));
        assert_eq!(training_tokens(&m("llama-7b"), None), (1e12, TokensFrom::Preset));
        assert_eq!(law_params(&ModelRef::Count(123)), 123.0);
    }
}
