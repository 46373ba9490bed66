//! Any bytes, through every stage a release goes through: decode, HTML to text, normalise,
//! extract. Nothing may panic, and every span must lie on the body's character boundaries.
#![no_main]

use communique::extract::{self, SourceMeta};
use communique::gazetteer::Gazetteer;
use communique::text::{clean, decode, html};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static GAZETTEER: LazyLock<Gazetteer> =
    LazyLock::new(|| Gazetteer::load(None).expect("the built-in data files load"));

fuzz_target!(|bytes: &[u8]| {
    let Ok(decoded) = decode::decode(bytes) else {
        return;
    };
    let text = if html::is_html("fuzz.txt", &decoded.text) {
        html::to_text(&decoded.text)
    } else {
        decoded.text
    };
    let body = clean::normalise(&text);
    let extraction = extract::extract(&body, &SourceMeta::default(), &GAZETTEER);
    for meeting in &extraction.meetings {
        assert!(body.get(meeting.span.start..meeting.span.end).is_some());
        for p in &meeting.participants {
            assert!(body.get(p.span.start..p.span.end).is_some());
        }
        for t in &meeting.topics {
            assert!(body.get(t.span.start..t.span.end).is_some());
        }
    }
});
