//! Where a save's time goes with N annotations: serialisation, hashing, the atomic write.
//! `cargo run --release --example save_profile -- 1000`
use newsnote::model::annotation::{Annotation, LabelId};
use newsnote::model::fsio::{content_hash, write_atomic};
use newsnote::model::save::{SaveRequest, save};
use newsnote::model::store::{AnnotationFile, Fingerprint};
use newsnote::model::units::{ByteRange, CharRange};
use std::time::Instant;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let text =
        "Kremlin spokesman Dmitry Peskov said the offer “remains on the table.” Ukraine’s café 新闻 ".repeat(n / 4 + 1);
    let anns: Vec<Annotation> = (0..n)
        .map(|i| {
            let s = (i * 7) % (text.len() / 2);
            let s = (0..=s).rev().find(|&b| text.is_char_boundary(b)).unwrap();
            let e = (s + 20..).find(|&b| text.is_char_boundary(b)).unwrap();
            let c = text[..s].chars().count();
            let ce = c + text[s..e].chars().count();
            Annotation::new_manual(
                LabelId::new("Source"),
                &text,
                ByteRange::new(s, e),
                CharRange::new(c, ce),
                "p",
                "2026-01-01T00:00:00Z",
            )
        })
        .collect();
    let file = AnnotationFile::new("a.txt", Fingerprint::of(&text, text.chars().count()), anns.clone());
    let d = std::env::temp_dir().join(format!("newsnote-prof-{}", std::process::id()));
    let path = d.join("a.ron");
    let t = |label: &str, f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..20 {
            f();
        }
        println!("{label:>12}: {:.3} ms", start.elapsed().as_secs_f64() * 1e3 / 20.0);
    };
    let ron = file.to_ron();
    println!("{} annotations, {} KB", n, ron.len() / 1024);
    t("to_ron", &mut || {
        std::hint::black_box(file.to_ron());
    });
    t("hash", &mut || {
        std::hint::black_box(content_hash(ron.as_bytes()));
    });
    t("clone", &mut || {
        std::hint::black_box(anns.clone());
    });
    t("write_atomic", &mut || write_atomic(&path, ron.as_bytes()).unwrap());
    let r = save(SaveRequest::new(&path, file.clone(), vec![], None)).unwrap();
    let mut base = r.annotations.clone();
    let (mut hash, mut stamp) = (r.hash, r.stamp);
    t("save", &mut || {
        let mut req = SaveRequest::new(&path, file.clone(), base.clone(), Some(hash));
        req.stamp = stamp;
        req.cleanup = false;
        let r = save(req).unwrap();
        (base, hash, stamp) = (r.annotations, r.hash, r.stamp);
    });
    let _ = std::fs::remove_dir_all(&d);
}
