//! Lab results → what the page shows: table cells as text, and the two charts (SQNR against
//! bits per weight, and the error histogram) as SVG geometry in a fixed viewBox.

use crate::core::kernels::metrics::{hist_bin_lower, HIST_BINS, HIST_PER_OCTAVE};
use crate::core::kernels::runner::FormatResult;
use crate::core::lab::format_name;
use crate::core::text::i18n::{fill, Strings};
use crate::core::text::units::fmt_bytes;
use crate::core::view::labels::{baseline, line_height, place, text_width, Rect};

/// `5.34e-3`: three significant figures in scientific notation.
pub fn sci(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else {
        format!("{v:.2e}")
    }
}

/// The formats the lab reads but does not make, each with its bits a weight and why: the lab
/// section's list under the format picker (and `bitbudget formats`).
pub fn read_only_lines(t: &Strings) -> Vec<String> {
    use crate::core::kernels::quant::{NoQuantizer, READ_ONLY_INFOS};
    READ_ONLY_INFOS
        .iter()
        .map(|r| {
            let why = match r.why {
                NoQuantizer::GgmlNeedsImatrix => t.why_ggml_imatrix,
                NoQuantizer::LlamaQuantizeNeedsImatrix => t.why_llama_imatrix,
            };
            fill(why, &[r.format.name, &r.format.bpw().to_string()])
        })
        .collect()
}

/// SQNR as text: `45.44 dB`, `∞ dB` for an exact copy, `—` when nothing finite was compared.
pub fn sqnr_text(v: Option<f64>, t: &Strings) -> String {
    match v {
        Some(d) if d.is_infinite() => t.lv_exact.into(),
        Some(d) => format!("{d:.2} dB"),
        None => "—".into(),
    }
}

