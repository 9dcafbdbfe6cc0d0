use super::*;
use crate::model::html::extract;

/// The proposal that covers the block whose text starts with `start`, if any.
fn proposed<'a>(text: &str, props: &'a [Proposal], start: &str) -> Option<&'a Proposal> {
    let at = text.find(start).unwrap_or_else(|| panic!("{start:?} is not in the text"));
    props.iter().find(|p| p.bytes.contains(&at))
}

fn category(text: &str, props: &[Proposal], start: &str) -> Option<Category> {
    proposed(text, props, start).map(|p| p.category)
}

/// Proposals are in text order, never overlap, and cover whole blocks.
fn assert_whole_blocks(text: &str, blocks: &[Block], props: &[Proposal]) {
    let mut at = 0;
    for p in props {
        assert!(p.bytes.start >= at, "out of order or overlapping: {props:?}");
        at = p.bytes.end;
        assert!(blocks.iter().any(|b| b.bytes.start == p.bytes.start), "starts inside a block: {p:?}");
        assert!(blocks.iter().any(|b| b.bytes.end == p.bytes.end), "ends inside a block: {p:?}");
        assert!((0.0..=1.0).contains(&p.confidence) && !p.reason.is_empty(), "{p:?}");
        assert!(text.get(p.bytes.clone()).is_some());
    }
}

const GERMAN: &str = r#"<html><body>
<div id="cookie-banner"><p>Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten. <a href="/datenschutz">Mehr erfahren</a></p><button>Akzeptieren</button></div>
<header class="site-header"><nav class="main-nav"><ul><li><a href="/">Startseite</a></li><li><a href="/politik">Politik</a></li><li><a href="/wirtschaft">Wirtschaft</a></li></ul></nav></header>
<main class="main">
 <article>
  <h1>Bürgermeisterin eröffnet neue Brücke über die Spree</h1>
  <p class="byline">Von Jürgen Müller, 3. März 2025</p>
  <div class="content">
   <p>Nach vier Jahren Bauzeit ist die neue Fußgängerbrücke zwischen Friedrichshain und Kreuzberg am Montag für den Verkehr freigegeben worden.</p>
   <p>„Diese Brücke verbindet nicht nur zwei Ufer, sondern zwei Stadtteile, die lange getrennt waren“, sagte die Bürgermeisterin bei der Eröffnung.</p>
   <p>Die Baukosten von 28 Millionen Euro lagen um ein Drittel über der ursprünglichen Schätzung, was im Bezirk für heftige Kritik gesorgt hatte.</p>
  </div>
  <div class="share-bar"><a href="https://facebook.com/x">Auf Facebook teilen</a> <a href="mailto:x">Per E-Mail senden</a></div>
  <section class="related-articles"><h2>Mehr zum Thema</h2><ul><li><a href="/a">Neue Radwege in Kreuzberg</a></li><li><a href="/b">Streit um die Mühlenstraße</a></li></ul></section>
 </article>
</main>
<footer class="site-footer"><p>© 2025 Berliner Tagblatt. Alle Rechte vorbehalten.</p><p><a href="/i">Impressum</a> <a href="/d">Datenschutz</a></p></footer>
</body></html>"#;

