//! Which blocks and lines of an article are not the article: see `suggest`.
//!
//! newsnote keeps a whole page as text, so a coder sees everything; this detector proposes
//! what a coder would flag as boilerplate, each proposal with a category, a confidence and a
//! reason a person can check. It is pure (text and blocks in, proposals out) and uses only
//! general evidence: where a block sits in the page (its element path, tag, classes and ids),
//! how much of it is links, where it lies against the article body (the run of long text
//! paragraphs with the most text, its ends settled by the container that holds nearly all
//! of it, and the lead right under the headline when that lies apart), and what it says (copyright lines, calls to subscribe,
//! share or donate, in several languages). No page, site or codebook label is named here.
//! The rules and the figures measured on real pages are in docs/boilerplate.md.

use crate::model::html::{Block, BlockKind};
use std::borrow::Cow;
// Keyed by element paths, long strings hashed several times a block: foldhash, seeded per
// process like SipHash (a page cannot choose colliding paths) but several times faster.
use foldhash::HashMap;
use std::ops::Range;

/// What kind of boilerplate a proposal is, in the detector's own terms: the codebook maps
/// these to its own values, so a study's scheme decides what they are called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Navigation,
    ConsentBanner,
    NewsletterPrompt,
    DonationAppeal,
    RelatedLinks,
    Advertisement,
    ShareBar,
    Comments,
    CopyrightFooter,
    DuplicatedHeadline,
    TemplateResidue,
    Other,
}

impl Category {
    /// A stable id, for mapping to a codebook and for origins in files: never renamed.
    pub fn id(self) -> &'static str {
        match self {
            Category::Navigation => "navigation",
            Category::ConsentBanner => "consent-banner",
            Category::NewsletterPrompt => "newsletter-prompt",
            Category::DonationAppeal => "donation-appeal",
            Category::RelatedLinks => "related-links",
            Category::Advertisement => "advertisement",
            Category::ShareBar => "share-bar",
            Category::Comments => "comments",
            Category::CopyrightFooter => "copyright-footer",
            Category::DuplicatedHeadline => "duplicated-headline",
            Category::TemplateResidue => "template-residue",
            Category::Other => "other",
        }
    }
}

/// One stretch of the text proposed as boilerplate: whole blocks (a web page) or whole
/// lines (plain text), never part of one.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// UTF-8 bytes into the article text.
    pub bytes: Range<usize>,
    pub category: Category,
    /// How sure the detector is, from 0 to 1.
    pub confidence: f32,
    /// Why, in words a coder can check against the page.
    pub reason: String,
}

/// Recorded in each suggestion's origin: bump it when the proposals change, so a coder and
/// `stats` can tell one version's proposals from another's.
pub const VERSION: u32 = 4;

/// The boilerplate of an article: for a web page (`blocks` not empty) every block that is not
/// the article, for plain text the lines that are not. Proposals are in text order and never
/// overlap.
pub fn detect(text: &str, blocks: &[Block]) -> Vec<Proposal> {
    if blocks.is_empty() { plain::detect(text) } else { page::detect(text, blocks) }
}

/// Cues in what a block or line says, in several languages, matched on its lower-case text.
mod cues {
    use super::Category;
    use regex::Regex;
    use std::sync::LazyLock;

