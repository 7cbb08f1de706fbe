//! The scheduled jobs (EventBridge in AWS, the dev server locally): reminders, the release of
//! expired holds with the promotion safety net and the stuck-outbox re-enqueue, cleanup.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{Context, Error};

/// One scheduled job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Job {
    /// Writes each confirmed registration its reminder 24 h (and, where the series asks, 2 h)
    /// before the session, exactly once.
    Reminders,
    /// Releases held registrations nobody confirmed in time (promoting the next in line),
    /// fixes sessions whose counters and waitlist disagree; re-sends stuck notifications.
    Promotions,
    /// Completes past sessions and archives old ones.
    Cleanup,
}

impl Job {
    pub const ALL: [Job; 3] = [Job::Reminders, Job::Promotions, Job::Cleanup];

    pub fn name(self) -> &'static str {
        match self {
            Job::Reminders => "reminders",
            Job::Promotions => "promotions",
            Job::Cleanup => "cleanup",
        }
    }

    /// How often the job runs (the schedules in `template.yaml` use the same rates).
    pub fn every(self) -> Duration {
        match self {
            Job::Reminders => Duration::from_secs(15 * 60),
            Job::Promotions => Duration::from_secs(5 * 60),
            Job::Cleanup => Duration::from_secs(60 * 60),
        }
    }
}

/// What a run did, for the log and the tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobReport {
    /// Items the job looked at.
    pub examined: usize,
    /// Items it changed or sent.
    pub changed: usize,
}

/// Days ahead (from today, UTC) whose sessions the promotions job sweeps.
pub const SWEEP_DAYS: u16 = 14;

/// How long an outbox item may wait before the promotions job hands it to the queue again
/// (the relay lost it, or a worker died holding it).
pub const STUCK_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_mins(2);

/// How long after its last session a series is archived by the cleanup job.
pub const ARCHIVE_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_hours(90 * 24);

/// Runs one job once and logs one line of what it did: reminders writes each confirmed
/// registration of the sessions starting 23–25 h from now its reminder, and 1–3 h from now
/// where the series asks for a second (once, whatever runs overlap); promotions releases the
/// holds that ran out unconfirmed, sweeps the sessions of the next two weeks with the bookings' safety
/// net and re-enqueues stuck outbox items; cleanup completes ended sessions, archives idle
/// series and keeps the public listing in step.
#[tracing::instrument(skip(ctx), fields(job = job.name()))]
pub async fn run(ctx: &Context, job: Job) -> Result<JobReport, Error> {
    let report = match job {
        Job::Promotions => {
            let internal = |doing: &'static str| {
                move |error| match error {
                    crate::bookings::BookingError::Internal(error) => error,
                    other => Error::failed(doing, other),
                }
            };
            let released = crate::bookings::release_expired(ctx)
                .await
                .map_err(internal("releasing expired holds"))?;
            let today = utc_date(ctx.clock.now());
            let swept = crate::bookings::sweep(ctx, today, SWEEP_DAYS)
                .await
                .map_err(internal("sweeping sessions"))?;
            for fixed in &swept.fixed {
                tracing::warn!(?fixed, "the sweep fixed a session");
            }
            let (stuck, requeued) = requeue_stuck(ctx).await?;
            JobReport {
                examined: released.examined + swept.examined + stuck,
                changed: released.released + swept.fixed.len() + requeued,
            }
        }
        Job::Cleanup => {
            let now = ctx.clock.now();
            let today = utc_date(now);
            let (mut examined, mut changed) = (0, 0);
            // Sessions end on the day they start or the next: the last two days and today.
            for back in [2, 1, 0] {
                let day = today
                    .checked_sub(jiff::Span::new().days(back))
                    .unwrap_or(today);
                let (seen, completed) =
                    crate::jams::sessions::complete_ended(ctx, day, now).await?;
                examined += seen;
                changed += completed;
            }
            let idle_since = now.checked_sub(ARCHIVE_AFTER).unwrap_or(now);
            let (seen, archived) = crate::jams::series::archive_idle(ctx, idle_since).await?;
            let (_, relisted) = crate::jams::series::relist_all(ctx).await?;
            JobReport {
                examined: examined + seen,
                changed: changed + archived + relisted,
            }
        }
        Job::Reminders => remind(ctx).await?,
    };
    tracing::info!(
        job = job.name(),
        examined = report.examined,
        changed = report.changed,
        "job ran"
    );
    Ok(report)
}

fn utc_date(at: jiff::Timestamp) -> jiff::civil::Date {
    at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}

