//! Notifications end to end: what SES received after each flow (read back from the emulator),
//! exactly once under redelivery, crashed claims and poison messages, the reminders job, the
//! fan-out of a session change, and no usable secret left in the table.

use std::collections::{BTreeMap, HashSet};

use axum::http::StatusCode;
use jamie::{
    Clock,
    bookings::{self, RegistrationInput},
    ids::NotificationId,
    jams::sessions,
    jobs::{self, Job},
    outbox::Status,
    store::{Change, Entry, keys},
    values::{Email, RoleChoice},
};
use jamie_infra::relay::{self, Relay};
use jamie_tests::{Options, TestApp, jam, spawn_app_with};

use crate::public::{organizer_with_session, register_as};

/// Every `href` of an email's HTML.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

/// Every string value anywhere in the table, one per attribute (the test may scan: it is not
/// a request path).
async fn every_string_in_the_table(app: &TestApp) -> Vec<String> {
    let mut found = Vec::new();
    let mut start = None;
    loop {
        let page = app
            .ctx
            .store
            .client()
            .scan()
            .table_name(app.ctx.store.table_name())
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        for item in page.items.unwrap_or_default() {
            found.push(format!("{item:?}"));
        }
        match page.last_evaluated_key {
            Some(next) => start = Some(next),
            None => return found,
        }
    }
}

/// The secret part of a link: the last dot-separated piece of its last path segment.
fn secret_of(link: &str) -> &str {
    let segment = link.rsplit('/').next().unwrap_or_default();
    segment.rsplit('.').next().unwrap_or_default()
}

