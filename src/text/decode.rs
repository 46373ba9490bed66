//! Decode a file's bytes into text, or say why it cannot be read as text.
//!
//! Accepted: UTF-8 with or without a byte-order mark, UTF-16 (either byte order) with a
//! byte-order mark, and Windows-1252 (which covers Latin-1) when the bytes are not UTF-8 but
//! read as Western European text. Anything else is refused with a reason the user can act on;
//! Shift_JIS and other multi-byte encodings are recognised and named in the refusal. Repairs
//! made on the way (stray NUL bytes dropped, an encoding guessed) are reported as notes. This
//! stage does not normalise the text (see `clean`).

use thiserror::Error;

/// Why a file's bytes are not a release we can read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file holds only whitespace")]
    WhitespaceOnly,
    #[error("the file is {bytes} bytes, over the limit of {limit} bytes")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("the file looks binary ({why})")]
    Binary { why: String },
    #[error(
        "the file is not valid UTF-8 (first bad byte at offset {offset}) and does not read as Windows-1252 text either"
    )]
    NotUtf8 { offset: usize },
    #[error("the file has a UTF-16 byte-order mark but is not valid UTF-16")]
    BadUtf16,
    #[error(
        "the file looks like {encoding} text, which communique does not read; convert it to UTF-8 (for example `iconv -f {encoding} -t UTF-8`)"
    )]
    UnsupportedEncoding { encoding: &'static str },
}

impl DecodeError {
    /// A short stable code for `ingest_failures.reason`.
    pub fn code(&self) -> &'static str {
        match self {
            DecodeError::Empty => "empty",
            DecodeError::WhitespaceOnly => "whitespace-only",
            DecodeError::TooLarge { .. } => "too-large",
            DecodeError::Binary { .. } => "binary",
            DecodeError::NotUtf8 { .. } => "not-utf8",
            DecodeError::BadUtf16 => "bad-utf16",
            DecodeError::UnsupportedEncoding { .. } => "unsupported-encoding",
        }
    }
}

/// Something repaired or guessed while decoding: the file was read, but the user should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// A short stable code for `ingest_warnings.reason`.
    pub code: &'static str,
    pub detail: String,
}

/// Text decoded from a file, with the name of the encoding it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub notes: Vec<Note>,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// More NUL bytes than this share of the file (after a UTF-16 check) means binary, not text
/// with a few stray NULs.
const MAX_NUL_PER_MILLE: usize = 10;

/// More control characters (other than tab, line feed, carriage return and form feed) than
/// this share of the text means binary.
const MAX_CONTROL_PER_MILLE: usize = 10;

/// Decode `bytes` as a release. The size limit is checked by the caller before reading.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let mut notes = Vec::new();
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        (
            utf8_or_legacy(rest, bytes.len() - rest.len(), &mut notes)?,
            "utf-8-bom",
        )
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (utf16(rest, encoding_rs::UTF_16LE)?, "utf-16le")
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (utf16(rest, encoding_rs::UTF_16BE)?, "utf-16be")
    } else {
        (utf8_or_legacy(bytes, 0, &mut notes)?, "utf-8")
    };
    // what the bytes were read as, whatever a byte-order mark claimed
    let encoding = if notes.iter().any(|n| n.code == "windows-1252") {
        "windows-1252"
    } else {
        encoding
    };
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}'))
        .count();
    if control * 1000 > text.chars().count().max(1) * MAX_CONTROL_PER_MILLE {
        return Err(DecodeError::Binary {
            why: format!("{control} control characters"),
        });
    }
    if text.trim().is_empty() {
        return Err(DecodeError::WhitespaceOnly);
    }
    Ok(Decoded {
        text,
        encoding,
        notes,
    })
}

fn utf16(payload: &[u8], encoding: &'static encoding_rs::Encoding) -> Result<String, DecodeError> {
    encoding
        .decode_without_bom_handling_and_without_replacement(payload)
        .map(|text| text.into_owned())
        .ok_or(DecodeError::BadUtf16)
}

/// UTF-8 (after dropping a few stray NULs), else Windows-1252 when the bytes read as
/// Western European text, else a refusal that names the encoding when it is recognisable.
fn utf8_or_legacy(
    payload: &[u8],
    offset: usize,
    notes: &mut Vec<Note>,
) -> Result<String, DecodeError> {
    let nuls = payload.iter().filter(|&&b| b == 0).count();
    let cleaned: std::borrow::Cow<[u8]> = if nuls == 0 {
        std::borrow::Cow::Borrowed(payload)
    } else if nuls * 1000 > payload.len() * MAX_NUL_PER_MILLE {
        let first = payload.iter().position(|&b| b == 0).unwrap_or(0) + offset;
        return Err(DecodeError::Binary {
            why: format!("{nuls} NUL bytes, the first at offset {first}"),
        });
    } else {
        notes.push(Note {
            code: "nul-removed",
            detail: if nuls == 1 {
                "1 stray NUL byte was removed".to_owned()
            } else {
                format!("{nuls} stray NUL bytes were removed")
            },
        });
        std::borrow::Cow::Owned(payload.iter().copied().filter(|&b| b != 0).collect())
    };
    match std::str::from_utf8(&cleaned) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            if reads_as_windows_1252(&cleaned) {
                let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&cleaned);
                notes.push(Note {
                    code: "windows-1252",
                    detail: format!(
                        "not UTF-8 (first bad byte at offset {}); read as Windows-1252 (Latin-1)",
                        e.valid_up_to() + offset
                    ),
                });
                return Ok(text.into_owned());
            }
            for candidate in [
                encoding_rs::SHIFT_JIS,
                encoding_rs::EUC_JP,
                encoding_rs::GBK,
                encoding_rs::BIG5,
                encoding_rs::EUC_KR,
            ] {
                if candidate
                    .decode_without_bom_handling_and_without_replacement(&cleaned)
                    .is_some()
                {
                    return Err(DecodeError::UnsupportedEncoding {
                        encoding: candidate.name(),
                    });
                }
            }
            Err(DecodeError::NotUtf8 {
                offset: e.valid_up_to() + offset,
            })
        }
    }
}

