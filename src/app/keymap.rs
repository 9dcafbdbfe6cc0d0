//! Keys → actions, per mode, from a RON file.
//!
//! The default map is embedded from `assets/keymap.ron`; a user file
//! (`$XDG_CONFIG_HOME/newsnote/keymap.ron`, or `--keymap FILE`) overlays it binding by
//! binding. A binding is a key sequence in vim notation: plain characters (`j`, `G`, `]q`,
//! `iq`) and named keys in angle brackets (`<enter>`, `<esc>`, `<tab>`, `<s-tab>`, `<c-r>`,
//! `<pgdown>`, `<up>`, `<space>`). The help overlay is generated from the same map, so it
//! cannot drift from what the keys do.

use super::action::Action;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.ron");

/// Input modes, each with its own bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    List,
    Reader,
    Visual,
    Sidebar,
    Values,
    Picker,
    Attention,
    Help,
    Relabel,
    /// The entities view (`E`).
    Entities,
    /// The entity picker (after tagging a source, or `@`).
    Entity,
    /// Adjudication (`newsnote adjudicate`): over the reading pane's and the sidebar's keys.
    Adjudicate,
    /// The review pass (`R`).
    Review,
    /// The stats view (`S`).
    Stats,
}

impl Mode {
    pub const ALL: [Mode; 14] = [
        Mode::List,
        Mode::Reader,
        Mode::Visual,
        Mode::Sidebar,
        Mode::Values,
        Mode::Picker,
        Mode::Attention,
        Mode::Relabel,
        Mode::Entity,
        Mode::Help,
        Mode::Entities,
        Mode::Adjudicate,
        Mode::Review,
        Mode::Stats,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Mode::List => "Article list",
            Mode::Reader => "Reading pane",
            Mode::Visual => "Selection (after v)",
            Mode::Sidebar => "Annotation sidebar",
            Mode::Values => "Choosing a value (a kind, a quote type…)",
            Mode::Picker => "Link picker (after a)",
            Mode::Attention => "Needs attention (after !)",
            Mode::Help => "This help (after ?)",
            Mode::Relabel => "Change the label (after r)",
            Mode::Entities => "Entities view (after E)",
            Mode::Entity => "Who the source is (after tagging one, or @)",
            Mode::Adjudicate => "Adjudication (newsnote adjudicate): before the reader's keys",
            Mode::Review => "Review pass (after R)",
            Mode::Stats => "Stats view (after S)",
        }
    }

    /// Whether the global bindings (Tab, ?, q…) apply in this mode.
    fn has_globals(self) -> bool {
        matches!(self, Mode::List | Mode::Reader | Mode::Visual | Mode::Sidebar)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct KeymapFile {
    global: BTreeMap<String, Action>,
    list: BTreeMap<String, Action>,
    reader: BTreeMap<String, Action>,
    visual: BTreeMap<String, Action>,
    sidebar: BTreeMap<String, Action>,
    /// The value menu (the boilerplate kind, any attribute's values); once `kind_menu`.
    #[serde(alias = "kind_menu")]
    value_menu: BTreeMap<String, Action>,
    picker: BTreeMap<String, Action>,
    attention: BTreeMap<String, Action>,
    help: BTreeMap<String, Action>,
    relabel: BTreeMap<String, Action>,
    entities: BTreeMap<String, Action>,
    /// The entity picker (who a source is).
    entity_picker: BTreeMap<String, Action>,
    /// Adjudication, laid over the reader's and the sidebar's keys.
    adjudicate: BTreeMap<String, Action>,
    /// The review pass.
    review: BTreeMap<String, Action>,
    /// The stats view (`S`).
    stats: BTreeMap<String, Action>,
}

/// A key sequence: one token per key press, e.g. `["]", "q"]` or `["<c-r>"]`.
pub type Keys = Vec<String>;

#[derive(Debug, Clone)]
pub struct Keymap {
    global: BTreeMap<Keys, Action>,
    modes: BTreeMap<Mode, BTreeMap<Keys, Action>>,
    /// The codebook's label keys (`Tag`), bound where the keymap leaves them free.
    labels: BTreeMap<Mode, BTreeMap<Keys, Action>>,
}

/// What a partial key sequence resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Action(Action),
    /// A longer binding starts with these keys: wait for the next one.
    Pending,
    None,
}

