//! The `assets` function: the embedded stylesheet and scripts under content-hashed names, with
//! immutable cache headers. It needs no configuration and touches no data.

use axum::{
    Router,
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use jamie_templates::assets;
use jamie_web::AppError;

/// A hashed name never changes content: cache it for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// This function's routes, for the dev server to merge with the others.
pub fn routes() -> Router {
    Router::new().route("/assets/{file}", get(serve))
}

/// The router the Lambda serves.
pub fn app() -> Router {
    jamie_web::finish(routes())
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
