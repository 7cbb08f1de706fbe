//! Accounts through the routers: magic-link sign-up and sign-in, sign-ins and their cookie,
//! signing out, blocking, the account page, rate limits, and sign-in links raced and abused.

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Request, StatusCode, header},
};
use jamie::{
    Clock, accounts,
    config::Secret,
    ids::UserId,
    tokens::SigningKeys,
    values::{DisplayName, Email},
};
use jamie_tests::{Options, SESSION_COOKIE, TestApp, encode, spawn_app, spawn_app_with};

async fn request_link(app: &TestApp, email: &str) -> jamie_tests::TestResponse {
    app.post_form("/login", &format!("email={}", encode(email)))
        .await
}

#[tokio::test]
async fn sign_up_confirm_and_land_signed_in() {
    let app = spawn_app().await;
    let requested = app
        .post_form("/login", "email=Ana%40Example.org&display_name=Ana+Flyer")
        .await;
    assert_eq!(requested.status, StatusCode::OK);
    assert!(requested.body.contains("Check your inbox"));
    assert!(requested.body.contains("ana@example.org"));

    let url = app
        .magic_link_for("ana@example.org")
        .await
        .expect("a link in the outbox");
    assert!(url.starts_with("http://127.0.0.1:3000/auth/link/"), "{url}");
    let mailbox = app.get("/dev/mailbox").await;
    assert!(
        mailbox.body.contains(&url),
        "the dev mailbox shows the link"
    );

    // Opening the link (as a mail scanner would) does not sign in.
    let path = app.path_of(&url);
    let confirm = app.get(&path).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Sign me in"));
    assert!(app.cookie(SESSION_COOKIE).is_none());

    let signed_in = app.post_form(&path, "").await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_in.header(header::LOCATION), "/");
    let cookie = signed_in
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("jamie="))
        .expect("a sign-in cookie")
        .to_owned();
    let attributes = cookie.split_once(';').unwrap().1;
    assert_eq!(
        attributes,
        " Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax"
    );

    let home = app.get("/").await;
    assert!(
        home.body.contains("Ana Flyer"),
        "the nav shows who is signed in"
    );
    let account = app.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("ana@example.org"));

    let out = app.post_form("/logout", "").await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        app.cookie(SESSION_COOKIE).is_none(),
        "signing out clears the cookie"
    );
    let account = app.get("/account").await;
    assert_eq!(account.status, StatusCode::SEE_OTHER);
    assert_eq!(account.header(header::LOCATION), "/login?next=%2Faccount");
}

