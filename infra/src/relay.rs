//! The outbox relay of the local stack: reads the table's stream in the emulator and sends each
//! new outbox item's id to the notifications queue — what the EventBridge Pipe does in AWS.

use std::collections::BTreeMap;

use aws_sdk_dynamodbstreams::types::{AttributeValue, OperationType, ShardIteratorType};
use jamie::{Context, Error};

/// Where a new relay starts reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum From {
    /// Every record the stream still holds (a test's fresh table).
    Oldest,
    /// Only what is written from now on (the dev server: older pending items are the sweep's).
    Now,
}

/// One table's stream, read shard by shard.
#[derive(Debug)]
pub struct Relay {
    streams: aws_sdk_dynamodbstreams::Client,
    /// The app whose queue the new items go to.
    ctx: Context,
    stream_arn: String,
    from: From,
    /// The next iterator of each shard read so far.
    shards: BTreeMap<String, Option<String>>,
}

impl Relay {
    /// A relay for `ctx`'s table and queue.
    pub async fn new(ctx: &Context, from: From) -> Result<Self, Error> {
        let table = ctx
            .store
            .client()
            .describe_table()
            .table_name(ctx.store.table_name())
            .send()
            .await
            .map_err(|e| Error::aws("reading the table's stream", e))?;
        let stream_arn = table
            .table
            .and_then(|table| table.latest_stream_arn)
            .ok_or(Error::Bug(
                "the table has a stream (table::create enables it)",
            ))?;
        Ok(Self {
            streams: aws_sdk_dynamodbstreams::Client::new(&ctx.aws),
            ctx: ctx.clone(),
            stream_arn,
            from,
            shards: BTreeMap::new(),
        })
    }

    /// Reads what the stream has now and enqueues every new outbox item; returns how many.
    pub async fn pump(&mut self) -> Result<usize, Error> {
        self.discover_shards().await?;
        let mut sent = 0;
        let shard_ids: Vec<String> = self.shards.keys().cloned().collect();
        for shard in shard_ids {
            // Page through what the shard holds until it has nothing more now.
            while let Some(Some(iterator)) = self.shards.get(&shard).cloned() {
                let records = self
                    .streams
                    .get_records()
                    .shard_iterator(iterator)
                    .send()
                    .await
                    .map_err(|e| Error::aws("reading the table's stream", e))?;
                let page = records.records.unwrap_or_default();
                let caught_up = page.is_empty();
                for record in page {
                    if record.event_name != Some(OperationType::Insert) {
                        continue;
                    }
                    let Some(change) = record.dynamodb else {
                        continue;
                    };
                    if let Some(id) = outbox_item_id(&change.keys, &change.new_image) {
                        self.enqueue(id).await?;
                        sent += 1;
                    }
                }
                self.shards
                    .insert(shard.clone(), records.next_shard_iterator);
                if caught_up {
                    break;
                }
            }
        }
        Ok(sent)
    }

    async fn discover_shards(&mut self) -> Result<(), Error> {
        let stream = self
            .streams
            .describe_stream()
            .stream_arn(&self.stream_arn)
            .send()
            .await
            .map_err(|e| Error::aws("describing the table's stream", e))?;
        let shards = stream
            .stream_description
            .and_then(|description| description.shards)
            .unwrap_or_default();
        for shard in shards {
            let Some(id) = shard.shard_id else { continue };
            if self.shards.contains_key(&id) {
                continue;
            }
            let kind = match self.from {
                From::Oldest => ShardIteratorType::TrimHorizon,
                From::Now => ShardIteratorType::Latest,
            };
            let iterator = self
                .streams
                .get_shard_iterator()
                .stream_arn(&self.stream_arn)
                .shard_id(&id)
                .shard_iterator_type(kind)
                .send()
                .await
                .map_err(|e| Error::aws("opening the table's stream", e))?
                .shard_iterator;
            self.shards.insert(id, iterator);
        }
        // Shards found later (a split) are read from their start.
        self.from = From::Oldest;
        Ok(())
    }

    async fn enqueue(&self, notification_id: String) -> Result<(), Error> {
        match notification_id.parse() {
            Ok(id) => jamie::notifications::enqueue(&self.ctx, &id).await,
            // Not an id we write: nothing to deliver.
            Err(_) => Ok(()),
        }
    }
}

/// The id of an outbox item's new image — the pipe's filter (`SK` = `NOTIFICATION`) and input
/// template (`id`) in `template.yaml`.
fn outbox_item_id(
    keys: &Option<std::collections::HashMap<String, AttributeValue>>,
    image: &Option<std::collections::HashMap<String, AttributeValue>>,
) -> Option<String> {
    let is_outbox = keys
        .as_ref()
        .and_then(|keys| keys.get("SK"))
        .and_then(|sk| sk.as_s().ok())
        .is_some_and(|sk| sk == "NOTIFICATION");
    if !is_outbox {
        return None;
    }
    image
        .as_ref()
        .and_then(|image| image.get("id"))
        .and_then(|id| id.as_s().ok())
        .cloned()
}
