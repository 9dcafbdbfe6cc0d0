pub mod app;
pub mod model;
pub mod tui;
pub mod ui;
pub mod wrap;
