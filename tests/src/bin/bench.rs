//! `make bench`: figures that the README quotes. Prints each as `name: value unit`.
//!
//! - registrations per second through the router, against the emulator's raw
//!   TransactWriteItems rate for transactions of the same shape measured in the same run, and
//!   their ratio (target ≥ 0.9);
//! - the DynamoDB calls one request makes (counted by an SDK interceptor): register
//!   (confirmed and waitlisted), cancel with a promotion, the public session page and a page of
//!   the organizer's table of a session with 1,000 registrations, the superadmin's page of
//!   every series, the dashboard of an organizer of 20 series;
//! - the emulator's resident memory before and after 5,000 more registrations (must stay under
//!   500 MB: stock moto keeps every table copy a transaction makes).

use std::{collections::BTreeMap, time::Instant};

use axum::http::StatusCode;
use jamie::{
    bookings::{self, RegistrationInput},
    jams::sessions::Session,
    limits::ClientIp,
    store::keys,
    values::{Email, Role, RoleChoice},
};
use jamie_tests::{
    TestApp,
    calls::{CallCounter, describe, reads_and_writes},
    emulator, encode, jam, spawn_app,
    store_race::{load_filler, race_registrations},
};

/// Registrations timed through the router, and the raw transactions timed beside them.
const TIMED: usize = 1_000;
/// Requests in flight at once (browsers, or Lambda instances).
const CONCURRENCY: usize = 50;
/// Registrations of the memory figure.
const MEMORY_REGISTRATIONS: usize = 5_000;
const MEMORY_LIMIT_MB: f64 = 500.0;

/// Resident memory of a process, from /proc, in MB.
fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// The registration form of person `n`, bases and flyers in turn.
fn form(n: usize) -> String {
    let role = if n.is_multiple_of(2) { "base" } else { "flyer" };
    format!(
        "name={}&email={}&role={role}&consent=yes",
        encode(&format!("Person {n}")),
        encode(&format!("person{n}@example.org"))
    )
}

/// Registers people `range` through the router, `CONCURRENCY` at a time; every one must get
/// its "check your inbox" answer.
async fn register_through_router(app: &TestApp, session: &str, range: std::ops::Range<usize>) {
    let path = format!("/s/{session}/register");
    // One browser's CSRF cookie for every request, as a page load would have set it.
    let browser = app.another_browser();
    browser.get("/").await;
    let mut pending = range.collect::<Vec<_>>().into_iter();
    let mut racers = tokio::task::JoinSet::new();
    loop {
        while racers.len() < CONCURRENCY {
            let Some(n) = pending.next() else { break };
            // Each person from their own phone, as the per-client limits expect of a crowd.
            let (browser, path) = (
                browser.as_client(&format!("10.1.{}.{}", n / 256, n % 256)),
                path.clone(),
            );
            racers.spawn(async move { browser.post_form(&path, &form(n)).await.status });
        }
        let Some(done) = racers.join_next().await else {
            break;
        };
        let status = done.expect("a registration task panicked");
        assert_eq!(
            status,
            StatusCode::OK,
            "a registration through the router failed (its answer is \"check your inbox\")"
        );
    }
}

/// The very transactions `TIMED` registrations send, built first and then sent straight to the
/// emulator, `CONCURRENCY` at a time; returns how many committed.
async fn raw_transactions(app: &TestApp) -> usize {
    let raw = jam::scheduled(&app.ctx, "raw@example.org", 500, 500).await;
    let session = app
        .ctx
        .store
        .get::<Session>(&keys::session(&raw.session))
        .await
        .unwrap()
        .unwrap();
    let mut pending = (0..TIMED)
        .map(|n| {
            let role = if n.is_multiple_of(2) {
                Role::Base
            } else {
                Role::Flyer
            };
            let input = RegistrationInput {
                name: format!("Person {n}"),
                email: Email::parse(&format!("person{n}@example.org")).unwrap(),
                requested: RoleChoice::Either,
                note: String::new(),
            };
            let client = ClientIp::new(format!("10.2.{}.{}", n / 256, n % 256));
            bookings::registration_transaction(&app.ctx, &session, input, role, &client).unwrap()
        })
        .collect::<Vec<_>>()
        .into_iter();
    let mut committed = 0;
    let mut racers = tokio::task::JoinSet::new();
    loop {
        while racers.len() < CONCURRENCY {
            let Some(writes) = pending.next() else { break };
            racers.spawn(async move { writes.commit().await });
        }
        let Some(done) = racers.join_next().await else {
            break;
        };
        done.expect("a raw transaction task panicked")
            .expect("every raw registration transaction commits");
        committed += 1;
    }
    committed
}

