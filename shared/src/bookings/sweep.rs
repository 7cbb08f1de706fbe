//! The safety net: a session whose counters or waitlist disagree with its registrations (which
//! the transactions never leave behind, but an operator's hand edit or a bug might) is put
//! right, and free spots with people waiting for them are filled. Scheduled by the jobs;
//! reports what it fixed.

use jiff::{SignedDuration, civil::Date};

use super::{
    BookingError, Registration, RegistrationStatus, promote_waiting, read_partition, unchanged,
};
use crate::{
    Context,
    ids::{RegistrationId, SessionId},
    jams::sessions::{self, Session, SessionStatus},
    store::{Change, StoreError, Value, keys},
    values::{Role, RoleChoice, Waiter},
};

/// A session's booking counters and waitlist.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub confirmed_base: u32,
    pub confirmed_flyer: u32,
    pub waitlisted_base: u32,
    pub waitlisted_flyer: u32,
    pub waitlisted_either: u32,
    /// The waitlist's registrations, in order.
    pub waiting: Vec<RegistrationId>,
}

impl Counters {
    fn stored(session: &Session) -> Self {
        Self {
            confirmed_base: session.confirmed_base,
            confirmed_flyer: session.confirmed_flyer,
            waitlisted_base: session.waitlisted_base,
            waitlisted_flyer: session.waitlisted_flyer,
            waitlisted_either: session.waitlisted_either,
            waiting: session
                .waiting
                .iter()
                .map(|waiter| waiter.id.clone())
                .collect(),
        }
    }

    fn waitlisted(&self) -> u32 {
        self.waitlisted_base + self.waitlisted_flyer + self.waitlisted_either
    }
}

/// What the registrations say: the counts, and the waitlist as stored with everyone who no
/// longer waits taken out and anyone waiting but missing added at the end (in the order they
/// registered).
fn counted(session: &Session, registrations: &[Registration]) -> (Counters, Vec<Waiter>) {
    let mut counters = Counters::default();
    let waiting: Vec<&Registration> = registrations
        .iter()
        .filter(|registration| registration.status == RegistrationStatus::Waitlisted)
        .collect();
    for registration in registrations {
        match (registration.status, registration.role) {
            (RegistrationStatus::Confirmed, Some(Role::Base)) => counters.confirmed_base += 1,
            (RegistrationStatus::Confirmed, Some(Role::Flyer)) => counters.confirmed_flyer += 1,
            (RegistrationStatus::Waitlisted, _) => match registration.requested {
                RoleChoice::Base => counters.waitlisted_base += 1,
                RoleChoice::Flyer => counters.waitlisted_flyer += 1,
                RoleChoice::Either => counters.waitlisted_either += 1,
            },
            _ => {}
        }
    }
    let mut list: Vec<Waiter> = session
        .waiting
        .iter()
        .filter(|waiter| {
            waiting
                .iter()
                .any(|registration| registration.id == waiter.id)
        })
        .cloned()
        .collect();
    let mut missing: Vec<&&Registration> = waiting
        .iter()
        .filter(|registration| !list.iter().any(|waiter| waiter.id == registration.id))
        .collect();
    missing.sort_by_key(|registration| (registration.created_at, registration.id.clone()));
    list.extend(missing.into_iter().map(|registration| Waiter {
        id: registration.id.clone(),
        requested: registration.requested,
        email: registration.email.clone(),
    }));
    counters.waiting = list.iter().map(|waiter| waiter.id.clone()).collect();
    (counters, list)
}

/// What the sweep found wrong with one session and did about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepReport {
    pub session_id: SessionId,
    /// The counters and waitlist as stored and as the registrations say, when they disagreed
    /// (the session now holds the second).
    pub counters: Option<(Counters, Counters)>,
    /// Waitlisted registrations given a spot that stood free.
    pub promoted: Vec<RegistrationId>,
}

impl SweepReport {
    pub fn fixed_anything(&self) -> bool {
        self.counters.is_some() || !self.promoted.is_empty()
    }
}

