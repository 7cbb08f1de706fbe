//! The limits on writes that mail someone or guess a password, through the routers:
//! registrations per client and session, per client, per address and per organizer, invites per
//! organizer and wrong passwords per client; each refused with words that say which limit and
//! until when, the form kept, and nothing counted for a refusal.

use axum::http::StatusCode;
use jamie::ids::{SeriesId, SessionId};
use jamie_tests::{TestApp, TestResponse};

use crate::public::{organizer_with_session, registration};

/// A registration of person `n` posted from `browser`.
async fn register(browser: &TestApp, session: &SessionId, n: usize) -> TestResponse {
    browser
        .post_form(
            &format!("/s/{session}/register"),
            &registration(
                &format!("Person {n}"),
                &format!("person{n}@example.org"),
                "either",
            ),
        )
        .await
}

/// The same table served with `change` made to its limits, and the organizer signed in there.
async fn with_limits(app: &TestApp, change: impl FnOnce(&mut jamie::config::Limits)) -> TestApp {
    let mut config = (*app.ctx.config).clone();
    change(&mut config.limits);
    let limited = app.with_config(config).await;
    limited.sign_in("org@example.org", "Olga Organizer").await;
    limited
}

/// Another session of `series`, a week after the first.
pub(crate) async fn second_session(app: &TestApp, series: &SeriesId) -> SessionId {
    let scheduled = app
        .post_form(
            &format!("/jams/{series}/sessions"),
            "date=2027-03-23&start_time=19%3A00&end_time=21%3A00&repeat=once&count=1&capacity_base=1&capacity_flyer=1&note=",
        )
        .await;
    assert_eq!(
        scheduled.status,
        StatusCode::SEE_OTHER,
        "{}",
        scheduled.body
    );
    let sessions = jamie::jams::sessions::of_series(
        &app.ctx,
        &crate::public::organizer_principal(app).await,
        series,
    )
    .await
    .unwrap();
    sessions
        .into_iter()
        .find(|session| session.starts_at.to_string().starts_with("2027-03-23"))
        .unwrap()
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_from_one_client_is_refused_while_another_client_still_registers() {
    let (app, series, session) = organizer_with_session().await;
    let flood = app.another_browser().as_client("203.0.113.7");
    flood.get("/").await;
    // Twelve at once from one address: exactly the limit's five get in, whatever the order.
    let mut racers = tokio::task::JoinSet::new();
    for n in 0..12 {
        let (flood, session) = (flood.clone(), session.clone());
        racers.spawn(async move { register(&flood, &session, n).await });
    }
    let answers = racers.join_all().await;
    let taken = answers
        .iter()
        .filter(|answer| {
            answer.status == StatusCode::OK && answer.body.contains("Check your inbox")
        })
        .count();
    let refused: Vec<_> = answers
        .iter()
        .filter(|answer| answer.status == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert_eq!((taken, refused.len()), (5, 7));
    let page = &refused[0].body;
    assert!(
        page.contains(
            "5 registrations were already sent for this session from your connection this hour"
        ),
        "{page}"
    );
    // 13:00 UTC is 14:00 in Berlin, the session's zone.
    assert!(page.contains("Please try again from 14:00 CET."), "{page}");
    assert!(page.contains("value=\"person"), "what was typed is kept");
    let organizer = crate::public::organizer_principal(&app).await;
    let (_, _, stored) = jamie::bookings::of_session(&app.ctx, &organizer, &series, &session)
        .await
        .unwrap();
    assert_eq!(stored.len(), 5, "a refused registration writes nothing");

    let neighbour = app.another_browser().as_client("198.51.100.2");
    let answer = register(&neighbour, &session, 99).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);

    // The next hour counts afresh.
    app.ctx.clock.advance(jiff::SignedDuration::from_hours(1));
    assert_eq!(register(&flood, &session, 50).await.status, StatusCode::OK);
}

#[tokio::test]
async fn one_client_is_limited_across_sessions_and_one_address_across_the_day() {
    let (app, series, first) = organizer_with_session().await;
    let app = with_limits(&app, |limits| {
        limits.registrations_per_client_hour = 2;
        limits.registrations_per_email_day = 1;
    })
    .await;
    let second = second_session(&app, &series).await;

    let phone = app.another_browser().as_client("203.0.113.7");
    assert_eq!(register(&phone, &first, 1).await.status, StatusCode::OK);
    assert_eq!(register(&phone, &second, 2).await.status, StatusCode::OK);
    let refused = register(&phone, &second, 3).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body.contains(
        "2 registrations were already sent from your connection this hour, the most Jamie takes from one connection for all sessions together."
    ), "{}", refused.body);

    // Person 1's address, from elsewhere, for the other session: the address's day is used up.
    let elsewhere = app.another_browser().as_client("198.51.100.9");
    let again = register(&elsewhere, &second, 1).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        again.body.contains(
            "This email address was already registered once today, the most Jamie takes for one address in a day."
        ),
        "{}",
        again.body
    );
    // Midnight UTC, in Berlin.
    assert!(
        again
            .body
            .contains("Please try again from 01:00 on Thu 11 Mar 2027 CET."),
        "{}",
        again.body
    );
    assert!(again.body.contains("value=\"person1@example.org\""));
}

