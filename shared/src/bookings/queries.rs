//! Reads of bookings without a change: the public session and series pages, a session's whole
//! partition, a participant's registrations, and resending a confirmation.

use super::{
    BookingError, EmailClaim, PublicSession, Registration, organizer_of, registration_notification,
};
use crate::authorization::Principal;
use crate::ids::{SeriesId, SessionId};
use crate::jams::series::Series;
use crate::jams::sessions::{SeriesCopy, Session};
use crate::store::{Condition, Query, StoreError, keys};
use crate::values::Email;
use crate::{Context, Error};
use jiff::SignedDuration;
use serde::Deserialize;

/// The session's partition: the session and its registrations, in one strongly consistent
/// query (email claims and cancel links are filtered out in the store). For the organizers'
/// whole-session views and the sweep; bookings read single items.
pub(super) struct Partition {
    pub(super) session: Session,
    pub(super) registrations: Vec<Registration>,
}

/// Items of a session partition, whatever their kind.
#[derive(Deserialize)]
pub(super) struct AnyItem {
    #[serde(rename = "SK")]
    pub(super) sk: String,
    #[serde(flatten)]
    pub(super) rest: serde_json::Map<String, serde_json::Value>,
}

pub(super) async fn read_partition(
    ctx: &Context,
    session: &SessionId,
) -> Result<Option<Partition>, Error> {
    let pk = keys::session(session).pk;
    let mut found_session = None;
    let mut registrations = Vec::new();
    let mut start = None;
    loop {
        let mut query = Query::table(&pk);
        query.start = start.take();
        // The session and the registrations carry a status; claims and links do not.
        query.filter = Some(Condition::new("attribute_exists(#status)").name("#status", "status"));
        let page = ctx.store.query::<AnyItem>(query).await?;
        for item in page.items {
            let value = serde_json::Value::Object(item.rest);
            if item.sk == "SESSION" {
                found_session = Some(
                    serde_json::from_value::<Session>(value)
                        .map_err(|e| Error::failed("reading a session item", e))?,
                );
            } else if item.sk.starts_with("REG#") {
                registrations.push(
                    serde_json::from_value::<Registration>(value)
                        .map_err(|e| Error::failed("reading a registration item", e))?,
                );
            }
        }
        match page.next {
            Some(next) => start = Some(next),
            None => break,
        }
    }
    Ok(found_session.map(|session| Partition {
        session,
        registrations,
    }))
}

/// Every registration made with `email`, by the start of its session (GSI2, eventually
/// consistent): "my registrations" and a person's history for the organizers.
pub(super) async fn of_participant(
    ctx: &Context,
    email: &Email,
) -> Result<Vec<Registration>, Error> {
    let partition = keys::participant_index(email);
    let mut query = Query::index("GSI2", &partition);
    let mut registrations = Vec::new();
    loop {
        let page = ctx.store.query::<Registration>(query.clone()).await?;
        registrations.extend(page.items);
        match page.next {
            Some(next) => query.start = Some(next),
            None => break,
        }
    }
    Ok(registrations)
}

/// What a booking needs of the series of `session`: the session's copy, or (for a session
/// scheduled before sessions kept one) the series itself.
pub(super) async fn series_of(
    ctx: &Context,
    session: &Session,
) -> Result<SeriesCopy, BookingError> {
    if let Some(copy) = &session.series {
        return Ok(copy.clone());
    }
    Ok(ctx
        .store
        .get::<Series>(&keys::series(&session.series_id))
        .await?
        .ok_or(BookingError::NotFound)?
        .copy())
}

/// Every registration of a session with the series and session, for its organizers, in the
/// order they were made (the export and the check-in list).
pub async fn of_session(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
) -> Result<(Series, Session, Vec<Registration>), BookingError> {
    let organizer = organizer_of(ctx, principal, series_id).await?;
    let partition = read_partition(ctx, session_id)
        .await?
        .filter(|partition| &partition.session.series_id == series_id)
        .ok_or(BookingError::NotFound)?;
    Ok((organizer.series, partition.session, partition.registrations))
}

/// The public view of session `id`: two reads (the series carries its organizers' names).
/// Archived series and those of blocked owners are not public.
pub async fn public_session(ctx: &Context, id: &SessionId) -> Result<PublicSession, BookingError> {
    let session = ctx
        .store
        .get::<Session>(&keys::session(id))
        .await?
        .ok_or(BookingError::NotFound)?;
    let series = ctx
        .store
        .get::<Series>(&keys::series(&session.series_id))
        .await?
        .filter(Series::is_public)
        .ok_or(BookingError::NotFound)?;
    Ok(PublicSession { session, series })
}

/// A session and every registration it has, read by the system itself (the notification
/// worker's fan-out), without an acting person; `None` for an unknown session.
pub async fn everyone_of(
    ctx: &Context,
    session: &SessionId,
) -> Result<Option<(Session, Vec<Registration>)>, Error> {
    Ok(read_partition(ctx, session)
        .await?
        .map(|partition| (partition.session, partition.registrations)))
}

/// Emails the confirmation of the active registration of `email` for session `id` again, with
/// its cancel link (derived, so always the same one), if the session is public. Says nothing about whether there is one:
/// the page answers the same either way. At most 3 a session and address an hour.
pub async fn resend(ctx: &Context, id: &SessionId, email: &str) -> Result<(), BookingError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(());
    };
    let Some(claim) = ctx
        .store
        .get::<EmailClaim>(&keys::registration_email(id, &email))
        .await?
    else {
        return Ok(());
    };
    public_session(ctx, id).await?;
    let Some(registration) = ctx
        .store
        .get::<Registration>(&keys::registration(id, &claim.registration_id))
        .await?
    else {
        return Ok(());
    };
    let notification = registration_notification(ctx, &registration);
    let (window, count) =
        crate::limits::rate_limit(ctx, "resend", &format!("{id}#{}", email.as_str()), 3);
    let mut writes = ctx.store.transaction();
    writes.update("hourly limit", &window, count)?.put(
        "confirmation email",
        &notification.entry(),
        &notification,
        None,
    )?;
    match writes.commit().await {
        // Over the limit: quietly nothing, like an unknown address.
        Ok(()) | Err(StoreError::Conflict { .. }) => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// Upcoming sessions of a public (or unlisted, reached by its link) series.
pub async fn public_series(
    ctx: &Context,
    id: &SeriesId,
) -> Result<(Series, Vec<Session>), BookingError> {
    let series = ctx
        .store
        .get::<Series>(&keys::series(id))
        .await?
        .filter(Series::is_public)
        .ok_or(BookingError::NotFound)?;
    let now = ctx.clock.now();
    let upcoming = crate::jams::sessions::between(
        ctx,
        id,
        now.saturating_sub(SignedDuration::from_hours(24))
            .unwrap_or(now),
        now.saturating_add(SignedDuration::from_hours(24 * 366))
            .unwrap_or(now),
    )
    .await?
    .into_iter()
    .filter(|session| session.ends_at > now)
    .collect();
    Ok((series, upcoming))
}

/// Every session of a public (or unlisted, reached by its link) series, by start time, past
/// and cancelled ones included: its calendar feed, which subscribed calendars keep in step.
pub async fn public_series_calendar(
    ctx: &Context,
    id: &SeriesId,
) -> Result<(Series, Vec<Session>), BookingError> {
    let series = ctx
        .store
        .get::<Series>(&keys::series(id))
        .await?
        .filter(Series::is_public)
        .ok_or(BookingError::NotFound)?;
    let sessions = crate::jams::sessions::of_series_unchecked(ctx, id).await?;
    Ok((series, sessions))
}