/// Checks session `id`: sets its counters and waitlist to what its registrations say (under
/// the condition that no booking changed them since the read), then fills free spots from the
/// waitlist.
#[tracing::instrument(skip_all, fields(session = %id))]
pub async fn sweep_session(ctx: &Context, id: &SessionId) -> Result<SweepReport, BookingError> {
    let mut retry = ctx.race_retry();
    let (counters, status) = loop {
        retry.next().await?;
        let partition = read_partition(ctx, id)
            .await?
            .ok_or(BookingError::NotFound)?;
        let session = &partition.session;
        let stored = Counters::stored(session);
        let (counted, list) = counted(session, &partition.registrations);
        if stored == counted && session.waitlisted == counted.waitlisted() {
            break (None, session.status);
        }
        // Every booking changes at least one of these counts: unchanged counts mean the
        // registrations read are still the registrations.
        let as_read = [
            ("confirmed_base", ":cb0", stored.confirmed_base),
            ("confirmed_flyer", ":cf0", stored.confirmed_flyer),
            ("waitlisted", ":w0", session.waitlisted),
            ("waitlisted_base", ":wb0", stored.waitlisted_base),
            ("waitlisted_flyer", ":wf0", stored.waitlisted_flyer),
            ("waitlisted_either", ":we0", stored.waitlisted_either),
        ];
        let condition = as_read
            .iter()
            .map(|(attribute, placeholder, value)| unchanged(attribute, placeholder, *value == 0))
            .collect::<Vec<_>>()
            .join(" AND ");
        let mut change = Change::new(
            "SET confirmed_base = :cb, confirmed_flyer = :cf, waitlisted = :w, \
             waitlisted_base = :wb, waitlisted_flyer = :wf, waitlisted_either = :we, \
             waiting = :waiting",
        )
        .when(condition)
        .value(":cb", i64::from(counted.confirmed_base))
        .value(":cf", i64::from(counted.confirmed_flyer))
        .value(":w", i64::from(counted.waitlisted()))
        .value(":wb", i64::from(counted.waitlisted_base))
        .value(":wf", i64::from(counted.waitlisted_flyer))
        .value(":we", i64::from(counted.waitlisted_either))
        .value(":waiting", Value::of(&list)?);
        for (_, placeholder, value) in as_read {
            change = change.value(placeholder, i64::from(value));
        }
        match ctx.store.update_item(&keys::session(id), change).await {
            Ok(()) => {
                tracing::warn!(
                    ?stored,
                    ?counted,
                    "session counters disagreed with registrations"
                );
                break (Some((stored, counted)), session.status);
            }
            // A booking moved the counters meanwhile: look again.
            Err(StoreError::Conflict { .. }) => continue,
            Err(error) => return Err(error.into()),
        }
    };
    let promoted = if status == SessionStatus::Scheduled {
        promote_waiting(ctx, id).await?
    } else {
        Vec::new()
    };
    Ok(SweepReport {
        session_id: id.clone(),
        counters,
        promoted,
    })
}

/// What a sweep over some days did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Scheduled sessions looked at.
    pub examined: usize,
    /// The reports of the sessions it fixed.
    pub fixed: Vec<SweepReport>,
}

/// Sweeps every scheduled session starting on the `days` UTC days from `from`.
pub async fn sweep(ctx: &Context, from: Date, days: u16) -> Result<Swept, BookingError> {
    let mut swept = Swept::default();
    for offset in 0..i64::from(days) {
        let Ok(day) = from.checked_add(SignedDuration::from_hours(24 * offset)) else {
            break;
        };
        for session in sessions::on_day(ctx, day).await? {
            if session.status != SessionStatus::Scheduled {
                continue;
            }
            swept.examined += 1;
            let report = sweep_session(ctx, &session.id).await?;
            if report.fixed_anything() {
                swept.fixed.push(report);
            }
        }
    }
    Ok(swept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bookings::tests::{registration, session};

    fn waiter(registration: &Registration) -> Waiter {
        Waiter {
            id: registration.id.clone(),
            requested: registration.requested,
            email: registration.email.clone(),
        }
    }

    #[test]
    fn counters_and_the_waitlist_are_counted_from_the_registrations() {
        let mut base = registration(RoleChoice::Base, RegistrationStatus::Confirmed);
        base.role = Some(Role::Base);
        let mut either = registration(RoleChoice::Either, RegistrationStatus::Confirmed);
        either.role = Some(Role::Flyer);
        let first = registration(RoleChoice::Either, RegistrationStatus::Waitlisted);
        let mut forgotten = registration(RoleChoice::Flyer, RegistrationStatus::Waitlisted);
        forgotten.created_at = "2027-01-01T00:00:00Z".parse().unwrap();
        let gone = registration(RoleChoice::Flyer, RegistrationStatus::Cancelled);
        let mut stored = session((0, 1), (0, 1), (0, 0, 0));
        // The list holds someone who left and misses someone who waits.
        stored.waiting = vec![waiter(&gone), waiter(&first)];
        let registrations = [base, either, first.clone(), forgotten.clone(), gone];
        let (counters, list) = counted(&stored, &registrations);
        assert_eq!(
            counters,
            Counters {
                confirmed_base: 1,
                confirmed_flyer: 1,
                waitlisted_base: 0,
                waitlisted_flyer: 1,
                waitlisted_either: 1,
                waiting: vec![first.id.clone(), forgotten.id.clone()],
            }
        );
        assert_eq!(list, vec![waiter(&first), waiter(&forgotten)]);
        assert_eq!(counters.waitlisted(), 2);
    }

    #[test]
    fn a_waitlist_that_agrees_is_left_as_it_is() {
        let a = registration(RoleChoice::Base, RegistrationStatus::Waitlisted);
        let b = registration(RoleChoice::Flyer, RegistrationStatus::Waitlisted);
        let mut stored = session((1, 1), (1, 1), (1, 1, 0));
        // Stored order is kept even when it differs from registration time.
        stored.waiting = vec![waiter(&b), waiter(&a)];
        let (counters, list) = counted(&stored, &[a.clone(), b.clone()]);
        assert_eq!(list, stored.waiting);
        assert_eq!(counters.waiting, vec![b.id, a.id]);
    }
}
