//! What organizers do to registrations besides entering them: move someone between roles or
//! off the waitlist (an override, kept on the registration as its audit trail), see what
//! cancelling would do and add a cancelled person back, mark attendance after the session,
//! and look at one participant's history in the series.

use super::{
    Attendance, BookingError, CounterNames, Move, Registered, Registration, RegistrationInput,
    RegistrationStatus, Source, first_waiting_for, is_open, leave_waitlist, of_participant,
    organizer_of, place_of, position_of, promote_waiting, register, session_and_registration,
    session_of_series, waitlisted_attribute,
};
use jiff::Timestamp;

use crate::{
    Context,
    authorization::Principal,
    ids::{RegistrationId, SeriesId, SessionId},
    jams::{
        series::Series,
        sessions::{Session, SessionStatus},
    },
    outbox::{Kind, Notification, Recipient},
    store::{Change, StoreError, Value, keys},
    values::{Role, RoleChoice},
};

/// How a registration reads in the audit trail: "confirmed as base", "waitlisted (either)".
fn standing(registration: &Registration) -> String {
    match (registration.status, registration.role) {
        (RegistrationStatus::Confirmed, Some(role)) => format!("confirmed as {}", role.as_str()),
        (RegistrationStatus::Waitlisted, _) => {
            format!("waitlisted ({})", registration.requested.as_str())
        }
        (status, _) => status.as_str().to_owned(),
    }
}

/// What moving `registration` to a confirmed spot as `to` does to `session`'s counters and
/// waitlist, or why it cannot move. Moves are overrides: they confirm even when the role is
/// full.
fn counter_change(
    session: &Session,
    registration: &Registration,
    to: Role,
) -> Result<Change, BookingError> {
    match (registration.status, registration.role) {
        (RegistrationStatus::Confirmed, Some(from)) if from == to => Err(BookingError::Refused(
            "They already hold that role; nothing to change.",
        )),
        (RegistrationStatus::Confirmed, Some(from)) => Ok(Change::new(format!(
            "ADD {} :one, {} :minus",
            to.confirmed_attribute(),
            from.confirmed_attribute()
        ))),
        (RegistrationStatus::Waitlisted, _) => Ok(match place_of(session, &registration.id) {
            Some(place) => leave_waitlist(place, &session.waiting[place], ":moving")?,
            // Not on the list (only the sweep would find such a thing): the counts alone.
            None => Change::new(format!(
                "ADD waitlisted :minus, {} :minus",
                waitlisted_attribute(registration.requested)
            )),
        }
        .and_add(&format!("{} :one", to.confirmed_attribute()))),
        _ => Err(BookingError::Refused(
            "A cancelled registration cannot be moved; enter them again instead.",
        )),
    }
}

