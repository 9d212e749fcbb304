//! Every SIMD128 kernel equals its scalar reference on every byte: on random tensors of several
//! distributions, on crafted values (ties, zeros, subnormals, infinities, NaN, outliers, the
//! format's extremes), and on the committed fixtures. Runs in Node (see scripts/test).
#![cfg(target_arch = "wasm32")]

#[path = "support/fixtures.rs"]
mod fixtures;

use bitbudget::core::catalog::sparsity::Sparsity;
use bitbudget::core::kernels::metrics::{ErrorStats, Histogram};
use bitbudget::core::kernels::quant::{kernel, kernels, Kernel};
use bitbudget::core::kernels::tensor::{sample, Distribution};
use bitbudget::core::kernels::{prune, prune_simd};
use fixtures::{first_byte_diff, same_f32};
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Values that stress rounding and special cases, repeated to fill whole rows.
fn crafted(n: usize) -> Vec<f32> {
    let specials = [
        0.0,
        -0.0,
        0.5,
        -0.5,
        1.5,
        -2.5,
        126.5,
        -127.5,
        1e-45,
        -1e-40,
        1.17e-38,
        6.0e-5,
        6.1e-5,
        f32::MIN_POSITIVE,
        f32::MAX,
        -f32::MAX,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        f32::from_bits(0x7fc0_1234),
        448.0,
        464.0,
        480.0,
        57344.0,
        61440.0,
        65504.0,
        65520.0,
        1e4,
        -1e4,
        7.0,
        6.0,
    ];
    let g = sample(Distribution::Gaussian, n, 99);
    (0..n)
        .map(|i| {
            // Some blocks pure specials, some mixed into Gaussian values, some untouched.
            match (i / 64) % 4 {
                0 => specials[i % specials.len()],
                1 if i % 7 == 0 => specials[(i / 7) % specials.len()],
                2 => g[i] * 1e-39,
                _ => g[i],
            }
        })
        .collect()
}

/// Ties for a kernel whose block scale is 1 when the block's amax is its code range: values k + 0.5.
fn ties(n: usize) -> Vec<f32> {
    (0..n).map(|i| if i % 32 == 0 { 127.0 } else { ((i % 256) as f32 - 128.0) * 0.5 }).collect()
}

/// Whole 256-element blocks (the k-quants' super-blocks; eight IQ4_NL blocks) of one kind each,
/// the kinds in turn: what a search over sub-block scales finds hard or special — all-zero,
/// −0, all-equal and one-signed blocks, one value standing out, sub-blocks far smaller than
/// their neighbours (their 6-bit scale rounds to 0), subnormal and tiny blocks, huge ranges,
/// the SIMD kernels' magnitude limit either side, one NaN or inf in an ordinary block, and
/// grids with values half a step off, so that the requantization and Q3_K's refinement of single
/// codes meet exact ties.
fn block_kinds(n: usize) -> Vec<f32> {
    let g = sample(Distribution::Gaussian, n, 17);
    let t = sample(Distribution::StudentT3, n, 18);
    let limit = (1u32 << 20) as f32;
    (0..n)
        .map(|i| {
            let (b, j, v) = (i / 256, i % 256, g[i]);
            match b % 24 {
                0 => 0.0,
                1 => -0.0,
                2 => 0.75,
                3 => -3.0,
                4 => v.abs() + 1.0,
                5 => -v.abs(),
                6 => {
                    if j == 77 {
                        5.0
                    } else {
                        0.0
                    }
                }
                7 => {
                    if (j / 32) % 2 == 0 {
                        v * 1e3
                    } else {
                        v * 1e-3
                    }
                }
                8 => {
                    if (j / 16) % 4 == 0 {
                        v
                    } else {
                        v * 1e-4
                    }
                }
                9 => v * 1e-39,
                10 => v * 1e-20,
                11 => v * 1e-7,
                12 => {
                    if j % 2 == 0 {
                        v * 1e4
                    } else {
                        v * 1e-4
                    }
                }
                13 => {
                    if j == 3 {
                        limit
                    } else {
                        v
                    }
                }
                14 => {
                    if j == 200 {
                        -limit * 1.000_001
                    } else {
                        v
                    }
                }
                15 => {
                    if j == 100 {
                        f32::NAN
                    } else {
                        v
                    }
                }
                16 => {
                    if j == 5 {
                        f32::NEG_INFINITY
                    } else {
                        v
                    }
                }
                17 => {
                    if j % 4 < 2 {
                        0.0
                    } else {
                        v
                    }
                }
                18 => ((i % 61) as f32 - 30.0) * 0.5,
                19 => t[i] * 100.0,
                20 => {
                    if j % 16 == 0 {
                        -1e5
                    } else {
                        v
                    }
                }
                // Sub-block 0 in steps of 3, sub-block s in steps of 3(s + 1)/32, a quarter of the
                // values half a step off: Q3_K's 6-bit scales (d = max/32) store these steps.
                21 => {
                    let (s, l) = (j / 16, (j % 8) as f32 - 4.0);
                    let t = if s == 0 { 3.0 } else { 3.0 * (s + 1) as f32 / 32.0 };
                    if s > 0 && j % 4 == 1 {
                        t * (l + 0.5)
                    } else {
                        t * l
                    }
                }
                // Each sub-block codes −4..3 times 1, 2 or 3, one value half a step off: Q3_K's
                // refinement meets it as an exact tie.
                22 => {
                    let l = ((j + j / 16 + b) % 8) as f32 - 4.0;
                    let t = (1 + (j / 16) % 3) as f32;
                    if j % 16 == (j / 16 + b) % 16 {
                        t * (l + 0.5)
                    } else {
                        t * l
                    }
                }
                _ => v + 10.0,
            }
        })
        .collect()
}

