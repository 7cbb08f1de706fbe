//! The public pages, the assets and the theme switch, through the dev server's router.

use axum::http::{StatusCode, header};
use jamie_tests::spawn_app;

#[tokio::test]
async fn the_home_page_renders_in_the_layout() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response
            .header(header::CONTENT_TYPE)
            .starts_with("text/html")
    );
    assert!(response.body.contains("Run your acroyoga jam"));
    assert!(response.body.contains(r#"<a href="/login""#));
    assert!(response.body.contains(r##"href="#main""##), "skip link");
    assert!(
        response
            .header(header::CONTENT_SECURITY_POLICY)
            .contains("script-src 'self'")
    );
}

#[tokio::test]
async fn assets_are_served_under_their_hash_and_cached_forever() {
    let app = spawn_app().await;
    let home = app.get("/").await;
    for (asset, content_type) in [
        ("app.css", "text/css"),
        ("theme.js", "text/javascript"),
        ("htmx.min.js", "text/javascript"),
    ] {
        let path = jamie_templates::assets::path(asset);
        assert!(home.body.contains(&path), "the layout links {path}");
        let response = app.get(&path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert!(
            response
                .header(header::CONTENT_TYPE)
                .starts_with(content_type)
        );
        assert_eq!(
            response.header(header::CACHE_CONTROL),
            "public, max-age=31536000, immutable"
        );
        assert!(!response.body.is_empty());
    }
    let stale = app.get("/assets/app.0000000000.css").await;
    assert_eq!(stale.status, StatusCode::NOT_FOUND);
    assert!(stale.body.contains("We could not find that page"));
}

#[tokio::test]
async fn unknown_pages_get_a_404_page() {
    let app = spawn_app().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(response.body.contains("Error 404"));
    assert!(response.body.contains("Go to the home page"));
}

#[tokio::test]
async fn the_theme_switch_remembers_the_choice_and_goes_back() {
    let app = spawn_app().await;
    let response = app
        .post_form("/preferences/theme", "theme=dark&back=%2Fs%2Fsome-session")
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.header(header::LOCATION), "/s/some-session");
    assert_eq!(
        response.header(header::SET_COOKIE),
        "jamie_theme=dark; Path=/; Max-Age=31536000; SameSite=Lax",
        "plain-http localhost gets no Secure flag"
    );

    let request = axum::http::Request::get("/")
        .header(header::COOKIE, "jamie_theme=dark")
        .body(axum::body::Body::empty())
        .unwrap();
    let page = app.send(request).await;
    assert!(page.body.contains(r#"<html lang="en" data-theme="dark">"#));
}

#[tokio::test]
async fn the_theme_switch_never_redirects_off_site() {
    let app = spawn_app().await;
    for back in [
        "https%3A%2F%2Fevil.example",
        "%2F%2Fevil.example",
        "%2F%5Cevil.example",
        "",
    ] {
        let response = app
            .post_form("/preferences/theme", &format!("theme=light&back={back}"))
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
        assert_eq!(response.header(header::LOCATION), "/", "back={back}");
    }
}

#[tokio::test]
async fn a_bad_theme_gets_a_clear_400_page() {
    let app = spawn_app().await;
    let response = app
        .post_form("/preferences/theme", "theme=purple&back=%2F")
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response
            .body
            .contains("Choose the light, dark or system theme.")
    );
    assert!(response.headers.get(header::SET_COOKIE).is_none());

    let response = app.post_form("/preferences/theme", "back=%2F").await;
    assert!(
        response.status.is_client_error(),
        "a missing field is a 4xx, not a 500"
    );
}