/// An organizer moves registration `id` to a confirmed spot as `to`: from the other role, or
/// off the waitlist (over capacity if need be: the override is theirs to make). One
/// transaction changes the registration, appends the move to its audit trail, adjusts the
/// session's counters and tells the person; a spot the move frees goes to the next in line.
#[tracing::instrument(skip_all, fields(session = %session_id, registration = %id))]
pub async fn move_registration(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    id: &RegistrationId,
    to: Role,
) -> Result<Registration, BookingError> {
    let organizer = organizer_of(ctx, principal, series_id).await?;
    let (session, registration) = session_and_registration(ctx, session_id, id, None).await?;
    if session.series_id != *series_id {
        return Err(BookingError::NotFound);
    }
    let (session, registration) = (&session, &registration);
    if session.status != SessionStatus::Scheduled {
        return Err(BookingError::Refused(
            "Registrations of a cancelled or completed session cannot be moved.",
        ));
    }
    let counters = counter_change(session, registration, to)?
        .and_when("#status = :scheduled")
        .name("#status", "status")
        .value(":scheduled", "scheduled")
        .value(":one", 1)
        .value(":minus", -1);
    let now = ctx.clock.now();
    let moved = Registration {
        status: RegistrationStatus::Confirmed,
        role: Some(to),
        promoted_at: match registration.status {
            RegistrationStatus::Waitlisted => Some(now),
            _ => registration.promoted_at,
        },
        moves: [
            registration.moves.clone(),
            vec![Move {
                at: now,
                by: organizer.id,
                by_name: organizer.name,
                from: standing(registration),
                to: format!("confirmed as {}", to.as_str()),
            }],
        ]
        .concat(),
        ..registration.clone()
    };
    // The registration must still stand as read (status and role): two organizers moving
    // the same person at once make one move.
    let mut update = Change::new(
        "SET #status = :confirmed, #role = :role, promoted_at = :promoted_at, \
         moves = list_append(if_not_exists(moves, :no_moves), :move)",
    )
    .when("#status = :was AND (attribute_not_exists(#role) OR #role = :was_role)")
    .name("#status", "status")
    .name("#role", "role")
    .value(":confirmed", RegistrationStatus::Confirmed.as_str())
    .value(":role", to.as_str())
    .value(":promoted_at", Value::of(&moved.promoted_at)?)
    .value(":no_moves", Value::of(&Vec::<Move>::new())?)
    .value(
        ":move",
        Value::of(&moved.moves[registration.moves.len()..].to_vec())?,
    )
    .value(":was", registration.status.as_str());
    update = update.value(":was_role", registration.role.map_or("none", Role::as_str));
    let (session_id_copy, registration_id) = (session_id.clone(), id.clone());
    let about = match registration.status {
        RegistrationStatus::Waitlisted => Kind::Promoted {
            session: session_id_copy,
            registration: registration_id,
        },
        _ => Kind::RoleChanged {
            session: session_id_copy,
            registration: registration_id,
        },
    };
    let notification = Notification::new(ctx, Recipient::email(&registration.email), about);
    let mut writes = ctx.store.transaction();
    writes
        .update("session counters", &keys::session(session_id), counters)?
        .update("registration", &keys::registration(session_id, id), update)?
        .put("moved email", &notification.entry(), &notification, None)?;
    match writes.commit().await {
        Ok(()) => {}
        Err(StoreError::Conflict { .. }) => {
            return Err(BookingError::Refused(
                "Someone changed this registration at the same moment; look again and retry.",
            ));
        }
        Err(error) => return Err(error.into()),
    }
    // A confirmed spot left behind in the other role goes to whoever waits for it.
    if registration.status == RegistrationStatus::Confirmed {
        promote_waiting(ctx, session_id).await?;
    }
    Ok(moved)
}

/// Marks (or, with `None`, unmarks) whether confirmed registration `id` came. Only once the
/// session has started.
pub async fn mark_attendance(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    id: &RegistrationId,
    attendance: Option<Attendance>,
) -> Result<(), BookingError> {
    organizer_of(ctx, principal, series_id).await?;
    let session = session_of_series(ctx, series_id, session_id).await?;
    if session.starts_at > ctx.clock.now() {
        return Err(BookingError::Refused(
            "Attendance can be marked once the session has started.",
        ));
    }
    let change = match attendance {
        Some(attendance) => {
            Change::new("SET attendance = :attendance").value(":attendance", attendance.as_str())
        }
        None => Change::new("REMOVE attendance"),
    }
    .when("#status = :confirmed")
    .name("#status", "status")
    .value(":confirmed", RegistrationStatus::Confirmed.as_str());
    match ctx
        .store
        .update_item(&keys::registration(session_id, id), change)
        .await
    {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict { .. }) => Err(BookingError::Refused(
            "Only confirmed registrations have an attendance.",
        )),
        Err(error) => Err(error.into()),
    }
}

/// What cancelling a registration would do, for the organizer to confirm first.
#[derive(Clone, Debug)]
pub struct CancelPreview {
    pub series: Series,
    pub session: Session,
    pub registration: Registration,
    /// Its place in the waitlist of its role, when waiting.
    pub position: Option<u32>,
    /// Who would take the freed spot: the first person waiting who fits the role it holds
    /// (none when it waits, or nobody waits for that role).
    pub next: Option<Registration>,
}

