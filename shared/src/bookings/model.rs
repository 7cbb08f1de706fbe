//! What bookings are made of: a registration and its status, role and attendance, the form
//! a participant fills in, the errors an operation answers with, and what operations return.

use crate::Error;
use crate::authorization::Denied;
use crate::ids::{RegistrationId, SeriesId, SessionId, TokenHash, UserId};
use crate::jams::series::Series;
use crate::jams::sessions::{SeriesCopy, Session};
use crate::limits::ClientIp;
use crate::store::retry::DeadlinePassed;
use crate::store::{Entry, StoreError, Stored, keys};
use crate::values::{Email, Fields, FormErrors, Role, RoleChoice};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a registration stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}
/// The names of a role's counters on the session item.
pub(crate) trait CounterNames {
    fn confirmed_attribute(self) -> &'static str;
    fn capacity_attribute(self) -> &'static str;
}

impl CounterNames for Role {
    fn confirmed_attribute(self) -> &'static str {
        match self {
            Role::Base => "confirmed_base",
            Role::Flyer => "confirmed_flyer",
        }
    }

    fn capacity_attribute(self) -> &'static str {
        match self {
            Role::Base => "capacity_base",
            Role::Flyer => "capacity_flyer",
        }
    }
}

/// The name of a choice's waitlist counter on the session item.
pub(crate) fn waitlisted_attribute(choice: RoleChoice) -> &'static str {
    match choice {
        RoleChoice::Base => "waitlisted_base",
        RoleChoice::Flyer => "waitlisted_flyer",
        RoleChoice::Either => "waitlisted_either",
    }
}

impl RegistrationStatus {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "confirmed" => Some(RegistrationStatus::Confirmed),
            "waitlisted" => Some(RegistrationStatus::Waitlisted),
            "cancelled" => Some(RegistrationStatus::Cancelled),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Confirmed => "confirmed",
            RegistrationStatus::Waitlisted => "waitlisted",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }
}

/// A registration, as stored in its session's partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub id: RegistrationId,
    pub session_id: SessionId,
    pub series_id: SeriesId,
    pub name: String,
    pub email: Email,
    #[serde(default)]
    pub note: String,
    pub requested: RoleChoice,
    /// The role held while confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    pub status: RegistrationStatus,
    pub starts_at: Timestamp,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promoted_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<Timestamp>,
    /// Cancelled by an organizer of the series (not by its person, a link or a release).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cancelled_by_organizers: bool,
    pub cancel_hash: TokenHash,
    /// Entered by an organizer.
    #[serde(default)]
    pub manual: bool,
    /// Whether they came, as an organizer marked it after the session started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance: Option<Attendance>,
    /// Organizers' overrides (moves between roles, off the waitlist), oldest first: the audit
    /// trail.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moves: Vec<Move>,
    /// Held until then, waiting for its person to press the link in its email (series that
    /// confirm registrations by email); gone once confirmed. The jobs release it after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_until: Option<Timestamp>,
}

/// Whether a confirmed participant came.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Attended,
    NoShow,
}

impl Attendance {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "attended" => Some(Attendance::Attended),
            "no_show" => Some(Attendance::NoShow),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::Attended => "attended",
            Attendance::NoShow => "no_show",
        }
    }
}

/// An organizer's override of a registration, kept on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub at: Timestamp,
    pub by: UserId,
    pub by_name: String,
    /// What it was and what it became, as organizers read it: "waitlisted (flyer)",
    /// "confirmed as base".
    pub from: String,
    pub to: String,
}

/// A registration lives in its session's partition, in its person's index (GSI2) by the
/// start of its session, and while held in the holds index (GSI1, sparse) by when its hold ends.
impl Stored for Registration {
    fn entry(&self) -> Entry {
        let entry = Entry::new(keys::registration(&self.session_id, &self.id)).gsi2(
            keys::participant_index(&self.email),
            format!(
                "{}#{}",
                keys::sortable_time(self.starts_at),
                self.session_id
            ),
        );
        match self.held_until {
            Some(until) => entry.gsi1(
                keys::HOLDS_INDEX,
                keys::hold_sort_key(until, &self.session_id, &self.id),
            ),
            None => entry,
        }
    }
}

/// The (session, email) claim: one active registration per address.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct EmailClaim {
    pub(super) registration_id: RegistrationId,
}

/// The item behind a cancel link.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct CancelLink {
    pub(super) registration_id: RegistrationId,
}

/// What a participant (or an organizer for them) types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationInput {
    pub name: String,
    pub email: Email,
    pub requested: RoleChoice,
    pub note: String,
}

/// Who fills in a registration form; its messages speak to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filler {
    /// The participant, on the public page; `consent_required` asks them to agree.
    Participant { consent_required: bool },
    /// An organizer entering someone else ("Enter their name.").
    Organizer,
}

impl RegistrationInput {
    /// The public registration form: `name`, `email`, `role`, `note`, and `consent` when
    /// asked; the messages speak to the participant.
    pub fn parse(fields: &Fields<'_>, consent_required: bool) -> Result<Self, FormErrors> {
        Self::parse_as(fields, Filler::Participant { consent_required })
    }

