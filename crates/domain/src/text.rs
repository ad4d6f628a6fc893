//! Text normalisation shared by search, header matching and vocabularies.

/// Lower-cases, removes accents (à → a, ç → c), and collapses runs of whitespace, so that
/// "Cantù", "CANTU'" and "cantu" compare equal. Apostrophes typed after a vowel as an accent
/// ("CANTU'") are dropped.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        // "CANTU'" (an accent typed as an apostrophe at the end of a word) means "Cantù".
        if matches!(c, '\'' | '’' | '`')
            && out.ends_with(['a', 'e', 'i', 'o', 'u'])
            && chars.peek().is_none_or(|n| n.is_whitespace())
        {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        for lower in c.to_lowercase() {
            out.push(strip_accent(lower));
        }
    }
    out
}

fn strip_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ß' => 's',
        other => other,
    }
}

/// The key a column header is matched by: folded, with spaces and punctuation removed, so that
/// "Codice Fiscale", "codice_fiscale" and "CODICE-FISCALE" are one key.
pub fn header_key(input: &str) -> String {
    fold(input).chars().filter(|c| c.is_alphanumeric()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_accents_case_and_spaces() {
        assert_eq!(fold("Cantù"), "cantu");
        assert_eq!(fold("CANTU'"), "cantu");
        assert_eq!(fold("  Sant'Angelo   Lodigiano "), "sant'angelo lodigiano");
        assert_eq!(fold("Università"), "universita");
        assert_eq!(header_key("Codice Fiscale / P.IVA"), "codicefiscalepiva");
        assert_eq!(header_key("e-mail"), "email");
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(input in "\\PC{0,40}") {
            let once = fold(&input);
            prop_assert_eq!(fold(&once), once.clone());
        }
    }
}
