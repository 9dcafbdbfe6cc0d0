//! `list`, `show` and `stats`: reading a corpus from the command line.
//!
//! Titles, ids, quotes and notes come from files: printed to a terminal they go through
//! [`sanitize`] (control characters and bidi overrides as placeholders), so an article cannot
//! drive the terminal; printed to a pipe or file they keep their exact bytes for scripts.

use super::{Common, Problems, open_corpus, progress};
use crate::export::{self, ExportArticle};
use crate::model::codebook::Codebook;
use crate::model::corpus::{Corpus, FileState};
use crate::model::look;
use crate::model::segments::{Span, segments};
use crate::model::units::CharIndex;
use crate::wrap::sanitize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// An article file, or an article id / file stem in the corpus (--in, else the current folder).
    pub article: String,
    /// The corpus to look the article up in.
    #[arg(long = "in", value_name = "PATH")]
    pub corpus: Option<PathBuf>,
}

/// `s` as it may be printed: sanitised for a terminal (`tty`), exact otherwise.
fn printable(tty: bool, s: &str) -> Cow<'_, str> {
    if tty { sanitize(s) } else { Cow::Borrowed(s) }
}

/// Finds ARTICLE: a file path, else an id or file stem in the corpus.
pub fn resolve(article: &str, corpus: Option<&Path>, common: &Common) -> anyhow::Result<(Corpus, usize)> {
    if Path::new(article).is_file() {
        let c = open_corpus(Some(Path::new(article)), common)?;
        // Opening leaves out a file that is no article (binary); its warning says why.
        if c.entries.is_empty() {
            let why = c.warnings.first().map_or_else(|| format!("{article}: not an article"), String::clone);
            let tty = std::io::stderr().is_terminal();
            return Err(Problems(printable(tty, &format!("not opened: {why}")).into_owned()).into());
        }
        return Ok((c, 0));
    }
    let c = open_corpus(corpus, common)?;
    let stem = |id: &str| id.rsplit_once('.').map_or(id.to_string(), |(s, _)| s.to_string());
    let found: Vec<usize> = (0..c.entries.len())
        .filter(|&i| {
            let id = &c.entries[i].id;
            id == article || stem(id) == article || stem(id).rsplit('/').next() == Some(article)
        })
        .collect();
    match found.as_slice() {
        [i] => Ok((c, *i)),
        [] => anyhow::bail!("no article {article:?} in {} (give a file path, an id or a file stem)", c.root.display()),
        many => {
            let tty = std::io::stderr().is_terminal();
            let ids: Vec<_> = many.iter().map(|&i| printable(tty, &c.entries[i].id)).collect();
            anyhow::bail!("{article:?} matches {} articles: {}", many.len(), ids.join(", "))
        }
    }
}

pub fn list(corpus: &Corpus, cb: &Codebook) -> anyhow::Result<()> {
    let tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    let mut invalid = 0;
    for e in &corpus.entries {
        let state = match &e.state {
            FileState::Missing => "none".to_string(),
            FileState::Valid => "valid".to_string(),
            FileState::Invalid(why) => {
                invalid += 1;
                format!("INVALID ({why})")
            }
        };
        let c = &e.counts;
        let (id, state, title) = (printable(tty, &e.id), printable(tty, &state), printable(tty, &e.title));
        // One count per label of the codebook, in its order; a label it lacks counts last.
        let mut counts: Vec<String> = cb.labels.iter().map(|l| c.of(&l.id).to_string()).collect();
        let unknown: usize = c.iter().filter(|(l, _)| !cb.knows(l)).map(|(_, n)| n).sum();
        if unknown > 0 {
            counts.push(format!("{unknown} not in the codebook"));
        }
        writeln!(out, "{id}\t{}\t{state}\t{title}", counts.join("\t"))?;
    }
    if invalid > 0 {
        return Err(
            Problems(format!("{invalid} annotation file(s) are invalid; run newsnote check for details")).into()
        );
    }
    Ok(())
}

