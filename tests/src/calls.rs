//! Counting the DynamoDB calls a request makes: an SDK interceptor that tallies every attempt
//! sent, by operation (`GetItem`, `Query`, `TransactWriteItems`, ...).

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use aws_sdk_dynamodb::{
    config::{
        ConfigBag, Intercept, RuntimeComponents, interceptors::BeforeTransmitInterceptorContextRef,
    },
    error::BoxError,
};
use jamie::{Context, store::Store};

/// The tally, shared by every clone.
#[derive(Clone, Debug, Default)]
pub struct CallCounter(Arc<Mutex<BTreeMap<String, usize>>>);

impl CallCounter {
    /// The calls since the last `take`, by operation, and empties the tally.
    pub fn take(&self) -> BTreeMap<String, usize> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }

    /// A context like `ctx` whose DynamoDB client reports every call to this counter.
    pub fn context(&self, ctx: &Context) -> Context {
        let config = aws_sdk_dynamodb::config::Builder::from(&ctx.aws)
            .interceptor(self.clone())
            .build();
        Context {
            store: Store::new(
                aws_sdk_dynamodb::Client::from_conf(config),
                ctx.config.table_name.clone(),
            ),
            ..ctx.clone()
        }
    }
}

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "CallCounter"
    }

    /// Once per attempt that goes on the wire: retries count as calls too.
    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // DynamoDB names the operation in `X-Amz-Target: DynamoDB_20120810.GetItem`.
        let operation = context
            .request()
            .headers()
            .get("x-amz-target")
            .and_then(|target| target.rsplit('.').next())
            .unwrap_or("unknown")
            .to_owned();
        *self.0.lock().unwrap().entry(operation).or_default() += 1;
        Ok(())
    }
}

/// "1 GetItem + 1 TransactWriteItems" for a tally.
pub fn describe(calls: &BTreeMap<String, usize>) -> String {
    if calls.is_empty() {
        return "none".to_owned();
    }
    calls
        .iter()
        .map(|(operation, count)| format!("{count} {operation}"))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Reads (GetItem, Query, BatchGetItem, Scan) and writes (everything else) in a tally.
pub fn reads_and_writes(calls: &BTreeMap<String, usize>) -> (usize, usize) {
    calls.iter().fold(
        (0, 0),
        |(reads, writes), (operation, count)| match operation.as_str() {
            "GetItem" | "Query" | "BatchGetItem" | "Scan" => (reads + count, writes),
            _ => (reads, writes + count),
        },
    )
}
