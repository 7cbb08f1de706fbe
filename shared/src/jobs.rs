//! The scheduled jobs: 24 h reminders, the waitlist-promotion safety net and cleanup. EventBridge
//! runs them in AWS; the dev server runs them in-process on the same rates.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{Context, Error};

/// One scheduled job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Job {
    /// Sends each registration its reminder 24 h before the session, exactly once.
    Reminders,
    /// Fixes sessions whose counters and waitlist disagree; re-sends stuck notifications.
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

/// Runs one job once. The work of each job arrives with the issue that needs it: promotions
/// sweeps the sessions of the next two weeks with the bookings' safety net (counters and
/// waitlist put right, free spots filled); cleanup keeps the public listing of series in step
/// with the series; reminders (notifications) find nothing to do yet.
#[tracing::instrument(skip(ctx), fields(job = job.name()))]
pub async fn run(ctx: &Context, job: Job) -> Result<JobReport, Error> {
    let report = match job {
        Job::Promotions => {
            let today = ctx
                .clock
                .now()
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date();
            let swept = crate::bookings::sweep(ctx, today, SWEEP_DAYS)
                .await
                .map_err(|error| match error {
                    crate::bookings::BookingError::Internal(error) => error,
                    other => Error::failed("sweeping sessions", other),
                })?;
            for fixed in &swept.fixed {
                tracing::warn!(?fixed, "the sweep fixed a session");
            }
            JobReport {
                examined: swept.examined,
                changed: swept.fixed.len(),
            }
        }
        Job::Cleanup => {
            // Series written before the public listing existed get their listing key here.
            let (examined, changed) = crate::jams::series::relist_all(ctx).await?;
            JobReport { examined, changed }
        }
        Job::Reminders => JobReport::default(),
    };
    tracing::debug!(?report, "job finished");
    Ok(report)
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
