//! Jams through the routers: series (create, edit, archive, delete), sessions (schedule one or
//! many, override, cancel, complete), co-organizer invites in every state, who may do what,
//! the dashboard and the calendar.

use axum::http::StatusCode;
use jamie::{
    Clock, accounts,
    authorization::{Actor, Denied, OrganizerRole, Principal},
    ids::{SeriesId, SessionId},
    jams::{
        dashboard,
        series::{self, Series, SeriesError},
        sessions::{self, Session, SessionStatus},
    },
    store::{Change, Entry, Query, keys},
    values::Email,
};
use jamie_tests::{
    Options, TestApp, TestResponse,
    calls::{CallCounter, describe},
    encode, spawn_app_with,
};
use jiff::{SignedDuration, Timestamp, tz::TimeZone};

/// Wednesday 10 March 2027, noon UTC: two and a half weeks before Europe's clocks go forward.
fn march() -> Timestamp {
    "2027-03-10T12:00:00Z".parse().unwrap()
}

async fn app_at(now: Timestamp) -> TestApp {
    spawn_app_with(Options {
        clock: Clock::fixed(now),
        superadmin_emails: vec!["root@example.org".to_owned()],
        ..Options::default()
    })
    .await
}

/// A complete, valid series form with `overrides` replacing fields.
fn series_form(overrides: &[(&str, &str)]) -> String {
    let mut fields: Vec<(&str, String)> = [
        ("name", "Tuesday Acro Jam"),
        (
            "description",
            "Warm-up at 19:00.\nSee https://example.org/jam for details.",
        ),
        ("venue", "Studio Nord"),
        ("address", "Nordstraße 1, 10115 Berlin"),
        ("latitude", ""),
        ("longitude", ""),
        ("place_id", ""),
        ("cost_kind", "amount"),
        ("cost_amount", "12.50"),
        ("cost_currency", "eur"),
        ("capacity_base", "10"),
        ("capacity_flyer", "8"),
        ("weekday", "tue"),
        ("start_time", "19:00"),
        ("duration_minutes", "120"),
        ("time_zone", "Europe/Berlin"),
        ("level_notes", "All levels."),
        ("visibility", "public"),
    ]
    .into_iter()
    .map(|(name, value)| (name, value.to_owned()))
    .collect();
    for (name, value) in overrides {
        match fields.iter_mut().find(|(field, _)| field == name) {
            Some(field) => field.1 = (*value).to_owned(),
            None => fields.push((name, (*value).to_owned())),
        }
    }
    fields
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The id in a `/jams/{id}…` redirect.
fn series_id_of(response: &TestResponse) -> SeriesId {
    let location = response.header("location");
    let id = location
        .strip_prefix("/jams/")
        .and_then(|rest| rest.split(['?', '/']).next())
        .unwrap_or_else(|| panic!("not a series redirect: {location}"));
    id.parse().unwrap()
}

/// Signs `email` in and creates a series named `name`.
async fn organizer_with_series(app: &TestApp, email: &str, name: &str) -> SeriesId {
    app.sign_in(email, "Organizer").await;
    let created = app
        .post_form("/jams", &series_form(&[("name", name)]))
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    series_id_of(&created)
}

async fn schedule(app: &TestApp, id: &SeriesId, overrides: &[(&str, &str)]) -> TestResponse {
    let mut fields = [
        ("date", "2027-03-16"),
        ("start_time", "19:00"),
        ("end_time", "21:00"),
        ("repeat", "weekly"),
        ("count", "8"),
        ("capacity_base", "10"),
        ("capacity_flyer", "8"),
        ("note", ""),
    ];
    for (name, value) in overrides {
        if let Some(field) = fields.iter_mut().find(|(field, _)| field == name) {
            field.1 = value;
        }
    }
    let form = fields
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    app.post_form(&format!("/jams/{id}/sessions"), &form).await
}

async fn stored_series(app: &TestApp, id: &SeriesId) -> Option<Series> {
    app.ctx
        .store
        .get::<Series>(&keys::series(id))
        .await
        .unwrap()
}

/// The sessions of series `id` as stored, by start time (read from the index, as nobody).
async fn stored_sessions(app: &TestApp, id: &SeriesId) -> Vec<Session> {
    let partition = keys::sessions_of_series_index(id);
    app.ctx
        .store
        .query::<Session>(Query::index("GSI1", &partition))
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn an_organizer_creates_edits_archives_and_deletes_a_series() {
    let app = app_at(march()).await;
    app.sign_in("org@example.org", "Olga").await;
    let empty = app.get("/").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(
        empty.body.contains("/jams/new"),
        "the empty dashboard leads to a first series"
    );

    let form = app.get("/jams/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"name="time_zone""#));
    let created = app.post_form("/jams", &series_form(&[])).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = series_id_of(&created);

    let page = app.get(&format!("/jams/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Tuesday Acro Jam"));
    assert!(page.body.contains("12.50 EUR"));
    assert!(
        page.body.contains(r#"href="https://example.org/jam""#),
        "links in the description are clickable"
    );
    assert!(page.body.contains("https://www.google.com/maps/search/?api=1&amp;query=Studio%20Nord%2C%20Nordstra%C3%9Fe%201%2C%2010115%20Berlin"));
    let series = stored_series(&app, &id).await.unwrap();
    assert_eq!(series.time_zone.as_str(), "Europe/Berlin");
    assert_eq!((series.capacity_base, series.capacity_flyer), (10, 8));
    assert_eq!(series.weekday, Some(2));

    let dashboard = app.get("/").await;
    assert!(dashboard.body.contains("Tuesday Acro Jam"));
    assert!(dashboard.body.contains(&format!("/jams/{id}")));

    let edit = app.get(&format!("/jams/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(
        edit.body.contains("Nordstraße 1, 10115 Berlin"),
        "the form shows what is stored"
    );
    let saved = app
        .post_form(
            &format!("/jams/{id}/edit"),
            &series_form(&[("name", "Thursday Acro Jam"), ("cost_kind", "donation")]),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let series = stored_series(&app, &id).await.unwrap();
    assert_eq!(series.name, "Thursday Acro Jam");
    assert_eq!(series.cost, series::Cost::Donation);

    let archived = app.post_form(&format!("/jams/{id}/archive"), "").await;
    assert_eq!(archived.status, StatusCode::SEE_OTHER);
    assert!(stored_series(&app, &id).await.unwrap().archived);
    app.post_form(&format!("/jams/{id}/unarchive"), "").await;
    assert!(!stored_series(&app, &id).await.unwrap().archived);

    let unconfirmed = app.post_form(&format!("/jams/{id}/delete"), "").await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stored_series(&app, &id).await.is_some());
    schedule(&app, &id, &[]).await;
    let deleted = app
        .post_form(&format!("/jams/{id}/delete"), "confirm=yes")
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    assert!(stored_series(&app, &id).await.is_none());
    assert!(
        stored_sessions(&app, &id).await.is_empty(),
        "its sessions went too"
    );
    assert_eq!(
        app.get(&format!("/jams/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let owner = accounts::find_by_email(&app.ctx, &Email::parse("org@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owner.series_count, 0);
}

#[tokio::test]
async fn the_series_form_puts_each_error_beside_its_field_and_keeps_the_input() {
    let app = app_at(march()).await;
    app.sign_in("org@example.org", "Olga").await;
    let long_name = "n".repeat(101);
    let cases: [(&[(&str, &str)], &str); 15] = [
        (&[("name", "")], "Give the series a name."),
        (&[("name", &long_name)], "At most 100 characters"),
        (&[("capacity_base", "-1")], "A capacity cannot be negative."),
        (&[("capacity_flyer", "lots")], "Enter a whole number."),
        (&[("capacity_flyer", "501")], "At most 500 per role."),
        (
            &[("time_zone", "Mars/Olympus_Mons")],
            "Choose a time zone such as Europe/Berlin.",
        ),
        (
            &[("time_zone", "")],
            "Choose a time zone such as Europe/Berlin.",
        ),
        (&[("start_time", "25:00")], "Enter a time like 19:00."),
        // The issue made the message agree with the form's `max` (720).
        (&[("duration_minutes", "5")], "Between 15 and 720 minutes"),
        (
            &[("duration_minutes", "1000")],
            "Between 15 and 720 minutes",
        ),
        (
            &[("cost_amount", "twelve")],
            "Enter an amount like 10 or 12.50.",
        ),
        (&[("visibility", "secret")], "Choose public or unlisted."),
        (&[("weekday", "funday")], "Choose a weekday."),
        (
            &[("latitude", "123"), ("longitude", "13.4")],
            "Enter decimal degrees",
        ),
        (
            &[("venue", ""), ("address", "")],
            "Enter the venue or its address.",
        ),
    ];
    for (overrides, message) in cases {
        let response = app.post_form("/jams", &series_form(overrides)).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{overrides:?}"
        );
        assert!(response.body.contains(message), "{overrides:?}: {message}");
        assert!(
            response.body.contains(r#"aria-invalid="true""#),
            "{overrides:?}"
        );
        assert!(
            response.body.contains("Warm-up at 19:00."),
            "{overrides:?}: what was typed stays"
        );
    }
    let owner = accounts::find_by_email(&app.ctx, &Email::parse("org@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owner.series_count, 0, "nothing was created");
}

#[tokio::test]
async fn weekly_sessions_stay_at_local_time_across_the_clock_change_and_skip_taken_dates() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "org@example.org", "Tuesday Jam").await;
    let form = app.get(&format!("/jams/{id}/sessions/new")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("2027-03-16"),
        "the next Tuesday is suggested"
    );

    let scheduled = schedule(&app, &id, &[]).await;
    assert_eq!(
        scheduled.status,
        StatusCode::SEE_OTHER,
        "{}",
        scheduled.body
    );
    assert!(
        scheduled
            .header("location")
            .ends_with("done=scheduled&made=8&skipped=0&from=2027-03-16&to=2027-05-04")
    );
    let sessions = stored_sessions(&app, &id).await;
    assert_eq!(sessions.len(), 8);
    let berlin = TimeZone::get("Europe/Berlin").unwrap();
    for session in &sessions {
        let local = session.starts_at.to_zoned_datetime(berlin.clone());
        assert_eq!((local.hour(), local.minute()), (19, 0), "{local}");
        assert_eq!(local.weekday(), jiff::civil::Weekday::Tuesday);
        assert_eq!(
            session.ends_at - session.starts_at,
            SignedDuration::from_hours(2)
        );
    }
    // 19:00 in Berlin is 18:00 UTC before 28 March and 17:00 UTC after it.
    assert_eq!(sessions[0].starts_at.to_string(), "2027-03-16T18:00:00Z");
    assert_eq!(sessions[2].starts_at.to_string(), "2027-03-30T17:00:00Z");

    let again = schedule(&app, &id, &[("count", "10")]).await;
    assert!(
        again
            .header("location")
            .ends_with("done=scheduled&made=2&skipped=8&from=2027-05-11&to=2027-05-18"),
        "{}",
        again.header("location")
    );
    let page = app.get(again.header("location")).await;
    assert!(page.body.contains(
        "Scheduled 2 sessions: Tue 11 May – Tue 18 May. Skipped 8 dates that already had a session."
    ));
    assert_eq!(stored_sessions(&app, &id).await.len(), 10);

    let once = schedule(&app, &id, &[("date", "2027-03-18"), ("repeat", "once")]).await;
    assert!(
        once.header("location")
            .ends_with("done=scheduled&made=1&skipped=0&from=2027-03-18&to=2027-03-18")
    );
    assert_eq!(stored_sessions(&app, &id).await.len(), 11);

    let biweekly = schedule(
        &app,
        &id,
        &[
            ("date", "2027-06-01"),
            ("repeat", "biweekly"),
            ("count", "3"),
        ],
    )
    .await;
    assert!(
        biweekly
            .header("location")
            .ends_with("done=scheduled&made=3&skipped=0&from=2027-06-01&to=2027-06-29")
    );
    let sessions = stored_sessions(&app, &id).await;
    let june: Vec<String> = sessions
        .iter()
        .filter(|session| session.starts_at > "2027-05-31T00:00:00Z".parse().unwrap())
        .map(|session| {
            session
                .starts_at
                .to_zoned_datetime(berlin.clone())
                .date()
                .to_string()
        })
        .collect();
    assert_eq!(june, ["2027-06-01", "2027-06-15", "2027-06-29"]);
}

#[tokio::test]
async fn the_schedule_form_refuses_bad_input_beside_each_field() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "org@example.org", "Tuesday Jam").await;
    let cases: [(&[(&str, &str)], &str); 9] = [
        (&[("date", "2027-03-01")], "That date is in the past."),
        (&[("date", "next tuesday")], "Enter a date like 2026-12-01."),
        (&[("date", "")], "Enter a date like 2026-12-01."),
        (&[("end_time", "18:00")], "The end must be after the start."),
        (
            &[("count", "200")],
            "Schedule between 1 and 52 sessions at once.",
        ),
        (
            &[("count", "0")],
            "Schedule between 1 and 52 sessions at once.",
        ),
        (&[("repeat", "daily")], "Choose how often."),
        (&[("capacity_base", "-3")], "A capacity cannot be negative."),
        (&[("start_time", "")], "Enter a time like 19:00."),
    ];
    for (overrides, message) in cases {
        let response = schedule(&app, &id, overrides).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{overrides:?}"
        );
        assert!(response.body.contains(message), "{overrides:?}: {message}");
    }
    assert!(stored_sessions(&app, &id).await.is_empty());
}

/// Puts a registration item in the shape the bookings write, and counts it on the session.
async fn register_directly(app: &TestApp, session: &SessionId, email: &str, status: &str) {
    let id = jamie::ids::RegistrationId::generate();
    let stored: Session = app
        .ctx
        .store
        .get(&keys::session(session))
        .await
        .unwrap()
        .unwrap();
    let at = app.ctx.clock.now().to_string();
    let item = serde_json::json!({
        "id": id, "session_id": session, "series_id": stored.series_id, "name": email,
        "email": email, "requested": "base", "role": "base", "status": status,
        "starts_at": stored.starts_at.to_string(), "created_at": at,
        "cancel_hash": "0".repeat(64),
    });
    app.ctx
        .store
        .put_item(&Entry::new(keys::registration(session, &id)), &item)
        .await
        .unwrap();
    let counter = match status {
        "confirmed" => "confirmed_base",
        "waitlisted" => "waitlisted",
        _ => return,
    };
    app.ctx
        .store
        .update_item(
            &keys::session(session),
            Change::new(format!("ADD {counter} :one")).value(":one", 1),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_session_is_overridden_cancelled_with_notifications_and_completed() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "org@example.org", "Tuesday Jam").await;
    schedule(&app, &id, &[("count", "3")]).await;
    let sessions = stored_sessions(&app, &id).await;
    let (first, second) = (&sessions[0], &sessions[1]);
    let path = |session: &Session| format!("/jams/{id}/sessions/{}", session.id);

    let page = app.get(&path(first)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Tue 16 Mar 2027"));
    register_directly(&app, &first.id, "ana@example.org", "confirmed").await;
    register_directly(&app, &first.id, "ben@example.org", "waitlisted").await;
    register_directly(&app, &first.id, "cy@example.org", "cancelled").await;

    let edit = "date=2027-03-16&start_time=19%3A30&end_time=21%3A30&capacity_base=6&capacity_flyer=8\
                &cost_kind=amount&cost_amount=15&cost_currency=EUR&venue=Park+Hall&address=Parkweg+2&note=Bring+a+mat";
    let saved = app.post_form(&format!("{}/edit", path(first)), edit).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let edited = app
        .ctx
        .store
        .get::<Session>(&keys::session(&first.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(edited.starts_at.to_string(), "2027-03-16T18:30:00Z");
    assert_eq!(edited.capacity_base, 6);
    assert_eq!(
        edited.cost.as_ref().map(|cost| cost.label()).as_deref(),
        Some("15.00 EUR")
    );
    assert_eq!(
        edited.location.as_ref().map(|l| l.venue.as_str()),
        Some("Park Hall")
    );
    assert_eq!(edited.note, "Bring a mat");
    assert_eq!(
        (edited.confirmed_base, edited.waitlisted),
        (1, 1),
        "counters are untouched"
    );
    let series = stored_series(&app, &id).await.unwrap();
    assert!(edited.is_overridden(&series));
    let changed = app.told("session_changed").await;
    assert_eq!(
        changed.len(),
        2,
        "registered and waitlisted are told, the cancelled one not"
    );
    assert!(
        changed.contains(&"ana@example.org".to_owned())
            && changed.contains(&"ben@example.org".to_owned())
    );

    // Lowering below the confirmed count removes nobody and shows the over-capacity.
    let lowered = edit.replace("capacity_base=6", "capacity_base=0");
    app.post_form(&format!("{}/edit", path(first)), &lowered)
        .await;
    let page = app.get(&path(first)).await;
    let edited = app
        .ctx
        .store
        .get::<Session>(&keys::session(&first.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((edited.capacity_base, edited.confirmed_base), (0, 1));
    assert!(
        page.body.contains("over"),
        "the page shows the over-capacity"
    );

    let bad = app
        .post_form(&format!("{}/edit", path(second)), "date=2027-03-23&start_time=21%3A00&end_time=20%3A00&capacity_base=-1&capacity_flyer=8&cost_kind=default&note=")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("The end must be after the start."));
    assert!(bad.body.contains("A capacity cannot be negative."));

    let no_reason = app
        .post_form(&format!("{}/cancel", path(first)), "reason=+")
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Say why"));
    let cancelled = app
        .post_form(
            &format!("{}/cancel", path(first)),
            "reason=The+hall+is+flooded",
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let stored = app
        .ctx
        .store
        .get::<Session>(&keys::session(&first.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, SessionStatus::Cancelled);
    assert_eq!(stored.cancel_reason.as_deref(), Some("The hall is flooded"));
    let told = app.told("session_cancelled").await;
    assert_eq!(told.len(), 2, "{told:?}");
    let emails = app.emails_to(&told[0]).await;
    assert!(
        emails
            .iter()
            .any(|email| email.text.contains("The hall is flooded")),
        "the reason is in the email"
    );
    let again = app
        .post_form(&format!("{}/cancel", path(first)), "reason=Again")
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("no longer scheduled"));
    let page = app.get(&path(first)).await;
    assert!(page.body.contains("The hall is flooded"));

    let early = app
        .post_form(&format!("{}/complete", path(second)), "")
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("once it has started"));
    app.ctx
        .clock
        .set(second.starts_at + SignedDuration::from_mins(30));
    let completed = app
        .post_form(&format!("{}/complete", path(second)), "")
        .await;
    assert_eq!(completed.status, StatusCode::SEE_OTHER);
    assert!(completed.header("location").ends_with("?done=completed"));
    let stored = app
        .ctx
        .store
        .get::<Session>(&keys::session(&second.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, SessionStatus::Completed);

    let elsewhere = app
        .get(&format!("/jams/{id}/sessions/{}", SessionId::generate()))
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
}

/// The path of the newest invite link mailed to `email`.
async fn invite_path(app: &TestApp, email: &str) -> String {
    let url = app
        .link_for(email, "/jams/invites/")
        .await
        .expect("an invite in the outbox");
    app.path_of(&url)
}

async fn invite(app: &TestApp, id: &SeriesId, email: &str) -> String {
    let invited = app
        .post_form(
            &format!("/jams/{id}/invites"),
            &format!("email={}", encode(email)),
        )
        .await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.body);
    invite_path(app, email).await
}

#[tokio::test]
async fn a_new_user_accepts_an_invite_after_signing_up_and_co_organizes() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    let path = invite(&app, &id, "bea@example.org").await;
    assert!(path.starts_with("/jams/invites/"));
    let owner_page = app.get(&format!("/jams/{id}")).await;
    assert!(
        owner_page.body.contains("bea@example.org"),
        "the owner sees the pending invite"
    );
    assert!(owner_page.body.contains(&path), "with its link to copy");

    let bea = app.another_browser();
    let preview = bea.get(&path).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("Tuesday Jam"));
    let login = format!("/login?next={}", encode(&path));
    assert!(
        preview.body.contains(&login.replace('&', "&amp;")),
        "{}",
        preview.body
    );
    // The sign-in form it leads to comes filled with the invited address.
    let prefilled = bea
        .get(&format!("{login}&email={}", encode("bea@example.org")))
        .await;
    assert!(
        preview
            .body
            .contains(&format!("{login}&amp;email=bea%40example.org")),
        "{}",
        preview.body
    );
    assert!(
        prefilled
            .body
            .contains(r#"id="field-email" name="email" type="email" value="bea@example.org""#)
            || prefilled.body.contains(r#"value="bea@example.org""#),
        "{}",
        prefilled.body
    );
    let accept_anonymously = bea.post_form(&format!("{path}/accept"), "").await;
    assert_eq!(accept_anonymously.status, StatusCode::SEE_OTHER);
    assert_eq!(accept_anonymously.header("location"), login);

    // Sign up by magic link and land back on the invite.
    let requested = bea
        .post_form(
            "/login",
            &format!(
                "email=bea%40example.org&display_name=Bea&next={}",
                encode(&path)
            ),
        )
        .await;
    assert_eq!(requested.status, StatusCode::OK);
    let link = bea.path_of(&bea.magic_link_for("bea@example.org").await.unwrap());
    let landed = bea.post_form(&link, "").await;
    assert_eq!(landed.header("location"), path);
    let accepted = bea.post_form(&format!("{path}/accept"), "").await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(
        accepted.header("location"),
        format!("/jams/{id}?done=joined")
    );

    let bea_user = accounts::find_by_email(&app.ctx, &Email::parse("bea@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    let bea_principal = Principal::User(Box::new(Actor {
        user: bea_user.clone().into(),
        sign_in: "bea".parse().unwrap(),
    }));
    let organized = series::organized_by(&app.ctx, &bea_principal)
        .await
        .unwrap();
    assert_eq!(organized.len(), 1);
    assert_eq!(organized[0].1, OrganizerRole::CoOrganizer);
    assert!(bea.get("/").await.body.contains("Co-organizer"));

    // A co-organizer runs the series but neither deletes it nor manages organizers.
    assert_eq!(
        schedule(&bea, &id, &[("count", "2")]).await.status,
        StatusCode::SEE_OTHER
    );
    let edit = bea
        .post_form(
            &format!("/jams/{id}/edit"),
            &series_form(&[("name", "Bea's Jam")]),
        )
        .await;
    assert_eq!(edit.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bea.post_form(&format!("/jams/{id}/delete"), "confirm=yes")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        bea.post_form(&format!("/jams/{id}/invites"), "email=x%40example.org")
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The link is used up.
    let reused = bea.get(&path).await;
    assert_eq!(
        reused.status,
        StatusCode::CONFLICT,
        "she already organizes it"
    );
    assert!(reused.body.contains(&format!("/jams/{id}")));
    let someone_else = app.another_browser();
    someone_else.sign_in("late@example.org", "Late").await;
    let used = someone_else.get(&path).await;
    assert_eq!(used.status, StatusCode::GONE);
    assert!(used.body.contains("already used"));

    // The owner removes her; she no longer sees the series.
    let removed = app
        .post_form(&format!("/jams/{id}/organizers/{}/remove", bea_user.id), "")
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bea.get(&format!("/jams/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn invites_expire_are_revoked_refuse_tampering_and_can_be_left() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;

    let invalid_email = app
        .post_form(&format!("/jams/{id}/invites"), "email=not-an-address")
        .await;
    assert_eq!(invalid_email.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        invalid_email
            .body
            .contains("Enter an email address like name@example.org.")
    );
    let own = app
        .post_form(&format!("/jams/{id}/invites"), "email=owner%40example.org")
        .await;
    assert!(own.body.contains("already organizes"));

    // Tampered.
    let path = invite(&app, &id, "cy@example.org").await;
    let tampered = format!("{}x", path);
    assert_eq!(
        app.another_browser().get(&tampered).await.status,
        StatusCode::NOT_FOUND
    );
    let duplicate = app
        .post_form(&format!("/jams/{id}/invites"), "email=cy%40example.org")
        .await;
    assert!(duplicate.body.contains("already waiting"));

    // Revoked.
    let invite_id = {
        let page = app.get(&format!("/jams/{id}")).await;
        let end = page.body.find("/revoke").expect("a revoke action");
        let start = page.body[..end].rfind('/').unwrap() + 1;
        page.body[start..end].to_owned()
    };
    let revoked = app
        .post_form(&format!("/jams/{id}/invites/{invite_id}/revoke"), "")
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let cy = app.another_browser();
    let gone = cy.get(&path).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.body.contains("withdrawn"));
    // Withdrawing it again, or an invite that never was, says so (not "accepted").
    for missing in [invite_id.clone(), "nosuchinvite".to_owned()] {
        let again = app
            .post_form(&format!("/jams/{id}/invites/{missing}/revoke"), "")
            .await;
        assert!(
            again.body.contains(
                "There is no such invite to withdraw: it was withdrawn already or never sent."
            ),
            "{}",
            again.body
        );
        assert!(!again.body.contains("already accepted"));
    }

    // Expired after 48 hours.
    let path = invite(&app, &id, "dee@example.org").await;
    let dee = app.another_browser();
    dee.sign_in("dee@example.org", "Dee").await;
    app.ctx.clock.advance(SignedDuration::from_hours(49));
    let expired = dee.get(&path).await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert!(expired.body.contains("expired"));
    assert_eq!(
        dee.post_form(&format!("{path}/accept"), "").await.status,
        StatusCode::GONE
    );

    // A signed-in user accepts at once, and later leaves.
    let path = invite(&app, &id, "eve@example.org").await;
    let eve = app.another_browser();
    eve.sign_in("eve@example.org", "Eve").await;
    let accepted = eve.post_form(&format!("{path}/accept"), "").await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let again = app
        .post_form(&format!("/jams/{id}/invites"), "email=eve%40example.org")
        .await;
    assert!(again.body.contains("already organizes"));
    let left = eve.post_form(&format!("/jams/{id}/leave"), "").await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    assert_eq!(left.header("location"), "/?done=left");
    assert_eq!(
        eve.get(&format!("/jams/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let owner_leaves = app.post_form(&format!("/jams/{id}/leave"), "").await;
    assert_eq!(owner_leaves.status, StatusCode::CONFLICT);
    assert!(
        owner_leaves.body.contains(
            "You own this series, so you cannot leave it. You can archive it, or delete it if no upcoming session has registrations."
        ),
        "{}",
        owner_leaves.body
    );
    assert!(!owner_leaves.body.contains("Only the series"));
    // An accepted invite cannot be withdrawn, and the words say it was accepted.
    let accepted_id = {
        let page = app.get(&format!("/jams/{id}")).await;
        assert!(!page.body.contains("/revoke"), "no pending invites left");
        let pending = jamie::jams::invites::pending(
            &app.ctx,
            &principal_of(&app, "owner@example.org").await,
            &id,
        )
        .await
        .unwrap();
        assert!(pending.is_empty());
        let partition = keys::series(&id).pk;
        let mut query = jamie::store::Query::table(&partition);
        query.prefix = Some("INVITE#");
        app.ctx
            .store
            .query::<jamie::jams::invites::Invite>(query)
            .await
            .unwrap()
            .items
            .into_iter()
            .find(|invite| invite.email.as_str() == "eve@example.org")
            .expect("eve's accepted invite")
            .id
    };
    let revoke_accepted = app
        .post_form(&format!("/jams/{id}/invites/{accepted_id}/revoke"), "")
        .await;
    assert!(
        revoke_accepted
            .body
            .contains("That invite was already accepted"),
        "{}",
        revoke_accepted.body
    );
}

#[tokio::test]
async fn users_racing_for_one_invite_leave_exactly_one_co_organizer() {
    for _round in 0..3 {
        let app = app_at(march()).await;
        let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
        let path = invite(&app, &id, "team@example.org").await;
        // The invited person on four devices, and two others holding the link.
        let mut browsers = Vec::new();
        for n in 0..6 {
            let browser = app.another_browser();
            let email = if n < 4 {
                "team@example.org".to_owned()
            } else {
                format!("racer{n}@example.org")
            };
            browser.sign_in(&email, "Racer").await;
            browsers.push(browser);
        }
        let mut accepts = tokio::task::JoinSet::new();
        for browser in browsers {
            let path = path.clone();
            accepts.spawn(async move {
                browser
                    .post_form(&format!("{path}/accept"), "")
                    .await
                    .status
            });
        }
        let statuses = accepts.join_all().await;
        let winners = statuses
            .iter()
            .filter(|status| **status == StatusCode::SEE_OTHER)
            .count();
        assert_eq!(winners, 1, "{statuses:?}");
        assert_eq!(
            statuses
                .iter()
                .filter(|status| **status == StatusCode::FORBIDDEN)
                .count(),
            2,
            "the other addresses are refused: {statuses:?}"
        );
        assert!(
            statuses.iter().all(|status| [
                StatusCode::SEE_OTHER,
                StatusCode::GONE,
                StatusCode::CONFLICT,
                StatusCode::FORBIDDEN
            ]
            .contains(status)),
            "{statuses:?}"
        );
        let partition = keys::series(&id).pk;
        let mut query = jamie::store::Query::table(&partition);
        query.prefix = Some("ORGANIZER#");
        let organizers = app
            .ctx
            .store
            .query::<serde_json::Value>(query)
            .await
            .unwrap()
            .items;
        assert_eq!(organizers.len(), 2, "the owner and one co-organizer");
    }
}

/// The principal of the user signed up with `email`.
async fn principal_of(app: &TestApp, email: &str) -> Principal {
    let user = accounts::find_by_email(&app.ctx, &Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap();
    Principal::User(Box::new(Actor {
        user: user.into(),
        sign_in: "test".parse().unwrap(),
    }))
}

#[tokio::test]
async fn the_domain_reads_a_series_sessions_and_the_dashboard_only_for_those_who_may_see_them() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    schedule(&app, &id, &[("count", "2")]).await;
    let owner = principal_of(&app, "owner@example.org").await;
    let stranger = app.another_browser();
    stranger.sign_in("stranger@example.org", "Stranger").await;
    let stranger = principal_of(&app, "stranger@example.org").await;

    assert_eq!(
        sessions::of_series(&app.ctx, &owner, &id)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(matches!(
        sessions::of_series(&app.ctx, &stranger, &id).await,
        Err(SeriesError::NotFound)
    ));
    assert!(matches!(
        sessions::of_series(&app.ctx, &Principal::Anonymous, &id).await,
        Err(SeriesError::Denied(Denied::SignInRequired))
    ));

    let cards = dashboard::overview(&app.ctx, &owner).await.unwrap();
    assert_eq!(cards.len(), 1);
    let next = cards[0].next.as_ref().expect("the next session");
    assert_eq!(next.starts_at.to_string(), "2027-03-16T18:00:00Z");
    assert!(
        dashboard::overview(&app.ctx, &stranger)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        dashboard::overview(&app.ctx, &Principal::Anonymous).await,
        Err(SeriesError::Denied(Denied::SignInRequired))
    ));
    assert!(matches!(
        dashboard::organized(&app.ctx, &Principal::Anonymous).await,
        Err(SeriesError::Denied(Denied::SignInRequired))
    ));
}

#[tokio::test]
async fn the_dashboard_and_the_calendar_read_as_often_for_twelve_series_as_for_one() {
    let app = app_at(march()).await;
    let counter = CallCounter::default();
    let counted = app.with_context(counter.context(&app.ctx));
    jamie_tests::jam::scheduled(&app.ctx, "many@example.org", 1, 1).await;
    counted.sign_in("many@example.org", "Many").await;
    let calls = |path: &'static str| {
        let (counted, counter) = (&counted, &counter);
        async move {
            counter.take();
            let page = counted.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            (page.body, counter.take())
        }
    };
    let (one, home_of_one) = calls("/").await;
    assert_eq!(one.matches("Next session").count(), 1, "{one}");
    let (_, calendar_of_one) = calls("/calendar").await;
    for _ in 1..12 {
        jamie_tests::jam::scheduled(&app.ctx, "many@example.org", 1, 1).await;
    }
    let (twelve, home_of_twelve) = calls("/").await;
    assert_eq!(twelve.matches("Next session").count(), 12);
    // Every card shows its next session, a week ahead.
    let per_card = one.matches("Wed 17 Mar").count();
    assert!(per_card >= 1, "{one}");
    assert_eq!(
        twelve.matches("Wed 17 Mar").count(),
        12 * per_card,
        "{twelve}"
    );
    assert_eq!(home_of_twelve, home_of_one, "{}", describe(&home_of_twelve));
    let (_, calendar_of_twelve) = calls("/calendar").await;
    assert_eq!(
        calendar_of_twelve,
        calendar_of_one,
        "{}",
        describe(&calendar_of_twelve)
    );
}

#[tokio::test]
async fn a_series_saved_before_slots_were_kept_shows_its_sessions_and_gets_them_at_the_next_scheduling()
 {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    schedule(&app, &id, &[("count", "1")]).await;
    // As written before the series kept its sessions' slots.
    app.ctx
        .store
        .update_item(&keys::series(&id), Change::new("REMOVE slots"))
        .await
        .unwrap();
    assert_eq!(stored_series(&app, &id).await.unwrap().slots, None);
    let owner = principal_of(&app, "owner@example.org").await;
    let next =
        |cards: Vec<dashboard::Card>| cards[0].next.as_ref().map(|s| s.starts_at.to_string());
    assert_eq!(
        next(dashboard::overview(&app.ctx, &owner).await.unwrap()).as_deref(),
        Some("2027-03-16T18:00:00Z"),
        "read through the index meanwhile"
    );

    schedule(&app, &id, &[("date", "2027-03-23"), ("count", "1")]).await;
    let slots = stored_series(&app, &id).await.unwrap().slots.unwrap();
    assert_eq!(slots.len(), 2, "the older session too: {slots:?}");
    let sessions = stored_sessions(&app, &id).await;
    for session in &sessions {
        assert_eq!(slots[session.id.as_str()].starts_at, session.starts_at);
    }
    assert_eq!(
        next(dashboard::overview(&app.ctx, &owner).await.unwrap()).as_deref(),
        Some("2027-03-16T18:00:00Z")
    );
    // Past the first, the dashboard moves on to the second.
    app.ctx.clock.set("2027-03-16T21:00:00Z".parse().unwrap());
    assert_eq!(
        next(dashboard::overview(&app.ctx, &owner).await.unwrap()).as_deref(),
        Some("2027-03-23T18:00:00Z")
    );
}

#[tokio::test]
async fn only_organizers_see_a_series_and_superadmins_only_look() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    schedule(&app, &id, &[("count", "1")]).await;
    let session = &stored_sessions(&app, &id).await[0];
    let series_path = format!("/jams/{id}");
    let session_path = format!("/jams/{id}/sessions/{}", session.id);

    let anonymous = app.another_browser();
    for path in [&series_path, &session_path, &format!("/jams/{id}/edit")] {
        let response = anonymous.get(path).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert!(response.header("location").starts_with("/login?next="));
    }
    assert_eq!(
        anonymous.get("/calendar").await.status,
        StatusCode::SEE_OTHER
    );

    let stranger = app.another_browser();
    stranger.sign_in("stranger@example.org", "Stranger").await;
    assert_eq!(
        stranger.get(&series_path).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger.get(&session_path).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger
            .post_form(&format!("{session_path}/cancel"), "reason=mine")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger
            .post_form(&format!("/jams/{id}/edit"), &series_form(&[]))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let root = app.another_browser();
    root.sign_in("root@example.org", "Root").await;
    assert_eq!(root.get(&series_path).await.status, StatusCode::OK);
    assert_eq!(root.get(&session_path).await.status, StatusCode::OK);
    assert_eq!(
        root.post_form(&format!("/jams/{id}/archive"), "")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let overview = root.get("/admin/series").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.body.contains("Tuesday Jam") && overview.body.contains("owner@example.org"));
    assert!(overview.body.contains(&series_path));
    assert_eq!(
        stranger.get("/admin/series").await.status,
        StatusCode::FORBIDDEN
    );

    // Blocked: the owner's session dies and the series answers nobody but the login page.
    let owner = accounts::find_by_email(&app.ctx, &Email::parse("owner@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    let blocked = root
        .post_form(&format!("/admin/users/{}/block", owner.id), "reason=spam")
        .await;
    assert_eq!(blocked.status, StatusCode::SEE_OTHER);
    let after = app.get(&series_path).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.header("location").starts_with("/login"));
}

#[tokio::test]
async fn the_dashboard_shows_the_next_session_and_the_calendar_the_month() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    let dashboard = app.get("/").await;
    assert!(dashboard.body.contains("Tuesday Jam"));
    assert!(
        dashboard.body.contains(&format!("/jams/{id}/sessions/new")),
        "no session yet: schedule one"
    );

    schedule(&app, &id, &[("count", "8")]).await;
    let sessions = stored_sessions(&app, &id).await;
    register_directly(&app, &sessions[0].id, "ana@example.org", "confirmed").await;
    let dashboard = app.get("/").await;
    assert!(
        // Six days ahead: the weekday and date, without the year (relative dates, issue 11).
        dashboard.body.contains("Tue 16 Mar, 19:00–21:00"),
        "{}",
        dashboard.body
    );
    assert!(
        dashboard
            .body
            .contains(&format!("/jams/{id}/sessions/{}", sessions[0].id))
    );
    assert!(
        dashboard.body.contains("1/10"),
        "confirmed against capacity"
    );

    // After the first session ended, the next one shows.
    app.ctx.clock.set("2027-03-17T08:00:00Z".parse().unwrap());
    assert!(app.get("/").await.body.contains("Tue 23 Mar, 19:00–21:00"));

    let calendar = app.get("/calendar?month=2027-03").await;
    assert_eq!(calendar.status, StatusCode::OK);
    assert!(calendar.body.contains("March 2027"));
    for session in sessions
        .iter()
        .filter(|s| s.starts_at < "2027-04-01T00:00:00Z".parse().unwrap())
    {
        assert!(
            calendar
                .body
                .contains(&format!("/jams/{id}/sessions/{}", session.id))
        );
    }
    assert!(calendar.body.contains("/calendar?month=2027-02"));
    assert!(calendar.body.contains("/calendar?month=2027-04"));
    let april = app.get("/calendar?month=2027-04").await;
    assert!(april.body.contains("April 2027"));
    assert!(
        april
            .body
            .contains(&format!("/jams/{id}/sessions/{}", sessions[4].id))
    );
    let nonsense = app.get("/calendar?month=soon").await;
    assert_eq!(nonsense.status, StatusCode::OK);
    assert!(
        nonsense.body.contains("March 2027"),
        "falls back to this month"
    );

    // Another organizer sees none of it.
    let other = app.another_browser();
    other.sign_in("other@example.org", "Other").await;
    let theirs = other.get("/calendar?month=2027-03").await;
    assert!(!theirs.body.contains("Tuesday Jam"));
}

#[tokio::test]
async fn with_a_maps_key_the_form_searches_places_and_resolves_the_picked_one() {
    use jamie_tests::places::{ACRO_HALL, PlacesStandIn};
    let stand_in = PlacesStandIn::start().await;
    let plain = app_at(march()).await;
    let mut config = (*plain.ctx.config).clone();
    config.google_maps_api_key = Some(jamie::config::Secret::api_key(stand_in.api_key.clone()));
    config.places_api_url = stand_in.base_url.clone();
    let app = plain.with_config(config).await;
    app.sign_in("org@example.org", "Olga").await;

    let form = app.get("/jams/new").await;
    assert!(
        form.body.contains("/jams/places"),
        "the form offers the search"
    );
    let found = app.get("/jams/places?place_query=acro").await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.body.contains(ACRO_HALL.id) && found.body.contains("Torstraße 1"));

    let created = app
        .post_form(
            "/jams",
            &series_form(&[
                ("venue", ""),
                ("address", "acro"),
                ("place_id", ACRO_HALL.id),
            ]),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let series = stored_series(&app, &series_id_of(&created)).await.unwrap();
    assert_eq!(series.location.venue, "Acro Hall");
    assert_eq!(series.location.address, ACRO_HALL.address);
    assert_eq!(series.location.latitude, Some(ACRO_HALL.latitude));
    assert_eq!(series.location.place_id.as_deref(), Some(ACRO_HALL.id));
    assert!(
        series
            .location
            .maps_url()
            .ends_with("&query_place_id=ChIJ-acro-hall")
    );
    assert!(
        series
            .location
            .maps_url()
            .contains("query=52.5291%2C13.4014")
    );

    let unknown = app
        .post_form("/jams", &series_form(&[("place_id", "ChIJ-nowhere")]))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown
            .body
            .contains("We could not find that place; type the address instead.")
    );

    // Without a key nothing is searched and a stray place id is ignored.
    plain.sign_in("plain@example.org", "Plain").await;
    assert!(!plain.get("/jams/new").await.body.contains("/jams/places"));
    assert_eq!(
        plain.get("/jams/places?place_query=acro").await.status,
        StatusCode::NOT_FOUND
    );
    let typed = plain
        .post_form("/jams", &series_form(&[("place_id", ACRO_HALL.id)]))
        .await;
    let series = stored_series(&plain, &series_id_of(&typed)).await.unwrap();
    assert_eq!(series.location.venue, "Studio Nord");
    assert_eq!(series.location.place_id, None);
    let anonymous = app.another_browser();
    assert_eq!(
        anonymous.get("/jams/places?place_query=acro").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_owner_cannot_delete_their_account_while_sessions_are_coming_up() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    schedule(&app, &id, &[("repeat", "once")]).await;
    let refused = app
        .post_form("/account/delete", "confirm=owner%40example.org")
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("You own series with upcoming sessions.")
    );
    assert!(
        accounts::find_by_email(&app.ctx, &Email::parse("owner@example.org").unwrap())
            .await
            .unwrap()
            .is_some()
    );

    let session = &stored_sessions(&app, &id).await[0];
    app.post_form(
        &format!("/jams/{id}/sessions/{}/cancel", session.id),
        "reason=Moving+away",
    )
    .await;
    let deleted = app
        .post_form("/account/delete", "confirm=owner%40example.org")
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
}

#[tokio::test]
async fn racing_schedules_never_put_two_sessions_on_one_date() {
    for _round in 0..3 {
        let app = app_at(march()).await;
        let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
        let mut racers = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let app = app.clone();
            let id = id.clone();
            racers.spawn(async move { schedule(&app, &id, &[("count", "6")]).await.status });
        }
        let statuses = racers.join_all().await;
        assert!(
            statuses
                .iter()
                .all(|status| *status == StatusCode::SEE_OTHER),
            "{statuses:?}"
        );
        let sessions = stored_sessions(&app, &id).await;
        assert_eq!(sessions.len(), 6, "each of the six dates once");
        let mut dates: Vec<Timestamp> = sessions.iter().map(|session| session.starts_at).collect();
        dates.dedup();
        assert_eq!(dates.len(), 6);
    }
}

#[tokio::test]
async fn a_session_cannot_move_onto_a_date_that_has_one() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    schedule(&app, &id, &[("count", "2")]).await;
    let sessions = stored_sessions(&app, &id).await;
    let onto_the_next = "date=2027-03-23&start_time=10%3A00&end_time=12%3A00&capacity_base=10&capacity_flyer=8&cost_kind=default&note=";
    let clash = app
        .post_form(
            &format!("/jams/{id}/sessions/{}/edit", sessions[0].id),
            onto_the_next,
        )
        .await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        clash
            .body
            .contains("Another session of this series is on that date.")
    );
    let elsewhere = onto_the_next.replace("2027-03-23", "2027-03-24");
    let moved = app
        .post_form(
            &format!("/jams/{id}/sessions/{}/edit", sessions[0].id),
            &elsewhere,
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    // The date it left is free again.
    let back = schedule(&app, &id, &[("repeat", "once")]).await;
    assert!(
        back.header("location")
            .ends_with("done=scheduled&made=1&skipped=0&from=2027-03-16&to=2027-03-16"),
        "{}",
        back.header("location")
    );
}

/// The `href`s of the page's links that start with `prefix`.
fn hrefs<'a>(body: &'a str, prefix: &str) -> Vec<&'a str> {
    body.split("href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap_or(0)])
        .filter(|href| href.starts_with(prefix))
        .collect()
}

#[tokio::test]
async fn from_every_organizer_page_one_click_reaches_the_public_page_and_the_registrations() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    schedule(&app, &id, &[("count", "2")]).await;
    let sessions = stored_sessions(&app, &id).await;
    let first = &sessions[0];
    register_directly(&app, &first.id, "ana@example.org", "confirmed").await;
    register_directly(&app, &first.id, "ben@example.org", "waitlisted").await;
    let manage = format!("/jams/{id}/sessions/{}", first.id);
    let public = format!("/s/{}", first.id);
    let share = format!("{}/s/{}", app.ctx.config.base_url, first.id);
    let registrations = format!("{manage}/registrations");

    // The dashboard: from `/`, the next session's page, registrations and public page.
    let dashboard = app.get("/").await;
    for href in [&manage, &registrations, &public] {
        assert!(
            hrefs(&dashboard.body, href).contains(&href.as_str()),
            "dashboard: no link to {href}"
        );
    }
    assert!(
        dashboard
            .body
            .contains(&format!(r#"data-copy-text="{share}""#))
    );
    assert!(dashboard.body.contains("Registrations<span class=\"sr-only\"> for Tuesday Jam</span><span class=\"font-normal\"> · 1 confirmed, 1 waiting</span>"));
    // …and the series page, from the dashboard.
    assert!(
        hrefs(&dashboard.body, &format!("/jams/{id}")).contains(&format!("/jams/{id}").as_str())
    );

    // The series page: every session row, and the series' own public page.
    let series = app.get(&format!("/jams/{id}")).await;
    for session in &sessions {
        let manage = format!("/jams/{id}/sessions/{}", session.id);
        for href in [
            manage.clone(),
            format!("{manage}/registrations"),
            format!("/s/{}", session.id),
            format!("{manage}/checkin"),
            format!("{manage}/registrations.csv"),
            format!("{manage}/registrations#add-someone"),
        ] {
            assert!(
                hrefs(&series.body, &href).contains(&href.as_str()),
                "series page: no link to {href}"
            );
        }
    }
    assert!(hrefs(&series.body, "/series/").contains(&format!("/series/{id}").as_str()));
    assert!(series.body.contains(&format!(
        r#"value="{}/series/{id}""#,
        app.ctx.config.base_url
    )));

    // The session page: the link to share, copy, public page, registrations and its tools.
    let page = app.get(&manage).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(
        r#"<label for="share-link" class="text-sm font-semibold">Link to share</label>"#
    ));
    assert!(page.body.contains(&format!(
        r#"id="share-link" type="text" readonly value="{share}""#
    )));
    assert!(
        page.body.contains(r#"data-copy-target="share-link""#)
            && page.body.contains(">Copy link</span>")
    );
    for (href, words) in [
        (public.clone(), "Public page</a>"),
        (format!("{manage}/checkin"), "Check-in list</a>"),
        (format!("{manage}/registrations.csv"), "Export CSV</a>"),
        (
            format!("{manage}/registrations#add-someone"),
            "Add someone</a>",
        ),
    ] {
        assert!(
            hrefs(&page.body, &href).contains(&href.as_str()),
            "session page: {href}"
        );
        assert!(page.body.contains(words), "{words}");
    }
    assert!(
        page.body
            .contains("Registrations<span class=\"font-normal\"> · 1 confirmed, 1 waiting</span>")
    );
    // The links lead somewhere real.
    assert_eq!(
        app.another_browser().get(&public).await.status,
        StatusCode::OK
    );
    // (The second session: the first holds hand-made registration items only the counts read.)
    let table = format!("/jams/{id}/sessions/{}/registrations", sessions[1].id);
    assert_eq!(app.get(&table).await.status, StatusCode::OK);

    // The calendar: each session with its counts, registrations and public page.
    let calendar = app.get("/calendar?month=2027-03").await;
    assert!(calendar.body.contains("B 1/10 · F 0/8 · W 1"));
    for href in [&manage, &registrations, &public] {
        assert!(
            hrefs(&calendar.body, href).contains(&href.as_str()),
            "calendar: {href}"
        );
    }
}

#[tokio::test]
async fn the_schedule_form_reports_every_problem_in_one_answer() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "org@example.org", "Tuesday Jam").await;
    // A past date, an end before the start, too many sessions and a bad capacity at once.
    let response = schedule(
        &app,
        &id,
        &[
            ("date", "2027-03-01"),
            ("end_time", "18:00"),
            ("count", "200"),
            ("capacity_flyer", "-2"),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, message) in [
        ("date", "That date is in the past."),
        ("end_time", "The end must be after the start."),
        ("count", "Schedule between 1 and 52 sessions at once."),
        ("capacity_flyer", "A capacity cannot be negative."),
    ] {
        let note = response
            .body
            .split(&format!(r#"id="field-{field}-note""#))
            .nth(1)
            .unwrap_or_else(|| panic!("no note for {field}"));
        assert!(
            note[..note.find("</p>").unwrap()].contains(message),
            "{field}: {message}"
        );
        assert!(response.body.contains(&format!(r#"name="{field}""#)));
    }
    assert_eq!(response.body.matches(r#"aria-invalid="true""#).count(), 4);
    // Too short a session, with a past date, also both at once.
    let response = schedule(&app, &id, &[("date", "2027-03-01"), ("end_time", "19:10")]).await;
    assert!(response.body.contains("That date is in the past."));
    assert!(
        response
            .body
            .contains("A session lasts between 15 minutes and 24 hours.")
    );
    assert!(stored_sessions(&app, &id).await.is_empty());
}

#[tokio::test]
async fn the_series_form_duration_limits_agree_with_the_parser() {
    let app = app_at(march()).await;
    app.sign_in("org@example.org", "Olga").await;
    let form = app.get("/jams/new").await;
    let (min, max) = series::DURATION_MINUTES;
    assert!(form.body.contains(&format!(
        r#"name="duration_minutes" type="number" value="120" class="input w-full" autocomplete="off" min="{min}" max="{max}""#
    )));
    let accepted = app
        .post_form(
            "/jams",
            &series_form(&[("duration_minutes", &max.to_string())]),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let refused = app
        .post_form(
            "/jams",
            &series_form(&[("duration_minutes", &(max + 1).to_string())]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains(&format!("Between {min} and {max} minutes"))
    );
}

#[tokio::test]
async fn the_invite_form_speaks_to_the_organizer_and_brings_its_errors_into_view() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    let page = app.get(&format!("/jams/{id}")).await;
    assert!(
        page.body
            .contains(&format!(r#"action="/jams/{id}/invites#invite""#))
    );
    assert!(page.body.contains(r#"<section id="invite""#));
    assert!(page.body.contains("No co-organizers yet."));
    let empty = app
        .post_form(&format!("/jams/{id}/invites"), "email=")
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Enter their email address."));
    assert!(!empty.body.contains("Enter your email address."));
    assert!(empty.body.contains(r#"name="email" type="email" value="" class="input w-full input-error" autocomplete="email" maxlength="254" required aria-invalid="true""#));
    let sent = app
        .post_form(&format!("/jams/{id}/invites"), "email=bea%40example.org")
        .await;
    let page = app.get(sent.header("location")).await;
    assert!(page.body.contains("Invite emailed. It works for 48 hours"));
}

#[tokio::test]
async fn destructive_actions_ask_first_and_say_what_they_did() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    let series_path = format!("/jams/{id}");

    // Archive: the GET asks, nothing changes until the POST.
    let ask = app.get(&format!("{series_path}/archive")).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.body.contains("Archive “Tuesday Jam”?"));
    assert!(
        ask.body.contains("Everyone&#39;s registrations are kept")
            || ask.body.contains("Everyone's registrations are kept")
    );
    assert!(
        ask.body
            .contains(&format!(r#"action="{series_path}/archive""#))
    );
    assert!(
        ask.body.contains(&format!(r#"href="{series_path}""#)) && ask.body.contains("Keep it open")
    );
    assert!(!stored_series(&app, &id).await.unwrap().archived);
    let done = app.post_form(&format!("{series_path}/archive"), "").await;
    assert!(stored_series(&app, &id).await.unwrap().archived);
    let page = app.get(done.header("location")).await;
    assert!(
        page.body
            .contains("Archived “Tuesday Jam”: participants no longer find it")
    );
    app.post_form(&format!("{series_path}/unarchive"), "").await;

    // Remove a co-organizer and leave: each asks on its own page first.
    let path = invite(&app, &id, "bea@example.org").await;
    let bea = app.another_browser();
    bea.sign_in("bea@example.org", "Bea").await;
    bea.post_form(&format!("{path}/accept"), "").await;
    let leave = bea.get(&format!("{series_path}/leave")).await;
    assert!(leave.body.contains("Leave “Tuesday Jam”?") && leave.body.contains("Leave the series"));
    let owner_page = app.get(&series_path).await;
    let bea_id = accounts::find_by_email(&app.ctx, &Email::parse("bea@example.org").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let remove = format!("{series_path}/organizers/{bea_id}/remove");
    assert!(owner_page.body.contains(&format!(r#"<a href="{remove}""#)));
    let ask = app.get(&remove).await;
    assert!(ask.body.contains("Remove Bea from “Tuesday Jam”?"));
    assert!(ask.body.contains(">Remove Bea</button>"));
    assert!(
        bea.get(&series_path).await.status == StatusCode::OK,
        "still an organizer"
    );
    let removed = app.post_form(&remove, "").await;
    let page = app.get(removed.header("location")).await;
    assert!(
        page.body
            .contains("Co-organizer removed: they no longer see or manage “Tuesday Jam”.")
    );
    assert_ne!(bea.get(&series_path).await.status, StatusCode::OK);

    // Revoke: asks, then withdraws.
    invite(&app, &id, "cy@example.org").await;
    let page = app.get(&series_path).await;
    let revoke = hrefs(&page.body, &format!("{series_path}/invites/"))
        .into_iter()
        .find(|href| href.ends_with("/revoke"))
        .expect("a link to revoke")
        .to_owned();
    let ask = app.get(&revoke).await;
    assert!(ask.body.contains("Withdraw the invite for cy@example.org?"));
    assert!(
        app.get(&series_path).await.body.contains("cy@example.org"),
        "still pending"
    );
    let revoked = app.post_form(&revoke, "").await;
    let page = app.get(revoked.header("location")).await;
    assert!(
        page.body
            .contains("Invite withdrawn: its link no longer works.")
    );

    // Cancel a session: behind a step that says who is told.
    schedule(&app, &id, &[("count", "2")]).await;
    let session = &stored_sessions(&app, &id).await[0];
    let session_path = format!("{series_path}/sessions/{}", session.id);
    let page = app.get(&session_path).await;
    assert!(
        page.body.contains(r#"<details id="cancel""#) && page.body.contains("Cancel this session…")
    );
    assert!(page.body.contains("Nobody is registered yet."));
    let cancelled = app
        .post_form(&format!("{session_path}/cancel"), "reason=Rain")
        .await;
    let page = app.get(cancelled.header("location")).await;
    assert!(
        page.body.contains(
            "Cancelled Tue 16 Mar 2027. Everyone registered is being emailed your reason"
        )
    );

    // Delete: the dashboard says what went.
    let deleted = app
        .post_form(&format!("{series_path}/delete"), "confirm=yes")
        .await;
    assert_eq!(deleted.header("location"), "/?done=deleted-2");
    assert!(
        app.get("/?done=deleted-2")
            .await
            .body
            .contains("Deleted the series and its 2 sessions.")
    );
}

#[tokio::test]
async fn an_unticked_delete_says_so_beside_the_box() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    let refused = app.post_form(&format!("/jams/{id}/delete"), "").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains(r#"aria-invalid="true" aria-describedby="delete-note""#)
    );
    assert!(refused.body.contains("Tick the box to confirm"));
    assert!(stored_series(&app, &id).await.is_some());
}

#[tokio::test]
async fn empty_calendar_months_say_what_to_do() {
    let app = app_at(march()).await;
    app.sign_in("new@example.org", "Nina").await;
    let calendar = app.get("/calendar").await;
    assert!(calendar.body.contains("No sessions this month."));
    assert!(calendar.body.contains("Create your first series"));
}

#[tokio::test]
async fn a_session_change_that_cannot_win_in_time_answers_our_busy_page() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    schedule(&app, &id, &[("repeat", "once")]).await;
    let session = &stored_sessions(&app, &id).await[0];
    // The same signed-in organizer, on a store where a booking always gets there first.
    let mut ctx = jamie_tests::lost_races::LosingEveryRace.context(&app.ctx);
    let mut config = (*ctx.config).clone();
    config.race_deadline = std::time::Duration::from_millis(400);
    ctx.config = config.into();
    let losing = app.with_context(ctx);
    let started = std::time::Instant::now();
    let answer = losing
        .post_form(
            &format!("/jams/{id}/sessions/{}/cancel", session.id),
            "reason=Moving+away",
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        answer.body
    );
    assert!(answer.body.contains("Many people are doing this at once"));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "answered after {:?}",
        started.elapsed()
    );
    let stored = &stored_sessions(&app, &id).await[0];
    assert_eq!(stored.status, SessionStatus::Scheduled, "nothing changed");
}

#[tokio::test]
async fn an_invite_is_only_for_its_address_and_the_wrong_one_is_offered_to_switch() {
    let app = app_at(march()).await;
    let id = organizer_with_series(&app, "owner@example.org", "Tuesday Jam").await;
    let path = invite(&app, &id, "carol@example.org").await;

    let dave = app.another_browser();
    dave.sign_in("dave@example.org", "Dave").await;
    let page = dave.get(&path).await;
    let words = "This invite is for <strong>carol@example.org</strong>; you&#39;re signed in as <strong>dave@example.org</strong>.";
    let words_plain = words.replace("&#39;", "'");
    assert!(
        page.body.contains(words) || page.body.contains(&words_plain),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Accept invite"));
    let refused = dave.post_form(&format!("{path}/accept"), "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains(words) || refused.body.contains(&words_plain));
    assert!(
        refused
            .body
            .contains("Sign out and sign in as carol@example.org")
    );

    // In another letter case the address is the same one.
    let mixed = app.another_browser();
    mixed.sign_in("Carol@Example.org", "Carol").await;
    assert!(mixed.get(&path).await.body.contains("Accept invite"));

    // The switch: signed out, to the sign-in form filled with carol's address and back here.
    let next = {
        let marker = r#"name="next" value=""#;
        let start = refused.body.find(marker).unwrap() + marker.len();
        let end = start + refused.body[start..].find('"').unwrap();
        refused.body[start..end].replace("&amp;", "&")
    };
    let switched = dave
        .post_form("/logout", &format!("next={}", encode(&next)))
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let login = dave.path_of(switched.header("location"));
    assert_eq!(
        login,
        format!("/login?next={}&email=carol%40example.org", encode(&path))
    );
    assert_eq!(
        dave.get("/account").await.status,
        StatusCode::SEE_OTHER,
        "signed out"
    );
    let form = dave.get(&login).await;
    assert!(
        form.body.contains(r#"value="carol@example.org""#),
        "{}",
        form.body
    );
    let requested = dave
        .post_form(
            "/login",
            &format!("email=carol%40example.org&next={}", encode(&path)),
        )
        .await;
    assert_eq!(requested.status, StatusCode::OK);
    let link = dave.path_of(&dave.magic_link_for("carol@example.org").await.unwrap());
    let landed = dave.post_form(&link, "").await;
    assert_eq!(landed.header("location"), path);
    let accepted = dave.post_form(&format!("{path}/accept"), "").await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(
        accepted.header("location"),
        format!("/jams/{id}?done=joined")
    );
}
