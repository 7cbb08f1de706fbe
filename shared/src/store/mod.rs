//! The one module that knows DynamoDB: the table definition, every entity's keys, item mapping
//! with serde_dynamo, error classification and retries. Request paths use GetItem, Query and
//! TransactWriteItems only — never Scan.

mod error;
pub mod keys;
pub mod retry;
pub mod table;
mod transaction;

use std::{collections::HashMap, future::Future, time::Duration};

use aws_sdk_dynamodb::{
    Client,
    types::{AttributeValue, TransactWriteItem},
};
use serde::{Serialize, de::DeserializeOwned};

mod expressions;

pub use error::StoreError;
use error::{classify, classify_transaction};
pub use expressions::{Change, Condition, Entry, Page, Query, Value, start_after};
pub use keys::Key;
pub use transaction::{Stored, Transaction};

/// An item's attributes, as the SDK wants them.
pub type Item = HashMap<String, AttributeValue>;

/// The single table, and the client that reaches it.
#[derive(Clone, Debug)]
pub struct Store {
    client: Client,
    table: String,
}

impl Store {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub fn table_name(&self) -> &str {
        &self.table
    }

    /// The SDK client, for the table bootstrap and the emulator checks in tests.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// One cheap call that proves the table is reachable (DescribeTable).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Reads one item with strong consistency.
    pub async fn get<T: DeserializeOwned>(&self, key: &Key) -> Result<Option<T>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key_attributes(key)))
            .consistent_read(true)
            .send()
            .await
            .map_err(classify)?;
        output
            .item
            .map(|item| serde_dynamo::from_item(item).map_err(StoreError::from))
            .transpose()
    }

    /// Reads up to 100 items in one strongly consistent BatchGetItem; the answer has one entry
    /// per key, in the order given (`None` where no item has that key). Keys DynamoDB leaves
    /// unprocessed (throttling) are asked again.
    pub async fn get_many(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, StoreError> {
        use aws_sdk_dynamodb::types::KeysAndAttributes;
        let mut found: Vec<Item> = Vec::with_capacity(keys.len());
        let mut pending: Vec<Item> = keys.iter().map(key_attributes).collect();
        while !pending.is_empty() {
            let request = KeysAndAttributes::builder()
                .set_keys(Some(pending))
                .consistent_read(true)
                .build()
                .map_err(|e| StoreError::Other(Box::new(e)))?;
            let output = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .send()
                .await
                .map_err(classify)?;
            if let Some(mut responses) = output.responses {
                found.extend(responses.remove(&self.table).unwrap_or_default());
            }
            pending = output
                .unprocessed_keys
                .and_then(|mut unprocessed| unprocessed.remove(&self.table))
                .map(|rest| rest.keys)
                .unwrap_or_default();
        }
        let attribute = |item: &Item, name: &str| {
            item.get(name)
                .and_then(|value| value.as_s().ok())
                .cloned()
                .unwrap_or_default()
        };
        Ok(keys
            .iter()
            .map(|key| {
                found
                    .iter()
                    .position(|item| {
                        attribute(item, "PK") == key.pk && attribute(item, "SK") == key.sk
                    })
                    .map(|index| found.swap_remove(index))
            })
            .collect())
    }

    /// Runs one TransactWriteItems, retrying DynamoDB's transient cancellations
    /// (`TransactionConflict`, throttling) with backoff. A failed condition comes back as
    /// [`StoreError::Conflict`] naming the items.
    pub async fn transact(&self, items: Vec<TransactWriteItem>) -> Result<(), StoreError> {
        with_retries(Backoff::STORE, || async {
            self.client
                .transact_write_items()
                .set_transact_items(Some(items.clone()))
                .send()
                .await
                .map(drop)
                .map_err(classify_transaction)
        })
        .await
    }

    /// A conditional put for a transaction: `item` serialised, written under `key` only if
    /// no item has that key yet.
    pub fn put_new<T: Serialize>(
        &self,
        key: &Key,
        item: &T,
    ) -> Result<TransactWriteItem, StoreError> {
        self.put(
            &Entry::new(key.clone()),
            item,
            Some("attribute_not_exists(PK)"),
        )
    }
}

/// The `PK`/`SK` attributes of a key.
pub fn key_attributes(key: &Key) -> Item {
    HashMap::from([
        ("PK".to_owned(), AttributeValue::S(key.pk.clone())),
        ("SK".to_owned(), AttributeValue::S(key.sk.clone())),
    ])
}

