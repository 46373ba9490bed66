//! Decode a file's bytes into text, or say why it cannot be read as text.
//!
//! Accepted: UTF-8 with or without a byte-order mark. Everything else is refused with a reason
//! the user can act on. This stage does not normalise the text (see `clean`).

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
    #[error("the file looks binary (NUL byte at offset {offset})")]
    Binary { offset: usize },
    #[error("the file is not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 { offset: usize },
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
        }
    }
}

/// Text decoded from a file, with the name of the encoding it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decode `bytes` as a release. The size limit is checked by the caller before reading.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let (payload, encoding) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, "utf-8-bom"),
        None => (bytes, "utf-8"),
    };
    if let Some(offset) = payload.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    let text = std::str::from_utf8(payload).map_err(|e| DecodeError::NotUtf8 {
        offset: e.valid_up_to() + (bytes.len() - payload.len()),
    })?;
    if text.trim().is_empty() {
        return Err(DecodeError::WhitespaceOnly);
    }
    Ok(Decoded {
        text: text.to_owned(),
        encoding,
    })
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
        assert_eq!(decode(b"ab\0cd"), Err(DecodeError::Binary { offset: 2 }));
        assert_eq!(decode(b"caf\xE9"), Err(DecodeError::NotUtf8 { offset: 3 }));
        assert_eq!(
            decode(b"\xEF\xBB\xBFcaf\xE9").unwrap_err().code(),
            "not-utf8"
        );
    }
}
