//! `entities`: the corpus's registry of who is quoted, from the command line.
//!
//! Scripts and people without the TUI need to list, inspect and correct the registry (a
//! rename, a merge of two entries that are one person, a split of one that is two). Every
//! write goes through [`Registry::save`], the one save path (the lock, the three-way merge
//! with another writer's save, the sidecar, the atomic write), so a command run while a coder
//! works in the TUI loses neither's changes. Values are the codebook's entity attributes,
//! checked here, so no value the codebook does not have reaches the file.

use super::{Common, Problems, for_terminal, json_for_terminal, scan_corpus, warn};
use crate::model::annotation::{AnnotationId, AttrValue, default_author};
use crate::model::codebook::{AttrKind, Codebook};
use crate::model::corpus::Corpus;
use crate::model::entities::index::{MentionIndex, relink};
use crate::model::entities::{Change, Entity, EntityId, Registry, fuzzy_rank};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

pub const HELP: &str = "Examples:
  newsnote entities                          one line per entity: id, name, attributes, mentions, claims, articles
  newsnote entities list ~/corpus --where type=anonymous
  newsnote entities show Peskov              names, attributes, every mention and the claims attributed
  newsnote entities add \"Мария Захарова\" --alias Захарова --attr type=official --attr gender=woman
  newsnote entities rename dmitry-peskov \"Dmitry S. Peskov\"
  newsnote entities alias dmitry-peskov \"the Kremlin spokesman\"
  newsnote entities set dmitry-peskov type=politician
  newsnote entities merge the-president vladimir-putin
  newsnote entities unmerge the-president
  newsnote entities split vladimir-putin --name \"Joe Biden\" --mention 000_e37f52fc02921a26:1a2b3c4d

The registry is sources.ron at the corpus root (or in --annotations DIR when the root has
none; --entities FILE names another). Subcommands other than list take the corpus as --in PATH.
Exit 1 when an entity is unknown or a change could not be saved whole.";

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct EntitiesArgs {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// The corpus (default: the current folder); `entities PATH` lists its entities.
    pub path: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// The corpus (default: the current folder).
    pub path: Option<PathBuf>,
    /// Print a JSON array instead (ids and value ids, for scripts).
    #[arg(long)]
    pub json: bool,
    /// Only entities with this attribute value (type=anonymous); repeat to require several.
    #[arg(long = "where", value_name = "ATTRIBUTE=VALUE")]
    pub filter: Vec<String>,
}

/// The corpus a subcommand works on.
#[derive(Debug, clap::Args)]
pub struct InCorpus {
    /// The corpus (default: the current folder).
    #[arg(long = "in", value_name = "PATH")]
    pub corpus: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// One line per entity (not merged into another): id, name, attributes, mentions, claims, articles.
    List(ListArgs),
    /// One entity: names, attributes, every mention (article, annotation, words) and its claims.
    Show {
        /// An id, a name or an alias.
        entity: String,
        #[command(flatten)]
        at: InCorpus,
    },
    /// A new entity; prints its id.
    Add {
        name: String,
        /// Another name the articles use for it; repeatable.
        #[arg(long = "alias", value_name = "NAME")]
        aliases: Vec<String>,
        /// A value of an entity attribute of the codebook (type=official); repeatable.
        #[arg(long = "attr", value_name = "ATTRIBUTE=VALUE")]
        attrs: Vec<String>,
        /// Its Wikidata item (Q…).
        #[arg(long, value_name = "Q…")]
        wikidata: Option<String>,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        at: InCorpus,
    },
    /// A new canonical name; the old one stays an alias.
    Rename {
        entity: String,
        name: String,
        #[command(flatten)]
        at: InCorpus,
    },
    /// Another name for an entity.
    Alias {
        entity: String,
        alias: String,
        #[command(flatten)]
        at: InCorpus,
    },
    /// Sets an entity attribute (ATTRIBUTE=VALUE; ATTRIBUTE= clears it).
    Set {
        entity: String,
        #[arg(value_name = "ATTRIBUTE=VALUE")]
        value: String,
        #[command(flatten)]
        at: InCorpus,
    },
    /// FROM is INTO: every mention of FROM, in every article, counts for INTO from now on.
    Merge {
        from: String,
        into: String,
        #[command(flatten)]
        at: InCorpus,
    },
    /// Undoes a merge: the entity stands for itself again.
    Unmerge {
        entity: String,
        #[command(flatten)]
        at: InCorpus,
    },
    /// Some mentions of ENTITY are someone else: they are linked to NEW (created unless it exists).
    Split {
        entity: String,
        /// The other entity's name.
        #[arg(long, value_name = "NEW")]
        name: String,
        /// A mention to move, ARTICLE:ANNOTATION_ID (an article id or file stem); repeatable.
        #[arg(long = "mention", value_name = "ARTICLE:ANNOTATION_ID", required = true)]
        mentions: Vec<String>,
        /// A value for the new entity (type=official); repeatable.
        #[arg(long = "attr", value_name = "ATTRIBUTE=VALUE")]
        attrs: Vec<String>,
        #[command(flatten)]
        at: InCorpus,
    },
}

