//! `tag`: add an annotation from a script, located by its quote.
//!
//! Its messages name the article and the ids it was given; like every command's, they reach
//! a terminal through the sanitiser (`warn`, and `main` for errors).

use super::inspect::resolve;
use super::{Common, Problems, warn};
use crate::import::parse_label;
use crate::model::annotation::{Annotation, AnnotationId, Label, default_author, now_rfc3339};
use crate::model::document::{Document, Edit};
use crate::model::units::ByteRange;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct TagArgs {
    /// An article file, or an article id / file stem in the corpus (--in, else the current folder).
    pub article: String,
    /// source, claim, boilerplate or boilerplate:KIND (e.g. boilerplate:DonationAppeal).
    #[arg(long, value_parser = label_arg)]
    pub label: Label,
    /// The exact text to tag.
    #[arg(long)]
    pub quote: String,
    /// Which occurrence of the quote, counting from 1, when it occurs more than once.
    #[arg(long, value_name = "N")]
    pub occurrence: Option<usize>,
    /// A note on the annotation.
    #[arg(long)]
    pub note: Option<String>,
    /// For a claim: the id of the Source annotation that makes it; repeat it for a claim made
    /// by several sources ("Russia and Ukraine said").
    #[arg(long, value_name = "ID")]
    pub source: Vec<String>,
    /// The corpus to look the article up in.
    #[arg(long = "in", value_name = "PATH")]
    pub corpus: Option<PathBuf>,
}

fn label_arg(s: &str) -> Result<Label, String> {
    parse_label(s).ok_or_else(|| {
        "expected source, claim, boilerplate or boilerplate:KIND (DuplicateHeadline, DonationAppeal, Copyright, \
         Newsletter, Navigation, Advertisement, RelatedLinks, TemplateResidue, Other)"
            .into()
    })
}

pub fn run(args: TagArgs, common: &Common) -> anyhow::Result<()> {
    let (corpus, i) = resolve(&args.article, args.corpus.as_deref(), common)?;
    let entry = &corpus.entries[i];
    let mut doc = Document::open(entry)?;
    if let Some(why) = &doc.read_only {
        return Err(Problems(format!("not changed: {why}")).into());
    }
    // Saving now would write the re-anchored places of every other annotation without anyone
    // having looked at them: a person decides those first.
    if let Some(t) = doc.reanchored.filter(|t| t.moved + t.changed + t.orphaned > 0) {
        return Err(Problems(format!(
            "not changed: {} changed since it was annotated ({t}); review the re-anchored annotations first \
             (the TUI's ! list, or newsnote check --fix for the confident ones), then tag again",
            entry.id
        ))
        .into());
    }
    let text = &doc.article.text;
    if args.quote.is_empty() {
        anyhow::bail!("--quote is empty");
    }
    let found: Vec<usize> = text.match_indices(&args.quote).map(|(b, _)| b).collect();
    let at = match (found.len(), args.occurrence) {
        (0, _) => return Err(Problems(format!("{:?} does not occur in {}", args.quote, entry.id)).into()),
        (1, None | Some(1)) => found[0],
        (n, Some(k)) if (1..=n).contains(&k) => found[k - 1],
        (n, Some(k)) => {
            return Err(
                Problems(format!("--occurrence {k}: {:?} occurs {n} time(s) in {}", args.quote, entry.id)).into()
            );
        }
        (n, None) => {
            // The code point alone does not say which one is meant: each is shown in its words.
            let places: Vec<String> = found
                .iter()
                .enumerate()
                .map(|(k, &b)| {
                    let around = in_context(text, ByteRange::new(b, b + args.quote.len()), CONTEXT_WORDS);
                    format!("  --occurrence {} (code point {}): {around}", k + 1, doc.article.index.char_of(text, b))
                })
                .collect();
            return Err(Problems(format!(
                "{:?} occurs {n} times in {}; choose one:\n{}",
                args.quote,
                entry.id,
                places.join("\n")
            ))
            .into());
        }
    };
    let bytes = ByteRange::new(at, at + args.quote.len());
    let chars = doc.article.index.to_chars(text, bytes);
    let mut ann = Annotation::new_manual(
        args.label,
        text,
        bytes,
        chars,
        &default_author(common.annotator.as_deref()),
        &now_rfc3339(),
    );
    ann.note = args.note.filter(|n| !n.trim().is_empty());
    for src in args.source {
        let id = AnnotationId(src);
        match doc.get(&id) {
            _ if args.label != Label::Claim => {
                anyhow::bail!("--source is for claims only (the label is {})", args.label)
            }
            Some(s) if s.label == Label::Source && ann.cites(&id) => {}
            Some(s) if s.label == Label::Source && ann.source.is_none() => ann.source = Some(id),
            Some(s) if s.label == Label::Source => ann.more_sources.push(id),
            Some(s) => return Err(Problems(format!("{id} is a {}, not a Source", s.label)).into()),
            None => return Err(Problems(format!("no annotation {id} in {}", entry.id)).into()),
        }
    }
    // Tagging is idempotent, so a script can be run again: the same label on the same span
    // is the annotation already there, not a second one that doubles every count.
    if let Some(there) = doc.identical(ann.label, ann.span()) {
        let mut kept = Vec::new();
        if ann.note.is_some() && ann.note != there.note {
            kept.push("note");
        }
        if ann.source.is_some() && (ann.source != there.source || ann.more_sources != there.more_sources) {
            kept.push("source");
        }
        let kept = if kept.is_empty() { String::new() } else { format!("; its {} left as it is", kept.join(" and ")) };
        warn(format_args!("newsnote: already there: {} {} in {}{kept}", there.label, there.id, entry.id));
        println!("{}", there.id);
        return Ok(());
    }
    let id = ann.id.clone();
    doc.apply(&Edit::Insert(ann));
    // Another writer (a TUI on the same folder) may have saved since we read: merge, never clobber.
    let report = crate::model::save::save(doc.save_request())?;
    if report.vanished {
        warn(format_args!(
            "newsnote: note: {} had disappeared since it was read; it was written again",
            entry.ron_path.display()
        ));
    }
    for r in &report.repairs {
        warn(format_args!("newsnote: note: {r}"));
    }
    println!("{id}");
    Ok(())
}

