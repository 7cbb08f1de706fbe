//! Sessions: the dated occurrences of a series. Each holds its own per-role capacities (copied
//! from the series when scheduled, then overridable), optional cost and place overrides, a note,
//! its status, and the counters the bookings keep (confirmed per role, waitlisted).
//!
//! Times are stored in UTC and read in the series' time zone.

use std::collections::BTreeMap;

use jiff::{
    SignedDuration, Timestamp,
    civil::{Date, Time},
    tz::TimeZone,
};
use serde::{Deserialize, Serialize};

use super::{
    recurrence::{self, Frequency, Occurrence, Recurrence, RecurrenceError},
    series::{self, Access, Cost, Location, Series, SeriesError, parse_capacity, parse_time},
};
use crate::{
    Context, Error,
    authorization::{Operation, Principal},
    ids::{SeriesId, SessionId},
    notifications::{Message, Notification},
    store::{Change, Condition, Entry, Query, StoreError, Transaction, Value, keys},
    values::{Email, Fields, FormErrors, Role, Waiter},
};

/// Where a session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Scheduled,
    Cancelled,
    Completed,
}

impl SessionStatus {
    fn stored(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::Cancelled => "cancelled",
            SessionStatus::Completed => "completed",
        }
    }
}

/// A session, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: SessionId,
    pub series_id: SeriesId,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub capacity_base: u16,
    pub capacity_flyer: u16,
    /// The cost when it differs from the series'.
    #[serde(default)]
    pub cost: Option<Cost>,
    /// The place when it differs from the series'.
    #[serde(default)]
    pub location: Option<Location>,
    #[serde(default)]
    pub note: String,
    pub status: SessionStatus,
    #[serde(default)]
    pub cancel_reason: Option<String>,
    /// Confirmed registrations per role and waitlisted ones, kept by the bookings in the same
    /// transaction as each registration, cancel and promotion.
    #[serde(default)]
    pub confirmed_base: u32,
    #[serde(default)]
    pub confirmed_flyer: u32,
    #[serde(default)]
    pub waitlisted: u32,
    /// Waitlisted registrations by the role they asked for (their sum is `waitlisted`).
    #[serde(default)]
    pub waitlisted_base: u32,
    #[serde(default)]
    pub waitlisted_flyer: u32,
    #[serde(default)]
    pub waitlisted_either: u32,
    /// The waitlist, in the order people joined it (the bookings append and remove in the same
    /// transaction as the counters).
    #[serde(default)]
    pub waiting: Vec<Waiter>,
    /// Registration closes this many minutes before the start (0: at the start).
    #[serde(default)]
    pub closes_minutes_before: u32,
    /// What the bookings need of the series, so that registering or cancelling reads this one
    /// item. Absent on sessions scheduled before sessions kept it.
    #[serde(default)]
    pub series: Option<SeriesCopy>,
    pub created_at: Timestamp,
}

/// The part of a series its sessions keep: written when a session is scheduled and again by
/// [`sync_series`] whenever the series changes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesCopy {
    pub name: String,
    pub time_zone: String,
    /// Not archived and its owner not blocked: the public may see it and register.
    pub public: bool,
    pub either_first: Role,
}

impl SeriesCopy {
    /// The series' time zone (validated when it was saved).
    pub fn zone(&self) -> TimeZone {
        TimeZone::get(&self.time_zone).unwrap_or(TimeZone::UTC)
    }
}

