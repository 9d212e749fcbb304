//! Derived results as display-ready text and geometry: the table, charts, explainer, exports.

pub mod chart;
pub mod explain;
pub mod export;
pub mod files_view;
pub mod lab_view;
pub mod labels;
pub mod report;
