//! Jam series: what an organizer publishes once (name, description, place, cost, capacity per
//! role, usual day and time, time zone, visibility) and who organizes it (the owner and
//! co-organizers, each an organizer membership).

use std::collections::BTreeMap;

use jiff::{Timestamp, civil::Time, tz::TimeZone};
use serde::{Deserialize, Serialize};

use super::sessions::{self, SeriesCopy};
use crate::{
    Context, Error,
    accounts::User,
    authorization::{Actor, Denied, Operation, Principal, authorize, authorize_in},
    ids::{SeriesId, UserId},
    store::{Change, Condition, Entry, Query, StoreError, Value, keys},
    values::{FieldError, Fields, FormErrors, Role},
};

/// The most participants one role can hold.
pub const MAX_CAPACITY: u16 = 500;

/// What a session costs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cost {
    Free,
    Donation,
    /// An amount in minor units (cents) of a three-letter currency.
    Amount {
        minor: u32,
        currency: String,
    },
}

impl Cost {
    /// Parses the cost fields of a form: `kind` (free / donation / amount), the amount as typed
    /// (`12`, `12.50`, `12,50`) and the currency code.
    pub fn parse(kind: &str, amount: &str, currency: &str) -> Result<Self, FieldError> {
        match kind {
            "free" => Ok(Cost::Free),
            "donation" => Ok(Cost::Donation),
            "amount" => {
                let amount = amount.trim().replace(',', ".");
                let (whole, fraction) = amount.split_once('.').unwrap_or((&amount, ""));
                let valid = !whole.is_empty()
                    && whole.len() <= 6
                    && whole.bytes().all(|b| b.is_ascii_digit())
                    && fraction.len() <= 2
                    && fraction.bytes().all(|b| b.is_ascii_digit());
                if !valid {
                    return Err(FieldError("Enter an amount like 10 or 12.50."));
                }
                let cents: u32 = format!("{fraction:0<2}").parse().unwrap_or(0);
                let minor = whole.parse::<u32>().unwrap_or(0) * 100 + cents;
                if minor == 0 {
                    return Err(FieldError("Choose \"free\" for a jam without a fee."));
                }
                let currency = currency.trim().to_uppercase();
                if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(FieldError(
                        "Enter a three-letter currency code such as EUR.",
                    ));
                }
                Ok(Cost::Amount { minor, currency })
            }
            _ => Err(FieldError("Choose free, donation or an amount.")),
        }
    }

    /// The form fields showing this cost: `cost_kind`, `cost_amount`, `cost_currency`.
    pub fn fields(&self) -> [(&'static str, String); 3] {
        let (kind, amount, currency) = match self {
            Cost::Free => ("free", String::new(), String::new()),
            Cost::Donation => ("donation", String::new(), String::new()),
            Cost::Amount { minor, currency } => (
                "amount",
                format!("{}.{:02}", minor / 100, minor % 100),
                currency.clone(),
            ),
        };
        [
            ("cost_kind", kind.to_owned()),
            ("cost_amount", amount),
            ("cost_currency", currency),
        ]
    }

    /// As shown to participants: "Free", "Donation", "12.50 EUR".
    pub fn label(&self) -> String {
        match self {
            Cost::Free => "Free".to_owned(),
            Cost::Donation => "Donation".to_owned(),
            Cost::Amount { minor, currency } => {
                format!("{}.{:02} {currency}", minor / 100, minor % 100)
            }
        }
    }
}

/// A per-role capacity: 0 to [`MAX_CAPACITY`].
pub fn parse_capacity(raw: &str) -> Result<u16, FieldError> {
    match raw.trim().parse::<i64>() {
        Ok(n) if n < 0 => Err(FieldError("A capacity cannot be negative.")),
        Ok(n) if n > i64::from(MAX_CAPACITY) => Err(FieldError("At most 500 per role.")),
        Ok(n) => Ok(u16::try_from(n).unwrap_or(MAX_CAPACITY)),
        Err(_) => Err(FieldError("Enter a whole number.")),
    }
}

/// An IANA time zone name that the bundled database knows.
/// An IANA time zone name that the bundled database knows, in its canonical spelling
/// (`europe/berlin` is stored as `Europe/Berlin`).
pub fn parse_time_zone(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    let zone = (!name.is_empty() && name.len() <= 64)
        .then(|| TimeZone::get(name).ok())
        .flatten()
        .ok_or(FieldError("Choose a time zone such as Europe/Berlin."))?;
    Ok(zone.iana_name().unwrap_or(name).to_owned())
}

