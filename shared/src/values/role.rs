//! The roles of an acro jam ([`Role`]: base or flyer), what a participant asks for
//! ([`RoleChoice`], either included), and a place on a session's waitlist ([`Waiter`]).

use serde::{Deserialize, Serialize};

use super::Email;
use crate::ids::RegistrationId;

/// A role a confirmed participant holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Base,
    Flyer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Base => "base",
            Role::Flyer => "flyer",
        }
    }
}

/// The role a participant asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleChoice {
    Base,
    Flyer,
    /// Whichever role has room (bases first); on the waitlist, whichever frees first.
    Either,
}

impl RoleChoice {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "base" => Some(RoleChoice::Base),
            "flyer" => Some(RoleChoice::Flyer),
            "either" => Some(RoleChoice::Either),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RoleChoice::Base => "base",
            RoleChoice::Flyer => "flyer",
            RoleChoice::Either => "either",
        }
    }

    /// The roles that satisfy this choice, in the order they are tried.
    pub fn roles(self) -> &'static [Role] {
        match self {
            RoleChoice::Base => &[Role::Base],
            RoleChoice::Flyer => &[Role::Flyer],
            RoleChoice::Either => &[Role::Base, Role::Flyer],
        }
    }

    /// The roles that satisfy this choice in the order a newcomer tries them, when an
    /// "either" takes `either_first` first.
    pub fn roles_from(self, either_first: Role) -> &'static [Role] {
        match (self, either_first) {
            (RoleChoice::Either, Role::Flyer) => &[Role::Flyer, Role::Base],
            _ => self.roles(),
        }
    }

    /// Whether a spot in `role` satisfies this choice.
    pub fn fits(self, role: Role) -> bool {
        self.roles().contains(&role)
    }
}

/// A place in a session's waitlist. The waitlist is kept on the session item, in the order
/// the registrations joined it (the order their transactions committed). Stored as one string,
/// `{id} {base|flyer|either} {email}` (addresses have no spaces): the session item stays small
/// and cheap to read and rewrite with hundreds waiting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Waiter {
    pub id: RegistrationId,
    pub requested: RoleChoice,
    /// Where the promotion email goes, so that promoting reads nothing more.
    pub email: Email,
}

impl From<Waiter> for String {
    fn from(waiter: Waiter) -> Self {
        format!(
            "{} {} {}",
            waiter.id,
            waiter.requested.as_str(),
            waiter.email.as_str()
        )
    }
}

impl TryFrom<String> for Waiter {
    type Error = String;

    fn try_from(stored: String) -> Result<Self, Self::Error> {
        let mut parts = stored.splitn(3, ' ');
        let waiter = (|| {
            Some(Waiter {
                id: parts.next()?.parse().ok()?,
                requested: RoleChoice::parse(parts.next()?)?,
                email: Email::parse(parts.next()?).ok()?,
            })
        })();
        waiter.ok_or_else(|| format!("not a waitlist place: {stored:?}"))
    }
}
