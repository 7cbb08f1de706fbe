//! "My registrations": a signed-in participant sees the registrations made with their
//! account's email address (on the public page or by an organizer) and cancels them without
//! the link.

use jiff::SignedDuration;

use super::{BookingError, Cancelled, Canceller, Registration, cancel, of_participant, series_of};
use crate::{
    Context,
    authorization::{Operation, Principal, authorize},
    ids::{RegistrationId, SessionId},
    jams::sessions::{SeriesCopy, Session},
    store::keys,
};

/// A registration with the session and series it is for.
#[derive(Clone, Debug)]
pub struct MyRegistration {
    pub registration: Registration,
    pub session: Session,
    pub series: SeriesCopy,
}

/// How many past registrations the page shows.
const PAST: usize = 20;

/// The acting user's registrations: upcoming ones (sessions that started less than 12 hours
/// ago included) soonest first, then up to 20 past ones, latest first.
pub async fn mine(
    ctx: &Context,
    principal: &Principal,
) -> Result<(Vec<MyRegistration>, Vec<MyRegistration>), BookingError> {
    let actor = authorize(principal, Operation::ManageOwnAccount)?;
    let registrations = of_participant(ctx, &actor.user.email).await?;
    let recent = ctx
        .clock
        .now()
        .saturating_sub(SignedDuration::from_hours(12))
        .unwrap_or_else(|_| ctx.clock.now());
    let (upcoming, past): (Vec<Registration>, Vec<Registration>) = registrations
        .into_iter()
        .partition(|registration| registration.starts_at >= recent);
    let mut past = past;
    past.reverse();
    past.truncate(PAST);
    Ok((
        with_sessions(ctx, upcoming).await?,
        with_sessions(ctx, past).await?,
    ))
}

async fn with_sessions(
    ctx: &Context,
    registrations: Vec<Registration>,
) -> Result<Vec<MyRegistration>, BookingError> {
    let mut found = Vec::with_capacity(registrations.len());
    for registration in registrations {
        let Some(session) = ctx
            .store
            .get::<Session>(&keys::session(&registration.session_id))
            .await?
        else {
            continue;
        };
        let series = series_of(ctx, &session).await?;
        found.push(MyRegistration {
            registration,
            session,
            series,
        });
    }
    Ok(found)
}

/// The acting user cancels one of their registrations (one made with their email address);
/// anyone else's is "not found".
pub async fn cancel_mine(
    ctx: &Context,
    principal: &Principal,
    session_id: &SessionId,
    id: &RegistrationId,
) -> Result<Cancelled, BookingError> {
    let actor = authorize(principal, Operation::ManageOwnAccount)?;
    let registration = ctx
        .store
        .get::<Registration>(&keys::registration(session_id, id))
        .await?
        .filter(|registration| registration.email == actor.user.email)
        .ok_or(BookingError::NotFound)?;
    Ok(
        cancel(ctx, session_id, &registration.id, Canceller::Participant)
            .await?
            .0,
    )
}
