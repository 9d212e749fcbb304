//! Published measurements of the other size levers, and a rule fitted to the pruning ones.
//!
//! Pruning: WikiText-2 perplexity of LLaMA-2 pruned in one shot (no retraining) by magnitude,
//! SparseGPT and Wanda, at 50 % unstructured, 4:8 and 2:4, from the Wanda repository's README
//! (locuslab/wanda @1317b0ba; Sun et al., ICLR 2024, arXiv 2306.11695), evaluated at the models'
//! full context (4096), so comparable within this table and not with llama.cpp's ctx-512 figures.
//!
//! Distillation: DistilBERT against BERT-base on GLUE (Sanh et al., arXiv 1910.01108) and
//! DistilGPT2 against GPT-2 on WikiText-103 (the Hugging Face transformers distillation README).
//!
//! The rule: a pruned model behaves like a dense one with fewer parameters, N_eff = N · f, with
//! one f per pattern and method, on the measured scale: Δloss = L₁₆(N·f, D) − L₁₆(N, D) =
//! c·ln(x(N·f, D) / x(N, D)). For each (pattern, method) f is the least-squares fit in log Δ over
//! the three sizes (a one-dimensional search). A group whose predicted Δ misses a measurement by
//! more than a factor of 2 is not used to estimate anything: the page shows its measurements only.

use super::Law;
use crate::core::catalog::sparsity::Sparsity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Magnitude,
    SparseGpt,
    Wanda,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Magnitude, Method::SparseGpt, Method::Wanda];

    pub fn name(self, t: &crate::core::text::i18n::Strings) -> &'static str {
        match self {
            Method::Magnitude => t.m_magnitude,
            Method::SparseGpt => "SparseGPT",
            Method::Wanda => "Wanda",
        }
    }
}

/// One published perplexity of a pruned model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pruned {
    /// A preset id.
    pub model: &'static str,
    pub sparsity: Sparsity,
    pub method: Method,
    pub ppl: f64,
}

/// The models of the table, whose dense perplexities are the `wanda` run's in [`super::published`].
pub const MODELS: [&str; 3] = ["llama-2-7b", "llama-2-13b", "llama-2-70b"];

pub const WANDA_SOURCE: &str =
    "Wanda README (locuslab/wanda; Sun et al. 2023, arXiv 2306.11695): WikiText-2 perplexity at 4096 tokens";

const U50: Sparsity = Sparsity::Unstructured { percent: 50 };
const NM48: Sparsity = Sparsity::NM { n: 4, m: 8 };
const NM24: Sparsity = Sparsity::NM { n: 2, m: 4 };

const fn row(model: &'static str, sparsity: Sparsity, method: Method, ppl: f64) -> Pruned {
    Pruned { model, sparsity, method, ppl }
}

use Method::{Magnitude as Mag, SparseGpt as Sg, Wanda as Wa};

pub const PRUNED: [Pruned; 27] = [
    row("llama-2-7b", U50, Mag, 14.89),
    row("llama-2-13b", U50, Mag, 6.37),
    row("llama-2-70b", U50, Mag, 4.98),
    row("llama-2-7b", U50, Sg, 6.51),
    row("llama-2-13b", U50, Sg, 5.63),
    row("llama-2-70b", U50, Sg, 3.98),
    row("llama-2-7b", U50, Wa, 6.42),
    row("llama-2-13b", U50, Wa, 5.56),
    row("llama-2-70b", U50, Wa, 3.98),
    row("llama-2-7b", NM48, Mag, 16.48),
    row("llama-2-13b", NM48, Mag, 6.76),
    row("llama-2-70b", NM48, Mag, 5.58),
    row("llama-2-7b", NM48, Sg, 8.12),
    row("llama-2-13b", NM48, Sg, 6.60),
    row("llama-2-70b", NM48, Sg, 4.59),
    row("llama-2-7b", NM48, Wa, 7.97),
    row("llama-2-13b", NM48, Wa, 6.55),
    row("llama-2-70b", NM48, Wa, 4.47),
    row("llama-2-7b", NM24, Mag, 54.59),
    row("llama-2-13b", NM24, Mag, 8.33),
    row("llama-2-70b", NM24, Mag, 6.33),
    row("llama-2-7b", NM24, Sg, 10.17),
    row("llama-2-13b", NM24, Sg, 8.32),
    row("llama-2-70b", NM24, Sg, 5.40),
    row("llama-2-7b", NM24, Wa, 11.02),
    row("llama-2-13b", NM24, Wa, 8.27),
    row("llama-2-70b", NM24, Wa, 5.16),
];

