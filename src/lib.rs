//! bitbudget: how many bytes a model needs at a given precision, and what the precision costs.

pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod ui;
