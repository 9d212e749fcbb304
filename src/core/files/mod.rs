//! Tensor files read locally: headers first, data only when asked.

pub mod npy;
