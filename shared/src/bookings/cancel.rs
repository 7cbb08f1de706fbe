//! Cancelling, by the secret link, by an organizer or by the person signed in: the one
//! transaction that frees a spot and gives it to the next who fits, and the links themselves.

use super::{
    BookingError, CancelLink, Cancelled, CounterNames, LinkedRegistration, Registration,
    RegistrationStatus, first_waiting_for, leave_waitlist, organizer_of, place_of, position_of,
    promotion, series_of, waitlist_as_read, waitlisted_attribute,
};
use crate::Context;
use crate::authorization::Principal;
use crate::ids::{RegistrationId, SecretToken, SeriesId, SessionId, TokenHash};
use crate::jams::sessions::{SeriesCopy, Session, SessionStatus};
use crate::outbox::{Kind, Notification, Recipient};
use crate::store::{Change, Condition, StoreError, Transaction, Value, keys};
use crate::tokens::LinkPurpose;
use crate::values::Waiter;

/// The secret of a registration's cancel link: derived from its id with the configured key,
/// so every message can carry the link again and the table keeps only its hash.
pub(super) fn cancel_secret(ctx: &Context, registration: &RegistrationId) -> SecretToken {
    ctx.signing
        .link_secret(LinkPurpose::Cancel, registration.as_str())
}

/// The private link that shows and cancels `registration`:
/// `/cancel/{session}.{registration}.{secret}`.
pub fn cancel_url(ctx: &Context, registration: &Registration) -> String {
    format!(
        "{}/cancel/{}",
        ctx.config.base_url,
        link_token(ctx, registration)
    )
}

/// A cancel link's token: `{session}.{registration}.{secret}` ([`parse_link`] reads it).
pub(super) fn link_token(ctx: &Context, registration: &Registration) -> String {
    format!(
        "{}.{}.{}",
        registration.session_id,
        registration.id,
        cancel_secret(ctx, &registration.id).expose()
    )
}

/// A cancel link's token, split: the session, the registration and the hash of the secret.
pub(super) struct Link {
    pub(super) session: SessionId,
    pub(super) registration: RegistrationId,
    pub(super) hash: TokenHash,
}

