//! Topics of the taxonomy that a passage names, each with the cue and sentence it was read
//! from. Which sentences belong to which meeting is decided in `meetings`.

use crate::gazetteer::Gazetteer;
use crate::text::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicLink {
    pub slug: String,
    /// The words that named it, as written.
    pub cue: String,
    /// The sentence it was read from.
    pub span: Span,
}

/// Topics named in `sentences` (body spans), first evidence kept, in taxonomy order.
pub fn topics_in(body: &str, sentences: &[Span], gazetteer: &Gazetteer) -> Vec<TopicLink> {
    let mut found: Vec<Option<TopicLink>> = vec![None; gazetteer.topics.len()];
    for &span in sentences {
        let text = span.text(body);
        for m in gazetteer.find_topic_cues(text) {
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
        let found = topics_in(body, &spans, &g);
        let slugs: Vec<&str> = found.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, vec!["cyber", "north-korea"]);
        assert_eq!(found[1].span, spans[0]);
        assert_eq!(found[0].cue, "cyber");
    }
}