/// A distilled student against its teacher.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distilled {
    pub student: &'static str,
    pub teacher: &'static str,
    pub metric: &'static str,
    pub student_score: f64,
    pub teacher_score: f64,
    pub source: &'static str,
}

pub const DISTILLED: [Distilled; 2] = [
    Distilled {
        student: "distilbert-base",
        teacher: "bert-base",
        metric: "GLUE dev macro-score (higher is better)",
        student_score: 77.0,
        teacher_score: 79.5,
        source: "Sanh et al. 2019 (arXiv 1910.01108), Table 1",
    },
    Distilled {
        student: "distilgpt2",
        teacher: "gpt2",
        metric: "WikiText-103 test perplexity after fine-tuning (lower is better)",
        student_score: 18.5,
        teacher_score: 15.0,
        source: "Hugging Face transformers, examples/research_projects/distillation README",
    },
];

pub fn dense_ppl(model: &str) -> Option<f64> {
    super::published::baseline("wanda", model).map(|d| d.ppl)
}

/// Where a published perplexity sits on the page's loss scale: the predicted 16-bit loss of its
/// reference model (the dense one, or the teacher), plus the measured ln(PPL / reference PPL).
pub fn placed_loss(reference: &crate::core::catalog::model::ModelRef, law: Law, ppl: f64, ref_ppl: f64) -> f64 {
    super::ModelLaw::new(reference, None, law).loss16() + libm::log(ppl / ref_ppl)
}

/// The measured Δloss of a row: ln(PPL / dense PPL).
pub fn measured_delta(p: &Pruned) -> f64 {
    dense_ppl(p.model).map_or(f64::NAN, |d| libm::log(p.ppl / d))
}

/// The fitted f of one group, and each of its points as (model, measured Δ, predicted Δ).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFit {
    pub sparsity: Sparsity,
    pub method: Method,
    pub f: f64,
    pub points: Vec<(&'static str, f64, f64)>,
    /// The largest predicted/measured ratio either way (≥ 1).
    pub worst: f64,
}

impl GroupFit {
    /// Whether the rule may be used for this group: every point within a factor of 2.
    pub fn usable(&self) -> bool {
        self.worst <= 2.0
    }
}

fn params(model: &str) -> (f64, f64) {
    crate::core::catalog::model::preset(model)
        .map_or((f64::NAN, f64::NAN), |p| (p.counts().0 as f64, p.trained_tokens.unwrap_or(f64::NAN)))
}

/// Δloss of a preset pruned to N·f on a scale of slope `c`: c·ln(x(N·f, D) / x(N, D)).
pub fn predicted_delta(model: &str, f: f64, law: Law, c: f64) -> f64 {
    let (n, d) = params(model);
    c * libm::log(law.reducible(n * f, d) / law.reducible(n, d))
}

/// Fits f for one (pattern, method): c·ln(x(N·f)/x(N)) = Δ, least squares in log Δ.
pub fn fit_group(sparsity: Sparsity, method: Method, law: Law) -> GroupFit {
    fit_rows(sparsity, method, law, &|_| true)
}

