//! The kernel runner: one kernel over a tensor, chunk by chunk, quantized, dequantized and
//! measured, reporting progress and honouring cancellation. The clock is passed in, so the same
//! code runs natively, in a Web Worker and in tests.

use serde::{Deserialize, Serialize};

use crate::core::catalog::sparsity::Sparsity;
use crate::core::kernels::metrics::{ErrorStats, Histogram, Summary};
use crate::core::kernels::prune_simd;
use crate::core::kernels::quant::{Kernel, ScaleAcc};
use crate::core::text::i18n::Msg;

/// Runs shorter than this are not turned into speeds: ten ticks of a browser's coarsened clock.
pub const MIN_TIMED_MS: f64 = 1.0;

/// Largest tensor one run takes (the lab's samples and a file's tensor alike).
pub const MAX_RUN_ELEMENTS: u32 = 1 << 26;

/// Rows per chunk: 64 rows of 4096 is 1 MiB of f32, small enough to keep memory flat.
pub const CHUNK_ROWS: usize = 64;

/// What one format did to one tensor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormatResult {
    pub id: String,
    pub name: String,
    pub elements: u64,
    /// Bytes of the quantized tensor (every header and scale included).
    pub bytes: u64,
    pub bpw: f64,
    pub summary: Summary,
    pub hist: Histogram,
    /// Time spent quantizing (not dequantizing, not measuring), milliseconds.
    pub quantize_ms: f64,
    pub dequantize_ms: f64,
    /// Whether the SIMD path ran (wasm32 with simd128) or the scalar reference.
    pub simd: bool,
    /// The scalar reference's quantize time on the same data, when it was measured for the
    /// SIMD speed-up.
    pub scalar_quantize_ms: Option<f64>,
    /// The tensor's first block (at least 32 values, at most 256) and what came back: the
    /// explainer shows what the format did to them.
    pub block: Vec<[f32; 2]>,
}

/// Values kept for [`FormatResult::block`].
pub fn block_len(unit: usize) -> usize {
    unit.clamp(32, 256)
}

impl FormatResult {
    /// Millions of elements a second; None when the run was too short for the clock (browsers
    /// round `performance.now()` to 0.1 ms, so a 64 Ki run can read 0.0 ms).
    pub fn quantize_melem_s(&self) -> Option<f64> {
        (self.quantize_ms >= MIN_TIMED_MS).then(|| self.elements as f64 / 1e3 / self.quantize_ms)
    }

    /// SIMD time over scalar time, when both were measured long enough to mean something.
    pub fn simd_speedup(&self) -> Option<f64> {
        let timed = self.simd && self.quantize_ms >= MIN_TIMED_MS;
        self.scalar_quantize_ms.filter(|_| timed).map(|s| s / self.quantize_ms)
    }
}

/// Why a run stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    Cancelled,
    Failed(Msg),
}

/// What a run adds up chunk by chunk (error statistics, times, bytes, the first block), and the
/// result it makes: shared by the dense and the pruned runs.
struct Tally {
    stats: ErrorStats,
    qms: f64,
    dms: f64,
    bytes: u64,
    block: Vec<[f32; 2]>,
}

impl Tally {
    fn new(header_bytes: u64) -> Tally {
        Tally { stats: ErrorStats::default(), qms: 0.0, dms: 0.0, bytes: header_bytes, block: Vec::new() }
    }

    /// One chunk: the original values, what came back, its quantized length, and the times
    /// before quantizing, between, and after dequantizing.
    fn add(&mut self, first: bool, unit: usize, x: &[f32], y: &[f32], qlen: usize, (t0, t1, t2): (f64, f64, f64)) {
        self.qms += t1 - t0;
        self.dms += t2 - t1;
        self.bytes += qlen as u64;
        self.stats.add_fast(x, y);
        if first {
            self.block = x.iter().zip(y).take(block_len(unit)).map(|(a, b)| [*a, *b]).collect();
        }
    }

    fn result(self, id: String, name: String, elements: u64, simd: bool) -> FormatResult {
        FormatResult {
            id,
            name,
            elements,
            bytes: self.bytes,
            bpw: self.bytes as f64 * 8.0 / elements.max(1) as f64,
            summary: self.stats.summary(),
            hist: self.stats.hist,
            quantize_ms: self.qms,
            dequantize_ms: self.dms,
            simd,
            scalar_quantize_ms: None,
            block: self.block,
        }
    }
}

