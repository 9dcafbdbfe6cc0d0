//! Quotes, their cues and speakers, found in an article's text: see `suggest`.
//!
//! A coder marks most attributions by the same few patterns (`"…," Peskov said`, `according to
//! local health authorities, …`), so this module proposes them: the claim's content, the cue and
//! the speaker, each a byte range into the text, for the coder to accept, adjust or reject. It is
//! rules over the text alone (no model, no dictionary of names), so it is fast, explainable (each
//! proposal says which rule made it) and the same on every machine. Rules and measured figures:
//! docs/quotes.md.

use std::ops::Range;

/// Recorded in each suggestion's origin: bump it when the proposals change, so a coder and
/// `stats` can tell one version's proposals from another's.
pub const VERSION: u32 = 2;

/// How a claim is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The speaker's words inside quotation marks.
    Direct,
    /// A paraphrase after a reporting verb or "according to".
    Indirect,
    /// A paraphrase that quotes some of the speaker's words.
    Mixed,
}

/// One proposed attribution: what was said, the words that say it was said, and who said it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// The claim's fragments (byte ranges; quotation marks excluded), in text order.
    pub content: Vec<Range<usize>>,
    pub cue: Option<Range<usize>>,
    pub speaker: Option<Range<usize>>,
    pub kind: Kind,
    /// How sure the rule that made it is, 0–1.
    pub confidence: f32,
    /// The rule that made it, for the coder and for measuring rules one by one.
    pub reason: &'static str,
}

/// How a cue relates to its speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    /// A reporting verb: the speaker is its subject, before it or (inverted) after it.
    Verb,
    /// A preposition ("according to", "по словам"): the speaker follows it.
    Prep,
}

/// The reporting cues, by language, as data: one lower-case word or phrase each. A phrase's
/// words are matched as consecutive words.
const CUES: &[(&str, CueKind)] = &[
    // English.
    ("according to", CueKind::Prep),
    ("said", CueKind::Verb),
    ("says", CueKind::Verb),
    ("states", CueKind::Verb),
    ("concludes", CueKind::Verb),
    ("describes", CueKind::Verb),
    ("explains", CueKind::Verb),
    ("notes", CueKind::Verb),
    ("adding", CueKind::Verb),
    ("saying", CueKind::Verb),
    ("say", CueKind::Verb),
    ("told", CueKind::Verb),
    ("tells", CueKind::Verb),
    ("added", CueKind::Verb),
    ("adds", CueKind::Verb),
    ("stated", CueKind::Verb),
    ("announced", CueKind::Verb),
    ("explained", CueKind::Verb),
    ("noted", CueKind::Verb),
    ("argued", CueKind::Verb),
    ("claimed", CueKind::Verb),
    ("claims", CueKind::Verb),
    ("insisted", CueKind::Verb),
    ("warned", CueKind::Verb),
    ("denied", CueKind::Verb),
    ("confirmed", CueKind::Verb),
    ("reported", CueKind::Verb),
    ("reports", CueKind::Verb),
    ("wrote", CueKind::Verb),
    ("writes", CueKind::Verb),
    ("asked", CueKind::Verb),
    ("answered", CueKind::Verb),
    ("replied", CueKind::Verb),
    ("recalled", CueKind::Verb),
    ("suggested", CueKind::Verb),
    ("acknowledged", CueKind::Verb),
    ("admitted", CueKind::Verb),
    ("admits", CueKind::Verb),
    ("pointed out", CueKind::Verb),
    ("demanded", CueKind::Verb),
    ("inquired", CueKind::Verb),
    ("urged", CueKind::Verb),
    ("emphasized", CueKind::Verb),
    ("stressed", CueKind::Verb),
    ("declared", CueKind::Verb),
    ("revealed", CueKind::Verb),
    ("concluded", CueKind::Verb),
    ("commented", CueKind::Verb),
    ("tweeted", CueKind::Verb),
    ("believes", CueKind::Verb),
    ("credits", CueKind::Verb),
    ("hopes", CueKind::Verb),
    ("agrees", CueKind::Verb),
    ("agreed", CueKind::Verb),
    ("advised", CueKind::Verb),
    ("advises", CueKind::Verb),
    ("acknowledges", CueKind::Verb),
    ("clarifies", CueKind::Verb),
    ("emphasizes", CueKind::Verb),
    ("emphasises", CueKind::Verb),
    ("stresses", CueKind::Verb),
    ("warns", CueKind::Verb),
    ("argues", CueKind::Verb),
    ("insists", CueKind::Verb),
    ("recommends", CueKind::Verb),
    ("suggests", CueKind::Verb),
    ("conclude", CueKind::Verb),
    ("shares", CueKind::Verb),
    ("stating", CueKind::Verb),
    ("noting", CueKind::Verb),
    ("explaining", CueKind::Verb),
    ("points out", CueKind::Verb),
    ("point out", CueKind::Verb),
    // Findings: a study, a survey or a report as the speaker, only with "that".
    ("found that", CueKind::Verb),
    ("finds that", CueKind::Verb),
    ("find that", CueKind::Verb),
    ("shows that", CueKind::Verb),
    ("show that", CueKind::Verb),
    ("showed that", CueKind::Verb),
    ("shown that", CueKind::Verb),
    ("shared that", CueKind::Verb),
    ("estimated that", CueKind::Verb),
    // Russian.
    ("по словам", CueKind::Prep),
    ("сказал", CueKind::Verb),
    ("сказала", CueKind::Verb),
    ("сказали", CueKind::Verb),
    ("заявил", CueKind::Verb),
    ("заявила", CueKind::Verb),
    ("заявили", CueKind::Verb),
    ("заявив", CueKind::Verb),
    ("отметил", CueKind::Verb),
    ("отметила", CueKind::Verb),
    ("сообщил", CueKind::Verb),
    ("сообщила", CueKind::Verb),
    ("сообщили", CueKind::Verb),
    ("подчеркнул", CueKind::Verb),
    ("добавил", CueKind::Verb),
    ("пояснил", CueKind::Verb),
    // Ukrainian.
    ("за словами", CueKind::Prep),
    ("сказав", CueKind::Verb),
    ("заявила", CueKind::Verb),
    ("повідомив", CueKind::Verb),
    ("повідомила", CueKind::Verb),
    ("зазначив", CueKind::Verb),
    ("додав", CueKind::Verb),
    // German.
    ("laut", CueKind::Prep),
    ("sagte", CueKind::Verb),
    ("sagt", CueKind::Verb),
    ("sagten", CueKind::Verb),
    ("erklärte", CueKind::Verb),
    ("betonte", CueKind::Verb),
    // French.
    ("selon", CueKind::Prep),
    ("a déclaré", CueKind::Verb),
    ("a dit", CueKind::Verb),
    ("a affirmé", CueKind::Verb),
    ("a ajouté", CueKind::Verb),
    ("déclare", CueKind::Verb),
    // Spanish.
    ("según", CueKind::Prep),
    ("dijo", CueKind::Verb),
    ("afirmó", CueKind::Verb),
    ("declaró", CueKind::Verb),
    ("señaló", CueKind::Verb),
    ("añadió", CueKind::Verb),
    ("aseguró", CueKind::Verb),
];

/// Words that may open a sentence before a quote without making it part of a clause ("And
/// "there is plenty …," says Mrazek).
const CONNECTORS: &[&str] =
    &["and", "but", "so", "still", "however", "yet", "also", "und", "aber", "и", "но", "et", "mais", "y", "pero"];

/// Words that are a speaker on their own.
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "we", "i", "он", "она", "они", "він", "вона", "вони", "er", "sie", "il", "elle", "ils",
    "él", "ella",
];

/// Words that open a noun phrase naming a speaker ("the source", "a spokesman", "its backers").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "one", "another", "some", "many", "most", "several", "other", "these", "those", "his", "her",
    "their", "its", "our", "local", "der", "die", "le", "la", "les", "el",
];

/// Abbreviated titles: their full stop neither ends a sentence nor a speaker's name ("Dr.
/// Parr says").
const TITLES: &[&str] =
    &["dr", "mr", "mrs", "ms", "prof", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "rev", "st"];

/// Whether `before` ends with an abbreviated title (the text just before its full stop).
fn ends_with_title(before: &str) -> bool {
    let w = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    w.len() <= 4 && w.chars().next().is_some_and(char::is_uppercase) && TITLES.iter().any(|t| w.eq_ignore_ascii_case(t))
}

