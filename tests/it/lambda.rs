//! The deployed path: real API Gateway HTTP API (v2) events through the Lambda adapter that
//! `lambda_http::run` wraps around the function's router, and the JSON it answers with.

use jamie_tests::{Options, spawn_app_with};
use lambda_http::{LambdaEvent, request::LambdaRequest, tower::ServiceExt};
use serde_json::Value;

/// Feeds `fixture` (a file in tests/fixtures) to a function's Lambda handler, given the
/// function's `app`.
async fn invoke(fixture: &str, function: fn(jamie::Context) -> axum::Router) -> Value {
    invoke_edited(fixture, function, |_, _| {}).await
}

/// [`invoke`], with the event edited first (a path that depends on the build, a header).
async fn invoke_edited(
    fixture: &str,
    function: fn(jamie::Context) -> axum::Router,
    edit: impl FnOnce(&mut Value, &jamie::Context),
) -> Value {
    let app = spawn_app_with(Options {
        base_url: "https://jamie.example.org".to_owned(),
        ..Options::default()
    })
    .await;
    let path = format!("{}/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let mut event: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).expect("a JSON fixture");
    edit(&mut event, &app.ctx);
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
    // The form's token is bound to the fixture's CSRF cookie by this app's key: put it in the
    // (base64) body as the page would have.
    let response = invoke_edited("apigw-v2-post-theme.json", web_public::app, |event, ctx| {
        use base64::{Engine, engine::general_purpose::STANDARD};
        let token =
            jamie::sign_ins::csrf_token(ctx, None, "Jm9wZ3Rva2VuLWZvci10aGUtZml4dHVyZS0xMjM0NTY");
        let body = format!("theme=dark&back=%2Fs%2Fabc&csrf={}", token.expose());
        event["body"] = Value::from(STANDARD.encode(body));
    })
    .await;
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

    let response = invoke_edited("apigw-v2-get-login-gzip.json", web_auth::app, |event, _| {
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
        |event, _| {
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

/// The notification worker's Lambda handler on a real SQS event: the good message is sent, the
/// malformed one dropped (it can never succeed), and only the one held by another worker's
/// claim is reported failed, so SQS retries it alone.
#[tokio::test]
async fn the_worker_reports_only_the_messages_to_retry() {
    use jamie::{
        bookings::{self, RegistrationInput},
        store::{Change, keys},
        values::{Email, RoleChoice},
    };
    let app = spawn_app_with(Options::default()).await;
    let jam = jamie_tests::jam::scheduled(&app.ctx, "org@example.org", 5, 5).await;
    for name in ["ana", "ben"] {
        let input = RegistrationInput {
            name: name.to_owned(),
            email: Email::parse(&format!("{name}@example.org")).unwrap(),
            requested: RoleChoice::Base,
            note: String::new(),
        };
        bookings::register(&app.ctx, &jam.session, input, jamie_tests::public_client(0))
            .await
            .unwrap();
    }
    let outbox = jamie::outbox::recent(&app.ctx, 10).await.unwrap();
    let id_of = |address: &str| {
        outbox
            .iter()
            .find(|n| n.address() == address)
            .unwrap()
            .id
            .to_string()
    };
    let (good, held) = (id_of("ana@example.org"), id_of("ben@example.org"));
    let lease = jamie::store::Value::of(
        &app.ctx
            .clock
            .now()
            .checked_add(jiff::SignedDuration::from_secs(60))
            .unwrap(),
    )
    .unwrap();
    app.ctx
        .store
        .update_item(
            &keys::notification(&held.parse().unwrap()),
            Change::new("SET #status = :sending, lease_until = :lease")
                .name("#status", "status")
                .value(":sending", "sending")
                .value(":lease", lease),
        )
        .await
        .unwrap();
    let path = format!(
        "{}/fixtures/sqs-notifications-batch.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let fixture = std::fs::read_to_string(path)
        .unwrap()
        .replace("GOOD", &good)
        .replace("HELD", &held);
    let event: aws_lambda_events::event::sqs::SqsEvent =
        serde_json::from_str(&fixture).expect("an SQS event");
    let response = notify_worker::handle_batch(&app.ctx, event).await;
    let failed: Vec<&str> = response
        .batch_item_failures
        .iter()
        .map(|failure| failure.item_identifier.as_str())
        .collect();
    assert_eq!(failed, ["a8cdb7e2-6b3e-4b4f-9e57-7b2f7f1f3c11"]);
    let json = serde_json::to_value(&response).unwrap();
    assert_eq!(
        json["batchItemFailures"][0]["itemIdentifier"], "a8cdb7e2-6b3e-4b4f-9e57-7b2f7f1f3c11",
        "the shape Lambda reads"
    );
    let sent = jamie_infra::inbox::summaries(&app.ctx).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, ["ana@example.org"]);
}

/// The jobs function on each schedule's input from template.yaml.
#[tokio::test]
async fn each_schedule_input_runs_its_job() {
    let app = spawn_app_with(Options::default()).await;
    for job in ["reminders", "promotions", "cleanup"] {
        let input: jobs::ScheduledRun =
            serde_json::from_str(&format!("{{\"job\":\"{job}\"}}")).unwrap();
        let result = jobs::handle(&app.ctx, input).await.unwrap();
        assert_eq!(serde_json::to_value(&result).unwrap()["job"], job);
    }
}
