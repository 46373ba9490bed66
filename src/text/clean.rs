//! Normalise decoded text into the form stored in `documents.body` and read by extraction:
//! LF line ends, ordinary spaces for the many Unicode spaces, no control or zero-width
//! characters, no trailing whitespace on lines, no leading or trailing blank lines.
//!
//! Spans recorded by later stages are offsets into this normalised text, so it is what the
//! database stores. Words, punctuation and quotes are left exactly as written.

/// Normalise `text` (see module docs).
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        // Most of a release is printable ASCII, spaces and line feeds, kept as they are:
        // copied a run at a time, the rest looked at a character at a time.
        let ordinary = rest
            .bytes()
            .position(|b| !(b == b'\n' || (b' '..=b'~').contains(&b)))
            .unwrap_or(rest.len());
        out.push_str(&rest[..ordinary]);
        rest = &rest[ordinary..];
        let mut chars = rest.chars();
        let Some(c) = chars.next() else {
            break;
        };
        rest = chars.as_str();
        match c {
            '\r' => {
                // CRLF and lone CR both end a line.
                rest = rest.strip_prefix('\n').unwrap_or(rest);
                out.push('\n');
            }
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            // no-break, figure, narrow no-break, ideographic and the en/em spaces
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                out.push(' ')
            }
            // line and paragraph separators
            '\u{2028}' | '\u{2029}' | '\u{0085}' => out.push('\n'),
            // zero-width characters and stray byte-order marks carry no text
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    let mut lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let first = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    lines[first..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_are_unified() {
        assert_eq!(normalise("a\r\nb\rc\n"), "a\nb\nc");
    }

    #[test]
    fn odd_spaces_and_controls_are_normalised() {
        assert_eq!(
            normalise("Mr.\u{00A0}Abe\u{200B}\u{0007} met\tX"),
            "Mr. Abe met X"
        );
    }

    #[test]
    fn runs_of_plain_text_between_odd_characters_are_kept() {
        assert_eq!(
            normalise("Talks\r\n\r\nKishida\u{2019}s visit\u{00A0}\u{2014} \u{00E9}t\u{00E9}\r"),
            "Talks\n\nKishida\u{2019}s visit \u{2014} \u{00E9}t\u{00E9}"
        );
        assert_eq!(normalise("\u{FEFF}plain"), "plain");
        assert_eq!(normalise("a\u{7F}b\u{1}c~"), "abc~");
    }

    #[test]
    fn trailing_space_and_blank_edges_are_trimmed() {
        assert_eq!(normalise("\n\n  Title  \n\nBody. \n\n"), "  Title\n\nBody.");
    }
}
