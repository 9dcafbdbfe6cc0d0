//! Real processes writing one article's annotation file at once: `newsnote import` racing
//! `newsnote tag`. Every writer goes through the one save path (lock, re-read, three-way
//! merge, atomic write), so every acknowledged change (exit 0) is on disk at the end.

use std::path::Path;
use std::process::Command;

const ROUNDS: usize = 40;

fn article() -> String {
    // Distinct words: tags take t0…, imports take i0…, so every change is a new annotation.
    let words: Vec<String> = (0..ROUNDS).flat_map(|k| [format!("tägword{k:03}"), format!("impword{k:03}")]).collect();
    format!("Песков said {}.\n", words.join(" "))
}

fn newsnote(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newsnote")).args(args).current_dir(dir).env("USER", "tester").output().unwrap()
}

#[test]
fn imports_racing_tags_on_one_article_lose_no_acknowledged_change() {
    let d = tempfile::tempdir().unwrap();
    let corpus = d.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let text = article();
    std::fs::write(corpus.join("a.txt"), &text).unwrap();
    // One brat folder per import, each with one span of the same text.
    for k in 0..ROUNDS {
        let brat = d.path().join(format!("brat{k}"));
        std::fs::create_dir_all(&brat).unwrap();
        std::fs::write(brat.join("a.txt"), &text).unwrap();
        let word = format!("impword{k:03}");
        let b = text.find(&word).unwrap();
        let (s, e) = (text[..b].chars().count(), text[..b].chars().count() + word.chars().count());
        std::fs::write(brat.join("a.ann"), format!("T1\tSource {s} {e}\t{word}\n")).unwrap();
    }
    let (c1, c2, root) = (corpus.clone(), corpus.clone(), d.path().to_owned());
    let tagger = std::thread::spawn(move || {
        (0..ROUNDS)
            .filter_map(|k| {
                let q = format!("tägword{k:03}");
                let out = newsnote(&c1, &["tag", "a.txt", "--label", "claim", "--quote", &q, "--in", "."]);
                out.status.success().then(|| String::from_utf8(out.stdout).unwrap().trim().to_owned())
            })
            .collect::<Vec<String>>()
    });
    let importer = std::thread::spawn(move || {
        (0..ROUNDS)
            .filter(|k| {
                let src = root.join(format!("brat{k}"));
                let out = newsnote(&c2, &["import", "--format", "brat", src.to_str().unwrap(), "--into", "."]);
                out.status.success()
            })
            .count()
    });
    let tagged = tagger.join().unwrap();
    let imported = importer.join().unwrap();
    assert_eq!((tagged.len(), imported), (ROUNDS, ROUNDS), "every writer succeeded (the lock serialises them)");
    let ron = std::fs::read_to_string(corpus.join("a.ron")).unwrap();
    let file = newsnote::model::store::AnnotationFile::parse(&corpus.join("a.ron"), &ron, "a.txt").unwrap();
    for id in &tagged {
        assert!(file.annotations.iter().any(|a| &a.id.0 == id), "acknowledged tag {id} is on disk");
    }
    for k in 0..ROUNDS {
        let word = format!("impword{k:03}");
        assert!(file.annotations.iter().any(|a| a.quote == word), "import of {word} is on disk");
    }
    assert_eq!(file.annotations.len(), 2 * ROUNDS);
}
