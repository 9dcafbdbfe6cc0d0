//! Everything the user can ask for, as data.
//!
//! Keys never call code directly: the keymap turns them into an [`Action`], `update` turns an
//! action into a state change (and maybe a save request). Actions are serde-named so the
//! keymap file can name them and the help overlay can describe them.

use crate::model::annotation::BoilerplateKind;
use serde::{Deserialize, Serialize};

/// Cursor motions in the reading pane. Every one extends a selection when one is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Motion {
    Left,
    Right,
    Down,
    Up,
    WordForward,
    WordBack,
    WordEnd,
    SentenceForward,
    SentenceBack,
    ParagraphForward,
    ParagraphBack,
    LineStart,
    LineEnd,
    Top,
    Bottom,
    PageDown,
    PageUp,
    NextQuote,
    PrevQuote,
}

/// Text objects that replace the selection (vim's `is`, `iq`, `aq`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TextObject {
    Sentence,
    InnerQuote,
    AroundQuote,
}

/// Labels a selection can be tagged with directly (boilerplate goes through the kind menu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TagAs {
    Source,
    Claim,
}

/// Declaration order is the order of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    /// Leave newsnote. Nothing is lost: every change is already saved.
    Quit,
    /// In the quit dialog after a failed save: quit anyway, losing what it names (a copy is
    /// attempted in newsnote's state folder).
    DiscardAndQuit,
    /// Move the focus to the next / previous pane.
    FocusNext,
    FocusPrev,
    /// Show or hide the key overlay.
    ToggleHelp,

    /// Article list: move the selection.
    ListDown,
    ListUp,
    ListTop,
    ListBottom,
    /// Open the selected article in the reading pane.
    OpenArticle,
    /// Type a filter for the article list.
    StartFilter,
    /// Type a literal to find in every article's text: the list keeps those that contain it.
    StartCorpusSearch,

    /// Move the cursor (extends the selection in visual mode).
    Move(Motion),
    /// Scroll the reading pane without moving the text under the cursor.
    ScrollDown,
    ScrollUp,
    /// Type a search in the article; n / N repeat it.
    StartSearch,
    SearchNext,
    SearchPrev,
    /// Start a selection at the cursor.
    StartSelection,
    /// Drop the selection, close a menu or prompt.
    Cancel,
    /// Select a text object around the cursor.
    Select(TextObject),
    /// Tag the selection.
    Tag(TagAs),
    /// Tag the selection as boilerplate: opens the kind menu.
    OpenKindMenu,
    /// Tag the selection as boilerplate of this kind.
    TagBoilerplate(BoilerplateKind),

    /// On the current annotation: link a claim to its source.
    Attribute,
    /// On the current annotation: add or edit its note.
    EditNote,
    /// On the current annotation: delete it.
    Delete,
    /// Undo / redo the last change (saved at once either way).
    Undo,
    Redo,

    /// Sidebar: move the selection.
    SidebarDown,
    SidebarUp,
    /// Sidebar: show the selected annotation in the text.
    JumpToAnnotation,

    /// Menus (kind menu, source picker): move and choose.
    MenuDown,
    MenuUp,
    MenuChoose,

    /// Open the list of annotations that need attention (re-anchored, conflicting).
    OpenAttention,
    /// Attention list: accept where re-anchoring put the annotation.
    Confirm,
    /// Attention list: accept every annotation that moved with its text unchanged.
    ConfirmAllMoved,
    /// Attention list: resolve a conflict with my version.
    KeepMine,
    /// Attention list: resolve a conflict with the other writer's version (already on disk).
    KeepTheirs,
    /// With a selection: move the annotation selected in the sidebar onto it.
    Retarget,
    /// Show the messages of this session, earlier ones too (the status bar shows only the
    /// last, and cuts it to fit).
    ShowMessages,
}

impl Action {
    /// One line for the help overlay.
    pub fn describe(&self) -> String {
        use Action::*;
        match self {
            Quit => "quit (everything is already saved)".into(),
            DiscardAndQuit => "quit, losing the changes a failed save could not write".into(),
            FocusNext => "focus next pane".into(),
            FocusPrev => "focus previous pane".into(),
            ToggleHelp => "show / hide this help".into(),
            ListDown => "next article".into(),
            ListUp => "previous article".into(),
            ListTop => "first article".into(),
            ListBottom => "last article".into(),
            OpenArticle => "open article".into(),
            StartFilter => "filter the list by title".into(),
            StartCorpusSearch => "find in all articles' text".into(),
            Move(m) => describe_motion(*m).into(),
            ScrollDown => "scroll down".into(),
            ScrollUp => "scroll up".into(),
            StartSearch => "search in the article".into(),
            SearchNext => "next match".into(),
            SearchPrev => "previous match".into(),
            StartSelection => "start a selection".into(),
            Cancel => "cancel / close / clear filter".into(),
            Select(TextObject::Sentence) => "select the sentence".into(),
            Select(TextObject::InnerQuote) => "select inside the quotation marks".into(),
            Select(TextObject::AroundQuote) => "select the quotation with its marks".into(),
            Tag(TagAs::Source) => "tag selection as Source".into(),
            Tag(TagAs::Claim) => "tag selection as Claim".into(),
            OpenKindMenu => "tag selection as Boilerplate (choose kind)".into(),
            TagBoilerplate(k) => format!("boilerplate: {}", k.describe()),
            Attribute => "attribute claim to a source".into(),
            EditNote => "add / edit note".into(),
            Delete => "delete annotation".into(),
            Undo => "undo".into(),
            Redo => "redo".into(),
            SidebarDown => "next annotation".into(),
            SidebarUp => "previous annotation".into(),
            JumpToAnnotation => "show annotation in the text".into(),
            MenuDown => "menu: down".into(),
            MenuUp => "menu: up".into(),
            MenuChoose => "menu: choose".into(),
            OpenAttention => "list what needs attention".into(),
            Confirm => "confirm the new place".into(),
            ConfirmAllMoved => "confirm all moved ones".into(),
            KeepMine => "conflict: keep mine".into(),
            KeepTheirs => "conflict: keep theirs".into(),
            Retarget => "re-target the sidebar's annotation here".into(),
            ShowMessages => "show earlier messages".into(),
        }
    }
}

fn describe_motion(m: Motion) -> &'static str {
    use Motion::*;
    match m {
        Left => "left",
        Right => "right",
        Down => "down a line",
        Up => "up a line",
        WordForward => "next word",
        WordBack => "previous word start",
        WordEnd => "word end",
        SentenceForward => "next sentence",
        SentenceBack => "sentence start / previous sentence",
        ParagraphForward => "next paragraph",
        ParagraphBack => "paragraph start / previous paragraph",
        LineStart => "start of line",
        LineEnd => "end of line",
        Top => "top of the article",
        Bottom => "end of the article",
        PageDown => "page down",
        PageUp => "page up",
        NextQuote => "next quotation",
        PrevQuote => "previous quotation",
    }
}