/// Writes what sessions keep of `series` (and its registration cut-off) onto each of its
/// sessions that has not ended: after the series was edited, archived or restored, or its
/// owner blocked or unblocked.
pub async fn sync_series(ctx: &Context, series: &Series) -> Result<(), Error> {
    let now = ctx.clock.now();
    let copy = Value::of(&series.copy())?;
    for session in of_series(ctx, &series.id).await? {
        if session.ends_at <= now {
            continue;
        }
        let change = Change::new("SET #series = :copy, closes_minutes_before = :closes")
            .when("attribute_exists(PK)")
            .name("#series", "series")
            .value(":copy", copy.clone())
            .value(":closes", i64::from(series.closes_minutes_before));
        match ctx
            .store
            .update_item(&keys::session(&session.id), change)
            .await
        {
            // Deleted meanwhile: nothing to keep in step.
            Ok(()) | Err(StoreError::Conflict { .. }) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

impl Session {
    pub fn has_registrations(&self) -> bool {
        self.confirmed_base + self.confirmed_flyer + self.waitlisted > 0
    }

    /// The cost participants pay: the session's own or the series'.
    pub fn cost<'a>(&'a self, series: &'a Series) -> &'a Cost {
        self.cost.as_ref().unwrap_or(&series.cost)
    }

    /// Where it happens: the session's own place or the series'.
    pub fn location<'a>(&'a self, series: &'a Series) -> &'a Location {
        self.location.as_ref().unwrap_or(&series.location)
    }

    /// Whether anything differs from the series' defaults.
    pub fn is_overridden(&self, series: &Series) -> bool {
        self.cost.is_some()
            || self.location.is_some()
            || self.capacity_base != series.capacity_base
            || self.capacity_flyer != series.capacity_flyer
    }

    /// "Tue 1 Dec 2026, 19:00–21:00" in the series' zone.
    pub fn when_label(&self, zone: &TimeZone) -> String {
        let start = self.starts_at.to_zoned_datetime(zone.clone());
        let end = self.ends_at.to_zoned_datetime(zone.clone());
        format!(
            "{}, {}–{}",
            start.strftime("%a %-d %b %Y"),
            start.strftime("%H:%M"),
            end.strftime("%H:%M")
        )
    }

    /// The public page of the session.
    pub fn public_url(&self, ctx: &Context) -> String {
        format!("{}/s/{}", ctx.config.base_url, self.id)
    }

    /// The form fields showing this session, for its edit form.
    pub fn fields(&self, series: &Series) -> BTreeMap<String, String> {
        let zone = series.zone();
        let start = self.starts_at.to_zoned_datetime(zone.clone());
        let end = self.ends_at.to_zoned_datetime(zone);
        let mut fields = self
            .location
            .as_ref()
            .map(Location::fields)
            .unwrap_or_default();
        let mut set = |name: &str, value: String| {
            fields.insert(name.to_owned(), value);
        };
        set("date", start.strftime("%Y-%m-%d").to_string());
        set("start_time", start.strftime("%H:%M").to_string());
        set("end_time", end.strftime("%H:%M").to_string());
        set("capacity_base", self.capacity_base.to_string());
        set("capacity_flyer", self.capacity_flyer.to_string());
        let cost = match &self.cost {
            Some(cost) => cost.fields(),
            None => [
                ("cost_kind", "default".to_owned()),
                ("cost_amount", String::new()),
                ("cost_currency", String::new()),
            ],
        };
        for (name, value) in cost {
            set(name, value);
        }
        set("note", self.note.clone());
        fields
    }
}

fn session_entry(session: &Session) -> Entry {
    let (gsi1, gsi2) = index_keys(session);
    Entry::new(keys::session(&session.id))
        .gsi1(gsi1.0, gsi1.1)
        .gsi2(gsi2.0, gsi2.1)
}

/// The item that gives a local date of a series to one session.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct DateClaim {
    session_id: SessionId,
}

fn date_claim_key(session: &Session, zone: &TimeZone) -> keys::Key {
    let date = session.starts_at.to_zoned_datetime(zone.clone()).date();
    keys::session_date(&session.series_id, &date.strftime("%Y-%m-%d").to_string())
}

/// The index keys of a session: by series and start time, and by UTC start day.
fn index_keys(session: &Session) -> ((String, String), (String, String)) {
    let sort = format!("{}#{}", keys::sortable_time(session.starts_at), session.id);
    let day = session.starts_at.strftime("%Y-%m-%d").to_string();
    (
        (
            keys::sessions_of_series_index(&session.series_id),
            sort.clone(),
        ),
        (keys::sessions_on_day_index(&day), sort),
    )
}

/// How often a schedule repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeat {
    Once,
    Every(Frequency),
}

/// A checked request to schedule one session or a run of them.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub recurrence: Recurrence,
    pub capacity_base: u16,
    pub capacity_flyer: u16,
    pub note: String,
}

