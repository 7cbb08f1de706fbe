//! A store that loses every race: an SDK interceptor that adds a condition no item meets to the
//! first write of every transaction, so each TransactWriteItems comes back as a failed condition.

use aws_sdk_dynamodb::{
    config::{
        ConfigBag, Intercept, RuntimeComponents,
        interceptors::BeforeSerializationInterceptorContextMut,
    },
    error::BoxError,
    operation::transact_write_items::TransactWriteItemsInput,
};
use jamie::{Context, store::Store};

/// Every transaction's first write fails its condition, as when someone else always gets there
/// first; single-item writes and reads pass untouched.
#[derive(Clone, Copy, Debug, Default)]
pub struct LosingEveryRace;

impl LosingEveryRace {
    /// A context like `ctx` whose DynamoDB client loses every transaction.
    pub fn context(self, ctx: &Context) -> Context {
        let config = aws_sdk_dynamodb::config::Builder::from(&ctx.aws)
            .interceptor(self)
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

/// True of no item, stored or not.
const NEVER: &str = "attribute_exists(PK) AND attribute_not_exists(PK)";

impl Intercept for LosingEveryRace {
    fn name(&self) -> &'static str {
        "LosingEveryRace"
    }

    fn modify_before_serialization(
        &self,
        context: &mut BeforeSerializationInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(input) = context
            .input_mut()
            .downcast_mut::<TransactWriteItemsInput>()
        else {
            return Ok(());
        };
        let Some(first) = input
            .transact_items
            .as_mut()
            .and_then(|items| items.first_mut())
        else {
            return Ok(());
        };
        let condition = if let Some(update) = first.update.as_mut() {
            &mut update.condition_expression
        } else if let Some(put) = first.put.as_mut() {
            &mut put.condition_expression
        } else if let Some(delete) = first.delete.as_mut() {
            &mut delete.condition_expression
        } else {
            return Ok(());
        };
        *condition = Some(match condition.take() {
            Some(existing) => format!("({existing}) AND {NEVER}"),
            None => NEVER.to_owned(),
        });
        Ok(())
    }
}
