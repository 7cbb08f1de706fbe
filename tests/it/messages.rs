//! An organizer's message to the people of a session, the Reply-To the owner allows and the
//! second reminder 2 hours before: driven through the pages, read back from what SES received.

use axum::http::StatusCode;
use jamie::{
    ids::{SeriesId, SessionId},
    jobs::{self, Job},
};
use jamie_tests::{TestApp, encode};

use crate::public::{cancel_path, organizer_with_session, register_as};

/// The series form of [`organizer_with_session`]'s series, with `extra` fields added.
fn series_form(extra: &str) -> String {
    format!(
        "name=Tuesday+Jam&description=Bring+water.&venue=Studio+Nord&address=Nordstra%C3%9Fe+1&cost_kind=donation\
         &capacity_base=1&capacity_flyer=1&weekday=tue&start_time=19%3A00&duration_minutes=120\
         &time_zone=Europe%2FBerlin&visibility=unlisted{extra}"
    )
}

async fn save_series(app: &TestApp, series: &SeriesId, extra: &str) {
    let saved = app
        .post_form(&format!("/jams/{series}/edit"), &series_form(extra))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

fn message_path(series: &SeriesId, session: &SessionId) -> String {
    format!("/jams/{series}/sessions/{session}/message")
}

async fn send(
    app: &TestApp,
    series: &SeriesId,
    session: &SessionId,
    audience: &str,
    text: &str,
) -> jamie_tests::TestResponse {
    app.post_form(
        &message_path(series, session),
        &format!("audience={audience}&text={}", encode(text)),
    )
    .await
}

/// The emails `address` received that carry `words`.
async fn with_words(app: &TestApp, address: &str, words: &str) -> usize {
    app.emails_to(address)
        .await
        .iter()
        .filter(|email| email.text.contains(words))
        .count()
}

#[tokio::test]
async fn a_message_reaches_exactly_the_audience_chosen_once_each() {
    let (app, series, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    // One base and one flyer spot: Ana and Cy are confirmed, Ben and Eve waitlisted; Eve leaves.
    register_as(&visitor, &session, "Ana", "ana@example.org", "base").await;
    register_as(&visitor, &session, "Ben", "ben@example.org", "base").await;
    register_as(&visitor, &session, "Cy", "cy@example.org", "flyer").await;
    register_as(&visitor, &session, "Eve", "eve@example.org", "flyer").await;
    let eve_cancel = cancel_path(&app, "eve@example.org").await;
    visitor.post_form(&eve_cancel, "").await;

    let table = app
        .get(&format!("/jams/{series}/sessions/{session}/registrations"))
        .await;
    assert_eq!(table.status, StatusCode::OK);
    assert!(table.body.contains("Message participants"));
    assert!(
        table.body.contains("Everyone confirmed (2)"),
        "{}",
        table.body
    );
    assert!(table.body.contains("Everyone on the waitlist (1)"));

    let mat = "Bring a mat; we start 15 min late.";
    let sent = send(&app, &series, &session, "confirmed", mat).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = app.follow(sent).await;
    assert!(
        page.body.contains("Message sent to 2 people."),
        "{}",
        page.body
    );
    assert!(!page.body.contains(mat), "the form is cleared");

    let mut told = app.told("organizer_message").await;
    told.sort();
    assert_eq!(told, ["ana@example.org", "cy@example.org"]);
    let ana = app.emails_to("ana@example.org").await;
    let message = ana
        .iter()
        .find(|email| email.text.contains(mat))
        .expect("Ana has the message");
    assert!(
        message.subject.contains("Olga Organizer"),
        "{}",
        message.subject
    );
    assert_eq!(with_words(&app, "ben@example.org", mat).await, 0);

    let waiting = "A spot may still open: keep the evening free.";
    let sent = send(&app, &series, &session, "waitlisted", waiting).await;
    assert!(
        app.follow(sent)
            .await
            .body
            .contains("Message sent to 1 person.")
    );
    let everyone = "The door code is 4711.";
    send(&app, &series, &session, "everyone", everyone).await;
    let mut told = app.told("organizer_message").await;
    told.sort();
    assert_eq!(
        told,
        [
            "ana@example.org",
            "ana@example.org",
            "ben@example.org",
            "ben@example.org",
            "cy@example.org",
            "cy@example.org",
        ],
        "each message once to each person it names"
    );
    assert_eq!(with_words(&app, "ben@example.org", waiting).await, 1);
    assert_eq!(with_words(&app, "ana@example.org", waiting).await, 0);
    for address in ["ana@example.org", "ben@example.org", "cy@example.org"] {
        assert_eq!(with_words(&app, address, everyone).await, 1, "{address}");
    }
    // Eve cancelled: she hears nothing of any of them.
    for words in [mat, waiting, everyone] {
        assert_eq!(with_words(&app, "eve@example.org", words).await, 0);
    }
}

#[tokio::test]
async fn the_fourth_message_within_the_hour_and_the_eleventh_of_the_day_are_refused() {
    let (app, series, session) = organizer_with_session().await;
    register_as(
        &app.another_browser(),
        &session,
        "Ana",
        "ana@example.org",
        "base",
    )
    .await;
    // The clock stands at 12:00 UTC, 13:00 in Berlin.
    for n in 1..=3 {
        let sent = send(&app, &series, &session, "confirmed", &format!("Note {n}")).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "message {n}");
    }
    let refused = send(&app, &series, &session, "confirmed", "Note 4, too many").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused
            .body
            .contains("have sent 3 messages this hour, the most Jamie sends."),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("you can send it from 14:00 on Wed 10 Mar 2027"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(">Note 4, too many</textarea>"),
        "the text is kept"
    );

    // An hour later the session may have three more; the organizer ten a day in all.
    for hour in 1..=3 {
        app.ctx.clock.advance(jiff::SignedDuration::from_hours(1));
        let sends = if hour == 3 { 1 } else { 3 };
        for n in 0..sends {
            let sent = send(
                &app,
                &series,
                &session,
                "confirmed",
                &format!("Hour {hour}, {n}"),
            )
            .await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "hour {hour}, {n}");
        }
    }
    let refused = send(&app, &series, &session, "confirmed", "The eleventh").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused.body.contains("You have sent 10 messages today"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("from 01:00 on Thu 11 Mar 2027"),
        "{}",
        refused.body
    );
    assert_eq!(
        app.told("organizer_message").await.len(),
        10,
        "the refused ones were never sent"
    );
}

