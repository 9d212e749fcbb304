//! Effective bits of each format: its SQNR on one fixed reference tensor, over 6.02 dB per bit.
//!
//! The page does not link the kernels (they live in the lab's worker), so the SQNRs are kept
//! here as a table; `table_matches_the_kernels` re-measures every row with the reference
//! kernels and fails if one drifts, and `bitbudget accuracy-fit` prints the table afresh.

use crate::core::catalog::format::Format;
use crate::core::kernels::quant::{format_kernel, kernel};
use crate::core::kernels::runner::run_kernel;
use crate::core::kernels::tensor::{sample, Distribution, ROW};

/// The reference tensor: 64 Ki elements (16 rows of 4096) of a unit-variance Laplace, seed 1.
/// Trained weight matrices are heavier-tailed than a Gaussian; Laplace is the usual stand-in.
pub const REFERENCE_DIST: Distribution = Distribution::Laplace;
pub const REFERENCE_ELEMENTS: usize = 1 << 16;
pub const REFERENCE_SEED: u64 = 1;

/// dB of signal-to-noise per bit of a uniform quantizer (20·log10 2).
pub const DB_PER_BIT: f64 = 6.020_599_913_279_624;

/// SQNR (dB) of each format's reference kernel on the reference tensor, rounded to 0.01 dB.
pub const REFERENCE_SQNR_DB: &[(&str, f64)] = &[
    ("f16", 73.60),
    ("bf16", 55.64),
    ("fp8_e4m3", 31.56),
    ("fp8_e5m2", 25.52),
    ("int8", 36.69),
    ("int4_g128_asym", 17.65),
    ("nf4", 19.70),
    ("nf4_dq", 19.70),
    ("mxfp8", 30.00),
    ("mxfp4", 17.96),
    ("nvfp4", 20.62),
    ("q4_0", 19.42),
    ("q4_1", 20.74),
    ("q5_0", 25.42),
    ("q5_1", 27.04),
    ("q8_0", 43.45),
    ("q2_k", 9.25),
    ("q3_k", 15.04),
    ("q4_k", 21.42),
    ("q5_k", 27.35),
    ("q6_k", 33.32),
    ("iq4_nl", 21.13),
    ("iq4_xs", 21.07),
    ("iq3_s", 14.14),
    ("iq3_xxs", 12.07),
    ("tq1_0", 1.60),
    ("tq2_0", 1.60),
];

/// The reference SQNR of the kernel that stands for a storage format.
fn reference_sqnr_db(format_id: &str) -> Option<f64> {
    let k = format_kernel(format_id)?;
    REFERENCE_SQNR_DB.iter().find(|(id, _)| *id == k).map(|(_, db)| *db)
}

/// The first format of a weight mix whose error the lab does not measure (a type it reads but
/// does not make, `quant::READ_ONLY`): a mix holding one gets no estimate rather than one that
/// counts it as lossless. F32 loses nothing and is measured by definition.
pub fn unmeasured(w: &crate::core::memory::footprint::Weights) -> Option<&'static Format> {
    w.formats
        .iter()
        .map(|(f, _)| *f)
        .find(|f| f.id != crate::core::catalog::format::F32.id && reference_sqnr_db(f.id).is_none())
}

/// Effective bits of a format: SQNR / 6.02; infinite for F32.
pub fn effective_bits(f: &Format) -> f64 {
    reference_sqnr_db(f.id).map_or(f64::INFINITY, |db| db / DB_PER_BIT)
}

/// Measures one kernel's SQNR on the reference tensor (the scalar reference kernel).
pub fn measure_sqnr_db(kernel_id: &str) -> Option<f64> {
    let k = kernel(kernel_id)?;
    let x = sample(REFERENCE_DIST, REFERENCE_ELEMENTS, REFERENCE_SEED);
    let r = run_kernel(k, &x, ROW, false, &|| 0.0, &mut |_| true).ok()?;
    r.summary.sqnr_db
}

/// Every storage format any scheme uses, by the kernel that stands for it.
pub fn needed_kernels() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for id in crate::core::catalog::format::FORMATS.iter().filter_map(|f| format_kernel(f.id)) {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_the_kernels() {
        let needed = needed_kernels();
        assert_eq!(needed.len(), REFERENCE_SQNR_DB.len());
        for (id, db) in REFERENCE_SQNR_DB {
            assert!(needed.contains(id), "{id}");
            let m = measure_sqnr_db(id).unwrap();
            assert!((m - db).abs() <= 0.005 + 1e-9, "{id}: measured {m:.4} dB, table {db}");
        }
    }

    #[test]
    fn effective_bits_by_hand() {
        let q8 = crate::core::catalog::format::by_id("q8_0").unwrap();
        assert!((effective_bits(q8) - 43.45 / 6.0206).abs() < 1e-3);
        assert_eq!(effective_bits(&crate::core::catalog::format::F32), f64::INFINITY);
        let g = crate::core::catalog::format::by_id("int4_g128_gidx").unwrap();
        assert_eq!(format_kernel(g.id), Some("int4_g128_asym"));
    }
}
