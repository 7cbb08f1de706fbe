use aws_sdk_dynamodb::{
    error::{ProvideErrorMetadata, SdkError},
    operation::transact_write_items::TransactWriteItemsError,
};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What went wrong in the store, in the cases callers act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A condition did not hold: the item exists, a counter is at its cap, a status moved on.
    /// For a transaction, `items` are the positions of the writes whose condition failed.
    #[error("a write condition failed (items {items:?})")]
    Conflict { items: Vec<usize> },
    /// DynamoDB asked us to try again (transaction conflict, throttling); retried with backoff
    /// by the store before it reaches a caller.
    #[error("the store is busy: {0}")]
    Transient(#[source] BoxError),
    /// The store could not be reached at all (connection refused, timeout).
    #[error("the store is unreachable: {0}")]
    Unavailable(#[source] BoxError),
    /// An item in the table did not match its Rust shape.
    #[error("an item does not match its shape: {0}")]
    Malformed(#[from] serde_dynamo::Error),
    /// Anything else, with its source for the log.
    #[error("store request failed: {0}")]
    Other(#[source] BoxError),
}

impl StoreError {
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::Conflict { .. })
    }
}

/// Error codes DynamoDB documents as safe to retry.
const RETRYABLE_CODES: &[&str] = &[
    "TransactionConflictException",
    "TransactionInProgressException",
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
];

/// Classifies any DynamoDB call's error.
pub(crate) fn classify<E>(error: SdkError<E>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match error {
        SdkError::ServiceError(service) => {
            let error = service.into_err();
            match error.code() {
                Some("ConditionalCheckFailedException") => StoreError::Conflict { items: vec![0] },
                Some(code) if RETRYABLE_CODES.contains(&code) => {
                    StoreError::Transient(Box::new(error))
                }
                _ => StoreError::Other(Box::new(error)),
            }
        }
        error @ (SdkError::DispatchFailure(_) | SdkError::TimeoutError(_)) => {
            StoreError::Unavailable(Box::new(error))
        }
        other => StoreError::Other(Box::new(other)),
    }
}

/// Classifies a TransactWriteItems error by its cancellation reasons: a failed condition is a
/// [`StoreError::Conflict`] naming the items; a transaction conflict or throttling with no
/// failed condition is [`StoreError::Transient`].
pub(crate) fn classify_transaction(error: SdkError<TransactWriteItemsError>) -> StoreError {
    match error {
        SdkError::ServiceError(service) => classify_transaction_error(service.into_err()),
        other => classify(other),
    }
}

pub(crate) fn classify_transaction_error(error: TransactWriteItemsError) -> StoreError {
    let TransactWriteItemsError::TransactionCanceledException(cancelled) = &error else {
        let retryable = matches!(
            error,
            TransactWriteItemsError::TransactionInProgressException(_)
                | TransactWriteItemsError::ProvisionedThroughputExceededException(_)
                | TransactWriteItemsError::RequestLimitExceeded(_)
                | TransactWriteItemsError::ThrottlingException(_)
                | TransactWriteItemsError::InternalServerError(_)
        ) || error
            .code()
            .is_some_and(|code| RETRYABLE_CODES.contains(&code));
        return if retryable {
            StoreError::Transient(Box::new(error))
        } else {
            StoreError::Other(Box::new(error))
        };
    };
    let codes: Vec<&str> = cancelled
        .cancellation_reasons()
        .iter()
        .map(|reason| reason.code().unwrap_or("None"))
        .collect();
    let failed: Vec<usize> = codes
        .iter()
        .enumerate()
        .filter(|(_, code)| **code == "ConditionalCheckFailed")
        .map(|(index, _)| index)
        .collect();
    if !failed.is_empty() {
        return StoreError::Conflict { items: failed };
    }
    let retryable = codes.iter().any(|code| {
        matches!(
            *code,
            "TransactionConflict" | "ThrottlingError" | "ProvisionedThroughputExceeded"
        )
    });
    if retryable {
        StoreError::Transient(Box::new(error))
    } else {
        StoreError::Other(Box::new(error))
    }
}
