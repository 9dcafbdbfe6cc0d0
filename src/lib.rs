pub mod app;
pub mod cli;
pub mod export;
pub mod import;
pub mod model;
pub mod tui;
pub mod ui;
pub mod wrap;
