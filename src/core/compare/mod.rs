//! Configurations against one another: the curves, best for a budget, size parity, claims.

pub mod claim;
pub mod parity;
pub mod tradeoff;
