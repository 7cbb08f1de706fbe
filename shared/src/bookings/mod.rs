//! Bookings: registrations for a session, per-role capacity, the FIFO waitlist and automatic
//! promotion, secret cancel links. Every rule of ARCHITECTURE §4 is kept by the conditions of
//! one transaction per change, never by a read alone:
//!
//! - A registration is one TransactWriteItems: the session's counters (under a condition that
//!   decides confirmed or waitlisted), the registration, the (session, email) claim, the
//!   cancel link and the outbox email. Confirming needs `confirmed < capacity` and nobody
//!   waiting for that role; waitlisting needs the role closed to newcomers and appends the
//!   registration to the waitlist kept on the session item (`list_append`), so waitlist order
//!   is the order in which those transactions commit, and people joining together do not
//!   conflict.
//! - Cancelling a confirmed spot promotes the earliest waitlisted registration that fits the
//!   freed role in the same transaction, removing it from the session's waitlist under the
//!   condition that it is still at the place read; a spot is given back only under the
//!   condition that the waitlist counts are those read (so nobody joins the waitlist unseen).
//! - Registering and cancelling read one item (or one BatchGetItem) before their transaction.
//! - A lost race is retried from a fresh read, with jittered backoff.

mod manage;
mod mine;
mod sweep;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

pub use manage::{
    CancelPreview, Detail, add_back, cancel_preview, mark_attendance, move_registration, named,
    registration_detail,
};
pub use mine::{MyRegistration, cancel_mine, mine};
pub use sweep::{SweepReport, Swept, sweep, sweep_session};

use crate::{
    Context, Error,
    authorization::{Denied, Operation, Principal},
    ids::{RegistrationId, SecretToken, SeriesId, SessionId, TokenHash, UserId},
    jams::{
        series::{self, Series},
        sessions::{SeriesCopy, Session, SessionStatus},
    },
    notifications::{Message, Notification},
    store::{
        Change, Condition, Entry, Query, StoreError, Value, keys,
        retry::{DeadlinePassed, Retry},
    },
    values::{Email, Fields, FormErrors, Role, RoleChoice, Waiter},
};

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

fn registration_entry(registration: &Registration) -> Entry {
    Entry::new(keys::registration(
        &registration.session_id,
        &registration.id,
    ))
    .gsi2(
        keys::participant_index(registration.email.as_str()),
        format!(
            "{}#{}",
            keys::sortable_time(registration.starts_at),
            registration.session_id
        ),
    )
}

/// The (session, email) claim: one active registration per address.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct EmailClaim {
    registration_id: RegistrationId,
}

/// The item behind a cancel link.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct CancelLink {
    registration_id: RegistrationId,
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
    token: String,
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

/// The attempts of a booking operation: retried after a lost race until
/// [`Config::race_deadline`](crate::Config), then [`BookingError::Busy`].
pub(crate) fn retry(ctx: &Context) -> Retry {
    Retry::within(ctx.config.race_deadline)
}

impl From<DeadlinePassed> for BookingError {
    fn from(_: DeadlinePassed) -> Self {
        Self::Busy
    }
}

/// The session's partition: the session and its registrations, in one strongly consistent
/// query (email claims and cancel links are filtered out in the store). For the organizers'
/// whole-session views and the sweep; bookings read single items.
struct Partition {
    session: Session,
    registrations: Vec<Registration>,
}

/// Items of a session partition, whatever their kind.
#[derive(Deserialize)]
struct AnyItem {
    #[serde(rename = "SK")]
    sk: String,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

async fn read_partition(ctx: &Context, session: &SessionId) -> Result<Option<Partition>, Error> {
    let pk = keys::session(session).pk;
    let mut found_session = None;
    let mut registrations = Vec::new();
    let mut start = None;
    loop {
        let mut query = Query::table(&pk);
        query.start = start.take();
        // The session and the registrations carry a status; claims and links do not.
        query.filter = Some(Condition::new("attribute_exists(#status)").name("#status", "status"));
        let page = ctx.store.query::<AnyItem>(query).await?;
        for item in page.items {
            let value = serde_json::Value::Object(item.rest);
            if item.sk == "SESSION" {
                found_session = Some(
                    serde_json::from_value::<Session>(value)
                        .map_err(|e| Error::failed("reading a session item", e))?,
                );
            } else if item.sk.starts_with("REG#") {
                registrations.push(
                    serde_json::from_value::<Registration>(value)
                        .map_err(|e| Error::failed("reading a registration item", e))?,
                );
            }
        }
        match page.next {
            Some(next) => start = Some(next),
            None => break,
        }
    }
    Ok(found_session.map(|session| Partition {
        session,
        registrations,
    }))
}

/// Whether `session` takes registrations at `now`.
pub fn is_open(session: &Session, now: Timestamp) -> Result<(), BookingError> {
    match session.status {
        SessionStatus::Cancelled => return Err(BookingError::SessionCancelled),
        SessionStatus::Completed => return Err(BookingError::Closed),
        SessionStatus::Scheduled => {}
    }
    let closes = session
        .starts_at
        .saturating_sub(SignedDuration::from_mins(i64::from(
            session.closes_minutes_before,
        )))
        .unwrap_or(session.starts_at);
    if now >= closes {
        return Err(BookingError::Closed);
    }
    Ok(())
}

/// People waiting who fit `role`.
fn waiting_for(session: &Session, role: Role) -> u32 {
    match role {
        Role::Base => session.waitlisted_base + session.waitlisted_either,
        Role::Flyer => session.waitlisted_flyer + session.waitlisted_either,
    }
}

fn confirmed(session: &Session, role: Role) -> u32 {
    match role {
        Role::Base => session.confirmed_base,
        Role::Flyer => session.confirmed_flyer,
    }
}

fn capacity(session: &Session, role: Role) -> u32 {
    match role {
        Role::Base => u32::from(session.capacity_base),
        Role::Flyer => u32::from(session.capacity_flyer),
    }
}

/// Whether a newcomer may take `role` now: room, and nobody waiting for it.
fn open_to_newcomers(session: &Session, role: Role) -> bool {
    confirmed(session, role) < capacity(session, role) && waiting_for(session, role) == 0
}

/// The condition that `role` is open to a newcomer, on the session item.
fn open_condition(role: Role) -> String {
    let waiting = match role {
        Role::Base => {
            "(attribute_not_exists(waitlisted_base) OR waitlisted_base = :zero) \
             AND (attribute_not_exists(waitlisted_either) OR waitlisted_either = :zero)"
        }
        Role::Flyer => {
            "(attribute_not_exists(waitlisted_flyer) OR waitlisted_flyer = :zero) \
             AND (attribute_not_exists(waitlisted_either) OR waitlisted_either = :zero)"
        }
    };
    format!(
        "{} < {} AND {waiting}",
        role.confirmed_attribute(),
        role.capacity_attribute()
    )
}

/// `attribute = placeholder`, where a missing attribute counts as 0 when `zero` (sessions
/// written before the attribute existed).
fn unchanged(attribute: &str, placeholder: &str, zero: bool) -> String {
    if zero {
        format!("(attribute_not_exists({attribute}) OR {attribute} = {placeholder})")
    } else {
        format!("{attribute} = {placeholder}")
    }
}

/// The condition that the session's waitlist counts are those of `session` (placeholders
/// `:wb`, `:wf`, `:we`).
fn waitlist_as_read(session: &Session) -> String {
    [
        unchanged("waitlisted_base", ":wb", session.waitlisted_base == 0),
        unchanged("waitlisted_flyer", ":wf", session.waitlisted_flyer == 0),
        unchanged("waitlisted_either", ":we", session.waitlisted_either == 0),
    ]
    .join(" AND ")
}

/// The condition that `role` is closed to a newcomer (full, or people wait for it).
fn closed_condition(role: Role) -> String {
    let waiting = match role {
        Role::Base => "waitlisted_base > :zero OR waitlisted_either > :zero",
        Role::Flyer => "waitlisted_flyer > :zero OR waitlisted_either > :zero",
    };
    format!(
        "({} >= {} OR {waiting})",
        role.confirmed_attribute(),
        role.capacity_attribute()
    )
}

/// How a new registration is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// By the participant, on the public page (or in Telegram).
    Public,
    /// By an organizer; `over_capacity` confirms even when the role is full.
    Manual { over_capacity: bool },
}

