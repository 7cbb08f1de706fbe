//! The test harness: one emulator per test process (ours, started on a free port unless
//! `JAMIE_EMULATOR_URL` names one), and a fresh app per test — its own table, queue and bucket —
//! driven through the very router the dev server serves.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, OnceLock},
};

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{HeaderMap, HeaderValue, Request, StatusCode, header},
};
use jamie::{Clock, Context};
use jamie_infra::{
    background,
    bootstrap::{self, Names},
    emulator::{self, Emulator},
    inbox::{self, ReceivedEmail},
    relay::{self, Relay},
};
use tower::ServiceExt;

pub mod calls;
pub mod jam;
pub mod lost_races;
pub mod places;
pub mod store_race;

/// The emulator this process uses, starting it on first use.
pub fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| {
        Emulator::start(&emulator::Options::default())
            .unwrap_or_else(|error| panic!("starting the emulator: {error}"))
    })
}

/// A second emulator for the booking races, so that hundreds of racing requests queue behind
/// its lock and not behind the one every other test uses (health checks there answer in 3 s).
pub fn race_emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| {
        Emulator::start(&emulator::Options::default())
            .unwrap_or_else(|error| panic!("starting the race emulator: {error}"))
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
    pub superadmin_emails: Vec<String>,
    /// Run against [`race_emulator`] instead of the shared one.
    pub race: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:3000".to_owned(),
            clock: Clock::system(),
            superadmin_emails: Vec::new(),
            race: false,
        }
    }
}

/// One test's app and its private resources, seen through one browser (a cookie jar).
#[derive(Clone, Debug)]
pub struct TestApp {
    pub ctx: Context,
    pub router: Router,
    jar: Arc<Mutex<BTreeMap<String, String>>>,
    /// Links already handed to the test, shared by every browser of the app: with a fixed clock
    /// two emails can carry the same timestamp, so "newest" alone cannot tell them apart.
    handed_out: Arc<Mutex<std::collections::HashSet<String>>>,
    /// The app's outbox relay (its table's stream to its queue), opened on first delivery.
    relay: Arc<tokio::sync::Mutex<Option<Relay>>>,
    /// The client address this browser's requests come from (as the dev server's socket tells
    /// it); none, as by default, is the one "unknown" client.
    client: Option<std::net::SocketAddr>,
}

/// A fresh app with default options.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

/// A fresh app: new table, queue, bucket and bus in the emulator.
pub async fn spawn_app_with(options: Options) -> TestApp {
    let url = if options.race {
        race_emulator().url.clone()
    } else {
        emulator_url().to_owned()
    };
    let mut config = bootstrap::local(&url, &Names::unique("test"), &options.base_url)
        .await
        .unwrap_or_else(|error| panic!("bootstrapping test resources: {error}"));
    config.superadmin_emails = options.superadmin_emails;
    let ctx = Context::new(config, options.clock).await;
    TestApp {
        router: jamie_infra::router(ctx.clone()),
        ctx,
        jar: Arc::default(),
        handed_out: Arc::default(),
        relay: Arc::default(),
        client: None,
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

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect()
    }
}

/// The CSRF cookie's name on the test apps' plain-http address.
pub const CSRF_COOKIE: &str = "jamie_csrf";
/// The session cookie's name on the test apps' plain-http address.
pub const SESSION_COOKIE: &str = "jamie";

impl TestApp {
    /// The same table and resources served under another configuration, in a fresh browser.
    pub async fn with_config(&self, config: jamie::Config) -> Self {
        let ctx = Context::new(config, self.ctx.clock.clone()).await;
        Self {
            router: jamie_infra::router(ctx.clone()),
            ctx,
            jar: Arc::default(),
            handed_out: self.handed_out.clone(),
            relay: self.relay.clone(),
            client: self.client,
        }
    }

    /// The same browser (cookie jar) on an app served with `ctx` instead (a context whose
    /// clients are instrumented, say).
    pub fn with_context(&self, ctx: Context) -> Self {
        Self {
            router: jamie_infra::router(ctx.clone()),
            ctx,
            jar: self.jar.clone(),
            handed_out: self.handed_out.clone(),
            relay: self.relay.clone(),
            client: self.client,
        }
    }