/// The SGR sequence for a piece covered by `active` (outermost first): each look channel
/// painted by its innermost span, in that span's shade (the same table and rule as the TUI);
/// the highest channel's colour wins. Without colour, only the plain attributes.
/// `owners` maps each span to its annotation (a fragmented one has a span per piece).
fn style(
    cb: &Codebook,
    art: &ExportArticle,
    owners: &[usize],
    active: &[usize],
    nested: &[bool],
    colour: bool,
) -> String {
    let mut attrs = Vec::new();
    let mut fg = None;
    let mut by_channel: Vec<Option<usize>> = vec![None; cb.channels()];
    for &i in active {
        by_channel[cb.look(&art.annotations[owners[i]].label).channel] = Some(i);
    }
    for i in by_channel.into_iter().flatten() {
        let look = cb.look(&art.annotations[owners[i]].label).shade(nested[i]);
        let a = look.attrs_for(colour).sgr();
        if !a.is_empty() {
            attrs.push(a);
        }
        if colour {
            fg = Some(look.hue.ansi_fg());
        }
    }
    attrs.extend(fg.map(|c| c.to_string()));
    // Always a full reset first, so nothing of the previous piece carries over.
    if attrs.is_empty() { "\x1b[0m".into() } else { format!("\x1b[0;{}m", attrs.join(";")) }
}

/// The text with spans marked: `[Label: …]` brackets (`paint` is `None`), or for a terminal
/// SGR attributes, with colour when `paint` is `Some(true)`. Cut by the one segmentation the
/// TUI and the HTML report use (`model::segments`).
pub fn marked_text(cb: &Codebook, art: &ExportArticle, paint: Option<bool>) -> String {
    // Every piece of a fragmented annotation is marked, each as "n/N" of its annotation in
    // brackets. Fragments are converted through an index of the text, built only when needed.
    let index = art.annotations.iter().any(|a| !a.fragments.is_empty()).then(|| CharIndex::new(&art.text));
    let (mut spans, mut owners, mut part) = (Vec::new(), Vec::new(), Vec::new());
    for (i, a) in art.annotations.iter().enumerate() {
        let group = cb.look(&a.label).channel;
        let first = art.bytes(a);
        let rest = a.fragments.iter().filter_map(|f| {
            let r = index.as_ref()?.to_bytes(&art.text, f.span())?;
            (art.text[r.as_range()] == f.quote).then_some(r)
        });
        for (n, r) in std::iter::once(first).chain(rest).enumerate() {
            spans.push(Span { start: r.start, end: r.end, group });
            owners.push(i);
            part.push((!a.fragments.is_empty()).then(|| format!(" {}/{}", n + 1, a.fragments.len() + 1)));
        }
    }
    let cut = segments(&art.text, &spans, cb.channels(), 0..art.text.len());
    let mut out = String::new();
    for seg in &cut.segments {
        let piece = &art.text[seg.range.clone()];
        match paint {
            None => {
                // Close spans ending here (innermost first), then open those starting here.
                out.extend(seg.closed.iter().map(|_| ']'));
                for &i in &seg.opened {
                    let n = part[i].as_deref().unwrap_or("");
                    out.push_str(&format!("[{}{n}: ", cb.describe(&art.annotations[owners[i]])));
                }
                out.push_str(piece);
            }
            Some(colour) => {
                if piece.is_empty() {
                    continue;
                }
                out.push_str(&style(cb, art, &owners, &seg.active, &cut.nested, colour));
                // Never let the article's own control characters reach the terminal.
                for g in unicode_segmentation::UnicodeSegmentation::graphemes(piece, true) {
                    if g == "\n" {
                        out.push('\n');
                    } else {
                        out.push_str(&crate::wrap::shown(g));
                    }
                }
                out.push_str("\x1b[0m");
            }
        }
    }
    out
}

