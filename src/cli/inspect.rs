//! `list`, `show` and `stats`: reading a corpus from the command line.
//!
//! Titles, ids, quotes and notes come from files: printed to a terminal they go through
//! [`sanitize`] (control characters and bidi overrides as placeholders), so an article cannot
//! drive the terminal; printed to a pipe or file they keep their exact bytes for scripts.

use super::{Common, Problems, open_corpus, progress};
use crate::export::{self, ExportArticle};
use crate::model::annotation::Status;
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

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    pub path: Option<PathBuf>,
    /// One JSON object per article per line, for scripts.
    #[arg(long)]
    pub json: bool,
    /// Only articles whose outlet contains X, ignoring case (as outlet:X in the TUI's filter).
    #[arg(long, value_name = "X")]
    pub outlet: Option<String>,
    /// Only articles published on DAY or later: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DAY", value_parser = day_arg)]
    pub from: Option<String>,
    /// Only articles published on DAY or earlier, all of DAY included (--to 2026-11 is to 30 November).
    #[arg(long, value_name = "DAY", value_parser = day_arg)]
    pub to: Option<String>,
    /// The order: id (the default), date (newest first, undated last) or outlet (then newest first).
    #[arg(long, value_enum, default_value_t = SortBy::Id)]
    pub sort: SortBy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortBy {
    Id,
    Date,
    Outlet,
}

fn day_arg(s: &str) -> Result<String, String> {
    if crate::model::meta::is_day_prefix(s) {
        Ok(s.to_owned())
    } else {
        Err("a day is YYYY, YYYY-MM or YYYY-MM-DD (2026, 2026-11, 2026-11-30)".into())
    }
}

/// `newsnote list`: the articles the options keep, in their order, plain or as JSON.
pub fn list_cmd(args: ListArgs, common: &Common) -> anyhow::Result<()> {
    let corpus = open_corpus(args.path.as_deref(), common)?;
    let cb = super::codebook_for(&corpus, common)?;
    let shown = selected(&corpus, &args);
    let board = super::board_for(&corpus, common)?;
    if args.json { list_json(&corpus, &shown, &cb, &board) } else { list(&corpus, &shown, &cb, &board) }
}

/// The entries `args` keep, in its order: the TUI list's terms and order (`model::meta`), so
/// `--outlet X --from D` keeps what `outlet:X from:D` keeps there.
fn selected(corpus: &Corpus, args: &ListArgs) -> Vec<usize> {
    use crate::model::meta::{ListOrder, Term, fold};
    let fields = [("outlet", &args.outlet), ("from", &args.from), ("to", &args.to)];
    let terms: Vec<Term> = fields.iter().filter_map(|(f, v)| v.as_deref().and_then(|v| Term::field(f, v))).collect();
    let mut shown: Vec<usize> = (0..corpus.entries.len())
        .filter(|&i| {
            let m = &corpus.entries[i].meta;
            let outlet = m.outlet.as_deref().map(fold);
            terms.iter().all(|t| t.matches("", outlet.as_deref(), m.day()))
        })
        .collect();
    let order = match args.sort {
        SortBy::Id => ListOrder::Id,
        SortBy::Date => ListOrder::Date,
        SortBy::Outlet => ListOrder::Outlet,
    };
    order.sort(&mut shown, |&i| &corpus.entries[i].meta);
    shown
}

fn list(corpus: &Corpus, shown: &[usize], cb: &Codebook, board: &crate::model::team::Board) -> anyhow::Result<()> {
    let tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    let mut invalid = 0;
    // Suggestions waiting for a person get a column of their own after the coding's counts,
    // in a corpus that has any; a corpus without lists as it always did.
    let with_suggestions = shown.iter().any(|&i| corpus.entries[i].counts.proposed_total() > 0);
    // A corpus with metadata gets the day and outlet before the title; plain text lists as it always did.
    let with_meta = shown.iter().any(|&i| {
        let m = &corpus.entries[i].meta;
        m.day().is_some() || m.outlet.is_some()
    });
    for e in shown.iter().map(|&i| &corpus.entries[i]) {
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
        if with_suggestions {
            counts.push(format!("{} suggested", c.proposed_total()));
        }
        // A team's corpus (or one with marks) says how far each article has got.
        if board.shown() {
            counts.push(stages(board, &e.id));
        }
        let meta = match with_meta {
            true => {
                let outlet = printable(tty, e.meta.outlet.as_deref().unwrap_or(""));
                format!("{}\t{outlet}\t", e.meta.day().unwrap_or(""))
            }
            false => String::new(),
        };
        writeln!(out, "{id}\t{}\t{state}\t{meta}{title}", counts.join("\t"))?;
    }
    if invalid > 0 {
        return Err(
            Problems(format!("{invalid} annotation file(s) are invalid; run newsnote check for details")).into()
        );
    }
    Ok(())
}

