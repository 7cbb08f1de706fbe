//! The `web-jams` function, an organizer's series and sessions (`/jams/*`): the routes, [`app`]
//! and what its rooms of handlers share (the path extractors, the `?done=` query, statuses).

mod organizers;
mod photos;
mod places;
mod registrations;
mod series;
mod sessions;

use std::collections::BTreeMap;

use axum::{
    Router,
    extract::{FromRequestParts, Path},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use jamie::{
    Context,
    ids::{SeriesId, SessionId},
};
use jamie_templates::pages::jams::{self as views, ConfirmView};
use serde::Deserialize;
use web_common::{AppError, PageContext, Routes};

use organizers::{
    accept_invite, confirm_leave, confirm_remove, confirm_revoke, invite_organizer, leave_series,
    remove_organizer, revoke_invite, show_invite,
};
use series::{
    archive_series, confirm_archive, create_series, delete_series, edit_series, edit_series_form,
    new_series, show_series, unarchive_series,
};
use sessions::{
    cancel_session, complete_session, edit_session, schedule_form, schedule_sessions, show_session,
};

pub fn routes() -> Routes {
    Routes::new()
        .page("/jams/new", get(new_series))
        .action("/jams", post(create_series))
        .page("/jams/places", get(places::suggestions))
        .secret_page("/jams/invites/{token}", get(show_invite))
        .secret_action("/jams/invites/{token}/accept", post(accept_invite))
        .page("/jams/{series}", get(show_series))
        .page("/jams/{series}/edit", get(edit_series_form))
        .action("/jams/{series}/edit", post(edit_series))
        .action(
            "/jams/{series}/archive",
            get(confirm_archive).post(archive_series),
        )
        .action("/jams/{series}/unarchive", post(unarchive_series))
        .action("/jams/{series}/delete", post(delete_series))
        .page("/jams/{series}/sessions/new", get(schedule_form))
        .action("/jams/{series}/sessions", post(schedule_sessions))
        .page("/jams/{series}/sessions/{session}", get(show_session))
        .action("/jams/{series}/sessions/{session}/edit", post(edit_session))
        .action(
            "/jams/{series}/sessions/{session}/cancel",
            post(cancel_session),
        )
        .action(
            "/jams/{series}/sessions/{session}/complete",
            post(complete_session),
        )
        .action("/jams/{series}/invites", post(invite_organizer))
        .action(
            "/jams/{series}/invites/{invite}/revoke",
            get(confirm_revoke).post(revoke_invite),
        )
        .action(
            "/jams/{series}/organizers/{user}/remove",
            get(confirm_remove).post(remove_organizer),
        )
        .action(
            "/jams/{series}/leave",
            get(confirm_leave).post(leave_series),
        )
        .merge(photos::routes())
        .merge(registrations::routes())
}

pub fn app(ctx: Context) -> Router {
    web_common::finish(routes().into_router(ctx))
}

pub(crate) type FormFields = BTreeMap<String, String>;

/// The series of a `/jams/{series}/…` path; a malformed id is a page that does not exist.
pub(crate) struct SeriesPath(pub SeriesId);

/// The series and session of a `/jams/{series}/sessions/{session}/…` path.
pub(crate) struct SessionPath(pub SeriesId, pub SessionId);

/// The path's parameters by name.
async fn path_params(parts: &mut Parts) -> Result<BTreeMap<String, String>, AppError> {
    Path::<BTreeMap<String, String>>::from_request_parts(parts, &())
        .await
        .map(|Path(params)| params)
        .map_err(|_| AppError::NotFound)
}

fn param<T: std::str::FromStr>(
    params: &BTreeMap<String, String>,
    name: &str,
) -> Result<T, AppError> {
    params
        .get(name)
        .and_then(|raw| raw.parse().ok())
        .ok_or(AppError::NotFound)
}

impl<S: Send + Sync> FromRequestParts<S> for SeriesPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let params = path_params(parts).await?;
        Ok(Self(param(&params, "series")?))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SessionPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let params = path_params(parts).await?;
        Ok(Self(param(&params, "series")?, param(&params, "session")?))
    }
}

/// What the action that redirected here did (`?done=…`), with the figures some notices give.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    pub(crate) done: String,
    /// Scheduling: sessions made and dates skipped, the first and last new date.
    #[serde(default)]
    pub(crate) made: Option<usize>,
    #[serde(default)]
    pub(crate) skipped: Option<usize>,
    #[serde(default)]
    pub(crate) from: Option<jiff::civil::Date>,
    #[serde(default)]
    pub(crate) to: Option<jiff::civil::Date>,
}

/// 422 for a page re-rendered because of a problem, else 200.
pub(crate) fn status_for(problem: bool) -> StatusCode {
    if problem {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

/// The URL of a series photo as served by `web-public`.
pub fn photo_url(key: &str) -> String {
    format!("/{key}")
}

/// The page before a destructive action, with the real button.
pub(crate) fn confirm(page: &PageContext, view: &ConfirmView<'_>) -> Response {
    views::confirm_page(&page.page(view.heading), view).into_response()
}
