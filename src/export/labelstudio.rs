//! `labelstudio` export (being written).

use super::ExportArticle;

pub fn render(_articles: &[ExportArticle]) -> String {
    String::new()
}
