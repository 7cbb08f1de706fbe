//! Running registrations as organizers and participants do, through the routers: moving people
//! between roles and off the waitlist (with the audit trail), attendance and each person's
//! history in the series, "my registrations", the booking settings of a series, the safety-net
//! sweep, organizers' names and blocked owners on the public pages, and who may do what.

use axum::http::StatusCode;
use jamie::{
    account_changes, accounts,
    authorization::{Actor, Principal},
    bookings::{self, Registration, RegistrationInput, RegistrationStatus},
    ids::{RegistrationId, SeriesId, SessionId},
    jams::{invites, sessions::Session},
    store::{Change, keys},
    values::{DisplayName, Email, Role, RoleChoice},
};
use jamie_tests::TestApp;

use crate::public::{cancel_path, organizer_principal, organizer_with_session, registration};

/// Every registration of the session, in the order they were made.
async fn registrations(app: &TestApp, series: &SeriesId, session: &SessionId) -> Vec<Registration> {
    bookings::of_session(&app.ctx, &organizer_principal(app).await, series, session)
        .await
        .unwrap()
        .2
}

async fn session_item(app: &TestApp, session: &SessionId) -> Session {
    app.ctx
        .store
        .get::<Session>(&keys::session(session))
        .await
        .unwrap()
        .unwrap()
}

/// The registration of `email`.
async fn id_of(
    app: &TestApp,
    series: &SeriesId,
    session: &SessionId,
    email: &str,
) -> RegistrationId {
    registrations(app, series, session)
        .await
        .into_iter()
        .find(|registration| registration.email.as_str() == email)
        .unwrap()
        .id
}

/// Registers `name` on the public page in a fresh browser; returns the result page's body.
async fn register(
    app: &TestApp,
    session: &SessionId,
    name: &str,
    email: &str,
    role: &str,
) -> String {
    let page = crate::public::register_as(&app.another_browser(), session, name, email, role).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body
}

/// Whether `email` was sent a notification of `kind`.
async fn told(app: &TestApp, email: &str, kind: &str) -> bool {
    app.told(kind).await.iter().any(|to| to == email)
}

