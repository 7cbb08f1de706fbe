//! How a jam session reads in every organizer view (series page, session page, dashboard,
//! calendar): its date and time in the series' zone, its status and its counts per role.

use jamie::{
    config::BaseUrl,
    ids::{SeriesId, SessionId},
    jams::sessions::Session,
};
use jamie_templates::{
    pages::jams::{RoleCount, SessionLinks},
    when,
};
use jiff::{Timestamp, tz::TimeZone};

/// "Tue 1 Dec 2026" and "19:00–21:00", local to `zone` ([`when::session`]).
pub fn session_when(session: &Session, zone: &TimeZone) -> (String, String) {
    when::session(session.starts_at, session.ends_at, zone)
}

/// "Today, 19:00–21:30", "Thu 3 Dec, 19:00–21:30", … read from `now` ([`when::relative`]).
pub fn relative_when(
    starts_at: Timestamp,
    ends_at: Timestamp,
    zone: &TimeZone,
    now: Timestamp,
) -> String {
    when::relative(starts_at, ends_at, zone, now)
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
