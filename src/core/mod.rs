//! Pure Rust: no yew, no web-sys, no js-sys. Everything here is tested natively.

pub mod devices;
pub mod footprint;
pub mod format;
pub mod model;
pub mod report;
pub mod scenario;
pub mod scheme;
pub mod units;
