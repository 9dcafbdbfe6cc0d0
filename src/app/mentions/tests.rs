use super::*;
use crate::app::keymap::Keymap;
use crate::app::{Msg, update};
use crate::model::corpus::{AnnotationRoot, Corpus};
use crate::model::entities::Registry;
use ratatui::layout::Rect;

const TEXT: &str = "Олена Шевчук said the plan works. Zelenskyy disagreed. She added it was late, said deputy minister Іван Петренко.\n";

/// An app with TEXT open and a registry holding Олена Шевчук (a woman) and Zelenskyy (a
/// man), neither mentioned yet.
fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), TEXT).unwrap();
    let corpus = Corpus::open(dir.path(), AnnotationRoot::NextToArticles).unwrap();
    let mut r = Registry::empty(&dir.path().join("sources.ron"));
    for (name, gender) in [("Олена Шевчук", "woman"), ("Zelenskyy", "man")] {
        let (id, add) = r.add(name, &[], "t").unwrap();
        r.apply(&[add]).unwrap();
        let g = r.set_attribute(&id, "gender", Some(AttrValue::One(gender.into()))).unwrap();
        r.apply(&[g]).unwrap();
    }
    let app = App::new(corpus, "tester".into(), Keymap::default_map(), Rect::new(0, 0, 120, 40)).with_registry(Some(r));
    (dir, app)
}

/// Selects the first occurrence of `words` and tags it a Source.
fn tag_source(app: &mut App, words: &str) {
    let start = TEXT.find(words).unwrap();
    let last = start + words.char_indices().last().unwrap().0;
    app.focus = Focus::Reader;
    app.reader.anchor = Some(start);
    app.reader.cursor = last;
    update(app, Action::Tag("Source".into()));
}

/// Олена Шевчук and "She" linked to her, Zelenskyy left unlinked.
fn three_sources(app: &mut App) {
    tag_source(app, "Олена Шевчук");
    update(app, Action::MenuChoose);
    tag_source(app, "Zelenskyy");
    update(app, Action::Cancel);
    tag_source(app, "She");
    update(app, Action::MenuChoose);
}

fn entity_of_words(app: &App, words: &str) -> Option<String> {
    let o = app.open.as_ref().unwrap();
    let a = o.doc.annotations.iter().find(|a| a.quote == words).unwrap();
    a.entity.as_ref().map(|e| e.to_string())
}

fn id(app: &App, name: &str) -> String {
    app.registry.as_ref().unwrap().find(name).unwrap().id.to_string()
}

#[test]
fn tagging_a_source_opens_the_picker_on_its_name_and_enter_links_it() {
    let (_d, mut app) = app();
    tag_source(&mut app, "Олена Шевчук");
    assert!(matches!(app.overlay, Overlay::Entity { .. }), "{:?}", app.overlay);
    let top = rows(&app)[0].clone();
    assert_eq!((top.0.to_string(), top.1), (id(&app, "Олена Шевчук"), Some(Why::Alias)));
    update(&mut app, Action::MenuChoose);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(entity_of_words(&app, "Олена Шевчук"), Some(id(&app, "Олена Шевчук")));
}

#[test]
fn a_pronoun_is_linked_to_the_last_compatible_entity_with_one_enter() {
    let (_d, mut app) = app();
    tag_source(&mut app, "Олена Шевчук");
    update(&mut app, Action::MenuChoose);
    tag_source(&mut app, "Zelenskyy");
    update(&mut app, Action::MenuChoose);
    // "She" skips Zelenskyy (a man, mentioned last) for the woman mentioned before him.
    tag_source(&mut app, "She");
    assert_eq!(rows(&app)[0], (EntityId::new(id(&app, "Олена Шевчук")), Some(Why::Pronoun)));
    update(&mut app, Action::MenuChoose);
    assert_eq!(entity_of_words(&app, "She"), Some(id(&app, "Олена Шевчук")));
    // One `u` undoes the link, leaving the source tagged.
    update(&mut app, Action::Undo);
    assert_eq!(entity_of_words(&app, "She"), None);
}

#[test]
fn typing_in_the_picker_filters_every_entity_and_esc_leaves_the_mention_unlinked() {
    let (_d, mut app) = app();
    tag_source(&mut app, "She");
    for c in "zel".chars() {
        update(&mut app, Msg::Type(c));
    }
    let names: Vec<EntityId> = rows(&app).into_iter().map(|(id, _)| id).collect();
    assert_eq!(names, [EntityId::new(id(&app, "Zelenskyy"))]);
    update(&mut app, Action::Cancel);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(entity_of_words(&app, "She"), None);
}

