//! How a jam session reads in every organizer view (series page, session page, dashboard,
//! calendar): its date and time in the series' zone, its status and its counts per role.

use jamie::jams::sessions::{Session, SessionStatus};
use jamie_templates::pages::jams::{RoleCount, SessionStatus as StatusView};
use jiff::tz::TimeZone;

/// "Tue 1 Dec 2026" and "19:00–21:00", local to `zone`.
pub fn session_when(session: &Session, zone: &TimeZone) -> (String, String) {
    let start = session.starts_at.to_zoned_datetime(zone.clone());
    let end = session.ends_at.to_zoned_datetime(zone.clone());
    (
        start.strftime("%a %-d %b %Y").to_string(),
        format!("{}–{}", start.strftime("%H:%M"), end.strftime("%H:%M")),
    )
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