    /// A registration form filled in by `filler`: the same checks, in words for them.
    pub fn parse_as(fields: &Fields<'_>, filler: Filler) -> Result<Self, FormErrors> {
        let organizer = filler == Filler::Organizer;
        let mut errors = FormErrors::default();
        let name = fields.text("name", 100, &mut errors);
        if name.is_empty() && !errors.has("name") {
            errors.add(
                "name",
                if organizer {
                    "Enter their name."
                } else {
                    "Tell the organizers your name."
                },
            );
        }
        if name.chars().any(char::is_control) {
            errors.add("name", "Use letters, spaces and punctuation only.");
        }
        if organizer && fields.get("email").is_empty() {
            errors.add("email", "Enter their email address.");
        }
        let email = fields.parse_with("email", Email::parse, &mut errors);
        let requested = RoleChoice::parse(fields.get("role"));
        if requested.is_none() {
            errors.add("role", "Choose base, flyer or either.");
        }
        let note = fields.text("note", 1000, &mut errors);
        let consent_required = matches!(
            filler,
            Filler::Participant {
                consent_required: true
            }
        );
        if consent_required && fields.get("consent") != "yes" {
            errors.add(
                "consent",
                "Please agree, so the organizers may see your registration.",
            );
        }
        match (email, requested) {
            (Some(email), Some(requested)) if !errors.any() => Ok(Self {
                name,
                email,
                requested,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// Why a booking operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    #[error("There is no such session.")]
    NotFound,
    #[error("Registration for this session is closed.")]
    Closed,
    #[error("This session is cancelled.")]
    SessionCancelled,
    #[error("This address is already registered for this session.")]
    AlreadyRegistered(RegistrationId),
    #[error("Please correct the form.")]
    Invalid(FormErrors),
    #[error("Too many people are registering at this moment; please try again.")]
    Busy,
    /// A limit on registrations is reached (the words say which; the web layer adds when).
    #[error("{0}")]
    TooMany(super::TooMany),
    /// The change does not apply to the registration as it stands (the message says why).
    #[error("{0}")]
    Refused(&'static str),
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Internal(#[from] Error),
}

impl From<StoreError> for BookingError {
    fn from(error: StoreError) -> Self {
        Self::Internal(error.into())
    }
}

/// A new registration with the secret cancel link (shown once, and emailed).
#[derive(Clone, Debug)]
pub struct Registered {
    pub registration: Registration,
    pub cancel_url: String,
    /// The cancel link's token, `{session}.{registration}.{secret}`: the result page's address
    /// is made of it too ([`Registered::result_path`]).
    pub(super) token: String,
    /// Its place in the waitlist of its role, when waitlisted.
    pub position: Option<u32>,
    /// The session as read for the registration, and what it keeps of its series.
    pub session: Session,
    pub series: SeriesCopy,
}

impl Registered {
    /// The private page that shows this registration's result for as long as it is opened:
    /// `/s/{session}/registered/{registration}.{secret}`, the cancel link's token in another
    /// place. It proves what the cancel link proves and is checked the same way ([`by_link`]),
    /// so it stores no new secret.
    pub fn result_path(&self) -> String {
        let rest = self
            .token
            .split_once('.')
            .map_or(self.token.as_str(), |(_, rest)| rest);
        format!("/s/{}/registered/{rest}", self.registration.session_id)
    }
}

/// The cancel link's token that a result page's address (`/s/{session}/registered/{rest}`)
/// stands for; [`by_link`] checks it.
pub fn token_of_result(session: &str, rest: &str) -> String {
    format!("{session}.{rest}")
}

impl From<DeadlinePassed> for BookingError {
    fn from(_: DeadlinePassed) -> Self {
        Self::Busy
    }
}

/// What confirming a held registration did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// Confirmed now: the spot (or the waitlist place) is kept.
    Now,
    /// It was confirmed before (or never needed confirming).
    Already,
    /// Too late: the hold ran out and the registration was released (or it was cancelled).
    Released,
}

/// How a new registration is entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// By the participant, on the public page (or in Telegram), from `client` (whose
    /// registrations are limited per session and per hour).
    Public { client: ClientIp },
    /// By an organizer of the session's series (`by` proves it was checked); `over_capacity`
    /// confirms even when the role is full.
    Manual {
        by: OrganizerProof,
        over_capacity: bool,
    },
}

/// Proof that the acting user may run the registrations of one series
/// ([`Operation::ManageRegistrations`](crate::authorization::Operation)): only the check in
/// this module makes one, so nobody enters someone by hand, or over capacity, without it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganizerProof {
    pub(super) series: SeriesId,
    /// The organizer checked (whose entries by hand are limited per hour).
    pub(super) user: UserId,
}

/// What cancelling did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cancelled {
    /// Cancelled now; `promoted` took the freed spot.
    Now { promoted: Option<RegistrationId> },
    /// It was cancelled before (cancelling is idempotent).
    Already,
}

/// A registration reached through its cancel link.
#[derive(Clone, Debug)]
pub struct LinkedRegistration {
    pub registration: Registration,
    pub session: Session,
    pub series: SeriesCopy,
    pub position: Option<u32>,
}

/// A session as its public page shows it.
#[derive(Clone, Debug)]
pub struct PublicSession {
    pub session: Session,
    pub series: Series,
}
