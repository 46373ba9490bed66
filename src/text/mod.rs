//! Text stages: bytes to a normalised string (`decode`, `html`, `clean`), and that string to lines and
//! sentences with byte spans (`segment`). Nothing here knows about meetings.

pub mod clean;
pub mod decode;
pub mod fold;
pub mod gate;
pub mod html;
pub mod pattern;
pub mod segment;

/// A half-open byte range `[start, end)` into a document body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The text this span covers in `body`.
    pub fn text<'a>(&self, body: &'a str) -> &'a str {
        body.get(self.start..self.end).unwrap_or("")
    }

    /// Shift a span found in a slice that starts at `offset` of the body.
    pub fn offset(self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// Lower-case hexadecimal of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// Every line of the fixture releases (`raw/` and `tests/fixtures/{corpus,written,written2}`),
/// for the tests that hold a rewritten part to what it replaced on real text.
#[cfg(test)]
pub(crate) fn fixture_lines() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut lines = Vec::new();
    for dir in [
        "raw",
        "tests/fixtures/corpus",
        "tests/fixtures/written",
        "tests/fixtures/written2",
    ] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("fixture folder")
            .map(|entry| entry.expect("entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).expect("fixture");
            lines.extend(String::from_utf8_lossy(&bytes).lines().map(str::to_owned));
        }
    }
    lines
}