/// Prints the calls of one request.
fn print_calls(name: &str, calls: &BTreeMap<String, usize>) {
    let (reads, writes) = reads_and_writes(calls);
    println!(
        "dynamodb_calls_{name}: {} ({reads} read, {writes} write round trips)",
        describe(calls)
    );
}

/// The calls each kind of request makes, on a fresh session of 1 + 1 places.
async fn calls_per_request(app: &TestApp, counter: &CallCounter, big: &jam::Jam) {
    let counted = app.with_context(counter.context(&app.ctx));
    let small = jam::scheduled(&app.ctx, "calls@example.org", 1, 1).await;
    let session = small.session.to_string();
    // The browser's CSRF cookie first, so that the counted requests are the form posts alone.
    counted.get("/").await;

    counter.take();
    let page = counted.get(&format!("/s/{session}")).await;
    assert_eq!(page.status, StatusCode::OK);
    print_calls("public_session_page", &counter.take());

    let first = counted
        .post_form(&format!("/s/{session}/register"), &form(0))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    print_calls("register_confirmed", &counter.take());

    // A second base: the base place is taken, so the waitlist.
    let waiting = counted
        .post_form(&format!("/s/{session}/register"), &form(2))
        .await;
    assert_eq!(waiting.status, StatusCode::OK);
    print_calls("register_waitlisted", &counter.take());
    assert!(
        waiting.body.contains("Check your inbox"),
        "{}",
        waiting.body
    );

    let token = app
        .link_for("person0@example.org", "/cancel/")
        .await
        .expect("the first registration's email");
    let cancel_path = app.path_of(&token);
    counter.take();
    let cancelled = counted.post_form(&cancel_path, "").await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    print_calls("cancel_with_promotion", &counter.take());

    let organizer = counted.another_browser();
    organizer.sign_in("big@example.org", "Org").await;
    counter.take();
    let table = organizer
        .get(&format!(
            "/jams/{}/sessions/{}/registrations",
            big.series, big.session
        ))
        .await;
    assert_eq!(table.status, StatusCode::OK);
    print_calls("organizer_table_page_of_1000", &counter.take());

    // The superadmin's list of every series: the listing and one BatchGetItem for the owners,
    // whatever their number (tests/it/auth.rs checks 3 against 15).
    let mut admin_ctx = counter.context(&app.ctx);
    std::sync::Arc::make_mut(&mut admin_ctx.config)
        .superadmin_emails
        .push("root@example.org".to_owned());
    let admin = app.with_context(admin_ctx).another_browser();
    admin.sign_in("root@example.org", "Root").await;
    counter.take();
    let all_series = admin.get("/admin/series").await;
    assert_eq!(all_series.status, StatusCode::OK);
    print_calls("admin_all_series_page", &counter.take());
    // The dashboard of an organizer of 20 series, each with its next session: the same
    // calls as for one series.
    for _ in 0..DASHBOARD_SERIES {
        jam::scheduled(&app.ctx, "dashboard@example.org", 1, 1).await;
    }
    let dashboard = counted.another_browser();
    dashboard.sign_in("dashboard@example.org", "Org").await;
    counter.take();
    let home = dashboard.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(
        home.body.matches("Next session").count(),
        DASHBOARD_SERIES,
        "{}",
        home.body
    );
    print_calls(
        &format!("dashboard_of_{DASHBOARD_SERIES}_series"),
        &counter.take(),
    );
}

