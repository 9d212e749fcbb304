//! Bytes: weights, KV cache, runtime, training state.

pub mod footprint;
pub mod offload;
pub mod runtime;
pub mod training;