pub fn run(args: EntitiesArgs, common: &Common) -> anyhow::Result<()> {
    let action = args.action.unwrap_or(Action::List(ListArgs { path: args.path, json: false, filter: Vec::new() }));
    match action {
        Action::List(a) => list(a, common),
        Action::Show { entity, at } => show(&entity, at, common),
        Action::Add { name, aliases, attrs, wikidata, note, at } => {
            let (_, cb, mut reg) = open(&at.corpus, common)?;
            if let Some(e) = reg.live().find(|e| e.has_name(&name)) {
                return Err(Problems(format!(
                    "already in the registry: {} ({}); `newsnote entities alias` adds a name to it",
                    e.id, e.name
                ))
                .into());
            }
            let aliases: Vec<&str> = aliases.iter().map(String::as_str).collect();
            let (id, mut change) = reg.add(&name, &aliases, &default_author(common.annotator.as_deref()))?;
            let e = change.after.as_mut().expect("an added entity");
            for spec in &attrs {
                let (attr, value) = attribute(&cb, spec)?;
                if let Some(v) = value {
                    e.attributes.insert(attr, v);
                }
            }
            e.wikidata = wikidata.map(|w| w.trim().to_owned()).filter(|w| !w.is_empty());
            e.note = note.filter(|n| !n.trim().is_empty());
            commit(&mut reg, vec![change])?;
            println!("{id}");
            Ok(())
        }
        Action::Rename { entity, name, at } => {
            let (_, _, mut reg) = open(&at.corpus, common)?;
            let id = find(&reg, &entity)?.id.clone();
            let c = reg.rename(&id, &name)?;
            commit(&mut reg, vec![c])?;
            println!("{id}");
            Ok(())
        }
        Action::Alias { entity, alias, at } => {
            let (_, _, mut reg) = open(&at.corpus, common)?;
            let id = find(&reg, &entity)?.id.clone();
            match reg.alias(&id, &alias)? {
                Some(c) => commit(&mut reg, vec![c])?,
                None => warn(format_args!("newsnote: {id} goes by {alias:?} already")),
            }
            println!("{id}");
            Ok(())
        }
        Action::Set { entity, value, at } => {
            let (_, cb, mut reg) = open(&at.corpus, common)?;
            // A malformed value is a usage error, whichever entity it is for.
            let (attr, v) = attribute(&cb, &value)?;
            let id = find(&reg, &entity)?.id.clone();
            let c = reg.set_attribute(&id, &attr, v)?;
            commit(&mut reg, vec![c])?;
            println!("{id}");
            Ok(())
        }
        Action::Merge { from, into, at } => merge(&from, &into, at, common),
        Action::Unmerge { entity, at } => {
            let (_, _, mut reg) = open(&at.corpus, common)?;
            // The merged entity itself, not what it resolves to.
            let id = reg
                .get(&EntityId::new(entity.as_str()))
                .or_else(|| reg.all().iter().find(|e| e.merged_into.is_some() && e.has_name(&entity)))
                .map(|e| e.id.clone())
                .ok_or_else(|| unknown(&reg, &entity))?;
            let changes = reg.unmerge(&id)?;
            commit(&mut reg, changes)?;
            println!("{id}");
            Ok(())
        }
        Action::Split { entity, name, mentions, attrs, at } => split(&entity, &name, &mentions, &attrs, at, common),
    }
}

