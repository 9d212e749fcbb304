//! The shareable state: the scenario, its link codec and its edits.

pub mod link;
pub mod scenario;
pub mod target;
