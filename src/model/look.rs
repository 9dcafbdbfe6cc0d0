//! How each label looks, in one table that the TUI, `newsnote show` and the HTML report all
//! render from.
//!
//! A look is data (a colour name and text attributes), not terminal or CSS code, so the three
//! renderers cannot drift apart. The codebook supplies each label's look
//! (`Codebook::look`); this module only defines what a look is.
//!
//! Each label owns a separate paint channel (in the default codebook: Source bold, Claim
//! underline, Boilerplate dim italic), so overlapping spans stay visible together, in colour
//! and without it. A span nested in (or touching) a span of the same label is painted with
//! the label's `nested` look, so the two stay apart (see `segments` for how depth is found).

/// Whether colour may be used on a terminal: `NO_COLOR` unset or empty
/// (<https://no-color.org>). Without it every look falls back to its plain attributes.
pub fn colour_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Colour names every renderer knows how to draw: a terminal's basic colours and a CSS
/// colour that reads on white paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Hue {
    Cyan,
    Blue,
    Yellow,
    Magenta,
    Gray,
    Green,
    Red,
    White,
}

impl Hue {
    /// Name used in the help legend and as a CSS custom property suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Hue::Cyan => "cyan",
            Hue::Blue => "blue",
            Hue::Yellow => "yellow",
            Hue::Magenta => "magenta",
            Hue::Gray => "gray",
            Hue::Green => "green",
            Hue::Red => "red",
            Hue::White => "white",
        }
    }

    /// The hue a nested span of this hue is painted in when the codebook names none.
    pub fn partner(self) -> Hue {
        match self {
            Hue::Cyan => Hue::Blue,
            Hue::Blue => Hue::Cyan,
            Hue::Yellow => Hue::Magenta,
            Hue::Magenta => Hue::Yellow,
            Hue::Gray => Hue::Green,
            Hue::Green => Hue::Gray,
            Hue::Red => Hue::Magenta,
            Hue::White => Hue::Gray,
        }
    }

    /// The SGR foreground code (30–37, 90 for gray).
    pub fn ansi_fg(self) -> u8 {
        match self {
            Hue::Cyan => 36,
            Hue::Blue => 34,
            Hue::Yellow => 33,
            Hue::Magenta => 35,
            Hue::Gray => 90,
            Hue::Green => 32,
            Hue::Red => 31,
            Hue::White => 37,
        }
    }

    /// A CSS colour dark enough for text and lines on white.
    pub fn css(self) -> &'static str {
        match self {
            Hue::Cyan => "#0b6e8a",
            Hue::Blue => "#1a56c4",
            Hue::Yellow => "#b58100",
            Hue::Magenta => "#a3218f",
            Hue::Gray => "#6e7781",
            Hue::Green => "#2e7d32",
            Hue::Red => "#c62828",
            Hue::White => "#57606a",
        }
    }
}

/// Text attributes, the part of a look that survives without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Attrs {
    pub bold: bool,
    pub underline: bool,
    pub italic: bool,
    pub dim: bool,
}

impl Attrs {
    pub const NONE: Attrs = Attrs { bold: false, underline: false, italic: false, dim: false };

    /// The SGR parameters of these attributes (`1;4`), empty for none.
    pub fn sgr(self) -> String {
        let codes = [(self.bold, "1"), (self.dim, "2"), (self.italic, "3"), (self.underline, "4")];
        codes.iter().filter(|(on, _)| *on).map(|(_, c)| *c).collect::<Vec<_>>().join(";")
    }

    /// Words for the legend: "bold underlined".
    pub fn describe(self) -> String {
        let words = [(self.bold, "bold"), (self.dim, "dim"), (self.italic, "italic"), (self.underline, "underlined")];
        let w: Vec<&str> = words.iter().filter(|(on, _)| *on).map(|(_, w)| *w).collect();
        if w.is_empty() { "plain".into() } else { w.join(" ") }
    }
}

/// One way of painting a span: with colour, and the attributes used when colour is off
/// (`NO_COLOR`), which must still tell the label apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Look {
    pub hue: Hue,
    /// Attributes painted with the colour.
    pub attrs: Attrs,
    /// Attributes painted when there is no colour.
    pub plain: Attrs,
}

impl Look {
    /// The attributes to paint with, given whether colour is on.
    pub fn attrs_for(self, colour: bool) -> Attrs {
        if colour { self.attrs } else { self.plain }
    }
}

/// Everything a renderer needs to paint one label.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LabelLook {
    /// A span at the outer level, or after a gap from the last span of its label.
    pub base: Look,
    /// A span inside, or right after, a span of the same label: another shade, so the two
    /// read as two.
    pub nested: Look,
    /// The attribute channel: spans of different channels are painted on top of each
    /// other, higher channels last (their colour wins).
    pub channel: usize,
    /// A CSS class name (`source`), also the HTML report's `data-label`.
    pub class: String,
    /// One letter for the sidebar and the list.
    pub letter: String,
    /// What the label marks, for legends.
    pub meaning: String,
}

impl LabelLook {
    pub fn shade(&self, nested: bool) -> Look {
        if nested { self.nested } else { self.base }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_of_the_default_codebook_is_told_apart_without_colour_and_each_nested_shade_differs() {
        let book = crate::model::codebook::Codebook::default_scheme();
        let looks: Vec<_> = book.legend().collect();
        for (i, (l, a)) in looks.iter().enumerate() {
            assert_ne!(a.base.plain, Attrs::NONE, "{}", l.id);
            assert_ne!(a.base.plain, a.nested.plain, "{}: nesting must show without colour", l.id);
            assert_ne!(a.base.hue, a.nested.hue, "{}: nesting must show in colour", l.id);
            for (m, b) in &looks[i + 1..] {
                assert_ne!(a.base.plain, b.base.plain, "{} and {} look alike without colour", l.id, m.id);
                assert_ne!(a.channel, b.channel);
            }
            assert!(a.channel < book.channels() && a.channel > 0, "channel 0 is the unknown label's");
        }
    }

    #[test]
    fn attributes_become_sgr_parameters_and_words() {
        let a = Attrs { bold: true, underline: true, ..Attrs::NONE };
        assert_eq!(a.sgr(), "1;4");
        assert_eq!(a.describe(), "bold underlined");
        assert_eq!(Attrs::NONE.sgr(), "");
        assert_eq!(Attrs::NONE.describe(), "plain");
    }
}
