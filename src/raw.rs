//! The raw folder: which files are releases, what the optional `manifest.csv` says about
//! them, and reading one file within the size limit. This is the input edge of the pipeline.

use crate::extract::SourceMeta;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub const MANIFEST: &str = "manifest.csv";

/// A file of the raw folder, by its path relative to the folder ('/' separated).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RawFile {
    pub relative: String,
    pub path: PathBuf,
}

/// Why a file could not be read.
#[derive(Debug, Error)]
pub enum ReadError {
    #[error("the file is {bytes} bytes, over the limit of {limit} bytes (--max-file-size)")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

impl ReadError {
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::TooLarge { .. } => "too-large",
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied => "unreadable",
            ReadError::Io(_) => "io-error",
        }
    }
}

/// Something in the raw folder that is skipped, and why (reported, not fatal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub relative: String,
    pub reason: &'static str,
    pub detail: String,
}

/// One step of a walk through the raw folder, in path order.
#[derive(Debug)]
pub enum WalkItem {
    /// A release file, with its row of the nearest manifest that describes it.
    File {
        file: RawFile,
        entry: Option<ManifestEntry>,
    },
    /// Something that is not read, and why.
    Skipped(Skipped),
    /// A manifest, or a row of one, that could not be used (a warning, never fatal).
    ManifestProblem(String),
}

/// A folder being walked: its entries not yet visited, and its manifest's rows.
struct Frame {
    entries: std::vec::IntoIter<(String, std::fs::DirEntry)>,
    /// The folder's path relative to the raw folder, '/'-terminated ("" for the root).
    relative: String,
    manifest: BTreeMap<String, ManifestEntry>,
}

/// The release files under `root`, in order of relative path, read one folder at a time:
/// memory holds the folders on the current path (their entries and manifests), never the
/// whole listing, so a million releases in a thousand folders cost what one folder does.
///
/// Hidden files and folders and manifests are not releases; symbolic links are not followed
/// out of the folder. A manifest (`manifest.csv`) describes files of its folder and below;
/// where two describe the same file, the one nearest to it wins. A folder that cannot be
/// read is an error: its releases must not look deleted.
pub struct Walk {
    root: PathBuf,
    canonical_root: Option<PathBuf>,
    frames: Vec<Frame>,
    pending: std::collections::VecDeque<WalkItem>,
    started: bool,
    /// the relative path of the last file yielded, to catch two names read as one
    last_file: Option<String>,
}

impl Walk {
    pub fn new(root: &Path) -> Walk {
        Walk {
            root: root.to_path_buf(),
            canonical_root: None,
            frames: Vec::new(),
            pending: std::collections::VecDeque::new(),
            started: false,
            last_file: None,
        }
    }

