//! Detectors that propose annotations for a coder to accept or reject (issue 13).
//!
//! Each detector is a pure function of an article (its text, and a web page's blocks) that
//! returns proposals with a confidence and a reason, in the detector's own categories. They
//! know no label: the codebook says which of its labels and values a detector's categories
//! become, so a study's own codebook decides what is proposed: `propose` turns detector
//! output into annotations with status Proposed, which reach the file through the one save
//! path like any edit.

pub mod boilerplate;
pub mod outlet;
mod propose;
pub mod quotes;
pub mod review;
pub mod speakers;

pub use propose::{Ask, Detector, propose};