#[tokio::test]
async fn organizers_move_people_between_roles_and_off_the_waitlist_with_an_audit_trail() {
    let (app, series, session) = organizer_with_session().await;
    register(&app, &session, "Ana", "ana@example.org", "base").await;
    let waiting = register(&app, &session, "Ben", "ben@example.org", "base").await;
    assert!(waiting.contains("waitlist"), "{waiting}");
    register(&app, &session, "Cleo", "cleo@example.org", "flyer").await;
    let base_path = format!("/jams/{series}/sessions/{session}/registrations");
    let table = app.get(&base_path).await;
    assert!(table.body.contains("Confirm as base"), "{}", table.body);

    // Ben, waiting for a base spot, is confirmed over the capacity by the organizer.
    let ben = id_of(&app, &series, &session, "ben@example.org").await;
    let moved = app
        .post_form(&format!("{base_path}/{ben}/move?to=base"), "")
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(moved.header("location"), format!("{base_path}?done=moved"));
    let stored = session_item(&app, &session).await;
    assert_eq!((stored.confirmed_base, stored.waitlisted), (2, 0));
    assert!(stored.waiting.is_empty());
    assert!(told(&app, "ben@example.org", "promoted").await);

    // Ana moves from base to flyer; the audit trail says who did it and what changed.
    let ana = id_of(&app, &series, &session, "ana@example.org").await;
    let moved = app
        .post_form(&format!("{base_path}/{ana}/move?to=flyer&back=detail"), "")
        .await;
    assert_eq!(
        moved.header("location"),
        format!("{base_path}/{ana}?done=moved")
    );
    let stored = session_item(&app, &session).await;
    assert_eq!((stored.confirmed_base, stored.confirmed_flyer), (1, 2));
    assert!(told(&app, "ana@example.org", "role_changed").await);
    let detail = app.get(&format!("{base_path}/{ana}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("Olga Organizer"), "{}", detail.body);
    assert!(detail.body.contains("confirmed as base"));
    assert!(detail.body.contains("confirmed as flyer"));
    let ana_stored = registrations(&app, &series, &session)
        .await
        .into_iter()
        .find(|registration| registration.id == ana)
        .unwrap();
    assert_eq!(ana_stored.moves.len(), 1);
    assert_eq!(ana_stored.role, Some(Role::Flyer));

    // Moving into the role held already, a cancelled registration, or to no role at all.
    let again = app
        .post_form(&format!("{base_path}/{ana}/move?to=flyer"), "")
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("nothing to change"));
    let cleo = id_of(&app, &series, &session, "cleo@example.org").await;
    app.post_form(&format!("{base_path}/{cleo}/cancel"), "")
        .await;
    let cancelled = app
        .post_form(&format!("{base_path}/{cleo}/move?to=base&back=detail"), "")
        .await;
    assert_eq!(cancelled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(cancelled.body.contains("cannot be moved"));
    let nonsense = app
        .post_form(&format!("{base_path}/{ana}/move?to=spotter"), "")
        .await;
    assert_eq!(nonsense.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn attendance_is_marked_after_the_start_and_kept_as_each_persons_history() {
    let (app, series, session) = organizer_with_session().await;
    register(&app, &session, "Ana", "ana@example.org", "base").await;
    register(&app, &session, "Ben", "ben@example.org", "base").await;
    let base_path = format!("/jams/{series}/sessions/{session}/registrations");
    let ana = id_of(&app, &series, &session, "ana@example.org").await;
    let early = app
        .post_form(&format!("{base_path}/{ana}/attendance?mark=attended"), "")
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("once the session has started"));

    // After the start: buttons in the table, marks kept.
    app.ctx.clock.set("2027-03-16T19:30:00Z".parse().unwrap());
    let table = app.get(&base_path).await;
    assert!(table.body.contains("No-show"), "{}", table.body);
    let marked = app
        .post_form(&format!("{base_path}/{ana}/attendance?mark=attended"), "")
        .await;
    assert_eq!(
        marked.header("location"),
        format!("{base_path}?done=marked")
    );
    let ben = id_of(&app, &series, &session, "ben@example.org").await;
    let waiting = app
        .post_form(&format!("{base_path}/{ben}/attendance?mark=attended"), "")
        .await;
    assert_eq!(waiting.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(waiting.body.contains("Only confirmed"));
    let bad = app
        .post_form(&format!("{base_path}/{ana}/attendance?mark=maybe"), "")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // A second session of the series, where Ana does not come: her history shows both.
    app.ctx.clock.set("2027-03-17T12:00:00Z".parse().unwrap());
    let scheduled = app
        .post_form(
            &format!("/jams/{series}/sessions"),
            "date=2027-03-23&start_time=19%3A00&end_time=21%3A00&repeat=once&count=1&capacity_base=1&capacity_flyer=1&note=",
        )
        .await;
    assert_eq!(scheduled.status, StatusCode::SEE_OTHER);
    let second =
        jamie::jams::sessions::of_series(&app.ctx, &organizer_principal(&app).await, &series)
            .await
            .unwrap()
            .into_iter()
            .find(|found| found.id != session)
            .unwrap()
            .id;
    register(&app, &second, "Ana", "ana@example.org", "base").await;
    app.ctx.clock.set("2027-03-23T20:00:00Z".parse().unwrap());
    let ana_again = id_of(&app, &series, &second, "ana@example.org").await;
    let second_path = format!("/jams/{series}/sessions/{second}/registrations");
    app.post_form(
        &format!("{second_path}/{ana_again}/attendance?mark=no_show&back=detail"),
        "",
    )
    .await;
    let detail = app.get(&format!("{second_path}/{ana_again}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(
        detail.body.contains("1 attended · 1 no-show"),
        "{}",
        detail.body
    );
    let export = app
        .get(&format!(
            "/jams/{series}/sessions/{session}/registrations.csv"
        ))
        .await;
    assert!(export.body.contains("attended"));
}

#[tokio::test]
async fn participants_see_and_cancel_their_own_registrations_when_signed_in() {
    let (app, series, session) = organizer_with_session().await;
    register(&app, &session, "Pia", "pia@example.org", "base").await;
    register(&app, &session, "Quinn", "quinn@example.org", "base").await;

    let anonymous = app.another_browser();
    let away = anonymous.get("/my/registrations").await;
    assert_eq!(away.status, StatusCode::SEE_OTHER);
    assert!(away.header("location").starts_with("/login"));

    let pia = app.another_browser();
    pia.sign_in("pia@example.org", "Pia").await;
    let mine = pia.get("/my/registrations").await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.contains("Tuesday Jam"), "{}", mine.body);
    assert!(mine.body.contains("Cancel my place"));
    assert!(!mine.body.contains("quinn@example.org"));

    // Someone else's registration is not hers to cancel.
    let quinn = id_of(&app, &series, &session, "quinn@example.org").await;
    let theirs = pia
        .post_form(&format!("/my/registrations/{session}/{quinn}/cancel"), "")
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);

    let own = id_of(&app, &series, &session, "pia@example.org").await;
    let cancelled = pia
        .post_form(&format!("/my/registrations/{session}/{own}/cancel"), "")
        .await;
    assert_eq!(
        cancelled.header("location"),
        "/my/registrations?done=cancelled"
    );
    let after = registrations(&app, &series, &session).await;
    let status = |id: &RegistrationId| after.iter().find(|r| r.id == *id).unwrap().status;
    assert_eq!(status(&own), RegistrationStatus::Cancelled);
    // Quinn was waiting and got the spot.
    assert_eq!(status(&quinn), RegistrationStatus::Confirmed);
    let twice = pia
        .post_form(&format!("/my/registrations/{session}/{own}/cancel"), "")
        .await;
    assert_eq!(twice.header("location"), "/my/registrations?done=already");
}

#[tokio::test]
async fn series_settings_choose_the_role_either_takes_and_when_registration_closes() {
    let (app, series, session) = organizer_with_session().await;
    let form = app.get(&format!("/jams/{series}/edit")).await;
    assert!(form.body.contains("closes_minutes_before"), "{}", form.body);
    let edit = "name=Tuesday+Jam&description=Bring+water.&venue=Studio+Nord&address=Nordstra%C3%9Fe+1&cost_kind=donation\
                &capacity_base=1&capacity_flyer=1&weekday=tue&start_time=19%3A00&duration_minutes=120\
                &time_zone=Europe%2FBerlin&visibility=unlisted";
    let refused = app
        .post_form(
            &format!("/jams/{series}/edit"),
            &format!("{edit}&either_first=flyer&closes_minutes_before=17"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Choose when registration closes"));
    let saved = app
        .post_form(
            &format!("/jams/{series}/edit"),
            &format!("{edit}&either_first=flyer&closes_minutes_before=1440"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // The existing session follows the series.
    let stored = session_item(&app, &session).await;
    assert_eq!(stored.closes_minutes_before, 1440);

    let either = register(&app, &session, "Eve", "eve@example.org", "either").await;
    assert!(either.contains("flyer"), "{either}");
    let eve = registrations(&app, &series, &session).await;
    assert_eq!(eve[0].role, Some(Role::Flyer));

    // Within the last day before the start, registration is closed.
    app.ctx.clock.set("2027-03-15T19:00:00Z".parse().unwrap());
    let late = app
        .another_browser()
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Lou", "lou@example.org", "base"),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("closed"));
}

#[tokio::test]
async fn the_sweep_puts_counters_and_the_waitlist_right_and_fills_free_spots() {
    let (app, series, session) = organizer_with_session().await;
    register(&app, &session, "Ana", "ana@example.org", "base").await;
    register(&app, &session, "Ben", "ben@example.org", "base").await;
    let clean = bookings::sweep_session(&app.ctx, &session).await.unwrap();
    assert!(!clean.fixed_anything(), "{clean:?}");

    // A hand edit breaks the counters and forgets Ben on the waitlist.
    app.ctx
        .store
        .update_item(
            &keys::session(&session),
            Change::new("SET confirmed_base = :five, waiting = :none, waitlisted = :zero, waitlisted_base = :zero")
                .value(":five", 5)
                .value(":zero", 0)
                .value(
                    ":none",
                    jamie::store::Value::of(&Vec::<jamie::values::Waiter>::new()).unwrap(),
                ),
        )
        .await
        .unwrap();
    let swept = bookings::sweep(&app.ctx, "2027-03-16".parse().unwrap(), 1)
        .await
        .unwrap();
    assert_eq!(swept.examined, 1);
    let fixed = swept.fixed;
    assert_eq!(fixed.len(), 1);
    let (before, after) = fixed[0].counters.clone().unwrap();
    assert_eq!((before.confirmed_base, after.confirmed_base), (5, 1));
    let ben = id_of(&app, &series, &session, "ben@example.org").await;
    assert_eq!(after.waiting, vec![ben.clone()]);
    let stored = session_item(&app, &session).await;
    assert_eq!((stored.confirmed_base, stored.waitlisted_base), (1, 1));

    // A capacity raised by hand (without promoting): the sweep gives Ben the free spot.
    app.ctx
        .store
        .update_item(
            &keys::session(&session),
            Change::new("SET capacity_base = :two").value(":two", 2),
        )
        .await
        .unwrap();
    // The scheduled promotions job runs the sweep over the coming two weeks.
    let report = jamie::jobs::run(&app.ctx, jamie::jobs::Job::Promotions)
        .await
        .unwrap();
    assert_eq!((report.examined, report.changed), (1, 1));
    let after = registrations(&app, &series, &session).await;
    let ben = after.iter().find(|r| r.id == ben).unwrap();
    assert_eq!(ben.status, RegistrationStatus::Confirmed);
    assert!(session_item(&app, &session).await.waiting.is_empty());
    let again = bookings::sweep_session(&app.ctx, &session).await.unwrap();
    assert!(!again.fixed_anything());
}

#[tokio::test]
async fn public_pages_name_the_organizers_and_hide_a_blocked_owners_series() {
    let (app, series, session) = organizer_with_session().await;
    let page = app.another_browser().get(&format!("/s/{session}")).await;
    assert!(page.body.contains("Olga Organizer"));

    // A co-organizer joins and the owner renames herself: the page follows.
    let owner = organizer_principal(&app).await;
    let invited = invites::invite(&app.ctx, &owner, &series, "kim@example.org")
        .await
        .unwrap();
    let kim = accounts::find_or_create(
        &app.ctx,
        &Email::parse("kim@example.org").unwrap(),
        &DisplayName::parse("Kim Co").unwrap(),
    )
    .await
    .unwrap();
    let kim = Principal::User(Box::new(Actor {
        user: kim.into(),
        sign_in: "kim".parse().unwrap(),
    }));
    let token = invited.link.rsplit('/').next().unwrap().to_owned();
    invites::accept(&app.ctx, &kim, &token).await.unwrap();
    account_changes::rename(&app.ctx, &owner, &DisplayName::parse("Olga O.").unwrap())
        .await
        .unwrap();
    let page = app.another_browser().get(&format!("/s/{session}")).await;
    assert!(page.body.contains("Olga O."), "{}", page.body);
    assert!(page.body.contains("Kim Co"));
    assert!(!page.body.contains("Olga Organizer"));

    // The owner is blocked: the series disappears from the public and takes no registration.
    let mut root = accounts::find_or_create(
        &app.ctx,
        &Email::parse("root@example.org").unwrap(),
        &DisplayName::parse("Root").unwrap(),
    )
    .await
    .unwrap();
    root.superadmin = true;
    let root = Principal::User(Box::new(Actor {
        user: root.into(),
        sign_in: "root".parse().unwrap(),
    }));
    let olga = owner.actor().unwrap().user.id.clone();
    account_changes::block(&app.ctx, &root, &olga, "spam")
        .await
        .unwrap();
    let visitor = app.another_browser();
    assert_eq!(
        visitor.get(&format!("/s/{session}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        visitor.get(&format!("/series/{series}")).await.status,
        StatusCode::NOT_FOUND
    );
    let refused = visitor
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Lou", "lou@example.org", "base"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    account_changes::unblock(&app.ctx, &root, &olga)
        .await
        .unwrap();
    assert_eq!(
        visitor.get(&format!("/s/{session}")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn who_may_run_registrations_and_who_may_cancel_one() {
    let (app, series, session) = organizer_with_session().await;
    register(&app, &session, "Ana", "ana@example.org", "base").await;
    let ana = id_of(&app, &series, &session, "ana@example.org").await;
    let base_path = format!("/jams/{series}/sessions/{session}/registrations");
    let owner = organizer_principal(&app).await;

    // A co-organizer runs them like the owner.
    let invited = invites::invite(&app.ctx, &owner, &series, "co@example.org")
        .await
        .unwrap();
    let co = app.another_browser();
    co.sign_in("co@example.org", "Co").await;
    let co_user = accounts::find_by_email(&app.ctx, &Email::parse("co@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    let token = invited.link.rsplit('/').next().unwrap().to_owned();
    invites::accept(
        &app.ctx,
        &Principal::User(Box::new(Actor {
            user: co_user.into(),
            sign_in: "co".parse().unwrap(),
        })),
        &token,
    )
    .await
    .unwrap();
    assert_eq!(co.get(&base_path).await.status, StatusCode::OK);
    assert_eq!(
        co.get(&format!("{base_path}/{ana}")).await.status,
        StatusCode::OK
    );

    // Another organizer (of their own series) may not, whatever the action.
    let other = app.another_browser();
    other.sign_in("other@example.org", "Other").await;
    for path in [
        base_path.clone(),
        format!("{base_path}/{ana}"),
        format!("/jams/{series}/sessions/{session}/registrations.csv"),
        format!("/jams/{series}/sessions/{session}/checkin"),
    ] {
        assert_eq!(
            other.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for action in [
        format!("{base_path}/{ana}/move?to=flyer"),
        format!("{base_path}/{ana}/attendance?mark=attended"),
        format!("{base_path}/{ana}/cancel"),
    ] {
        let refused = other.post_form(&action, "").await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{action}");
    }
    // Nor through a series of their own: the session must belong to the series in the path.
    let theirs = jamie_tests::jam::scheduled(&app.ctx, "other@example.org", 1, 1).await;
    for action in [
        format!(
            "/jams/{}/sessions/{session}/registrations/{ana}/cancel",
            theirs.series
        ),
        format!(
            "/jams/{}/sessions/{session}/registrations/{ana}/move?to=flyer",
            theirs.series
        ),
        format!(
            "/jams/{}/sessions/{session}/registrations/{ana}/attendance?mark=attended",
            theirs.series
        ),
    ] {
        let refused = other.post_form(&action, "").await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{action}");
    }
    assert_eq!(
        registrations(&app, &series, &session).await[0].status,
        RegistrationStatus::Confirmed
    );
    // Anonymous visitors are sent to sign in.
    let anonymous = app.another_browser();
    assert_eq!(
        anonymous.get(&base_path).await.status,
        StatusCode::SEE_OTHER
    );

    // The participant with the link cancels; without it (a wrong secret, another
    // registration's id) nobody does.
    let link = cancel_path(&app, "ana@example.org").await;
    let token = link.trim_start_matches("/cancel/");
    let (prefix, secret) = token.rsplit_once('.').unwrap();
    let wrong_secret = format!("/cancel/{prefix}.{}", "A".repeat(secret.len()));
    assert_eq!(
        anonymous.get(&wrong_secret).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anonymous.post_form(&wrong_secret, "").await.status,
        StatusCode::NOT_FOUND
    );
    let other_id = RegistrationId::generate();
    let wrong_registration = format!("/cancel/{session}.{other_id}.{secret}");
    assert_eq!(
        anonymous.get(&wrong_registration).await.status,
        StatusCode::NOT_FOUND
    );
    let stored = registrations(&app, &series, &session).await;
    assert_eq!(stored[0].status, RegistrationStatus::Confirmed);
    let cancelled = anonymous.post_form(&link, "").await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert!(cancelled.body.contains("cancelled"));
}

/// Registers `name` as a participant would, straight through the domain (the public form's
/// own journey is tested in `public`).
async fn joins(app: &TestApp, session: &SessionId, name: &str, email: &str, role: RoleChoice) {
    let input = RegistrationInput {
        name: name.to_owned(),
        email: Email::parse(email).unwrap(),
        requested: role,
        note: String::new(),
    };
    bookings::register(&app.ctx, session, input, jamie_tests::public_client(0))
        .await
        .unwrap();
}

/// The registration of `email` that is not cancelled.
async fn active(
    app: &TestApp,
    series: &SeriesId,
    session: &SessionId,
    email: &str,
) -> Option<Registration> {
    registrations(app, series, session)
        .await
        .into_iter()
        .find(|r| r.email.as_str() == email && r.status != RegistrationStatus::Cancelled)
}

/// Follows a redirect (the page a browser would show next).
async fn follow(app: &TestApp, response: &jamie_tests::TestResponse) -> String {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let location = response.header("location");
    let path = location.split('#').next().unwrap();
    app.get(path).await.body
}

#[tokio::test]
async fn cancelling_for_someone_asks_first_says_what_happened_and_can_be_undone() {
    let (app, series, session) = organizer_with_session().await;
    joins(&app, &session, "Ana", "ana@example.org", RoleChoice::Base).await;
    joins(&app, &session, "Bo", "bo@example.org", RoleChoice::Base).await;
    joins(&app, &session, "Cy", "cy@example.org", RoleChoice::Flyer).await;
    joins(&app, &session, "Dee", "dee@example.org", RoleChoice::Flyer).await;
    let base_path = format!("/jams/{series}/sessions/{session}/registrations");
    let ana = id_of(&app, &series, &session, "ana@example.org").await;
    let bo = id_of(&app, &series, &session, "bo@example.org").await;

    // The table's "Cancel for them" is a link to a question, not a button that cancels.
    let table = app.get(&base_path).await;
    assert!(
        table
            .body
            .contains(&format!(r#"<a href="{base_path}/{ana}/cancel""#))
    );
    assert!(
        !table
            .body
            .contains(&format!(r#"action="{base_path}/{ana}/cancel""#))
    );
    let asked = app.get(&format!("{base_path}/{ana}/cancel")).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert!(asked.body.contains("Cancel Ana's spot?"), "{}", asked.body);
    assert!(
        asked
            .body
            .contains(r#"Their spot goes to <span class="font-semibold">Bo</span>"#)
    );
    assert!(
        asked.body.contains("Yes, cancel their spot") && asked.body.contains("Keep their spot")
    );
    assert_eq!(
        active(&app, &series, &session, "ana@example.org")
            .await
            .unwrap()
            .status,
        RegistrationStatus::Confirmed,
        "asking cancels nothing"
    );

    // Yes: Ana goes, Bo gets the spot, and the notice says so with a way back.
    let cancelled = app
        .post_form(&format!("{base_path}/{ana}/cancel"), "")
        .await;
    assert_eq!(
        cancelled.header("location"),
        format!("{base_path}?done=cancelled&r={ana}&p={bo}")
    );
    let page = follow(&app, &cancelled).await;
    assert!(
        page.contains(
            "Ana's spot is cancelled. Bo, next on the waitlist, is now confirmed as a base."
        ),
        "{page}"
    );
    assert!(page.contains(&format!(r#"action="{base_path}/{ana}/add-back""#)));

    // A waitlisted person leaves the queue: no spot was freed, nobody got one.
    let dee = id_of(&app, &series, &session, "dee@example.org").await;
    let asked = app.get(&format!("{base_path}/{dee}/cancel")).await;
    assert!(asked.body.contains("Cancel Dee's place on the waitlist?"));
    assert!(asked.body.contains("number 1 on the flyers' waitlist"));
    assert!(!asked.body.contains("Their spot goes to"));
    let cancelled = app
        .post_form(&format!("{base_path}/{dee}/cancel"), "")
        .await;
    let page = follow(&app, &cancelled).await;
    assert!(
        page.contains("Dee is off the waitlist; no spot was freed."),
        "{page}"
    );
    assert!(!page.contains("got the spot") && !page.contains("is now confirmed"));

    // A confirmed flyer with nobody waiting: the spot is free again.
    let cy = id_of(&app, &series, &session, "cy@example.org").await;
    let cancelled = app.post_form(&format!("{base_path}/{cy}/cancel"), "").await;
    let page = follow(&app, &cancelled).await;
    assert!(
        page.contains(
            "Cy's spot is cancelled. Nobody was waiting, so the flyer spot is free again."
        ),
        "{page}"
    );
    let stored = session_item(&app, &session).await;
    assert_eq!(
        (
            stored.confirmed_base,
            stored.confirmed_flyer,
            stored.waitlisted
        ),
        (1, 0, 0)
    );

    // Add them back: by the rules of a manual add, and the notice says where they landed.
    let back = app
        .post_form(&format!("{base_path}/{ana}/add-back"), "")
        .await;
    let page = follow(&app, &back).await;
    assert!(
        page.contains("Ana is added back as number 1 on the bases' waitlist"),
        "Bo holds the only base spot now: {page}"
    );
    let again = active(&app, &series, &session, "ana@example.org")
        .await
        .unwrap();
    assert_eq!(again.status, RegistrationStatus::Waitlisted);
    assert_eq!(
        (again.name.as_str(), again.requested),
        ("Ana", RoleChoice::Base)
    );
    assert!(again.manual);
    let back = app
        .post_form(&format!("{base_path}/{cy}/add-back"), "")
        .await;
    let page = follow(&app, &back).await;
    assert!(
        page.contains("Cy is added back and confirmed as a flyer."),
        "{page}"
    );
    let twice = app
        .post_form(&format!("{base_path}/{cy}/add-back"), "")
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("registered again already"));
    let stored = session_item(&app, &session).await;
    assert_eq!(
        (
            stored.confirmed_base,
            stored.confirmed_flyer,
            stored.waitlisted
        ),
        (1, 1, 1)
    );

    // From the registration's page, the question and the answer come back there.
    let asked = app
        .get(&format!("{base_path}/{bo}/cancel?back=detail"))
        .await;
    assert!(
        asked
            .body
            .contains(&format!(r#"action="{base_path}/{bo}/cancel?back=detail""#))
    );
    assert!(asked.body.contains("Back to Bo"));

    // Nobody else may ask, cancel or add back.
    let other = app.another_browser();
    other.sign_in("other@example.org", "Other").await;
    assert_eq!(
        other.get(&format!("{base_path}/{bo}/cancel")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other
            .post_form(&format!("{base_path}/{dee}/add-back"), "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        active(&app, &series, &session, "dee@example.org")
            .await
            .is_none()
    );
}

#[tokio::test]
async fn adding_someone_speaks_to_the_organizer_and_says_where_they_landed() {
    let (app, series, session) = organizer_with_session().await;
    let path = format!("/jams/{series}/sessions/{session}/registrations");
    let table = app.get(&path).await;
    assert!(table.body.contains(r##"<a href="#add-someone""##));
    assert!(
        table
            .body
            .contains(&format!(r#"action="{path}#add-someone""#))
    );
    assert!(table.body.contains("No one has registered yet."));
    assert!(
        table.body.contains(&format!("/s/{session}")),
        "the public page to share"
    );

    let empty = app.post_form(&path, "name=&email=&role=base&note=").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Enter their name."), "{}", empty.body);
    assert!(empty.body.contains("Enter their email address."));
    assert!(!empty.body.contains("Tell the organizers") && !empty.body.contains("Enter your"));
    assert!(empty.body.contains(r#"id="field-name" name="name""#));
    assert!(
        empty
            .body
            .contains(r#"aria-invalid="true" aria-describedby="field-name-note""#)
    );

    let added = app
        .post_form(&path, "name=Ana&email=ana%40example.org&role=base&note=")
        .await;
    assert!(
        added.header("location").ends_with("#done"),
        "the page opens at the notice, not at the form the address kept"
    );
    let page = follow(&app, &added).await;
    assert!(page.contains("Ana is confirmed as a base."), "{page}");
    assert!(page.contains(r#"<div id="done""#));
    assert!(!page.contains(">Added.<"));
    let added = app
        .post_form(&path, "name=Bo&email=bo%40example.org&role=base&note=")
        .await;
    let page = follow(&app, &added).await;
    assert!(
        page.contains("Bo is number 1 on the bases' waitlist."),
        "{page}"
    );
    let added = app
        .post_form(
            &path,
            "name=Cy&email=cy%40example.org&role=base&note=&override=yes",
        )
        .await;
    let page = follow(&app, &added).await;
    assert!(
        page.contains(
            "Cy is confirmed as a base. Bases are now 2/1, 1 over capacity, as you chose."
        ),
        "{page}"
    );
    assert!(page.contains(r#"<span class="sr-only">— </span>1 over</span>"#));
    let twice = app
        .post_form(&path, "name=Ana&email=ANA%40example.org&role=flyer&note=")
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice
            .body
            .contains("Someone with this address is already registered")
    );
}

#[tokio::test]
async fn attendance_is_ticked_on_the_checkin_list_once_the_session_has_started() {
    let (app, series, session) = organizer_with_session().await;
    joins(&app, &session, "Ana", "ana@example.org", RoleChoice::Base).await;
    joins(&app, &session, "Cy", "cy@example.org", RoleChoice::Either).await;
    let ana = id_of(&app, &series, &session, "ana@example.org").await;
    let list = format!("/jams/{series}/sessions/{session}/checkin");
    let table_path = format!("/jams/{series}/sessions/{session}/registrations");
    let table = app.get(&table_path).await;
    assert!(
        table.body.contains(&format!(r#"href="{list}""#)) && table.body.contains("Check-in list")
    );

    let before = app.get(&list).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(
        before
            .body
            .contains("You can tick people in here from 19:00 on Tue 16 Mar 2027"),
        "{}",
        before.body
    );
    assert!(!before.body.contains("attendance?mark="));
    assert!(before.body.contains(&format!(r#"<a href="{table_path}""#)));
    assert!(before.body.contains("Back to registrations"));
    let early = app
        .post_form(
            &format!("{table_path}/{ana}/attendance?mark=attended&back=checkin"),
            "",
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("once the session has started"));
    assert!(early.body.contains("Check-in list"));

    // At the jam: one control per person, named for them; ticking comes back to their row.
    app.ctx.clock.set("2027-03-16T18:10:00Z".parse().unwrap());
    let open = app.get(&list).await;
    assert!(!open.body.contains("You can tick people in"));
    assert!(open.body.contains(
        r#"<span class="sr-only">Mark </span>Ana<span class="sr-only"> attended</span>"#
    ));
    assert!(
        open.body.contains(
            r#"<span class="sr-only">Mark </span>Cy<span class="sr-only"> attended</span>"#
        )
    );
    let ticked = app
        .post_form(
            &format!("{table_path}/{ana}/attendance?mark=attended&back=checkin"),
            "",
        )
        .await;
    assert_eq!(ticked.header("location"), format!("{list}?r={ana}#p-{ana}"));
    let page = app.get(&format!("{list}?r={ana}")).await.body;
    assert!(
        page.contains(r#"<span class="sr-only">Undo: </span>Ana"#),
        "{page}"
    );
    assert!(page.contains(">Saved</span>") && page.contains(" · 1 here"));

    // The export's Attendance column carries the mark.
    let csv = app.get(&format!("{table_path}.csv")).await.body;
    let row = csv.lines().find(|line| line.starts_with("Ana,")).unwrap();
    assert_eq!(row.split(',').nth(6), Some("attended"), "{csv}");

    // Undo, then a no-show.
    app.post_form(
        &format!("{table_path}/{ana}/attendance?mark=clear&back=checkin"),
        "",
    )
    .await;
    let page = app.get(&list).await.body;
    assert!(page.contains(
        r#"<span class="sr-only">Mark </span>Ana<span class="sr-only"> attended</span>"#
    ));
    app.post_form(
        &format!("{table_path}/{ana}/attendance?mark=no_show&back=checkin"),
        "",
    )
    .await;
    let csv = app.get(&format!("{table_path}.csv")).await.body;
    let row = csv.lines().find(|line| line.starts_with("Ana,")).unwrap();
    assert_eq!(row.split(',').nth(6), Some("no-show"));
}

#[tokio::test]
async fn the_export_follows_the_filters_and_names_the_series_and_the_day() {
    let (app, series, session) = organizer_with_session().await;
    joins(&app, &session, "Ana", "ana@example.org", RoleChoice::Base).await;
    joins(&app, &session, "Bo", "bo@example.org", RoleChoice::Base).await;
    joins(&app, &session, "Cy", "cy@example.org", RoleChoice::Flyer).await;
    let path = format!("/jams/{series}/sessions/{session}/registrations");

    let table = app.get(&format!("{path}?status=waitlisted")).await;
    assert!(table.body.contains(&format!(
        r#"href="{path}.csv?status=waitlisted&amp;role=&amp;q=""#
    )));
    assert!(table.body.contains("Export CSV"));
    assert!(
        table
            .body
            .contains(&format!(r#"href="/jams/{series}/sessions/{session}""#))
    );
    assert!(table.body.contains("Back to session"));

    let names = |csv: &str| -> Vec<String> {
        csv.lines()
            .skip(1)
            .map(|line| line.split(',').next().unwrap().to_owned())
            .collect()
    };
    let waitlisted = app
        .get(&format!("{path}.csv?status=waitlisted&role=&q="))
        .await;
    assert_eq!(waitlisted.status, StatusCode::OK);
    assert_eq!(names(&waitlisted.body), ["Bo"]);
    assert_eq!(
        waitlisted.header(axum::http::header::CONTENT_DISPOSITION),
        r#"attachment; filename="registrations-tuesday-jam-2027-03-16.csv""#
    );
    let searched = app.get(&format!("{path}.csv?status=&role=&q=cy%40")).await;
    assert_eq!(names(&searched.body), ["Cy"]);
    let everyone = app.get(&format!("{path}.csv")).await;
    let mut all = names(&everyone.body);
    all.sort();
    assert_eq!(all, ["Ana", "Bo", "Cy"], "the same clock second: any order");
    // Registered at carries its zone: 12:00 UTC is 13:00 in Berlin in March.
    assert!(
        everyone.body.contains(",2027-03-10T13:00:00+01:00,"),
        "{}",
        everyone.body
    );
}

#[tokio::test]
async fn raising_a_capacity_on_the_session_form_promotes_the_earliest_waiting_and_tells_them() {
    let (app, series, session) = organizer_with_session().await;
    register(&app, &session, "Ana", "ana@example.org", "base").await;
    register(&app, &session, "Ben", "ben@example.org", "base").await;
    register(&app, &session, "Cleo", "cleo@example.org", "base").await;
    assert_eq!(session_item(&app, &session).await.waitlisted, 2);

    let raised = "date=2027-03-16&start_time=19%3A00&end_time=21%3A00&capacity_base=2\
                  &capacity_flyer=1&cost_kind=default&note=";
    let saved = app
        .post_form(&format!("/jams/{series}/sessions/{session}/edit"), raised)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let item = session_item(&app, &session).await;
    assert_eq!(
        (item.capacity_base, item.confirmed_base, item.waitlisted),
        (2, 2, 1)
    );
    let all = registrations(&app, &series, &session).await;
    let status_of = |email: &str| {
        all.iter()
            .find(|registration| registration.email.as_str() == email)
            .map(|registration| registration.status)
    };
    assert_eq!(
        status_of("ben@example.org"),
        Some(RegistrationStatus::Confirmed)
    );
    assert_eq!(
        status_of("cleo@example.org"),
        Some(RegistrationStatus::Waitlisted)
    );
    assert!(told(&app, "ben@example.org", "promoted").await);
    assert!(!told(&app, "cleo@example.org", "promoted").await);
}
