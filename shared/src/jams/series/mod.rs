//! Jam series: the series item an organizer publishes once and its memberships (owner and
//! co-organizers); access to a series, and creating, editing, archiving and deleting one.

mod form;
mod listing;
mod organizers;
mod values;

pub use form::{CUT_OFFS, SeriesDetails, WEEKDAYS};
pub use listing::{Listed, all, listed, relist_all};
pub use organizers::{
    Organizer, leave, organizers, refresh_organizers, refresh_organizers_of, remove_organizer,
};
pub use values::{
    Cost, DURATION_MINUTES, Location, MAX_CAPACITY, Photo, Visibility, parse_capacity,
    parse_duration, parse_time, parse_time_zone,
};

use std::collections::BTreeMap;

use jiff::{Timestamp, civil::Time, tz::TimeZone};
use serde::{Deserialize, Serialize};

use super::sessions::{self, SeriesCopy};
use crate::{
    Context, Error,
    accounts::User,
    authorization::{Actor, Denied, Operation, OrganizerRole, Principal, authorize, authorize_in},
    ids::{SeriesId, UserId},
    store::{Change, Condition, Entry, Query, StoreError, Value, keys},
    values::{FieldError, Fields, FormErrors, Role},
};

/// A jam series, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub id: SeriesId,
    pub owner: UserId,
    pub name: String,
    pub description: String,
    pub location: Location,
    pub cost: Cost,
    pub capacity_base: u16,
    pub capacity_flyer: u16,
    /// The usual start time, local to `time_zone`.
    pub start_time: Time,
    pub duration_minutes: u16,
    /// The usual weekday, ISO numbered (Monday 1 … Sunday 7), if the series has one.
    #[serde(default)]
    pub weekday: Option<i8>,
    pub time_zone: crate::values::TimeZone,
    #[serde(default)]
    pub level_notes: String,
    pub visibility: Visibility,
    #[serde(default)]
    pub photo: Option<Photo>,
    #[serde(default)]
    pub archived: bool,
    /// The role an "either" registrant takes when both have room.
    #[serde(default)]
    pub either_first: Role,
    /// Registration closes this many minutes before a session starts (0: at the start).
    #[serde(default)]
    pub closes_minutes_before: u32,
    /// Emails about its registrations carry the owner's address as their Reply-To, so a
    /// participant's reply reaches the owner.
    #[serde(default)]
    pub replies_to_owner: bool,
    /// A second reminder goes 2 hours before each session (besides the one a day before).
    #[serde(default)]
    pub remind_two_hours: bool,
    /// A public registration holds its spot (or waitlist place) for [`HOLD`](crate::bookings::HOLD)
    /// until its person presses the link in its email; unconfirmed ones are released.
    #[serde(default)]
    pub confirm_by_email: bool,
    /// The organizers' display names, owner first, blocked users left out: kept by
    /// [`refresh_organizers`] so that a public page reads one item for its series.
    #[serde(default)]
    pub organizer_names: Vec<String>,
    /// The owner is blocked: the series is hidden from the public, like an archived one.
    #[serde(default)]
    pub owner_blocked: bool,
    pub created_at: Timestamp,
    /// When each of its sessions happens, by session id: written in the same transaction as
    /// the session is scheduled or moved, so the dashboard and the calendar find the sessions
    /// they show in one BatchGetItem. `None` on a series saved before these were kept (the
    /// next scheduling or edit fills it in from the index).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slots: Option<BTreeMap<String, Slot>>,
}

/// When a session of a series happens, as the series item keeps it (see [`Series::slots`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
}