    const COPYRIGHT: &[&str] = &[
        "©",
        "(c) 20",
        "(c) 19",
        "all rights reserved",
        "alle rechte vorbehalten",
        "все права защищены",
        "tous droits réservés",
        "todos los derechos reservados",
        "tutti i diritti riservati",
        "جميع الحقوق محفوظة",
        "版权所有",
        "版權所有",
        "無断転載",
        "著作権",
    ];
    const NEWSLETTER: &[&str] = &[
        "newsletter",
        "in your inbox",
        "to your inbox",
        "your email address",
        "enter your email",
        "ihr postfach",
        "dans votre boîte",
        "en tu bandeja",
        "на почту",
        "subscribe",
        "sign up",
        "signup",
        "abonnieren",
        "anmelden",
        "подпишитесь",
        "подписаться",
        "рассылк",
        "s'abonner",
        "abonnez-vous",
        "inscrivez-vous",
        "suscríbete",
        "suscribirse",
        "iscriviti",
        "اشترك",
        "النشرة",
        "订阅",
        "訂閱",
        "購読",
        "メルマガ",
    ];
    const SHARE: &[&str] = &[
        "share this",
        "share it",
        "save this story",
        "teile diesen",
        "partagez",
        "comparte",
        "share on",
        "share:",
        "follow us",
        "teilen",
        "folgen sie uns",
        "поделиться",
        "подписывайтесь на нас",
        "partager",
        "suivez-nous",
        "compartir",
        "síguenos",
        "condividi",
        "شارك",
        "تابعونا",
        "分享",
        "关注我们",
        "シェア",
    ];
    const DONATION: &[&str] = &[
        "donate",
        "donation",
        "support our journalism",
        "support independent",
        "become a member",
        "contribution",
        "spenden",
        "unterstützen sie",
        "пожертвова",
        "поддержите",
        "faire un don",
        "soutenez",
        "haz una donación",
        "dona ora",
        "تبرع",
        "捐款",
        "捐助",
        "寄付",
    ];
    const RELATED: &[&str] = &[
        "read more",
        "recent posts",
        "popular posts",
        "latest posts",
        "more from",
        "you might like",
        "you might also",
        "you may be interested",
        "keep reading",
        "weitere artikel",
        "das könnte sie auch interessieren",
        "sur le même sujet",
        "te puede interesar",
        "ещё по теме",
        "مقالات ذات صلة",
        "相关文章",
        "related",
        "read next",
        "more stories",
        "recommended",
        "you may also like",
        "weiterlesen",
        "lesen sie auch",
        "mehr zum thema",
        "читайте также",
        "читать далее",
        "по теме",
        "lire aussi",
        "à lire aussi",
        "lee también",
        "leer más",
        "leggi anche",
        "اقرأ أيضا",
        "اقرأ أيضاً",
        "相关",
        "相關",
        "関連記事",
    ];
    const PROMOTION: &[&str] = &[
        "contact us",
        "book a demo",
        "get a demo",
        "request a demo",
        "free trial",
        "get started",
        "request information",
        "get in touch",
        "kontaktieren sie uns",
        "свяжитесь с нами",
        "contactez-nous",
        "contáctanos",
        "اتصل بنا",
        "联系我们",
        "お問い合わせ",
    ];
    /// Disclosures an outlet attaches to an article: affiliate links, sponsorship, advice.
    const DISCLOSURE: &[&str] = &[
        "affiliate link",
        "affiliate commission",
        "earn a commission",
        "earn commission",
        "may earn a",
        "may receive a commission",
        "reader-supported",
        "we may be compensated",
        "advertising disclosure",
        "advertiser disclosure",
        "for informational purposes only",
        "for general information only",
        "for educational purposes only",
        "does not constitute",
        "not intended to replace",
        "provisionslink",
        "affiliate-link",
        "werbelink",
        "liens affiliés",
        "lien affilié",
        "enlaces de afiliados",
        "enlace de afiliado",
        "партнёрские ссылки",
        "партнерские ссылки",
    ];
    const BACK: &[&str] = &["back to blog", "back to top", "back to news", "zurück zur übersicht", "наверх", "retour"];
    const CONSENT: &[&str] = &["cookie", "consent", "gdpr", "datenschutzeinstellungen", "согласие на обработку"];
    const COMMENTS: &[&str] = &[
        "leave a comment",
        "add a comment",
        "post a comment",
        "write a comment",
        "kommentar schreiben",
        "laisser un commentaire",
        "deja un comentario",
        "оставить комментарий",
        "leave a reply",
        "comments",
        "kommentare",
        "комментари",
        "commentaires",
        "comentarios",
        "commenti",
        "التعليقات",
        "评论",
        "コメント",
    ];

    /// The category a short text's words suggest, if any. Order matters: a copyright line
    /// that also says "subscribe" is still the copyright line.
    pub fn of_text(lower: &str) -> Option<Category> {
        // One automaton for every category (an alternation of literals per category, in a
        // set), built once, so a block is scanned once: a page has hundreds of short blocks
        // to look at. The lowest category matched wins, as the order above says.
        static SETS: LazyLock<(Vec<Category>, regex::RegexSet)> = LazyLock::new(|| {
            let cats = [
                (Category::CopyrightFooter, COPYRIGHT),
                (Category::ConsentBanner, CONSENT),
                (Category::DonationAppeal, DONATION),
                (Category::NewsletterPrompt, NEWSLETTER),
                (Category::ShareBar, SHARE),
                (Category::Comments, COMMENTS),
                (Category::RelatedLinks, RELATED),
                (Category::Advertisement, PROMOTION),
                (Category::Navigation, BACK),
                (Category::Other, DISCLOSURE),
            ];
            let alternation = |words: &[&str]| words.iter().map(|w| regex::escape(w)).collect::<Vec<_>>().join("|");
            let set = regex::RegexSet::new(cats.iter().map(|(_, words)| alternation(words)))
                .expect("literal alternations compile");
            (cats.iter().map(|(c, _)| *c).collect(), set)
        });
        if copyright_year(lower) {
            return Some(Category::CopyrightFooter);
        }
        if let Some(c) = label(lower) {
            return Some(c);
        }
        SETS.1.matches(lower).iter().next().map(|i| SETS.0[i])
    }

    /// Whether a text says what a disclosure says: one automaton, so a long paragraph of the
    /// article costs one scan rather than one per category.
    pub fn discloses(lower: &str) -> bool {
        static SET: LazyLock<Regex> = LazyLock::new(|| {
            let alternation = DISCLOSURE.iter().map(|w| regex::escape(w)).collect::<Vec<_>>().join("|");
            Regex::new(&alternation).expect("literal alternations compile")
        });
        SET.is_match(lower)
    }