/// A local time of day, `HH:MM`.
pub fn parse_time(raw: &str) -> Result<Time, FieldError> {
    raw.trim()
        .parse::<Time>()
        .map_err(|_| FieldError("Enter a time like 19:00."))
}

/// Who sees a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Listed on the organizer's public pages.
    Public,
    /// Reachable only by its links.
    Unlisted,
}

/// Where a jam happens.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub venue: String,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// The Google place this location was resolved from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_id: Option<String>,
}

impl Location {
    /// A Google Maps link: at the coordinates when known, else a search for venue and address;
    /// pinned to the place when its id is known.
    pub fn maps_url(&self) -> String {
        let query = match (self.latitude, self.longitude) {
            (Some(latitude), Some(longitude)) => format!("{latitude},{longitude}"),
            _ => [self.venue.as_str(), self.address.as_str()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let mut url = format!(
            "https://www.google.com/maps/search/?api=1&query={}",
            super::url_encode(&query)
        );
        if let Some(place_id) = &self.place_id {
            url.push_str("&query_place_id=");
            url.push_str(&super::url_encode(place_id));
        }
        url
    }

    /// The location fields of a form: `venue`, `address`, `latitude`, `longitude`, `place_id`.
    /// The venue or the address is required; coordinates come as a pair.
    pub fn parse(fields: &Fields<'_>, errors: &mut FormErrors) -> Self {
        let venue = fields.text("venue", 200, errors);
        let address = fields.text("address", 300, errors);
        if venue.is_empty() && address.is_empty() && !errors.has("venue") {
            errors.add("address", "Enter the venue or its address.");
        }
        let coordinate = |name: &'static str, limit: f64, errors: &mut FormErrors| {
            let raw = fields.get(name);
            if raw.is_empty() {
                return None;
            }
            match raw.replace(',', ".").parse::<f64>() {
                Ok(value) if value.is_finite() && value.abs() <= limit => Some(value),
                _ => {
                    errors.add(name, "Enter decimal degrees, like 52.52 and 13.40.");
                    None
                }
            }
        };
        let latitude = coordinate("latitude", 90.0, errors);
        let longitude = coordinate("longitude", 180.0, errors);
        if latitude.is_some() != longitude.is_some() && !errors.has("latitude") {
            errors.add("longitude", "Give both latitude and longitude, or neither.");
        }
        let place_id = Some(fields.get("place_id"))
            .filter(|id| !id.is_empty())
            .map(str::to_owned);
        Self {
            venue,
            address,
            latitude: latitude.and(longitude).and(latitude),
            longitude: latitude.and(longitude),
            place_id,
        }
    }

    /// The fields of a form showing this location.
    pub fn fields(&self) -> BTreeMap<String, String> {
        let mut fields = BTreeMap::new();
        fields.insert("venue".to_owned(), self.venue.clone());
        fields.insert("address".to_owned(), self.address.clone());
        let coordinate = |value: Option<f64>| value.map(|v| v.to_string()).unwrap_or_default();
        fields.insert("latitude".to_owned(), coordinate(self.latitude));
        fields.insert("longitude".to_owned(), coordinate(self.longitude));
        fields.insert(
            "place_id".to_owned(),
            self.place_id.clone().unwrap_or_default(),
        );
        fields
    }
}

/// A series' photo: the processed image and its thumbnail in the photo bucket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// The object key of the full image (at most 1600 px); the thumbnail's adds `-thumb`.
    pub key: String,
    pub width: u32,
    pub height: u32,
}

impl Photo {
    pub fn thumbnail_key(&self) -> String {
        match self.key.strip_suffix(".jpg") {
            Some(stem) => format!("{stem}-thumb.jpg"),
            None => format!("{}-thumb", self.key),
        }
    }
}

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
    pub time_zone: String,
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

/// Weekdays as a form offers them, ISO numbered.
pub const WEEKDAYS: [(&str, &str, i8); 7] = [
    ("mon", "Monday", 1),
    ("tue", "Tuesday", 2),
    ("wed", "Wednesday", 3),
    ("thu", "Thursday", 4),
    ("fri", "Friday", 5),
    ("sat", "Saturday", 6),
    ("sun", "Sunday", 7),
];