/// Registers `input` for session `id`: confirmed when a role it fits is open, else
/// waitlisted. One transaction writes everything; a lost race is tried again.
#[tracing::instrument(skip_all, fields(session = %id))]
pub async fn register(
    ctx: &Context,
    id: &SessionId,
    input: RegistrationInput,
    source: Source,
) -> Result<Registered, BookingError> {
    let token = SecretToken::generate();
    let over_capacity = matches!(
        source,
        Source::Manual {
            over_capacity: true
        }
    );
    // Read from the session's copy; only sessions older than the copy read their series (and
    // that once, not on every retry).
    let mut series: Option<SeriesCopy> = None;
    let mut retry = retry(ctx);
    loop {
        let attempt = retry.next().await?;
        let now = ctx.clock.now();
        // A first attempt may start from the session as this process read it a moment ago;
        // after a lost race, always from a fresh read.
        let session = match recent::get(id).filter(|_| attempt == 1) {
            Some(session) => session,
            None => {
                let session = ctx
                    .store
                    .get::<Session>(&keys::session(id))
                    .await?
                    .ok_or(BookingError::NotFound)?;
                recent::keep(&session);
                session
            }
        };
        let copy = match &series {
            Some(copy) => copy,
            None => series.insert(series_of(ctx, &session).await?),
        };
        if !copy.public && source == Source::Public {
            return Err(BookingError::NotFound);
        }
        is_open(&session, now)?;
        let role = input
            .requested
            .roles_from(copy.either_first)
            .iter()
            .copied()
            .find(|role| open_to_newcomers(&session, *role) || over_capacity);
        // The place in the queue as the session was read (people joining at the same moment
        // may take the places just before).
        let position = match role {
            Some(_) => None,
            None => Some(competing_waiters(&session, input.requested) + 1),
        };
        let registration = Registration {
            id: RegistrationId::generate_at(now),
            session_id: id.clone(),
            series_id: session.series_id.clone(),
            name: input.name.clone(),
            email: input.email.clone(),
            note: input.note.clone(),
            requested: input.requested,
            role,
            status: if role.is_some() {
                RegistrationStatus::Confirmed
            } else {
                RegistrationStatus::Waitlisted
            },
            starts_at: session.starts_at,
            created_at: now,
            promoted_at: None,
            cancelled_at: None,
            cancel_hash: token.hash(),
            manual: matches!(source, Source::Manual { .. }),
            attendance: None,
            moves: Vec::new(),
        };
        let cancel_url = cancel_url(ctx, &registration, &token);
        let writes = registration_writes(
            ctx,
            &session,
            copy,
            &registration,
            over_capacity,
            &cancel_url,
        )?;
        match ctx.store.transact(writes).await {
            Ok(()) => {
                recent::count_in(&registration);
                return Ok(Registered {
                    token: link_token(&registration, &token),
                    registration,
                    cancel_url,
                    position,
                    session,
                    series: copy.clone(),
                });
            }
            Err(StoreError::Conflict { items }) if items.contains(&2) => {
                let existing = ctx
                    .store
                    .get::<EmailClaim>(&keys::registration_email(id, input.email.as_str()))
                    .await?;
                match existing {
                    Some(claim) => {
                        return Err(BookingError::AlreadyRegistered(claim.registration_id));
                    }
                    // Cancelled in between: try again.
                    None => continue,
                }
            }
            Err(StoreError::Conflict { .. }) => continue,
            Err(error) => return Err(error.into()),
        }
    }
}

/// The transaction of a new registration: the session's counters under the condition that
/// decides confirmed (in its role) or waitlisted, the registration, the (session, email) claim,
/// the cancel link and the email.
fn registration_writes(
    ctx: &Context,
    session: &Session,
    series: &SeriesCopy,
    registration: &Registration,
    over_capacity: bool,
    cancel_url: &str,
) -> Result<Vec<aws_sdk_dynamodb::types::TransactWriteItem>, BookingError> {
    let id = &session.id;
    let counter = match registration.role {
        Some(role) => {
            let condition = if over_capacity {
                "#status = :scheduled".to_owned()
            } else {
                format!("#status = :scheduled AND {}", open_condition(role))
            };
            Change::new(format!("ADD {} :one", role.confirmed_attribute()))
                .when(condition)
                .value(":zero", 0)
        }
        None => Change::new(format!(
            "SET waiting = list_append(if_not_exists(waiting, :nobody), :me) \
             ADD waitlisted :one, {} :one",
            waitlisted_attribute(registration.requested)
        ))
        .when(format!(
            "#status = :scheduled AND {}",
            closed_to_newcomers(registration.requested)
        ))
        .value(":zero", 0)
        .value(":nobody", Value::of(&Vec::<Waiter>::new())?)
        .value(
            ":me",
            Value::of(&[Waiter {
                id: registration.id.clone(),
                requested: registration.requested,
                email: registration.email.clone(),
            }])?,
        ),
    }
    .name("#status", "status")
    .value(":scheduled", "scheduled")
    .value(":one", 1);
    let counter = as_relied_on(counter, session)?;
    let message = registration_message(ctx, series, session, registration, cancel_url);
    let notification = Notification::new(ctx, registration.email.clone(), message);
    Ok(vec![
        ctx.store.update(&keys::session(id), counter)?,
        ctx.store.put(
            &registration_entry(registration),
            registration,
            Some("attribute_not_exists(PK)"),
        )?,
        ctx.store.put(
            &Entry::new(keys::registration_email(id, registration.email.as_str())),
            &EmailClaim {
                registration_id: registration.id.clone(),
            },
            Some("attribute_not_exists(PK)"),
        )?,
        ctx.store.put(
            &Entry::new(keys::cancel_token(id, &registration.cancel_hash)),
            &CancelLink {
                registration_id: registration.id.clone(),
            },
            Some("attribute_not_exists(PK)"),
        )?,
        ctx.store.put(&notification.entry(), &notification, None)?,
    ])
}