    /// A block that is only a label: "Advertisement" above an ad slot, "Tags:" before a list
    /// of topics. Whole words only, since the words are common in sentences.
    pub fn label(lower: &str) -> Option<Category> {
        const ADS: &[&str] = &[
            "advertisement",
            "sponsored",
            "anzeige",
            "werbung",
            "gesponsert",
            "publicité",
            "publicidad",
            "pubblicità",
            "реклама",
            "إعلان",
            "广告",
            "広告",
        ];
        const TAGS: &[&str] =
            &["tags", "topics", "schlagwörter", "étiquettes", "etiquetas", "теги", "метки", "标签", "タグ"];
        let t = lower.trim();
        let bare = t.trim_end_matches([':', '.', '：']).trim_end();
        if ADS.contains(&bare) {
            return Some(Category::Advertisement);
        }
        let head = t.split([':', '：']).next().unwrap_or("").trim_end();
        (t.len() > head.len() && TAGS.contains(&head)).then_some(Category::Navigation)
    }

    /// `@2022 -`, `copyright 2024`: a year claimed at the start of a line.
    fn copyright_year(lower: &str) -> bool {
        let t = lower.trim_start();
        let rest = t.strip_prefix('@').or_else(|| t.strip_prefix("copyright")).map(str::trim_start);
        rest.is_some_and(|r| r.len() >= 4 && r.as_bytes()[..4].iter().all(u8::is_ascii_digit))
    }

    /// Template syntax a page builder failed to fill in: `{{ }}`, `{% %}`, `<%= %>`, `${…}`.
    pub fn template_residue(line: &str) -> bool {
        let t = line.trim();
        (t.contains("{{") && t.contains("}}"))
            || (t.contains("{%") && t.contains("%}"))
            || (t.contains("<%") && t.contains("%>"))
            || (t.starts_with("${") && t.ends_with('}'))
    }
}

/// Cues in where a block sits: the tags, ids and classes of its element path.
mod path {
    use super::Category;
    use std::borrow::Cow;

    /// The category the element path's words suggest, with the byte length of the path up
    /// to the step that says so. The root and `body` are never looked at (their classes
    /// describe the whole page: `no-sidebar`, `has-header`), nor steps up to `skip` bytes,
    /// nor any container `ignore` refuses (one that holds the article body, say).
    /// `ignore` also learns whether the evidence is strong: a menu named only by a class
    /// or id word (`content-nav-section`) is weaker than a `nav` element.
    pub fn cue(path: &str, skip: usize, ignore: impl Fn(&str, bool) -> bool) -> Option<(Category, usize)> {
        let mut end = 0;
        for (depth, step) in path.split('>').enumerate() {
            end += step.len() + usize::from(depth > 0);
            if depth < 2 || end <= skip {
                continue;
            }
            if let Some((c, strong)) = step_cue(step)
                && !ignore(&path[..end], strong)
            {
                return Some((c, end));
            }
        }
        None
    }

