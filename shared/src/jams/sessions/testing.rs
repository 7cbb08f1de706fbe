//! What the sessions' unit tests share: a series and a session of it, built as the forms
//! and the scheduling build them.

use super::*;
use crate::{ids::UserId, jams::series::SeriesDetails};

/// Wednesday 10 March 2027, noon UTC (13:00 in Berlin, before the clocks go forward).
pub fn march() -> Timestamp {
    "2027-03-10T12:00:00Z".parse().unwrap()
}

pub fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// Tuesdays at 19:00 in Berlin for two hours, 10 bases and 8 flyers, free.
pub fn series() -> Series {
    let fields = form(&[
        ("name", "Tuesday Jam"),
        ("venue", "Studio Nord"),
        ("cost_kind", "free"),
        ("capacity_base", "10"),
        ("capacity_flyer", "8"),
        ("weekday", "tue"),
        ("start_time", "19:00"),
        ("duration_minutes", "120"),
        ("time_zone", "Europe/Berlin"),
        ("visibility", "public"),
    ]);
    SeriesDetails::parse(&Fields(&fields)).unwrap().into_series(
        SeriesId::generate(),
        UserId::generate(),
        march(),
    )
}

/// A scheduled session of `series` from `starts_at` to `ends_at`, with its capacities.
pub fn session(series: &Series, starts_at: &str, ends_at: &str) -> Session {
    Session {
        id: SessionId::generate(),
        series_id: series.id.clone(),
        starts_at: starts_at.parse().unwrap(),
        ends_at: ends_at.parse().unwrap(),
        capacity_base: series.capacity_base,
        capacity_flyer: series.capacity_flyer,
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
        series: Some(series.copy()),
        sequence: 0,
        created_at: march(),
    }
}
