//! Sessions, the dated occurrences of a series (times in UTC, read in the series' zone): the
//! session item, its keys, the series copy it keeps, and what every change of a session shares.

mod edit;
mod lifecycle;
mod message;
mod queries;
mod schedule;

pub(crate) use edit::edit;
pub use edit::{Edited, SessionEdit};
pub use lifecycle::complete_ended;
pub use lifecycle::{cancel, complete};
pub use message::{
    MESSAGE_MAX_CHARS, MESSAGES_PER_ORGANIZER_PER_DAY, MESSAGES_PER_SESSION_PER_HOUR, MessageText,
    Messaged, message, parse_message,
};
pub use queries::{SessionAccess, access, of_series, on_day};
pub(crate) use queries::{between, next_of_series, of_series_unchecked};
pub use schedule::{Repeat, Schedule, Scheduled, schedule, schedule_defaults};

use std::collections::BTreeMap;

use jiff::{
    SignedDuration, Timestamp,
    civil::{Date, Time},
    tz::TimeZone,
};
use serde::{Deserialize, Serialize};

use super::{
    recurrence::{self, Frequency, Occurrence, Recurrence, RecurrenceError},
    series::{self, Access, Cost, Location, Series, SeriesError, Slot, parse_capacity, parse_time},
};
use crate::{
    Context, Error,
    authorization::{Operation, Principal},
    ids::{SeriesId, SessionId},
    outbox::{Before, Kind, Notification},
    store::{
        Change, Condition, Entry, Query, StoreError, Transaction, Value, keys,
        retry::DeadlinePassed,
    },
    values::{Fields, FormErrors, Role, Waiter},
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
    /// The revision of what calendars show (time, place, note, status), the `SEQUENCE` of its
    /// calendar files: one up with each such change, in the change's own write.
    #[serde(default)]
    pub sequence: u32,
    pub created_at: Timestamp,
}

/// The part of a series its sessions keep: written when a session is scheduled and again by
/// [`sync_series`] whenever the series changes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesCopy {
    pub name: String,
    pub time_zone: crate::values::TimeZone,
    /// Not archived and its owner not blocked: the public may see it and register.
    pub public: bool,
    pub either_first: Role,
    /// The series sends a second reminder 2 hours before each session.
    #[serde(default)]
    pub remind_two_hours: bool,
    /// Public registrations are held until confirmed by email.
    #[serde(default)]
    pub confirm_by_email: bool,
}

impl SeriesCopy {
    /// The series' time zone, parsed when the item was read (an unknown one fails the read).
    pub fn zone(&self) -> TimeZone {
        self.time_zone.zone()
    }
}