/// The corpus, its codebook and its registry; an error when the codebook has no entities.
fn open(path: &Option<PathBuf>, common: &Common) -> anyhow::Result<(Corpus, Codebook, Registry)> {
    let corpus = scan_corpus(path.as_deref(), common)?;
    let cb = super::codebook_for(&corpus, common)?;
    let reg = super::registry_for(&corpus, common, &cb)?.ok_or_else(|| {
        anyhow::anyhow!("codebook {:?} has no entities (its `entities:` section says which labels name one)", cb.name)
    })?;
    Ok((corpus, cb, reg))
}

/// The error for a name or id the registry does not have, with the likeliest entities.
fn unknown(reg: &Registry, what: &str) -> anyhow::Error {
    let near: Vec<String> = fuzzy_rank(what, reg)
        .into_iter()
        .take(3)
        .filter_map(|id| reg.get(&id).map(|e| format!("{} ({})", e.id, e.name)))
        .collect();
    let hint = if near.is_empty() { String::new() } else { format!("; did you mean {}?", near.join(", ")) };
    Problems(format!("no entity {what:?} in {}{hint}", reg.path.display())).into()
}

/// The entity an id, name or alias means now (through merges).
pub fn find<'r>(reg: &'r Registry, what: &str) -> anyhow::Result<&'r Entity> {
    reg.find(what).ok_or_else(|| unknown(reg, what))
}

/// Applies `changes` and saves them through the one save path. A change another writer
/// contradicted at the same moment is kept in the sidecar, and said so (exit 1).
fn commit(reg: &mut Registry, changes: Vec<Change>) -> anyhow::Result<()> {
    reg.apply(&changes)?;
    let report = reg.save()?;
    if !report.conflicts.is_empty() {
        let ids: Vec<String> = report.conflicts.iter().map(|c| c.id.to_string()).collect();
        return Err(Problems(format!(
            "another writer changed {} at the same time: their version is in {}, this one beside it in its \
             .conflicts file (newsnote check lists it)",
            ids.join(", "),
            reg.path.display()
        ))
        .into());
    }
    Ok(())
}

/// `ATTRIBUTE=VALUE` as an entity attribute of the codebook and its value (`None`: clear).
/// A value of a set is given by its id or its name, in any case; the error lists them.
pub fn attribute(cb: &Codebook, spec: &str) -> anyhow::Result<(String, Option<AttrValue>)> {
    let (id, value) = spec.split_once('=').ok_or_else(|| anyhow::anyhow!("{spec:?}: expected ATTRIBUTE=VALUE"))?;
    let (id, value) = (id.trim(), value.trim());
    let defs = cb.entity_attributes();
    let def = defs.iter().find(|d| d.id == id || d.name.eq_ignore_ascii_case(id)).ok_or_else(|| {
        let ids: Vec<&str> = defs.iter().map(|d| d.id.as_str()).collect();
        anyhow::anyhow!(
            "{spec:?}: {id:?} is not an entity attribute of codebook {:?} (it has: {})",
            cb.name,
            if ids.is_empty() { "none".to_owned() } else { ids.join(", ") }
        )
    })?;
    if value.is_empty() {
        return Ok((def.id.clone(), None));
    }
    let allowed = || def.kind.values().iter().map(|v| v.id.as_str()).collect::<Vec<_>>().join(", ");
    let named = |v: &str| {
        def.kind
            .values()
            .iter()
            .find(|d| d.id.eq_ignore_ascii_case(v.trim()) || d.name.eq_ignore_ascii_case(v.trim()))
            .map(|d| d.id.clone())
            .ok_or_else(|| anyhow::anyhow!("{spec:?}: {} has no value {:?}; one of: {}", def.name, v.trim(), allowed()))
    };
    let parsed = match &def.kind {
        AttrKind::One(_) => AttrValue::One(named(value)?),
        AttrKind::Many(_) => AttrValue::Many(value.split(',').map(named).collect::<Result<_, _>>()?),
        kind => AttrValue::parse(kind, value).map_err(|why| anyhow::anyhow!("{spec:?}: {why}"))?,
    };
    Ok((def.id.clone(), Some(parsed)))
}

