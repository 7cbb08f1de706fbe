use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::{LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    jamie::telemetry::init();
    let ctx = jamie::Context::from_env().await?;
    let ctx = &ctx;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<EventBridgeEvent>| async move {
            ses_events::handle(ctx, event.payload).await?;
            Ok::<_, lambda_runtime::Error>(())
        },
    ))
    .await
}