#[tokio::test]
async fn a_registration_journey_emails_each_person_once_from_real_data_and_leaves_no_secret() {
    let (app, _series, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    register_as(&visitor, &session, "Ana", "ana@example.org", "base").await;
    register_as(&visitor, &session, "Ben", "ben@example.org", "base").await;
    register_as(&visitor, &session, "Cy", "cy@example.org", "base").await;

    // Ana is confirmed: her email has the time in Berlin, the calendar file and her cancel link.
    let ana = app.emails_to("ana@example.org").await;
    assert_eq!(ana.len(), 1, "one confirmation");
    let confirmed = &ana[0];
    assert!(confirmed.from.contains("Jamie"), "{}", confirmed.from);
    assert!(confirmed.text.contains("19:00"), "{}", confirmed.text);
    assert!(confirmed.text.contains("Tuesday Jam"), "{}", confirmed.text);
    assert!(
        confirmed.html.len() < 100 * 1024,
        "{} bytes",
        confirmed.html.len()
    );
    for href in hrefs(&confirmed.html) {
        if href.starts_with("http") {
            assert!(confirmed.text.contains(&href), "{href} is in the text part");
        }
    }
    let calendar = confirmed
        .attachments
        .iter()
        .find(|file| file.name.ends_with(".ics"))
        .expect("the calendar file is attached");
    let calendar = String::from_utf8(calendar.content.clone()).unwrap();
    assert!(calendar.contains("BEGIN:VEVENT"), "{calendar}");
    assert!(calendar.contains("DTSTART:20270316T180000Z"), "{calendar}");

    // Ben and Cy are first and second in line for a base spot.
    let ben = app.emails_to("ben@example.org").await;
    assert_eq!(ben.len(), 1);
    assert!(ben[0].text.contains("1st"), "{}", ben[0].text);
    let cy = app.emails_to("cy@example.org").await;
    assert!(cy[0].text.contains("2nd"), "{}", cy[0].text);
    assert!(
        ben[0].attachments.is_empty(),
        "no calendar file without a spot"
    );

    // Ana cancels with the link in her email; she is told, and Ben gets her spot and is told.
    let cancel = confirmed.link_to("/cancel/").expect("a cancel link");
    let page = visitor.get(&app.path_of(cancel)).await;
    assert_eq!(page.status, StatusCode::OK);
    let done = visitor.post_form(&app.path_of(cancel), "").await;
    assert!(
        done.status.is_success() || done.status.is_redirection(),
        "{}",
        done.status
    );
    let ana = app.emails_to("ana@example.org").await;
    assert_eq!(ana.len(), 2, "confirmation and cancellation");
    let ben = app.emails_to("ben@example.org").await;
    assert_eq!(ben.len(), 2, "waitlisted and promoted");
    let promoted = &ben[0];
    assert!(
        promoted
            .attachments
            .iter()
            .any(|file| file.name.ends_with(".ics"))
    );
    let ben_cancel = promoted.link_to("/cancel/").expect("Ben's cancel link");
    assert_eq!(
        visitor.get(&app.path_of(ben_cancel)).await.status,
        StatusCode::OK,
        "the promotion carries Ben's working cancel link"
    );

    // Every message delivered again: nothing is sent twice.
    let before = app.emails().await.len();
    let mut again = Relay::new(&app.ctx, relay::From::Oldest).await.unwrap();
    assert!(
        again.pump().await.unwrap() >= before,
        "every id re-enqueued"
    );
    assert_eq!(app.emails().await.len(), before, "no email twice");

    // No link's secret, and no link, is kept anywhere in the table.
    let table = every_string_in_the_table(&app).await;
    let mut secrets = HashSet::new();
    for email in app.emails().await {
        for link in email.links() {
            let path = app.path_of(link);
            if path.starts_with("/cancel/")
                || path.starts_with("/auth/link/")
                || path.starts_with("/jams/invites/")
            {
                secrets.insert(secret_of(link).to_owned());
            }
        }
    }
    assert!(
        secrets.len() >= 4,
        "sign-in and cancel links seen: {secrets:?}"
    );
    for item in &table {
        for secret in &secrets {
            assert!(
                !item.contains(secret.as_str()),
                "a secret in the table: {item}"
            );
        }
        assert!(
            !item.contains("/cancel/") && !item.contains("/auth/link/"),
            "{item}"
        );
    }
}

#[tokio::test]
async fn a_crashed_claim_is_taken_over_after_its_lease_and_the_email_goes_once() {
    let app = spawn_app_with(Options {
        clock: Clock::fixed("2027-03-01T12:00:00Z".parse().unwrap()),
        ..Options::default()
    })
    .await;
    let jam = jam::scheduled(&app.ctx, "org@example.org", 2, 2).await;
    let input = RegistrationInput {
        name: "Ana".to_owned(),
        email: Email::parse("ana@example.org").unwrap(),
        requested: RoleChoice::Base,
        note: String::new(),
    };
    bookings::register(&app.ctx, &jam.session, input, jamie_tests::public_client(0))
        .await
        .unwrap();
    let pending = jamie::outbox::recent(&app.ctx, 10).await.unwrap();
    let confirmation = pending
        .iter()
        .find(|n| n.address() == "ana@example.org")
        .unwrap();
    // A worker claimed it and died before sending: its lease runs for another minute.
    let now = app.ctx.clock.now();
    let lease = jamie::store::Value::of(
        &now.checked_add(jiff::SignedDuration::from_secs(30))
            .unwrap(),
    )
    .unwrap();
    app.ctx
        .store
        .update_item(
            &keys::notification(&confirmation.id),
            Change::new("SET #status = :sending, lease_until = :lease ADD attempts :one")
                .name("#status", "status")
                .value(":sending", "sending")
                .value(":lease", lease)
                .value(":one", 1),
        )
        .await
        .unwrap();
    assert!(
        app.emails_to("ana@example.org").await.is_empty(),
        "held by the lease"
    );
    app.ctx
        .clock
        .advance(jobs::STUCK_AFTER + jiff::SignedDuration::from_secs(1));
    // The sweep hands it to the queue again; a worker takes it over and sends it, once.
    jobs::run(&app.ctx, Job::Promotions).await.unwrap();
    assert_eq!(app.emails_to("ana@example.org").await.len(), 1);
    jobs::run(&app.ctx, Job::Promotions).await.unwrap();
    assert_eq!(app.emails_to("ana@example.org").await.len(), 1, "sent once");
    let stored: jamie::outbox::Notification = app
        .ctx
        .store
        .get(&keys::notification(&confirmation.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, Status::Sent);
    assert_eq!(stored.attempts, 2);
    assert!(stored.provider_id.is_some(), "the SES message id is kept");
}

#[tokio::test]
async fn a_poison_message_reaches_the_dead_letter_queue_and_its_batch_is_not_retried() {
    let app = spawn_app_with(Options::default()).await;
    let jam = jam::scheduled(&app.ctx, "org@example.org", 5, 5).await;
    for name in ["ana", "ben"] {
        let input = RegistrationInput {
            name: name.to_owned(),
            email: Email::parse(&format!("{name}@example.org")).unwrap(),
            requested: RoleChoice::Flyer,
            note: String::new(),
        };
        bookings::register(&app.ctx, &jam.session, input, jamie_tests::public_client(0))
            .await
            .unwrap();
    }
    // An outbox item no worker can read, in the same batch as the two good ones.
    let poison = NotificationId::generate();
    let mut item = BTreeMap::new();
    item.insert("id", poison.to_string());
    item.insert("status", "pending".to_owned());
    item.insert("about", "not a kind".to_owned());
    app.ctx
        .store
        .put_item(&Entry::new(keys::notification(&poison)), &item)
        .await
        .unwrap();
    // The relay hands it to the queue with the two confirmations, in one batch.
    let queue = &app.ctx.config.notifications_queue_url;
    app.deliver().await;
    assert_eq!(app.emails().await.len(), 2, "the good ones went out");
    // It comes back after each visibility timeout; after the fifth receive it is dead-lettered.
    let dlq = format!("{queue}-dlq");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let dead = loop {
        jamie_infra::background::poll_queue_once(&app.ctx, 1)
            .await
            .unwrap();
        let dead = app
            .ctx
            .queue
            .receive_message()
            .queue_url(&dlq)
            .send()
            .await
            .unwrap()
            .messages
            .unwrap_or_default();
        if !dead.is_empty() {
            break dead;
        }
        assert!(std::time::Instant::now() < deadline, "never dead-lettered");
    };
    assert!(dead[0].body.as_deref().unwrap().contains(poison.as_str()));
    assert_eq!(
        app.emails().await.len(),
        2,
        "the rest of the batch was not sent again"
    );
}

#[tokio::test]
async fn reminders_go_once_to_each_confirmed_registration_and_follow_a_moved_session() {
    let (app, series, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    register_as(&visitor, &session, "Ana", "ana@example.org", "base").await;
    register_as(&visitor, &session, "Ben", "ben@example.org", "flyer").await;
    register_as(&visitor, &session, "Cy", "cy@example.org", "flyer").await;
    let ben_cancel = crate::public::cancel_path(&app, "ben@example.org").await;
    visitor.post_form(&ben_cancel, "").await;
    // Cy got Ben's place; Ana holds the base spot. The session is Tuesday 16 March 19:00 Berlin.
    app.ctx.clock.set("2027-03-15T17:30:00Z".parse().unwrap());
    jobs::run(&app.ctx, Job::Reminders).await.unwrap();
    jobs::run(&app.ctx, Job::Reminders).await.unwrap();
    let (first, second) = tokio::join!(
        jobs::run(&app.ctx, Job::Reminders),
        jobs::run(&app.ctx, Job::Reminders)
    );
    first.unwrap();
    second.unwrap();
    let mut told = app.told("reminder").await;
    told.sort();
    assert_eq!(
        told,
        ["ana@example.org", "cy@example.org"],
        "once each, not the cancelled"
    );
    let reminder = &app.emails_to("ana@example.org").await[0];
    assert!(reminder.text.contains("19:00"), "{}", reminder.text);
    assert!(
        reminder.link_to("/cancel/").is_some(),
        "it carries the cancel link"
    );

    // Moved a week later: no reminder now, and one at the new time.
    let moved = app
        .post_form(
            &format!("/jams/{series}/sessions/{session}/edit"),
            "date=2027-03-23&start_time=20%3A00&end_time=22%3A00&capacity_base=1&capacity_flyer=1&cost_kind=default&note=",
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    app.deliver().await;
    app.ctx.clock.set("2027-03-22T18:30:00Z".parse().unwrap());
    jobs::run(&app.ctx, Job::Reminders).await.unwrap();
    // (`told` reads the outbox of the clock's today and yesterday: the new reminders.)
    let mut told = app.told("reminder").await;
    told.sort();
    assert_eq!(
        told,
        ["ana@example.org", "cy@example.org"],
        "a new one each for the new time"
    );
    let reminder = &app.emails_to("ana@example.org").await[0];
    assert!(reminder.text.contains("20:00"), "{}", reminder.text);
}

#[tokio::test]
async fn a_cancelled_session_with_600_registrants_tells_each_of_them_once() {
    let app = spawn_app_with(Options {
        race: true,
        ..Options::default()
    })
    .await;
    let jam = jam::scheduled(&app.ctx, "org@example.org", 300, 300).await;
    for n in 0..600 {
        let input = RegistrationInput {
            name: format!("Person {n}"),
            email: Email::parse(&format!("p{n}@example.org")).unwrap(),
            requested: if n % 2 == 0 {
                RoleChoice::Base
            } else {
                RoleChoice::Flyer
            },
            note: String::new(),
        };
        bookings::register(&app.ctx, &jam.session, input, jamie_tests::public_client(n))
            .await
            .unwrap();
    }
    sessions::cancel(
        &app.ctx,
        &jam.organizer,
        &jam.series,
        &jam.session,
        "The hall is flooded",
    )
    .await
    .unwrap();
    let told = app.told("session_cancelled").await;
    assert_eq!(told.len(), 600);
    assert_eq!(told.iter().collect::<HashSet<_>>().len(), 600, "each once");
    // The fan-out run again (a redelivery after a crash mid-way) writes nobody twice.
    let fan_out = jamie::outbox::recent(&app.ctx, 2000)
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.about.is_fan_out())
        .unwrap();
    assert_eq!(fan_out.status, Status::Expanded);
    app.ctx
        .store
        .update_item(
            &keys::notification(&fan_out.id),
            Change::new("SET #status = :pending")
                .name("#status", "status")
                .value(":pending", "pending"),
        )
        .await
        .unwrap();
    let mut again = Relay::new(&app.ctx, relay::From::Oldest).await.unwrap();
    again.pump().await.unwrap();
    assert_eq!(
        app.told("session_cancelled").await.len(),
        600,
        "no one twice"
    );
}
