//! Delivery tracking: real SES events (the fixtures, in their EventBridge envelope) fed to the
//! `ses-events` handler move the notifications' status, suppress bounced and complaining
//! addresses so that later emails skip them, and show on the organizer's rows and the log.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use axum::http::StatusCode;
use jamie::{
    deliveries::Recorded,
    ids::SessionId,
    outbox::{self, Notification, Status},
    store::keys,
    values::Email,
};
use jamie_tests::TestApp;
use serde_json::{Value, json};

use crate::public::{cancel_path, organizer_with_session, register_as};

/// The fixture `name` of `tests/fixtures/ses/`, made about `notification`: its tag, message id
/// and recipient rewritten to those of the email the test sent.
fn event_about(name: &str, notification: &Notification) -> EventBridgeEvent {
    let path = format!("{}/fixtures/ses/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let mut event: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let address = notification.address().to_owned();
    let mail = &mut event["detail"]["mail"];
    mail["messageId"] = json!(notification.provider_id.clone().expect("a sent email"));
    mail["destination"] = json!([address]);
    mail["tags"]["notification"] = json!([notification.id.as_str()]);
    for list in ["bounce/bouncedRecipients", "complaint/complainedRecipients"] {
        let (object, field) = list.split_once('/').unwrap();
        if let Some(recipients) = event["detail"][object][field].as_array_mut() {
            for recipient in recipients {
                recipient["emailAddress"] = json!(address);
            }
        }
    }
    serde_json::from_value(event).unwrap()
}

async fn feed(app: &TestApp, event: EventBridgeEvent) -> Recorded {
    ses_events::handle(&app.ctx, event).await.unwrap()
}

/// The newest notification of `session` to `address` (after delivering).
async fn latest_to(app: &TestApp, session: &SessionId, address: &str) -> Notification {
    app.deliver().await;
    outbox::of_session(&app.ctx, session)
        .await
        .unwrap()
        .into_iter()
        .filter(|notification| notification.address() == address)
        .max_by_key(|notification| notification.created_at)
        .expect("a notification to them")
}

async fn status_of(app: &TestApp, notification: &Notification) -> (Status, String) {
    let now: Notification = app
        .ctx
        .store
        .get(&keys::notification(&notification.id))
        .await
        .unwrap()
        .unwrap();
    (now.status, now.detail.unwrap_or_default())
}

async fn is_suppressed(app: &TestApp, address: &str) -> bool {
    app.ctx
        .store
        .get::<jamie::notifications::Suppression>(&keys::suppressed(
            &Email::parse(address).unwrap(),
        ))
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn each_ses_event_moves_the_status_as_it_says_and_once() {
    let (app, _series, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    register_as(&visitor, &session, "Ana", "ana@example.org", "base").await;
    register_as(&visitor, &session, "Ben", "ben@example.org", "base").await;
    register_as(&visitor, &session, "Cy", "cy@example.org", "base").await;
    let ana = latest_to(&app, &session, "ana@example.org").await;
    assert_eq!(ana.status, Status::Sent);

    // Delayed, then soft-bounced: still sent, with SES's words.
    feed(&app, event_about("delivery-delay", &ana)).await;
    let (status, detail) = status_of(&app, &ana).await;
    assert_eq!(status, Status::Sent);
    assert!(detail.contains("Unable to connect"), "{detail}");
    feed(&app, event_about("bounce-transient", &ana)).await;
    let (status, detail) = status_of(&app, &ana).await;
    assert_eq!(status, Status::Sent);
    assert!(detail.contains("over quota"), "{detail}");
    assert!(!is_suppressed(&app, "ana@example.org").await);

    // Delivered, once: the same event again changes nothing.
    let first = feed(&app, event_about("delivered", &ana)).await;
    assert!(
        matches!(
            first,
            Recorded::Notification {
                status: Status::Delivered,
                changed: true,
                ..
            }
        ),
        "{first:?}"
    );
    assert_eq!(status_of(&app, &ana).await.0, Status::Delivered);
    let again = feed(&app, event_about("delivered", &ana)).await;
    assert!(
        matches!(again, Recorded::Notification { changed: false, .. }),
        "{again:?}"
    );

    // Rejected and unrenderable emails failed, with the reason.
    let ben = latest_to(&app, &session, "ben@example.org").await;
    feed(&app, event_about("reject", &ben)).await;
    let (status, detail) = status_of(&app, &ben).await;
    assert_eq!(
        (status, detail.as_str()),
        (Status::Failed, "rejected by SES: Bad content")
    );
    let cy = latest_to(&app, &session, "cy@example.org").await;
    feed(&app, event_about("rendering-failure", &cy)).await;
    let (status, detail) = status_of(&app, &cy).await;
    assert_eq!(status, Status::Failed);
    assert!(
        detail.contains("not present in the rendering data"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_hard_bounce_suppresses_the_address_later_emails_skip_it_and_the_organizer_sees_why() {
    let (app, series, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    register_as(&visitor, &session, "Ana", "ana@example.org", "base").await;
    register_as(&visitor, &session, "Ben", "ben@example.org", "base").await;
    let waitlisted = latest_to(&app, &session, "ben@example.org").await;
    assert_eq!(app.emails_to("ben@example.org").await.len(), 1);

    let bounced = feed(&app, event_about("bounce-permanent", &waitlisted)).await;
    let Recorded::Notification {
        status, suppressed, ..
    } = bounced
    else {
        panic!("{bounced:?}")
    };
    assert_eq!(status, Status::Bounced);
    assert_eq!(suppressed, vec![Email::parse("ben@example.org").unwrap()]);
    let (_, detail) = status_of(&app, &waitlisted).await;
    assert!(
        detail.contains("Permanent bounce (General)") && detail.contains("5.1.1"),
        "{detail}"
    );

    // The same bounce again, and a late delivery: nothing moves back.
    let again = feed(&app, event_about("bounce-permanent", &waitlisted)).await;
    assert!(
        matches!(&again, Recorded::Notification { changed: false, suppressed, .. } if suppressed.is_empty()),
        "{again:?}"
    );
    feed(&app, event_about("delivered", &waitlisted)).await;
    assert_eq!(status_of(&app, &waitlisted).await.0, Status::Bounced);

    // Ana cancels; Ben gets her spot, but his promotion email is not sent.
    let cancel = cancel_path(&app, "ana@example.org").await;
    // A minute later, so that its emails are the newest.
    app.ctx.clock.advance(jiff::SignedDuration::from_mins(1));
    visitor.post_form(&cancel, "").await;
    assert_eq!(
        app.emails_to("ben@example.org").await.len(),
        1,
        "no email to a bounced address"
    );
    let promotion = latest_to(&app, &session, "ben@example.org").await;
    assert_eq!(promotion.status, Status::Suppressed);

    let rows = app
        .get(&format!("/jams/{series}/sessions/{session}/registrations"))
        .await;
    assert_eq!(rows.status, StatusCode::OK);
    let ben_row = &rows.body[rows.body.find("ben@example.org").unwrap()..];
    let ben_row = &ben_row[..ben_row.find("</tr>").unwrap()];
    assert!(
        ben_row.contains("Promotion email · not sent — we no longer email this address"),
        "{ben_row}"
    );
    let ana_row = &rows.body[rows.body.find("ana@example.org").unwrap()..];
    assert!(
        ana_row.contains("Cancellation · sent"),
        "Ana's cancellation went out"
    );
}

#[tokio::test]
async fn a_complaint_suppresses_the_address_and_the_next_email_is_not_sent() {
    let (app, series, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    register_as(&visitor, &session, "Ana", "ana@example.org", "base").await;
    let confirmation = latest_to(&app, &session, "ana@example.org").await;
    let cancel = cancel_path(&app, "ana@example.org").await;
    feed(&app, event_about("delivered", &confirmation)).await;
    feed(&app, event_about("complaint", &confirmation)).await;
    let (status, detail) = status_of(&app, &confirmation).await;
    assert_eq!(
        (status, detail.as_str()),
        (Status::Complained, "marked as spam (abuse)")
    );
    assert!(is_suppressed(&app, "ana@example.org").await);

    // A minute later, so that its emails are the newest.
    app.ctx.clock.advance(jiff::SignedDuration::from_mins(1));
    visitor.post_form(&cancel, "").await;
    assert_eq!(
        app.emails_to("ana@example.org").await.len(),
        1,
        "no cancellation email"
    );
    let rows = app
        .get(&format!("/jams/{series}/sessions/{session}/registrations"))
        .await;
    assert!(
        rows.body
            .contains("Cancellation · not sent — we no longer email this address"),
        "{}",
        rows.body
    );
}

#[tokio::test]
async fn events_that_are_not_ours_are_ignored() {
    let (app, _series, session) = organizer_with_session().await;
    register_as(
        &app.another_browser(),
        &session,
        "Ana",
        "ana@example.org",
        "base",
    )
    .await;
    let ana = latest_to(&app, &session, "ana@example.org").await;

    let mut unknown = ana.clone();
    unknown.id = jamie::ids::NotificationId::generate();
    let ignored = feed(&app, event_about("bounce-permanent", &unknown)).await;
    assert_eq!(ignored, Recorded::Ignored("no such notification"));

    let mut other = ana.clone();
    other.provider_id = Some("0100-another-message".to_owned());
    let ignored = feed(&app, event_about("bounce-permanent", &other)).await;
    assert_eq!(
        ignored,
        Recorded::Ignored("another message than the one recorded")
    );

    let mut untagged = event_about("bounce-permanent", &ana);
    untagged.detail["mail"]["tags"]
        .as_object_mut()
        .unwrap()
        .remove("notification");
    assert!(matches!(feed(&app, untagged).await, Recorded::Ignored(_)));

    let mut opened = event_about("delivered", &ana);
    opened.detail_type = "Email Opened".to_owned();
    assert!(matches!(feed(&app, opened).await, Recorded::Ignored(_)));

    assert_eq!(status_of(&app, &ana).await.0, Status::Sent);
    assert!(!is_suppressed(&app, "ana@example.org").await);
}

#[tokio::test]
async fn the_superadmin_reads_the_delivery_log_and_lifts_a_suppression() {
    let (app, _series, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    register_as(&visitor, &session, "Ana", "ana@example.org", "base").await;
    register_as(&visitor, &session, "Ben", "ben@example.org", "base").await;
    let ben = latest_to(&app, &session, "ben@example.org").await;
    feed(&app, event_about("bounce-permanent", &ben)).await;

    let mut config = (*app.ctx.config).clone();
    config.superadmin_emails = vec!["root@example.org".to_owned()];
    let root = app.with_config(config).await;
    root.sign_in("root@example.org", "Root").await;

    // The organizer is no superadmin.
    assert_eq!(
        app.get("/admin/deliveries").await.status,
        StatusCode::FORBIDDEN
    );
    let refused = app
        .post_form(
            "/admin/deliveries/suppressions/lift",
            "email=ben%40example.org",
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let users = root.get("/admin").await;
    assert!(
        users.body.contains(r#"href="/admin/deliveries""#),
        "linked from the admin pages"
    );
    let log = root.get("/admin/deliveries").await;
    assert_eq!(log.status, StatusCode::OK);
    for shown in [
        "ana@example.org",
        "ben@example.org",
        "Confirmation",
        "Waitlist email",
    ] {
        assert!(log.body.contains(shown), "{shown} in the log");
    }
    assert!(
        log.body.contains(ben.provider_id.as_deref().unwrap()),
        "the SES message id"
    );
    assert!(log.body.contains("5.1.1"), "the bounce's words");

    let bounced = root.get("/admin/deliveries?status=bounced").await;
    assert!(bounced.body.contains("ben@example.org"));
    assert!(
        !bounced.body.contains("ana@example.org"),
        "only the bounced email"
    );
    let searched = root.get("/admin/deliveries?q=ana").await;
    assert!(
        searched.body.contains("ana@example.org") && !searched.body.contains("ben@example.org")
    );
    let kind = root.get("/admin/deliveries?kind=waitlisted").await;
    assert!(kind.body.contains("ben@example.org") && !kind.body.contains("ana@example.org"));
    let other_day = root.get("/admin/deliveries?day=2027-03-01").await;
    assert!(other_day.body.contains("No emails on"));

    let check = root.get("/admin/deliveries?email=Ben%40example.org").await;
    assert!(check.body.contains("is suppressed since"), "{}", check.body);
    let lifted = root
        .post_form(
            "/admin/deliveries/suppressions/lift",
            "email=ben%40example.org",
        )
        .await;
    assert_eq!(lifted.status, StatusCode::SEE_OTHER);
    let after = root.follow(lifted).await;
    assert!(
        after.body.contains("is not suppressed: emails go to it."),
        "{}",
        after.body
    );
    assert!(!is_suppressed(&app, "ben@example.org").await);

    // Emails reach Ben again: Ana cancels and his promotion is sent.
    let cancel = cancel_path(&app, "ana@example.org").await;
    // A minute later, so that its emails are the newest.
    app.ctx.clock.advance(jiff::SignedDuration::from_mins(1));
    visitor.post_form(&cancel, "").await;
    assert_eq!(app.emails_to("ben@example.org").await.len(), 2);
}
