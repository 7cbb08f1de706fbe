//! The deployed path: real API Gateway HTTP API (v2) events through the Lambda adapter that
//! `lambda_http::run` wraps around the function's router, and the JSON it answers with.

use jamie_tests::{Options, spawn_app_with};
use lambda_http::{LambdaEvent, request::LambdaRequest, tower::ServiceExt};
use serde_json::Value;

/// Feeds `fixture` (a file in tests/fixtures) to a function's Lambda handler, given the
/// function's `app`.
async fn invoke(fixture: &str, function: fn(jamie::Context) -> axum::Router) -> Value {
    invoke_edited(fixture, function, |_| {}).await
}

/// [`invoke`], with the event edited first (a path that depends on the build, a header).
async fn invoke_edited(
    fixture: &str,
    function: fn(jamie::Context) -> axum::Router,
    edit: impl FnOnce(&mut Value),
) -> Value {
    let app = spawn_app_with(Options {
        base_url: "https://jamie.example.org".to_owned(),
        ..Options::default()
    })
    .await;
    let path = format!("{}/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let mut event: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).expect("a JSON fixture");
    edit(&mut event);
    let event: LambdaRequest = serde_json::from_value(event).expect("an API Gateway v2 event");
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

/// The body of a Lambda response as the browser gets it: base64-decoded when API Gateway is
/// told so, then decompressed by its `content-encoding`.
fn body_bytes(response: &Value) -> Vec<u8> {
    use base64::Engine;
    use std::io::Read;
    let body = response["body"].as_str().unwrap_or_default();
    let raw = if response["isBase64Encoded"] == true {
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .expect("a base64 body")
    } else {
        body.as_bytes().to_vec()
    };
    let mut out = Vec::new();
    match response["headers"]["content-encoding"].as_str() {
        None => return raw,
        Some("br") => brotli_decompressor::Decompressor::new(&raw[..], 4096)
            .read_to_end(&mut out)
            .expect("brotli"),
        Some("gzip") => flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .expect("gzip"),
        Some(other) => panic!("unexpected encoding {other}"),
    };
    out
}

#[tokio::test]
async fn a_page_request_reads_the_cookie_and_returns_html() {
    // The fixture's browser accepts "gzip, deflate, br": the page comes back brotli-encoded,
    // which API Gateway can only carry base64-encoded.
    let response = invoke("apigw-v2-get-home.json", web_dashboard::app).await;
    assert_eq!(response["statusCode"], 200, "{response:#}");
    assert!(
        response["headers"]["content-type"]
            .as_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(response["headers"]["content-encoding"], "br");
    assert_eq!(response["headers"]["vary"], "accept-encoding");
    assert_eq!(response["isBase64Encoded"], true);
    let body = String::from_utf8(body_bytes(&response)).unwrap();
    let body = body.as_str();
    assert!(
        body.contains(r#"<html lang="en" data-theme="dark">"#),
        "the cookie chose dark"
    );
    assert!(body.contains("Run your acroyoga jam"));
}

#[tokio::test]
async fn a_gzip_only_client_gets_gzip_and_one_that_asks_for_nothing_gets_text() {
    let response = invoke("apigw-v2-get-login-gzip.json", web_auth::app).await;
    assert_eq!(response["statusCode"], 200, "{response:#}");
    assert_eq!(response["headers"]["content-encoding"], "gzip");
    assert_eq!(response["isBase64Encoded"], true);
    let page = String::from_utf8(body_bytes(&response)).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains(r#"action="/login""#), "the sign-in form");

    let response = invoke_edited("apigw-v2-get-login-gzip.json", web_auth::app, |event| {
        event["headers"]
            .as_object_mut()
            .unwrap()
            .remove("accept-encoding");
    })
    .await;
    assert!(response["headers"]["content-encoding"].is_null());
    assert_eq!(response["isBase64Encoded"], false);
    assert_eq!(
        response["body"].as_str().unwrap().len(),
        page.len(),
        "the same page, as text"
    );
}

#[tokio::test]
async fn the_assets_function_sends_its_stylesheet_compressed() {
    let path = jamie_templates::assets::path("app.css");
    let response = invoke_edited(
        "apigw-v2-get-login-gzip.json",
        |_| assets::app(),
        |event| {
            event["rawPath"] = Value::from(path.as_str());
            event["requestContext"]["http"]["path"] = Value::from(path.as_str());
            event["headers"]["accept-encoding"] = Value::from("br, gzip");
        },
    )
    .await;
    assert_eq!(response["statusCode"], 200, "{response:#}");
    assert_eq!(response["headers"]["content-encoding"], "br");
    assert_eq!(
        response["headers"]["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let css = body_bytes(&response);
    assert_eq!(
        Some(css.as_slice()),
        jamie_templates::assets::find(path.strip_prefix("/assets/").unwrap())
            .map(|asset| asset.bytes),
        "decodes to the embedded stylesheet"
    );
}