    /// The path to read a block's markup cues from: without its own element's id when that
    /// id is made of the block's own words (`h2#what-is-social-shopping` over "What Is Social
    /// Shopping?", `h3#h-sponsorship-deals`), an anchor a table of contents links to, which
    /// says what the heading says and not where it sits. `h2#comments-title` over "3 replies"
    /// still marks comments.
    pub fn without_anchor<'a>(path: &'a str, text: &str) -> Cow<'a, str> {
        let step_at = path.rfind('>').map_or(0, |at| at + 1);
        let step = &path[step_at..];
        let Some(hash) = step.find('#') else { return Cow::Borrowed(path) };
        let id_end = step[hash..].find('.').map_or(step.len(), |dot| hash + dot);
        let mut ws: Vec<Cow<'_, str>> = words(&step[hash + 1..id_end]).collect();
        // Generated anchors often carry a prefix of their own: `h-` (WordPress), `toc-`.
        while ws.first().is_some_and(|w| w == "h" || w == "toc") {
            ws.remove(0);
        }
        if ws.len() < 2 {
            return Cow::Borrowed(path);
        }
        let lower = text.to_lowercase();
        let said: std::collections::HashSet<&str> =
            lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        if ws.iter().all(|w| said.contains(&**w)) {
            Cow::Owned(format!("{}{}", &path[..step_at + hash], &step[id_end..]))
        } else {
            Cow::Borrowed(path)
        }
    }

    /// The last step of a path prefix, cut for a reason's text.
    pub fn last_step(prefix: &str) -> String {
        let step = prefix.rsplit('>').next().unwrap_or(prefix);
        if step.chars().count() > 48 {
            format!("{}…", step.chars().take(47).collect::<String>())
        } else {
            step.into()
        }
    }

    /// Whether a step names the block as the page's header or footer (tag or class), which
    /// mark boilerplate only outside the article: an article has its own header and footer.
    pub fn is_frame(step: &str) -> bool {
        let tag = step.split(['.', '#']).next().unwrap_or("");
        matches!(tag, "header" | "footer")
            || words(step)
                .any(|w| w.starts_with("footer") || w.starts_with("header") || w == "masthead" || w == "colophon")
    }

    fn words(step: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
        step.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(|w| {
            if w.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(w.to_ascii_lowercase())
            } else {
                Cow::Borrowed(w)
            }
        })
    }

    /// Where in the path an author box begins: a step that names an author and a biography,
    /// description or card (`author-info`, `post-author_desc`, `authorBox`). Its long
    /// paragraphs are a biography; its short ones are the byline, which is the article's.
    pub fn author_box(path: &str) -> Option<usize> {
        const ABOUT: &[&str] = &[
            "bio",
            "biography",
            "box",
            "card",
            "desc",
            "description",
            "about",
            "info",
            "details",
            "summary",
            "profile",
        ];
        let mut end = 0;
        for (depth, step) in path.split('>').enumerate() {
            end += step.len() + usize::from(depth > 0);
            if depth < 2 {
                continue;
            }
            let ws: Vec<Cow<'_, str>> = words(step).skip(1).collect();
            let named = ws.iter().any(|w| w.strip_prefix("author").is_some_and(|rest| ABOUT.contains(&rest)))
                || (ws.iter().any(|w| w.starts_with("author")) && ws.iter().any(|w| ABOUT.contains(&&**w)));
            if named {
                return Some(end);
            }
        }
        None
    }

    /// Whether a block's own classes call it a caption or a picture credit
    /// (`wp-caption-text`, `photoCaption`, `image-credit`).
    pub fn is_caption(classes: &[String]) -> bool {
        classes
            .iter()
            .any(|c| words(c).any(|w| w.starts_with("caption") || w.ends_with("caption") || w.starts_with("credit")))
    }

    /// Whether a step of the path below the root and `body` is a caption: a `figcaption`, or
    /// an element a class or id names `caption` as a word of its own (`image-caption`,
    /// `c-media__caption`), which holds a caption's paragraphs. `captioned` and a word after
    /// `has`, `with` or `no` (`has-caption`) describe a layout, not a caption.
    pub fn in_caption(path: &str) -> bool {
        path.split('>').skip(2).any(|step| {
            let mut before: Cow<'_, str> = Cow::Borrowed("");
            step.split(['.', '#']).next() == Some("figcaption")
                || words(step).skip(1).any(|w| {
                    let layout = matches!(&*before, "no" | "not" | "without" | "has" | "with");
                    let caption = w == "caption" && !layout;
                    before = w;
                    caption
                })
        })
    }

    fn step_cue(step: &str) -> Option<(Category, bool)> {
        let tag = step.split(['.', '#']).next().unwrap_or("");
        match tag {
            "nav" | "menu" => return Some((Category::Navigation, true)),
            "aside" => return Some((Category::Other, true)),
            // Forms ask for an address or a search; a page that is one form (ASP.NET) is a
            // wrapper, which the callers never take for a cue.
            "form" => return Some((Category::NewsletterPrompt, true)),
            "footer" => return Some((Category::Other, true)),
            _ => {}
        }
        // The tag itself is not a class: `div`, `section` must not match `section`-words.
        let mut ws = words(step);
        ws.next();
        let mut before: Cow<'_, str> = Cow::Borrowed("");
        for w in ws {
            // `no-sidebars`, `has-sidebar`, `with-share`: the layout of what the step holds.
            if matches!(&*before, "no" | "not" | "without" | "has" | "with") {
                before = w;
                continue;
            }
            let about_author = before == "about" && w == "author";
            before = w.clone();
            let w = &*w;
            if about_author {
                return Some((Category::Other, true));
            }
            let c = if w.contains("cookie") || w.contains("consent") || w.contains("gdpr") {
                Category::ConsentBanner
            } else if w.starts_with("share") || w.starts_with("social") || w.starts_with("sharing") || w == "addtoany" {
                Category::ShareBar
            } else if w.starts_with("comment") || w == "disqus" || w == "respond" {
                Category::Comments
            } else if w.contains("newsletter") || w.starts_with("subscri") || w.starts_with("signup") || w == "optin" {
                Category::NewsletterPrompt
            } else if w.starts_with("donat") {
                Category::DonationAppeal
            } else if w.starts_with("related")
                || w.starts_with("recommend")
                || w == "trending"
                || w == "popular"
                || w == "morestories"
                || w == "readnext"
                || w.starts_with("outbrain")
                || w.starts_with("taboola")
            {
                Category::RelatedLinks
            } else if matches!(w, "ad" | "ads" | "adv" | "advert" | "advertisement" | "adslot" | "adsense" | "dfp")
                || w.starts_with("sponsor")
                || w.starts_with("promo")
            {
                Category::Advertisement
            } else if w.starts_with("breadcrumb") || w.starts_with("nav") || w.starts_with("menu") || w == "pagination"
            {
                Category::Navigation
            } else if w.starts_with("copyright") {
                Category::CopyrightFooter
            } else if w == "cta" || w.starts_with("calltoaction") || w.starts_with("hubspot") || w == "rfi" {
                Category::Advertisement
            } else if w.starts_with("sidebar")
                || w == "modal"
                || w == "popup"
                || w.starts_with("disclaimer")
                || w.starts_with("disclosure")
                || w.starts_with("authorbio")
                || w.starts_with("authorinfo")
                || w == "bio"
                || w.starts_with("testimonial")
            {
                Category::Other
            } else {
                continue;
            };
            return Some((c, c != Category::Navigation));
        }
        None
    }
}

