use super::*;

fn text(html: &str) -> String {
    extract(html).text
}

#[test]
fn blocks_are_separated_by_a_blank_line_and_found_as_paragraphs() {
    let page = extract(
        "<html><body><h1>Путин и мир</h1><p>Первый   абзац\n текста.</p><div>Второй <b>блок</b></div>\
         <ul><li>один</li><li>два</li></ul></body></html>",
    );
    assert_eq!(page.text, "Путин и мир\n\nПервый абзац текста.\n\nВторой блок\n\nодин\n\nдва\n");
    let kinds: Vec<BlockKind> = page.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [BlockKind::Heading(1), BlockKind::Paragraph, BlockKind::Other, BlockKind::ListItem, BlockKind::ListItem]
    );
    assert_eq!(&page.text[page.blocks[1].bytes.clone()], "Первый абзац текста.");
    let article = crate::model::article::Article::from_text("x".into(), "x.html".into(), page.text.clone(), vec![]);
    assert_eq!(article.paragraphs.len(), 5);
}

#[test]
fn a_blocks_provenance_names_its_path_id_classes_and_links() {
    let page = extract(
        r#"<body><div class="main wide"><article id="story"><p class="lead">مرحبا <a href="/x">بالعالم</a></p></article></div></body>"#,
    );
    let b = &page.blocks[0];
    assert_eq!(b.path, "html>body>div.main.wide>article#story>p.lead");
    assert_eq!(b.tag, "p");
    assert_eq!(b.classes, ["lead"]);
    assert_eq!(b.link_chars, "بالعالم".chars().count());
    assert!((b.link_density(&page.text) - 7.0 / 13.0).abs() < 1e-9);
}

#[test]
fn hidden_elements_scripts_and_styles_are_not_text_but_aria_hidden_is() {
    let t = text(
        r#"<head><title>标题</title><style>p{}</style></head><body><script>var a="秘密";</script>
        <p hidden>隐藏</p><p style="DISPLAY: none">不见</p><span style="visibility:hidden">无</span>
        <noscript>请启用</noscript><template><p>模板</p></template><svg><text>图</text></svg>
        <p aria-hidden="true">看得见</p><p>正文<img alt="图片"><input value="值"></p></body>"#,
    );
    assert_eq!(t, "看得见\n\n正文\n");
}

#[test]
fn character_references_are_decoded() {
    assert_eq!(text("<p>caf&eacute; &amp; &#x41f;&#1088;&nbsp;x &lt;b&gt;</p>"), "café & Пр\u{a0}x <b>\n");
}

#[test]
fn pre_keeps_its_whitespace_and_br_breaks_lines() {
    assert_eq!(text("<pre>  a\n    b  c</pre><p>один<br>  два <br/>три</p>"), "  a\n    b  c\n\nодин\nдва\nтри\n");
    // Two <br> in a row end the block, so blank lines only ever separate blocks.
    let page = extract("<p>一<br><br>二</p>");
    assert_eq!(page.text, "一\n\n二\n");
    assert_eq!(page.blocks.len(), 2);
}

#[test]
fn table_rows_are_blocks_with_cells_separated_by_a_bar() {
    let page = extract("<table><tr><th>Имя</th><th> Год</th></tr><tr><td>Пётр</td><td>\n 1672</td></tr></table>");
    assert_eq!(page.text, "Имя | Год\n\nПётр | 1672\n");
    assert!(page.blocks.iter().all(|b| b.kind == BlockKind::TableRow));
}

#[test]
fn the_same_page_always_gives_the_same_text() {
    let html = "<div><p>α</p>β<span>γ</span><p>δ</p></div>";
    assert_eq!(text(html), "α\n\nβγ\n\nδ\n");
    assert_eq!(extract(html), extract(html));
}

