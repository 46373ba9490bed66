//! HTML releases (pages saved from a browser or a scraper) into plain text: the words a
//! reader sees, one paragraph per block, without scripts, styles, navigation and the other
//! furniture of a web page. The result goes through `clean` and extraction like any text.

use scraper::{ElementRef, Html, Node};

/// Elements whose content is never part of a release.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "footer", "form", "button",
    "select", "svg", "iframe", "canvas", "head", "menu", "dialog",
];

/// Words in an element's id, class or role that mark page furniture rather than the release.
const FURNITURE: &[&str] = &[
    "navigation",
    "navbar",
    "breadcrumb",
    "menu",
    "cookie",
    "sidebar",
    "share",
    "social",
    "skip-link",
    "site-footer",
    "site-header",
];

/// Elements that start a new paragraph.
const PARAGRAPHS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "figcaption",
    "caption",
    "address",
];

/// Elements that start a new line.
const LINES: &[&str] = &[
    "br", "div", "section", "article", "main", "header", "tr", "table", "ul", "ol", "dl", "hr",
    "figure", "time",
];

/// Is this file an HTML page? By its name, or by how its text begins.
pub fn is_html(path: &str, text: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml") {
        return true;
    }
    let start: String = text
        .trim_start_matches('\u{FEFF}')
        .trim_start()
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// The text of an HTML page: paragraphs separated by blank lines, the page title first when
/// no heading gives it.
pub fn to_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut out = Writer::default();
    let root = document.root_element();
    let has_h1 = root
        .descendants()
        .filter_map(ElementRef::wrap)
        .any(|e| e.value().name() == "h1" && !inside_dropped(e));
    if !has_h1 {
        let title = root
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "title")
            .map(|e| e.text().collect::<String>());
        if let Some(title) = title {
            out.text(&title);
            out.paragraph();
        }
    }
    walk(root, &mut out);
    out.finish()
}

fn furniture(element: ElementRef) -> bool {
    let value = element.value();
    if DROPPED.contains(&value.name()) {
        return true;
    }
    if value.attr("hidden").is_some() || value.attr("aria-hidden") == Some("true") {
        return true;
    }
    let marks = [value.attr("id"), value.attr("class"), value.attr("role")];
    marks.iter().flatten().any(|mark| {
        let mark = mark.to_ascii_lowercase();
        FURNITURE.iter().any(|f| mark.contains(f))
    })
}

fn inside_dropped(element: ElementRef) -> bool {
    element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .chain(std::iter::once(element))
        .any(furniture)
}

fn walk(element: ElementRef, out: &mut Writer) {
    if furniture(element) {
        return;
    }
    let name = element.value().name();
    let paragraph = PARAGRAPHS.contains(&name);
    let line = LINES.contains(&name);
    if paragraph {
        out.paragraph();
    } else if line {
        out.line();
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.text(text),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    walk(child, out);
                }
            }
            _ => {}
        }
    }
    if paragraph {
        out.paragraph();
    } else if line {
        out.line();
    }
}

/// Builds the text: whitespace collapsed as a browser does, at most one blank line in a row.
#[derive(Default)]
struct Writer {
    text: String,
    /// 0: mid-line; 1: a line just ended; 2: a paragraph just ended
    breaks: u8,
    space: bool,
}

impl Writer {
    fn text(&mut self, text: &str) {
        let is_space = |c: char| c.is_whitespace() && c != '\u{00A0}';
        for (index, word) in text.split(is_space).enumerate() {
            // every piece after the first had whitespace before it
            if index > 0 {
                self.space = true;
            }
            if word.is_empty() {
                continue;
            }
            if !self.text.is_empty() {
                match self.breaks {
                    2 => self.text.push_str("\n\n"),
                    1 => self.text.push('\n'),
                    _ if self.space => self.text.push(' '),
                    _ => {}
                }
            }
            self.breaks = 0;
            self.space = false;
            self.text.push_str(word);
        }
    }

    fn line(&mut self) {
        self.breaks = self.breaks.max(1);
    }

    fn paragraph(&mut self) {
        self.breaks = 2;
    }

    fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html><head><title>Japan-NATO Foreign Ministers' Meeting | Ministry of Foreign Affairs of Japan</title>
<style>p { color: red }</style><script>var tracking = "Minister met nobody";</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li>Press Releases</li></ul></nav>
<div class="breadcrumb">Top &gt; Foreign Policy &gt; Europe</div>
<main>
<h1>Japan-NATO Foreign Ministers&#8217; Meeting</h1>
<p class="date">April 4, 2024</p>
<p>On April 3, commencing at 5:00 p.m. for approximately 30 minutes,
   Ms. KAMIKAWA Yoko, Minister for Foreign Affairs of Japan,
   held a meeting with <b>H.E. Mr. Jens Stoltenberg</b>, Secretary General of NATO.</p>
<ul><li>The two sides confirmed cooperation on cyber defence.</li><li>They discussed Ukraine.</li></ul>
</main>
<footer>Copyright Ministry of Foreign Affairs</footer>
<div id="cookie-banner">We use cookies</div>
</body></html>"#;

    #[test]
    fn a_saved_page_becomes_its_release_text() {
        let text = to_text(PAGE);
        assert_eq!(
            text,
            "Japan-NATO Foreign Ministers’ Meeting\n\nApril 4, 2024\n\nOn April 3, commencing at \
             5:00 p.m. for approximately 30 minutes, Ms. KAMIKAWA Yoko, Minister for Foreign \
             Affairs of Japan, held a meeting with H.E. Mr. Jens Stoltenberg, Secretary General \
             of NATO.\n\nThe two sides confirmed cooperation on cyber defence.\n\nThey discussed \
             Ukraine."
        );
    }

    #[test]
    fn the_title_leads_when_no_heading_does() {
        let text = to_text(
            "<html><head><title>Readout of the Call</title></head><body><div>The Secretary spoke with the Minister.<br>Both agreed.</div></body></html>",
        );
        assert_eq!(
            text,
            "Readout of the Call\n\nThe Secretary spoke with the Minister.\nBoth agreed."
        );
    }

    #[test]
    fn pages_are_known_by_name_or_by_their_first_tag() {
        assert!(is_html("2024/readout.HTM", "anything"));
        assert!(is_html("a.txt", "\u{FEFF}  <!DOCTYPE html><html>"));
        assert!(is_html("a.txt", "<html lang=\"en\">"));
        assert!(!is_html("a.txt", "Japan-NATO Meeting <b>bold</b>"));
    }

    #[test]
    fn broken_markup_still_gives_text() {
        assert_eq!(
            to_text("<p>Unclosed <b>bold <i>and</p><p>next"),
            "Unclosed bold and\n\nnext"
        );
        assert_eq!(to_text("<<<>>>"), "<<<>>>");
        assert_eq!(to_text(""), "");
    }
}