/// An article's stages for the plain list: `2/3 done`, then `reviewed`, `adjudicated`.
fn stages(board: &crate::model::team::Board, id: &str) -> String {
    use crate::model::progress::Stage;
    let mut out = format!("{}/{} done", board.done_by(id).len(), board.shown_columns().count());
    for stage in [Stage::Reviewed, Stage::Adjudicated] {
        if board.any(id, stage) {
            out.push(' ');
            out.push_str(stage.as_str());
        }
    }
    out
}

/// One article as `list --json` prints it: every key always present (`null` or `[]` when
/// unknown), so scripts need no existence checks.
#[derive(serde::Serialize)]
struct ListRow<'a> {
    id: &'a str,
    title: &'a str,
    outlet: Option<&'a str>,
    authors: &'a [String],
    published: Option<&'a str>,
    url: Option<&'a str>,
    language: Option<&'a str>,
    format: &'static str,
    /// By label id: every label of the codebook (0 when none), then any the file has that
    /// the codebook lacks.
    counts: BTreeMap<&'a str, usize>,
    /// Open suggestions by label id, apart from the coding's `counts`: every label of the
    /// codebook (0 when none), then any the file has that the codebook lacks. Rejected
    /// suggestions are in neither.
    suggested: BTreeMap<&'a str, usize>,
    /// The annotation file's state: `none`, `valid` or `invalid`.
    annotations: &'static str,
    /// Why the annotation file is invalid.
    problem: Option<&'a str>,
    /// The coders who marked the article done (their folders' `progress.ron`), in the
    /// team's order.
    done_by: Vec<&'a str>,
    /// Whether any folder (a coder's, gold) has it reviewed / adjudicated.
    reviewed: bool,
    adjudicated: bool,
}

fn list_row<'a>(
    e: &'a crate::model::corpus::Entry,
    cb: &'a Codebook,
    board: &'a crate::model::team::Board,
) -> ListRow<'a> {
    use crate::model::progress::Stage;
    let mut counts: BTreeMap<&str, usize> = cb.labels.iter().map(|l| (l.id.as_str(), 0)).collect();
    for (label, n) in e.counts.iter() {
        *counts.entry(label.as_str()).or_default() += n;
    }
    let mut suggested: BTreeMap<&str, usize> = cb.labels.iter().map(|l| (l.id.as_str(), 0)).collect();
    for (label, n) in e.counts.proposed() {
        *suggested.entry(label.as_str()).or_default() += n;
    }
    let (annotations, problem) = match &e.state {
        FileState::Missing => ("none", None),
        FileState::Valid => ("valid", None),
        FileState::Invalid(why) => ("invalid", Some(why.as_str())),
    };
    let m = &e.meta;
    ListRow {
        id: &e.id,
        title: &e.title,
        outlet: m.outlet.as_deref(),
        authors: &m.authors,
        published: m.published.as_deref(),
        url: m.url.as_deref(),
        language: m.language.as_deref(),
        format: e.format.name(),
        counts,
        suggested,
        annotations,
        problem,
        done_by: board.done_by(&e.id),
        reviewed: board.any(&e.id, Stage::Reviewed),
        adjudicated: board.any(&e.id, Stage::Adjudicated),
    }
}

