//! The safety net: a session whose counters disagree with its registrations (which the
//! transactions never leave behind, but an operator's hand edit or a bug might) is put right,
//! and free spots with people waiting for them are filled. Scheduled by the jobs; reports what
//! it fixed.

use jiff::{SignedDuration, civil::Date};

use super::{
    BookingError, MAX_ATTEMPTS, Registration, RegistrationStatus, Role, back_off, promote_waiting,
    read_partition, unchanged,
};
use crate::{
    Context,
    ids::{RegistrationId, SessionId},
    jams::sessions::{self, Session, SessionStatus},
    store::{Change, StoreError, keys},
};

/// A session's booking counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub confirmed_base: u32,
    pub confirmed_flyer: u32,
    pub waitlisted_base: u32,
    pub waitlisted_flyer: u32,
    pub waitlisted_either: u32,
    /// The next waitlist number.
    pub waitlist_seq: u64,
}

impl Counters {
    fn stored(session: &Session) -> Self {
        Self {
            confirmed_base: session.confirmed_base,
            confirmed_flyer: session.confirmed_flyer,
            waitlisted_base: session.waitlisted_base,
            waitlisted_flyer: session.waitlisted_flyer,
            waitlisted_either: session.waitlisted_either,
            waitlist_seq: session.waitlist_seq,
        }
    }

    /// What the registrations say (the waitlist number moves past every number taken, and
    /// never back).
    fn counted(registrations: &[Registration], stored_seq: u64) -> Self {
        let mut counters = Self::default();
        let mut next_seq = stored_seq;
        for registration in registrations {
            match (registration.status, registration.role) {
                (RegistrationStatus::Confirmed, Some(Role::Base)) => counters.confirmed_base += 1,
                (RegistrationStatus::Confirmed, Some(Role::Flyer)) => {
                    counters.confirmed_flyer += 1;
                }
                (RegistrationStatus::Waitlisted, _) => match registration.requested {
                    super::RoleChoice::Base => counters.waitlisted_base += 1,
                    super::RoleChoice::Flyer => counters.waitlisted_flyer += 1,
                    super::RoleChoice::Either => counters.waitlisted_either += 1,
                },
                _ => {}
            }
            if let Some(seq) = registration.waitlist_seq {
                next_seq = next_seq.max(seq + 1);
            }
        }
        counters.waitlist_seq = next_seq;
        counters
    }

    fn waitlisted(&self) -> u32 {
        self.waitlisted_base + self.waitlisted_flyer + self.waitlisted_either
    }
}

/// What the sweep found wrong with one session and did about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepReport {
    pub session_id: SessionId,
    /// The counters as stored and as the registrations say, when they disagreed (the
    /// session now holds the second).
    pub counters: Option<(Counters, Counters)>,
    /// Waitlisted registrations given a spot that stood free.
    pub promoted: Vec<RegistrationId>,
}

impl SweepReport {
    pub fn fixed_anything(&self) -> bool {
        self.counters.is_some() || !self.promoted.is_empty()
    }
}

/// Checks session `id`: sets its counters to what its registrations say (under the condition
/// that no booking changed them since the read), then fills free spots from the waitlist.
#[tracing::instrument(skip_all, fields(session = %id))]
pub async fn sweep_session(ctx: &Context, id: &SessionId) -> Result<SweepReport, BookingError> {
    let mut attempt = 0;
    let (counters, status) = loop {
        attempt += 1;
        if attempt > MAX_ATTEMPTS {
            return Err(BookingError::Busy);
        }
        let partition = read_partition(ctx, id, None)
            .await?
            .ok_or(BookingError::NotFound)?;
        let session = &partition.session;
        let stored = Counters::stored(session);
        let counted = Counters::counted(&partition.registrations, stored.waitlist_seq);
        if stored == counted && session.waitlisted == counted.waitlisted() {
            break (None, session.status);
        }
        let as_read = [
            ("confirmed_base", ":cb0", u64::from(stored.confirmed_base)),
            ("confirmed_flyer", ":cf0", u64::from(stored.confirmed_flyer)),
            ("waitlisted", ":w0", u64::from(session.waitlisted)),
            ("waitlisted_base", ":wb0", u64::from(stored.waitlisted_base)),
            (
                "waitlisted_flyer",
                ":wf0",
                u64::from(stored.waitlisted_flyer),
            ),
            (
                "waitlisted_either",
                ":we0",
                u64::from(stored.waitlisted_either),
            ),
            ("waitlist_seq", ":seq0", stored.waitlist_seq),
        ];
        let condition = as_read
            .iter()
            .map(|(attribute, placeholder, value)| unchanged(attribute, placeholder, *value == 0))
            .collect::<Vec<_>>()
            .join(" AND ");
        let mut change = Change::new(
            "SET confirmed_base = :cb, confirmed_flyer = :cf, waitlisted = :w, \
             waitlisted_base = :wb, waitlisted_flyer = :wf, waitlisted_either = :we, \
             waitlist_seq = :seq",
        )
        .when(condition)
        .value(":cb", i64::from(counted.confirmed_base))
        .value(":cf", i64::from(counted.confirmed_flyer))
        .value(":w", i64::from(counted.waitlisted()))
        .value(":wb", i64::from(counted.waitlisted_base))
        .value(":wf", i64::from(counted.waitlisted_flyer))
        .value(":we", i64::from(counted.waitlisted_either))
        .value(
            ":seq",
            i64::try_from(counted.waitlist_seq).unwrap_or(i64::MAX),
        );
        for (_, placeholder, value) in as_read {
            change = change.value(placeholder, i64::try_from(value).unwrap_or(i64::MAX));
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
            Err(StoreError::Conflict { .. }) => back_off(attempt).await,
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

/// Sweeps every session starting on the `days` UTC days from `from`; returns the reports of
/// the sessions it fixed.
pub async fn sweep(ctx: &Context, from: Date, days: u16) -> Result<Vec<SweepReport>, BookingError> {
    let mut fixed = Vec::new();
    for offset in 0..i64::from(days) {
        let Ok(day) = from.checked_add(SignedDuration::from_hours(24 * offset)) else {
            break;
        };
        for session in sessions::on_day(ctx, day).await? {
            let report = sweep_session(ctx, &session.id).await?;
            if report.fixed_anything() {
                fixed.push(report);
            }
        }
    }
    Ok(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bookings::{RoleChoice, tests::registration};

    #[test]
    fn counters_are_counted_from_the_registrations() {
        let mut base = registration(RoleChoice::Base, RegistrationStatus::Confirmed);
        base.role = Some(Role::Base);
        let mut either = registration(RoleChoice::Either, RegistrationStatus::Confirmed);
        either.role = Some(Role::Flyer);
        let mut waiting = registration(RoleChoice::Either, RegistrationStatus::Waitlisted);
        waiting.waitlist_seq = Some(7);
        let mut promoted = registration(RoleChoice::Flyer, RegistrationStatus::Cancelled);
        promoted.waitlist_seq = Some(3);
        let counted = Counters::counted(&[base, either, waiting, promoted], 2);
        assert_eq!(
            counted,
            Counters {
                confirmed_base: 1,
                confirmed_flyer: 1,
                waitlisted_base: 0,
                waitlisted_flyer: 0,
                waitlisted_either: 1,
                waitlist_seq: 8,
            }
        );
        assert_eq!(counted.waitlisted(), 1);
    }

    #[test]
    fn the_waitlist_number_never_moves_back() {
        assert_eq!(Counters::counted(&[], 12).waitlist_seq, 12);
    }
}
