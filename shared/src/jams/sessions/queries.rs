//! Reading sessions: a series' sessions for those who may see it, a window or the next one for
//! the domain's own checked operations, a UTC day's, and one session with its series' access.

use super::*;

/// Every session of series `id`, by start time, for someone who may see the series (its
/// organizers and superadmins; to anyone else it does not exist).
pub async fn of_series(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
) -> Result<Vec<Session>, SeriesError> {
    series::access(ctx, principal, id, Operation::ViewSeries).await?;
    Ok(of_series_unchecked(ctx, id).await?)
}

/// Every session of a series, by start time (no paging limit), for operations of the domain
/// that have checked access themselves.
pub(crate) async fn of_series_unchecked(
    ctx: &Context,
    id: &SeriesId,
) -> Result<Vec<Session>, Error> {
    query_sessions(ctx, id, None).await
}

/// The sessions of a series starting between `from` and `to`, by start time (no access
/// check: for operations of the domain that made theirs).
pub(crate) async fn between(
    ctx: &Context,
    id: &SeriesId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Session>, Error> {
    query_sessions(ctx, id, Some((from, to))).await
}

/// Every session (of any series) starting on UTC day `day`, by start time.
pub async fn on_day(ctx: &Context, day: Date) -> Result<Vec<Session>, Error> {
    let partition = keys::sessions_on_day_index(&day.strftime("%Y-%m-%d").to_string());
    let mut query = Query::index("GSI2", &partition);
    let mut sessions = Vec::new();
    loop {
        let page = ctx.store.query::<Session>(query.clone()).await?;
        sessions.extend(page.items);
        match page.next {
            Some(next) => query.start = Some(next),
            None => break,
        }
    }
    Ok(sessions)
}

async fn query_sessions(
    ctx: &Context,
    id: &SeriesId,
    window: Option<(Timestamp, Timestamp)>,
) -> Result<Vec<Session>, Error> {
    let partition = keys::sessions_of_series_index(id);
    let bounds = window.map(|(from, to)| {
        (
            keys::sortable_time(from),
            // Past every `#id` suffix of sessions starting exactly at `to`.
            format!("{}~", keys::sortable_time(to)),
        )
    });
    let mut sessions = Vec::new();
    let mut start = None;
    loop {
        let mut query = Query::index("GSI1", &partition);
        query.between = bounds
            .as_ref()
            .map(|(low, high)| (low.as_str(), high.as_str()));
        query.start = start.take();
        let page = ctx.store.query::<Session>(query).await?;
        sessions.extend(page.items);
        match page.next {
            Some(next) => start = Some(next),
            None => break,
        }
    }
    Ok(sessions)
}

/// The next session of a series that has not ended, if any (cancelled ones included, so the
/// dashboard can show them). No access check: for operations of the domain that made theirs.
pub(crate) async fn next_of_series(
    ctx: &Context,
    id: &SeriesId,
    now: Timestamp,
) -> Result<Option<Session>, Error> {
    let partition = keys::sessions_of_series_index(id);
    // Sessions last at most a day: anything that started more than a day ago has ended.
    let from = keys::sortable_time(
        now.saturating_sub(SignedDuration::from_hours(24))
            .unwrap_or(now),
    );
    let mut start = None;
    loop {
        let mut query = Query::index("GSI1", &partition);
        query.between = Some((from.as_str(), "~"));
        query.limit = Some(10);
        query.start = start.take();
        let page = ctx.store.query::<Session>(query).await?;
        if let Some(session) = page.items.into_iter().find(|session| session.ends_at > now) {
            return Ok(Some(session));
        }
        match page.next {
            Some(next) => start = Some(next),
            None => return Ok(None),
        }
    }
}

/// A session with the series it belongs to, as the acting user may see it.
#[derive(Clone, Debug)]
pub struct SessionAccess<'a> {
    pub access: Access<'a>,
    pub session: Session,
}

/// Loads session `id` of series `series_id` and checks `operation` on its series.
pub async fn access<'a>(
    ctx: &Context,
    principal: &'a Principal,
    series_id: &SeriesId,
    id: &SessionId,
    operation: Operation,
) -> Result<SessionAccess<'a>, SessionError> {
    let access = series::access(ctx, principal, series_id, operation).await?;
    let session = ctx
        .store
        .get::<Session>(&keys::session(id))
        .await?
        .filter(|session| &session.series_id == series_id)
        .ok_or(SessionError::NotFound)?;
    Ok(SessionAccess { access, session })
}
