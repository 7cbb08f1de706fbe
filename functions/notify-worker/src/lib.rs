//! The notifications queue's consumer: each SQS message names an outbox item, which the domain
//! claims, renders with the templates and sends; only the messages that failed go back.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use jamie::{Context, notifications};

/// Handles one batch: every message is tried, and the response names only those that failed
/// and may succeed later, so one bad message never retries the rest of its batch. A malformed
/// body is logged and dropped (it can never succeed).
pub async fn handle_batch(ctx: &Context, event: SqsEvent) -> SqsBatchResponse {
    let renderer = jamie_templates::letters::Emails;
    let mut response = SqsBatchResponse::default();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let body = record.body.as_deref().unwrap_or_default();
        // Boxed: delivering nests deeper than the compiler lays out on the stack.
        match Box::pin(notifications::handle_message(ctx, &renderer, body)).await {
            Ok(outcome) => tracing::debug!(message = %id, ?outcome, "queue message handled"),
            Err(error) if error.is_retryable() => {
                tracing::warn!(message = %id, error = %error, "queue message failed; it comes back");
                let mut failure = BatchItemFailure::default();
                failure.item_identifier = id;
                response.batch_item_failures.push(failure);
            }
            Err(error) => tracing::error!(message = %id, error = %error, "queue message dropped"),
        }
    }
    response
}
