//! Streaming error statistics of a quantized tensor against its original: constant memory in
//! the tensor's size, mergeable across chunks, and with a fixed summation order (four
//! interleaved f64 lanes) so that a SIMD version can reproduce it bit for bit.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd;

/// Sub-bins per power of two in the error histogram.
pub const HIST_PER_OCTAVE: i32 = 4;
/// The histogram covers |error| from 2^HIST_MIN_EXP to 2^HIST_MAX_EXP; smaller errors (and
/// exact zeros) count as zero, larger ones go to the last bin.
pub const HIST_MIN_EXP: i32 = -32;
pub const HIST_MAX_EXP: i32 = 16;
pub const HIST_BINS: usize = ((HIST_MAX_EXP - HIST_MIN_EXP) * HIST_PER_OCTAVE) as usize;

/// Errors by magnitude, for each sign, on a log scale.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Histogram {
    /// `[bin]` for y < x (negative error) and y > x (positive error).
    pub negative: Vec<u64>,
    pub positive: Vec<u64>,
    /// Errors below 2^HIST_MIN_EXP, exact zeros included.
    pub zero: u64,
}

impl Default for Histogram {
    fn default() -> Histogram {
        Histogram { negative: vec![0; HIST_BINS], positive: vec![0; HIST_BINS], zero: 0 }
    }
}

/// The bin of a nonzero |error|, or None below the range. Exact: read from the f64's bits.
pub fn hist_bin(abs_err: f64) -> Option<usize> {
    let bits = abs_err.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32 - 1023;
    if abs_err == 0.0 || exp < HIST_MIN_EXP {
        return None;
    }
    // The top two mantissa bits pick one of four sub-bins in the octave.
    let sub = ((bits >> 50) & 3) as i32;
    let bin = (exp - HIST_MIN_EXP) * HIST_PER_OCTAVE + sub;
    Some((bin as usize).min(HIST_BINS - 1))
}

/// The lower edge of a bin, for labels.
pub fn hist_bin_lower(bin: usize) -> f64 {
    let b = bin as i32;
    let exp = HIST_MIN_EXP + b / HIST_PER_OCTAVE;
    (1.0 + f64::from(b % HIST_PER_OCTAVE) / 4.0) * 2f64.powi(exp)
}

pub const LANES: usize = 4;

/// Running sums over the pairs where both the original and the quantized value are finite.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorStats {
    pub count: u64,
    /// Inputs that were NaN or ±inf: counted, never summed.
    pub nonfinite_inputs: u64,
    /// Finite inputs whose quantized value is NaN or ±inf (a format's overflow).
    pub nonfinite_outputs: u64,
    pub sum_x2: [f64; LANES],
    pub sum_y2: [f64; LANES],
    pub sum_xy: [f64; LANES],
    pub sum_e2: [f64; LANES],
    pub sum_abs_e: [f64; LANES],
    pub max_abs_e: f64,
    pub hist: Histogram,
}

impl ErrorStats {
    /// Adds a chunk. Lanes follow the element's index within the chunk, so chunks should be
    /// a multiple of [`LANES`] long for results that do not depend on chunking.
    pub fn add(&mut self, x: &[f32], y: &[f32]) {
        for (i, (&a, &b)) in x.iter().zip(y).enumerate() {
            self.add_one(i % LANES, a, b);
        }
    }

    /// [`ErrorStats::add`] with SIMD128 where this build has it: the same result, bit for bit.
    pub fn add_fast(&mut self, x: &[f32], y: &[f32]) {
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        simd::add(self, x, y);
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
        self.add(x, y);
    }

    pub fn add_one(&mut self, lane: usize, a: f32, b: f32) {
        if !a.is_finite() {
            self.nonfinite_inputs += 1;
            return;
        }
        if !b.is_finite() {
            self.nonfinite_outputs += 1;
            return;
        }
        let (a, b) = (f64::from(a), f64::from(b));
        let e = b - a;
        self.count += 1;
        self.sum_x2[lane] += a * a;
        self.sum_y2[lane] += b * b;
        self.sum_xy[lane] += a * b;
        self.sum_e2[lane] += e * e;
        self.sum_abs_e[lane] += e.abs();
        if e.abs() > self.max_abs_e {
            self.max_abs_e = e.abs();
        }
        match hist_bin(e.abs()) {
            None => self.hist.zero += 1,
            Some(bin) if e < 0.0 => self.hist.negative[bin] += 1,
            Some(bin) => self.hist.positive[bin] += 1,
        }
    }

