//! Agreement over a generated corpus: 1,000 articles of about 3,000 code points, 6 coders,
//! about 30 units each an article (issue 14: "agreement over 1,000 articles × 6 coders takes
//! seconds, not minutes"). The corpus is made in memory, deterministically, so the figure is
//! the computation's (`model::agree::corpus_agreement`, every figure, on every core), not the
//! disk's.
//!
//! ```text
//! cargo bench --bench agree
//! ```

use divan::Bencher;
use newsnote::model::agree::{ArticleInfo, CoderDocs, Options, corpus_agreement};
use newsnote::model::annotation::{Annotation, AttrValue, LabelId};
use newsnote::model::codebook::Codebook;
use newsnote::model::units::{ByteRange, CharRange};

fn main() {
    divan::main();
}

struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// `articles` articles of `chars` code points (ASCII, so bytes are code points) and
/// `coders` coders: coder 0 marks a unit every ~100 code points, the others move, drop,
/// relabel and re-value some of them.
fn corpus(articles: usize, chars: usize, coders: usize) -> (Vec<ArticleInfo>, Vec<CoderDocs>) {
    let book = Codebook::default_scheme();
    let labels: Vec<&str> = book.labels.iter().map(|l| l.id.as_str()).collect();
    let text = "x".repeat(chars);
    let info: Vec<ArticleInfo> = (0..articles).map(|i| ArticleInfo { id: format!("a{i:06}"), chars }).collect();
    let mut docs: Vec<CoderDocs> =
        (0..coders).map(|k| CoderDocs { coder: format!("coder{k}"), docs: Vec::with_capacity(articles) }).collect();
    let mut dice = Dice(42);
    for _ in 0..articles {
        let mut base = Vec::new();
        let mut at = 5;
        while at + 80 < chars {
            let len = 10 + dice.below(60) as usize;
            base.push((dice.below(labels.len() as u64) as usize, at, at + len));
            at += len + 20 + dice.below(40) as usize;
        }
        for (k, coder) in docs.iter_mut().enumerate() {
            let mut anns = Vec::with_capacity(base.len());
            for &(l, s, e) in &base {
                let (mut l, mut s, mut e) = (l, s, e);
                if k > 0 {
                    match dice.below(12) {
                        0 => continue,
                        1 => s += 1 + dice.below(4) as usize,
                        2 => e += 1 + dice.below(4) as usize,
                        3 => l = (l + 1) % labels.len(),
                        _ => {}
                    }
                }
                let span = CharRange::new(s, e.min(chars));
                let mut a = Annotation::new_manual(
                    LabelId::new(labels[l]),
                    &text,
                    ByteRange::new(span.start, span.end),
                    span,
                    "bench",
                    "2026-12-01T00:00:00Z",
                );
                for def in book.attributes_for(labels[l]) {
                    let values = def.kind.values();
                    if !values.is_empty() {
                        let v = &values[(s + k * usize::from(dice.below(5) == 0)) % values.len()];
                        a.attributes.insert(def.id.clone(), AttrValue::One(v.id.clone()));
                    }
                }
                anns.push(a);
            }
            coder.docs.push(anns);
        }
    }
    (info, docs)
}

/// Every figure of 6 coders over 1,000 articles.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn agree_1000_articles_6_coders(bencher: Bencher) {
    let (articles, coders) = corpus(1000, 3000, 6);
    let book = Codebook::default_scheme();
    bencher.bench(|| corpus_agreement(&articles, &coders, book, &Options::default()));
}

/// The same with every article's figures too (`--per-article`).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn agree_1000_articles_6_coders_per_article(bencher: Bencher) {
    let (articles, coders) = corpus(1000, 3000, 6);
    let book = Codebook::default_scheme();
    let opts = Options { per_article: true, ..Options::default() };
    bencher.bench(|| corpus_agreement(&articles, &coders, book, &opts));
}
