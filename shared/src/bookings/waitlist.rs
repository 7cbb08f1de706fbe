//! The queue maths, pure: who may take a role now, who is next for a freed spot, and each
//! waiting registration's place in the queue of the roles it asked for.

use crate::ids::RegistrationId;
use crate::jams::sessions::Session;
use crate::values::{Role, RoleChoice, Waiter};

/// People waiting who fit `role`.
pub(super) fn waiting_for(session: &Session, role: Role) -> u32 {
    match role {
        Role::Base => session.waitlisted_base + session.waitlisted_either,
        Role::Flyer => session.waitlisted_flyer + session.waitlisted_either,
    }
}

pub(super) fn confirmed(session: &Session, role: Role) -> u32 {
    match role {
        Role::Base => session.confirmed_base,
        Role::Flyer => session.confirmed_flyer,
    }
}

pub(super) fn capacity(session: &Session, role: Role) -> u32 {
    match role {
        Role::Base => u32::from(session.capacity_base),
        Role::Flyer => u32::from(session.capacity_flyer),
    }
}

/// Whether a newcomer may take `role` now: room, and nobody waiting for it.
pub(super) fn open_to_newcomers(session: &Session, role: Role) -> bool {
    confirmed(session, role) < capacity(session, role) && waiting_for(session, role) == 0
}

/// People on `session`'s waitlist who compete with a newcomer asking for `requested` (for any
/// of the same roles).
pub(super) fn competing_waiters(session: &Session, requested: RoleChoice) -> u32 {
    let competing = session
        .waiting
        .iter()
        .filter(|waiter| competes(waiter.requested, requested))
        .count();
    u32::try_from(competing).unwrap_or(u32::MAX)
}

/// Whether people asking for `a` and `b` wait for any of the same roles.
pub(super) fn competes(a: RoleChoice, b: RoleChoice) -> bool {
    a.roles().iter().any(|role| b.fits(*role))
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

/// The first person on `session`'s waitlist who fits `role`, with their place in the list.
pub(super) fn first_waiting_for(session: &Session, role: Role) -> Option<(usize, &Waiter)> {
    session
        .waiting
        .iter()
        .enumerate()
        .find(|(_, waiter)| waiter.requested.fits(role))
}

/// The place of registration `id` in `session`'s waitlist.
pub(super) fn place_of(session: &Session, id: &RegistrationId) -> Option<usize> {
    session.waiting.iter().position(|waiter| waiter.id == *id)
}
