//! Jams: series and their organizers, sessions, co-organizer invites, the recurrence generator
//! that turns "every Tuesday 19:00 for 8 weeks" into sessions.

pub mod invites;
pub mod photos;
pub mod places;
pub mod recurrence;
pub mod series;
pub mod sessions;

/// Percent-encodes a URL query value (everything but the unreserved characters).
pub(crate) fn url_encode(value: &str) -> String {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, RESERVED).to_string()
}
