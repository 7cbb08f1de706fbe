//! Confirm by email: a held registration keeps its spot until its link is pressed, the jobs
//! release the rest and promote the next in line (also under races with presses and with new
//! registrations); and the public form answers a duplicate address like a new one.

use std::collections::HashSet;

use axum::http::StatusCode;
use jamie::{
    Clock, Context,
    bookings::{self, Confirmation, RegistrationStatus},
    ids::{SeriesId, SessionId},
    jobs::{self, Job},
    outbox::Kind,
    values::RoleChoice,
};
use jamie_tests::{Options, TestApp, jam, spawn_app_with};
use jiff::SignedDuration;

use crate::bookings::{check_invariants, input, outbox, state};
use crate::public::{organizer_with_session, registration};

/// Turns "Confirm registrations by email" on in the series form of [`organizer_with_session`].
async fn confirm_by_email(app: &TestApp, series: &SeriesId) {
    let saved = app
        .post_form(
            &format!("/jams/{series}/edit"),
            "name=Tuesday+Jam&description=Bring+water.&venue=Studio+Nord&address=Nordstra%C3%9Fe+1\
             &cost_kind=donation&capacity_base=1&capacity_flyer=1&weekday=tue&start_time=19%3A00\
             &duration_minutes=120&time_zone=Europe%2FBerlin&visibility=unlisted&confirm_by_email=yes",
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

/// The newest `/confirm/…` link emailed to `email`, as a path.
async fn confirm_path(app: &TestApp, email: &str) -> String {
    let url = app
        .link_for(email, "/confirm/")
        .await
        .expect("an email with the confirm link");
    app.path_of(&url)
}

async fn register(app: &TestApp, session: &SessionId, name: &str, email: &str, role: &str) {
    let posted = app
        .another_browser()
        .post_form(
            &format!("/s/{session}/register"),
            &registration(name, email, role),
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    assert!(posted.body.contains("Check your inbox"));
    assert!(
        posted
            .body
            .contains("press its link within 30 minutes to keep your spot"),
        "{}",
        posted.body
    );
}

#[tokio::test]
async fn a_held_spot_stays_held_and_pressing_the_link_keeps_it() {
    let (app, series, session) = organizer_with_session().await;
    confirm_by_email(&app, &series).await;
    register(&app, &session, "Ana", "ana@example.org", "base").await;
    // Ana's spot is held: the next base waits.
    register(&app, &session, "Ben", "ben@example.org", "base").await;
    let (stored, registrations) = state(&app.ctx, &session).await;
    assert_eq!((stored.confirmed_base, stored.waitlisted), (1, 1));
    assert!(registrations.iter().all(|r| r.held_until.is_some()));

    let email = &app.emails_to("ana@example.org").await[0];
    assert!(
        email.subject.starts_with("Press to keep your spot"),
        "{}",
        email.subject
    );
    assert!(email.text.contains("within 30 minutes to keep your spot"));
    let table = app
        .get(&format!("/jams/{series}/sessions/{session}/registrations"))
        .await;
    assert!(table.body.contains("Awaiting email confirmation"));
    assert!(table.body.contains("2 awaiting email confirmation"));

    let ben_cancel = crate::public::cancel_path(&app, "ben@example.org").await;
    let ben_page = app.another_browser().get(&ben_cancel).await;
    assert!(
        ben_page
            .body
            .contains("held until you press the link in your email"),
        "{}",
        ben_page.body
    );

    // Opening the link confirms nothing (mail scanners open links); the button does.
    let link = confirm_path(&app, "ana@example.org").await;
    let visitor = app.another_browser();
    let opened = visitor.get(&link).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.body.contains("Keep my spot"), "{}", opened.body);
    assert_eq!(
        opened.header(axum::http::header::REFERRER_POLICY),
        "no-referrer"
    );
    let (_, registrations) = state(&app.ctx, &session).await;
    assert!(registrations.iter().all(|r| r.held_until.is_some()));
    let pressed = visitor.post_form(&link, "").await;
    assert_eq!(pressed.status, StatusCode::OK);
    assert!(
        pressed.body.contains("your registration is confirmed"),
        "{}",
        pressed.body
    );
    assert!(pressed.body.contains("a spot as a base"));
    let again = visitor.post_form(&link, "").await;
    assert!(again.body.contains("confirmed this registration already"));
    let forged = format!("{}x", &link[..link.len() - 1]);
    assert_eq!(visitor.get(&forged).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        visitor.post_form(&forged, "").await.status,
        StatusCode::NOT_FOUND
    );

    // Past the hold, the job releases Ben (who never pressed) and keeps Ana.
    app.ctx.clock.advance(SignedDuration::from_mins(31));
    jobs::run(&app.ctx, Job::Promotions).await.unwrap();
    let (stored, registrations) = state(&app.ctx, &session).await;
    let status_of = |email: &str| {
        registrations
            .iter()
            .find(|r| r.email.as_str() == email)
            .unwrap()
            .status
    };
    assert_eq!(status_of("ana@example.org"), RegistrationStatus::Confirmed);
    assert_eq!(status_of("ben@example.org"), RegistrationStatus::Cancelled);
    assert_eq!((stored.confirmed_base, stored.waitlisted), (1, 0));
    let released = &app.emails_to("ben@example.org").await[0];
    assert!(released.subject.starts_with("Your spot was released"));
    assert!(released.text.contains("Register again"));
    // Ben's link now says so plainly.
    let late = confirm_path(&app, "ben@example.org").await;
    let pressed = visitor.post_form(&late, "").await;
    assert_eq!(pressed.status, StatusCode::OK);
    assert!(
        pressed.body.contains("This spot was released"),
        "{}",
        pressed.body
    );
}

#[tokio::test]
async fn an_expired_hold_is_released_and_the_next_in_line_is_promoted_and_told() {
    let (app, series, session) = organizer_with_session().await;
    confirm_by_email(&app, &series).await;
    register(&app, &session, "Ana", "ana@example.org", "base").await;
    register(&app, &session, "Ben", "ben@example.org", "either").await;
    register(&app, &session, "Cy", "cy@example.org", "base").await;
    // Ben took the flyer spot; Cy waits for a base. Cy confirms the waitlist place.
    let cy = confirm_path(&app, "cy@example.org").await;
    let pressed = app.another_browser().post_form(&cy, "").await;
    assert!(pressed.body.contains("your registration is confirmed"));
    assert!(pressed.body.contains("a place on the waitlist"));
    // Someone the organizer adds is never held.
    let added = app
        .post_form(
            &format!("/jams/{series}/sessions/{session}/registrations"),
            "name=Dee&email=dee%40example.org&role=flyer&note=",
        )
        .await;
    assert!(
        added.status.is_redirection() || added.status == StatusCode::OK,
        "{}",
        added.body
    );

    // 29 minutes: nothing is released yet.
    app.ctx.clock.advance(SignedDuration::from_mins(29));
    jobs::run(&app.ctx, Job::Promotions).await.unwrap();
    let (stored, _) = state(&app.ctx, &session).await;
    assert_eq!((stored.confirmed_base, stored.confirmed_flyer), (1, 1));

    app.ctx.clock.advance(SignedDuration::from_mins(2));
    let report = jobs::run(&app.ctx, Job::Promotions).await.unwrap();
    assert!(report.changed >= 2, "{report:?}");
    let (stored, registrations) = state(&app.ctx, &session).await;
    check_invariants(&stored, &registrations);
    let find = |email: &str| {
        registrations
            .iter()
            .find(|r| r.email.as_str() == email)
            .unwrap()
    };
    assert_eq!(
        find("ana@example.org").status,
        RegistrationStatus::Cancelled
    );
    assert_eq!(
        find("ben@example.org").status,
        RegistrationStatus::Cancelled
    );
    assert_eq!(find("cy@example.org").status, RegistrationStatus::Confirmed);
    assert!(find("cy@example.org").held_until.is_none());
    let dee = find("dee@example.org");
    assert!(
        dee.held_until.is_none(),
        "an organizer's entry is never held"
    );
    assert_eq!(
        dee.status,
        RegistrationStatus::Confirmed,
        "Dee took Ben's flyer spot"
    );
    assert_eq!(app.told("hold_released").await.len(), 2);
    let promoted = app.told("promoted").await;
    assert!(
        promoted.contains(&"cy@example.org".to_owned()),
        "{promoted:?}"
    );
    let cy_email = &app.emails_to("cy@example.org").await[0];
    assert!(
        cy_email.subject.starts_with("A spot freed up"),
        "{}",
        cy_email.subject
    );
    // A second run finds nothing more to release.
    let again = bookings::release_expired(&app.ctx).await.unwrap();
    assert_eq!(again.released, 0);
}

/// A fresh app on the race emulator with one session of `base` + `flyer` places in a series
/// that confirms registrations by email.
async fn held_jam(base: u16, flyer: u16) -> (TestApp, SessionId) {
    let app = spawn_app_with(Options {
        clock: Clock::fixed("2027-03-10T12:00:00Z".parse().unwrap()),
        race: true,
        ..Options::default()
    })
    .await;
    let mut config = (*app.ctx.config).clone();
    config.race_deadline = std::time::Duration::from_secs(300);
    let app = app.with_config(config).await;
    let jam = jam::scheduled_with(
        &app.ctx,
        "org@example.org",
        base,
        flyer,
        &[("confirm_by_email", "yes")],
    )
    .await;
    (app, jam.session)
}

async fn register_all(
    ctx: &Context,
    session: &SessionId,
    people: std::ops::Range<usize>,
) -> Vec<bookings::Registered> {
    let mut racers = tokio::task::JoinSet::new();
    for n in people {
        let (ctx, session) = (ctx.clone(), session.clone());
        let choice = [RoleChoice::Base, RoleChoice::Flyer, RoleChoice::Either][n % 3];
        racers.spawn(async move {
            bookings::register(
                &ctx,
                &session,
                input(n, choice),
                jamie_tests::public_client(n),
            )
            .await
        });
    }
    racers
        .join_all()
        .await
        .into_iter()
        .map(|done| done.expect("every registration is taken"))
        .collect()
}

/// The confirm link's token of a registration, as its email carries it.
fn confirm_token(ctx: &Context, registered: &bookings::Registered) -> String {
    bookings::confirm_url(ctx, &registered.registration)
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn confirm_presses_racing_the_release_have_exactly_one_outcome_each() {
    const PEOPLE: usize = 40;
    const PRESSES: usize = 3;
    const RELEASES: usize = 4;
    let (app, session) = held_jam(10, 10).await;
    let registered = register_all(&app.ctx, &session, 0..PEOPLE).await;
    app.ctx.clock.advance(SignedDuration::from_mins(31));
    let mut racers = tokio::task::JoinSet::new();
    for (n, person) in registered.iter().enumerate() {
        // Half of them press (several times each, as an impatient person does).
        if n % 2 == 1 {
            continue;
        }
        for _ in 0..PRESSES {
            let (ctx, token, id) = (
                app.ctx.clone(),
                confirm_token(&app.ctx, person),
                person.registration.id.clone(),
            );
            racers.spawn(async move {
                let (confirmation, _) = bookings::confirm_hold(&ctx, &token).await.unwrap();
                (Some((id, confirmation)), 0)
            });
        }
    }
    for _ in 0..RELEASES {
        let ctx = app.ctx.clone();
        racers.spawn(async move {
            (
                None,
                bookings::release_expired(&ctx).await.unwrap().released,
            )
        });
    }
    let mut released = 0;
    let mut confirmed_now = HashSet::new();
    let mut answers = Vec::new();
    for (press, count) in racers.join_all().await {
        released += count;
        if let Some((id, confirmation)) = press {
            if confirmation == Confirmation::Now {
                assert!(confirmed_now.insert(id.clone()), "confirmed twice: {id}");
            }
            answers.push((id, confirmation));
        }
    }
    // A last run catches what the racing runs' index reads had not seen yet.
    released += bookings::release_expired(&app.ctx).await.unwrap().released;
    let (stored, registrations) = state(&app.ctx, &session).await;
    check_invariants(&stored, &registrations);
    let cancelled: HashSet<_> = registrations
        .iter()
        .filter(|r| r.status == RegistrationStatus::Cancelled)
        .map(|r| r.id.clone())
        .collect();
    assert_eq!(released, cancelled.len(), "each release counted once");
    assert_eq!(
        confirmed_now.len() + cancelled.len(),
        PEOPLE,
        "one outcome each"
    );
    assert!(
        registrations.iter().all(|r| r.held_until.is_none()),
        "no hold left"
    );
    for (id, confirmation) in answers {
        match confirmation {
            Confirmation::Released => assert!(cancelled.contains(&id)),
            Confirmation::Now | Confirmation::Already => {
                assert!(!cancelled.contains(&id) && confirmed_now.contains(&id))
            }
        }
    }
    let told = outbox(&app.ctx).await;
    let released_notes = told
        .iter()
        .filter(|n| matches!(n.about, Kind::HoldReleased { .. }))
        .count();
    assert_eq!(released_notes, cancelled.len(), "one release email each");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn registrations_racing_releases_keep_capacity_and_the_waitlist_exact() {
    const EARLY: usize = 60;
    const LATE: usize = 60;
    let (app, session) = held_jam(10, 10).await;
    let early = register_all(&app.ctx, &session, 0..EARLY).await;
    app.ctx.clock.advance(SignedDuration::from_mins(31));
    let mut releases = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let ctx = app.ctx.clone();
        releases.spawn(async move { bookings::release_expired(&ctx).await.unwrap().released });
    }
    let late = register_all(&app.ctx, &session, EARLY..EARLY + LATE).await;
    let mut released: usize = releases.join_all().await.into_iter().sum();
    released += bookings::release_expired(&app.ctx).await.unwrap().released;
    assert_eq!(released, EARLY, "every early hold ran out");
    let (stored, registrations) = state(&app.ctx, &session).await;
    check_invariants(&stored, &registrations);
    let early: HashSet<_> = early.iter().map(|r| r.registration.id.clone()).collect();
    for registration in &registrations {
        if early.contains(&registration.id) {
            assert_eq!(registration.status, RegistrationStatus::Cancelled);
        } else {
            assert!(
                registration.held_until.is_some(),
                "the late ones are still held"
            );
        }
    }
    assert_eq!(late.len(), LATE);
    assert_eq!((stored.confirmed_base, stored.confirmed_flyer), (10, 10));
    assert_eq!(stored.waitlisted as usize, LATE - 20);
    // The waitlist's queues run 1, 2, 3 … per role, in the order people joined.
    let positions = bookings::positions(&stored);
    for choice in [RoleChoice::Base, RoleChoice::Flyer, RoleChoice::Either] {
        let mut places: Vec<u32> = stored
            .waiting
            .iter()
            .zip(&positions)
            .filter(|(waiter, _)| waiter.requested == choice)
            .map(|(_, (_, place))| *place)
            .collect();
        let sorted = {
            let mut sorted = places.clone();
            sorted.sort_unstable();
            sorted
        };
        assert_eq!(places, sorted, "{choice:?} in order");
        places.dedup();
        assert_eq!(places.len(), sorted.len(), "{choice:?} without a repeat");
    }
}

#[tokio::test]
async fn a_duplicate_is_answered_like_a_first_registration_and_its_confirmation_resent() {
    let (app, _, session) = organizer_with_session().await;
    // The registration limits (which count a duplicate like a new one: tests/it/limits.rs)
    // out of the way of the resend limit this test is about.
    let mut config = (*app.ctx.config).clone();
    config.limits.registrations_per_client_session_hour = 50;
    config.limits.registrations_per_email_day = 50;
    let app = app.with_config(config).await;
    let visitor = app.another_browser();
    visitor.get(&format!("/s/{session}")).await;
    let first = visitor
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Ana", "ana@example.org", "base"),
        )
        .await;
    let other = visitor
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Bo", "bo@example.org", "flyer"),
        )
        .await;
    let twice = visitor
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Someone", "ANA@example.org", "flyer"),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(twice.status, first.status);
    let without = |body: &str, email: &str| body.replace(email, "EMAIL");
    assert_eq!(
        without(&twice.body, "ana@example.org"),
        without(&first.body, "ana@example.org"),
        "the same page for a duplicate"
    );
    assert_eq!(
        without(&other.body, "bo@example.org"),
        without(&first.body, "ana@example.org"),
        "the same page for anyone"
    );
    assert!(first.body.contains("We've emailed"));
    assert!(!twice.body.contains("already registered"));
    let confirmations = app.emails_to("ana@example.org").await;
    assert_eq!(confirmations.len(), 2, "the first and the resent one");
    assert_eq!(
        confirmations[0].link_to("/cancel/"),
        confirmations[1].link_to("/cancel/"),
        "the existing registration's confirmation"
    );
    let (stored, registrations) = state(&app.ctx, &session).await;
    assert_eq!(registrations.len(), 2, "no second registration");
    assert_eq!(stored.confirmed_flyer, 1, "Bo's, not the duplicate's");

    // The resend limit holds: 3 an hour per session and address; past it, the same answer
    // and nothing sent.
    for _ in 0..4 {
        let again = visitor
            .post_form(
                &format!("/s/{session}/register"),
                &registration("Ana", "ana@example.org", "base"),
            )
            .await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(
            without(&again.body, "ana@example.org"),
            without(&first.body, "ana@example.org")
        );
    }
    assert_eq!(
        app.emails_to("ana@example.org").await.len(),
        4,
        "1 + 3 resent"
    );
    app.ctx.clock.advance(SignedDuration::from_hours(1));
    visitor
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Ana", "ana@example.org", "base"),
        )
        .await;
    assert_eq!(
        app.emails_to("ana@example.org").await.len(),
        5,
        "a new hour"
    );
}