/// Words that end a speaker phrase read forwards or backwards (relatives, prepositions, verbs
/// of being): "said the source, who …", "according to a study by …".
const STOPS: &[&str] = &[
    "who", "which", "that", "whom", "by", "on", "in", "at", "for", "with", "from", "to", "was", "is", "are", "were",
    "and", "but", "as", "when", "while", "if", "after", "before", "not", "did", "does",
];

/// Words between a speaker and its verb that are neither ("Peskov has also said").
const AUXILIARIES: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "later",
    "then",
    "earlier",
    "further",
    "reportedly",
    "previously",
    "again",
    "once",
    "finally",
    "recently",
    "would",
    "will",
    "has since",
    "тоже",
    "также",
];

/// Opening marks and the closing marks each pairs with.
const MARKS: &[(char, &[char])] = &[
    ('“', &['”', '"']),
    ('„', &['“', '”']),
    ('«', &['»']),
    ('»', &['«']),
    ('‚', &['‘', '’']),
    ('‘', &['’']),
    ('「', &['」']),
    ('『', &['』']),
    ('"', &['"', '”']),
    ('\'', &['\'']),
];

/// A quoted span in the text: the inside of each paragraph's piece, and where its marks are.
#[derive(Debug, Clone)]
struct Quoted {
    frags: Vec<Range<usize>>,
    /// Byte of the first opening mark.
    open: usize,
    /// Byte just after the last closing mark.
    close: usize,
    /// No closing mark before the paragraph's end (and the next paragraph does not go on).
    unclosed: bool,
}

/// A word or a punctuation character of a sentence.
#[derive(Debug, Clone)]
struct Tok {
    range: Range<usize>,
    word: bool,
}

/// Finds the attributions in `text`: direct quotes (their cue and speaker when next to them),
/// mixed quotes, then indirect speech in the sentences no quote claimed.
pub fn detect(text: &str) -> Vec<Attribution> {
    let paragraphs = paragraphs(text);
    let quotes = find_quotes(text, &paragraphs);
    let mut out: Vec<Attribution> = Vec::new();
    // Ranges already claimed by a quote, so indirect speech is not proposed over them.
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut skip_next = false;
    for (i, q) in quotes.iter().enumerate() {
        if skip_next {
            skip_next = false;
            continue;
        }
        let Some(mut a) = classify(text, q, &out) else { continue };
        // "'…,' he said, '…'": the second quote continues the first when only a comma or a
        // colon stands between the cue's speaker and it.
        if a.kind == Kind::Direct
            && let (Some(next), Some(sp), Some(cue)) = (quotes.get(i + 1), a.speaker.clone(), a.cue.clone())
            && cue.start >= q.close
        {
            let after = sp.end.max(cue.end);
            if after <= next.open {
                let gap = text[after..next.open].trim();
                if gap == "," || gap == ":" || gap == ", —" || gap == ", –" {
                    a.content.extend(next.frags.iter().cloned());
                    skip_next = true;
                }
            }
        }
        taken.push(a.content[0].start..a.content.last().map_or(q.close, |c| c.end));
        taken.push(q.open..q.close);
        out.push(a);
    }
    for a in transcript(text, &paragraphs, &taken) {
        taken.push(a.content[0].clone());
        out.push(a);
    }
    indirect(text, &paragraphs, &taken, &mut out);
    for a in &mut out {
        a.content.retain(|r| !r.is_empty());
    }
    out.retain(|a| !a.content.is_empty());
    out.sort_by_key(|a| a.content[0].start);
    out
}

/// The words a transcript names its journalists' turns with ("SERGIO MARTINEZ-BELTRAN,
/// BYLINE:"): their own turns are the report, not a quote.
const TRANSCRIPT_ROLES: &[&str] = &["BYLINE", "HOST"];

/// A transcript's turns (`ROSIE CURTS: If vouchers pass, …`): a paragraph opened by a name in
/// capitals and a colon is the named person's words, a direct claim. Only in an article with
/// at least three such turns by two full names or more, and a one-word name only as the
/// surname of a full one before it, so a label in capitals ("INTERVAL: …") is not a
/// speaker; never a journalist's turn, nor one a quote already claimed.
fn transcript(text: &str, paragraphs: &[Range<usize>], taken: &[Range<usize>]) -> Vec<Attribution> {
    let mut turns = Vec::new();
    let mut journalists: Vec<&str> = Vec::new();
    for p in paragraphs {
        let line = &text[p.clone()];
        let Some(colon) = line.find(": ") else { continue };
        let name = &line[..colon];
        if let Some((who, role)) = name.rsplit_once(", ")
            && TRANSCRIPT_ROLES.contains(&role)
            && capitals(who)
        {
            journalists.extend(who.split(' '));
            continue;
        }
        let said = trim(text, p.start + colon + 2..p.end);
        if capitals(name) && word_count(text, std::slice::from_ref(&said)) >= 3 {
            turns.push((p.start..p.start + colon, said));
        }
    }
    // Full names; a surname alone ("CANTWELL:") is a turn only after its full name's.
    let mut full: Vec<&str> = turns.iter().map(|(n, _)| &text[n.clone()]).filter(|n| n.contains(' ')).collect();
    full.sort_unstable();
    full.dedup();
    if turns.len() < 3 || full.len() < 2 {
        return Vec::new();
    }
    turns
        .into_iter()
        .filter(|(n, said)| {
            let name = &text[n.clone()];
            (name.contains(' ') || full.iter().any(|f| f.rsplit(' ').next() == Some(name)))
                && !name.split(' ').all(|w| journalists.contains(&w))
                && !taken.iter().any(|t| t.start < said.end && said.start < t.end)
        })
        .map(|(name, said)| Attribution {
            content: vec![said],
            cue: None,
            speaker: Some(name),
            kind: Kind::Direct,
            confidence: 0.7,
            reason: "a transcript's turn",
        })
        .collect()
}

/// A name in capitals: one to four words of capital letters (hyphens and apostrophes inside),
/// at least four letters in all.
fn capitals(name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    words.len() <= 4
        && name.chars().filter(|c| c.is_alphabetic()).count() >= 4
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_uppercase() || "-'’.".contains(c))
        })
}

/// Non-blank lines: a quote never runs past one unless the next opens with its mark again.
fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            if !text[start..i].trim().is_empty() {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(start..text.len());
    }
    out
}

fn is_quote_char(c: char) -> bool {
    MARKS.iter().any(|(o, cs)| *o == c || cs.contains(&c))
}

/// Whether `c` opens a quote here. Straight and single marks are also apostrophes and inch or
/// foot marks, so they open only after a space or an opening bracket and before a word.
fn opens(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let Some(next) = next else { return false };
    // Corner brackets are only ever quotation marks, and CJK text has no spaces before them.
    if c == '「' || c == '『' {
        return true;
    }
    if next.is_whitespace() {
        return false;
    }
    let after_space = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p) || is_quote_char(p));
    match c {
        '"' | '\'' | '‘' | '‚' => {
            after_space && (next.is_alphanumeric() || next == '.' || next == '…' || is_quote_char(next))
        }
        _ => after_space || !prev.is_some_and(char::is_alphanumeric),
    }
}

/// Whether `c` closes a quote here: after a word or punctuation, before a space, punctuation or
/// the end, never inside a word (don't, l'homme).
fn closes(c: char, prev: Option<char>, next: Option<char>) -> bool {
    if prev.is_none_or(char::is_whitespace) {
        return false;
    }
    if c == '」' || c == '』' {
        return true;
    }
    let end_ok = next.is_none_or(|n| n.is_whitespace() || ".,;:!?)]}—–-…".contains(n) || is_quote_char(n));
    match c {
        '"' | '\'' | '’' | '‘' => end_ok,
        _ => end_ok || !next.is_some_and(char::is_alphanumeric),
    }
}

/// The closing marks `open` pairs with.
fn closers(open: char) -> &'static [char] {
    MARKS.iter().find(|(o, _)| *o == open).map_or(&[], |(_, c)| *c)
}

