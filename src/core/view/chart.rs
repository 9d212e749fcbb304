//! The size-versus-accuracy chart as geometry: every position in SVG user units, every label as
//! text. The page draws it as SVG elements from Yew (no chart crate: the chart is a few dozen
//! shapes, and plotters' SVG backend would add weight to the page without doing the log axis,
//! hover or click any better).

use crate::core::catalog::model::{preset, ModelRef};
use crate::core::catalog::sparsity::Sparsity;
use crate::core::compare::tradeoff::{configuration, memo, memo_key, sweep, Candidate, Memo};
use crate::core::estimate::published::{baseline, DENSE, POINTS};
use crate::core::estimate::ModelLaw;
use crate::core::state::scenario::{Scenario, YAxis};
use crate::core::text::i18n::{fill, Lang};
use crate::core::text::units::{fmt_bytes, human_count};
use std::rc::Rc;

const GIB: f64 = 1_073_741_824.0;
/// The memory axis ends on quarter decades (log10 units × 4).
const X_SNAP: f64 = 4.0;

/// The drawing's size in SVG user units. Phones get a narrower drawing rather than a scaled-down
/// wide one, so text and touch targets keep their size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub width: f64,
    pub height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    /// Ticks wanted on the y axis; the x axis keeps only powers of ten above `x_ticks`.
    y_ticks: f64,
    x_ticks: usize,
}

pub const WIDE: Geometry = Geometry {
    width: 720.0,
    height: 420.0,
    left: 64.0,
    right: 16.0,
    top: 16.0,
    bottom: 48.0,
    y_ticks: 6.0,
    x_ticks: 9,
};
pub const COMPACT: Geometry = Geometry {
    width: 360.0,
    height: 340.0,
    left: 50.0,
    right: 10.0,
    top: 12.0,
    bottom: 44.0,
    y_ticks: 4.0,
    x_ticks: 5,
};

/// The small drawing beside the inputs on a wide screen (the page's summary), about as wide
/// as it is shown: the compact axis titles, fewer ticks.
pub const MINI: Geometry = Geometry {
    width: 300.0,
    height: 200.0,
    left: 50.0,
    // Half of a last tick's label ("1 TB") at the plot's right edge.
    right: 18.0,
    top: 10.0,
    bottom: 40.0,
    y_ticks: 3.0,
    x_ticks: 4,
};

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// A configuration's marker.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub config: usize,
    pub x: f64,
    pub y: f64,
    /// Inside the plotted y range (a marker outside is drawn on the edge, hollow).
    pub inside: bool,
    pub fits: bool,
    pub frontier: bool,
    pub title: String,
    /// The tooltip, a line each.
    pub lines: Vec<String>,
}

/// One model in every scheme: a dot each, and a line through the schemes that are this
/// model's best for their memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// The first configuration with this model (its colour).
    pub config: usize,
    pub label: String,
    /// SVG path data.
    pub path: String,
    /// (x, y, tooltip) of each scheme inside the plot.
    pub dots: Vec<(f64, f64, String)>,
}

/// A published llama.cpp measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The configuration with the same model (its colour), if any.
    pub config: Option<usize>,
    pub x: f64,
    pub y: f64,
    pub text: String,
    /// A pruned or distilled model (drawn as a square) rather than a llama.cpp file (a diamond).
    pub lever: bool,
}

/// The budget line and where its label goes: left of the line, or right of it when the line is
/// too close to the plot's left edge for the label to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetMark {
    pub x: f64,
    pub label: String,
    pub label_x: f64,
    /// The label ends at `label_x` (SVG text-anchor end) rather than starting there.
    pub anchor_end: bool,
}

/// About how wide a chart label's characters are, in SVG units.
const CHAR_WIDTH: f64 = 6.6;

impl BudgetMark {
    fn new(x: f64, label: String, plot_left: f64) -> BudgetMark {
        let width = label.chars().count() as f64 * CHAR_WIDTH;
        let anchor_end = x - 4.0 - width >= plot_left;
        BudgetMark { x, label_x: if anchor_end { x - 4.0 } else { x + 4.0 }, anchor_end, label }
    }
}

/// A published point before it is placed: memory, y value, tooltip, configuration, lever.
type Point = (f64, f64, String, Option<usize>, bool);

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    /// The plot area: x, y, width, height.
    pub plot: (f64, f64, f64, f64),
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    pub x_title: String,
    pub y_title: String,
    pub curves: Vec<Rc<Curve>>,
    pub markers: Vec<Marker>,
    /// The Pareto frontier (lowest y for at most this memory) as a step path.
    pub frontier: String,
    /// The budget line, when it lies in the plot.
    pub budget: Option<BudgetMark>,
    pub measured: Vec<Measured>,
    /// What the chart shows, in one sentence (its text alternative beside the table).
    pub summary: String,
}

