//! Holds: in a series that confirms registrations by email, a public registration keeps its
//! spot (or waitlist place) for [`HOLD`] until its link is pressed; the jobs release the rest.

use jiff::SignedDuration;

use super::{
    BookingError, Cancelled, Canceller, Confirmation, LinkedRegistration, Registration,
    RegistrationStatus, cancel, linked, session_and_registration,
};
use crate::Context;
use crate::ids::{RegistrationId, SecretToken, SessionId};
use crate::store::{Change, Query, StoreError, keys};
use crate::tokens::LinkPurpose;

/// How long a held registration waits for its person to press the link in its email.
pub const HOLD: SignedDuration = SignedDuration::from_mins(30);

/// The secret of a registration's confirm link, derived like the cancel link's and never stored.
fn confirm_secret(ctx: &Context, registration: &RegistrationId) -> SecretToken {
    ctx.signing
        .link_secret(LinkPurpose::Hold, registration.as_str())
}

/// The link that keeps a held registration: `/confirm/{session}.{registration}.{secret}`.
pub fn confirm_url(ctx: &Context, registration: &Registration) -> String {
    format!(
        "{}/confirm/{}.{}.{}",
        ctx.config.base_url,
        registration.session_id,
        registration.id,
        confirm_secret(ctx, &registration.id).expose()
    )
}

/// The session and registration a confirm link names, if its secret is theirs.
fn parse_confirm(ctx: &Context, token: &str) -> Option<(SessionId, RegistrationId)> {
    let mut parts = token.splitn(3, '.');
    let session: SessionId = parts.next()?.parse().ok()?;
    let registration: RegistrationId = parts.next()?.parse().ok()?;
    let secret = SecretToken::parse(parts.next()?)?;
    // Compared as hashes: the time a comparison takes says nothing about the secret.
    (secret.hash() == confirm_secret(ctx, &registration).hash()).then_some((session, registration))
}

/// The registration a confirm link belongs to, as it stands (for the page that asks to press).
pub async fn by_confirm_link(
    ctx: &Context,
    token: &str,
) -> Result<LinkedRegistration, BookingError> {
    let (session, registration) = parse_confirm(ctx, token).ok_or(BookingError::NotFound)?;
    let (session, registration) =
        session_and_registration(ctx, &session, &registration, None).await?;
    linked(ctx, session, registration).await
}

/// Confirms the held registration of a confirm link: one conditional write that ends the hold
/// (and takes it out of the holds index) while it is not released. It races the release by
/// that condition, so exactly one of them happens. Pressing twice says it was done before.
#[tracing::instrument(skip_all)]
pub async fn confirm_hold(
    ctx: &Context,
    token: &str,
) -> Result<(Confirmation, LinkedRegistration), BookingError> {
    let (session_id, id) = parse_confirm(ctx, token).ok_or(BookingError::NotFound)?;
    let change = Change::new("REMOVE held_until, GSI1PK, GSI1SK")
        .when("attribute_exists(held_until) AND #status <> :cancelled")
        .name("#status", "status")
        .value(":cancelled", RegistrationStatus::Cancelled.as_str());
    let outcome = match ctx
        .store
        .update_item(&keys::registration(&session_id, &id), change)
        .await
    {
        Ok(()) => None,
        Err(StoreError::Conflict { .. }) => Some(()),
        Err(error) => return Err(error.into()),
    };
    let found = by_confirm_link(ctx, token).await?;
    let confirmation = match (outcome, found.registration.status) {
        (None, _) => Confirmation::Now,
        (Some(()), RegistrationStatus::Cancelled) => Confirmation::Released,
        (Some(()), _) => Confirmation::Already,
    };
    Ok((confirmation, found))
}

/// What one run of the release did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Released {
    /// Expired holds found in the index.
    pub examined: usize,
    /// Registrations released (each through the cancel path, promoting the next in line).
    pub released: usize,
    /// Holds whose release failed this time (logged; the next run tries them again).
    pub failed: usize,
}

/// Releases every registration whose hold ran out unconfirmed: read from the holds index (a
/// range of its sort key up to now, never a Scan), each cancelled through the same transaction
/// as a participant's cancel, so its spot goes to the next person who fits in that transaction.
/// A confirm that comes first wins (the cancel's condition on the hold).
#[tracing::instrument(skip_all)]
pub async fn release_expired(ctx: &Context) -> Result<Released, BookingError> {
    let now = ctx.clock.now();
    // Every sort key of a hold that ended by now sorts before this one.
    let until = format!("{}#~", keys::sortable_time(now));
    let mut query = Query::index("GSI1", keys::HOLDS_INDEX);
    query.between = Some(("0", until.as_str()));
    let mut report = Released::default();
    loop {
        let page = ctx.store.query::<Registration>(query.clone()).await?;
        for held in page.items {
            report.examined += 1;
            match cancel(ctx, &held.session_id, &held.id, Canceller::Release).await {
                Ok((Cancelled::Now { .. }, _)) => report.released += 1,
                // Confirmed meanwhile, or gone with its session: nothing to release.
                Ok((Cancelled::Already, _)) | Err(BookingError::NotFound) => {}
                // One that cannot be released now must not keep the others held: the next
                // run tries it again.
                Err(error) => {
                    report.failed += 1;
                    tracing::error!(registration = %held.id, error = ?error, "releasing a hold failed");
                }
            }
        }
        match page.next {
            Some(next) => query.start = Some(next),
            None => return Ok(report),
        }
    }
}