/// Every quoted span, paragraph by paragraph. An unclosed quote whose next paragraph opens with
/// the same mark runs on (one fragment per paragraph); one that is not is no quote.
fn find_quotes(text: &str, paragraphs: &[Range<usize>]) -> Vec<Quoted> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < paragraphs.len() {
        let para = paragraphs[p].clone();
        let mut pos = para.start;
        let mut next_para = p + 1;
        while pos < para.end {
            let Some((open_at, mark)) = next_opening(text, pos, para.end) else { break };
            let inner = open_at + mark.len_utf8();
            match find_close(text, inner, para.end, mark) {
                Some(close_at) => {
                    out.push(Quoted {
                        frags: vec![trim(text, inner..close_at)],
                        open: open_at,
                        close: close_at + char_len(text, close_at),
                        unclosed: false,
                    });
                    pos = close_at + char_len(text, close_at);
                }
                None => {
                    // Run on over paragraphs that open with the same mark, at most a few.
                    let mut frags = vec![trim(text, inner..para.end)];
                    let mut q = p + 1;
                    let mut closed = None;
                    while q < paragraphs.len() && q <= p + 12 {
                        let next = paragraphs[q].clone();
                        let lead = text[next.clone()].trim_start();
                        let lead_at = next.end - lead.len();
                        if !lead.starts_with(mark) {
                            break;
                        }
                        let inner = lead_at + mark.len_utf8();
                        if let Some(c) = find_close(text, inner, next.end, mark) {
                            frags.push(trim(text, inner..c));
                            closed = Some((q, c));
                            break;
                        }
                        frags.push(trim(text, inner..next.end));
                        q += 1;
                    }
                    if let Some((q, c)) = closed {
                        out.push(Quoted { frags, open: open_at, close: c + char_len(text, c), unclosed: false });
                        next_para = q + 1;
                        // The rest of the closing paragraph is scanned as a paragraph of its own.
                        let rest = c + char_len(text, c);
                        if rest < paragraphs[q].end {
                            let tail = rest..paragraphs[q].end;
                            let mut tail_quotes = find_quotes(text, &[tail]);
                            out.append(&mut tail_quotes);
                        }
                        pos = para.end;
                    } else {
                        if q == p + 1 && matches!(mark, '"' | '“' | '„' | '«') {
                            out.push(Quoted {
                                frags: vec![trim(text, inner..para.end)],
                                open: open_at,
                                close: para.end,
                                unclosed: true,
                            });
                        }
                        pos = inner;
                    }
                }
            }
        }
        p = next_para;
    }
    out
}

fn char_len(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(0, char::len_utf8)
}

/// `r` without the white space at its ends; a range whose rules put its start past its end
/// (a cue at a sentence's last word) is empty, and dropped by `detect`.
fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    if r.start >= r.end {
        return r.start..r.start;
    }
    let s = &text[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.start + s.trim_end().len();
    start..end.max(start)
}

fn next_opening(text: &str, from: usize, end: usize) -> Option<(usize, char)> {
    let mut prev = text[..from].chars().next_back();
    let mut it = text[from..end].char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|(_, n)| *n);
        if MARKS.iter().any(|(o, _)| *o == c) && opens(c, prev, next) {
            return Some((from + i, c));
        }
        prev = Some(c);
    }
    None
}

fn find_close(text: &str, from: usize, end: usize, open: char) -> Option<usize> {
    // Straight marks inside straight marks ("… from "application consumption" to …"): count
    // the inner pairs, and only when that finds no end take the first closing mark.
    if open == '"'
        && let Some(at) = find_close_nested(text, from, end)
    {
        return Some(at);
    }
    let want = closers(open);
    let mut prev = text[..from].chars().next_back();
    let mut it = text[from..end].char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|(_, n)| *n);
        if want.contains(&c) && closes(c, prev, next) {
            return Some(from + i);
        }
        prev = Some(c);
    }
    None
}

fn find_close_nested(text: &str, from: usize, end: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut prev = text[..from].chars().next_back();
    let mut it = text[from..end].char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|(_, n)| *n);
        if c == '"' {
            if opens(c, prev, next) {
                depth += 1;
            } else if closes(c, prev, next) {
                if depth == 0 {
                    return Some(from + i);
                }
                depth -= 1;
            }
        } else if c == '”' && depth == 0 && closes(c, prev, next) {
            return Some(from + i);
        }
        prev = Some(c);
    }
    None
}

/// Words and punctuation of `text[range]`. A word keeps inner apostrophes, hyphens and dots
/// (O'Brien, Al-Ibrahim, U.S.).
fn tokens(text: &str, range: Range<usize>) -> Vec<Tok> {
    let s = &text[range.clone()];
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() {
                    end = j + d.len_utf8();
                    chars.next();
                } else if "'’-.".contains(d) && s[j + d.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric)
                {
                    chars.next();
                } else {
                    break;
                }
            }
            // "Dr." is one word, so the name runs on past it.
            if s[end..].starts_with(". ") && ends_with_title(&s[..end]) {
                end += 1;
                chars.next();
            }
            out.push(Tok { range: range.start + i..range.start + end, word: true });
        } else {
            out.push(Tok { range: range.start + i..range.start + i + c.len_utf8(), word: false });
        }
    }
    out
}

fn lower(text: &str, t: &Tok) -> String {
    text[t.range.clone()].to_lowercase()
}

/// Whether the token is the lower-case word `w` in any case, without allocating: every token
/// is compared with the cue table, so this is the detector's inner loop.
fn word_is(text: &str, t: &Tok, w: &str) -> bool {
    let s = &text[t.range.clone()];
    match (s.is_ascii(), w.is_ascii()) {
        (true, true) => return s.eq_ignore_ascii_case(w),
        // Lower-casing keeps ASCII ASCII, so an ASCII token is no Cyrillic word.
        (true, false) => return false,
        _ => {}
    }
    s.chars().flat_map(char::to_lowercase).eq(w.chars())
}

fn in_list(text: &str, t: &Tok, list: &[&str]) -> bool {
    t.word && list.iter().any(|w| word_is(text, t, w))
}

fn capitalised(text: &str, t: &Tok) -> bool {
    t.word && text[t.range.clone()].chars().next().is_some_and(char::is_uppercase)
}

/// The cue starting at token `i`, with the index just past it.
fn cue_at(text: &str, toks: &[Tok], i: usize) -> Option<(usize, CueKind)> {
    if !toks[i].word {
        return None;
    }
    let mut best: Option<(usize, CueKind)> = None;
    // Every token meets the table: only the cues that can start with its first byte are
    // compared, through an index made once (an ASCII byte lower-cased; any other lead meets
    // every cue that is not ASCII, since a capital's first byte differs from its small
    // letter's: "По словам").
    let lead = text.as_bytes()[toks[i].range.start].to_ascii_lowercase();
    let slot = if lead.is_ascii() { lead } else { NON_ASCII };
    for &c in &cue_index()[slot as usize] {
        let (phrase, kind) = &CUES[c];
        let mut words = phrase.split(' ');
        if !words.next().is_some_and(|w| word_is(text, &toks[i], w)) {
            continue;
        }
        let mut j = i + 1;
        let mut ok = true;
        for w in words {
            if j < toks.len() && toks[j].word && word_is(text, &toks[j], w) {
                j += 1;
            } else {
                ok = false;
                break;
            }
        }
        if ok && best.is_none_or(|(b, _)| j > b) {
            best = Some((j, *kind));
        }
    }
    best
}

/// The slot of [`cue_index`] for every cue whose phrase is not ASCII (no UTF-8 lead byte is
/// 0x80).
const NON_ASCII: u8 = 0x80;

/// The cues of `CUES` by the first byte of their phrase, so a token is compared only with the
/// few that can match it.
fn cue_index() -> &'static [Vec<usize>; 256] {
    static INDEX: std::sync::OnceLock<[Vec<usize>; 256]> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: [Vec<usize>; 256] = std::array::from_fn(|_| Vec::new());
        for (i, (phrase, _)) in CUES.iter().enumerate() {
            let lead = phrase.as_bytes()[0];
            index[if lead.is_ascii() { lead } else { NON_ASCII } as usize].push(i);
        }
        index
    })
}

/// The cue's span: the verb or phrase, and for "told" its listener (told reporters, told Reuters).
fn cue_span(text: &str, toks: &[Tok], i: usize, end: usize) -> Range<usize> {
    let mut stop = toks[end - 1].range.end;
    if (word_is(text, &toks[i], "told") || word_is(text, &toks[i], "tells"))
        && let Some(t) = toks.get(end)
        && t.word
        && !in_list(text, t, STOPS)
    {
        stop = t.range.end;
    }
    toks[i].range.start..stop
}

