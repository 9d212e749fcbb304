//! SIMD128 versions of the kernels, for wasm32 built with `+simd128`. Each must equal its
//! scalar reference on every byte (tests/wasm_simd.rs checks them in Node, on random, crafted
//! and fixture inputs). A fast kernel may hand any block it does not want to handle — NaN,
//! infinities, scales that overflow — to the reference, block by block. Elsewhere there are no
//! fast kernels and the references run.

use super::{DequantizeFn, QuantizeFn};

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) mod wasm;

#[derive(Clone, Copy)]
pub struct Fast {
    pub quantize: QuantizeFn,
    pub dequantize: DequantizeFn,
}

/// The fast path for a kernel id, if this build has one.
pub fn fast(id: &str) -> Option<Fast> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        wasm::table().iter().find(|(k, _)| *k == id).map(|(_, f)| *f)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        let _ = id;
        None
    }
}

/// The ids of this build's SIMD rows (for the test that each names a kernel, once).
pub fn fast_ids() -> Vec<&'static str> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        wasm::table().iter().map(|(k, _)| *k).collect()
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        Vec::new()
    }
}
