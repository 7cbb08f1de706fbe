//! The race that proves the store and the emulator: hundreds of concurrent conditional updates
//! and TransactWriteItems against one capacity counter, as a booking does. Shared by the race
//! test and `make bench`.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{
    AttributeValue, PutRequest, Select, TransactWriteItem, Update, WriteRequest,
};
use jamie::store::{Entry, Key, Store, StoreError, key_attributes};

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

fn n(value: u32) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// Writes `count` unrelated items, so transactions run against a table of realistic size.
pub async fn load_filler(store: &Store, count: usize) {
    let items: Vec<WriteRequest> = (0..count)
        .map(|i| {
            let mut item = key_attributes(&Key {
                pk: format!("FILLER#{}", i % 97),
                sk: format!("ITEM#{i:06}"),
            });
            item.insert("name".to_owned(), s(format!("Filler participant {i}")));
            item.insert("note".to_owned(), s("x".repeat(200)));
            WriteRequest::builder()
                .put_request(PutRequest::builder().set_item(Some(item)).build().unwrap())
                .build()
        })
        .collect();
    for batch in items.chunks(25) {
        let mut pending = HashMap::from([(store.table_name().to_owned(), batch.to_vec())]);
        while !pending.is_empty() {
            let output = store
                .client()
                .batch_write_item()
                .set_request_items(Some(pending))
                .send()
                .await
                .expect("loading filler items");
            pending = output.unprocessed_items.unwrap_or_default();
            pending.retain(|_, requests| !requests.is_empty());
        }
    }
}

/// The outcome of a race.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Calls that committed.
    pub succeeded: usize,
    /// Calls refused by a condition.
    pub refused: usize,
    /// Anything else (emulator 500s, dropped connections): must stay 0.
    pub errors: Vec<String>,
}

fn tally(results: Vec<Result<bool, String>>) -> Outcome {
    let mut outcome = Outcome::default();
    for result in results {
        match result {
            Ok(true) => outcome.succeeded += 1,
            Ok(false) => outcome.refused += 1,
            Err(error) => outcome.errors.push(error),
        }
    }
    outcome
}

fn counter_update(
    store: &Store,
    counter: &Key,
    cap: u32,
) -> aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder {
    store
        .client()
        .update_item()
        .table_name(store.table_name())
        .set_key(Some(key_attributes(counter)))
        .update_expression("ADD confirmed :one")
        .condition_expression("attribute_not_exists(confirmed) OR confirmed < :cap")
        .expression_attribute_values(":one", n(1))
        .expression_attribute_values(":cap", n(cap))
}

/// `clients` concurrent conditional increments of `counter`, capped at `cap`.
pub async fn race_counter(store: &Store, counter: &Key, clients: usize, cap: u32) -> Outcome {
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let request = counter_update(store, counter, cap);
            tokio::spawn(async move {
                match request.send().await {
                    Ok(_) => Ok(true),
                    Err(error) => match error.as_service_error() {
                        Some(e) if e.is_conditional_check_failed_exception() => Ok(false),
                        _ => Err(aws_sdk_dynamodb::error::DisplayErrorContext(error).to_string()),
                    },
                }
            })
        })
        .collect();
    let mut results = Vec::with_capacity(clients);
    for task in tasks {
        results.push(task.await.expect("race task panicked"));
    }
    tally(results)
}

/// `clients` concurrent bookings, each one TransactWriteItems shaped like a registration's: the
/// conditional counter update, a new registration item, a new uniqueness item, a cancel link
/// and an outbox item. The first `sharing` clients use the same
/// uniqueness key (the same email on the same session).
pub async fn race_registrations(
    store: &Store,
    partition: &str,
    clients: usize,
    sharing: usize,
    cap: u32,
) -> Outcome {
    let counter = Key {
        pk: partition.to_owned(),
        sk: "COUNTER".to_owned(),
    };
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            let store = store.clone();
            let counter = counter.clone();
            let partition = partition.to_owned();
            tokio::spawn(async move {
                let update = Update::builder()
                    .table_name(store.table_name())
                    .set_key(Some(key_attributes(&counter)))
                    .update_expression("ADD confirmed :one")
                    .condition_expression("attribute_not_exists(confirmed) OR confirmed < :cap")
                    .expression_attribute_values(":one", n(1))
                    .expression_attribute_values(":cap", n(cap))
                    .build()
                    .unwrap();
                let email = if i < sharing {
                    "shared@example.org".to_owned()
                } else {
                    format!("person{i}@example.org")
                };
                let registration = Key {
                    pk: partition.clone(),
                    sk: format!("REG#{i:04}"),
                };
                let uniqueness = Key {
                    pk: partition.clone(),
                    sk: format!("EMAIL#{email}"),
                };
                let cancel_link = Key {
                    pk: partition.clone(),
                    sk: format!("CANCEL#{i:04}"),
                };
                let outbox = Key {
                    pk: format!("{partition}#OUTBOX#{i:04}"),
                    sk: "NOTIFICATION".to_owned(),
                };
                let items = vec![
                    TransactWriteItem::builder().update(update).build(),
                    // Indexed like a registration (by participant) ...
                    store
                        .put(
                            &Entry::new(registration.clone())
                                .gsi2(format!("PARTICIPANT#{email}"), partition.clone()),
                            &HashMap::from([("email", email.clone())]),
                            Some("attribute_not_exists(PK)"),
                        )
                        .unwrap(),
                    store
                        .put_new(
                            &uniqueness,
                            &HashMap::from([("registration", registration.sk.clone())]),
                        )
                        .unwrap(),
                    store
                        .put_new(
                            &cancel_link,
                            &HashMap::from([("registration", registration.sk)]),
                        )
                        .unwrap(),
                    // ... and an outbox item (pending, and by day).
                    store
                        .put(
                            &Entry::new(outbox.clone())
                                .gsi1("OUTBOX#PENDING", outbox.pk.clone())
                                .gsi2("OUTBOX#DAY", outbox.pk.clone()),
                            &HashMap::from([("to", email)]),
                            None,
                        )
                        .unwrap(),
                ];
                match store.transact(items).await {
                    Ok(()) => Ok(true),
                    Err(StoreError::Conflict { .. }) => Ok(false),
                    Err(error) => Err(error.to_string()),
                }
            })
        })
        .collect();
    let mut results = Vec::with_capacity(clients);
    for task in tasks {
        results.push(task.await.expect("race task panicked"));
    }
    tally(results)
}

/// Items in `partition` whose sort key starts with `prefix`, counted with a consistent Query.
pub async fn count(store: &Store, partition: &str, prefix: &str) -> usize {
    let mut total = 0;
    let mut start = None;
    loop {
        let output = store
            .client()
            .query()
            .table_name(store.table_name())
            .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
            .expression_attribute_values(":pk", s(partition))
            .expression_attribute_values(":prefix", s(prefix))
            .select(Select::Count)
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("counting items");
        total += usize::try_from(output.count).unwrap_or_default();
        start = output.last_evaluated_key;
        if start.is_none() {
            return total;
        }
    }
}

/// The value of a counter item's `confirmed` attribute.
pub async fn counter_value(store: &Store, counter: &Key) -> u32 {
    let item = store
        .client()
        .get_item()
        .table_name(store.table_name())
        .set_key(Some(key_attributes(counter)))
        .consistent_read(true)
        .send()
        .await
        .expect("reading the counter")
        .item
        .unwrap_or_default();
    match item.get("confirmed") {
        Some(AttributeValue::N(value)) => value.parse().unwrap_or_default(),
        _ => 0,
    }
}
