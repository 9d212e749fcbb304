//! The page, in Yew. No arithmetic here beyond laying out what `core::report` computed.

mod accuracy_chart;
mod app;
mod budget;
mod catalogue;
mod claim;
mod config_card;
mod dom;
mod explainer;
mod export;
mod field;
mod files;
mod lab;
mod lab_worker;
mod lang;
mod method;
mod model_source;
mod notices;
mod parity;
mod results;
mod settle;
mod state;
mod summary;
mod tradeoffs;
mod training;

pub use app::App;
