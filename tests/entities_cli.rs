//! The entity registry from the command line, run as the real binary on temp copies of the
//! samples (articles in `articles/`, their annotations and `sources.ron` in `annotations/`):
//! `entities` and its subcommands, `tag --entity`, `stats` by entity, `show`, `check`, the
//! demo, and two writers adding entities at once (processes, and two git branches).

mod common;

use newsnote::model::entities::EntityFile;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const KREMLIN: &str = "000_e37f52fc02921a26";
const CNN: &str = "002_915808095f53d4db";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A corpus like the checkout's: articles/ and annotations/ (with sources.ron) side by side.
struct Samples {
    dir: tempfile::TempDir,
}

impl Samples {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (arts, anns) = (dir.path().join("articles"), dir.path().join("annotations"));
        std::fs::create_dir_all(&arts).unwrap();
        std::fs::create_dir_all(&anns).unwrap();
        for stem in [KREMLIN, CNN] {
            let txt = format!("{stem}.txt");
            std::fs::copy(root().join("assets/articles").join(&txt), arts.join(&txt)).unwrap();
            let ron = format!("{stem}.ron");
            std::fs::copy(root().join("annotations").join(&ron), anns.join(&ron)).unwrap();
        }
        std::fs::copy(root().join("annotations/sources.ron"), anns.join("sources.ron")).unwrap();
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn registry(&self) -> PathBuf {
        self.path().join("annotations/sources.ron")
    }

    fn ron(&self, stem: &str) -> PathBuf {
        self.path().join(format!("annotations/{stem}.ron"))
    }

    /// Runs newsnote on this corpus: `--annotations annotations` added, `{}` in an argument
    /// replaced by the articles folder.
    fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<String> = args.iter().map(|a| a.replace("{}", "articles")).collect();
        all.extend(["--annotations".into(), "annotations".into()]);
        newsnote(&all.iter().map(String::as_str).collect::<Vec<_>>(), self.path())
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(code(&o), 0, "{args:?}: {}{}", stdout(&o), stderr(&o));
        stdout(&o)
    }

    fn entities(&self) -> EntityFile {
        let bytes = std::fs::read(self.registry()).unwrap();
        EntityFile::parse_bytes(&self.registry(), &bytes).unwrap()
    }
}

fn newsnote(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .env("USER", "entities-test")
        // As an installed binary: a missing PATH is the current folder, never the checkout.
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("run newsnote")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

/// The line of `out` that starts with `start`.
fn line<'a>(out: &'a str, start: &str) -> &'a str {
    out.lines().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("no line {start:?} in\n{out}"))
}

#[test]
fn entities_list_counts_every_mention_claim_and_article_of_each_entity_whatever_words_the_text_used() {
    let s = Samples::new();
    let out = s.ok(&["entities", "{}"]);
    assert_eq!(out.lines().count(), 12, "one line per entity:\n{out}");
    assert_eq!(
        line(&out, "dmitry-peskov\t"),
        "dmitry-peskov\tDmitry Peskov\tofficial\tman\t9 mention(s)\t10 claim(s)\t2 article(s)"
    );
    assert_eq!(s.ok(&["entities", "list", "{}"]), out, "list is the default");
    let json: serde_json::Value = serde_json::from_str(&s.ok(&["entities", "list", "{}", "--json"])).unwrap();
    let peskov = json.as_array().unwrap().iter().find(|e| e["id"] == "dmitry-peskov").unwrap();
    assert_eq!(peskov["claims"], 10);
    assert_eq!(peskov["attributes"]["type"], "official");
    assert!(peskov["aliases"].as_array().unwrap().iter().any(|a| a == "Peskov"));
}

