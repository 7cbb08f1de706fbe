//! What AWS runs outside HTTP, run in-process by the dev server: the outbox relay (the Pipe),
//! the notification worker fed SQS batches (Lambda's event source), the job schedules.

use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use jamie::{Context, jobs};

use crate::relay::{From, Relay};
use tokio::task::JoinHandle;

/// Receives one batch (up to 10 messages, waiting up to `wait_seconds` for the first) and hands
/// it to the notification worker's Lambda handler as the SQS event Lambda would, then deletes
/// the messages it did not report as failed — what Lambda's event source mapping does. The
/// failed ones come back after the visibility timeout and, after 5 receives, go to the DLQ.
/// Returns how many messages the batch had.
pub async fn poll_queue_once(ctx: &Context, wait_seconds: i32) -> Result<usize, jamie::Error> {
    let received = ctx
        .queue
        .receive_message()
        .queue_url(&ctx.config.notifications_queue_url)
        .max_number_of_messages(10)
        .wait_time_seconds(wait_seconds)
        .message_system_attribute_names(aws_sdk_sqs::types::MessageSystemAttributeName::All)
        .send()
        .await
        .map_err(|e| jamie::Error::aws("receiving from the notifications queue", e))?;
    let messages = received.messages.unwrap_or_default();
    let count = messages.len();
    if count == 0 {
        return Ok(0);
    }
    let mut receipts = std::collections::HashMap::new();
    let mut event = SqsEvent::default();
    for message in messages {
        let id = message.message_id.clone().unwrap_or_default();
        if let Some(receipt) = message.receipt_handle.clone() {
            receipts.insert(id.clone(), receipt);
        }
        let mut record = SqsMessage::default();
        record.message_id = Some(id);
        record.receipt_handle = message.receipt_handle;
        record.body = message.body;
        record.attributes = message
            .attributes
            .unwrap_or_default()
            .into_iter()
            .map(|(name, value)| (name.as_str().to_owned(), value))
            .collect();
        event.records.push(record);
    }
    let response = notify_worker::handle_batch(ctx, event).await;
    for failure in &response.batch_item_failures {
        receipts.remove(&failure.item_identifier);
    }
    for receipt in receipts.into_values() {
        ctx.queue
            .delete_message()
            .queue_url(&ctx.config.notifications_queue_url)
            .receipt_handle(receipt)
            .send()
            .await
            .map_err(|e| jamie::Error::aws("deleting a handled queue message", e))?;
    }
    Ok(count)
}

/// Runs the notification worker on the queue, as Lambda would.
pub fn spawn_queue_worker(ctx: Context) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = poll_queue_once(&ctx, 1).await {
                tracing::warn!(error = %error, "queue worker: batch failed");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    })
}

/// Relays the table's stream to the queue, as the EventBridge Pipe does in AWS.
pub fn spawn_relay(ctx: Context) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut relay = loop {
            match Relay::new(&ctx, From::Now).await {
                Ok(relay) => break relay,
                Err(error) => {
                    tracing::warn!(error = %error, "outbox relay: cannot open the stream");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            }
        };
        loop {
            match relay.pump().await {
                Ok(0) => tokio::time::sleep(Duration::from_millis(250)).await,
                Ok(sent) => tracing::debug!(sent, "outbox relay: enqueued"),
                Err(error) => {
                    tracing::warn!(error = %error, "outbox relay: read failed");
                    tokio::time::sleep(Duration::from_secs(2)).await;
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
