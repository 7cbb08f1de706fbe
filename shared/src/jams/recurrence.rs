//! Recurrence: the sessions of "every Tuesday at 19:00 for 8 weeks" (or every other week) as
//! UTC instants, computed in the series' time zone so a 19:00 jam stays at 19:00 local time
//! across daylight-saving changes. Dates that already have a session are skipped.

use jiff::{
    SignedDuration, Timestamp, ToSpan,
    civil::{Date, Time},
    tz::TimeZone,
};

/// The most sessions one request may schedule (a year of weekly jams).
pub const MAX_OCCURRENCES: u16 = 52;

/// The shortest and the longest session.
pub const MIN_DURATION: SignedDuration = SignedDuration::from_mins(15);
pub const MAX_DURATION: SignedDuration = SignedDuration::from_hours(24);

/// How often a series meets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    Weekly,
    Biweekly,
}

impl Frequency {
    fn weeks(self) -> i64 {
        match self {
            Frequency::Weekly => 1,
            Frequency::Biweekly => 2,
        }
    }
}

/// What to schedule.
#[derive(Clone, Debug)]
pub struct Recurrence {
    /// The local date of the first session.
    pub first: Date,
    /// The local start time of every session.
    pub start: Time,
    pub duration: SignedDuration,
    pub frequency: Frequency,
    pub count: u16,
    pub zone: TimeZone,
}

/// One scheduled session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
}

/// Why a recurrence cannot be scheduled, for the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    #[error("Schedule between 1 and 52 sessions at once.")]
    Count,
    #[error("A session lasts between 15 minutes and 24 hours.")]
    Duration,
    #[error("The first session would start in the past.")]
    InThePast,
    #[error("That date is out of range.")]
    OutOfRange,
}

/// The sessions of `recurrence`, none starting before `now`.
pub fn occurrences(
    recurrence: &Recurrence,
    now: Timestamp,
) -> Result<Vec<Occurrence>, RecurrenceError> {
    if recurrence.count == 0 || recurrence.count > MAX_OCCURRENCES {
        return Err(RecurrenceError::Count);
    }
    let duration = recurrence.duration;
    if duration < MIN_DURATION || duration > MAX_DURATION {
        return Err(RecurrenceError::Duration);
    }
    let mut found = Vec::with_capacity(usize::from(recurrence.count));
    for index in 0..i64::from(recurrence.count) {
        let date = recurrence
            .first
            .checked_add((index * recurrence.frequency.weeks()).weeks())
            .map_err(|_| RecurrenceError::OutOfRange)?;
        // Local wall time on that date; in a DST gap the later valid time, in a fold the earlier.
        let starts = date
            .to_datetime(recurrence.start)
            .to_zoned_datetime(recurrence.zone.clone())
            .map_err(|_| RecurrenceError::OutOfRange)?
            .timestamp();
        let ends = starts
            .checked_add(duration)
            .map_err(|_| RecurrenceError::OutOfRange)?;
        found.push(Occurrence {
            starts_at: starts,
            ends_at: ends,
        });
    }
    if found.first().is_some_and(|first| first.starts_at < now) {
        return Err(RecurrenceError::InThePast);
    }
    Ok(found)
}