/// The speaker phrase ending just before token `v` (the verb), read backwards: a pronoun, a run
/// of capitalised words with titles among them, or a determiner's phrase of a few words.
fn speaker_before(text: &str, toks: &[Tok], v: usize) -> Option<Range<usize>> {
    let mut j = v;
    while j > 0 && in_list(text, &toks[j - 1], AUXILIARIES) {
        j -= 1;
    }
    if j == 0 {
        return None;
    }
    let last = j - 1;
    if in_list(text, &toks[last], PRONOUNS) {
        return Some(toks[last].range.clone());
    }
    // The run of words with no punctuation or stop word, at most eight.
    let mut k = last + 1;
    while k > 0 && last + 1 - (k - 1) <= 8 {
        let t = &toks[k - 1];
        if !t.word || in_list(text, t, STOPS) && !word_is(text, t, "of") {
            break;
        }
        k -= 1;
    }
    if k > last {
        // "Muhammad Shahabuddin, a resident of Palpur village, told BSS": the name before the
        // appositive is the speaker.
        if !toks[last].word && text[toks[last].range.clone()] == *"," {
            let from = last.saturating_sub(12);
            if let Some(c) = (from..last).rev().find(|&c| !toks[c].word && text[toks[c].range.clone()] == *",") {
                return speaker_before(text, toks, c).or_else(|| speaker_after(text, toks, c + 1));
            }
        }
        // "her husband, Joe Hannouch that said": a relative right before the verb; the name
        // before it is the speaker.
        if toks[last].word && in_list(text, &toks[last], &["that", "who", "which"]) && last > 0 {
            return speaker_before(text, toks, last);
        }
        return None;
    }
    let run = &toks[k..=last];
    // A determiner's phrase: from the last determiner in the run.
    if let Some(d) = run.iter().rposition(|t| in_list(text, t, DETERMINERS)) {
        // A capitalised word before "the" joined by "and" belongs too ("Kiev and its backers").
        let start =
            if d >= 2 && word_is(text, &run[d - 1], "and") && capitalised(text, &run[d - 2]) { d - 2 } else { d };
        if start < run.len() - 1 || d < run.len() - 1 {
            return Some(run[start].range.start..run[run.len() - 1].range.end);
        }
    }
    // Capitalised words, and lower-case titles inside them ("Kremlin spokesman Dmitry Peskov").
    let mut s = run.len();
    while s > 0 {
        let t = &run[s - 1];
        if capitalised(text, t)
            || (s < run.len() && s > 1 && capitalised(text, &run[s - 2]))
            || word_is(text, t, "of") && s < run.len()
        {
            s -= 1;
        } else {
            break;
        }
    }
    // A plural or collective noun on its own ("officials said", "customers say").
    if s == run.len() {
        let w = lower(text, &run[run.len() - 1]);
        if w.ends_with('s') && w.len() > 3 {
            let from = run.len().saturating_sub(2);
            let from = if from < run.len() - 1
                && !capitalised(text, &run[from])
                && !in_list(text, &run[from], DETERMINERS)
                && run.len() >= 2
            {
                from
            } else {
                run.len() - 1
            };
            return Some(run[from].range.start..run[run.len() - 1].range.end);
        }
        return None;
    }
    // A sentence's first word is capitalised whatever it is: keep it only when the run has a
    // name in it, which a lone sentence-initial word does not show.
    while s < run.len() - 1 && word_is(text, &run[s], "of") {
        s += 1;
    }
    Some(run[s].range.start..run[run.len() - 1].range.end)
}

/// The speaker phrase starting at token `i`, read forwards ("said the source, who…", "according
/// to local health authorities, …").
fn speaker_after(text: &str, toks: &[Tok], i: usize) -> Option<Range<usize>> {
    let first = toks.get(i)?;
    if !first.word {
        return None;
    }
    if in_list(text, first, PRONOUNS) {
        return Some(first.range.clone());
    }
    let mut j = i;
    while j < toks.len() && j - i < 8 {
        let t = &toks[j];
        if !t.word
            || (j > i
                && in_list(text, t, STOPS)
                && !(word_is(text, t, "of") && toks.get(j + 1).is_some_and(|n| capitalised(text, n))))
        {
            break;
        }
        if j == i && in_list(text, t, STOPS) {
            return None;
        }
        j += 1;
    }
    if j == i {
        return None;
    }
    // Words that do not look like a speaker ("said on Monday", "said yesterday").
    if !capitalised(text, first)
        && !in_list(text, first, DETERMINERS)
        && !toks[i..j].iter().any(|t| capitalised(text, t))
    {
        return None;
    }
    Some(first.range.start..toks[j - 1].range.end)
}

/// The sentence around `at` inside its paragraph: from after the last sentence end before it.
fn sentence_start(text: &str, para_start: usize, at: usize) -> usize {
    let before = &text[para_start..at];
    let mut start = para_start;
    let mut it = before.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c == '。' {
            start = para_start + i + c.len_utf8();
            continue;
        }
        if ".!?".contains(c)
            && let Some(&(j, n)) = it.peek()
            && n == ' '
        {
            // A following capital makes it a sentence end, unless the stop is a title's.
            let rest = &before[j + 1..];
            if rest.chars().next().is_none_or(|r| r.is_uppercase() || is_quote_char(r))
                && !ends_with_title(&before[..i])
            {
                start = para_start + i + 1;
            }
        }
    }
    start
}

fn para_of(text: &str, at: usize) -> Range<usize> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    start..end
}

/// Words in the fragments; text without spaces (Chinese, Japanese) counts a word per two
/// ideographs or kana, about what a word is there.
fn word_count(text: &str, frags: &[Range<usize>]) -> usize {
    frags
        .iter()
        .map(|r| {
            let s = &text[r.clone()];
            s.split_whitespace().count() + s.chars().filter(|&c| is_cjk(c)).count() / 2
        })
        .sum()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF)
}

/// Japanese reporting verbs after a quote's closing 」 and its particle と.
const CJK_CUES: &[&str] =
    &["と述べた", "と語った", "と話した", "と説明した", "と強調した", "と発表した", "と言った", "と指摘した"];

/// `田中首相は「…」と述べた`: the cue right after the closing mark, the speaker before the
/// opening one, ended by the topic or subject particle.
fn cjk_cue(text: &str, q: &Quoted, sent: usize) -> Option<(Range<usize>, Option<Range<usize>>)> {
    let rest = &text[q.close..];
    let cue = CJK_CUES.iter().find(|c| rest.starts_with(**c))?;
    let cue = q.close + 'と'.len_utf8()..q.close + cue.len();
    let before = text[sent..q.open].trim_end_matches(['、', ' ']);
    let speaker = before.strip_suffix('は').or_else(|| before.strip_suffix('が')).and_then(|name| {
        let from = name
            .rfind(|c: char| "。、「」『』 ".contains(c))
            .map_or(0, |i| i + name[i..].chars().next().map_or(1, char::len_utf8));
        (from < name.len()).then(|| sent + from..sent + name.len())
    });
    Some((cue, speaker))
}