    /// Combines another chunk's statistics (lane by lane).
    pub fn merge(&mut self, o: &ErrorStats) {
        self.count += o.count;
        self.nonfinite_inputs += o.nonfinite_inputs;
        self.nonfinite_outputs += o.nonfinite_outputs;
        for l in 0..LANES {
            self.sum_x2[l] += o.sum_x2[l];
            self.sum_y2[l] += o.sum_y2[l];
            self.sum_xy[l] += o.sum_xy[l];
            self.sum_e2[l] += o.sum_e2[l];
            self.sum_abs_e[l] += o.sum_abs_e[l];
        }
        self.max_abs_e = self.max_abs_e.max(o.max_abs_e);
        self.hist.zero += o.hist.zero;
        for b in 0..HIST_BINS {
            self.hist.negative[b] += o.hist.negative[b];
            self.hist.positive[b] += o.hist.positive[b];
        }
    }

    pub fn summary(&self) -> Summary {
        let total = |s: &[f64; LANES]| (s[0] + s[1]) + (s[2] + s[3]);
        let (x2, y2, xy, e2, ae) = (
            total(&self.sum_x2),
            total(&self.sum_y2),
            total(&self.sum_xy),
            total(&self.sum_e2),
            total(&self.sum_abs_e),
        );
        let n = self.count as f64;
        let some = |v: f64| if self.count > 0 && v.is_finite() { Some(v) } else { None };
        Summary {
            count: self.count,
            nonfinite_inputs: self.nonfinite_inputs,
            nonfinite_outputs: self.nonfinite_outputs,
            rmse: some((e2 / n).sqrt()),
            mean_abs_err: some(ae / n),
            max_abs_err: some(self.max_abs_e),
            // An exact copy has no noise: SQNR is infinite, shown as such rather than as a number.
            sqnr_db: if self.count > 0 && e2 == 0.0 { Some(f64::INFINITY) } else { some(10.0 * (x2 / e2).log10()) },
            cosine: if x2 > 0.0 && y2 > 0.0 { some(xy / (x2.sqrt() * y2.sqrt())) } else { None },
        }
    }
}

/// What the page and the CLI show. `None` where there is nothing finite to compute from.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub count: u64,
    pub nonfinite_inputs: u64,
    pub nonfinite_outputs: u64,
    pub rmse: Option<f64>,
    pub mean_abs_err: Option<f64>,
    pub max_abs_err: Option<f64>,
    /// 10·log10(Σx² / Σe²); +inf when the copy is exact.
    pub sqnr_db: Option<f64>,
    pub cosine: Option<f64>,
}

