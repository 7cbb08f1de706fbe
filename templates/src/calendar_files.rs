//! Calendar files (RFC 5545, written by the `icalendar` crate): one session as an event to add
//! to a calendar, and a series' subscription feed with every session, cancelled ones included.

use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};
use jamie::jams::{
    series::Location,
    sessions::{Session, SessionStatus},
};
use jiff::Timestamp;

/// Who wrote the file (RFC 5545 §3.7.3).
const PRODUCT: &str = "-//Jamie//Acroyoga jams//EN";

/// How often a subscribed calendar fetches the feed again: an hour, so a moved or cancelled
/// session reaches it the same day.
const REFRESH: &str = "PT1H";

/// The calendar file of one session (`METHOD:PUBLISH`, one event): what a participant adds to
/// their calendar from the session page, the registration result page or a confirmation email.
/// `place` is where it happens (the session's own place or its series'; `None` when unknown),
/// `session_url` its public page, `base_host` the app's host (the event's UID is
/// `{session id}@{base_host}`, the same in every file, so adding it again updates it), and
/// `now` the moment the file is written (its `DTSTAMP`).
pub fn session_ics(
    session: &Session,
    series_name: &str,
    place: Option<&Location>,
    session_url: &str,
    base_host: &str,
    now: Timestamp,
) -> String {
    let mut calendar = calendar();
    calendar.push(event(
        session,
        series_name,
        place,
        session_url,
        base_host,
        now,
    ));
    calendar.to_string()
}

/// The subscription feed of a series (`webcal://…/series/{id}.ics`): every session in
/// `sessions`, cancelled ones with `STATUS:CANCELLED` under their usual UID (so subscribed
/// calendars take them off), named after the series and fetched again about every hour.
/// `place` is the series' place, for sessions without their own; `session_url` gives each
/// session's public page.
pub fn series_ics(
    series_name: &str,
    place: Option<&Location>,
    sessions: &[Session],
    session_url: impl Fn(&Session) -> String,
    base_host: &str,
    now: Timestamp,
) -> String {
    let mut calendar = calendar();
    calendar
        .append_property(Property::new("X-WR-CALNAME", text(series_name)))
        .append_property(
            Property::new("REFRESH-INTERVAL", REFRESH)
                .add_parameter("VALUE", "DURATION")
                .done(),
        )
        .append_property(Property::new("X-PUBLISHED-TTL", REFRESH));
    for session in sessions {
        let place = session.location.as_ref().or(place);
        calendar.push(event(
            session,
            series_name,
            place,
            &session_url(session),
            base_host,
            now,
        ));
    }
    calendar.to_string()
}

fn calendar() -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", PRODUCT))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"));
    calendar
}

