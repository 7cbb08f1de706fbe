#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    jamie::telemetry::init();
    jamie_infra::dev::run().await
}
