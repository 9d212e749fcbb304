//! The page, in Yew. No arithmetic here beyond laying out what `core::report` computed.

mod app;
mod budget;
mod catalogue;
mod config_card;
mod dom;
mod field;
mod lab;
mod lab_worker;
mod notices;
mod results;
mod state;

pub use app::App;