#[test]
fn a_new_entity_from_a_mention_is_linked_asks_its_type_and_one_u_takes_both_back() {
    let (_d, mut app) = app();
    let words = "deputy minister Іван Петренко";
    tag_source(&mut app, words);
    let effects = update(&mut app, Action::NewEntity);
    assert!(effects.iter().any(|e| matches!(e, Effect::SaveEntities(_))), "the registry is saved");
    assert!(effects.iter().any(|e| matches!(e, Effect::Save { .. })), "the article is saved");
    let made = entity_of_words(&app, words).expect("linked at once");
    assert_eq!(app.registry.as_ref().unwrap().get(&EntityId::new(made.clone())).unwrap().name, "Іван Петренко");
    // The codebook's required entity attribute (the source type) is asked, value by key.
    let Overlay::EntityValues { attribute, .. } = app.overlay.clone() else { panic!("{:?}", app.overlay) };
    let def = app.codebook.entity_attribute(&attribute).unwrap();
    let first = def.kind.values()[0].clone();
    update(&mut app, Msg::Type(first.key.chars().next().unwrap()));
    let e = app.registry.as_ref().unwrap().get(&EntityId::new(made.clone())).unwrap();
    assert_eq!(e.attributes.get(&attribute), Some(&AttrValue::One(first.id)));
    assert_eq!(e.aliases, [words], "the words used stay an alias");
    // One u: the link and the entity (with its type) are gone.
    update(&mut app, Action::Undo);
    assert_eq!(entity_of_words(&app, words), None);
    assert!(app.registry.as_ref().unwrap().get(&EntityId::new(made.clone())).is_none());
    // Ctrl-R brings both back.
    update(&mut app, Action::Redo);
    assert_eq!(entity_of_words(&app, words), Some(made.clone()));
    assert!(app.registry.as_ref().unwrap().get(&EntityId::new(made)).is_some());
}

#[test]
fn the_picker_unlinks_and_adds_the_mentions_words_as_an_alias() {
    let (_d, mut app) = app();
    tag_source(&mut app, "She");
    update(&mut app, Msg::Type('О'));
    update(&mut app, Action::MenuChoose);
    assert_eq!(entity_of_words(&app, "She"), Some(id(&app, "Олена Шевчук")));
    // @ on it again: the alias key adds "She"'s words to Олена Шевчук.
    app.reader.cursor = TEXT.find("She").unwrap();
    update(&mut app, Action::LinkEntity);
    assert!(matches!(app.overlay, Overlay::Entity { .. }));
    update(&mut app, Action::AliasEntity);
    let e = app.registry.as_ref().unwrap().find("Олена Шевчук").unwrap();
    assert!(e.aliases.iter().any(|a| a == "She"), "{:?}", e.aliases);
    update(&mut app, Action::LinkEntity);
    update(&mut app, Action::UnlinkEntity);
    assert_eq!(entity_of_words(&app, "She"), None);
}

#[test]
fn the_sidebar_groups_sources_by_entity_in_order_of_first_mention_unlinked_last() {
    let (_d, mut app) = app();
    three_sources(&mut app);
    let g: Vec<(Option<String>, usize)> =
        groups(&app).into_iter().map(|(e, v)| (e.map(|e| e.to_string()), v.len())).collect();
    assert_eq!(g, [(Some(id(&app, "Олена Шевчук")), 2), (None, 1)]);
    app.focus = Focus::Sidebar;
    update(&mut app, Action::GroupByEntity);
    assert_eq!(app.sidebar.filter, SidebarFilter::ByEntity);
    let order: Vec<String> =
        app.sidebar_rows().iter().map(|&i| app.open.as_ref().unwrap().doc.annotations[i].quote.clone()).collect();
    assert_eq!(order, ["Олена Шевчук", "She", "Zelenskyy"]);
}

#[test]
fn a_claim_attributed_to_an_entity_links_its_mention_nearest_before_the_claim() {
    let (_d, mut app) = app();
    tag_source(&mut app, "Олена Шевчук");
    update(&mut app, Action::MenuChoose);
    tag_source(&mut app, "She");
    update(&mut app, Action::MenuChoose);
    let start = TEXT.find("it was late").unwrap();
    app.reader.anchor = Some(start);
    app.reader.cursor = start + "it was late".len() - 1;
    update(&mut app, Action::Tag("Claim".into()));
    update(&mut app, Action::Attribute);
    let entries = crate::app::links::picker_entries(&app);
    let shevchuk = EntityId::new(id(&app, "Олена Шевчук"));
    // The entity's row comes first and stands for "She", its mention nearest before.
    let (mention, entity) = entries[0].clone();
    assert_eq!(entity, Some(shevchuk));
    let doc = &app.open.as_ref().unwrap().doc;
    assert_eq!(doc.get(mention.as_ref().unwrap()).unwrap().quote, "She");
    // The rows by name are still there after it.
    assert!(
        entries[1..]
            .iter()
            .any(|(m, e)| e.is_none() && m.as_ref().is_some_and(|m| doc.get(m).unwrap().quote == "Олена Шевчук"))
    );
    update(&mut app, Action::MenuChoose);
    let doc = &app.open.as_ref().unwrap().doc;
    let claim = doc.annotations.iter().find(|a| a.quote == "it was late").unwrap();
    let src = claim.linked("source").first().and_then(|s| doc.get(s)).unwrap();
    assert_eq!(src.quote, "She");
}