/// The notification worker on the confirmations of the timed registrations: relayed from the
/// stream and handled in SQS batches of 10 by the Lambda handler, against the emulator.
async fn worker_throughput(app: &TestApp, counter: &CallCounter) {
    let counted = app.with_context(counter.context(&app.ctx));
    let sent_before = jamie_infra::inbox::summaries(&app.ctx).await.unwrap().len();
    counter.take();
    let started = Instant::now();
    let handled = counted.deliver().await;
    let elapsed = started.elapsed().as_secs_f64();
    let calls = counter.take();
    let sent = jamie_infra::inbox::summaries(&app.ctx).await.unwrap().len() - sent_before;
    assert_eq!(sent, handled, "one email per queue message");
    println!(
        "worker_emails_per_second: {:.0} emails/s ({sent} confirmations, SQS batches of 10, relay included)",
        sent as f64 / elapsed
    );
    let per = |n: usize| n as f64 / sent as f64;
    let (reads, writes) = reads_and_writes(&calls);
    println!(
        "dynamodb_calls_per_notification: {:.1} ({:.1} read, {:.1} write round trips: {})",
        per(reads + writes),
        per(reads),
        per(writes),
        describe(&calls)
    );
    println!("ses_calls_per_notification: {:.1} (SendEmail)", per(sent));
}

/// The series of the organizer whose dashboard is counted.
const DASHBOARD_SERIES: usize = 20;

#[tokio::main]
async fn main() {
    let app = spawn_app().await;
    let Some(pid) = emulator().pid() else {
        eprintln!("bench: JAMIE_EMULATOR_URL points at an emulator we did not start; unset it");
        std::process::exit(2);
    };
    load_filler(&app.ctx.store, 2_000).await;
    let before = rss_mb(pid).unwrap_or_default();

    // Throughput: the router against raw transactions of the same shape, one after the other
    // on the same emulator.
    let big = jam::scheduled(&app.ctx, "big@example.org", 500, 500).await;
    let counter = CallCounter::default();
    let counted = app.with_context(counter.context(&app.ctx));
    let started = Instant::now();
    register_through_router(&counted, &big.session.to_string(), 0..TIMED).await;
    let router_rate = TIMED as f64 / started.elapsed().as_secs_f64();
    let rush = counter.take();
    let started = Instant::now();
    let committed = raw_transactions(&app).await;
    let raw_rate = committed as f64 / started.elapsed().as_secs_f64();
    println!(
        "router_registrations_per_second: {router_rate:.0} registrations/s ({TIMED} through the router, {CONCURRENCY} concurrent)"
    );
    println!(
        "emulator_transact_write_items_per_second: {raw_rate:.0} tx/s (the {committed} transactions of as many registrations, built first and sent raw, {CONCURRENCY} concurrent)"
    );
    println!(
        "router_to_raw_ratio: {:.2} (target ≥ 0.9)",
        router_rate / raw_rate
    );
    println!(
        "dynamodb_calls_during_the_{TIMED}_registrations: {}",
        describe(&rush)
    );

    worker_throughput(&app, &counter).await;
    calls_per_request(&app, &counter, &big).await;

    // Memory: 5,000 more registrations.
    for batch in 0..MEMORY_REGISTRATIONS / 250 {
        let partition = format!("BENCH#{batch}");
        let outcome = race_registrations(&app.ctx.store, &partition, 250, 0, 250).await;
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    }
    let after = rss_mb(pid).unwrap_or_default();
    println!("emulator_rss_before: {before:.0} MB");
    println!(
        "emulator_rss_after_{MEMORY_REGISTRATIONS}_registrations: {after:.0} MB (limit {MEMORY_LIMIT_MB:.0} MB)"
    );
    if after >= MEMORY_LIMIT_MB {
        eprintln!("bench: the emulator grew past {MEMORY_LIMIT_MB} MB");
        std::process::exit(1);
    }
}