#[tokio::test]
async fn logging_in_again_reuses_the_account_and_honours_next() {
    let app = spawn_app().await;
    app.sign_in("bea@example.org", "Bea Base").await;
    let first = accounts::find_by_email(&app.ctx, &Email::parse("bea@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();

    let browser = app.another_browser();
    let login = browser.get("/login?next=%2Faccount").await;
    assert!(login.body.contains(r#"name="next" value="/account""#));
    browser
        .post_form(
            "/login",
            "email=bea%40example.org&display_name=Someone+Else&next=%2Faccount",
        )
        .await;
    let url = browser.magic_link_for("bea@example.org").await.unwrap();
    let done = browser.post_form(&browser.path_of(&url), "").await;
    assert_eq!(done.header(header::LOCATION), "/account");
    let again = accounts::find_by_email(&app.ctx, &Email::parse("bea@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.id, first.id, "one account per email");
    assert_eq!(again.display_name.as_str(), "Bea Base", "the name is kept");

    // A `next` off this site is ignored.
    let browser = app.another_browser();
    browser
        .post_form(
            "/login",
            "email=bea%40example.org&next=https%3A%2F%2Fevil.example",
        )
        .await;
    let url = browser.magic_link_for("bea@example.org").await.unwrap();
    let done = browser.post_form(&browser.path_of(&url), "").await;
    assert_eq!(done.header(header::LOCATION), "/");
}

#[tokio::test]
async fn the_login_form_reports_bad_input_beside_the_field() {
    let app = spawn_app().await;
    let response = app
        .post_form(
            "/login",
            &format!("email=not-an-email&display_name={}", "x".repeat(81)),
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .body
            .contains("Enter an email address like name@example.org.")
    );
    assert!(
        response
            .body
            .contains("Keep the name to 80 characters or fewer.")
    );
    assert!(
        response.body.contains(r#"value="not-an-email""#),
        "what was typed is kept"
    );
    let empty = app.post_form("/login", "").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Enter your email address."));
}

#[tokio::test]
async fn known_and_unknown_emails_get_the_same_answer() {
    let app = spawn_app().await;
    app.sign_in("known@example.org", "Known").await;
    let browser = app.another_browser();
    let known = request_link(&browser, "known@example.org").await;
    let unknown = request_link(&browser, "nobody@example.org").await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(
        known.body.replace("known@example.org", "EMAIL"),
        unknown.body.replace("nobody@example.org", "EMAIL")
    );
}

#[tokio::test]
async fn fifty_simultaneous_presses_of_one_link_sign_in_once() {
    let app = spawn_app().await;
    request_link(&app, "race@example.org").await;
    let path = app.path_of(&app.magic_link_for("race@example.org").await.unwrap());
    let token = app.csrf_token().unwrap();
    let presses: Vec<_> = (0..50)
        .map(|_| {
            let app = app.clone();
            let path = path.clone();
            let form = format!("csrf={token}");
            tokio::spawn(async move { app.post_form_raw(&path, &form).await })
        })
        .collect();
    let mut signed_in = 0;
    for press in presses {
        let response = press.await.unwrap();
        match response.status {
            StatusCode::SEE_OTHER => signed_in += 1,
            StatusCode::NOT_FOUND => assert!(response.body.contains("already been used")),
            other => panic!("unexpected {other}: {}", response.body),
        }
    }
    assert_eq!(signed_in, 1);
    let user = accounts::find_by_email(&app.ctx, &Email::parse("race@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    let sign_ins = jamie::sign_ins::end_all(&app.ctx, &user.id).await.unwrap();
    assert_eq!(sign_ins, 1, "exactly one sign-in was created");
}

#[tokio::test]
async fn expired_reused_tampered_and_unknown_links_get_a_clear_page() {
    let clock = Clock::fixed("2026-11-25T12:00:00Z".parse().unwrap());
    let app = spawn_app_with(Options {
        clock: clock.clone(),
        ..Options::default()
    })
    .await;
    request_link(&app, "late@example.org").await;
    let path = app.path_of(&app.magic_link_for("late@example.org").await.unwrap());

    clock.advance(jiff::SignedDuration::from_mins(16));
    for response in [app.get(&path).await, app.post_form(&path, "").await] {
        assert_eq!(response.status, StatusCode::GONE);
        assert!(response.body.contains("This sign-in link has expired"));
    }

    request_link(&app, "late@example.org").await;
    let path = app.path_of(&app.magic_link_for("late@example.org").await.unwrap());
    assert_eq!(app.post_form(&path, "").await.status, StatusCode::SEE_OTHER);
    let reused = app.another_browser().post_form(&path, "").await;
    assert_eq!(reused.status, StatusCode::NOT_FOUND);
    assert!(reused.body.contains("already been used or is not valid"));
    assert!(
        reused
            .body
            .contains(r#"<a href="/login" class="btn btn-primary">Get a new link</a>"#),
        "a used link offers a fresh one first"
    );

    let mut tampered = path.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for bad in [
        tampered.as_str(),
        "/auth/link/short",
        "/auth/link/..%2F..%2Fetc",
    ] {
        let response = app.get(bad).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{bad}");
        assert!(
            response.body.contains("This link cannot sign you in"),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn link_requests_are_rate_limited_per_email_and_per_ip() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(
            request_link(&app, "busy@example.org").await.status,
            StatusCode::OK
        );
    }
    let limited = request_link(&app, "busy@example.org").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited
            .body
            .contains("Too many sign-in links were requested")
    );
    assert!(limited.body.contains(r#"value="busy@example.org""#));

    let from_one_ip = |i: usize| {
        let token = app.csrf_token().unwrap();
        let mut request = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "email=person{i}%40example.org&csrf={token}"
            )))
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(std::net::SocketAddr::from((
                [198, 51, 100, 7],
                4000,
            ))));
        request
    };
    for i in 0..20 {
        assert_eq!(
            app.send(from_one_ip(i)).await.status,
            StatusCode::OK,
            "request {i}"
        );
    }
    assert_eq!(
        app.send(from_one_ip(20)).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn https_deployments_use_a_host_only_secure_cookie() {
    let app = spawn_app_with(Options {
        base_url: "https://jamie.example.org".to_owned(),
        ..Options::default()
    })
    .await;
    let csrf = app.get("/login").await;
    let csrf_cookie = csrf.set_cookies()[0].to_owned();
    assert!(csrf_cookie.starts_with("__Host-jamie_csrf="));
    assert!(csrf_cookie.ends_with("; Path=/; HttpOnly; SameSite=Lax; Secure"));
    let signed_in = app.sign_in("sec@example.org", "Sec").await;
    let cookie = signed_in.set_cookies()[0].to_owned();
    assert!(cookie.starts_with("__Host-jamie="), "{cookie}");
    assert_eq!(
        cookie.split_once(';').unwrap().1,
        " Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax; Secure"
    );
}

#[tokio::test]
async fn forged_sign_in_tokens_are_refused() {
    let app = spawn_app().await;
    app.sign_in("real@example.org", "Real").await;
    let user = accounts::find_by_email(&app.ctx, &Email::parse("real@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    let genuine = app.cookie(SESSION_COOKIE).unwrap();
    let claims = app
        .ctx
        .signing
        .verify(&genuine, app.ctx.clock.now())
        .unwrap();

    let other_key = SigningKeys::new(&Secret::new("z".repeat(40)).unwrap());
    let forged = other_key
        .issue(&user.id, &claims.sid, app.ctx.clock.now())
        .unwrap();
    let browser = app.another_browser();
    browser.set_cookie(SESSION_COOKIE, &forged);
    assert_eq!(browser.get("/account").await.status, StatusCode::SEE_OTHER);

    let (_, rest) = genuine.split_once('.').unwrap();
    let none_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"; // {"alg":"none","typ":"JWT"}
    let unsigned = format!("{none_header}.{}.", rest.split_once('.').unwrap().0);
    browser.set_cookie(SESSION_COOKIE, &unsigned);
    assert_eq!(browser.get("/account").await.status, StatusCode::SEE_OTHER);

    browser.set_cookie(SESSION_COOKIE, &genuine);
    assert_eq!(
        browser.get("/account").await.status,
        StatusCode::OK,
        "the genuine one works"
    );
}

#[tokio::test]
async fn sign_ins_slide_after_a_week() {
    let clock = Clock::fixed("2026-11-01T09:00:00Z".parse().unwrap());
    let app = spawn_app_with(Options {
        clock: clock.clone(),
        ..Options::default()
    })
    .await;
    app.sign_in("slide@example.org", "Slide").await;
    let first = app.cookie(SESSION_COOKIE).unwrap();
    clock.advance(jiff::SignedDuration::from_hours(24 * 3));
    let quiet = app.get("/").await;
    assert!(
        quiet.set_cookies().iter().all(|c| !c.starts_with("jamie=")),
        "no renewal yet"
    );
    clock.advance(jiff::SignedDuration::from_hours(24 * 5));
    let renewed = app.get("/").await;
    assert!(
        renewed
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("jamie=")),
        "renewed after 7 days"
    );
    assert_ne!(app.cookie(SESSION_COOKIE).unwrap(), first);
    clock.advance(jiff::SignedDuration::from_hours(24 * 10));
    assert_eq!(
        app.get("/account").await.status,
        StatusCode::OK,
        "alive 18 days after sign-in"
    );
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_sign_in() {
    let app = spawn_app().await;
    let phone = app.another_browser();
    app.sign_in("two@example.org", "Two").await;
    phone.sign_in("two@example.org", "Two").await;
    assert_eq!(phone.get("/account").await.status, StatusCode::OK);
    let out = app.post_form("/account/logout-everywhere", "").await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/account").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/account").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_display_name_can_be_changed_with_errors_beside_the_field() {
    let app = spawn_app().await;
    app.sign_in("name@example.org", "Old Name").await;
    let bad = app.post_form("/account/name", "display_name=+++").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Enter the name participants will see."));
    let good = app
        .post_form("/account/name", "display_name=New+Name")
        .await;
    assert_eq!(good.status, StatusCode::OK);
    assert!(good.body.contains("Your name is saved."));
    assert!(app.get("/").await.body.contains("New Name"));
}

#[tokio::test]
async fn a_superadmin_blocks_and_unblocks_a_user() {
    let app = spawn_app_with(Options {
        superadmin_emails: vec!["root@example.org".to_owned()],
        ..Options::default()
    })
    .await;
    let admin = app.another_browser();
    let user = app.another_browser();
    admin.sign_in("root@example.org", "Root").await;
    user.sign_in("mallory@example.org", "Mallory").await;
    let mallory = accounts::find_by_email(&app.ctx, &Email::parse("mallory@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();

    assert_eq!(user.get("/admin").await.status, StatusCode::FORBIDDEN);
    let list = admin.get("/admin").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("mallory@example.org"));

    let no_reason = admin
        .post_form(&format!("/admin/users/{}/block", mallory.id), "reason=")
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Say why the account is blocked"));

    let blocked = admin
        .post_form(
            &format!("/admin/users/{}/block", mallory.id),
            "reason=Spam+jams",
        )
        .await;
    assert_eq!(blocked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        user.get("/account").await.status,
        StatusCode::SEE_OTHER,
        "the live sign-in died"
    );
    assert!(admin.get("/admin").await.body.contains("Spam jams"));

    let again = user.sign_in("mallory@example.org", "Mallory").await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert!(again.body.contains("This account is blocked"));

    let root = accounts::find_by_email(&app.ctx, &Email::parse("root@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    let own = admin
        .post_form(&format!("/admin/users/{}/block", root.id), "reason=oops")
        .await;
    assert!(own.body.contains("You cannot block your own account."));

    admin
        .post_form(&format!("/admin/users/{}/unblock", mallory.id), "")
        .await;
    let back = user.sign_in("mallory@example.org", "Mallory").await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(user.get("/account").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_user_list_pages_and_searches() {
    let app = spawn_app_with(Options {
        superadmin_emails: vec!["root@example.org".to_owned()],
        ..Options::default()
    })
    .await;
    app.sign_in("root@example.org", "Root").await;
    for i in 0..30 {
        let email = Email::parse(&format!("jammer{i:02}@example.org")).unwrap();
        accounts::find_or_create(
            &app.ctx,
            &email,
            &DisplayName::parse(&format!("Jammer {i}")).unwrap(),
        )
        .await
        .unwrap();
    }
    let first = app.get("/admin").await;
    assert_eq!(
        first.body.matches("<tr>").count(),
        1 + 25,
        "a header and 25 rows"
    );
    let next = first
        .body
        .split("href=\"/admin?q=&amp;after=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a next-page link")
        .replace("&amp;", "&");
    let second = app.get(&format!("/admin?q=&after={next}")).await;
    assert_eq!(
        second.body.matches("<tr>").count(),
        1 + 6,
        "the remaining 6 of 31"
    );

    let found = app.get("/admin?q=JAMMER07").await;
    assert_eq!(found.body.matches("<tr>").count(), 2, "{}", found.body);
    assert!(found.body.contains("jammer07@example.org"));
    let _ = UserId::generate();
}

#[tokio::test]
async fn every_action_refuses_a_missing_token_and_a_cross_site_origin() {
    let app = spawn_app().await;
    app.sign_in("csrf@example.org", "Csrf").await;
    let token = app.csrf_token().unwrap();
    let actions = jamie_infra::routes().actions().to_vec();
    assert!(actions.len() >= 7, "{actions:?}");
    for action in actions {
        let path = action
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "placeholder"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let missing = app.post_form_raw(&path, "").await;
        assert_eq!(
            missing.status,
            StatusCode::FORBIDDEN,
            "{action} without a token"
        );
        assert!(missing.body.contains("This form has expired"));
        let wrong = app
            .post_form_raw(&path, &format!("csrf={}", "A".repeat(43)))
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::FORBIDDEN,
            "{action} with a wrong token"
        );
        for (name, value) in [
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ] {
            let request = Request::post(&path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(name, value)
                .body(Body::from(format!("csrf={token}")))
                .unwrap();
            assert_eq!(
                app.send(request).await.status,
                StatusCode::FORBIDDEN,
                "{action} from {value}"
            );
        }
    }
    assert_eq!(
        app.get("/account").await.status,
        StatusCode::OK,
        "still signed in: nothing happened"
    );
}

#[tokio::test]
async fn a_password_can_be_set_and_used_and_wrong_ones_answer_alike() {
    let app = spawn_app().await;
    app.sign_in("pw@example.org", "Pw").await;
    let short = app.post_form("/account/password", "password=short").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("Use at least 10 characters."));
    let common = app
        .post_form("/account/password", "password=Password123")
        .await;
    assert!(common.body.contains("That password is too common."));
    let saved = app
        .post_form("/account/password", "password=base+and+flyer+2026")
        .await;
    assert_eq!(saved.status, StatusCode::OK);
    assert!(saved.body.contains("Your password is saved."));
    assert!(app.get("/account").await.body.contains("Change password"));

    let phone = app.another_browser();
    let wrong = phone
        .post_form(
            "/login/password",
            "email=pw%40example.org&password=base+and+flyer+2025",
        )
        .await;
    let unknown = phone
        .post_form(
            "/login/password",
            "email=nobody%40example.org&password=base+and+flyer+2025",
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("That email and password do not match."));
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(
        wrong.body.replace("pw@example.org", "EMAIL"),
        unknown.body.replace("nobody@example.org", "EMAIL")
    );

    let right = phone
        .post_form(
            "/login/password",
            "email=PW%40example.org&password=base+and+flyer+2026&next=%2Faccount",
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.header(header::LOCATION), "/account");
    assert_eq!(phone.get("/account").await.status, StatusCode::OK);
}

#[tokio::test]
async fn ten_wrong_passwords_pause_password_sign_in_but_not_links() {
    let clock = Clock::fixed("2026-11-25T12:00:00Z".parse().unwrap());
    let app = spawn_app_with(Options {
        clock: clock.clone(),
        ..Options::default()
    })
    .await;
    app.sign_in("lock@example.org", "Lock").await;
    app.post_form("/account/password", "password=a+long+good+password")
        .await;
    let thief = app.another_browser();
    for attempt in 0..10 {
        let response = thief
            .post_form(
                "/login/password",
                &format!("email=lock%40example.org&password=guess{attempt:04}xyz"),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let paused = thief
        .post_form(
            "/login/password",
            "email=lock%40example.org&password=a+long+good+password",
        )
        .await;
    assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(paused.body.contains("Password sign-in is paused"));
    // The owner is told the link still works, with the button for it right there.
    assert!(
        paused
            .body
            .contains("A sign-in link by email still works: we send it to")
    );
    assert!(
        paused
            .body
            .contains(r#"<input type="hidden" name="email" value="lock@example.org">"#),
        "{}",
        paused.body
    );

    let by_link = app
        .another_browser()
        .sign_in("lock@example.org", "Lock")
        .await;
    assert_eq!(
        by_link.status,
        StatusCode::SEE_OTHER,
        "magic links still work"
    );

    clock.advance(jiff::SignedDuration::from_mins(16));
    let later = thief
        .post_form(
            "/login/password",
            "email=lock%40example.org&password=a+long+good+password",
        )
        .await;
    assert_eq!(later.status, StatusCode::SEE_OTHER, "the pause ends");
}

#[tokio::test]
async fn the_email_address_changes_only_through_the_link_sent_to_it() {
    let app = spawn_app().await;
    app.sign_in("old@example.org", "Mover").await;
    app.another_browser()
        .sign_in("taken@example.org", "Other")
        .await;

    let bad = app.post_form("/account/email", "email=nope").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("Enter an email address like name@example.org.")
    );
    let same = app
        .post_form("/account/email", "email=old%40example.org")
        .await;
    assert!(same.body.contains("That is already your address."));

    let sent = app
        .post_form("/account/email", "email=New%40Example.org")
        .await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(
        sent.body
            .contains("We sent a confirmation link to new@example.org")
    );
    let url = app
        .link_for("new@example.org", "/account/email/")
        .await
        .expect("a link to the new address");
    let path = app.path_of(&url);
    let confirm = app.get(&path).await;
    assert!(confirm.body.contains("Use this address"));
    assert!(
        app.get("/account").await.body.contains("old@example.org"),
        "not changed by opening"
    );

    let done = app.post_form(&path, "").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let account = app.get("/account?email_changed=1").await;
    assert!(account.body.contains("new@example.org"));
    assert!(account.body.contains("Your email address is changed."));
    assert!(
        accounts::find_by_email(&app.ctx, &Email::parse("old@example.org").unwrap())
            .await
            .unwrap()
            .is_none(),
        "the old address is free"
    );
    let again = app.post_form(&path, "").await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "a link works once");

    app.post_form("/account/email", "email=taken%40example.org")
        .await;
    let url = app
        .link_for("taken@example.org", "/account/email/")
        .await
        .unwrap();
    let taken = app.post_form(&app.path_of(&url), "").await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(
        taken
            .body
            .contains("already belongs to another Jamie account")
    );
}

#[tokio::test]
async fn deleting_the_account_removes_it_after_confirmation() {
    let app = spawn_app().await;
    app.sign_in("gone@example.org", "Gone").await;
    let unconfirmed = app
        .post_form("/account/delete", "confirm=someone%40example.org")
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed
            .body
            .contains("Type your account&#39;s email address exactly")
            || unconfirmed
                .body
                .contains("Type your account's email address exactly")
    );

    let deleted = app
        .post_form("/account/delete", "confirm=GONE%40example.org")
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(app.cookie(SESSION_COOKIE).is_none());
    assert!(
        accounts::find_by_email(&app.ctx, &Email::parse("gone@example.org").unwrap())
            .await
            .unwrap()
            .is_none()
    );
    // The address can sign up afresh.
    let back = app.sign_in("gone@example.org", "Back").await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert!(app.get("/").await.body.contains("Back"));
}

#[tokio::test]
async fn email_change_links_are_rate_limited() {
    let app = spawn_app().await;
    app.sign_in("chatty@example.org", "Chatty").await;
    for i in 0..5 {
        let sent = app
            .post_form("/account/email", &format!("email=target{i}%40example.org"))
            .await;
        assert_eq!(sent.status, StatusCode::OK, "request {i}");
    }
    let limited = app
        .post_form("/account/email", "email=target9%40example.org")
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited
            .body
            .contains("Too many confirmation links were requested.")
    );
    assert!(
        limited.body.contains(r#"value="target9@example.org""#),
        "what was typed is kept"
    );
}

#[tokio::test]
async fn removing_an_address_from_superadmin_emails_demotes_it_at_next_sign_in() {
    let app = spawn_app_with(Options {
        superadmin_emails: vec!["boss@example.org".to_owned()],
        ..Options::default()
    })
    .await;
    app.sign_in("boss@example.org", "Boss").await;
    assert_eq!(app.get("/admin").await.status, StatusCode::OK);

    let mut config = (*app.ctx.config).clone();
    config.superadmin_emails.clear();
    let demoted = app.with_config(config).await;
    demoted.sign_in("boss@example.org", "Boss").await;
    assert_eq!(demoted.get("/admin").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn parallel_password_guesses_cannot_pass_the_limit() {
    let app = spawn_app().await;
    app.sign_in("target@example.org", "Target").await;
    app.post_form("/account/password", "password=a+long+good+password")
        .await;
    let thief = app.another_browser();
    thief.get("/login").await;
    let token = thief.csrf_token().unwrap();
    let guesses: Vec<_> = (0..30)
        .map(|i| {
            let thief = thief.clone();
            let form = format!("email=target%40example.org&password=guess{i:04}xyz&csrf={token}");
            tokio::spawn(async move { thief.post_form_raw("/login/password", &form).await.status })
        })
        .collect();
    let mut checked = 0;
    for guess in guesses {
        match guess.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(
        checked, 10,
        "exactly 10 guesses were checked; the rest were paused"
    );
}

#[tokio::test]
async fn the_login_form_is_prefilled_only_with_a_well_formed_address() {
    let app = spawn_app().await;
    let page = app
        .get(&format!(
            "/login?next={}&email={}",
            encode("/jams"),
            encode(" Qa.Cora@Example.org ")
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(r#"value="qa.cora@example.org""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"name="next" value="/jams""#));
    let hostile = app
        .get(&format!(
            "/login?email={}",
            encode(r#""><script>alert(1)</script>"#)
        ))
        .await;
    assert_eq!(hostile.status, StatusCode::OK);
    assert!(!hostile.body.contains("<script>alert"));
    assert!(
        !hostile.body.contains("alert(1)"),
        "an invalid address is not echoed"
    );
}

#[tokio::test]
async fn the_all_series_page_reads_its_owners_at_once_whatever_their_number() {
    let app = spawn_app_with(Options {
        superadmin_emails: vec!["root@example.org".to_owned()],
        ..Options::default()
    })
    .await;
    app.sign_in("root@example.org", "Root").await;
    let counter = jamie_tests::calls::CallCounter::default();
    let counted = app.with_context(counter.context(&app.ctx));
    let mut tallies = Vec::new();
    for (from, to) in [(0, 3), (3, 15)] {
        for owner in from..to {
            jamie_tests::jam::scheduled(&app.ctx, &format!("owner{owner}@example.org"), 1, 1).await;
        }
        counter.take();
        let page = counted.get("/admin/series").await;
        assert_eq!(page.status, StatusCode::OK);
        for owner in 0..to {
            assert!(
                page.body.contains(&format!("owner{owner}@example.org")),
                "owner {owner} shown"
            );
        }
        tallies.push(counter.take());
    }
    assert_eq!(tallies[0], tallies[1], "3 and 15 series, the same calls");
    let calls = &tallies[0];
    assert_eq!(calls.get("Query"), Some(&1), "{calls:?}");
    assert_eq!(calls.get("BatchGetItem"), Some(&1), "{calls:?}");
    assert_eq!(
        jamie_tests::calls::describe(calls),
        "1 BatchGetItem + 2 GetItem + 1 Query",
        "the sign-in and its user, the listing, the owners"
    );
}

#[tokio::test]
async fn a_form_sent_signed_out_leads_to_sign_in_and_back_to_its_page() {
    let app = spawn_app().await;
    app.get("/").await;
    let token = app.csrf_token().expect("the CSRF cookie is set");
    let from = format!("{}/account", app.ctx.config.base_url.as_str());
    for (referer, location) in [
        (Some(from.as_str()), "/login?next=%2Faccount"),
        (Some("https://evil.example/account"), "/login"),
        (None, "/login"),
    ] {
        let mut request = Request::post("/account/name")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(referer) = referer {
            request = request.header(header::REFERER, referer);
        }
        let response = app
            .send(
                request
                    .body(Body::from(format!("display_name=Ana&csrf={token}")))
                    .unwrap(),
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{referer:?}");
        assert_eq!(response.header(header::LOCATION), location, "{referer:?}");
    }
}
