pub mod app;
pub mod export;
pub mod import;
pub mod model;
pub mod tui;
pub mod ui;
pub mod wrap;
