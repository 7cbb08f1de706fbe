//! Registering: the one transaction that confirms or waitlists a newcomer (counters, the
//! registration, its email claim, its cancel link and its confirmation email).

use super::{
    BookingError, CancelLink, CounterNames, EmailClaim, HOLD, Registered, Registration,
    RegistrationInput, RegistrationStatus, Source, cancel_secret, cancel_url, closed_to_newcomers,
    competing_waiters, if_session_unchanged, link_token, open_condition, open_to_newcomers,
    series_of, session_cache, throttle, waitlisted_attribute,
};
use crate::Context;
use crate::authorization::Denied;
use crate::ids::{RegistrationId, SessionId};
use crate::jams::sessions::{SeriesCopy, Session, SessionStatus};
use crate::outbox::{Kind, Notification, Recipient};
use crate::store::{Change, Entry, StoreError, Transaction, Value, keys};
#[cfg(feature = "test-fixtures")]
use crate::values::Role;
use crate::values::Waiter;
use jiff::{SignedDuration, Timestamp};

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

/// Registers `input` for session `id`: confirmed when a role it fits is open, else
/// waitlisted. One transaction writes everything; a lost race is tried again.
#[tracing::instrument(skip_all, fields(session = %id))]
pub async fn register(
    ctx: &Context,
    id: &SessionId,
    input: RegistrationInput,
    source: Source,
) -> Result<Registered, BookingError> {
    let over_capacity = match &source {
        Source::Manual { over_capacity, .. } => *over_capacity,
        Source::Public { .. } => false,
    };
    // Read from the session's copy; only sessions older than the copy read their series (and
    // that once, not on every retry).
    let mut series: Option<SeriesCopy> = None;
    let mut retry = ctx.race_retry();
    loop {
        let attempt = retry.next().await?;
        let now = ctx.clock.now();
        // A first attempt may start from the session as this process read it a moment ago;
        // after a lost race, always from a fresh read.
        let session = match session_cache::get(id).filter(|_| attempt == 1) {
            Some(session) => session,
            None => {
                let session = ctx
                    .store
                    .get::<Session>(&keys::session(id))
                    .await?
                    .ok_or(BookingError::NotFound)?;
                session_cache::keep(&session);
                session
            }
        };
        // The session's own copy as just read (the transaction checks it), so a retry after
        // the series changed decides by the new settings.
        let copy = match (&session.series, &series) {
            (Some(copy), _) => copy.clone(),
            (None, Some(copy)) => copy.clone(),
            (None, None) => series.insert(series_of(ctx, &session).await?).clone(),
        };
        let copy = &copy;
        match &source {
            Source::Public { .. } if !copy.public => return Err(BookingError::NotFound),
            // Checked for another series than this session's: no right here.
            Source::Manual { by, .. } if by.series != session.series_id => {
                return Err(Denied::Forbidden.into());
            }
            _ => {}
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
        let registration_id = RegistrationId::generate_at(now);
        let registration = Registration {
            cancel_hash: cancel_secret(ctx, &registration_id).hash(),
            id: registration_id,
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
            cancelled_by_organizers: false,
            manual: matches!(source, Source::Manual { .. }),
            attendance: None,
            moves: Vec::new(),
            held_until: held_until(&source, copy, now),
        };
        let mut writes = registration_writes(ctx, &session, &registration, over_capacity)?;
        throttle::count(ctx, &mut writes, &source, id, &input.email)?;
        match writes.commit().await {
            Ok(()) => {
                session_cache::count_in(&registration);
                return Ok(Registered {
                    token: link_token(ctx, &registration),
                    cancel_url: cancel_url(ctx, &registration),
                    registration,
                    position,
                    session,
                    series: copy.clone(),
                });
            }
            // A refused registration writes nothing, its counts included.
            Err(conflict) if let Some(too_many) = throttle::exceeded(ctx, &writes, &conflict) => {
                return Err(BookingError::TooMany(too_many));
            }
            Err(conflict) if writes.failed(&conflict, EMAIL_CLAIM) => {
                let existing = ctx
                    .store
                    .get::<EmailClaim>(&keys::registration_email(id, &input.email))
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

/// Until when a new registration is held for its person to confirm by email: only public ones,
/// of series that ask for it (an organizer's entry is never held).
fn held_until(source: &Source, series: &SeriesCopy, now: Timestamp) -> Option<Timestamp> {
    match source {
        Source::Public { .. } if series.confirm_by_email => {
            Some(now.saturating_add(HOLD).unwrap_or(now))
        }
        _ => None,
    }
}

/// The write of a new registration to the session's counters (under the condition that decides
/// confirmed or waitlisted).
const SESSION_COUNTERS: &str = "session counters";
/// The write that claims the (session, email) pair: it fails when the address is registered.
const EMAIL_CLAIM: &str = "email claim";

/// The transaction of a new registration: the session's counters under the condition that
/// decides confirmed (in its role) or waitlisted, the registration, the (session, email) claim,
/// the cancel link and the email.
pub(super) fn registration_writes(
    ctx: &Context,
    session: &Session,
    registration: &Registration,
    over_capacity: bool,
) -> Result<Transaction, BookingError> {
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
    let counter = if_session_unchanged(counter, session)?;
    let notification = registration_notification(ctx, registration);
    let mut writes = ctx.store.transaction();
    writes
        .update(SESSION_COUNTERS, &keys::session(id), counter)?
        .put_new_item("registration", registration)?
        .put_new(
            EMAIL_CLAIM,
            &Entry::new(keys::registration_email(id, &registration.email)),
            &EmailClaim {
                registration_id: registration.id.clone(),
            },
        )?
        .put_new(
            "cancel link",
            &Entry::new(keys::cancel_token(id, &registration.cancel_hash)),
            &CancelLink {
                registration_id: registration.id.clone(),
            },
        )?
        .put(
            "confirmation email",
            &notification.entry(),
            &notification,
            None,
        )?;
    Ok(writes)
}

/// The transaction that a public registration of `input` for `session` sends when a spot in
/// `role` is open, built but not sent: the benchmark times these raw against the router.
#[cfg(feature = "test-fixtures")]
pub fn registration_transaction(
    ctx: &Context,
    session: &Session,
    input: RegistrationInput,
    role: Role,
    client: &crate::limits::ClientIp,
) -> Result<Transaction, BookingError> {
    let now = ctx.clock.now();
    let id = RegistrationId::generate_at(now);
    let registration = Registration {
        cancel_hash: cancel_secret(ctx, &id).hash(),
        id,
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
        cancelled_by_organizers: false,
        manual: false,
        attendance: None,
        moves: Vec::new(),
        held_until: None,
    };
    let mut writes = registration_writes(ctx, session, &registration, false)?;
    let source = Source::Public {
        client: client.clone(),
    };
    throttle::count(ctx, &mut writes, &source, &session.id, &registration.email)?;
    Ok(writes)
}

/// What a new registration is told: confirmed in its role, or waitlisted.
pub(super) fn registration_notification(
    ctx: &Context,
    registration: &Registration,
) -> Notification {
    let session = registration.session_id.clone();
    let id = registration.id.clone();
    let about = match registration.status {
        RegistrationStatus::Confirmed => Kind::Confirmed {
            session,
            registration: id,
        },
        _ => Kind::Waitlisted {
            session,
            registration: id,
        },
    };
    Notification::new(ctx, Recipient::email(&registration.email), about)
}
