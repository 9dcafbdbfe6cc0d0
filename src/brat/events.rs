//! What an event says about its spans, before any of them is an annotation: which arguments
//! are the claim (the roles that name no relation, like `Content`), which are linked to it and
//! by what (`Source` → a source link, `Cue` → a cue link), and whether the trigger is a span of
//! its own or only the twin of an argument (PolNeAR anchors each attribution on a trigger with
//! the cue's own offsets). The caller says which roles name which relation, so no role or
//! relation name is written here.

use super::doc::{BratDoc, Event};

/// How an event's trigger relates to its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger<'a> {
    /// The trigger is one of the arguments itself.
    Argument,
    /// The trigger covers exactly the fragments of this argument (the cue's twin).
    TwinOf(&'a str),
    /// A span of its own, covered by no argument.
    Own(&'a str),
}

/// One event read through a role → relation mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventLinks<'a, R> {
    pub event: &'a Event,
    /// The arguments in roles that name no relation, in order: what the links start from.
    pub heads: Vec<&'a str>,
    /// Each argument in a role that names a relation, with that relation, in order.
    pub links: Vec<(R, &'a str)>,
    pub trigger: Trigger<'a>,
    /// Arguments that are events, not spans (nested attributions), which no link can hold.
    pub nested: Vec<&'a str>,
}

/// Every event of `doc` read with `relation_of_role` (given a plain role, as the parser leaves
/// it), in file order.
pub fn event_links<'a, R>(doc: &'a BratDoc, relation_of_role: impl Fn(&str) -> Option<R>) -> Vec<EventLinks<'a, R>> {
    doc.events
        .iter()
        .map(|event| {
            let (mut heads, mut links, mut nested) = (vec![], vec![], vec![]);
            for arg in &event.args {
                if doc.entity(&arg.id).is_none() {
                    nested.push(arg.id.as_str());
                    continue;
                }
                match relation_of_role(&arg.role) {
                    Some(r) => links.push((r, arg.id.as_str())),
                    None => heads.push(arg.id.as_str()),
                }
            }
            let spans_of = |id: &str| doc.entity(id).map(|t| &t.fragments);
            let trigger = if event.args.iter().any(|a| a.id == event.trigger) {
                Trigger::Argument
            } else {
                let own = spans_of(&event.trigger);
                let twin = event.args.iter().find(|a| own.is_some() && spans_of(&a.id) == own);
                twin.map_or(Trigger::Own(event.trigger.as_str()), |a| Trigger::TwinOf(a.id.as_str()))
            };
            EventLinks { event, heads, links, trigger, nested }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use std::path::Path;

    #[test]
    fn content_is_the_head_and_sources_and_cues_are_links_whatever_the_trigger() {
        let ann = "T1\tSource 0 6\tПесков\nT2\tCue 7 13\tсказал\nT3\tContent 16 19;22 29\tнет никогда\n\
                   T4\tAttribution 7 13\tсказал\nT5\tSource 31 36\tЗахар\nT6\tAttribution 40 44\tword\n\
                   E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1 Source2:T5\n\
                   E2\tAttribution:T2 Content:T3 Cue:T2\nE3\tAttribution:T6 Content:T3 Content2:E1\n";
        let (doc, warnings) = parse(Path::new("e.ann"), ann);
        assert!(warnings.is_empty(), "{warnings:?}");
        let relation = |role: &str| ["source", "cue"].into_iter().find(|r| r.eq_ignore_ascii_case(role));
        let events = event_links(&doc, relation);
        assert_eq!(events[0].heads, ["T3"]);
        assert_eq!(events[0].links, [("cue", "T2"), ("source", "T1"), ("source", "T5")]);
        assert_eq!(events[0].trigger, Trigger::TwinOf("T2"), "the trigger has the cue's offsets");
        assert_eq!(events[1].trigger, Trigger::Argument, "the cue is the trigger itself");
        assert_eq!((&events[2].trigger, &events[2].nested[..]), (&Trigger::Own("T6"), &["E1"][..]));
    }
}