#[test]
fn a_german_page_keeps_its_headline_byline_and_content_and_proposes_banner_nav_share_related_and_footer() {
    let page = extract(GERMAN);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    for kept in ["Bürgermeisterin eröffnet", "Von Jürgen Müller", "Nach vier Jahren", "„Diese Brücke", "Die Baukosten"]
    {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    assert_eq!(category(t, &props, "Wir verwenden Cookies"), Some(Category::ConsentBanner));
    assert_eq!(category(t, &props, "Startseite"), Some(Category::Navigation));
    assert_eq!(category(t, &props, "Auf Facebook teilen"), Some(Category::ShareBar));
    assert_eq!(category(t, &props, "Mehr zum Thema"), Some(Category::RelatedLinks));
    assert_eq!(category(t, &props, "Neue Radwege"), Some(Category::RelatedLinks));
    assert_eq!(category(t, &props, "© 2025 Berliner"), Some(Category::CopyrightFooter));
    assert!(proposed(t, &props, "Impressum").is_some());
}

#[test]
fn a_cyrillic_page_proposes_its_newsletter_box_and_copyright_line() {
    let html = r#"<html><body>
<div class="topbar"><a href="/">Новости</a> <a href="/sport">Спорт</a> <a href="/culture">Культура</a></div>
<div class="post"><h1>В Казани открылся новый мост через Волгу</h1>
<div class="text">
<p>Строительство моста длиной почти два километра продолжалось пять лет и обошлось бюджету республики в двенадцать миллиардов рублей.</p>
<p>«Мост сократит дорогу из пригородов в центр города на сорок минут», — заявил на церемонии открытия министр транспорта республики.</p>
</div>
<div class="subscribe-box"><p>Подпишитесь на нашу рассылку, чтобы получать новости первыми.</p></div></div>
<div class="bottom"><p>© 2025 «Городские вести». Все права защищены.</p></div>
</body></html>"#;
    let page = extract(html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    for kept in ["В Казани", "Строительство моста", "«Мост сократит"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    assert_eq!(category(t, &props, "Новости"), Some(Category::Navigation));
    assert_eq!(category(t, &props, "Подпишитесь"), Some(Category::NewsletterPrompt));
    assert_eq!(category(t, &props, "© 2025"), Some(Category::CopyrightFooter));
}

#[test]
fn an_arabic_page_proposes_its_share_buttons_and_read_also_links() {
    let html = r#"<html dir="rtl"><body>
<div class="article"><h1>افتتاح معرض الكتاب الدولي في القاهرة بمشاركة واسعة</h1>
<p>افتتح وزير الثقافة صباح اليوم الدورة الجديدة من معرض القاهرة الدولي للكتاب بمشاركة أكثر من ألف دار نشر من خمسين دولة عربية وأجنبية.</p>
<p>وقال الوزير في كلمته إن المعرض يمثل نافذة مهمة للقراء الشباب للتعرف على أحدث الإصدارات في الأدب والعلوم والفنون المختلفة.</p>
</div>
<div class="social-icons"><a href="https://x.com/s">شارك على إكس</a> <a href="https://facebook.com/s">فيسبوك</a></div>
<div><h3>اقرأ أيضاً</h3><ul><li><a href="/1">ارتفاع أسعار الورق يهدد دور النشر الصغيرة</a></li><li><a href="/2">جائزة جديدة للرواية العربية</a></li></ul></div>
</body></html>"#;
    let page = extract(html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    for kept in ["افتتاح معرض", "افتتح وزير", "وقال الوزير"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    assert_eq!(category(t, &props, "شارك على"), Some(Category::ShareBar));
    assert_eq!(category(t, &props, "اقرأ أيضاً"), Some(Category::RelatedLinks));
    assert!(proposed(t, &props, "ارتفاع أسعار").is_some());
}

#[test]
fn a_chinese_page_proposes_its_advertisement_repeated_headline_and_copyright() {
    let html = r#"<html><body>
<div class="wrap"><h1>长江大桥主体工程顺利完工</h1>
<div class="ad-slot">广告</div>
<div class="article-body">
<p>经过三年多的紧张施工，长江大桥主体工程于昨日顺利完工。大桥全长约四千六百米，设计时速一百公里，建成后将大大缩短两岸居民的通勤时间，并为沿江地区的经济发展注入新的活力。</p>
<p>项目负责人表示，施工期间团队克服了复杂地质条件和汛期洪水等多重困难，确保了工程质量和安全。大桥预计将于明年春季正式通车，届时两岸之间的车程将从一个小时缩短到十五分钟左右。</p>
<p class="repeat">长江大桥主体工程顺利完工</p>
</div></div>
<div id="copyright">版权所有 © 2025 江城日报社</div>
</body></html>"#;
    let page = extract(html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    assert_eq!(proposed(t, &props, "长江大桥主体工程顺利完工\n"), None, "the headline is the article's own");
    for kept in ["经过三年多", "项目负责人"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    assert_eq!(category(t, &props, "广告"), Some(Category::Advertisement));
    let again = t.rfind("长江大桥主体工程顺利完工").unwrap();
    assert_eq!(props.iter().find(|p| p.bytes.contains(&again)).map(|p| p.category), Some(Category::DuplicatedHeadline));
    assert_eq!(category(t, &props, "版权所有"), Some(Category::CopyrightFooter));
}

/// A class on the wrapper of the whole article (`no-sidebar`, `content-with-sidebar`,
/// `comments-enabled`…) describes the layout, not a sidebar: the article stays (the first
/// measure on the WCXB pages lost every paragraph of such pages).
#[test]
fn a_layout_class_on_the_articles_wrapper_does_not_make_the_article_boilerplate() {
    let html = r#"<html><body class="has-sidebar">
<div class="layout no-sidebars"><div class="page sidebar-first-only"><h1>Ein Tag am Müggelsee</h1>
<p>Der größte See Berlins lockt an warmen Tagen Tausende Ausflügler an, die mit der Straßenbahn bis nach Rahnsdorf fahren und dort baden gehen.</p>
<p>Am Ufer gibt es Bootsverleihe, Biergärten und einen Wanderweg, der in etwa drei Stunden einmal um den ganzen See herum führt.</p>
</div><aside class="sidebar"><p><a href="/x">Meistgelesen</a></p></aside></div>
</body></html>"#;
    let page = extract(html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    for kept in ["Ein Tag am Müggelsee", "Der größte See", "Am Ufer"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    assert!(proposed(t, &props, "Meistgelesen").is_some());
}

/// Page builders give every element a class of its own, so a body's paragraphs share no
/// container path: the body is found as the run of blocks with the most prose (the first
/// version, which scored container paths, proposed all but one paragraph of such pages).
#[test]
fn the_body_is_the_run_of_prose_not_a_page_builders_container_path() {
    // Every paragraph in a container of its own class, as Elementor writes them.
    let mut html = String::from(
        "<html><body><nav><a href='/'>Start</a> <a href='/b'>Blog</a></nav><h1>Über das Kochen mit Gusseisen</h1>",
    );
    for (i, p) in [
        "Eine gusseiserne Pfanne hält die Hitze lange und gibt sie gleichmäßig ab, deshalb gelingen darin Bratkartoffeln besonders gut.",
        "Vor dem ersten Gebrauch wird die Pfanne eingebrannt: dünn mit Öl eingerieben und eine Stunde lang im heißen Ofen erhitzt.",
        "Nach dem Kochen reicht heißes Wasser und eine Bürste; Spülmittel und die Spülmaschine greifen die schützende Schicht an.",
    ]
    .iter()
    .enumerate()
    {
        html.push_str(&format!("<div class='elementor-element elementor-element-{i}a9f'><div class='elementor-widget-container'><p>{p}</p></div></div>"));
    }
    html.push_str("<footer><p>© 2025 Küchenblog</p></footer></body></html>");
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    for kept in ["Über das Kochen", "Eine gusseiserne", "Vor dem ersten", "Nach dem Kochen"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    assert_eq!(category(t, &props, "Start"), Some(Category::Navigation));
    assert_eq!(category(t, &props, "© 2025"), Some(Category::CopyrightFooter));
}

const FIRST_SAMPLE: &str = include_str!("../../../../assets/articles/000_e37f52fc02921a26.txt");
const SECOND_SAMPLE: &str = include_str!("../../../../assets/articles/002_915808095f53d4db.txt");

#[test]
fn the_second_samples_repeated_headline_appeal_residue_and_copyright_are_proposed() {
    let t = SECOND_SAMPLE;
    let props = detect(t, &[]);
    let cat = |s: &str| category(t, &props, s);
    let second_headline = t.match_indices("The Kremlin's latest peace offering").nth(1).unwrap().0;
    assert_eq!(proposed(t, &props, "The Kremlin's latest"), None, "the first headline is the article's own");
    assert_eq!(
        props.iter().find(|p| p.bytes.contains(&second_headline)).map(|p| p.category),
        Some(Category::DuplicatedHeadline)
    );
    for line in [
        "Understand the importance of honest news",
        "So do we.",
        "The past year has been",
        "We’ve covered everything",
        "We need your support",
        "Make a one-time contribution",
        "Click to donate by check",
        "DonateDonate by credit card",
        "Donate by Paypal",
    ] {
        assert_eq!(cat(line), Some(Category::DonationAppeal), "{line:?}");
    }
    assert_eq!(cat("{{ }}"), Some(Category::TemplateResidue));
    assert_eq!(cat("@2022 - AlterNet"), Some(Category::CopyrightFooter));
    // The story itself, to its last paragraph, is not proposed.
    for kept in ["The Kremlin said Monday", "\"Ukraine is an independent state", "The United Nations said Monday"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    // Whole lines, never part of one.
    for p in &props {
        assert!(p.bytes.start == 0 || t.as_bytes()[p.bytes.start - 1] == b'\n', "{p:?}");
        assert!(t.len() == p.bytes.end || t.as_bytes()[p.bytes.end] == b'\n', "{p:?}");
    }
}

#[test]
fn the_first_sample_has_no_boilerplate() {
    assert_eq!(detect(FIRST_SAMPLE, &[]), vec![]);
}

#[test]
fn plain_text_cues_are_read_in_several_languages() {
    let t = "Заголовок статьи\n\nПервый абзац статьи о событиях в городе, довольно длинный.\n\nВторой абзац статьи.\n\n© 2025 Газета. Все права защищены.\n";
    let props = detect(t, &[]);
    assert_eq!(props.len(), 1, "{props:?}");
    assert_eq!(category(t, &props, "© 2025"), Some(Category::CopyrightFooter));
}

#[test]
fn category_ids_are_distinct() {
    let all = [
        Category::Navigation,
        Category::ConsentBanner,
        Category::NewsletterPrompt,
        Category::DonationAppeal,
        Category::RelatedLinks,
        Category::Advertisement,
        Category::ShareBar,
        Category::Comments,
        Category::CopyrightFooter,
        Category::DuplicatedHeadline,
        Category::TemplateResidue,
        Category::Other,
    ];
    let ids: std::collections::HashSet<_> = all.iter().map(|c| c.id()).collect();
    assert_eq!(ids.len(), all.len());
    assert_eq!(Category::ConsentBanner.id(), "consent-banner");
}

/// A paragraph of links between two parts of an article ended the body before the last
/// part, which was then proposed (on the WCXB pages, "Related reports include…" inside the
/// story): prose just past the run, reached for a small share of its value, is kept, and the
/// paragraph that is only a link is proposed.
#[test]
fn a_paragraph_of_links_inside_the_article_does_not_cut_off_the_rest() {
    let mut html = String::from("<html><body><h1>Die Zukunft der Braunkohle in der Lausitz</h1>");
    for i in 1..=10 {
        html.push_str(&format!(
            "<p>Absatz {i}: Die Region zwischen Cottbus und Hoyerswerda lebt seit mehr als hundert Jahren vom Tagebau, doch der Ausstieg ist beschlossen.</p>"
        ));
    }
    html.push_str("<p><a href='/a'>Weitere Berichte über den Strukturwandel in der Lausitz und in Mitteldeutschland finden Sie hier.</a></p>");
    html.push_str("<p>Zum Schluss: Die Gemeinden hoffen auf neue Arbeitsplätze in Forschung und Industrie.</p>");
    html.push_str("<footer><p><a href='/i'>Impressum</a></p></footer></body></html>");
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_eq!(proposed(t, &props, "Zum Schluss"), None, "the article's last part is its own");
    assert_eq!(category(t, &props, "Weitere Berichte"), Some(Category::RelatedLinks));
    assert!(proposed(t, &props, "Impressum").is_some());
}

/// Four paragraphs of a Spanish story, each long enough to be prose.
const STORY: [&str; 4] = [
    "El ayuntamiento aprobó el martes un plan para plantar doce mil árboles en los barrios con menos sombra de la ciudad antes de 2030.",
    "«Cada calle tendrá al menos un árbol por portal», explicó la concejala de Medio Ambiente durante la presentación del proyecto.",
    "Los vecinos de San Blas y Vallecas, donde el asfalto alcanza los cincuenta grados en agosto, serán los primeros en recibirlos.",
    "La oposición criticó que el presupuesto, de catorce millones de euros, dependa de fondos europeos que aún no están garantizados.",
];

fn story(class: &str) -> String {
    STORY.iter().map(|p| format!("<p>{p}</p>")).collect::<String>().replace("<p>", &format!("<p class='{class}'>"))
}

/// The run of prose ran on past the article into the long paragraphs after it (an
/// author's biography, a disclaimer) when they were not marked: the article is one
/// element, so prose outside the container that holds nearly all of the run (85%)
/// is not it.
#[test]
fn prose_after_the_article_outside_its_container_is_not_the_article() {
    let html = format!(
        "<html><body><main><h1>Doce mil árboles para los barrios sin sombra</h1>\
         <div class='entry-content'>{}</div>\
         <div class='extra'><p>Nuestra redacción trabaja desde 1998 para contar lo que pasa en cada barrio de la ciudad, con la ayuda de sus lectores.</p></div>\
         </main></body></html>",
        story("").repeat(3)
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    for kept in ["Doce mil árboles", "El ayuntamiento", "«Cada calle", "Los vecinos", "La oposición"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    let outside = proposed(t, &props, "Nuestra redacción").expect("the paragraph after the article is proposed");
    assert!(outside.reason.contains("after the article body"), "{outside:?}");
}

/// A table of links between two parts of an article cost more than the part after it
/// brought, so the last part was proposed; inside the article's own container it is kept.
#[test]
fn prose_past_a_table_of_links_inside_the_articles_container_is_kept() {
    let links: String =
        (0..12).map(|i| format!("<li><a href='/t{i}'>Árboles del distrito número {i}, con su mapa</a></li>")).collect();
    let html = format!(
        "<html><body><h1>Doce mil árboles para los barrios sin sombra</h1><article>\
         <p>{}</p><p>{}</p><ul class='lista'>{links}</ul><p>{}</p></article>\
         <footer><p>Aviso legal</p></footer></body></html>",
        STORY[0], STORY[1], STORY[3]
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    for kept in ["El ayuntamiento", "«Cada calle", "La oposición"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
}

/// `div.content-nav-section` held a whole article, and its `nav` word made every paragraph
/// navigation: a menu named only by a class word cannot hold a good part of the page's
/// prose. A `nav` element still marks its paragraphs.
#[test]
fn a_menu_class_word_on_a_section_of_the_article_does_not_make_it_navigation() {
    let html = format!(
        "<html><body><nav><p>Todas las secciones del diario, de la política local al deporte y la cultura, en un solo menú.</p></nav>\
         <h1>Doce mil árboles para los barrios sin sombra</h1>\
         <div class='intro'><div class='content-nav-section'><div class='rtf'><p>{}</p><p>{}</p></div></div></div>\
         <div class='cuerpo'><div class='content-nav-section'><div class='rtf'><p>{}</p><p>{}</p></div></div></div>\
         </body></html>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    for kept in ["Doce mil árboles", "El ayuntamiento", "«Cada calle", "Los vecinos", "La oposición"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    assert_eq!(category(t, &props, "Todas las secciones"), Some(Category::Navigation));
}

/// An author box's long paragraph is a biography; its short byline is the article's.
#[test]
fn a_long_paragraph_in_an_author_box_is_a_biography_and_its_byline_is_kept() {
    let html = format!(
        "<html><body><article><h1>Doce mil árboles para los barrios sin sombra</h1>\
         <div class='post-author_desc'><p>Por Lucía Martínez</p></div>\
         <div class='texto'>{}</div>\
         <div class='post-author_desc'><p>Lucía Martínez es periodista de medio ambiente y ha cubierto durante quince años la política urbana de Madrid.</p></div>\
         </article></body></html>",
        story("")
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    for kept in ["Por Lucía", "El ayuntamiento", "La oposición"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    assert_eq!(category(t, &props, "Lucía Martínez es periodista"), Some(Category::Other));
}

/// Inside the article: a caption, a picture credit, an affiliate disclosure of any length
/// and a lone "Publicidad" or "Tags:" label are proposed; testimonials are never prose.
#[test]
fn captions_disclosures_and_labels_inside_the_article_are_proposed() {
    let html = format!(
        "<html><body><h1>Doce mil árboles para los barrios sin sombra</h1><article>\
         <p>{}</p><figure><img src='a.jpg'><figcaption>Un plátano de sombra recién plantado en San Blas.</figcaption></figure>\
         <p class='image-credit'>Foto: Ana Pérez</p><p>{}</p>\
         <p>Publicidad</p><p>{}</p>\
         <p><em>This story contains affiliate links: if you buy through them, we may earn a commission at no cost to you, which pays for our reporting.</em></p>\
         <p>{}</p><p class='etiquetas'>Tags: árboles, Madrid, clima</p></article>\
         <div class='testimonial-slider'><p>«Desde que leo este diario sé exactamente qué pasa en mi barrio, y eso no tiene precio», dice una lectora.</p></div>\
         </body></html>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    for kept in ["El ayuntamiento", "«Cada calle", "Los vecinos", "La oposición"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    assert_eq!(category(t, &props, "Un plátano de sombra"), Some(Category::Other));
    assert_eq!(category(t, &props, "Foto: Ana Pérez"), Some(Category::Other));
    assert_eq!(category(t, &props, "Publicidad"), Some(Category::Advertisement));
    assert_eq!(category(t, &props, "This story contains affiliate"), Some(Category::Other));
    assert_eq!(category(t, &props, "Tags: árboles"), Some(Category::Navigation));
    assert_eq!(category(t, &props, "«Desde que leo"), Some(Category::Other));
}

/// The new calls to act in several languages are read in short blocks.
#[test]
fn more_calls_to_act_are_read_in_several_languages() {
    for (s, c) in [
        ("Recibe las noticias en tu bandeja de entrada", Category::NewsletterPrompt),
        ("Neuigkeiten direkt in Ihr Postfach", Category::NewsletterPrompt),
        ("Das könnte Sie auch interessieren", Category::RelatedLinks),
        ("Ещё по теме", Category::RelatedLinks),
        ("Laisser un commentaire", Category::Comments),
        ("Партнёрские ссылки помогают нам", Category::Other),
        ("Реклама", Category::Advertisement),
        ("Anzeige", Category::Advertisement),
        ("Теги: экология, город", Category::Navigation),
    ] {
        assert_eq!(cues::of_text(&s.to_lowercase()), Some(c), "{s}");
    }
    // Labels are whole blocks: the words inside a sentence are not a label.
    assert_eq!(cues::of_text("la reclamación por la publicidad engañosa sigue abierta"), None);
    assert_eq!(cues::of_text("tags are what the museum puts on every exhibit"), None);
}

#[test]
fn the_prose_under_the_headline_is_the_article_even_when_a_longer_disclaimer_wins_the_run() {
    let lead = "La alcaldesa inauguró el lunes el nuevo puente peatonal sobre el río, tras cuatro años de obras \
                que costaron un tercio más de lo previsto y que los vecinos de ambas orillas siguieron con una \
                mezcla de paciencia, curiosidad y no pocas quejas por el ruido.";
    let more = "«Este puente no une solo dos orillas, sino dos barrios que vivieron separados durante décadas», \
                dijo la alcaldesa ante unas doscientas personas, mientras la oposición pedía explicaciones por \
                el sobrecoste y por los retrasos acumulados desde la adjudicación.";
    let legal = "La información publicada en este sitio tiene carácter general y no sustituye el asesoramiento \
                 de un profesional; el editor no responde de las decisiones que el lector tome a partir de ella, \
                 ni de los daños directos o indirectos que pudieran derivarse de su uso.";
    let teasers: String =
        (1..=6).map(|n| format!("<li><a href=\"/n{n}\">Otra noticia del barrio número {n}</a></li>")).collect();
    let html = format!(
        "<html><body><main><h1>Inaugurado el puente sobre el río</h1><div class=\"entry\"><p>{lead}</p><p>{more}</p></div>\
         <section class=\"related-posts\"><ul>{teasers}</ul></section>\
         <div class=\"legal\"><p>{legal}</p><p>{legal} Ñandú.</p><p>{legal} Pingüino.</p><p>{legal} Cigüeña.</p></div>\
         </main></body></html>"
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    assert_eq!(proposed(t, &props, "La alcaldesa inauguró"), None, "{props:?}");
    assert_eq!(proposed(t, &props, "«Este puente"), None, "{props:?}");
    assert_eq!(category(t, &props, "Otra noticia del barrio número 1"), Some(Category::RelatedLinks));
}

/// A list of places inside an article titles each with a link to it: those headings are
/// the article's, while a paragraph that is only a link still points elsewhere.
#[test]
fn a_heading_that_links_inside_the_article_is_the_articles_own() {
    let html = format!(
        "<html><body><h1>Los mejores cafés de Sevilla</h1><article><p>{}</p>\
         <h3><a href='/cafe-molino'>Café «El Molino» — Triana</a></h3><p>{}</p>\
         <h3><a href='/cafe-giralda'>Cafetería Giralda</a></h3><p>{}</p>\
         <p><a href='/otra'>Lee también: las mejores churrerías de Málaga y Córdoba</a></p><p>{}</p></article>\
         </body></html>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    assert_eq!(proposed(t, &props, "Café «El Molino»"), None, "{props:?}");
    assert_eq!(proposed(t, &props, "Cafetería Giralda"), None, "{props:?}");
    assert_eq!(category(t, &props, "Lee también"), Some(Category::RelatedLinks));
}

/// A long paragraph before the body that nothing marks (an introduction, cut off from the
/// run by a box of links the run would not pay for) is the article's; a short one is not.
#[test]
fn a_long_unmarked_paragraph_before_the_body_is_the_articles_introduction() {
    let intro = "Sevilla vive estos días una ola de calor que obliga a cambiar horarios, rutas y costumbres: \
                 los mercados abren antes, los colegios recortan el recreo y los vecinos de Triana buscan la \
                 sombra de los naranjos, que el ayuntamiento promete multiplicar en la próxima década.";
    let links: String = (1..=8).map(|n| format!("<li><a href='/t{n}'>Tema número {n} de la semana</a></li>")).collect();
    let html = format!(
        "<html><body><h1>Doce mil árboles para los barrios sin sombra</h1>\
         <ul class='menu-temas'>{links}</ul><div class='entradilla'><p>{intro}</p><p>Un texto corto de ñandú.</p></div>\
         <ul class='menu-temas'>{links}</ul><article>{}</article></body></html>",
        story("cuerpo")
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    assert_eq!(proposed(t, &props, "Sevilla vive"), None, "{props:?}");
    assert!(proposed(t, &props, "Un texto corto").is_some(), "{props:?}");
    assert_eq!(proposed(t, &props, "El ayuntamiento"), None, "{props:?}");
}

/// A caption's paragraphs sit in an element named a caption (`image-caption`, a
/// `figcaption` holding a `div`), not only in a block whose own class says so; a wrapper
/// that only has a caption (`has-caption`) is not one.
#[test]
fn paragraphs_inside_a_caption_element_are_proposed_as_captions() {
    let html = format!(
        "<html><body><h1>Doce mil árboles para los barrios sin sombra</h1><article><p>{}</p>\
         <div class='image-caption-wrapper'><div class='image-caption'><p>Plátanos recién plantados en la calle Alcalá, en San Blas.</p></div></div>\
         <p>{}</p><figure><img src='b.jpg'><figcaption><div><p>La concejala, durante la presentación del plan.</p></div></figcaption></figure>\
         <div class='has-caption'><p>{}</p></div><p>{}</p></article></body></html>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    assert_eq!(category(t, &props, "Plátanos recién"), Some(Category::Other));
    assert_eq!(category(t, &props, "La concejala, durante"), Some(Category::Other));
    for kept in ["El ayuntamiento", "«Cada calle", "Los vecinos", "La oposición"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own: {props:?}");
    }
}

/// A heading whose whole section is proposed (a "more on this" list of links inside the
/// article) goes with it; a heading over the article's own paragraphs stays.
#[test]
fn a_heading_over_nothing_but_proposed_blocks_is_proposed_with_them() {
    let html = format!(
        "<html><body><h1>Doce mil árboles para los barrios sin sombra</h1><article><p>{}</p>\
         <h2>Qué dicen los vecinos</h2><p>{}</p><p>{}</p>\
         <h2>Más sobre el clima en Madrid</h2><p><a href='/a'>Las olas de calor serán más largas, según la AEMET</a></p>\
         <p><a href='/b'>Ñoquis, gazpacho y sombra: el verano en Lavapiés</a></p>\
         <h2>Quién paga</h2><p>{}</p></article></body></html>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    assert_eq!(category(t, &props, "Más sobre el clima"), Some(Category::RelatedLinks), "{props:?}");
    for kept in ["Qué dicen los vecinos", "Quién paga", "El ayuntamiento", "La oposición"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own: {props:?}");
    }
}

/// An author's biography after the article, in a sibling of the article's own container
/// and a little over a tenth of the run's prose, kept the container one level up (the
/// `article` that holds both, at nine tenths) and so stayed in the article; the article's
/// container needs to hold only 85% of the run's prose.
#[test]
fn a_biography_of_a_tenth_of_the_prose_beside_the_articles_container_is_not_the_article() {
    let bio = "Marta Rodríguez escribe sobre urbanismo y medio ambiente desde 2012; antes fue corresponsal en Lisboa \
               y en Oporto durante seis años.";
    let html = format!(
        "<html><body><main><article><h1>Doce mil árboles para los barrios sin sombra</h1>\
         <div class='entry-content'>{}</div>\
         <div class='entry-extra'><p>{bio}</p></div>\
         </article></main></body></html>",
        story("")
            + &STORY.iter().map(|p| format!("<p>{}</p>", p.replace("el martes", "el jueves"))).collect::<String>()
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    let prose: usize = STORY.iter().map(|p| p.chars().count()).sum::<usize>() * 2;
    let share = bio.chars().count() as f64 / (prose + bio.chars().count()) as f64;
    assert!((0.1..0.15).contains(&share), "the biography is {share:.3} of the prose");
    for kept in ["Doce mil árboles", "El ayuntamiento", "«Cada calle", "Los vecinos", "La oposición"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    let after = proposed(t, &props, "Marta Rodríguez").expect("the biography is proposed");
    assert!(after.reason.contains("after the article body"), "{after:?}");
}

/// Inside the article, "Kontaktieren Sie uns" and "Cookies" were proposed as an
/// advertisement and a consent banner; in the article's own sentences they are its words.
/// The label "Anzeige" above an ad slot is still proposed, and the same words outside the
/// article still are.
#[test]
fn calls_to_contact_and_cookies_in_the_articles_own_sentences_are_kept() {
    let html = "<html><body><h1>Wie Websites ihre Besucher verfolgen</h1><article>\
         <p>Cookies sind kleine Dateien, die eine Website im Browser ihrer Besucher ablegt, oft ohne dass diese es merken.</p>\
         <p>Die Verbraucherzentrale hat im Frühjahr zweihundert Websites geprüft und bei fast der Hälfte Mängel gefunden.</p>\
         <p>„Kontaktieren Sie uns“, schrieb die Behörde an alle.</p>\
         <p>Anzeige</p>\
         <p>Wer sich beschweren will, kann das bei der Datenschutzbehörde seines Bundeslandes tun, schriftlich oder online.</p>\
         <p>Die Behörden haben im vergangenen Jahr mehr als dreitausend solcher Beschwerden bearbeitet, doppelt so viele wie zuvor.</p>\
         </article><div class='site-info'><p>Kontaktieren Sie uns</p></div></body></html>";
    let page = extract(html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    for kept in ["Cookies sind", "Die Verbraucherzentrale", "„Kontaktieren Sie uns“", "Wer sich", "Die Behörden"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    assert_eq!(category(t, &props, "Anzeige"), Some(Category::Advertisement));
    let outside = t.rfind("Kontaktieren Sie uns").unwrap();
    let p = props.iter().find(|p| p.bytes.contains(&outside)).expect("the call after the article is proposed");
    assert_eq!(p.category, Category::Advertisement);
}

/// A heading's id made from its own words (`h2#h-social-media-en-los-barrios`, an anchor
/// for a table of contents) made the heading a share bar by its `social` word; an id that
/// says something else (`comments-title` over "3 comentarios") is still a cue.
#[test]
fn a_headings_anchor_made_of_its_own_words_is_not_a_markup_cue() {
    let html = format!(
        "<html><body><h1>Doce mil árboles para los barrios sin sombra</h1><article>\
         <p>{}</p><p>{}</p><h2 id='h-social-media-en-los-barrios'>Social media en los barrios</h2><p>{}</p><p>{}</p>\
         </article><section><h2 id='comments-title'>3 comentarios</h2></section></body></html>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let page = extract(&html);
    let (t, props) = (&page.text, detect(&page.text, &page.blocks));
    assert_whole_blocks(t, &page.blocks, &props);
    for kept in ["El ayuntamiento", "«Cada calle", "Social media en los barrios", "Los vecinos", "La oposición"] {
        assert_eq!(proposed(t, &props, kept), None, "{kept:?} is the article's own");
    }
    assert_eq!(category(t, &props, "3 comentarios"), Some(Category::Comments));
}
