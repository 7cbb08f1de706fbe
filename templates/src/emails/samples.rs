//! Every email rendered from one realistic jam in Europe/Berlin, for the previews in
//! `docs/emails/` (`make email-previews`) and the emails' tests.

use jamie::{
    jams::series::Location,
    values::{Role, RoleChoice, TimeZone},
};
use jiff::Timestamp;

use super::{
    Cancelled, Confirmed, Email, EmailChange, HoldReleased, Invitation, Jam, Lead,
    OrganizerMessage, Promoted, Reminder, RoleChanged, SessionCancelled, SessionChanged,
    SignInLink, Waitlisted,
};

/// The data the samples borrow: a Berlin series with two places.
#[derive(Debug)]
pub struct Samples {
    /// Europe/Berlin.
    pub zone: TimeZone,
    /// Where the session is now.
    pub place: Location,
    /// Where it was before it moved.
    pub old_place: Location,
}

impl Default for Samples {
    fn default() -> Self {
        Self::new()
    }
}

/// The session starts at 18:00 UTC: 19:00 in Berlin.
pub const STARTS_AT: &str = "2026-12-06T18:00:00Z";
/// The session ends at 20:30 UTC: 21:30 in Berlin.
pub const ENDS_AT: &str = "2026-12-06T20:30:00Z";
/// Before it moved, the session started a day earlier, at 16:00 UTC (17:00 in Berlin).
pub const BEFORE_STARTS_AT: &str = "2026-12-05T16:00:00Z";
/// And ended at 18:00 UTC (19:00 in Berlin).
pub const BEFORE_ENDS_AT: &str = "2026-12-05T18:00:00Z";

fn at(text: &str) -> Timestamp {
    text.parse().expect("a sample timestamp")
}

impl Samples {
    pub fn new() -> Self {
        Self {
            zone: "Europe/Berlin".parse().expect("a known zone"),
            place: Location {
                venue: "Turnhalle am Mauerpark".to_owned(),
                address: "Schwedter Straße 90, 10437 Berlin".to_owned(),
                latitude: None,
                longitude: None,
                place_id: None,
            },
            old_place: Location {
                venue: "Studio Akrobatik".to_owned(),
                address: "Oranienstraße 25, 10999 Berlin".to_owned(),
                latitude: Some(52.501),
                longitude: Some(13.418),
                place_id: None,
            },
        }
    }

    /// The Sunday session: Sun 6 Dec 2026, 19:00–21:30 CET, with a note of two lines.
    pub fn jam(&self) -> Jam<'_> {
        Jam {
            series: "Sunday Acro Jam",
            starts_at: at(STARTS_AT),
            ends_at: at(ENDS_AT),
            zone: &self.zone,
            place: Some(&self.place),
            note: "Bring a mat if you have one.\nWe warm up together for the first 20 minutes.",
            session_url: "https://jamie.example/s/7kq2m9xw",
            calendar_url: "https://jamie.example/s/7kq2m9xw.ics",
        }
    }

    /// Every email, named as its preview file is (`confirmed` → `confirmed.png`), in the order
    /// a participant meets them.
    pub fn all(&self) -> Vec<(&'static str, Email)> {
        let jam = self.jam();
        let cancel_url = "https://jamie.example/cancel/Zx81Hq0fP2s";
        let confirm_url = "https://jamie.example/confirm/Rk27Vb5mQ9w";
        let series_url = "https://jamie.example/series/sunday-acro-jam";
        let name = "Alex";
        vec![
            (
                "sign-in",
                SignInLink {
                    url: "https://jamie.example/auth/magic/Qm3x9LwA7tP0",
                    valid_minutes: 15,
                }
                .render(),
            ),
            (
                "email-change",
                EmailChange {
                    url: "https://jamie.example/account/email/Ht5vB2kN8rY1",
                    new_email: "alex.new@example.org",
                    valid_minutes: 60,
                }
                .render(),
            ),
            (
                "invitation",
                Invitation {
                    url: "https://jamie.example/jams/invites/eyJzIjoiYWNybyJ9.Kp4",
                    series: jam.series,
                    inviter: "Maria Schulz",
                    valid_until: at("2026-12-03T21:00:00Z"),
                    zone: &self.zone,
                }
                .render(),
            ),
            (
                "confirmed",
                Confirmed {
                    jam,
                    name,
                    role: Role::Flyer,
                    cancel_url,
                    hold: None,
                }
                .render(),
            ),
            (
                "confirmed-held",
                Confirmed {
                    jam,
                    name,
                    role: Role::Flyer,
                    cancel_url,
                    hold: Some(confirm_url),
                }
                .render(),
            ),
            (
                "waitlisted",
                Waitlisted {
                    jam,
                    name,
                    requested: RoleChoice::Flyer,
                    position: 2,
                    cancel_url,
                    hold: None,
                }
                .render(),
            ),
            (
                "waitlisted-held",
                Waitlisted {
                    jam,
                    name,
                    requested: RoleChoice::Flyer,
                    position: 2,
                    cancel_url,
                    hold: Some(confirm_url),
                }
                .render(),
            ),
            (
                "promoted",
                Promoted {
                    jam,
                    name,
                    role: Role::Flyer,
                    cancel_url,
                    hold: None,
                }
                .render(),
            ),
            (
                "hold-released",
                HoldReleased { jam, name }.render(),
            ),
            (
                "role-changed",
                RoleChanged {
                    jam,
                    name,
                    role: Role::Base,
                    cancel_url,
                }
                .render(),
            ),
            (
                "cancelled",
                Cancelled {
                    jam,
                    name,
                    series_url,
                    by_organizers: false,
                }
                .render(),
            ),
            (
                "session-changed",
                SessionChanged {
                    jam,
                    name,
                    before_starts_at: at(BEFORE_STARTS_AT),
                    before_ends_at: at(BEFORE_ENDS_AT),
                    before_place: Some(&self.old_place),
                    cancel_url,
                }
                .render(),
            ),
            (
                "session-cancelled",
                SessionCancelled {
                    jam,
                    name,
                    reason: "The hall's heating is broken and it is 8 °C inside.\nSorry! See you next week.",
                    series_url,
                }
                .render(),
            ),
            (
                "reminder",
                Reminder {
                    jam,
                    name,
                    role: Role::Flyer,
                    lead: Lead::Day,
                    cancel_url,
                }
                .render(),
            ),
            (
                "reminder-2h",
                Reminder {
                    jam,
                    name,
                    role: Role::Flyer,
                    lead: Lead::TwoHours,
                    cancel_url,
                }
                .render(),
            ),
            (
                "organizer-message",
                OrganizerMessage {
                    jam,
                    name,
                    from: "Maria Schulz",
                    text: "Hi all!\nWe start 15 minutes late this Sunday: the hall is booked until 19:15.\n\nThe playlist is here: https://example.org/playlist",
                    cancel_url: Some(cancel_url),
                }
                .render(),
            ),
        ]
    }
}
