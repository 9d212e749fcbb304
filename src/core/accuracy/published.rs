//! Published llama.cpp perplexities (wikitext-2 test, context 512, no importance matrix) that
//! the quantization penalty is fitted to. Δloss = ln(PPL_quant / PPL_16).
//!
//! Sources:
//! - `L1`: LLaMA-v1 7B and 13B. The legacy types (Q8_0, Q5_1, Q5_0, Q4_1, Q4_0) from the
//!   llama.cpp README "Quantization" table (mid-2023, marked outdated there); the k-quants from
//!   PR #1684 (ikawrakow, "k-quants", June 2023). Sizes in GiB as printed.
//!   LLaMA-v1 30B and 65B: PR #1684 gives only their file sizes; no perplexities for them were
//!   found in the thread or elsewhere (a commenter asked for them and got no numbers), so they
//!   are not in the fit.
//! - `L2`: Llama-2-70B, "Llama 2 70B (old)" scorechart of llama.cpp's perplexity README
//!   (`examples/perplexity/README.md`, later `tools/perplexity/README.md`).
//! - `L3`: Llama-3-8B, the scoreboard of the same README (from PR #6936), no-imatrix rows.

/// One published measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The preset id of the model.
    pub model: &'static str,
    /// The scheme id (llama-quantize preset).
    pub scheme: &'static str,
    pub ppl: f64,
    /// The model file's size in GiB, where published.
    pub gib: Option<f64>,
}

/// A model's 16-bit perplexity and where the figures come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    pub model: &'static str,
    pub ppl16: f64,
    pub gib16: Option<f64>,
    pub source: &'static str,
}

pub const BASELINES: &[Baseline] = &[
    Baseline {
        model: "llama-7b",
        ppl16: 5.9066,
        gib16: Some(13.0),
        source: "llama.cpp README quantization table (legacy types); PR #1684 (k-quants)",
    },
    Baseline {
        model: "llama-13b",
        ppl16: 5.2543,
        gib16: Some(25.0),
        source: "llama.cpp README quantization table (legacy types); PR #1684 (k-quants)",
    },
    Baseline {
        model: "llama-2-70b",
        ppl16: 3.4313,
        gib16: Some(128.5),
        source: "llama.cpp tools/perplexity/README.md, “Llama 2 70B (old)”",
    },
    Baseline {
        model: "llama-3-8b",
        ppl16: 6.233160,
        gib16: Some(14.97),
        source: "llama.cpp tools/perplexity/README.md, Llama-3-8B scoreboard (PR #6936)",
    },
];

const fn p(model: &'static str, scheme: &'static str, ppl: f64, gib: Option<f64>) -> Point {
    Point { model, scheme, ppl, gib }
}

pub const POINTS: &[Point] = &[
    p("llama-7b", "q8_0", 5.9070, Some(6.7)),
    p("llama-7b", "q5_1", 5.9481, Some(4.7)),
    p("llama-7b", "q5_0", 5.9862, Some(4.3)),
    p("llama-7b", "q4_1", 6.0912, Some(3.9)),
    p("llama-7b", "q4_0", 6.1565, Some(3.5)),
    p("llama-7b", "q6_k", 5.9110, Some(5.15)),
    p("llama-7b", "q5_k_m", 5.9208, Some(4.45)),
    p("llama-7b", "q4_k_m", 5.9601, Some(3.80)),
    p("llama-7b", "q5_k_s", 5.9419, Some(4.33)),
    p("llama-7b", "q4_k_s", 6.0215, Some(3.56)),
    p("llama-7b", "q3_k_m", 6.1503, Some(3.06)),
    p("llama-7b", "q2_k", 6.7764, Some(2.67)),
    p("llama-13b", "q8_0", 5.2548, Some(13.0)),
    p("llama-13b", "q5_1", 5.2706, Some(9.1)),
    p("llama-13b", "q5_0", 5.2856, Some(8.3)),
    p("llama-13b", "q4_1", 5.3608, Some(7.6)),
    p("llama-13b", "q4_0", 5.3860, Some(6.8)),
    p("llama-13b", "q6_k", 5.2568, Some(9.95)),
    p("llama-13b", "q5_k_m", 5.2638, None),
    p("llama-13b", "q4_k_m", 5.3002, None),
    p("llama-13b", "q5_k_s", 5.2785, Some(8.36)),
    p("llama-13b", "q4_k_s", 5.3404, Some(6.80)),
    p("llama-13b", "q3_k_m", 5.4498, Some(5.88)),
    p("llama-13b", "q2_k", 5.8545, Some(5.13)),
    p("llama-2-70b", "q2_k", 3.7339, Some(27.27)),
    p("llama-2-70b", "q3_k_m", 3.5932, Some(30.83)),
    p("llama-2-70b", "q4_0", 3.5550, Some(36.20)),
    p("llama-2-70b", "q4_k_m", 3.4725, Some(38.54)),
    p("llama-2-70b", "q5_k_m", 3.4451, Some(45.41)),
    p("llama-2-70b", "q6_k", 3.4367, Some(52.70)),
    p("llama-2-70b", "q4_1", 3.5125, Some(40.20)),
    p("llama-2-70b", "q5_0", 3.4744, Some(44.20)),
    p("llama-2-70b", "q3_k_s", 3.7019, Some(27.86)),
    p("llama-2-70b", "q3_k_l", 3.5617, Some(33.67)),
    p("llama-2-70b", "q4_k_s", 3.4852, Some(36.39)),
    p("llama-2-70b", "q5_k_s", 3.4483, Some(44.20)),
    p("llama-3-8b", "q8_0", 6.234284, Some(7.96)),
    p("llama-3-8b", "q6_k", 6.253382, Some(6.14)),
    p("llama-3-8b", "q5_k_m", 6.288607, Some(5.33)),
    p("llama-3-8b", "q4_k_m", 6.407115, Some(4.58)),
    p("llama-3-8b", "q4_0", 6.700147, Some(4.34)),
    p("llama-3-8b", "q3_k_m", 6.888498, Some(3.74)),
    p("llama-3-8b", "q2_k", 9.751568, Some(2.96)),
];

pub fn baseline(model: &str) -> Option<&'static Baseline> {
    BASELINES.iter().find(|b| b.model == model)
}

impl Point {
    /// ln(PPL_quant / PPL_16): the loss a quantization added, in nats per token.
    pub fn delta_loss(&self) -> f64 {
        baseline(self.model).map_or(f64::NAN, |b| libm::log(self.ppl / b.ppl16))
    }
}
