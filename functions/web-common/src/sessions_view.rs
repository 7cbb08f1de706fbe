//! How a jam session reads in every organizer view (series page, session page, dashboard,
//! calendar): its date and time in the series' zone, its status and its counts per role.

use jamie::{
    config::BaseUrl,
    ids::{SeriesId, SessionId},
    jams::sessions::{Session, SessionStatus},
};
use jamie_templates::pages::jams::{RoleCount, SessionLinks, SessionStatus as StatusView};
use jiff::{Timestamp, tz::TimeZone};

/// "Tue 1 Dec 2026" and "19:00–21:00", local to `zone`.
pub fn session_when(session: &Session, zone: &TimeZone) -> (String, String) {
    let start = session.starts_at.to_zoned_datetime(zone.clone());
    let end = session.ends_at.to_zoned_datetime(zone.clone());
    (
        start.strftime("%a %-d %b %Y").to_string(),
        format!("{}–{}", start.strftime("%H:%M"), end.strftime("%H:%M")),
    )
}

/// When something happens, as a person reads it from `now`, local to `zone`: "Today,
/// 19:00–21:30", "Tomorrow, 19:00–21:30", "Yesterday, …", "Thu 3 Dec, 19:00–21:30" for the
/// rest of the coming week, and the full date ("Tue 12 Jan 2027, 19:00–21:30") beyond it or
/// further back. Days are calendar days in `zone`, so 23:30 and 00:30 are a day apart.
pub fn relative_when(
    starts_at: Timestamp,
    ends_at: Timestamp,
    zone: &TimeZone,
    now: Timestamp,
) -> String {
    let start = starts_at.to_zoned_datetime(zone.clone());
    let end = ends_at.to_zoned_datetime(zone.clone());
    let today = now.to_zoned_datetime(zone.clone()).date();
    let day = match start.date().since(today).map(|span| span.get_days()) {
        Ok(0) => "Today".to_owned(),
        Ok(1) => "Tomorrow".to_owned(),
        Ok(-1) => "Yesterday".to_owned(),
        Ok(2..=6) => start.strftime("%a %-d %b").to_string(),
        _ => start.strftime("%a %-d %b %Y").to_string(),
    };
    format!(
        "{day}, {}–{}",
        start.strftime("%H:%M"),
        end.strftime("%H:%M")
    )
}

/// Every page an organizer reaches from a session: its own page, the public page and its full
/// address to share, the registrations table, the check-in list, the CSV and "Add someone".
pub fn session_links(base_url: &BaseUrl, series: &SeriesId, session: &SessionId) -> SessionLinks {
    let manage = format!("/jams/{series}/sessions/{session}");
    let public = format!("/s/{session}");
    SessionLinks {
        share_url: base_url.join(&public),
        registrations: format!("{manage}/registrations"),
        checkin: format!("{manage}/checkin"),
        csv: format!("{manage}/registrations.csv"),
        add: format!("{manage}/registrations#add-someone"),
        public,
        manage,
    }
}

/// The status as the views show it.
pub fn session_status(status: SessionStatus) -> StatusView {
    match status {
        SessionStatus::Scheduled => StatusView::Scheduled,
        SessionStatus::Cancelled => StatusView::Cancelled,
        SessionStatus::Completed => StatusView::Completed,
    }
}

/// Confirmed people against capacity, for bases and for flyers.
pub fn session_counts(session: &Session) -> (RoleCount, RoleCount) {
    (
        RoleCount {
            confirmed: session.confirmed_base,
            capacity: u32::from(session.capacity_base),
        },
        RoleCount {
            confirmed: session.confirmed_flyer,
            capacity: u32::from(session.capacity_flyer),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").unwrap()
    }

    /// A session from `start` lasting two and a half hours, read at `now`.
    fn when(start: &str, now: &str) -> String {
        let starts_at = at(start);
        let ends_at = starts_at + jiff::SignedDuration::from_mins(150);
        relative_when(starts_at, ends_at, &berlin(), at(now))
    }

    #[test]
    fn today_tomorrow_and_the_coming_week_read_as_words() {
        // Tue 1 Dec 2026, 10:00 in Berlin.
        let now = "2026-12-01T09:00:00Z";
        assert_eq!(when("2026-12-01T18:00:00Z", now), "Today, 19:00–21:30");
        assert_eq!(when("2026-12-02T18:00:00Z", now), "Tomorrow, 19:00–21:30");
        assert_eq!(when("2026-12-03T18:00:00Z", now), "Thu 3 Dec, 19:00–21:30");
        assert_eq!(when("2026-12-07T18:00:00Z", now), "Mon 7 Dec, 19:00–21:30");
        assert_eq!(when("2026-11-30T18:00:00Z", now), "Yesterday, 19:00–21:30");
    }

    #[test]
    fn beyond_a_week_or_further_back_the_full_date() {
        let now = "2026-12-01T09:00:00Z";
        assert_eq!(
            when("2026-12-08T18:00:00Z", now),
            "Tue 8 Dec 2026, 19:00–21:30"
        );
        assert_eq!(
            when("2027-01-12T18:00:00Z", now),
            "Tue 12 Jan 2027, 19:00–21:30"
        );
        assert_eq!(
            when("2026-11-24T18:00:00Z", now),
            "Tue 24 Nov 2026, 19:00–21:30"
        );
    }

    #[test]
    fn days_are_counted_in_the_series_zone_across_midnight() {
        // 23:30 on Tue 1 Dec in Berlin is 22:30 UTC; a session at 00:30 Berlin (23:30 UTC
        // the same UTC day) is already tomorrow there.
        let now = "2026-12-01T22:30:00Z";
        assert_eq!(when("2026-12-01T23:30:00Z", now), "Tomorrow, 00:30–03:00");
        // Ten minutes after midnight in Berlin, still Tuesday in UTC: the 19:00 session
        // that evening (Wednesday in Berlin) is today.
        let now = "2026-12-01T23:10:00Z";
        assert_eq!(when("2026-12-02T18:00:00Z", now), "Today, 19:00–21:30");
        assert_eq!(when("2026-12-01T18:00:00Z", now), "Yesterday, 19:00–21:30");
    }

    #[test]
    fn a_session_past_midnight_ends_on_the_next_day_clock() {
        let now = "2026-12-01T09:00:00Z";
        let starts_at = at("2026-12-01T21:00:00Z");
        let ends_at = at("2026-12-02T00:30:00Z");
        assert_eq!(
            relative_when(starts_at, ends_at, &berlin(), at(now)),
            "Today, 22:00–01:30"
        );
    }
}
