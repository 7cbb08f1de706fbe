//! The `assets` function: the embedded stylesheet, scripts, icon and web manifest under
//! content-hashed names with immutable cache headers, and `/favicon.ico` for browsers that ask.
//! It needs no configuration and touches no data.

use axum::{
    Router,
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use jamie_templates::assets;
use web_common::AppError;

/// A hashed name never changes content: cache it for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `/favicon.ico` has a fixed name: cached for a day, so a new icon shows up soon.
const A_DAY: &str = "public, max-age=86400";

/// This function's paths (with `{param}` placeholders), for the tests that try every route.
pub const PATHS: [&str; 2] = ["/assets/{file}", "/favicon.ico"];

/// This function's routes, for the dev server to merge with the others.
pub fn routes() -> Router {
    let [files, favicon_ico] = PATHS;
    Router::new()
        .route(files, get(serve))
        .route(favicon_ico, get(favicon))
}

/// Browsers ask for `/favicon.ico` on their own (and for pages without our layout, such as a
/// download): the SVG icon, which every current browser draws from its content type.
async fn favicon() -> Response {
    let file = assets::path("favicon.svg");
    let asset = assets::find(file.strip_prefix("/assets/").unwrap_or_default())
        .expect("the icon is embedded");
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, A_DAY),
        ],
        asset.bytes,
    )
        .into_response()
}

/// The router the Lambda serves.
pub fn app() -> Router {
    web_common::finish(routes().fallback(web_common::not_found))
}

async fn serve(Path(file): Path<String>) -> Result<Response, AppError> {
    let asset = assets::find(&file).ok_or(AppError::NotFound)?;
    let mut response = asset.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use axum::{body::Body, http::Request, http::StatusCode};
    use tower::ServiceExt;

    use super::*;

    async fn get(path: &str) -> Response {
        app()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn the_icon_and_the_manifest_are_served_with_their_types() {
        for (name, content_type) in [
            ("favicon.svg", "image/svg+xml"),
            ("manifest.webmanifest", "application/manifest+json"),
        ] {
            let response = get(&assets::path(name)).await;
            assert_eq!(response.status(), StatusCode::OK, "{name}");
            assert_eq!(response.headers()[header::CONTENT_TYPE], content_type);
            assert_eq!(response.headers()[header::CACHE_CONTROL], IMMUTABLE);
        }
        let response = get("/favicon.ico").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "image/svg+xml");
        assert_eq!(response.headers()[header::CACHE_CONTROL], A_DAY);
    }

    #[tokio::test]
    async fn unknown_files_get_the_not_found_page() {
        let response = get("/assets/nothing.0000000000.css").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(
            response.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
    }
}
