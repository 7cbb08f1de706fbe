//! Cancelling several registrations of one session at once, for its organizers: every one is
//! found in that session first, then each goes through the one cancel, in its own transaction.

use super::{
    BookingError, Cancelled, Canceller, Registration, RegistrationStatus, TABLE_PAGE, cancel,
    named, organizer_of, session_of_series,
};
use crate::Context;
use crate::authorization::Principal;
use crate::ids::{RegistrationId, SeriesId, SessionId};
use crate::jams::series::Series;
use crate::jams::sessions::Session;

/// The most registrations one batch takes: a page of the table.
pub const BATCH_MAX: usize = TABLE_PAGE as usize;

/// The registrations a batch names, with their series and session (for the page that asks).
#[derive(Clone, Debug)]
pub struct BatchPreview {
    pub series: Series,
    pub session: Session,
    pub registrations: Vec<Registration>,
}

/// What a batch cancel did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchCancelled {
    /// Cancelled now.
    pub cancelled: usize,
    /// Cancelled before (left as they were).
    pub already: usize,
    /// Waitlisted people who took a freed spot (each told by email).
    pub promoted: usize,
}

/// The registrations `ids` of session `session_id`, for the step that asks before cancelling
/// them: refused as "not found" unless every one is of this session (and at most
/// [`BATCH_MAX`], at least one).
pub async fn batch_preview(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    ids: &[RegistrationId],
) -> Result<BatchPreview, BookingError> {
    // Who may, first; then a form may name one twice (the table reads and cancels each once),
    // but never more than a batch's worth, so a long list costs nothing.
    let series = organizer_of(ctx, principal, series_id).await?.series;
    let mut seen = std::collections::HashSet::new();
    let mut unique: Vec<RegistrationId> = Vec::new();
    for id in ids {
        if seen.insert(id) {
            if unique.len() == BATCH_MAX {
                return Err(BookingError::Refused(
                    "At most 50 registrations are cancelled at once. Select fewer and cancel the rest after.",
                ));
            }
            unique.push(id.clone());
        }
    }
    let ids = &unique[..];
    if ids.is_empty() {
        return Err(BookingError::Refused(
            "No registration was selected. Tick the people to cancel in the table first.",
        ));
    }
    let session = session_of_series(ctx, series_id, session_id).await?;
    let found = named(ctx, principal, series_id, session_id, ids).await?;
    let all_here = ids.iter().all(|id| {
        found
            .iter()
            .any(|registration| registration.id == *id && registration.session_id == *session_id)
    });
    if !all_here {
        return Err(BookingError::NotFound);
    }
    Ok(BatchPreview {
        series,
        session,
        registrations: found,
    })
}

/// An organizer cancels registrations `ids` of a session: all are checked to be of this
/// session before any is cancelled; then each is cancelled as one organizer cancel would be
/// (the spot passes to the next in line, each in its own transaction), the organizer's right
/// checked again for each. Already cancelled ones are left alone. The cancelled are emailed
/// when `notify`; the promoted always are.
#[tracing::instrument(skip_all, fields(session = %session_id, count = ids.len()))]
pub async fn cancel_batch(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    ids: &[RegistrationId],
    notify: bool,
) -> Result<BatchCancelled, BookingError> {
    let found = batch_preview(ctx, principal, series_id, session_id, ids).await?;
    let mut done = BatchCancelled::default();
    for registration in found.registrations {
        if registration.status == RegistrationStatus::Cancelled {
            done.already += 1;
            continue;
        }
        organizer_of(ctx, principal, series_id).await?;
        let whose = Canceller::Organizer {
            series: series_id,
            notify,
        };
        match cancel(ctx, session_id, &registration.id, whose).await?.0 {
            Cancelled::Now { promoted } => {
                done.cancelled += 1;
                done.promoted += usize::from(promoted.is_some());
            }
            Cancelled::Already => done.already += 1,
        }
    }
    Ok(done)
}