#[test]
fn entities_list_where_filters_by_an_attribute_value_and_a_bad_value_names_the_allowed_ones() {
    let s = Samples::new();
    let media = s.ok(&["entities", "list", "{}", "--where", "type=media"]);
    let ids: Vec<&str> = media.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(ids, ["reuters", "the-washington-post"]);
    assert_eq!(s.ok(&["entities", "list", "{}", "--where", "source type=Media"]), media, "names work too");
    let o = s.run(&["entities", "list", "{}", "--where", "type=источник"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("has no value \"источник\"; one of: official, politician, expert"), "{}", stderr(&o));
    let o = s.run(&["entities", "list", "{}", "--where", "пол=man"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not an entity attribute") && stderr(&o).contains("type, gender"), "{}", stderr(&o));
}

#[test]
fn entities_add_prints_the_new_id_keeps_every_field_and_refuses_a_name_already_there() {
    let s = Samples::new();
    let args = [
        "entities",
        "add",
        "Мария Захарова",
        "--alias",
        "Захарова",
        "--attr",
        "type=official",
        "--attr",
        "gender=woman",
        "--wikidata",
        "Q4295589",
        "--note",
        "МИД России",
        "--in",
        "{}",
    ];
    assert_eq!(s.ok(&args).trim(), "мария-захарова");
    let file = s.entities();
    let e = file.entities.iter().find(|e| e.id.as_str() == "мария-захарова").unwrap();
    assert_eq!((e.name.as_str(), e.aliases.as_slice()), ("Мария Захарова", &["Захарова".to_owned()][..]));
    assert_eq!(e.attributes["gender"].to_string(), "woman");
    assert_eq!(
        (e.wikidata.as_deref(), e.note.as_deref(), e.author.as_str()),
        (Some("Q4295589"), Some("МИД России"), "entities-test")
    );
    assert_eq!(file.entities.len(), 13);

    let before = std::fs::read(s.registry()).unwrap();
    let o = s.run(&["entities", "add", "захарова", "--in", "{}"]);
    assert_eq!(code(&o), 1, "an alias is a name already there");
    assert!(stderr(&o).contains("already in the registry: мария-захарова"), "{}", stderr(&o));
    let o = s.run(&["entities", "add", "Иван", "--attr", "type=шпион", "--in", "{}"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("one of: official"), "{}", stderr(&o));
    assert_eq!(std::fs::read(s.registry()).unwrap(), before, "a refused add writes nothing");
}

#[test]
fn rename_alias_and_set_change_the_entity_and_every_count_follows_the_new_name() {
    let s = Samples::new();
    assert_eq!(s.ok(&["entities", "rename", "Peskov", "Дмитрий Песков", "--in", "{}"]).trim(), "dmitry-peskov");
    s.ok(&["entities", "alias", "dmitry-peskov", "пресс-секретарь Кремля", "--in", "{}"]);
    s.ok(&["entities", "set", "dmitry-peskov", "type=politician", "--in", "{}"]);
    let file = s.entities();
    let e = file.entities.iter().find(|e| e.id.as_str() == "dmitry-peskov").unwrap();
    assert_eq!(e.name, "Дмитрий Песков");
    assert!(e.aliases.contains(&"Dmitry Peskov".to_owned()), "the old name stays an alias: {:?}", e.aliases);
    assert!(e.aliases.contains(&"пресс-секретарь Кремля".to_owned()));
    assert_eq!(e.attributes["type"].to_string(), "politician");
    let stats = s.ok(&["stats", "{}"]);
    assert!(stats.contains("         9      10         2  Дмитрий Песков"), "{stats}");
    s.ok(&["entities", "set", "Дмитрий Песков", "gender=", "--in", "{}"]);
    assert!(
        !s.entities().entities.iter().any(|e| e.id.as_str() == "dmitry-peskov" && e.attributes.contains_key("gender"))
    );
    let o = s.run(&["entities", "rename", "Никто", "X", "--in", "{}"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("no entity \"Никто\""), "{}", stderr(&o));
}

#[test]
fn a_merge_counts_every_mention_of_one_entity_for_the_other_without_touching_an_annotation_file_and_unmerge_undoes_it()
{
    let s = Samples::new();
    let files = || [s.ron(KREMLIN), s.ron(CNN)].map(|p| std::fs::read(p).unwrap());
    let before = files();
    let said = s.ok(&["entities", "merge", "Zelensky", "Dmitry Peskov", "--in", "{}"]);
    assert!(
        said.contains("merged Volodymyr Zelensky (volodymyr-zelensky) into Dmitry Peskov (dmitry-peskov): its 2 mention(s) in 2 article(s) and 1 claim(s)"),
        "{said}"
    );
    assert_eq!(files(), before, "mentions keep their entity; they resolve through merged_into");
    let list = s.ok(&["entities", "{}"]);
    assert!(!list.contains("volodymyr-zelensky"), "a merged entity is not listed:\n{list}");
    assert!(line(&list, "dmitry-peskov\t").ends_with("11 mention(s)\t11 claim(s)\t2 article(s)"), "{list}");
    let shown = s.ok(&["entities", "show", "volodymyr-zelensky", "--in", "{}"]);
    assert!(shown.starts_with("Dmitry Peskov (dmitry-peskov)") && shown.contains("(as volodymyr-zelensky)"), "{shown}");
    assert!(s.ok(&["stats", "{}"]).contains("        11      11         2  Dmitry Peskov"));

    s.ok(&["entities", "unmerge", "volodymyr-zelensky", "--in", "{}"]);
    assert_eq!(
        s.entities(),
        EntityFile::parse_bytes(Path::new("x"), &std::fs::read(root().join("annotations/sources.ron")).unwrap())
            .map(|mut f| {
                // Only the timestamps of the two entities differ from the shipped file.
                let now = s.entities();
                for (a, b) in f.entities.iter_mut().zip(&now.entities) {
                    a.modified.clone_from(&b.modified);
                }
                f
            })
            .unwrap()
    );
    assert!(line(&s.ok(&["entities", "{}"]), "dmitry-peskov\t").ends_with("9 mention(s)\t10 claim(s)\t2 article(s)"));
}

#[test]
fn split_links_the_named_mentions_to_a_new_entity_and_refuses_a_mention_of_another_entity() {
    let s = Samples::new();
    let before = std::fs::read(s.ron(KREMLIN)).unwrap();
    let o = s.run(&[
        "entities",
        "split",
        "dmitry-peskov",
        "--name",
        "Другой",
        "--mention",
        &format!("{KREMLIN}:c6c4f7f7"),
        "--in",
        "{}",
    ]);
    assert_eq!(code(&o), 1, "c6c4f7f7 names Putin");
    assert!(stderr(&o).contains("names vladimir-putin, not dmitry-peskov"), "{}", stderr(&o));
    assert_eq!(std::fs::read(s.ron(KREMLIN)).unwrap(), before);
    assert_eq!(s.entities().entities.len(), 12, "nothing is added when a mention is refused");

    let args = [
        "entities",
        "split",
        "dmitry-peskov",
        "--name",
        "Другой человек",
        "--attr",
        "type=citizen",
        "--mention",
        &format!("{KREMLIN}:29a449c4"),
        "--in",
        "{}",
    ];
    assert_eq!(s.ok(&args).trim(), "другой-человек");
    let file =
        newsnote::model::store::AnnotationFile::load(&s.ron(KREMLIN), &format!("{KREMLIN}.txt")).unwrap().unwrap();
    let named = |id: &str| file.annotations.iter().find(|a| a.id.0 == id).unwrap().entity.as_ref().unwrap().to_string();
    assert_eq!(named("29a449c4"), "другой-человек");
    assert_eq!(named("2eba8bdc"), "dmitry-peskov", "the other mentions stay");
    let list = s.ok(&["entities", "{}"]);
    assert!(line(&list, "dmitry-peskov\t").ends_with("8 mention(s)\t10 claim(s)\t2 article(s)"), "{list}");
    assert_eq!(
        line(&list, "другой-человек\t"),
        "другой-человек\tДругой человек\tcitizen\t-\t1 mention(s)\t0 claim(s)\t1 article(s)"
    );
}

#[test]
fn tag_entity_links_a_new_mention_and_refuses_a_label_that_names_none_or_an_unknown_entity() {
    let s = Samples::new();
    let art = format!("articles/{KREMLIN}.txt");
    let id =
        s.ok(&["tag", &art, "--label", "source", "--quote", "Sevastopol", "--occurrence", "2", "--entity", "Peskov"]);
    let file =
        newsnote::model::store::AnnotationFile::load(&s.ron(KREMLIN), &format!("{KREMLIN}.txt")).unwrap().unwrap();
    let a = file.annotations.iter().find(|a| a.id.0 == id.trim()).unwrap();
    assert_eq!(a.entity.as_ref().map(|e| e.as_str()), Some("dmitry-peskov"));

    let before = std::fs::read(s.ron(KREMLIN)).unwrap();
    let o =
        s.run(&["tag", &art, "--label", "claim", "--quote", "Sevastopol", "--occurrence", "3", "--entity", "Peskov"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("--entity is for a label that names an entity (Source); Claim does not"),
        "{}",
        stderr(&o)
    );
    let o = s.run(&[
        "tag",
        &art,
        "--label",
        "source",
        "--quote",
        "Sevastopol",
        "--occurrence",
        "3",
        "--entity",
        "Пескoв-нет",
    ]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("no entity \"Пескoв-нет\""), "{}", stderr(&o));
    assert_eq!(std::fs::read(s.ron(KREMLIN)).unwrap(), before, "a refused tag writes nothing");

    let id = s.ok(&[
        "tag",
        &art,
        "--label",
        "source",
        "--quote",
        "Sevastopol",
        "--occurrence",
        "3",
        "--new-entity",
        "Севастопольцы",
    ]);
    let file =
        newsnote::model::store::AnnotationFile::load(&s.ron(KREMLIN), &format!("{KREMLIN}.txt")).unwrap().unwrap();
    let a = file.annotations.iter().find(|a| a.id.0 == id.trim()).unwrap();
    assert_eq!(a.entity.as_ref().map(|e| e.as_str()), Some("севастопольцы"));
    assert!(s.entities().entities.iter().any(|e| e.name == "Севастопольцы"), "the new entity is on disk");
    let o = s.run(&["check", "{}"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(!stdout(&o).contains("entity-missing"), "{}", stdout(&o));
}

#[test]
fn stats_counts_sources_by_entity_and_attribute_for_the_corpus_each_folder_and_each_article() {
    let s = Samples::new();
    let out = s.ok(&["stats", "{}"]);
    assert!(
        out.contains("         9      10         2  Dmitry Peskov\n         7       9         1  Vladimir Putin\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "  by source type:\n    mentions  claims  entities  value\n          24      25         9  official\n"
        ),
        "{out}"
    );
    assert!(out.contains("per outlet (the article's outlet, else its folder):\n  (no outlets or folders)"), "{out}");
    assert!(!out.contains("Most-cited") && !out.contains("(mentions linked to no entity)"), "{out}");
    let per = s.ok(&["stats", "{}", "--by", "article"]);
    assert!(
        per.contains(&format!(
            "\n  {CNN}.txt\n    mentions  claims  articles  entity\n           4       5         1  Dmitry Peskov\n"
        )),
        "{per}"
    );
    assert!(per.contains(&format!("per article:\n  {KREMLIN}.txt\n    mentions  claims  articles  entity\n           7       9         1  Vladimir Putin\n           5       5         1  Dmitry Peskov\n")), "{per}");

    // A source with no entity is counted as such, never under its words.
    s.ok(&[
        "tag",
        &format!("articles/{KREMLIN}.txt"),
        "--label",
        "source",
        "--quote",
        "Sevastopol",
        "--occurrence",
        "2",
    ]);
    let out = s.ok(&["stats", "{}"]);
    assert!(out.contains("         1       0         -  (mentions linked to no entity)"), "{out}");

    let json: serde_json::Value = serde_json::from_str(&s.ok(&["stats", "{}", "--json"])).unwrap();
    let peskov = json["corpus"]["entities"].as_array().unwrap().iter().find(|e| e["id"] == "dmitry-peskov").unwrap();
    assert_eq!((peskov["claims"].as_u64(), peskov["mentions"].as_u64()), (Some(10), Some(9)));
    assert_eq!(json["corpus"]["unlinked"]["mentions"], 1);
    assert_eq!(json["articles"][format!("{CNN}.txt")]["entities"][0]["name"], "Dmitry Peskov");
    assert_eq!(json["labels"]["Claim"], 36);
}

#[test]
fn stats_counts_each_outlet_folder_on_its_own() {
    let d = tempfile::tempdir().unwrap();
    for (folder, stem) in [("ria", KREMLIN), ("cnn", CNN)] {
        std::fs::create_dir_all(d.path().join(folder)).unwrap();
        for ext in ["txt", "ron"] {
            let from = if ext == "txt" { root().join("assets/articles") } else { root().join("annotations") };
            std::fs::copy(from.join(format!("{stem}.{ext}")), d.path().join(format!("{folder}/{stem}.{ext}"))).unwrap();
        }
    }
    std::fs::copy(root().join("annotations/sources.ron"), d.path().join("sources.ron")).unwrap();
    // An article at the root is a group of its own: no source is left out or counted twice.
    std::fs::write(d.path().join("kurz.txt"), "Песков сказал: «Нет».\n").unwrap();
    let o = newsnote(
        &["tag", "kurz.txt", "--in", ".", "--label", "source", "--quote", "Песков", "--entity", "Peskov"],
        d.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = newsnote(&["stats", "."], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("  cnn/\n    mentions  claims  articles  entity\n           4       5         1  Dmitry Peskov\n"),
        "{out}"
    );
    assert!(out.contains("  (articles at the corpus root)\n    mentions  claims  articles  entity\n           1       0         1  Dmitry Peskov\n"), "{out}");
    assert!(out.contains("        10      10         3  Dmitry Peskov"), "{out}");
    assert!(out.contains("  ria/\n    mentions  claims  articles  entity\n           7       9         1  Vladimir Putin\n           5       5         1  Dmitry Peskov\n"), "{out}");
}

#[test]
fn show_names_the_entity_of_each_mention_and_of_each_claims_source() {
    let s = Samples::new();
    let out = s.ok(&["show", KREMLIN, "--in", "{}"]);
    assert!(out.contains("29a449c4\tSource\t783–785\t“He” → Dmitry Peskov"), "{out}");
    assert!(out.contains("← Kremlin spokesman Dmitry Peskov → Dmitry Peskov [2eba8bdc]"), "{out}");
}

#[test]
fn entities_show_lists_names_attributes_every_mention_and_the_claims_attributed() {
    let s = Samples::new();
    let out = s.ok(&["entities", "show", "Peskov", "--in", "{}"]);
    assert!(out.starts_with("Dmitry Peskov (dmitry-peskov)\n  also: Peskov; Kremlin spokesman Dmitry Peskov"), "{out}");
    assert!(out.contains("  source type: official\n  gender: man\n"), "{out}");
    assert!(out.contains("9 mention(s) in 2 article(s):"), "{out}");
    assert!(out.contains(&format!("  {KREMLIN}.txt\t29a449c4\t783–785\t“He”\t0 claim(s)")), "{out}");
    assert!(out.contains("10 claim(s) attributed:"), "{out}");
    assert!(out.contains("“the timeframe of this offer remains unchanged”"), "{out}");
}

#[test]
fn check_reports_a_missing_entity_at_its_line_an_unused_one_as_a_warning_and_fix_invents_none() {
    let s = Samples::new();
    let o = s.run(&["check", "{}"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(!stdout(&o).contains("entity-"), "the samples link every mention to an entity they have: {}", stdout(&o));

    let ron = s.ron(KREMLIN);
    let text = std::fs::read_to_string(&ron).unwrap().replacen(
        "entity: Some(\"dmitry-peskov\")",
        "entity: Some(\"никто\")",
        1,
    );
    std::fs::write(&ron, &text).unwrap();
    s.ok(&["entities", "add", "Ничей источник", "--attr", "type=anonymous", "--in", "{}"]);
    let o = s.run(&["check", "{}", "--fix"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let out = stdout(&o);
    let missing = out.lines().find(|l| l.contains("entity-missing")).unwrap_or_else(|| panic!("{out}"));
    assert!(missing.starts_with(&format!("annotations/{KREMLIN}.ron:")), "{missing}");
    assert!(
        missing
            .contains(": error[entity-missing]: 2eba8bdc \"Kremlin spokesman Dmitry Peskov\" names entity \"никто\""),
        "{out}"
    );
    let at: usize = missing.split(':').nth(1).unwrap().parse().unwrap();
    assert_eq!(text.lines().nth(at - 1).unwrap().trim(), "id: \"2eba8bdc\",", "the line of the annotation");
    assert!(out.contains("warning[entity-unused]: ничей-источник (Ничей источник) is named by no mention"), "{out}");
    assert!(s.entities().entities.iter().all(|e| e.id.as_str() != "никто"), "--fix never invents an entity");
    assert_eq!(std::fs::read_to_string(&ron).unwrap(), text, "nor relinks the mention");
}

#[test]
fn check_reports_a_broken_registry_with_line_and_column_a_duplicate_id_and_a_merge_cycle() {
    let s = Samples::new();
    let good = std::fs::read_to_string(s.registry()).unwrap();
    std::fs::write(s.registry(), good.replacen("name: \"Dmitry Peskov\",", "name: \"Dmitry Peskov\"", 1)).unwrap();
    let o = s.run(&["check", "{}", "--json"]);
    assert_eq!(code(&o), 1);
    let problems: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let p = problems.as_array().unwrap().iter().find(|p| p["file"].as_str().unwrap().ends_with("sources.ron")).unwrap();
    assert_eq!((p["code"].as_str(), p["line"].as_u64(), p["column"].is_u64()), (Some("parse"), Some(18), true), "{p}");
    let o = s.run(&["entities", "add", "Кто-то", "--in", "{}"]);
    assert_eq!(code(&o), 2, "a registry that does not parse is never written");
    assert!(stderr(&o).contains("sources.ron:18:"), "{}", stderr(&o));

    let dup = good.replacen("id: \"reuters\"", "id: \"both-sides\"", 1);
    std::fs::write(s.registry(), &dup).unwrap();
    let out = stdout(&s.run(&["check", "{}"]));
    let l = line(&out, &format!("{}", Path::new("annotations/sources.ron").display()));
    assert!(l.contains("error[duplicate-id]: entity id \"both-sides\" is used twice"), "{out}");
    let at: usize = l.split(':').nth(1).unwrap().parse().unwrap();
    assert_eq!(dup.lines().nth(at - 1).unwrap().trim(), "id: \"both-sides\",");
    assert_eq!(std::fs::read_to_string(s.registry()).unwrap(), dup);

    std::fs::write(s.registry(), &good).unwrap();
    s.ok(&["entities", "merge", "reuters", "the-kremlin", "--in", "{}"]);
    let cyclic = std::fs::read_to_string(s.registry()).unwrap().replacen(
        "id: \"the-kremlin\",",
        "id: \"the-kremlin\",\n            merged_into: Some(\"reuters\"),",
        1,
    );
    std::fs::write(s.registry(), &cyclic).unwrap();
    let o = s.run(&["check", "{}"]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("error[merge-cycle]: reuters is merged in a circle (reuters → the-kremlin → reuters)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_demo_corpus_has_its_entities_and_counts_peskovs_ten_claims_under_one_entry() {
    let d = tempfile::tempdir().unwrap();
    let o = newsnote(&["demo", "демо"], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = newsnote(&["stats", "демо"], d.path());
    assert!(stdout(&o).contains("         9      10         2  Dmitry Peskov"), "{}", stdout(&o));
    let o = newsnote(&["check", "демо"], d.path());
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(!stdout(&o).contains("entity-"), "{}", stdout(&o));
}

/// Starts newsnote on the samples' corpus (`--in articles --annotations annotations`) without
/// waiting, so several run at once.
fn spawn_in(s: &Samples, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .args(["--in", "articles", "--annotations", "annotations"])
        .current_dir(s.path())
        .env("RUST_BACKTRACE", "0")
        .env_remove("CARGO_MANIFEST_DIR")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn many_processes_adding_entities_at_once_keep_every_one() {
    let s = Samples::new();
    let names: Vec<String> = (1..=8).map(|i| format!("Источник №{i}")).collect();
    let children: Vec<_> =
        names.iter().map(|n| spawn_in(&s, &["entities", "add", n, "--attr", "type=anonymous"])).collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    let file = s.entities();
    for n in &names {
        assert!(file.entities.iter().any(|e| &e.name == n), "{n} is on disk");
    }
    assert_eq!(file.entities.len(), 12 + names.len(), "and nothing else changed");
    assert!(!s.registry().with_extension("ron.conflicts").exists(), "no conflicts: different entities merge");
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("run git");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    o
}

#[test]
fn two_git_branches_each_adding_an_entity_merge_into_a_registry_with_both() {
    let s = Samples::new();
    let d = s.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "samples"]);
    git(d, &["checkout", "-qb", "alice"]);
    s.ok(&["entities", "add", "Анна Ахматова", "--attr", "type=citizen", "--in", "{}"]);
    git(d, &["commit", "-qam", "alice adds an entity"]);
    git(d, &["checkout", "-q", "main"]);
    s.ok(&["entities", "add", "Marina Tsvetaeva", "--attr", "type=expert", "--in", "{}"]);
    git(d, &["commit", "-qam", "bob adds an entity"]);
    git(d, &["merge", "-q", "--no-edit", "alice"]);
    // One block per entity, sorted by id: the two additions are separate hunks.
    let file = s.entities();
    let ids: Vec<&str> = file.entities.iter().map(|e| e.id.as_str()).collect();
    assert!(ids.contains(&"анна-ахматова") && ids.contains(&"marina-tsvetaeva"), "{ids:?}");
    assert_eq!(ids.len(), 14);
    let o = s.run(&["check", "{}"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

/// docs/format.md shows the registry as the samples ship it: its header, entities and end are
/// copied, line for line, from annotations/sources.ron.
#[test]
fn the_format_doc_shows_the_registry_as_the_samples_ship_it() {
    let doc = std::fs::read_to_string(root().join("docs/format.md")).unwrap();
    let shipped = std::fs::read_to_string(root().join("annotations/sources.ron")).unwrap();
    let section = doc.split("## The entity registry").nth(1).expect("the section");
    let example = section.split("```ron\n").nth(1).unwrap().split("```").next().unwrap();
    let pieces: Vec<&str> = example.split("        …\n").collect();
    assert!(pieces.len() >= 4, "header, entities, end");
    assert!(shipped.starts_with(pieces[0]), "the header differs:\n{}", pieces[0]);
    assert!(shipped.ends_with(pieces[pieces.len() - 1]));
    for p in &pieces[1..pieces.len() - 1] {
        assert!(shipped.contains(p), "not in the shipped file:\n{p}");
    }
}

#[test]
fn processes_adding_one_person_at_once_make_one_entity_and_every_acknowledged_alias_is_on_disk() {
    let s = Samples::new();
    let aliases: Vec<String> = (1..=4).map(|i| format!("Ольга-{i}")).collect();
    let children: Vec<_> =
        aliases.iter().map(|a| spawn_in(&s, &["entities", "add", "Ольга Иванова", "--alias", a])).collect();
    let outcomes: Vec<Output> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    let file = s.entities();
    let olga: Vec<_> =
        file.entities.iter().filter(|e| e.name == "Ольга Иванова" || e.has_name("Ольга Иванова")).collect();
    assert_eq!(olga.len(), 1, "one person, one entity (same name, same id): {olga:#?}");
    assert_eq!(olga[0].id.as_str(), "ольга-иванова");
    // Each add either raced the others (and was combined with them) or saw one of them
    // saved and refused, saying so: none is acknowledged and then lost.
    for (a, o) in aliases.iter().zip(&outcomes) {
        match code(o) {
            0 => assert!(olga[0].has_name(a), "{a} was acknowledged, so it is on disk: {:?}", olga[0].aliases),
            1 => assert!(stderr(o).contains("already in the registry: ольга-иванова"), "{}", stderr(o)),
            other => panic!("exit {other}: {}", stderr(o)),
        }
    }
    assert!(outcomes.iter().any(|o| code(o) == 0));
}

#[test]
fn entity_names_from_the_registry_reach_a_terminal_made_safe_with_their_fields_still_tab_separated() {
    let s = Samples::new();
    let hostile = "Песков\u{1b}[2J\u{202e}";
    let id = s.ok(&["entities", "add", hostile, "--note", "x\u{1b}]52;c;QQ==\u{7}", "--in", "{}"]);
    let id = id.trim();
    for args in [&["entities", "list", "articles"][..], &["entities", "show", id, "--in", "articles"]] {
        let mut all: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
        all.extend(["--annotations", "annotations"].map(std::ffi::OsStr::new));
        let mut t = common::pty::Session::start_args(s.path(), &all, 200, 50, &[]);
        assert_eq!(t.wait_exit().exit_code(), 0, "{args:?}:\n{}", t.screen_text());
        let raw = String::from_utf8_lossy(&t.raw_bytes()).into_owned();
        assert!(!raw.contains('\u{1b}') && !raw.contains('\u{202e}') && !raw.contains('\u{7}'), "{args:?}: {raw:?}");
        assert!(raw.contains("Песков␛[2J<U+202E>"), "{args:?} shows the name, made safe: {raw:?}");
        assert!(!raw.contains('␉'), "{args:?}: fields are separated by real tabs: {raw:?}");
    }
}

#[test]
fn check_of_annotations_copied_without_their_registry_says_so_once() {
    let s = Samples::new();
    std::fs::remove_file(s.registry()).unwrap();
    let o = s.run(&["check", "{}"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    let missing: Vec<&str> = out.lines().filter(|l| l.contains("entity-missing")).collect();
    assert_eq!(missing.len(), 1, "one problem, not one per mention:\n{out}");
    assert!(
        missing[0].starts_with("annotations/sources.ron: error[entity-missing]: 27 mention(s) in 2 article(s) name entities, but there is no registry here"),
        "{out}"
    );
    assert!(!s.registry().exists(), "check writes no registry");
}