impl Series {
    /// The form fields showing this series, for its edit form.
    pub fn fields(&self) -> BTreeMap<String, String> {
        let mut fields = self.location.fields();
        let mut set = |name: &str, value: String| {
            fields.insert(name.to_owned(), value);
        };
        set("name", self.name.clone());
        set("description", self.description.clone());
        for (name, value) in self.cost.fields() {
            set(name, value);
        }
        set("capacity_base", self.capacity_base.to_string());
        set("capacity_flyer", self.capacity_flyer.to_string());
        let weekday = WEEKDAYS
            .iter()
            .find(|(_, _, number)| Some(*number) == self.weekday)
            .map(|(key, _, _)| (*key).to_owned())
            .unwrap_or_default();
        set("weekday", weekday);
        set("start_time", self.start_time.strftime("%H:%M").to_string());
        set("duration_minutes", self.duration_minutes.to_string());
        set("time_zone", self.time_zone.as_str().to_owned());
        set("level_notes", self.level_notes.clone());
        let visibility = match self.visibility {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
        };
        set("visibility", visibility.to_owned());
        set("either_first", self.either_first.as_str().to_owned());
        set(
            "closes_minutes_before",
            self.closes_minutes_before.to_string(),
        );
        let ticked = |on: bool| if on { "yes" } else { "" }.to_owned();
        set("replies_to_owner", ticked(self.replies_to_owner));
        set("remind_two_hours", ticked(self.remind_two_hours));
        set("confirm_by_email", ticked(self.confirm_by_email));
        fields
    }

    /// Whether the public may see it and register: not archived, owner not blocked.
    pub fn is_public(&self) -> bool {
        !self.archived && !self.owner_blocked
    }

    /// Whether it is listed where anyone can find it (`/series`): public, and shown to the
    /// public at all ([`Series::is_public`]). Unlisted series are reached only by their links.
    pub fn is_listed(&self) -> bool {
        self.visibility == Visibility::Public && self.is_public()
    }

    /// What its sessions keep of it for the bookings.
    pub fn copy(&self) -> SeriesCopy {
        SeriesCopy {
            name: self.name.clone(),
            time_zone: self.time_zone.clone(),
            public: self.is_public(),
            either_first: self.either_first,
            remind_two_hours: self.remind_two_hours,
            confirm_by_email: self.confirm_by_email,
        }
    }

    /// The series' time zone, parsed when the item was read (an unknown one fails the read).
    pub fn zone(&self) -> TimeZone {
        self.time_zone.zone()
    }

    /// "Tuesdays at 19:00 for 2 h", as organizers read it.
    pub fn schedule_label(&self) -> String {
        let day = WEEKDAYS
            .iter()
            .find(|(_, _, number)| Some(*number) == self.weekday)
            .map(|(_, name, _)| format!("{name}s at "))
            .unwrap_or_else(|| "Usually at ".to_owned());
        let hours = self.duration_minutes / 60;
        let minutes = self.duration_minutes % 60;
        let length = match (hours, minutes) {
            (0, m) => format!("{m} min"),
            (h, 0) => format!("{h} h"),
            (h, m) => format!("{h} h {m} min"),
        };
        format!("{day}{} for {length}", self.start_time.strftime("%H:%M"))
    }
}

/// The membership item that makes a user an organizer of a series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub series_id: SeriesId,
    pub user_id: UserId,
    pub role: OrganizerRole,
    pub added_at: Timestamp,
}

pub(crate) fn membership_entry(membership: &Membership) -> Entry {
    Entry::new(keys::organizer(&membership.series_id, &membership.user_id)).gsi1(
        keys::organizer_index(&membership.user_id),
        format!("SERIES#{}", membership.series_id),
    )
}

/// Creates a series owned by the acting user: the series, the owner's membership and the
/// owner's series count, in one transaction.
#[tracing::instrument(skip_all)]
pub async fn create(
    ctx: &Context,
    principal: &Principal,
    details: SeriesDetails,
) -> Result<Series, SeriesError> {
    let actor = authorize(principal, Operation::CreateSeries)?;
    let series = Series {
        organizer_names: vec![actor.user.display_name.as_str().to_owned()],
        ..details.into_series(SeriesId::generate(), actor.user.id.clone(), ctx.clock.now())
    };
    let membership = Membership {
        series_id: series.id.clone(),
        user_id: actor.user.id.clone(),
        role: OrganizerRole::Owner,
        added_at: series.created_at,
    };
    let mut writes = ctx.store.transaction();
    writes
        .put_new("series", &series_entry(&series), &series)?
        .put_new("membership", &membership_entry(&membership), &membership)?
        .update(
            "owner's series count",
            &keys::user(&actor.user.id),
            Change::new("ADD series_count :one")
                .when("attribute_exists(PK)")
                .value(":one", 1),
        )?;
    writes.commit().await?;
    Ok(series)
}

fn sort_key(series: &Series) -> String {
    format!("{}#{}", keys::sortable_time(series.created_at), series.id)
}