#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("{path}:{line}:{col}: {message}")]
    Parse { path: String, line: usize, col: usize, message: String },
    #[error("{path}: key {keys:?}: {message}")]
    BadKey { path: String, keys: String, message: String },
    #[error("{path}: cannot read: {source}")]
    Read { path: String, source: std::io::Error },
}

/// Splits `"]q"` into `["]", "q"]` and `"<c-r>x"` into `["<c-r>", "x"]`.
pub fn parse_keys(s: &str) -> Result<Keys, String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '<' && rest.len() > 1 {
            let end = rest.find('>').ok_or("unclosed <")?;
            out.push(rest[..=end].to_ascii_lowercase());
            rest = &rest[end + 1..];
        } else {
            out.push(c.to_string());
            rest = &rest[c.len_utf8()..];
        }
    }
    if out.is_empty() { Err("empty key".into()) } else { Ok(out) }
}

/// Friendly spelling of a key sequence for the help: `<c-r>` → `Ctrl-R`, `<down>` → `↓`.
pub fn pretty(keys: &[String]) -> String {
    keys.iter()
        .map(|k| match k.as_str() {
            "<enter>" => "Enter".to_string(),
            "<esc>" => "Esc".into(),
            "<tab>" => "Tab".into(),
            "<s-tab>" => "Shift-Tab".into(),
            "<space>" => "Space".into(),
            "<backspace>" => "Backspace".into(),
            "<up>" => "↑".into(),
            "<down>" => "↓".into(),
            "<left>" => "←".into(),
            "<right>" => "→".into(),
            "<pgup>" => "PgUp".into(),
            "<pgdown>" => "PgDn".into(),
            "<home>" => "Home".into(),
            "<end>" => "End".into(),
            "<del>" => "Del".into(),
            other => match other.strip_prefix("<c-").or_else(|| other.strip_prefix("<a-")) {
                Some(rest) => {
                    let m = if other.starts_with("<c-") { "Ctrl" } else { "Alt" };
                    format!("{m}-{}", rest.trim_end_matches('>').to_uppercase())
                }
                None => other.to_string(),
            },
        })
        .collect()
}

impl Keymap {
    pub fn default_map() -> Self {
        Self::from_str(DEFAULT_KEYMAP, "assets/keymap.ron").expect("the embedded keymap is valid (tested)")
    }