/// Writes the reminder of every confirmed registration of the sessions that start between
/// 23 and 25 hours from now and, for the series that ask for a second one, of those that start
/// between 1 and 3 hours from now. Each reminder's id is derived from the registration, the
/// lead and the start time, and written only if absent: overlapping or repeated runs write it
/// once, the two leads never collide, and a session moved later gets a new one for its new time.
async fn remind(ctx: &Context) -> Result<JobReport, Error> {
    use crate::outbox::Lead;
    let mut report = JobReport::default();
    for lead in [Lead::Day, Lead::TwoHours] {
        let done = remind_at(ctx, lead).await?;
        report.examined += done.examined;
        report.changed += done.changed;
    }
    Ok(report)
}

/// The reminders of `lead`: the sessions starting within an hour either side of `lead` from
/// now.
async fn remind_at(ctx: &Context, lead: crate::outbox::Lead) -> Result<JobReport, Error> {
    use crate::{
        bookings::RegistrationStatus,
        ids::NotificationId,
        outbox::{Kind, Notification, Recipient},
        store::keys,
    };
    let now = ctx.clock.now();
    let hour = jiff::SignedDuration::from_hours(1);
    let from = now
        .checked_add(lead.before_start())
        .and_then(|due| due.checked_sub(hour))
        .unwrap_or(now);
    let to = from.checked_add(hour * 2).unwrap_or(from);
    let mut days = vec![utc_date(from)];
    if utc_date(to) != days[0] {
        days.push(utc_date(to));
    }
    let mut report = JobReport::default();
    for day in days {
        for session in crate::jams::sessions::on_day(ctx, day).await? {
            let due = session.status == crate::jams::sessions::SessionStatus::Scheduled
                && session.starts_at >= from
                && session.starts_at < to;
            if !due || !wants(ctx, &session, lead).await? {
                continue;
            }
            let Some((_, registrations)) = crate::bookings::everyone_of(ctx, &session.id).await?
            else {
                continue;
            };
            let starts = keys::sortable_time(session.starts_at);
            for registration in registrations
                .iter()
                .filter(|registration| registration.status == RegistrationStatus::Confirmed)
            {
                report.examined += 1;
                let id = NotificationId::derived(&[
                    "reminder",
                    registration.id.as_str(),
                    lead.as_str(),
                    &starts,
                ]);
                let reminder = Notification::with_id(
                    ctx,
                    id,
                    Some(Recipient::email(&registration.email)),
                    Kind::Reminder {
                        session: session.id.clone(),
                        registration: registration.id.clone(),
                        lead,
                    },
                );
                if ctx.store.put_item_new(&reminder.entry(), &reminder).await? {
                    report.changed += 1;
                }
            }
        }
    }
    Ok(report)
}

/// Whether `session`'s series sends reminders of `lead`: every series the day before; the 2 h
/// one where the series asks for it (read from the series copy on the session, or from the
/// series for a session scheduled before the copy kept it).
async fn wants(
    ctx: &Context,
    session: &crate::jams::sessions::Session,
    lead: crate::outbox::Lead,
) -> Result<bool, Error> {
    use crate::outbox::Lead;
    if lead == Lead::Day {
        return Ok(true);
    }
    if let Some(copy) = &session.series {
        return Ok(copy.remind_two_hours);
    }
    let series = ctx
        .store
        .get::<crate::jams::series::Series>(&crate::store::keys::series(&session.series_id))
        .await?;
    Ok(series.is_some_and(|series| series.remind_two_hours))
}

/// Hands every outbox item that has waited longer than [`STUCK_AFTER`] to the queue again
/// (the worker's claim makes a duplicate harmless); returns how many it saw and re-enqueued.
async fn requeue_stuck(ctx: &Context) -> Result<(usize, usize), Error> {
    use crate::{
        outbox::Notification,
        store::{Query, keys},
    };
    let now = ctx.clock.now();
    let before = now.checked_sub(STUCK_AFTER).unwrap_or(now);
    let until = keys::sortable_time(before);
    let mut query = Query::index("GSI1", keys::PENDING_OUTBOX_INDEX);
    query.between = Some(("0", until.as_str()));
    let (mut seen, mut requeued) = (0, 0);
    loop {
        let page = ctx.store.query::<Notification>(query.clone()).await?;
        for notification in page.items {
            seen += 1;
            let leased = notification
                .lease_until
                .is_some_and(|lease_until| lease_until > now);
            if notification.status.is_final() || leased {
                continue;
            }
            crate::notifications::enqueue(ctx, &notification.id).await?;
            requeued += 1;
        }
        match page.next {
            Some(next) => query.start = Some(next),
            None => return Ok((seen, requeued)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_has_a_distinct_name_and_a_rate() {
        let names: std::collections::HashSet<_> = Job::ALL.iter().map(|job| job.name()).collect();
        assert_eq!(names.len(), Job::ALL.len());
        for job in Job::ALL {
            assert!(job.every() >= Duration::from_secs(60));
            let json = serde_json::to_string(&job).unwrap();
            assert_eq!(json, format!("\"{}\"", job.name()));
        }
    }
}