/// Cosine similarity shown as its distance from 1, which is where the formats differ.
pub fn cosine_text(v: Option<f64>) -> String {
    match v {
        Some(c) if c >= 1.0 => "1".into(),
        Some(c) if c > 0.999 => format!("1 − {}", sci(1.0 - c)),
        Some(c) => format!("{c:.4}"),
        None => "—".into(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LabRow {
    pub id: String,
    pub name: String,
    pub bpw: String,
    pub bytes: String,
    pub rmse: String,
    pub sqnr: String,
    pub max_err: String,
    pub mean_err: String,
    pub cosine: String,
    pub time: String,
    pub throughput: String,
    pub speedup: String,
    /// Non-finite values, counted and reported rather than summed.
    pub note: String,
}

/// A result's name in the page's language: a pruned run names its pattern (`Q8_0 · 2:4 sparse`).
pub fn result_name(r: &FormatResult, t: &Strings) -> String {
    format_name(&r.id, t).unwrap_or_else(|| r.name.clone())
}

pub fn rows(results: &[FormatResult], t: &Strings) -> Vec<LabRow> {
    results
        .iter()
        .map(|r| {
            let s = &r.summary;
            let opt = |v: Option<f64>| v.map_or("—".to_string(), sci);
            let mut note = Vec::new();
            if s.nonfinite_inputs > 0 {
                note.push(fill(t.lv_nan_in, &[&s.nonfinite_inputs.to_string()]));
            }
            if s.nonfinite_outputs > 0 {
                note.push(fill(t.lv_nan_out, &[&s.nonfinite_outputs.to_string()]));
            }
            LabRow {
                id: r.id.clone(),
                name: result_name(r, t),
                bpw: format!("{:.4}", r.bpw),
                bytes: fmt_bytes(r.bytes),
                rmse: opt(s.rmse),
                sqnr: sqnr_text(s.sqnr_db, t),
                max_err: opt(s.max_abs_err),
                mean_err: opt(s.mean_abs_err),
                cosine: cosine_text(s.cosine),
                time: format!("{:.1} ms", r.quantize_ms),
                throughput: r.quantize_melem_s().map_or("—".into(), |v| format!("{v:.0}")),
                speedup: r
                    .simd_speedup()
                    .map_or(if r.simd { "—".into() } else { t.scalar.into() }, |x| format!("{x:.1}×")),
                note: note.join("; "),
            }
        })
        .collect()
}

/// The charts' drawing box.
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 320.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 40.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// The scatter's labels, px: the chart is drawn at the size it is shown, so this is the size read.
pub const LABEL_FONT: f64 = 11.0;
/// A point's radius.
pub const DOT: f64 = 5.0;

/// A point's label, placed clear of every other label and point.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The point's name, or the names of the points drawn on one another (or one of them and
    /// how many more).
    pub text: String,
    /// The ids of the points it names.
    pub names: Vec<String>,
    /// Where the text starts, and its baseline.
    pub x: f64,
    pub y: f64,
    /// The room it may take.
    pub rect: Rect,
    /// From the point's edge to the label, when the label sits away from its point.
    pub leader: Option<((f64, f64), (f64, f64))>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub id: String,
    pub name: String,
    pub x: f64,
    pub y: f64,
    /// None where the points crowd too much (the tooltip and the table still name it), or
    /// where another point's label names this one too.
    pub label: Option<Label>,
    /// For the tooltip.
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    /// The drawing's size (its viewBox), px.
    pub width: f64,
    pub height: f64,
    /// The plotting area: every point and label lies inside.
    pub plot: Rect,
    pub points: Vec<Point>,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    /// Baseline of the x ticks' text, and the x of the y ticks' right-aligned text.
    pub x_tick_text: f64,
    pub y_tick_text: f64,
    /// Where the axis title's baseline is centred.
    pub axis_title: (f64, f64),
    /// Formats with no finite SQNR (exact copies, or nothing finite), listed instead of plotted.
    pub off_chart: Vec<String>,
    /// Points no label names.
    pub left_off: usize,
}

fn nice_step(span: f64, target: usize) -> f64 {
    let raw = span / target as f64;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag)
}

fn ticks(lo: f64, hi: f64, target: usize, map: impl Fn(f64) -> f64, unit: &str) -> Vec<Tick> {
    let step = nice_step(hi - lo, target);
    let mut out = Vec::new();
    let mut v = (lo / step).ceil() * step;
    while v <= hi + 1e-9 {
        out.push(Tick { at: map(v), label: format!("{}{unit}", trim_num(v)) });
        v += step;
    }
    out
}

fn trim_num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The scatter's width for a figure `shown` px wide: whole tens (so a resize by a pixel or two
/// reuses the drawing), 280 to 1600.
pub fn scatter_width(shown: f64) -> f64 {
    if shown.is_finite() {
        ((shown / 10.0).floor() * 10.0).clamp(280.0, 1600.0)
    } else {
        640.0
    }
}

/// SQNR (dB) against bits per weight, one point per format with a finite SQNR, drawn `width`
/// px wide (see [`scatter_width`]). Labels are placed in order of importance: `first` (the
/// selected format), then the crowded points, then the rest.
pub fn scatter(results: &[FormatResult], t: &Strings, width: f64, first: Option<&str>) -> Scatter {
    let width = scatter_width(width);
    // Taller than wide on a phone: the points run up a diagonal, and their labels need the rows.
    let height = (360.0 + 0.1 * width).min(460.0);
    let plot = Rect { x: LEFT, y: TOP, w: width - LEFT - RIGHT, h: height - TOP - BOTTOM };
    let finite: Vec<(&FormatResult, f64)> =
        results.iter().filter_map(|r| r.summary.sqnr_db.filter(|d| d.is_finite()).map(|d| (r, d))).collect();
    let off_chart = results
        .iter()
        .filter(|r| !r.summary.sqnr_db.is_some_and(f64::is_finite))
        .map(|r| format!("{}: {}", result_name(r, t), sqnr_text(r.summary.sqnr_db, t)))
        .collect();
    let x_hi = finite.iter().map(|(r, _)| r.bpw).fold(0.0f64, f64::max).max(1.0).ceil();
    let y_lo = finite.iter().map(|(_, d)| *d).fold(0.0f64, f64::min).floor();
    let y_hi = (finite.iter().map(|(_, d)| *d).fold(10.0f64, f64::max) / 10.0).ceil() * 10.0;
    let x_span = x_hi.max(1e-9);
    let y_span = (y_hi - y_lo).max(1e-9);
    let px = move |v: f64| plot.x + v / x_span * plot.w;
    let py = move |v: f64| plot.y + (y_hi - v) / y_span * plot.h;
    let mut points: Vec<Point> = finite
        .iter()
        .map(|(r, d)| {
            let name = result_name(r, t);
            Point {
                id: r.id.clone(),
                title: fill(t.lv_point, &[&name, &format!("{:.3}", r.bpw), &sqnr_text(Some(*d), t)]),
                name,
                x: px(r.bpw),
                y: py(*d),
                label: None,
            }
        })
        .collect();
    let left_off = place_labels(&mut points, plot, first, t);
    let target = (plot.w / 70.0).clamp(4.0, 10.0) as usize;
    Scatter {
        width,
        height,
        plot,
        x_ticks: ticks(0.0, x_hi, target, px, ""),
        y_ticks: ticks(y_lo, y_hi, 6, py, " dB"),
        x_tick_text: height - 22.0,
        y_tick_text: LEFT - 6.0,
        axis_title: (plot.x + plot.w / 2.0, height - 4.0),
        points,
        off_chart,
        left_off,
    }
}

/// Labels each point it can (see `labels::place`) and says how many no label names.
fn place_labels(points: &mut [Point], plot: Rect, first: Option<&str>, t: &Strings) -> usize {
    let n = points.len();
    let at: Vec<(f64, f64)> = points.iter().map(|p| (p.x, p.y)).collect();
    let close = |i: usize, j: usize, d: f64| (at[i].0 - at[j].0).hypot(at[i].1 - at[j].1) < d;
    // Points nearer than a dot's width read as one: they share one label.
    let mut group: Vec<usize> = Vec::with_capacity(n);
    for i in 0..n {
        let joined = (0..i).find(|&j| group[j] == j && close(i, j, 1.6 * DOT));
        group.push(joined.unwrap_or(i));
    }
    let is_first = |j: usize| first == Some(points[j].id.as_str());
    // A group's label lists its points; one wider than 40 % of the plot names one (the
    // selected, else the first) and counts the others.
    let texts: Vec<(String, Vec<usize>)> = (0..n)
        .map(|g| {
            let members: Vec<usize> = (0..n).filter(|&j| group[j] == g).collect();
            let all: Vec<&str> = members.iter().map(|&j| points[j].name.as_str()).collect();
            let all = all.join(t.ex_list_sep);
            match members.iter().copied().find(|&j| is_first(j)).or(members.first().copied()) {
                Some(one) if members.len() > 1 && text_width(&all, LABEL_FONT) > 0.4 * plot.w => {
                    (fill(t.label_more, &[&points[one].name, &(members.len() - 1).to_string()]), vec![one])
                }
                _ => (all, members),
            }
        })
        .collect();
    let sizes: Vec<(f64, f64)> =
        texts.iter().map(|(s, _)| (text_width(s, LABEL_FONT), line_height(LABEL_FONT))).collect();
    // The lone points first (the room beside them is theirs), then the crowded ones from the
    // thick of the crowd out, so that leaders leave before the edge's labels wall them in.
    let crowd = |i: usize| (0..n).filter(|&j| group[j] == j && close(i, j, 40.0)).count() as f64;
    let marked = (0..n).find(|&j| is_first(j)).map(|j| group[j]);
    let keys: Vec<(f64, f64)> = (0..n)
        .map(|i| match (marked == Some(i), crowd(i)) {
            (true, _) => (0.0, 0.0),
            (_, c) if c <= 3.0 => (1.0, c),
            (_, c) => (2.0, -c),
        })
        .collect();
    let order: Vec<usize> = crate::core::text::order::order(&keys).into_iter().filter(|&i| group[i] == i).collect();
    let placed = place(&at, &sizes, &group, DOT, plot, &order, marked);
    let mut named = 0;
    for i in 0..n {
        let (text, members) = &texts[i];
        named += placed[i].map_or(0, |_| members.len());
        let names = members.iter().map(|&j| points[j].id.clone()).collect();
        points[i].label = placed[i].map(|s| Label {
            text: text.clone(),
            names,
            x: s.rect.x,
            y: s.rect.y + baseline(LABEL_FONT),
            rect: s.rect,
            leader: s.leader,
        });
    }
    n - named
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HistogramView {
    pub bars: Vec<Bar>,
    pub x_ticks: Vec<Tick>,
    /// Vertical markers: the RMSE and the largest error.
    pub markers: Vec<Tick>,
    /// Errors below the drawn range, exact zeros included.
    pub below: u64,
    pub total: u64,
}

/// The histogram of |error| on a log axis (four bins per power of two), small errors left.
pub fn histogram(r: &FormatResult, t: &Strings) -> HistogramView {
    let h = &r.hist;
    let count = |b: usize| h.negative[b] + h.positive[b];
    let used: Vec<usize> = (0..HIST_BINS).filter(|&b| count(b) > 0).collect();
    // Eight octaves below the largest error hold nearly all of it; smaller ones are counted apart.
    let (lo, hi) = match (used.first(), used.last()) {
        (Some(&a), Some(&b)) => (a.max((b + 1).saturating_sub(8 * HIST_PER_OCTAVE as usize)), b + 1),
        _ => (0, 1),
    };
    let plot_w = WIDTH - LEFT - RIGHT;
    let bw = plot_w / (hi - lo) as f64;
    let max = used.iter().map(|&b| count(b)).max().unwrap_or(1).max(1) as f64;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let bars = (lo..hi)
        .filter(|&b| count(b) > 0)
        .map(|b| {
            let height = count(b) as f64 / max * plot_h;
            Bar {
                x: LEFT + (b - lo) as f64 * bw,
                y: TOP + plot_h - height,
                width: bw,
                height,
                title: fill(t.lv_bin, &[&sci(hist_bin_lower(b)), &sci(hist_bin_lower(b + 1)), &count(b).to_string()]),
            }
        })
        .collect();
    // Position of a magnitude on the axis: bins are linear in log2 within the drawn range.
    let (lo_v, hi_v) = (hist_bin_lower(lo).log2(), hist_bin_lower(hi).log2());
    let at = move |v: f64| LEFT + (v.log2() - lo_v) / (hi_v - lo_v) * plot_w;
    let x_ticks = (lo_v.ceil() as i32..=hi_v.floor() as i32)
        .step_by(((hi_v - lo_v) / 6.0).ceil().max(1.0) as usize)
        .map(|e| Tick { at: at(2f64.powi(e)), label: format!("2^{e}") })
        .collect();
    let in_range = |v: f64| v > 0.0 && v.log2() >= lo_v && v.log2() <= hi_v;
    let markers = [("RMSE", r.summary.rmse), (t.lv_max, r.summary.max_abs_err)]
        .into_iter()
        .filter_map(|(name, v)| {
            v.filter(|v| in_range(*v)).map(|v| Tick { at: at(v), label: format!("{name} {}", sci(v)) })
        })
        .collect();
    let total = h.zero + (0..HIST_BINS).map(count).sum::<u64>();
    let below = h.zero + (0..lo).map(count).sum::<u64>();
    HistogramView { bars, x_ticks, markers, below, total }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &crate::core::text::i18n::Strings = crate::core::text::i18n::ENGLISH;
    use crate::core::kernels::quant::{kernel, kernels};
    use crate::core::kernels::runner::{run_kernel, run_pruned};
    use crate::core::kernels::tensor::{sample, Distribution, ROW};
    use crate::core::text::i18n::Lang;

    fn result(id: &str) -> FormatResult {
        let x = sample(Distribution::Gaussian, 1 << 16, 5);
        run_kernel(kernel(id).unwrap(), &x, ROW, false, &|| 0.0, &mut |_| true).unwrap()
    }

    #[test]
    fn texts() {
        assert_eq!(sqnr_text(Some(45.4449), EN), "45.44 dB");
        assert_eq!(sqnr_text(Some(f64::INFINITY), EN), "∞ dB (exact)");
        assert_eq!(sqnr_text(None, EN), "—");
        assert_eq!(cosine_text(Some(0.999_998)), "1 − 2.00e-6");
        assert_eq!(cosine_text(Some(0.5)), "0.5000");
        assert_eq!(sci(0.005342), "5.34e-3");
    }

    #[test]
    fn scatter_places_more_bits_right_and_higher() {
        let rs = [result("q8_0"), result("q4_0"), result("bf16")];
        let s = scatter(&rs, EN, 640.0, None);
        assert_eq!(s.points.len(), 3);
        let (q8, q4) = (&s.points[0], &s.points[1]);
        assert!(q8.x > q4.x && q8.y < q4.y, "SVG y grows downward");
        for p in &s.points {
            assert!(p.x >= s.plot.x && p.x <= s.plot.right() && p.y >= s.plot.y && p.y <= s.plot.bottom(), "{p:?}");
            assert!(p.label.is_some(), "three points have room: {p:?}");
        }
        assert!(s.x_ticks.len() >= 3 && s.y_ticks.len() >= 3);
        assert!(s.off_chart.is_empty() && s.left_off == 0);
        // Q4_0 and NF4 sit on top of each other: one label names both.
        let s = scatter(&[result("q4_0"), result("nf4")], EN, 640.0, None);
        assert_eq!(s.points[0].label.as_ref().map(|l| l.text.as_str()), Some("Q4_0, NF4 (bs 64)"));
        assert_eq!((&s.points[1].label, s.left_off), (&None, 0));
    }

    /// Every kernel, as the lab runs them by default, and each again at 2:4.
    fn every_result(pruned: bool) -> Vec<FormatResult> {
        let x = sample(Distribution::Gaussian, 1 << 16, 1);
        let mut out: Vec<FormatResult> =
            kernels().iter().map(|k| run_kernel(k, &x, ROW, false, &|| 0.0, &mut |_| true).unwrap()).collect();
        if pruned {
            let sp = crate::core::catalog::sparsity::Sparsity::NM { n: 2, m: 4 };
            out.extend(kernels().iter().filter_map(|k| run_pruned(k, sp, &x, ROW, &|| 0.0, &mut |_| true).ok()));
        }
        out
    }

    /// Every format (and each again at 2:4), in both languages, from a phone's width to a wide
    /// screen's: no label on another, every one inside the plot and clear of the points it does
    /// not name, the selected one named; on a desktop nearly every point is.
    #[test]
    fn scatter_labels_never_collide_and_stay_inside_the_plot() {
        let (dense, pruned) = (every_result(false), every_result(true));
        for (results, lang) in [(&dense, Lang::En), (&dense, Lang::ZhCn), (&pruned, Lang::ZhCn)] {
            for width in [280.0, 340.0, 545.0, 640.0, 1100.0, 1600.0] {
                for first in [None, Some("q4_0"), Some("nf4")] {
                    let s = scatter(results, lang.strings(), width, first);
                    let what = format!("{lang:?}, {} points, {width} px, {first:?}", results.len());
                    assert_eq!(s.points.len(), results.len(), "{what}: every format has a finite SQNR");
                    let w = scatter_width(width);
                    assert_eq!((s.width, s.plot.right() + RIGHT, s.plot.bottom() + BOTTOM), (w, w, s.height));
                    let labels: Vec<&Label> = s.points.iter().filter_map(|p| p.label.as_ref()).collect();
                    for (i, a) in labels.iter().enumerate() {
                        assert!(a.rect.inside(&s.plot), "{what}: {a:?} leaves the plot {:?}", s.plot);
                        assert!(a.rect.w >= text_width(&a.text, LABEL_FONT), "{what}: {a:?}");
                        for b in &labels[i + 1..] {
                            assert!(!a.rect.overlaps(&b.rect), "{what}: {a:?} on {b:?}");
                        }
                    }
                    // Clear of every point but its own group's (those within 1.6 dots of its own).
                    for owner in s.points.iter().filter(|p| p.label.is_some()) {
                        let a = owner.label.as_ref().unwrap();
                        for p in s.points.iter().filter(|p| (p.x - owner.x).hypot(p.y - owner.y) >= 1.6 * DOT) {
                            let dot = Rect { x: p.x - DOT, y: p.y - DOT, w: 2.0 * DOT, h: 2.0 * DOT };
                            assert!(!a.rect.overlaps(&dot), "{what}: {a:?} on {}", p.name);
                        }
                    }
                    let named = |id: &str| labels.iter().any(|l| l.names.iter().any(|n| n == id));
                    let unnamed = s.points.iter().filter(|p| !named(&p.id)).count();
                    assert_eq!(unnamed, s.left_off, "{what}");
                    if let Some(id) = first {
                        assert!(named(id), "{what}: the selected point is named");
                    }
                }
            }
        }
        // Whichever point is selected (a click, a table row) is named, on a phone too.
        for r in &dense {
            for width in [330.0, 1100.0] {
                let s = scatter(&dense, Lang::En.strings(), width, Some(&r.id));
                let named = s.points.iter().filter_map(|p| p.label.as_ref()).any(|l| l.names.contains(&r.id));
                assert!(named, "{} at {width} px", r.id);
            }
        }
        // A desktop's lab chart (the section is ~1100 px wide at 1280) names all but a few of
        // the 36 (those inside the crowd at 4 to 5 bits, whose leaders would cross points).
        assert!(scatter(&dense, Lang::En.strings(), 1100.0, None).left_off <= 6);
    }

    #[test]
    fn histogram_bars_fit_and_count_everything() {
        let r = result("q4_0");
        let h = histogram(&r, EN);
        let counted: u64 = r.hist.negative.iter().sum::<u64>() + r.hist.positive.iter().sum::<u64>();
        assert_eq!(h.total, counted + r.hist.zero);
        let drawn: u64 = h.bars.iter().map(|b| b.title.rsplit(": ").next().unwrap().parse::<u64>().unwrap()).sum();
        assert_eq!(drawn + h.below, h.total);
        assert_eq!(h.total, r.elements);
        assert!(!h.bars.is_empty());
        for b in &h.bars {
            assert!(b.x >= LEFT - 1e-9 && b.x + b.width <= WIDTH - RIGHT + 1e-9 && b.height > 0.0, "{b:?}");
        }
        assert_eq!(h.markers.len(), 2, "RMSE and max are inside the drawn range");
        assert!(h.markers[0].at < h.markers[1].at);
        assert!(!h.x_ticks.is_empty());
        let row = &rows(&[r], EN)[0];
        assert!(row.sqnr.ends_with(" dB") && row.note.is_empty());
    }

    /// A run the clock could not see has no speed (not 65,536,000 Melem/s from 0.0 ms).
    #[test]
    fn speeds_need_a_timed_run() {
        let mut r = result("q8_0");
        (r.quantize_ms, r.simd, r.scalar_quantize_ms) = (0.0, true, Some(4.0));
        assert_eq!(
            (rows(&[r.clone()], EN)[0].throughput.as_str(), rows(&[r.clone()], EN)[0].speedup.as_str()),
            ("—", "—")
        );
        r.quantize_ms = 2.0;
        let row = &rows(&[r], EN)[0];
        assert_eq!((row.throughput.as_str(), row.speedup.as_str()), ("33", "2.0×"), "65,536 values in 2 ms");
    }
}
