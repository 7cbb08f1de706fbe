//! What every answer says about itself: caching (never for anything personal), the referrer
//! policy of addresses that hold a secret, `noindex` on unlisted series, our own page for every
//! rejection the framework makes, and `/dev/*` served by the dev server alone.

use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use jamie_tests::{TestResponse, jam, send, spawn_app};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};
use web_common::{MAX_URI_BYTES, NO_STORE};

use crate::public::{organizer_with_session, registration};

/// `path` with its `{series}` and `{session}` filled in, every other parameter a made-up value.
fn concrete(path: &str, series: &str, session: &str) -> String {
    path.split('/')
        .map(|segment| match segment {
            "{series}" => series,
            "{session}" => session,
            other if other.starts_with('{') => "made-up",
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn assert_our_page(response: &TestResponse, status: StatusCode, words: &str, what: &str) {
    assert_eq!(response.status, status, "{what}: {}", response.body);
    assert!(
        response
            .header(header::CONTENT_TYPE)
            .starts_with("text/html"),
        "{what}: {}",
        response.header(header::CONTENT_TYPE)
    );
    assert!(response.body.contains(words), "{what}: {}", response.body);
    assert!(
        response
            .body
            .contains(&format!("Error {}", status.as_u16())),
        "{what}"
    );
    assert_security_headers(response, what);
}

fn assert_security_headers(response: &TestResponse, what: &str) {
    assert!(
        response
            .header(header::CONTENT_SECURITY_POLICY)
            .contains("frame-ancestors 'none'"),
        "{what}"
    );
    assert_eq!(
        response.header(header::X_CONTENT_TYPE_OPTIONS),
        "nosniff",
        "{what}"
    );
    assert_eq!(response.header(header::X_FRAME_OPTIONS), "DENY", "{what}");
    assert_eq!(response.header(header::CACHE_CONTROL), NO_STORE, "{what}");
}

#[tokio::test]
async fn no_route_is_cached_but_the_public_files_and_secret_addresses_send_no_referrer() {
    let app = spawn_app().await;
    app.sign_in("org@example.org", "Olga Organizer").await;
    let jam = jam::scheduled(&app.ctx, "org@example.org", 2, 2).await;
    let (series, session) = (jam.series.to_string(), jam.session.to_string());
    let visitor = app.another_browser();

    let routes = jamie_infra::routes();
    assert!(routes.routes().len() >= 50, "{:?}", routes.routes());
    for route in routes.routes() {
        let holds_a_secret = ["{token}", "{key}"]
            .iter()
            .any(|secret| route.path.contains(secret))
            || route.path.starts_with("/dev/mailbox")
            // Its `next` may be a link on its way back (`/login?next=/account/email/…`).
            || route.path == "/login";
        assert_eq!(
            route.secret, holds_a_secret,
            "{} must be declared with Routes::secret_page/secret_action",
            route.path
        );
        let path = concrete(route.path, &series, &session);
        let mut answers = vec![
            ("the organizer's GET", app.get(&path).await),
            ("a visitor's GET", visitor.get(&path).await),
        ];
        if route.action {
            answers.push(("a POST without a token", app.post_form_raw(&path, "").await));
        }
        for (who, response) in answers {
            let what = format!("{who} of {path}");
            assert!(!response.status.is_server_error(), "{what}: {response:?}");
            assert_eq!(response.header(header::CACHE_CONTROL), NO_STORE, "{what}");
            assert_eq!(
                response.header(header::REFERRER_POLICY),
                if route.secret {
                    "no-referrer"
                } else {
                    "strict-origin-when-cross-origin"
                },
                "{what}"
            );
            if route.secret {
                assert_eq!(response.header("x-robots-tag"), "noindex", "{what}");
            }
        }
    }

    // The assets function's routes: a made-up file is a page like any other…
    for path in assets::PATHS {
        let path = concrete(path, &series, &session);
        let response = visitor.get(&path).await;
        if response.status == StatusCode::NOT_FOUND {
            assert_eq!(response.header(header::CACHE_CONTROL), NO_STORE, "{path}");
        }
    }
    // …and only the public files are cached, by whoever fetches them.
    for (path, caching) in [
        (
            jamie_templates::assets::path("app.css"),
            "public, max-age=31536000, immutable",
        ),
        ("/favicon.ico".to_owned(), "public, max-age=86400"),
        (format!("/s/{session}.ics"), "public, max-age=300"),
        (format!("/series/{series}.ics"), "public, max-age=300"),
    ] {
        // A first visit and a signed-in one: no cookie rides on what a shared cache keeps.
        for browser in [&app.another_browser(), &app] {
            let response = browser.get(&path).await;
            assert_eq!(response.status, StatusCode::OK, "{path}");
            assert_eq!(response.header(header::CACHE_CONTROL), caching, "{path}");
            assert_eq!(response.header(header::SET_COOKIE), "", "{path}");
        }
    }
}

#[tokio::test]
async fn no_function_answers_dev_paths_only_the_dev_server_does() {
    let app = spawn_app().await;
    let functions: [(&str, axum::Router, Vec<web_common::Route>); 6] = [
        (
            "web-public",
            web_public::app(app.ctx.clone()),
            web_public::routes().routes().to_vec(),
        ),
        (
            "web-auth",
            web_auth::app(app.ctx.clone()),
            web_auth::routes().routes().to_vec(),
        ),
        (
            "web-admin",
            web_admin::app(app.ctx.clone()),
            web_admin::routes().routes().to_vec(),
        ),
        (
            "web-jams",
            web_jams::app(app.ctx.clone()),
            web_jams::routes().routes().to_vec(),
        ),
        (
            "web-dashboard",
            web_dashboard::app(app.ctx.clone()),
            web_dashboard::routes().routes().to_vec(),
        ),
        ("assets", assets::app(), Vec::new()),
    ];
    for (name, router, routes) in functions {
        assert!(
            routes.iter().all(|route| !route.path.starts_with("/dev")),
            "{name}: {routes:?}"
        );
        for (method, path) in [
            (Method::GET, "/dev/mailbox"),
            (Method::GET, "/dev/mailbox/some-id"),
            (Method::GET, "/dev/mailbox/some-id/files/0"),
            (Method::GET, "/dev/telegram"),
            (Method::POST, "/dev/jobs/reminders"),
        ] {
            let request = Request::builder()
                .method(method.clone())
                .uri(path)
                .body(Body::empty())
                .unwrap();
            let response = send(router.clone(), request).await;
            assert!(
                matches!(
                    response.status,
                    StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
                ),
                "{name} answers {method} {path}: {}",
                response.status
            );
            assert!(
                !response.body.contains("Mailbox"),
                "{name} {path}: {}",
                response.body
            );
        }
    }
    let mailbox = app.get("/dev/mailbox").await;
    assert_eq!(mailbox.status, StatusCode::OK, "the dev server mounts it");
    assert_eq!(mailbox.header(header::REFERRER_POLICY), "no-referrer");
}

#[tokio::test]
async fn an_unlisted_series_says_so_and_stays_out_of_search_engines_and_find_a_jam() {
    let (app, series, session) = organizer_with_session().await;
    let listed = jam::scheduled(&app.ctx, "pat@example.org", 2, 2).await;

    let own = app.get(&format!("/jams/{series}")).await;
    assert!(
        own.body
            .contains(r#"title="Reachable only by its links">Unlisted</span>"#),
        "{}",
        own.body
    );
    assert!(!own.body.contains(">Public</span>"));

    let visitor = app.another_browser();
    for path in [format!("/s/{session}"), format!("/series/{series}")] {
        let page = visitor.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            page.body
                .contains(r#"<meta name="robots" content="noindex">"#),
            "{path}"
        );
        assert_eq!(page.header("x-robots-tag"), "noindex", "{path}");
    }
    for path in [format!("/s/{session}.ics"), format!("/series/{series}.ics")] {
        assert_eq!(visitor.get(&path).await.header("x-robots-tag"), "noindex");
    }
    for path in [
        format!("/s/{}", listed.session),
        format!("/series/{}", listed.series),
    ] {
        let page = visitor.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains(r#"name="robots""#), "{path}");
        assert!(page.headers.get("x-robots-tag").is_none(), "{path}");
    }
    let find = visitor.get("/series").await;
    assert!(find.body.contains(&format!("/series/{}", listed.series)));
    assert!(!find.body.contains(&series.to_string()), "{}", find.body);
    assert!(!find.body.contains("Tuesday Jam"));
}

#[tokio::test]
async fn every_framework_rejection_is_our_own_page() {
    let (app, _series, session) = organizer_with_session().await;
    let token = app.csrf_token().unwrap();

    let bad_path = app.get(&format!("/s/{session}%FF")).await;
    assert_our_page(
        &bad_path,
        StatusCode::BAD_REQUEST,
        "That request did not make sense",
        "a path that is not UTF-8",
    );
    assert!(!bad_path.body.contains("Invalid URL"));
    let bad_asset = app.get("/assets/%FF").await;
    assert_our_page(
        &bad_asset,
        StatusCode::BAD_REQUEST,
        "That request did not make sense",
        "an asset path that is not UTF-8",
    );

    let json = app
        .send(
            Request::post(format!("/s/{session}/register"))
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-csrf-token", &token)
                .body(Body::from(r#"{"name":"Ana"}"#))
                .unwrap(),
        )
        .await;
    assert_our_page(
        &json,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "That request did not make sense",
        "a JSON body",
    );
    assert!(!json.body.contains("Content-Type"), "{}", json.body);

    let huge = app
        .send(
            Request::post(format!("/s/{session}/register"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("x-csrf-token", &token)
                .body(Body::from(format!("name={}", "a".repeat(3 * 1024 * 1024))))
                .unwrap(),
        )
        .await;
    assert_our_page(
        &huge,
        StatusCode::PAYLOAD_TOO_LARGE,
        "That was too much at once",
        "a 3 MB body",
    );

    let long = app.get(&format!("/?q={}", "a".repeat(MAX_URI_BYTES))).await;
    assert_our_page(
        &long,
        StatusCode::URI_TOO_LONG,
        "That address is too long",
        "an 8 KB address",
    );

    let query = app.get("/calendar?month=2027-03&month=2027-04").await;
    assert_our_page(
        &query,
        StatusCode::BAD_REQUEST,
        "That request did not make sense",
        "a query given twice",
    );

    let method = app.get("/logout").await;
    assert_our_page(
        &method,
        StatusCode::METHOD_NOT_ALLOWED,
        "This address is only a form's destination",
        "a GET of a form's action",
    );
}

#[tokio::test]
async fn the_dev_server_answers_an_overlong_address_with_our_page() {
    let app = spawn_app().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(jamie_infra::dev::serve(listener, app.ctx, async {
        drop(stopped.await);
    }));
    let mut stream = TcpStream::connect(address).await.unwrap();
    let path = format!("/?q={}", "a".repeat(20 * 1024));
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 414"), "{response}");
    let lower = response.to_ascii_lowercase();
    assert!(lower.contains("content-type: text/html"), "{response}");
    assert!(lower.contains("x-frame-options: deny"), "{response}");
    assert!(response.contains("That address is too long"));
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_name_typed_with_a_right_to_left_override_comes_back_without_it() {
    let (app, series, session) = organizer_with_session().await;
    let visitor = app.another_browser();
    let name = "Ana\u{202E}esaB\u{202C} Flyer";
    let posted = visitor
        .post_form(
            &format!("/s/{session}/register"),
            &registration(name, "ana@example.org", "base"),
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    let table = app
        .get(&format!("/jams/{series}/sessions/{session}/registrations"))
        .await;
    assert!(table.body.contains("AnaesaB Flyer"), "{}", table.body);
    assert!(!table.body.contains('\u{202E}') && !table.body.contains('\u{202C}'));

    let renamed = app
        .post_form(
            "/account/name",
            &format!(
                "display_name={}",
                jamie_tests::encode("\u{2067}Olga\u{2069} O.")
            ),
        )
        .await;
    assert!(!renamed.status.is_server_error());
    let account = app.get("/account").await;
    assert!(account.body.contains("Olga O."), "{}", account.body);
    assert!(!account.body.contains('\u{2067}'));
}
