//! Delivering notifications: the queue message that carries an outbox item to the worker, and
//! the worker's handling of it (email and Telegram arrive with the notifications issue).

use serde::{Deserialize, Serialize};

use crate::{Context, Error, ids::NotificationId};

/// The body of a message on the notifications queue: which outbox item to deliver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueMessage {
    pub notification_id: NotificationId,
}

/// Why a queue message could not be handled.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The body is not a [`QueueMessage`]; retrying will not help.
    #[error("malformed queue message: {0}")]
    Malformed(#[from] serde_json::Error),
    /// Delivery failed and should be retried (the queue redelivers, then dead-letters).
    #[error(transparent)]
    Failed(#[from] Error),
}

impl DeliveryError {
    /// Whether the queue should deliver the message again.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Failed(_))
    }
}

/// Handles one queue message. The outbox items and their email and Telegram bodies arrive with
/// the notifications issue; until then a well-formed message is acknowledged.
#[tracing::instrument(skip(ctx, body))]
pub async fn handle_message(ctx: &Context, body: &str) -> Result<(), DeliveryError> {
    let message: QueueMessage = serde_json::from_str(body)?;
    tracing::info!(notification = %message.notification_id, table = ctx.store.table_name(), "notification acknowledged");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_messages_round_trip_as_json() {
        let message = QueueMessage {
            notification_id: NotificationId::generate(),
        };
        let body = serde_json::to_string(&message).unwrap();
        assert_eq!(
            serde_json::from_str::<QueueMessage>(&body).unwrap(),
            message
        );
        assert!(serde_json::from_str::<QueueMessage>("{\"notification_id\":\"x\"}").is_err());
    }
}
