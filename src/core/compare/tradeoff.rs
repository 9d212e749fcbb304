//! Size against expected accuracy: every scheme for one model (the chart's curves), the best
//! configurations that fit the budget, and the size-parity family of one configuration.

use crate::core::catalog::model::{ModelRef, PRESETS};
use crate::core::catalog::scheme::{self, schemes, Scheme};
use crate::core::catalog::sparsity::Sparsity;
use crate::core::estimate::{Estimate, ModelLaw};
use crate::core::memory::footprint::evaluate_pruned;
use crate::core::state::scenario::{Candidates, Config, Scenario};
use crate::core::text::i18n::Lang;

/// One model under one scheme, with its size and its estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub model: ModelRef,
    pub scheme: &'static Scheme,
    /// Training mode's settings: its sizes are training's, its title says what is stored.
    pub training: Option<crate::core::memory::training::Training>,
    /// Pruning of the linear layers (a configuration's; the families and lists are dense).
    pub sparsity: Sparsity,
    pub tokens: Option<u64>,
    pub weights: u64,
    pub total: u64,
    pub est: Estimate,
    pub fits: bool,
    /// Where it sits when it is split (with RAM, or by layers over the cards).
    pub placement: Option<crate::core::memory::offload::Placement>,
    /// Decode tokens per second at most ([`Scenario::decode_tps`]); `None` where it was not
    /// asked for (the chart's sweeps) or no bandwidth is known.
    pub tps: Option<f64>,
}

/// How much worse (Δloss, nats) a configuration that fits the GPU alone may be and still rank
/// above one that needs system RAM: about 2 % of perplexity. Reading from RAM makes decoding
/// several times slower, which a small gain in accuracy rarely pays for.
pub const RAM_PENALTY: f64 = 0.02;

impl Candidate {
    /// Whether it fits only with part of it in system RAM.
    pub fn needs_ram(&self) -> bool {
        self.placement.as_ref().is_some_and(|p| p.ram > 0)
    }

    /// Whether it decodes at least the scenario's floor (`tps=`), or no floor is set, or its
    /// speed is unknown (a bare size has no bandwidth: the page says so beside the floor).
    pub fn fast_enough(&self, s: &Scenario) -> bool {
        s.accuracy.min_tps == 0 || self.tps.is_none_or(|t| t >= f64::from(s.accuracy.min_tps))
    }

    /// What "best for my budget" ranks by: the predicted loss, plus [`RAM_PENALTY`] when part of
    /// it sits in RAM.
    pub fn rank_loss(&self) -> f64 {
        self.est.loss + if self.needs_ram() { RAM_PENALTY } else { 0.0 }
    }
}

impl Candidate {
    pub fn title(&self) -> String {
        self.title_in(Lang::En)
    }

    pub fn title_in(&self, lang: Lang) -> String {
        crate::core::memory::training::mode_title(
            &self.model,
            self.scheme,
            self.sparsity,
            self.training.as_ref(),
            lang.strings(),
        )
    }

    /// `model@scheme+sparsity`, as the link writes it.
    pub fn key(&self) -> String {
        format!("{}@{}{}", self.model.encode(), self.scheme.id, self.sparsity.suffix())
    }
}

/// The context the sweep keeps fixed: a configuration's context, batch, KV format and pruning,
/// and the scenario's runtime term, budget and law (`law` already pruned like `c`).
/// `None` when the scheme puts a format the lab cannot measure into this model (a candidate
/// needs an estimate).
/// A model at a scheme, with its decode bound when `tps` asks for it (it walks the model's
/// layers: the chart's sweeps and the best-for-budget search without a floor leave it out).
fn candidate(
    s: &Scenario,
    c: &Config,
    law: &ModelLaw,
    model: ModelRef,
    scheme: &'static Scheme,
    tps: bool,
) -> Option<Candidate> {
    let f = evaluate_pruned(&model, scheme, c.sparsity, c.ctx, c.batch, c.kv, &s.runtime);
    if crate::core::estimate::bits::unmeasured(&f.weights).is_some() {
        return None;
    }
    let m = crate::core::memory::training::memory(&f, &model, scheme, c.ctx, c.batch, s.training.as_ref());
    let placed = Config { model, scheme, ..c.clone() };
    let placement = s.placement(&placed, &f);
    let tps = if tps { s.decode_tps(&placed, &f, placement.as_ref()) } else { None };
    Some(Candidate {
        model,
        scheme,
        training: s.training,
        sparsity: c.sparsity,
        tokens: c.tokens,
        weights: m.weights,
        total: m.total,
        est: law.estimate(&f.weights),
        fits: s.fits(m.total, f.runtime, placement.as_ref()),
        placement,
        tps,
    })
}

