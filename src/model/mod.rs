//! The core: articles, annotations, their files and text navigation.
//!
//! Nothing here knows about terminals (no ratatui, no crossterm), so the TUI, the CLI and
//! the exporters all share one model, as helix-core does for helix.

pub mod adjudicate;
pub mod agree;
pub mod anchor;
pub mod annotation;
pub mod article;
pub mod check;
pub mod codebook;
pub mod container;
pub mod corpus;
pub mod display;
pub mod document;
pub mod entities;
pub mod fsio;
pub mod html;
pub mod load;
pub mod look;
pub mod merge;
pub mod meta;
pub mod motion;
pub mod owner;
pub mod picture;
pub mod progress;
pub mod quote;
pub mod rescue;
pub mod review;
pub mod save;
pub mod segments;
pub mod state;
pub mod store;
pub mod suggest;
pub mod team;
pub mod units;
pub mod warc;
