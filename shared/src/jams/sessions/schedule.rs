//! Scheduling: the schedule form (one session or a weekly or biweekly run), its defaults, and
//! creating the sessions, each with the claim on its local date and its slot on the series.

use super::*;

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
            sequence: 0,
            created_at: now,
        })
        .collect();
    // One transaction per session with the claim on its local date: of two schedules racing
    // for a date, one gets it and the other skips it. The series keeps the session's slot.
    let zone = &schedule.recurrence.zone;
    keep_slots(ctx, &access.series).await?;
    let mut created = Vec::with_capacity(sessions.len());
    let mut skipped = skipped;
    for session in sessions {
        let mut writes = ctx.store.transaction();
        writes
            .put_new("session", &session_entry(&session), &session)?
            .put_new(
                "date claim",
                &Entry::new(date_claim_key(&session, zone)),
                &DateClaim {
                    session_id: session.id.clone(),
                },
            )?
            .update(
                "series slot",
                &keys::series(&session.series_id),
                slot_change(&session)?,
            )?;
        match writes.commit().await {
            Ok(()) => created.push(session),
            Err(error) if error.is_conflict() => skipped += 1,
            Err(error) => return Err(error.into()),
        }
    }
    let sessions = created;
    Ok(Scheduled { sessions, skipped })
}

#[cfg(test)]
mod tests {
    use super::{super::testing::*, *};

    fn parse(pairs: &[(&str, &str)]) -> Result<Schedule, FormErrors> {
        Schedule::parse(&Fields(&form(pairs)), &series(), march())
    }

    #[test]
    fn a_weekly_run_becomes_its_recurrence_in_the_series_zone() {
        let schedule = parse(&[
            ("date", "2027-03-16"),
            ("start_time", "19:00"),
            ("end_time", "21:00"),
            ("repeat", "weekly"),
            ("count", "4"),
            ("capacity_base", "6"),
            ("capacity_flyer", "5"),
            ("note", "Bring a mat"),
        ])
        .unwrap();
        let recurrence = &schedule.recurrence;
        assert_eq!(recurrence.first.to_string(), "2027-03-16");
        assert_eq!(recurrence.start.to_string(), "19:00:00");
        assert_eq!(recurrence.duration, SignedDuration::from_hours(2));
        assert_eq!(
            (recurrence.frequency, recurrence.count),
            (Frequency::Weekly, 4)
        );
        assert_eq!(recurrence.zone.iana_name(), Some("Europe/Berlin"));
        assert_eq!((schedule.capacity_base, schedule.capacity_flyer), (6, 5));
        assert_eq!(schedule.note, "Bring a mat");
    }

    #[test]
    fn once_is_one_session_whatever_the_count_says() {
        let schedule = parse(&[
            ("date", "2027-03-16"),
            ("start_time", "19:00"),
            ("end_time", "21:00"),
            ("repeat", "once"),
            ("count", "nonsense"),
            ("capacity_base", "6"),
            ("capacity_flyer", "5"),
        ])
        .unwrap();
        assert_eq!(schedule.recurrence.count, 1);
    }

    #[test]
    fn every_bad_field_of_the_schedule_form_is_reported_beside_itself() {
        let errors = parse(&[
            ("date", "2027-03-01"),
            ("start_time", "19:00"),
            ("end_time", "18:00"),
            ("repeat", "daily"),
            ("capacity_base", "-1"),
            ("capacity_flyer", "501"),
        ])
        .unwrap_err();
        for field in [
            "date",
            "end_time",
            "repeat",
            "capacity_base",
            "capacity_flyer",
        ] {
            assert!(errors.has(field), "{field}: {errors:?}");
        }
        let errors = parse(&[
            ("date", "2027-03-16"),
            ("start_time", "19:00"),
            ("end_time", "21:00"),
            ("repeat", "weekly"),
            ("count", "0"),
            ("capacity_base", "6"),
            ("capacity_flyer", "5"),
        ])
        .unwrap_err();
        assert!(errors.has("count"), "{errors:?}");
    }

    #[test]
    fn the_form_proposes_the_next_usual_weekday_after_the_last_session() {
        let series = series();
        let defaults = schedule_defaults(&series, march(), None);
        assert_eq!(
            defaults["date"], "2027-03-16",
            "the Tuesday after Wednesday"
        );
        assert_eq!(defaults["start_time"], "19:00");
        assert_eq!(defaults["end_time"], "21:00");
        assert_eq!(
            (
                defaults["capacity_base"].as_str(),
                defaults["capacity_flyer"].as_str()
            ),
            ("10", "8")
        );
        let last = "2027-03-16T18:00:00Z".parse().unwrap();
        let after = schedule_defaults(&series, march(), Some(last));
        assert_eq!(after["date"], "2027-03-23");
        // On a Tuesday before its start, today is still ahead; after it, next week.
        let tuesday_noon = "2027-03-16T11:00:00Z".parse().unwrap();
        assert_eq!(
            schedule_defaults(&series, tuesday_noon, None)["date"],
            "2027-03-16"
        );
        let tuesday_night = "2027-03-16T20:00:00Z".parse().unwrap();
        assert_eq!(
            schedule_defaults(&series, tuesday_night, None)["date"],
            "2027-03-23"
        );
    }
}