pub(super) fn parse_link(token: &str) -> Option<Link> {
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
pub(super) async fn session_and_registration(
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
pub(super) fn registration_id_of(item: &crate::store::Item) -> Result<&str, BookingError> {
    item.get("id")
        .and_then(|id| id.as_s().ok())
        .map(String::as_str)
        .ok_or(BookingError::NotFound)
}

/// The registration a cancel link belongs to.
pub async fn by_link(ctx: &Context, token: &str) -> Result<LinkedRegistration, BookingError> {
    let link = parse_link(token).ok_or(BookingError::NotFound)?;
    let (session, registration) =
        session_and_registration(ctx, &link.session, &link.registration, Some(&link.hash)).await?;
    linked(ctx, session, registration).await
}

/// A registration reached by one of its links, with its series and its place in the queue.
pub(super) async fn linked(
    ctx: &Context,
    session: Session,
    registration: Registration,
) -> Result<LinkedRegistration, BookingError> {
    let series = series_of(ctx, &session).await?;
    let position = position_of(&session, &registration.id);
    Ok(LinkedRegistration {
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
) -> Result<(Cancelled, LinkedRegistration), BookingError> {
    let link = parse_link(token).ok_or(BookingError::NotFound)?;
    cancel(
        ctx,
        &link.session,
        &link.registration,
        Canceller::Link(&link.hash),
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
    let (cancelled, now) = cancel(
        ctx,
        session_id,
        registration,
        Canceller::Organizer {
            series: series_id,
            notify: true,
        },
    )
    .await?;
    Ok((cancelled, now.registration))
}

/// Who is cancelling: the holder of a cancel link (its secret's hash), an organizer of the
/// series the session must belong to (who may choose not to email the person), the
/// registration's own person (checked before), or the jobs releasing a hold that ran out
/// unconfirmed.
#[derive(Clone, Copy)]
pub(super) enum Canceller<'a> {
    Link(&'a TokenHash),
    Organizer { series: &'a SeriesId, notify: bool },
    Participant,
    Release,
}

/// Cancels registration `id` (reached by its link when `link` is given): a confirmed spot goes,
/// in the same transaction, to the earliest waitlisted registration that fits its role. A lost
/// race (someone else promoted that person, or the waitlist moved) is tried again from a fresh
/// read.
pub(super) async fn cancel(
    ctx: &Context,
    session_id: &SessionId,
    id: &RegistrationId,
    whose: Canceller<'_>,
) -> Result<(Cancelled, LinkedRegistration), BookingError> {
    let link = match whose {
        Canceller::Link(hash) => Some(hash),
        _ => None,
    };
    let mut series: Option<SeriesCopy> = None;
    let mut retry = ctx.race_retry();
    loop {
        retry.next().await?;
        let (session, registration) = session_and_registration(ctx, session_id, id, link).await?;
        if let Canceller::Organizer {
            series: series_id, ..
        } = whose
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
                LinkedRegistration {
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
        // A release applies only to a hold that ran out: confirmed meanwhile (or still
        // running), there is nothing to release, and `Already` says nothing was done.
        let released = matches!(whose, Canceller::Release);
        if released
            && registration
                .held_until
                .is_none_or(|until| until > ctx.clock.now())
        {
            return Ok((
                Cancelled::Already,
                LinkedRegistration {
                    registration: registration.clone(),
                    session: session.clone(),
                    series: series.clone(),
                    position: position_of(&session, &registration.id),
                },
            ));
        }
        let promoted = match (registration.status, registration.role) {
            (RegistrationStatus::Confirmed, Some(role))
                if session.status == SessionStatus::Scheduled =>
            {
                first_waiting_for(&session, role)
            }
            _ => None,
        };
        let note = if released {
            CancelNote::Released
        } else if matches!(whose, Canceller::Organizer { notify: false, .. }) {
            CancelNote::Silent
        } else {
            CancelNote::Cancelled
        };
        let by_organizers = matches!(whose, Canceller::Organizer { .. });
        let writes = cancel_writes(ctx, &session, &registration, promoted, note, by_organizers)?;
        match writes.commit().await {
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

/// What the cancelled person is emailed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum CancelNote {
    /// That their registration is cancelled.
    Cancelled,
    /// That their hold ran out unconfirmed and the spot was released.
    Released,
    /// Nothing: an organizer chose not to tell them.
    Silent,
}

/// The writes of a cancel: the registration (out of the holds index), its email claim, the
/// session's counters and waitlist, the cancelled person's email as `note` says (that their
/// hold was released under the condition that it is still the hold read, so a confirm that
/// came first wins), and the promotion of `promoted` (the waiter and its place in the
/// waitlist, with their email, always) if any.
pub(super) fn cancel_writes(
    ctx: &Context,
    session: &Session,
    registration: &Registration,
    promoted: Option<(usize, &Waiter)>,
    note: CancelNote,
    by_organizers: bool,
) -> Result<Transaction, BookingError> {
    let session_id = &session.id;
    let now = ctx.clock.now();
    let mut change = Change::new(
        "SET #status = :cancelled, cancelled_at = :now, cancelled_by_organizers = :by \
         REMOVE held_until, GSI1PK, GSI1SK",
    )
    .when("#status = :was")
    .name("#status", "status")
    .value(":cancelled", RegistrationStatus::Cancelled.as_str())
    .value(":was", registration.status.as_str())
    .value(":now", Value::of(&now)?)
    .value(":by", by_organizers);
    if let (CancelNote::Released, Some(until)) = (note, registration.held_until) {
        change = change
            .and_when("held_until = :held")
            .value(":held", Value::of(&until)?);
    }
    let mut writes = ctx.store.transaction();
    writes
        .update(
            "registration",
            &keys::registration(session_id, &registration.id),
            change,
        )?
        .delete(
            "email claim",
            &keys::registration_email(session_id, &registration.email),
            Condition::default(),
        )?;
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
    writes.update("session counters", &keys::session(session_id), counters)?;
    let (about, id) = (session_id.clone(), registration.id.clone());
    let told = match note {
        CancelNote::Cancelled => Some(Kind::RegistrationCancelled {
            session: about,
            registration: id,
        }),
        CancelNote::Released => Some(Kind::HoldReleased {
            session: about,
            registration: id,
        }),
        CancelNote::Silent => None,
    };
    if let Some(about) = told {
        let cancelled_note = Notification::new(ctx, Recipient::email(&registration.email), about);
        writes.put(
            "cancelled email",
            &cancelled_note.entry(),
            &cancelled_note,
            None,
        )?;
    }
    if let (Some((_, next)), Some(role)) = (promoted, registration.role) {
        promotion(&mut writes, ctx, session_id, &next.id, role)?;
        let promoted_note = Notification::new(
            ctx,
            Recipient::email(&next.email),
            Kind::Promoted {
                session: session_id.clone(),
                registration: next.id.clone(),
            },
        );
        writes.put(
            "promoted email",
            &promoted_note.entry(),
            &promoted_note,
            None,
        )?;
    }
    Ok(writes)
}
