//! The building blocks of store calls: where an item lives ([`Entry`]), conditions and updates
//! with their placeholders, queries and their pages — and the single-item and transactional
//! writes built from them.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, Put, ReturnValue, TransactWriteItem, Update,
};
use serde::{Serialize, de::DeserializeOwned};

use super::{Item, Key, Store, StoreError, classify, key_attributes, table};

fn non_empty<K, V>(map: HashMap<K, V>) -> Option<HashMap<K, V>> {
    (!map.is_empty()).then_some(map)
}

fn built(error: aws_sdk_dynamodb::error::BuildError) -> StoreError {
    StoreError::Other(Box::new(error))
}

/// An item's place in the table: its key, its index keys and its expiry (TTL).
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Key,
    pub gsi1: Option<(String, String)>,
    pub gsi2: Option<(String, String)>,
    pub gsi3: Option<(String, String)>,
    /// Epoch seconds after which the item is dead (checked on read; TTL removes it later).
    pub expires_at: Option<i64>,
}

impl Entry {
    pub fn new(key: Key) -> Self {
        Self {
            key,
            gsi1: None,
            gsi2: None,
            gsi3: None,
            expires_at: None,
        }
    }

    pub fn gsi1(mut self, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        self.gsi1 = Some((pk.into(), sk.into()));
        self
    }

    pub fn gsi2(mut self, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        self.gsi2 = Some((pk.into(), sk.into()));
        self
    }

    pub fn gsi3(mut self, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        self.gsi3 = Some((pk.into(), sk.into()));
        self
    }

    pub fn expires_at(mut self, epoch_seconds: i64) -> Self {
        self.expires_at = Some(epoch_seconds);
        self
    }

    /// `item`'s attributes plus the entry's keys and TTL.
    pub fn attributes<T: Serialize>(&self, item: &T) -> Result<Item, StoreError> {
        let mut attributes: Item = serde_dynamo::to_item(item)?;
        attributes.extend(key_attributes(&self.key));
        let s = |value: &str| AttributeValue::S(value.to_owned());
        if let Some((pk, sk)) = &self.gsi1 {
            attributes.insert("GSI1PK".to_owned(), s(pk));
            attributes.insert("GSI1SK".to_owned(), s(sk));
        }
        if let Some((pk, sk)) = &self.gsi2 {
            attributes.insert("GSI2PK".to_owned(), s(pk));
            attributes.insert("GSI2SK".to_owned(), s(sk));
        }
        if let Some((pk, sk)) = &self.gsi3 {
            attributes.insert("GSI3PK".to_owned(), s(pk));
            attributes.insert("GSI3SK".to_owned(), s(sk));
        }
        if let Some(at) = self.expires_at {
            attributes.insert(
                table::TTL_ATTRIBUTE.to_owned(),
                AttributeValue::N(at.to_string()),
            );
        }
        Ok(attributes)
    }
}

/// A value for an expression placeholder.
#[derive(Clone, Debug)]
pub struct Value(pub AttributeValue);

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Self(AttributeValue::S(value.to_owned()))
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Self(AttributeValue::S(value))
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Self(AttributeValue::N(value.to_string()))
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Self(AttributeValue::Bool(value))
    }
}

impl Value {
    /// Any serializable value, as the store writes it (a struct becomes a map).
    pub fn of<T: Serialize>(value: &T) -> Result<Self, StoreError> {
        serde_dynamo::to_attribute_value(value)
            .map(Self)
            .map_err(StoreError::from)
    }
}

impl From<AttributeValue> for Value {
    fn from(value: AttributeValue) -> Self {
        Self(value)
    }
}

/// A condition expression with its placeholders.
#[derive(Clone, Debug, Default)]
pub struct Condition {
    pub expression: Option<String>,
    pub names: HashMap<String, String>,
    pub values: HashMap<String, AttributeValue>,
}

impl Condition {
    pub fn new(expression: impl Into<String>) -> Self {
        Self {
            expression: Some(expression.into()),
            ..Self::default()
        }
    }

    pub fn name(mut self, placeholder: &str, name: &str) -> Self {
        self.names.insert(placeholder.to_owned(), name.to_owned());
        self
    }

    pub fn value(mut self, placeholder: &str, value: impl Into<Value>) -> Self {
        self.values.insert(placeholder.to_owned(), value.into().0);
        self
    }
}

/// An update expression and its optional condition; the placeholders of both live in the
/// condition.
#[derive(Clone, Debug, Default)]
pub struct Change {
    pub expression: String,
    pub condition: Condition,
}

impl Change {
    pub fn new(expression: impl Into<String>) -> Self {
        Self {
            expression: expression.into(),
            condition: Condition::default(),
        }
    }