/// `newsnote list --json`: one JSON object per article per line, in corpus order, from the
/// list's summaries (no article is read whole). Exit 1 when an annotation file is invalid,
/// as the plain list.
fn list_json(corpus: &Corpus, shown: &[usize], cb: &Codebook, board: &crate::model::team::Board) -> anyhow::Result<()> {
    let tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    for e in shown.iter().map(|&i| &corpus.entries[i]) {
        let line = serde_json::to_string(&list_row(e, cb, board))?;
        writeln!(out, "{}", super::json_for_terminal(tty, &line))?;
    }
    let invalid = shown.iter().filter(|&&i| matches!(corpus.entries[i].state, FileState::Invalid(_))).count();
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
                    let a = &art.annotations[owners[i]];
                    out.push_str(&format!("[{}{}{n}: ", suggested(a), cb.describe(a)));
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

/// `?` before an open suggestion's label, so it is never read as coding; nothing for coding.
fn suggested(a: &crate::model::annotation::Annotation) -> &'static str {
    if a.is_proposed() { "?" } else { "" }
}

/// ` (quotes-1, 87%)` after an open suggestion's label: the detector and how sure it was.
fn suggested_by(a: &crate::model::annotation::Annotation) -> String {
    if !a.is_proposed() {
        return String::new();
    }
    let r = export::Review::of(a);
    match r.confidence {
        Some(c) => format!(" ({}, {c}%)", r.origin),
        None => format!(" ({})", r.origin),
    }
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
    let byline = one.entries[0].meta.byline().map(|b| format!(" · {b}")).unwrap_or_default();
    writeln!(
        out,
        "── {}{} ──
",
        printable(colour, &art.id),
        printable(colour, &byline)
    )?;
    writeln!(
        out,
        "{}
",
        marked_text(&cb, art, paint).trim_end()
    )?;
    // Suggestions are counted apart from the coding; rejected ones are not shown at all.
    match art.proposed() {
        0 => writeln!(out, "── {} annotation(s), offsets in Unicode code points ──", art.annotations.len())?,
        n => writeln!(
            out,
            "── {} annotation(s) and {n} suggestion(s) to review (?), offsets in Unicode code points ──",
            art.annotations.len() - n
        )?,
    }
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
            "{}\t{}{}{}\t{}–{}\t{}",
            printable(colour, &a.id.0),
            suggested(a),
            cb.label_name(&a.label),
            printable(colour, &suggested_by(a)),
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

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    pub path: Option<PathBuf>,
    /// Print the counts as one JSON document: `labels`, `claims_without_source`, `outlets`
    /// (each outlet's `articles`, `labels` and, with a registry, `sources`: the metadata's
    /// outlet, else the folder as `name/`, the root's articles under ""), `months` (the same
    /// by month published, `YYYY-MM`), and sources by entity and entity attribute for the
    /// `corpus`, each of its `folders` (the root's articles under "") and each of its `articles`;
    /// `picture`, the figures the stats view (`S`) and the HTML report chart (each article's
    /// code points, claims and boilerplate, the label mix, sources by entity and by entity
    /// attribute value, each team coder's done marks).
    #[arg(long)]
    pub json: bool,
    /// Also count sources by entity per article (`--by article`); per outlet is always shown.
    #[arg(long, value_enum, value_name = "GROUP")]
    pub by: Vec<StatsGroup>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsGroup {
    Folder,
    Article,
}

/// One entity's count in a group of articles.
#[derive(Debug, serde::Serialize)]
struct EntityRow {
    id: String,
    name: String,
    /// False for an id a mention names that the registry lacks (`check` reports it).
    in_registry: bool,
    attributes: BTreeMap<String, serde_json::Value>,
    mentions: usize,
    claims: usize,
    articles: usize,
}

/// One value of an entity attribute: the mentions of entities with it, their claims.
#[derive(Debug, serde::Serialize)]
struct ValueRow {
    /// The value's id; `None` for entities without one (and for unknown entities).
    value: Option<String>,
    name: String,
    mentions: usize,
    claims: usize,
    entities: usize,
}

#[derive(Debug, Default, serde::Serialize)]
struct Unlinked {
    mentions: usize,
    claims: usize,
}

/// Sources counted by the entity they stand for (resolved through merges) in some articles.
#[derive(Debug, serde::Serialize)]
struct Tally {
    entities: Vec<EntityRow>,
    /// Mentions that name no entity, and the claims attributed to them.
    unlinked: Unlinked,
    by_attribute: BTreeMap<String, Vec<ValueRow>>,
}

/// How people answered one detector's suggestions.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct DetectorRow {
    accepted: usize,
    rejected: usize,
    open: usize,
}

