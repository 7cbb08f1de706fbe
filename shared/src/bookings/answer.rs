//! The answer to a public registration: the same "check your inbox" whether the address is new
//! to the session or registered already (then its confirmation is emailed again, within limits).

use super::{BookingError, RegistrationInput, Source, public_session, register, resend, throttle};
use crate::Context;
use crate::ids::SessionId;
use crate::jams::sessions::Session;
use crate::values::{Email, TimeZone};

/// What the person is told after registering, whatever happened: where the email went and
/// what it is about. It says nothing of whether the address was registered before.
#[derive(Clone, Debug)]
pub struct Inbox {
    pub email: Email,
    pub series_name: String,
    pub time_zone: TimeZone,
    pub session: Session,
    /// The series holds registrations until they are confirmed by email.
    pub confirm_by_email: bool,
}

/// Registers `input` for session `id`; an address registered already is counted in the limits
/// as a new registration would be and gets the confirmation of its registration again (through
/// [`resend`], so at most 3 an hour per session and address; past that nothing is sent) and the
/// same answer as a new one.
pub async fn register_or_resend(
    ctx: &Context,
    id: &SessionId,
    input: RegistrationInput,
    source: Source,
) -> Result<Inbox, BookingError> {
    let email = input.email.clone();
    match register(ctx, id, input, source.clone()).await {
        Ok(done) => Ok(Inbox {
            email,
            series_name: done.series.name.clone(),
            time_zone: done.series.time_zone.clone(),
            confirm_by_email: done.series.confirm_by_email,
            session: done.session,
        }),
        Err(BookingError::AlreadyRegistered(_)) => {
            // Counted as a new registration would be, so the limits answer alike.
            throttle::count_alone(ctx, &source, id, &email).await?;
            resend(ctx, id, email.as_str()).await?;
            let found = public_session(ctx, id).await?;
            Ok(Inbox {
                email,
                series_name: found.series.name.clone(),
                time_zone: found.series.time_zone.clone(),
                confirm_by_email: found.series.confirm_by_email,
                session: found.session,
            })
        }
        Err(error) => Err(error),
    }
}