/// What cancelling registration `id` would do now: for its organizers, before they confirm.
pub async fn cancel_preview(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    id: &RegistrationId,
) -> Result<CancelPreview, BookingError> {
    let organizer = organizer_of(ctx, principal, series_id).await?;
    let (session, registration) = session_and_registration(ctx, session_id, id, None).await?;
    if session.series_id != *series_id {
        return Err(BookingError::NotFound);
    }
    let next = match (registration.status, registration.role) {
        (RegistrationStatus::Confirmed, Some(role))
            if session.status == SessionStatus::Scheduled =>
        {
            first_waiting_for(&session, role).map(|(_, waiter)| waiter.id.clone())
        }
        _ => None,
    };
    let next = match next {
        Some(next) => {
            ctx.store
                .get::<Registration>(&keys::registration(session_id, &next))
                .await?
        }
        None => None,
    };
    let position = position_of(&session, &registration.id);
    Ok(CancelPreview {
        series: organizer.series,
        session,
        registration,
        position,
        next,
    })
}

/// The choice a cancelled registration is entered again with: the role it held, or the one
/// it asked for if it never held one.
fn again_as(registration: &Registration) -> RoleChoice {
    match registration.role {
        Some(Role::Base) => RoleChoice::Base,
        Some(Role::Flyer) => RoleChoice::Flyer,
        None => registration.requested,
    }
}

/// An organizer adds back the person of cancelled registration `id`: a new registration with
/// the same name, email, role and note, by the rules of entering someone by hand (confirmed
/// while the role has room, else waitlisted; never over capacity). The cancelled one stays, as
/// history.
#[tracing::instrument(skip_all, fields(session = %session_id, registration = %id))]
pub async fn add_back(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    id: &RegistrationId,
) -> Result<Registered, BookingError> {
    let by = organizer_of(ctx, principal, series_id).await?.proof();
    let cancelled = ctx
        .store
        .get::<Registration>(&keys::registration(session_id, id))
        .await?
        .filter(|registration| registration.series_id == *series_id)
        .ok_or(BookingError::NotFound)?;
    if cancelled.status != RegistrationStatus::Cancelled {
        return Err(BookingError::Refused(
            "This registration is not cancelled; there is nothing to add back.",
        ));
    }
    let input = RegistrationInput {
        requested: again_as(&cancelled),
        name: cancelled.name,
        email: cancelled.email,
        note: cancelled.note,
    };
    register(
        ctx,
        session_id,
        input,
        Source::Manual {
            by,
            over_capacity: false,
        },
    )
    .await
    .map_err(|error| match error {
        BookingError::AlreadyRegistered(_) => BookingError::Refused(
            "They are registered again already: look for their new row in the table.",
        ),
        BookingError::Closed | BookingError::SessionCancelled => BookingError::Refused(
            "This session no longer takes registrations, so they cannot be added back.",
        ),
        other => other,
    })
}

/// Registrations `ids` of a session, those that exist, in the order asked: what a notice after
/// an organizer's action names.
pub async fn named(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    ids: &[RegistrationId],
) -> Result<Vec<Registration>, BookingError> {
    organizer_of(ctx, principal, series_id).await?;
    let wanted: Vec<_> = ids
        .iter()
        .map(|id| keys::registration(session_id, id))
        .collect();
    let mut found = Vec::new();
    for item in ctx.store.get_many(&wanted).await?.into_iter().flatten() {
        let registration: Registration = serde_dynamo::from_item(item).map_err(StoreError::from)?;
        if registration.series_id == *series_id {
            found.push(registration);
        }
    }
    Ok(found)
}