/// What an organizer types about a series: everything but its identity, owner, photo and
/// state.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesDetails {
    pub name: String,
    pub description: String,
    pub location: Location,
    pub cost: Cost,
    pub capacity_base: u16,
    pub capacity_flyer: u16,
    pub weekday: Option<i8>,
    pub start_time: Time,
    pub duration_minutes: u16,
    pub time_zone: String,
    pub level_notes: String,
    pub visibility: Visibility,
    pub either_first: Role,
    pub closes_minutes_before: u32,
}

/// The cut-offs a series form offers, in minutes before the start, with their labels.
pub const CUT_OFFS: [(u32, &str); 7] = [
    (0, "When the session starts"),
    (60, "1 hour before"),
    (180, "3 hours before"),
    (360, "6 hours before"),
    (720, "12 hours before"),
    (1440, "1 day before"),
    (2880, "2 days before"),
];

impl SeriesDetails {
    /// The series form, checked field by field; every problem is reported beside its field.
    pub fn parse(fields: &Fields<'_>) -> Result<Self, FormErrors> {
        let mut errors = FormErrors::default();
        let name = fields.text("name", 100, &mut errors);
        if name.is_empty() && !errors.has("name") {
            errors.add("name", "Give the series a name.");
        }
        let description = fields.text("description", 4000, &mut errors);
        let location = Location::parse(fields, &mut errors);
        let cost = Cost::parse(
            fields.get("cost_kind"),
            fields.get("cost_amount"),
            fields.get("cost_currency"),
        )
        .map_err(|error| errors.add(cost_field(fields.get("cost_kind")), error.0))
        .ok();
        let capacity_base = fields.parse_with("capacity_base", parse_capacity, &mut errors);
        let capacity_flyer = fields.parse_with("capacity_flyer", parse_capacity, &mut errors);
        let weekday = match fields.get("weekday") {
            "" => Some(None),
            raw => match WEEKDAYS.iter().find(|(key, _, _)| *key == raw) {
                Some((_, _, number)) => Some(Some(*number)),
                None => {
                    errors.add("weekday", "Choose a weekday.");
                    None
                }
            },
        };
        let start_time = fields.parse_with("start_time", parse_time, &mut errors);
        let duration_minutes = fields.parse_with("duration_minutes", parse_duration, &mut errors);
        let time_zone = fields.parse_with("time_zone", parse_time_zone, &mut errors);
        let level_notes = fields.text("level_notes", 1000, &mut errors);
        let visibility = match fields.get("visibility") {
            "public" => Some(Visibility::Public),
            "unlisted" => Some(Visibility::Unlisted),
            _ => {
                errors.add("visibility", "Choose public or unlisted.");
                None
            }
        };
        // Both booking settings are optional in a form (older forms lack them).
        let either_first = match fields.get("either_first") {
            "" | "base" => Some(Role::Base),
            "flyer" => Some(Role::Flyer),
            _ => {
                errors.add("either_first", "Choose base or flyer.");
                None
            }
        };
        let closes_minutes_before = match fields.get("closes_minutes_before") {
            "" => Some(0),
            raw => match CUT_OFFS
                .iter()
                .find(|(minutes, _)| raw.trim() == minutes.to_string())
            {
                Some((minutes, _)) => Some(*minutes),
                None => {
                    errors.add("closes_minutes_before", "Choose when registration closes.");
                    None
                }
            },
        };
        match (
            either_first,
            closes_minutes_before,
            cost,
            capacity_base,
            capacity_flyer,
            weekday,
            start_time,
            duration_minutes,
            time_zone,
            visibility,
        ) {
            (
                Some(either_first),
                Some(closes_minutes_before),
                Some(cost),
                Some(capacity_base),
                Some(capacity_flyer),
                Some(weekday),
                Some(start_time),
                Some(duration_minutes),
                Some(time_zone),
                Some(visibility),
            ) if !errors.any() => Ok(Self {
                name,
                description,
                location,
                cost,
                capacity_base,
                capacity_flyer,
                weekday,
                start_time,
                duration_minutes,
                time_zone,
                level_notes,
                visibility,
                either_first,
                closes_minutes_before,
            }),
            _ => Err(errors),
        }
    }

