//! Colours and text attributes, in one place.
//!
//! Each label owns a different attribute channel (Source: colour + bold, Claim: underline,
//! Boilerplate: dim italic) so that nested and overlapping spans stay visible at once: a
//! source inside a claim is cyan, bold *and* underlined.

use crate::model::annotation::Label;
use ratatui::style::{Color, Modifier, Style};

pub const SOURCE: Color = Color::Cyan;
pub const CLAIM: Color = Color::Yellow;
pub const BOILERPLATE: Color = Color::DarkGray;

/// Adds a label's look to `style`, keeping what other labels already set.
pub fn paint(style: Style, label: Label) -> Style {
    match label {
        Label::Boilerplate(_) => style.fg(BOILERPLATE).add_modifier(Modifier::ITALIC),
        Label::Claim => style.fg(CLAIM).add_modifier(Modifier::UNDERLINED),
        Label::Source => style.fg(SOURCE).add_modifier(Modifier::BOLD),
    }
}

/// Order in which overlapping labels are painted: later ones win the colour.
pub fn paint_order(label: Label) -> u8 {
    match label {
        Label::Boilerplate(_) => 0,
        Label::Claim => 1,
        Label::Source => 2,
    }
}

pub fn label_color(label: Label) -> Color {
    match label {
        Label::Source => SOURCE,
        Label::Claim => CLAIM,
        Label::Boilerplate(_) => Color::Gray,
    }
}

/// One-letter tag for lists: S, C, B.
pub fn label_letter(label: Label) -> &'static str {
    match label {
        Label::Source => "S",
        Label::Claim => "C",
        Label::Boilerplate(_) => "B",
    }
}

pub fn focused_border(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::LightBlue).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

pub const SELECTION: Style = Style::new().bg(Color::Blue).fg(Color::White);
pub const SEARCH_MATCH: Style = Style::new().bg(Color::Yellow).fg(Color::Black);
pub const CURRENT_ANNOTATION: Style = Style::new().bg(Color::Indexed(236));
pub const CURSOR: Style = Style::new().add_modifier(Modifier::REVERSED);
pub const HIGHLIGHT_ROW: Style = Style::new().bg(Color::Indexed(238)).add_modifier(Modifier::BOLD);
pub const DIM: Style = Style::new().fg(Color::DarkGray);
pub const ERROR: Style = Style::new().fg(Color::LightRed).add_modifier(Modifier::BOLD);
pub const OK: Style = Style::new().fg(Color::Green);
