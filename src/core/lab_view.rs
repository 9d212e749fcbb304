//! Lab results → what the page shows: table cells as text, and the two charts (SQNR against
//! bits per weight, and the error histogram) as SVG geometry in a fixed viewBox.

use super::i18n::{fill, Strings};
use super::lab::{format_name, FormatResult};
use super::metrics::{hist_bin_lower, HIST_BINS, HIST_PER_OCTAVE};
use super::units::fmt_bytes;

/// `5.34e-3`: three significant figures in scientific notation.
pub fn sci(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else {
        format!("{v:.2e}")
    }
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

#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub id: String,
    pub label: String,
    pub x: f64,
    pub y: f64,
    /// Labels of points near the right edge sit to their left.
    pub label_left: bool,
    /// Label position, nudged so that labels do not overlap.
    pub label_y: f64,
    /// For the tooltip.
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    pub points: Vec<Point>,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    /// Formats with no finite SQNR (exact copies, or nothing finite), listed instead of plotted.
    pub off_chart: Vec<String>,
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

/// SQNR (dB) against bits per weight, one point per format with a finite SQNR.
pub fn scatter(results: &[FormatResult], t: &Strings) -> Scatter {
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
    let x_span = (x_hi - 0.0).max(1e-9);
    let y_span = (y_hi - y_lo).max(1e-9);
    let px = move |v: f64| LEFT + v / x_span * (WIDTH - LEFT - RIGHT);
    let py = move |v: f64| TOP + (y_hi - v) / y_span * (HEIGHT - TOP - BOTTOM);
    let points = finite
        .iter()
        .map(|(r, d)| Point {
            id: r.id.clone(),
            label: result_name(r, t),
            x: px(r.bpw),
            y: py(*d),
            label_left: px(r.bpw) > WIDTH - RIGHT - 90.0,
            label_y: py(*d) - 6.0,
            title: fill(t.lv_point, &[&result_name(r, t), &format!("{:.3}", r.bpw), &sqnr_text(Some(*d), t)]),
        })
        .collect::<Vec<Point>>();
    let mut points = points;
    separate_labels(&mut points);
    Scatter { points, x_ticks: ticks(0.0, x_hi, 8, px, ""), y_ticks: ticks(y_lo, y_hi, 6, py, " dB"), off_chart }
}

/// Moves labels down, one line at a time, until none sits on another (labels ~70 px wide).
fn separate_labels(points: &mut [Point]) {
    let keys: Vec<(f64, f64)> = points.iter().map(|p| (p.label_y, 0.0)).collect();
    let order = crate::core::order::order(&keys);
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for i in order {
        let x = points[i].x;
        let mut y = points[i].label_y;
        while placed.iter().any(|&(px, py)| (px - x).abs() < 70.0 && (py - y).abs() < 11.0) {
            y += 11.0;
        }
        points[i].label_y = y;
        placed.push((x, y));
    }
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

    const EN: &crate::core::i18n::Strings = crate::core::i18n::Lang::En.strings();
    use crate::core::lab::run_kernel;
    use crate::core::quant::kernel;
    use crate::core::tensor::{sample, Distribution, ROW};

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
        let s = scatter(&rs, EN);
        assert_eq!(s.points.len(), 3);
        let (q8, q4) = (&s.points[0], &s.points[1]);
        assert!(q8.x > q4.x && q8.y < q4.y, "SVG y grows downward");
        for p in &s.points {
            assert!(p.x >= LEFT && p.x <= WIDTH - RIGHT && p.y >= TOP && p.y <= HEIGHT - BOTTOM, "{p:?}");
        }
        assert!(s.x_ticks.len() >= 3 && s.y_ticks.len() >= 3);
        assert!(s.off_chart.is_empty());
        // Q4_0 and NF4 sit on top of each other: their labels are pulled apart.
        let s = scatter(&[result("q4_0"), result("nf4")], EN);
        assert!((s.points[0].label_y - s.points[1].label_y).abs() >= 11.0);
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
