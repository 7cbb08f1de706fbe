//! The scheduled jobs' function: each EventBridge schedule sends `{"job": "<name>"}` as its
//! input, and the named job runs once; its report is logged and returned.

use jamie::{
    Context, Error,
    jobs::{self, Job, JobReport},
};
use serde::{Deserialize, Serialize};

/// The input each schedule in `template.yaml` sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledRun {
    pub job: Job,
}

/// What a run returns to Lambda (and the log).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunResult {
    pub job: Job,
    pub examined: usize,
    pub changed: usize,
}

/// Runs the job a schedule names.
pub async fn handle(ctx: &Context, run: ScheduledRun) -> Result<RunResult, Error> {
    // Boxed: the jobs together nest deeper than the compiler lays out on the stack.
    let JobReport { examined, changed } = Box::pin(jobs::run(ctx, run.job)).await?;
    Ok(RunResult {
        job: run.job,
        examined,
        changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_schedule_input_names_a_job() {
        for job in Job::ALL {
            let input = format!("{{\"job\":\"{}\"}}", job.name());
            let run: ScheduledRun = serde_json::from_str(&input).unwrap();
            assert_eq!(run.job, job);
        }
        assert!(serde_json::from_str::<ScheduledRun>("{\"job\":\"backup\"}").is_err());
    }
}
