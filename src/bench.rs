//! `bitbudget-bench`: quantize throughput per kernel, natively or in Node (scripts/bench
//! builds it three ways and compares). Prints one JSON line per kernel:
//! `{"id":"q8_0","elements":16777216,"ref_melem_s":…,"fast_melem_s":…|null}` (best of 3 runs),
//! after one `{"id":"copy","copy_gb_s":…}` line: a 256 MiB memory copy, the bandwidth anchor.
//! `prune+2:4`, `prune+4:8`, `prune+u50` time magnitude pruning alone (the reference,
//! `core::prune`, and the SIMD128 version, `core::prune_simd`, where it takes the pattern) on the
//! same rows, in the same line format.

use bitbudget::core::catalog::sparsity::Sparsity;
use bitbudget::core::kernels::quant::kernel;
use bitbudget::core::kernels::runner::time_quantize;
use bitbudget::core::kernels::tensor::{sample, Distribution, ROW};
use bitbudget::core::kernels::{prune, prune_simd};

/// The kernels the benchmark times by default.
const DEFAULT: &str =
    "f16,bf16,fp8_e4m3,fp8_e5m2,int8,int4_g128_asym,q8_0,q4_0,q4_1,q5_0,q5_1,q2_k,q3_k,q4_k,q5_k,q6_k,\
    iq4_nl,iq4_xs,nf4,mxfp4,nvfp4,prune+2:4,prune+4:8,prune+u50";

/// The machine's single-core memory bandwidth, as the physical anchor: the best of 3 copies of
/// 256 MiB (read + write = 512 MiB moved per copy), GB/s of bytes copied.
fn copy_gb_s(now: &dyn Fn() -> f64) -> f64 {
    let n = 256 << 20;
    let src: Vec<u8> = (0..n).map(|i| i as u8).collect();
    let mut dst = vec![1u8; n];
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        // black_box: the optimiser must neither hoist nor drop a copy nobody reads.
        let s = std::hint::black_box(&src);
        let t0 = now();
        std::hint::black_box(&mut dst).copy_from_slice(s);
        std::hint::black_box(&dst);
        best = best.min(now() - t0);
    }
    n as f64 / 1e6 / best.max(1e-6)
}

fn run(elements: usize, ids: &str, now: &dyn Fn() -> f64) -> String {
    let x = sample(Distribution::Gaussian, elements, 1);
    let mut lines = vec![format!("{{\"id\":\"copy\",\"copy_gb_s\":{:.2}}}", copy_gb_s(now))];
    let melem = |ms: f64| elements as f64 / 1e3 / ms.max(1e-6);
    for id in ids.split(',').filter(|s| !s.is_empty()) {
        // Pruning alone: `prune+2:4`.
        if let Some(Ok(sp)) = id.strip_prefix("prune+").map(Sparsity::parse) {
            let mut out = vec![0f32; elements];
            let mut best = |f: fn(Sparsity, &[f32], usize, &mut [f32])| {
                (0..3)
                    .map(|_| {
                        let t0 = now();
                        f(sp, std::hint::black_box(&x), ROW, &mut out);
                        std::hint::black_box(&out);
                        now() - t0
                    })
                    .fold(f64::INFINITY, f64::min)
            };
            let reference = melem(best(prune::prune));
            let fast = prune_simd::simd(sp, ROW).then(|| melem(best(prune_simd::prune)));
            lines.push(line(id, elements, reference, fast));
            continue;
        }
        let Some(k) = kernel(id) else {
            lines.push(format!("{{\"id\":\"{id}\",\"error\":\"unknown kernel\"}}"));
            continue;
        };
        let best =
            |fast: bool| (0..3).filter_map(|_| time_quantize(k, &x, ROW, fast, now).ok()).fold(f64::INFINITY, f64::min);
        let reference = melem(best(false));
        let fast = k.fast().map(|_| melem(best(true)));
        lines.push(line(id, elements, reference, fast));
    }
    lines.join("\n")
}

/// One kernel's JSON line.
fn line(id: &str, elements: usize, reference: f64, fast: Option<f64>) -> String {
    format!(
        "{{\"id\":\"{id}\",\"elements\":{elements},\"ref_melem_s\":{reference:.2},\"fast_melem_s\":{}}}",
        fast.map_or("null".to_string(), |f| format!("{f:.2}"))
    )
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let elements = arg("--elements").and_then(|v| v.parse().ok()).unwrap_or(1 << 24);
    let ids = arg("--formats").unwrap_or_else(|| DEFAULT.to_string());
    let start = std::time::Instant::now();
    println!("{}", run(elements, &ids, &|| start.elapsed().as_secs_f64() * 1e3));
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod node {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = performance)]
        fn now() -> f64;
    }

    /// Called by scripts/bench's Node driver.
    #[wasm_bindgen]
    pub fn bench(elements: usize, formats: &str) -> String {
        let ids = if formats.is_empty() { super::DEFAULT } else { formats };
        super::run(elements, ids, &now)
    }
}
