//! Cancelling several registrations at once from the organizer's table: the confirmation that
//! lists them, the counts and promotions, emailing the cancelled or not, and who may do it.

use axum::http::StatusCode;
use jamie::{
    account_changes, accounts,
    authorization::{Actor, Denied, Principal},
    bookings::{self, BatchCancelled, BookingError, Registration, RegistrationStatus},
    ids::{RegistrationId, SeriesId, SessionId},
    jams::invites,
    values::{DisplayName, Email},
};
use jamie_tests::{TestApp, encode};

use crate::public::{organizer_principal, organizer_with_session, registration};

/// The session's registrations as stored.
async fn stored(app: &TestApp, series: &SeriesId, session: &SessionId) -> Vec<Registration> {
    bookings::of_session(&app.ctx, &organizer_principal(app).await, series, session)
        .await
        .unwrap()
        .2
}

/// Registers Ana and Ben (base), Cy (flyer) and Dee (base, waitlisted) on the 1 + 1 session.
async fn four_people(app: &TestApp, session: &SessionId) {
    for (name, role) in [
        ("Ana", "base"),
        ("Ben", "base"),
        ("Cy", "flyer"),
        ("Dee", "base"),
    ] {
        let email = format!("{}@example.org", name.to_lowercase());
        let posted = app
            .another_browser()
            .post_form(
                &format!("/s/{session}/register"),
                &registration(name, &email, role),
            )
            .await;
        assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    }
}

fn id_of(registrations: &[Registration], email: &str) -> RegistrationId {
    registrations
        .iter()
        .find(|registration| registration.email.as_str() == email)
        .unwrap()
        .id
        .clone()
}

fn status_of(registrations: &[Registration], email: &str) -> RegistrationStatus {
    registrations
        .iter()
        .find(|registration| registration.email.as_str() == email)
        .unwrap()
        .status
}

