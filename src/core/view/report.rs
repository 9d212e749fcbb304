//! Scenario → what the page shows: every number already computed and formatted, so the view
//! only lays text out. Tested natively like the rest of the core.

use crate::core::catalog::devices::{Device, RamKind};
use crate::core::catalog::model::{Class, LocalKind, ModelRef, Style};
use crate::core::catalog::scheme::{groups, schemes, Group, Scheme};
use crate::core::catalog::sparsity::{Index, Sparsity};
use crate::core::compare::tradeoff::Candidate;
use crate::core::estimate::fit::FitReport;
use crate::core::estimate::pruning::NoRule;
use crate::core::estimate::{holdout, published, scale, Estimate, Law, ModelLaw, TokensFrom, FITTED, FIT_SIGMA};
use crate::core::kernels::runner::FormatResult;
use crate::core::memory::footprint::{
    class_rows, evaluate_pruned, layout_weights, llama_cpp_swa_cells, Footprint, KvKind, LLAMA_CPP_UBATCH,
};
use crate::core::memory::offload::{Placement, Split};
use crate::core::memory::training::mode_title;
use crate::core::memory::training::{memory, Memory, Optimizer, Training, TrainingBytes};
use crate::core::state::scenario::{Budget, Config, Scenario};
use crate::core::text::i18n::{fill, Lang, Strings};
use crate::core::text::units::{delta_text, fmt_bytes, fmt_bytes_binary, fmt_thousands, human_count, ppl_text};
use crate::core::view::lab_view::sqnr_text;

/// One byte count in the three ways the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bytes {
    pub bytes: u64,
    /// `16.06 GB`
    pub decimal: String,
    /// `14.96 GiB`
    pub binary: String,
    /// `16,060,522,496 bytes`
    pub exact: String,
}

impl Bytes {
    pub fn new(bytes: u64) -> Bytes {
        Bytes { bytes, decimal: fmt_bytes(bytes), binary: fmt_bytes_binary(bytes), exact: fmt_thousands(bytes) }
    }
}

/// The KV cache of one kind of layer, for the table under a row.
#[derive(Debug, Clone, PartialEq)]
pub struct KvRow {
    /// `full attention`, `sliding window of 1,024`, `linear-attention state`.
    pub label: String,
    pub layers: u32,
    /// What these layers keep per token (per sequence for a state): `24.58 KB per token`.
    pub unit: String,
    pub bytes: Bytes,
}

/// The KV cache per kind of layer, as the table lists it.
pub fn kv_rows(f: &Footprint, t: &Strings) -> Vec<KvRow> {
    f.kv_parts
        .iter()
        .map(|p| {
            let label = match p.kind {
                KvKind::Full => t.kv_full.to_string(),
                KvKind::Latent => t.kv_latent.to_string(),
                KvKind::Sliding(w) => fill(t.kv_sliding, &[&fmt_thousands(w)]),
                KvKind::Chunked(c) => fill(t.kv_chunked, &[&fmt_thousands(c)]),
                KvKind::State => t.kv_state.to_string(),
                KvKind::Ssm => t.kv_ssm.to_string(),
            };
            let per = if p.kind.per_sequence() { t.kv_per_seq } else { t.kv_per_token };
            KvRow { label, layers: p.layers, unit: fill(per, &[&fmt_bytes(p.unit)]), bytes: Bytes::new(p.bytes) }
        })
        .collect()
}

/// The largest context that fits the budget, and whether the trained context or the budget
/// decides it; for a configuration at `ctx=max`, that this is the context its figures are at.
fn context_note(c: &Config, f: &Footprint, s: &Scenario, t: &Strings) -> String {
    // With RAM or cards by layers the search places the model as llama.cpp does: name them all.
    let split = s.training.is_none() && (s.ram.is_some() || s.pipelined());
    let budget_text = if split { scenario_budget_label(s) } else { fmt_bytes(s.budget_for(f.runtime)) };
    // The row's own footprint gives the weights and its runtime at one token.
    let fixed = f.weight_bytes().saturating_add(f.runtime);
    let text = match s.largest_context(c) {
        Some(fit) if fit.capped => fill(t.ctx_fit_cap, &[&budget_text, &fmt_thousands(fit.tokens)]),
        Some(fit) => fill(t.ctx_fit, &[&budget_text, &fmt_thousands(fit.tokens), &fmt_thousands(c.batch)]),
        None => fill(t.ctx_fit_none, &[&budget_text, &fmt_bytes(fixed)]),
    };
    if c.fit_ctx {
        fill(t.ctx_is_max, &[&text, &fmt_thousands(c.ctx)])
    } else {
        text
    }
}

/// One piece of a stacked bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Stable key for styling: `embedding`, `attention`, `ffn`, `head`, `norms`, `kv`, `runtime`.
    pub key: &'static str,
    pub label: &'static str,
    pub bytes: Bytes,
    /// Width as a percentage of the chart's scale.
    pub width: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub title: String,
    pub params: String,
    /// The exact parameter count behind `params`, and how many take part in one token.
    pub param_count: u64,
    pub active_count: u64,
    pub weights: Bytes,
    pub kv: Bytes,
    pub runtime: Bytes,
    /// The runtime's parts in words, when an engine's are modelled (the runtime cell's tooltip
    /// and a note under the table).
    pub runtime_parts: Option<String>,
    pub total: Bytes,
    /// Bits per parameter over the whole model, two decimals.
    pub bpw: String,
    pub fits: bool,
    /// `Fits`, `Does not fit`, or where a split puts it: `Fits with 32 of 80 layers in RAM, ≤ 4.8 tok/s`.
    pub verdict: String,
    /// Split with RAM: the verdict and the share are sentences rather than words.
    pub split: bool,
    /// `64 % of 25.76 GB` or `177 % of 25.76 GB`; split with RAM, each memory's share.
    pub share: String,
    pub segments: Vec<Segment>,
    /// The KV cache per kind of layer (inference only).
    pub kv_rows: Vec<KvRow>,
    /// Formats the scheme used, by share of parameters: `Q4_K 71 % · Q6_K 29 %`.
    pub mix: String,
    pub notes: Vec<String>,
    pub estimated: bool,
    /// The lab's measured SQNR for this format (a preset's base type), when the lab has run.
    pub sqnr: String,
    pub accuracy: AccuracyCells,
    /// The numbers behind `accuracy` (for the exports); `None` for a model pruned at a pattern
    /// without a fitted rule.
    pub est: Option<Estimate>,
    /// Why `est` is `None`: the loss cell's tooltip.
    pub no_estimate_why: &'static str,
    /// A published llama.cpp perplexity of this preset in this format (ctx 512), and its text:
    /// `3.7339 (+8.82 %)`.
    pub measured: Option<(f64, String)>,
    /// Training mode: what the weights, states and activations take per device.
    pub training: Option<TrainingCells>,
    /// Inference on a device budget: the memory-bandwidth bound on decoding, and how many
    /// such devices the configuration needs.
    pub speed: Option<String>,
    pub devices: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrainingCells {
    pub weights: Bytes,
    /// Gradients, optimizer state and LoRA adapters.
    pub states: Bytes,
    pub activations: Bytes,
    /// Weights, gradients and optimizer state together.
    pub model_states: Bytes,
    /// `8.03B trained · mixed-precision Adam · ZeRO-0 on 1 device`
    pub detail: String,
}

/// A configuration's expected accuracy, as text.
#[derive(Debug, Clone, PartialEq)]
pub struct AccuracyCells {
    /// `1.9584`
    pub loss: String,
    /// `+0.0283`
    pub delta: String,
    /// `+0.0214 to +0.0374`
    pub band: String,
    /// `+2.9 % PPL`
    pub ppl: String,
    /// `≈ 29.9B`
    pub n16: String,
    /// `29.5B–30.4B`
    pub n16_band: String,
    /// Effective bits of the weight mix: `3.68`
    pub bits: String,
    /// `15T (published)`
    pub tokens: String,
}

pub fn accuracy_cells(e: &Estimate, lang: Lang) -> AccuracyCells {
    let t = lang.strings();
    let count = |n: f64| human_count(n.round().max(1.0) as u64);
    AccuracyCells {
        loss: format!("{:.4}", e.loss),
        delta: delta_text(e.delta),
        band: if e.delta.abs() < 5e-5 {
            "—".into()
        } else {
            fill(t.band_range, &[&delta_text(e.delta_lo), &delta_text(e.delta_hi)])
        },
        ppl: ppl_text(e.delta, t),
        n16: fill(t.n16_about, &[&count(e.n16)]),
        n16_band: if e.delta.abs() < 5e-5 {
            "—".into()
        } else {
            format!("{}–{}", count(e.n16_lo), count(e.n16_hi))
        },
        bits: if e.bits.is_finite() { format!("{:.2}", e.bits) } else { "∞".into() },
        tokens: fill(
            match e.tokens_from {
                TokensFrom::User => t.tokens_given,
                TokensFrom::Preset => t.tokens_published,
                TokensFrom::Rule => t.tokens_rule,
            },
            &[&human_count(e.tokens.round() as u64)],
        ),
    }
}

/// The accuracy cells of a configuration with no estimate.
fn no_estimate(t: &Strings) -> AccuracyCells {
    let none = || "—".to_string();
    AccuracyCells {
        loss: t.no_estimate.into(),
        delta: none(),
        band: none(),
        ppl: none(),
        n16: none(),
        n16_band: none(),
        bits: none(),
        tokens: none(),
    }
}

