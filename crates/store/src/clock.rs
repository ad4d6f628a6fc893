//! Timestamps as both engines store them: UTC RFC 3339 text with microseconds, which sorts and
//! compares correctly as text.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub OffsetDateTime);

const FORMAT: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

impl Timestamp {
    pub fn now() -> Timestamp {
        Timestamp(OffsetDateTime::now_utc())
    }

    pub fn after(self, duration: Duration) -> Timestamp {
        Timestamp(self.0 + duration)
    }

    pub fn before(self, duration: Duration) -> Timestamp {
        Timestamp(self.0 - duration)
    }

    /// The stored form.
    pub fn to_db(self) -> String {
        self.0.to_offset(UtcOffset::UTC).format(FORMAT).expect("a UTC timestamp always formats")
    }

    pub fn parse(text: &str) -> Result<Timestamp, crate::StoreError> {
        OffsetDateTime::parse(text, &Rfc3339)
            .map(Timestamp)
            .map_err(|_| crate::StoreError::Corrupt(format!("timestamp {text:?}")))
    }
}

impl TryFrom<String> for Timestamp {
    type Error = crate::StoreError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Timestamp::parse(&text)
    }
}

/// A stored timestamp inside a page read as JSON: the same text, the same corruption error.
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_db())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_db())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_sorts_like_time() {
        let earlier = Timestamp::now();
        let later = earlier.after(Duration::milliseconds(1));
        assert!(earlier.to_db() < later.to_db());
        assert_eq!(Timestamp::parse(&earlier.to_db()).unwrap().to_db(), earlier.to_db());
        assert_eq!(earlier.to_db().len(), 27);
    }
}
