//! Pure Rust: no yew, no web-sys, no js-sys. Everything here is tested natively.

pub mod accuracy;
pub mod chart;
pub mod claim;
pub mod devices;
pub mod explain;
pub mod export;
pub mod file_model;
pub mod files;
pub mod files_view;
pub mod footprint;
pub mod format;
pub mod i18n;
pub mod lab;
pub mod lab_view;
pub mod metrics;
pub mod model;
pub mod order;
pub mod quant;
pub mod report;
pub mod scenario;
pub mod scheme;
pub mod sparsity;
pub mod tensor;
pub mod tradeoff;
pub mod training;
pub mod units;
