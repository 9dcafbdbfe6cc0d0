//! What a page says about itself, from the places publishers put it: JSON-LD first (what
//! search engines read, so the most often right), then Open Graph and other `<meta>` tags,
//! then the markup itself (`<title>`, bylines, `<time>`).

use crate::model::meta::ArticleMeta;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a valid selector")
}

/// Whitespace collapsed and trimmed; `None` when nothing is left.
fn clean(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// JSON-LD strings and tag values are often HTML-escaped a second time by the CMS (`&amp;`,
/// `&#8217;`), sometimes a third (`&amp;#8230;`): undone until nothing changes, three times
/// at most.
fn unescape(s: &str) -> String {
    let mut out = unescape_once(s);
    for _ in 0..2 {
        let again = unescape_once(&out);
        if again == out {
            break;
        }
        out = again;
    }
    out
}

fn unescape_once(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // Bytes, not a string slice: twelve bytes may end inside a character (`& Why They’re`).
        let end = rest.as_bytes()[..rest.len().min(12)].iter().position(|&b| b == b';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The JSON-LD objects of the page, flattened out of arrays and `@graph`s.
fn json_ld(doc: &Html) -> Vec<Value> {
    let mut out = Vec::new();
    for script in doc.select(&sel(r#"script[type="application/ld+json"]"#)) {
        let raw: String = script.text().collect();
        let Ok(v) = serde_json::from_str::<Value>(raw.trim().trim_end_matches(';')) else { continue };
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.into_iter().rev()),
                Value::Object(mut o) => {
                    if let Some(g) = o.remove("@graph") {
                        stack.push(g);
                    }
                    out.push(Value::Object(o));
                }
                _ => {}
            }
        }
    }
    out
}

fn types(v: &Value) -> Vec<&str> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether a JSON-LD object is the article itself (`NewsArticle`, `BlogPosting`,
/// `ReportageNews`…).
fn is_article(v: &Value) -> bool {
    types(v).iter().any(|t| t.ends_with("Article") || t.ends_with("Posting") || t.ends_with("News") || *t == "Report")
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => clean(&unescape(s)),
        Value::Array(a) => a.iter().find_map(text_of),
        Value::Object(o) => o.get("name").and_then(text_of),
        _ => None,
    }
}

/// Names from a JSON-LD `author`: a string, an object with a `name`, or an array of them.
fn names_of(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| names_of(x, out)),
        Value::Object(o) => {
            if let Some(n) = o.get("name") {
                names_of(n, out)
            }
        }
        Value::String(s) => {
            if let Some(n) = clean(&unescape(s)) {
                out.push(n)
            }
        }
        _ => {}
    }
}

/// A person's name as a byline or tag gives it: `By ` dropped; URLs and empty text are not
/// names.
fn author_name(s: &str) -> Option<String> {
    let s = clean(s)?;
    let s = ["By ", "by ", "BY ", "Von ", "Por ", "Par "].iter().find_map(|p| s.strip_prefix(p)).unwrap_or(&s);
    let s = s.trim_matches(|c: char| c == ',' || c == '|' || c.is_whitespace());
    (!s.is_empty() && !s.contains("://") && !s.starts_with("www.") && s.chars().count() <= 80).then(|| s.to_string())
}

fn push_unique(authors: &mut Vec<String>, name: String) {
    if !authors.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
        authors.push(name);
    }
}

