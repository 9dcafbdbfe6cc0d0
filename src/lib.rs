pub mod model;
pub mod app;
pub mod wrap;
pub mod ui;
pub mod tui;
