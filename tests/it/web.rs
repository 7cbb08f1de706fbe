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
    for (asset, content_type, linked) in [
        ("app.css", "text/css", true),
        ("theme.js", "text/javascript", true),
        // Only the pages that use htmx load it (the series form); the home page does not.
        ("htmx.min.js", "text/javascript", false),
    ] {
        let path = jamie_templates::assets::path(asset);
        assert_eq!(home.body.contains(&path), linked, "the layout links {path}");
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

/// Sends `path` with `Accept-Encoding: accept` and returns the response and its raw body.
async fn get_encoded(
    app: &jamie_tests::TestApp,
    path: &str,
    accept: &str,
) -> (axum::http::response::Parts, Vec<u8>) {
    use tower::ServiceExt;
    let mut request = axum::http::Request::get(path);
    if !accept.is_empty() {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (parts, bytes.to_vec())
}

fn decode(encoding: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    match encoding {
        "gzip" => flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap(),
        "br" => brotli_decompressor::Decompressor::new(bytes, 4096)
            .read_to_end(&mut out)
            .unwrap(),
        other => panic!("unexpected encoding {other}"),
    };
    out
}

#[tokio::test]
async fn pages_and_assets_are_compressed_as_the_browser_asks() {
    let app = spawn_app().await;
    let css = jamie_templates::assets::path("app.css");
    for path in ["/", css.as_str(), "/no/such/page"] {
        let (plain_parts, plain) = get_encoded(&app, path, "").await;
        assert!(plain_parts.headers.get(header::CONTENT_ENCODING).is_none());
        assert!(plain.len() > 1024, "{path} is worth compressing");
        for (accept, encoding) in [
            ("gzip, deflate, br, zstd", "br"),
            ("gzip", "gzip"),
            ("br;q=0.5, gzip;q=1.0", "gzip"),
        ] {
            let (parts, body) = get_encoded(&app, path, accept).await;
            assert_eq!(parts.status, plain_parts.status, "{path}");
            assert_eq!(
                parts.headers[header::CONTENT_ENCODING],
                encoding,
                "{path} {accept}"
            );
            assert!(
                parts.headers[header::VARY]
                    .to_str()
                    .unwrap()
                    .to_ascii_lowercase()
                    .contains("accept-encoding"),
                "{path}: caches keep the encodings apart"
            );
            assert!(
                body.len() * 2 < plain.len(),
                "{path} {encoding}: {} of {} bytes",
                body.len(),
                plain.len()
            );
            let decoded = decode(encoding, &body);
            if path.starts_with("/assets/") {
                assert_eq!(decoded, plain, "{path} decodes to the same file");
            } else {
                // The page carries a fresh CSRF token per browser: compare without it.
                let text = String::from_utf8(decoded).unwrap();
                assert!(text.starts_with("<!DOCTYPE html>"));
                assert_eq!(text.len(), plain.len(), "{path} decodes to the same page");
            }
            assert_eq!(
                parts.headers[header::X_CONTENT_TYPE_OPTIONS],
                "nosniff",
                "compressed responses keep the security headers"
            );
        }
    }
}

#[tokio::test]
async fn small_bodies_are_sent_as_they_are() {
    let app = spawn_app().await;
    let (parts, body) = get_encoded(&app, "/health", "br, gzip").await;
    if parts.status == StatusCode::OK {
        assert!(body.len() < 1024);
        assert!(parts.headers.get(header::CONTENT_ENCODING).is_none());
    }
}

#[tokio::test]
async fn a_rejected_form_gets_the_error_page_not_framework_text() {
    let app = spawn_app().await;
    // No `theme` field: axum's form extractor rejects it before our handler runs.
    let response = app.post_form("/preferences/theme", "back=%2F").await;
    assert!(response.status.is_client_error(), "{}", response.status);
    assert!(
        response
            .header(header::CONTENT_TYPE)
            .starts_with("text/html")
    );
    assert!(response.body.contains("That request did not make sense"));
    assert!(!response.body.contains("Failed to deserialize"));
    assert!(
        response.body.contains(r#"<main id="main""#),
        "in the layout"
    );
}

#[tokio::test]
async fn a_form_address_opened_directly_explains_itself() {
    let app = spawn_app().await;
    let response = app.get("/preferences/theme").await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        response
            .header(header::CONTENT_TYPE)
            .starts_with("text/html")
    );
    assert!(response.body.contains("only a form"));
    assert!(response.body.contains("Go to the home page"));
}

#[tokio::test]
async fn the_not_found_page_shows_the_header_the_reader_sees() {
    let app = spawn_app().await;
    app.sign_in("ana.lost@example.org", "Ana Lost").await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(response.body.contains("We could not find that page"));
    assert!(
        response.body.contains("Ana Lost"),
        "signed in, as on every page"
    );
    assert!(response.body.contains(r#"action="/logout""#));
    assert!(!response.body.contains(r#"href="/login""#));

    let dark = axum::http::Request::get("/no/such/page")
        .header(header::COOKIE, "jamie_theme=dark")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = jamie_tests::send(app.router.clone(), dark).await;
    assert!(
        response
            .body
            .contains(r#"<html lang="en" data-theme="dark">"#)
    );
}