/// `occurrences` without those on a local date (in `zone`) that already has a session.
pub fn skip_existing(
    occurrences: Vec<Occurrence>,
    existing: &[Timestamp],
    zone: &TimeZone,
) -> Vec<Occurrence> {
    let taken: Vec<Date> = existing
        .iter()
        .map(|at| at.to_zoned_datetime(zone.clone()).date())
        .collect();
    occurrences
        .into_iter()
        .filter(|occurrence| {
            !taken.contains(&occurrence.starts_at.to_zoned_datetime(zone.clone()).date())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};

    use super::*;

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").unwrap()
    }

    fn weekly(first: Date, start: Time, count: u16, zone: TimeZone) -> Recurrence {
        Recurrence {
            first,
            start,
            duration: SignedDuration::from_hours(2),
            frequency: Frequency::Weekly,
            count,
            zone,
        }
    }

    fn long_ago() -> Timestamp {
        "2000-01-01T00:00:00Z".parse().unwrap()
    }

    fn utc(occurrences: &[Occurrence]) -> Vec<String> {
        occurrences
            .iter()
            .map(|o| o.starts_at.to_string())
            .collect()
    }

    #[test]
    fn a_weekly_jam_keeps_its_local_time_across_the_spring_change() {
        // Tuesdays at 19:00 in Berlin; clocks go forward on Sunday 2026-03-29.
        let found = occurrences(
            &weekly(date(2026, 3, 17), time(19, 0, 0, 0), 4, berlin()),
            long_ago(),
        )
        .unwrap();
        assert_eq!(
            utc(&found),
            [
                "2026-03-17T18:00:00Z",
                "2026-03-24T18:00:00Z",
                "2026-03-31T17:00:00Z",
                "2026-04-07T17:00:00Z"
            ]
        );
        for occurrence in &found {
            let local = occurrence.starts_at.to_zoned_datetime(berlin());
            assert_eq!((local.hour(), local.minute()), (19, 0));
            assert_eq!(local.weekday(), jiff::civil::Weekday::Tuesday);
            assert_eq!(
                occurrence.ends_at.duration_since(occurrence.starts_at),
                SignedDuration::from_hours(2)
            );
        }
    }

    #[test]
    fn a_weekly_jam_keeps_its_local_time_across_the_autumn_change() {
        // New York falls back on Sunday 2026-11-01.
        let zone = TimeZone::get("America/New_York").unwrap();
        let found = occurrences(
            &weekly(date(2026, 10, 27), time(19, 0, 0, 0), 2, zone),
            long_ago(),
        )
        .unwrap();
        // 19:00 EDT is 23:00 UTC; 19:00 EST is midnight UTC of the next day.
        assert_eq!(
            utc(&found),
            ["2026-10-27T23:00:00Z", "2026-11-04T00:00:00Z"]
        );
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_to_the_next_valid_time() {
        // 02:30 does not exist in Berlin on 2026-03-29.
        let found = occurrences(
            &weekly(date(2026, 3, 29), time(2, 30, 0, 0), 1, berlin()),
            long_ago(),
        )
        .unwrap();
        let local = found[0].starts_at.to_zoned_datetime(berlin());
        assert_eq!((local.hour(), local.minute()), (3, 30));
    }

    #[test]
    fn every_other_week_skips_a_week() {
        let recurrence = Recurrence {
            frequency: Frequency::Biweekly,
            ..weekly(date(2026, 1, 6), time(19, 0, 0, 0), 3, berlin())
        };
        let found = occurrences(&recurrence, long_ago()).unwrap();
        let dates: Vec<Date> = found
            .iter()
            .map(|o| o.starts_at.to_zoned_datetime(berlin()).date())
            .collect();
        assert_eq!(
            dates,
            [date(2026, 1, 6), date(2026, 1, 20), date(2026, 2, 3)]
        );
    }

    #[test]
    fn dates_that_already_have_a_session_are_skipped() {
        let found = occurrences(
            &weekly(date(2026, 5, 5), time(19, 0, 0, 0), 4, berlin()),
            long_ago(),
        )
        .unwrap();
        // An existing session on the second Tuesday, at another time of day.
        let existing: Timestamp = "2026-05-12T08:00:00Z".parse().unwrap();
        let kept = skip_existing(found, &[existing], &berlin());
        let dates: Vec<Date> = kept
            .iter()
            .map(|o| o.starts_at.to_zoned_datetime(berlin()).date())
            .collect();
        assert_eq!(
            dates,
            [date(2026, 5, 5), date(2026, 5, 19), date(2026, 5, 26)]
        );
    }

    #[test]
    fn bad_requests_are_refused() {
        let base = weekly(date(2026, 5, 5), time(19, 0, 0, 0), 8, berlin());
        assert_eq!(
            occurrences(
                &Recurrence {
                    count: 0,
                    ..base.clone()
                },
                long_ago()
            ),
            Err(RecurrenceError::Count)
        );
        assert_eq!(
            occurrences(
                &Recurrence {
                    count: 200,
                    ..base.clone()
                },
                long_ago()
            ),
            Err(RecurrenceError::Count)
        );
        assert_eq!(
            occurrences(
                &Recurrence {
                    duration: SignedDuration::from_mins(5),
                    ..base.clone()
                },
                long_ago()
            ),
            Err(RecurrenceError::Duration)
        );
        let later: Timestamp = "2026-06-01T00:00:00Z".parse().unwrap();
        assert_eq!(occurrences(&base, later), Err(RecurrenceError::InThePast));
    }
}
