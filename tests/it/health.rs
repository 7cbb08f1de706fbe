//! `GET /health`: 200 when the store answers, a clear 503 when it does not.

use axum::http::{StatusCode, header};
use jamie::{Clock, Context};
use jamie_tests::spawn_app;
use web_public::HealthBody;

#[tokio::test]
async fn health_reports_the_store_reachable() {
    let app = spawn_app().await;
    let response = app.get("/health").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header(header::CACHE_CONTROL), "no-store, private");
    let body: HealthBody = serde_json::from_str(&response.body).unwrap();
    assert_eq!(
        body,
        HealthBody {
            status: "ok".to_owned(),
            store: "reachable".to_owned(),
            detail: None
        }
    );
}

#[tokio::test]
async fn health_is_503_with_a_clear_body_when_the_store_is_down() {
    let app = spawn_app().await;
    // The same configuration, pointed at a port where nothing listens.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let mut config = (*app.ctx.config).clone();
    config.aws_endpoint_url = Some(format!("http://{address}"));
    let router = jamie_infra::router(Context::new(config, Clock::system()).await);

    let started = std::time::Instant::now();
    let request = axum::http::Request::get("/health")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = jamie_tests::send(router, request).await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    let body: HealthBody = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body.status, "unavailable");
    assert_eq!(body.store, "unreachable");
    assert!(body.detail.is_some_and(|detail| !detail.is_empty()));
    assert!(started.elapsed().as_secs() < 10, "answered without hanging");
}