fn series_entry(series: &Series) -> Entry {
    let entry = Entry::new(keys::series(&series.id)).gsi2(keys::ALL_SERIES_INDEX, sort_key(series));
    if series.is_listed() {
        entry.gsi1(keys::LISTED_SERIES_INDEX, sort_key(series))
    } else {
        entry
    }
}

/// `change` (a `SET` clause, or nothing) with the series' listing key brought in step with `series` as
/// it will stand: set while [`Series::is_listed`], removed otherwise. Every write that can
/// change visibility, archiving or the owner's block goes through here or [`series_entry`].
fn with_listing(change: Change, series: &Series) -> Change {
    if series.is_listed() {
        let set = if change.expression.is_empty() {
            "SET"
        } else {
            ","
        };
        Change {
            expression: format!(
                "{}{set} GSI1PK = :listed_pk, GSI1SK = :listed_sk",
                change.expression
            ),
            ..change
        }
        .value(":listed_pk", keys::LISTED_SERIES_INDEX)
        .value(":listed_sk", sort_key(series).as_str())
    } else {
        Change {
            expression: format!("{} REMOVE GSI1PK, GSI1SK", change.expression)
                .trim_start()
                .to_owned(),
            ..change
        }
    }
}

/// A series as the acting user may see it, with their part in it.
#[derive(Clone, Debug)]
pub struct Access<'a> {
    pub series: Series,
    /// The actor's membership role; `None` for a superadmin who does not organize it.
    pub role: Option<OrganizerRole>,
    pub actor: &'a Actor,
}

impl Access<'_> {
    pub fn may(&self, operation: Operation) -> bool {
        let principal = Principal::User(Box::new(self.actor.clone()));
        authorize_in(&principal, self.role, operation).is_ok()
    }
}

/// Loads series `id` and checks that the acting user may perform `operation` on it. Someone
/// who may not even see it is told it does not exist.
pub async fn access<'a>(
    ctx: &Context,
    principal: &'a Principal,
    id: &SeriesId,
    operation: Operation,
) -> Result<Access<'a>, SeriesError> {
    let actor = principal.actor().ok_or(Denied::SignInRequired)?;
    let (series_key, membership_key) = (keys::series(id), keys::organizer(id, &actor.user.id));
    let (series, membership) = tokio::try_join!(
        ctx.store.get::<Series>(&series_key),
        ctx.store.get::<Membership>(&membership_key),
    )?;
    let series = series.ok_or(SeriesError::NotFound)?;
    let role = membership.map(|membership| membership.role);
    if authorize_in(principal, role, Operation::ViewSeries).is_err() {
        // Blocked users learn why; everyone else cannot tell the series exists.
        authorize(principal, Operation::ManageOwnAccount)?;
        return Err(SeriesError::NotFound);
    }
    let actor = authorize_in(principal, role, operation)?;
    Ok(Access {
        series,
        role,
        actor,
    })
}

/// Saves new details of a series (not its photo, owner or state).
#[tracing::instrument(skip_all)]
pub async fn update(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
    details: SeriesDetails,
) -> Result<Series, SeriesError> {
    let access = access(ctx, principal, id, Operation::EditSeries).await?;
    let series = Series {
        photo: access.series.photo.clone(),
        archived: access.series.archived,
        organizer_names: access.series.organizer_names.clone(),
        owner_blocked: access.series.owner_blocked,
        slots: access.series.slots.clone(),
        ..details.into_series(
            access.series.id.clone(),
            access.series.owner.clone(),
            access.series.created_at,
        )
    };
    let change = Change::new(
        "SET #name = :name, description = :description, #location = :location, cost = :cost, \
         capacity_base = :capacity_base, capacity_flyer = :capacity_flyer, \
         start_time = :start_time, duration_minutes = :duration_minutes, weekday = :weekday, \
         time_zone = :time_zone, level_notes = :level_notes, visibility = :visibility, \
         either_first = :either_first, closes_minutes_before = :closes, \
         replies_to_owner = :replies_to_owner, remind_two_hours = :remind_two_hours, \
         confirm_by_email = :confirm_by_email",
    )
    .when("attribute_exists(PK)")
    .name("#name", "name")
    .name("#location", "location")
    .value(":name", series.name.as_str())
    .value(":description", series.description.as_str())
    .value(":location", Value::of(&series.location)?)
    .value(":cost", Value::of(&series.cost)?)
    .value(":capacity_base", i64::from(series.capacity_base))
    .value(":capacity_flyer", i64::from(series.capacity_flyer))
    .value(":start_time", Value::of(&series.start_time)?)
    .value(":duration_minutes", i64::from(series.duration_minutes))
    .value(":weekday", Value::of(&series.weekday)?)
    .value(":time_zone", series.time_zone.as_str())
    .value(":level_notes", series.level_notes.as_str())
    .value(":visibility", Value::of(&series.visibility)?)
    .value(":either_first", series.either_first.as_str())
    .value(":closes", i64::from(series.closes_minutes_before))
    .value(":replies_to_owner", series.replies_to_owner)
    .value(":remind_two_hours", series.remind_two_hours)
    .value(":confirm_by_email", series.confirm_by_email);
    let change = with_listing(change, &series);
    ctx.store
        .update_item(&keys::series(id), change)
        .await
        .map_err(not_found_on_conflict)?;
    sessions::sync_series(ctx, &series).await?;
    Ok(series)
}

