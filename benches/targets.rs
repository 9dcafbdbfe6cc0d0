//! Issue 5's targets that need percentiles, ratios or memory, measured through the real
//! program (`newsnote::headless`) and printed one per line, for people and scripts:
//!
//! ```text
//! TARGET <name> <value> <target> <met|MISSED>
//! INFO <name> <value>
//! ```
//!
//! Run with `cargo bench --bench targets`. Times are in milliseconds unless the name says
//! otherwise. Memory is measured in a fresh child process (this binary again), as the
//! resident set (VmRSS) after the first frame and its peak (VmHWM).

mod common;

use newsnote::app::Action;
use newsnote::app::action::Motion;
use newsnote::headless::Headless;
use std::path::Path;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// (p50, p99) in ms.
fn percentiles(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let at = |q: f64| ms(v[((v.len() - 1) as f64 * q).round() as usize]);
    (at(0.5), at(0.99))
}

fn median(v: Vec<Duration>) -> f64 {
    percentiles(v).0
}

fn target(name: &str, value: f64, limit: f64) {
    println!("TARGET {name} {value:.3} {limit} {}", if value <= limit { "met" } else { "MISSED" });
}

fn reader_at_middle(path: &Path) -> Headless {
    let mut h = Headless::open(path, 200, 60).expect("bench article opens");
    h.keys("<enter>");
    let o = h.app.open.as_ref().expect("article open");
    let mid = newsnote::model::motion::clamp(&o.doc.article.text, o.doc.article.text.len() / 2);
    h.app.reader.cursor = mid;
    h.action(Action::Move(Motion::Right));
    h.draw();
    h
}

/// Frame times while scrolling and while moving the cursor: (frame only, key + frame).
/// The direction turns every 100 keys, so the view stays in the middle of the article.
fn frames(path: &Path, keys: [&str; 2]) -> (Vec<Duration>, Vec<Duration>) {
    let mut h = reader_at_middle(path);
    let (mut draw, mut both) = (Vec::new(), Vec::new());
    // 2,000 frames, or fewer when they are slow (at least 50, about 4 s).
    let start = Instant::now();
    for i in (0..2000).take_while(|&i| i < 50 || start.elapsed() < Duration::from_secs(4)) {
        let t0 = Instant::now();
        h.keys(keys[(i / 100) % 2]);
        let t1 = Instant::now();
        h.draw();
        let t2 = Instant::now();
        draw.push(t2 - t1);
        both.push(t2 - t0);
    }
    (draw, both)
}

fn frame_targets() {
    let mut p50 = std::collections::HashMap::new();
    let mut worst_p99: f64 = 0.0;
    for (label, _, _) in common::ARTICLES {
        let path = common::article_for(label);
        for (what, keys) in [("scroll", ["<c-e>", "<c-y>"]), ("cursor", ["j", "k"])] {
            let (draw, both) = frames(&path, keys);
            let (d50, d99) = percentiles(draw);
            let (b50, b99) = percentiles(both);
            println!("INFO frame_{what}_{label}_p50 {d50:.3}");
            println!("INFO frame_{what}_{label}_p99 {d99:.3}");
            println!("INFO key_and_frame_{what}_{label}_p50 {b50:.3}");
            println!("INFO key_and_frame_{what}_{label}_p99 {b99:.3}");
            p50.insert((what, label), b50);
            worst_p99 = worst_p99.max(b99);
        }
    }
    for what in ["scroll", "cursor"] {
        for anns in ["10", "10000"] {
            let big = p50[&(what, format!("10MB/{anns}").as_str())];
            let small = p50[&(what, format!("10KB/{anns}").as_str())];
            target(&format!("frame_ratio_10MB_vs_10KB_{what}_{anns}ann"), big / small, 1.2);
        }
    }
    target("frame_p99_worst_ms", worst_p99, 2.0);
}

fn open_targets() {
    let path = common::article(10_000_000, 10);
    let (mut first, mut g) = (Vec::new(), Vec::new());
    for _ in 0..10 {
        let t0 = Instant::now();
        let mut h = Headless::open(&path, 200, 60).expect("article opens");
        h.draw();
        first.push(t0.elapsed());
        h.keys("<enter>");
        h.draw();
        let t0 = Instant::now();
        h.keys("G");
        h.draw();
        g.push(t0.elapsed());
    }
    target("open_10MB_first_frame_ms", median(first), 50.0);
    target("open_10MB_G_ms", median(g), 50.0);
}