/// The defaults of the schedule form for `series`: its usual time and capacities, from the
/// first usual weekday that is still ahead — today if its start is still to come — and after
/// `last`, the start of its latest session, if there is one.
pub fn schedule_defaults(
    series: &Series,
    now: Timestamp,
    last: Option<Timestamp>,
) -> BTreeMap<String, String> {
    let zone = series.zone();
    let local_now = now.to_zoned_datetime(zone.clone());
    let today = local_now.date();
    let mut first = if local_now.time() < series.start_time {
        today
    } else {
        today.tomorrow().unwrap_or(today)
    };
    if let Some(last) = last {
        let after_last = last
            .to_zoned_datetime(zone)
            .date()
            .tomorrow()
            .unwrap_or(today);
        first = first.max(after_last);
    }
    if let Some(weekday) = series.weekday {
        while first.weekday().to_monday_one_offset() != weekday {
            first = first.tomorrow().unwrap_or(first);
        }
    }
    let end = series
        .start_time
        .checked_add(SignedDuration::from_mins(i64::from(
            series.duration_minutes,
        )))
        .unwrap_or(series.start_time);
    let mut fields = BTreeMap::new();
    for (name, value) in [
        ("date", first.strftime("%Y-%m-%d").to_string()),
        (
            "start_time",
            series.start_time.strftime("%H:%M").to_string(),
        ),
        ("end_time", end.strftime("%H:%M").to_string()),
        ("repeat", "weekly".to_owned()),
        ("count", "8".to_owned()),
        ("capacity_base", series.capacity_base.to_string()),
        ("capacity_flyer", series.capacity_flyer.to_string()),
    ] {
        fields.insert(name.to_owned(), value);
    }
    fields
}

fn parse_date(raw: &str) -> Result<Date, crate::values::FieldError> {
    raw.parse::<Date>()
        .map_err(|_| crate::values::FieldError("Enter a date like 2026-12-01."))
}

/// Date, start and end time of a form, as a start date, start time and duration, with every
/// problem reported at once: an end at or before the start (jams do not run past midnight) or
/// less than [`recurrence::MIN_DURATION`] after it, and a start before `now` in `zone`, each
/// beside its field, whatever else is wrong.
fn parse_times(
    fields: &Fields<'_>,
    zone: &TimeZone,
    now: Timestamp,
    errors: &mut FormErrors,
) -> Option<(Date, Time, SignedDuration)> {
    let date = fields.parse_with("date", parse_date, errors);
    let start = fields.parse_with("start_time", parse_time, errors);
    let end = fields.parse_with("end_time", parse_time, errors);
    let duration = match (start, end) {
        (Some(start), Some(end)) if end <= start => {
            errors.add("end_time", "The end must be after the start.");
            None
        }
        (Some(start), Some(end)) if end.duration_since(start) < recurrence::MIN_DURATION => {
            errors.add("end_time", RecurrenceError::Duration.to_string());
            None
        }
        (Some(start), Some(end)) => Some(end.duration_since(start)),
        _ => None,
    };
    if let (Some(date), Some(start)) = (date, start)
        && date
            .to_datetime(start)
            .to_zoned_datetime(zone.clone())
            .is_ok_and(|starts| starts.timestamp() < now)
    {
        errors.add("date", "That date is in the past.");
    }
    if errors.has("date") {
        return None;
    }
    Some((date?, start?, duration?))
}

impl Schedule {
    /// The schedule form: `date`, `start_time`, `end_time`, `repeat` (once / weekly /
    /// biweekly), `count`, `capacity_base`, `capacity_flyer`, `note`.
    pub fn parse(fields: &Fields<'_>, series: &Series, now: Timestamp) -> Result<Self, FormErrors> {
        let mut errors = FormErrors::default();
        let times = parse_times(fields, &series.zone(), now, &mut errors);
        let repeat = match fields.get("repeat") {
            "once" => Some(Repeat::Once),
            "weekly" => Some(Repeat::Every(Frequency::Weekly)),
            "biweekly" => Some(Repeat::Every(Frequency::Biweekly)),
            _ => {
                errors.add("repeat", "Choose how often.");
                None
            }
        };
        let count = match repeat {
            Some(Repeat::Once) | None => Some(1),
            Some(Repeat::Every(_)) => match fields.get("count").parse::<u16>() {
                Ok(count) if (1..=recurrence::MAX_OCCURRENCES).contains(&count) => Some(count),
                _ => {
                    errors.add("count", RecurrenceError::Count.to_string());
                    None
                }
            },
        };
        let capacity_base = fields.parse_with("capacity_base", parse_capacity, &mut errors);
        let capacity_flyer = fields.parse_with("capacity_flyer", parse_capacity, &mut errors);
        let note = fields.text("note", 500, &mut errors);
        let (Some((first, start, duration)), Some(repeat), Some(count), Some(base), Some(flyer)) =
            (times, repeat, count, capacity_base, capacity_flyer)
        else {
            return Err(errors);
        };
        let recurrence = Recurrence {
            first,
            start,
            duration,
            frequency: match repeat {
                Repeat::Once => Frequency::Weekly,
                Repeat::Every(frequency) => frequency,
            },
            count,
            zone: series.zone(),
        };
        match recurrence::occurrences(&recurrence, now) {
            Ok(_) if !errors.any() => Ok(Self {
                recurrence,
                capacity_base: base,
                capacity_flyer: flyer,
                note,
            }),
            Ok(_) => Err(errors),
            Err(RecurrenceError::InThePast) => {
                errors.add("date", "That date is in the past.");
                Err(errors)
            }
            Err(RecurrenceError::Duration) => {
                errors.add("end_time", RecurrenceError::Duration.to_string());
                Err(errors)
            }
            Err(error) => {
                errors.add("date", error.to_string());
                Err(errors)
            }
        }
    }
}

