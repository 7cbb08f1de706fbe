//! A session's status: cancelling it with a reason everyone registered is told, and marking it
//! completed once it has started.

use super::*;

/// Cancels a scheduled session with a reason that everyone registered or waitlisted is told.
#[tracing::instrument(skip_all)]
pub async fn cancel(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    id: &SessionId,
    reason: &str,
) -> Result<Session, SessionError> {
    let reason = crate::values::plain_text(reason);
    let reason = reason.as_str();
    if reason.is_empty() {
        return Err(SessionError::Invalid(FormErrors::single(
            "reason",
            "Say why, in a few words: everyone registered reads it.",
        )));
    }
    if reason.chars().count() > 500 {
        return Err(SessionError::Invalid(FormErrors::single(
            "reason",
            "At most 500 characters, please.",
        )));
    }
    let SessionAccess { .. } = access(ctx, principal, series_id, id, Operation::EditSeries).await?;
    let mut retry = ctx.race_retry();
    loop {
        retry.next().await?;
        let session = current(ctx, id).await?;
        let change = bump_sequence(
            unchanged_since_read(
                Change::new("SET #status = :cancelled, cancel_reason = :reason"),
                &session,
            )
            .value(":cancelled", SessionStatus::Cancelled.stored())
            .value(":reason", reason),
        );
        let mut writes = ctx.store.transaction();
        writes.update("session", &keys::session(id), change)?;
        let about = Kind::SessionCancelledForEveryone {
            session: id.clone(),
        };
        match write_with_fan_out(ctx, &mut writes, about).await {
            Ok(()) => {
                return Ok(next_sequence(Session {
                    status: SessionStatus::Cancelled,
                    cancel_reason: Some(reason.to_owned()),
                    ..session
                }));
            }
            // A booking changed the session meanwhile: read it again (a cancelled or
            // completed one is refused there).
            Err(StoreError::Conflict { .. }) => continue,
            Err(error) => return Err(error.into()),
        }
    }
}

/// Marks a scheduled session that has started as completed (the cleanup job does the same for
/// sessions that have ended).
#[tracing::instrument(skip_all)]
pub async fn complete(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    id: &SessionId,
) -> Result<(), SessionError> {
    let SessionAccess { session, .. } =
        access(ctx, principal, series_id, id, Operation::EditSeries).await?;
    if session.starts_at > ctx.clock.now() {
        return Err(SessionError::NotStarted);
    }
    let change = Change::new("SET #status = :completed")
        .when("#status = :scheduled")
        .name("#status", "status")
        .value(":scheduled", SessionStatus::Scheduled.stored())
        .value(":completed", SessionStatus::Completed.stored());
    ctx.store
        .update_item(&keys::session(id), change)
        .await
        .map_err(not_scheduled_on_conflict)
}

/// Marks every scheduled session of UTC day `day` that ended before `now` as completed (the
/// cleanup job); returns how many it looked at and how many it completed.
pub async fn complete_ended(
    ctx: &Context,
    day: jiff::civil::Date,
    now: jiff::Timestamp,
) -> Result<(usize, usize), Error> {
    let sessions = super::on_day(ctx, day).await?;
    let mut completed = 0;
    for session in &sessions {
        if session.status != SessionStatus::Scheduled || session.ends_at > now {
            continue;
        }
        let change = Change::new("SET #status = :completed")
            .when("#status = :scheduled")
            .name("#status", "status")
            .value(":scheduled", SessionStatus::Scheduled.stored())
            .value(":completed", SessionStatus::Completed.stored());
        match ctx
            .store
            .update_item(&keys::session(&session.id), change)
            .await
        {
            Ok(()) => completed += 1,
            Err(StoreError::Conflict { .. }) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok((sessions.len(), completed))
}

fn not_scheduled_on_conflict(error: StoreError) -> SessionError {
    if error.is_conflict() {
        SessionError::NotScheduled
    } else {
        SessionError::Series(error.into())
    }
}
