//! What keeps a sign-in its owner's: CSRF tokens bound to the sign-in (foreign and made-up pairs
//! refused), sensitive account changes that need the current password or a fresh sign-in link,
//! and a password change that ends every other sign-in.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use jamie::Clock;
use jamie_tests::{CSRF_COOKIE, Options, SESSION_COOKIE, TestApp, encode, spawn_app_with};
use jiff::{SignedDuration, Timestamp};

async fn app() -> TestApp {
    let now: Timestamp = "2027-03-10T12:00:00Z".parse().unwrap();
    spawn_app_with(Options {
        clock: Clock::fixed(now),
        ..Options::default()
    })
    .await
}

/// The CSRF token a page's forms carry, as a browser would read it.
fn page_token(body: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = body.find(marker).expect("a form with a CSRF token") + marker.len();
    body[start..start + 43].to_owned()
}

/// Posts `form` with `token` and exactly these cookies (`None` leaves one out).
async fn post_with(
    app: &TestApp,
    path: &str,
    form: &str,
    token: &str,
    csrf_cookie: Option<&str>,
    sign_in_cookie: Option<&str>,
) -> StatusCode {
    let cookies: Vec<String> = [(CSRF_COOKIE, csrf_cookie), (SESSION_COOKIE, sign_in_cookie)]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| format!("{name}={value}")))
        .collect();
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin");
    if !cookies.is_empty() {
        request = request.header(header::COOKIE, cookies.join("; "));
    }
    let body = if form.is_empty() {
        format!("csrf={token}")
    } else {
        format!("{form}&csrf={token}")
    };
    app.another_browser()
        .send(request.body(Body::from(body)).unwrap())
        .await
        .status
}

#[tokio::test]
async fn csrf_tokens_are_bound_to_the_sign_in_and_foreign_or_made_up_pairs_are_refused() {
    let app = app().await;
    // Before signing in: the login form carries a token bound to this browser's CSRF cookie.
    let login = app.get("/login").await;
    let before = page_token(&login.body);
    let cookie = app.cookie(CSRF_COOKIE).unwrap();
    assert_ne!(before, cookie, "the token is not the cookie's value");
    let signed_in = app.sign_in("ana@example.org", "Ana").await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "signing in works");
    let account = app.get("/account").await;
    let after = page_token(&account.body);
    assert_ne!(after, before, "signing in binds the forms to the sign-in");
    let ana_sign_in = app.cookie(SESSION_COOKIE).unwrap();

    let other = app.another_browser();
    other.sign_in("bo@example.org", "Bo").await;
    let bo_token = page_token(&other.get("/account").await.body);
    let bo_csrf = other.cookie(CSRF_COOKIE).unwrap();

    let rename = "display_name=Changed";
    let ana = Some(ana_sign_in.as_str());
    // Another browser's whole pair, with Ana's sign-in.
    assert_eq!(
        post_with(
            &app,
            "/account/name",
            rename,
            &bo_token,
            Some(&bo_csrf),
            ana
        )
        .await,
        StatusCode::FORBIDDEN,
        "a foreign pair"
    );
    // A made-up pair: any 43 characters in both the cookie and the field.
    let made_up = "A".repeat(43);
    assert_eq!(
        post_with(&app, "/account/name", rename, &made_up, Some(&made_up), ana).await,
        StatusCode::FORBIDDEN,
        "a made-up pair"
    );
    assert_eq!(
        post_with(
            &app,
            "/account/name",
            rename,
            &made_up,
            Some(&made_up),
            None
        )
        .await,
        StatusCode::FORBIDDEN,
        "a made-up pair, signed out"
    );
    // The pre-sign-in token once signed in, and a signed-in token signed out.
    assert_eq!(
        post_with(&app, "/account/name", rename, &before, Some(&cookie), ana).await,
        StatusCode::FORBIDDEN,
        "the pre-sign-in token after signing in"
    );
    assert_eq!(
        post_with(
            &app,
            "/login",
            "email=x%40example.org",
            &after,
            Some(&cookie),
            None
        )
        .await,
        StatusCode::FORBIDDEN,
        "a sign-in's token without the sign-in"
    );
    assert!(
        !app.get("/account").await.body.contains("Changed"),
        "nothing was renamed"
    );
    // The bound token works, from the page's form and as the header htmx sends.
    let renamed = app
        .post_form_raw(
            "/account/name",
            &format!("display_name=Ana+Bound&csrf={after}"),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert!(renamed.body.contains("Your name is saved."));
    let by_header = app
        .send(
            Request::post("/account/name")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("x-csrf-token", &after)
                .body(Body::from("display_name=Ana+Header"))
                .unwrap(),
        )
        .await;
    assert_eq!(by_header.status, StatusCode::OK);
    // Logging out works with it, and the login form is back on a pre-sign-in token.
    let out = app.post_form_raw("/logout", &format!("csrf={after}")).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/account").await.status, StatusCode::SEE_OTHER);
    assert_eq!(page_token(&app.get("/login").await.body), before);
}

/// Ages every sign-in past the 10 minutes in which an email link counts as recent.
fn later(app: &TestApp) {
    app.ctx.clock.advance(SignedDuration::from_mins(11));
}

