//! The languages of the interface: Italian first, English second.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    It,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::It, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::It => "it",
            Locale::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "it" => Some(Locale::It),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The best supported language in an `Accept-Language` header, honouring q-values;
    /// `None` when the header names none of ours.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (position, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let Some(locale) = pieces.next().and_then(Locale::parse) else { continue };
            let quality =
                pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            if quality <= 0.0 {
                continue;
            }
            // Higher quality wins; on a tie the earlier entry wins.
            let better = match best {
                None => true,
                Some((q, _, _)) => quality > q,
            };
            if better {
                best = Some((quality, position, locale));
            }
        }
        best.map(|(_, _, locale)| locale)
    }

    /// The other language, for the switch in the header.
    pub fn other(self) -> Locale {
        match self {
            Locale::It => Locale::En,
            Locale::En => Locale::It,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_quality() {
        assert_eq!(Locale::from_accept_language("de-DE,en;q=0.8,it;q=0.9"), Some(Locale::It));
        assert_eq!(Locale::from_accept_language("en-GB,en;q=0.9"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("fr, de"), None);
        assert_eq!(Locale::from_accept_language("it;q=0, en;q=0.1"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language(""), None);
    }
}
