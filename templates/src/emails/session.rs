//! The emails about a session to everyone holding a place in it: it changed (old → new, only
//! what changed), it was cancelled (with the reason), the reminder, and an organizer's message.

use super::{
    Email, Lead, OrganizerMessage, Reminder, SessionCancelled, SessionChanged,
    frame::{
        Block, Change, Message, b, button, cancel, hello, jam, place_line, registered_why,
        subject_jam, t,
    },
};
use crate::when;

impl SessionChanged<'_> {
    pub fn render(&self) -> Email {
        let zone = self.jam.zone.zone();
        let jam_now = &self.jam;
        let before_time = when::session_in_zone(self.before_starts_at, self.before_ends_at, &zone);
        let after_time = when::session_in_zone(jam_now.starts_at, jam_now.ends_at, &zone);
        let (before_place, after_place) =
            (place_line(self.before_place), place_line(jam_now.place));
        let mut changes = Vec::new();
        if before_time != after_time {
            changes.push(Change {
                label: "When",
                before: before_time,
                after: after_time,
            });
        }
        let moved_place = before_place != after_place;
        if moved_place {
            changes.push(Change {
                label: "Where",
                before: before_place,
                after: after_place.clone(),
            });
        }
        let moved_time = changes.first().is_some_and(|change| change.label == "When");
        let series = jam_now.series;
        let (subject, heading) = match (moved_time, moved_place) {
            (true, true) => (
                format!("New time and place: {}", subject_jam(jam_now)),
                format!("{series} has a new time and place"),
            ),
            (true, false) => (
                format!("New time: {}", subject_jam(jam_now)),
                format!("{series} has a new time"),
            ),
            (false, true) => (
                format!("New place: {}, now at {after_place}", subject_jam(jam_now)),
                format!("{series} has a new place"),
            ),
            (false, false) => (
                format!("Session updated: {}", subject_jam(jam_now)),
                format!("{series} was updated"),
            ),
        };
        let preheader = match changes.first() {
            Some(change) => format!("{}: now {}.", change.label, change.after),
            None => "The organizers updated the session; its details are inside.".to_owned(),
        };
        let mut blocks = vec![Block::Para(vec![
            hello(self.name),
            t("the organizers changed "),
            b(series),
            t(if changes.is_empty() {
                ", which you're registered for. Here it is as it stands now."
            } else {
                ", which you're registered for. Here is what changed:"
            }),
        ])];
        if !changes.is_empty() {
            blocks.push(Block::Changes(changes));
        }
        if moved_time {
            blocks.push(jam(jam_now, &[("Session page", jam_now.session_url)]));
            blocks.push(button("Update your calendar", jam_now.calendar_url));
        } else {
            blocks.push(jam(jam_now, &[("Add to calendar", jam_now.calendar_url)]));
            blocks.push(button("See the session", jam_now.session_url));
        }
        blocks.push(cancel(
            self.cancel_url,
            "Doesn't work for you any more? ",
            " so someone else can have your place.",
        ));
        Message {
            subject,
            preheader,
            heading,
            blocks,
            why: registered_why(series),
        }
        .render()
    }
}

impl SessionCancelled<'_> {
    pub fn render(&self) -> Email {
        let zone = self.jam.zone.zone();
        let day = when::day(when::local(self.jam.starts_at, &zone).date());
        let reason = self.reason.trim();
        let mut blocks = vec![Block::Para(vec![
            hello(self.name),
            t("the organizers cancelled "),
            b(self.jam.series),
            t(format!(
                " on {day}. Your registration is cancelled with it; you don't need to do anything."
            )),
        ])];
        if !reason.is_empty() {
            blocks.push(Block::Quote {
                by: "Their reason".to_owned(),
                text: reason.to_owned(),
            });
        }
        blocks.push(jam(&self.jam, &[]));
        blocks.push(button("Find another session", self.series_url));
        Message {
            subject: format!("Cancelled: {}", subject_jam(&self.jam)),
            preheader: if reason.is_empty() {
                "The organizers cancelled this session.".to_owned()
            } else {
                format!("The organizers cancelled this session: {reason}")
            },
            heading: format!("{} on {day} is cancelled", self.jam.series),
            blocks,
            why: registered_why(self.jam.series),
        }
        .render()
    }
}

impl Reminder<'_> {
    pub fn render(&self) -> Email {
        let zone = self.jam.zone.zone();
        let start = when::local(self.jam.starts_at, &zone);
        let time = when::time(start.time());
        let date = when::date(start.date());
        let role = self.role.as_str();
        let series = self.jam.series;
        let (subject, heading, soon) = match self.lead {
            Lead::Day => (
                format!("Tomorrow at {time}: {series}"),
                format!("See you tomorrow at {time}"),
                format!(" is tomorrow, {date}, at {time}, and you have a spot as "),
            ),
            Lead::TwoHours => (
                format!("In 2 hours: {series} at {time}"),
                format!("See you in 2 hours, at {time}"),
                format!(" starts in 2 hours, at {time}, and you have a spot as "),
            ),
        };
        Message {
            subject,
            preheader: format!(
                "Your spot as {role} at {series}. Can't come? Free it for the next person."
            ),
            heading,
            blocks: vec![
                Block::Para(vec![
                    hello(self.name),
                    t("a reminder: "),
                    b(series),
                    t(soon),
                    b(role),
                    t("."),
                ]),
                jam(&self.jam, &[("Add to calendar", self.jam.calendar_url)]),
                button("See the session", self.jam.session_url),
                cancel(
                    self.cancel_url,
                    "Can't come? Free your spot for the next person: ",
                    ".",
                ),
            ],
            why: registered_why(series),
        }
        .render()
    }
}

impl OrganizerMessage<'_> {
    pub fn render(&self) -> Email {
        let series = self.jam.series;
        let first_line = self.text.lines().find(|line| !line.trim().is_empty());
        let mut blocks = vec![
            Block::Para(vec![
                hello(self.name),
                b(self.from),
                t(" wrote to the people registered for "),
                b(series),
                t(":"),
            ]),
            Block::Quote {
                by: format!("From {}", self.from),
                text: self.text.trim().to_owned(),
            },
            jam(&self.jam, &[]),
            button("See the session", self.jam.session_url),
        ];
        if let Some(url) = self.cancel_url {
            blocks.push(cancel(
                url,
                "Can't come? ",
                " so someone else can have your place.",
            ));
        }
        Message {
            subject: format!("Message from {}: {}", self.from, subject_jam(&self.jam)),
            preheader: first_line.unwrap_or_default().trim().to_owned(),
            heading: format!("A message about {series}"),
            blocks,
            why: format!(
                "You get this email because you registered for {series} on Jamie and {} \
                 wrote to the people registered for this session.",
                self.from
            ),
        }
        .render()
    }
}