fn y_value(c: &Candidate, axis: YAxis) -> f64 {
    match axis {
        YAxis::Loss => c.est.loss,
        YAxis::DeltaPpl => c.est.ppl_increase_percent(),
    }
}

/// A round step of about `span / n`: 1, 2 or 5 times a power of ten.
pub fn nice_step(span: f64, n: f64) -> f64 {
    let raw = (span / n).max(1e-12);
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * p).find(|s| *s >= raw).unwrap_or(10.0 * p)
}

/// Linear ticks covering [lo, hi] at a nice step; labels with as many decimals as the step needs.
pub fn linear_ticks(lo: f64, hi: f64, n: f64) -> Vec<f64> {
    let step = nice_step(hi - lo, n);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

fn decimals(step: f64) -> usize {
    (-step.log10().floor()).max(0.0) as usize
}

/// Byte sizes 1, 2, 5 × 10^k within [lo, hi]; only the powers of ten when that gives more than `max`.
pub fn log_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let mut all = Vec::new();
    let mut k = lo.log10().floor() as i32;
    while 10f64.powi(k) <= hi {
        for m in [1.0, 2.0, 5.0] {
            let v = m * 10f64.powi(k);
            if v >= lo && v <= hi {
                all.push(v);
            }
        }
        k += 1;
    }
    if all.len() > max {
        all.retain(|v| (v.log10() - v.log10().round()).abs() < 1e-9);
    }
    all
}

/// `500 MB`, `2 GB`, `1 TB` for a round size.
fn size_label(bytes: f64) -> String {
    let (v, unit) = if bytes >= 1e12 {
        (bytes / 1e12, "TB")
    } else if bytes >= 1e9 {
        (bytes / 1e9, "GB")
    } else {
        (bytes / 1e6, "MB")
    };
    format!("{} {unit}", (v * 100.0).round() / 100.0)
}

