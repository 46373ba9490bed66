//! Folding for comparisons: lower case without accents, and the identity key of a person's
//! name (its folded tokens without honorifics or initials, sorted), which is how communique
//! decides that two spellings name one person.

use unicode_normalization::UnicodeNormalization;

/// Lower case, accents removed: "José" and "jose" fold alike.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

const KEY_STOPWORDS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "he", "sir", "madam", "hon", "prof", "rt", "the", "mp",
];

/// The folded tokens of a name, without honorifics and one-letter initials.
pub fn name_tokens(name: &str) -> Vec<String> {
    // Most names are ASCII: their tokens are cut and lower-cased a byte at a time (each
    // person is looked up by these at every mention).
    if name.is_ascii() {
        return name
            .as_bytes()
            .split(|b| !b.is_ascii_alphanumeric())
            .filter(|t| t.len() > 1)
            .map(|t| String::from_utf8_lossy(t).to_ascii_lowercase())
            .filter(|t| !KEY_STOPWORDS.contains(&t.as_str()))
            .collect();
    }
    fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.chars().count() > 1 && !KEY_STOPWORDS.contains(t))
        .map(str::to_owned)
        .collect()
}

/// Identity key of a name: its tokens sorted and joined by spaces, so word order and
/// "KISHIDA Fumio" / "Fumio Kishida" do not matter.
pub fn name_key(name: &str) -> String {
    let mut tokens = name_tokens(name);
    tokens.sort();
    tokens.dedup();
    tokens.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Names in ASCII are cut into tokens as every name was before they had a path of
        /// their own: folded, split at every character that is not alphanumeric.
        #[test]
        fn ascii_names_have_the_tokens_of_the_general_path(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Mr", "MRS", "the", "Hon.", "Rt", "Fumio", "KISHIDA", "J.", "A", "b", "mp",
                    " ", " ", "-", "'", ".", ",", "O'Neill", "bin", "2", "x1", "Dr.", "\t",
                ]),
                0..10,
            )
        ) {
            let name = pieces.concat();
            let general: Vec<String> = fold(&name)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| t.chars().count() > 1 && !KEY_STOPWORDS.contains(t))
                .map(str::to_owned)
                .collect();
            prop_assert_eq!(name_tokens(&name), general, "{:?}", name);
        }
    }

    #[test]
    fn keys_ignore_order_case_accents_and_initials() {
        assert_eq!(name_key("KISHIDA Fumio"), name_key("Fumio Kishida"));
        assert_eq!(name_key("Christopher G. Cavoli"), "cavoli christopher");
        assert_eq!(name_key("Frédéric Méndez"), "frederic mendez");
        assert_eq!(name_key("H.E. Mr. Jens Stoltenberg"), "jens stoltenberg");
    }
}