#[tokio::test]
async fn setting_a_password_needs_a_fresh_link_and_changing_it_the_current_one_and_ends_other_sign_ins()
 {
    let app = app().await;
    app.sign_in("pat@example.org", "Pat").await;
    let phone = app.another_browser();
    phone.sign_in("pat@example.org", "Pat").await;
    later(&app);

    // No password yet and the sign-in is old: an email link is offered, back to this form.
    let page = app.get("/account").await;
    assert!(
        page.body
            .contains("this needs a sign-in from the last 10 minutes")
    );
    assert!(page.body.contains("Email me a sign-in link"));
    let refused = app
        .post_form("/account/password", "password=base+and+flyer+2027")
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused
            .body
            .contains("We can email you a sign-in link that brings you back here.")
    );
    assert!(!app.get("/account").await.body.contains("Change password"));

    // The link it offers brings Pat back to the form, now fresh.
    let requested = app
        .post_form(
            "/login",
            "email=pat%40example.org&next=%2Faccount%23password",
        )
        .await;
    assert!(requested.body.contains("Check your inbox"));
    let link = app.path_of(&app.magic_link_for("pat@example.org").await.unwrap());
    app.get(&link).await;
    let back = app.post_form(&link, "").await;
    assert_eq!(back.header("location"), "/account#password");
    let set = app
        .post_form("/account/password", "password=base+and+flyer+2027")
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert!(set.body.contains("Your password is saved."));

    // The other sign-ins ended, this one goes on.
    assert_eq!(phone.get("/account").await.status, StatusCode::SEE_OTHER);
    assert!(
        phone
            .follow(phone.get("/account").await)
            .await
            .body
            .contains("Log in")
    );
    assert_eq!(app.get("/account").await.status, StatusCode::OK);

    // Later, changing it needs the current password.
    later(&app);
    let page = app.get("/account").await;
    assert!(page.body.contains("Current password"));
    let missing = app
        .post_form("/account/password", "password=another+long+phrase")
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(
        missing
            .body
            .contains("Type your current password to confirm it is you.")
    );
    let wrong = app
        .post_form(
            "/account/password",
            "current_password=not+it+at+all&password=another+long+phrase",
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.body.contains("That is not your current password."));
    let laptop = app.another_browser();
    let by_password = laptop
        .post_form(
            "/login/password",
            "email=pat%40example.org&password=base+and+flyer+2027",
        )
        .await;
    assert_eq!(by_password.status, StatusCode::SEE_OTHER);
    let changed = app
        .post_form(
            "/account/password",
            "current_password=base+and+flyer+2027&password=another+long+phrase",
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(
        laptop.get("/account").await.status,
        StatusCode::SEE_OTHER,
        "the password sign-in elsewhere ended"
    );
    assert_eq!(app.get("/account").await.status, StatusCode::OK);

    // A fresh password sign-in is not a fresh link: it still asks for the password.
    let fresh = laptop
        .post_form(
            "/login/password",
            "email=pat%40example.org&password=another+long+phrase",
        )
        .await;
    assert_eq!(fresh.status, StatusCode::SEE_OTHER);
    assert_eq!(
        laptop
            .post_form("/account/password", "password=third+long+phrase")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn changing_the_address_and_deleting_the_account_need_a_recent_sign_in() {
    let app = app().await;
    app.sign_in("kai@example.org", "Kai").await;
    let set = app
        .post_form("/account/password", "password=kai+flies+on+tuesdays")
        .await;
    assert_eq!(
        set.status,
        StatusCode::OK,
        "fresh from the link: no password asked"
    );
    later(&app);

    let email = app
        .post_form("/account/email", "email=kai.new%40example.org")
        .await;
    assert_eq!(email.status, StatusCode::FORBIDDEN);
    assert!(
        email
            .body
            .contains("Type your current password to confirm it is you.")
    );
    assert!(
        email.body.contains(r#"value="kai.new@example.org""#),
        "what was typed is kept"
    );
    assert!(
        app.link_for("kai.new@example.org", "/account/email/")
            .await
            .is_none()
    );
    let email = app
        .post_form(
            "/account/email",
            "email=kai.new%40example.org&current_password=kai+flies+on+tuesdays",
        )
        .await;
    assert_eq!(email.status, StatusCode::OK, "{}", email.body);
    assert!(
        app.link_for("kai.new@example.org", "/account/email/")
            .await
            .is_some()
    );

    let delete = app
        .post_form("/account/delete", "confirm=kai%40example.org")
        .await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN);
    assert!(
        delete
            .body
            .contains("Type your current password to confirm it is you.")
    );
    let wrong = app
        .post_form(
            "/account/delete",
            "confirm=kai%40example.org&current_password=wrong+wrong+wrong",
        )
        .await;
    assert!(wrong.body.contains("That is not your current password."));
    assert_eq!(
        app.get("/account").await.status,
        StatusCode::OK,
        "still there"
    );
    let deleted = app
        .post_form(
            "/account/delete",
            &format!(
                "confirm={}&current_password=kai+flies+on+tuesdays",
                encode("kai@example.org")
            ),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    assert_eq!(app.get("/account").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn without_a_password_the_address_and_deletion_need_a_fresh_link() {
    let app = app().await;
    app.sign_in("lin@example.org", "Lin").await;
    later(&app);
    let email = app
        .post_form("/account/email", "email=lin.new%40example.org")
        .await;
    assert_eq!(email.status, StatusCode::FORBIDDEN);
    assert!(
        email
            .body
            .contains("this needs a sign-in from the last 10 minutes")
    );
    let delete = app
        .post_form("/account/delete", "confirm=lin%40example.org")
        .await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN);
    // A fresh link, and both work.
    app.sign_in("lin@example.org", "Lin").await;
    assert!(
        !app.get("/account")
            .await
            .body
            .contains("Email me a sign-in link")
    );
    let email = app
        .post_form("/account/email", "email=lin.new%40example.org")
        .await;
    assert_eq!(email.status, StatusCode::OK, "{}", email.body);
    let deleted = app
        .post_form("/account/delete", "confirm=lin%40example.org")
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
}
