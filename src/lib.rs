pub mod app;
pub mod brat;
pub mod cli;
pub mod export;
/// The test harness: not public API. Tests, benches, examples and the fuzz target turn on the
/// `harness` feature (the crate's dev-dependency on itself does, for all but fuzz/); a build
/// of the library or the binary does not have it.
#[cfg(feature = "harness")]
#[doc(hidden)]
pub mod headless;
pub mod import;
pub mod model;
pub mod search;
pub mod tui;
pub mod ui;
pub mod wrap;
