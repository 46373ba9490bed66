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

/// The release files under `root`, the manifests found beside them, and what was skipped.
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<RawFile>,
    pub manifests: Vec<RawFile>,
    pub skipped: Vec<Skipped>,
}

/// List the release files under `root`, sorted by relative path. Hidden files and folders
/// and manifests are not releases; symbolic links are not followed out of the folder.
pub fn list(root: &Path) -> std::io::Result<Listing> {
    let canonical_root = root.canonicalize()?;
    let mut files = Vec::new();
    let mut manifests = Vec::new();
    let mut skipped = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let relative = relative_path(root, &path);
            let file_type = entry.file_type()?;
            if file_type.is_symlink() {
                match path.canonicalize() {
                    Ok(target) if target.starts_with(&canonical_root) => {
                        if target.is_file() {
                            files.push(RawFile { relative, path });
                        }
                    }
                    Ok(target) => skipped.push(Skipped {
                        relative,
                        reason: "symlink-outside",
                        detail: format!(
                            "symbolic link to {} outside the raw folder, not followed",
                            target.display()
                        ),
                    }),
                    Err(e) => skipped.push(Skipped {
                        relative,
                        reason: "broken-symlink",
                        detail: format!("symbolic link that cannot be followed: {e}"),
                    }),
                }
                continue;
            }
            if file_type.is_dir() {
                stack.push(path);
            } else if file_type.is_file() {
                // a manifest in any folder describes that folder's files
                if name == MANIFEST {
                    manifests.push(RawFile { relative, path });
                    continue;
                }
                files.push(RawFile { relative, path });
            }
        }
    }
    files.sort();
    manifests.sort();
    Ok(Listing {
        files,
        manifests,
        skipped,
    })
}

fn relative_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Read a file, refusing one over `limit` bytes before reading it.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path)?;
    let bytes = file.metadata()?.len();
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
    Ok(data)
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
        assert_eq!(read_limited(&path, 100).unwrap().len(), 100);
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
        let manifests: Vec<&str> = listing
            .manifests
            .iter()
            .map(|f| f.relative.as_str())
            .collect();
        assert_eq!(manifests, vec!["manifest.csv", "sub/manifest.csv"]);
        assert!(listing.skipped.is_empty());
    }
}