/// After chunk `i` of `chunk` values out of `n`: false when the caller cancelled.
fn report_progress(progress: &mut dyn FnMut(f64) -> bool, i: usize, chunk: usize, n: usize) -> Result<(), Stopped> {
    if progress(((i + 1) * chunk).min(n) as f64 / n as f64) {
        Ok(())
    } else {
        Err(Stopped::Cancelled)
    }
}

/// Runs one kernel over `x` (rows of `row`). `progress(done_fraction)` is called after each
/// chunk and returns false to cancel. `use_fast` picks the SIMD path where there is one.
pub fn run_kernel(
    k: &Kernel,
    x: &[f32],
    row: usize,
    use_fast: bool,
    now: &dyn Fn() -> f64,
    progress: &mut dyn FnMut(f64) -> bool,
) -> Result<FormatResult, Stopped> {
    k.check_shape(x.len(), row).map_err(Stopped::Failed)?;
    let (quantize, dequantize, simd) = k.pick(use_fast);
    let scale = k.scale_of(x);
    let chunk = row * CHUNK_ROWS.max(1);
    let mut qbuf = vec![0u8; k.body_len(chunk.min(x.len()), row)];
    let mut ybuf = vec![0f32; chunk.min(x.len())];
    let mut tally = Tally::new(k.header_len() as u64);
    for (i, xc) in x.chunks(chunk).enumerate() {
        let qlen = k.body_len(xc.len(), row);
        let (q, y) = (&mut qbuf[..qlen], &mut ybuf[..xc.len()]);
        let t0 = now();
        quantize(xc, row, scale, q);
        let t1 = now();
        dequantize(q, row, scale, y);
        tally.add(i == 0, k.unit(), xc, y, qlen, (t0, t1, now()));
        report_progress(progress, i, chunk, x.len())?;
    }
    Ok(tally.result(k.id.to_string(), k.name.to_string(), x.len() as u64, simd))
}

/// Packs the values `keep` marks, row after row, into `out`; returns how many.
fn pack(x: &[f32], keep: &[bool], out: &mut [f32]) -> usize {
    let mut at = 0;
    for (v, _) in x.iter().zip(keep).filter(|(_, k)| **k) {
        out[at] = *v;
        at += 1;
    }
    at
}

/// A kernel over the values `sparsity` keeps: each row's kept values packed into a row of their
/// own and quantized as a tensor (blocks and scales over kept values only), the pruned ones zero.
/// The error is over the whole tensor against `x`; the bytes are the packed tensor's plus the
/// positions (`Sparsity::index_bytes`).
pub fn run_pruned(
    k: &Kernel,
    sparsity: Sparsity,
    x: &[f32],
    row: usize,
    now: &dyn Fn() -> f64,
    progress: &mut dyn FnMut(f64) -> bool,
) -> Result<FormatResult, Stopped> {
    let kept = sparsity.kept(row as u64) as usize;
    let rows = x.len() / row.max(1);
    k.check_shape(rows * kept, kept).map_err(Stopped::Failed)?;
    let (quantize, dequantize, simd) = k.pick(true);
    let chunk = row * CHUNK_ROWS.max(1);
    let mut packed = vec![0f32; chunk.min(x.len()) / row.max(1) * kept];
    // A per-tensor scale is the kept values' (a first pass, only for formats that have one).
    let mut acc = ScaleAcc::default();
    if k.tensor_scale.is_some() {
        for xc in x.chunks(chunk) {
            let n = pack(xc, &prune_simd::mask(sparsity, xc, row), &mut packed);
            acc.add(&packed[..n]);
        }
    }
    let scale = acc.finish(k.tensor_scale);
    let mut qbuf = vec![0u8; k.body_len(packed.len(), kept)];
    let mut dq = vec![0f32; packed.len()];
    let mut y = vec![0f32; chunk.min(x.len())];
    let mut tally = Tally::new(sparsity.index_bytes(rows as u64, row as u64) + k.header_len() as u64);
    for (i, xc) in x.chunks(chunk).enumerate() {
        let keep = prune_simd::mask(sparsity, xc, row);
        let n = pack(xc, &keep, &mut packed);
        let qlen = k.body_len(n, kept);
        let (q, d) = (&mut qbuf[..qlen], &mut dq[..n]);
        let t0 = now();
        quantize(&packed[..n], kept, scale, q);
        let t1 = now();
        dequantize(q, kept, scale, d);
        let t2 = now();
        let yc = &mut y[..xc.len()];
        let mut back = d.iter();
        for (o, k) in yc.iter_mut().zip(&keep) {
            *o = if *k { back.next().copied().unwrap_or(0.0) } else { 0.0 };
        }
        tally.add(i == 0, k.unit(), xc, yc, qlen, (t0, t1, t2));
        report_progress(progress, i, chunk, x.len())?;
    }
    // The worker names it without words (`F16 +2:4`): the page writes the pattern in its own
    // language (`format_name`), and the worker carries no texts.
    let name = format!("{} {}", k.name, sparsity.suffix());
    Ok(tally.result(format!("{}{}", k.id, sparsity.suffix()), name, x.len() as u64, simd))
}

