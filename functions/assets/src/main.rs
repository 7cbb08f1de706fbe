#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    jamie::telemetry::init();
    lambda_http::run(assets::app()).await
}