    /// The same app seen from another browser (an empty cookie jar).
    pub fn another_browser(&self) -> Self {
        Self {
            ctx: self.ctx.clone(),
            router: self.router.clone(),
            jar: Arc::default(),
            handed_out: self.handed_out.clone(),
            relay: self.relay.clone(),
            client: self.client,
        }
    }

    /// This browser seen as coming from client address `ip` (its socket's peer), for the
    /// per-client limits: a flood from one address, another person elsewhere.
    pub fn as_client(&self, ip: &str) -> Self {
        let ip: std::net::IpAddr = ip.parse().expect("an IP address");
        Self {
            client: Some(std::net::SocketAddr::new(ip, 40_000)),
            ..self.clone()
        }
    }

    /// A cookie this browser holds.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.lock().unwrap().get(name).cloned()
    }

    /// The CSRF token this browser's pages carry in their forms: bound to its sign-in, or to
    /// the id of its CSRF cookie (`jamie_csrf`, or `__Host-jamie_csrf` on https) before signing
    /// in; `None` until it has that cookie.
    pub fn csrf_token(&self) -> Option<String> {
        let jar = self.jar.lock().unwrap();
        let pre_sign_in = jar
            .iter()
            .find(|(name, _)| name.ends_with(CSRF_COOKIE))
            .map(|(_, value)| value.clone())?;
        let sign_in = jar
            .iter()
            .find(|(name, _)| name.as_str() == SESSION_COOKIE || name.as_str() == "__Host-jamie")
            .map(|(_, value)| value.clone());
        Some(
            jamie::sign_ins::csrf_token(&self.ctx, sign_in.as_deref(), &pre_sign_in)
                .expose()
                .to_owned(),
        )
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar
            .lock()
            .unwrap()
            .insert(name.to_owned(), value.to_owned());
    }

    /// Sends a request with this browser's cookies and keeps the cookies it sets.
    pub async fn send(&self, mut request: Request<Body>) -> TestResponse {
        let cookies: Vec<String> = self
            .jar
            .lock()
            .unwrap()
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        if !cookies.is_empty() && !request.headers().contains_key(header::COOKIE) {
            request.headers_mut().insert(
                header::COOKIE,
                HeaderValue::from_str(&cookies.join("; ")).unwrap(),
            );
        }
        if let Some(client) = self.client {
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(client));
        }
        let response = send(self.router.clone(), request).await;
        let mut jar = self.jar.lock().unwrap();
        for set in response.set_cookies() {
            let pair = set.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || set.contains("Max-Age=0") {
                    jar.remove(name);
                } else {
                    jar.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        drop(jar);
        response
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .body(Body::empty())
                .expect("a valid request"),
        )
        .await
    }

    /// Posts a form as a page of ours would: with this browser's CSRF token (fetched first if
    /// the browser has none yet).
    pub async fn post_form(&self, path: &str, form: &str) -> TestResponse {
        if self.csrf_token().is_none() {
            self.get("/").await;
        }
        let token = self.csrf_token().expect("the CSRF cookie is set");
        let form = if form.is_empty() {
            format!("csrf={token}")
        } else {
            format!("{form}&csrf={token}")
        };
        self.post_form_raw(path, &form).await
    }

    /// Follows a `303 See Other` as a browser does (a GET of its `Location`); any other
    /// response is returned as it is.
    pub async fn follow(&self, response: TestResponse) -> TestResponse {
        if response.status != StatusCode::SEE_OTHER {
            return response;
        }
        let location = response.header(header::LOCATION).to_owned();
        self.get(&self.path_of(&location)).await
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_form_raw(&self, path: &str, form: &str) -> TestResponse {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_owned()))
            .expect("a valid request");
        self.send(request).await
    }

    /// Delivers everything the app has written to its outbox, as AWS would: the stream
    /// relayed to the queue, the worker's Lambda handler fed SQS batches, until a pass finds
    /// nothing new (fan-outs write more). Returns how many queue messages were handled.
    pub async fn deliver(&self) -> usize {
        let mut relay = self.relay.lock().await;
        if relay.is_none() {
            *relay = Some(
                Relay::new(&self.ctx, relay::From::Oldest)
                    .await
                    .unwrap_or_else(|error| panic!("opening the relay: {error}")),
            );
        }
        let relay = relay.as_mut().expect("opened above");
        let mut handled = 0;
        loop {
            let relayed = relay.pump().await.expect("relaying the stream");
            let mut batch = background::poll_queue_once(&self.ctx, 0)
                .await
                .expect("handling a queue batch");
            handled += batch;
            while batch > 0 {
                batch = background::poll_queue_once(&self.ctx, 0)
                    .await
                    .expect("handling a queue batch");
                handled += batch;
            }
            if relayed == 0 {
                return handled;
            }
        }
    }

    /// Every email SES received from this app, newest first, whole (after delivering).
    pub async fn emails(&self) -> Vec<ReceivedEmail> {
        self.deliver().await;
        let mut emails = Vec::new();
        for summary in inbox::summaries(&self.ctx)
            .await
            .expect("reading the inbox")
        {
            emails.extend(
                inbox::email(&self.ctx, &summary.message_id)
                    .await
                    .expect("reading an email"),
            );
        }
        emails
    }

    /// The emails SES received for `address`, newest first (after delivering).
    pub async fn emails_to(&self, address: &str) -> Vec<ReceivedEmail> {
        self.deliver().await;
        inbox::to(&self.ctx, address)
            .await
            .expect("reading the inbox")
    }

    /// Who was sent a notification of `kind` (its [`Kind::name`](jamie::outbox::Kind::name)),
    /// after delivering: the addresses of today's sent ones, newest first.
    pub async fn told(&self, kind: &str) -> Vec<String> {
        use jamie::outbox::Status;
        self.deliver().await;
        let all = jamie::outbox::recent(&self.ctx, 1000)
            .await
            .expect("reading the outbox");
        all.into_iter()
            .filter(|n| {
                n.about.name() == kind && matches!(n.status, Status::Sent | Status::Delivered)
            })
            .filter_map(|n| n.to.map(|to| to.label().to_owned()))
            .collect()
    }

    /// The newest sign-in link emailed to `email`.
    pub async fn magic_link_for(&self, email: &str) -> Option<String> {
        self.link_for(email, "/auth/link/").await
    }

    /// The newest link to a path starting with `path` emailed to `email` that was not handed
    /// out before (read from the text part of what SES received).
    pub async fn link_for(&self, email: &str, path: &str) -> Option<String> {
        let emails = self.emails_to(email).await;
        let mut handed_out = self.handed_out.lock().unwrap();
        let url = emails.iter().find_map(|received| {
            received
                .links()
                .into_iter()
                .find(|link| self.path_of(link).starts_with(path) && !handed_out.contains(*link))
                .map(str::to_owned)
        })?;
        handed_out.insert(url.clone());
        Some(url)
    }

    /// The path part of a link the app emailed.
    pub fn path_of(&self, url: &str) -> String {
        url.strip_prefix(self.ctx.config.base_url.as_str())
            .unwrap_or(url)
            .to_owned()
    }

    /// Signs `email` in through the real journey (form, outbox, confirmation, button) and
    /// returns the final response.
    pub async fn sign_in(&self, email: &str, name: &str) -> TestResponse {
        let form = format!("email={}&display_name={}", encode(email), encode(name));
        let requested = self.post_form("/login", &form).await;
        assert_eq!(requested.status, StatusCode::OK, "{}", requested.body);
        let url = self
            .magic_link_for(email)
            .await
            .expect("a sign-in link was queued");
        let path = self.path_of(&url);
        let confirm = self.get(&path).await;
        assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
        self.post_form(&path, "").await
    }
}

/// A public registration from client `n` of many, each its own address, so that the
/// per-client limits leave a race of many people alone (each person on their own phone).
pub fn public_client(n: usize) -> jamie::bookings::Source {
    jamie::bookings::Source::Public {
        client: jamie::limits::ClientIp::new(format!("10.0.{}.{}", n / 256, n % 256)),
    }
}

/// Percent-encodes a form value (the views' own encoder).
pub use jamie_templates::components::percent_encode as encode;

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
