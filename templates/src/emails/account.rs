//! The emails about an account rather than a jam: the sign-in link, the confirmation of a new
//! address and the invitation to co-organize a series.

use super::{
    Email, EmailChange, Invitation, SignInLink,
    frame::{Block, Message, b, button, link, t},
};
use crate::when;

fn minutes(count: u32) -> String {
    match count {
        1 => "1 minute".to_owned(),
        n => format!("{n} minutes"),
    }
}

impl SignInLink<'_> {
    pub fn render(&self) -> Email {
        let lifetime = minutes(self.valid_minutes);
        Message {
            subject: "Your sign-in link for Jamie".to_owned(),
            preheader: format!("Tap to sign in. The link works once, for {lifetime}."),
            heading: "Sign in to Jamie".to_owned(),
            blocks: vec![
                Block::Para(vec![t("Tap the button to sign in. No password needed.")]),
                button("Sign in", self.url),
                Block::Small(vec![
                    t(format!("The link works once, for the next {lifetime}. ")),
                    t("If the button does not work, open this address: "),
                    link(self.url, self.url),
                ]),
            ],
            why: "You get this email because someone asked to sign in to Jamie with this address. \
                  If it wasn't you, ignore it: nobody can sign in without this link."
                .to_owned(),
        }
        .render()
    }
}

impl EmailChange<'_> {
    pub fn render(&self) -> Email {
        let lifetime = minutes(self.valid_minutes);
        Message {
            subject: "Confirm your new email address for Jamie".to_owned(),
            preheader: format!("Confirm {} as your Jamie address.", self.new_email),
            heading: "Confirm your new address".to_owned(),
            blocks: vec![
                Block::Para(vec![
                    t("Your Jamie account will use "),
                    b(self.new_email),
                    t(" once you confirm it. Until then, the old address stays in place."),
                ]),
                button("Confirm new address", self.url),
                Block::Small(vec![
                    t(format!("The link works once, for the next {lifetime}. ")),
                    t("If the button does not work, open this address: "),
                    link(self.url, self.url),
                ]),
            ],
            why: "You get this email because someone asked to move a Jamie account to this \
                  address. If it wasn't you, ignore it: nothing changes without this link."
                .to_owned(),
        }
        .render()
    }
}

impl Invitation<'_> {
    pub fn render(&self) -> Email {
        let until = when::moment_in_zone(self.valid_until, &self.zone.zone());
        Message {
            subject: format!(
                "{} invited you to co-organize {}",
                self.inviter, self.series
            ),
            preheader: format!(
                "Help run {} on Jamie. The invitation is open until {until}.",
                self.series
            ),
            heading: format!("Co-organize {}", self.series),
            blocks: vec![
                Block::Para(vec![
                    b(self.inviter),
                    t(" invited you to co-organize "),
                    b(self.series),
                    t(" on Jamie: schedule its sessions and manage who comes."),
                ]),
                button("Accept the invitation", self.url),
                Block::Small(vec![
                    t(format!("The invitation is open until {until}. ")),
                    t("No account yet? You can sign up on the invitation's page. "),
                    t("If the button does not work, open this address: "),
                    link(self.url, self.url),
                ]),
            ],
            why: format!(
                "You get this email because {} invited this address to co-organize {} on Jamie.",
                self.inviter, self.series
            ),
        }
        .render()
    }
}