/// An entity's attribute values as the codebook names them, `-` for none, in codebook order.
fn values(cb: &Codebook, e: &Entity) -> Vec<String> {
    cb.entity_attributes()
        .iter()
        .map(|d| e.attributes.get(&d.id).map_or_else(|| "-".to_owned(), |v| cb.entity_value_name(&d.id, v)))
        .collect()
}

fn list(args: ListArgs, common: &Common) -> anyhow::Result<()> {
    let (corpus, cb, reg) = open(&args.path, common)?;
    let filters: Vec<(String, Option<AttrValue>)> =
        args.filter.iter().map(|f| attribute(&cb, f)).collect::<anyhow::Result<_>>()?;
    let index = MentionIndex::build(&corpus, &cb);
    let usage = index.usage(&reg);
    let tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    let chosen = reg.live().filter(|e| {
        filters.iter().all(|(attr, want)| match (e.attributes.get(attr), want) {
            (got, None) => got.is_none(),
            (Some(AttrValue::Many(got)), Some(AttrValue::Many(w))) => w.iter().all(|v| got.contains(v)),
            (got, want) => got == want.as_ref(),
        })
    });
    let mut rows = Vec::new();
    for e in chosen {
        let u = usage.get(&e.id).cloned().unwrap_or_default();
        if args.json {
            let attrs: BTreeMap<&str, serde_json::Value> =
                e.attributes.iter().map(|(k, v)| (k.as_str(), json_value(v))).collect();
            rows.push(serde_json::json!({
                "id": e.id.as_str(), "name": e.name, "aliases": e.aliases, "attributes": attrs,
                "wikidata": e.wikidata, "note": e.note,
                "mentions": u.mentions.len(), "claims": u.claims.len(), "articles": u.articles.len(),
            }));
        } else {
            // Each field is made safe on its own, so the tabs between them stay tabs.
            let mut fields = vec![e.id.to_string(), e.name.clone()];
            fields.extend(values(&cb, e));
            fields.iter_mut().for_each(|f| *f = for_terminal(tty, f).into_owned());
            let counts = format!(
                "{} mention(s)\t{} claim(s)\t{} article(s)",
                u.mentions.len(),
                u.claims.len(),
                u.articles.len()
            );
            writeln!(out, "{}\t{counts}", fields.join("\t"))?;
        }
    }
    if args.json {
        writeln!(out, "{}", json_for_terminal(tty, &serde_json::to_string_pretty(&rows)?))?;
    }
    if reg.all().is_empty() {
        warn(format_args!(
            "newsnote: no entities yet in {} (newsnote entities add NAME, or link a source in the TUI)",
            reg.path.display()
        ));
    }
    for e in &index.errors {
        warn(format_args!("newsnote: {e}"));
    }
    if !index.errors.is_empty() {
        return Err(Problems(format!(
            "{} annotation file(s) could not be read and are not counted",
            index.errors.len()
        ))
        .into());
    }
    Ok(())
}

