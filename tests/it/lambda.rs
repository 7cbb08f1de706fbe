//! The deployed path: real API Gateway HTTP API (v2) events through the Lambda adapter that
//! `lambda_http::run` wraps around the function's router, and the JSON it answers with.

use jamie_tests::{Options, spawn_app_with};
use lambda_http::{LambdaEvent, request::LambdaRequest, tower::ServiceExt};
use serde_json::Value;

/// Feeds `fixture` (a file in tests/fixtures) to a function's Lambda handler, given the
/// function's `app`.
async fn invoke(fixture: &str, function: fn(jamie::Context) -> axum::Router) -> Value {
    let app = spawn_app_with(Options {
        base_url: "https://jamie.example.org".to_owned(),
        ..Options::default()
    })
    .await;
    let path = format!("{}/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let event: LambdaRequest = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .expect("an API Gateway v2 event");
    let handler = lambda_http::Adapter::from(function(app.ctx));
    let response = handler
        .oneshot(LambdaEvent::new(event, lambda_http::Context::default()))
        .await
        .expect("the router never fails");
    serde_json::to_value(&response).unwrap()
}

#[tokio::test]
async fn a_form_post_with_a_cookie_and_a_base64_body_is_handled() {
    let response = invoke("apigw-v2-post-theme.json", web_public::app).await;
    assert_eq!(response["statusCode"], 303, "{response:#}");
    assert_eq!(response["headers"]["location"], "/s/abc");
    let cookies: Vec<&str> = response["cookies"]
        .as_array()
        .expect("v2 responses carry Set-Cookie in `cookies`")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        cookies,
        ["jamie_theme=dark; Path=/; Max-Age=31536000; SameSite=Lax; Secure"],
        "https deployments get a Secure cookie"
    );
    assert_eq!(response["headers"]["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn a_page_request_reads_the_cookie_and_returns_html() {
    let response = invoke("apigw-v2-get-home.json", web_dashboard::app).await;
    assert_eq!(response["statusCode"], 200, "{response:#}");
    assert!(
        response["headers"]["content-type"]
            .as_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(response["isBase64Encoded"], false);
    let body = response["body"].as_str().unwrap();
    assert!(
        body.contains(r#"<html lang="en" data-theme="dark">"#),
        "the cookie chose dark"
    );
    assert!(body.contains("Run your acroyoga jam"));
}