pub fn show(args: ShowArgs, common: &Common) -> anyhow::Result<()> {
    let (corpus, i) = resolve(&args.article, args.corpus.as_deref(), common)?;
    let one = Corpus { entries: vec![corpus.entries[i].clone()], ..corpus };
    let (arts, skipped) = export::load(&one, &mut |_, _| {});
    let err_tty = std::io::stderr().is_terminal();
    for s in &skipped {
        eprintln!("{}", printable(err_tty, &format!("{}: {}", s.path.display(), s.message)));
    }
    let Some(art) = arts.first() else { return Err(Problems("the article could not be read".into()).into()) };
    let cb = super::codebook_for(&one, common)?;
    let tty = std::io::stdout().is_terminal();
    let colour = tty;
    let paint = tty.then(look::colour_wanted);
    let mut out = std::io::stdout().lock();
    // The title is the text's first line, so printing it above the text showed it twice (and
    // unmarked, it read as the first paragraph): the header names the article instead.
    writeln!(
        out,
        "── {} ──
",
        printable(colour, &art.id)
    )?;
    writeln!(
        out,
        "{}
",
        marked_text(&cb, art, paint).trim_end()
    )?;
    writeln!(out, "── {} annotation(s), offsets in Unicode code points ──", art.annotations.len())?;
    // Who each mention is: a registry that cannot be read costs the names, not the listing.
    let registry = super::registry_for(&one, common, &cb).unwrap_or_else(|e| {
        eprintln!("{}", printable(err_tty, &format!("newsnote: entity names left out: {e:#}")));
        None
    });
    let who = |a: &crate::model::annotation::Annotation| match (&a.entity, &registry) {
        (None, _) => String::new(),
        (Some(id), Some(r)) => match r.resolve(id) {
            Some(e) => format!(" → {}", e.name),
            None => format!(" → {id} (not in the registry)"),
        },
        (Some(id), None) => format!(" → {id}"),
    };
    for a in &art.annotations {
        let src: String =
            art.sources_of(&cb, a).iter().map(|s| format!(" ← {}{} [{}]", s.quote, who(s), s.id)).collect();
        let attrs: String = a
            .attributes
            .iter()
            .map(|(id, v)| {
                format!(" {}={}", cb.attribute(id).map_or(id.as_str(), |d| d.name.as_str()), cb.value_name(id, v))
            })
            .collect();
        let note = a.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
        let quote: String = a.full_quote().split_whitespace().collect::<Vec<_>>().join(" ");
        let line = format!("“{quote}”{}{src}{attrs}{note}", who(a));
        writeln!(
            out,
            "{}\t{}\t{}–{}\t{}",
            printable(colour, &a.id.0),
            cb.label_name(&a.label),
            a.start,
            a.hull().end,
            printable(colour, &line)
        )?;
    }
    if !skipped.is_empty() {
        return Err(Problems(format!("{} problem(s) with this article's annotations", skipped.len())).into());
    }
    Ok(())
}