/// What an organizer may do with a registration now: decided here, once, so the table, the
/// registration's page and the check-in list offer the same.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Offered {
    /// The roles it may be put in: off the waitlist into a role it asked for, or a confirmed
    /// spot into the other role (while the session is scheduled).
    pub moves: Vec<Role>,
    /// The attendance marks that would change something, once the session has started
    /// (`None` clears the mark), for a confirmed registration.
    pub marks: Vec<Option<Attendance>>,
    /// Whether it can be cancelled for the person (it is not cancelled yet).
    pub cancel: bool,
    /// Whether "Add them back" works: it is cancelled and the session takes registrations.
    pub add_back: bool,
}

/// What an organizer may do with `registration` of `session` at `now`.
pub fn offered(session: &Session, registration: &Registration, now: Timestamp) -> Offered {
    let moves = match (session.status, registration.status, registration.role) {
        (SessionStatus::Scheduled, RegistrationStatus::Waitlisted, _) => {
            registration.requested.roles().to_vec()
        }
        (SessionStatus::Scheduled, RegistrationStatus::Confirmed, Some(held)) => vec![match held {
            Role::Base => Role::Flyer,
            Role::Flyer => Role::Base,
        }],
        _ => Vec::new(),
    };
    let marks = if registration.status == RegistrationStatus::Confirmed && session.starts_at <= now
    {
        [Some(Attendance::Attended), Some(Attendance::NoShow), None]
            .into_iter()
            .filter(|mark| match mark {
                Some(_) => registration.attendance != *mark,
                None => registration.attendance.is_some(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let cancelled = registration.status == RegistrationStatus::Cancelled;
    Offered {
        moves,
        marks,
        cancel: !cancelled,
        add_back: cancelled && is_open(session, now).is_ok(),
    }
}

/// One registration as its organizers look into it: the session, the registration (with its
/// audit trail), the person's registrations in the same series, newest session first, and
/// what may be done with it now.
#[derive(Clone, Debug)]
pub struct Detail {
    pub series: Series,
    pub session: Session,
    pub registration: Registration,
    pub history: Vec<Registration>,
    pub offered: Offered,
}

impl Detail {
    /// (attended, no-show) over the person's registrations in the series.
    pub fn attendance_counts(&self) -> (usize, usize) {
        let count = |wanted| {
            self.history
                .iter()
                .filter(|registration| registration.attendance == Some(wanted))
                .count()
        };
        (count(Attendance::Attended), count(Attendance::NoShow))
    }
}

/// Registration `id` with its person's history in the series.
pub async fn registration_detail(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    id: &RegistrationId,
) -> Result<Detail, BookingError> {
    let organizer = organizer_of(ctx, principal, series_id).await?;
    let session = session_of_series(ctx, series_id, session_id).await?;
    let registration = ctx
        .store
        .get::<Registration>(&keys::registration(session_id, id))
        .await?
        .ok_or(BookingError::NotFound)?;
    let mut history: Vec<Registration> = of_participant(ctx, &registration.email)
        .await?
        .into_iter()
        .filter(|earlier| &earlier.series_id == series_id)
        .collect();
    history.reverse();
    Ok(Detail {
        offered: offered(&session, &registration, ctx.clock.now()),
        series: organizer.series,
        session,
        registration,
        history,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        bookings::tests::{registration, session},
        values::{RoleChoice, Waiter},
    };

    #[test]
    fn what_an_organizer_is_offered_follows_the_registration_and_the_session() {
        let session = session((1, 1), (0, 1), (0, 0, 0));
        let before: Timestamp = "2027-03-10T12:00:00Z".parse().unwrap();
        let during: Timestamp = "2027-03-16T19:00:00Z".parse().unwrap();
        let waiting = registration(RoleChoice::Either, RegistrationStatus::Waitlisted);
        let offered_waiting = offered(&session, &waiting, before);
        assert_eq!(offered_waiting.moves, [Role::Base, Role::Flyer]);
        assert!(
            offered_waiting.marks.is_empty(),
            "only the confirmed are marked"
        );
        assert!(offered_waiting.cancel && !offered_waiting.add_back);

        let mut confirmed = registration(RoleChoice::Base, RegistrationStatus::Confirmed);
        confirmed.role = Some(Role::Base);
        assert_eq!(offered(&session, &confirmed, before).moves, [Role::Flyer]);
        assert!(
            offered(&session, &confirmed, before).marks.is_empty(),
            "not started"
        );
        assert_eq!(
            offered(&session, &confirmed, during).marks,
            [Some(Attendance::Attended), Some(Attendance::NoShow)]
        );
        confirmed.attendance = Some(Attendance::Attended);
        assert_eq!(
            offered(&session, &confirmed, during).marks,
            [Some(Attendance::NoShow), None]
        );

        let cancelled = registration(RoleChoice::Base, RegistrationStatus::Cancelled);
        let offered_cancelled = offered(&session, &cancelled, before);
        assert!(offered_cancelled.moves.is_empty() && !offered_cancelled.cancel);
        assert!(
            offered_cancelled.add_back,
            "the session still takes registrations"
        );
        assert!(
            !offered(&session, &cancelled, during).add_back,
            "it has started"
        );

        let mut over = session.clone();
        over.status = SessionStatus::Cancelled;
        assert!(offered(&over, &waiting, before).moves.is_empty());
    }

    #[test]
    fn moves_take_a_spot_in_the_new_role_and_give_back_the_old() {
        let mut confirmed = registration(RoleChoice::Either, RegistrationStatus::Confirmed);
        confirmed.role = Some(Role::Base);
        let session = session((1, 1), (0, 1), (0, 0, 0));
        let change = counter_change(&session, &confirmed, Role::Flyer).unwrap();
        assert_eq!(
            change.expression,
            "ADD confirmed_flyer :one, confirmed_base :minus"
        );
        assert!(matches!(
            counter_change(&session, &confirmed, Role::Base),
            Err(BookingError::Refused(_))
        ));
        assert_eq!(standing(&confirmed), "confirmed as base");
    }

    #[test]
    fn moves_off_the_waitlist_leave_the_queue_of_the_role_asked_for() {
        let waiting = registration(RoleChoice::Flyer, RegistrationStatus::Waitlisted);
        let mut session = session((1, 1), (1, 1), (0, 2, 0));
        session.waiting = [RoleChoice::Flyer, RoleChoice::Flyer]
            .into_iter()
            .zip([
                registration(RoleChoice::Flyer, RegistrationStatus::Waitlisted),
                waiting.clone(),
            ])
            .map(|(requested, registration)| Waiter {
                id: registration.id,
                requested,
                email: registration.email,
            })
            .collect();
        let change = counter_change(&session, &waiting, Role::Base).unwrap();
        assert_eq!(
            change.expression,
            "REMOVE waiting[1] ADD waitlisted :minus, waitlisted_flyer :minus, confirmed_base :one"
        );
        assert_eq!(
            change.condition.expression.as_deref(),
            Some("waiting[1] = :moving")
        );
        assert_eq!(standing(&waiting), "waitlisted (flyer)");
    }

    #[test]
    fn a_cancelled_registration_comes_back_in_the_role_it_held() {
        let mut held = registration(RoleChoice::Either, RegistrationStatus::Cancelled);
        held.role = Some(Role::Flyer);
        assert_eq!(again_as(&held), RoleChoice::Flyer);
        let waited = registration(RoleChoice::Either, RegistrationStatus::Cancelled);
        assert_eq!(again_as(&waited), RoleChoice::Either);
    }

    #[test]
    fn cancelled_registrations_do_not_move() {
        let cancelled = registration(RoleChoice::Base, RegistrationStatus::Cancelled);
        let session = session((0, 1), (0, 1), (0, 0, 0));
        assert!(matches!(
            counter_change(&session, &cancelled, Role::Base),
            Err(BookingError::Refused(_))
        ));
    }
}
