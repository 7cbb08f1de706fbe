//! The `web-public` function: everything a participant opens — the public session and series
//! pages with the registration form, the private cancel page, "my registrations" (signed in),
//! series photos, the health check and the theme preference.

mod bookings;
mod mine;

use axum::{
    Form, Json, Router,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jamie::{Context, sign_ins::LocalPath};
use jamie_templates::Theme;
use serde::{Deserialize, Serialize};
use web_common::{AppError, Routes};

/// This function's routes, for the dev server to merge with the others.
pub fn routes() -> Routes {
    Routes::new()
        .page("/health", get(health))
        .page("/photos/{series}/{file}", get(photo))
        .action("/preferences/theme", post(set_theme))
        .merge(bookings::routes())
        .merge(mine::routes())
}

/// The router the Lambda serves.
pub fn app(ctx: Context) -> Router {
    web_common::finish(routes().into_router(ctx))
}

/// A series photo or thumbnail, with long cache headers (its name never changes content).
async fn photo(
    State(ctx): State<Context>,
    axum::extract::Path((series, file)): axum::extract::Path<(String, String)>,
) -> Result<Response, AppError> {
    let key = format!("photos/{series}/{file}");
    let bytes = jamie::jams::photos::stored(&ctx, &key)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, jamie::jams::photos::CONTENT_TYPE),
            (header::CACHE_CONTROL, jamie::jams::photos::CACHE_CONTROL),
        ],
        bytes,
    )
        .into_response())
}

/// The body of `GET /health`.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct HealthBody {
    /// `ok` or `unavailable`.
    pub status: String,
    /// `reachable` or `unreachable`.
    pub store: String,
    /// Why the store is unreachable, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

async fn health(State(ctx): State<Context>) -> Response {
    let health = jamie::health::check(&ctx).await;
    let (status, body) = match health.store_problem {
        None => (
            StatusCode::OK,
            HealthBody {
                status: "ok".to_owned(),
                store: "reachable".to_owned(),
                detail: None,
            },
        ),
        Some(problem) => (
            StatusCode::SERVICE_UNAVAILABLE,
            HealthBody {
                status: "unavailable".to_owned(),
                store: "unreachable".to_owned(),
                detail: Some(problem),
            },
        ),
    };
    // Never cached, as every answer but the public files (`web_common::finish`).
    (status, Json(body)).into_response()
}

#[derive(Debug, Deserialize)]
struct ThemeForm {
    #[serde(default)]
    theme: String,
    #[serde(default)]
    back: String,
}

/// The theme switch without JavaScript: remember the choice in a cookie (the same one
/// `theme.js` writes) and go back where the reader was.
async fn set_theme(
    State(ctx): State<Context>,
    Form(form): Form<ThemeForm>,
) -> Result<Response, AppError> {
    let theme = Theme::parse(&form.theme).ok_or(AppError::BadRequest(
        "Choose the light, dark or system theme.",
    ))?;
    let back = LocalPath::parse(&form.back);
    let back = back.as_ref().map_or("/", LocalPath::as_str);
    let secure = if ctx.config.base_url.is_plain_http() {
        ""
    } else {
        "; Secure"
    };
    // Read by theme.js too, so not HttpOnly; it holds nothing secret.
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        Theme::COOKIE,
        theme.as_str()
    );
    let mut response = Redirect::to(back).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|_| AppError::BadRequest("Unknown theme."))?,
    );
    Ok(response)
}
