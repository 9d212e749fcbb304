//! Seeded sample tensors, generated in order chunk by chunk, identical natively and in wasm:
//! Xoshiro256++ for the bits and the pure-Rust `libm` for logarithms and cosines.

use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Distribution {
    Gaussian,
    Laplace,
    StudentT3,
    Uniform,
    /// Gaussian rows with a few outlier channels (columns) scaled ×20, as LLM activations and
    /// some weight matrices have.
    LlmLike,
}

impl Distribution {
    pub const ALL: [Distribution; 5] = [
        Distribution::Gaussian,
        Distribution::Laplace,
        Distribution::StudentT3,
        Distribution::Uniform,
        Distribution::LlmLike,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Distribution::Gaussian => "gaussian",
            Distribution::Laplace => "laplace",
            Distribution::StudentT3 => "t3",
            Distribution::Uniform => "uniform",
            Distribution::LlmLike => "llm",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Distribution::Gaussian => "Gaussian N(0, 1)",
            Distribution::Laplace => "Laplace (unit variance)",
            Distribution::StudentT3 => "Student-t, ν = 3",
            Distribution::Uniform => "Uniform (unit variance)",
            Distribution::LlmLike => "LLM-like: Gaussian with outlier channels ×20",
        }
    }

    pub fn from_id(id: &str) -> Option<Distribution> {
        Distribution::ALL.into_iter().find(|d| d.id() == id)
    }
}

/// Sizes the lab offers: 64 Ki to 64 Mi elements.
pub const SIZES: [usize; 6] = [1 << 16, 1 << 18, 1 << 20, 1 << 22, 1 << 24, 1 << 26];
/// Row length of sample tensors (a typical hidden size; every kernel's block divides it).
pub const ROW: usize = 4096;
/// Outlier channels per row in the LLM-like distribution.
pub const OUTLIER_CHANNELS: usize = 8;
pub const OUTLIER_SCALE: f32 = 20.0;

/// A uniform in (0, 1], never 0 (so its logarithm is finite).
fn unit(rng: &mut Xoshiro256PlusPlus) -> f64 {
    ((rng.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Box–Muller, keeping only the cosine branch so every sample draws exactly two words.
fn gaussian(rng: &mut Xoshiro256PlusPlus) -> f64 {
    let (u1, u2) = (unit(rng), unit(rng));
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
}

/// Produces a sample tensor in order; any chunking gives the same values.
pub struct SampleStream {
    dist: Distribution,
    rng: Xoshiro256PlusPlus,
    outliers: [usize; OUTLIER_CHANNELS],
    index: usize,
}

impl SampleStream {
    pub fn new(dist: Distribution, seed: u64) -> SampleStream {
        // Outlier columns come from a second stream so they do not shift the samples.
        let mut pick = Xoshiro256PlusPlus::seed_from_u64(!seed);
        let mut outliers = [0usize; OUTLIER_CHANNELS];
        for o in outliers.iter_mut() {
            *o = (pick.next_u64() % ROW as u64) as usize;
        }
        SampleStream { dist, rng: Xoshiro256PlusPlus::seed_from_u64(seed), outliers, index: 0 }
    }

    pub fn fill(&mut self, out: &mut [f32]) {
        for o in out.iter_mut() {
            *o = self.next() as f32;
        }
    }

    fn next(&mut self) -> f64 {
        let col = self.index % ROW;
        self.index += 1;
        let r = &mut self.rng;
        match self.dist {
            Distribution::Gaussian => gaussian(r),
            Distribution::Laplace => {
                let u = unit(r) - 0.5;
                let b = std::f64::consts::FRAC_1_SQRT_2;
                -b * u.signum() * libm::log(1.0 - 2.0 * u.abs()).max(-745.0)
            }
            Distribution::StudentT3 => {
                let z = gaussian(r);
                let v = (0..3).map(|_| gaussian(r).powi(2)).sum::<f64>();
                z / libm::sqrt(v / 3.0)
            }
            Distribution::Uniform => (unit(r) * 2.0 - 1.0) * libm::sqrt(3.0),
            Distribution::LlmLike => {
                let g = gaussian(r);
                if self.outliers.contains(&col) {
                    g * f64::from(OUTLIER_SCALE)
                } else {
                    g
                }
            }
        }
    }
}

/// A whole sample tensor (for tests and small runs; the lab streams).
pub fn sample(dist: Distribution, n: usize, seed: u64) -> Vec<f32> {
    let mut out = vec![0f32; n];
    SampleStream::new(dist, seed).fill(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(x: &[f32]) -> (f64, f64) {
        let n = x.len() as f64;
        let mean = x.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
        let var = x.iter().map(|&v| (f64::from(v) - mean).powi(2)).sum::<f64>() / n;
        (mean, var)
    }

    #[test]
    fn distributions_have_their_moments() {
        for (d, var) in [
            (Distribution::Gaussian, 1.0),
            (Distribution::Laplace, 1.0),
            (Distribution::Uniform, 1.0),
            (Distribution::StudentT3, 3.0),
        ] {
            let x = sample(d, 1 << 18, 7);
            let (m, v) = moments(&x);
            // t3 has infinite kurtosis: its sample variance converges slowly.
            let tol = if d == Distribution::StudentT3 { 0.5 } else { 0.02 };
            assert!(m.abs() < 0.02, "{d:?} mean {m}");
            assert!((v - var).abs() < tol * var, "{d:?} variance {v}");
        }
        let llm = sample(Distribution::LlmLike, ROW * 64, 7);
        let (_, v) = moments(&llm);
        let expect = 1.0 + OUTLIER_CHANNELS as f64 * (400.0 - 1.0) / ROW as f64;
        assert!((v - expect).abs() < 0.1 * expect, "llm variance {v} vs {expect}");
    }

    #[test]
    fn chunking_does_not_change_the_values() {
        let whole = sample(Distribution::StudentT3, 10_000, 42);
        let mut s = SampleStream::new(Distribution::StudentT3, 42);
        let mut parts = vec![0f32; 10_000];
        for c in parts.chunks_mut(777) {
            s.fill(c);
        }
        assert_eq!(whole, parts);
        assert_ne!(sample(Distribution::Gaussian, 8, 1), sample(Distribution::Gaussian, 8, 2));
    }

    /// Pinned values: the same seed must give the same tensor on every platform (the wasm test
    /// checks the same numbers).
    #[test]
    fn values_are_pinned() {
        let x = sample(Distribution::Gaussian, 4, 1234);
        let bits: Vec<u32> = x.iter().map(|v| v.to_bits()).collect();
        assert_eq!(bits, [3207187794, 1050495241, 3204769097, 1068867002]);
        let sums: Vec<u64> = [Distribution::StudentT3, Distribution::Laplace, Distribution::LlmLike]
            .iter()
            .map(|d| sample(*d, 1 << 12, 7).iter().map(|v| u64::from(v.to_bits())).sum())
            .collect();
        assert_eq!(sums, PINNED_SUMS.to_vec(), "tests/wasm_node.rs pins the same sums");
    }

    const PINNED_SUMS: [u64; 3] = [8760411873864, 8860343280114, 8864239729120];
}
