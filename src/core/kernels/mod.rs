//! The numbers themselves: reference and SIMD quantizers, pruning, sample tensors, error metrics.

pub mod metrics;
pub mod prune;
pub mod prune_simd;
pub mod quant;
pub mod runner;
pub mod tensor;