/// A value as scripts want it: the value id of a set, a list of ids, else its text.
pub fn json_value(v: &AttrValue) -> serde_json::Value {
    match v {
        AttrValue::One(id) => serde_json::json!(id),
        AttrValue::Many(ids) => serde_json::json!(ids),
        other => serde_json::json!(other.to_string()),
    }
}

/// One line of a quote: whitespace folded, at most `max` code points.
fn short(quote: &str, max: usize) -> String {
    let q = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    match q.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &q[..i]),
        None => q,
    }
}

fn show(what: &str, at: InCorpus, common: &Common) -> anyhow::Result<()> {
    let (corpus, cb, reg) = open(&at.corpus, common)?;
    let e = find(&reg, what)?;
    let index = MentionIndex::build(&corpus, &cb);
    let u = index.usage(&reg).remove(&e.id).unwrap_or_default();
    // What the files hold is made safe field by field, so the tabs between fields stay tabs.
    let tty = std::io::stdout().is_terminal();
    let p = |s: &str| for_terminal(tty, s).into_owned();
    let mut text = format!("{} ({})\n", p(&e.name), p(e.id.as_str()));
    if !e.aliases.is_empty() {
        text.push_str(&format!("  also: {}\n", p(&e.aliases.join("; "))));
    }
    for d in cb.entity_attributes() {
        let v = e.attributes.get(&d.id).map_or_else(|| "-".to_owned(), |v| cb.entity_value_name(&d.id, v));
        text.push_str(&format!("  {}: {}\n", p(&d.name), p(&v)));
    }
    if let Some(w) = &e.wikidata {
        text.push_str(&format!("  wikidata: {}\n", p(w)));
    }
    if let Some(n) = &e.note {
        text.push_str(&format!("  note: {}\n", p(n)));
    }
    let absorbed: Vec<String> = reg
        .all()
        .iter()
        .filter(|m| m.merged_into.is_some() && reg.resolve(&m.id).is_some_and(|r| r.id == e.id))
        .map(|m| format!("{} ({})", m.id, m.name))
        .collect();
    if !absorbed.is_empty() {
        text.push_str(&format!("  merged into it: {}\n", p(&absorbed.join(", "))));
    }
    text.push_str(&format!("\n{} mention(s) in {} article(s):\n", u.mentions.len(), u.articles.len()));
    for &i in &u.mentions {
        let m = &index.mentions[i];
        let via = if m.entity != e.id { format!(" (as {})", p(m.entity.as_str())) } else { String::new() };
        text.push_str(&format!(
            "  {}\t{}\t{}–{}\t“{}”{via}\t{} claim(s)\n",
            p(&m.article),
            p(&m.annotation.0),
            m.start,
            m.end,
            p(&short(&m.quote, 60)),
            m.claims.len()
        ));
    }
    text.push_str(&format!("\n{} claim(s) attributed:\n", u.claims.len()));
    // Claim quotes are in the articles' annotation files, read once each.
    let mut files = BTreeMap::new();
    for (article, claim) in &u.claims {
        let file = files.entry(article.clone()).or_insert_with(|| {
            corpus
                .entries
                .iter()
                .find(|en| &en.id == article)
                .and_then(|en| crate::model::store::AnnotationFile::load(&en.ron_path, &en.id).ok().flatten())
        });
        let quote = file
            .as_ref()
            .and_then(|f| f.annotations.iter().find(|a| &a.id == claim))
            .map_or_else(String::new, |a| short(&a.full_quote(), 90));
        text.push_str(&format!("  {}\t{}\t“{}”\n", p(article), p(&claim.0), p(&quote)));
    }
    print!("{text}");
    Ok(())
}

