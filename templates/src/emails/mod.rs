//! The emails Jamie sends, each one data struct rendered as a subject, an HTML body and a plain
//! text body with the same content; the notification worker fills the structs from current data.
//!
//! `account` has the sign-in link, the email change and the co-organizer invitation;
//! `registration` what happens to one registration (confirmed, waitlisted, promoted, role
//! changed, cancelled, released unconfirmed); `session` what happens to a session its people hold a place in (changed,
//! cancelled, the reminder, an organizer's message). `frame` is the layout they share.

mod account;
mod frame;
mod registration;
pub mod samples;
mod session;

#[cfg(test)]
mod tests;

use jamie::{jams::series::Location, values::TimeZone};
use jiff::Timestamp;

/// A rendered email: what SES's Simple content takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    /// Table-laid, inline-styled HTML, well under Gmail's ~102 KB clipping.
    pub html: String,
    /// The same content as plain text, every link written out in full.
    pub text: String,
}

/// The jam an email is about, as it stands now (the worker reads current data).
#[derive(Clone, Copy, Debug)]
pub struct Jam<'a> {
    /// The series' name.
    pub series: &'a str,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// The series' zone: every time is shown in it, with its abbreviation ("19:00–21:30 CET").
    pub zone: &'a TimeZone,
    /// Venue and address, shown with a map link ([`Location::maps_url`]); `None` shows no place.
    pub place: Option<&'a Location>,
    /// The session's note ("" = none); its line breaks are kept.
    pub note: &'a str,
    /// The session's public page (absolute URL).
    pub session_url: &'a str,
    /// The session's `.ics` file (absolute URL), behind "Add to calendar".
    pub calendar_url: &'a str,
}

/// A magic link to sign in.
#[derive(Clone, Copy, Debug)]
pub struct SignInLink<'a> {
    pub url: &'a str,
    /// How long the link works.
    pub valid_minutes: u32,
}

/// The link that confirms a new address for an account; sent to the new address.
#[derive(Clone, Copy, Debug)]
pub struct EmailChange<'a> {
    pub url: &'a str,
    pub new_email: &'a str,
    /// How long the link works.
    pub valid_minutes: u32,
}

/// An invitation to co-organize a series.
#[derive(Clone, Copy, Debug)]
pub struct Invitation<'a> {
    /// The invitation's page, where it is accepted.
    pub url: &'a str,
    /// The series' name.
    pub series: &'a str,
    /// The display name of who invited.
    pub inviter: &'a str,
    pub valid_until: Timestamp,
    /// The series' zone, in which `valid_until` is shown.
    pub zone: &'a TimeZone,
}

/// A registration is confirmed: the person holds a spot as `role`.
#[derive(Clone, Copy, Debug)]
pub struct Confirmed<'a> {
    pub jam: Jam<'a>,
    /// The participant's name, as they gave it.
    pub name: &'a str,
    pub role: jamie::values::Role,
    /// The registration's secret cancel link.
    pub cancel_url: &'a str,
    /// While the spot is held until confirmed by email: the link that keeps it.
    pub hold: Option<&'a str>,
}

/// A registration is on the waitlist of the role(s) it asked for.
#[derive(Clone, Copy, Debug)]
pub struct Waitlisted<'a> {
    pub jam: Jam<'a>,
    pub name: &'a str,
    pub requested: jamie::values::RoleChoice,
    /// 1-based place in the role's queue ("2nd in line").
    pub position: usize,
    /// The registration's secret cancel link (leaves the waitlist).
    pub cancel_url: &'a str,
    /// While the place is held until confirmed by email: the link that keeps it.
    pub hold: Option<&'a str>,
}

/// A waitlisted registration got a freed spot as `role`.
#[derive(Clone, Copy, Debug)]
pub struct Promoted<'a> {
    pub jam: Jam<'a>,
    pub name: &'a str,
    pub role: jamie::values::Role,
    pub cancel_url: &'a str,
    /// While the registration is still held until confirmed by email: the link that keeps it.
    pub hold: Option<&'a str>,
}

/// A held registration was not confirmed in time and its spot (or place) was released.
#[derive(Clone, Copy, Debug)]
pub struct HoldReleased<'a> {
    pub jam: Jam<'a>,
    pub name: &'a str,
}

/// An organizer moved a confirmed registration to another role, now `role`.
#[derive(Clone, Copy, Debug)]
pub struct RoleChanged<'a> {
    pub jam: Jam<'a>,
    pub name: &'a str,
    pub role: jamie::values::Role,
    pub cancel_url: &'a str,
}

/// A registration was cancelled (by its person or an organizer).
#[derive(Clone, Copy, Debug)]
pub struct Cancelled<'a> {
    pub jam: Jam<'a>,
    pub name: &'a str,
    /// The series' public page, to find another session.
    pub series_url: &'a str,
    /// An organizer cancelled it, not the person.
    pub by_organizers: bool,
}

/// A session the person holds a place in moved in time and/or place; `jam` is the new state,
/// `before_*` the old one. Only what differs is shown as a change.
#[derive(Clone, Copy, Debug)]
pub struct SessionChanged<'a> {
    pub jam: Jam<'a>,
    pub name: &'a str,
    pub before_starts_at: Timestamp,
    pub before_ends_at: Timestamp,
    pub before_place: Option<&'a Location>,
    pub cancel_url: &'a str,
}

/// A session the person held a place in was cancelled by its organizers.
#[derive(Clone, Copy, Debug)]
pub struct SessionCancelled<'a> {
    pub jam: Jam<'a>,
    pub name: &'a str,
    /// The organizers' reason ("" = none given).
    pub reason: &'a str,
    /// The series' public page, to find another session.
    pub series_url: &'a str,
}

/// How long before the session a reminder goes out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lead {
    /// The day before ("tomorrow at 19:00").
    Day,
    /// Two hours before ("in 2 hours, at 19:00").
    TwoHours,
}

/// A reminder to someone with a spot.
#[derive(Clone, Copy, Debug)]
pub struct Reminder<'a> {
    pub jam: Jam<'a>,
    pub name: &'a str,
    pub role: jamie::values::Role,
    pub lead: Lead,
    pub cancel_url: &'a str,
}

/// An organizer's message to the people of a session.
#[derive(Clone, Copy, Debug)]
pub struct OrganizerMessage<'a> {
    pub jam: Jam<'a>,
    /// The recipient's name.
    pub name: &'a str,
    /// The organizer's display name.
    pub from: &'a str,
    /// What they wrote; line breaks are kept, links made clickable.
    pub text: &'a str,
    /// The recipient's cancel link, when they hold a spot or a waitlist place.
    pub cancel_url: Option<&'a str>,
}
