//! Everything the user can ask for, as data.
//!
//! Keys never call code directly: the keymap turns them into an [`Action`], `update` turns an
//! action into a state change (and maybe a save request). Actions are serde-named so the
//! keymap file can name them and the help overlay can describe them.

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
    /// Order the list by the next of: id, date (newest first), outlet.
    ListSort,
    /// Mark the article (selected in the list, or open) done for the coder, or not done
    /// any more; saved at once to the coder's progress file.
    ToggleDone,

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
    /// Tag the selection with this label of the codebook (bound to the label's key from the
    /// codebook; a label with an attribute asked on tagging opens its value menu).
    Tag(String),
    /// With a selection: add it as another fragment of the annotation selected in the
    /// sidebar (a quote interrupted by "he said" is one annotation).
    AddFragment,

    /// On the current annotation: link it by the codebook's relation (a claim to its
    /// source), or attach it to the annotation it belongs to (a cue to its claim).
    Attribute,
    /// On the current annotation: set or change one of its attributes (a menu, one key per
    /// attribute, then one key per value).
    OpenAttributes,
    /// Show the codebook: every label, attribute, relation and key.
    ShowCodebook,
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
    /// Grow / shrink the annotation under the cursor by a word at its end or its start.
    GrowEnd,
    ShrinkEnd,
    GrowStart,
    ShrinkStart,
    /// Jump to the next / previous annotation in the text.
    NextAnnotation,
    PrevAnnotation,
    /// Jump to the next / previous annotation missing a link the codebook requires (a claim
    /// without a source).
    NextUnsourced,
    PrevUnsourced,
    /// Jump to the next / previous quotation no claim covers yet.
    NextUntagged,
    PrevUntagged,
    /// Sidebar: show only one label of the codebook (each in turn), what misses a required
    /// link (claims without a source), what needs attention, the open suggestions, or everything.
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
    /// Open the entities view: every entity of the corpus with its mentions and claims.
    OpenEntities,
    /// Entities view: expand an entity's mentions, or open the article of a mention.
    EntityExpand,
    /// Entities view: fold the expanded entity's mentions.
    EntityCollapse,
    /// Entities view: show only entities with one value of an entity attribute.
    EntityFilterAttribute,
    /// Entities view: rename the entity (the old name stays an alias).
    EntityRename,
    /// Entities view: add an alias (on a mention: its words).
    EntityAlias,
    /// Entities view: mark the entity to merge (or, while splitting, choose a mention).
    EntityMark,
    /// Entities view: merge the marked entity into this one.
    EntityMerge,
    /// Entities view: split chosen mentions off into a new entity.
    EntitySplit,
    /// Entities view: set the Wikidata id.
    EntityWikidata,
    /// Entities view: set the entity's note.
    EntityNote,
    /// Entities view: read every annotation file again.
    EntityRefresh,
    /// Leave the entities view.
    CloseEntities,
    /// Entities view: filter by name or alias as you type.
    EntityFilter,
    /// Link the source under the cursor to an entity (or change its entity).
    LinkEntity,
    /// Entity picker: a new entity from the mention's words, linked.
    NewEntity,
    /// Entity picker: leave the mention without an entity.
    UnlinkEntity,
    /// Entity picker: add the mention's words as an alias of its entity.
    AliasEntity,
    /// Sidebar: group the sources by entity, and back.
    GroupByEntity,

    /// Jump to the next / previous open suggestion (a detector's proposal not yet
    /// accepted or rejected) and select it.
    NextSuggestion,
    PrevSuggestion,
    /// Accept the suggestion under the cursor (or the sidebar's), with the cue and source a
    /// claim links to; then on to the next suggestion.
    AcceptSuggestion,
    /// Reject the suggestion under the cursor (or the sidebar's), with the cue and source
    /// only it links to; then on to the next suggestion.
    RejectSuggestion,
    /// Accept / reject every open suggestion of the same label and kind in the article.
    AcceptAlike,
    RejectAlike,
    /// Accept / reject every open suggestion in the article.
    AcceptAll,
    RejectAll,
    /// Run the detectors (boilerplate, quotes) on the open article: what they find that the
    /// file does not hold yet becomes open suggestions.
    Propose,

    /// Adjudication: to the next / previous disagreement not yet resolved.
    NextDisagreement,
    PrevDisagreement,
    /// Adjudication: take coder N's version (1 is the first coder) of the unit at the cursor
    /// into gold, a claim with its cue and source.
    TakeCoder(u8),
    /// Adjudication: take every coder's version of the unit (each alike one once).
    TakeAll,
    /// Adjudication: take no version: gold keeps the unit declined.
    TakeNone,
    /// Adjudication: take every unit where all coders agree.
    TakeAgreements,
    /// Adjudication: mark the article adjudicated in the gold folder, or unmark it.
    ToggleAdjudicated,
    /// The review pass (`R` in the reader): its own mode, one annotation at a time.
    StartReview,
    ReviewNext,
    ReviewPrev,
    ReviewNextUnreviewed,
    ReviewApprove,
    ReviewDispute,
    ReviewComment,
    ReviewScope,
    ReviewMark,
    ReviewLeave,
    /// Open the stats view: the project's figures in charts (or close it).
    OpenStats,
    /// Stats view: the next / previous chart.
    StatsNext,
    StatsPrev,
    /// Leave the stats view.
    CloseStats,
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
            StartFilter => "filter the list: words, outlet:, date:, from:, to:".into(),
            StartCorpusSearch => "find in all articles' text".into(),
            ListSort => "order the list: by id, newest first, by outlet".into(),
            ToggleDone => "mark the article done for you (the coder), or not done".into(),
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
            Tag(label) => format!("tag selection as {label}"),
            AddFragment => "add the selection as a fragment of the selected annotation".into(),
            Attribute => "attribute to a source / attach to its claim".into(),
            OpenAttributes => "set an attribute (quote type, kind…)".into(),
            ShowCodebook => "show the codebook: labels, attributes, keys".into(),
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
            GrowEnd => "grow the span by a word at its end".into(),
            ShrinkEnd => "shrink the span by a word at its end".into(),
            GrowStart => "grow the span by a word at its start".into(),
            ShrinkStart => "shrink the span by a word at its start".into(),
            NextAnnotation => "next annotation".into(),
            PrevAnnotation => "previous annotation".into(),
            NextUnsourced => "next annotation missing a link (claim without source)".into(),
            PrevUnsourced => "previous annotation missing a link".into(),
            NextUntagged => "next quotation not yet tagged".into(),
            PrevUntagged => "previous quotation not yet tagged".into(),
            CycleSidebarFilter => "filter: each label, missing a link, attention, suggestions, all".into(),
            SwapSelectionEnds => "swap the selection's ends".into(),
            CopyQuote => "copy the selection / quote to the clipboard".into(),
            CopyId => "copy the annotation's id to the clipboard".into(),
            ToggleZoom => "zoom: hide / show the list and sidebar".into(),
            ShowMessages => "show earlier messages".into(),
            OpenEntities => "entities: who is quoted, across the corpus".into(),
            EntityExpand => "show its mentions / open the mention's article".into(),
            EntityCollapse => "hide the mentions".into(),
            EntityFilterAttribute => "only entities with a value (attribute, then value key)".into(),
            EntityRename => "rename (the old name stays an alias)".into(),
            EntityAlias => "add an alias (on a mention: its words)".into(),
            EntityMark => "mark for a merge / choose a mention to split off".into(),
            EntityMerge => "merge the marked entity into this one".into(),
            EntitySplit => "split: choose mentions, then name the new entity".into(),
            EntityWikidata => "set the Wikidata id".into(),
            EntityNote => "set the entity's note".into(),
            EntityRefresh => "read every annotation file again".into(),
            CloseEntities => "close the entities view".into(),
            EntityFilter => "filter entities by name or alias".into(),
            LinkEntity => "who is this source: link it to an entity".into(),
            NewEntity => "a new entity from the mention, linked".into(),
            UnlinkEntity => "unlink the mention from its entity".into(),
            AliasEntity => "add the mention's words as an alias of its entity".into(),
            GroupByEntity => "group the sources by entity / back".into(),
            NextSuggestion => "next suggestion to decide (a claim with its cue and source is one)".into(),
            PrevSuggestion => "previous suggestion".into(),
            AcceptSuggestion => "accept the suggestion (a claim with its cue, source), go to the next".into(),
            RejectSuggestion => "reject the suggestion (a claim with its cue, source), go to the next".into(),
            AcceptAlike => "accept every suggestion of this label and kind".into(),
            RejectAlike => "reject every suggestion of this label and kind".into(),
            AcceptAll => "accept every suggestion in the article".into(),
            RejectAll => "reject every suggestion in the article".into(),
            Propose => "suggest: run the detectors on the article".into(),
            NextDisagreement => "next disagreement not yet resolved".into(),
            PrevDisagreement => "previous disagreement not yet resolved".into(),
            TakeCoder(n) => format!("take coder {n}'s version (a claim with its cue, source)"),
            TakeAll => "take both / all coders' versions".into(),
            TakeNone => "take no version (gold keeps it declined)".into(),
            TakeAgreements => "take every unit where all coders agree".into(),
            ToggleAdjudicated => "mark the article adjudicated / not".into(),
            StartReview => "review pass: approve, dispute, comment each annotation".into(),
            ReviewNext => "review: next annotation".into(),
            ReviewPrev => "review: previous annotation".into(),
            ReviewNextUnreviewed => "review: next annotation without a verdict".into(),
            ReviewApprove => "approve (an open suggestion is accepted), go to the next".into(),
            ReviewDispute => "dispute (an open suggestion is rejected), go to the next".into(),
            ReviewComment => "comment (recorded alone, or with the verdict given next)".into(),
            ReviewScope => "review: all, only suggestions, each coder's, only unreviewed".into(),
            ReviewMark => "mark the article reviewed / take the mark away".into(),
            ReviewLeave => "leave the review pass".into(),
            OpenStats => "stats: the project's figures in charts".into(),
            StatsNext => "next chart".into(),
            StatsPrev => "previous chart".into(),
            CloseStats => "close the stats view".into(),
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
