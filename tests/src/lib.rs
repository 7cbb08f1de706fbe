//! The test harness: one emulator per test process (ours, started on a free port unless
//! `JAMIE_EMULATOR_URL` names one), and a fresh app per test — its own table, queue and bucket —
//! driven through the very router the dev server serves.

use std::sync::OnceLock;

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{HeaderMap, Request, StatusCode, header},
};
use jamie::{Clock, Context};
use jamie_infra::{
    bootstrap::{self, Names},
    emulator::{self, Emulator},
};
use tower::ServiceExt;

pub mod store_race;

/// The emulator this process uses, starting it on first use.
pub fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| {
        Emulator::start(&emulator::Options::default())
            .unwrap_or_else(|error| panic!("starting the emulator: {error}"))
    })
}

/// The emulator's address.
pub fn emulator_url() -> &'static str {
    &emulator().url
}

/// How to build a test app.
#[derive(Clone, Debug)]
pub struct Options {
    pub base_url: String,
    pub clock: Clock,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:3000".to_owned(),
            clock: Clock::system(),
        }
    }
}

/// One test's app and its private resources.
#[derive(Clone, Debug)]
pub struct TestApp {
    pub ctx: Context,
    pub router: Router,
}

/// A fresh app with default options.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

/// A fresh app: new table, queue, bucket and bus in the emulator.
pub async fn spawn_app_with(options: Options) -> TestApp {
    let url = emulator_url().to_owned();
    let config = bootstrap::local(&url, &Names::unique("test"), &options.base_url)
        .await
        .unwrap_or_else(|error| panic!("bootstrapping test resources: {error}"));
    let ctx = Context::new(config, options.clock).await;
    TestApp {
        router: jamie_infra::router(ctx.clone()),
        ctx,
    }
}

/// A response with its body read.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: impl header::AsHeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
    }
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        send(self.router.clone(), request).await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .body(Body::empty())
                .expect("a valid request"),
        )
        .await
    }

    pub async fn post_form(&self, path: &str, form: &str) -> TestResponse {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_owned()))
            .expect("a valid request");
        self.send(request).await
    }
}

/// Sends one request through `router` and reads the whole response.
pub async fn send(router: Router, request: Request<Body>) -> TestResponse {
    let response = router
        .oneshot(request)
        .await
        .expect("routers are infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("reading the body");
    TestResponse {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}
