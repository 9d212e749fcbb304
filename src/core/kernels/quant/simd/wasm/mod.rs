//! The SIMD128 kernels, one file per family; each file lists its kernels in `ROWS`.

use std::sync::OnceLock;

use super::Fast;

mod float;
mod ggml;
mod int;
mod iq_lattice;
mod iquants;
mod kquants;
mod mx;
mod nf4;

/// (kernel id, fast pair), from every family file.
pub fn table() -> &'static [(&'static str, Fast)] {
    static TABLE: OnceLock<Vec<(&'static str, Fast)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        [float::ROWS, int::ROWS, ggml::ROWS, kquants::ROWS, iquants::ROWS, iq_lattice::ROWS, mx::ROWS, nf4::ROWS]
            .concat()
    })
}