/// One row of "best for my budget" or of the size-parity family.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeoffRow {
    pub title: String,
    pub model: ModelRef,
    pub scheme: &'static crate::core::catalog::scheme::Scheme,
    pub sparsity: Sparsity,
    pub total: Bytes,
    pub fits: bool,
    /// Split with RAM or by layers: where it sits and its decode bound (the results' verdict).
    pub split: Option<String>,
    /// Its decode bound in tokens per second (`63`), when a bandwidth gives one.
    pub speed: Option<String>,
    pub accuracy: AccuracyCells,
}

pub fn tradeoff_rows(c: &[Candidate], s: &Scenario) -> Vec<TradeoffRow> {
    let lang = s.lang;
    c.iter()
        .map(|c| TradeoffRow {
            title: c.title_in(lang),
            model: c.model,
            scheme: c.scheme,
            sparsity: c.sparsity,
            total: Bytes::new(c.total),
            fits: c.fits,
            split: c
                .placement
                .as_ref()
                .filter(|_| s.ram.is_some())
                .map(|p| split_view(p, c.fits, c.tps, s, lang.strings(), c.model.layout().0.moe.is_some()).verdict),
            speed: c.tps.map(tps_text),
            accuracy: accuracy_cells(&c.est, lang),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub rows: Vec<Row>,
    pub budget: Bytes,
    pub budget_label: String,
    /// Where the budget line sits, as a percentage of the chart's scale.
    pub budget_position: f64,
}

fn segment_key(c: Class) -> &'static str {
    match c {
        Class::Embedding => "embedding",
        Class::Attention => "attention",
        Class::Ffn => "ffn",
        Class::OutputHead => "head",
        Class::Norms => "norms",
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    part as f64 * 100.0 / whole.max(1) as f64
}

/// `71 %`, `<1 %`.
fn share_text(p: f64, lang: Lang) -> String {
    if p > 0.0 && p < 1.0 {
        lang.percent("<1")
    } else {
        lang.percent(&format!("{p:.0}"))
    }
}

pub fn budget_label(b: &Budget, lang: Lang) -> String {
    match b {
        Budget::Device(d) => format!("{} ({})", d.name_in(lang), device_memory(d, lang)),
        Budget::Size(s) => format!("{} {}", s.value, s.unit.name()),
    }
}

/// The budget as the results name it: one card, or `2 × RTX 4090 24 GB (25.76 GB), tensor-parallel`
/// (or `by layers`), then the RAM when there is some: `+ 64 GB RAM`.
pub fn scenario_budget_label(s: &Scenario) -> String {
    let t = s.lang.strings();
    let one = budget_label(&s.budget, s.lang);
    let cards = match (s.cards > 1 && s.training.is_none(), s.pipeline) {
        (false, _) => one,
        (true, pipeline) => {
            fill(if pipeline { t.cards_label_pp } else { t.cards_label }, &[&s.cards.to_string(), &one])
        }
    };
    match s.ram.filter(|_| s.training.is_none()) {
        Some(r) => fill(t.budget_with_ram, &[&cards, &fmt_bytes(r.bytes())]),
        None => cards,
    }
}

/// The runtime's parts as the engine allocates them, in binary units as its logs print them.
fn runtime_parts_text(s: &Scenario, f: &Footprint, t: &Strings) -> Option<String> {
    use crate::core::memory::footprint::Runtime;
    use crate::core::memory::runtime::Engine;
    let (Runtime::Modelled(engine), Some(p)) = (s.runtime, f.runtime_parts) else { return None };
    let b = fmt_bytes_binary;
    Some(match engine {
        Engine::LlamaCpp => {
            fill(t.runtime_llama_note, &[&b(p.context), &b(p.compute), &b(p.output), &b(p.total()), &b(p.host)])
        }
        Engine::Metal => fill(t.runtime_metal_note, &[&b(p.compute), &b(p.output), &b(p.total())]),
        Engine::Vllm => fill(t.runtime_vllm_note, &[&b(p.context), &b(p.compute), &b(p.output), &b(p.total())]),
    })
}

/// A tokens-per-second bound as text: one decimal below 10 (`4.8`), whole above (`59`).
fn tps_text(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.0}")
    }
}

/// A split configuration's verdict, decode bound and notes: where llama.cpp puts its layers
/// (with RAM, or by layers over the cards), each memory's bytes against its size, and what a
/// token reads from each.
struct SplitText {
    verdict: String,
    share: Option<String>,
    speed: Option<String>,
    notes: Vec<String>,
}

fn split_view(p: &Placement, fits: bool, tps: Option<f64>, s: &Scenario, t: &Strings, has_experts: bool) -> SplitText {
    let card = s.card_bytes();
    let l = p.layers.to_string();
    let mut notes = Vec::new();
    if s.pipelined() {
        let n = p.cards.len() as u64;
        // The GPU units each card holds, as `offload::place` splits them.
        let g = u64::from(p.gpu_units);
        let layers = |i: u64| ((i + 1) * g).div_ceil(n) - (i * g).div_ceil(n);
        let cards: Vec<String> = p
            .cards
            .iter()
            .enumerate()
            .map(|(i, b)| {
                // The output layer is the last unit, on the last card.
                let units = layers(i as u64) - u64::from(i as u64 == n - 1 && p.output_on_gpu());
                fill(t.pipeline_card, &[&(i + 1).to_string(), &units.to_string(), &fmt_bytes(*b)])
            })
            .collect();
        notes.push(fill(t.pipeline_note, &[&n.to_string(), &cards.join(t.kv_sep), &fmt_bytes(card)]));
    }
    let Some(ram) = s.ram else {
        let verdict = if fits { t.fits } else { t.does_not_fit };
        return SplitText { verdict: verdict.into(), share: None, speed: None, notes };
    };
    let (gpu, ram_text) = (fmt_bytes(p.largest_card()), fmt_bytes(ram.bytes()));
    let (card_text, used) = (fmt_bytes(card), fmt_bytes(p.ram));
    if p.expert_layers > 0 || matches!(s.split, Split::Experts(_)) {
        let e = p.expert_layers.to_string();
        notes.push(fill(t.split_experts_note, &[&e, &l, &gpu, &card_text, &used, &ram_text]));
        if !has_experts {
            notes.push(t.split_no_experts.into());
        }
    } else if p.ram_layers() == 0 {
        notes.push(fill(t.split_all_note, &[&p.gpu_units.to_string(), &gpu, &card_text, &used, &ram_text]));
    } else if p.output_on_gpu() {
        let v = [&p.gpu_units.to_string(), &p.gpu_layers().to_string(), &l, &gpu, &card_text, &used, &ram_text];
        notes.push(fill(t.split_note, &v.map(String::as_str)));
    } else {
        notes.push(fill(t.split_none_note, &[&gpu, &card_text, &used, &ram_text]));
    }
    if matches!(s.split, Split::Auto | Split::Experts(None)) {
        notes.push(fill(t.split_fit_target, &[&format!("{} GiB", crate::core::memory::offload::FIT_TARGET >> 30)]));
    }
    if p.head_copy > 0 {
        notes.push(fill(t.split_head_copy, &[&fmt_bytes(p.head_copy)]));
    }
    let device = s.budget.device();
    let ram_gbs = ram.kind.bandwidth_gbs();
    // With RAM the scenario's bound is the split's (`Scenario::decode_tps`).
    let tps = tps.unwrap_or(0.0);
    let (gpu_read, ram_read) = (fmt_bytes(p.gpu_read), fmt_bytes(p.ram_read));
    let speed = match device {
        Some(d) => fill(
            t.decode_split,
            &[&tps_text(tps), &gpu_read, &d.bandwidth_gbs.to_string(), &ram_read, &ram_gbs.to_string()],
        ),
        None => fill(t.decode_split_ram, &[&tps_text(tps), &ram_read, &ram_gbs.to_string()]),
    };
    let placed = if p.expert_layers > 0 {
        fill(t.fits_ram_experts, &[&p.expert_layers.to_string(), &l])
    } else if p.ram_layers() == 0 {
        t.fits_ram_embd.into()
    } else {
        fill(t.fits_ram_layers, &[&p.ram_layers().to_string(), &l])
    };
    let verdict = if fits { fill(t.verdict_speed, &[&placed, &tps_text(tps)]) } else { t.does_not_fit.into() };
    let pct = |a: u64, b: u64| share_text(percent(a, b), s.lang);
    let share = fill(
        t.share_split,
        &[
            &fill(t.share_of, &[&pct(p.largest_card(), card), &card_text]),
            &fill(t.share_of, &[&pct(p.ram, ram.bytes()), &ram_text]),
        ],
    );
    SplitText { verdict, share: Some(share), speed: Some(speed), notes }
}

/// What one of `s.cards` tensor-parallel cards holds: (weights + KV) / n + runtime, against the
/// card's memory; `None` on one card, by layers, or in training mode.
fn per_card_note(f: &Footprint, s: &Scenario, t: &Strings) -> Option<String> {
    if s.cards <= 1 || s.training.is_some() || s.pipelined() {
        return None;
    }
    let n = u64::from(s.cards);
    let per_card = f.weight_bytes().saturating_add(f.kv).div_ceil(n).saturating_add(s.runtime.per_card(f.runtime, n));
    Some(fill(t.per_card_note, &[&n.to_string(), &fmt_bytes(per_card), &fmt_bytes(s.budget.bytes())]))
}