/// [`fit_group`] over the rows `keep` accepts (the held-out checks leave a model out).
pub fn fit_rows(sparsity: Sparsity, method: Method, law: Law, keep: &dyn Fn(&Pruned) -> bool) -> GroupFit {
    fit_rows_with(sparsity, method, law, law.scale().c, keep)
}

/// [`fit_rows`] with the scale's c given (a refit's).
pub fn fit_rows_with(sparsity: Sparsity, method: Method, law: Law, c: f64, keep: &dyn Fn(&Pruned) -> bool) -> GroupFit {
    let rows: Vec<&Pruned> =
        PRUNED.iter().filter(|p| p.sparsity == sparsity && p.method == method && keep(p)).collect();
    let predicted = |model: &str, f: f64| predicted_delta(model, f, law, c);
    let cost = |ln_f: f64| {
        let f = libm::exp(ln_f);
        rows.iter().map(|p| (libm::log(predicted(p.model, f)) - libm::log(measured_delta(p))).powi(2)).sum::<f64>()
    };
    // Golden-section search on ln f over (1e-6, 1): the cost has one minimum there.
    let (mut a, mut b) = (libm::log(1e-6), -1e-9);
    let g = (libm::sqrt(5.0) - 1.0) / 2.0;
    for _ in 0..200 {
        let (x1, x2) = (b - g * (b - a), a + g * (b - a));
        if cost(x1) < cost(x2) {
            b = x2;
        } else {
            a = x1;
        }
    }
    let f = libm::exp((a + b) / 2.0);
    let points: Vec<(&'static str, f64, f64)> =
        rows.iter().map(|p| (p.model, measured_delta(p), predicted(p.model, f))).collect();
    let worst = points.iter().map(|(_, m, p)| (p / m).max(m / p)).fold(1.0, f64::max);
    GroupFit { sparsity, method, f, points, worst }
}

/// The method whose fitted f a pruned configuration's estimate uses: Wanda, the best published
/// one-shot method in the table (its groups have the smallest worst ratios).
pub const APPLIED: Method = Method::Wanda;

/// Why a pruning pattern gets no estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoRule {
    /// The table has no measurement at this pattern to fit f to.
    Unmeasured,
    /// The fitted f misses a measurement by more than a factor of 2 (the worst ratio).
    Misfit(f64),
}

/// The rule a configuration pruned to `sparsity` is estimated with: [`APPLIED`]'s group at that
/// pattern, when the table has one and it lands within a factor of 2 of every measurement.
pub fn rule(sparsity: Sparsity, law: Law) -> Result<GroupFit, NoRule> {
    if sparsity == Sparsity::Dense || !PRUNED.iter().any(|p| p.sparsity == sparsity && p.method == APPLIED) {
        return Err(NoRule::Unmeasured);
    }
    thread_local! {
        /// Each fit once: a slider step re-estimates pruned rows, and the search is 400 costs.
        static FITS: std::cell::RefCell<Vec<(Sparsity, Law, GroupFit)>> = Default::default();
    }
    let g = FITS.with(|f| {
        let mut f = f.borrow_mut();
        if let Some((_, _, g)) = f.iter().find(|(s, l, _)| *s == sparsity && *l == law) {
            return g.clone();
        }
        let g = fit_group(sparsity, APPLIED, law);
        f.push((sparsity, law, g.clone()));
        g
    });
    if g.usable() {
        Ok(g)
    } else {
        Err(NoRule::Misfit(g.worst))
    }
}

/// Every group of the table, in its order.
pub fn fit_all(law: Law) -> Vec<GroupFit> {
    [U50, NM48, NM24].iter().flat_map(|s| Method::ALL.iter().map(move |m| fit_group(*s, *m, law))).collect()
}

