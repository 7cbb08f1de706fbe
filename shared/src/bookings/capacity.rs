//! Session edits the bookings must follow: an edit that raises a capacity promotes as many
//! waitlisted people as now fit. The jams save the edit; this orchestrates the rest above them.

use super::{BookingError, promote_waiting};
use crate::{
    Context, Error,
    authorization::Principal,
    ids::{SeriesId, SessionId},
    jams::sessions::{self, Session, SessionEdit, SessionError},
};

/// Saves an edit of a scheduled session ([`sessions::edit`]: access, notifications, the date
/// rule) and, when it raised a capacity, promotes from the waitlist, FIFO per role, each
/// promoted person with their notification.
#[tracing::instrument(skip_all)]
pub async fn edit_session(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    id: &SessionId,
    edit: SessionEdit,
) -> Result<Session, SessionError> {
    let edited = sessions::edit(ctx, principal, series_id, id, edit).await?;
    if edited.capacity_raised {
        match promote_waiting(ctx, id).await {
            Ok(promoted) => {
                tracing::info!(session = %id, promoted = promoted.len(), "capacity raised");
            }
            Err(BookingError::Internal(error)) => return Err(error.into()),
            Err(error) => return Err(Error::failed("promoting after a raise", error).into()),
        }
    }
    Ok(edited.session)
}
