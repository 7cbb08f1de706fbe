//! The participant's journeys through the routers: the public session page, registering
//! (confirmed, waitlisted, refused), the private cancel link with promotion, the public series
//! page; and the organizer's registration table, manual entry, export and check-in list.

use axum::http::{StatusCode, header};
use jamie::{
    Clock,
    ids::{SeriesId, SessionId},
    jams::sessions::{self, Session},
    store::keys,
};
use jamie_tests::{
    Options, TestApp, TestResponse, encode, lost_races::LosingEveryRace, spawn_app_with,
};
use jiff::SignedDuration;

/// An organizer's app (signed in) with a series of 1 base + 1 flyer place and one session on
/// Tuesday 16 March 2027, 19:00 Berlin; the clock is the Wednesday before.
pub(crate) async fn organizer_with_session() -> (TestApp, SeriesId, SessionId) {
    let app = spawn_app_with(Options {
        clock: Clock::fixed("2027-03-10T12:00:00Z".parse().unwrap()),
        ..Options::default()
    })
    .await;
    app.sign_in("org@example.org", "Olga Organizer").await;
    let created = app
        .post_form(
            "/jams",
            "name=Tuesday+Jam&description=Bring+water.&venue=Studio+Nord&address=Nordstra%C3%9Fe+1&cost_kind=donation\
             &capacity_base=1&capacity_flyer=1&weekday=tue&start_time=19%3A00&duration_minutes=120\
             &time_zone=Europe%2FBerlin&visibility=unlisted",
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let series: SeriesId = created.header("location")["/jams/".len()..]
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let scheduled = app
        .post_form(
            &format!("/jams/{series}/sessions"),
            "date=2027-03-16&start_time=19%3A00&end_time=21%3A00&repeat=once&count=1&capacity_base=1&capacity_flyer=1&note=",
        )
        .await;
    assert_eq!(scheduled.status, StatusCode::SEE_OTHER);
    let session = sessions::of_series(&app.ctx, &organizer_principal(&app).await, &series)
        .await
        .unwrap()[0]
        .id
        .clone();
    (app, series, session)
}

pub(crate) fn registration(name: &str, email: &str, role: &str) -> String {
    format!(
        "name={}&email={}&role={role}&note=&consent=yes",
        encode(name),
        encode(email)
    )
}

/// The private result page of the registration whose answer is `posted`: the answer is
/// "Check your inbox" (200, never cached), and the page is reached from the emailed cancel
/// link (`/cancel/{session}.{rest}` → `/s/{session}/registered/{rest}`).
pub(crate) async fn result_path(
    app: &TestApp,
    posted: &TestResponse,
    session: &SessionId,
    email: &str,
) -> String {
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    assert!(posted.body.contains("Check your inbox"), "{}", posted.body);
    assert_eq!(posted.header(header::CACHE_CONTROL), "no-store, private");
    let emails = app.emails_to(email).await;
    let link = emails
        .iter()
        .find_map(|email| email.link_to("/cancel/"))
        .expect("a confirmation with its cancel link");
    let token = app.path_of(link);
    let (_, rest) = token
        .strip_prefix("/cancel/")
        .and_then(|token| token.split_once('.'))
        .expect("a cancel link's token");
    format!("/s/{session}/registered/{rest}")
}

/// Registers through the form and opens the result page from the email, as a person does.
pub(crate) async fn register_as(
    browser: &TestApp,
    session: &SessionId,
    name: &str,
    email: &str,
    role: &str,
) -> TestResponse {
    let posted = browser
        .post_form(
            &format!("/s/{session}/register"),
            &registration(name, email, role),
        )
        .await;
    let path = result_path(browser, &posted, session, email).await;
    browser.get(&path).await
}

/// The private cancel link emailed to `email`, as a path.
pub(crate) async fn cancel_path(app: &TestApp, email: &str) -> String {
    let url = app
        .link_for(email, "/cancel/")
        .await
        .expect("an email with the cancel link");
    app.path_of(&url)
}

#[tokio::test]
async fn a_participant_registers_is_waitlisted_cancels_and_the_next_one_is_promoted() {
    let (app, series, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    let page = visitor.get(&format!("/s/{session}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Tuesday Jam"));
    assert!(page.body.contains("Tue 16 Mar 2027"));
    assert!(
        page.body.contains("Olga Organizer"),
        "organizer names are shown"
    );
    assert!(page.body.contains(r#"property="og:title""#));
    assert!(page.body.contains(r#"name="twitter:card""#));
    assert!(page.body.contains("maps/search"));

    let posted = visitor
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Ana", "ana@example.org", "base"),
        )
        .await;
    let ana_result = result_path(&visitor, &posted, &session, "ana@example.org").await;
    let ana = visitor.get(&ana_result).await;
    assert_eq!(ana.status, StatusCode::OK, "{}", ana.body);
    assert!(
        ana.body.contains("/cancel/"),
        "the result page carries the cancel link"
    );
    let ben = register_as(
        &app.another_browser(),
        &session,
        "Ben",
        "ben@example.org",
        "either",
    )
    .await;
    assert_eq!(ben.status, StatusCode::OK);
    let cy_browser = app.another_browser();
    let posted = cy_browser
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Cy", "cy@example.org", "base"),
        )
        .await;
    let cy_result = result_path(&cy_browser, &posted, &session, "cy@example.org").await;
    let cy = cy_browser.get(&cy_result).await;
    assert_eq!(cy.status, StatusCode::OK);
    // The result page's own heading: "waitlist" alone is in every page's description.
    assert!(cy.body.contains("You're on the waitlist"), "{}", cy.body);
    assert!(
        cy.body.contains("number 1 in the queue for bases"),
        "{}",
        cy.body
    );
    assert!(cy.body.contains("This link takes you off the waitlist."));
    assert!(!cy.body.contains("cancel your spot"), "Cy holds no spot");

    // The result page is the same on every reload, from any browser with its address.
    let again = app.another_browser().get(&ana_result).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(
        again.body.contains("Confirmed as a base for"),
        "{}",
        again.body
    );
    assert!(again.body.contains("Cancel my registration</a>"));
    assert!(again.body.contains(r#"href="/cancel/"#));
    assert_eq!(again.header(header::CACHE_CONTROL), "no-store, private");
    assert_eq!(again.header(header::REFERRER_POLICY), "no-referrer");
    assert!(!again.body.contains("already registered"));
    // Tampered with, it is not found: another secret, another registration, another session.
    let (head, secret) = ana_result.rsplit_once('.').unwrap();
    let first = if secret.starts_with('A') { 'B' } else { 'A' };
    let forged = format!("{head}.{first}{}", &secret[1..]);
    assert_eq!(visitor.get(&forged).await.status, StatusCode::NOT_FOUND);
    let cy_id = cy_result
        .rsplit('/')
        .next()
        .unwrap()
        .split('.')
        .next()
        .unwrap();
    let ana_secret = ana_result.rsplit('.').next().unwrap();
    assert_eq!(
        visitor
            .get(&format!("/s/{session}/registered/{cy_id}.{ana_secret}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let elsewhere = ana_result.replace(&session.to_string(), &SessionId::generate().to_string());
    assert_eq!(visitor.get(&elsewhere).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        visitor
            .get(&format!("/s/{session}/registered/nonsense"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let stored = app
        .ctx
        .store
        .get::<Session>(&keys::session(&session))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            stored.confirmed_base,
            stored.confirmed_flyer,
            stored.waitlisted
        ),
        (1, 1, 1)
    );

    // Ana's cancel link: a page, one button, idempotent, and Cy moves up.
    let path = cancel_path(&app, "ana@example.org").await;
    let shown = visitor.get(&path).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("Ana"));
    let cancelled = visitor.post_form(&path, "").await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert!(
        cancelled.body.contains("next person on the waitlist"),
        "{}",
        cancelled.body
    );
    let again = visitor.post_form(&path, "").await;
    assert!(again.body.contains("already cancelled"));
    let promoted = app
        .told("promoted")
        .await
        .contains(&"cy@example.org".to_owned());
    assert!(promoted, "Cy is told");
    let stored = app
        .ctx
        .store
        .get::<Session>(&keys::session(&session))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.confirmed_base, stored.waitlisted), (1, 0));
    // Both result pages show where each stands now.
    let ana_now = app.another_browser().get(&ana_result).await;
    assert!(
        ana_now.body.contains("Your registration is cancelled"),
        "{}",
        ana_now.body
    );
    assert!(!ana_now.body.contains("Cancel my registration"));
    let cy_now = app.another_browser().get(&cy_result).await;
    assert!(
        cy_now.body.contains("Confirmed as a base for"),
        "{}",
        cy_now.body
    );
    assert_eq!(
        visitor.get("/cancel/nonsense").await.status,
        StatusCode::NOT_FOUND
    );
    let forged = format!("/cancel/{session}.{}", "A".repeat(43));
    assert_eq!(visitor.get(&forged).await.status, StatusCode::NOT_FOUND);

    // The public series page lists the session.
    let series_page = visitor.get(&format!("/series/{series}")).await;
    assert_eq!(series_page.status, StatusCode::OK);
    assert!(series_page.body.contains(&format!("/s/{session}")));
}

#[tokio::test]
async fn the_registration_form_refuses_bad_input_beside_each_field() {
    let (app, _, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    let long = "x".repeat(10 * 1024);
    let cases: [(String, &str); 6] = [
        (
            registration("Ana", "not-an-email", "base"),
            "Enter an email address like name@example.org.",
        ),
        (
            registration("Ana", "ana@example.org", "spotter"),
            "Choose base, flyer or either.",
        ),
        (
            registration(&long, "ana@example.org", "base"),
            "At most 100 characters",
        ),
        (
            registration("", "ana@example.org", "base"),
            "Tell the organizers your name.",
        ),
        (
            "name=Ana&email=ana%40example.org&role=base".to_owned(),
            "Please agree",
        ),
        (String::new(), "Enter your email address."),
    ];
    for (form, message) in cases {
        let response = visitor
            .post_form(&format!("/s/{session}/register"), &form)
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{message}"
        );
        assert!(response.body.contains(message), "{message}");
    }
    let stored = app
        .ctx
        .store
        .get::<Session>(&keys::session(&session))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.confirmed_base + stored.confirmed_flyer + stored.waitlisted,
        0
    );

    // Twice the same address (in another letter case): answered like a first registration,
    // and the existing confirmation goes again. Duplicates are covered in `holds`.
    visitor
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Ana", "ana@example.org", "base"),
        )
        .await;
    let twice = visitor
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Ana", "ANA@example.org", "flyer"),
        )
        .await;
    assert_eq!(twice.status, StatusCode::OK);
    assert!(twice.body.contains("Check your inbox"));
    assert!(!twice.body.contains("already registered"));
    let confirmations = app.emails_to("ana@example.org").await;
    assert_eq!(confirmations.len(), 2, "the first and the resent one");
    assert_eq!(
        confirmations[0].link_to("/cancel/"),
        confirmations[1].link_to("/cancel/"),
        "the same cancel link, derived from the registration"
    );
}

#[tokio::test]
async fn closed_cancelled_and_unknown_sessions_take_no_registration() {
    let (app, series, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    assert_eq!(
        visitor
            .get(&format!("/s/{}", SessionId::generate()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        visitor.get("/s/not-an-id").await.status,
        StatusCode::NOT_FOUND
    );

    app.post_form(
        &format!("/jams/{series}/sessions/{session}/cancel"),
        "reason=The+hall+is+flooded",
    )
    .await;
    let page = visitor.get(&format!("/s/{session}")).await;
    assert!(page.body.contains("cancelled") && page.body.contains("The hall is flooded"));
    let refused = visitor
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Ana", "ana@example.org", "base"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("This session is cancelled"));

    let (app, _, session) = organizer_with_session().await;
    app.ctx.clock.set("2027-03-16T18:30:00Z".parse().unwrap());
    let late = app
        .another_browser()
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Ana", "ana@example.org", "base"),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(
        late.body.contains("Registration is closed"),
        "{}",
        late.body
    );
    app.ctx.clock.advance(SignedDuration::from_hours(3));
    let past = app.another_browser().get(&format!("/s/{session}")).await;
    assert!(past.body.contains("took place"), "{}", past.body);
}

#[tokio::test]
async fn organizers_see_filter_add_cancel_export_and_print_registrations() {
    let (app, series, session) = organizer_with_session().await;
    for (name, email, role) in [
        ("Doe, Jane", "jane@example.org", "base"),
        ("=cmd|' /C calc'!A0", "evil@example.org", "flyer"),
        ("Łucja", "lucja@example.org", "base"),
    ] {
        app.another_browser()
            .post_form(
                &format!("/s/{session}/register"),
                &registration(name, email, role),
            )
            .await;
    }
    let path = format!("/jams/{series}/sessions/{session}/registrations");
    let table = app.get(&path).await;
    assert_eq!(table.status, StatusCode::OK, "{}", table.body);
    assert!(table.body.contains("Doe, Jane") && table.body.contains("Łucja"));
    let waitlisted = app.get(&format!("{path}?status=waitlisted")).await;
    assert!(waitlisted.body.contains("Łucja") && !waitlisted.body.contains("Doe, Jane"));
    let searched = app.get(&format!("{path}?q=jane")).await;
    assert!(searched.body.contains("jane@example.org") && !searched.body.contains("Łucja"));

    // By hand, over capacity on purpose.
    let added = app
        .post_form(
            &path,
            "name=Walk+In&email=walk%40example.org&role=base&note=&override=yes",
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let stored = app
        .ctx
        .store
        .get::<Session>(&keys::session(&session))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.confirmed_base, 2,
        "one over the capacity of 1, as chosen"
    );
    let duplicate = app
        .post_form(
            &path,
            "name=Walk+In&email=walk%40example.org&role=base&note=",
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);

    let csv = app.get(&format!("{path}.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header(header::CONTENT_TYPE).starts_with("text/csv"));
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(csv.body.contains("\"Doe, Jane\""));
    assert!(csv.body.contains("'=cmd"), "formulas are defused");
    let checkin = app
        .get(&format!("/jams/{series}/sessions/{session}/checkin"))
        .await;
    assert_eq!(checkin.status, StatusCode::OK);
    assert!(checkin.body.contains("Doe, Jane") && checkin.body.contains("Walk In"));

    // Cancel on someone's behalf: they are told.
    let (_, _, registrations) = jamie::bookings::of_session(
        &app.ctx,
        &organizer_principal(&app).await,
        &series,
        &session,
    )
    .await
    .unwrap();
    let jane = registrations
        .iter()
        .find(|r| r.email.as_str() == "jane@example.org")
        .unwrap();
    let cancelled = app
        .post_form(&format!("{path}/{}/cancel", jane.id), "")
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let told = app
        .told("registration_cancelled")
        .await
        .contains(&"jane@example.org".to_owned());
    assert!(told);

    // Nobody else sees any of it.
    let stranger = app.another_browser();
    stranger.sign_in("stranger@example.org", "Stranger").await;
    assert_eq!(stranger.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        stranger.get(&format!("{path}.csv")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger
            .post_form(&format!("{path}/{}/cancel", jane.id), "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let anonymous = app.another_browser();
    assert_eq!(anonymous.get(&path).await.status, StatusCode::SEE_OTHER);
}

pub(crate) async fn organizer_principal(app: &TestApp) -> jamie::authorization::Principal {
    let user = jamie::accounts::find_by_email(
        &app.ctx,
        &jamie::values::Email::parse("org@example.org").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    jamie::authorization::Principal::User(Box::new(jamie::authorization::Actor {
        user: user.into(),
        sign_in: "test".parse().unwrap(),
    }))
}

/// A series `name` of 1 base + 1 flyer place made through the organizer's form, with one
/// session on Tuesday 16 March 2027 unless `session` is false.
async fn series_of(
    app: &TestApp,
    name: &str,
    visibility: &str,
    session: bool,
) -> (SeriesId, Option<SessionId>) {
    let created = app
        .post_form(
            "/jams",
            &format!(
                "name={}&description=&venue=Hall+{}&address=&cost_kind=free&capacity_base=1\
                 &capacity_flyer=1&weekday=tue&start_time=19%3A00&duration_minutes=120\
                 &time_zone=Europe%2FBerlin&visibility={visibility}",
                encode(name),
                encode(name)
            ),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let series: SeriesId = created.header("location")["/jams/".len()..]
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    if !session {
        return (series, None);
    }
    let scheduled = app
        .post_form(
            &format!("/jams/{series}/sessions"),
            "date=2027-03-16&start_time=19%3A00&end_time=21%3A00&repeat=once&count=1&capacity_base=1&capacity_flyer=1&note=",
        )
        .await;
    assert_eq!(
        scheduled.status,
        StatusCode::SEE_OTHER,
        "{}",
        scheduled.body
    );
    // As stored: the app may be signed in as any organizer.
    let partition = keys::sessions_of_series_index(&series);
    let session = app
        .ctx
        .store
        .query::<Session>(jamie::store::Query::index("GSI1", &partition))
        .await
        .unwrap()
        .items[0]
        .id
        .clone();
    (series, Some(session))
}

#[tokio::test]
async fn when_both_roles_are_full_the_form_says_it_is_the_waitlist() {
    let (app, _, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    let open = visitor.get(&format!("/s/{session}")).await;
    assert!(open.body.contains("Either — whichever role has room"));
    assert!(open.body.contains(">Register</button>") || open.body.contains("Register\n"));
    assert!(!open.body.contains("Join the waitlist"));
    assert!(!open.body.contains("join the waitlist."));

    register_as(
        &app.another_browser(),
        &session,
        "Ana",
        "ana@example.org",
        "base",
    )
    .await;
    let one_full = visitor.get(&format!("/s/{session}")).await;
    assert!(
        one_full.body.contains("Full: you join the waitlist"),
        "the base card says so"
    );
    assert!(
        !one_full.body.contains("Join the waitlist"),
        "a flyer spot is still free"
    );

    register_as(
        &app.another_browser(),
        &session,
        "Ben",
        "ben@example.org",
        "flyer",
    )
    .await;
    let full = visitor.get(&format!("/s/{session}")).await;
    assert!(
        full.body
            .contains("Both roles are full: you'll join the waitlist."),
        "{}",
        full.body
    );
    assert!(full.body.contains("Either — whichever frees first"));
    assert!(!full.body.contains("whichever role has room"));
    assert!(full.body.contains("Join the waitlist"));
    assert_eq!(full.body.matches("Full: you join the waitlist").count(), 2);
    let waiting = register_as(
        &app.another_browser(),
        &session,
        "Cy",
        "cy@example.org",
        "either",
    )
    .await;
    assert!(
        waiting.body.contains("You're on the waitlist"),
        "{}",
        waiting.body
    );
    assert!(
        waiting
            .body
            .contains("number 1 in the queue for either role")
    );
}

#[tokio::test]
async fn participants_see_full_never_more_than_fit() {
    let (app, series, session) = organizer_with_session().await;
    register_as(
        &app.another_browser(),
        &session,
        "Ana",
        "ana@example.org",
        "base",
    )
    .await;
    let path = format!("/jams/{series}/sessions/{session}/registrations");
    let added = app
        .post_form(
            &path,
            "name=Walk+In&email=walk%40example.org&role=base&note=&override=yes",
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let visitor = app.another_browser();
    for page in [format!("/s/{session}"), format!("/series/{series}")] {
        let shown = visitor.get(&page).await;
        assert!(
            shown.body.contains("Bases 1/1 (full)"),
            "{page}: {}",
            shown.body
        );
        assert!(!shown.body.contains("2/1"), "{page}: over capacity shown");
    }
}

#[tokio::test]
async fn a_refused_consent_is_marked_beside_the_checkbox() {
    let (app, _, session) = organizer_with_session().await;
    let refused = app
        .another_browser()
        .post_form(
            &format!("/s/{session}/register"),
            "name=Ana&email=ana%40example.org&role=base&note=",
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let consent = refused.body.split(r#"id="field-consent""#).nth(1).unwrap();
    let tag = &consent[..consent.find('>').unwrap()];
    assert!(tag.contains("checkbox-error"), "{tag}");
    assert!(tag.contains(r#"aria-invalid="true""#), "{tag}");
    assert!(refused.body.contains(r#"id="field-consent-note""#));
    assert!(refused.body.contains("Please agree"));
    // The values typed are kept.
    assert!(refused.body.contains(r#"value="ana@example.org""#));
}

#[tokio::test]
async fn find_a_jam_lists_public_series_with_a_session_ahead_and_nothing_else() {
    let app = spawn_app_with(Options {
        clock: Clock::fixed("2027-03-10T12:00:00Z".parse().unwrap()),
        ..Options::default()
    })
    .await;
    let visitor = app.another_browser();
    let empty = visitor.get("/series").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("No public jam has a session coming up"));
    let home = visitor.get("/").await;
    assert!(home.body.contains(r#"href="/series""#) && home.body.contains("Find a jam"));

    app.sign_in("org@example.org", "Olga Organizer").await;
    let (listed, listed_session) = series_of(&app, "Listed Jam", "public", true).await;
    let listed_session = listed_session.unwrap();
    series_of(&app, "Secret Jam", "unlisted", true).await;
    series_of(&app, "Someday Jam", "public", false).await;
    let (archived, _) = series_of(&app, "Archived Jam", "public", true).await;
    let done = app
        .post_form(&format!("/jams/{archived}/archive"), "")
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let bo = app.another_browser();
    bo.sign_in("bo@example.org", "Bo").await;
    series_of(&bo, "Blocked Jam", "public", true).await;
    let mut root = jamie::accounts::find_or_create(
        &app.ctx,
        &jamie::values::Email::parse("root@example.org").unwrap(),
        &jamie::values::DisplayName::parse("Root").unwrap(),
    )
    .await
    .unwrap();
    root.superadmin = true;
    let root = jamie::authorization::Principal::User(Box::new(jamie::authorization::Actor {
        user: root.into(),
        sign_in: "root".parse().unwrap(),
    }));
    let bo_id = jamie::accounts::find_by_email(
        &app.ctx,
        &jamie::values::Email::parse("bo@example.org").unwrap(),
    )
    .await
    .unwrap()
    .unwrap()
    .id;
    jamie::account_changes::block(&app.ctx, &root, &bo_id, "spam")
        .await
        .unwrap();

    // Read through the listing index: Queries and GetItems, never a Scan.
    let counter = jamie_tests::calls::CallCounter::default();
    let counted = visitor.with_context(counter.context(&app.ctx));
    let page = counted.get("/series").await;
    let calls = counter.take();
    assert!(!calls.contains_key("Scan"), "{calls:?}");
    assert!(calls.contains_key("Query"), "{calls:?}");
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Listed Jam"), "{}", page.body);
    assert!(page.body.contains(&format!(r#"href="/series/{listed}""#)));
    assert!(
        page.body
            .contains(&format!(r#"href="/s/{listed_session}""#))
    );
    assert!(page.body.contains("Tue 16 Mar") && page.body.contains("Hall Listed Jam"));
    assert!(page.body.contains("Tuesdays at 19:00"));
    assert!(page.body.contains("Bases 0/1 · Flyers 0/1"));
    for hidden in ["Secret Jam", "Someday Jam", "Archived Jam", "Blocked Jam"] {
        assert!(!page.body.contains(hidden), "{hidden} is listed");
    }

    // Dates read from today.
    app.ctx.clock.set("2027-03-15T12:00:00Z".parse().unwrap());
    let tomorrow = visitor.get("/series").await;
    assert!(tomorrow.body.contains(">Tomorrow<"), "{}", tomorrow.body);
    let series_page = visitor.get(&format!("/series/{listed}")).await;
    assert!(
        series_page.body.contains(">Tomorrow<"),
        "{}",
        series_page.body
    );

    // The listing key follows the series: restored, it is back.
    app.post_form(&format!("/jams/{archived}/unarchive"), "")
        .await;
    let restored = visitor.get("/series").await;
    assert!(
        restored.body.contains("Archived Jam"),
        "restored: {}",
        restored.body
    );
    jamie::account_changes::unblock(&app.ctx, &root, &bo_id)
        .await
        .unwrap();
    assert!(visitor.get("/series").await.body.contains("Blocked Jam"));
}

#[tokio::test]
async fn series_written_before_the_listing_get_their_key_from_the_cleanup_job() {
    let (app, series, _) = organizer_with_session().await;
    // Made public behind the code's back, as an item written before the listing existed.
    app.ctx
        .store
        .update_item(
            &keys::series(&series),
            jamie::store::Change::new("SET visibility = :public").value(":public", "public"),
        )
        .await
        .unwrap();
    let visitor = app.another_browser();
    assert!(!visitor.get("/series").await.body.contains("Tuesday Jam"));
    let report = jamie::jobs::run(&app.ctx, jamie::jobs::Job::Cleanup)
        .await
        .unwrap();
    assert_eq!(report.changed, 1);
    assert!(visitor.get("/series").await.body.contains("Tuesday Jam"));
    let again = jamie::jobs::run(&app.ctx, jamie::jobs::Job::Cleanup)
        .await
        .unwrap();
    assert_eq!(again.changed, 0, "nothing to do twice");
}

#[tokio::test]
async fn a_registration_that_cannot_win_in_time_answers_our_busy_page() {
    let (app, _, session) = organizer_with_session().await;
    // A store where someone else always gets there first, and a short deadline.
    let mut ctx = LosingEveryRace.context(&app.ctx);
    let mut config = (*ctx.config).clone();
    config.race_deadline = std::time::Duration::from_millis(400);
    ctx.config = config.into();
    let visitor = app.another_browser().with_context(ctx);
    let started = std::time::Instant::now();
    let answer = visitor
        .post_form(
            &format!("/s/{session}/register"),
            &registration("Ana", "ana@example.org", "base"),
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        answer.body
    );
    assert!(
        answer.body.contains("Many people are doing this at once"),
        "{}",
        answer.body
    );
    assert!(
        answer
            .body
            .contains("Nothing was changed: please send it again.")
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "answered after {:?}",
        started.elapsed()
    );
    let stored: Session = app
        .ctx
        .store
        .get(&keys::session(&session))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            stored.confirmed_base,
            stored.confirmed_flyer,
            stored.waitlisted
        ),
        (0, 0, 0),
        "nothing was registered"
    );
}

/// The feed read by PyPI's `icalendar` (in the tools venv), not by us: per event its UID,
/// DTSTART (UTC), SEQUENCE and STATUS, one tab-separated line each.
fn parsed_feed(ics: &str) -> Vec<[String; 4]> {
    use std::io::Write;
    let script = r"import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
for e in cal.walk('VEVENT'):
    start = e.decoded('DTSTART').strftime('%Y-%m-%dT%H:%M:%S%z')
    print('\t'.join([str(e['UID']), start, str(e.get('SEQUENCE', '')), str(e['STATUS'])]))
";
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../.tools/venv/bin/python");
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the tools venv (make tools)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ics.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "icalendar refused the feed: {}\n{ics}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let mut fields = line.split('\t').map(str::to_owned);
            std::array::from_fn(|_| fields.next().unwrap_or_default())
        })
        .collect()
}

#[tokio::test]
async fn calendar_files_follow_the_sessions_of_a_series() {
    let (app, series, first) = organizer_with_session().await;
    let visitor = app.another_browser();
    let host = app.ctx.config.base_url.host().to_owned();

    let file = visitor.get(&format!("/s/{first}.ics")).await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    assert_eq!(
        file.header(header::CONTENT_TYPE),
        "text/calendar; charset=utf-8"
    );
    assert_eq!(
        file.header(header::CONTENT_DISPOSITION),
        r#"attachment; filename="tuesday-jam-2027-03-16.ics""#
    );
    assert!(file.header(header::CACHE_CONTROL).starts_with("public"));
    assert_eq!(
        parsed_feed(&file.body),
        [[
            format!("{first}@{host}"),
            "2027-03-16T18:00:00+0000".to_owned(),
            "0".to_owned(),
            "CONFIRMED".to_owned(),
        ]]
    );
    let page = visitor.get(&format!("/s/{first}")).await;
    assert!(page.body.contains(&format!(r#"href="/s/{first}.ics""#)));

    // A second session, then the first moved an hour later and the second cancelled.
    let scheduled = app
        .post_form(
            &format!("/jams/{series}/sessions"),
            "date=2027-03-23&start_time=19%3A00&end_time=21%3A00&repeat=once&count=1&capacity_base=1&capacity_flyer=1&note=",
        )
        .await;
    assert_eq!(scheduled.status, StatusCode::SEE_OTHER);
    let feed_path = format!("/series/{series}.ics");
    let feed = visitor.get(&feed_path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.header(header::CONTENT_DISPOSITION)
            .starts_with("inline")
    );
    let before = parsed_feed(&feed.body);
    assert_eq!(before.len(), 2, "{before:?}");
    let second = before[1][0].split('@').next().unwrap().to_owned();
    assert_ne!(second, first.to_string());
    let series_page = visitor.get(&format!("/series/{series}")).await;
    assert!(
        series_page
            .body
            .contains(&format!(r#"href="webcal://{host}{feed_path}""#))
    );

    let moved = app
        .post_form(
            &format!("/jams/{series}/sessions/{first}/edit"),
            "date=2027-03-16&start_time=20%3A00&end_time=22%3A00&capacity_base=1&capacity_flyer=1&cost_kind=default&note=",
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let cancelled = app
        .post_form(
            &format!("/jams/{series}/sessions/{second}/cancel"),
            "reason=The+hall+is+flooded",
        )
        .await;
    assert_eq!(
        cancelled.status,
        StatusCode::SEE_OTHER,
        "{}",
        cancelled.body
    );

    let after = parsed_feed(&visitor.get(&feed_path).await.body);
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(after[0][0], before[0][0]);
    assert_eq!(after[0][1], "2027-03-16T19:00:00+0000", "moved an hour");
    assert_eq!(after[0][2], "1", "its sequence went up");
    assert_eq!(after[1][0], before[1][0], "the cancelled one keeps its UID");
    assert_eq!(after[1][3], "CANCELLED");
    assert_eq!(after[1][2], "1");

    // A hidden series has no feed, exactly as it has no page.
    assert_eq!(
        visitor
            .get(&format!("/series/{}.ics", SeriesId::generate()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        visitor
            .get(&format!("/s/{}.ics", SessionId::generate()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
