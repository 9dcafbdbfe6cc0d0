//! `tag`: add an annotation from a script, located by its quote.
//!
//! Its messages name the article and the ids it was given; like every command's, they reach
//! a terminal through the sanitiser (`warn`, and `main` for errors).

use super::inspect::resolve;
use super::{Common, Problems, warn};
use crate::import::parse_label;
use crate::model::annotation::{Annotation, AnnotationId, AttrValue, default_author, now_rfc3339};
use crate::model::codebook::Codebook;
use crate::model::document::{Document, Edit};
use crate::model::units::ByteRange;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct TagArgs {
    /// An article file, or an article id / file stem in the corpus (--in, else the current folder).
    pub article: String,
    /// A label id or name of the codebook, or LABEL:VALUE for the value of the label's asked
    /// attribute (e.g. boilerplate:DonationAppeal); `newsnote codebook` lists them.
    #[arg(long)]
    pub label: String,
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
    /// An attribute value, ATTRIBUTE=VALUE (the codebook's ids: quote_type=direct); repeat it
    /// for several attributes, or for several values of a several-of attribute.
    #[arg(long = "attr", value_name = "ATTRIBUTE=VALUE")]
    pub attrs: Vec<String>,
    /// A link by any relation of the codebook, RELATION=ID (cue=1a2b3c4d); repeatable.
    #[arg(long = "link", value_name = "RELATION=ID")]
    pub links: Vec<String>,
    /// Attach the annotation to an existing one that links to it by a relation of the
    /// codebook: a cue to the claim it introduces (--attach-to CLAIM_ID). The relation is the
    /// one from that annotation's label to this label; RELATION=ID names it when there are
    /// several. Repeatable.
    #[arg(long = "attach-to", value_name = "[RELATION=]ID")]
    pub attach_to: Vec<String>,
    /// When the same label is already on that span, set the given attributes, links and note
    /// on it instead of leaving it as it is (re-coding a corpus from a script).
    #[arg(long)]
    pub update: bool,
    /// For a label that names an entity (Source): who the mention is, an entity id, name or
    /// alias of the registry (`newsnote entities` lists them).
    #[arg(long, value_name = "ID|NAME", conflicts_with = "new_entity")]
    pub entity: Option<String>,
    /// Like --entity, for someone the registry does not have yet: adds the entity NAME
    /// (saved before the mention names it).
    #[arg(long, value_name = "NAME")]
    pub new_entity: Option<String>,
    /// The corpus to look the article up in.
    #[arg(long = "in", value_name = "PATH")]
    pub corpus: Option<PathBuf>,
}