/// Archives a series (hidden from the public and the dashboard's active list) or brings it
/// back.
#[tracing::instrument(skip_all)]
pub async fn set_archived(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
    archived: bool,
) -> Result<(), SeriesError> {
    let access = access(ctx, principal, id, Operation::EditSeries).await?;
    let series = Series {
        archived,
        ..access.series
    };
    let change = Change::new("SET archived = :archived")
        .when("attribute_exists(PK)")
        .value(":archived", archived);
    ctx.store
        .update_item(&keys::series(id), with_listing(change, &series))
        .await
        .map_err(not_found_on_conflict)?;
    sessions::sync_series(ctx, &series).await?;
    Ok(())
}

/// Archives, as the cleanup job, every series with no session after `idle_since` that was
/// created before it (a series whose sessions all ended 90 days ago). Pages through the index
/// of all series (a Query); returns how many it looked at and how many it archived.
pub async fn archive_idle(ctx: &Context, idle_since: Timestamp) -> Result<(usize, usize), Error> {
    let (mut examined, mut archived) = (0, 0);
    let mut query = crate::store::Query::index("GSI2", keys::ALL_SERIES_INDEX);
    loop {
        let page = ctx.store.query::<Series>(query.clone()).await?;
        for series in page.items {
            examined += 1;
            let last_end = series
                .slots
                .as_ref()
                .and_then(|slots| slots.values().map(|slot| slot.ends_at).max());
            let idle = !series.archived
                && series.created_at < idle_since
                && last_end.is_none_or(|end| end < idle_since);
            // A series saved before its slots were kept is left for its organizers.
            if !idle || series.slots.is_none() {
                continue;
            }
            let series = Series {
                archived: true,
                ..series
            };
            let change = Change::new("SET archived = :archived")
                .when("attribute_exists(PK) AND archived <> :archived")
                .value(":archived", true);
            match ctx
                .store
                .update_item(&keys::series(&series.id), with_listing(change, &series))
                .await
            {
                Ok(()) => {
                    sessions::sync_series(ctx, &series).await?;
                    archived += 1;
                }
                Err(StoreError::Conflict { .. }) => {}
                Err(error) => return Err(error.into()),
            }
        }
        match page.next {
            Some(next) => query.start = Some(next),
            None => return Ok((examined, archived)),
        }
    }
}

/// Sets or clears the series' photo; returns the photo it replaced (whose objects the caller
/// deletes).
pub async fn set_photo(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
    photo: Option<Photo>,
) -> Result<Option<Photo>, SeriesError> {
    let access = access(ctx, principal, id, Operation::EditSeries).await?;
    let change = Change::new("SET photo = :photo")
        .when("attribute_exists(PK)")
        .value(":photo", Value::of(&photo)?);
    ctx.store
        .update_item(&keys::series(id), change)
        .await
        .map_err(not_found_on_conflict)?;
    Ok(access.series.photo)
}

