//! Text and numbers: the two languages, counts and sizes parsed and written, the one sort.

pub mod i18n;
pub mod order;
pub mod units;