pub fn run(args: TagArgs, common: &Common) -> anyhow::Result<()> {
    let (corpus, i) = resolve(&args.article, args.corpus.as_deref(), common)?;
    let entry = &corpus.entries[i];
    let book = super::codebook_for(&corpus, common)?;
    let target = parse_label(&book, &args.label).ok_or_else(|| {
        let ids: Vec<&str> = book.labels.iter().map(|l| l.id.as_str()).collect();
        anyhow::anyhow!(
            "--label {:?}: not a label of codebook {:?} ({}); LABEL:VALUE sets the label's asked attribute",
            args.label,
            book.name,
            ids.join(", ")
        )
    })?;
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
        target.label.clone(),
        text,
        bytes,
        chars,
        &default_author(common.annotator.as_deref()),
        &now_rfc3339(),
    );
    target.apply(&mut ann);
    ann.note = args.note.filter(|n| !n.trim().is_empty());
    // Checked before anything is written; a new entity is saved only once the rest is valid.
    let mut new_entity = None;
    if args.entity.is_some() || args.new_entity.is_some() {
        if !book.mentions_entity(&ann.label) {
            return Err(Problems(format!(
                "--entity is for a label that names an entity ({}); {} does not",
                book.entities.as_ref().map_or_else(|| "this codebook has none".to_owned(), |e| e.mentions.join(", ")),
                book.label_name(&ann.label)
            ))
            .into());
        }
        let reg = super::registry_for(&corpus, common, &book)?
            .ok_or_else(|| anyhow::anyhow!("codebook {:?} has no entity registry", book.name))?;
        if let Some(what) = &args.entity {
            ann.entity = Some(super::entities::find(&reg, what)?.id.clone());
        } else if let Some(name) = &args.new_entity {
            let existing = reg.live().find(|e| e.has_name(name)).map(|e| e.id.clone());
            match existing {
                Some(id) => {
                    warn(format_args!("newsnote: {name:?} is in the registry already, as {id}: linked to it"));
                    ann.entity = Some(id);
                }
                None => {
                    let (id, change) = reg.add(name, &[], &default_author(common.annotator.as_deref()))?;
                    ann.entity = Some(id);
                    new_entity = Some((reg, change));
                }
            }
        }
    }
    for a in &args.attrs {
        set_attribute(&book, &mut ann, a)?;
    }
    let mut links: Vec<(String, String)> = Vec::new();
    if !args.source.is_empty() {
        let rel =
            book.source_relation().filter(|r| r.from.iter().any(|l| l == ann.label.as_str())).ok_or_else(|| {
                anyhow::anyhow!("--source is for {} only (the label is {})", content_names(&book), ann.label)
            })?;
        links.extend(args.source.iter().map(|s| (rel.id.clone(), s.clone())));
    }
    for l in &args.links {
        let (rel, id) = l.split_once('=').ok_or_else(|| anyhow::anyhow!("--link {l:?}: expected RELATION=ID"))?;
        links.push((rel.trim().to_owned(), id.trim().to_owned()));
    }
    for (rel, target_id) in links {
        let def = book.relation(&rel).ok_or_else(|| anyhow::anyhow!("--link: no relation {rel:?} in the codebook"))?;
        if !def.from.iter().any(|l| l == ann.label.as_str()) {
            anyhow::bail!("relation {rel} starts at {}, not at {}", def.from.join(" or "), ann.label);
        }
        let id = AnnotationId(target_id);
        match doc.get(&id) {
            Some(t) if def.to.iter().any(|l| l == t.label.as_str()) => {
                if !def.many && !ann.linked(&rel).is_empty() && !ann.linked(&rel).contains(&id) {
                    anyhow::bail!("relation {rel} takes one target; {} given", ann.linked(&rel).len() + 1);
                }
                ann.link(&rel, id);
            }
            Some(t) => {
                return Err(Problems(format!(
                    "{id} is a {}, not a {} ({rel} links to those)",
                    book.label_name(&t.label),
                    def.to.join(" or ")
                ))
                .into());
            }
            None => return Err(Problems(format!("no annotation {id} in {}", entry.id)).into()),
        }
    }
    let now = now_rfc3339();
    let mut edits = Vec::new();
    // Tagging is idempotent, so a script can be run again: the same label on the same span
    // is the annotation already there, not a second one that doubles every count.
    let subject = match doc.identical(&ann.label, ann.span()).cloned() {
        Some(there) if args.update => {
            let id = there.id.clone();
            let after = updated(&book, &there, &ann, &args.attrs)?;
            if after != there {
                for misfit in book.misfits(&after) {
                    warn(format_args!("newsnote: {misfit}"));
                }
                edits.push(Edit::Update { before: there, after: Annotation { modified: now.clone(), ..after } });
            }
            id
        }
        Some(there) => {
            let mut kept = Vec::new();
            if ann.note.is_some() && ann.note != there.note {
                kept.push("note");
            }
            if !ann.links.is_empty() && ann.links != there.links {
                kept.push("links");
            }
            if !ann.attributes.is_empty() && ann.attributes != there.attributes {
                kept.push("attributes");
            }
            if ann.entity.is_some() && ann.entity != there.entity {
                kept.push("entity");
            }
            let kept = if kept.is_empty() {
                String::new()
            } else {
                format!("; its {} left as it is (--update sets them)", kept.join(" and "))
            };
            warn(format_args!("newsnote: already there: {} {} in {}{kept}", there.label, there.id, entry.id));
            there.id
        }
        None => {
            for misfit in book.misfits(&ann) {
                warn(format_args!("newsnote: {misfit}"));
            }
            let id = ann.id.clone();
            edits.push(Edit::Insert(ann.clone()));
            id
        }
    };
    for spec in &args.attach_to {
        if let Some(e) = attach(&book, &doc, &edits, &ann.label, &subject, spec, &now)? {
            edits.push(e);
        }
    }
    if edits.is_empty() {
        println!("{subject}");
        return Ok(());
    }
    // The entity is on disk before the mention names it, so no file ever names a missing one.
    if let Some((mut reg, change)) = new_entity {
        reg.apply(std::slice::from_ref(&change))?;
        reg.save()?;
    }
    doc.codebook = Some(book.reference());
    for e in &edits {
        doc.apply(e);
    }
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
    let id = subject;
    println!("{id}");
    Ok(())
}