/// The transaction that a public registration of `input` for `session` sends when a spot in
/// `role` is open, built but not sent: the benchmark times these raw against the router.
#[cfg(feature = "test-fixtures")]
pub fn registration_transaction(
    ctx: &Context,
    session: &Session,
    series: &SeriesCopy,
    input: RegistrationInput,
    role: Role,
) -> Result<Vec<aws_sdk_dynamodb::types::TransactWriteItem>, BookingError> {
    let token = SecretToken::generate();
    let now = ctx.clock.now();
    let registration = Registration {
        id: RegistrationId::generate_at(now),
        session_id: session.id.clone(),
        series_id: session.series_id.clone(),
        name: input.name,
        email: input.email,
        note: input.note,
        requested: input.requested,
        role: Some(role),
        status: RegistrationStatus::Confirmed,
        starts_at: session.starts_at,
        created_at: now,
        promoted_at: None,
        cancelled_at: None,
        cancel_hash: token.hash(),
        manual: false,
        attendance: None,
        moves: Vec::new(),
    };
    let cancel_url = cancel_url(ctx, &registration, &token);
    registration_writes(ctx, session, series, &registration, false, &cancel_url)
}

/// Adds to `change` (on the session item) the condition that the session still says what a
/// registration took from it: its times, its cut-off and its copy of the series. A registration
/// that started from a stale read then loses, and is tried again from a fresh one.
fn as_relied_on(change: Change, session: &Session) -> Result<Change, StoreError> {
    let mut condition = format!(
        "starts_at = :relied_starts AND ends_at = :relied_ends AND {}",
        unchanged(
            "closes_minutes_before",
            ":relied_closes",
            session.closes_minutes_before == 0
        )
    );
    let mut change = change
        .value(":relied_starts", Value::of(&session.starts_at)?)
        .value(":relied_ends", Value::of(&session.ends_at)?)
        .value(":relied_closes", i64::from(session.closes_minutes_before));
    match &session.series {
        Some(copy) => {
            condition.push_str(
                " AND #relied_series.#relied_name = :relied_name \
                 AND #relied_series.time_zone = :relied_zone \
                 AND #relied_series.#relied_public = :relied_public \
                 AND #relied_series.either_first = :relied_first",
            );
            change = change
                .name("#relied_series", "series")
                .name("#relied_name", "name")
                .name("#relied_public", "public")
                .value(":relied_name", copy.name.as_str())
                .value(":relied_zone", copy.time_zone.as_str())
                .value(":relied_public", copy.public)
                .value(":relied_first", copy.either_first.as_str());
        }
        None => {
            condition.push_str(" AND attribute_not_exists(#relied_series)");
            change = change.name("#relied_series", "series");
        }
    }
    Ok(change.and_when(condition))
}

/// Sessions as this process last read them for a registration, reused for half a minute by
/// the next registrations of the same session: a rush for one session then costs each
/// registration its write alone. Nothing is decided from a kept copy: the transaction's
/// conditions check the counters and everything it relied on ([`as_relied_on`]).
mod recent {
    use std::{
        collections::HashMap,
        sync::{LazyLock, Mutex},
        time::{Duration, Instant},
    };

    use super::Registration;
    use crate::{
        ids::SessionId,
        jams::sessions::Session,
        values::{Role, RoleChoice, Waiter},
    };

    const KEPT_FOR: Duration = Duration::from_secs(30);
    const MOST: usize = 512;

    static KEPT: LazyLock<Mutex<HashMap<SessionId, (Instant, Session)>>> =
        LazyLock::new(Mutex::default);

    pub(super) fn get(id: &SessionId) -> Option<Session> {
        let kept = KEPT.lock().ok()?;
        kept.get(id)
            .filter(|(at, _)| at.elapsed() < KEPT_FOR)
            .map(|(_, session)| session.clone())
    }

    /// Counts a registration just made into the kept session (when it is kept), so that the
    /// next registration of this process starts from the counts including it.
    pub(super) fn count_in(registration: &Registration) {
        let Ok(mut kept) = KEPT.lock() else {
            return;
        };
        let Some((_, session)) = kept.get_mut(&registration.session_id) else {
            return;
        };
        match (registration.role, registration.requested) {
            (Some(Role::Base), _) => session.confirmed_base += 1,
            (Some(Role::Flyer), _) => session.confirmed_flyer += 1,
            (None, requested) => {
                session.waiting.push(Waiter {
                    id: registration.id.clone(),
                    requested,
                    email: registration.email.clone(),
                });
                session.waitlisted += 1;
                match requested {
                    RoleChoice::Base => session.waitlisted_base += 1,
                    RoleChoice::Flyer => session.waitlisted_flyer += 1,
                    RoleChoice::Either => session.waitlisted_either += 1,
                }
            }
        }
    }

    pub(super) fn keep(session: &Session) {
        let Ok(mut kept) = KEPT.lock() else {
            return;
        };
        if kept.len() >= MOST {
            kept.retain(|_, (at, _)| at.elapsed() < KEPT_FOR);
            if kept.len() >= MOST {
                kept.clear();
            }
        }
        kept.insert(session.id.clone(), (Instant::now(), session.clone()));
    }
}

/// Every registration made with `email`, by the start of its session (GSI2, eventually
/// consistent): "my registrations" and a person's history for the organizers.
async fn of_participant(ctx: &Context, email: &Email) -> Result<Vec<Registration>, Error> {
    let partition = keys::participant_index(email.as_str());
    let mut query = Query::index("GSI2", &partition);
    let mut registrations = Vec::new();
    loop {
        let page = ctx.store.query::<Registration>(query.clone()).await?;
        registrations.extend(page.items);
        match page.next {
            Some(next) => query.start = Some(next),
            None => break,
        }
    }
    Ok(registrations)
}

/// What a booking needs of the series of `session`: the session's copy, or (for a session
/// scheduled before sessions kept one) the series itself.
async fn series_of(ctx: &Context, session: &Session) -> Result<SeriesCopy, BookingError> {
    if let Some(copy) = &session.series {
        return Ok(copy.clone());
    }
    Ok(ctx
        .store
        .get::<Series>(&keys::series(&session.series_id))
        .await?
        .ok_or(BookingError::NotFound)?
        .copy())
}

/// People on `session`'s waitlist who compete with a newcomer asking for `requested` (for any
/// of the same roles).
fn competing_waiters(session: &Session, requested: RoleChoice) -> u32 {
    let competing = session
        .waiting
        .iter()
        .filter(|waiter| competes(waiter.requested, requested))
        .count();
    u32::try_from(competing).unwrap_or(u32::MAX)
}

/// Whether people asking for `a` and `b` wait for any of the same roles.
fn competes(a: RoleChoice, b: RoleChoice) -> bool {
    a.roles().iter().any(|role| b.fits(*role))
}

