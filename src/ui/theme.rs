//! Colours and text attributes of the TUI, in one place.
//!
//! Label looks come from the core's table (`model::look`), shared with `newsnote show` and the
//! HTML report; this module only turns them into ratatui styles. Everything else (borders,
//! selection, the status bar) is defined here.
//!
//! Without colour (`NO_COLOR` set and not empty, <https://no-color.org>) nothing is painted
//! with a colour at all: crossterm would write each colour as an empty SGR (`ESC[;m`), which
//! terminals read as a full reset, wiping the bold, underline and reverse just written. So
//! labels use their plain attributes and [`strip_colours`] turns what is left into attributes
//! (a background into reverse video, dark grey into dim) before the frame is written.

use crate::model::annotation::LabelId;
use crate::model::codebook::Codebook;
use crate::model::look::{Attrs, Hue, Look};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

pub const SOURCE: Color = Color::Cyan;

/// Whether colours may be used: `NO_COLOR` unset or empty.
pub fn colour_from_env() -> bool {
    crate::model::look::colour_wanted()
}

pub fn hue(h: Hue) -> Color {
    match h {
        Hue::Cyan => Color::Cyan,
        Hue::Blue => Color::LightBlue,
        Hue::Yellow => Color::Yellow,
        Hue::Magenta => Color::LightMagenta,
        Hue::Gray => Color::DarkGray,
        Hue::Green => Color::Green,
        Hue::Red => Color::LightRed,
        Hue::White => Color::White,
    }
}

pub fn modifiers(a: Attrs) -> Modifier {
    let mut m = Modifier::empty();
    for (on, bit) in [
        (a.bold, Modifier::BOLD),
        (a.underline, Modifier::UNDERLINED),
        (a.italic, Modifier::ITALIC),
        (a.dim, Modifier::DIM),
    ] {
        if on {
            m |= bit;
        }
    }
    m
}

/// Adds a look to `style`, keeping what other channels already set.
pub fn paint(style: Style, look: Look, colour: bool) -> Style {
    let style = style.add_modifier(modifiers(look.attrs_for(colour)));
    if colour { style.fg(hue(look.hue)) } else { style }
}

/// Adds a suggestion's look to `style`: its label's look faded (dim added), so an open
/// suggestion never looks like the same label accepted, with colour or without, and the
/// labels' own attributes still tell one proposed label from another. A look drawn dim
/// already is drawn without its dim instead, for the same reason.
pub fn paint_suggested(style: Style, look: Look, colour: bool) -> Style {
    let own = modifiers(look.attrs_for(colour));
    let m = if own.contains(Modifier::DIM) { own - Modifier::DIM } else { own | Modifier::DIM };
    let style = style.add_modifier(m);
    if colour { style.fg(hue(look.hue)) } else { style }
}

/// The `?` an open suggestion shows in the reading pane's margin, the sidebar and the status
/// bar.
pub const SUGGESTED: Style = Style::new().fg(Color::LightYellow).add_modifier(Modifier::BOLD);

/// A label's base look as a style of its own (sidebar letters, the legend).
pub fn label_style(cb: &Codebook, label: &LabelId) -> Style {
    paint(Style::new(), cb.look(label).base, true)
}

pub fn label_color(cb: &Codebook, label: &LabelId) -> Color {
    hue(cb.look(label).base.hue)
}

/// One-letter tag for lists: S, C, B (the codebook's letters).
pub fn label_letter<'a>(cb: &'a Codebook, label: &LabelId) -> &'a str {
    &cb.look(label).letter
}

pub fn focused_border(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::LightBlue).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

pub const SELECTION: Style = Style::new().bg(Color::Blue).fg(Color::White);
/// Without colour the selection is reverse video.
pub const SELECTION_PLAIN: Style = Style::new().add_modifier(Modifier::REVERSED);
/// Reverse video only: the annotation's colour and attributes under a match stay visible
/// (its colour becomes the match's background).
pub const SEARCH_MATCH: Style = Style::new().add_modifier(Modifier::REVERSED);
pub const CURRENT_ANNOTATION: Style = Style::new().bg(Color::Indexed(236));
pub const CURSOR: Style = Style::new().add_modifier(Modifier::REVERSED);
pub const HIGHLIGHT_ROW: Style = Style::new().bg(Color::Indexed(238)).add_modifier(Modifier::BOLD);

/// The selected row of a list: highlighted in the pane that has the focus, reversed in one
/// that has not, so the selection shows in both and tells which pane keys go to.
pub fn selected_row(focused: bool) -> Style {
    if focused { HIGHLIGHT_ROW } else { Style::new().add_modifier(Modifier::REVERSED) }
}
pub const DIM: Style = Style::new().fg(Color::DarkGray);
pub const ERROR: Style = Style::new().fg(Color::LightRed).add_modifier(Modifier::BOLD);
pub const OK: Style = Style::new().fg(Color::Green);

/// Makes a drawn frame colourless: every cell's colours reset, a background shown as reverse
/// video (selected rows), dark grey as dim (hints, unfocused borders). Called when colour is
/// off, after everything is drawn, so no widget can leak a colour into the output.
pub fn strip_colours(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        let mut m = cell.modifier;
        if cell.bg != Color::Reset {
            m |= Modifier::REVERSED;
        }
        if cell.fg == Color::DarkGray {
            m |= Modifier::DIM;
        }
        cell.modifier = m;
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
        cell.underline_color = Color::Reset;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::LabelId;
    use ratatui::layout::Rect;

    #[test]
    fn a_colourless_frame_keeps_every_distinction_as_an_attribute() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        buf[(0, 0)].set_symbol("é").set_style(HIGHLIGHT_ROW);
        buf[(1, 0)].set_symbol("中").set_style(DIM);
        buf[(2, 0)].set_symbol("ü").set_style(paint(
            Style::new(),
            Codebook::default_scheme().look(&LabelId::new("Claim")).base,
            false,
        ));
        strip_colours(&mut buf);
        let m = |x: u16| buf[(x, 0)].modifier;
        assert!(m(0).contains(Modifier::REVERSED | Modifier::BOLD));
        assert!(m(1).contains(Modifier::DIM));
        assert!(m(2).contains(Modifier::UNDERLINED));
        assert!(buf.content.iter().all(|c| c.fg == Color::Reset && c.bg == Color::Reset));
    }

    #[test]
    fn a_suggestion_never_looks_like_its_label_accepted_with_or_without_colour() {
        // Every label's look and nested shade of the default codebook, and a look that is
        // only dim (the nested boilerplate without colour), as codebooks may have.
        let cb = Codebook::default_scheme();
        let mut looks: Vec<Look> = cb
            .labels
            .iter()
            .flat_map(|l| {
                let look = cb.look(&LabelId::new(l.id.clone()));
                [look.base, look.nested]
            })
            .collect();
        let dim = Attrs { dim: true, ..Attrs::NONE };
        looks.push(Look { hue: Hue::Gray, attrs: dim, plain: dim });
        for look in looks {
            for colour in [true, false] {
                let accepted = paint(Style::new(), look, colour);
                let proposed = paint_suggested(Style::new(), look, colour);
                assert_ne!(accepted, proposed, "«{look:?}» colour {colour}");
                assert_eq!(accepted.fg, proposed.fg, "the label's colour is kept: it says which label is proposed");
            }
        }
    }
}
