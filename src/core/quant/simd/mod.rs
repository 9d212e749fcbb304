//! SIMD128 versions of the kernels, for wasm32 built with `+simd128`. Each must equal its
//! scalar reference on every byte (tests/wasm_simd.rs checks them in Node); elsewhere there are
//! none and the references run.

use super::{DequantizeFn, QuantizeFn};

#[derive(Clone, Copy)]
pub struct Fast {
    pub quantize: QuantizeFn,
    pub dequantize: DequantizeFn,
}

/// The fast path for a kernel id, if this build has one.
pub fn fast(id: &str) -> Option<Fast> {
    let _ = id;
    None
}