    /// Read a folder's entries, sorted so that the walk yields relative paths in string
    /// order: a folder sorts as its name followed by '/' ("a-b.txt" < "a/…" < "a0.txt").
    fn enter(&mut self, dir: &Path, relative: String) -> std::io::Result<()> {
        let context = |e: std::io::Error| {
            std::io::Error::new(
                e.kind(),
                format!("cannot read the folder {}: {e}", dir.display()),
            )
        };
        let mut entries = Vec::new();
        let mut manifest_path = None;
        for entry in std::fs::read_dir(dir).map_err(context)? {
            let entry = entry.map_err(context)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let file_type = entry.file_type().map_err(context)?;
            if name == MANIFEST && file_type.is_file() {
                manifest_path = Some(entry.path());
                continue;
            }
            let key = if file_type.is_dir() { name + "/" } else { name };
            entries.push((key, entry));
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut manifest = BTreeMap::new();
        if let Some(path) = manifest_path {
            self.read_manifest(&path, &relative, &mut manifest);
        }
        self.frames.push(Frame {
            entries: entries.into_iter(),
            relative,
            manifest,
        });
        Ok(())
    }

    fn read_manifest(
        &mut self,
        path: &Path,
        folder: &str,
        into: &mut BTreeMap<String, ManifestEntry>,
    ) {
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                self.pending.push_back(WalkItem::ManifestProblem(format!(
                    "{}: cannot read the manifest ({e}); going on without it",
                    path.display()
                )));
                return;
            }
        };
        match parse_manifest(&text, &path.display().to_string()) {
            Ok(m) => {
                for w in m.warnings {
                    self.pending.push_back(WalkItem::ManifestProblem(w));
                }
                for (name, entry) in m.entries {
                    into.insert(format!("{folder}{name}"), entry);
                }
            }
            Err(e) => self.pending.push_back(WalkItem::ManifestProblem(format!(
                "{e}; going on without this manifest"
            ))),
        }
    }

    /// The row of the nearest manifest that describes `relative`.
    fn manifest_entry(&self, relative: &str) -> Option<ManifestEntry> {
        self.frames
            .iter()
            .rev()
            .find_map(|f| f.manifest.get(relative))
            .cloned()
    }

    /// A release file; or, when its name read as UTF-8 is the name of the file before it
    /// (two names that differ only in bytes that are not UTF-8), a skipped one: a path
    /// must name one release.
    fn file(&mut self, relative: String, path: PathBuf) -> WalkItem {
        if self.last_file.as_deref() == Some(relative.as_str()) {
            return WalkItem::Skipped(Skipped {
                relative,
                reason: "duplicate-name",
                detail: format!(
                    "its name is not UTF-8 and reads the same as another file's ({}); rename it",
                    path.display()
                ),
            });
        }
        self.last_file = Some(relative.clone());
        let entry = self.manifest_entry(&relative);
        WalkItem::File {
            file: RawFile { relative, path },
            entry,
        }
    }

    fn step(&mut self) -> std::io::Result<Option<WalkItem>> {
        if !self.started {
            self.started = true;
            self.canonical_root = Some(self.root.canonicalize().map_err(|e| {
                std::io::Error::new(e.kind(), format!("{}: {e}", self.root.display()))
            })?);
            let root = self.root.clone();
            self.enter(&root, String::new())?;
        }
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Ok(Some(item));
            }
            let Some(frame) = self.frames.last_mut() else {
                return Ok(None);
            };
            let Some((key, entry)) = frame.entries.next() else {
                self.frames.pop();
                continue;
            };
            let relative = format!("{}{key}", frame.relative);
            let path = entry.path();
            if relative.ends_with('/') {
                self.enter(&path, relative)?;
                continue;
            }
            let file_type = entry.file_type()?;
            if file_type.is_symlink() {
                let inside = self.canonical_root.as_deref().unwrap_or(&self.root);
                match path.canonicalize() {
                    Ok(target) if target.starts_with(inside) => {
                        if target.is_file() {
                            return Ok(Some(self.file(relative, path)));
                        }
                    }
                    Ok(target) => {
                        return Ok(Some(WalkItem::Skipped(Skipped {
                            relative,
                            reason: "symlink-outside",
                            detail: format!(
                                "symbolic link to {} outside the raw folder, not followed",
                                target.display()
                            ),
                        })));
                    }
                    Err(e) => {
                        return Ok(Some(WalkItem::Skipped(Skipped {
                            relative,
                            reason: "broken-symlink",
                            detail: format!("symbolic link that cannot be followed: {e}"),
                        })));
                    }
                }
                continue;
            }
            if file_type.is_file() {
                return Ok(Some(self.file(relative, path)));
            }
        }
    }
}

impl Iterator for Walk {
    type Item = std::io::Result<WalkItem>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(item) => item.map(Ok),
            Err(e) => {
                // an unreadable folder ends the walk
                self.frames.clear();
                self.pending.clear();
                Some(Err(e))
            }
        }
    }
}

/// How many release files a walk of `root` will yield (for a progress bar's length), without
/// sorting or keeping anything.
pub fn count_files(root: &Path) -> u64 {
    let mut count = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || name == MANIFEST {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(entry.path()),
                Ok(_) => count += 1,
                Err(_) => {}
            }
        }
    }
    count
}

/// Read a file, refusing one over `limit` bytes before reading it; with the metadata of the
/// file as it was opened (size, modification time).
pub fn read_limited(path: &Path, limit: u64) -> Result<(Vec<u8>, std::fs::Metadata), ReadError> {
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    let bytes = metadata.len();
    if bytes > limit {
        return Err(ReadError::TooLarge { bytes, limit });
    }
    let mut data = Vec::with_capacity(bytes as usize);
    // a file that grows while being read is still held to the limit
    file.take(limit + 1).read_to_end(&mut data)?;
    if data.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            bytes: data.len() as u64,
            limit,
        });
    }
    Ok((data, metadata))
}

/// The manifest's row for one file, as stored in `documents.manifest_entry`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub published_on: Option<NaiveDate>,
}