    pub fn when(mut self, condition: impl Into<String>) -> Self {
        self.condition.expression = Some(condition.into());
        self
    }

    /// Adds `condition` to the condition already set (both must hold).
    pub fn and_when(mut self, condition: impl Into<String>) -> Self {
        let condition = condition.into();
        self.condition.expression = Some(match self.condition.expression.take() {
            Some(first) if !first.is_empty() => format!("({first}) AND ({condition})"),
            _ => condition,
        });
        self
    }

    /// Adds `more` (e.g. `confirmed_base :one`) to the update's ADD clause, which must be last.
    pub fn and_add(mut self, more: &str) -> Self {
        if self.expression.contains(" ADD ") || self.expression.starts_with("ADD ") {
            self.expression.push_str(", ");
        } else {
            self.expression.push_str(" ADD ");
        }
        self.expression.push_str(more);
        self
    }

    pub fn name(mut self, placeholder: &str, name: &str) -> Self {
        self.condition = self.condition.name(placeholder, name);
        self
    }

    pub fn value(mut self, placeholder: &str, value: impl Into<Value>) -> Self {
        self.condition = self.condition.value(placeholder, value);
        self
    }
}

/// One page of a Query over a partition of the table or of an index.
#[derive(Clone, Debug)]
pub struct Query<'a> {
    pub index: Option<&'static str>,
    pub partition: &'a str,
    /// Only sort keys starting with this.
    pub prefix: Option<&'a str>,
    pub descending: bool,
    pub limit: Option<i32>,
    pub start: Option<Item>,
    pub filter: Option<Condition>,
    /// Only sort keys between these two, inclusive.
    pub between: Option<(&'a str, &'a str)>,
}

impl<'a> Query<'a> {
    /// Items of `partition` in the table (strongly consistent).
    pub fn table(partition: &'a str) -> Self {
        Self {
            index: None,
            partition,
            prefix: None,
            descending: false,
            limit: None,
            start: None,
            filter: None,
            between: None,
        }
    }

    /// Items of `partition` in a global secondary index (eventually consistent).
    pub fn index(index: &'static str, partition: &'a str) -> Self {
        Self {
            index: Some(index),
            ..Self::table(partition)
        }
    }
}

/// A page of query results and where the next one starts.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Item>,
}