/// What scheduling did.
#[derive(Clone, Debug)]
pub struct Scheduled {
    pub sessions: Vec<Session>,
    /// Dates skipped because they already had a session.
    pub skipped: usize,
}

/// Schedules the sessions of `schedule` in series `id`, skipping local dates that already have
/// a session.
#[tracing::instrument(skip_all)]
pub async fn schedule(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
    schedule: Schedule,
) -> Result<Scheduled, SeriesError> {
    let access = series::access(ctx, principal, id, Operation::EditSeries).await?;
    let now = ctx.clock.now();
    let occurrences = recurrence::occurrences(&schedule.recurrence, now)
        .map_err(|error| Error::failed("expanding a checked schedule", error))?;
    let (Some(first), Some(last)) = (occurrences.first(), occurrences.last()) else {
        return Ok(Scheduled {
            sessions: Vec::new(),
            skipped: 0,
        });
    };
    // Sessions within a day either side cover every local date the schedule touches.
    let day = SignedDuration::from_hours(26);
    let existing: Vec<Timestamp> = between(
        ctx,
        id,
        first
            .starts_at
            .saturating_sub(day)
            .unwrap_or(first.starts_at),
        last.starts_at.saturating_add(day).unwrap_or(last.starts_at),
    )
    .await?
    .iter()
    .map(|session| session.starts_at)
    .collect();
    let wanted = occurrences.len();
    let kept = recurrence::skip_existing(occurrences, &existing, &schedule.recurrence.zone);
    let skipped = wanted - kept.len();
    let sessions: Vec<Session> = kept
        .into_iter()
        .map(|Occurrence { starts_at, ends_at }| Session {
            id: SessionId::generate(),
            series_id: access.series.id.clone(),
            starts_at,
            ends_at,
            capacity_base: schedule.capacity_base,
            capacity_flyer: schedule.capacity_flyer,
            cost: None,
            location: None,
            note: schedule.note.clone(),
            status: SessionStatus::Scheduled,
            cancel_reason: None,
            confirmed_base: 0,
            confirmed_flyer: 0,
            waitlisted: 0,
            waitlisted_base: 0,
            waitlisted_flyer: 0,
            waitlisted_either: 0,
            waiting: Vec::new(),
            closes_minutes_before: access.series.closes_minutes_before,
            series: Some(access.series.copy()),
            created_at: now,
        })
        .collect();
    // One transaction per session with the claim on its local date: of two schedules racing
    // for a date, one gets it and the other skips it.
    let zone = &schedule.recurrence.zone;
    let mut created = Vec::with_capacity(sessions.len());
    let mut skipped = skipped;
    for session in sessions {
        let writes = vec![
            ctx.store.put(
                &session_entry(&session),
                &session,
                Some("attribute_not_exists(PK)"),
            )?,
            ctx.store.put(
                &Entry::new(date_claim_key(&session, zone)),
                &DateClaim {
                    session_id: session.id.clone(),
                },
                Some("attribute_not_exists(PK)"),
            )?,
        ];
        match ctx.store.transact(writes).await {
            Ok(()) => created.push(session),
            Err(error) if error.is_conflict() => skipped += 1,
            Err(error) => return Err(error.into()),
        }
    }
    let sessions = created;
    Ok(Scheduled { sessions, skipped })
}