impl ManifestEntry {
    pub fn source(&self) -> SourceMeta {
        SourceMeta {
            url: self.url.clone(),
            publisher: self.publisher.clone(),
            published_on: self.published_on,
        }
    }

    /// Stable JSON for change detection.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub entries: BTreeMap<String, ManifestEntry>,
    /// Problems with single rows or fields, each with its line number.
    pub warnings: Vec<String>,
}

#[derive(Debug, Error)]
pub enum ManifestError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

#[derive(Deserialize)]
struct ManifestRow {
    file: Option<String>,
    url: Option<String>,
    publisher: Option<String>,
    published_on: Option<String>,
}

fn clean(field: Option<String>) -> Option<String> {
    field.map(|f| f.trim().to_owned()).filter(|f| !f.is_empty())
}

/// Parse a manifest (`file,url,publisher,published_on`; every column optional, extra
/// columns ignored). A bad row is skipped with a warning; a file without a `file` column is
/// an error.
pub fn parse_manifest(text: &str, path_for_messages: &str) -> Result<Manifest, ManifestError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ManifestError::Invalid {
            path: path_for_messages.to_owned(),
            message: format!("cannot read the header row: {e}"),
        })?
        .clone();
    if !headers.iter().any(|h| h.eq_ignore_ascii_case("file")) {
        return Err(ManifestError::Invalid {
            path: path_for_messages.to_owned(),
            message: "the header row has no 'file' column".to_owned(),
        });
    }
    let lowered = csv::StringRecord::from(
        headers
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect::<Vec<_>>(),
    );
    reader.set_headers(lowered.clone());
    let mut manifest = Manifest::default();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                manifest.warnings.push(format!(
                    "{path_for_messages}:{line}: unreadable row skipped ({e})"
                ));
                continue;
            }
        };
        let row: ManifestRow = match record.deserialize(Some(&lowered)) {
            Ok(r) => r,
            Err(e) => {
                manifest
                    .warnings
                    .push(format!("{path_for_messages}:{line}: row skipped ({e})"));
                continue;
            }
        };
        let Some(file) = clean(row.file) else {
            manifest.warnings.push(format!(
                "{path_for_messages}:{line}: row without a file name skipped"
            ));
            continue;
        };
        let published_on = match clean(row.published_on) {
            None => None,
            Some(d) => match NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
                Ok(date) => Some(date),
                Err(_) => {
                    manifest.warnings.push(format!(
                        "{path_for_messages}:{line}: published_on '{d}' is not a YYYY-MM-DD date; ignored"
                    ));
                    None
                }
            },
        };
        let entry = ManifestEntry {
            url: clean(row.url),
            publisher: clean(row.publisher),
            published_on,
        };
        let file = file.replace('\\', "/");
        if manifest.entries.insert(file.clone(), entry).is_some() {
            manifest.warnings.push(format!(
                "{path_for_messages}:{line}: '{file}' is listed again; the later row is used"
            ));
        }
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The release files under `root` and what was skipped: a whole walk, collected.
    #[derive(Debug, Default)]
    struct Listing {
        files: Vec<RawFile>,
        skipped: Vec<Skipped>,
    }

    fn list(root: &Path) -> std::io::Result<Listing> {
        let mut listing = Listing::default();
        for item in Walk::new(root) {
            match item? {
                WalkItem::File { file, .. } => listing.files.push(file),
                WalkItem::Skipped(s) => listing.skipped.push(s),
                WalkItem::ManifestProblem(_) => {}
            }
        }
        Ok(listing)
    }

    #[test]
    fn manifest_columns_are_all_optional() {
        let m = parse_manifest(
            "file,url,publisher,published_on\na.txt,https://x.example/a,,2013-04-15\nb.txt,,,\n",
            "manifest.csv",
        )
        .unwrap();
        assert_eq!(m.entries.len(), 2);
        assert_eq!(
            m.entries["a.txt"].published_on,
            NaiveDate::from_ymd_opt(2013, 4, 15)
        );
        assert_eq!(m.entries["b.txt"], ManifestEntry::default());
        assert!(m.warnings.is_empty());
        let m = parse_manifest("File\nc.txt\n", "m").unwrap();
        assert!(m.entries.contains_key("c.txt"));
    }

    #[test]
    fn bad_rows_are_warnings_with_line_numbers() {
        let m = parse_manifest(
            "file,published_on\na.txt,15/04/2013\n,2013-01-01\na.txt,2013-04-15\n",
            "manifest.csv",
        )
        .unwrap();
        assert_eq!(m.warnings.len(), 3, "{:?}", m.warnings);
        assert!(m.warnings[0].starts_with("manifest.csv:2:"));
        assert_eq!(
            m.entries["a.txt"].published_on,
            NaiveDate::from_ymd_opt(2013, 4, 15)
        );
        assert!(parse_manifest("url,publisher\nx,y\n", "m").is_err());
    }

    #[test]
    fn size_limit_is_enforced_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, vec![b'a'; 100]).unwrap();
        assert!(matches!(
            read_limited(&path, 99),
            Err(ReadError::TooLarge {
                bytes: 100,
                limit: 99
            })
        ));
        assert_eq!(read_limited(&path, 100).unwrap().0.len(), 100);
    }

    #[test]
    fn the_walk_yields_paths_in_string_order_across_folders() {
        let dir = tempfile::tempdir().unwrap();
        // '-' < '/' < '0': a folder's files come between its neighbours by name + '/'
        for name in [
            "a-b.txt",
            "a0.txt",
            "a/x.txt",
            "a/b/y.txt",
            "a/b-c.txt",
            "B.txt",
            "é.txt",
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let walked: Vec<String> = list(dir.path())
            .unwrap()
            .files
            .into_iter()
            .map(|f| f.relative)
            .collect();
        let mut sorted = walked.clone();
        sorted.sort();
        assert_eq!(walked, sorted);
        assert_eq!(walked.len(), 7);
    }

    #[test]
    fn the_nearest_manifest_describes_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sub/deeper")).unwrap();
        for name in ["top.txt", "sub/a.txt", "sub/deeper/b.txt"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::write(
            dir.path().join(MANIFEST),
            "file,publisher\ntop.txt,Root\nsub/a.txt,Root\nsub/deeper/b.txt,Root\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("sub").join(MANIFEST),
            "file,publisher\na.txt,Sub\n",
        )
        .unwrap();
        let publishers: Vec<(String, Option<String>)> = Walk::new(dir.path())
            .filter_map(|item| match item.unwrap() {
                WalkItem::File { file, entry } => {
                    Some((file.relative, entry.and_then(|e| e.publisher)))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            publishers,
            vec![
                ("sub/a.txt".to_owned(), Some("Sub".to_owned())),
                ("sub/deeper/b.txt".to_owned(), Some("Root".to_owned())),
                ("top.txt".to_owned(), Some("Root".to_owned())),
            ]
        );
    }

    #[test]
    fn a_bad_manifest_row_is_a_walk_warning_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::fs::write(
            dir.path().join(MANIFEST),
            "file,published_on\na.txt,someday\n",
        )
        .unwrap();
        let items: Vec<WalkItem> = Walk::new(dir.path()).map(Result::unwrap).collect();
        assert!(matches!(&items[0], WalkItem::ManifestProblem(m) if m.contains("someday")));
        assert!(matches!(&items[1], WalkItem::File { file, .. } if file.relative == "a.txt"));
    }

    #[test]
    fn two_names_that_read_the_same_give_one_release_and_one_skipped_file() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        for name in [&b"r\xff.txt"[..], &b"r\xfe.txt"[..], &b"s.txt"[..]] {
            std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(name)), "x").unwrap();
        }
        let listing = list(dir.path()).unwrap();
        let names: Vec<&str> = listing.files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(names, vec!["r\u{FFFD}.txt", "s.txt"]);
        assert_eq!(listing.skipped.len(), 1);
        assert_eq!(listing.skipped[0].reason, "duplicate-name");
    }

    #[test]
    fn a_missing_raw_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut walk = Walk::new(&dir.path().join("absent"));
        assert!(walk.next().is_some_and(|r| r.is_err()));
        assert!(walk.next().is_none());
    }

    #[test]
    fn listing_skips_hidden_files_and_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".hidden"), "x").unwrap();
        std::fs::write(dir.path().join(MANIFEST), "file\n").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.txt"), "x").unwrap();
        std::fs::write(dir.path().join("sub").join(MANIFEST), "file\n").unwrap();
        let listing = list(dir.path()).unwrap();
        let names: Vec<&str> = listing.files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(names, vec!["b.txt", "sub/a.txt"]);
        assert!(listing.skipped.is_empty());
    }
}