impl Store {
    /// A put for a transaction, with the entry's index keys and TTL, under an optional condition.
    pub fn put<T: Serialize>(
        &self,
        entry: &Entry,
        item: &T,
        condition: Option<&str>,
    ) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(self.table_name())
            .set_item(Some(entry.attributes(item)?))
            .set_condition_expression(condition.map(str::to_owned))
            .build()
            .map_err(built)?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// An update for a transaction.
    pub fn update(&self, key: &Key, change: Change) -> Result<TransactWriteItem, StoreError> {
        let Change {
            expression,
            condition,
        } = change;
        let update = Update::builder()
            .table_name(self.table_name())
            .set_key(Some(key_attributes(key)))
            .update_expression(expression)
            .set_condition_expression(condition.expression)
            .set_expression_attribute_names(non_empty(condition.names))
            .set_expression_attribute_values(non_empty(condition.values))
            .build()
            .map_err(built)?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// A delete for a transaction, under an optional condition.
    pub fn delete(&self, key: &Key, condition: Condition) -> Result<TransactWriteItem, StoreError> {
        let delete = Delete::builder()
            .table_name(self.table_name())
            .set_key(Some(key_attributes(key)))
            .set_condition_expression(condition.expression)
            .set_expression_attribute_names(non_empty(condition.names))
            .set_expression_attribute_values(non_empty(condition.values))
            .build()
            .map_err(built)?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// Writes one item outside a transaction, unconditionally.
    pub async fn put_item<T: Serialize>(&self, entry: &Entry, item: &T) -> Result<(), StoreError> {
        self.client()
            .put_item()
            .table_name(self.table_name())
            .set_item(Some(entry.attributes(item)?))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Writes one item outside a transaction unless an item with its key exists; `false` when
    /// one did (the idempotent write of an item with a derived key).
    pub async fn put_item_new<T: Serialize>(
        &self,
        entry: &Entry,
        item: &T,
    ) -> Result<bool, StoreError> {
        let written = self
            .client()
            .put_item()
            .table_name(self.table_name())
            .set_item(Some(entry.attributes(item)?))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await
            .map_err(classify);
        match written {
            Ok(_) => Ok(true),
            Err(StoreError::Conflict { .. }) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Applies one update outside a transaction; a failed condition is a `Conflict`.
    pub async fn update_item(&self, key: &Key, change: Change) -> Result<(), StoreError> {
        let Change {
            expression,
            condition,
        } = change;
        self.client()
            .update_item()
            .table_name(self.table_name())
            .set_key(Some(key_attributes(key)))
            .update_expression(expression)
            .set_condition_expression(condition.expression)
            .set_expression_attribute_names(non_empty(condition.names))
            .set_expression_attribute_values(non_empty(condition.values))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Applies one update outside a transaction and returns the whole item as it is after it,
    /// as `T` (for counters: `ADD n :one` then read the new `n` and everything beside it); a
    /// failed condition is a `Conflict`.
    pub async fn update_returning<T: DeserializeOwned>(
        &self,
        key: &Key,
        change: Change,
    ) -> Result<T, StoreError> {
        let Change {
            expression,
            condition,
        } = change;
        let output = self
            .client()
            .update_item()
            .table_name(self.table_name())
            .set_key(Some(key_attributes(key)))
            .update_expression(expression)
            .set_condition_expression(condition.expression)
            .set_expression_attribute_names(non_empty(condition.names))
            .set_expression_attribute_values(non_empty(condition.values))
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(classify)?;
        Ok(serde_dynamo::from_item(
            output.attributes.unwrap_or_default(),
        )?)
    }

    /// Deletes one item if `condition` holds and returns what it was: the single-use primitive
    /// (of any number of racing callers, exactly one gets `Some`).
    pub async fn take<T: DeserializeOwned>(
        &self,
        key: &Key,
        condition: Condition,
    ) -> Result<Option<T>, StoreError> {
        let output = self
            .client()
            .delete_item()
            .table_name(self.table_name())
            .set_key(Some(key_attributes(key)))
            .set_condition_expression(condition.expression)
            .set_expression_attribute_names(non_empty(condition.names))
            .set_expression_attribute_values(non_empty(condition.values))
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match output.map_err(classify) {
            Ok(output) => output
                .attributes
                .map(|item| serde_dynamo::from_item(item).map_err(StoreError::from))
                .transpose(),
            Err(StoreError::Conflict { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Deletes one item, whatever it holds.
    pub async fn delete_item(&self, key: &Key) -> Result<(), StoreError> {
        self.client()
            .delete_item()
            .table_name(self.table_name())
            .set_key(Some(key_attributes(key)))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// One page of a query.
    pub async fn query<T: DeserializeOwned>(
        &self,
        query: Query<'_>,
    ) -> Result<Page<T>, StoreError> {
        let (pk, sk) = match query.index {
            None => ("PK", "SK"),
            Some(name) => table::INDEXES
                .iter()
                .find(|index| index.name == name)
                .map(|index| (index.keys.hash, index.keys.range))
                .ok_or_else(|| StoreError::Other(format!("no index {name}").into()))?,
        };
        let mut condition = format!("{pk} = :pk");
        let mut request = self
            .client()
            .query()
            .table_name(self.table_name())
            .set_index_name(query.index.map(str::to_owned))
            .expression_attribute_values(":pk", AttributeValue::S(query.partition.to_owned()))
            .scan_index_forward(!query.descending)
            .set_limit(query.limit)
            .set_exclusive_start_key(query.start)
            .consistent_read(query.index.is_none());
        if let Some(prefix) = query.prefix {
            condition.push_str(&format!(" AND begins_with({sk}, :prefix)"));
            request = request
                .expression_attribute_values(":prefix", AttributeValue::S(prefix.to_owned()));
        }
        if let Some((low, high)) = query.between {
            condition.push_str(&format!(" AND {sk} BETWEEN :low AND :high"));
            request = request
                .expression_attribute_values(":low", AttributeValue::S(low.to_owned()))
                .expression_attribute_values(":high", AttributeValue::S(high.to_owned()));
        }
        if let Some(filter) = query.filter {
            request = request
                .set_filter_expression(filter.expression)
                .set_expression_attribute_names(non_empty(filter.names));
            for (name, value) in filter.values {
                request = request.expression_attribute_values(name, value);
            }
        }
        let output = request
            .key_condition_expression(condition)
            .send()
            .await
            .map_err(classify)?;
        let items = output
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|item| serde_dynamo::from_item(item).map_err(StoreError::from))
            .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            next: output.last_evaluated_key,
        })
    }
}
/// The key a query of an index resumes after: the item at `key` with the index keys it has
/// there (`index` is `"GSI1"` or `"GSI2"`), for a page cursor the domain keeps as text.
pub fn start_after(key: &Key, index: &str, index_pk: &str, index_sk: &str) -> Item {
    let s = |value: &str| AttributeValue::S(value.to_owned());
    [
        ("PK".to_owned(), s(&key.pk)),
        ("SK".to_owned(), s(&key.sk)),
        (format!("{index}PK"), s(index_pk)),
        (format!("{index}SK"), s(index_sk)),
    ]
    .into_iter()
    .collect()
}