/// How many words of the text are shown on each side of an occurrence of a quote.
const CONTEXT_WORDS: usize = 5;

/// `range` of `text` on one line with up to `words` words on each side, the quote between
/// `[` `]` and `…` where the text goes on, so a person can tell occurrences apart. Whitespace
/// runs become one space; a "word" is bounded by whitespace, and each side is also cut to
/// 80 code points, so a one-line article or a run without spaces prints a short line.
fn in_context(text: &str, range: ByteRange, words: usize) -> String {
    const MAX_SIDE: usize = 80;
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let before = &text[..range.start];
    let after = &text[range.end..];
    // Scan only near the quote: never more than MAX_SIDE words' worth of the article.
    let near_before = &before[before.char_indices().rev().nth(MAX_SIDE * 4).map_or(0, |(i, _)| i)..];
    let near_after = &after[..after.char_indices().nth(MAX_SIDE * 4).map_or(after.len(), |(i, _)| i)];
    let left: Vec<&str> = near_before.split_whitespace().collect();
    let right: Vec<&str> = near_after.split_whitespace().collect();
    let mut l = left[left.len().saturating_sub(words)..].join(" ");
    let mut r = right[..right.len().min(words)].join(" ");
    let cut_left = left.len() > words || near_before.len() < before.len() || l.chars().count() > MAX_SIDE;
    let cut_right = right.len() > words || near_after.len() < after.len() || r.chars().count() > MAX_SIDE;
    if let Some((i, _)) = l.char_indices().rev().nth(MAX_SIDE - 1) {
        l = l[i..].to_owned();
    }
    if let Some((i, _)) = r.char_indices().nth(MAX_SIDE) {
        r.truncate(i);
    }
    // A space only where the text has one, so "Peskov's" stays one word.
    let gap_l = if before.ends_with(char::is_whitespace) && !l.is_empty() { " " } else { "" };
    let gap_r = if after.starts_with(char::is_whitespace) && !r.is_empty() { " " } else { "" };
    format!(
        "{}{l}{gap_l}[{}]{gap_r}{r}{}",
        if cut_left { "…" } else { "" },
        fold(&text[range.as_range()]),
        if cut_right { "…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn around(text: &str, quote: &str, nth: usize, words: usize) -> String {
        let at = text.match_indices(quote).nth(nth).unwrap().0;
        in_context(text, ByteRange::new(at, at + quote.len()), words)
    }

    #[test]
    fn each_occurrence_is_shown_with_the_words_around_it() {
        let text = "Сначала Песков сказал «нет». Потом, через\nчас, Песков's aide добавил: всё.";
        assert_eq!(around(text, "Песков", 0, 2), "Сначала [Песков] сказал «нет».…");
        assert_eq!(around(text, "Песков", 1, 2), "…через час, [Песков]'s aide…");
        assert_eq!(around("Песков", "Песков", 0, 5), "[Песков]", "nothing around, nothing cut");
    }

    #[test]
    fn context_in_a_one_line_article_without_spaces_is_cut_short() {
        let text = format!("{}Песков{}", "字".repeat(100_000), "字".repeat(100_000));
        let shown = around(&text, "Песков", 0, 5);
        assert!(shown.chars().count() <= 2 * 80 + 10, "{} code points", shown.chars().count());
        assert!(shown.starts_with('…') && shown.ends_with('…') && shown.contains("[Песков]"), "{shown}");
    }
}
