//! Promotion from the waitlist when spots are free without a cancel (a capacity raised, a
//! move, the sweep): one transaction per promoted person.

use super::{
    BookingError, CounterNames, RegistrationStatus, capacity, confirmed, first_waiting_for,
    leave_waitlist,
};
use crate::Context;
use crate::ids::{RegistrationId, SessionId};
use crate::jams::sessions::{Session, SessionStatus};
use crate::outbox::{Kind, Notification, Recipient};
use crate::store::{Change, StoreError, Transaction, Value, keys};
use crate::values::Role;

/// Adds to `writes` the update that confirms waitlisted registration `next` as `role`.
pub(super) fn promotion(
    writes: &mut Transaction,
    ctx: &Context,
    session_id: &SessionId,
    next: &RegistrationId,
    role: Role,
) -> Result<(), StoreError> {
    writes.update(
        "promotion",
        &keys::registration(session_id, next),
        Change::new("SET #status = :confirmed, #role = :role, promoted_at = :now")
            .when("#status = :waitlisted")
            .name("#status", "status")
            .name("#role", "role")
            .value(":confirmed", RegistrationStatus::Confirmed.as_str())
            .value(":waitlisted", RegistrationStatus::Waitlisted.as_str())
            .value(":role", role.as_str())
            .value(":now", Value::of(&ctx.clock.now())?),
    )?;
    Ok(())
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
    let mut retry = ctx.race_retry();
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
        let notification = Notification::new(
            ctx,
            Recipient::email(&next.email),
            Kind::Promoted {
                session: session_id.clone(),
                registration: next.id.clone(),
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
        let mut writes = ctx.store.transaction();
        writes.update("session counters", &keys::session(session_id), counters)?;
        promotion(&mut writes, ctx, session_id, &next.id, role)?;
        writes.put("promoted email", &notification.entry(), &notification, None)?;
        match writes.commit().await {
            Ok(()) => {
                promoted.push(next.id.clone());
                retry.progressed();
            }
            Err(StoreError::Conflict { .. }) => continue,
            Err(error) => return Err(error.into()),
        }
    }
}
