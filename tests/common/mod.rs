//! Helpers shared by the test crates; each crate uses a different subset.
#![allow(dead_code)]

pub mod pty;
pub mod samples;
pub mod shingles;
