//! The organizers' side: who may run a series' registrations, the filtered table in pages of
//! 50, and entering someone by hand.

use super::{
    BookingError, OrganizerProof, Registered, Registration, RegistrationInput, RegistrationStatus,
    Source, register,
};
use crate::Context;
use crate::authorization::{Operation, Principal};
use crate::ids::{RegistrationId, SeriesId, SessionId, UserId};
use crate::jams::series::{self, Series};
use crate::jams::sessions::Session;
use crate::store::{Condition, Query, keys};
use crate::values::RoleChoice;

/// Session `session_id`, which must belong to series `series_id` (the one an organizer was
/// authorized on): any other is "not found".
pub(super) async fn session_of_series(
    ctx: &Context,
    series_id: &SeriesId,
    session_id: &SessionId,
) -> Result<Session, BookingError> {
    ctx.store
        .get::<Session>(&keys::session(session_id))
        .await?
        .filter(|session| &session.series_id == series_id)
        .ok_or(BookingError::NotFound)
}

/// The organizer acting on a series' registrations, and the series.
pub(super) struct Organizer {
    pub(super) id: UserId,
    pub(super) name: String,
    pub(super) series: Series,
}

impl Organizer {
    /// What a manual registration shows for the check that made this organizer.
    pub(super) fn proof(&self) -> OrganizerProof {
        OrganizerProof {
            series: self.series.id.clone(),
            user: self.id.clone(),
        }
    }
}

/// Checks that the acting user may run the registrations of series `series_id`.
pub(super) async fn organizer_of(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
) -> Result<Organizer, BookingError> {
    match series::access(ctx, principal, series_id, Operation::ManageRegistrations).await {
        Ok(access) => Ok(Organizer {
            id: access.actor.user.id.clone(),
            name: access.actor.user.display_name.as_str().to_owned(),
            series: access.series,
        }),
        Err(series::SeriesError::Denied(denied)) => Err(denied.into()),
        Err(series::SeriesError::Internal(error)) => Err(error.into()),
        Err(_) => Err(BookingError::NotFound),
    }
}

/// What the organizer's registration table shows: filters and a page of 50.
#[derive(Clone, Debug, Default)]
pub struct TableFilter {
    pub status: Option<RegistrationStatus>,
    pub requested: Option<RoleChoice>,
    /// Part of a name or an email address (case-sensitive on names as stored; emails are
    /// lowercase).
    pub search: String,
}

impl TableFilter {
    /// Whether `registration` passes the filter, exactly as the table's query filters in the
    /// store (so an export of the filtered table has the table's rows).
    pub fn matches(&self, registration: &Registration) -> bool {
        let search = self.search.trim();
        self.status
            .is_none_or(|status| registration.status == status)
            && self
                .requested
                .is_none_or(|requested| registration.requested == requested)
            && (search.is_empty()
                || registration.name.contains(search)
                || registration.email.as_str().contains(&search.to_lowercase()))
    }

    /// Whether the filter keeps anything out.
    pub fn is_active(&self) -> bool {
        self.status.is_some() || self.requested.is_some() || !self.search.trim().is_empty()
    }
}

/// Registrations per table page.
pub const TABLE_PAGE: i32 = 50;

/// A page of the organizer's registration table.
#[derive(Clone, Debug)]
pub struct TablePage {
    pub series: Series,
    pub session: Session,
    pub registrations: Vec<Registration>,
    /// The last registration of the page, when more may follow.
    pub next: Option<RegistrationId>,
}

/// One page of a session's registrations in the order they were made: the session item and
/// one query of the partition (filtered in the store), so a session with 10,000
/// registrations costs the same per page. `after` is the last registration id shown.
pub async fn table_page(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    filter: &TableFilter,
    after: Option<&RegistrationId>,
) -> Result<TablePage, BookingError> {
    let organizer = organizer_of(ctx, principal, series_id).await?;
    let session = session_of_series(ctx, series_id, session_id).await?;
    let partition = keys::session(session_id).pk;
    let mut query = Query::table(&partition);
    query.prefix = Some("REG#");
    query.limit = Some(TABLE_PAGE);
    if let Some(after) = after {
        query.start = Some(crate::store::key_attributes(&keys::registration(
            session_id, after,
        )));
    }
    let mut clauses = Vec::new();
    let mut condition = Condition::default();
    if let Some(status) = filter.status {
        clauses.push("#status = :status");
        condition = condition
            .name("#status", "status")
            .value(":status", status.as_str());
    }
    if let Some(requested) = filter.requested {
        clauses.push("requested = :requested");
        condition = condition.value(":requested", requested.as_str());
    }
    let search = filter.search.trim();
    if !search.is_empty() {
        clauses.push("(contains(#name, :search) OR contains(email, :lower))");
        condition = condition
            .name("#name", "name")
            .value(":search", search)
            .value(":lower", search.to_lowercase());
    }
    if !clauses.is_empty() {
        condition.expression = Some(clauses.join(" AND "));
        query.filter = Some(condition);
    }
    let page = ctx.store.query::<Registration>(query).await?;
    // The cursor is where the query stopped, even when the filter kept nothing of the page.
    let next = page
        .next
        .as_ref()
        .and_then(|key| key.get("SK"))
        .and_then(|sk| sk.as_s().ok())
        .and_then(|sk| sk.strip_prefix("REG#"))
        .and_then(|id| id.parse::<RegistrationId>().ok());
    Ok(TablePage {
        series: organizer.series,
        session,
        registrations: page.items,
        next,
    })
}

/// An organizer enters someone by hand: the same rules, or confirmed over capacity when
/// `over_capacity`.
pub async fn register_for(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    session_id: &SessionId,
    input: RegistrationInput,
    over_capacity: bool,
) -> Result<Registered, BookingError> {
    let by = organizer_of(ctx, principal, series_id).await?.proof();
    session_of_series(ctx, series_id, session_id).await?;
    register(ctx, session_id, input, Source::Manual { by, over_capacity }).await
}
