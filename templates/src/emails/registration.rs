//! The emails about one registration: confirmed, waitlisted (with its place in the role's
//! queue; either asking to confirm a held one), promoted, moved, cancelled and released.

use jamie::values::RoleChoice;

use super::{
    Cancelled, Confirmed, Email, HoldReleased, Promoted, RoleChanged, Waitlisted,
    frame::{Block, Message, b, button, cancel, hello, jam, link, registered_why, subject_jam, t},
};
use crate::{components::ordinal, when};

/// The blocks that ask to keep a held spot or place: what happens without a press, and the
/// button that keeps it.
fn keep(url: &str, what: &str) -> [Block; 2] {
    [
        Block::Para(vec![
            b(format!(
                "Press the button within 30 minutes to keep your {what}."
            )),
            t(" If you don't, it goes to someone else and you'd need to register again."),
        ]),
        button(&format!("Keep my {what}"), url),
    ]
}

/// "Sun 7 Dec 2026, 19:00–21:30 CET".
fn session_line(jam: &super::Jam<'_>) -> String {
    when::session_in_zone(jam.starts_at, jam.ends_at, &jam.zone.zone())
}

impl Confirmed<'_> {
    pub fn render(&self) -> Email {
        let role = self.role.as_str();
        if let Some(url) = self.hold {
            return Message {
                subject: format!("Press to keep your spot: {}", subject_jam(&self.jam)),
                preheader: format!(
                    "Your spot as {role} is held for 30 minutes: press the link to keep it."
                ),
                heading: format!("Keep your spot as {role}"),
                blocks: [Block::Para(vec![
                    hello(self.name),
                    t("a spot as "),
                    b(role),
                    t(" at "),
                    b(self.jam.series),
                    t(" is held for you."),
                ])]
                .into_iter()
                .chain(keep(url, "spot"))
                .chain([
                    jam(&self.jam, &[("Session page", self.jam.session_url)]),
                    cancel(self.cancel_url, "Can't come? ", " to let the spot go now."),
                ])
                .collect(),
                why: registered_why(self.jam.series),
            }
            .render();
        }
        Message {
            subject: format!("You're in: {}", subject_jam(&self.jam)),
            preheader: format!(
                "Your spot as {role} is confirmed for {}.",
                session_line(&self.jam)
            ),
            heading: format!("You're in as {role}"),
            blocks: vec![
                Block::Para(vec![
                    hello(self.name),
                    t("your spot at "),
                    b(self.jam.series),
                    t(" is confirmed. See you there!"),
                ]),
                jam(&self.jam, &[("Session page", self.jam.session_url)]),
                button("Add to calendar", self.jam.calendar_url),
                cancel(
                    self.cancel_url,
                    "Can't come? ",
                    " so someone else can have your spot.",
                ),
            ],
            why: registered_why(self.jam.series),
        }
        .render()
    }
}

/// "a flyer spot", "a base or flyer spot".
fn wanted(choice: RoleChoice) -> &'static str {
    match choice {
        RoleChoice::Base => "a base spot",
        RoleChoice::Flyer => "a flyer spot",
        RoleChoice::Either => "a base or flyer spot",
    }
}

impl Waitlisted<'_> {
    pub fn render(&self) -> Email {
        let place = ordinal(self.position);
        let full = match self.requested {
            RoleChoice::Base => " is full for bases right now, so you're on the waitlist: ",
            RoleChoice::Flyer => " is full for flyers right now, so you're on the waitlist: ",
            RoleChoice::Either => " is full right now, so you're on the waitlist: ",
        };
        let which = match self.requested {
            RoleChoice::Either => "in whichever role frees first",
            _ => "automatically",
        };
        Message {
            subject: match self.hold {
                Some(_) => format!("Press to keep your waitlist place: {}", subject_jam(&self.jam)),
                None => format!("Waitlist: you're {place} in line for {}", subject_jam(&self.jam)),
            },
            preheader: match self.hold {
                Some(_) => format!(
                    "You're {place} in line for {}: press the link within 30 minutes to keep your place.",
                    wanted(self.requested)
                ),
                None => format!(
                    "You're {place} in line for {}. We'll email you the moment one frees.",
                    wanted(self.requested)
                ),
            },
            heading: format!("You're {place} in line for {}", wanted(self.requested)),
            blocks: vec![
                Block::Para(vec![
                    hello(self.name),
                    b(self.jam.series),
                    t(full),
                    b(format!("{place} in line")),
                    t(format!(" for {}.", wanted(self.requested))),
                ]),
            ]
            .into_iter()
            .chain(match self.hold {
                Some(url) => keep(url, "place").into(),
                None => vec![
                    Block::Para(vec![t(format!(
                        "When a spot frees up you get it {which}, and we'll email you the moment it happens. \
                         You don't need to do anything until then."
                    ))]),
                ],
            })
            // One main button: a held place's is "Keep my place", so the session is a link.
            .chain(match self.hold {
                Some(_) => vec![jam(&self.jam, &[("Session page", self.jam.session_url)])],
                None => vec![
                    jam(&self.jam, &[]),
                    button("See the session", self.jam.session_url),
                ],
            })
            .chain([cancel(
                self.cancel_url,
                "Can't come after all? ",
                " to leave the waitlist.",
            )])
            .collect(),
            why: registered_why(self.jam.series),
        }
        .render()
    }
}

