//! The `web-admin` function: the superadmin's user list with search and paging, and blocking
//! and unblocking accounts, every series with its owner. Access is decided by the domain.

use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jamie::{
    Context, account_changes,
    accounts::{self, AccountError},
    admin,
    ids::UserId,
    jams::series::Visibility,
};
use jamie_templates::pages::admin::{
    SeriesListView, SeriesRow, UserRow, UsersView, series_list, users,
};
use serde::Deserialize;
use web_common::{AppError, PageContext, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .page("/admin", get(list))
        .page("/admin/series", get(all_series))
        .action("/admin/users/{id}/block", post(block))
        .action("/admin/users/{id}/unblock", post(unblock))
}

pub fn app(ctx: Context) -> Router {
    web_common::finish(routes().into_router(ctx))
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
}

fn day(at: jiff::Timestamp) -> String {
    jamie_templates::when::date(jamie_templates::when::local(at, &jiff::tz::TimeZone::UTC).date())
}

async fn render(
    ctx: &Context,
    page: &PageContext,
    search: &str,
    after: &str,
    problem: Option<&str>,
) -> Result<Response, AppError> {
    let after = (!after.is_empty()).then_some(after);
    let listed = accounts::list(ctx, &page.principal, search, after).await?;
    let viewer = page.principal.actor().map(|actor| actor.user.id.clone());
    let rows = listed
        .users
        .iter()
        .map(|user| UserRow {
            id: user.id.as_str(),
            email: user.email.as_str(),
            name: user.display_name.as_str(),
            created: day(user.created_at),
            last_login: user.last_login_at.map(day),
            series: user.series_count,
            blocked_reason: user.blocked.as_ref().map(|block| block.reason.as_str()),
            is_viewer: viewer.as_ref() == Some(&user.id),
        })
        .collect();
    let view = UsersView {
        search,
        rows,
        next: listed.next.as_deref(),
        problem,
    };
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, users(&page.page("Users"), &view)).into_response())
}

async fn list(
    State(ctx): State<Context>,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    render(&ctx, &page, &query.q, &query.after, None).await
}

#[derive(Debug, Deserialize)]
struct BlockInput {
    #[serde(default)]
    reason: String,
}

async fn block(
    State(ctx): State<Context>,
    page: PageContext,
    Path(id): Path<String>,
    Form(input): Form<BlockInput>,
) -> Result<Response, AppError> {
    let id: UserId = id.parse().map_err(|_| AppError::NotFound)?;
    match account_changes::block(&ctx, &page.principal, &id, &input.reason).await {
        Ok(()) => Ok(Redirect::to("/admin").into_response()),
        // Told above the list, where the reason was typed.
        Err(error @ (AccountError::CannotBlockSelf | AccountError::ReasonRequired)) => {
            let message = error.to_string();
            render(&ctx, &page, "", "", Some(&message)).await
        }
        Err(error) => Err(error.into()),
    }
}

async fn unblock(
    State(ctx): State<Context>,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: UserId = id.parse().map_err(|_| AppError::NotFound)?;
    account_changes::unblock(&ctx, &page.principal, &id).await?;
    Ok(Redirect::to("/admin").into_response())
}

/// Every series with its owner, newest first.
async fn all_series(
    State(ctx): State<Context>,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let after = (!query.after.is_empty()).then_some(query.after.as_str());
    let found = admin::all_series(&ctx, &page.principal, after).await?;
    let rows = found
        .series
        .into_iter()
        .map(|(series, owner)| SeriesRow {
            href: format!("/jams/{}", series.id),
            owner: owner.map_or_else(
                || "(deleted account)".to_owned(),
                |owner| owner.email.as_str().to_owned(),
            ),
            name: series.name,
            created: day(series.created_at),
            archived: series.archived,
            unlisted: series.visibility == Visibility::Unlisted,
        })
        .collect();
    let view = SeriesListView {
        rows,
        next: found.next.as_deref(),
    };
    Ok(series_list(&page.page("All series"), &view).into_response())
}