fn merge(from: &str, into: &str, at: InCorpus, common: &Common) -> anyhow::Result<()> {
    let (corpus, cb, mut reg) = open(&at.corpus, common)?;
    let (a, b) = (find(&reg, from)?.clone(), find(&reg, into)?.clone());
    let changes = reg.merge(&a.id, &b.id)?;
    let usage = MentionIndex::build(&corpus, &cb).usage(&reg);
    let u = usage.get(&a.id).cloned().unwrap_or_default();
    commit(&mut reg, changes)?;
    let text = format!(
        "merged {} ({}) into {} ({}): its {} mention(s) in {} article(s) and {} claim(s) count for {} now; \
         `newsnote entities unmerge {}` undoes it",
        a.name,
        a.id,
        b.name,
        b.id,
        u.mentions.len(),
        u.articles.len(),
        u.claims.len(),
        b.name,
        a.id
    );
    println!("{}", for_terminal(std::io::stdout().is_terminal(), &text));
    Ok(())
}

fn split(
    what: &str,
    name: &str,
    specs: &[String],
    attrs: &[String],
    at: InCorpus,
    common: &Common,
) -> anyhow::Result<()> {
    let (corpus, cb, mut reg) = open(&at.corpus, common)?;
    let from = find(&reg, what)?.id.clone();
    let index = MentionIndex::build(&corpus, &cb);
    let stem = |id: &str| id.rsplit_once('.').map_or(id.to_owned(), |(s, _)| s.to_owned());
    // Every mention is checked before anything is written.
    let mut by_article: BTreeMap<usize, Vec<AnnotationId>> = BTreeMap::new();
    for spec in specs {
        let (article, ann) = spec
            .rsplit_once(':')
            .ok_or_else(|| anyhow::anyhow!("--mention {spec:?}: expected ARTICLE:ANNOTATION_ID"))?;
        let entry = corpus
            .entries
            .iter()
            .position(|en| en.id == article || stem(&en.id) == article)
            .ok_or_else(|| Problems(format!("--mention {spec:?}: no article {article:?} in the corpus")))?;
        let id = AnnotationId(ann.to_owned());
        let m =
            index.mentions.iter().find(|m| m.article == corpus.entries[entry].id && m.annotation == id).ok_or_else(
                || Problems(format!("--mention {spec:?}: no mention {ann} of an entity in that article")),
            )?;
        if reg.resolve(&m.entity).map(|e| &e.id) != Some(&from) {
            return Err(Problems(format!("--mention {spec:?}: {ann} names {}, not {from}", m.entity)).into());
        }
        by_article.entry(entry).or_default().push(id);
    }
    // The entity is on disk before any mention names it, so no mention ever names a missing one.
    let existing = reg.live().find(|e| e.has_name(name)).map(|e| e.id.clone());
    let to = match existing {
        Some(id) if id == from => anyhow::bail!("--name {name:?} is {from} itself"),
        Some(id) => id,
        None => {
            let (id, mut change) = reg.add(name, &[], &default_author(common.annotator.as_deref()))?;
            let e = change.after.as_mut().expect("an added entity");
            for spec in attrs {
                if let (attr, Some(v)) = attribute(&cb, spec)? {
                    e.attributes.insert(attr, v);
                }
            }
            commit(&mut reg, vec![change])?;
            id
        }
    };
    // Each article is saved on its own: one that cannot be changed (read-only, unreadable)
    // does not stop the others, and the message says which kept the old entity.
    let (mut moved, mut failed) = (0, Vec::new());
    for (entry, ids) in &by_article {
        let en = &corpus.entries[*entry];
        match relink(en, ids, Some(&to)) {
            Ok(was) => moved += was.len(),
            Err(e) => failed.push(format!("{}: {e}", en.id)),
        }
    }
    warn(format_args!("newsnote: {moved} mention(s) of {from} now name {to}"));
    println!("{to}");
    if !failed.is_empty() {
        return Err(
            Problems(format!("not relinked (these mentions still name {from}):\n  {}", failed.join("\n  "))).into()
        );
    }
    Ok(())
}