#[test]
fn with_no_entity_yet_tagging_a_source_opens_no_picker_and_says_how_to_make_one() {
    let (_d, mut app) = app();
    app.registry = Some(Registry::empty(&_d.path().join("sources.ron")));
    tag_source(&mut app, "She");
    assert_eq!(app.overlay, Overlay::None, "the next keys are not swallowed by an empty picker");
    let text = app.message.clone().unwrap().text;
    assert!(text.contains("@ then Ctrl-N"), "{text}");
    update(&mut app, Action::LinkEntity);
    update(&mut app, Action::NewEntity);
    assert_eq!(entity_of_words(&app, "She"), Some(id(&app, "She")));
}

#[test]
fn equals_on_a_linked_source_sets_each_attribute_of_its_entity_in_turn() {
    let (_d, mut app) = app();
    tag_source(&mut app, "Zelenskyy");
    update(&mut app, Action::MenuChoose);
    app.reader.cursor = TEXT.find("Zelenskyy").unwrap();
    update(&mut app, Action::OpenAttributes);
    let attrs: Vec<String> = app
        .codebook
        .entity_attributes()
        .iter()
        .filter(|d| matches!(d.kind, AttrKind::One(_)))
        .map(|d| d.id.clone())
        .collect();
    let mut keys = Vec::new();
    for a in &attrs {
        let Overlay::EntityValues { attribute, .. } = app.overlay.clone() else { panic!("{:?}", app.overlay) };
        assert_eq!(&attribute, a, "asked in codebook order");
        let v = app.codebook.entity_attribute(a).unwrap().kind.values().last().unwrap().clone();
        keys.push((a.clone(), v.id.clone()));
        update(&mut app, Msg::Type(v.key.chars().next().unwrap()));
    }
    assert_eq!(app.overlay, Overlay::None, "closed after the last attribute");
    let e = app.registry.as_ref().unwrap().find("Zelenskyy").unwrap();
    for (a, v) in keys {
        assert_eq!(e.attributes.get(&a), Some(&AttrValue::One(v)));
    }
}

#[test]
fn a_click_in_the_grouped_sidebar_selects_the_mention_drawn_on_that_line() {
    let (_d, mut app) = app();
    three_sources(&mut app);
    app.focus = Focus::Sidebar;
    update(&mut app, Action::GroupByEntity);
    // Lines: Олена Шевчук (header), “Олена Шевчук”, “She”, unlinked (header), “Zelenskyy”.
    let side = app.panes().sidebar.unwrap();
    let (list, _) = crate::app::layout::sidebar_parts(side);
    let quote_of_click = |app: &mut App, line: u16| {
        update(app, Msg::Click { col: list.x + 2, row: list.y + line });
        app.open.as_ref().unwrap().doc.annotations[app.sidebar.selected].quote.clone()
    };
    assert_eq!(quote_of_click(&mut app, 2), "She");
    assert_eq!(quote_of_click(&mut app, 4), "Zelenskyy");
    let before = app.sidebar.selected;
    assert_eq!(quote_of_click(&mut app, 3), "Zelenskyy", "a header line selects nothing");
    assert_eq!(app.sidebar.selected, before);
}

#[test]
fn a_click_in_a_filtered_sidebar_selects_the_annotation_drawn_on_that_line() {
    let (_d, mut app) = app();
    tag_source(&mut app, "Олена Шевчук");
    update(&mut app, Action::Cancel);
    let start = TEXT.find("the plan works").unwrap();
    app.reader.anchor = Some(start);
    app.reader.cursor = start + "the plan works".len() - 1;
    update(&mut app, Action::Tag("Claim".into()));
    tag_source(&mut app, "Zelenskyy");
    update(&mut app, Action::Cancel);
    app.focus = Focus::Sidebar;
    app.sidebar.filter = SidebarFilter::Label(0);
    let side = app.panes().sidebar.unwrap();
    let (list, _) = crate::app::layout::sidebar_parts(side);
    update(&mut app, Msg::Click { col: list.x + 2, row: list.y + 1 });
    let a = &app.open.as_ref().unwrap().doc.annotations[app.sidebar.selected];
    assert_eq!((a.label.as_str(), a.quote.as_str()), ("Source", "Zelenskyy"), "the second Source, not the claim");
}
