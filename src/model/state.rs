//! newsnote's own state folder: where a person's place and rescue copies go, never the corpus.

use std::path::PathBuf;

/// `NEWSNOTE_STATE_DIR` when set (tests, or a person who wants it elsewhere), else
/// `$XDG_STATE_HOME/newsnote` (or the platform's data folder).
pub fn state_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("NEWSNOTE_STATE_DIR") {
        return Some(PathBuf::from(d));
    }
    use etcetera::BaseStrategy;
    let s = etcetera::choose_base_strategy().ok()?;
    Some(s.state_dir().unwrap_or_else(|| s.data_dir()).join("newsnote"))
}