#[tokio::test]
async fn an_organizer_ticks_two_confirms_and_the_waitlist_moves_up() {
    let (app, series, session) = organizer_with_session().await;
    four_people(&app, &session).await;
    let before = stored(&app, &series, &session).await;
    let (ana, cy) = (
        id_of(&before, "ana@example.org"),
        id_of(&before, "cy@example.org"),
    );
    let list = format!("/jams/{series}/sessions/{session}/registrations");
    let table = app.get(&list).await;
    assert!(
        table.body.contains(&format!(
            r#"type="checkbox" name="r" value="{ana}" form="batch-cancel""#
        )),
        "{}",
        table.body
    );
    assert!(table.body.contains("Cancel selected"));
    // Nothing ticked: back to the table, which says what to do.
    let none = app.get(&format!("{list}/cancel-selected")).await;
    assert_eq!(none.status, StatusCode::SEE_OTHER);
    let back = app.follow(none).await;
    assert!(
        back.body
            .contains("No one was ticked. Tick the people to cancel in the table"),
        "{}",
        back.body
    );

    let confirm = app
        .get(&format!("{list}/cancel-selected?r={ana}&r={cy}"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    assert!(confirm.body.contains("Cancel 2 registrations?"));
    assert!(confirm.body.contains("Ana") && confirm.body.contains("cy@example.org"));
    assert!(!confirm.body.contains("dee@example.org"));
    assert!(
        confirm
            .body
            .contains(r#"name="notify" value="yes" checked"#)
    );
    assert_eq!(
        stored(&app, &series, &session)
            .await
            .iter()
            .filter(|r| r.status == RegistrationStatus::Cancelled)
            .count(),
        0,
        "asking cancels nothing"
    );

    let done = app
        .post_form(
            &format!("{list}/cancel-selected"),
            &format!("ids={}&notify=yes", encode(&format!("{ana},{cy}"))),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let notice = app.follow(done).await;
    assert!(
        notice.body.contains(
            "2 registrations are cancelled; each person is told by email. 1 person moved up from the waitlist and is told by email."
        ),
        "{}",
        notice.body
    );
    let after = stored(&app, &series, &session).await;
    assert_eq!(
        status_of(&after, "ana@example.org"),
        RegistrationStatus::Cancelled
    );
    assert_eq!(
        status_of(&after, "cy@example.org"),
        RegistrationStatus::Cancelled
    );
    // Ben was first in line for Ana's base spot; Dee still waits, nobody else moved.
    assert_eq!(
        status_of(&after, "ben@example.org"),
        RegistrationStatus::Confirmed
    );
    assert_eq!(
        status_of(&after, "dee@example.org"),
        RegistrationStatus::Waitlisted
    );
    let mut cancelled = app.told("registration_cancelled").await;
    cancelled.sort();
    assert_eq!(cancelled, ["ana@example.org", "cy@example.org"]);
    assert_eq!(app.told("promoted").await, ["ben@example.org"]);
    // They read who cancelled: not they themselves.
    app.deliver().await;
    let to_ana = app.emails_to("ana@example.org").await;
    let told = to_ana
        .iter()
        .find(|email| email.subject.starts_with("Registration cancelled"))
        .expect("Ana's cancellation email");
    assert!(
        told.text
            .contains("the organizers of Tuesday Jam cancelled your registration"),
        "{}",
        told.text
    );
}

#[tokio::test]
async fn without_the_email_box_only_the_promoted_are_told_and_a_second_press_cancels_nothing() {
    let (app, series, session) = organizer_with_session().await;
    four_people(&app, &session).await;
    let before = stored(&app, &series, &session).await;
    let (ana, dee) = (
        id_of(&before, "ana@example.org"),
        id_of(&before, "dee@example.org"),
    );
    let owner = organizer_principal(&app).await;
    let done = bookings::cancel_batch(
        &app.ctx,
        &owner,
        &series,
        &session,
        &[ana.clone(), dee.clone()],
        false,
    )
    .await
    .unwrap();
    assert_eq!(
        done,
        BatchCancelled {
            cancelled: 2,
            already: 0,
            promoted: 1
        }
    );
    assert!(app.told("registration_cancelled").await.is_empty());
    assert_eq!(app.told("promoted").await, ["ben@example.org"]);

    let list = format!("/jams/{series}/sessions/{session}/registrations");
    let again = app
        .post_form(
            &format!("{list}/cancel-selected"),
            &format!("ids={}", encode(&format!("{ana},{dee}"))),
        )
        .await;
    let notice = app.follow(again).await;
    assert!(
        notice.body.contains(
            "0 registrations are cancelled; nobody was emailed about them. Nobody moved up from the waitlist."
        ),
        "{}",
        notice.body
    );
    let after = stored(&app, &series, &session).await;
    assert_eq!(
        after
            .iter()
            .filter(|r| r.status == RegistrationStatus::Cancelled)
            .count(),
        2
    );
}

/// A signed-in principal for `email` (made if new).
async fn principal(app: &TestApp, email: &str) -> Principal {
    let user = accounts::find_or_create(
        &app.ctx,
        &Email::parse(email).unwrap(),
        &DisplayName::parse("Someone").unwrap(),
    )
    .await
    .unwrap();
    Principal::User(Box::new(Actor {
        user: user.into(),
        sign_in: "test".parse().unwrap(),
    }))
}

#[tokio::test]
async fn only_the_series_organizers_cancel_a_batch_and_only_of_this_session() {
    let (app, series, session) = organizer_with_session().await;
    four_people(&app, &session).await;
    let before = stored(&app, &series, &session).await;
    let ids = |emails: &[&str]| -> Vec<RegistrationId> {
        emails.iter().map(|email| id_of(&before, email)).collect()
    };
    let owner = organizer_principal(&app).await;

    // A co-organizer may.
    let invited = invites::invite(&app.ctx, &owner, &series, "kim@example.org")
        .await
        .unwrap();
    let kim = principal(&app, "kim@example.org").await;
    let token = invited.link.rsplit('/').next().unwrap().to_owned();
    invites::accept(&app.ctx, &kim, &token).await.unwrap();
    let by_kim = bookings::cancel_batch(
        &app.ctx,
        &kim,
        &series,
        &session,
        &ids(&["cy@example.org"]),
        true,
    )
    .await
    .unwrap();
    assert_eq!(by_kim.cancelled, 1);

    // The organizer of another series, a participant, nobody signed in: refused.
    let other = principal(&app, "other@example.org").await;
    let participant = principal(&app, "ben@example.org").await;
    for (who, expected) in [
        (&other, "not found"),
        (&participant, "not found"),
        (&Principal::Anonymous, "sign in"),
    ] {
        let refused = bookings::cancel_batch(
            &app.ctx,
            who,
            &series,
            &session,
            &ids(&["ana@example.org"]),
            true,
        )
        .await;
        match (refused, expected) {
            (Err(BookingError::NotFound), "not found")
            | (Err(BookingError::Denied(Denied::SignInRequired)), "sign in") => {}
            (outcome, _) => panic!("{expected}: {outcome:?}"),
        }
    }

    // A registration of another session in the batch: nothing is cancelled.
    let other_session = crate::limits::second_session(&app, &series).await;
    let elsewhere = app
        .another_browser()
        .post_form(
            &format!("/s/{other_session}/register"),
            &registration("Eve", "eve@example.org", "base"),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::OK);
    let eve = stored(&app, &series, &other_session).await[0].id.clone();
    let mixed = bookings::cancel_batch(
        &app.ctx,
        &owner,
        &series,
        &session,
        &[id_of(&before, "ana@example.org"), eve],
        true,
    )
    .await;
    assert!(matches!(mixed, Err(BookingError::NotFound)), "{mixed:?}");
    // Through the page too: the confirmation is "not found".
    let list = format!("/jams/{series}/sessions/{session}/registrations");
    let page = app
        .get(&format!(
            "{list}/cancel-selected?r={}&r={}",
            id_of(&before, "ana@example.org"),
            stored(&app, &series, &other_session).await[0].id
        ))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // A blocked co-organizer: refused, told why.
    let root = {
        let mut root = accounts::find_or_create(
            &app.ctx,
            &Email::parse("root@example.org").unwrap(),
            &DisplayName::parse("Root").unwrap(),
        )
        .await
        .unwrap();
        root.superadmin = true;
        Principal::User(Box::new(Actor {
            user: root.into(),
            sign_in: "root".parse().unwrap(),
        }))
    };
    let kim_id = kim.actor().unwrap().user.id.clone();
    account_changes::block(&app.ctx, &root, &kim_id, "spam")
        .await
        .unwrap();
    let blocked = principal(&app, "kim@example.org").await;
    let refused = bookings::cancel_batch(
        &app.ctx,
        &blocked,
        &series,
        &session,
        &ids(&["ana@example.org"]),
        true,
    )
    .await;
    assert!(
        matches!(refused, Err(BookingError::Denied(Denied::Blocked))),
        "{refused:?}"
    );

    // Only Cy (by Kim) was ever cancelled.
    let after = stored(&app, &series, &session).await;
    let cancelled: Vec<_> = after
        .iter()
        .filter(|r| r.status == RegistrationStatus::Cancelled)
        .map(|r| r.email.as_str())
        .collect();
    assert_eq!(cancelled, ["cy@example.org"]);
}
