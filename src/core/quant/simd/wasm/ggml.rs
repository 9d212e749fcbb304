//! SIMD128 kernels (see ../mod.rs).

use super::Fast;

pub const ROWS: &[(&str, Fast)] = &[];