/// How often and how patiently to retry transient store errors.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Backoff {
    pub attempts: u32,
    pub first: Duration,
    pub max: Duration,
}

impl Backoff {
    /// Up to 6 attempts, 25 ms doubling to at most 800 ms, with full jitter.
    pub const STORE: Backoff = Backoff {
        attempts: 6,
        first: Duration::from_millis(25),
        max: Duration::from_millis(800),
    };

    fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self
            .first
            .saturating_mul(1 << attempt.min(16))
            .min(self.max);
        let [random] = crate::ids::random_bytes::<1>();
        ceiling.mul_f64(f64::from(random) / 255.0)
    }
}

/// Runs `op` until it succeeds, fails for good, or `policy.attempts` transient failures pass.
pub(crate) async fn with_retries<T, F, Fut>(policy: Backoff, mut op: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, StoreError>>,
{
    let mut attempt = 0;
    loop {
        match op().await {
            Err(StoreError::Transient(error)) if attempt + 1 < policy.attempts => {
                tracing::debug!(attempt, %error, "retrying a transient store error");
                tokio::time::sleep(policy.delay(attempt)).await;
                attempt += 1;
            }
            result => return result,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use aws_sdk_dynamodb::{
        operation::transact_write_items::TransactWriteItemsError,
        types::{
            CancellationReason,
            error::{TransactionCanceledException, TransactionInProgressException},
        },
    };

    use super::{error::classify_transaction_error, *};

    fn cancelled(codes: &[&str]) -> TransactWriteItemsError {
        let reasons = codes
            .iter()
            .map(|code| CancellationReason::builder().code(*code).build())
            .collect();
        TransactWriteItemsError::TransactionCanceledException(
            TransactionCanceledException::builder()
                .message("Transaction cancelled")
                .set_cancellation_reasons(Some(reasons))
                .build(),
        )
    }

    #[test]
    fn a_transaction_conflict_is_transient() {
        let error = classify_transaction_error(cancelled(&["None", "TransactionConflict", "None"]));
        assert!(matches!(error, StoreError::Transient(_)), "{error:?}");
        let error =
            classify_transaction_error(TransactWriteItemsError::TransactionInProgressException(
                TransactionInProgressException::builder().build(),
            ));
        assert!(matches!(error, StoreError::Transient(_)), "{error:?}");
    }

    #[test]
    fn a_failed_condition_is_a_conflict_naming_the_items() {
        let error = classify_transaction_error(cancelled(&[
            "ConditionalCheckFailed",
            "None",
            "ConditionalCheckFailed",
            "TransactionConflict",
        ]));
        assert!(
            matches!(error, StoreError::Conflict { ref items } if items == &[0, 2]),
            "{error:?}"
        );
    }

    #[test]
    fn a_validation_failure_is_not_retried() {
        let error = classify_transaction_error(cancelled(&["ValidationError"]));
        assert!(matches!(error, StoreError::Other(_)), "{error:?}");
    }

    const QUICK: Backoff = Backoff {
        attempts: 4,
        first: Duration::from_millis(1),
        max: Duration::from_millis(4),
    };

    #[tokio::test]
    async fn transient_errors_are_retried_until_success() {
        let calls = AtomicU32::new(0);
        let result = with_retries(QUICK, || async {
            if calls.fetch_add(1, Ordering::SeqCst) < 2 {
                Err(classify_transaction_error(cancelled(&[
                    "TransactionConflict",
                ])))
            } else {
                Ok("committed")
            }
        })
        .await;
        assert_eq!(result.unwrap(), "committed");
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn retries_give_up_after_the_last_attempt() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = with_retries(QUICK, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(classify_transaction_error(cancelled(&[
                "TransactionConflict",
            ])))
        })
        .await;
        assert!(matches!(result, Err(StoreError::Transient(_))));
        assert_eq!(calls.load(Ordering::SeqCst), QUICK.attempts);
    }

    #[tokio::test]
    async fn conflicts_are_not_retried() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = with_retries(QUICK, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(StoreError::Conflict { items: vec![0] })
        })
        .await;
        assert!(result.unwrap_err().is_conflict());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn backoff_grows_and_stays_under_its_cap() {
        for attempt in 0..10 {
            assert!(Backoff::STORE.delay(attempt) <= Backoff::STORE.max);
        }
        assert!(QUICK.delay(0) <= Duration::from_millis(1));
    }
}
