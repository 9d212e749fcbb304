//! Pure Rust: no yew, no web-sys, no js-sys. Everything here is tested natively.

pub mod catalog;
pub mod compare;
pub mod estimate;
pub mod files;
pub mod kernels;
pub mod lab;
pub mod memory;
pub mod state;
pub mod text;
pub mod view;

/// The layers, lowest first: a module imports from its own layer and the ones before it here,
/// never a later one, and no two modules import each other (`tests/layers.rs` reads every path a
/// core file names and fails otherwise).
pub const LAYERS: [&str; 10] =
    ["text", "catalog", "kernels", "memory", "estimate", "files", "lab", "state", "compare", "view"];