/// Writes what sessions keep of `series` (and its registration cut-off) onto each of its
/// sessions that has not ended: after the series was edited, archived or restored, or its
/// owner blocked or unblocked.
pub async fn sync_series(ctx: &Context, series: &Series) -> Result<(), Error> {
    let now = ctx.clock.now();
    let copy = Value::of(&series.copy())?;
    for session in of_series_unchecked(ctx, &series.id).await? {
        if session.ends_at <= now {
            continue;
        }
        let change = Change::new("SET #series = :copy, closes_minutes_before = :closes")
            .when("attribute_exists(PK)")
            .name("#series", "series")
            .value(":copy", copy.clone())
            .value(":closes", i64::from(series.closes_minutes_before));
        // A renamed series retitles its sessions in calendars.
        let renamed = session
            .series
            .as_ref()
            .is_none_or(|kept| kept.name != series.name);
        let change = if renamed {
            bump_sequence(change)
        } else {
            change
        };
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

/// The series item's slot of `session` set to its times, under the condition that the
/// series keeps slots (it exists, and [`keep_slots`] ran).
fn slot_change(session: &Session) -> Result<Change, StoreError> {
    let slot = Slot {
        starts_at: session.starts_at,
        ends_at: session.ends_at,
    };
    Ok(Change::new("SET slots.#session = :slot")
        .when("attribute_exists(slots)")
        .name("#session", session.id.as_str())
        .value(":slot", Value::of(&slot)?))
}

/// Makes sure the series item keeps its sessions' slots ([`Series::slots`]): a series saved
/// before they were kept gets them from the index, once. Every session scheduled or moved
/// afterwards writes its slot in its own transaction.
async fn keep_slots(ctx: &Context, series: &Series) -> Result<(), Error> {
    if series.slots.is_some() {
        return Ok(());
    }
    let slots: BTreeMap<String, Slot> = of_series_unchecked(ctx, &series.id)
        .await?
        .into_iter()
        .map(|session| {
            let slot = Slot {
                starts_at: session.starts_at,
                ends_at: session.ends_at,
            };
            (session.id.as_str().to_owned(), slot)
        })
        .collect();
    let change = Change::new("SET slots = :slots")
        .when("attribute_exists(PK) AND attribute_not_exists(slots)")
        .value(":slots", Value::of(&slots)?);
    match ctx
        .store
        .update_item(&keys::series(&series.id), change)
        .await
    {
        // Filled in meanwhile by another request, or the series is gone: nothing to keep.
        Ok(()) | Err(StoreError::Conflict { .. }) => Ok(()),
        Err(error) => Err(error.into()),
    }
}

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

/// `change` with the session's [`Session::sequence`] one up: for a change calendars must show.
/// (A session stored before it kept a sequence gets 1.)
fn bump_sequence(change: Change) -> Change {
    change
        .and_add("#sequence :one_revision")
        .name("#sequence", "sequence")
        .value(":one_revision", 1_i64)
}

/// `session` as [`bump_sequence`] leaves it.
fn next_sequence(session: Session) -> Session {
    Session {
        sequence: session.sequence.saturating_add(1),
        ..session
    }
}

/// Writes `writes` with the fan-out notification `about` (one of the `ForEveryone` kinds) in
/// the same transaction: the worker tells each person registered at that moment.
async fn write_with_fan_out(
    ctx: &Context,
    writes: &mut Transaction,
    about: Kind,
) -> Result<(), StoreError> {
    let fan_out = Notification::for_everyone(ctx, about);
    writes.put("fan-out notification", &fan_out.entry(), &fan_out, None)?;
    writes.commit().await
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
    /// An organizer's message over one of the limits; the next may go at `until`.
    #[error("You have sent as many messages as Jamie allows for now; the next may go at {until}.")]
    TooManyMessages {
        per: crate::limits::Per,
        until: Timestamp,
    },
    /// Bookings kept changing the session between its read and its write until the deadline.
    #[error("Many people are registering for this session right now; please try again.")]
    Busy(#[from] DeadlinePassed),
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

#[cfg(test)]
mod testing;

#[cfg(test)]
mod tests {
    use super::{testing::*, *};

    #[test]
    fn a_status_is_stored_as_its_serialized_name() {
        for status in [
            SessionStatus::Scheduled,
            SessionStatus::Cancelled,
            SessionStatus::Completed,
        ] {
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::Value::from(status.stored()),
                "conditions compare the stored text"
            );
        }
    }

    #[test]
    fn a_session_differs_from_its_series_by_its_own_cost_place_or_capacities() {
        let series = series();
        let mut session = session(&series, "2027-03-16T18:00:00Z", "2027-03-16T20:00:00Z");
        assert!(!session.is_overridden(&series));
        assert_eq!(session.location(&series).venue, "Studio Nord");
        session.capacity_flyer = 9;
        assert!(session.is_overridden(&series));
        session.capacity_flyer = series.capacity_flyer;
        session.location = Some(Location {
            venue: "Park".to_owned(),
            ..Location::default()
        });
        assert!(session.is_overridden(&series));
        assert_eq!(session.location(&series).venue, "Park");
    }

    #[test]
    fn registrations_count_confirmed_and_waitlisted_people() {
        let series = series();
        let mut session = session(&series, "2027-03-16T18:00:00Z", "2027-03-16T20:00:00Z");
        assert!(!session.has_registrations());
        session.waitlisted = 1;
        assert!(session.has_registrations());
    }

    #[test]
    fn times_read_and_dates_claimed_in_the_series_zone() {
        let series = series();
        let zone = series.zone();
        let evening = session(&series, "2027-03-16T18:00:00Z", "2027-03-16T20:00:00Z");
        assert_eq!(evening.when_label(&zone), "Tue 16 Mar 2027, 19:00–21:00");
        // 00:30 in Berlin on the 17th is still the 16th in UTC: the local date is claimed.
        let late = session(&series, "2027-03-16T23:30:00Z", "2027-03-17T01:00:00Z");
        assert_eq!(
            date_claim_key(&late, &zone),
            keys::session_date(&series.id, "2027-03-17")
        );
        assert_eq!(
            date_claim_key(&evening, &zone),
            keys::session_date(&series.id, "2027-03-16")
        );
    }

    #[test]
    fn date_and_times_are_checked_together_and_each_problem_beside_its_field() {
        let zone = series().zone();
        let times = |pairs: &[(&str, &str)]| {
            let fields = form(pairs);
            let mut errors = FormErrors::default();
            let parsed = parse_times(&Fields(&fields), &zone, march(), &mut errors);
            (parsed, errors)
        };
        let (parsed, errors) = times(&[
            ("date", "2027-03-16"),
            ("start_time", "19:00"),
            ("end_time", "21:30"),
        ]);
        assert!(!errors.any(), "{errors:?}");
        let (date, start, duration) = parsed.unwrap();
        assert_eq!(date.to_string(), "2027-03-16");
        assert_eq!(start.to_string(), "19:00:00");
        assert_eq!(duration, SignedDuration::from_mins(150));

        let (parsed, errors) = times(&[
            ("date", "2027-03-01"),
            ("start_time", "19:00"),
            ("end_time", "18:00"),
        ]);
        assert!(parsed.is_none());
        assert!(errors.has("date") && errors.has("end_time"), "{errors:?}");

        let (parsed, errors) = times(&[
            ("date", "16 March"),
            ("start_time", "7pm"),
            ("end_time", "21:00"),
        ]);
        assert!(parsed.is_none());
        assert!(errors.has("date") && errors.has("start_time"), "{errors:?}");
    }
}
