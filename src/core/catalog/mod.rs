//! What can be chosen: element formats, whole-model schemes, models, devices, pruning as storage.

pub mod devices;
pub mod format;
pub mod model;
pub mod scheme;
pub mod sparsity;