/// The published perplexities of a preset at a pattern (every method), and its dense one.
pub fn published_for(model: &str, sparsity: Sparsity) -> (Vec<&'static Pruned>, Option<f64>) {
    let rows = PRUNED.iter().filter(|p| p.model == model && p.sparsity == sparsity).collect();
    (rows, dense_ppl(model))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_the_readme() {
        assert_eq!(PRUNED.len(), 27);
        for m in ["llama-2-7b", "llama-2-13b", "llama-2-70b"] {
            assert_eq!(PRUNED.iter().filter(|p| p.model == m).count(), 9, "{m}");
            assert!(crate::core::catalog::model::preset(m).is_some(), "{m} is a preset");
        }
        // Spot checks against the README: 13B 2:4 Wanda 8.27, dense 7B 5.12.
        let (rows, dense) = published_for("llama-2-13b", NM24);
        assert_eq!(rows.iter().find(|p| p.method == Method::Wanda).unwrap().ppl, 8.27);
        assert_eq!(dense, Some(4.57));
        assert_eq!(dense_ppl("llama-2-7b"), Some(5.12));
        // Every pruned model is worse than its dense one.
        assert!(PRUNED.iter().all(|p| measured_delta(p) > 0.0));
    }

    /// Each f is the least-squares minimum in log Δ (a nudge either way costs more); its
    /// residuals say how well one f per group follows the three sizes.
    #[test]
    fn the_rule_and_where_it_fails() {
        let fits = fit_all(Law::Epoch);
        assert_eq!(fits.len(), 9);
        let c = Law::Epoch.scale().c;
        for g in &fits {
            assert!(g.f > 0.0 && g.f < 1.0, "{:?} {:?}: f = {}", g.sparsity, g.method, g.f);
            let cost = |f: f64| {
                g.points
                    .iter()
                    .map(|(m, meas, _)| libm::log(predicted_delta(m, f, Law::Epoch, c) / meas).powi(2))
                    .sum::<f64>()
            };
            assert!(cost(g.f) <= cost(g.f * 1.01) && cost(g.f) <= cost(g.f / 1.01), "{:?} {:?}", g.sparsity, g.method);
        }
        // Every SparseGPT and Wanda group lands within a factor of 2 of its three measurements;
        // magnitude pruning at 2:4 does not (its 7B collapses: 54.59 against 8.33 for 13B).
        for g in &fits {
            let collapse = g.method == Method::Magnitude && g.sparsity == NM24;
            assert_eq!(g.usable(), !collapse, "{:?} {:?}: worst ratio {}", g.sparsity, g.method, g.worst);
        }
        let worst = |m| fits.iter().filter(|g| g.method == m).map(|g| g.worst).fold(1.0, f64::max);
        assert!(worst(Method::Magnitude) > worst(Method::Wanda));
        // 2:4 costs more than 4:8, which costs more than 50 % unstructured: f falls with them.
        let f = |s, m| fits.iter().find(|g| g.sparsity == s && g.method == m).unwrap().f;
        assert!(f(U50, Method::Wanda) > f(NM48, Method::Wanda) && f(NM48, Method::Wanda) > f(NM24, Method::Wanda));
    }

    /// The applied rule is Wanda's group at the three measured patterns; any other pattern has
    /// nothing to fit.
    #[test]
    fn the_applied_rule_is_wanda_at_measured_patterns_only() {
        for law in Law::ALL {
            for s in [U50, NM48, NM24] {
                let g = rule(s, law).unwrap();
                assert_eq!(g, fit_group(s, Method::Wanda, law));
            }
            for s in [Sparsity::Dense, Sparsity::NM { n: 1, m: 4 }, Sparsity::Unstructured { percent: 30 }] {
                assert_eq!(rule(s, law), Err(NoRule::Unmeasured), "{s:?}");
            }
        }
        // Epoch's law on the measured scale: 2:4 Wanda f ≈ 0.068 (a 13B pruned 2:4 behaves like a
        // dense 0.89B; on the pretraining law's scale it was 0.0067, a dense 87M).
        let f = rule(NM24, Law::Epoch).unwrap().f;
        assert!((f - 0.0684).abs() < 0.0005, "{f}");
    }
}