/// The law of configuration `c`'s model, pruned like it; `None` when its pattern has no fitted
/// rule (a candidate needs an estimate).
fn config_law(s: &Scenario, c: &Config) -> Option<ModelLaw> {
    ModelLaw::new(&c.model, c.tokens, s.accuracy.law).pruned(c.sparsity).ok()
}

/// Configuration `i` itself; `None` when it is pruned at a pattern without a fitted rule, or its
/// scheme holds a format the lab cannot measure.
pub fn configuration(s: &Scenario, i: usize) -> Option<Candidate> {
    let c = s.configs.get(i)?;
    candidate(s, c, &config_law(s, c)?, c.model, c.scheme, true)
}

pub(crate) type Memo<T> = std::cell::RefCell<std::collections::HashMap<String, T>>;

thread_local! {
    /// Each configuration's sweep, and each model's best fitting scheme, by everything they
    /// depend on: a slider drag on one configuration then recomputes that one only.
    static SWEEPS: Memo<std::rc::Rc<Vec<Candidate>>> = Default::default();
    static BEST: Memo<Option<Candidate>> = Default::default();
}

/// Everything a candidate's size and estimate depend on besides its scheme.
pub(crate) fn memo_key(s: &Scenario, c: &Config) -> String {
    format!(
        "{}|{}{}|{:?}|{}|{}|{}|{}|{}|{}|{:?}",
        s.lang.id(),
        c.model.encode(),
        c.sparsity.suffix(),
        c.tokens,
        c.ctx,
        c.batch,
        c.kv.id,
        s.runtime.encode(),
        s.budget_bytes(),
        s.accuracy.law.id(),
        s.training
    ) + &format!("|{}|{:?}|{:?}|{}|{}", s.pipelined(), s.ram, s.split, s.cards, s.accuracy.min_tps)
}

/// `make()` once per key. Bounded: a long session of drags would otherwise keep every count it
/// passed through.
pub(crate) fn memo<T: Clone>(
    cache: &'static std::thread::LocalKey<Memo<T>>,
    key: String,
    make: impl FnOnce() -> T,
) -> T {
    if let Some(hit) = cache.with(|m| m.borrow().get(&key).cloned()) {
        return hit;
    }
    let value = make();
    cache.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 4096 {
            m.clear();
        }
        m.insert(key, value.clone());
    });
    value
}

/// Every scheme for configuration `i`'s model (pruned like it), smallest first; empty when its
/// pattern has no fitted rule.
pub fn sweep(s: &Scenario, i: usize) -> std::rc::Rc<Vec<Candidate>> {
    let Some(c) = s.configs.get(i) else { return Default::default() };
    memo(&SWEEPS, memo_key(s, c), || {
        let Some(law) = config_law(s, c) else { return Default::default() };
        let mut out: Vec<Candidate> =
            schemes().iter().filter_map(|sc| candidate(s, c, &law, c.model, sc, false)).collect();
        crate::core::text::order::sort_by_key(&mut out, |x| (x.total as f64, 0.0));
        std::rc::Rc::new(out)
    })
}

/// Raw counts for the range candidates: 0.5B to 1T in steps of 1, 2, 5.
pub fn range_counts() -> Vec<u64> {
    let mut out = vec![500_000_000];
    let mut decade = 1_000_000_000u64;
    while decade <= 1_000_000_000_000 {
        for m in [1, 2, 5] {
            if m * decade <= 1_000_000_000_000 {
                out.push(m * decade);
            }
        }
        decade *= 10;
    }
    out
}

