//! An export's memory is bounded by the largest article, not by the corpus (issue 10: a W3C
//! export of 1,008 articles peaked at 846 MiB, since every article was loaded and the whole
//! document built before a byte was written). The real binary exports a corpus several times
//! larger than the memory it may use, and its peak resident memory is read from the kernel
//! (`wait4`'s rusage), not from a clock.
#![cfg(target_os = "linux")]

use newsnote::model::annotation::{Annotation, AnnotationId, LabelId};
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use newsnote::model::store::{AnnotationFile, Fingerprint};
use newsnote::model::units::{ByteRange, CharIndex};
use std::path::Path;
use std::process::{Command, Stdio};

/// `n` articles of about `size` bytes, a source and a linked claim in every 50th paragraph;
/// returns the bytes of the articles and annotation files.
fn corpus(dir: &Path, n: usize, size: usize) -> u64 {
    let para = "Песков said “the talks, 我们认为, will go on” 👍🏽 in Kyiv.\n\n";
    for i in 0..n {
        let text = format!("Статья № {i}\n\n{}", para.repeat(size / para.len()));
        std::fs::write(dir.join(format!("{i:03}.txt")), text).unwrap();
    }
    let corpus = Corpus::scan(dir, AnnotationRoot::NextToArticles).unwrap();
    let mut bytes = 0;
    for e in &corpus.entries {
        let text = std::fs::read_to_string(&e.path).unwrap();
        let index = CharIndex::new(&text);
        let at = |s: usize, e: usize, label: &str, id: String| {
            let b = ByteRange::new(s, e);
            let mut a = Annotation::new_manual(
                LabelId::new(label),
                &text,
                b,
                index.to_chars(&text, b),
                "алиса",
                "2026-01-01T00:00:00Z",
            );
            a.id = AnnotationId(id);
            a
        };
        let mut anns = Vec::new();
        for (k, (s, _)) in text.match_indices("Песков").enumerate().step_by(50) {
            let source = at(s, s + "Песков".len(), "Source", format!("s{k}"));
            let q = s + text[s..].find('“').unwrap();
            let mut claim = at(q, s + text[s..].find('”').unwrap() + '”'.len_utf8(), "Claim", format!("c{k}"));
            claim.link("source", source.id.clone());
            anns.extend([source, claim]);
        }
        let ron = AnnotationFile::new(&e.id, Fingerprint::of(&text, index.total_chars()), anns).to_ron();
        std::fs::write(&e.ron_path, &ron).unwrap();
        bytes += (text.len() + ron.len()) as u64;
    }
    bytes
}

/// Runs newsnote to its end and returns its peak resident memory in bytes.
fn peak_rss(args: &[&str], cwd: &Path) -> u64 {
    // Waited for by `wait4` below, which `Child::wait` cannot do: it discards the rusage.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run newsnote");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child's, not waited for yet; both pointers are to locals.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4: {}", std::io::Error::last_os_error());
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "newsnote {args:?} failed: {status}");
    // Linux counts ru_maxrss in KiB.
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn an_export_holds_a_few_articles_in_memory_never_the_whole_corpus() {
    let (one, many, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // One article, for what the program takes whatever the corpus; then 200 such articles
    // of 256 KB with about 150 annotations each: 52 MB of files.
    corpus(one.path(), 1, 256 * 1024);
    let read = corpus(many.path(), 200, 256 * 1024);
    for format in ["w3c", "json"] {
        let file = out.path().join(format!("export.{format}"));
        let args = ["export", ".", "--format", format, "-o", file.to_str().unwrap()];
        let (base, peak) = (peak_rss(&args, one.path()), peak_rss(&args, many.path()));
        // Holding the corpus takes several times what its files hold (texts, offset indexes,
        // annotations, the document); the articles in flight fit in a quarter of them.
        assert!(
            peak < base + read / 4,
            "export --format {format} peaked at {} MiB for {} MiB of files ({} MiB for one article)",
            peak >> 20,
            read >> 20,
            base >> 20
        );
    }
}
