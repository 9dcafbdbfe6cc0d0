//! Names as the registry compares them: slugs for ids, a normal form for matching mentions
//! with aliases, and the canonical name a new entity takes from its first mention.

/// How names are compared: lowercase, curly apostrophes straight, whitespace collapsed, the
/// punctuation around a name and a possessive ("Peskov's") dropped.
pub fn normalize(name: &str) -> String {
    let folded: String =
        name.chars().map(|c| if matches!(c, '\u{2019}' | '\u{2018}' | '`') { '\'' } else { c }).collect();
    let mut n = folded.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let trim = |s: &str| s.trim_matches(|c: char| !c.is_alphanumeric()).to_owned();
    n = trim(&n);
    if let Some(stem) = n.strip_suffix("'s").or_else(|| n.strip_suffix("'")) {
        n = trim(stem);
    }
    n
}

/// An id from a name: lowercase letters and digits (of any script), words joined by `-`;
/// `entity` for a name with neither.
pub fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in normalize(name).chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_owned();
    if s.is_empty() { "entity".into() } else { s }
}

/// The canonical name a mention suggests: the capitalised name at the end of a description
/// ("Kremlin spokesman Dmitry Peskov" → "Dmitry Peskov"), else the mention as written with
/// its surrounding punctuation and a possessive dropped. Scripts without case keep the whole
/// mention.
pub fn name_from_mention(mention: &str) -> String {
    let clean = mention.trim().trim_matches(|c: char| !c.is_alphanumeric());
    let clean = clean.strip_suffix("'s").or_else(|| clean.strip_suffix("\u{2019}s")).unwrap_or(clean);
    let words: Vec<&str> = clean.split_whitespace().collect();
    let lower = |w: &str| w.chars().next().is_some_and(char::is_lowercase);
    match words.iter().rposition(|w| lower(w)) {
        Some(i) if i + 1 < words.len() => words[i + 1..].join(" "),
        _ => words.join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_punctuation_or_possessive() {
        assert_eq!(normalize("  Peskov’s, "), "peskov");
        assert_eq!(normalize("Dmitry\u{a0} PESKOV"), "dmitry peskov");
        assert_eq!(normalize("«Песков»"), "песков");
    }

    #[test]
    fn slugs_keep_letters_of_any_script() {
        assert_eq!(slug("Dmitry Peskov"), "dmitry-peskov");
        assert_eq!(slug("Дмитрий Песков"), "дмитрий-песков");
        assert_eq!(slug("Ministère de l'Économie"), "ministère-de-l-économie");
        assert_eq!(slug("“ ”"), "entity");
    }

    #[test]
    fn a_description_gives_the_name_at_its_end() {
        assert_eq!(name_from_mention("Kremlin spokesman Dmitry Peskov"), "Dmitry Peskov");
        assert_eq!(name_from_mention("Peskov's"), "Peskov");
        assert_eq!(name_from_mention("the Russian president"), "the Russian president");
        assert_eq!(name_from_mention("spokeswoman Maria Zakharova,"), "Maria Zakharova");
        assert_eq!(name_from_mention("习近平"), "习近平");
        assert_eq!(name_from_mention("Zelensky"), "Zelensky");
    }
}