/// The models "best for my budget" weighs: presets or a range, and the configurations' own.
fn candidate_models(s: &Scenario) -> Vec<(ModelRef, Option<u64>)> {
    let mut out: Vec<(ModelRef, Option<u64>)> = s.configs.iter().map(|c| (c.model, c.tokens)).collect();
    let extra: Vec<ModelRef> = match s.accuracy.candidates {
        Candidates::Presets => PRESETS.iter().map(ModelRef::Preset).collect(),
        Candidates::Range => range_counts().into_iter().map(ModelRef::Count).collect(),
        Candidates::Configs => Vec::new(),
    };
    for m in extra {
        if !out.iter().any(|(o, _)| o.encode() == m.encode()) {
            out.push((m, None));
        }
    }
    out
}

/// A model's lowest-loss scheme that fits the budget, with `first`'s context, batch and KV.
fn best_for(s: &Scenario, first: &Config, model: ModelRef, tokens: Option<u64>) -> Option<Candidate> {
    let c = Config { model, tokens, sparsity: Sparsity::Dense, ..first.clone() };
    memo(&BEST, memo_key(s, &c), || {
        let law = ModelLaw::new(&model, tokens, s.accuracy.law);
        let floor = s.accuracy.min_tps > 0;
        let best = schemes()
            .iter()
            .filter_map(|sc| candidate(s, &c, &law, model, sc, floor))
            .filter(|x| x.fits && x.fast_enough(s))
            .min_by(|a, b| a.rank_loss().total_cmp(&b.rank_loss()))?;
        // Its decode bound, for the table.
        if floor {
            Some(best)
        } else {
            candidate(s, &c, &law, model, best.scheme, true)
        }
    })
}

/// For each candidate model, its lowest-loss scheme that fits the budget (with the first
/// configuration's context, batch and KV format); the `limit` best of those, best first. With
/// system RAM, what fits the GPU and the RAM together counts, ranked by [`Candidate::rank_loss`]:
/// all on the GPU beats a split within [`RAM_PENALTY`].
pub fn best(s: &Scenario, limit: usize) -> Vec<Candidate> {
    let Some(first) = s.configs.first() else { return Vec::new() };
    let mut out: Vec<Candidate> =
        candidate_models(s).into_iter().filter_map(|(model, tokens)| best_for(s, first, model, tokens)).collect();
    crate::core::text::order::sort_by_key(&mut out, |x| (x.rank_loss(), 0.0));
    out.truncate(limit);
    out
}

/// Weight bytes of a raw count of `n` parameters under `sc`: its template's bytes per parameter,
/// scaled to `n`, as [`evaluate_pruned`] scales them.
pub fn count_weights(n: f64, sc: &'static Scheme) -> f64 {
    count_weights_pruned(n, sc, Sparsity::Dense)
}

/// [`count_weights`] with the linear layers pruned to `sp`.
pub fn count_weights_pruned(n: f64, sc: &'static Scheme, sp: Sparsity) -> f64 {
    let w = crate::core::memory::footprint::layout_weights_pruned(&ModelRef::Count(n.max(1.0) as u64), sc, sp);
    w.bytes() as f64 * n / w.params().max(1) as f64
}

/// The parameter count (three significant figures) whose weights take `bytes` under `sc`.
pub fn count_for_weights(bytes: u64, sc: &'static Scheme) -> u64 {
    count_for_weights_pruned(bytes, sc, Sparsity::Dense)
}

/// [`count_for_weights`] with the linear layers pruned to `sp`.
pub fn count_for_weights_pruned(bytes: u64, sc: &'static Scheme, sp: Sparsity) -> u64 {
    // Bits per parameter depend on the template a count borrows: two rounds settle it.
    let mut n = bytes as f64 * 8.0 / (sc.base.bpw() * sp.density());
    for _ in 0..2 {
        n *= bytes as f64 / count_weights_pruned(n, sc, sp).max(1.0);
    }
    crate::core::text::units::round_count(n)
}

/// The bit widths the fixed-size check weighs, coarse to fine.
pub const BIT_SCHEMES: [&str; 7] = ["q2_k", "q3_k_m", "q4_k_m", "q5_k_m", "q6_k", "q8_0", "bf16"];