impl Summary {
    /// Every figure finite or absent; SQNR +inf only for an exact copy. Holds for any input
    /// (NaN and infinities are counted, not summed); the property tests and the fuzzer check it.
    pub fn is_sane(&self) -> bool {
        let finite =
            [self.rmse, self.mean_abs_err, self.max_abs_err, self.cosine].iter().flatten().all(|v| v.is_finite());
        let sqnr = match self.sqnr_db {
            Some(v) if v == f64::INFINITY => self.rmse == Some(0.0),
            Some(v) => v.is_finite(),
            None => true,
        };
        finite && sqnr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(x: &[f32], y: &[f32]) -> Summary {
        let mut s = ErrorStats::default();
        s.add(x, y);
        s.summary()
    }

    #[test]
    fn sanity_accepts_exact_copies_and_nothing_non_finite() {
        assert!(stats(&[1.0, 2.0], &[1.0, 2.0]).is_sane(), "exact copy: SQNR +inf");
        assert!(stats(&[f32::NAN, f32::INFINITY], &[0.0, 1.0]).is_sane());
        let good = stats(&[1.0, 2.0], &[1.5, 2.0]);
        assert!(good.is_sane());
        assert!(!Summary { sqnr_db: Some(f64::INFINITY), ..good }.is_sane(), "infinite SQNR with an error");
        assert!(!Summary { rmse: Some(f64::NAN), ..good }.is_sane());
        assert!(!Summary { cosine: Some(f64::NEG_INFINITY), ..good }.is_sane());
    }

    #[test]
    fn by_hand() {
        // Errors 0.5, −0.5, 0, 1: Σe² = 1.5, Σx² = 1 + 4 + 9 + 16 = 30.
        let s = stats(&[1.0, 2.0, 3.0, 4.0], &[1.5, 1.5, 3.0, 5.0]);
        assert_eq!(s.count, 4);
        assert_eq!(s.rmse, Some((1.5f64 / 4.0).sqrt()));
        assert_eq!(s.mean_abs_err, Some(0.5));
        assert_eq!(s.max_abs_err, Some(1.0));
        assert!((s.sqnr_db.unwrap() - 10.0 * (30.0f64 / 1.5).log10()).abs() < 1e-12);
        let xy = 1.5 + 3.0 + 9.0 + 20.0;
        let y2 = 2.25 + 2.25 + 9.0 + 25.0;
        assert!((s.cosine.unwrap() - xy / (30.0f64.sqrt() * f64::sqrt(y2))).abs() < 1e-15);
    }

    #[test]
    fn nonfinite_values_are_counted_not_summed() {
        let s = stats(&[f32::NAN, f32::INFINITY, 1.0, 2.0], &[0.0, 1.0, f32::INFINITY, 2.0]);
        assert_eq!((s.count, s.nonfinite_inputs, s.nonfinite_outputs), (1, 2, 1));
        assert_eq!(s.rmse, Some(0.0));
        assert_eq!(s.sqnr_db, Some(f64::INFINITY));
        let none = stats(&[f32::NAN; 4], &[0.0; 4]);
        assert_eq!((none.rmse, none.sqnr_db, none.cosine, none.max_abs_err), (None, None, None, None));
        let zeros = stats(&[0.0; 4], &[0.0; 4]);
        assert_eq!(zeros.cosine, None);
    }

    #[test]
    fn histogram_bins_are_exact() {
        assert_eq!(hist_bin(0.0), None);
        assert_eq!(hist_bin(2f64.powi(HIST_MIN_EXP - 1)), None);
        assert_eq!(hist_bin(2f64.powi(HIST_MIN_EXP)), Some(0));
        assert_eq!(hist_bin(1.0), Some((-HIST_MIN_EXP * HIST_PER_OCTAVE) as usize));
        assert_eq!(hist_bin(1.25), Some((-HIST_MIN_EXP * HIST_PER_OCTAVE) as usize + 1));
        assert_eq!(hist_bin(1e300), Some(HIST_BINS - 1));
        for b in 0..HIST_BINS {
            assert_eq!(hist_bin(hist_bin_lower(b)), Some(b));
        }
        let mut s = ErrorStats::default();
        s.add(&[1.0, 1.0, 1.0, 1.0], &[0.5, 1.5, 1.0, 1.0 + 1e-12]);
        assert_eq!(s.hist.zero, 2);
        assert_eq!(s.hist.negative.iter().sum::<u64>(), 1);
        assert_eq!(s.hist.positive.iter().sum::<u64>(), 1);
    }

    #[test]
    fn chunks_stream_to_the_same_result() {
        let x: Vec<f32> = (0..1000).map(|i| (i as f32 * 0.37).sin()).collect();
        let y: Vec<f32> = x.iter().map(|v| (v * 64.0).round() / 64.0).collect();
        let mut whole = ErrorStats::default();
        whole.add(&x, &y);
        // Chunks that are whole multiples of the lane count give bit-identical sums.
        let mut streamed = ErrorStats::default();
        for (cx, cy) in x.chunks(200).zip(y.chunks(200)) {
            streamed.add(cx, cy);
        }
        assert_eq!(streamed, whole);
        // Merging separately summed chunks reorders the additions: equal counts, close sums.
        let mut merged = ErrorStats::default();
        for (cx, cy) in x.chunks(200).zip(y.chunks(200)) {
            let mut p = ErrorStats::default();
            p.add(cx, cy);
            merged.merge(&p);
        }
        assert_eq!(merged.hist, whole.hist);
        let (a, b) = (merged.summary(), whole.summary());
        assert!((a.rmse.unwrap() - b.rmse.unwrap()).abs() < 1e-15);
        assert_eq!(a.max_abs_err, b.max_abs_err);
    }
}
