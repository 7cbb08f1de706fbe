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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bookings::{
        RegistrationStatus,
        tests::{registration, session},
    };

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
    fn a_newcomer_queues_behind_those_who_want_any_of_the_same_roles() {
        let session = waitlist(&[RoleChoice::Base, RoleChoice::Flyer, RoleChoice::Either]);
        assert_eq!(competing_waiters(&session, RoleChoice::Base), 2);
        assert_eq!(competing_waiters(&session, RoleChoice::Flyer), 2);
        assert_eq!(competing_waiters(&session, RoleChoice::Either), 3);
        assert!(competes(RoleChoice::Either, RoleChoice::Base));
        assert!(!competes(RoleChoice::Base, RoleChoice::Flyer));
    }

    #[test]
    fn a_place_in_the_list_and_a_position_in_the_queue_differ() {
        let session = waitlist(&[RoleChoice::Flyer, RoleChoice::Base]);
        let base = &session.waiting[1].id;
        assert_eq!(place_of(&session, base), Some(1), "second on the list");
        assert_eq!(position_of(&session, base), Some(1), "first of the bases");
        assert_eq!(position_of(&session, &RegistrationId::generate()), None);
    }

    #[test]
    fn who_waits_for_a_role_counts_those_who_take_either() {
        let session = session((0, 2), (0, 2), (1, 2, 3));
        assert_eq!(waiting_for(&session, Role::Base), 4);
        assert_eq!(waiting_for(&session, Role::Flyer), 5);
        assert_eq!(
            (
                confirmed(&session, Role::Base),
                capacity(&session, Role::Base)
            ),
            (0, 2)
        );
    }
}
