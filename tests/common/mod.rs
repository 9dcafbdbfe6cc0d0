//! Helpers shared by the end-to-end test crates; each crate uses a different subset.
#![allow(dead_code)]

pub mod pty;