/// Web pages: the article body found by its text, everything else proposed.
mod page {
    use super::*;

    /// A block long enough, and with few enough links, to be the article's prose.
    const PROSE_CHARS: usize = 80;

    /// Tenths of the page's long text a container named a menu only by a class word may
    /// hold before the word is taken for the name of a part of the article.
    const WEAK: usize = 3;

    /// Characters from which an unmarked paragraph before the body is taken for the
    /// article's own rather than for what precedes it.
    const LONE_PROSE: usize = 200;

    /// The share of the body's value its run may spend to reach more prose past its ends.
    const SLACK: f64 = 0.08;

    struct Info {
        chars: usize,
        links: f64,
    }

    /// What a block's element path says (a category, and where in the path it is said), and
    /// whether that keeps the block from counting as the article's prose.
    type PathCue = (Option<(Category, usize)>, bool);

    pub fn detect(text: &str, blocks: &[Block]) -> Vec<Proposal> {
        let infos: Vec<Info> = blocks
            .iter()
            .map(|b| {
                let chars = text.get(b.bytes.clone()).unwrap_or("").chars().count();
                let links = if chars == 0 { 0.0 } else { b.link_chars as f64 / chars as f64 };
                Info { chars, links }
            })
            .collect();
        // What a block says, read only for the blocks whose place leaves the question open,
        // and only for short ones: a long block is not a label or a call to act.
        let said = |i: usize| {
            let s = text.get(blocks[i].bytes.clone()).unwrap_or("");
            if infos[i].chars > 400 { None } else { cues::of_text(&s.to_lowercase()) }
        };
        // Inside the body only a disclosure is read in a block of 120 characters or more, so
        // the article's own paragraphs are scanned once, not once per category.
        let said_inside = |i: usize| {
            if infos[i].chars < 120 || infos[i].chars > 400 {
                return said(i);
            }
            let lower = text.get(blocks[i].bytes.clone()).unwrap_or("").to_lowercase();
            if cues::discloses(&lower) { cues::of_text(&lower) } else { None }
        };
        // The long, link-poor text under each container, so a class on a wrapper of most of
        // it (`content-with-sidebar`) is not taken for a sidebar; comments are never a wrapper.
        let long = |i: usize| infos[i].chars >= PROSE_CHARS && infos[i].links < 0.3;
        let mut under: HashMap<&str, usize> = HashMap::default();
        let mut total = 0;
        for (i, (b, info)) in blocks.iter().zip(&infos).enumerate() {
            if !long(i) {
                continue;
            }
            total += info.chars;
            for (at, _) in b.path.match_indices('>') {
                *under.entry(&b.path[..at]).or_default() += info.chars;
            }
            *under.entry(b.path.as_str()).or_default() += info.chars;
        }
        // A wrapper holds most of the page's long text; a menu named by a class word
        // (`content-nav-section`) on a container of a good part of it is a part of the
        // article: menus hold links, not paragraphs.
        let wrapper = |prefix: &str, strong: bool| {
            let held = under.get(prefix).copied().unwrap_or(0);
            if strong { held * 2 > total } else { held * 10 > total * WEAK }
        };
        let comments = |p: &str| matches!(path::cue(p, 0, |q, _| q.len() < p.len()), Some((Category::Comments, _)));
        // The paths markup cues are read from: a heading's anchor made of its own words is
        // no cue (`path::without_anchor`). Only an element with an id can have one.
        let cue_paths: Vec<Cow<'_, str>> = blocks
            .iter()
            .map(|b| {
                let own = b.path.rsplit('>').next().unwrap_or("");
                if own.contains('#') {
                    path::without_anchor(&b.path, text.get(b.bytes.clone()).unwrap_or(""))
                } else {
                    Cow::Borrowed(b.path.as_str())
                }
            })
            .collect();
        // One look at each distinct path (siblings share theirs): what its markup says, and
        // whether that keeps a long block from counting as prose.
        let mut by_path: HashMap<&str, PathCue> = HashMap::default();
        let cues: Vec<PathCue> = cue_paths
            .iter()
            .map(|path| {
                let path: &str = path;
                *by_path.entry(path).or_insert_with(|| {
                    let cue = path::cue(path, 0, wrapper);
                    let not_prose =
                        cue.is_some() && path::cue(path, 0, |p, strong| wrapper(p, strong) && !comments(p)).is_some();
                    (cue, not_prose)
                })
            })
            .collect();
        // An author's biography: a long paragraph in an author box (a byline there is short).
        let mut cues = cues;
        let mut boxes: HashMap<&str, Option<usize>> = HashMap::default();
        for (i, path) in cue_paths.iter().enumerate() {
            let path: &str = path;
            if cues[i].0.is_none()
                && infos[i].chars >= PROSE_CHARS
                && let Some(end) = *boxes.entry(path).or_insert_with(|| path::author_box(path))
            {
                cues[i] = (Some((Category::Other, end)), true);
            }
        }
        let prose = |i: usize| long(i) && !cues[i].1;

        // The article body: the run of blocks with the most prose once what is not prose is
        // counted against it (the maximum subarray over the blocks, as body-text extraction
        // does). Paths cannot say it alone: page builders give every element a class of its
        // own, so a body's paragraphs often share no container path.
        let value = |i: usize| {
            let c = infos[i].chars as f64;
            if prose(i) {
                c
            } else if cues[i].0.is_some() {
                -1.5 * c - 40.0
            } else if infos[i].links >= 0.5 {
                -0.8 * c - 10.0
            } else {
                -0.2 * c
            }
        };
        let (mut best, mut run) = (0.0, None::<(usize, usize)>);
        let (mut sum, mut start) = (0.0, 0);
        for i in 0..blocks.len() {
            if sum <= 0.0 {
                sum = 0.0;
                start = i;
            }
            sum += value(i);
            if sum > best {
                best = sum;
                run = Some((start, i));
            }
        }
        // A table or a paragraph of links between two parts of an article costs more than
        // the part after it brings: prose just past the run's ends, reached for a small
        // share of the run's value, belongs to it too.
        if let Some((a, z)) = run.as_mut() {
            let slack = best * SLACK;
            let (mut r, mut j) = (0.0, *z + 1);
            while j < blocks.len() && r > -slack {
                r += value(j);
                if prose(j) && r > -slack / 2.0 {
                    *z = j;
                }
                j += 1;
            }
            let (mut r, mut j) = (0.0, *a);
            while j > 0 && r > -slack {
                j -= 1;
                r += value(j);
                if prose(j) && r > -slack / 2.0 {
                    *a = j;
                }
            }
        }
        // The run is blocks, but an article is one element: the container that holds nearly
        // all of the run's prose. Prose at the run's ends outside it (an author's biography,
        // a disclaimer, the first teasers after the article) is not the article; prose just
        // past the run's ends inside it (a section after a table of links) is.
        if let Some((a, z)) = run.as_mut()
            && let Some(home) = container(blocks, &infos, *a..=*z, &prose)
        {
            let within = |j: usize| blocks[j].path.strip_prefix(home).is_some_and(|rest| rest.starts_with('>'));
            let held: Vec<usize> = (*a..=*z).filter(|&j| prose(j) && within(j)).collect();
            if let (Some(&f), Some(&l)) = (held.first(), held.last()) {
                (*a, *z) = (f, l);
            }
            let mut j = *z + 1;
            while j < blocks.len() && within(j) {
                if prose(j) {
                    *z = j;
                }
                j += 1;
            }
            let mut j = *a;
            while j > 0 && within(j - 1) {
                j -= 1;
                if prose(j) {
                    *a = j;
                }
            }
        }
        // The headline: the last `h1` at or before the body's start (else the first `h1`).
        let h1 = |b: &Block| b.kind == BlockKind::Heading(1);
        let headline = match run {
            Some((f, _)) => blocks[..=f].iter().rposition(h1).or_else(|| blocks.iter().position(h1)),
            None => blocks.iter().position(h1),
        };
        // An article begins at its headline. Prose right under it, before the run, is its
        // lead even when a longer stretch of prose elsewhere (a disclaimer, the blurbs of a
        // box of teasers) won the run: the article is then two regions, the lead (up to the
        // first block its markup marks or that is mostly links) and the run.
        let lead = match (run, headline) {
            (Some((a, _)), Some(h)) if h < a => {
                let end = (h + 1..a).find(|&j| cues[j].0.is_some() || infos[j].links >= 0.5).unwrap_or(a);
                Some(h + 1..end).filter(|l| l.clone().any(prose))
            }
            _ => None,
        };
        let inside =
            |i: usize| run.is_some_and(|(a, z)| (a..=z).contains(&i)) || lead.as_ref().is_some_and(|l| l.contains(&i));
        let first = run.map(|r| r.0);
        let last = run.map(|r| r.1);
        let headline_text = headline.map(|h| text[blocks[h].bytes.clone()].trim());
        // Between the headline and the body: the byline, the date, a standfirst. Short,
        // unmarked and not links, they are the article's own.
        let own = |i: usize| {
            headline.is_some_and(|h| h < i)
                && first.is_some_and(|f| i < f && f - i <= 8)
                && infos[i].chars < 200
                && infos[i].links < 0.5
                && cues[i].0.is_none()
                && said(i).is_none()
        };

        let mut out = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            if Some(i) == headline || own(i) {
                continue;
            }
            let s = &text[b.bytes.clone()];
            if headline_text.is_some_and(|h| h == s.trim()) {
                out.push(proposal(b, Category::DuplicatedHeadline, 0.9, "the headline again".into()));
                continue;
            }
            let info = &infos[i];
            if s.lines().all(cues::template_residue) {
                out.push(proposal(b, Category::TemplateResidue, 0.9, "unfilled template syntax".into()));
            } else if inside(i) {
                // Inside the body only what its own markup marks, or a short call to act.
                if let Some((c, end)) = cues[i].0 {
                    let why = format!("inside the article, in `{}`", path::last_step(&cue_paths[i][..end]));
                    out.push(proposal(b, c, 0.8, why));
                } else if let Some(c) = said_inside(i).filter(|&c| {
                    // "Related" and "comments" are words of many a sentence: only a
                    // heading-length block says it as a label. A disclosure (affiliate
                    // links, "for informational purposes only") is a paragraph of its own.
                    // Inside the article, "contact us", "get started" or "cookies" are
                    // the article's own words (a service's guide, a piece on privacy) more
                    // often than a box its markup does not mark: only the label
                    // "Advertisement" above an ad slot is proposed for them.
                    match c {
                        Category::Comments | Category::RelatedLinks => info.chars < 40,
                        Category::Other => true,
                        Category::ConsentBanner => false,
                        Category::Advertisement => cues::label(&s.to_lowercase()).is_some(),
                        _ => info.chars < 120,
                    }
                }) {
                    out.push(proposal(b, c, 0.6, format!("inside the article, but says what {} says", c.id())));
                } else if b.tag == "figcaption" || path::is_caption(&b.classes) || path::in_caption(&b.path) {
                    // A caption describes a picture (and credits it); it is not the story.
                    out.push(proposal(b, Category::Other, 0.5, "inside the article, a picture's caption".into()));
                } else if info.links >= 0.9
                    && !matches!(b.kind, BlockKind::ListItem | BlockKind::TableRow | BlockKind::Heading(_))
                {
                    // A list of links is often the article's (sources, steps), and so is a
                    // heading that links (each pick of a list titled by a link to it); a
                    // paragraph that is one link is a pointer elsewhere ("Read more: …").
                    out.push(proposal(
                        b,
                        Category::RelatedLinks,
                        0.5,
                        "inside the article, but a link elsewhere".into(),
                    ));
                }
            } else {
                let place = match (first, last) {
                    (Some(f), _) if i < f => "before the article body",
                    (_, Some(l)) if i > l => "after the article body",
                    (None, None) => "on a page with no article body found",
                    _ => "beside the article body",
                };
                let (c, conf, why) = if let Some((c, end)) = cues[i].0 {
                    let c = if c == Category::Other
                        && let Some(s) = said(i)
                    {
                        s
                    } else {
                        c
                    };
                    (c, 0.9, format!("{place}, in `{}`", path::last_step(&cue_paths[i][..end])))
                } else if let Some(c) = said(i) {
                    (c, 0.8, format!("{place}, and says what {} says", c.id()))
                } else if info.links >= 0.5 {
                    (Category::Navigation, 0.8, format!("{place}, mostly links"))
                } else if b.path.split('>').skip(2).any(path::is_frame) {
                    (Category::Other, 0.8, format!("{place}, in the page's header or footer"))
                } else if b.kind == BlockKind::Paragraph && info.chars >= LONE_PROSE && first.is_some_and(|f| i < f) {
                    // A long paragraph before the body that nothing marks, not links, not
                    // the page's header: the article's introduction, cut off from the run by
                    // a box or a table the run would not pay for.
                    continue;
                } else {
                    (Category::Other, 0.6, place.to_string())
                };
                out.push(proposal(b, c, conf, why));
            }
        }
        headings_over_proposals(blocks, out)
    }

    /// A heading over nothing but proposed blocks ("Related articles" above its links,
    /// "Follow us" above the buttons) is theirs: proposed with the category of the first of
    /// them. Its section runs to the next heading of any level or the page's end.
    fn headings_over_proposals(blocks: &[Block], mut out: Vec<Proposal>) -> Vec<Proposal> {
        let mut of_block: Vec<Option<Category>> = vec![None; blocks.len()];
        let mut k = 0;
        for (i, b) in blocks.iter().enumerate() {
            while k < out.len() && out[k].bytes.start < b.bytes.start {
                k += 1;
            }
            if k < out.len() && out[k].bytes.start == b.bytes.start {
                of_block[i] = Some(out[k].category);
            }
        }
        let heading = |b: &Block| matches!(b.kind, BlockKind::Heading(_));
        let mut headed = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            if of_block[i].is_some() || !matches!(b.kind, BlockKind::Heading(level) if level > 1) {
                continue;
            }
            let section = blocks[i + 1..].iter().take_while(|n| !heading(n)).count();
            if let Some(c) = of_block.get(i + 1).copied().flatten()
                && of_block[i + 1..=i + section].iter().all(Option::is_some)
            {
                headed.push(proposal(b, c, 0.5, format!("a heading over nothing but {}", c.id())));
            }
        }
        if !headed.is_empty() {
            out.extend(headed);
            out.sort_by_key(|p| p.bytes.start);
        }
        out
    }

    /// The share of a run's prose the article's own container holds. At 0.9 an author's
    /// biography or a box of calls to act after the article, a tenth of the run's prose,
    /// kept the container one level too high, so they stayed in the article.
    const HELD: f64 = 0.85;

    /// The deepest element path prefix (a container) under which at least [`HELD`] of the
    /// run's prose lies, if the run has prose.
    fn container<'a>(
        blocks: &'a [Block],
        infos: &[Info],
        run: std::ops::RangeInclusive<usize>,
        prose: &impl Fn(usize) -> bool,
    ) -> Option<&'a str> {
        let mut under: HashMap<&str, usize> = HashMap::default();
        let mut total = 0;
        for j in run.filter(|&j| prose(j)) {
            let path = blocks[j].path.as_str();
            total += infos[j].chars;
            for (at, _) in path.match_indices('>') {
                *under.entry(&path[..at]).or_default() += infos[j].chars;
            }
        }
        let need = (total as f64 * HELD).ceil() as usize;
        under
            .into_iter()
            .filter(|&(_, n)| n >= need && total > 0)
            .max_by_key(|&(p, _)| (p.matches('>').count(), p.len()))
            .map(|(p, _)| p)
    }

    fn proposal(b: &Block, category: Category, confidence: f32, reason: String) -> Proposal {
        Proposal { bytes: b.bytes.clone(), category, confidence, reason }
    }
}