#[tokio::test]
async fn turning_the_setting_off_holds_nobody_after_even_from_a_session_read_a_moment_before() {
    let (app, series, session) = organizer_with_session().await;
    confirm_by_email(&app, &series).await;
    // Read (and kept for half a minute by this process) with the setting on.
    register(&app, &session, "Ana", "ana@example.org", "base").await;
    let saved = app
        .post_form(
            &format!("/jams/{series}/edit"),
            "name=Tuesday+Jam&description=Bring+water.&venue=Studio+Nord&address=Nordstra%C3%9Fe+1\
             &cost_kind=donation&capacity_base=1&capacity_flyer=1&weekday=tue&start_time=19%3A00\
             &duration_minutes=120&time_zone=Europe%2FBerlin&visibility=unlisted",
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let posted = app
        .another_browser()
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Ben", "ben@example.org", "flyer"),
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    assert!(
        !posted.body.contains("within 30 minutes"),
        "{}",
        posted.body
    );
    let organizer = crate::public::organizer_principal(&app).await;
    let (_, _, stored) = bookings::of_session(&app.ctx, &organizer, &series, &session)
        .await
        .unwrap();
    let mut held: Vec<_> = stored
        .iter()
        .map(|registration| {
            (
                registration.email.as_str(),
                registration.held_until.is_some(),
            )
        })
        .collect();
    held.sort();
    assert_eq!(
        held,
        [("ana@example.org", true), ("ben@example.org", false)],
        "only the one registered while the setting was on is held"
    );
}