pub(super) fn extract_meta(doc: &Html) -> ArticleMeta {
    let ld = json_ld(doc);
    let article = ld.iter().find(|v| is_article(v)).or_else(|| ld.iter().find(|v| v.get("headline").is_some()));
    let ld_field = |key: &str| article.and_then(|a| a.get(key)).and_then(text_of);

    // <meta property|name|itemprop = content>, first value per key, keys lower-cased.
    let mut metas: Vec<(String, String)> = Vec::new();
    for m in doc.select(&sel("meta[content]")) {
        let e = m.value();
        // Many CMSs escape a tag's value twice (`&amp;#8230;`), as they do JSON-LD strings.
        let Some(content) = e.attr("content").and_then(|c| clean(&unescape(c))) else { continue };
        for key in [e.attr("property"), e.attr("name"), e.attr("itemprop")].into_iter().flatten() {
            metas.push((key.trim().to_ascii_lowercase(), content.clone()));
        }
    }
    let meta = |keys: &[&str]| keys.iter().find_map(|k| metas.iter().find(|(m, _)| m == k).map(|(_, v)| v.clone()));

    let title_tag = doc.select(&sel("head title, title")).next().and_then(|t| clean(&shown_text(t)));
    // The headline a reader sees is the page's one `<h1>`; the tags often carry a version
    // written for search engines or sharing (another wording, the site's name after it).
    let h1s: Vec<String> = doc.select(&sel("body h1")).filter_map(|h| clean(&shown_text(h))).take(2).collect();
    let h1 = (h1s.len() == 1 && h1s[0].chars().count() <= 300).then(|| h1s[0].clone());
    let h1_links_home = doc.select(&sel("body h1 a[href]")).next().is_some_and(|a| {
        matches!(a.value().attr("href").map(str::trim), Some("/" | "./" | "../" | "home" | "index.html"))
    });

    let url = doc
        .select(&sel("link[rel][href]"))
        .find(|l| {
            l.value().attr("rel").is_some_and(|r| r.split_whitespace().any(|r| r.eq_ignore_ascii_case("canonical")))
        })
        .and_then(|l| l.value().attr("href").and_then(clean))
        .filter(|u| u.starts_with("http"))
        .or_else(|| meta(&["og:url"]))
        .or_else(|| ld_field("url").filter(|u| u.starts_with("http")));

    let outlet = meta(&["og:site_name", "application-name"])
        .or_else(|| article.and_then(|a| a.get("publisher")).and_then(text_of))
        .or_else(|| url.as_deref().and_then(host));

    // But a blog's one `<h1>` is often the blog's name (its outlet, or a link home), with
    // the post's title in an `<h2>`: then the tags name the post.
    let names_the_site = |h: &str| {
        [outlet.as_deref(), url.as_deref().and_then(host).as_deref()].into_iter().flatten().any(|o| same_words(h, o))
    };
    let h1 = h1.filter(|h| !names_the_site(h) && !h1_links_home);
    let title = h1.or_else(|| ld_field("headline")).or_else(|| meta(&["og:title", "twitter:title"])).or(title_tag);

    let mut authors = Vec::new();
    if let Some(a) = article.and_then(|a| a.get("author")) {
        let mut names = Vec::new();
        names_of(a, &mut names);
        names.iter().filter_map(|n| author_name(n)).for_each(|n| push_unique(&mut authors, n));
    }
    if authors.is_empty() {
        for (k, v) in &metas {
            if matches!(k.as_str(), "author" | "article:author" | "dc.creator" | "parsely-author" | "sailthru.author")
                && let Some(n) = author_name(v)
            {
                push_unique(&mut authors, n);
            }
        }
    }
    if authors.is_empty() {
        authors = byline(doc);
    }

    // Each source counts only when it gives a date: a tag holding something else does not
    // hide the next one.
    let published = ld_field("datePublished")
        .and_then(|d| iso_date(&d))
        .or_else(|| {
            [
                "article:published_time",
                "datepublished",
                "date",
                "pubdate",
                "publishdate",
                "published",
                "dc.date.issued",
                "dc.date",
                "parsely-pub-date",
                "sailthru.date",
                "og:published_time",
                "citation_publication_date",
            ]
            .iter()
            .find_map(|&k| meta(&[k]).and_then(|d| iso_date(&d)))
        })
        .or_else(|| {
            // Some CMSs give the date to the JSON-LD `WebPage` that holds the article, not
            // to the article itself.
            ld.iter().filter_map(|v| v.get("datePublished")).filter_map(text_of).find_map(|d| iso_date(&d))
        })
        .or_else(|| {
            doc.select(&sel("article time[datetime], time[datetime]"))
                .find_map(|t| t.value().attr("datetime").and_then(iso_date))
        })
        .or_else(|| {
            // A date written only on the page: a `<time>` or an element named after a date.
            doc.select(&sel(r#"time, [class*="date"], [class*="publish"]"#))
                .map(shown_text)
                .filter(|t| t.len() <= 60)
                .find_map(|t| iso_date(&t))
        });

    let language = doc
        .root_element()
        .value()
        .attr("lang")
        .and_then(clean)
        .or_else(|| meta(&["og:locale"]).map(|l| l.replace('_', "-")))
        .or_else(|| ld_field("inLanguage"));

    let section = meta(&["article:section"]).or_else(|| ld_field("articleSection"));

    ArticleMeta { title, outlet, authors, published, url, language, section }
}

/// The text of `e` a reader could see: without what its scripts and style sheets hold (a
/// headline with a script inside is the headline, not the script).
fn shown_text(e: ElementRef) -> String {
    let mut out = String::new();
    let mut hidden = 0usize;
    for edge in e.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => match n.value() {
                scraper::Node::Element(el) if matches!(el.name(), "script" | "style") => hidden += 1,
                scraper::Node::Text(t) if hidden == 0 => out.push_str(t),
                _ => {}
            },
            ego_tree::iter::Edge::Close(n) => {
                if n.value().as_element().is_some_and(|el| matches!(el.name(), "script" | "style")) {
                    hidden -= 1;
                }
            }
        }
    }
    out
}