/// A device's memory as the budget counts it: `25.76 GB`, or on Apple silicon the GPU's share of
/// the unified memory beside the whole (`GPU 51.54 GB of 68.72 GB`).
pub fn device_memory(d: &Device, lang: Lang) -> String {
    if d.is_unified() {
        fill(lang.strings().gpu_of_unified, &[&fmt_bytes(d.gpu_bytes()), &fmt_bytes(d.memory_bytes)])
    } else {
        fmt_bytes(d.memory_bytes)
    }
}

/// The budget picker's text for a device: its name (which carries its size) and bandwidth, short
/// enough for a phone's closed picker; the memory the budget counts is said under it.
pub fn device_option(d: &Device, lang: Lang) -> String {
    format!("{} · {} GB/s", d.name_in(lang), d.bandwidth_gbs)
}

/// The RAM picker's text for a kind, short enough for a phone's closed picker: `DDR5-6000, 2 ch · 96 GB/s`.
pub fn ram_option(k: &RamKind, lang: Lang) -> String {
    let t = lang.strings();
    fill(t.ram_option, &[k.memory, &k.channels.to_string(), &k.bandwidth_gbs().to_string()])
}

/// Under the RAM picker: where it is found and where its bandwidth comes from.
pub fn ram_note(k: &RamKind, lang: Lang) -> String {
    let t = lang.strings();
    fill(
        t.ram_note,
        &[&k.bandwidth_gbs().to_string(), &k.channels.to_string(), &fmt_thousands(k.mts.into()), k.platform],
    )
}

/// Under the budget picker for a device: the memory the budget counts and, on Apple silicon, the
/// GPU's share with its source and how to raise it.
pub fn device_note(b: &Budget, lang: Lang) -> Option<String> {
    match b {
        Budget::Device(d) if d.is_unified() => {
            Some(fill(lang.strings().unified_note, &[&fmt_bytes(d.gpu_bytes()), &fmt_bytes(d.memory_bytes)]))
        }
        Budget::Device(d) => Some(fill(lang.strings().device_counts, &[&device_memory(d, lang)])),
        _ => None,
    }
}

/// Published measurements that bear on this configuration: one-shot pruning of the same preset
/// at the same pattern (and, when a configuration is pruned, the dense figure of the same table),
/// a distilled student against its teacher.
fn evidence(c: &Config, any_pruned: bool, est: Option<&Estimate>, t: &Strings) -> Vec<String> {
    use crate::core::estimate::pruning::{published_for, DISTILLED};
    let ModelRef::Preset(p) = c.model else { return Vec::new() };
    let mut out = Vec::new();
    if c.sparsity == Sparsity::Dense {
        for (pt, dense) in published::measured(p.id, c.scheme.id) {
            let inc = |r: f64| format!("{:+.2}", (r - 1.0) * 100.0);
            let predicted = est.map_or("—".into(), |e| inc(libm::exp(e.delta)));
            out.push(fill(
                t.note_measured,
                &[&pt.ppl.to_string(), &dense.ppl.to_string(), &inc(pt.ppl / dense.ppl), &predicted],
            ));
            if let (Some(mix), Some(gib)) =
                (pt.as_measured.and_then(crate::core::catalog::scheme::by_id_or_historic), pt.gib)
            {
                let today = layout_weights(&c.model, c.scheme).bytes() as f64 / 1073741824.0;
                out.push(fill(
                    t.note_measured_mix,
                    &[mix.name, &format!("{gib:.2}"), c.scheme.name, &format!("{today:.2}")],
                ));
            }
        }
    }
    let (rows, dense) = published_for(p.id, c.sparsity);
    if let (false, Some(d)) = (rows.is_empty(), dense) {
        let ppl: Vec<String> = rows.iter().map(|r| format!("{} ({})", r.ppl, r.method.name(t))).collect();
        out.push(fill(
            t.note_pruned_published,
            &[p.name, &c.sparsity.label(t), &ppl.join(", "), &d.to_string(), t.wanda_source],
        ));
    } else if let (true, true, Some(d)) = (any_pruned, c.sparsity == Sparsity::Dense, dense) {
        out.push(fill(t.note_dense_published, &[p.name, &d.to_string(), t.wanda_source]));
    }
    for d in DISTILLED.iter().filter(|d| d.student == p.id) {
        let teacher = crate::core::catalog::model::preset(d.teacher).map_or(d.teacher, |q| q.name);
        let v = [p.name, &d.student_score.to_string(), teacher, &d.teacher_score.to_string(), d.metric, d.source];
        out.push(fill(t.note_distilled, &v));
    }
    out
}

/// How a pruned configuration's loss is estimated (Wanda's f at its pattern), or why it is not.
fn rule_note(c: &Config, law: &Result<ModelLaw, NoRule>, t: &Strings) -> Vec<String> {
    let pattern = c.sparsity.label(t);
    let note = match law {
        Ok(l) => l.pruned_by().map(|p| {
            let v = [&human_count(l.n.round() as u64), &format!("{:.4}", p.f), &pattern, &format!("{:.2}", p.worst)];
            fill(t.note_pruned_rule, &v.map(String::as_str))
        }),
        Err(NoRule::Unmeasured) => Some(fill(t.note_pruned_unmeasured, &[&pattern])),
        Err(NoRule::Misfit(w)) => Some(fill(t.note_pruned_misfit, &[&pattern, &format!("{w:.2}")])),
    };
    note.into_iter().collect()
}

