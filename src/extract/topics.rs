//! Topics of the taxonomy that a passage names, each with the cue and sentence it was read
//! from. Which sentences belong to which meeting is decided in `meetings`.

use crate::gazetteer::{Gazetteer, TopicMatch};
use crate::text::Span;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicLink {
    pub slug: String,
    /// The words that named it, as written.
    pub cue: String,
    /// The sentence it was read from.
    pub span: Span,
}

/// Topics named in `sentences` (body spans, each with its topic cues as
/// `Gazetteer::find_topic_cues` gives them), first evidence kept, in taxonomy order.
pub fn topics_in(
    body: &str,
    sentences: &[(Span, Cow<[TopicMatch]>)],
    gazetteer: &Gazetteer,
) -> Vec<TopicLink> {
    let mut found: Vec<Option<TopicLink>> = vec![None; gazetteer.topics.len()];
    for (span, matches) in sentences {
        let span = *span;
        let text = span.text(body);
        for m in matches.iter() {
            let cue = &gazetteer.topic_cues[m.cue];
            let slot = &mut found[cue.topic];
            if slot.is_none() {
                *slot = Some(TopicLink {
                    slug: gazetteer.topics[cue.topic].slug.clone(),
                    cue: m.span.text(text).to_owned(),
                    span,
                });
            }
        }
    }
    found.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_with_evidence_in_taxonomy_order() {
        let g = Gazetteer::builtin().unwrap();
        let body = "They discussed North Korea. He raised cyber defence and North Korea again.";
        let spans = [Span::new(0, 27), Span::new(28, body.len())];
        let sentences: Vec<(Span, Cow<[TopicMatch]>)> = spans
            .iter()
            .map(|s| (*s, Cow::Owned(g.find_topic_cues(s.text(body)))))
            .collect();
        let found = topics_in(body, &sentences, &g);
        let slugs: Vec<&str> = found.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, vec!["cyber", "north-korea"]);
        assert_eq!(found[1].span, spans[0]);
        assert_eq!(found[0].cue, "cyber");
    }
}
