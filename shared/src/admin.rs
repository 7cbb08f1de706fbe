//! The superadmin's overviews that join accounts and series: every series with its owner, in
//! a bounded number of reads whatever the number of series (one Query, one BatchGetItem).

use std::collections::BTreeMap;

use crate::{
    Context, Error,
    accounts::{self, AccountError, User},
    authorization::Principal,
    ids::UserId,
    jams::series::{self, Series, SeriesError},
};

/// A page of every series, newest first, each with its owner's account (`None` once deleted).
#[derive(Clone, Debug)]
pub struct SeriesPage {
    pub series: Vec<(Series, Option<User>)>,
    /// Pass back as `after` for the next page.
    pub next: Option<String>,
}

/// One page of every series with its owner: the listing's one Query, then one BatchGetItem
/// for the owners of the page. Superadmins only.
#[tracing::instrument(skip(ctx, principal))]
pub async fn all_series(
    ctx: &Context,
    principal: &Principal,
    after: Option<&str>,
) -> Result<SeriesPage, AccountError> {
    let (found, next) = series::all(ctx, principal, after)
        .await
        .map_err(|error| match error {
            SeriesError::Denied(denied) => AccountError::Denied(denied),
            SeriesError::Internal(error) => AccountError::Internal(error),
            other => AccountError::Internal(Error::failed("listing series", other)),
        })?;
    let owners: Vec<UserId> = found
        .iter()
        .map(|series| series.owner.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let accounts: BTreeMap<UserId, User> = accounts::get_many(ctx, &owners)
        .await?
        .into_iter()
        .flatten()
        .map(|user| (user.id.clone(), user))
        .collect();
    let series = found
        .into_iter()
        .map(|series| {
            let owner = accounts.get(&series.owner).cloned();
            (series, owner)
        })
        .collect();
    Ok(SeriesPage { series, next })
}