struct Scale {
    g: Geometry,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Scale {
    fn x(&self, bytes: f64) -> f64 {
        let t = (bytes.max(1.0).log10() - self.x0) / (self.x1 - self.x0).max(1e-9);
        self.g.left + t * (self.g.width - self.g.left - self.g.right)
    }
    fn y(&self, v: f64) -> f64 {
        let t = (v - self.y0) / (self.y1 - self.y0).max(1e-12);
        self.g.height - self.g.bottom - t * (self.g.height - self.g.top - self.g.bottom)
    }
    fn inside(&self, v: f64) -> bool {
        v >= self.y0 - 1e-12 && v <= self.y1 + 1e-12
    }
}

/// The tooltip of one candidate.
pub fn tooltip(c: &Candidate, budget: u64, lang: Lang) -> Vec<String> {
    let (e, t) = (&c.est, lang.strings());
    let fit = if c.fits { t.tip_fits } else { t.tip_not_fit };
    let delta = (crate::core::text::units::delta_text(e.delta), crate::core::text::units::ppl_text(e.delta, t));
    vec![
        c.title_in(lang),
        fill(t.tip_memory, &[&fmt_bytes(c.total), &fmt_bytes(c.weights), fit, &fmt_bytes(budget)]),
        fill(t.tip_loss, &[&format!("{:.4}", e.loss)]),
        fill(t.tip_delta, &[&delta.0, &delta.1]),
        fill(t.tip_n16, &[&human_count(e.n16.round() as u64)]),
    ]
}

/// Memory of the published file plus nothing else: the layer compares weights with weights.
fn measured_layer(s: &Scenario, axis: YAxis) -> Vec<Point> {
    let mut out = Vec::new();
    let t = s.lang.strings();
    // The files measured in llama.cpp, where their sizes are published.
    for b in DENSE.iter().filter(|d| d.gib.is_some()) {
        let Some(p) = b.model.preset() else { continue };
        let law = ModelLaw::new(&ModelRef::Preset(p), None, s.accuracy.law);
        let config = s.configs.iter().position(|c| matches!(c.model, ModelRef::Preset(q) if q.id == p.id));
        let y = |ppl: f64| match axis {
            YAxis::Loss => law.loss16() + (ppl / b.ppl).ln(),
            YAxis::DeltaPpl => (ppl / b.ppl - 1.0) * 100.0,
        };
        if let Some(g) = b.gib {
            let text = fill(t.measured_f16, &[p.name, &b.ppl.to_string(), &g.to_string()]);
            out.push((g * GIB, y(b.ppl), text, config, false));
        }
        for pt in POINTS.iter().filter(|pt| pt.run == b.run && b.model.is(pt.model)) {
            let Some(g) = pt.gib else { continue };
            let name =
                crate::core::catalog::scheme::by_id_or_historic(pt.measured_scheme()).map_or(pt.scheme, |s| s.name);
            let inc = (pt.ppl / baseline(pt.run, pt.model).map_or(pt.ppl, |b| b.ppl) - 1.0) * 100.0;
            out.push((
                g * GIB,
                y(pt.ppl),
                fill(t.measured_point, &[p.name, name, &pt.ppl.to_string(), &format!("{inc:.2}"), &g.to_string()]),
                config,
                false,
            ));
        }
    }
    out
}

/// Published pruning and distillation: each model at its FP16 weight bytes (pruned with its
/// pattern), at the predicted 16-bit loss of the dense model plus the measured Δ, ln(PPL ratio).
/// Distillation's points only when GPT-2 or DistilGPT2 is configured (they are far smaller than
/// anything else); DistilBERT's GLUE score is not a loss and stays in its notes.
fn lever_layer(s: &Scenario, axis: YAxis) -> Vec<Point> {
    use crate::core::catalog::sparsity::Sparsity;
    use crate::core::estimate::pruning::{dense_ppl, Pruned, DISTILLED, MODELS, PRUNED};
    use crate::core::memory::footprint::layout_weights_pruned;
    let t = s.lang.strings();
    let Some(f16) = crate::core::catalog::scheme::by_id("f16") else { return Vec::new() };
    let config = |id: &str| s.configs.iter().position(|c| matches!(c.model, ModelRef::Preset(q) if q.id == id));
    let place = |model: &ModelRef, dense_ppl: f64, ppl: f64| match axis {
        YAxis::Loss => crate::core::estimate::pruning::placed_loss(model, s.accuracy.law, ppl, dense_ppl),
        YAxis::DeltaPpl => (ppl / dense_ppl - 1.0) * 100.0,
    };
    let mut out = Vec::new();
    for id in MODELS {
        let (Some(p), Some(dense)) = (preset(id), dense_ppl(id)) else { continue };
        let m = ModelRef::Preset(p);
        let bytes = |sp: Sparsity| layout_weights_pruned(&m, f16, sp).bytes();
        let b = bytes(Sparsity::Dense);
        let text = fill(t.evidence_dense, &[p.name, &dense.to_string(), &fmt_bytes(b)]);
        out.push((b as f64, place(&m, dense, dense), text, config(id), true));
        for r in PRUNED.iter().filter(|r: &&Pruned| r.model == id) {
            let b = bytes(r.sparsity);
            let inc = format!("{:.0}", (r.ppl / dense - 1.0) * 100.0);
            let v = [p.name, &r.sparsity.label(t), r.method.name(t), &r.ppl.to_string(), &inc, &fmt_bytes(b)];
            out.push((b as f64, place(&m, dense, r.ppl), fill(t.evidence_pruned, &v), config(id), true));
        }
    }
    for d in DISTILLED.iter().filter(|d| d.metric.contains("perplexity")) {
        let (Some(student), Some(teacher)) = (preset(d.student), preset(d.teacher)) else { continue };
        if config(d.student).is_none() && config(d.teacher).is_none() {
            continue;
        }
        let tm = ModelRef::Preset(teacher);
        for (p, ppl) in [(teacher, d.teacher_score), (student, d.student_score)] {
            let b = layout_weights_pruned(&ModelRef::Preset(p), f16, Sparsity::Dense).bytes();
            let v = [p.name, teacher.name, &ppl.to_string(), &d.teacher_score.to_string(), &fmt_bytes(b)];
            out.push((b as f64, place(&tm, d.teacher_score, ppl), fill(t.evidence_distilled, &v), config(p.id), true));
        }
    }
    out
}

thread_local! {
    /// Each curve by its configuration's memo key and the scale: while a slider moves one
    /// configuration, the other curves (and their tooltips) are reused, and the page's view
    /// sees the same `Rc` and skips them.
    static CURVES: Memo<Rc<Curve>> = Default::default();
}

/// One model in every scheme, drawn on `sc`.
fn curve(
    config: usize,
    pts: &[Candidate],
    sc: &Scale,
    axis: YAxis,
    in_view: &dyn Fn(&Candidate) -> bool,
    budget: u64,
    lang: Lang,
) -> Curve {
    let shown: Vec<&Candidate> = pts.iter().filter(|c| in_view(c) && sc.inside(y_value(c, axis))).collect();
    // The line joins the formats that are this model's best for their size; the
    // dots are every format.
    let mut best_y = f64::INFINITY;
    let line: Vec<&&Candidate> = shown
        .iter()
        .filter(|c| {
            let y = y_value(c, axis);
            let keep = y < best_y;
            best_y = best_y.min(y);
            keep
        })
        .collect();
    let path = line
        .iter()
        .enumerate()
        .map(|(k, c)| {
            format!("{}{:.1} {:.1}", if k == 0 { "M" } else { "L" }, sc.x(c.total as f64), sc.y(y_value(c, axis)))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let dots = shown
        .iter()
        .map(|c| (sc.x(c.total as f64), sc.y(y_value(c, axis)), tooltip(c, budget, lang).join("\n")))
        .collect();
    let t = lang.strings();
    let name = |c: &Candidate| match c.sparsity {
        Sparsity::Dense => c.model.label_in(t),
        sp => format!("{} · {}", c.model.label_in(t), sp.label(t)),
    };
    let label = fill(t.curve_label, &[&pts.first().map_or(String::new(), name)]);
    Curve { config, label, path, dots }
}

pub fn build(s: &Scenario, g: Geometry) -> Chart {
    let axis = s.accuracy.y;
    let t = s.lang.strings();
    let budget = s.budget_bytes();
    // One curve per distinct model (and the settings that move its points).
    let mut seen: Vec<String> = Vec::new();
    let mut curves_raw: Vec<(usize, std::rc::Rc<Vec<Candidate>>)> = Vec::new();
    // A configuration pruned at a pattern without a fitted rule has no estimate, so no curve.
    for (i, c) in s.configs.iter().enumerate() {
        let key =
            format!("{}{}|{:?}|{}|{}|{}", c.model.encode(), c.sparsity.suffix(), c.tokens, c.ctx, c.batch, c.kv.id);
        let pts = sweep(s, i);
        if !seen.contains(&key) && !pts.is_empty() {
            seen.push(key);
            curves_raw.push((i, pts));
        }
    }
    // With their index: an unestimated configuration has no point, and the others keep their numbers.
    let numbered: Vec<(usize, Candidate)> =
        (0..s.configs.len()).filter_map(|i| Some((i, configuration(s, i)?))).collect();
    let configs: Vec<&Candidate> = numbered.iter().map(|(_, c)| c).collect();
    let mut measured = if s.accuracy.published { measured_layer(s, axis) } else { Vec::new() };
    if s.accuracy.levers {
        measured.extend(lever_layer(s, axis));
    }

    // Ranges: every marker, the budget, the published points; curve points whose penalty is
    // not off the scale (ternary formats quantized after training lose whole nats).
    let marker_ys: Vec<f64> = configs.iter().map(|c| y_value(c, axis)).collect();
    let worst_delta = configs.iter().map(|c| c.est.delta).fold(0.0, f64::max);
    let cap = worst_delta.max(0.3) * 1.2;
    let in_view = |c: &Candidate| c.est.delta <= cap;
    let mut xs: Vec<f64> = configs.iter().map(|c| c.total as f64).collect();
    let mut ys = marker_ys.clone();
    for (_, pts) in &curves_raw {
        for c in pts.iter().filter(|c| in_view(c)) {
            xs.push(c.total as f64);
            ys.push(y_value(c, axis));
        }
    }
    xs.push(budget as f64);
    for (x, y, ..) in &measured {
        xs.push(*x);
        ys.push(*y);
    }
    // Both ranges snap outwards to round values, so a slider step that moves one curve leaves
    // the axes, and every other point, where they were (and the page redraws one curve).
    let (xlo, xhi) = xs.iter().fold((f64::MAX, 0f64), |(a, b), &v| (a.min(v), b.max(v)));
    let xlo = ((xlo.max(1.0).log10() - 0.05) * X_SNAP).floor() / X_SNAP;
    let xhi = ((xhi.max(1.0).log10() + 0.05) * X_SNAP).ceil() / X_SNAP;
    let (mut ylo, mut yhi) =
        ys.iter().filter(|v| v.is_finite()).fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    if axis == YAxis::DeltaPpl {
        ylo = ylo.min(0.0);
    }
    // No finite y, or all equal: a unit range around what there is.
    if yhi.partial_cmp(&ylo) != Some(std::cmp::Ordering::Greater) {
        ylo = if ylo < f64::MAX { ylo } else { 0.0 };
        (ylo, yhi) = (ylo - 0.5, ylo + 0.5);
    }
    let pad = (yhi - ylo) * 0.06;
    let snap = nice_step(yhi - ylo + 2.0 * pad, g.y_ticks) / 2.0;
    let (y0, y1) = (((ylo - pad) / snap).floor() * snap, ((yhi + pad) / snap).ceil() * snap);
    let sc = Scale { g, x0: xlo, x1: xhi, y0, y1 };

    let x_ticks = log_ticks(10f64.powf(xlo), 10f64.powf(xhi), g.x_ticks)
        .into_iter()
        .map(|v| Tick { at: sc.x(v), label: size_label(v) })
        .collect();
    let ys_t = linear_ticks(sc.y0, sc.y1, g.y_ticks);
    let dec = ys_t.get(1).zip(ys_t.first()).map_or(2, |(b, a)| decimals(b - a));
    let y_ticks = ys_t
        .iter()
        .map(|v| Tick {
            at: sc.y(*v),
            label: match axis {
                YAxis::Loss => format!("{v:.dec$}"),
                YAxis::DeltaPpl => format!("{v:.dec$} %"),
            },
        })
        .collect();

    let curves: Vec<Rc<Curve>> = curves_raw
        .iter()
        .map(|(i, pts)| {
            let key = format!(
                "{i}|{}|{axis:?}|{:?}|{cap}",
                memo_key(s, &s.configs[*i]),
                (g.width, sc.x0, sc.x1, sc.y0, sc.y1)
            );
            memo(&CURVES, key, || Rc::new(curve(*i, pts, &sc, axis, &in_view, budget, s.lang)))
        })
        .collect();

    // Pareto frontier over everything drawn: sorted by memory, keep each new lowest y.
    let mut all: Vec<(f64, f64, String)> = Vec::new();
    for (_, pts) in &curves_raw {
        for c in pts.iter().filter(|c| in_view(c)) {
            all.push((c.total as f64, y_value(c, axis), c.key()));
        }
    }
    crate::core::text::order::sort_by_key(&mut all, |a| (a.0, a.1));
    let mut front: Vec<&(f64, f64, String)> = Vec::new();
    for p in &all {
        if front.last().is_none_or(|l| p.1 < l.1) {
            front.push(p);
        }
    }
    let mut frontier = String::new();
    for (k, p) in front.iter().enumerate() {
        let (x, y) = (sc.x(p.0), sc.y(p.1.min(sc.y1)));
        if k == 0 {
            frontier.push_str(&format!("M{x:.1} {y:.1}"));
        } else {
            frontier.push_str(&format!(" H{x:.1} V{y:.1}"));
        }
    }
    if let Some(l) = front.last() {
        frontier.push_str(&format!(" H{:.1}", sc.x(10f64.powf(xhi)).max(sc.x(l.0))));
    }

    let markers = numbered
        .iter()
        .map(|(i, c)| {
            let i = *i;
            let v = y_value(c, axis);
            let key = c.key();
            let lines = tooltip(c, budget, s.lang);
            Marker {
                config: i,
                x: sc.x(c.total as f64),
                y: sc.y(v.clamp(sc.y0, sc.y1)),
                inside: sc.inside(v),
                fits: c.fits,
                frontier: front.iter().any(|p| p.2 == key && (p.1 - v).abs() < 1e-12),
                title: c.title_in(s.lang),
                lines,
            }
        })
        .collect();

    let budget_x = sc.x(budget as f64);
    let measured = measured
        .into_iter()
        .filter(|(_, y, ..)| sc.inside(*y))
        .map(|(x, y, text, config, lever)| Measured { config, x: sc.x(x), y: sc.y(y), text, lever })
        .collect();
    let best = configs
        .iter()
        .filter(|c| c.fits)
        .min_by(|a, b| a.est.loss.total_cmp(&b.est.loss))
        .map_or(t.chart_best_none.to_string(), |c| fill(t.chart_best, &[&c.title_in(s.lang)]));
    Chart {
        width: g.width,
        height: g.height,
        plot: (g.left, g.top, g.width - g.left - g.right, g.height - g.top - g.bottom),
        x_ticks,
        y_ticks,
        x_title: if g == WIDE { t.x_title } else { t.x_title_compact }.into(),
        y_title: match (axis, g != WIDE) {
            (YAxis::Loss, false) => t.y_loss.into(),
            (YAxis::Loss, true) => t.y_loss_compact.into(),
            (YAxis::DeltaPpl, _) => t.y_dppl.into(),
        },
        curves,
        markers,
        frontier,
        budget: Some(BudgetMark::new(budget_x, fill(t.budget_line, &[&fmt_bytes(budget)]), g.left)),
        measured,
        summary: fill(
            t.chart_summary,
            &[if axis == YAxis::Loss { t.summary_loss } else { t.summary_dppl }, &configs.len().to_string(), &best],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::compare::tradeoff;

    /// Training mode changes every view, not only the table: the chart's points, the best for
    /// the budget and the same-size family count what the table counts, and the titles say what
    /// is stored (full fine-tuning holds BF16 weights whatever the served format).
    #[test]
    fn training_mode_reaches_every_view() {
        let (s, _) = Scenario::decode("v=1&m=llama-3.1-8b@q4_k_m&budget=rtx-4090&mode=train&method=full&opt=mixed");
        let r = crate::core::view::report::build(&s, &[]);
        let c = tradeoff::configuration(&s, 0).unwrap();
        assert_eq!(c.total, r.rows[0].total.bytes);
        assert_eq!(r.rows[0].title, "Llama-3.1-8B @ BF16, trained for Q4_K_M");
        assert_eq!(c.title(), r.rows[0].title);
        assert_eq!(r.rows[0].bpw, "16.00");
        // 8.03B × 16 bytes of states alone is 128 GB: nothing of this size fits a 24 GB card.
        assert!(!c.fits && c.total > 128_000_000_000);
        let chart = build(&s, WIDE);
        assert!(
            chart.markers[0].lines[1].contains(&crate::core::text::units::fmt_bytes(c.total)),
            "{:?}",
            chart.markers[0].lines
        );
        assert!(chart.markers[0].lines[1].contains("does not fit"));
        // Best for 24 GB in training mode: only what trains in 24 GB (Qwen3-30B-A3B does not).
        for b in tradeoff::best(&s, 50) {
            assert!(b.total <= s.budget_bytes() && b.training.is_some(), "{}", b.title());
            assert!(!b.title().starts_with("Qwen3-30B-A3B"), "{}", b.title());
        }
        // The same-size family is in training bytes too.
        assert!(tradeoff::parity(&s, 0).iter().all(|p| p.training.is_some()));
        // QLoRA holds an NF4 base; LoRA holds the configuration's format.
        let (q, _) = Scenario::decode("v=1&m=llama-3.1-8b@q4_k_m&mode=train&method=qlora");
        assert_eq!(
            tradeoff::configuration(&q, 0).unwrap().title(),
            "Llama-3.1-8B @ NF4 + double quant, trained for Q4_K_M"
        );
        let (l, _) = Scenario::decode("v=1&m=llama-3.1-8b@q4_k_m&mode=train&method=lora");
        assert_eq!(tradeoff::configuration(&l, 0).unwrap().title(), "Llama-3.1-8B @ Q4_K_M");
    }

    #[test]
    fn the_lever_layer_places_the_published_pruning_and_distillation() {
        let s = Scenario::decode("v=1&m=llama-2-13b@f16+2:4,llama-2-7b@f16&levers=1").0;
        let all = lever_layer(&s, YAxis::Loss);
        assert_eq!(all.len(), 30, "3 dense and 27 pruned LLaMA-2 points, no distillation");
        let p = all.iter().find(|p| p.2.starts_with("Llama-2-13B 2:4 sparse, Wanda")).unwrap();
        assert_eq!(p.2, "Llama-2-13B 2:4 sparse, Wanda: measured PPL 8.27 (+81 %) · 14.93 GB at FP16 (Wanda README)");
        assert_eq!(p.0, 14_929_930_240.0);
        assert_eq!(p.3, Some(0), "coloured as configuration 1");
        // On the loss axis, Δ = ln(8.27 / 4.57) above the dense model's predicted 16-bit loss.
        let dense = all.iter().find(|p| p.2.starts_with("Llama-2-13B dense")).unwrap();
        assert!((p.1 - dense.1 - (8.27f64 / 4.57).ln()).abs() < 1e-12);
        let c = build(&s, WIDE);
        assert!(c.measured.iter().all(|m| m.lever) && !c.measured.is_empty());
        let with_gpt2 = Scenario::decode("v=1&m=gpt2@f16&levers=1").0;
        let d = lever_layer(&with_gpt2, YAxis::DeltaPpl);
        assert_eq!(d.len(), 32);
        let student = d.iter().find(|p| p.2.starts_with("DistilGPT2")).unwrap();
        // 18.5 against 15.0: +23.3 % over the teacher.
        assert!((student.1 - (18.5 / 15.0 - 1.0) * 100.0).abs() < 1e-9);
    }

    #[test]
    fn an_unfitted_pattern_has_no_point_and_the_others_keep_their_numbers() {
        let s = Scenario::decode("v=1&m=llama-2-13b@f16+1:4,llama-2-7b@f16,llama-2-13b@q4_k_m").0;
        let c = build(&s, WIDE);
        assert_eq!(c.markers.iter().map(|m| m.config).collect::<Vec<_>>(), [1, 2]);
        // Configuration 3 is the same model as the pruned 1, dense: it still has its curve.
        assert_eq!(c.curves.iter().map(|k| k.config).collect::<Vec<_>>(), [1, 2]);
    }

    /// A fitted pattern (2:4, from Wanda's f) gets its marker and its own curve beside the same
    /// model's dense one; its points sit above the dense model's at the same scheme.
    #[test]
    fn a_fitted_pattern_has_its_point_and_curve() {
        let s = Scenario::decode("v=1&m=llama-2-13b@f16+2:4,llama-2-7b@f16,llama-2-13b@f16").0;
        let c = build(&s, WIDE);
        assert_eq!(c.markers.iter().map(|m| m.config).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(c.curves.iter().map(|k| k.config).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(c.markers[0].title, "Llama-2-13B @ F16 · 2:4 sparse");
        assert!(c.curves[0].label.contains("2:4 sparse"), "{}", c.curves[0].label);
        // Screen y grows downwards: the pruned 13B is predicted worse than both dense models.
        assert!(c.markers[0].y < c.markers[2].y && c.markers[0].y < c.markers[1].y);
        assert!(c.markers[0].x < c.markers[2].x);
    }

    #[test]
    fn ticks() {
        assert_eq!(log_ticks(1e9, 1e11, 9), vec![1e9, 2e9, 5e9, 1e10, 2e10, 5e10, 1e11]);
        assert_eq!(log_ticks(1e9, 1e11, 5), vec![1e9, 1e10, 1e11]);
        assert_eq!(log_ticks(3e8, 2e13, 9), vec![1e9, 1e10, 1e11, 1e12, 1e13]);
        assert_eq!(nice_step(0.37, 6.0), 0.1);
        assert_eq!(nice_step(7.0, 6.0), 2.0);
        // 0.18 / 6 = 0.03 → a step of 0.05.
        let t = linear_ticks(1.93, 2.11, 6.0);
        assert_eq!(t.len(), 4, "{t:?}");
        assert!((t[0] - 1.95).abs() < 1e-9 && (t[3] - 2.1).abs() < 1e-9);
        assert_eq!(size_label(2e10), "20 GB");
        assert_eq!(size_label(5e8), "500 MB");
    }

    /// A budget line near the plot's left edge (training memory dwarfs a 24 GB card) puts its
    /// label on the right of the line, inside the plot; elsewhere the label sits on the left.
    #[test]
    fn the_budget_label_stays_inside_the_plot() {
        for (link, end) in [("m=llama-3.1-8b@q4_k_m&budget=rtx-4090&mode=train", false), ("", true)] {
            let c = build(&Scenario::decode(link).0, WIDE);
            let b = c.budget.unwrap();
            assert_eq!(b.anchor_end, end, "{link}: {b:?}");
            let width = b.label.chars().count() as f64 * CHAR_WIDTH;
            let (left, right) =
                if b.anchor_end { (b.label_x - width, b.label_x) } else { (b.label_x, b.label_x + width) };
            assert!(left >= c.plot.0 && right <= c.plot.0 + c.plot.2, "{link}: {left}..{right} in {:?}", c.plot);
        }
    }

    /// The default question: 70B at Q4_K_M is bigger than the 24 GiB card but predicted better
    /// than 8B at BF16; each marker's tooltip carries its numbers.
    #[test]
    fn default_chart_reads_as_expected() {
        let s = Scenario::default();
        let c = build(&s, WIDE);
        assert_eq!(c.markers.len(), 2);
        let (big, small) = (&c.markers[0], &c.markers[1]);
        let bx = c.budget.clone().unwrap().x;
        assert!(big.x > bx && small.x < bx);
        assert!(!big.fits && small.fits);
        // Screen y grows downwards and the loss axis upwards: the lower loss sits lower.
        assert!(big.y > small.y, "70B Q4_K_M is predicted better than 8B BF16");
        assert!(big.lines.iter().any(|l| l.starts_with("Predicted loss 1.08")), "{:?}", big.lines);
        assert!(big.lines[0] == "Llama-3.1-70B @ Q4_K_M");
        assert_eq!(c.curves.len(), 2);
        assert!(c.curves.iter().all(|k| k.dots.len() > 20 && k.path.starts_with('M')));
        assert!(c.frontier.starts_with('M') && c.frontier.contains('H'));
        assert!(c.measured.is_empty());
        for t in &c.x_ticks {
            assert!(t.at >= WIDE.left - 1e-9 && t.at <= WIDE.width - WIDE.right + 1e-9);
        }
        let small = build(&s, COMPACT);
        assert!(small.x_ticks.len() <= 5 && small.markers.iter().all(|m| m.x <= COMPACT.width));
        // The summary's drawing: every marker and tick inside its plot, short titles.
        let mini = build(&s, MINI);
        let (px, py, pw, ph) = mini.plot;
        assert!(mini.x_ticks.len() <= 4 && mini.y_ticks.len() <= 5, "{:?} {:?}", mini.x_ticks, mini.y_ticks);
        assert!(mini.markers.iter().all(|m| m.x >= px && m.x <= px + pw && m.y >= py && m.y <= py + ph));
        assert!(mini.x_ticks.iter().all(|t| t.at >= px - 1e-9 && t.at <= px + pw + 1e-9));
        assert_eq!(mini.x_title, Lang::En.strings().x_title_compact);
        assert_eq!(mini.markers.len(), c.markers.len());
        assert!(c.y_ticks.len() >= 3);
    }

    /// A marker flagged on the frontier has no drawn point that is smaller and better.
    #[test]
    fn frontier_flags_are_honest() {
        let (s, _) =
            Scenario::decode("m=llama-7b@f16,llama-13b@q4_k_m,llama-13b@q2_k,llama-7b@q8_0&budget=24GB&ctx=512");
        let c = build(&s, WIDE);
        assert!(c.markers.iter().any(|m| m.frontier));
        for m in c.markers.iter().filter(|m| m.frontier) {
            for k in &c.curves {
                for (x, y, _) in &k.dots {
                    assert!(!(*x < m.x - 1e-6 && *y > m.y + 1e-6), "{} beaten at ({x}, {y})", m.title);
                }
            }
        }
        // LLaMA-7B at F16 is beaten by 13B at Q4_K_M, which is smaller: not on the frontier.
        assert!(!c.markers[0].frontier);
        assert!(c.markers[1].y > c.markers[0].y, "13B Q4_K_M drawn below (better than) 7B F16");
    }

    /// Dragging configuration 1's size a little moves its own curve and marker only.
    #[test]
    fn small_edits_leave_the_axes_and_other_curves_alone() {
        let (a, _) = Scenario::decode("m=7B@q4_k_m,8B@bf16,13B@q8_0,70B@q4_k_m&budget=24GB");
        let (b, _) = Scenario::decode("m=7.1B@q4_k_m,8B@bf16,13B@q8_0,70B@q4_k_m&budget=24GB");
        let (ca, cb) = (build(&a, WIDE), build(&b, WIDE));
        assert_eq!((&ca.x_ticks, &ca.y_ticks), (&cb.x_ticks, &cb.y_ticks));
        assert_ne!(ca.curves[0], cb.curves[0]);
        assert_eq!(ca.curves[1..], cb.curves[1..]);
        assert_eq!(
            ca.markers[1..].iter().map(|m| (m.x, m.y)).collect::<Vec<_>>(),
            cb.markers[1..].iter().map(|m| (m.x, m.y)).collect::<Vec<_>>()
        );
        // The ranges end on round values: quarter decades of bytes, half y steps.
        let x0 = (ca.x_ticks[0].at - WIDE.left) / (WIDE.width - WIDE.left - WIDE.right);
        assert!((0.0..1.0).contains(&x0));
    }

    #[test]
    fn published_layer_and_percent_axis() {
        let (s, _) = Scenario::decode("m=llama-3-8b@q4_k_m&pub=1&y=dppl");
        let c = build(&s, WIDE);
        let sized: Vec<_> = DENSE.iter().filter(|b| b.gib.is_some()).collect();
        let with_size = sized.len()
            + POINTS
                .iter()
                .filter(|p| p.gib.is_some() && sized.iter().any(|b| b.run == p.run && b.model.is(p.model)))
                .count();
        assert_eq!(c.measured.len(), with_size);
        assert!(c.measured.iter().any(|m| m.text.contains("Llama-3-8B Q4_K_M: measured PPL 6.407115 (+2.79 %)")));
        assert!(c.y_title.contains('%') && c.y_ticks.iter().all(|t| t.label.ends_with('%')));
        assert!(c.markers[0].lines.iter().any(|l| l.contains("% PPL")));
        assert!(c.measured.iter().filter(|m| m.text.starts_with("Llama-3-8B")).all(|m| m.config == Some(0)));
        assert!(c.measured.iter().filter(|m| m.text.starts_with("LLaMA-7B")).all(|m| m.config.is_none()));
    }
}
