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
    InnerWord,
    AroundWord,
    InnerParagraph,
    AroundParagraph,
}

/// vim's character finds: `f` `t` `F` `T`, waiting for the character to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FindKind {
    Forward,
    Till,
    Backward,
    TillBackward,
}

/// A label to change an annotation to (the relabel menu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LabelChoice {
    Source,
    Claim,
    Boilerplate(BoilerplateKind),
}

impl LabelChoice {
    pub fn label(self) -> crate::model::annotation::Label {
        use crate::model::annotation::Label;
        match self {
            LabelChoice::Source => Label::Source,
            LabelChoice::Claim => Label::Claim,
            LabelChoice::Boilerplate(k) => Label::Boilerplate(k),
        }
    }
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
    /// In the source picker: add the chosen source to the claim's sources (a claim may have
    /// several), instead of replacing them.
    AddSource,
    /// With a selection: move the annotation chosen in the `!` list (Enter) onto it.
    Retarget,
    /// Change the label of the annotation under the cursor, keeping its id, note and links.
    OpenRelabel,
    /// In the relabel menu: the new label.
    Relabel(LabelChoice),
    /// Grow / shrink the annotation under the cursor by a word at its end or its start.
    GrowEnd,
    ShrinkEnd,
    GrowStart,
    ShrinkStart,
    /// Jump to the next / previous annotation in the text.
    NextAnnotation,
    PrevAnnotation,
    /// Jump to the next / previous claim without a source.
    NextUnsourced,
    PrevUnsourced,
    /// Jump to the next / previous quotation no claim covers yet.
    NextUntagged,
    PrevUntagged,
    /// Sidebar: show only sources, claims, boilerplate, unsourced claims, what needs
    /// attention, or everything (each press moves to the next).
    CycleSidebarFilter,
    /// Wait for a character, then move to it on the line (`f`, `t`, `F`, `T`).
    FindChar(FindKind),
    /// Repeat the last character find (`;`), or the other way (`,`).
    RepeatFind,
    RepeatFindBack,
    /// Swap the ends of the selection (vim's `o`).
    SwapSelectionEnds,
    /// Copy the selection, or the quote of the annotation under the cursor, to the clipboard.
    CopyQuote,
    /// Copy the id of the annotation under the cursor to the clipboard.
    CopyId,
    /// Hide the list and the sidebar to give the text the whole width, or bring them back.
    ToggleZoom,
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
            Select(TextObject::InnerWord) => "select the word".into(),
            Select(TextObject::AroundWord) => "select the word and a space".into(),
            Select(TextObject::InnerParagraph) => "select the paragraph".into(),
            Select(TextObject::AroundParagraph) => "select the paragraph and the blank after it".into(),
            FindChar(FindKind::Forward) => "to the next character typed (on the line)".into(),
            FindChar(FindKind::Till) => "to just before the next character typed".into(),
            FindChar(FindKind::Backward) => "back to the character typed".into(),
            FindChar(FindKind::TillBackward) => "back to just after the character typed".into(),
            RepeatFind => "repeat the last f/t/F/T".into(),
            RepeatFindBack => "repeat the last f/t/F/T the other way".into(),
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
            Retarget => "move the annotation chosen in ! (Enter) onto the selection".into(),
            AddSource => "add as another source of the claim".into(),
            OpenRelabel => "change the label (keeps id, note, links)".into(),
            Relabel(c) => format!("make it {}", c.label()),
            GrowEnd => "grow the span by a word at its end".into(),
            ShrinkEnd => "shrink the span by a word at its end".into(),
            GrowStart => "grow the span by a word at its start".into(),
            ShrinkStart => "shrink the span by a word at its start".into(),
            NextAnnotation => "next annotation".into(),
            PrevAnnotation => "previous annotation".into(),
            NextUnsourced => "next claim without a source".into(),
            PrevUnsourced => "previous claim without a source".into(),
            NextUntagged => "next quotation not yet tagged".into(),
            PrevUntagged => "previous quotation not yet tagged".into(),
            CycleSidebarFilter => "filter: sources, claims, boilerplate, unsourced, attention, all".into(),
            SwapSelectionEnds => "swap the selection's ends".into(),
            CopyQuote => "copy the selection / quote to the clipboard".into(),
            CopyId => "copy the annotation's id to the clipboard".into(),
            ToggleZoom => "zoom: hide / show the list and sidebar".into(),
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