    /// The default map with the user's file laid over it, if that file exists.
    pub fn load(user: Option<&Path>) -> Result<Self, KeymapError> {
        let mut map = Self::default_map();
        let path = user.map(Path::to_path_buf).or_else(|| {
            use etcetera::BaseStrategy;
            etcetera::choose_base_strategy().ok().map(|s| s.config_dir().join("newsnote/keymap.ron"))
        });
        if let Some(path) = path {
            match std::fs::read_to_string(&path) {
                Ok(text) => map.overlay(&Self::from_str(&text, &path.display().to_string())?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && user.is_none() => {}
                Err(source) => return Err(KeymapError::Read { path: path.display().to_string(), source }),
            }
        }
        Ok(map)
    }

    pub fn from_str(text: &str, path: &str) -> Result<Self, KeymapError> {
        let file: KeymapFile = ron::from_str(text).map_err(|e| KeymapError::Parse {
            path: path.into(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: e.code.to_string(),
        })?;
        let conv = |m: BTreeMap<String, Action>| -> Result<BTreeMap<Keys, Action>, KeymapError> {
            m.into_iter()
                .map(|(k, a)| {
                    parse_keys(&k).map(|keys| (keys, a)).map_err(|message| KeymapError::BadKey {
                        path: path.into(),
                        keys: k,
                        message,
                    })
                })
                .collect()
        };
        let modes = BTreeMap::from([
            (Mode::List, conv(file.list)?),
            (Mode::Reader, conv(file.reader)?),
            (Mode::Visual, conv(file.visual)?),
            (Mode::Sidebar, conv(file.sidebar)?),
            (Mode::Values, conv(file.value_menu)?),
            (Mode::Picker, conv(file.picker)?),
            (Mode::Attention, conv(file.attention)?),
            (Mode::Help, conv(file.help)?),
            (Mode::Relabel, conv(file.relabel)?),
            (Mode::Entities, conv(file.entities)?),
            (Mode::Entity, conv(file.entity_picker)?),
            (Mode::Adjudicate, conv(file.adjudicate)?),
            (Mode::Review, conv(file.review)?),
            (Mode::Stats, conv(file.stats)?),
        ]);
        Ok(Self { global: conv(file.global)?, modes, labels: BTreeMap::new() })
    }

    fn overlay(&mut self, other: &Keymap) {
        self.global.extend(other.global.clone());
        for (mode, map) in &other.modes {
            self.modes.entry(*mode).or_default().extend(map.clone());
        }
    }

    /// All bindings active in `mode`: the mode's own, the codebook's label keys, then the
    /// globals they do not shadow.
    pub fn bindings(&self, mode: Mode) -> Vec<(&Keys, &Action)> {
        let own = &self.modes[&mode];
        let mut out: Vec<_> = own.iter().collect();
        out.extend(self.labels.get(&mode).into_iter().flatten());
        if mode.has_globals() {
            out.extend(self.global.iter().filter(|(k, _)| !own.contains_key(*k)));
        }
        out
    }

    /// Binds each label's key of the codebook to `Tag` in the reading pane and the
    /// selection, replacing the keys of a codebook bound before. A key the keymap already
    /// uses in a mode (or that starts one of its sequences) stays the keymap's; for the
    /// selection, where tagging happens, that is reported in the returned messages.
    pub fn bind_labels(&mut self, cb: &crate::model::codebook::Codebook) -> Vec<String> {
        self.labels.clear();
        let mut clashes = Vec::new();
        for mode in [Mode::Reader, Mode::Visual] {
            let mut taken: Vec<Keys> = self.modes[&mode].keys().cloned().collect();
            taken.extend(self.global.keys().cloned());
            let mine = self.labels.entry(mode).or_default();
            for l in &cb.labels {
                let keys = vec![l.key.clone()];
                match taken.iter().find(|k| k.starts_with(&keys)) {
                    Some(k) if mode == Mode::Visual => clashes.push(format!(
                        "codebook: key {:?} of label {} is the keymap's {} ({}); give the label another key",
                        l.key,
                        l.name,
                        pretty(k),
                        self.modes[&mode].get(k).or_else(|| self.global.get(k)).map_or(String::new(), Action::describe)
                    )),
                    Some(_) => {}
                    None => {
                        taken.push(keys.clone());
                        mine.insert(keys, Action::Tag(l.id.clone()));
                    }
                }
            }
        }
        clashes
    }

    pub fn lookup(&self, mode: Mode, keys: &[String]) -> Lookup {
        let bindings = self.bindings(mode);
        if let Some((_, a)) = bindings.iter().find(|(k, _)| k.as_slice() == keys) {
            return Lookup::Action((*a).clone());
        }
        if bindings.iter().any(|(k, _)| k.len() > keys.len() && k.starts_with(keys)) {
            return Lookup::Pending;
        }
        Lookup::None
    }

    /// Like [`Keymap::lookup`] with the bindings of `over` tried first: a mode laid over
    /// another (adjudication over the reader) wins where both bind a key; a key that starts a
    /// longer binding of either waits for the next.
    pub fn lookup_over(&self, over: Mode, mode: Mode, keys: &[String]) -> Lookup {
        match (self.lookup(over, keys), self.lookup(mode, keys)) {
            (Lookup::Action(a), _) => Lookup::Action(a),
            (Lookup::Pending, _) | (_, Lookup::Pending) => Lookup::Pending,
            (_, found) => found,
        }
    }

    /// Keys bound to `action` in `mode`, for hints like "press ? for help".
    pub fn keys_for(&self, mode: Mode, action: &Action) -> Vec<String> {
        self.bindings(mode).into_iter().filter(|(_, a)| *a == action).map(|(k, _)| pretty(k)).collect()
    }

    /// The first key bound to `action` in `mode`, made safe to show (a user keymap's key
    /// names are outside text), for messages like "A goes to the next".
    pub fn first_key(&self, mode: Mode, action: &Action) -> Option<String> {
        self.keys_for(mode, action).first().map(|k| crate::model::display::sanitize(k).into_owned())
    }

    /// Global bindings, for the help overlay.
    pub fn global_bindings(&self) -> Vec<(&Keys, &Action)> {
        self.global.iter().collect()
    }

    /// Bindings of `mode` alone (without globals, with the codebook's label keys), for the
    /// help overlay.
    pub fn mode_bindings(&self, mode: Mode) -> Vec<(&Keys, &Action)> {
        self.modes[&mode].iter().chain(self.labels.get(&mode).into_iter().flatten()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::{Motion, TextObject};

    #[test]
    fn key_notation_splits_sequences_and_named_keys() {
        assert_eq!(parse_keys("]q").unwrap(), ["]", "q"]);
        assert_eq!(parse_keys("<C-r>").unwrap(), ["<c-r>"]);
        assert_eq!(parse_keys("<").unwrap(), ["<"]);
        assert_eq!(pretty(&parse_keys("<c-r>").unwrap()), "Ctrl-R");
        assert_eq!(pretty(&parse_keys("]q").unwrap()), "]q");
        assert_eq!(pretty(&parse_keys("<pgdown>").unwrap()), "PgDn");
        assert!(parse_keys("<esc").is_err());
    }

    #[test]
    fn the_shipped_keymap_loads_and_has_the_documented_keys() {
        let mut k = Keymap::default_map();
        let clashes = k.bind_labels(crate::model::codebook::Codebook::default_scheme());
        assert!(clashes.is_empty(), "the default codebook's keys are free: {clashes:?}");
        let look = |m, s: &str| k.lookup(m, &parse_keys(s).unwrap());
        assert_eq!(look(Mode::Reader, "]q"), Lookup::Action(Action::Move(Motion::NextQuote)));
        assert_eq!(look(Mode::Reader, "]"), Lookup::Pending);
        assert_eq!(look(Mode::Visual, "iq"), Lookup::Action(Action::Select(TextObject::InnerQuote)));
        assert_eq!(look(Mode::Visual, "s"), Lookup::Action(Action::Tag("Source".into())));
        assert_eq!(look(Mode::Visual, "C"), Lookup::Action(Action::Tag("Cue".into())));
        assert_eq!(look(Mode::Visual, "e"), Lookup::Action(Action::Move(Motion::WordEnd)));
        assert_eq!(look(Mode::List, "<tab>"), Lookup::Action(Action::FocusNext));
        assert_eq!(look(Mode::Reader, "<c-r>"), Lookup::Action(Action::Redo));
        assert_eq!(look(Mode::Values, "q"), Lookup::None, "globals do not leak into menus");
    }

    #[test]
    fn no_key_means_two_things_in_one_mode() {
        let mut k = Keymap::default_map();
        k.bind_labels(crate::model::codebook::Codebook::default_scheme());
        for mode in Mode::ALL {
            let b = k.bindings(mode);
            for (k1, a1) in &b {
                for (k2, a2) in &b {
                    if k1 != k2 {
                        assert!(!k2.starts_with(k1), "{mode:?}: {k1:?} ({a1:?}) is a prefix of {k2:?} ({a2:?})");
                    }
                }
            }
            if mode.has_globals() {
                for (gk, ga) in k.global_bindings() {
                    if let Some(a) = k.modes[&mode].get(gk) {
                        assert_eq!(a, ga, "{mode:?} rebinds global {gk:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_codebook_key_the_keymap_uses_stays_the_keymaps_and_is_reported() {
        let mut k = Keymap::default_map();
        let text = crate::model::codebook::DEFAULT_RON.replace("key: \"C\"", "key: \"w\"");
        let cb = crate::model::codebook::load_file_text(&text).unwrap();
        let clashes = k.bind_labels(&cb);
        assert_eq!(k.lookup(Mode::Visual, &["w".into()]), Lookup::Action(Action::Move(Motion::WordForward)));
        assert_eq!(clashes.len(), 1, "{clashes:?}");
        assert!(clashes[0].contains("key \"w\" of label Cue is the keymap's w (next word)"), "{clashes:?}");
    }

    #[test]
    fn a_user_overlay_replaces_single_bindings_and_reports_errors_with_position() {
        let mut k = Keymap::default_map();
        k.overlay(&Keymap::from_str("(reader: {\"<c-d>\": Move(PageDown)})", "user.ron").unwrap());
        assert_eq!(k.lookup(Mode::Reader, &["<c-d>".into()]), Lookup::Action(Action::Move(Motion::PageDown)));
        assert_eq!(k.lookup(Mode::Reader, &["j".into()]), Lookup::Action(Action::Move(Motion::Down)));
        let err = Keymap::from_str("(reader: {\"j\": Fly})", "user.ron").unwrap_err().to_string();
        assert!(err.starts_with("user.ron:1:"), "{err}");
    }
}