/// What a quoted span is: a direct quote (with the cue and speaker next to it), a mixed quote
/// (quoted words inside a reported clause), or nothing (scare quotes, titles, nicknames).
fn classify(text: &str, q: &Quoted, found: &[Attribution]) -> Option<Attribution> {
    let words = word_count(text, &q.frags);
    let first_para = para_of(text, q.open);
    let last_para = para_of(text, q.frags.last()?.start);
    let sent = sentence_start(text, first_para.start, q.open);
    // After the quote: the rest of its sentence.
    let after = tokens(text, q.close..floor_boundary(text, last_para.end.min(q.close + 200)));
    let inside_end = text[q.frags.last()?.clone()].trim_end().chars().next_back();
    let ends_sentence_inside = inside_end.is_some_and(|c| ".!?…,;:—".contains(c));
    let before = tokens(text, sent..q.open);
    if q.unclosed {
        // A closing mark left out at the paragraph's end: a quote only when its cue says so.
        let (cue, speaker, adjacent) = cue_before(text, &before)?;
        return (adjacent && words >= 3).then(|| Attribution {
            content: q.frags.clone(),
            cue: Some(cue),
            speaker,
            kind: Kind::Direct,
            confidence: 0.5,
            reason: "unclosed quote after its cue",
        });
    }
    if let Some((cue, speaker)) = cjk_cue(text, q, sent) {
        return Some(Attribution {
            content: q.frags.clone(),
            cue: Some(cue),
            speaker,
            kind: Kind::Direct,
            confidence: 0.85,
            reason: "quote followed by its cue",
        });
    }
    // A full stop inside the marks ends the sentence: a name and verb after it start the next
    // one ("…on Sevastopol.” He recalled …").
    let cue_next = if inside_end == Some('.') { None } else { cue_after(text, &after) };
    if let Some(a) = cue_next {
        if words <= 2 && !ends_sentence_inside {
            return None;
        }
        // Quoted words inside a clause ("remains “a true bakery,” he said"): the sentence up to
        // the quote is the speaker's too.
        if before.last().is_some_and(|t| t.word) && !before.iter().all(|t| in_list(text, t, CONNECTORS)) {
            let start = sent_clause_start(text, &before);
            return Some(Attribution {
                content: vec![trim(text, start..q.frags.last()?.end)],
                cue: Some(a.0),
                speaker: a.1,
                kind: Kind::Mixed,
                confidence: 0.6,
                reason: "quoted words in a clause before its cue",
            });
        }
        return Some(Attribution {
            content: q.frags.clone(),
            cue: Some(a.0),
            speaker: a.1,
            kind: Kind::Direct,
            confidence: 0.9,
            reason: "quote followed by its cue",
        });
    }
    if let Some((cue, speaker, adjacent)) = cue_before(text, &before) {
        if adjacent && (words >= 3 || ends_sentence_inside) {
            return Some(Attribution {
                content: q.frags.clone(),
                cue: Some(cue),
                speaker,
                kind: Kind::Direct,
                confidence: 0.85,
                reason: "quote after its cue",
            });
        }
        // A single quoted word after a verb is a scare quote far more often than a quotation
        // ("won't say 'maybe'"), and a mixed claim needs someone who said it.
        if words >= 2 && speaker.is_some() {
            // Quoted words inside the reported clause: the clause is the claim.
            let mut first = before.iter().position(|t| t.range.start >= cue.end).unwrap_or(before.len());
            while first < before.len() && in_list(text, &before[first], TIME_WORDS) {
                first += 1;
            }
            let clause_start = skip_that(text, before.get(first).map_or(q.open, |t| t.range.start));
            // A full stop inside the marks ends the sentence with the quote.
            let mut end = if matches!(inside_end, Some('.' | '!' | '?')) {
                q.close
            } else {
                sentence_end(text, q.close, last_para.end)
            };
            // "…" but denied …: a second cue joined by "and" or "but" is a claim of its own.
            let rest = tokens(text, q.close..end);
            if let Some(j) = (0..rest.len().saturating_sub(1)).find(|&j| {
                in_list(text, &rest[j], &["and", "but"])
                    && matches!(cue_at(text, &rest, j + 1), Some((_, CueKind::Verb)))
            }) {
                end = rest[j].range.start;
            }
            if words <= 2 && clause_start == q.open && end <= q.close + 1 {
                return None;
            }
            return Some(Attribution {
                content: vec![trim(text, clause_start..end)],
                cue: Some(cue),
                speaker,
                kind: Kind::Mixed,
                confidence: 0.6,
                reason: "quoted words in a reported clause",
            });
        }
    }
    // A quote standing as its own sentence (or paragraph), with no cue: the last speaker of
    // the paragraph before, when there is one.
    let at_start = before.is_empty();
    if at_start && words >= 3 && ends_sentence_inside {
        let prev = found
            .iter()
            .rev()
            .find(|a| a.speaker.is_some() && a.content.last().is_some_and(|c| c.end <= q.open && q.open - c.end < 600));
        return Some(Attribution {
            content: q.frags.clone(),
            cue: None,
            speaker: prev.and_then(|a| a.speaker.clone()),
            kind: Kind::Direct,
            confidence: if prev.is_some() { 0.7 } else { 0.5 },
            reason: "quote as a sentence of its own",
        });
    }
    None
}

/// Where the clause before a quote starts: after the sentence's last comma, else its start.
fn sent_clause_start(text: &str, before: &[Tok]) -> usize {
    match before.iter().rposition(|t| !t.word && text[t.range.clone()] == *",") {
        Some(i) if i + 1 < before.len() => before[i + 1].range.start,
        _ => before.first().map_or(0, |t| t.range.start),
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn skip_that(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    for w in ["that ", "что ", "що ", "dass ", "que "] {
        if rest.starts_with(w) {
            return at + w.len();
        }
    }
    at
}

/// The end of the sentence that goes on at `from` (just past its full stop), within `limit`.
fn sentence_end(text: &str, from: usize, limit: usize) -> usize {
    let s = &text[from..limit];
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if ".!?".contains(c) {
            match it.peek() {
                None => return from + i,
                Some((_, n)) if n.is_whitespace() => return from + i,
                // "…on Sevastopol.” He recalled": the sentence ends with its closing mark.
                Some((j, n))
                    if is_quote_char(*n) && s[j + n.len_utf8()..].chars().next().is_none_or(char::is_whitespace) =>
                {
                    return from + j + n.len_utf8();
                }
                _ => {}
            }
        }
    }
    limit
}

/// `," he said` / `," said Peskov` / `», — сказал Песков`: the cue and speaker right after a
/// closing mark.
fn cue_after(text: &str, after: &[Tok]) -> Option<(Range<usize>, Option<Range<usize>>)> {
    let mut i = 0;
    while i < after.len() && !after[i].word && ",—–-".contains(&text[after[i].range.clone()]) {
        i += 1;
    }
    if i >= after.len() {
        return None;
    }
    // Verb first: "said the source".
    if let Some((end, kind)) = cue_at(text, after, i) {
        let cue = cue_span(text, after, i, end);
        let speaker = speaker_after(text, after, end);
        if kind == CueKind::Verb && speaker.is_some() {
            return Some((cue, speaker));
        }
        if kind == CueKind::Prep {
            return Some((cue, speaker));
        }
    }
    // Speaker first: "Peskov told Reuters", "she said", "the agency's spokesman said".
    for v in i + 1..(i + 8).min(after.len()) {
        if !after[v].word {
            break;
        }
        if let Some((end, CueKind::Verb)) = cue_at(text, after, v) {
            let speaker = speaker_before(text, after, v)?;
            if speaker.start != after[i].range.start {
                return None;
            }
            return Some((cue_span(text, after, v, end), Some(speaker)));
        }
    }
    None
}

/// A cue before an opening mark in the same sentence: its span, its speaker, and whether it
/// introduces the quote directly (`X said: "…"`, `X told Reuters on Monday, "…"`).
fn cue_before(text: &str, before: &[Tok]) -> Option<(Range<usize>, Option<Range<usize>>, bool)> {
    let mut best = None;
    for i in 0..before.len() {
        if let Some((end, kind)) = cue_at(text, before, i) {
            best = Some((i, end, kind));
        }
    }
    let (i, end, kind) = best?;
    let cue = cue_span(text, before, i, end);
    let speaker = match kind {
        // "told BSS": the word after "told" is the listener, never the speaker.
        CueKind::Verb if in_list(text, &before[i], &["told", "tells"]) => speaker_before(text, before, i),
        CueKind::Verb => speaker_before(text, before, i).or_else(|| speaker_after(text, before, end)),
        CueKind::Prep => speaker_after(text, before, end),
    };
    // What stands between the cue and the quote: a comma, a colon, "that", or a few words of
    // time and listener ("on Monday", "reporters").
    let rest = &before[end..];
    let words = rest.iter().filter(|t| t.word).count();
    let only_glue = rest.iter().all(|t| {
        (!t.word && [",", ":", "—", "–"].contains(&&text[t.range.clone()]))
            || t.word
                && in_list(
                    text,
                    t,
                    &["that", "on", "in", "reporters", "journalists", "me", "us", "what", "что", "що", "dass", "que"],
                )
            || capitalised(text, t)
    });
    let adjacent = kind == CueKind::Verb && only_glue && words <= 3 && speaker.is_some();
    Some((cue, speaker, adjacent))
}

/// Indirect speech in the sentences no quote claimed: "X said (that) …", "X told Reuters …",
/// "according to X, …", "…, X said." and "…, said X."
fn indirect(text: &str, paragraphs: &[Range<usize>], taken: &[Range<usize>], out: &mut Vec<Attribution>) {
    for para in paragraphs {
        for sent in sentences(text, para.clone()) {
            if taken.iter().any(|t| t.start < sent.end && sent.start < t.end) || headline(&text[sent.clone()]) {
                continue;
            }
            out.extend(indirect_in(text, sent));
        }
    }
}

/// Whether a sentence is a title in title case ("The 7 Biggest Diet Trends, According to
/// Nutritionists", a related link): most of its longer words capitalised, and no full stop.
/// Its "according to" or "says" is a headline's, whose claim is the article's own.
fn headline(sent: &str) -> bool {
    if sent.trim_end().ends_with('.') {
        return false;
    }
    let long: Vec<&str> = sent.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 4).collect();
    let caps = long.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    long.len() >= 3 && caps * 4 >= long.len() * 3
}