/// Western European text in Windows-1252: bytes over 0x7F are letters with accents and
/// typographic punctuation, one or two at a time among ASCII; never the five bytes the
/// encoding leaves undefined. Multi-byte encodings (Shift_JIS, GBK, ...) and binary data run
/// high bytes together.
fn reads_as_windows_1252(bytes: &[u8]) -> bool {
    const UNDEFINED: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];
    let mut run = 0;
    let mut high = 0;
    for &b in bytes {
        if b >= 0x80 {
            if UNDEFINED.contains(&b) {
                return false;
            }
            run += 1;
            high += 1;
            if run > 3 {
                return false;
            }
        } else {
            run = 0;
        }
    }
    high * 5 <= bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8_is_decoded() {
        let d = decode("Tokyo — 東京".as_bytes()).unwrap();
        assert_eq!(d.text, "Tokyo — 東京");
        assert_eq!(d.encoding, "utf-8");
    }

    #[test]
    fn bom_is_dropped_and_recorded() {
        let d = decode(b"\xEF\xBB\xBFHello").unwrap();
        assert_eq!(d.text, "Hello");
        assert_eq!(d.encoding, "utf-8-bom");
    }

    #[test]
    fn refusals_carry_reasons() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\t "), Err(DecodeError::WhitespaceOnly));
        assert_eq!(decode(b"ab\0cd").unwrap_err().code(), "binary");
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01")
                .unwrap_err()
                .code(),
            "binary"
        );
        // high bytes run together and are not any known encoding
        assert_eq!(
            decode(b"abc\xFF\xFF\xFF\xFF\xFF").unwrap_err(),
            DecodeError::NotUtf8 { offset: 3 }
        );
    }

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        let mut bytes = if little_endian {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            let pair = if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            bytes.extend(pair);
        }
        bytes
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let text =
            "Japan–NATO Meeting\r\nOn 4 May, Minister Kishida met Secretary General Stoltenberg.";
        for (little, name) in [(true, "utf-16le"), (false, "utf-16be")] {
            let d = decode(&utf16(text, little)).unwrap();
            assert_eq!(d.text, text);
            assert_eq!(d.encoding, name);
            assert!(d.notes.is_empty());
        }
        // an odd number of bytes after the mark is not UTF-16
        let mut broken = utf16("Hello", true);
        broken.push(b'x');
        assert_eq!(decode(&broken), Err(DecodeError::BadUtf16));
    }

    #[test]
    fn windows_1252_is_read_when_utf8_fails_and_says_so() {
        let d = decode(
            b"Minister Le Drian met the Secr\xE9taire g\xE9n\xE9ral \x93in Paris\x94 \x96 briefly.",
        )
        .unwrap();
        assert_eq!(
            d.text,
            "Minister Le Drian met the Secrétaire général “in Paris” – briefly."
        );
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.notes[0].code, "windows-1252");
        // a BOM says UTF-8, but the bytes are Latin-1: still read, still noted
        let d = decode(b"\xEF\xBB\xBFcaf\xE9 au lait").unwrap();
        assert_eq!(d.text, "café au lait");
        assert_eq!(d.notes[0].code, "windows-1252");
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn japanese_legacy_encodings_are_named_in_the_refusal() {
        let text = "日本国外務大臣は、北大西洋条約機構事務総長と会談を行いました。";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        assert_eq!(
            decode(&bytes),
            Err(DecodeError::UnsupportedEncoding {
                encoding: "Shift_JIS"
            })
        );
        // the same text in UTF-8 is read (it is extracted as a release like any other)
        assert_eq!(decode(text.as_bytes()).unwrap().encoding, "utf-8");
    }

    #[test]
    fn a_few_stray_nuls_are_dropped_many_mean_binary() {
        let mut text = "The two ministers met in Tokyo on 4 May 2023. "
            .repeat(10)
            .into_bytes();
        text.insert(20, 0);
        let d = decode(&text).unwrap();
        assert!(!d.text.contains('\0'));
        assert_eq!(d.notes[0].code, "nul-removed");
        let binary: Vec<u8> = (0..400u32).map(|i| (i % 7) as u8).collect();
        assert_eq!(decode(&binary).unwrap_err().code(), "binary");
    }

    #[test]
    fn control_characters_in_bulk_mean_binary_a_few_are_text() {
        let mut text = "Readout of the call. ".repeat(20);
        text.push('\u{7}');
        assert!(decode(text.as_bytes()).is_ok());
        let noisy: String = "ab\u{1}\u{2}\u{3}".repeat(50);
        assert_eq!(decode(noisy.as_bytes()).unwrap_err().code(), "binary");
    }
}
