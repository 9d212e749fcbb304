#![cfg(target_arch = "wasm32")]
// THROWAWAY (helper): timing. Delete.
use bitbudget::core::quant::kernel;
use bitbudget::core::tensor::{sample, Distribution};
use core::arch::wasm32::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test as test;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
    #[wasm_bindgen(js_namespace = console)]
    fn log(s: &str);
}

fn best(mut f: impl FnMut()) -> f64 {
    (0..5)
        .map(|_| {
            let t = now();
            f();
            now() - t
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn timing() {
    let n = 1 << 24;
    let x = sample(Distribution::Gaussian, n, 1);
    let mut sink = 0f32;
    let t = best(|| {
        let mut acc = f32x4_splat(0.0);
        for c in x.chunks_exact(4) {
            acc = f32x4_add(acc, unsafe { v128_load(c.as_ptr().cast()) });
        }
        sink += f32x4_extract_lane::<0>(acc);
    });
    log(&format!("read-sum 64MiB: {:.0} Melem/s ({:.2} GB/s) {sink}", n as f64 / t / 1e3, n as f64 * 4.0 / t / 1e6));
    let ids = std::env::var("IDS").unwrap_or_default();
    let _ = ids;
    for id in ["q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "nf4", "mxfp4", "nvfp4"] {
        let k = kernel(id).unwrap();
        let f = k.fast().unwrap();
        let small = 1 << 16;
        let mut q = vec![0u8; k.body_len(n, 4096)];
        let tr = best(|| (k.quantize)(&x, 4096, 1.0, &mut q));
        let tf = best(|| (f.quantize)(&x, 4096, 1.0, &mut q));
        let tc = best(|| {
            for _ in 0..256 {
                (f.quantize)(&x[..small], 4096, 1.0, &mut q[..k.body_len(small, 4096)])
            }
        });
        let mut y = vec![0f32; n];
        let dr = best(|| (k.dequantize)(&q, 4096, 1.0, &mut y));
        let df = best(|| (f.dequantize)(&q, 4096, 1.0, &mut y));
        let m = |t: f64| n as f64 / t / 1e3;
        log(&format!(
            "{id:6} q ref {:5.0} simd {:5.0} in-cache {:5.0} | deq ref {:5.0} simd {:5.0}",
            m(tr),
            m(tf),
            m(tc),
            m(dr),
            m(df)
        ));
    }
}