/// Every session of a series, by start time (for organizers; no paging limit).
pub async fn of_series(ctx: &Context, id: &SeriesId) -> Result<Vec<Session>, Error> {
    query_sessions(ctx, id, None).await
}

/// The sessions of a series starting between `from` and `to`, by start time.
pub async fn between(
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
/// dashboard can show them).
pub async fn next_of_series(
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

/// A checked edit of one session: its own time, capacities, cost, place and note.
#[derive(Clone, Debug)]
pub struct SessionEdit {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub capacity_base: u16,
    pub capacity_flyer: u16,
    pub cost: Option<Cost>,
    pub location: Option<Location>,
    pub note: String,
}

impl SessionEdit {
    /// The session form: `date`, `start_time`, `end_time`, `capacity_base`, `capacity_flyer`,
    /// `cost_kind` (`default` keeps the series' cost), `cost_amount`, `cost_currency`, `venue`
    /// and `address` (both empty keep the series' place), `latitude`, `longitude`, `note`.
    pub fn parse(fields: &Fields<'_>, series: &Series, now: Timestamp) -> Result<Self, FormErrors> {
        let mut errors = FormErrors::default();
        let times = parse_times(fields, &series.zone(), now, &mut errors);
        let capacity_base = fields.parse_with("capacity_base", parse_capacity, &mut errors);
        let capacity_flyer = fields.parse_with("capacity_flyer", parse_capacity, &mut errors);
        let cost = match fields.get("cost_kind") {
            "default" => Some(None),
            kind => Cost::parse(kind, fields.get("cost_amount"), fields.get("cost_currency"))
                .map(Some)
                .map_err(|error| {
                    let field = if kind == "amount" {
                        "cost_amount"
                    } else {
                        "cost_kind"
                    };
                    errors.add(field, error.0);
                })
                .ok(),
        };
        let location = if fields.get("venue").is_empty() && fields.get("address").is_empty() {
            None
        } else {
            Some(Location::parse(fields, &mut errors))
        };
        let note = fields.text("note", 500, &mut errors);
        let zone = series.zone();
        let instants = times.and_then(|(date, start, duration)| {
            let starts_at = date
                .to_datetime(start)
                .to_zoned_datetime(zone.clone())
                .ok()?
                .timestamp();
            Some((starts_at, starts_at.checked_add(duration).ok()?))
        });
        match (instants, capacity_base, capacity_flyer, cost) {
            (Some((starts_at, ends_at)), Some(capacity_base), Some(capacity_flyer), Some(cost))
                if !errors.any() =>
            {
                Ok(Self {
                    starts_at,
                    ends_at,
                    capacity_base,
                    capacity_flyer,
                    cost,
                    location,
                    note,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Saves an edit of a scheduled session. When its time or place changes and people are
/// registered, each of them gets a change notification in the same write. Raising a capacity
/// promotes from the waitlist; lowering it below the confirmed count removes nobody. Moving it
/// to a date that has another session of the series is refused.
#[tracing::instrument(skip_all)]
pub async fn edit(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    id: &SessionId,
    edit: SessionEdit,
) -> Result<Session, SessionError> {
    let SessionAccess { access, .. } =
        access(ctx, principal, series_id, id, Operation::EditSeries).await?;
    let series = &access.series;
    let zone = series.zone();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let session = current(ctx, id).await?;
        let edited = Session {
            starts_at: edit.starts_at,
            ends_at: edit.ends_at,
            capacity_base: edit.capacity_base,
            capacity_flyer: edit.capacity_flyer,
            cost: edit.cost.clone(),
            location: edit.location.clone(),
            note: edit.note.clone(),
            ..session.clone()
        };
        let ((gsi1pk, gsi1sk), (gsi2pk, gsi2sk)) = index_keys(&edited);
        let change = unchanged_since_read(
            Change::new(
                "SET starts_at = :starts_at, ends_at = :ends_at, capacity_base = :capacity_base, \
                 capacity_flyer = :capacity_flyer, cost = :cost, #location = :location, note = :note, \
                 GSI1PK = :gsi1pk, GSI1SK = :gsi1sk, GSI2PK = :gsi2pk, GSI2SK = :gsi2sk",
            ),
            &session,
        )
        .name("#location", "location")
        .value(":starts_at", Value::of(&edited.starts_at)?)
        .value(":ends_at", Value::of(&edited.ends_at)?)
        .value(":capacity_base", i64::from(edited.capacity_base))
        .value(":capacity_flyer", i64::from(edited.capacity_flyer))
        .value(":cost", Value::of(&edited.cost)?)
        .value(":location", Value::of(&edited.location)?)
        .value(":note", edited.note.as_str())
        .value(":gsi1pk", gsi1pk)
        .value(":gsi1sk", gsi1sk)
        .value(":gsi2pk", gsi2pk)
        .value(":gsi2sk", gsi2sk);
        let mut writes = ctx.store.transaction();
        writes.update("session", &keys::session(id), change)?;
        let (old_date, new_date) = (
            date_claim_key(&session, &zone),
            date_claim_key(&edited, &zone),
        );
        if old_date != new_date {
            writes
                .delete("old date claim", &old_date, Condition::default())?
                .put_new(
                    NEW_DATE_CLAIM,
                    &Entry::new(new_date),
                    &DateClaim {
                        session_id: id.clone(),
                    },
                )?;
        }
        let moved = edited.starts_at != session.starts_at
            || edited.ends_at != session.ends_at
            || edited.location(series) != session.location(series);
        let notifications = if moved && session.has_registrations() {
            let location = edited.location(series);
            let message = Message::SessionChanged {
                url: edited.public_url(ctx),
                series: series.name.clone(),
                when: edited.when_label(&zone),
                place: [location.venue.as_str(), location.address.as_str()]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            notify_all(ctx, id, &message).await?
        } else {
            Vec::new()
        };
        match write_with_notifications(ctx, &mut writes, &notifications).await {
            Ok(()) => {
                if edited.capacity_base > session.capacity_base
                    || edited.capacity_flyer > session.capacity_flyer
                {
                    capacity_raised(ctx, &edited).await?;
                }
                return Ok(edited);
            }
            Err(conflict) if writes.failed(&conflict, NEW_DATE_CLAIM) => {
                return Err(SessionError::Invalid(FormErrors::single(
                    "date",
                    "Another session of this series is on that date.",
                )));
            }
            Err(StoreError::Conflict { .. }) if attempts < MAX_ATTEMPTS => continue,
            Err(StoreError::Conflict { .. }) => return Err(SessionError::NotScheduled),
            Err(error) => return Err(error.into()),
        }
    }
}

/// The write of an edit that claims the session's new date: it fails when another session of
/// the series is on that date.
const NEW_DATE_CLAIM: &str = "new date claim";

/// How often a session change is tried again when a booking changed the session between its
/// read and its write.
const MAX_ATTEMPTS: u32 = 5;

/// The session as it is now (strongly consistent), still scheduled.
async fn current(ctx: &Context, id: &SessionId) -> Result<Session, SessionError> {
    let session = ctx
        .store
        .get::<Session>(&keys::session(id))
        .await?
        .ok_or(SessionError::NotFound)?;
    if session.status != SessionStatus::Scheduled {
        return Err(SessionError::NotScheduled);
    }
    Ok(session)
}

/// `change` under the condition that the session is still scheduled and its counts are those
/// that were read: a booking in between makes the write fail, and it is tried again with the
/// registrants read anew, so nobody who registered meanwhile misses the notification.
fn unchanged_since_read(change: Change, session: &Session) -> Change {
    change
        .when(
            "#status = :scheduled AND confirmed_base = :confirmed_base \
             AND confirmed_flyer = :confirmed_flyer AND waitlisted = :waitlisted",
        )
        .name("#status", "status")
        .value(":scheduled", SessionStatus::Scheduled.stored())
        .value(":confirmed_base", i64::from(session.confirmed_base))
        .value(":confirmed_flyer", i64::from(session.confirmed_flyer))
        .value(":waitlisted", i64::from(session.waitlisted))
}

/// A notification of `message` for everyone registered or waitlisted for session `id`.
async fn notify_all(
    ctx: &Context,
    id: &SessionId,
    message: &Message,
) -> Result<Vec<Notification>, Error> {
    Ok(registrants(ctx, id)
        .await?
        .into_iter()
        .map(|email| Notification::new(ctx, email, message.clone()))
        .collect())
}

/// After a capacity was raised: as many waitlisted people as now fit are promoted, FIFO per
/// role, each with their notification.
async fn capacity_raised(ctx: &Context, session: &Session) -> Result<(), Error> {
    match crate::bookings::promote_waiting(ctx, &session.id).await {
        Ok(promoted) => {
            tracing::info!(session = %session.id, promoted = promoted.len(), "capacity raised");
            Ok(())
        }
        Err(crate::bookings::BookingError::Internal(error)) => Err(error),
        Err(error) => Err(Error::failed("promoting after a raise", error)),
    }
}

/// Cancels a scheduled session with a reason that everyone registered or waitlisted is told.
#[tracing::instrument(skip_all)]
pub async fn cancel(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    id: &SessionId,
    reason: &str,
) -> Result<Session, SessionError> {
    let reason = reason.trim();
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
    let SessionAccess { access, .. } =
        access(ctx, principal, series_id, id, Operation::EditSeries).await?;
    let mut attempts = 0;
    loop {
        attempts += 1;
        let session = current(ctx, id).await?;
        let change = unchanged_since_read(
            Change::new("SET #status = :cancelled, cancel_reason = :reason"),
            &session,
        )
        .value(":cancelled", SessionStatus::Cancelled.stored())
        .value(":reason", reason);
        let message = Message::SessionCancelled {
            url: session.public_url(ctx),
            series: access.series.name.clone(),
            when: session.when_label(&access.series.zone()),
            reason: reason.to_owned(),
        };
        let notifications = notify_all(ctx, id, &message).await?;
        let mut writes = ctx.store.transaction();
        writes.update("session", &keys::session(id), change)?;
        match write_with_notifications(ctx, &mut writes, &notifications).await {
            Ok(()) => {
                return Ok(Session {
                    status: SessionStatus::Cancelled,
                    cancel_reason: Some(reason.to_owned()),
                    ..session
                });
            }
            Err(StoreError::Conflict { .. }) if attempts < MAX_ATTEMPTS => continue,
            Err(StoreError::Conflict { .. }) => return Err(SessionError::NotScheduled),
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

/// Writes `writes` with their notifications: in one transaction when they fit (up to 100
/// items, every real jam), else with the first notifications that fit and the rest after it.
async fn write_with_notifications(
    ctx: &Context,
    writes: &mut Transaction,
    notifications: &[Notification],
) -> Result<(), StoreError> {
    let room = 100 - writes.len();
    let (first, rest) = notifications.split_at(room.min(notifications.len()));
    for notification in first {
        writes.put("notification", &notification.entry(), notification, None)?;
    }
    writes.commit().await?;
    for chunk in rest.chunks(100) {
        let mut more = ctx.store.transaction();
        for notification in chunk {
            more.put("notification", &notification.entry(), notification, None)?;
        }
        more.commit().await?;
    }
    Ok(())
}

/// A registration as far as notifying its person goes.
#[derive(Deserialize)]
struct Registrant {
    email: Email,
    status: String,
}

/// The email addresses of everyone registered or waitlisted for a session.
async fn registrants(ctx: &Context, id: &SessionId) -> Result<Vec<Email>, Error> {
    let partition = keys::session(id).pk;
    let mut emails = Vec::new();
    let mut start = None;
    loop {
        let mut query = Query::table(&partition);
        query.prefix = Some("REG#");
        query.start = start.take();
        let page = ctx.store.query::<Registrant>(query).await?;
        emails.extend(
            page.items
                .into_iter()
                .filter(|registrant| {
                    matches!(registrant.status.as_str(), "confirmed" | "waitlisted")
                })
                .map(|registrant| registrant.email),
        );
        match page.next {
            Some(next) => start = Some(next),
            None => break,
        }
    }
    Ok(emails)
}

fn not_scheduled_on_conflict(error: StoreError) -> SessionError {
    if error.is_conflict() {
        SessionError::NotScheduled
    } else {
        SessionError::Series(error.into())
    }
}

/// Why a session operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Series(#[from] SeriesError),
    #[error("There is no such session.")]
    NotFound,
    #[error("This session is no longer scheduled: it was cancelled or completed.")]
    NotScheduled,
    #[error("A session can be marked completed once it has started.")]
    NotStarted,
    #[error("Please correct the form.")]
    Invalid(FormErrors),
}

impl From<StoreError> for SessionError {
    fn from(error: StoreError) -> Self {
        Self::Series(error.into())
    }
}

impl From<Error> for SessionError {
    fn from(error: Error) -> Self {
        Self::Series(error.into())
    }
}

impl From<crate::authorization::Denied> for SessionError {
    fn from(denied: crate::authorization::Denied) -> Self {
        Self::Series(denied.into())
    }
}