fn save_targets() {
    for (annotations, samples) in [(10, 300), (1_000, 300), (100_000, 10)] {
        let src = common::article(30_000, annotations);
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::copy(&src, dir.path().join(src.file_name().expect("a file"))).expect("copy article");
        std::fs::copy(
            src.with_extension("ron"),
            dir.path().join(src.with_extension("ron").file_name().expect("a file")),
        )
        .expect("copy annotations");
        let mut h = Headless::open(dir.path(), 200, 60).expect("article opens");
        h.keys("<enter>");
        let times: Vec<Duration> = (0..samples)
            .map(|_| {
                let t0 = Instant::now();
                h.keys("wves");
                t0.elapsed()
            })
            .collect();
        let n = h.app.open.as_ref().expect("open").doc.annotations.len();
        assert_eq!(n, annotations + samples, "every keystroke added and saved one annotation");
        assert!(matches!(h.app.save, newsnote::app::SaveState::Saved), "the saves failed");
        let (p50, p99) = percentiles(times);
        println!("INFO annotate_saved_{annotations}ann_p50 {p50:.3}");
        if annotations == 1_000 {
            target("annotate_saved_1000ann_p99_ms", p99, 5.0);
        } else {
            println!("INFO annotate_saved_{annotations}ann_p99 {p99:.3}");
        }
    }
}

fn corpus_first_frames() {
    for n in [10, 10_000, 100_000] {
        let dir = common::corpus(n, 3000, 1);
        let times: Vec<Duration> = (0..5)
            .map(|_| {
                let t0 = Instant::now();
                let mut h = Headless::open(&dir, 200, 60).expect("corpus opens");
                h.draw();
                t0.elapsed()
            })
            .collect();
        println!("INFO first_frame_{n}_articles_ms {:.3}", median(times));
    }
}

/// (VmRSS, VmHWM) of this process in bytes.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").parse::<f64>().ok())
    };
    (field("VmRSS:").unwrap_or(0.0) * 1024.0, field("VmHWM:").unwrap_or(0.0) * 1024.0)
}

/// In the child: open PATH, draw, report memory.
fn child(path: &Path, open_first: bool) {
    let mut h = Headless::open(path, 200, 60).expect("opens");
    if open_first {
        h.keys("<enter>G");
    }
    h.draw();
    let (rss, hwm) = memory();
    println!("{rss} {hwm}");
}

fn memory_targets() {
    let exe = std::env::current_exe().expect("own path");
    let run = |path: &Path, what: &str| -> (f64, f64) {
        let out = std::process::Command::new(&exe)
            .env("NEWSNOTE_BENCH_CHILD", what)
            .env("NEWSNOTE_BENCH_PATH", path)
            .output()
            .expect("child runs");
        let s = String::from_utf8_lossy(&out.stdout);
        let v: Vec<f64> = s.split_whitespace().filter_map(|x| x.parse().ok()).collect();
        (v.first().copied().unwrap_or(f64::NAN), v.get(1).copied().unwrap_or(f64::NAN))
    };
    let article = common::article(10_000_000, 10);
    let size = std::fs::metadata(&article).expect("article").len() as f64;
    let (rss, hwm) = run(&article, "article");
    println!("INFO memory_10MB_article_rss_MB {:.1}", rss / 1e6);
    println!("INFO memory_10MB_article_peak_MB {:.1}", hwm / 1e6);
    target("memory_10MB_article_rss_over_size", rss / size, 3.0);
    let (rss, hwm) = run(&common::corpus(100_000, 3000, 1), "corpus");
    println!("INFO memory_100k_corpus_rss_MB {:.1}", rss / 1e6);
    println!("INFO memory_100k_corpus_peak_MB {:.1}", hwm / 1e6);
}

fn main() {
    if let (Some(what), Some(path)) =
        (std::env::var_os("NEWSNOTE_BENCH_CHILD"), std::env::var_os("NEWSNOTE_BENCH_PATH"))
    {
        return child(Path::new(&path), what == "article");
    }
    // `cargo bench` passes `--bench`; a filter word runs one group.
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let run = |name: &str| only.is_empty() || only.iter().any(|o| name.contains(o.as_str()));
    if run("frames") {
        frame_targets();
    }
    if run("open") {
        open_targets();
    }
    if run("save") {
        save_targets();
    }
    if run("corpus") {
        corpus_first_frames();
    }
    if run("memory") {
        memory_targets();
    }
}