/// Whether `rest` starts a sentence: a capital, or a quotation mark before one (`… programs.
/// “The problem is …` is two sentences, so the first can be indirect speech).
fn opens_sentence(rest: &str) -> bool {
    let mut c = rest.chars();
    match c.next() {
        Some(q) if is_quote_char(q) => c.next().is_some_and(char::is_uppercase),
        Some(l) => l.is_uppercase(),
        None => false,
    }
}

fn sentences(text: &str, para: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = para.start;
    let s = &text[para.clone()];
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if ".!?".contains(c)
            && let Some(&(j, ' ')) = it.peek()
            && opens_sentence(&s[j + 1..])
            && !s[..i].rsplit(' ').next().is_some_and(|w| w.len() <= 2 && w.chars().all(char::is_uppercase))
            && !ends_with_title(&s[..i])
        {
            out.push(start..para.start + i + 1);
            start = para.start + j + 1;
        }
    }
    if start < para.end {
        out.push(start..para.end);
    }
    out
}

fn indirect_in(text: &str, sent: Range<usize>) -> Vec<Attribution> {
    let toks = tokens(text, sent.clone());
    let Some(end_at) = toks.iter().rposition(|t| t.word).map(|i| toks[i].range.end) else { return Vec::new() };
    for i in 0..toks.len() {
        let Some((end, kind)) = cue_at(text, &toks, i) else { continue };
        let cue = cue_span(text, &toks, i, end);
        match kind {
            CueKind::Prep => {
                let Some(speaker) = speaker_after(text, &toks, end) else { return Vec::new() };
                let content = if i == 0 || (i <= 3 && !toks[..i].iter().any(|t| text[t.range.clone()] == *",")) {
                    // "According to X, content."
                    let Some(after) =
                        toks.iter().position(|t| t.range.start >= speaker.end && text[t.range.clone()] == *",")
                    else {
                        return Vec::new();
                    };
                    let Some(next) = toks.get(after + 1) else { return Vec::new() };
                    next.range.start..end_at
                } else if text[toks[i - 1].range.clone()] == *"," {
                    // "Content, according to X."
                    sent.start..toks[i - 1].range.start
                } else {
                    // "changed according to the owner's manual": a manner, not a source.
                    return Vec::new();
                };
                let content = trim_punct(text, content);
                if word_count(text, std::slice::from_ref(&content)) < 3 {
                    return Vec::new();
                }
                return vec![Attribution {
                    content: vec![content],
                    cue: Some(cue),
                    speaker: Some(speaker),
                    kind: Kind::Indirect,
                    confidence: 0.7,
                    reason: "according to a source",
                }];
            }
            CueKind::Verb => {
                // "…, said X." / "…, X said." at the end of the sentence.
                let after_comma = i > 0 && text[toks[i - 1].range.clone()] == *",";
                // Only at the sentence's end: "…, tells TODAY.com that she …" is not inverted.
                let ends = |sp: &Range<usize>| toks.iter().filter(|t| t.word && t.range.start >= sp.end).count() <= 4;
                if after_comma
                    && let Some(speaker) = speaker_after(text, &toks, end)
                    && ends(&speaker)
                {
                    let content = trim_punct(text, sent.start..toks[i - 1].range.start);
                    if word_count(text, std::slice::from_ref(&content)) >= 4 {
                        return vec![indirect_claim(content, cue, speaker, "paraphrase before an inverted cue")];
                    }
                }
                let Some(speaker) = speaker_before(text, &toks, i) else { continue };
                let Some(sp_tok) = toks.iter().position(|t| t.range.start == speaker.start) else { continue };
                // "Content, Kremlin spokesman Dmitry Peskov told reporters on Monday.": a few
                // words of listener and time may follow the cue.
                let trailing = toks[end..].iter().filter(|t| t.word).count();
                if sp_tok > 0 && text[toks[sp_tok - 1].range.clone()] == *"," && trailing <= 4 {
                    let content = trim_punct(text, sent.start..toks[sp_tok - 1].range.start);
                    if word_count(text, std::slice::from_ref(&content)) >= 4 {
                        return vec![indirect_claim(content, cue, speaker, "paraphrase before its cue")];
                    }
                    continue;
                }
                return after_cue(text, &toks, i, end, end_at, speaker);
            }
        }
    }
    Vec::new()
}

/// "X said (that) content.", and a second cue joined by "and" or "but" ("X pointed out that A
/// and stated that B") starting a claim of its own with the same speaker.
fn after_cue(text: &str, toks: &[Tok], i: usize, end: usize, end_at: usize, speaker: Range<usize>) -> Vec<Attribution> {
    let mut out = Vec::new();
    let (mut i, mut end) = (i, end);
    loop {
        let cue = cue_span(text, toks, i, end);
        let mut k = end;
        if in_list(text, &toks[i], &["told", "tells"]) && toks.get(k).is_some_and(|t| t.word) {
            k += 1;
        }
        while k < toks.len() && toks[k].word && in_list(text, &toks[k], TIME_WORDS) {
            k += 1;
        }
        while k < toks.len() && (!toks[k].word && [",", ":"].contains(&&text[toks[k].range.clone()])) {
            k += 1;
        }
        let Some(t) = toks.get(k) else { return out };
        let start = skip_that(text, t.range.start);
        let that = start != t.range.start;
        // "explains how …", "announced its acquisition of …": a topic or a thing, not a claim.
        let topic =
            !that && (in_list(text, t, WH_WORDS) || in_list(text, &toks[i], THAT_CUES) || word_is(text, t, "on"));
        // The next "and"/"but" followed by a cue (with "also" between) ends this claim.
        let next = (k..toks.len().saturating_sub(1)).find_map(|j| {
            if !in_list(text, &toks[j], &["and", "but"]) {
                return None;
            }
            let v = if in_list(text, &toks[j + 1], &["also", "then", "later"]) { j + 2 } else { j + 1 };
            match cue_at(text, toks, v.min(toks.len() - 1)) {
                Some((e, CueKind::Verb)) if v < toks.len() => Some((j, v, e)),
                _ => None,
            }
        });
        let stop = next.map_or(end_at, |(j, _, _)| toks[j].range.start);
        let stop = clause_end(text, toks, k, stop);
        let content = trim_punct(text, start..stop);
        if !topic && word_count(text, std::slice::from_ref(&content)) >= 4 {
            out.push(indirect_claim(content, cue, speaker.clone(), "paraphrase after its cue"));
        }
        match next {
            Some((_, v, e)) => (i, end) = (v, e),
            None => return out,
        }
    }
}

/// Where the reported clause starting at token `k` ends before `stop`: at a semicolon or a
/// spaced dash, or at ", and" or ", but" before a new subject ("…, and the American College of
/// Sports Medicine ranks …"), which is the writer's again.
fn clause_end(text: &str, toks: &[Tok], k: usize, stop: usize) -> usize {
    for j in k + 1..toks.len() {
        let t = &toks[j];
        if t.range.start >= stop {
            break;
        }
        let p = &text[t.range.clone()];
        let spaced = text[..t.range.start].ends_with(' ') && text[t.range.end..].starts_with(' ');
        if !t.word && (p == ";" || (spaced && (p == "—" || p == "–"))) {
            return t.range.start;
        }
        if p == ","
            && let (Some(conj), Some(subject)) = (toks.get(j + 1), toks.get(j + 2))
            && in_list(text, conj, &["and", "but"])
            && (in_list(text, subject, DETERMINERS) || capitalised(text, subject))
        {
            return t.range.start;
        }
    }
    stop
}

/// Words that open an embedded question: after a cue it names a topic ("Wilgus explains what
/// meditation is"), not what was said.
const WH_WORDS: &[&str] = &["how", "what", "why", "whether", "where", "when", "who", "which"];

/// Cues that far more often take a thing than a claim ("announced plans to acquire …",
/// "confirmed Kirsten Davies as CIO"): indirect speech after them only with "that".
const THAT_CUES: &[&str] = &["announced", "confirmed", "revealed", "denied", "shares"];