#[test]
fn json_ld_metadata_wins_over_meta_tags_and_title() {
    let page = extract(
        r#"<html lang="uk"><head><title>Заголовок — Сайт</title>
        <meta property="og:title" content="OG заголовок"><meta property="og:site_name" content="Українська правда">
        <link rel="canonical" href="https://www.pravda.com.ua/news/1/">
        <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},
        {"@type":["NewsArticle"],"headline":"Київ &amp; світ","datePublished":"2026-11-30 08:15:00+0200",
         "author":[{"@type":"Person","name":"Олена Петренко"},"Іван Франко"],"articleSection":["Політика"]}]}</script>
        </head><body><p>Текст</p></body></html>"#,
    );
    let m = page.meta;
    assert_eq!(m.title.as_deref(), Some("Київ & світ"));
    assert_eq!(m.outlet.as_deref(), Some("Українська правда"));
    assert_eq!(m.authors, ["Олена Петренко", "Іван Франко"]);
    assert_eq!(m.published.as_deref(), Some("2026-11-30T08:15:00+02:00"));
    assert_eq!(m.url.as_deref(), Some("https://www.pravda.com.ua/news/1/"));
    assert_eq!(m.language.as_deref(), Some("uk"));
    assert_eq!(m.section.as_deref(), Some("Політика"));
}

#[test]
fn metadata_falls_back_to_meta_tags_bylines_time_and_the_host() {
    let page = extract(
        r#"<html><head><title> 東京の  ニュース </title><meta property="og:locale" content="ja_JP">
        <meta name="author" content="https://facebook.com/x">
        <meta property="og:url" content="https://www.example.jp/a/1"></head>
        <body><p class="byline">By 山田 太郎</p><article><time datetime="2026-01-05">1月5日</time></article></body></html>"#,
    );
    let m = page.meta;
    assert_eq!(m.title.as_deref(), Some("東京の ニュース"));
    assert_eq!(m.outlet.as_deref(), Some("example.jp"));
    assert_eq!(m.authors, ["山田 太郎"]);
    assert_eq!(m.published.as_deref(), Some("2026-01-05"));
    assert_eq!(m.language.as_deref(), Some("ja-JP"));
}

