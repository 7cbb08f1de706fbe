//! The CSV export of a session's registrations, written through the `csv` crate: a BOM for
//! Excel, RFC 4180 quoting, and formulas defused.

use super::{Attendance, BookingError, Registration, TableFilter, of_session, positions};
use crate::authorization::Principal;
use crate::ids::{SeriesId, SessionId};
use crate::jams::series::Series;
use crate::jams::sessions::Session;
use crate::values::Role;
use crate::{Context, Error};

/// The registrations of a session that pass `filter` (all of them with the default filter),
/// in the order they were made, for the export.
pub async fn export(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    filter: &TableFilter,
) -> Result<(Series, Session, Vec<Registration>), BookingError> {
    let (series, session, mut registrations) =
        of_session(ctx, principal, series_id, session_id).await?;
    registrations.retain(|registration| filter.matches(registration));
    Ok((series, session, registrations))
}

/// The export's file name: `registrations-{series}-{day}.csv`, the series' name made of ASCII
/// letters, digits and dashes only (so no browser or header mangles it), `day` as given
/// (`2027-03-16`).
pub fn csv_file_name(series_name: &str, day: &str) -> String {
    let mut slug = String::new();
    for c in series_name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let day: String = day
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    if slug.is_empty() {
        format!("registrations-{day}.csv")
    } else {
        format!("registrations-{slug}-{day}.csv")
    }
}

/// The CSV of a session's registrations: UTF-8 with a byte-order mark (so Excel reads it as
/// UTF-8), RFC 4180 quoting and line ends (the `csv` crate's writer), and cells that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage
/// return) prefixed with `'`. "Registered at" is ISO 8601 in the series' time zone, with its
/// offset (`2027-03-10T13:00:00+01:00`).
pub fn to_csv(
    session: &Session,
    registrations: &[Registration],
    zone: &jiff::tz::TimeZone,
) -> Result<String, Error> {
    /// A cell a spreadsheet shows as text, never runs.
    fn defused(value: &str) -> String {
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{value}")
        } else {
            value.to_owned()
        }
    }
    let failed = |e: csv::Error| Error::failed("writing the CSV export", e);
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    writer
        .write_record([
            "Name",
            "Email",
            "Asked for",
            "Role",
            "Status",
            "Waitlist position",
            "Attendance",
            "Registered at",
            "Note",
            "Entered by organizer",
        ])
        .map_err(failed)?;
    let positions = positions(session);
    for registration in registrations {
        let row = [
            registration.name.clone(),
            registration.email.as_str().to_owned(),
            registration.requested.as_str().to_owned(),
            registration.role.map(Role::as_str).unwrap_or("").to_owned(),
            registration.status.as_str().to_owned(),
            positions
                .iter()
                .find(|(id, _)| *id == registration.id)
                .map(|(_, position)| position.to_string())
                .unwrap_or_default(),
            match registration.attendance {
                Some(Attendance::Attended) => "attended",
                Some(Attendance::NoShow) => "no-show",
                None => "",
            }
            .to_owned(),
            registration
                .created_at
                .to_zoned_datetime(zone.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
            registration.note.clone(),
            if registration.manual { "yes" } else { "no" }.to_owned(),
        ];
        writer
            .write_record(row.iter().map(|value| defused(value)))
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::failed("writing the CSV export", e.into_error()))?;
    String::from_utf8(bytes).map_err(|e| Error::failed("writing the CSV export", e))
}
