use lambda_runtime::{LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    jamie::telemetry::init();
    let ctx = jamie::Context::from_env().await?;
    let ctx = &ctx;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<jobs::ScheduledRun>| async move {
            Ok::<_, lambda_runtime::Error>(jobs::handle(ctx, event.payload).await?)
        },
    ))
    .await
}
