#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    jamie::telemetry::init();
    let ctx = jamie::Context::from_env().await?;
    lambda_http::run(web_dashboard::app(ctx)).await
}