/// Plain text: no markup, so only what lines say and where they are.
mod plain {
    use super::*;

    /// A line of the text, and the paragraph (blank-line block) it belongs to.
    struct Line {
        bytes: Range<usize>,
        para: usize,
    }

    fn lines(text: &str) -> Vec<Line> {
        let mut out = Vec::new();
        let (mut start, mut para, mut blank) = (0, 0, false);
        for piece in text.split_inclusive('\n') {
            let end = start + piece.len();
            let body = piece.trim_end_matches(['\n', '\r']);
            if body.trim().is_empty() {
                blank = true;
            } else {
                if blank && !out.is_empty() {
                    para += 1;
                }
                blank = false;
                out.push(Line { bytes: start..start + body.len(), para });
            }
            start = end;
        }
        out
    }

    /// First person plural, the voice of an outlet speaking to its readers.
    fn we(lower: &str) -> bool {
        lower.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’').any(|w| {
            matches!(w, "we" | "our" | "us" | "we’ve" | "we've" | "we’re" | "we're" | "wir" | "uns" | "мы" | "нас")
        })
    }

    pub fn detect(text: &str) -> Vec<Proposal> {
        let lines = lines(text);
        let lower: Vec<String> = lines.iter().map(|l| text[l.bytes.clone()].to_lowercase()).collect();
        let mut cat: Vec<Option<(Category, f32, String)>> = vec![None; lines.len()];

        // The headline again: a line repeating the first line, near the top.
        if let Some(first) = lines.first() {
            let head = text[first.bytes.clone()].trim();
            for (i, l) in lines.iter().enumerate().skip(1).take(3) {
                if text[l.bytes.clone()].trim() == head && head.chars().count() < 300 {
                    cat[i] = Some((Category::DuplicatedHeadline, 0.95, "the first line again".into()));
                }
            }
        }
        // Short lines: residue, copyright, calls to act. Long ones only by a donation cue.
        for (i, l) in lines.iter().enumerate() {
            if cat[i].is_some() {
                continue;
            }
            let s = &text[l.bytes.clone()];
            if cues::template_residue(s) {
                cat[i] = Some((Category::TemplateResidue, 0.95, "unfilled template syntax".into()));
                continue;
            }
            let short = s.chars().count() <= 200;
            match cues::of_text(&lower[i]) {
                Some(c @ Category::DonationAppeal) => cat[i] = Some((c, 0.8, "asks readers for money".into())),
                Some(c) if short && i * 2 > lines.len() => {
                    cat[i] = Some((c, 0.7, format!("a short line that says what {} says", c.id())))
                }
                _ => {}
            }
        }
        // An appeal runs over several paragraphs: from its first cue to the last, with the
        // outlet's "we" lines and a question that opens it just before.
        let cued: Vec<usize> = (0..lines.len())
            .filter(|&i| matches!(cat[i], Some((Category::DonationAppeal, ..))) && i * 2 > lines.len())
            .collect();
        if let (Some(&a), Some(&z)) = (cued.first(), cued.last()) {
            let mut start = a;
            while start > 0 && cat[start - 1].is_none() && we(&lower[start - 1]) {
                start -= 1;
            }
            if start > 0 && cat[start - 1].is_none() && lower[start - 1].trim_end().ends_with('?') {
                start -= 1;
            }
            for c in cat.iter_mut().take(z + 1).skip(start) {
                if c.is_none() || matches!(c, Some((Category::DonationAppeal, ..))) {
                    *c = Some((Category::DonationAppeal, 0.8, "part of an appeal for money".into()));
                }
            }
        }
        // Lines of one paragraph and one category make one proposal.
        let mut out: Vec<Proposal> = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let Some((c, conf, why)) = cat[i].take() else { continue };
            if let Some(p) = out.last_mut()
                && p.category == c
                && i > 0
                && lines[i - 1].para == l.para
                && p.bytes.end == lines[i - 1].bytes.end
            {
                p.bytes.end = l.bytes.end;
                continue;
            }
            out.push(Proposal { bytes: l.bytes.clone(), category: c, confidence: conf, reason: why });
        }
        out
    }
}

#[cfg(test)]
mod tests;