fn event(
    session: &Session,
    series_name: &str,
    place: Option<&Location>,
    session_url: &str,
    base_host: &str,
    now: Timestamp,
) -> Event {
    let cancelled = session.status == SessionStatus::Cancelled;
    let mut event = Event::new();
    event
        .uid(&format!("{}@{base_host}", session.id))
        .add_property("DTSTAMP", utc(now))
        .add_property("DTSTART", utc(session.starts_at))
        .add_property("DTEND", utc(session.ends_at))
        .sequence(session.sequence)
        .url(session_url)
        .status(if cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    // Not every calendar shows a cancelled event's status: its title says it too.
    let summary = if cancelled {
        format!("Cancelled: {series_name}")
    } else {
        series_name.to_owned()
    };
    event.summary(&text(&summary));
    if let Some(place) = place {
        let where_ = [place.venue.trim(), place.address.trim()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        if !where_.is_empty() {
            event.location(&text(&where_));
        }
        if let (Some(latitude), Some(longitude)) = (place.latitude, place.longitude) {
            event.add_property("GEO", format!("{latitude};{longitude}"));
        }
    }
    event.description(&text(&description(session, session_url)));
    event.done()
}

/// The session's note (and, once cancelled, why), then the address of its page.
fn description(session: &Session, session_url: &str) -> String {
    let mut parts = Vec::new();
    if session.status == SessionStatus::Cancelled {
        parts.push(match session.cancel_reason.as_deref().map(str::trim) {
            Some(reason) if !reason.is_empty() => format!("Cancelled: {reason}"),
            _ => "Cancelled.".to_owned(),
        });
    }
    if !session.note.trim().is_empty() {
        parts.push(session.note.trim().to_owned());
    }
    parts.push(session_url.to_owned());
    parts.join("\n\n")
}

/// A UTC date-time value, `20270316T180000Z`.
fn utc(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Text as a TEXT value holds it: line breaks as `\n` only (forms send `\r\n`, and a bare CR
/// would end the content line), no other control characters. The crate escapes `\ ; , newline`.
fn text(raw: &str) -> String {
    raw.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// `park-jam`: a series name as a file name (ASCII letters and digits, words joined by `-`).
fn slug(name: &str) -> String {
    let slug = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "jam".to_owned()
    } else {
        slug
    }
}

/// `tuesday-jam-2027-03-16.ics`: a session's calendar file, by its series and local date.
pub fn session_file_name(
    series_name: &str,
    starts_at: jiff::Timestamp,
    zone: &jiff::tz::TimeZone,
) -> String {
    let day = starts_at
        .to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%d")
        .to_string();
    format!("{}-{day}.ics", slug(series_name))
}

/// `tuesday-jam.ics`: a series' feed.
pub fn series_file_name(series_name: &str) -> String {
    format!("{}.ics", slug(series_name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jamie::ids::{SeriesId, SessionId};

    use crate::test_support::berlin;

    fn session(starts_at: &str, ends_at: &str) -> Session {
        let created_at: Timestamp = "2027-01-05T10:00:00Z".parse().unwrap();
        Session {
            id: SessionId::generate(),
            series_id: SeriesId::generate(),
            starts_at: starts_at.parse().unwrap(),
            ends_at: ends_at.parse().unwrap(),
            capacity_base: 6,
            capacity_flyer: 6,
            cost: None,
            location: None,
            note: String::new(),
            status: SessionStatus::Scheduled,
            cancel_reason: None,
            confirmed_base: 0,
            confirmed_flyer: 0,
            waitlisted: 0,
            waitlisted_base: 0,
            waitlisted_flyer: 0,
            waitlisted_either: 0,
            waiting: Vec::new(),
            closes_minutes_before: 0,
            series: None,
            sequence: 0,
            created_at,
        }
    }

    fn studio() -> Location {
        Location {
            venue: "Studio Nord".to_owned(),
            address: "Hauptstraße 5, Berlin".to_owned(),
            latitude: Some(52.52),
            longitude: Some(13.405),
            place_id: None,
        }
    }

    fn now() -> Timestamp {
        "2027-03-01T09:30:00Z".parse().unwrap()
    }

    /// The content lines with their folds undone (RFC 5545 §3.1).
    fn unfolded(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn value<'a>(lines: &'a [String], name: &str) -> Vec<&'a str> {
        lines
            .iter()
            .filter_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .collect()
    }

    #[test]
    fn a_session_file_is_one_event_in_utc_with_a_stable_uid() {
        // 19:00–21:00 in Berlin (winter time) is 18:00–20:00 UTC.
        let session = session("2027-03-16T18:00:00Z", "2027-03-16T20:00:00Z");
        let ics = session_ics(
            &session,
            "Park Jam",
            Some(&studio()),
            "https://jamie.example/s/d1",
            "jamie.example",
            now(),
        );
        assert!(
            ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{ics}"
        );
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"), "{ics}");
        let lines = unfolded(&ics);
        assert_eq!(value(&lines, "METHOD"), ["PUBLISH"]);
        assert_eq!(value(&lines, "BEGIN"), ["VCALENDAR", "VEVENT"]);
        let uid = format!("{}@jamie.example", session.id);
        assert_eq!(value(&lines, "UID"), [uid.as_str()]);
        assert_eq!(value(&lines, "DTSTART"), ["20270316T180000Z"]);
        assert_eq!(value(&lines, "DTEND"), ["20270316T200000Z"]);
        assert_eq!(value(&lines, "DTSTAMP"), ["20270301T093000Z"]);
        assert_eq!(value(&lines, "SUMMARY"), ["Park Jam"]);
        assert_eq!(
            value(&lines, "LOCATION"),
            [r"Studio Nord\, Hauptstraße 5\, Berlin"]
        );
        assert_eq!(value(&lines, "GEO"), ["52.52;13.405"]);
        assert_eq!(value(&lines, "URL"), ["https://jamie.example/s/d1"]);
        assert_eq!(value(&lines, "SEQUENCE"), ["0"]);
        assert_eq!(value(&lines, "STATUS"), ["CONFIRMED"]);
        assert_eq!(value(&lines, "DESCRIPTION"), ["https://jamie.example/s/d1"]);
    }

    #[test]
    fn a_summer_session_is_still_written_in_utc() {
        // 19:00 in Berlin in July is 17:00 UTC: the file never carries the local time.
        let zone = berlin().clone();
        let starts_at = jiff::civil::date(2027, 7, 6)
            .at(19, 0, 0, 0)
            .to_zoned_datetime(zone)
            .unwrap()
            .timestamp();
        let mut summer = session("2027-07-06T17:00:00Z", "2027-07-06T19:00:00Z");
        summer.starts_at = starts_at;
        let ics = session_ics(&summer, "Park Jam", None, "u", "h", now());
        let lines = unfolded(&ics);
        assert_eq!(value(&lines, "DTSTART"), ["20270706T170000Z"]);
        assert!(
            value(&lines, "LOCATION").is_empty(),
            "no place, no LOCATION"
        );
        assert!(value(&lines, "GEO").is_empty());
    }

    #[test]
    fn text_is_escaped_and_long_lines_folded_at_75_octets() {
        let mut session = session("2027-03-16T18:00:00Z", "2027-03-16T20:00:00Z");
        session.note = "Bring a mat; water, too.\r\nBack\\slash. ".to_owned()
            + &"Über die Brücke gehen wir zusammen. ".repeat(6);
        session.sequence = 3;
        let ics = session_ics(
            &session,
            "Acro, Yoga; and more",
            None,
            "https://jamie.example/s/d1",
            "jamie.example",
            now(),
        );
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
            assert!(!line.contains('\r') && !line.contains('\n'));
        }
        assert!(
            ics.split("\r\n").any(|line| line.starts_with(' ')),
            "the description is folded"
        );
        let lines = unfolded(&ics);
        assert_eq!(value(&lines, "SUMMARY"), [r"Acro\, Yoga\; and more"]);
        let description = value(&lines, "DESCRIPTION")[0];
        assert!(
            description.starts_with(r"Bring a mat\; water\, too.\nBack\\slash. Über die Brücke"),
            "{description}"
        );
        assert!(description.ends_with(r"\n\nhttps://jamie.example/s/d1"));
        assert_eq!(value(&lines, "SEQUENCE"), ["3"]);
    }

    #[test]
    fn the_feed_lists_every_session_and_marks_the_cancelled_ones() {
        let first = session("2027-03-16T18:00:00Z", "2027-03-16T20:00:00Z");
        let mut cancelled = session("2027-03-23T18:00:00Z", "2027-03-23T20:00:00Z");
        cancelled.id = SessionId::generate();
        cancelled.status = SessionStatus::Cancelled;
        cancelled.cancel_reason = Some("The hall is flooded".to_owned());
        cancelled.sequence = 2;
        let mut elsewhere = session("2027-03-30T18:00:00Z", "2027-03-30T20:00:00Z");
        elsewhere.id = SessionId::generate();
        elsewhere.location = Some(Location {
            venue: "Tempelhofer Feld".to_owned(),
            ..Location::default()
        });
        let sessions = [first, cancelled, elsewhere];
        let ics = series_ics(
            "Park Jam",
            Some(&studio()),
            &sessions,
            |session| format!("https://jamie.example/s/{}", session.id),
            "jamie.example",
            now(),
        );
        let lines = unfolded(&ics);
        assert_eq!(value(&lines, "X-WR-CALNAME"), ["Park Jam"]);
        assert_eq!(value(&lines, "X-PUBLISHED-TTL"), ["PT1H"]);
        assert_eq!(value(&lines, "REFRESH-INTERVAL;VALUE=DURATION"), ["PT1H"]);
        let uids: Vec<String> = sessions
            .iter()
            .map(|session| format!("{}@jamie.example", session.id))
            .collect();
        assert_eq!(value(&lines, "UID"), uids);
        assert_eq!(
            value(&lines, "STATUS"),
            ["CONFIRMED", "CANCELLED", "CONFIRMED"]
        );
        assert_eq!(value(&lines, "SEQUENCE"), ["0", "2", "0"]);
        assert_eq!(
            value(&lines, "SUMMARY"),
            ["Park Jam", "Cancelled: Park Jam", "Park Jam"]
        );
        assert_eq!(
            value(&lines, "LOCATION"),
            [
                r"Studio Nord\, Hauptstraße 5\, Berlin",
                r"Studio Nord\, Hauptstraße 5\, Berlin",
                "Tempelhofer Feld"
            ]
        );
        assert_eq!(value(&lines, "GEO").len(), 2, "the park has no coordinates");
        assert!(
            value(&lines, "DESCRIPTION")[1].starts_with("Cancelled: The hall is flooded"),
            "{lines:?}"
        );
        assert_eq!(value(&lines, "BEGIN").len(), 4);
    }
}
