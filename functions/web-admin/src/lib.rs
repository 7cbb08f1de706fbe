//! The `web-admin` function: the superadmin's user list with search and paging, and blocking
//! and unblocking accounts. Access is decided by the domain (`accounts::list`, `block`, …).

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
    authorization::Denied,
    ids::UserId,
    jams::series::{self, SeriesError, Visibility},
};
use jamie_templates::{
    components::percent_encode,
    pages::admin::{SeriesListView, SeriesRow, UserRow, UsersView, series_list, users},
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
    at.strftime("%Y-%m-%d").to_string()
}

fn refused(page: &PageContext, error: AccountError) -> Response {
    match error {
        AccountError::Denied(Denied::SignInRequired) => {
            Redirect::to(&format!("/login?next={}", percent_encode(&page.path))).into_response()
        }
        AccountError::Denied(_) => {
            AppError::Forbidden("Only Jamie's administrators can see this page.").into_response()
        }
        AccountError::NotFound => AppError::NotFound.into_response(),
        AccountError::Internal(error) => AppError::from(error).into_response(),
        AccountError::CannotBlockSelf
        | AccountError::ReasonRequired
        | AccountError::OwnsUpcomingSessions => {
            AppError::Forbidden("That is not possible.").into_response()
        }
    }
}

async fn render(
    ctx: &Context,
    page: &PageContext,
    search: &str,
    after: &str,
    problem: Option<&str>,
) -> Response {
    let after = (!after.is_empty()).then_some(after);
    let listed = match accounts::list(ctx, &page.principal, search, after).await {
        Ok(listed) => listed,
        Err(error) => return refused(page, error),
    };
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
    (status, users(&page.page("Users"), &view)).into_response()
}

async fn list(
    State(ctx): State<Context>,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> Response {
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
) -> Response {
    let Ok(id) = id.parse::<UserId>() else {
        return AppError::NotFound.into_response();
    };
    match account_changes::block(&ctx, &page.principal, &id, &input.reason).await {
        Ok(()) => Redirect::to("/admin").into_response(),
        Err(error @ (AccountError::CannotBlockSelf | AccountError::ReasonRequired)) => {
            let message = error.to_string();
            render(&ctx, &page, "", "", Some(&message)).await
        }
        Err(error) => refused(&page, error),
    }
}

async fn unblock(
    State(ctx): State<Context>,
    page: PageContext,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<UserId>() else {
        return AppError::NotFound.into_response();
    };
    match account_changes::unblock(&ctx, &page.principal, &id).await {
        Ok(()) => Redirect::to("/admin").into_response(),
        Err(error) => refused(&page, error),
    }
}

/// Every series with its owner, newest first.
async fn all_series(
    State(ctx): State<Context>,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> Response {
    let after = (!query.after.is_empty()).then_some(query.after.as_str());
    let (found, next) = match series::all(&ctx, &page.principal, after).await {
        Ok(found) => found,
        Err(SeriesError::Denied(denied)) => return refused(&page, AccountError::Denied(denied)),
        Err(error) => return refused(&page, AccountError::Internal(error_of(error))),
    };
    let mut rows = Vec::with_capacity(found.len());
    for series in found {
        let owner = match accounts::get(&ctx, &series.owner).await {
            Ok(owner) => owner.map_or_else(
                || "(deleted account)".to_owned(),
                |owner| owner.email.as_str().to_owned(),
            ),
            Err(error) => return AppError::from(error).into_response(),
        };
        rows.push(SeriesRow {
            href: format!("/jams/{}", series.id),
            name: series.name,
            owner,
            created: day(series.created_at),
            archived: series.archived,
            unlisted: series.visibility == Visibility::Unlisted,
        });
    }
    let view = SeriesListView {
        rows,
        next: next.as_deref(),
    };
    series_list(&page.page("All series"), &view).into_response()
}

fn error_of(error: SeriesError) -> jamie::Error {
    match error {
        SeriesError::Internal(error) => error,
        other => jamie::Error::failed("listing series", other),
    }
}