fn compare(k: &Kernel, x: &[f32], row: usize, what: &str) -> Vec<String> {
    let Some(f) = k.fast() else { return Vec::new() };
    let mut out = Vec::new();
    if k.check_shape(x.len(), row).is_err() {
        return out;
    }
    let scale = k.scale_of(x);
    let len = k.body_len(x.len(), row);
    let (mut a, mut b) = (vec![0u8; len], vec![0u8; len]);
    (k.quantize)(x, row, scale, &mut a);
    (f.quantize)(x, row, scale, &mut b);
    if let Some(at) = first_byte_diff(&a, &b) {
        out.push(format!("{} / {what}: quantized byte {at}: reference {:?}, SIMD {:?}", k.id, a.get(at), b.get(at)));
    }
    let (mut ya, mut yb) = (vec![0f32; x.len()], vec![0f32; x.len()]);
    (k.dequantize)(&a, row, scale, &mut ya);
    (f.dequantize)(&a, row, scale, &mut yb);
    if let Some(i) = ya.iter().zip(&yb).position(|(p, q)| !same_f32(*p, *q)) {
        out.push(format!("{} / {what}: dequantized element {i}: reference {:e}, SIMD {:e}", k.id, ya[i], yb[i]));
    }
    out
}

#[test]
fn simd_kernels_equal_their_references() {
    let row = 4096;
    let mut failures = Vec::new();
    for k in kernels().iter().filter(|k| k.fast().is_some()) {
        for (i, d) in Distribution::ALL.iter().enumerate() {
            failures.extend(compare(k, &sample(*d, row * 4, i as u64 + 1), row, d.id()));
        }
        failures.extend(compare(k, &crafted(row * 4), row, "crafted"));
        failures.extend(compare(k, &ties(row), row, "ties"));
        failures.extend(compare(k, &block_kinds(row * 4), row, "block kinds"));
        failures.extend(compare(
            k,
            &sample(Distribution::Gaussian, row * 2, 5).iter().map(|v| v * 1e-3).collect::<Vec<_>>(),
            row,
            "small",
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn simd_kernels_reproduce_the_fixtures() {
    let mut failures = Vec::new();
    for (id, bytes) in FIXTURES {
        let Some(k) = kernel(id).filter(|k| k.fast().is_some()) else { continue };
        for case in fixtures::parse(bytes) {
            failures.extend(compare(k, &case.input, case.row, &case.name));
            let f = k.fast().unwrap();
            let scale = k.scale_of(&case.input);
            let header = if k.tensor_scale.is_some() { 4 } else { 0 };
            let mut q = vec![0u8; k.body_len(case.input.len(), case.row)];
            (f.quantize)(&case.input, case.row, scale, &mut q);
            if let Some(at) = first_byte_diff(&q, &case.quant[header..]) {
                failures.push(format!("{id} / {}: SIMD byte {at} differs from the fixture", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

macro_rules! fixtures {
    ($($id:literal),* $(,)?) => {
        &[$(($id, include_bytes!(concat!("fixtures/", $id, ".fix")))),*]
    };
}

/// Every fixture: the references must reproduce them in wasm too (not only natively), and the
/// SIMD kernels with them.
static FIXTURES: &[(&str, &[u8])] = fixtures!(
    "f16",
    "bf16",
    "fp8_e4m3",
    "fp8_e4m3_nosat",
    "fp8_e5m2",
    "fp8_e5m2_nosat",
    "fp6_e2m3",
    "fp6_e3m2",
    "fp4_e2m1",
    "int8",
    "int4_g32_sym",
    "int4_g64_sym",
    "int4_g128_sym",
    "int4_g32_asym",
    "int4_g64_asym",
    "int4_g128_asym",
    "mxfp8",
    "mxfp4",
    "nvfp4",
    "nf4",
    "nf4_dq",
    "ternary",
    "q8_0",
    "q5_1",
    "q5_0",
    "q4_1",
    "q4_0",
    "q6_k",
    "q5_k",
    "q4_k",
    "q3_k",
    "q2_k",
    "iq4_xs",
    "iq4_nl",
    "iq3_s",
    "iq3_xxs",
    "tq2_0",
    "tq1_0",
);

macro_rules! read_fixtures {
    ($($id:literal),* $(,)?) => {
        &[$(($id, include_bytes!(concat!("fixtures/read/", $id, ".fix")))),*]
    };
}

/// The read fixtures (ggml blocks and gguf-py's dequantization): one per read-only format and
/// per lattice i-quant kernel (natively, `every_read_only_format_has_a_read_fixture` checks the
/// directory holds just these).
static READ_FIXTURES: &[(&str, &[u8])] =
    read_fixtures!("iq3_s", "iq3_xxs", "iq2_s", "iq2_xs", "iq2_xxs", "iq1_m", "iq1_s");

#[test]
fn the_read_list_is_every_read_only_format() {
    use bitbudget::core::catalog::format::{IQ3_S, IQ3_XXS};
    let listed: Vec<&str> = READ_FIXTURES.iter().map(|(id, _)| *id).collect();
    let mut want: Vec<&str> = bitbudget::core::kernels::quant::READ_ONLY.iter().map(|r| r.format.id).collect();
    want.extend([IQ3_S.id, IQ3_XXS.id]);
    want.sort_unstable();
    let mut got = listed.clone();
    got.sort_unstable();
    assert_eq!(got, want);
}

#[test]
fn dequantizers_reproduce_the_read_fixtures_in_wasm() {
    let mut failures = Vec::new();
    for (id, bytes) in READ_FIXTURES {
        failures.extend(fixtures::check_read(id, bytes));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The list above is every kernel, once, so no kernel (and no SIMD kernel) is skipped by a
/// missing or misspelt id; and every SIMD kernel is one of them.
#[test]
fn the_fixture_list_is_every_kernel() {
    let listed: Vec<&str> = FIXTURES.iter().map(|(id, _)| *id).collect();
    let all: Vec<&str> = kernels().iter().map(|k| k.id).collect();
    let missing: Vec<_> = all.iter().filter(|id| !listed.contains(id)).collect();
    let stray: Vec<_> = listed.iter().filter(|id| !all.contains(id)).collect();
    assert!(missing.is_empty() && stray.is_empty(), "not in FIXTURES: {missing:?}; not kernels: {stray:?}");
    assert_eq!(listed.len(), all.len(), "an id listed twice");
    let rows = bitbudget::core::kernels::quant::simd::fast_ids();
    assert!(rows.len() >= 20, "the SIMD table has {} rows", rows.len());
    for id in ["q2_k", "q3_k", "q4_k", "q5_k", "q6_k"] {
        assert!(rows.contains(&id), "no SIMD row for {id}");
    }
    for (i, id) in rows.iter().enumerate() {
        assert!(all.contains(id), "the SIMD row {id} names no kernel");
        assert!(!rows[i + 1..].contains(id), "the SIMD row {id} is there twice");
    }
}

#[test]
fn references_reproduce_the_fixtures_in_wasm() {
    let mut failures = Vec::new();
    for (id, bytes) in FIXTURES {
        let k = kernel(id).unwrap_or_else(|| panic!("no kernel {id}"));
        failures.extend(fixtures::check(k, bytes));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every field of an ErrorStats, its f64s as bits.
fn stats_bits(s: &ErrorStats) -> (Vec<u64>, &Histogram) {
    let mut v = vec![s.count, s.nonfinite_inputs, s.nonfinite_outputs, s.max_abs_e.to_bits()];
    for a in [&s.sum_x2, &s.sum_y2, &s.sum_xy, &s.sum_e2, &s.sum_abs_e] {
        v.extend(a.iter().map(|f| f.to_bits()));
    }
    (v, &s.hist)
}

#[test]
fn simd_error_stats_equal_the_reference() {
    let n = 4096 * 3;
    let x = sample(Distribution::StudentT3, n, 7);
    let special = [f32::NAN, -f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 0.0, -0.0, 1e-45, f32::MAX, -f32::MAX, 1e30];
    let noisy: Vec<f32> = x.iter().enumerate().map(|(i, v)| v + (i % 13) as f32 * 1e-3 - 6e-3).collect();
    // NaN and ±inf on either side, among ordinary pairs.
    let mut specials_x = crafted(n);
    let mut specials_y: Vec<f32> = specials_x.iter().map(|v| v * 0.999).collect();
    for i in (0..n).step_by(37) {
        specials_y[i] = special[i % special.len()];
        specials_x[(i * 7) % n] = special[(i / 37 + 3) % special.len()];
    }
    let tiny: Vec<f32> = x.iter().map(|v| v * 1e-9).collect();
    let cases: Vec<(&str, Vec<f32>, Vec<f32>)> = vec![
        ("exact", x.clone(), x.clone()),
        ("noisy", x.clone(), noisy),
        ("bf16", x.clone(), x.iter().map(|v| f32::from_bits(v.to_bits() & 0xffff_0000)).collect()),
        // Errors of both signs on both sides of the histogram's lowest edge (2^-32).
        ("tiny", tiny.clone(), tiny.iter().map(|v| v * 0.75).collect()),
        // Errors beyond the histogram's top edge.
        ("huge", x.iter().map(|v| v * 1e-12).collect(), x.iter().map(|v| v * 1e25).collect()),
        ("specials", specials_x, specials_y),
    ];
    let mut failures = Vec::new();
    for (what, x, y) in &cases {
        // Whole multiples of the lane count, and lengths with tails.
        for chunk in [4usize, 64, 4096, n, 1001, 7] {
            let (mut a, mut b) = (ErrorStats::default(), ErrorStats::default());
            for (cx, cy) in x.chunks(chunk).zip(y.chunks(chunk)) {
                a.add(cx, cy);
                b.add_fast(cx, cy);
            }
            if stats_bits(&a) != stats_bits(&b) {
                failures.push(format!("{what} in chunks of {chunk}: {a:?}\n!=\n{b:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

static PRUNE_FIXTURES: &[(Sparsity, &[u8])] = &[
    (Sparsity::NM { n: 2, m: 4 }, include_bytes!("fixtures/prune/nm_2_4.fix")),
    (Sparsity::NM { n: 4, m: 8 }, include_bytes!("fixtures/prune/nm_4_8.fix")),
    (Sparsity::Unstructured { percent: 50 }, include_bytes!("fixtures/prune/u50.fix")),
    (Sparsity::Unstructured { percent: 70 }, include_bytes!("fixtures/prune/u70.fix")),
];

/// SIMD pruning equals the reference bit for bit on every pattern it takes, on the fixtures'
/// inputs, crafted values and random tensors; and reproduces the numpy fixtures.
#[test]
fn simd_pruning_equals_the_reference() {
    let patterns = [
        Sparsity::NM { n: 1, m: 4 },
        Sparsity::NM { n: 2, m: 4 },
        Sparsity::NM { n: 3, m: 4 },
        Sparsity::NM { n: 1, m: 8 },
        Sparsity::NM { n: 4, m: 8 },
        Sparsity::NM { n: 7, m: 8 },
        Sparsity::Unstructured { percent: 1 },
        Sparsity::Unstructured { percent: 50 },
        Sparsity::Unstructured { percent: 70 },
        Sparsity::Unstructured { percent: 99 },
    ];
    let mut inputs: Vec<(String, Vec<f32>, usize)> = vec![
        ("crafted".into(), crafted(4096), 256),
        ("gaussian".into(), sample(Distribution::Gaussian, 1 << 14, 3), 4096),
        ("t3".into(), sample(Distribution::StudentT3, 1 << 12, 4), 64),
        ("ties".into(), ties(4096), 128),
    ];
    for (_, bytes) in PRUNE_FIXTURES {
        for c in fixtures::parse(bytes).into_iter().filter(|c| c.row % 8 == 0) {
            inputs.push((c.name.clone(), c.input, c.row));
        }
    }
    let mut failures = Vec::new();
    for s in patterns {
        for (name, x, row) in &inputs {
            assert!(prune_simd::simd(s, *row), "{s:?} at rows of {row} takes the SIMD path");
            let (mut a, mut b) = (vec![0f32; x.len()], vec![0f32; x.len()]);
            prune::prune(s, x, *row, &mut a);
            prune_simd::prune(s, x, *row, &mut b);
            if prune_simd::mask(s, x, *row) != prune::mask(s, x, *row) {
                failures.push(format!("{s:?} / {name}: the SIMD mask differs"));
            }
            if let Some(at) = a.iter().zip(&b).position(|(p, q)| p.to_bits() != q.to_bits()) {
                failures.push(format!("{s:?} / {name}: value {at}: SIMD {:?}, reference {:?}", b[at], a[at]));
            }
        }
    }
    for (s, bytes) in PRUNE_FIXTURES {
        for c in fixtures::parse(bytes) {
            let mut out = vec![0f32; c.input.len()];
            prune_simd::prune(*s, &c.input, c.row, &mut out);
            if let Some(at) = out.iter().zip(&c.dequant).position(|(p, q)| p.to_bits() != q.to_bits()) {
                failures.push(format!("{s:?} / {}: value {at} differs from the numpy fixture", c.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
