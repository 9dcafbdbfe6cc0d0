//! `brat` export (being written).

use super::ExportArticle;
use std::path::PathBuf;

pub fn render(_articles: &[ExportArticle]) -> Vec<(PathBuf, Vec<u8>)> {
    Vec::new()
}