/// Deletes a series with its sessions, memberships and invites. Only its owner may, and only
/// while no upcoming session has registrations (then it can be archived instead).
#[tracing::instrument(skip_all)]
pub async fn delete(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
) -> Result<(), SeriesError> {
    let access = access(ctx, principal, id, Operation::DeleteSeries).await?;
    let now = ctx.clock.now();
    let sessions = super::sessions::of_series_unchecked(ctx, id).await?;
    if sessions
        .iter()
        .any(|session| session.ends_at > now && session.has_registrations())
    {
        return Err(SeriesError::HasRegistrations);
    }
    // The series item goes first, in one transaction with the owner's count: from then on the
    // series does not exist, and the rest is tidying up.
    let mut writes = ctx.store.transaction();
    writes
        .delete(
            "series",
            &keys::series(id),
            Condition::new("attribute_exists(PK)"),
        )?
        .update(
            "owner's series count",
            &keys::user(&access.series.owner),
            Change::new("ADD series_count :minus_one")
                .when("attribute_exists(PK)")
                .value(":minus_one", -1),
        )?;
    writes.commit().await.map_err(not_found_on_conflict)?;
    delete_partition(ctx, &keys::series(id).pk).await?;
    for session in sessions {
        delete_partition(ctx, &keys::session(&session.id).pk).await?;
    }
    if let Some(photo) = &access.series.photo {
        super::photos::delete_photo_objects(ctx, photo).await?;
    }
    Ok(())
}

/// Deletes every item of a table partition (the tidying up after a series is gone).
async fn delete_partition(ctx: &Context, partition: &str) -> Result<(), Error> {
    let mut start = None;
    loop {
        let mut query = Query::table(partition);
        query.start = start.take();
        let page = ctx.store.query::<KeyOnly>(query).await?;
        for item in page.items {
            ctx.store.delete_item(&item.key()).await?;
        }
        match page.next {
            Some(next) => start = Some(next),
            None => return Ok(()),
        }
    }
}

/// Just the primary key of an item, for tidying up a partition.
#[derive(Deserialize)]
struct KeyOnly {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: String,
}

impl KeyOnly {
    fn key(&self) -> keys::Key {
        keys::Key {
            pk: self.pk.clone(),
            sk: self.sk.clone(),
        }
    }
}

fn not_found_on_conflict(error: StoreError) -> SeriesError {
    if error.is_conflict() {
        SeriesError::NotFound
    } else {
        error.into()
    }
}

/// The series the acting user organizes (owned or co-organized), newest first.
pub async fn organized_by(
    ctx: &Context,
    principal: &Principal,
) -> Result<Vec<(Series, OrganizerRole)>, SeriesError> {
    let actor = authorize(principal, Operation::ManageOwnAccount)?;
    Ok(of_user(ctx, &actor.user.id).await?)
}

/// The series a user organizes (owned or co-organized), newest first. No access check: for
/// operations of the domain that made theirs (see [`organized_by`]).
pub(crate) async fn of_user(
    ctx: &Context,
    user: &UserId,
) -> Result<Vec<(Series, OrganizerRole)>, Error> {
    let partition = keys::organizer_index(user);
    let mut memberships = Vec::new();
    let mut query = Query::index("GSI1", &partition);
    loop {
        let page = ctx.store.query::<Membership>(query.clone()).await?;
        memberships.extend(page.items);
        match page.next {
            Some(next) => query.start = Some(next),
            None => break,
        }
    }
    // The series in BatchGetItems of up to 100, not one read each.
    let keys: Vec<keys::Key> = memberships
        .iter()
        .map(|membership| keys::series(&membership.series_id))
        .collect();
    let series: Vec<Option<Series>> = super::get_many(ctx, &keys).await?;
    let mut found: Vec<(Series, OrganizerRole)> = series
        .into_iter()
        .zip(&memberships)
        .filter_map(|(series, membership)| Some((series?, membership.role)))
        .collect();
    found.sort_by_key(|(series, _)| std::cmp::Reverse(series.created_at));
    Ok(found)
}

/// Why a series operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SeriesError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("There is no such series.")]
    NotFound,
    #[error(
        "Upcoming sessions of this series have registrations, so it cannot be deleted. Archive it instead."
    )]
    HasRegistrations,
    #[error(
        "You own this series, so you cannot leave it. You can archive it, or delete it if no upcoming session has registrations."
    )]
    OwnerCannotLeave,
    #[error("Please correct the form.")]
    Invalid(FormErrors),
    #[error(transparent)]
    Internal(#[from] Error),
}

impl From<StoreError> for SeriesError {
    fn from(error: StoreError) -> Self {
        Self::Internal(error.into())
    }
}