    /// A new series with these details.
    pub fn into_series(self, id: SeriesId, owner: UserId, created_at: Timestamp) -> Series {
        Series {
            id,
            owner,
            name: self.name,
            description: self.description,
            location: self.location,
            cost: self.cost,
            capacity_base: self.capacity_base,
            capacity_flyer: self.capacity_flyer,
            start_time: self.start_time,
            duration_minutes: self.duration_minutes,
            weekday: self.weekday,
            time_zone: self.time_zone,
            level_notes: self.level_notes,
            visibility: self.visibility,
            photo: None,
            archived: false,
            either_first: self.either_first,
            closes_minutes_before: self.closes_minutes_before,
            organizer_names: Vec::new(),
            owner_blocked: false,
            created_at,
            slots: Some(BTreeMap::new()),
        }
    }
}

/// The field a cost error belongs beside.
fn cost_field(kind: &str) -> &'static str {
    if kind == "amount" {
        "cost_amount"
    } else {
        "cost_kind"
    }
}

/// The shortest and longest usual session length in minutes, one place for the form's
/// `min`/`max`, the message and the parser: a quarter of an hour to 12 hours.
pub const DURATION_MINUTES: (u16, u16) = (15, 720);

/// A session length in minutes, within [`DURATION_MINUTES`].
pub fn parse_duration(raw: &str) -> Result<u16, FieldError> {
    let (min, max) = DURATION_MINUTES;
    match raw.trim().parse::<u16>() {
        Ok(minutes) if (min..=max).contains(&minutes) => Ok(minutes),
        Ok(_) => Err(FieldError("Between 15 and 720 minutes (12 hours).")),
        Err(_) if raw.trim().parse::<i64>().is_ok() => {
            Err(FieldError("Between 15 and 720 minutes (12 hours)."))
        }
        Err(_) => Err(FieldError("Enter the length in minutes, like 120.")),
    }
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
        set("time_zone", self.time_zone.clone());
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
        }
    }

    /// The series' time zone (validated when it was saved).
    pub fn zone(&self) -> TimeZone {
        TimeZone::get(&self.time_zone).unwrap_or(TimeZone::UTC)
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

/// A person's part in a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizerRole {
    Owner,
    CoOrganizer,
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
    let writes = vec![
        ctx.store.put(
            &series_entry(&series),
            &series,
            Some("attribute_not_exists(PK)"),
        )?,
        ctx.store.put(
            &membership_entry(&membership),
            &membership,
            Some("attribute_not_exists(PK)"),
        )?,
        ctx.store.update(
            &keys::user(&actor.user.id),
            Change::new("ADD series_count :one")
                .when("attribute_exists(PK)")
                .value(":one", 1),
        )?,
    ];
    ctx.store.transact(writes).await?;
    Ok(series)
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
         either_first = :either_first, closes_minutes_before = :closes",
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
    .value(":closes", i64::from(series.closes_minutes_before));
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
    ctx.store
        .transact(vec![
            ctx.store
                .delete(&keys::series(id), Condition::new("attribute_exists(PK)"))?,
            ctx.store.update(
                &keys::user(&access.series.owner),
                Change::new("ADD series_count :minus_one")
                    .when("attribute_exists(PK)")
                    .value(":minus_one", -1),
            )?,
        ])
        .await
        .map_err(not_found_on_conflict)?;
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

/// An organizer of a series with their account.
#[derive(Clone, Debug)]
pub struct Organizer {
    pub user: User,
    pub role: OrganizerRole,
}

/// The organizers of a series, owner first. Needs [`Operation::ViewSeries`].
pub async fn organizers(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
) -> Result<Vec<Organizer>, SeriesError> {
    access(ctx, principal, id, Operation::ViewSeries).await?;
    let partition = keys::series(id).pk;
    let mut query = Query::table(&partition);
    query.prefix = Some("ORGANIZER#");
    let memberships = ctx.store.query::<Membership>(query).await?.items;
    let mut found = Vec::with_capacity(memberships.len());
    for membership in memberships {
        if let Some(user) = ctx
            .store
            .get::<User>(&keys::user(&membership.user_id))
            .await?
        {
            found.push(Organizer {
                user,
                role: membership.role,
            });
        }
    }
    found.sort_by_key(|organizer| {
        (
            organizer.role != OrganizerRole::Owner,
            organizer.user.display_name.as_str().to_lowercase(),
        )
    });
    Ok(found)
}

/// Recomputes what series `id` keeps of its organizers (their names, owner first, blocked
/// users left out; whether the owner is blocked) from its memberships and their accounts, and
/// passes a change of publicity on to its sessions. Run after anything that changes them: an
/// invite accepted, an organizer removed or leaving, a rename, a block or an unblock.
pub async fn refresh_organizers(ctx: &Context, id: &SeriesId) -> Result<(), Error> {
    let Some(series) = ctx.store.get::<Series>(&keys::series(id)).await? else {
        return Ok(());
    };
    let partition = keys::series(id).pk;
    let mut query = Query::table(&partition);
    query.prefix = Some("ORGANIZER#");
    let mut memberships = ctx.store.query::<Membership>(query).await?.items;
    memberships
        .sort_by_key(|membership| (membership.role != OrganizerRole::Owner, membership.added_at));
    let mut names = Vec::with_capacity(memberships.len());
    let mut owner_blocked = false;
    for membership in memberships {
        let Some(user) = ctx
            .store
            .get::<User>(&keys::user(&membership.user_id))
            .await?
        else {
            continue;
        };
        if user.blocked.is_some() {
            owner_blocked |= membership.role == OrganizerRole::Owner;
        } else {
            names.push(user.display_name.as_str().to_owned());
        }
    }
    if names == series.organizer_names && owner_blocked == series.owner_blocked {
        return Ok(());
    }
    let change = Change::new("SET organizer_names = :names, owner_blocked = :blocked")
        .when("attribute_exists(PK)")
        .value(":names", Value::of(&names)?)
        .value(":blocked", owner_blocked);
    let change = with_listing(
        change,
        &Series {
            owner_blocked,
            ..series.clone()
        },
    );
    match ctx.store.update_item(&keys::series(id), change).await {
        Ok(()) => {}
        // Deleted meanwhile.
        Err(StoreError::Conflict { .. }) => return Ok(()),
        Err(error) => return Err(error.into()),
    }
    if owner_blocked != series.owner_blocked {
        sessions::sync_series(
            ctx,
            &Series {
                owner_blocked,
                ..series
            },
        )
        .await?;
    }
    Ok(())
}

/// [`refresh_organizers`] for every series `user` organizes (after a rename, block or
/// unblock).
pub async fn refresh_organizers_of(ctx: &Context, user: &UserId) -> Result<(), Error> {
    let partition = keys::organizer_index(user);
    let memberships = ctx
        .store
        .query::<Membership>(Query::index("GSI1", &partition))
        .await?
        .items;
    for membership in memberships {
        refresh_organizers(ctx, &membership.series_id).await?;
    }
    Ok(())
}

/// The owner removes a co-organizer.
pub async fn remove_organizer(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
    user: &UserId,
) -> Result<(), SeriesError> {
    access(ctx, principal, id, Operation::ManageOrganizers).await?;
    remove_co_organizer(ctx, id, user).await
}

/// A co-organizer steps down.
pub async fn leave(ctx: &Context, principal: &Principal, id: &SeriesId) -> Result<(), SeriesError> {
    let access = access(ctx, principal, id, Operation::LeaveSeries).await?;
    remove_co_organizer(ctx, id, &access.actor.user.id).await
}

async fn remove_co_organizer(
    ctx: &Context,
    id: &SeriesId,
    user: &UserId,
) -> Result<(), SeriesError> {
    let condition = Condition::new("#role = :co_organizer")
        .name("#role", "role")
        .value(":co_organizer", Value::of(&OrganizerRole::CoOrganizer)?);
    ctx.store
        .transact(vec![
            ctx.store.delete(&keys::organizer(id, user), condition)?,
        ])
        .await
        .map_err(not_found_on_conflict)?;
    refresh_organizers(ctx, id).await?;
    Ok(())
}

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

fn sort_key(series: &Series) -> String {
    format!("{}#{}", keys::sortable_time(series.created_at), series.id)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_duration_limit_the_form_shows_is_the_one_enforced() {
        let (min, max) = DURATION_MINUTES;
        assert_eq!(parse_duration(&min.to_string()), Ok(min));
        assert_eq!(parse_duration(&max.to_string()), Ok(max));
        let message = parse_duration(&(max + 1).to_string()).unwrap_err().0;
        assert!(message.contains(&format!("Between {min} and {max} minutes")));
        for refused in ["14", "1000", "1440", "-5", "99999999"] {
            assert_eq!(parse_duration(refused).unwrap_err().0, message, "{refused}");
        }
        assert_eq!(
            parse_duration("two hours").unwrap_err().0,
            "Enter the length in minutes, like 120."
        );
    }

    #[test]
    fn costs_parse_from_the_form() {
        assert_eq!(Cost::parse("free", "", ""), Ok(Cost::Free));
        assert_eq!(Cost::parse("donation", "5", "eur"), Ok(Cost::Donation));
        let amount = Cost::parse("amount", "12,5", "eur").unwrap();
        assert_eq!(
            amount,
            Cost::Amount {
                minor: 1250,
                currency: "EUR".to_owned()
            }
        );
        assert_eq!(amount.label(), "12.50 EUR");
        for (raw, currency) in [
            ("-3", "EUR"),
            ("1.234", "EUR"),
            ("abc", "EUR"),
            ("0", "EUR"),
            ("10", "EURO"),
            ("10", ""),
        ] {
            assert!(
                Cost::parse("amount", raw, currency).is_err(),
                "{raw} {currency}"
            );
        }
        assert!(Cost::parse("barter", "", "").is_err());
    }

    #[test]
    fn capacities_time_zones_and_times_are_checked() {
        assert_eq!(parse_capacity(" 12 "), Ok(12));
        assert_eq!(
            parse_capacity("-1"),
            Err(FieldError("A capacity cannot be negative."))
        );
        assert!(parse_capacity("501").is_err());
        assert!(parse_capacity("ten").is_err());
        assert_eq!(
            parse_time_zone("Europe/Berlin").as_deref(),
            Ok("Europe/Berlin")
        );
        assert_eq!(
            parse_time_zone(" europe/berlin ").as_deref(),
            Ok("Europe/Berlin")
        );
        assert!(parse_time_zone("Mars/Olympus_Mons").is_err());
        assert_eq!(parse_time("19:00").unwrap().hour(), 19);
        assert!(parse_time("7pm").is_err());
    }

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn a_series_form_round_trips_through_its_fields() {
        let typed = form(&[
            ("name", " Tuesday Jam "),
            ("description", "Warm-up.\nJam."),
            ("venue", "Studio Nord"),
            ("address", "Nordstraße 1"),
            ("latitude", "52,52"),
            ("longitude", "13.4"),
            ("cost_kind", "amount"),
            ("cost_amount", "12.5"),
            ("cost_currency", "eur"),
            ("capacity_base", "10"),
            ("capacity_flyer", "8"),
            ("weekday", "tue"),
            ("start_time", "19:00"),
            ("duration_minutes", "150"),
            ("time_zone", "Europe/Berlin"),
            ("visibility", "unlisted"),
        ]);
        let details = SeriesDetails::parse(&Fields(&typed)).unwrap();
        assert_eq!(details.name, "Tuesday Jam");
        assert_eq!(details.location.latitude, Some(52.52));
        assert_eq!(details.weekday, Some(2));
        let series = details.clone().into_series(
            SeriesId::generate(),
            UserId::generate(),
            Timestamp::UNIX_EPOCH,
        );
        assert_eq!(series.schedule_label(), "Tuesdays at 19:00 for 2 h 30 min");
        let again = SeriesDetails::parse(&Fields(&series.fields())).unwrap();
        assert_eq!(again, details, "the edit form shows exactly what was saved");
    }

    #[test]
    fn every_bad_field_is_reported_beside_itself() {
        let errors = SeriesDetails::parse(&Fields(&form(&[("weekday", "someday")]))).unwrap_err();
        for field in [
            "name",
            "address",
            "cost_kind",
            "capacity_base",
            "capacity_flyer",
            "weekday",
            "start_time",
            "duration_minutes",
            "time_zone",
            "visibility",
        ] {
            assert!(errors.has(field), "{field}: {errors:?}");
        }
    }

    #[test]
    fn maps_links_prefer_coordinates_and_pin_the_place() {
        let typed = Location {
            venue: "Studio Nord".to_owned(),
            address: "Nordstraße 1, Berlin".to_owned(),
            ..Location::default()
        };
        assert_eq!(
            typed.maps_url(),
            "https://www.google.com/maps/search/?api=1&query=Studio%20Nord%2C%20Nordstra%C3%9Fe%201%2C%20Berlin"
        );
        let placed = Location {
            latitude: Some(52.5291),
            longitude: Some(13.4014),
            place_id: Some("ChIJ-acro".to_owned()),
            ..typed
        };
        assert_eq!(
            placed.maps_url(),
            "https://www.google.com/maps/search/?api=1&query=52.5291%2C13.4014&query_place_id=ChIJ-acro"
        );
    }
}
