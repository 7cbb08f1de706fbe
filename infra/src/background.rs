//! What Lambda runs outside HTTP, run in-process by the dev server: the notifications queue
//! worker (SQS in AWS) and the job schedules (EventBridge in AWS).

use std::time::Duration;

use jamie::{Context, jobs, notifications};
use tokio::task::JoinHandle;

/// Long-polls the notifications queue and hands each message to the domain, deleting the ones
/// handled (or hopeless); the rest come back after the visibility timeout, as in AWS.
pub fn spawn_queue_worker(ctx: Context) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let received = ctx
                .queue
                .receive_message()
                .queue_url(&ctx.config.notifications_queue_url)
                .max_number_of_messages(10)
                .wait_time_seconds(1)
                .send()
                .await;
            let messages = match received {
                Ok(output) => output.messages.unwrap_or_default(),
                Err(error) => {
                    tracing::warn!(error = %aws_sdk_sqs::error::DisplayErrorContext(&error), "queue worker: receive failed");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
            };
            for message in messages {
                let body = message.body.as_deref().unwrap_or_default();
                let done = match notifications::handle_message(&ctx, body).await {
                    Ok(()) => true,
                    Err(error) => {
                        tracing::error!(error = %error, "queue worker: message failed");
                        !error.is_retryable()
                    }
                };
                if let (true, Some(receipt)) = (done, message.receipt_handle) {
                    let deleted = ctx
                        .queue
                        .delete_message()
                        .queue_url(&ctx.config.notifications_queue_url)
                        .receipt_handle(receipt)
                        .send()
                        .await;
                    if let Err(error) = deleted {
                        tracing::warn!(error = %aws_sdk_sqs::error::DisplayErrorContext(&error), "queue worker: delete failed");
                    }
                }
            }
        }
    })
}

/// Runs every job at its rate, first right away.
pub fn spawn_schedules(ctx: Context) -> Vec<JoinHandle<()>> {
    jobs::Job::ALL
        .into_iter()
        .map(|job| {
            let ctx = ctx.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(job.every());
                every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    every.tick().await;
                    match jobs::run(&ctx, job).await {
                        Ok(report) if report.changed > 0 => {
                            tracing::info!(job = job.name(), ?report, "scheduled job ran");
                        }
                        Ok(report) => tracing::debug!(job = job.name(), ?report, "scheduled job ran"),
                        Err(error) => tracing::error!(job = job.name(), error = ?error, "scheduled job failed"),
                    }
                }
            })
        })
        .collect()
}
