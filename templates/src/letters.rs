//! The worker's renderer: each letter the domain reads at send time becomes its email (HTML,
//! text, subject) and, for a confirmed spot, the session's calendar file as an attachment.

use jamie::{
    jams::series::Location,
    notifications::{Attachment, JamLetter, Letter, RenderedEmail, Renderer},
    outbox::{Kind, Lead},
};

use crate::{calendar_files, emails};

/// The emails of [`emails`], as the notification worker's [`Renderer`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Emails;

impl Renderer for Emails {
    fn email(&self, letter: &Letter<'_>) -> Option<RenderedEmail> {
        Some(match letter {
            Letter::SignInLink { url, valid_minutes } => plain(
                emails::SignInLink {
                    url,
                    valid_minutes: *valid_minutes,
                }
                .render(),
            ),
            Letter::EmailChange {
                url,
                new_email,
                valid_minutes,
            } => plain(
                emails::EmailChange {
                    url,
                    new_email: new_email.as_str(),
                    valid_minutes: *valid_minutes,
                }
                .render(),
            ),
            Letter::Invitation {
                url,
                series,
                inviter,
                valid_until,
                zone,
            } => plain(
                emails::Invitation {
                    url,
                    series,
                    inviter,
                    valid_until: *valid_until,
                    zone,
                }
                .render(),
            ),
            Letter::Jam(letter) => return jam_email(letter),
        })
    }
}

fn plain(email: emails::Email) -> RenderedEmail {
    RenderedEmail {
        subject: email.subject,
        html: email.html,
        text: email.text,
        attachments: Vec::new(),
    }
}

fn jam_email(letter: &JamLetter<'_>) -> Option<RenderedEmail> {
    let JamLetter {
        news,
        series,
        session,
        registration,
        position,
        links,
        now,
    } = letter;
    let zone = series.time_zone.clone();
    let place: &Location = session.location(series);
    let jam = || emails::Jam {
        series: &series.name,
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        zone: &zone,
        place: Some(place),
        note: &session.note,
        session_url: &links.session,
        calendar_url: &links.calendar,
    };
    let name = registration.name.as_str();
    let cancel_url = links.cancel.as_str();
    let hold = links.confirm.as_deref();
    // The role a spot is held in ("either" until promoted says which it got).
    let role = registration.role.unwrap_or_default();
    let (email, with_calendar) = match news {
        Kind::Confirmed { .. } => (
            emails::Confirmed {
                jam: jam(),
                name,
                role,
                cancel_url,
                hold,
            }
            .render(),
            true,
        ),
        Kind::Waitlisted { .. } => (
            emails::Waitlisted {
                jam: jam(),
                name,
                requested: registration.requested,
                position: position.map_or(1, |place| place as usize),
                cancel_url,
                hold,
            }
            .render(),
            false,
        ),
        Kind::Promoted { .. } => (
            emails::Promoted {
                jam: jam(),
                name,
                role,
                cancel_url,
                hold,
            }
            .render(),
            true,
        ),
        Kind::RoleChanged { .. } => (
            emails::RoleChanged {
                jam: jam(),
                name,
                role,
                cancel_url,
            }
            .render(),
            false,
        ),
        Kind::HoldReleased { .. } => (emails::HoldReleased { jam: jam(), name }.render(), false),
        Kind::RegistrationCancelled { .. } => (
            emails::Cancelled {
                jam: jam(),
                name,
                series_url: &links.series,
                by_organizers: registration.cancelled_by_organizers,
            }
            .render(),
            false,
        ),
        Kind::SessionChanged { before, .. } => {
            let before_place = Location {
                venue: before.venue.clone(),
                address: before.address.clone(),
                ..place.clone()
            };
            let moved_place =
                (&before_place.venue, &before_place.address) != (&place.venue, &place.address);
            (
                emails::SessionChanged {
                    jam: jam(),
                    name,
                    before_starts_at: before.starts_at,
                    before_ends_at: before.ends_at,
                    before_place: moved_place.then_some(&before_place),
                    cancel_url,
                }
                .render(),
                true,
            )
        }
        Kind::SessionCancelled { .. } => (
            emails::SessionCancelled {
                jam: jam(),
                name,
                reason: session.cancel_reason.as_deref().unwrap_or_default(),
                series_url: &links.series,
            }
            .render(),
            true,
        ),
        Kind::Reminder { lead, .. } => (
            emails::Reminder {
                jam: jam(),
                name,
                role,
                lead: match lead {
                    Lead::Day => emails::Lead::Day,
                    Lead::TwoHours => emails::Lead::TwoHours,
                },
                cancel_url,
            }
            .render(),
            false,
        ),
        Kind::OrganizerMessage { from, text, .. } => (
            emails::OrganizerMessage {
                jam: jam(),
                name,
                from,
                text,
                cancel_url: Some(cancel_url),
            }
            .render(),
            false,
        ),
        // Fan-outs are expanded, account emails are not jam letters: nothing to write.
        _ => return None,
    };
    let mut rendered = plain(email);
    if with_calendar {
        rendered.attachments.push(Attachment {
            name: calendar_files::session_file_name(
                &series.name,
                session.starts_at,
                &series.zone(),
            ),
            content_type: "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
            content: calendar_files::session_ics(
                session,
                &series.name,
                Some(place),
                &links.session,
                &links.host,
                *now,
            )
            .into_bytes(),
        });
    }
    Some(rendered)
}