/// All the roles `requested` fits are closed to newcomers (full, or people wait for them).
fn closed_to_newcomers(requested: RoleChoice) -> String {
    requested
        .roles()
        .iter()
        .map(|role| closed_condition(*role))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The email a new registration gets.
fn registration_message(
    ctx: &Context,
    series: &SeriesCopy,
    session: &Session,
    registration: &Registration,
    cancel_url: &str,
) -> Message {
    let when = session.when_label(&series.zone());
    Message::Registered {
        url: cancel_url.to_owned(),
        session_url: session.public_url(ctx),
        series: series.name.clone(),
        when,
        confirmed: registration.status == RegistrationStatus::Confirmed,
        role: registration
            .role
            .map_or(registration.requested.as_str(), Role::as_str)
            .to_owned(),
    }
}

/// The place of every waitlisted registration of `session` in its queue: 1 + the people
/// before it on the waitlist who compete for any of the same roles.
pub fn positions(session: &Session) -> Vec<(RegistrationId, u32)> {
    let waiting = &session.waiting;
    waiting
        .iter()
        .enumerate()
        .map(|(index, waiter)| {
            let ahead = waiting[..index]
                .iter()
                .filter(|earlier| competes(earlier.requested, waiter.requested))
                .count();
            (
                waiter.id.clone(),
                u32::try_from(ahead + 1).unwrap_or(u32::MAX),
            )
        })
        .collect()
}

/// The place of registration `id` in its queue, if it waits.
pub fn position_of(session: &Session, id: &RegistrationId) -> Option<u32> {
    positions(session)
        .into_iter()
        .find(|(waiting, _)| waiting == id)
        .map(|(_, position)| position)
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
pub struct ByLink {
    pub registration: Registration,
    pub session: Session,
    pub series: SeriesCopy,
    pub position: Option<u32>,
}

/// The private link that shows and cancels `registration`:
/// `/cancel/{session}.{registration}.{secret}`.
fn cancel_url(ctx: &Context, registration: &Registration, secret: &SecretToken) -> String {
    format!(
        "{}/cancel/{}",
        ctx.config.base_url,
        link_token(registration, secret)
    )
}

/// A cancel link's token: `{session}.{registration}.{secret}` ([`parse_link`] reads it).
fn link_token(registration: &Registration, secret: &SecretToken) -> String {
    format!(
        "{}.{}.{}",
        registration.session_id,
        registration.id,
        secret.expose()
    )
}

/// A cancel link's token, split: the session, the registration and the hash of the secret.
struct Link {
    session: SessionId,
    registration: RegistrationId,
    hash: TokenHash,
}

fn parse_link(token: &str) -> Option<Link> {
    let mut parts = token.splitn(3, '.');
    let session = parts.next()?.parse().ok()?;
    let registration = parts.next()?.parse().ok()?;
    let secret = SecretToken::parse(parts.next()?)?;
    Some(Link {
        session,
        registration,
        hash: secret.hash(),
    })
}

/// A session with one of its registrations, read together (one BatchGetItem; with the cancel
/// link's item when `link` is given, which must exist and name the registration).
async fn session_and_registration(
    ctx: &Context,
    session: &SessionId,
    registration: &RegistrationId,
    link: Option<&TokenHash>,
) -> Result<(Session, Registration), BookingError> {
    let mut wanted = vec![
        keys::session(session),
        keys::registration(session, registration),
    ];
    if let Some(hash) = link {
        wanted.push(keys::cancel_token(session, hash));
    }
    let mut found = ctx.store.get_many(&wanted).await?.into_iter();
    let (Some(Some(session)), Some(Some(registration))) = (found.next(), found.next()) else {
        return Err(BookingError::NotFound);
    };
    if link.is_some() {
        let Some(Some(link)) = found.next() else {
            return Err(BookingError::NotFound);
        };
        let link: CancelLink = serde_dynamo::from_item(link).map_err(StoreError::from)?;
        if link.registration_id.as_str() != registration_id_of(&registration)? {
            return Err(BookingError::NotFound);
        }
    }
    Ok((
        serde_dynamo::from_item(session).map_err(StoreError::from)?,
        serde_dynamo::from_item(registration).map_err(StoreError::from)?,
    ))
}

/// The `id` attribute of a registration item, before the whole item is decoded.
fn registration_id_of(item: &crate::store::Item) -> Result<&str, BookingError> {
    item.get("id")
        .and_then(|id| id.as_s().ok())
        .map(String::as_str)
        .ok_or(BookingError::NotFound)
}

/// The registration a cancel link belongs to.
pub async fn by_link(ctx: &Context, token: &str) -> Result<ByLink, BookingError> {
    let link = parse_link(token).ok_or(BookingError::NotFound)?;
    let (session, registration) =
        session_and_registration(ctx, &link.session, &link.registration, Some(&link.hash)).await?;
    let series = series_of(ctx, &session).await?;
    let position = position_of(&session, &registration.id);
    Ok(ByLink {
        registration,
        session,
        series,
        position,
    })
}

/// Cancels the registration of a cancel link (idempotent): one read (the session, the
/// registration and the link together) and one transaction. Returns what happened and the
/// registration as it now stands, for the page.
#[tracing::instrument(skip_all)]
pub async fn cancel_by_link(
    ctx: &Context,
    token: &str,
) -> Result<(Cancelled, ByLink), BookingError> {
    let link = parse_link(token).ok_or(BookingError::NotFound)?;
    cancel(
        ctx,
        &link.session,
        &link.registration,
        Whose::Link(&link.hash),
    )
    .await
}

/// An organizer cancels a registration on someone's behalf (they are told). Returns what
/// happened and the registration as it now stands (a confirmed one keeps the role it held).
pub async fn cancel_for(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    registration: &RegistrationId,
) -> Result<(Cancelled, Registration), BookingError> {
    organizer_of(ctx, principal, series_id).await?;
    let (cancelled, now) =
        cancel(ctx, session_id, registration, Whose::Organizer(series_id)).await?;
    Ok((cancelled, now.registration))
}

/// Who is cancelling: the holder of a cancel link (its secret's hash), an organizer of the
/// series the session must belong to, or the registration's own person (checked before).
#[derive(Clone, Copy)]
enum Whose<'a> {
    Link(&'a TokenHash),
    Organizer(&'a SeriesId),
    Participant,
}

/// Session `session_id`, which must belong to series `series_id` (the one an organizer was
/// authorized on): any other is "not found".
async fn session_of_series(
    ctx: &Context,
    series_id: &SeriesId,
    session_id: &SessionId,
) -> Result<Session, BookingError> {
    ctx.store
        .get::<Session>(&keys::session(session_id))
        .await?
        .filter(|session| &session.series_id == series_id)
        .ok_or(BookingError::NotFound)
}

/// The organizer acting on a series' registrations, and the series.
struct Organizer {
    id: UserId,
    name: String,
    series: Series,
}

/// Checks that the acting user may run the registrations of series `series_id`.
async fn organizer_of(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
) -> Result<Organizer, BookingError> {
    match series::access(ctx, principal, series_id, Operation::ManageRegistrations).await {
        Ok(access) => Ok(Organizer {
            id: access.actor.user.id.clone(),
            name: access.actor.user.display_name.as_str().to_owned(),
            series: access.series,
        }),
        Err(series::SeriesError::Denied(denied)) => Err(denied.into()),
        Err(series::SeriesError::Internal(error)) => Err(error.into()),
        Err(_) => Err(BookingError::NotFound),
    }
}

/// The first person on `session`'s waitlist who fits `role`, with their place in the list.
fn first_waiting_for(session: &Session, role: Role) -> Option<(usize, &Waiter)> {
    session
        .waiting
        .iter()
        .enumerate()
        .find(|(_, waiter)| waiter.requested.fits(role))
}

/// The place of registration `id` in `session`'s waitlist.
fn place_of(session: &Session, id: &RegistrationId) -> Option<usize> {
    session.waiting.iter().position(|waiter| waiter.id == *id)
}

/// Cancels registration `id` (reached by its link when `link` is given): a confirmed spot goes,
/// in the same transaction, to the earliest waitlisted registration that fits its role. A lost
/// race (someone else promoted that person, or the waitlist moved) is tried again from a fresh
/// read.
async fn cancel(
    ctx: &Context,
    session_id: &SessionId,
    id: &RegistrationId,
    whose: Whose<'_>,
) -> Result<(Cancelled, ByLink), BookingError> {
    let link = match whose {
        Whose::Link(hash) => Some(hash),
        _ => None,
    };
    let mut series: Option<SeriesCopy> = None;
    let mut retry = retry(ctx);
    loop {
        retry.next().await?;
        let (session, registration) = session_and_registration(ctx, session_id, id, link).await?;
        if let Whose::Organizer(series_id) = whose
            && session.series_id != *series_id
        {
            return Err(BookingError::NotFound);
        }
        let series = match &series {
            Some(copy) => copy,
            None => series.insert(series_of(ctx, &session).await?),
        };
        // What the cancel page shows afterwards: the registration as it now stands.
        let done = |cancelled: Cancelled| {
            let at = registration.cancelled_at.unwrap_or_else(|| ctx.clock.now());
            Ok((
                cancelled,
                ByLink {
                    registration: Registration {
                        status: RegistrationStatus::Cancelled,
                        cancelled_at: Some(at),
                        ..registration.clone()
                    },
                    session: session.clone(),
                    series: series.clone(),
                    position: None,
                },
            ))
        };
        if registration.status == RegistrationStatus::Cancelled {
            return done(Cancelled::Already);
        }
        let promoted = match (registration.status, registration.role) {
            (RegistrationStatus::Confirmed, Some(role))
                if session.status == SessionStatus::Scheduled =>
            {
                first_waiting_for(&session, role)
            }
            _ => None,
        };
        let writes = cancel_writes(ctx, series, &session, &registration, promoted)?;
        match ctx.store.transact(writes).await {
            Ok(()) => {
                return done(Cancelled::Now {
                    promoted: promoted.map(|(_, next)| next.id.clone()),
                });
            }
            Err(StoreError::Conflict { .. }) => continue,
            Err(error) => return Err(error.into()),
        }
    }
}

/// The writes of a cancel: the registration, its email claim, the session's counters and
/// waitlist, the cancelled person's email, and the promotion of `promoted` (the waiter and
/// its place in the waitlist, with their email) if any.
fn cancel_writes(
    ctx: &Context,
    series: &SeriesCopy,
    session: &Session,
    registration: &Registration,
    promoted: Option<(usize, &Waiter)>,
) -> Result<Vec<aws_sdk_dynamodb::types::TransactWriteItem>, BookingError> {
    let session_id = &session.id;
    let now = ctx.clock.now();
    let mut writes = Vec::with_capacity(6);
    writes.push(
        ctx.store.update(
            &keys::registration(session_id, &registration.id),
            Change::new("SET #status = :cancelled, cancelled_at = :now")
                .when("#status = :was")
                .name("#status", "status")
                .value(":cancelled", "cancelled")
                .value(":was", registration.status.as_str())
                .value(":now", Value::of(&now)?),
        )?,
    );
    writes.push(ctx.store.delete(
        &keys::registration_email(session_id, registration.email.as_str()),
        Condition::default(),
    )?);
    let counters = match (registration.status, registration.role, promoted) {
        // The spot passes on: the promoted person leaves the waitlist, the count stays.
        (RegistrationStatus::Confirmed, Some(_), Some((place, next))) => {
            leave_waitlist(place, next, ":promoted")?
        }
        // The spot is given back: only if nobody joined the waitlist since the read.
        (RegistrationStatus::Confirmed, Some(role), None) => {
            Change::new(format!("ADD {} :minus", role.confirmed_attribute()))
                .when(waitlist_as_read(session))
                .value(":wb", i64::from(session.waitlisted_base))
                .value(":wf", i64::from(session.waitlisted_flyer))
                .value(":we", i64::from(session.waitlisted_either))
        }
        // A waitlisted registration leaves its place.
        _ => match place_of(session, &registration.id) {
            Some(place) => leave_waitlist(place, &session.waiting[place], ":leaving")?,
            // Not on the list (only the sweep would find such a thing): the counts alone.
            None => Change::new(format!(
                "ADD waitlisted :minus, {} :minus",
                waitlisted_attribute(registration.requested)
            )),
        },
    }
    .value(":minus", -1);
    writes.push(ctx.store.update(&keys::session(session_id), counters)?);
    let when = session.when_label(&series.zone());
    let cancelled_note = Notification::new(
        ctx,
        registration.email.clone(),
        Message::RegistrationCancelled {
            url: session.public_url(ctx),
            series: series.name.clone(),
            when: when.clone(),
        },
    );
    writes.push(
        ctx.store
            .put(&cancelled_note.entry(), &cancelled_note, None)?,
    );
    if let (Some((_, next)), Some(role)) = (promoted, registration.role) {
        writes.push(promotion(ctx, session_id, &next.id, role)?);
        let promoted_note = Notification::new(
            ctx,
            next.email.clone(),
            Message::Promoted {
                url: session.public_url(ctx),
                series: series.name.clone(),
                when,
                role: role.as_str().to_owned(),
            },
        );
        writes.push(
            ctx.store
                .put(&promoted_note.entry(), &promoted_note, None)?,
        );
    }
    Ok(writes)
}

/// The session update that takes `waiter` off the waitlist at `place` (under the condition
/// that it is still there) and off the waitlist counts; `placeholder` names its id's value.
fn leave_waitlist(
    place: usize,
    waiter: &Waiter,
    placeholder: &str,
) -> Result<Change, BookingError> {
    Ok(Change::new(format!(
        "REMOVE waiting[{place}] ADD waitlisted :minus, {} :minus",
        waitlisted_attribute(waiter.requested)
    ))
    .when(format!("waiting[{place}] = {placeholder}"))
    .value(placeholder, String::from(waiter.clone())))
}

/// The update that confirms waitlisted registration `next` as `role`.
fn promotion(
    ctx: &Context,
    session_id: &SessionId,
    next: &RegistrationId,
    role: Role,
) -> Result<aws_sdk_dynamodb::types::TransactWriteItem, StoreError> {
    ctx.store.update(
        &keys::registration(session_id, next),
        Change::new("SET #status = :confirmed, #role = :role, promoted_at = :now")
            .when("#status = :waitlisted")
            .name("#status", "status")
            .name("#role", "role")
            .value(":confirmed", "confirmed")
            .value(":waitlisted", "waitlisted")
            .value(":role", role.as_str())
            .value(":now", Value::of(&ctx.clock.now())?),
    )
}

/// Fills the free spots of a session from its waitlist, one promotion per transaction, each
/// under the condition that the spot is still free and the person still at the place read
/// (after a capacity was raised, a move, and by the safety-net sweep). Returns who was
/// promoted.
pub async fn promote_waiting(
    ctx: &Context,
    session_id: &SessionId,
) -> Result<Vec<RegistrationId>, BookingError> {
    let mut promoted = Vec::new();
    let mut retry = retry(ctx);
    loop {
        retry.next().await?;
        let Some(session) = ctx.store.get::<Session>(&keys::session(session_id)).await? else {
            return Ok(promoted);
        };
        if session.status != SessionStatus::Scheduled {
            return Ok(promoted);
        }
        // A free role and the earliest person waiting who fits it.
        let candidate = [Role::Base, Role::Flyer]
            .into_iter()
            .filter(|role| confirmed(&session, *role) < capacity(&session, *role))
            .filter_map(|role| first_waiting_for(&session, role).map(|next| (role, next)))
            .min_by_key(|(_, (place, _))| *place);
        let Some((role, (place, next))) = candidate else {
            return Ok(promoted);
        };
        let series = series_of(ctx, &session).await?;
        let notification = Notification::new(
            ctx,
            next.email.clone(),
            Message::Promoted {
                url: session.public_url(ctx),
                series: series.name.clone(),
                when: session.when_label(&series.zone()),
                role: role.as_str().to_owned(),
            },
        );
        let counters = leave_waitlist(place, next, ":next")?
            .and_add(&format!("{} :one", role.confirmed_attribute()))
            .and_when(format!(
                "#status = :scheduled AND {} < {}",
                role.confirmed_attribute(),
                role.capacity_attribute(),
            ))
            .name("#status", "status")
            .value(":scheduled", "scheduled")
            .value(":one", 1)
            .value(":minus", -1);
        let writes = vec![
            ctx.store.update(&keys::session(session_id), counters)?,
            promotion(ctx, session_id, &next.id, role)?,
            ctx.store.put(&notification.entry(), &notification, None)?,
        ];
        match ctx.store.transact(writes).await {
            Ok(()) => {
                promoted.push(next.id.clone());
                retry.progressed();
            }
            Err(StoreError::Conflict { .. }) => continue,
            Err(error) => return Err(error.into()),
        }
    }
}

/// Every registration of a session with the series and session, for its organizers, in the
/// order they were made (the export and the check-in list).
pub async fn of_session(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
) -> Result<(Series, Session, Vec<Registration>), BookingError> {
    let organizer = organizer_of(ctx, principal, series_id).await?;
    let partition = read_partition(ctx, session_id)
        .await?
        .filter(|partition| &partition.session.series_id == series_id)
        .ok_or(BookingError::NotFound)?;
    Ok((organizer.series, partition.session, partition.registrations))
}

/// A session as its public page shows it.
#[derive(Clone, Debug)]
pub struct PublicSession {
    pub session: Session,
    pub series: Series,
}

/// The public view of session `id`: two reads (the series carries its organizers' names).
/// Archived series and those of blocked owners are not public.
pub async fn public_session(ctx: &Context, id: &SessionId) -> Result<PublicSession, BookingError> {
    let session = ctx
        .store
        .get::<Session>(&keys::session(id))
        .await?
        .ok_or(BookingError::NotFound)?;
    let series = ctx
        .store
        .get::<Series>(&keys::series(&session.series_id))
        .await?
        .filter(Series::is_public)
        .ok_or(BookingError::NotFound)?;
    Ok(PublicSession { session, series })
}

/// Emails the confirmation of the active registration of `email` for session `id` again, with
/// a fresh cancel link (the first one keeps working). Says nothing about whether there is one:
/// the page answers the same either way. At most 3 a session and address an hour.
pub async fn resend(ctx: &Context, id: &SessionId, email: &str) -> Result<(), BookingError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(());
    };
    let Some(claim) = ctx
        .store
        .get::<EmailClaim>(&keys::registration_email(id, email.as_str()))
        .await?
    else {
        return Ok(());
    };
    let PublicSession { session, series } = public_session(ctx, id).await?;
    let Some(registration) = ctx
        .store
        .get::<Registration>(&keys::registration(id, &claim.registration_id))
        .await?
    else {
        return Ok(());
    };
    let token = SecretToken::generate();
    let cancel_url = cancel_url(ctx, &registration, &token);
    let message = registration_message(ctx, &series.copy(), &session, &registration, &cancel_url);
    let notification = Notification::new(ctx, registration.email.clone(), message);
    let limit = crate::auth::rate_limit(ctx, "resend", &format!("{id}#{}", email.as_str()), 3)?;
    let result = ctx
        .store
        .transact(vec![
            limit,
            ctx.store.put(
                &Entry::new(keys::cancel_token(id, &token.hash())),
                &CancelLink {
                    registration_id: registration.id.clone(),
                },
                Some("attribute_not_exists(PK)"),
            )?,
            ctx.store.put(&notification.entry(), &notification, None)?,
        ])
        .await;
    match result {
        // Over the limit: quietly nothing, like an unknown address.
        Ok(()) | Err(StoreError::Conflict { .. }) => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// Upcoming sessions of a public (or unlisted, reached by its link) series.
pub async fn public_series(
    ctx: &Context,
    id: &SeriesId,
) -> Result<(Series, Vec<Session>), BookingError> {
    let series = ctx
        .store
        .get::<Series>(&keys::series(id))
        .await?
        .filter(Series::is_public)
        .ok_or(BookingError::NotFound)?;
    let now = ctx.clock.now();
    let upcoming = crate::jams::sessions::between(
        ctx,
        id,
        now.saturating_sub(SignedDuration::from_hours(24))
            .unwrap_or(now),
        now.saturating_add(SignedDuration::from_hours(24 * 366))
            .unwrap_or(now),
    )
    .await?
    .into_iter()
    .filter(|session| session.ends_at > now)
    .collect();
    Ok((series, upcoming))
}

/// What the organizer's registration table shows: filters and a page of 50.
#[derive(Clone, Debug, Default)]
pub struct TableFilter {
    pub status: Option<RegistrationStatus>,
    pub requested: Option<RoleChoice>,
    /// Part of a name or an email address (case-sensitive on names as stored; emails are
    /// lowercase).
    pub search: String,
}

impl TableFilter {
    /// Whether `registration` passes the filter, exactly as the table's query filters in the
    /// store (so an export of the filtered table has the table's rows).
    pub fn matches(&self, registration: &Registration) -> bool {
        let search = self.search.trim();
        self.status
            .is_none_or(|status| registration.status == status)
            && self
                .requested
                .is_none_or(|requested| registration.requested == requested)
            && (search.is_empty()
                || registration.name.contains(search)
                || registration.email.as_str().contains(&search.to_lowercase()))
    }

    /// Whether the filter keeps anything out.
    pub fn is_active(&self) -> bool {
        self.status.is_some() || self.requested.is_some() || !self.search.trim().is_empty()
    }
}

/// Registrations per table page.
pub const TABLE_PAGE: i32 = 50;

/// A page of the organizer's registration table.
#[derive(Clone, Debug)]
pub struct TablePage {
    pub series: Series,
    pub session: Session,
    pub registrations: Vec<Registration>,
    /// The last registration of the page, when more may follow.
    pub next: Option<RegistrationId>,
}

/// One page of a session's registrations in the order they were made: the session item and
/// one query of the partition (filtered in the store), so a session with 10,000
/// registrations costs the same per page. `after` is the last registration id shown.
pub async fn table_page(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    filter: &TableFilter,
    after: Option<&RegistrationId>,
) -> Result<TablePage, BookingError> {
    let organizer = organizer_of(ctx, principal, series_id).await?;
    let session = session_of_series(ctx, series_id, session_id).await?;
    let partition = keys::session(session_id).pk;
    let mut query = Query::table(&partition);
    query.prefix = Some("REG#");
    query.limit = Some(TABLE_PAGE);
    if let Some(after) = after {
        query.start = Some(crate::store::key_attributes(&keys::registration(
            session_id, after,
        )));
    }
    let mut clauses = Vec::new();
    let mut condition = Condition::default();
    if let Some(status) = filter.status {
        clauses.push("#status = :status");
        condition = condition
            .name("#status", "status")
            .value(":status", status.as_str());
    }
    if let Some(requested) = filter.requested {
        clauses.push("requested = :requested");
        condition = condition.value(":requested", requested.as_str());
    }
    let search = filter.search.trim();
    if !search.is_empty() {
        clauses.push("(contains(#name, :search) OR contains(email, :lower))");
        condition = condition
            .name("#name", "name")
            .value(":search", search)
            .value(":lower", search.to_lowercase());
    }
    if !clauses.is_empty() {
        condition.expression = Some(clauses.join(" AND "));
        query.filter = Some(condition);
    }
    let page = ctx.store.query::<Registration>(query).await?;
    // The cursor is where the query stopped, even when the filter kept nothing of the page.
    let next = page
        .next
        .as_ref()
        .and_then(|key| key.get("SK"))
        .and_then(|sk| sk.as_s().ok())
        .and_then(|sk| sk.strip_prefix("REG#"))
        .and_then(|id| id.parse::<RegistrationId>().ok());
    Ok(TablePage {
        series: organizer.series,
        session,
        registrations: page.items,
        next,
    })
}

/// An organizer enters someone by hand: the same rules, or confirmed over capacity when
/// `over_capacity`.
pub async fn register_for(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    input: RegistrationInput,
    over_capacity: bool,
) -> Result<Registered, BookingError> {
    organizer_of(ctx, principal, series_id).await?;
    session_of_series(ctx, series_id, session_id).await?;
    register(ctx, session_id, input, Source::Manual { over_capacity }).await
}

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
/// UTF-8), RFC 4180 quoting, and cells that a spreadsheet would run as a formula (starting
/// with `=`, `+`, `-`, `@`, tab or carriage return) prefixed with `'`. "Registered at" is ISO
/// 8601 in the series' time zone, with its offset (`2027-03-10T13:00:00+01:00`).
pub fn to_csv(
    session: &Session,
    registrations: &[Registration],
    zone: &jiff::tz::TimeZone,
) -> String {
    fn cell(value: &str) -> String {
        let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{value}")
        } else {
            value.to_owned()
        };
        if value.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", value.replace('"', "\"\""))
        } else {
            value
        }
    }
    let mut out = String::from("\u{feff}");
    out.push_str("Name,Email,Asked for,Role,Status,Waitlist position,Attendance,Registered at,Note,Entered by organizer\r\n");
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
        let cells: Vec<String> = row.iter().map(|value| cell(value)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn session(
        base: (u32, u16),
        flyer: (u32, u16),
        waiting: (u32, u32, u32),
    ) -> Session {
        Session {
            id: SessionId::generate(),
            series_id: SeriesId::generate(),
            starts_at: "2027-03-16T18:00:00Z".parse().unwrap(),
            ends_at: "2027-03-16T20:00:00Z".parse().unwrap(),
            capacity_base: base.1,
            capacity_flyer: flyer.1,
            cost: None,
            location: None,
            note: String::new(),
            status: SessionStatus::Scheduled,
            cancel_reason: None,
            confirmed_base: base.0,
            confirmed_flyer: flyer.0,
            waitlisted: waiting.0 + waiting.1 + waiting.2,
            waitlisted_base: waiting.0,
            waitlisted_flyer: waiting.1,
            waitlisted_either: waiting.2,
            waiting: Vec::new(),
            closes_minutes_before: 0,
            series: None,
            created_at: Timestamp::UNIX_EPOCH,
        }
    }

    /// A session of 1 + 1 places, both taken, whose waitlist is `requested`, in order.
    fn waitlist(requested: &[RoleChoice]) -> Session {
        let mut waiting = session((1, 1), (1, 1), (0, 0, 0));
        for choice in requested {
            let registration = registration(*choice, RegistrationStatus::Waitlisted);
            waiting.waiting.push(Waiter {
                id: registration.id,
                requested: *choice,
                email: registration.email,
            });
        }
        waiting
    }

    /// A registration of `requested` standing at `status` (no role).
    pub(crate) fn registration(requested: RoleChoice, status: RegistrationStatus) -> Registration {
        Registration {
            id: RegistrationId::generate(),
            session_id: SessionId::generate(),
            series_id: SeriesId::generate(),
            name: "N".to_owned(),
            email: Email::parse("n@example.org").unwrap(),
            note: String::new(),
            requested,
            role: None,
            status,
            starts_at: Timestamp::UNIX_EPOCH,
            created_at: Timestamp::UNIX_EPOCH,
            promoted_at: None,
            cancelled_at: None,
            cancel_hash: SecretToken::generate().hash(),
            manual: false,
            attendance: None,
            moves: Vec::new(),
        }
    }

    #[test]
    fn a_role_is_open_while_there_is_room_and_nobody_waits_for_it() {
        assert!(open_to_newcomers(
            &session((9, 10), (10, 10), (0, 0, 0)),
            Role::Base
        ));
        assert!(!open_to_newcomers(
            &session((10, 10), (0, 10), (0, 0, 0)),
            Role::Base
        ));
        assert!(
            !open_to_newcomers(&session((5, 10), (0, 10), (0, 0, 1)), Role::Base),
            "someone who takes either waits"
        );
        assert!(open_to_newcomers(
            &session((5, 10), (0, 10), (0, 3, 0)),
            Role::Base
        ));
        assert!(!open_to_newcomers(
            &session((0, 0), (0, 10), (0, 0, 0)),
            Role::Base
        ));
    }

    #[test]
    fn the_next_in_line_is_the_earliest_who_fits_the_freed_role() {
        let session = waitlist(&[RoleChoice::Flyer, RoleChoice::Either, RoleChoice::Base]);
        let (place, next) = first_waiting_for(&session, Role::Base).unwrap();
        assert_eq!((place, &next.id), (1, &session.waiting[1].id));
        let (place, _) = first_waiting_for(&session, Role::Flyer).unwrap();
        assert_eq!(place, 0);
        let only_bases = waitlist(&[RoleChoice::Base]);
        assert!(first_waiting_for(&only_bases, Role::Flyer).is_none());
    }

    #[test]
    fn positions_count_who_competes_for_the_same_roles() {
        let session = waitlist(&[
            RoleChoice::Base,
            RoleChoice::Flyer,
            RoleChoice::Either,
            RoleChoice::Base,
            RoleChoice::Flyer,
        ]);
        let found: Vec<u32> = positions(&session).into_iter().map(|(_, p)| p).collect();
        // base: 1st; flyer: 1st; either: behind both; base: behind base and either; flyer:
        // behind flyer and either.
        assert_eq!(found, [1, 1, 3, 3, 3]);
    }

    #[test]
    fn registration_forms_are_checked_field_by_field() {
        let fields = |pairs: &[(&str, &str)]| -> std::collections::BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let good = fields(&[
            ("name", "Ana"),
            ("email", "Ana@Example.org"),
            ("role", "either"),
            ("consent", "yes"),
        ]);
        let input = RegistrationInput::parse(&Fields(&good), true).unwrap();
        assert_eq!(input.email.as_str(), "ana@example.org");
        assert_eq!(input.requested, RoleChoice::Either);
        let long = "x".repeat(10 * 1024);
        let bad = fields(&[("name", &long), ("email", "nope"), ("role", "spotter")]);
        let errors = RegistrationInput::parse(&Fields(&bad), true).unwrap_err();
        for field in ["name", "email", "role", "consent"] {
            assert!(errors.has(field), "{field}");
        }
        assert!(
            RegistrationInput::parse(&Fields(&fields(&[])), false)
                .unwrap_err()
                .has("name")
        );
    }

    #[test]
    fn an_organizer_filling_in_the_form_is_spoken_to_as_the_organizer() {
        let empty = std::collections::BTreeMap::new();
        let errors = RegistrationInput::parse_as(&Fields(&empty), Filler::Organizer).unwrap_err();
        assert_eq!(errors.0["name"], "Enter their name.");
        assert_eq!(errors.0["email"], "Enter their email address.");
        assert!(!errors.has("consent"), "nobody consents for someone else");
        let public = RegistrationInput::parse(&Fields(&empty), true).unwrap_err();
        assert_eq!(public.0["name"], "Tell the organizers your name.");
        assert_eq!(public.0["email"], "Enter your email address.");
        assert!(public.has("consent"));
        let bad: std::collections::BTreeMap<String, String> =
            [("name", "Ana"), ("email", "ana@"), ("role", "base")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
        let errors = RegistrationInput::parse_as(&Fields(&bad), Filler::Organizer).unwrap_err();
        assert_eq!(
            errors.0["email"],
            "Enter an email address like name@example.org."
        );
    }

    #[test]
    fn the_export_filter_keeps_the_rows_the_table_shows() {
        let mut ana = registration(RoleChoice::Base, RegistrationStatus::Confirmed);
        ana.name = "Ana Li".to_owned();
        ana.email = Email::parse("ana@example.org").unwrap();
        let bo = registration(RoleChoice::Flyer, RegistrationStatus::Waitlisted);
        let everyone = TableFilter::default();
        assert!(everyone.matches(&ana) && everyone.matches(&bo) && !everyone.is_active());
        let waitlisted = TableFilter {
            status: Some(RegistrationStatus::Waitlisted),
            ..TableFilter::default()
        };
        assert!(!waitlisted.matches(&ana) && waitlisted.matches(&bo));
        let flyers = TableFilter {
            requested: Some(RoleChoice::Flyer),
            ..TableFilter::default()
        };
        assert!(!flyers.matches(&ana) && flyers.matches(&bo));
        let search = |text: &str| TableFilter {
            search: text.to_owned(),
            ..TableFilter::default()
        };
        assert!(search(" Li ").matches(&ana) && !search("Li").matches(&bo));
        assert!(search("ANA@").matches(&ana), "emails match in any case");
        assert!(
            !search("li").matches(&ana),
            "names as stored, like the table"
        );
        assert!(search("x").is_active());
    }

    #[test]
    fn export_file_names_carry_the_series_and_the_day_in_safe_characters() {
        assert_eq!(
            csv_file_name("Tuesday Jam", "2027-03-16"),
            "registrations-tuesday-jam-2027-03-16.csv"
        );
        assert_eq!(
            csv_file_name("  Łódź \"Acro\" / Park; jam!! ", "2027-03-16"),
            "registrations-d-acro-park-jam-2027-03-16.csv"
        );
        assert_eq!(
            csv_file_name("李小龍", "2027-03-16"),
            "registrations-2027-03-16.csv"
        );
        let long = csv_file_name(&"a".repeat(500), "2027-03-16");
        assert!(long.len() < 100, "{long}");
    }

    #[test]
    fn waitlist_places_are_stored_as_one_string() {
        let waiter = Waiter {
            id: RegistrationId::generate(),
            requested: RoleChoice::Either,
            email: Email::parse("a.b+jam@example.org").unwrap(),
        };
        let stored = String::from(waiter.clone());
        assert_eq!(stored, format!("{} either a.b+jam@example.org", waiter.id));
        assert_eq!(Waiter::try_from(stored).unwrap(), waiter);
        assert!(Waiter::try_from("nonsense".to_owned()).is_err());
    }

    #[test]
    fn cancel_links_name_their_session_and_registration() {
        let session = SessionId::generate();
        let registration = RegistrationId::generate();
        let secret = SecretToken::generate();
        let link = parse_link(&format!("{session}.{registration}.{}", secret.expose())).unwrap();
        assert_eq!(link.session, session);
        assert_eq!(link.registration, registration);
        assert_eq!(link.hash, secret.hash());
        assert!(parse_link("nonsense").is_none());
        assert!(parse_link(&format!("{session}.{registration}.short")).is_none());
        assert!(parse_link(&format!("{session}.{}", secret.expose())).is_none());
    }

    #[test]
    fn the_export_round_trips_through_a_csv_reader_and_defuses_formulas() {
        let names = [
            "Doe, Jane",
            "Ana \"Flyer\" Li",
            "Line\nBreak",
            "Łucja Żółw 李小龍",
            "=HYPERLINK(\"http://evil\")",
            "+49 123",
            "-minus",
            "@sum",
        ];
        let registrations: Vec<Registration> = names
            .iter()
            .enumerate()
            .map(|(n, name)| Registration {
                name: (*name).to_owned(),
                note: if n == 0 {
                    "note, with \"quotes\"".to_owned()
                } else {
                    String::new()
                },
                status: RegistrationStatus::Confirmed,
                role: Some(Role::Flyer),
                ..registration(RoleChoice::Either, RegistrationStatus::Confirmed)
            })
            .collect();
        let session = session((0, 10), (8, 10), (0, 0, 0));
        let csv = to_csv(&session, &registrations, &jiff::tz::TimeZone::UTC);
        assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
        let mut reader = ::csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), names.len());
        for (row, name) in rows.iter().zip(names) {
            let expected = if name.starts_with(['=', '+', '-', '@']) {
                format!("'{name}")
            } else {
                name.to_owned()
            };
            assert_eq!(&row[0], expected);
            assert_eq!(&row[3], "flyer");
        }
        assert_eq!(&rows[0][8], "note, with \"quotes\"");
        let berlin = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        let csv = to_csv(&session, &registrations[..1], &berlin);
        assert!(
            csv.contains(",1970-01-01T01:00:00+01:00,"),
            "registered at, with its offset: {csv}"
        );
    }
}