/// Whether `a` and `b` are the same words (case and punctuation aside).
fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let a = words(a);
    !a.is_empty() && a == words(b)
}

/// Names from byline markup: `rel=author` links, then elements whose class names a byline
/// or an author.
fn byline(doc: &Html) -> Vec<String> {
    let mut out = Vec::new();
    let text = |e: ElementRef| author_name(&shown_text(e));
    for e in doc.select(&sel(r#"[rel~="author"], [itemprop="author"]"#)) {
        if let Some(n) = text(e) {
            push_unique(&mut out, n);
        }
    }
    if out.is_empty()
        && let Some(n) = labelled_byline(doc)
    {
        out.push(n);
    }
    if out.is_empty() {
        // Links to an author's page, then the shortest texts of elements named after an
        // author or a byline ("By Jane Doe", "Author Jane Doe"): wrappers with more text fail
        // the name test below.
        for e in doc.select(&sel(r#"a[href*="/author/"], a[href*="/authors/"], [class*="author"], [class*="byline"]"#))
        {
            if let Some(n) = text(e).and_then(|n| byline_name(&n)) {
                push_unique(&mut out, n);
                break;
            }
        }
    }
    out
}

/// The words that introduce an author's name in a byline, the name in the same text or in
/// the next one (`<p>Written by</p><p>Jane Doe</p>`, `By <a href="/staff/jd">Jane Doe</a>`).
const BYLINE_LABELS: &[&str] = &["Written by", "Written By", "Posted by", "Words by", "By", "BY", "by"];

/// The name a byline label introduces: the first text of the page that is a label and a
/// name (`Written by Jane Doe`), or a label alone followed by a text that is a name. Only
/// text a reader sees counts, and only the first label with a name after it.
fn labelled_byline(doc: &Html) -> Option<String> {
    let mut after_label = false;
    for node in doc.tree.root().descendants() {
        let scraper::Node::Text(t) = node.value() else { continue };
        if node
            .parent()
            .and_then(|p| p.value().as_element())
            .is_some_and(|e| matches!(e.name(), "script" | "style" | "title" | "noscript" | "template" | "option"))
        {
            continue;
        }
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if after_label && let Some(n) = author_name(t).and_then(|n| byline_name(&n)).filter(|n| capitalised(n)) {
            return Some(n);
        }
        after_label = false;
        for label in BYLINE_LABELS {
            let Some(rest) = t.strip_prefix(label) else { continue };
            let rest = rest.trim_start_matches(':').trim();
            if rest.is_empty() {
                after_label = true;
            } else if rest.len() < t.len() - label.len()
                && !label.starts_with(['B', 'b'])
                && let Some(n) = byline_name(rest).filter(|n| capitalised(n))
            {
                // `Written by Jane Doe` in one text; `By Jane` alone is too common a start
                // of a sentence ("By then…") to count without markup saying it is a byline.
                return Some(n);
            }
        }
    }
    None
}

/// Whether every word of a name starts with a capital, but for the particles of names
/// (`van`, `de`, `bin`…): what follows a bare "By" is often the start of a sentence.
fn capitalised(name: &str) -> bool {
    const PARTICLES: &[&str] =
        &["van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "bin", "ibn", "al", "el", "and", "&"];
    let words: Vec<&str> = name.split_whitespace().collect();
    words.len() <= 5
        && words
            .iter()
            .all(|w| PARTICLES.contains(w) || w.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic()))
}

/// A byline's text as a name: a label before it dropped, and only when what is left looks
/// like a name (one to six words, no digits, no sentence punctuation).
fn byline_name(s: &str) -> Option<String> {
    let mut s = s.trim();
    for label in ["Written by", "Written By", "Author:", "Authors:", "Author", "By", "by"] {
        if let Some(rest) = s.strip_prefix(label)
            && rest.starts_with(|c: char| c.is_whitespace() || c == ':')
        {
            s = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ':');
        }
    }
    let words = s.split_whitespace().count();
    let plain = !s.contains(|c: char| c.is_ascii_digit() || matches!(c, '.' | '!' | '?' | '@' | '|' | '©'));
    ((1..=6).contains(&words) && plain && s.chars().next().is_some_and(|c| c.is_alphabetic() && !c.is_lowercase()))
        .then(|| s.to_string())
}

/// The host of a URL without `www.`.
pub(crate) fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// A date as ISO 8601: `2025-09-04T10:30:00+02:00` kept (a space before the time becomes
/// `T`, `+0200` becomes `+02:00`), `2025/09/04` and `20250904` become `2025-09-04`, and
/// written-out English dates (`September 4, 2025`, `Thu, 04 Sep 2025 10:00:00 GMT`) give
/// their day. Anything else is no date.
pub(crate) fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let valid = |y: &str, m: &str, d: &str| {
        let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y}-{m:02}-{d:02}"))
    };
    if digits(0..4)
        && matches!(b.get(4), Some(b'-' | b'/' | b'.'))
        && digits(5..7)
        && b.get(7) == b.get(4)
        && digits(8..10)
    {
        let day = valid(&s[0..4], &s[5..7], &s[8..10])?;
        let rest = &s[10..];
        let rb = rest.as_bytes();
        if matches!(rb.first(), Some(b'T' | b' '))
            && rest.len() >= 6
            && rb[1..3].iter().all(u8::is_ascii_digit)
            && rb[3] == b':'
        {
            let time_end =
                rest[1..].find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.')).map_or(rest.len(), |e| e + 1);
            let time = &rest[1..time_end];
            let zone = rest[time_end..].trim();
            let zone = if zone == "Z" || zone.is_empty() {
                zone.to_string()
            } else if (zone.starts_with('+') || zone.starts_with('-')) && zone.len() == 5 && !zone.contains(':') {
                format!("{}:{}", &zone[..3], &zone[3..])
            } else if (zone.starts_with('+') || zone.starts_with('-')) && zone.len() == 6 {
                zone.to_string()
            } else {
                String::new()
            };
            return Some(format!("{day}T{time}{zone}"));
        }
        return Some(day);
    }
    if b.len() == 8 && digits(0..8) {
        return valid(&s[0..4], &s[4..6], &s[6..8]);
    }
    // Written out: a month name, a day of one or two digits, a year of four.
    let words: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let month = words.iter().find_map(|w| {
        let w = w.to_ascii_lowercase();
        (w.len() >= 3).then(|| MONTHS.iter().position(|m| w.starts_with(m))).flatten()
    })?;
    let year = words.iter().find(|w| w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit()))?;
    let day = words.iter().find(|w| (1..=2).contains(&w.len()) && w.bytes().all(|c| c.is_ascii_digit()))?;
    valid(year, &(month + 1).to_string(), day)
}