/// `there` with what this `tag --update` gives: the attributes (a several-of one collects
/// the values), the links (a one-target relation keeps refusing a second target) and the
/// note. `given` is the annotation the arguments describe, already checked.
fn updated(book: &Codebook, there: &Annotation, given: &Annotation, attrs: &[String]) -> anyhow::Result<Annotation> {
    let mut after = there.clone();
    // The asked value given as LABEL:VALUE is among `given`'s attributes; --attr values are
    // set again on the existing annotation so that several-of values add to what it has.
    for (k, v) in &given.attributes {
        if !attrs
            .iter()
            .any(|a| a.split_once('=').is_some_and(|(id, _)| book.attribute(id.trim()).is_some_and(|d| &d.id == k)))
        {
            after.attributes.insert(k.clone(), v.clone());
        }
    }
    for a in attrs {
        set_attribute(book, &mut after, a)?;
    }
    if given.note.is_some() {
        after.note.clone_from(&given.note);
    }
    if given.entity.is_some() {
        after.entity.clone_from(&given.entity);
    }
    for (rel, ids) in &given.links {
        for id in ids {
            let one = book.relation(rel).is_some_and(|d| !d.many);
            if one && !after.linked(rel).is_empty() && !after.linked(rel).contains(id) {
                anyhow::bail!("relation {rel} takes one target and {} has one already", there.id);
            }
            after.link(rel, id.clone());
        }
    }
    Ok(after)
}