#[tokio::test]
async fn a_duplicate_counts_in_the_limits_exactly_like_a_new_registration() {
    let (app, series, session) = organizer_with_session().await;
    let phone = app.another_browser().as_client("203.0.113.7");
    assert_eq!(register(&phone, &session, 1).await.status, StatusCode::OK);
    // Two more of the same address: no registration, but counted as new ones would be, so
    // where the 429 starts tells nobody whether an address was registered.
    for _ in 0..2 {
        let duplicate = register(&phone, &session, 1).await;
        assert_eq!(duplicate.status, StatusCode::OK, "{}", duplicate.body);
        assert!(duplicate.body.contains("Check your inbox"));
    }
    let organizer = crate::public::organizer_principal(&app).await;
    let (_, _, stored) = jamie::bookings::of_session(&app.ctx, &organizer, &series, &session)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "a duplicate writes no registration");
    for n in 2..4 {
        assert_eq!(
            register(&phone, &session, n).await.status,
            StatusCode::OK,
            "registration {n}"
        );
    }
    // Five counted: a new address and a registered one are refused alike.
    let new = register(&phone, &session, 4).await;
    let known = register(&phone, &session, 1).await;
    for refused in [&new, &known] {
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(refused.body.contains(
            "5 registrations were already sent for this session from your connection this hour"
        ));
    }
    // A refusal counts for nothing: the next hour starts from zero for both.
    app.ctx.clock.advance(jiff::SignedDuration::from_hours(1));
    assert_eq!(register(&phone, &session, 4).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_organizer_enters_at_most_the_limit_by_hand_in_an_hour() {
    let (app, series, session) = organizer_with_session().await;
    let app = with_limits(&app, |limits| limits.manual_entries_per_organizer_hour = 2).await;
    let path = format!("/jams/{series}/sessions/{session}/registrations");
    for n in 0..2 {
        let added = app
            .post_form(
                &path,
                &format!("name=Walk+In+{n}&email=walk{n}%40example.org&role=base&note="),
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    let refused = app
        .post_form(
            &path,
            "name=Walk+In+Three&email=walk3%40example.org&role=base&note=",
        )
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused.body.contains(
            "You have entered 2 people by hand this hour, the most Jamie takes from one organizer. Please try again from 14:00 CET."
        ),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\"Walk In Three\""),
        "the form is kept"
    );
    // The public form does not count against the organizer.
    let visitor = app.another_browser().as_client("203.0.113.7");
    assert_eq!(register(&visitor, &session, 1).await.status, StatusCode::OK);
}

#[tokio::test]
async fn one_client_guessing_passwords_across_addresses_is_stopped_and_offered_a_link() {
    let (app, _, _) = organizer_with_session().await;
    let app = with_limits(&app, |limits| limits.password_failures_per_client_hour = 3).await;
    let guesser = app.another_browser().as_client("203.0.113.7");
    for who in ["ana", "ben", "cy"] {
        let wrong = guesser
            .post_form(
                "/login/password",
                &format!("email={who}%40example.org&password=guess+guess+guess"),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{who}");
    }
    let stopped = guesser
        .post_form(
            "/login/password",
            "email=org%40example.org&password=guess+guess+guess",
        )
        .await;
    assert_eq!(stopped.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(stopped.body.contains(
        "Too many wrong passwords were tried from your connection this hour. Sign in with an email link instead"
    ), "{}", stopped.body);
    assert!(
        stopped
            .body
            .contains("Password sign-in from here works again from 13:00 UTC."),
        "{}",
        stopped.body
    );
    assert!(stopped.body.contains("A sign-in link by email still works"));
    // The address's own count was not raised by the refused attempt: elsewhere it still has
    // its ten tries, and a wrong one is just wrong.
    let owner = app.another_browser().as_client("198.51.100.2");
    let wrong = owner
        .post_form(
            "/login/password",
            "email=org%40example.org&password=guess+guess+guess",
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    // The offered link is sent.
    let link = guesser
        .post_form("/login", "email=org%40example.org&next=")
        .await;
    assert_eq!(link.status, StatusCode::OK);
    assert!(link.body.contains("Check your inbox"));
}

#[tokio::test]
async fn an_address_typed_by_hand_counts_in_its_day_and_invites_stop_at_twenty_a_day() {
    let (app, series, session) = organizer_with_session().await;
    let app = with_limits(&app, |limits| limits.registrations_per_email_day = 1).await;
    // Registered once from the public page: the organizer cannot have it mailed again today.
    let phone = app.another_browser().as_client("203.0.113.7");
    assert_eq!(register(&phone, &session, 1).await.status, StatusCode::OK);
    let second = second_session(&app, &series).await;
    let refused = app
        .post_form(
            &format!("/jams/{series}/sessions/{second}/registrations"),
            "name=Person+1&email=person1%40example.org&role=base&note=",
        )
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused
            .body
            .contains("This email address was already registered once today"),
        "{}",
        refused.body
    );

    let invites = format!("/jams/{series}/invites");
    for n in 0..jamie::jams::invites::INVITES_PER_ORGANIZER_PER_DAY {
        let sent = app
            .post_form(&invites, &format!("email=helper{n}%40example.org"))
            .await;
        assert_eq!(
            sent.status,
            StatusCode::SEE_OTHER,
            "invite {n}: {}",
            sent.body
        );
    }
    let one_more = app
        .post_form(&invites, "email=one.more%40example.org")
        .await;
    assert!(one_more.status.is_client_error(), "{}", one_more.status);
    assert!(
        one_more.body.contains(
            "You have sent 20 invites today, the most Jamie sends for one organizer in a day."
        ),
        "{}",
        one_more.body
    );
    assert!(
        one_more.body.contains("value=\"one.more@example.org\""),
        "the address is kept"
    );
    assert!(
        app.link_for("one.more@example.org", "/jams/invites/")
            .await
            .is_none()
    );
    // A new UTC day counts afresh.
    app.ctx.clock.advance(jiff::SignedDuration::from_hours(24));
    let next_day = app
        .post_form(&invites, "email=one.more%40example.org")
        .await;
    assert_eq!(next_day.status, StatusCode::SEE_OTHER, "{}", next_day.body);
}