/// Quantize time of `x` (no statistics), milliseconds: the SIMD path when `use_fast` and there
/// is one, the scalar reference otherwise.
pub fn time_quantize(k: &Kernel, x: &[f32], row: usize, use_fast: bool, now: &dyn Fn() -> f64) -> Result<f64, Msg> {
    k.check_shape(x.len(), row)?;
    let (quantize, _, _) = k.pick(use_fast);
    let scale = k.scale_of(x);
    let chunk = row * CHUNK_ROWS;
    let mut q = vec![0u8; k.body_len(chunk.min(x.len()), row)];
    let t0 = now();
    for xc in x.chunks(chunk) {
        let len = k.body_len(xc.len(), row);
        quantize(xc, row, scale, &mut q[..len]);
    }
    Ok(now() - t0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::kernels::quant::kernel;
    use crate::core::kernels::tensor::{sample, Distribution, ROW};

    fn run(id: &str, x: &[f32]) -> FormatResult {
        let mut t = 0.0;
        let clock = std::cell::Cell::new(0.0);
        let now = || {
            clock.set(clock.get() + 1.0);
            clock.get()
        };
        run_kernel(kernel(id).unwrap(), x, ROW, false, &now, &mut |p| {
            assert!(p > t && p <= 1.0);
            t = p;
            true
        })
        .unwrap()
    }

    /// Reference A/B table (quant-facts.md B): Q8_0 on 2^20 Gaussian values gives 45.44 dB; the
    /// sample differs, so allow a little.
    #[test]
    fn q8_0_on_a_gaussian_gives_the_published_sqnr() {
        let x = sample(Distribution::Gaussian, 1 << 20, 1);
        let r = run("q8_0", &x);
        let sqnr = r.summary.sqnr_db.unwrap();
        assert!((sqnr - 45.44).abs() < 0.3, "{sqnr}");
        assert_eq!(r.bytes, (1 << 20) / 32 * 34);
        assert_eq!(r.bpw, 8.5);
        assert!(!r.simd);
    }

    #[test]
    fn q4_0_and_bf16_land_near_the_table() {
        let x = sample(Distribution::Gaussian, 1 << 18, 2);
        assert!((run("q4_0", &x).summary.sqnr_db.unwrap() - 21.33).abs() < 0.5);
        assert!((run("bf16", &x).summary.sqnr_db.unwrap() - 55.60).abs() < 0.5);
        assert!((run("f16", &x).summary.sqnr_db.unwrap() - 73.65).abs() < 0.5);
    }

    #[test]
    fn cancelling_stops_the_run() {
        let x = sample(Distribution::Gaussian, ROW * CHUNK_ROWS * 3, 3);
        let mut calls = 0;
        let r = run_kernel(kernel("q8_0").unwrap(), &x, ROW, false, &|| 0.0, &mut |_| {
            calls += 1;
            calls < 2
        });
        assert_eq!(r, Err(Stopped::Cancelled));
        assert_eq!(calls, 2);
        let bad = run_kernel(kernel("q8_0").unwrap(), &x[..100], 100, false, &|| 0.0, &mut |_| true);
        assert!(matches!(bad, Err(Stopped::Failed(_))));
    }
}