pub fn stats(corpus: &Corpus, cb: &Codebook) -> anyhow::Result<()> {
    let (arts, skipped) = export::load(corpus, &mut progress());
    let tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    let mut by_label: BTreeMap<String, usize> = BTreeMap::new();
    // (attribute id, value id) → count.
    let mut by_value: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut cited: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut unsourced = Vec::new();
    let outside: Vec<&str> = cb.labels.iter().filter(|l| l.not_article).map(|l| l.id.as_str()).collect();
    let names: Vec<&str> = cb.labels.iter().filter(|l| l.not_article).map(|l| l.name.as_str()).collect();
    if !outside.is_empty() {
        writeln!(out, "{} share of each article's text (code points):", names.join(" and "))?;
    }
    for art in &arts {
        for a in &art.annotations {
            *by_label.entry(a.label.to_string()).or_default() += 1;
            for (id, v) in &a.attributes {
                let values = match v.ids() {
                    ids if !ids.is_empty() => ids.into_iter().map(str::to_owned).collect(),
                    _ => vec![v.to_string()],
                };
                for value in values {
                    *by_value.entry((id.clone(), value)).or_default() += 1;
                }
            }
            if cb.is_content(&a.label) {
                let sources = art.sources_of(cb, a);
                if sources.is_empty() {
                    unsourced.push(art.id.clone());
                }
                for s in sources {
                    // Sources are grouped by name across the corpus, case-insensitively.
                    let name: String = s.quote.split_whitespace().collect::<Vec<_>>().join(" ");
                    let e = cited.entry(name.to_lowercase()).or_insert((0, name));
                    e.0 += 1;
                }
            }
        }
        if outside.is_empty() {
            continue;
        }
        let mut covered = vec![false; art.chars()];
        for a in art.annotations.iter().filter(|a| outside.contains(&a.label.as_str())) {
            for (r, _) in a.pieces() {
                covered[r.start..r.end].iter_mut().for_each(|c| *c = true);
            }
        }
        let n = covered.iter().filter(|c| **c).count();
        let pct = if art.chars() == 0 { 0.0 } else { 100.0 * n as f64 / art.chars() as f64 };
        writeln!(out, "  {pct:5.1}%  {n:>6} of {:>6}  {}", art.chars(), printable(tty, &art.id))?;
    }
    writeln!(out, "\nAnnotations by label:")?;
    for l in &cb.labels {
        writeln!(out, "  {:>5}  {}", by_label.get(&l.id).copied().unwrap_or(0), l.name)?;
    }
    for (l, n) in by_label.iter().filter(|(l, _)| cb.label(l).is_none()) {
        writeln!(out, "  {n:>5}  {} (not in the codebook)", printable(tty, l))?;
    }
    for a in &cb.attributes {
        let rows: Vec<(&String, usize)> =
            by_value.iter().filter(|((id, _), _)| *id == a.id).map(|((_, v), n)| (v, *n)).collect();
        if rows.is_empty() {
            continue;
        }
        writeln!(out, "\n{} ({}):", a.name, a.labels.join(", "))?;
        // Values in codebook order, then any the codebook does not have.
        let mut order: Vec<(usize, String, usize)> = rows
            .iter()
            .map(|(v, n)| {
                let pos = a.kind.values().iter().position(|d| &d.id == *v).unwrap_or(usize::MAX);
                (pos, cb.value_name(&a.id, &crate::model::annotation::AttrValue::One((*v).clone())), *n)
            })
            .collect();
        order.sort();
        for (_, name, n) in order {
            writeln!(out, "  {n:>5}  {}", printable(tty, &name))?;
        }
    }
    let mut top: Vec<_> = cited.into_values().collect();
    top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    writeln!(out, "\nMost-cited sources (claims attributed, across the corpus):")?;
    for (n, name) in top.iter().take(15) {
        writeln!(out, "  {n:>5}  {}", printable(tty, name))?;
    }
    writeln!(out, "\nClaims with no source: {}", unsourced.len())?;
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    unsourced.iter().for_each(|id| *per.entry(id).or_default() += 1);
    for (id, n) in per {
        writeln!(out, "  {n:>5}  {}", printable(tty, id))?;
    }
    let err_tty = std::io::stderr().is_terminal();
    for s in &skipped {
        eprintln!("{}", printable(err_tty, &format!("{}: {}", s.path.display(), s.message)));
    }
    if !skipped.is_empty() {
        return Err(Problems(format!("{} problem(s) kept annotations out of these numbers", skipped.len())).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{Annotation, Fragment, LabelId};
    use crate::model::units::ByteRange;

    #[test]
    fn show_marks_every_piece_of_a_fragmented_annotation() {
        let text = "«Мы не сдадимся», — сказал он, — «никогда». 😀".to_owned();
        let idx = CharIndex::new(&text);
        let piece = |q: &str| {
            let s = text.find(q).unwrap();
            let b = ByteRange::new(s, s + q.len());
            (b, idx.to_chars(&text, b))
        };
        let ((b1, c1), (b2, c2)) = (piece("Мы не сдадимся"), piece("никогда"));
        let mut claim = Annotation::new_manual(LabelId::new("Claim"), &text, b1, c1, "т", "2026-01-01T00:00:00Z");
        claim.fragments.push(Fragment::over(&text, b2, c2));
        let art = ExportArticle::new("a.txt".into(), "a".into(), text.clone(), vec![claim]);
        let cb = Codebook::default_scheme();
        assert_eq!(
            marked_text(cb, &art, None),
            "«[Claim 1/2: Мы не сдадимся]», — сказал он, — «[Claim 2/2: никогда]». 😀"
        );
        let painted = marked_text(cb, &art, Some(false));
        let underlined = painted.matches("никогда").count() + painted.matches("Мы не сдадимся").count();
        assert_eq!(underlined, 2);
        // The SGR parameters in force where `q` starts.
        let styled_before = |q: &str| {
            let sgr = painted[..painted.find(q).unwrap()].rsplit("\x1b[").next().unwrap();
            sgr.split('m').next().unwrap().to_owned()
        };
        assert_ne!(styled_before("никогда"), "0", "the second piece is painted too: {painted:?}");
        assert_eq!(styled_before("сказал"), "0", "the words between are not");
    }
}