impl Promoted<'_> {
    pub fn render(&self) -> Email {
        let role = self.role.as_str();
        // A held registration keeps the spot only once the link is pressed: the subject and
        // heading say so before anything else.
        let (subject, preheader, heading) = match self.hold {
            Some(_) => (
                format!(
                    "A spot freed up: press to keep it as {role} for {}",
                    subject_jam(&self.jam)
                ),
                "You moved up from the waitlist: press the button within 30 minutes to keep the spot."
                    .to_owned(),
                format!("A spot freed up: press to keep it as {role}"),
            ),
            None => (
                format!(
                    "A spot freed up: you're in as {role} for {}",
                    subject_jam(&self.jam)
                ),
                format!(
                    "You moved up from the waitlist: see you on {}.",
                    session_line(&self.jam)
                ),
                format!("A spot freed up: you're in as {role}"),
            ),
        };
        Message {
            subject,
            preheader,
            heading,
            blocks: vec![Block::Para(vec![
                hello(self.name),
                t("good news: a spot freed up at "),
                b(self.jam.series),
                t(" and you moved up from the waitlist"),
                t(match self.hold {
                    Some(_) => ", as ",
                    None => ". You're in as ",
                }),
                b(role),
                t("."),
            ])]
            .into_iter()
            .chain(self.hold.into_iter().flat_map(|url| keep(url, "spot")))
            .chain([
                jam(&self.jam, &[("Session page", self.jam.session_url)]),
                button("Add to calendar", self.jam.calendar_url),
                cancel(
                    self.cancel_url,
                    "Can't make it now? ",
                    " so the next person in line gets your spot.",
                ),
            ])
            .collect(),
            why: registered_why(self.jam.series),
        }
        .render()
    }
}

impl RoleChanged<'_> {
    pub fn render(&self) -> Email {
        let role = self.role.as_str();
        Message {
            subject: format!("You're now a {role}: {}", subject_jam(&self.jam)),
            preheader: format!(
                "The organizers moved your registration to {role}. Your spot stays confirmed."
            ),
            heading: format!("You're now registered as {role}"),
            blocks: vec![
                Block::Para(vec![
                    hello(self.name),
                    t("the organizers of "),
                    b(self.jam.series),
                    t(" moved your registration to "),
                    b(role),
                    t(". Your spot stays confirmed."),
                ]),
                jam(&self.jam, &[("Add to calendar", self.jam.calendar_url)]),
                button("See the session", self.jam.session_url),
                cancel(
                    self.cancel_url,
                    "Can't come? ",
                    " so someone else can have your spot.",
                ),
            ],
            why: registered_why(self.jam.series),
        }
        .render()
    }
}

impl Cancelled<'_> {
    pub fn render(&self) -> Email {
        Message {
            subject: format!("Registration cancelled: {}", subject_jam(&self.jam)),
            preheader: if self.by_organizers {
                format!(
                    "The organizers cancelled your registration for {}.",
                    session_line(&self.jam)
                )
            } else {
                format!(
                    "You're no longer registered for {}. Nothing else to do.",
                    session_line(&self.jam)
                )
            },
            heading: "Your registration is cancelled".to_owned(),
            blocks: vec![
                Block::Para(if self.by_organizers {
                    vec![
                        hello(self.name),
                        t("the organizers of "),
                        b(self.jam.series),
                        t(" cancelled your registration for this session. You don't need to do anything else."),
                    ]
                } else {
                    vec![
                        hello(self.name),
                        t("your registration for "),
                        b(self.jam.series),
                        t(" is cancelled. You don't need to do anything else."),
                    ]
                }),
                jam(&self.jam, &[]),
                button("Find another session", self.series_url),
                Block::Small(vec![
                    t("Changed your mind? You can register again on "),
                    link("the session's page", self.jam.session_url),
                    t(" while it has room."),
                ]),
            ],
            why: registered_why(self.jam.series),
        }
        .render()
    }
}

impl HoldReleased<'_> {
    pub fn render(&self) -> Email {
        Message {
            subject: format!("Your spot was released: {}", subject_jam(&self.jam)),
            preheader: "It wasn't confirmed within 30 minutes. Register again if you still want to come."
                .to_owned(),
            heading: "Your spot was released".to_owned(),
            blocks: vec![
                Block::Para(vec![
                    hello(self.name),
                    t("your registration for "),
                    b(self.jam.series),
                    t(" was released because it wasn't confirmed within 30 minutes, so the spot went to someone else."),
                ]),
                Block::Para(vec![t(
                    "Still want to come? Register again on the session's page while it has room, and press the link in the email that follows.",
                )]),
                jam(&self.jam, &[]),
                button("Register again", self.jam.session_url),
            ],
            why: registered_why(self.jam.series),
        }
        .render()
    }
}