/// At the weight bytes of a dense 16-bit model, the best predicted bit width.
#[derive(Debug, Clone, PartialEq)]
pub struct BitOptimal {
    /// The 16-bit count that sets the size, and the tokens every count is trained on.
    pub dense: u64,
    pub tokens: u64,
    pub weights: u64,
    /// Each bit width: its count, bits per parameter over the whole model, and estimate.
    pub options: Vec<(&'static Scheme, u64, f64, Estimate)>,
}

impl BitOptimal {
    pub fn best(&self) -> Option<&(&'static Scheme, u64, f64, Estimate)> {
        self.options.iter().min_by(|a, b| a.3.loss.total_cmp(&b.3.loss))
    }
}

/// Dettmers and Zettlemoyer's question, asked of the estimate: at the size of a dense 16-bit
/// 7B, 13B, 70B and 405B, trained on 2T (Llama 2) or 15T (Llama 3) tokens, which bit width wins?
pub fn bit_optimal(law: crate::core::estimate::Law) -> Vec<BitOptimal> {
    let Some(bf16) = scheme::by_id("bf16") else { return Vec::new() };
    let mut out = Vec::new();
    for tokens in [2_000_000_000_000u64, 15_000_000_000_000] {
        for dense in [7_000_000_000u64, 13_000_000_000, 70_000_000_000, 405_000_000_000] {
            let weights = count_weights(dense as f64, bf16).round() as u64;
            let options = BIT_SCHEMES
                .iter()
                .filter_map(|id| scheme::by_id(id))
                .map(|sc| {
                    let n = count_for_weights(weights, sc);
                    let bpw = count_weights(n as f64, sc) * 8.0 / n as f64;
                    (sc, n, bpw, crate::core::estimate::estimate(&ModelRef::Count(n), sc, Some(tokens), law))
                })
                .collect();
            out.push(BitOptimal { dense, tokens, weights, options });
        }
    }
    out
}

/// Schemes of the size-parity family, coarse to fine.
pub const PARITY_SCHEMES: [&str; 5] = ["q3_k_m", "q4_k_m", "q8_0", "bf16", "f32"];

/// Models of the same weight bytes as configuration `i`, one per scheme of
/// [`PARITY_SCHEMES`], trained on the same tokens: the seed's "70B at 4 bits, 35B at 8 bits,
/// 17.5B at 16 bits". Configuration `i` itself comes first (pruned, if it is; the others are dense).
pub fn parity(s: &Scenario, i: usize) -> Vec<Candidate> {
    let Some(anchor) = configuration(s, i) else { return Vec::new() };
    let c = &s.configs[i];
    let tokens = Some(anchor.est.tokens.round() as u64);
    let mut out = vec![anchor.clone()];
    for id in PARITY_SCHEMES {
        let Some(sc) = scheme::by_id(id) else { continue };
        if std::ptr::eq(sc, anchor.scheme) && anchor.sparsity == Sparsity::Dense {
            continue;
        }
        let model = ModelRef::Count(count_for_weights(anchor.weights, sc));
        let cfg = Config { model, tokens, sparsity: Sparsity::Dense, ..c.clone() };
        let law = ModelLaw::new(&model, tokens, s.accuracy.law);
        out.extend(candidate(s, &cfg, &law, model, sc, true));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same-size family of Llama-3.1-70B @ Q4_K_M (15T tokens): its best member is at 3 to 6
    /// bits per weight, and 16-bit comes last among the dense ones.
    #[test]
    fn the_same_size_family_is_won_at_3_to_6_bits() {
        let (s, _) = Scenario::decode("v=1&m=llama-3.1-70b@q4_k_m");
        let family = parity(&s, 0);
        let best = family.iter().min_by(|a, b| a.est.loss.total_cmp(&b.est.loss)).unwrap();
        let params = |c: &Candidate| c.model.layout_counts().0 as f64;
        let bpw = best.weights as f64 * 8.0 / params(best);
        assert!((3.0..=6.0).contains(&bpw), "{} at {bpw:.2}", best.title());
        let f32 = family.iter().find(|c| c.scheme.id == "f32").unwrap();
        let bf16 = family.iter().find(|c| c.scheme.id == "bf16").unwrap();
        assert!(family.iter().all(|c| c.est.loss <= f32.est.loss) && bf16.est.loss > best.est.loss);
    }

    /// Dettmers and Zettlemoyer's result, reproduced: every fixed size from a 16-bit 7B to a
    /// 16-bit 405B, at 2T and 15T tokens, is best filled at 3 to 6 bits per weight.
    #[test]
    fn the_estimate_reproduces_four_bit_optimality() {
        for law in crate::core::estimate::Law::ALL {
            let rows = bit_optimal(law);
            assert_eq!(rows.len(), 8);
            for r in &rows {
                let (sc, n, bpw, _) = r.best().unwrap();
                assert!((3.0..=6.0).contains(bpw), "{law:?} {} at {}: {} {sc:?} {bpw}", r.dense, r.tokens, n);
                assert!(*n >= r.dense, "the winner is never smaller than the 16-bit model");
            }
        }
    }

    #[test]
    fn range_is_one_two_five() {
        let r = range_counts();
        assert_eq!(r.first(), Some(&500_000_000));
        assert_eq!(r.last(), Some(&1_000_000_000_000));
        assert_eq!(r.len(), 11);
    }

    #[test]
    fn sweep_covers_every_scheme_smallest_first() {
        let s = Scenario::default();
        let w = sweep(&s, 0);
        // Every scheme but those holding a type the lab cannot measure (IQ1_*, IQ2_*, and IQ3_XXS,
        // whose attn_q and attn_k are IQ2_S), which get no estimate.
        let model = s.configs[0].model;
        let measured = |sc: &'static Scheme| {
            crate::core::estimate::bits::unmeasured(&crate::core::memory::footprint::layout_weights(&model, sc))
                .is_none()
        };
        assert_eq!(w.len(), schemes().iter().filter(|sc| measured(sc)).count());
        assert!(w.len() < schemes().len());
        for (id, swept) in [("iq2_xxs", false), ("iq3_xxs", false), ("iq3_xs", true), ("iq3_s", true)] {
            assert_eq!(w.iter().any(|c| c.scheme.id == id), swept, "{id}");
        }
        assert!(w.windows(2).all(|p| p[0].total <= p[1].total));
        assert!(w.iter().any(|c| c.scheme.id == "q4_k_m" && !c.fits));
        assert!(sweep(&s, 9).is_empty());
    }

    /// 24 GB (the default 4090) holds Llama-3.1-70B only at 2 bits; the best list is sorted, fits,
    /// and has one row per model.
    #[test]
    fn best_fits_and_is_sorted() {
        let s = Scenario::default();
        let b = best(&s, 10);
        assert_eq!(b.len(), 10);
        assert!(b.iter().all(|c| c.fits && c.total <= s.budget_bytes()));
        assert!(b.windows(2).all(|p| p[0].est.loss <= p[1].est.loss));
        let mut ids: Vec<String> = b.iter().map(|c| c.model.encode()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 10);
        // The memo keys on the budget: a bigger one changes the answer, a repeat does not.
        let (big, _) = Scenario::decode("m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16&budget=80GB");
        assert_ne!(best(&big, 10), b);
        assert_eq!(best(&s, 10), b);
        let (r, _) = Scenario::decode("m=7B@bf16&cand=range&budget=24GB");
        assert!(best(&r, 20).iter().all(|c| matches!(c.model, ModelRef::Count(_))));
    }

    /// The parity family has the anchor's weight bytes within 1 % and more parameters at
    /// fewer bits.
    #[test]
    fn parity_family_has_equal_bytes() {
        let s = Scenario::default();
        let p = parity(&s, 0);
        assert_eq!(p[0].scheme.id, "q4_k_m");
        assert_eq!(p.len(), PARITY_SCHEMES.len());
        for c in &p[1..] {
            let ratio = c.weights as f64 / p[0].weights as f64;
            assert!((ratio - 1.0).abs() < 0.01, "{}: {ratio}", c.title());
            assert_eq!(c.est.tokens, p[0].est.tokens);
        }
        let n = |id: &str| p.iter().find(|c| c.scheme.id == id).unwrap().est.n;
        assert!(
            n("q3_k_m") > p[0].est.n * 0.99 && n("q8_0") < n("q3_k_m") && n("bf16") < n("q8_0") && n("f32") < n("bf16")
        );
        // 70.6B at 4.82 bpw ≈ 42.5 GB ≈ 21.3B parameters at 16 bits.
        assert!((n("bf16") / 21.3e9 - 1.0).abs() < 0.02, "{}", n("bf16"));
    }
}