#[tokio::test]
async fn bad_input_is_shown_beside_its_field_with_what_was_typed() {
    let (app, series, session) = organizer_with_session().await;
    register_as(
        &app.another_browser(),
        &session,
        "Ana",
        "ana@example.org",
        "base",
    )
    .await;
    let empty = send(&app, &series, &session, "confirmed", "   ").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let textarea = &empty.body[empty.body.find(r#"id="field-text""#).unwrap()..];
    assert!(textarea[..textarea.find('>').unwrap()].contains(r#"aria-invalid="true""#));
    let note = empty.body.split(r#"id="field-text-note""#).nth(1).unwrap();
    assert!(note[..note.find("</p>").unwrap()].contains("Write your message"));
    assert!(
        empty.body.contains(r#"action="/jams/"#)
            && empty.body.contains("/message#message-people\""),
        "the answer opens at the form, where the focus goes to the field"
    );

    let long = "a".repeat(1001);
    let too_long = send(&app, &series, &session, "everyone", &long).await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.body.contains("At most 1,000 characters"));
    assert!(too_long.body.contains(&format!(">{long}</textarea>")));
    assert!(
        too_long
            .body
            .contains(r#"<option value="everyone" selected>"#)
    );

    let nobody = send(&app, &series, &session, "waitlisted", "Hello").await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    let note = nobody
        .body
        .split(r#"id="field-audience-note""#)
        .nth(1)
        .unwrap();
    assert!(note[..note.find("</p>").unwrap()].contains("Nobody is on the waitlist"));
    assert!(nobody.body.contains(">Hello</textarea>"));
    assert!(app.told("organizer_message").await.is_empty());
}

#[tokio::test]
async fn only_the_series_organizers_may_message_its_people() {
    let (app, series, session) = organizer_with_session().await;
    register_as(
        &app.another_browser(),
        &session,
        "Ana",
        "ana@example.org",
        "base",
    )
    .await;
    let stranger = app.another_browser();
    stranger.sign_in("other@example.org", "Otto Other").await;
    let refused = send(&stranger, &series, &session, "confirmed", "Spam").await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    let anonymous = app.another_browser();
    let refused = send(&anonymous, &series, &session, "confirmed", "Spam").await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(refused.header("location").starts_with("/login"));
    assert!(app.told("organizer_message").await.is_empty());

    // A cancelled session has no one left to message.
    let cancelled = app
        .post_form(
            &format!("/jams/{series}/sessions/{session}/cancel"),
            "reason=The+hall+is+flooded",
        )
        .await;
    assert_eq!(
        cancelled.status,
        StatusCode::SEE_OTHER,
        "{}",
        cancelled.body
    );
    let table = app
        .get(&format!("/jams/{series}/sessions/{session}/registrations"))
        .await;
    assert!(!table.body.contains("Message participants"));
    let refused = send(&app, &series, &session, "confirmed", "Still on?").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn replies_go_to_the_owner_only_when_the_series_says_so() {
    let (app, series, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    register_as(&visitor, &session, "Ana", "ana@example.org", "base").await;
    let before = app.emails_to("ana@example.org").await;
    assert_eq!(before.len(), 1);
    assert!(before[0].reply_to.is_empty(), "{:?}", before[0].reply_to);

    let form = app.get(&format!("/jams/{series}/edit")).await;
    assert!(form.body.contains(
        "Replies to emails about this series go to the owner's address (<span class=\"break-all\">org@example.org</span>)"
    ));
    save_series(&app, &series, "&replies_to_owner=yes").await;
    let form = app.get(&format!("/jams/{series}/edit")).await;
    let checkbox = &form.body[form.body.find(r#"id="field-replies_to_owner""#).unwrap()..];
    assert!(checkbox[..checkbox.find('>').unwrap()].contains(" checked"));

    register_as(&visitor, &session, "Cy", "cy@example.org", "flyer").await;
    let confirmed = app.emails_to("cy@example.org").await;
    assert_eq!(confirmed[0].reply_to, ["org@example.org"]);
    send(&app, &series, &session, "everyone", "Doors open at 18:45.").await;
    for address in ["ana@example.org", "cy@example.org"] {
        let emails = app.emails_to(address).await;
        let message = emails
            .iter()
            .find(|email| email.text.contains("Doors open at 18:45."))
            .expect("the message");
        assert_eq!(message.reply_to, ["org@example.org"], "{address}");
    }

    save_series(&app, &series, "").await;
    register_as(&visitor, &session, "Ben", "ben@example.org", "base").await;
    let waitlisted = app.emails_to("ben@example.org").await;
    assert!(waitlisted[0].reply_to.is_empty(), "off again");
}

#[tokio::test]
async fn a_series_that_asks_for_it_reminds_people_again_two_hours_before() {
    let (app, series, session) = organizer_with_session().await;
    register_as(
        &app.another_browser(),
        &session,
        "Ana",
        "ana@example.org",
        "base",
    )
    .await;
    // The day before (the session is Tuesday 16 March, 19:00 Berlin, 18:00 UTC).
    app.ctx.clock.set("2027-03-15T17:30:00Z".parse().unwrap());
    jobs::run(&app.ctx, Job::Reminders).await.unwrap();
    assert_eq!(app.told("reminder").await, ["ana@example.org"]);
    // 90 minutes before: no second reminder while the series does not ask for one.
    app.ctx.clock.set("2027-03-16T16:30:00Z".parse().unwrap());
    jobs::run(&app.ctx, Job::Reminders).await.unwrap();
    assert_eq!(
        app.told("reminder").await.len(),
        1,
        "none without the setting"
    );

    save_series(&app, &series, "&remind_two_hours=yes").await;
    let form = app.get(&format!("/jams/{series}/edit")).await;
    assert!(form.body.contains("Also remind people 2 hours before"));
    jobs::run(&app.ctx, Job::Reminders).await.unwrap();
    jobs::run(&app.ctx, Job::Reminders).await.unwrap();
    assert_eq!(
        app.told("reminder").await,
        ["ana@example.org", "ana@example.org"],
        "the day's and the 2 h one, each once"
    );
    let emails = app.emails_to("ana@example.org").await;
    let soon = emails
        .iter()
        .find(|email| email.subject.starts_with("In 2 hours"))
        .expect("the 2 h reminder");
    assert!(soon.text.contains("19:00"), "{}", soon.text);
}