fn notes(c: &Config, f: &Footprint, t: &Strings) -> Vec<String> {
    let (arch, _, template) = c.model.layout();
    let mut out = Vec::new();
    if let Some(fmt) = crate::core::estimate::bits::unmeasured(&f.weights) {
        out.push(fill(t.note_unmeasured, &[fmt.name]));
    }
    if c.sparsity != Sparsity::Dense {
        let kept = format!("{:.0} %", c.sparsity.density() * 100.0);
        // Which index the model's square attention matrices get (the others follow it in practice).
        let h = c.model.layout().0.hidden;
        let index = match c.sparsity.index_kind(h, h) {
            Some(Index::Csr) => t.index_csr.to_string(),
            Some(Index::Bitmask) => t.index_mask.to_string(),
            _ => fill(t.index_positions, &[&c.sparsity.position_bits().to_string()]),
        };
        out.push(fill(t.note_sparse, &[&kept, &c.sparsity.label(t), &index]));
    }
    let n = |v: u64| v.to_string();
    match (c.model, template) {
        (ModelRef::Scaled(p, n), _) => {
            let tokens = p.trained_tokens.map_or_else(|| t.tokens_rule_short.to_string(), |d| human_count(d as u64));
            out.push(fill(t.note_scaled, &[p.name, &human_count(n), &tokens]));
        }
        (_, Some(name)) => out.push(fill(t.note_estimate, &[name, &human_count(f.params)])),
        _ => {}
    }
    let named = match c.model {
        ModelRef::Preset(p) | ModelRef::Scaled(p, _) => Some(p.name.to_string()),
        ModelRef::Custom(_) => Some(c.model.label_in(t)),
        ModelRef::Count(_) => None,
    };
    if let Some(name) = named.filter(|_| c.ctx > arch.max_context && arch.has_kv_cache()) {
        out.push(fill(t.note_context, &[&name, &fmt_thousands(arch.max_context), &fmt_thousands(c.ctx)]));
    }
    if let ModelRef::Custom(a) = c.model {
        let v = [a.layers.into(), a.hidden, a.heads, a.kv_heads, a.head_dim, a.ffn, a.vocab];
        let v: Vec<String> = v.iter().map(|x: &u64| n(*x)).collect();
        out.push(fill(t.note_custom, &v.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    if !arch.has_kv_cache() {
        out.push(t.note_encoder_kv.into());
    }
    if matches!(arch.style, Style::Bert | Style::DistilBert) {
        out.push(t.note_encoder_loss.into());
    }
    if let Some(l) = arch.local.filter(|_| arch.has_kv_cache()) {
        let local = n(l.count(arch.layers).into());
        let all = n(arch.layers.into());
        match l.kind {
            LocalKind::Sliding(w) | LocalKind::Chunked(w) if c.ctx > w => {
                let note = if matches!(l.kind, LocalKind::Sliding(_)) { t.note_sliding } else { t.note_chunked };
                out.push(fill(note, &[&local, &all, &fmt_thousands(w)]));
                // What llama.cpp adds for its micro-batch (per sequence, its default separate streams).
                let cells = llama_cpp_swa_cells(c.ctx, w, LLAMA_CPP_UBATCH);
                let part = f.kv_parts.iter().find(|p| matches!(p.kind, KvKind::Sliding(_) | KvKind::Chunked(_)));
                if let Some(p) = part.filter(|_| cells > w) {
                    let more = p.unit.saturating_mul(cells - w).saturating_mul(c.batch);
                    out.push(fill(
                        t.note_swa_cpp,
                        &[&fmt_thousands(cells), &fmt_thousands(w), &Bytes::new(more).decimal],
                    ));
                }
            }
            LocalKind::DeltaNet(_) => {
                let per_seq = f.kv_parts.iter().find(|p| p.kind == KvKind::State).map_or(0, |p| p.unit);
                out.push(fill(t.note_state, &[&local, &all, &Bytes::new(per_seq).binary]));
            }
            _ => {}
        }
    }
    if let Some(p) = f.kv_parts.iter().find(|p| p.kind == KvKind::Ssm) {
        let per_seq = Bytes::new(p.unit).binary;
        out.push(fill(t.note_ssm, &[&n(p.layers.into()), &n(arch.layers.into()), &per_seq]));
    }
    if let Some(m) = arch.mla {
        out.push(fill(t.note_mla, &[&n(m.kv_lora + m.rope_dim)]));
    }
    if arch.moe.is_some() && template.is_none() {
        let h = human_count;
        out.push(fill(t.note_moe, &[&h(f.params), &h(f.active_params), &h(2 * f.active_params)]));
    }
    out
}

/// The first published llama.cpp perplexity of a dense preset in this format, as a cell.
fn measured_ppl(c: &Config) -> Option<(f64, String)> {
    let ModelRef::Preset(p) = c.model else { return None };
    if c.sparsity != Sparsity::Dense {
        return None;
    }
    let (pt, dense) = published::measured(p.id, c.scheme.id).into_iter().next()?;
    Some((pt.ppl, format!("{} ({:+.2} %)", pt.ppl, (pt.ppl / dense.ppl - 1.0) * 100.0)))
}

/// The measured SQNR text for a scheme, from the lab's results.
fn measured(c: &Config, lab: &[FormatResult], t: &Strings) -> String {
    let Some(id) = crate::core::kernels::quant::scheme_kernel(c.scheme) else {
        // F32 loses nothing; a type the lab reads but does not make is not measured.
        return if c.scheme.base.id == crate::core::catalog::format::F32.id { t.exact.into() } else { "—".into() };
    };
    match lab.iter().find(|r| r.id == id) {
        Some(r) if r.id != c.scheme.id => format!("{} ({})", sqnr_text(r.summary.sqnr_db, t), r.name),
        Some(r) => sqnr_text(r.summary.sqnr_db, t),
        None => "—".into(),
    }
}

fn training_cells(t: &Training, b: &TrainingBytes, s: &Strings) -> TrainingCells {
    TrainingCells {
        weights: Bytes::new(b.weights),
        states: Bytes::new(b.gradients + b.optimizer + b.adapters),
        activations: Bytes::new(b.activations),
        model_states: Bytes::new(b.states()),
        detail: fill(
            s.training_detail,
            &[
                &human_count(b.trained_params),
                match t.optimizer {
                    Optimizer::AdamFp32 => s.opt_adam32,
                    Optimizer::MixedAdam => s.opt_mixed,
                    Optimizer::Adam8bit => s.opt_adam8,
                },
                if t.checkpointing { s.checkpointing_dot } else { "" },
                &t.zero.to_string(),
                &if t.devices == 1 { s.device_one.to_string() } else { fill(s.device_many, &[&t.devices.to_string()]) },
            ],
        ),
    }
}

pub fn build(s: &Scenario, lab: &[FormatResult]) -> Report {
    let budget = s.budget_bytes();
    let tr = s.lang.strings();
    let any_pruned = s.configs.iter().any(|c| c.sparsity != Sparsity::Dense);
    let share = |p: f64| fill(tr.share_of, &[&share_text(p, s.lang), &fmt_bytes(budget)]);
    let footprints: Vec<Footprint> = s
        .configs
        .iter()
        .map(|c| evaluate_pruned(&c.model, c.scheme, c.sparsity, c.ctx, c.batch, c.kv, &s.runtime))
        .collect();
    let memories: Vec<Memory> = s
        .configs
        .iter()
        .zip(&footprints)
        .map(|(c, f)| memory(f, &c.model, c.scheme, c.ctx, c.batch, s.training.as_ref()))
        .collect();
    let trainings: Vec<Option<TrainingBytes>> = memories.iter().map(|m| m.training).collect();
    let totals: Vec<u64> = memories.iter().map(|m| m.total).collect();
    let scale = totals.iter().copied().max().unwrap_or(0).max(budget);
    let device = s.budget.device();
    let rows = s
        .configs
        .iter()
        .zip(&footprints)
        .zip(trainings.iter().zip(&totals))
        .map(|((c, f), (tb, &total))| {
            let seg = |key: &'static str, label: &'static str, bytes: u64| Segment {
                key,
                label,
                bytes: Bytes::new(bytes),
                width: percent(bytes, scale),
            };
            // A pruning pattern without a fitted rule, or a format the lab cannot measure: no
            // estimate rather than an invented one.
            let law = ModelLaw::new(&c.model, c.tokens, s.accuracy.law).pruned(c.sparsity);
            let unmeasured = crate::core::estimate::bits::unmeasured(&f.weights);
            let est = law.as_ref().ok().filter(|_| unmeasured.is_none()).map(|l| l.estimate(&f.weights));
            let no_estimate_why =
                if unmeasured.is_some() { tr.no_estimate_imatrix_title } else { tr.no_estimate_title };
            let accuracy = est.as_ref().map_or_else(|| no_estimate(tr), |e| accuracy_cells(e, s.lang));
            let title = mode_title(&c.model, c.scheme, c.sparsity, s.training.as_ref(), tr);
            if let (Some(t), Some(b)) = (s.training, tb) {
                let params = f.weights.params();
                return Row {
                    title: title.clone(),
                    params: human_count(f.params),
                    param_count: f.params,
                    active_count: f.active_params,
                    weights: Bytes::new(b.weights),
                    kv: Bytes::new(b.activations),
                    runtime: Bytes::new(f.runtime),
                    total: Bytes::new(total),
                    bpw: format!("{:.2}", b.weights as f64 * 8.0 / params.max(1) as f64),
                    runtime_parts: runtime_parts_text(s, f, tr),
                    fits: total <= budget,
                    verdict: (if total <= budget { tr.fits } else { tr.does_not_fit }).into(),
                    split: false,
                    share: share(percent(total, budget)),
                    segments: vec![
                        seg("weights", tr.seg_weights, b.weights),
                        seg("grads", tr.seg_grads, b.gradients),
                        seg("optim", tr.seg_optim, b.optimizer + b.adapters),
                        seg("acts", tr.seg_acts, b.activations),
                        seg("runtime", tr.col_runtime, f.runtime),
                    ],
                    kv_rows: Vec::new(),
                    mix: String::new(),
                    notes: [notes(c, f, tr), rule_note(c, &law, tr), evidence(c, any_pruned, est.as_ref(), tr)]
                        .concat(),
                    estimated: f.estimated_from.is_some(),
                    sqnr: measured(c, lab, tr),
                    accuracy: accuracy.clone(),
                    est,
                    no_estimate_why,
                    measured: None,
                    training: Some(training_cells(&t, b, tr)),
                    speed: None,
                    devices: device.filter(|_| total > budget).map(|d| fill(tr.too_big_training, &[d.name_in(s.lang)])),
                };
            }
            let mut segments: Vec<Segment> = class_rows(f)
                .map(|(class, cb)| Segment {
                    key: segment_key(class),
                    label: class.label_in(tr),
                    bytes: Bytes::new(cb.bytes),
                    width: percent(cb.bytes, scale),
                })
                .collect();
            segments.push(Segment {
                key: "kv",
                label: tr.kv_cache,
                bytes: Bytes::new(f.kv),
                width: percent(f.kv, scale),
            });
            segments.push(Segment {
                key: "runtime",
                label: tr.col_runtime,
                bytes: Bytes::new(f.runtime),
                width: percent(f.runtime, scale),
            });
            let params = f.weights.params();
            let mix = f
                .weights
                .formats
                .iter()
                .map(|(fmt, cb)| format!("{} {}", fmt.name, share_text(percent(cb.params, params), s.lang)))
                .collect::<Vec<_>>()
                .join(" · ");
            let placement = s.placement(c, f);
            let fits = s.fits(f.total(), f.runtime, placement.as_ref());
            let tps = s.decode_tps(c, f, placement.as_ref());
            let split = placement.as_ref().map(|p| split_view(p, fits, tps, s, tr, c.model.layout().0.moe.is_some()));
            Row {
                title,
                params: human_count(f.params),
                param_count: f.params,
                active_count: f.active_params,
                weights: Bytes::new(f.weight_bytes()),
                kv: Bytes::new(f.kv),
                runtime: Bytes::new(f.runtime),
                total: Bytes::new(f.total()),
                bpw: format!("{:.2}", f.bpw()),
                runtime_parts: runtime_parts_text(s, f, tr),
                fits,
                verdict: split
                    .as_ref()
                    .map_or_else(|| (if fits { tr.fits } else { tr.does_not_fit }).into(), |x| x.verdict.clone()),
                split: split.as_ref().is_some_and(|x| x.share.is_some()),
                share: split.as_ref().and_then(|x| x.share.clone()).unwrap_or_else(|| share(f.percent_of(budget))),
                segments,
                kv_rows: kv_rows(f, tr),
                mix,
                notes: [
                    notes(c, f, tr),
                    rule_note(c, &law, tr),
                    evidence(c, any_pruned, est.as_ref(), tr),
                    vec![context_note(c, f, s, tr)],
                    runtime_parts_text(s, f, tr).into_iter().collect(),
                    per_card_note(f, s, tr).into_iter().collect(),
                    split.as_ref().map_or_else(Vec::new, |x| x.notes.clone()),
                ]
                .concat(),
                estimated: f.estimated_from.is_some(),
                sqnr: measured(c, lab, tr),
                accuracy,
                est,
                no_estimate_why,
                measured: measured_ppl(c),
                training: None,
                // Only what generates token by token has a decode bound (not an encoder).
                speed: match split.and_then(|x| x.speed) {
                    Some(split) => Some(split),
                    None => device.zip(tps).map(|(d, tps)| {
                        fill(tr.decode_bound, &[&tps_text(tps), d.name_in(s.lang), &d.bandwidth_gbs.to_string()])
                    }),
                },
                devices: device.filter(|_| !fits).map(|d| {
                    let n = f.total().div_ceil(d.gpu_bytes().max(1)).to_string();
                    fill(tr.needs_devices, &[&n, d.name_in(s.lang)])
                }),
            }
        })
        .collect();
    Report {
        rows,
        budget: Bytes::new(budget),
        budget_label: scenario_budget_label(s),
        budget_position: percent(budget, scale),
    }
}

/// The "How this is estimated" panel: constants, the fits' residuals and the held-out checks,
/// as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    pub law: String,
    pub law_constants: String,
    /// `c = 0.8757, E = 2.9589 (…); σ = 0.058 over 23 points`
    pub scale: String,
    /// model, protocol, measured PPL, predicted PPL, residual (ln).
    pub scale_rows: Vec<[String; 5]>,
    pub penalty: String,
    pub sigma: String,
    pub spearman: Vec<(String, String)>,
    pub median_ratio: String,
    /// model, scheme (the mix measured), measured PPL, measured Δloss, predicted Δloss, ratio.
    pub residuals: Vec<[String; 6]>,
    /// Held out: kind, what, measured, predicted, ratio, direction.
    pub checks: Vec<[String; 6]>,
    /// The penalty on files not fitted: family, how, files, median ratio, worst, RMS.
    pub summaries: Vec<[String; 6]>,
    /// At a fixed size: the size, tokens, the best bit width, and whether it is within 3–6 bits.
    pub bits: Vec<[String; 4]>,
    /// The pruning rule N_eff = N·f per pattern and method: pattern, method, f, then per model
    /// "measured / predicted Δloss", and the worst ratio.
    pub pruning: Vec<[String; 7]>,
}

fn signed(x: f64) -> String {
    format!("{x:+.4}")
}

pub fn method(law: Law, fit: &FitReport, t: &Strings) -> Method {
    let c = law.constants();
    let name = |id: &str| crate::core::catalog::model::preset(id).map_or(id.to_string(), |p| p.name.to_string());
    let scheme =
        |id: &str| crate::core::catalog::scheme::by_id_or_historic(id).map_or(id.to_string(), |s| s.name.to_string());
    let sf = scale::fit_all(law);
    let sc = law.scale();
    let (checks, summaries) = holdout::checks(law);
    let kind = |k: holdout::Kind| match k {
        holdout::Kind::SizeStep => t.check_size,
        holdout::Kind::Compare => t.check_compare,
        holdout::Kind::Moe => t.check_moe,
    };
    Method {
        law: law.label(t).into(),
        law_constants: format!("A = {}, B = {}, α = {}, β = {}", c.a, c.b, c.alpha, c.beta),
        scale: fill(
            t.method_scale,
            &[
                &format!("{:.4}", sc.c),
                &format!("{:.4}", sc.e_ref),
                &format!("{:.3}", sf.sigma()),
                &sf.residuals.len().to_string(),
            ],
        ),
        scale_rows: sf
            .residuals
            .iter()
            .map(|(d, r)| {
                let predicted = d.point.ppl * libm::exp(*r);
                [
                    d.point.model.name().to_string(),
                    d.group.0.label_in(t).to_string(),
                    d.point.ppl.to_string(),
                    format!("{predicted:.3}"),
                    signed(*r),
                ]
            })
            .collect(),
        penalty: format!(
            "C = {:.3e}, γD = {:.4}, γN = {:.4}, γ = {:.4}",
            libm::exp(FITTED.ln_c),
            FITTED.gamma_d,
            FITTED.gamma_n,
            FITTED.gamma_post
        ),
        sigma: fill(t.method_sigma, &[&format!("{FIT_SIGMA:.3}"), &format!("{:.2}", libm::exp(FIT_SIGMA))]),
        spearman: fit.spearman.iter().map(|(m, r)| (name(m), format!("{r:.3}"))).collect(),
        median_ratio: format!("{:.2}", fit.median_ratio),
        residuals: fit
            .residuals
            .iter()
            .map(|r| {
                [
                    name(r.point.model),
                    scheme(r.point.measured_scheme()),
                    format!("{}", r.point.ppl),
                    format!("{:.4}", r.measured),
                    format!("{:.4}", r.predicted),
                    format!("{:.2}", r.predicted / r.measured),
                ]
            })
            .collect(),
        checks: checks
            .iter()
            .map(|&(k, index, measured, predicted)| {
                let (m, p) = match k {
                    holdout::Kind::Moe => (human_count(measured.round() as u64), human_count(predicted.round() as u64)),
                    _ => (signed(measured), signed(predicted)),
                };
                let same = k == holdout::Kind::Moe || (predicted < 0.0) == (measured < 0.0);
                let agrees = match k {
                    holdout::Kind::Moe => "—",
                    _ if same => t.agrees_yes,
                    _ => t.agrees_no,
                };
                let ratio = if same { format!("×{:.2}", predicted / measured) } else { "—".into() };
                [kind(k).into(), holdout::label(k, index, t), m, p, ratio, agrees.into()]
            })
            .collect(),
        summaries: summaries
            .iter()
            .map(|&(family, left_out, points, median, worst, rms)| {
                [
                    family.into(),
                    if left_out { t.how_left_out } else { t.how_not_fitted }.into(),
                    points.to_string(),
                    format!("×{median:.2}"),
                    format!("×{worst:.2}"),
                    format!("{rms:.3}"),
                ]
            })
            .collect(),
        bits: crate::core::compare::tradeoff::bit_optimal(law)
            .iter()
            .filter_map(|b| {
                let (sc, n, bpw, _) = b.best()?;
                let within = (3.0..=6.0).contains(bpw);
                Some([
                    fill(t.bits_size, &[&human_count(b.dense), &fmt_bytes(b.weights)]),
                    human_count(b.tokens),
                    format!("{} @ {} ({bpw:.2} bpw)", human_count(*n), sc.name),
                    fill(if within { t.bits_within } else { t.bits_outside }, &[&format!("{bpw:.2}")]),
                ])
            })
            .collect(),
        pruning: crate::core::estimate::pruning::fit_all(law)
            .iter()
            .map(|g| {
                let pt = |i: usize| g.points.get(i).map_or("—".into(), |(_, m, p)| format!("{m:.3} / {p:.3}"));
                let pattern = g.sparsity.suffix().trim_start_matches('+').to_string();
                [
                    pattern,
                    g.method.name(t).into(),
                    format!("{:.4}", g.f),
                    pt(0),
                    pt(1),
                    pt(2),
                    format!("×{:.2}", g.worst),
                ]
            })
            .collect(),
    }
}

/// One entry of the format picker.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeOption {
    pub id: &'static str,
    /// `Q4_K_M · 4.89 bpw` — bits per parameter over this model, every overhead included.
    pub label: String,
}

/// The format picker for one model, grouped, with each scheme's whole-model bpw for that model;
/// `current`, when it is not a pickable scheme (a link's `+emb=`/`+out=` overrides), first in
/// its group, so the picker shows it.
pub fn scheme_options(model: &ModelRef, current: &'static Scheme) -> Vec<(Group, Vec<SchemeOption>)> {
    let params = model.layout_counts().0.max(1) as f64;
    let option = |s: &'static Scheme| {
        let bpw = layout_weights(model, s).bytes() as f64 * 8.0 / params;
        SchemeOption { id: s.id, label: format!("{} · {bpw:.2} bpw", s.name) }
    };
    let extra = (!schemes().iter().any(|s| s.id == current.id)).then_some(current);
    groups()
        .into_iter()
        .map(|g| {
            let opts = extra
                .filter(|s| s.group() == g)
                .into_iter()
                .chain(schemes().iter().filter(|s| s.group() == g))
                .map(option)
                .collect();
            (g, opts)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The picker's text stays short (name and bandwidth); what the budget counts is said under it:
    /// 24,564 MiB for an RTX 4090, and on a 16 GB Mac 2/3 of 17,179,869,184 bytes.
    #[test]
    fn device_texts() {
        let d = |id: &str| crate::core::catalog::devices::by_id(id).unwrap();
        assert_eq!(device_option(d("rtx-4090"), Lang::En), "RTX 4090 24 GB · 1008 GB/s");
        assert_eq!(
            device_note(&Budget::Device(d("rtx-4090")), Lang::En).unwrap(),
            "The budget counts 25.76 GB, the memory the driver reports."
        );
        let mac = device_note(&Budget::Device(d("mac-16gb")), Lang::En).unwrap();
        assert!(mac.contains("lets the GPU wire 11.45 GB of the 17.18 GB"), "{mac}");
        assert_eq!(
            budget_label(&Budget::Device(d("mac-16gb")), Lang::En),
            "Apple M4, 16 GB (GPU 11.45 GB of 17.18 GB)"
        );
        assert_eq!(device_note(&Budget::parse("24GB").unwrap(), Lang::En), None);
    }

    #[test]
    fn default_report_reads_as_expected() {
        let r = build(&Scenario::default(), &[]);
        assert_eq!(r.rows.len(), 2);
        let big = &r.rows[0];
        assert_eq!(big.title, "Llama-3.1-70B @ Q4_K_M");
        assert_eq!(big.params, "70.6B");
        assert!(!big.fits, "42.5 GB does not fit a 4090");
        let small = &r.rows[1];
        assert_eq!(small.weights.decimal, "16.06 GB");
        assert_eq!(small.weights.exact, "16,060,522,496");
        assert_eq!(small.kv.decimal, "1.07 GB");
        // The default runtime is llama.cpp's (`rt=llama.cpp`), at 8,192 tokens and ubatch 512 with
        // flash attention: CUDA context 450 MiB; compute buffer the largest step, the logits'
        // 128256 · 512 · 4 B = 250.5 MiB beside one 512 · 4096 · 4 B = 8 MiB activation (258.5 MiB;
        // attention 16 + 8 + 4 · 8 = 56 MiB and FFN 2 · 512 · 14336 · 4 B + 2 · 8 MiB = 72 MiB are
        // smaller); output buffer 128256 · 4 B = 513,024 B. 471,859,200 + 271,056,896 + 513,024 =
        // 743,429,120 B = 708.99 MiB.
        assert_eq!(small.runtime.bytes, 450 * 1048576 + (128_256 * 512 * 4 + 8 * 1048576) + 128_256 * 4);
        assert_eq!(small.runtime.bytes, 743_429_120);
        assert_eq!(small.runtime.binary, "709.0 MiB");
        assert!(small.fits);
        assert_eq!(small.bpw, "16.00");
        assert_eq!(small.mix, "BF16 100 %");
        assert_eq!(r.budget.decimal, "25.76 GB");
        // The scale is the largest total: that bar is full width, the budget line inside it.
        let full: f64 = big.segments.iter().map(|s| s.width).sum();
        assert!((full - 100.0).abs() < 1e-9);
        assert!(r.budget_position > 50.0 && r.budget_position < 70.0, "{}", r.budget_position);
        assert!(big.mix.starts_with("Q4_K "), "{}", big.mix);
        assert!(big.mix.contains("Q6_K") && big.mix.contains("Q5_K") && big.mix.contains("F32 <1 %"));
        // Accuracy: the 16-bit model loses nothing against itself; the 70B's tokens are published.
        assert_eq!(small.accuracy.delta, "≈ 0");
        assert_eq!(small.accuracy.band, "—");
        assert_eq!(small.accuracy.n16, "≈ 8.03B");
        assert_eq!(big.accuracy.tokens, "15T (published)");
        assert!(big.accuracy.delta.starts_with("+0.0"), "{}", big.accuracy.delta);
        assert!(big.accuracy.ppl.ends_with("% PPL") && big.accuracy.band.contains(" to "));
    }

    /// The figure: Llama-3.1-8B in training, mixed-precision Adam, ZeRO-0, one device:
    /// 8.03e9 × 16 B = 128.48 GB of weights, gradients and optimizer state, plus activations and
    /// a fixed 512 MiB runtime (`rt=512MiB`).
    #[test]
    fn training_rows() {
        let (s, _) = Scenario::decode("m=llama-3.1-8b@bf16&ctx=4096&mode=train&opt=mixed&zero=0&gpus=1&rt=512MiB");
        let r = build(&s, &[]);
        let row = &r.rows[0];
        let t = row.training.as_ref().unwrap();
        assert_eq!(t.weights.bytes + t.states.bytes, 8_030_261_248 * 16);
        assert_eq!(t.model_states.decimal, "128.5 GB");
        assert_eq!(row.total.bytes, 8_030_261_248 * 16 + t.activations.bytes + 512 * 1048576);
        assert!(t.detail.starts_with("8.03B trained · Adam, mixed precision"), "{}", t.detail);
        assert_eq!(
            row.segments.iter().map(|s| s.key).collect::<Vec<_>>(),
            ["weights", "grads", "optim", "acts", "runtime"]
        );
        assert!(!row.fits && row.speed.is_none());
        assert!(row.devices.as_deref().unwrap().starts_with("too big for a RTX 4090 24 GB per device"));
    }

    /// Decode bound: an RTX 4090 (1,008 GB/s) reading per token Llama-3.1-8B's BF16 weights but
    /// the embedding table, of which one row (16,060,522,496 − 128,256 · 4,096 · 2 + 4,096 · 2 =
    /// 15,009,857,536 bytes), and its 1,073,741,824-byte cache: 1008e9 / 16,083,599,360 = 62.7
    /// tok/s. The same count with all of it on the GPU as a split reads it; MoE reads only active
    /// experts.
    #[test]
    fn decode_speed_and_devices() {
        let r = build(&Scenario::default(), &[]);
        assert_eq!(r.rows[1].speed.as_deref(), Some("decode ≤ 63 tok/s on RTX 4090 24 GB (1008 GB/s)"));
        assert_eq!(r.rows[1].devices, None);
        assert_eq!(r.rows[0].devices.as_deref(), Some("needs 2 × RTX 4090 24 GB (weights split across them)"));
        let (s, _) = Scenario::decode("m=llama-3.1-8b@bf16");
        let c = &s.configs[0];
        let f = evaluate_pruned(&c.model, c.scheme, c.sparsity, c.ctx, c.batch, c.kv, &s.runtime);
        let l = crate::core::memory::offload::layers(&c.model, c.scheme, c.sparsity, &f);
        assert_eq!(l.token_reads(), 15_009_857_536 + 1_073_741_824);
        let all = crate::core::memory::offload::place(&l, l.layers() + 1, 0, 1, true, &s.runtime);
        assert_eq!((all.gpu_read, all.ram_read), (l.token_reads(), 0));
        // Mixtral: of each layer's eight experts a token reads two.
        let (mix, _) = Scenario::decode("m=mixtral-8x7b@q4_k_m&budget=h100-80gb");
        let c = &mix.configs[0];
        let f = evaluate_pruned(&c.model, c.scheme, c.sparsity, 8192, 1, c.kv, &mix.runtime);
        let reads = crate::core::memory::offload::layers(&c.model, c.scheme, c.sparsity, &f).token_reads() as f64;
        let dense = (f.weight_bytes() + f.kv) as f64;
        assert!(reads < 0.4 * dense && reads > 0.25 * dense, "{reads} of {dense}");
        let (sized, _) = Scenario::decode("m=8B@bf16&budget=24GB");
        assert_eq!(build(&sized, &[]).rows[0].speed, None);
    }

    /// Llama-3.1-70B Q4_K_M on an RTX 4090 with 64 GB of dual-channel DDR5-6000: the output layer
    /// and 42 of 80 layers on the GPU (1 GiB left free, as `--fit` leaves it), the decode bound of both reads (GPU at 1,008 GB/s, RAM at 96 GB/s), each
    /// memory's share; in Chinese too. By layers over two cards, each card's share is listed. The
    /// runtime is a fixed 512 MiB (`rt=512MiB`), as the figures were worked.
    #[test]
    fn split_verdicts() {
        let (s, _) = Scenario::decode("m=llama-3.1-70b@q4_k_m&budget=rtx-4090&ram=64GB&rt=512MiB");
        let r = build(&s, &[]);
        let row = &r.rows[0];
        let c = &s.configs[0];
        let f = evaluate_pruned(&c.model, c.scheme, c.sparsity, c.ctx, c.batch, c.kv, &s.runtime);
        let p = s.placement(c, &f).unwrap();
        let tps = 1.0 / (p.gpu_read as f64 / 1008e9 + p.ram_read as f64 / 96e9);
        assert!((tps - 4.2).abs() < 0.05, "{tps}");
        assert_eq!(row.verdict, "Fits with 38 of 80 layers in RAM, ≤ 4.2 tok/s");
        assert!(row.fits);
        assert_eq!(
            row.speed.as_deref(),
            Some(format!(
                "decode ≤ 4.2 tok/s: {} a token from the GPU at 1008 GB/s and {} from RAM at 96 GB/s",
                fmt_bytes(p.gpu_read),
                fmt_bytes(p.ram_read)
            ))
            .as_deref()
        );
        assert!(
            row.share.starts_with("GPU ") && row.share.contains(", RAM ") && row.share.contains("of 64.00 GB"),
            "{}",
            row.share
        );
        assert!(row.notes.iter().any(|n| n.starts_with(
            "Split with system RAM (llama.cpp -ngl 43): the GPU holds the output layer and 42 of 80 layers"
        )));
        assert!(row.notes.iter().any(|n| n.starts_with("Chosen as llama.cpp's --fit") && n.contains("1 GiB")));
        assert_eq!(r.budget_label, "RTX 4090 24 GB (25.76 GB) + 64.00 GB of RAM");
        let zh = build(&Scenario { lang: Lang::ZhCn, ..s.clone() }, &[]);
        assert_eq!(zh.rows[0].verdict, "放得下，80 层中 38 层在内存中，≤ 4.2 token/秒");
        // Without a device, only RAM's share of the time: still a bound.
        let (sized, _) = Scenario::decode("m=llama-3.1-70b@q4_k_m&budget=24GB&ram=64GB&rt=512MiB");
        assert!(build(&sized, &[]).rows[0].speed.as_deref().unwrap().contains("the GPU's share is not counted"));
        let (pp, _) = Scenario::decode("m=llama-3.1-70b@q4_k_m&budget=rtx-4090&cards=2:pp&rt=512MiB");
        let row = &build(&pp, &[]).rows[0];
        assert_eq!(row.verdict, "Fits");
        let note = row.notes.iter().find(|n| n.starts_with("By layers over 2 cards")).unwrap();
        assert!(note.contains("card 1 holds 41 layers") && note.contains("card 2 holds 39 layers"), "{note}");
        assert_eq!(build(&pp, &[]).budget_label, "2 × RTX 4090 24 GB (25.76 GB), by layers");
        assert!(!row.notes.iter().any(|n| n.starts_with("Per card")), "the tensor-parallel note is not said");
    }

    /// Best for a 4090 with 64 GB of RAM: what fits both counts, and a configuration that needs
    /// RAM ranks as if 0.02 nats worse, so one all on the GPU within that comes first.
    #[test]
    fn best_with_ram() {
        let (s, _) = Scenario::decode("m=llama-3.1-8b@bf16&budget=rtx-4090&ram=64GB");
        let best = crate::core::compare::tradeoff::best(&s, 10);
        assert!(best.iter().all(|c| c.fits));
        assert!(best.iter().any(|c| c.needs_ram()) && best.iter().any(|c| !c.needs_ram()));
        assert!(best.windows(2).all(|w| w[0].rank_loss() <= w[1].rank_loss()));
        for (i, o) in best.iter().enumerate().filter(|(_, c)| c.needs_ram()) {
            for (j, g) in best.iter().enumerate().filter(|(_, c)| !c.needs_ram()) {
                if g.est.loss < o.est.loss + 0.02 {
                    assert!(j < i, "{} (GPU) should rank above {} (RAM)", g.title(), o.title());
                }
            }
        }
        let rows = tradeoff_rows(&best, &s);
        let offloaded = rows.iter().zip(&best).find(|(_, c)| c.needs_ram()).unwrap().0;
        assert!(offloaded.split.as_deref().unwrap().contains("in RAM, ≤ "), "{:?}", offloaded.split);
        // Without RAM nothing in the list needs it.
        let (gpu, _) = Scenario::decode("m=llama-3.1-8b@bf16&budget=rtx-4090");
        assert!(crate::core::compare::tradeoff::best(&gpu, 10)
            .iter()
            .all(|c| !c.needs_ram() && c.total <= gpu.budget_bytes()));
    }

    /// A speed floor (`tps=`): without one, the best for a 4090 with 64 GB of DDR5-6000 is a
    /// split model under 5 tok/s; with `tps=10` every row decodes at least 10 tok/s, the rows the
    /// floor dropped were slower, and a candidate's bound is the one its results row shows.
    #[test]
    fn best_with_a_speed_floor() {
        let link = "m=llama-3.1-8b@bf16&budget=rtx-4090&ram=64GB@ddr5-6000-2ch";
        let (s, _) = Scenario::decode(link);
        let open = crate::core::compare::tradeoff::best(&s, 10);
        assert!(open[0].needs_ram() && open[0].tps.unwrap() < 5.0, "{} {:?}", open[0].title(), open[0].tps);
        let (floored, notes) = Scenario::decode(&format!("{link}&tps=10"));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(floored.accuracy.min_tps, 10);
        assert!(floored.encode().contains("&tps=10"));
        let fast = crate::core::compare::tradeoff::best(&floored, 10);
        assert!(!fast.is_empty() && fast.iter().all(|c| c.fits && c.tps.unwrap() >= 10.0));
        for c in open.iter().filter(|c| !fast.iter().any(|f| f.title() == c.title())) {
            assert!(c.tps.unwrap() < 10.0 || fast.len() == 10, "{} dropped at {:?}", c.title(), c.tps);
        }
        // By hand: Llama-3.1-8B at BF16 all on the 4090 reads its 16,060,522,496 weight bytes
        // less the token embedding (128256 × 4096 × 2) plus one embedding row (4096 × 2) and
        // its F16 KV cache at 8192 tokens (32 layers × 2 × 8 heads × 128 × 2 bytes × 8192 =
        // 1,073,741,824): 16,083,599,360 bytes a token at 1008 GB/s, 62.67 tok/s.
        let (gpu, _) = Scenario::decode("m=llama-3.1-8b@bf16&budget=rtx-4090&ram=64GB@ddr5-6000-2ch");
        let c = crate::core::compare::tradeoff::configuration(&gpu, 0).unwrap();
        let reads = 16_060_522_496u64 - 128_256 * 4096 * 2 + 4096 * 2 + 1_073_741_824;
        assert_eq!(reads, 16_083_599_360);
        assert!((c.tps.unwrap() - 1008e9 / reads as f64).abs() < 1e-9, "{:?}", c.tps);
        let row = &build(&gpu, &[]).rows[0];
        assert!(row.speed.as_deref().unwrap().contains(&format!("≤ {} tok/s", tps_text(c.tps.unwrap()))));
        // A bare size has no bandwidth: no speed, and the floor lets everything through.
        let (size, _) = Scenario::decode("m=llama-3.1-8b@bf16&budget=24GB&tps=10");
        assert!(crate::core::compare::tradeoff::best(&size, 3).iter().all(|c| c.tps.is_none()));
        assert!(!crate::core::compare::tradeoff::best(&size, 3).is_empty());
        // A malformed floor is reported and left at none.
        let (bad, notes) = Scenario::decode(&format!("{link}&tps=fast"));
        assert_eq!(bad.accuracy.min_tps, 0);
        assert!(notes.iter().any(|n| n.text.contains("fast")), "{notes:?}");
    }

    #[test]
    fn texts_for_deltas() {
        assert_eq!(delta_text(0.01234), "+0.0123");
        assert_eq!(delta_text(-0.00001), "≈ 0");
        let (en, zh) = (Lang::En.strings(), Lang::ZhCn.strings());
        assert_eq!(ppl_text(0.0, en), "≈ 0 % PPL");
        // e^0.01 − 1 = 1.005 %.
        assert_eq!(ppl_text(0.01, en), "+1.01 % PPL");
        assert_eq!(ppl_text(0.01, zh), "困惑度 +1.01%");
    }

    /// The same scenario in Chinese: the same numbers, Chinese words around them.
    #[test]
    fn a_chinese_report_keeps_the_numbers() {
        let link = "v=1&m=llama-3.1-70b@q4_k_m,8B@bf16,qwen3-30b-a3b@q4_k_m&budget=rtx-4090";
        let en = build(&Scenario::decode(link).0, &[]);
        let zh = build(&Scenario::decode(&format!("{link}&lang=zh-CN")).0, &[]);
        for (e, z) in en.rows.iter().zip(&zh.rows) {
            assert_eq!((&e.weights, &e.kv, &e.total, e.fits), (&z.weights, &z.kv, &z.total, z.fits));
            assert_eq!(e.accuracy.loss, z.accuracy.loss);
            assert_eq!(e.notes.len(), z.notes.len());
        }
        assert_eq!(zh.rows[1].title, "8B 参数 @ BF16");
        assert_eq!(zh.rows[0].devices.as_deref(), Some("需要 2 块 RTX 4090 24 GB（权重分摊到各块上）"));
        assert!(zh.rows[0].share.starts_with("占 25.76 GB 的 178%"), "{}", zh.rows[0].share);
        assert!(zh.rows[1].notes[0].starts_with("估算：原始参数量套用 Llama-3.1-8B 的结构"), "{:?}", zh.rows[1].notes);
        assert!(
            zh.rows[2].notes.iter().any(|n| n.starts_with("混合专家（MoE）：全部 30.5B 参数")),
            "{:?}",
            zh.rows[2].notes
        );
        assert_eq!(zh.rows[0].segments[0].label, "词嵌入");
        let bert = build(&Scenario::decode("v=1&m=bert-base@f16,gpt2@f16&budget=rtx-4090").0, &[]);
        assert_eq!(bert.rows[0].speed, None, "an encoder does not decode");
        assert!(bert.rows[1].speed.is_some());
    }

    #[test]
    fn method_lists_every_residual_and_check() {
        let m = method(Law::Epoch, &crate::core::estimate::fit::report(FITTED), Lang::En.strings());
        let fitted = published::POINTS.iter().filter(|p| p.fitted()).count();
        assert_eq!(m.residuals.len(), fitted);
        assert!(m.law_constants.starts_with("A = 482.01, B = 2085.43"));
        assert!(m.scale.starts_with("c = 0.8757"), "{}", m.scale);
        assert_eq!(m.residuals[0][0], "LLaMA-7B (v1)");
        // The 70B's Q2_K row names the mix its file had.
        assert!(m.residuals.iter().any(|r| r[0] == "Llama-2-70B" && r[1] == "Q2_K@2023-08"));
        assert_eq!(m.scale_rows.len(), scale::cases().len());
        // Held out: the comparison, in the right direction.
        let c = m.checks.iter().find(|c| c[1] == "Llama-2-70B Q2_K vs Llama-2-13B F16").unwrap();
        assert_eq!((c[2].as_str(), c[5].as_str()), ("-0.3118", "same direction"));
        assert!(m.summaries.iter().any(|s| s[0] == "Qwen2" && s[1] == "not fitted"));
        // Dettmers' check: every fixed size picks 3 to 6 bits per weight.
        assert_eq!(m.bits.len(), 8);
        assert!(m.bits.iter().all(|b| b[3].contains("within")), "{:?}", m.bits);
    }

    #[test]
    fn notes_explain_special_cases() {
        let (s, _) = Scenario::decode("m=bert-base@f32,gemma-2-9b@q8_0,deepseek-v3@q4_k_m,8B@bf16&ctx=200000");
        let r = build(&s, &[]);
        assert!(r.rows[0].notes.iter().any(|n| n.contains("Encoder")));
        assert!(r.rows[1].notes.iter().any(|n| n.contains("8,192 tokens of context")));
        assert!(r.rows[1].notes.iter().any(|n| n.contains("21 of 42 layers")));
        assert!(r.rows[2].notes.iter().any(|n| n.contains("576-wide")));
        assert!(r.rows[2].notes.iter().any(|n| n.contains("671B") && n.contains("37.")));
        assert!(r.rows[3].estimated && r.rows[3].notes[0].contains("Llama-3.1-8B"));
        assert!(!r.rows[0].estimated);
        // What llama.cpp adds to Gemma-2's 21 sliding layers at 200,000 tokens: 4,608 cells, 512
        // more than the window: 512 tokens × 21 layers × K and V of 8 heads of 256 in F16.
        let more = 512 * 21 * 2 * 8 * 256 * 2;
        let cpp = format!("llama.cpp gives these layers 4,608 cells per sequence (min(context, 4,096 + its 512-token micro-batch), rounded up to 256): {} more than the window needs.", fmt_bytes(more));
        assert!(r.rows[1].notes.contains(&cpp), "{:?}", r.rows[1].notes);
        // The KV cache by kind of layer.
        let kv: Vec<(String, u32)> = r.rows[1].kv_rows.iter().map(|k| (k.label.clone(), k.layers)).collect();
        assert_eq!(kv, [("full attention".to_string(), 21), ("sliding window of 4,096".to_string(), 21)]);
        assert_eq!(r.rows[1].kv_rows.iter().map(|k| k.bytes.bytes).sum::<u64>(), r.rows[1].kv.bytes);
        assert_eq!(r.rows[2].kv_rows[0].unit, format!("{} per token", fmt_bytes(61 * 576 * 2)));
        assert!(r.rows[0].kv_rows.is_empty());
    }

    /// A linear-attention model (Qwen3-Next's layout, from a link) keeps a state per sequence,
    /// and the notes and the KV table say so in both languages.
    #[test]
    fn linear_attention_keeps_a_state() {
        let arch = "arch-L48-H2048-A16-K2-D256-F5120-V151936-T0-C262144-N2-E512x10x512x1x0-G16x32x128x128x4x4-Q1-Z1-Y1";
        for (lang, state, per_seq) in [
            ("en", "36 of 48 layers keep no KV cache but a state of 75.38 MiB per sequence", "per sequence"),
            ("zh-CN", "48 层中有 36 层没有 KV 缓存，而是每个序列一个 75.38 MiB 的状态", "每个序列"),
        ] {
            let r = build(&Scenario::decode(&format!("m={arch}@bf16&batch=3&lang={lang}")).0, &[]);
            assert!(r.rows[0].notes.iter().any(|n| n.contains(state)), "{:?}", r.rows[0].notes);
            let k = &r.rows[0].kv_rows[1];
            assert_eq!((k.layers, k.bytes.bytes), (36, 3 * 36 * (3 * 8192 + 32 * 128 * 128) * 4));
            assert!(k.unit.contains(per_seq), "{}", k.unit);
        }
        // Past the context its config gives (262,144), as a preset's.
        let r = build(&Scenario::decode(&format!("m={arch}@bf16&ctx=300000")).0, &[]);
        assert!(
            r.rows[0].notes.iter().any(|n| n.contains("supports 262,144 tokens of context; 300,000 asked")),
            "{:?}",
            r.rows[0].notes
        );
    }

    /// A fitted pattern is estimated and says how; an unfitted one says why not, in both languages.
    #[test]
    fn pruned_rows_say_how_they_are_estimated() {
        for lang in ["en", "zh-CN"] {
            let (s, _) =
                Scenario::decode(&format!("m=llama-2-13b@f16+2:4,llama-2-13b@f16+u30,llama-2-13b@f16&lang={lang}"));
            let r = build(&s, &[]);
            let (fitted, unfitted, dense) = (&r.rows[0], &r.rows[1], &r.rows[2]);
            assert!(fitted.est.is_some() && unfitted.est.is_none() && dense.est.is_some());
            assert_eq!(unfitted.accuracy.loss, s.lang.strings().no_estimate);
            assert!(fitted.notes.iter().any(|n| n.contains("0.0684") && n.contains("2:4")), "{:?}", fitted.notes);
            assert!(fitted.notes.iter().any(|n| n.contains("×1.15")), "{:?}", fitted.notes);
            assert!(unfitted.notes.iter().any(|n| n.contains("Wanda README")), "{:?}", unfitted.notes);
            assert!(dense.notes.iter().all(|n| !n.contains("N·f")));
            // Δ is against the dense 13B at 16 bits: the same 16-bit loss, and e^Δ − 1 the PPL increase.
            let (e, d) = (fitted.est.unwrap(), dense.est.unwrap());
            assert!((e.loss16 - d.loss16).abs() < 1e-12 && (e.delta - (e.loss - d.loss16)).abs() < 1e-12);
        }
    }

    /// The note says how the positions are stored: ⌈log2 M⌉ bits for N:M; for unstructured the
    /// smaller of a bitmask (5120² bits for a 13B attention matrix) and CSR (16 bits per kept
    /// value + 32 per row): at 3 % kept, 16 · 0.03 · 5120 + 32 = 2490 bits a row against 5120.
    #[test]
    fn pruned_rows_say_how_positions_are_stored() {
        let s = Scenario::decode("m=llama-2-13b@f16+2:4,llama-2-13b@f16+4:8,llama-2-13b@f16+u50,llama-2-13b@f16+u97").0;
        let r = build(&s, &[]);
        let note = |i: usize| r.rows[i].notes[0].clone();
        assert!(note(0).contains("2-bit positions per kept value"), "{}", note(0));
        assert!(note(1).contains("3-bit positions per kept value"), "{}", note(1));
        assert!(note(2).contains("a 1-bit mask per weight"), "{}", note(2));
        assert!(note(3).contains("CSR"), "{}", note(3));
    }

    /// A device's name in the verdicts follows the page's language (the phone is a word).
    #[test]
    fn the_budget_device_is_named_in_the_language_shown() {
        let zh = build(&Scenario::decode("m=llama-2-7b@q4_k_m&budget=phone-8gb&lang=zh-CN").0, &[]);
        assert!(zh.budget_label.starts_with("手机，8 GB"), "{}", zh.budget_label);
        let texts = zh.rows.iter().flat_map(|r| r.notes.iter().chain(r.speed.iter())).collect::<Vec<_>>();
        assert!(texts.iter().all(|n| !n.contains("Phone")), "{texts:?}");
        let en = build(&Scenario::decode("m=llama-2-7b@q4_k_m&budget=phone-8gb").0, &[]);
        assert!(en.budget_label.starts_with("Phone, 8 GB"), "{}", en.budget_label);
    }

    #[test]
    fn rows_show_the_lab_sqnr_of_their_format() {
        let (s, _) = Scenario::decode("m=8B@q8_0,8B@q4_k_m,8B@f32,8B@int4_g128");
        assert!(build(&s, &[]).rows.iter().all(|r| r.sqnr == "—" || r.sqnr == "exact"));
        let x = crate::core::kernels::tensor::sample(crate::core::kernels::tensor::Distribution::Gaussian, 1 << 16, 1);
        let lab: Vec<FormatResult> = ["q8_0", "q4_k", "int4_g128_asym"]
            .iter()
            .filter_map(|id| crate::core::kernels::quant::kernel(id))
            .map(|k| crate::core::kernels::runner::run_kernel(k, &x, 4096, false, &|| 0.0, &mut |_| true).unwrap())
            .collect();
        let r = build(&s, &lab);
        assert!(r.rows[0].sqnr.ends_with(" dB"), "{}", r.rows[0].sqnr);
        assert_eq!(r.rows[2].sqnr, "exact");
        assert!(r.rows[3].sqnr.contains("INT4 g128"), "{}", r.rows[3].sqnr);
        if lab.iter().any(|l| l.id == "q4_k") {
            assert!(r.rows[1].sqnr.contains("(Q4_K)"), "{}", r.rows[1].sqnr);
        }
    }

    #[test]
    fn options_show_whole_model_bpw() {
        let m = ModelRef::Preset(crate::core::catalog::model::preset("llama-3.1-8b").unwrap());
        let q4 = crate::core::catalog::scheme::by_id("q4_k_m").unwrap();
        let opts = scheme_options(&m, q4);
        let all: Vec<&SchemeOption> = opts.iter().flat_map(|(_, o)| o).collect();
        assert_eq!(all.len(), schemes().len());
        let q4km = all.iter().find(|o| o.id == "q4_k_m").unwrap();
        assert_eq!(q4km.label, "Q4_K_M · 4.89 bpw");
        assert_eq!(all.iter().find(|o| o.id == "bf16").unwrap().label, "BF16 · 16.00 bpw");
        assert_eq!(all.iter().find(|o| o.id == "iq2_xxs").unwrap().label, "IQ2_XXS · 2.38 bpw");
        // A link's overrides: the picker shows that scheme too, first among the presets.
        let l = crate::core::catalog::scheme::by_id("q4_k_m+emb=q8_0+out=q8_0").unwrap();
        let opts = scheme_options(&m, l);
        assert_eq!(opts.iter().map(|(_, o)| o.len()).sum::<usize>(), schemes().len() + 1);
        let (g, presets) = opts.iter().find(|(_, o)| o.iter().any(|o| o.id == l.id)).unwrap();
        assert_eq!((*g, presets[0].label.as_str()), (Group::Presets, "Q4_K_M+emb=Q8_0+out=Q8_0 · 5.28 bpw"));
    }

    #[test]
    fn shares() {
        assert_eq!(share_text(0.3, Lang::En), "<1 %");
        assert_eq!(share_text(0.0, Lang::En), "0 %");
        assert_eq!(share_text(176.6, Lang::En), "177 %");
        assert_eq!(share_text(176.6, Lang::ZhCn), "177%");
    }
}
