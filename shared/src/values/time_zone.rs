//! A time zone of the IANA database, parsed once (from a form, or from a stored item) and kept
//! with its canonical name: an unknown name is refused, never read as UTC.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// A known IANA time zone, e.g. `Europe/Berlin`. Stored and shown as its name.
#[derive(Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZone {
    name: String,
    zone: jiff::tz::TimeZone,
}

/// Not a time zone the bundled database knows.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}")]
pub struct UnknownTimeZone(pub String);

impl TimeZone {
    /// The canonical IANA name (`europe/berlin` parses as `Europe/Berlin`).
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The zone, for jiff's conversions.
    pub fn zone(&self) -> jiff::tz::TimeZone {
        self.zone.clone()
    }
}

impl FromStr for TimeZone {
    type Err = UnknownTimeZone;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let name = raw.trim();
        let zone = (!name.is_empty() && name.len() <= 64)
            .then(|| jiff::tz::TimeZone::get(name).ok())
            .flatten()
            .ok_or_else(|| UnknownTimeZone(name.to_owned()))?;
        Ok(Self {
            name: zone.iana_name().unwrap_or(name).to_owned(),
            zone,
        })
    }
}

impl TryFrom<String> for TimeZone {
    type Error = UnknownTimeZone;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        name.parse()
    }
}

impl From<TimeZone> for String {
    fn from(zone: TimeZone) -> Self {
        zone.name
    }
}

impl PartialEq for TimeZone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for TimeZone {}

impl fmt::Debug for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TimeZone").field(&self.name).finish()
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Where a `&str` is wanted (a view's field), the name.
impl std::ops::Deref for TimeZone {
    type Target = str;

    fn deref(&self) -> &str {
        &self.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_parse_to_their_canonical_name_and_unknown_ones_are_refused() {
        let berlin: TimeZone = " europe/berlin ".parse().unwrap();
        assert_eq!(berlin.as_str(), "Europe/Berlin");
        assert_eq!(berlin.zone().iana_name(), Some("Europe/Berlin"));
        assert!("Mars/Olympus_Mons".parse::<TimeZone>().is_err());
        assert!("".parse::<TimeZone>().is_err());
    }

    #[test]
    fn a_stored_zone_reads_back_or_fails_never_as_utc() {
        let berlin: TimeZone = "Europe/Berlin".parse().unwrap();
        let json = serde_json::to_string(&berlin).unwrap();
        assert_eq!(json, "\"Europe/Berlin\"");
        assert_eq!(serde_json::from_str::<TimeZone>(&json).unwrap(), berlin);
        assert!(serde_json::from_str::<TimeZone>("\"Nowhere/Else\"").is_err());
    }
}
