//! A TransactWriteItems built from named writes: the domain says what each write is ("email
//! claim", "session counters") and hears a failed condition back by that name, never by position.

use aws_sdk_dynamodb::types::TransactWriteItem;
use serde::Serialize;

use super::{Change, Condition, Entry, Key, Store, StoreError};

/// An item type of the table that knows where it is written (its keys, index keys and TTL):
/// one place per item type, as in modyne.
pub trait Stored: Serialize {
    fn entry(&self) -> Entry;
}

/// The writes of one transaction, each under its name. Built with [`Store::transaction`],
/// sent with [`Transaction::commit`]; after a [`StoreError::Conflict`],
/// [`Transaction::failed`] says whether a named write's condition was among those that failed.
#[derive(Clone, Debug)]
pub struct Transaction {
    store: Store,
    writes: Vec<(&'static str, TransactWriteItem)>,
}

impl Store {
    /// An empty transaction on this table.
    pub fn transaction(&self) -> Transaction {
        Transaction {
            store: self.clone(),
            writes: Vec::new(),
        }
    }
}

impl Transaction {
    /// Several writes may share a name (the notifications of a change, say): a failure of any
    /// of them is a failure of that name.
    fn push(&mut self, name: &'static str, write: TransactWriteItem) -> &mut Self {
        self.writes.push((name, write));
        self
    }

    /// Puts `item` at `entry` (its keys, index keys and TTL), under an optional condition.
    pub fn put<T: Serialize>(
        &mut self,
        name: &'static str,
        entry: &Entry,
        item: &T,
        condition: Option<&str>,
    ) -> Result<&mut Self, StoreError> {
        let write = self.store.put(entry, item, condition)?;
        Ok(self.push(name, write))
    }

    /// Puts a new `item` where its type says it goes, only if no item has its key yet.
    pub fn put_new_item<T: Stored>(
        &mut self,
        name: &'static str,
        item: &T,
    ) -> Result<&mut Self, StoreError> {
        self.put_new(name, &item.entry(), item)
    }

    /// Puts `item` at `entry` only if no item has its key yet.
    pub fn put_new<T: Serialize>(
        &mut self,
        name: &'static str,
        entry: &Entry,
        item: &T,
    ) -> Result<&mut Self, StoreError> {
        self.put(name, entry, item, Some("attribute_not_exists(PK)"))
    }

    /// Updates the item at `key`, under the change's condition.
    pub fn update(
        &mut self,
        name: &'static str,
        key: &Key,
        change: Change,
    ) -> Result<&mut Self, StoreError> {
        let write = self.store.update(key, change)?;
        Ok(self.push(name, write))
    }

    /// Deletes the item at `key`, under `condition`.
    pub fn delete(
        &mut self,
        name: &'static str,
        key: &Key,
        condition: Condition,
    ) -> Result<&mut Self, StoreError> {
        let write = self.store.delete(key, condition)?;
        Ok(self.push(name, write))
    }

    /// The number of writes so far.
    pub fn len(&self) -> usize {
        self.writes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    /// Sends the transaction (retrying DynamoDB's transient cancellations); a failed condition
    /// comes back as [`StoreError::Conflict`], to be read with [`Transaction::failed`].
    pub async fn commit(&self) -> Result<(), StoreError> {
        let writes = self.writes.iter().map(|(_, write)| write.clone()).collect();
        self.store.transact(writes).await
    }

    /// The names of the writes whose condition failed, when `error` is this transaction's
    /// conflict.
    pub fn failed_writes(&self, error: &StoreError) -> Vec<&'static str> {
        match error {
            StoreError::Conflict { items } => items
                .iter()
                .filter_map(|index| self.writes.get(*index).map(|(name, _)| *name))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether `error` is a conflict in which the write named `name` failed its condition.
    pub fn failed(&self, error: &StoreError, name: &str) -> bool {
        self.failed_writes(error).contains(&name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(aws_sdk_dynamodb::config::Region::new("eu-central-1"))
            .build();
        Store::new(aws_sdk_dynamodb::Client::from_conf(config), "test")
    }

    fn key(sk: &str) -> Key {
        Key {
            pk: "P".to_owned(),
            sk: sk.to_owned(),
        }
    }

    #[test]
    fn a_failed_condition_comes_back_by_the_name_of_its_write() {
        let store = store();
        let mut writes = store.transaction();
        writes
            .update(
                "counters",
                &key("A"),
                Change::new("ADD n :one").value(":one", 1),
            )
            .unwrap()
            .put_new("claim", &Entry::new(key("B")), &serde_json::json!({"x": 1}))
            .unwrap()
            .delete("old claim", &key("C"), Condition::default())
            .unwrap();
        assert_eq!(writes.len(), 3);
        let conflict = StoreError::Conflict { items: vec![1] };
        assert!(writes.failed(&conflict, "claim"));
        assert!(!writes.failed(&conflict, "counters"));
        assert_eq!(writes.failed_writes(&conflict), ["claim"]);
        let other = StoreError::Conflict { items: vec![0, 2] };
        assert_eq!(writes.failed_writes(&other), ["counters", "old claim"]);
        assert!(
            writes
                .failed_writes(&StoreError::Other("x".into()))
                .is_empty()
        );
    }
}
