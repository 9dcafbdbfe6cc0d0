//! What `update` receives: a keymap [`Action`], or an event from outside the keymap.
//!
//! Keeping the two apart lets `Action` be plain data that a keymap file can name (it derives
//! serde and ordering honestly), while events carry what only the loop has: typed
//! characters, terminal sizes, mouse cells, and the typed result of a save.

use super::Action;
use crate::model::save::SaveReport;
use crate::model::store::StoreError;

/// Prompt editing keys: the line editor of the filter, search and note prompts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKey {
    /// Backspace: the grapheme before the cursor.
    Erase,
    /// Delete: the grapheme under the cursor.
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Ctrl-W: the word before the cursor.
    EraseWord,
    /// Ctrl-U: everything before the cursor.
    EraseToStart,
}

#[derive(Debug)]
pub enum Msg {
    /// A bound key (see the keymap).
    Action(Action),
    /// A printable character typed into a prompt.
    Type(char),
    /// Text pasted into a prompt at once.
    Paste(String),
    /// An editing key in a prompt.
    Prompt(PromptKey),
    /// The terminal changed size.
    Resize { width: u16, height: u16 },
    /// Mouse button pressed at a screen cell.
    Click { col: u16, row: u16 },
    /// Mouse moved with the button held.
    Drag { col: u16, row: u16 },
    /// Mouse button released.
    Release,
    /// Mouse wheel over a screen cell.
    Wheel { down: bool, col: u16, row: u16 },
    /// The loop performed a save `update` asked for.
    Saved { entry: usize, result: Result<SaveReport, StoreError> },
    /// The open article's annotation file changed on disk (another window, `git pull`,
    /// `newsnote tag`): the loop noticed it while idle.
    FileChanged,
    /// A job `update` started off the loop finished.
    Done(super::jobs::Done),
    /// The loop performed a registry save `update` asked for.
    EntitiesSaved(Result<crate::model::save::SaveReport<crate::model::entities::Entity>, StoreError>),
    /// The loop performed a progress-file save `update` asked for (the review pass's mark).
    ProgressSaved(Result<crate::model::save::SaveReport<crate::model::progress::Mark>, StoreError>),
}

impl From<Action> for Msg {
    fn from(a: Action) -> Self {
        Msg::Action(a)
    }
}