/// The edit that links annotation `spec` (`ID` or `RELATION=ID`) to `subject` (of `label`):
/// a cue attached to its claim. None when the link is there already. `pending` are the edits
/// of this run, so the subject may be the one being inserted.
fn attach(
    book: &Codebook,
    doc: &Document,
    pending: &[Edit],
    label: &crate::model::annotation::LabelId,
    subject: &AnnotationId,
    spec: &str,
    now: &str,
) -> anyhow::Result<Option<Edit>> {
    let (rel, owner_id) = match spec.split_once('=') {
        Some((r, id)) => (Some(r.trim()), AnnotationId(id.trim().to_owned())),
        None => (None, AnnotationId(spec.trim().to_owned())),
    };
    if &owner_id == subject {
        anyhow::bail!("--attach-to {spec}: an annotation cannot be attached to itself");
    }
    let owner = doc
        .get(&owner_id)
        .ok_or_else(|| Problems(format!("--attach-to {spec}: no annotation {owner_id} in {}", doc.article.id)))?;
    let fits: Vec<_> = book
        .relations_from(owner.label.as_str())
        .filter(|r| r.to.iter().any(|l| l == label.as_str()) && rel.is_none_or(|want| r.id == want))
        .collect();
    let def = match fits.as_slice() {
        [one] => *one,
        [] => {
            return Err(Problems(format!(
                "--attach-to {spec}: the codebook has no relation{} from {} to {}",
                rel.map_or(String::new(), |r| format!(" {r}")),
                book.label_name(&owner.label),
                book.label_name(label)
            ))
            .into());
        }
        several => {
            let names: Vec<&str> = several.iter().map(|r| r.id.as_str()).collect();
            anyhow::bail!("--attach-to {spec}: say which relation, RELATION=ID ({})", names.join(", "));
        }
    };
    if owner.linked(&def.id).contains(subject) {
        return Ok(None);
    }
    if !def.many && !owner.linked(&def.id).is_empty() {
        return Err(Problems(format!(
            "--attach-to {spec}: {owner_id} has its {} already and the codebook allows one",
            def.name
        ))
        .into());
    }
    if !def.shared {
        // Counted over the file and this run's edits: the subject may be new.
        let elsewhere = doc.annotations.iter().chain(pending.iter().filter_map(|e| match e {
            Edit::Update { after, .. } => Some(after),
            _ => None,
        }));
        if let Some(other) = elsewhere.filter(|a| a.id != owner_id).find(|a| a.linked(&def.id).contains(subject)) {
            return Err(Problems(format!(
                "--attach-to {spec}: {subject} is the {} of {} already; the codebook gives it to one",
                def.name, other.id
            ))
            .into());
        }
    }
    let mut after = owner.clone();
    after.link(&def.id, subject.clone());
    after.modified = now.to_owned();
    Ok(Some(Edit::Update { before: owner.clone(), after }))
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

/// The labels whose annotations are attributed (claims), for messages.
fn content_names(book: &Codebook) -> String {
    book.attribution
        .as_ref()
        .and_then(|a| book.label(&a.content))
        .map_or("attributed content".into(), |l| l.name.clone())
}

/// `ATTRIBUTE=VALUE` onto `ann`, checked against the codebook; a several-of attribute
/// collects every value given.
fn set_attribute(book: &Codebook, ann: &mut Annotation, spec: &str) -> anyhow::Result<()> {
    let (id, value) =
        spec.split_once('=').ok_or_else(|| anyhow::anyhow!("--attr {spec:?}: expected ATTRIBUTE=VALUE"))?;
    let id = id.trim();
    let def = book
        .attribute(id)
        .or_else(|| book.attributes.iter().find(|a| a.name.eq_ignore_ascii_case(id)))
        .ok_or_else(|| anyhow::anyhow!("--attr {spec:?}: no attribute {id:?} in codebook {:?}", book.name))?;
    if !def.labels.iter().any(|l| l == ann.label.as_str()) {
        anyhow::bail!("--attr {spec:?}: {} applies to {}, not {}", def.name, def.labels.join(", "), ann.label);
    }
    // A value of a set may be given by its id or its name, in any case.
    let named = |v: &str| {
        def.kind
            .values()
            .iter()
            .find(|d| d.id.eq_ignore_ascii_case(v.trim()) || d.name.eq_ignore_ascii_case(v.trim()))
            .map_or_else(|| v.trim().to_owned(), |d| d.id.clone())
    };
    let parsed = match (&def.kind, ann.attributes.get(&def.id)) {
        (crate::model::codebook::AttrKind::Many(_), Some(AttrValue::Many(old))) => {
            let mut all = old.clone();
            all.push(named(value));
            Ok(AttrValue::Many(all))
        }
        (crate::model::codebook::AttrKind::Many(_), _) => Ok(AttrValue::Many(vec![named(value)])),
        (crate::model::codebook::AttrKind::One(_), _) => AttrValue::parse(&def.kind, &named(value)),
        _ => AttrValue::parse(&def.kind, value),
    }
    .map_err(|why| anyhow::anyhow!("--attr {spec:?}: {why}"))?;
    if let Some(why) = parsed.misfit(&def.kind) {
        anyhow::bail!("--attr {spec:?}: {why}");
    }
    ann.attributes.insert(def.id.clone(), parsed);
    Ok(())
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