/// Words of time between a cue and what was said ("told reporters on Monday that …").
const TIME_WORDS: &[&str] = &[
    "on",
    "monday",
    "this",
    "week",
    "last",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "earlier",
    "later",
];

fn indirect_claim(
    content: Range<usize>,
    cue: Range<usize>,
    speaker: Range<usize>,
    reason: &'static str,
) -> Attribution {
    Attribution {
        content: vec![content],
        cue: Some(cue),
        speaker: Some(speaker),
        kind: Kind::Indirect,
        confidence: 0.6,
        reason,
    }
}

fn trim_punct(text: &str, r: Range<usize>) -> Range<usize> {
    let r = trim(text, r);
    let s = &text[r.clone()];
    let t = s.trim_end_matches([',', '.', ';', ':']).trim_end();
    r.start..r.start + t.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one attribution in `text`, as strings: content fragments, cue, speaker, kind.
    fn one(text: &str) -> (Vec<&str>, Option<&str>, Option<&str>, Kind) {
        let found = detect(text);
        assert_eq!(found.len(), 1, "one attribution in {text:?}: {found:#?}");
        let a = &found[0];
        let s = |r: &Option<Range<usize>>| r.clone().map(|r| &text[r]);
        (a.content.iter().map(|r| &text[r.clone()]).collect(), s(&a.cue), s(&a.speaker), a.kind)
    }

    #[test]
    fn a_curly_quote_before_an_inverted_cue_is_direct_with_its_speaker() {
        let (content, cue, speaker, kind) = one("“Ça ne marchera pas à Genève,” said Élodie Durand.");
        assert_eq!(content, ["Ça ne marchera pas à Genève,"]);
        assert_eq!((cue, speaker, kind), (Some("said"), Some("Élodie Durand"), Kind::Direct));
    }

    #[test]
    fn a_straight_quote_before_a_determiners_speaker_is_direct() {
        let (content, cue, speaker, kind) = one("\"Zürich bleibt offen,\" the mayor said.");
        assert_eq!(content, ["Zürich bleibt offen,"]);
        assert_eq!((cue, speaker, kind), (Some("said"), Some("the mayor"), Kind::Direct));
    }

    #[test]
    fn guillemets_with_a_dash_and_a_russian_cue_are_direct() {
        let (content, cue, speaker, kind) = one("«Мы не планируем наступление», — заявил Песков.");
        assert_eq!(content, ["Мы не планируем наступление"]);
        assert_eq!((cue, speaker, kind), (Some("заявил"), Some("Песков"), Kind::Direct));
    }

    #[test]
    fn german_low_high_quotes_double_and_single_are_direct() {
        let (content, cue, speaker, _) = one("„Wir schaffen das“, sagte Angela Merkel in Köln.");
        assert_eq!((content, cue, speaker), (vec!["Wir schaffen das"], Some("sagte"), Some("Angela Merkel")));
        let (content, cue, speaker, _) = one("‚Das ist gut für Jürgen‘, sagte Müller.");
        assert_eq!((content, cue, speaker), (vec!["Das ist gut für Jürgen"], Some("sagte"), Some("Müller")));
    }

    #[test]
    fn corner_brackets_with_a_japanese_cue_are_direct_with_the_topic_as_speaker() {
        let (content, cue, speaker, kind) = one("田中首相は「経済の回復を最優先にする」と述べた。");
        assert_eq!(content, ["経済の回復を最優先にする"]);
        assert_eq!((cue, speaker, kind), (Some("述べた"), Some("田中首相"), Kind::Direct));
        let (content, _, speaker, _) = one("外相が『交渉はまだ続いている』と語った。");
        assert_eq!((content, speaker), (vec!["交渉はまだ続いている"], Some("外相")));
    }

    #[test]
    fn a_quote_over_two_paragraphs_is_one_claim_with_a_fragment_per_paragraph() {
        let text = "“Erster Absatz über Köln, ohne Ende.\n\n“Zweiter Absatz mit Ende,” sagte Jürgen Müller.";
        let (content, cue, speaker, kind) = one(text);
        assert_eq!(content, ["Erster Absatz über Köln, ohne Ende.", "Zweiter Absatz mit Ende,"]);
        assert_eq!((cue, speaker, kind), (Some("sagte"), Some("Jürgen Müller"), Kind::Direct));
    }

    #[test]
    fn a_quote_interrupted_by_its_cue_is_one_claim_with_two_fragments() {
        let (content, cue, speaker, _) = one("“Nous avons essayé,” a déclaré Élise, “mais sans succès.”");
        assert_eq!(content, ["Nous avons essayé,", "mais sans succès."]);
        assert_eq!((cue, speaker), (Some("a déclaré"), Some("Élise")));
        let (content, cue, speaker, _) = one("'We tried in Köln,' he said, 'and we failed.'");
        assert_eq!(content, ["We tried in Köln,", "and we failed."]);
        assert_eq!((cue, speaker), (Some("said"), Some("he")));
    }

    #[test]
    fn a_quote_after_a_cue_that_ends_a_sentence_is_a_claim_of_its_own_with_the_same_speaker() {
        let text = "“Wir sind bereit für Gespräche,” sagte Jürgen Müller. “Aber nicht in München.”";
        let found = detect(text);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(&text[found[1].content[0].clone()], "Aber nicht in München.");
        assert_eq!(found[1].speaker.clone().map(|r| &text[r]), Some("Jürgen Müller"));
        assert_eq!(found[1].cue, None);
    }

    #[test]
    fn a_quote_after_its_cue_and_a_colon_is_direct() {
        let (content, cue, speaker, kind) = one("Nate Wheatley said: \"They charged me €8,000 in Málaga.\"");
        assert_eq!(content, ["They charged me €8,000 in Málaga."]);
        assert_eq!((cue, speaker, kind), (Some("said"), Some("Nate Wheatley"), Kind::Direct));
    }

    #[test]
    fn quoted_words_in_a_reported_clause_are_a_mixed_claim() {
        let (content, cue, speaker, kind) = one("Peskov said Moscow is “ready for talks in Genève” but not now.");
        assert_eq!(content, ["Moscow is “ready for talks in Genève” but not now"]);
        assert_eq!((cue, speaker, kind), (Some("said"), Some("Peskov"), Kind::Mixed));
        let (_, cue, speaker, kind) = one("Paris Baguette remains “a true bakery in Montréal,” he said.");
        assert_eq!((cue, speaker, kind), (Some("said"), Some("he"), Kind::Mixed));
    }

    #[test]
    fn indirect_speech_after_reporting_verbs_is_found_with_cue_and_speaker() {
        let (content, cue, speaker, kind) =
            one("Kremlin spokesman Dmitry Peskov told reporters that the offer made in Minsk still stands.");
        assert_eq!(content, ["the offer made in Minsk still stands"]);
        assert_eq!(
            (cue, speaker, kind),
            (Some("told reporters"), Some("Kremlin spokesman Dmitry Peskov"), Kind::Indirect)
        );
        let (content, cue, speaker, _) = one("According to Rosstat, prices in Moskva rose by nine percent.");
        assert_eq!(
            (content, cue, speaker),
            (vec!["prices in Moskva rose by nine percent"], Some("According to"), Some("Rosstat"))
        );
        let (content, cue, speaker, _) = one("Prices in Kyiv fell sharply last week, officials said.");
        assert_eq!(
            (content, cue, speaker),
            (vec!["Prices in Kyiv fell sharply last week"], Some("said"), Some("officials"))
        );
        let (content, cue, speaker, _) = one("The ministry denied that its troops crossed the border near Kharkiv.");
        assert_eq!(
            (content, cue, speaker),
            (vec!["its troops crossed the border near Kharkiv"], Some("denied"), Some("The ministry"))
        );
        let (content, _, speaker, _) = one("Talks will resume in Genève next week, said Darren Tipton, the envoy.");
        assert_eq!((content, speaker), (vec!["Talks will resume in Genève next week"], Some("Darren Tipton")));
    }

    #[test]
    fn russian_and_ukrainian_indirect_speech_is_found() {
        let (content, cue, speaker, _) = one("Песков сказал, что предложение Путина остаётся в силе.");
        assert_eq!(
            (content, cue, speaker),
            (vec!["предложение Путина остаётся в силе"], Some("сказал"), Some("Песков"))
        );
        let (content, cue, speaker, _) = one("Зеленський заявив, що переговори можливі лише після виведення військ.");
        assert_eq!(
            (content, cue, speaker),
            (vec!["переговори можливі лише після виведення військ"], Some("заявив"), Some("Зеленський"))
        );
    }

    #[test]
    fn straight_quotes_inside_a_straight_quote_do_not_end_it() {
        let text = "\"The shift from \"app consumption\" to services in Zürich is here,\" said Houssaini.";
        let (content, _, speaker, kind) = one(text);
        assert_eq!(content, ["The shift from \"app consumption\" to services in Zürich is here,"]);
        assert_eq!((speaker, kind), (Some("Houssaini"), Kind::Direct));
    }

    #[test]
    fn a_quote_after_a_sentence_connector_is_still_direct() {
        let (content, _, speaker, kind) = one("And “there is plenty of evidence from Malmö,” says Mrazek.");
        assert_eq!(content, ["there is plenty of evidence from Malmö,"]);
        assert_eq!((speaker, kind), (Some("Mrazek"), Kind::Direct));
    }

    #[test]
    fn a_cue_with_nothing_after_it_proposes_no_claim() {
        // Found by the property below: the content would start past the sentence's last word.
        for text in [" X said, '\n", "Пётр said, ‘\n", "Анна said, «"] {
            assert_eq!(detect(text), vec![], "{text:?}");
        }
    }

    proptest::proptest! {
        /// Any text, however its quotation marks, apostrophes and line breaks fall: no panic,
        /// and every range is inside the text on character boundaries, fragments in order.
        #[test]
        fn every_range_is_inside_the_text_on_character_boundaries(
            text in "([\"'“”„«»‚‘’「」『』,.:—\n ]|[a-zé]{1,6}|Пе|said|сказал| he | X said, |と述べた){0,60}"
        ) {
            for a in detect(&text) {
                let mut last = 0;
                for r in a.content.iter().chain(a.cue.iter()).chain(a.speaker.iter()) {
                    proptest::prop_assert!(r.start <= r.end && r.end <= text.len());
                    proptest::prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                }
                for r in &a.content {
                    proptest::prop_assert!(r.start >= last, "fragments in order: {:?}", a.content);
                    last = r.end;
                }
            }
        }
    }

    #[test]
    fn scare_quotes_titles_and_nicknames_are_not_quotes() {
        for text in [
            "The so-called “experts” disagreed in Québec.",
            "She starred in “The Lord of the Rings” in Wellington.",
            "“Война и мир” is a long book.",
            "Dwayne “The Rock” Johnson arrived in Montréal.",
            "Nobody in Zürich calls it \"progress\" any more.",
        ] {
            assert_eq!(detect(text), vec![], "{text}");
        }
    }

    #[test]
    fn apostrophes_and_inch_marks_are_not_quotes() {
        for text in [
            "O'Brien's café doesn't open; l'homme d'affaires can't wait in São Paulo.",
            "He is 5'11\" tall and the screen in Zürich is 27\" wide.",
            "The players' coach won't say 'maybe' in Malmö.",
        ] {
            assert_eq!(detect(text), vec![], "{text}");
        }
    }

    #[test]
    fn a_titles_full_stop_neither_ends_the_sentence_nor_the_speakers_name() {
        let (content, cue, speaker, kind) = one("“Les graisses saines existent,” Dr. Parr says.");
        assert_eq!(content, ["Les graisses saines existent,"]);
        assert_eq!((cue, speaker, kind), (Some("says"), Some("Dr. Parr"), Kind::Direct));
    }

    #[test]
    fn a_numeral_opens_a_speakers_phrase_and_more_verbs_are_cues() {
        let (_, _, speaker, _) = one("One tester said: “Ça marche très bien pour moi, vraiment.”");
        assert_eq!(speaker, Some("One tester"));
        let (_, cue, speaker, _) = one("“Il faut commencer petit,” agrees Maha Farhat.");
        assert_eq!((cue, speaker), (Some("agrees"), Some("Maha Farhat")));
    }

    #[test]
    fn a_transcripts_turns_are_direct_claims_of_their_speakers_but_not_the_journalists() {
        let text = "JOSÉ NÚÑEZ, BYLINE: It is Saturday in Zaragoza, and the rally begins.\n\n\
                    MARÍA LÓPEZ: If the bill passes, our schools lose money.\n\n\
                    NÚÑEZ: López teaches third grade in the city.\n\n\
                    PEDRO GÓMEZ: Teachers do not get the respect they deserve.\n\n\
                    LÓPEZ: We need more, not less.";
        let found = detect(text);
        let turns: Vec<(&str, &str)> = found
            .iter()
            .filter(|a| a.reason == "a transcript's turn")
            .map(|a| (&text[a.speaker.clone().unwrap()], &text[a.content[0].clone()]))
            .collect();
        assert_eq!(
            turns,
            [
                ("MARÍA LÓPEZ", "If the bill passes, our schools lose money."),
                ("PEDRO GÓMEZ", "Teachers do not get the respect they deserve."),
                ("LÓPEZ", "We need more, not less."),
            ]
        );
        assert!(found.iter().all(|a| a.kind == Kind::Direct));
        // Labels in capitals are not a transcript's names.
        let table = "INTERVAL: every 10,000 kilometres or so.\n\nCOST: about 80 € per visit.\n\n\
                     INTERVAL: once a year at the least.\n\nCOST: 27 to 34 € per tyre.";
        assert_eq!(detect(table), vec![]);
    }

    #[test]
    fn a_headlines_according_to_or_says_is_not_indirect_speech() {
        for text in [
            "The 7 Biggest Diet Trends in 2025, According to Nutritionists",
            "Human Input Crucial to Maximise Effectiveness of AI, Says Zürich Research",
        ] {
            assert_eq!(detect(text), vec![], "{text}");
        }
    }

    #[test]
    fn according_to_without_a_comma_is_a_manner_not_a_source() {
        let text = "Change the engine oil according to the owner’s manual every 10,000 kilometres.";
        assert_eq!(detect(text), vec![]);
    }

    #[test]
    fn a_cue_after_a_comma_is_inverted_only_at_the_sentences_end() {
        let (content, cue, speaker, kind) = one(
            "Heather Andersen, founder of Zürich Pilates, tells TODAY.com that she noticed more students after the pandemic.",
        );
        assert_eq!(content, ["she noticed more students after the pandemic"]);
        assert_eq!((cue, speaker, kind), (Some("tells TODAY.com"), Some("Heather Andersen"), Kind::Indirect));
    }

    #[test]
    fn a_topic_or_a_thing_after_a_cue_is_not_a_claim() {
        for text in [
            "Wilgus explains what meditation is and how to begin a practice.",
            "Müller GmbH announced the acquisition of a Zürich start-up for 30 million francs.",
        ] {
            assert_eq!(detect(text), vec![], "{text}");
        }
    }

    #[test]
    fn a_finding_with_that_is_indirect_speech_of_the_study() {
        let (content, cue, speaker, kind) =
            one("The researchers found that tutoring in Malmö produced only two months of extra learning.");
        assert_eq!(content, ["tutoring in Malmö produced only two months of extra learning"]);
        assert_eq!((cue, speaker, kind), (Some("found that"), Some("The researchers"), Kind::Indirect));
    }

    #[test]
    fn a_sentence_before_a_quote_in_its_paragraph_can_be_indirect_speech() {
        let text = "Monica Bhatt said schools struggled to set up large programmes in Malmö. “The problem is the \
                    logistics of getting it delivered,” said Bhatt.";
        let found = detect(text);
        let kinds: Vec<(Kind, &str)> = found.iter().map(|a| (a.kind, &text[a.content[0].clone()])).collect();
        assert_eq!(
            kinds,
            [
                (Kind::Indirect, "schools struggled to set up large programmes in Malmö"),
                (Kind::Direct, "The problem is the logistics of getting it delivered,"),
            ]
        );
    }

    #[test]
    fn a_reported_clause_ends_where_and_opens_a_new_subject() {
        let (content, ..) =
            one("Strava reported that weight training grew fastest among women in Göteborg, and the college ranks \
             strength training fifth.");
        assert_eq!(content, ["weight training grew fastest among women in Göteborg"]);
    }

    #[test]
    fn a_capitalised_cue_that_is_not_ascii_is_still_a_cue() {
        let (content, cue, speaker, kind) =
            one("По словам Пескова, Москва готова к переговорам без предварительных условий.");
        assert_eq!(content, ["Москва готова к переговорам без предварительных условий"]);
        assert_eq!((cue, speaker, kind), (Some("По словам"), Some("Пескова"), Kind::Indirect));
    }
}