#[test]
fn a_json_ld_author_may_be_a_string_or_an_object() {
    let one = |a: &str| {
        extract(&format!(r#"<script type="application/ld+json">{{"@type":"Article","author":{a}}}</script>"#))
            .meta
            .authors
    };
    assert_eq!(one(r#""Zoë Müller""#), ["Zoë Müller"]);
    assert_eq!(one(r#"{"@type":"Person","name":"Zoë Müller"}"#), ["Zoë Müller"]);
    assert_eq!(one(r#"[{"name":"A"},{"name":"B"}]"#), ["A", "B"]);
}

#[test]
fn dates_are_normalised_to_iso_8601() {
    use super::meta::iso_date;
    assert_eq!(iso_date("2025-09-04T10:30:00Z").as_deref(), Some("2025-09-04T10:30:00Z"));
    assert_eq!(iso_date("2025/09/04").as_deref(), Some("2025-09-04"));
    assert_eq!(iso_date("20250904").as_deref(), Some("2025-09-04"));
    assert_eq!(iso_date("September 4, 2025").as_deref(), Some("2025-09-04"));
    assert_eq!(iso_date("Thu, 04 Sep 2025 10:00:00 GMT").as_deref(), Some("2025-09-04"));
    assert_eq!(iso_date("вчора"), None);
}

#[test]
fn a_gzip_page_in_a_legacy_charset_is_decoded() {
    use std::io::Write;
    let (html, _, _) = encoding_rs::WINDOWS_1251.encode("<meta charset=\"windows-1251\"><p>Привет</p>");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&html).unwrap();
    let page = read_page(&gz.finish().unwrap()).unwrap();
    assert_eq!(page.text, "Привет\n");
    assert!(page.warnings.is_empty());
}

#[test]
fn truncated_gzip_is_an_error_naming_it() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all("<p>Ωμέγα</p>".repeat(100).as_bytes()).unwrap();
    let bytes = gz.finish().unwrap();
    let err = read_page(&bytes[..bytes.len() / 2]).unwrap_err();
    assert!(matches!(err, HtmlError::Gzip(_)), "{err}");
    assert!(err.to_string().contains("gzip"));
}

#[test]
fn a_page_over_the_limit_is_refused() {
    let big = vec![b' '; MAX_PAGE_BYTES + 1];
    assert!(matches!(read_page(&big), Err(HtmlError::TooLarge(_))));
}

#[test]
fn invalid_utf8_is_decoded_lossily_with_a_warning() {
    let page = read_page(b"<p>caf\xe9 \xd0\x9f</p>").unwrap();
    assert_eq!(page.text, "caf\u{fffd} П\n");
    assert_eq!(page.warnings.len(), 1);
}

#[test]
fn a_page_of_nothing_but_scripts_has_empty_text_and_a_warning() {
    let page = read_page(b"<html><head><script src=a.js></script></head><body><script>render()</script></body></html>")
        .unwrap();
    assert_eq!(page.text, "");
    assert!(page.blocks.is_empty());
    assert!(page.warnings[0].contains("2 script"), "{:?}", page.warnings);
}

#[test]
fn an_ordered_lists_numbers_are_text_as_the_browser_draws_them() {
    assert_eq!(
        text(r#"<ol start="3"><li>три</li><li> четыре</li><li value="9">девять</li></ol><ul><li>точка</li></ul>"#),
        "3. три\n\n4. четыре\n\n9. девять\n\nточка\n"
    );
}

#[test]
fn a_react_streamed_segment_is_text_since_its_script_shows_it_at_once() {
    assert_eq!(
        text(r#"<p>Загрузка…</p><div hidden id="S:0"><p>Статья</p></div><div hidden id="x"><p>нет</p></div>"#),
        "Загрузка…\n\nСтатья\n"
    );
}

#[test]
fn a_collapsed_accordion_panel_is_text_since_a_click_shows_it() {
    assert_eq!(
        text(r#"<h3 id="q">Вопрос?</h3><div role="region" aria-labelledby="q" style="display:none">Ответ.</div>"#),
        "Вопрос?\n\nОтвет.\n"
    );
}

#[test]
fn a_byline_or_a_date_written_only_on_the_page_is_found() {
    let m = extract(
        r#"<body><div class="post-author"><span>Author</span> <span>Renée Côté</span></div>
        <p><time>Aug 04, 2025</time></p><p>Текст статьи.</p></body>"#,
    )
    .meta;
    assert_eq!(m.authors, ["Renée Côté"]);
    assert_eq!(m.published.as_deref(), Some("2025-08-04"));
    let m = extract(r#"<div class="byline">Статья написана вчера. Много слов здесь и там ещё.</div>"#).meta;
    assert!(m.authors.is_empty(), "{:?}", m.authors);
}

#[test]
fn the_title_is_the_pages_one_h1_else_the_tags() {
    let one = r#"<head><title>Новости — Сайт</title><meta property="og:title" content="SEO-заголовок"></head>
        <body><h1> Настоящий  заголовок </h1><p>Текст</p></body>"#;
    assert_eq!(extract(one).meta.title.as_deref(), Some("Настоящий заголовок"));
    let two = r#"<head><meta property="og:title" content="Заголовок"></head><body><h1>Сайт</h1><h1>Другое</h1></body>"#;
    assert_eq!(extract(two).meta.title.as_deref(), Some("Заголовок"));
}

#[test]
fn text_encoded_twice_is_decoded_once_more() {
    // UTF-8 read as Windows-1252, then saved as UTF-8 (`â€™`), or read as Latin-1 (`â` and
    // two C1 controls): both are what a CMS or crawler made of `’`, `é`, `—`.
    let page = read_page("<p>Earthâ€™s café — Ã©té, naïve\u{a0}x</p><p>weâ\u{80}\u{99}ve</p>".as_bytes()).unwrap();
    assert_eq!(page.text, "Earth’s café — été, naïve\u{a0}x\n\nwe’ve\n");
    assert!(page.warnings.iter().any(|w| w.contains("encoded twice")), "{:?}", page.warnings);
}

#[test]
fn text_with_nothing_only_a_double_encoding_makes_is_left_alone() {
    // `Ã©` alone could be meant (a name, a quoted mistake): without a sequence that only
    // a double encoding makes, the page keeps its characters.
    let page = read_page("<p>Ã© «Ça» naïve Øre ‘ß’/‘İ’ «É»</p>".as_bytes()).unwrap();
    assert_eq!(page.text, "Ã© «Ça» naïve Øre ‘ß’/‘İ’ «É»\n");
    assert!(page.warnings.is_empty());
}

#[test]
fn a_c1_control_is_the_windows_1252_character_it_stands_for() {
    // A lone U+0092 is a Windows-1252 apostrophe that reached a UTF-8 page unconverted.
    assert_eq!(read_page("<p>we\u{92}re \u{93}ok\u{94}</p>".as_bytes()).unwrap().text, "we’re “ok”\n");
}

#[test]
fn text_encoded_twice_as_character_references_is_decoded_once_more() {
    let page = extract(
        "<head><meta property=\"og:site_name\" content=\"L&acirc;&euro;&trade;Équipe\"></head>\
         <p>Google&acirc;&euro;&trade;s AI</p>",
    );
    assert_eq!(page.text, "Google’s AI\n");
    assert_eq!(page.meta.outlet.as_deref(), Some("L’Équipe"));
}

#[test]
fn invisible_format_characters_inside_words_are_not_text() {
    // A soft hyphen, a zero-width space, a word joiner and a stray BOM take no room on
    // screen; the joiners of emoji and of scripts like Persian stay.
    assert_eq!(
        text("<p>Be\u{feff}st Мос\u{ad}ква 東\u{200b}京 a\u{2060}b 👩\u{200d}💻 می\u{200c}خواهم</p>"),
        "Best Москва 東京 ab 👩\u{200d}💻 می\u{200c}خواهم\n"
    );
    assert_eq!(text("<pre>x\u{ad}y</pre>"), "xy\n");
}

#[test]
fn an_image_or_a_control_between_two_words_separates_them() {
    assert_eq!(
        text(
            r#"<p>Mis à jour : 9 décembre<img src="a.png">Si vous<input type="hidden" value="x">servez<button>Ок</button>еду</p>"#
        ),
        "Mis à jour : 9 décembre Si vousservez Ок еду\n"
    );
}

#[test]
fn an_ordered_items_number_is_on_its_first_line_even_inside_a_heading() {
    let page = extract("<ol><li><h3>Первый</h3><p>текст</p></li><li><img src=x></li><li>третий</li></ol>");
    assert_eq!(page.text, "1. Первый\n\nтекст\n\n2.\n\n3. третий\n");
    assert_eq!(page.blocks[0].kind, BlockKind::Heading(3));
}

#[test]
fn a_collapsed_panel_after_its_toggle_is_text_since_a_click_shows_it() {
    // The panel (or its animated wrapper) follows the header whose button says whether
    // it is open; `hidden="until-found"` opens when a search finds a word in it.
    let t = text(
        r#"<h3><button aria-expanded="false">Вопрос?</button></h3><div hidden><p>Ответ.</p></div>
        <h2><button aria-controls="p1" aria-expanded="false">Ещё</button></h2>
        <div style="display:none"><div id="p1"><p>Панель.</p></div></div>
        <div hidden="until-found">Найдено.</div><p>Видно.</p><div hidden>Скрыто.</div>"#,
    );
    assert_eq!(t, "Вопрос?\n\nОтвет.\n\nЕщё\n\nПанель.\n\nНайдено.\n\nВидно.\n");
}

#[test]
fn a_name_after_a_byline_label_is_the_author() {
    let authors = |html: &str| extract(html).meta.authors;
    assert_eq!(authors("<div><p>Written by</p><p>Zoë Løvland</p></div>"), ["Zoë Løvland"]);
    assert_eq!(authors(r#"<span>By <a href="/producers/sg">Sofía González</a></span>"#), ["Sofía González"]);
    assert_eq!(authors("<p>Posted by Jean-Luc van der Berg</p>"), ["Jean-Luc van der Berg"]);
    // What follows a bare "By" is often a sentence, not a name.
    assert!(authors("<p>By</p><p>Understanding which rules apply</p>").is_empty());
    assert!(authors("<p>By then the café had closed.</p>").is_empty());
}

#[test]
fn a_date_comes_from_the_first_source_that_gives_one() {
    let day = |html: &str| extract(html).meta.published;
    // A tag holding no date does not hide the next source.
    assert_eq!(
        day(r#"<meta name="date" content="сегодня"><meta name="published" content="July 17, 2025">"#).as_deref(),
        Some("2025-07-17")
    );
    // The JSON-LD `WebPage` holding the article has the date the article lacks.
    assert_eq!(
        day(r#"<script type="application/ld+json">{"@graph":[{"@type":"Article","headline":"Заголовок"},
            {"@type":"WebPage","datePublished":"2024-03-17T19:47:39+00:00"}]}</script>"#)
        .as_deref(),
        Some("2024-03-17T19:47:39+00:00")
    );
}

#[test]
fn a_blogs_one_h1_naming_the_blog_is_not_the_title() {
    let title = |html: &str| extract(html).meta.title;
    // The `<h1>` is the site's name, or a link home: the tags name the post.
    assert_eq!(
        title(r#"<head><title>Отчёт о работе №39</title><meta property="og:site_name" content="Блог Антона"></head><body><h1>Блог Антона</h1><h2>Отчёт о работе №39</h2></body>"#)
            .as_deref(),
        Some("Отчёт о работе №39")
    );
    assert_eq!(
        title(r#"<head><title>Ноль отходов</title></head><body><h1><a href="/">Переработка</a></h1></body>"#)
            .as_deref(),
        Some("Ноль отходов")
    );
    // Another wording of the headline, or a title tag naming a section, leaves the `<h1>`
    // the headline a reader sees.
    assert_eq!(
        title(r#"<head><title>Київ: новини</title><meta property="og:site_name" content="Українська правда"></head><h1>Переговори тривають</h1>"#)
            .as_deref(),
        Some("Переговори тривають")
    );
}

#[test]
fn a_tag_value_escaped_twice_is_unescaped() {
    let page = extract(r#"<head><meta property="og:title" content="И наконец&amp;amp;#8230; кофе"></head>"#);
    assert_eq!(page.meta.title.as_deref(), Some("И наконец… кофе"));
}

#[test]
fn an_ampersand_shortly_before_a_non_ascii_character_is_read_without_a_panic() {
    let page = extract(
        r#"<head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Tom & Jerry’s 5 & Why They’re Smart"}</script>
        <meta name="author" content="Müller & Søn’s"></head>"#,
    );
    assert_eq!(page.meta.title.as_deref(), Some("Tom & Jerry’s 5 & Why They’re Smart"));
    assert_eq!(page.meta.authors, ["Müller & Søn’s"]);
}

#[test]
fn a_joiner_that_joins_nothing_is_not_text() {
    // Alone in a paragraph or before a paragraph's first word it would be a word of its own;
    // between two characters it joins them and stays.
    let page = extract("<p>Первый.</p><p>&zwj;</p><p>\u{200d}Второй 👩\u{200d}💻 می\u{200c}خواهم \u{200c}</p>");
    assert_eq!(page.text, "Первый.\n\nВторой 👩\u{200d}💻 می\u{200c}خواهم\n");
    assert_eq!(page.blocks.len(), 2);
}
