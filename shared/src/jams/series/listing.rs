//! Series beyond one organizer's: every series for the superadmin, the public listing with
//! each series' next session, and putting the listing keys right.

use super::*;

/// One page of every series, newest first, and the cursor of the next page (the
/// superadmin's overview: [`Operation::ViewSeries`] on series they do not organize).
pub async fn all(
    ctx: &Context,
    principal: &Principal,
    after: Option<&str>,
) -> Result<(Vec<Series>, Option<String>), SeriesError> {
    authorize_in(principal, None, Operation::ViewSeries)?;
    const PAGE: usize = 50;
    let mut query = Query::index("GSI2", keys::ALL_SERIES_INDEX);
    query.descending = true;
    // The cursor is the last sort key shown; the page starts at it and drops it. Sort keys
    // start with a year, so "0" is below all of them (DynamoDB refuses an empty bound).
    query.between = after.map(|after| ("0", after));
    let wanted = PAGE + 1 + usize::from(after.is_some());
    query.limit = Some(i32::try_from(wanted).unwrap_or(52));
    let mut found = ctx.store.query::<Series>(query).await?.items;
    if let Some(after) = after {
        found.retain(|series| sort_key(series) != after);
    }
    let next = (found.len() > PAGE).then(|| sort_key(&found[PAGE - 1]));
    found.truncate(PAGE);
    Ok((found, next))
}

/// A listed series with its next scheduled session.
#[derive(Clone, Debug)]
pub struct Listed {
    pub series: Series,
    pub next: sessions::Session,
}

/// The series anyone may find (`/series`), with their next scheduled session, soonest first;
/// series with no session ahead are left out. One Query of the listing index (all pages), then
/// one Query per series for its next session (GSI1, pages of 10 from a day ago). The index is
/// eventually consistent, so each series is checked again here.
pub async fn listed(ctx: &Context) -> Result<Vec<Listed>, Error> {
    let mut found = Vec::new();
    let mut query = Query::index("GSI1", keys::LISTED_SERIES_INDEX);
    loop {
        let page = ctx.store.query::<Series>(query.clone()).await?;
        found.extend(page.items.into_iter().filter(Series::is_listed));
        match page.next {
            Some(next) => query.start = Some(next),
            None => break,
        }
    }
    let now = ctx.clock.now();
    let mut listed = Vec::with_capacity(found.len());
    for series in found {
        if let Some(next) = next_scheduled(ctx, &series.id, now).await? {
            listed.push(Listed { series, next });
        }
    }
    listed.sort_by_key(|listed| listed.next.starts_at);
    Ok(listed)
}

/// The first session of a series that is scheduled and has not ended.
async fn next_scheduled(
    ctx: &Context,
    id: &SeriesId,
    now: Timestamp,
) -> Result<Option<sessions::Session>, Error> {
    let partition = keys::sessions_of_series_index(id);
    // Sessions last at most a day: anything that started more than a day ago has ended.
    let from = keys::sortable_time(
        now.saturating_sub(jiff::SignedDuration::from_hours(24))
            .unwrap_or(now),
    );
    let mut query = Query::index("GSI1", &partition);
    query.between = Some((from.as_str(), "~"));
    query.limit = Some(10);
    loop {
        let page = ctx.store.query::<sessions::Session>(query.clone()).await?;
        if let Some(session) = page.items.into_iter().find(|session| {
            session.status == sessions::SessionStatus::Scheduled && session.ends_at > now
        }) {
            return Ok(Some(session));
        }
        match page.next {
            Some(next) => query.start = Some(next),
            None => return Ok(None),
        }
    }
}

/// Puts every series' listing key in step with the series (the net under [`with_listing`],
/// and how series written before the listing existed get theirs): pages through the index of
/// all series (#33, a Query) and updates only those whose key disagrees. Returns how many
/// series it looked at and how many it changed.
pub async fn relist_all(ctx: &Context) -> Result<(usize, usize), Error> {
    /// A series with the listing key it carries.
    #[derive(Deserialize)]
    struct WithKey {
        #[serde(flatten)]
        series: Series,
        #[serde(rename = "GSI1PK", default)]
        gsi1pk: Option<String>,
    }
    let (mut examined, mut changed) = (0, 0);
    let mut query = Query::index("GSI2", keys::ALL_SERIES_INDEX);
    loop {
        let page = ctx.store.query::<WithKey>(query.clone()).await?;
        for item in page.items {
            examined += 1;
            let listed = item.gsi1pk.as_deref() == Some(keys::LISTED_SERIES_INDEX);
            if listed == item.series.is_listed() {
                continue;
            }
            // Should an organizer change the series meanwhile, their write sets the key too
            // (and the listing checks every series it reads again).
            let change = with_listing(Change::new(""), &item.series).when("attribute_exists(PK)");
            match ctx
                .store
                .update_item(&keys::series(&item.series.id), change)
                .await
            {
                Ok(()) => changed += 1,
                // Changed meanwhile: that write set the key itself.
                Err(StoreError::Conflict { .. }) => {}
                Err(error) => return Err(error.into()),
            }
        }
        match page.next {
            Some(next) => query.start = Some(next),
            None => return Ok((examined, changed)),
        }
    }
}