impl DetectorRow {
    /// accepted / (accepted + rejected): its precision in use; `None` until a person
    /// accepted or rejected one.
    fn precision(&self) -> Option<f64> {
        let decided = self.accepted + self.rejected;
        (decided > 0).then(|| self.accepted as f64 / decided as f64)
    }
}

/// Every suggestion of `arts` (any status) by its origin (`detector-version`): the loader
/// keeps rejected ones apart from the annotations (`ExportArticle::rejected`), so both are read.
fn detector_tally(arts: &[ExportArticle]) -> BTreeMap<String, DetectorRow> {
    let mut by: BTreeMap<String, DetectorRow> = BTreeMap::new();
    for a in arts.iter().flat_map(|art| art.annotations.iter().chain(&art.rejected)) {
        let Some(s) = &a.suggestion else { continue };
        let row = by.entry(s.origin()).or_default();
        match a.status {
            Status::Accepted => row.accepted += 1,
            Status::Rejected => row.rejected += 1,
            Status::Proposed => row.open += 1,
        }
    }
    by
}

/// Counts `arts` by entity: mentions, distinct claims and articles per entity (a claim with
/// two mentions of one person counts once for them), then per entity attribute value.
fn tally(arts: &[&ExportArticle], cb: &Codebook, reg: &crate::model::entities::Registry) -> Tally {
    use crate::model::entities::index::MentionIndex;
    let mut index = MentionIndex::default();
    let mut unlinked_claims = std::collections::BTreeSet::new();
    for art in arts {
        index.add_article(&art.id, &art.annotations, cb);
        for a in art.annotations.iter().filter(|a| cb.is_content(&a.label)) {
            if art.sources_of(cb, a).iter().any(|s| cb.mentions_entity(&s.label) && s.entity.is_none()) {
                unlinked_claims.insert((art.id.as_str(), &a.id));
            }
        }
    }
    let usage = index.usage(reg);
    let mut entities: Vec<EntityRow> = usage
        .iter()
        .map(|(id, u)| {
            let e = reg.get(id);
            EntityRow {
                id: id.to_string(),
                name: e.map_or_else(|| id.to_string(), |e| e.name.clone()),
                in_registry: e.is_some(),
                attributes: e
                    .map(|e| e.attributes.iter().map(|(k, v)| (k.clone(), super::entities::json_value(v))).collect())
                    .unwrap_or_default(),
                mentions: u.mentions.len(),
                claims: u.claims.len(),
                articles: u.articles.len(),
            }
        })
        .collect();
    entities.sort_by(|a, b| {
        b.claims
            .cmp(&a.claims)
            .then(b.mentions.cmp(&a.mentions))
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    let mut by_attribute = BTreeMap::new();
    for def in cb.entity_attributes() {
        // value id (None: not set) → (mentions, claims, entities)
        let mut acc: BTreeMap<Option<String>, (usize, std::collections::BTreeSet<_>, usize)> = BTreeMap::new();
        for (id, u) in &usage {
            let vals: Vec<Option<String>> = match reg.get(id).and_then(|e| e.attributes.get(&def.id)) {
                Some(v) if !v.ids().is_empty() => v.ids().into_iter().map(|v| Some(v.to_owned())).collect(),
                Some(v) => vec![Some(v.to_string())],
                None => vec![None],
            };
            for v in vals {
                let a = acc.entry(v).or_default();
                a.0 += u.mentions.len();
                a.1.extend(u.claims.iter().cloned());
                a.2 += 1;
            }
        }
        // Values in codebook order, then any it lacks, then "not set".
        let pos = |v: &Option<String>| match v {
            Some(v) => def.kind.values().iter().position(|d| &d.id == v).unwrap_or(usize::MAX - 1),
            None => usize::MAX,
        };
        let mut rows: Vec<ValueRow> = acc
            .into_iter()
            .map(|(value, (mentions, claims, entities))| ValueRow {
                name: value.as_ref().map_or_else(
                    || "(not set)".to_owned(),
                    |v| cb.entity_value_name(&def.id, &crate::model::annotation::AttrValue::One(v.clone())),
                ),
                value,
                mentions,
                claims: claims.len(),
                entities,
            })
            .collect();
        rows.sort_by_key(|r| pos(&r.value));
        by_attribute.insert(def.id.clone(), rows);
    }
    Tally {
        entities,
        unlinked: Unlinked { mentions: index.unlinked.len(), claims: unlinked_claims.len() },
        by_attribute,
    }
}

/// An article's outlet or folder: the first folder of its id; for a container's record at
/// the root, the container (a dump per outlet is common); `None` for a file at the root.
fn folder_of(id: &str) -> Option<&str> {
    let file = crate::model::corpus::file_of_id(id);
    file.split_once('/').map(|(f, _)| f).or_else(|| (file.len() < id.len()).then_some(file))
}

/// The group `stats` counts an article's outlet in: the outlet its metadata names (a page's
/// `og:site_name`, a record's mapped field), else the first folder of its id (corpora are
/// often saved a folder per outlet), else the corpus root. As a key: the outlet's name, the
/// folder's with a `/` after it (so a folder never merges with an outlet of that name), `""`
/// for the root.
fn outlet_of(art: &ExportArticle) -> String {
    match (art.meta.outlet.as_deref().map(str::trim).filter(|o| !o.is_empty()), folder_of(&art.id)) {
        (Some(outlet), _) => outlet.to_owned(),
        (None, Some(folder)) => format!("{folder}/"),
        (None, None) => String::new(),
    }
}

/// How an outlet group is named in text.
fn outlet_heading(tty: bool, key: &str) -> String {
    if key.is_empty() { "(articles at the corpus root)".into() } else { printable(tty, key).into_owned() }
}

/// The exported annotations of `arts` by label id.
fn label_counts(arts: &[&ExportArticle]) -> BTreeMap<String, usize> {
    let mut by = BTreeMap::new();
    for a in arts.iter().flat_map(|art| &art.annotations) {
        *by.entry(a.label.to_string()).or_default() += 1;
    }
    by
}

/// Articles grouped by `key`, in key order; an article without a key is left out.
fn grouped(
    arts: &[ExportArticle],
    key: impl Fn(&ExportArticle) -> Option<String>,
) -> BTreeMap<String, Vec<&ExportArticle>> {
    let mut by: BTreeMap<String, Vec<&ExportArticle>> = BTreeMap::new();
    for a in arts {
        if let Some(k) = key(a) {
            by.entry(k).or_default().push(a);
        }
    }
    by
}

/// A table of label counts, one row per group: articles, then a column per label of the
/// codebook (and any label it lacks that the groups use), then the group's name.
fn write_label_table(
    out: &mut impl Write,
    tty: bool,
    cb: &Codebook,
    groups: &BTreeMap<String, Vec<&ExportArticle>>,
) -> std::io::Result<()> {
    let counts: Vec<(&String, usize, BTreeMap<String, usize>)> =
        groups.iter().map(|(k, arts)| (k, arts.len(), label_counts(arts))).collect();
    let mut columns: Vec<(String, String)> = cb.labels.iter().map(|l| (l.id.to_string(), l.name.clone())).collect();
    for (_, _, by) in &counts {
        for l in by.keys().filter(|l| cb.label(l).is_none()) {
            if !columns.iter().any(|(id, _)| id == l) {
                columns.push((l.clone(), printable(tty, l).into_owned()));
            }
        }
    }
    let widths: Vec<usize> = columns.iter().map(|(_, name)| name.chars().count().max(5)).collect();
    write!(out, "  articles")?;
    for ((_, name), w) in columns.iter().zip(&widths) {
        write!(out, "  {name:>w$}")?;
    }
    writeln!(out, "  outlet")?;
    for (key, n, by) in &counts {
        write!(out, "  {n:>8}")?;
        for ((id, _), w) in columns.iter().zip(&widths) {
            write!(out, "  {:>w$}", by.get(id).copied().unwrap_or(0))?;
        }
        writeln!(out, "  {}", outlet_heading(tty, key))?;
    }
    Ok(())
}

/// A tally as text, each line indented by `indent`.
fn write_tally(out: &mut impl Write, tty: bool, cb: &Codebook, t: &Tally, indent: &str) -> std::io::Result<()> {
    if t.entities.is_empty() && t.unlinked.mentions == 0 {
        return writeln!(out, "{indent}(no sources)");
    }
    writeln!(out, "{indent}mentions  claims  articles  entity")?;
    for r in &t.entities {
        let name = if r.in_registry { r.name.clone() } else { format!("{} (not in the registry)", r.id) };
        writeln!(out, "{indent}{:>8}  {:>6}  {:>8}  {}", r.mentions, r.claims, r.articles, printable(tty, &name))?;
    }
    if t.unlinked.mentions > 0 {
        writeln!(
            out,
            "{indent}{:>8}  {:>6}  {:>8}  (mentions linked to no entity)",
            t.unlinked.mentions, t.unlinked.claims, "-"
        )?;
    }
    for def in cb.entity_attributes() {
        let Some(rows) = t.by_attribute.get(&def.id).filter(|r| !r.is_empty()) else { continue };
        writeln!(out, "{indent}by {}:", def.name)?;
        writeln!(out, "{indent}  mentions  claims  entities  value")?;
        for r in rows {
            writeln!(
                out,
                "{indent}  {:>8}  {:>6}  {:>8}  {}",
                r.mentions,
                r.claims,
                r.entities,
                printable(tty, &r.name)
            )?;
        }
    }
    Ok(())
}

pub fn stats(args: StatsArgs, common: &Common) -> anyhow::Result<()> {
    let corpus = open_corpus(args.path.as_deref(), common)?;
    let cb = &super::codebook_for(&corpus, common)?;
    let registry = super::registry_for(&corpus, common, cb)?;
    let corpus = &corpus;
    let (mut arts, skipped) = export::load(corpus, &mut progress());
    // Each detector's record, from every suggestion the files hold (rejected ones included);
    // then only the coding is counted: open suggestions apart, rejected ones never.
    let detectors = detector_tally(&arts);
    let mut proposed: BTreeMap<String, usize> = BTreeMap::new();
    for art in &mut arts {
        for a in art.annotations.iter().filter(|a| a.is_proposed()) {
            *proposed.entry(a.label.to_string()).or_default() += 1;
        }
        art.annotations.retain(|a| a.status == Status::Accepted);
        art.all.retain(|a| !a.is_rejected());
    }
    let tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    // Text goes to `text`, printed unless --json asked for the document instead.
    let mut text: Vec<u8> = Vec::new();
    let mut by_label: BTreeMap<String, usize> = BTreeMap::new();
    // (attribute id, value id) → count.
    let mut by_value: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut cited: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut unsourced = Vec::new();
    let outside: Vec<&str> = cb.labels.iter().filter(|l| l.not_article).map(|l| l.id.as_str()).collect();
    let names: Vec<&str> = cb.labels.iter().filter(|l| l.not_article).map(|l| l.name.as_str()).collect();
    if !outside.is_empty() {
        writeln!(text, "{} share of each article's text (code points):", names.join(" and "))?;
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
        let n = crate::model::picture::boilerplate_chars(cb, art.chars(), &art.annotations);
        let pct = if art.chars() == 0 { 0.0 } else { 100.0 * n as f64 / art.chars() as f64 };
        writeln!(text, "  {pct:5.1}%  {n:>6} of {:>6}  {}", art.chars(), printable(tty, &art.id))?;
    }
    // The figures the stats view and the report chart, from the same coding.
    let picture = {
        let mut g = crate::model::picture::Gather::new(cb);
        for art in &arts {
            g.add(&art.id, art.chars(), &art.annotations);
        }
        let reg = registry.as_ref();
        let mut p = g.finish(|id| reg.and_then(|r| crate::model::picture::Who::of(r, cb, id)));
        let team = crate::model::container::fields::CorpusConfig::load(&corpus.root)?.team;
        p.coders = crate::model::picture::coders_progress(&corpus.root, &team, arts.iter().map(|a| a.id.as_str()));
        p.agreement = crate::model::agree::alpha_per_label(corpus, &team.coders(&corpus.root), reg, cb);
        p
    };
    if !outside.is_empty() {
        let (b, chars) = picture.boilerplate();
        writeln!(text, "  {:5.1}%  {b:>6} of {chars:>6}  (all articles)", 100.0 * picture.boilerplate_share())?;
    }
    writeln!(text, "\nClaims per article (articles with that many claims):")?;
    for bar in picture.claims_histogram().into_iter().filter(|b| b.value > 0) {
        writeln!(text, "  {:>5}  {} claims", bar.value, bar.name)?;
    }
    if !picture.coders.is_empty() {
        writeln!(text, "\nCoders' progress (articles marked done):")?;
        for c in &picture.coders {
            let why = c.error.as_deref().map_or(String::new(), |e| format!(" ({})", printable(tty, e)));
            writeln!(text, "  {:>5} of {:>5}  {}{why}", c.done, c.of, printable(tty, &c.name))?;
        }
    }
    writeln!(text, "\nAnnotations by label:")?;
    for l in &cb.labels {
        writeln!(text, "  {:>5}  {}", by_label.get(&l.id).copied().unwrap_or(0), l.name)?;
    }
    for (l, n) in by_label.iter().filter(|(l, _)| cb.label(l).is_none()) {
        writeln!(text, "  {n:>5}  {} (not in the codebook)", printable(tty, l))?;
    }
    if !proposed.is_empty() {
        writeln!(text, "\nOpen suggestions by label (not counted above until a person accepts them):")?;
        for (l, n) in &proposed {
            writeln!(text, "  {n:>5}  {}", printable(tty, &cb.label_name(&crate::model::annotation::LabelId::new(l))))?;
        }
    }
    if !detectors.is_empty() {
        writeln!(text, "\nSuggestions by detector (precision in use: accepted / (accepted + rejected)):")?;
        writeln!(text, "  accepted  rejected      open  precision  detector")?;
        for (origin, d) in &detectors {
            let precision = d.precision().map_or_else(|| "-".to_owned(), |p| format!("{p:.2}"));
            writeln!(
                text,
                "  {:>8}  {:>8}  {:>8}  {precision:>9}  {}",
                d.accepted,
                d.rejected,
                d.open,
                printable(tty, origin)
            )?;
        }
    }
    for a in &cb.attributes {
        let rows: Vec<(&String, usize)> =
            by_value.iter().filter(|((id, _), _)| *id == a.id).map(|((_, v), n)| (v, *n)).collect();
        if rows.is_empty() {
            continue;
        }
        writeln!(text, "\n{} ({}):", a.name, a.labels.join(", "))?;
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
            writeln!(text, "  {n:>5}  {}", printable(tty, &name))?;
        }
    }
    // By outlet: the metadata's outlet, else the folder. A corpus all at its root has one
    // group, which says nothing the totals do not.
    let outlets = grouped(&arts, |a| Some(outlet_of(a)));
    let by_outlet = outlets.keys().any(|k| !k.is_empty());
    if by_outlet {
        writeln!(text, "\nAnnotations by label, per outlet (the article's outlet, else its folder):")?;
        write_label_table(&mut text, tty, cb, &outlets)?;
    }
    // By month of publication, for the articles whose date is known.
    let months = grouped(&arts, |a| a.meta.day().map(|d| d[..7].to_owned()));
    if !months.is_empty() {
        writeln!(text, "\nAnnotations by label, per month published (articles with a known date):")?;
        write_label_table(&mut text, tty, cb, &months)?;
    }
    let mut doc = serde_json::Map::new();
    let mut outlet_doc = serde_json::Map::new();
    for (k, list) in &outlets {
        outlet_doc.insert(k.clone(), serde_json::json!({ "articles": list.len(), "labels": label_counts(list) }));
    }
    let mut month_doc = serde_json::Map::new();
    for (k, list) in &months {
        month_doc.insert(k.clone(), serde_json::json!({ "articles": list.len(), "labels": label_counts(list) }));
    }
    if let Some(reg) = &registry {
        // Who is quoted: by the entity each mention stands for, whatever words the text used.
        let all: Vec<&ExportArticle> = arts.iter().collect();
        let whole = tally(&all, cb, reg);
        writeln!(text, "\nSources by entity, across the corpus (merged entities count for the one they became):")?;
        write_tally(&mut text, tty, cb, &whole, "  ")?;
        let mut folders: BTreeMap<&str, Vec<&ExportArticle>> = BTreeMap::new();
        for a in &arts {
            if let Some(f) = folder_of(&a.id) {
                folders.entry(f).or_default().push(a);
            }
        }
        if !folders.is_empty() {
            // Articles at the root are a group of their own, so every source is counted once.
            let at_root: Vec<&ExportArticle> = arts.iter().filter(|a| folder_of(&a.id).is_none()).collect();
            if !at_root.is_empty() {
                folders.insert("", at_root);
            }
        }
        // `folders` in the JSON as before, for the scripts that read it.
        let mut by_folder = serde_json::Map::new();
        for (f, list) in &folders {
            by_folder.insert((*f).to_owned(), serde_json::to_value(tally(list, cb, reg))?);
        }
        writeln!(text, "\nSources by entity, per outlet (the article's outlet, else its folder):")?;
        if !by_outlet {
            writeln!(text, "  (no outlets or folders)")?;
        }
        for (k, list) in outlets.iter().filter(|_| by_outlet) {
            let t = tally(list, cb, reg);
            writeln!(text, "  {}", outlet_heading(tty, k))?;
            write_tally(&mut text, tty, cb, &t, "    ")?;
            outlet_doc[k]["sources"] = serde_json::to_value(&t)?;
        }
        let mut by_article = serde_json::Map::new();
        let per_article = args.by.contains(&StatsGroup::Article);
        if per_article {
            writeln!(text, "\nSources by entity, per article:")?;
        }
        for a in arts.iter().filter(|_| per_article || args.json) {
            let t = tally(&[a], cb, reg);
            if per_article {
                writeln!(text, "  {}", printable(tty, &a.id))?;
                write_tally(&mut text, tty, cb, &t, "    ")?;
            }
            by_article.insert(a.id.clone(), serde_json::to_value(&t)?);
        }
        doc.insert("corpus".into(), serde_json::to_value(&whole)?);
        doc.insert("folders".into(), by_folder.into());
        doc.insert("articles".into(), by_article.into());
    } else {
        // A codebook without entities: sources are only the words the text used.
        let mut top: Vec<_> = cited.into_values().collect();
        top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        writeln!(text, "\nMost-cited sources by their words (claims attributed; this codebook has no entities):")?;
        for (n, name) in top.iter().take(15) {
            writeln!(text, "  {n:>5}  {}", printable(tty, name))?;
        }
    }
    writeln!(text, "\nClaims with no source: {}", unsourced.len())?;
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    unsourced.iter().for_each(|id| *per.entry(id).or_default() += 1);
    for (id, n) in per {
        writeln!(text, "  {n:>5}  {}", printable(tty, id))?;
    }
    if args.json {
        doc.insert("outlets".into(), outlet_doc.into());
        doc.insert("months".into(), month_doc.into());
        doc.insert("labels".into(), serde_json::to_value(&by_label)?);
        doc.insert("proposed".into(), serde_json::to_value(&proposed)?);
        let rows = detectors.iter().map(|(origin, d)| {
            let row = serde_json::json!({
                "accepted": d.accepted, "rejected": d.rejected, "open": d.open, "precision": d.precision(),
            });
            (origin.clone(), row)
        });
        doc.insert("detectors".into(), serde_json::Value::Object(rows.collect()));
        doc.insert("claims_without_source".into(), unsourced.len().into());
        doc.insert("picture".into(), serde_json::to_value(&picture)?);
        let json = serde_json::to_string_pretty(&serde_json::Value::Object(doc))?;
        writeln!(out, "{}", super::json_for_terminal(tty, &json))?;
    } else {
        out.write_all(&text)?;
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
