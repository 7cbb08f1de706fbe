//! The `web-admin` function: the superadmin's user list with search and paging, and blocking
//! and unblocking accounts, every series with its owner, the delivery log and the suppression
//! list. Access is decided by the domain.

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
    deliveries::{self, LogFilter},
    ids::UserId,
    jams::series::Visibility,
    outbox::Status,
    values::Email,
};
use jamie_templates::{
    components::percent_encode,
    pages::{
        admin::{SeriesListView, SeriesRow, UserRow, UsersView, series_list, users},
        deliveries::{DeliveryLogView, KINDS, SuppressionCheck, delivery_log as log_page},
    },
};
use serde::Deserialize;
use web_common::{AppError, PageContext, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .page("/admin", get(list))
        .page("/admin/series", get(all_series))
        .action("/admin/users/{id}/block", post(block))
        .action("/admin/users/{id}/unblock", post(unblock))
        .page("/admin/deliveries", get(delivery_log))
        .action(
            "/admin/deliveries/suppressions/lift",
            post(lift_suppression),
        )
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

#[derive(Debug, Default, Deserialize)]
struct LogQuery {
    /// `yyyy-mm-dd` (UTC); today when absent or not a past day.
    #[serde(default)]
    day: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    /// Part of a recipient's address.
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
    /// The address whose suppression to look up.
    #[serde(default)]
    email: String,
}

/// The delivery log of a UTC day, filtered, and the suppression lookup.
async fn delivery_log(
    State(ctx): State<Context>,
    page: PageContext,
    Query(query): Query<LogQuery>,
) -> Result<Response, AppError> {
    let today = ctx
        .clock
        .now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let day = query
        .day
        .parse::<jiff::civil::Date>()
        .ok()
        .filter(|day| *day <= today)
        .unwrap_or(today);
    let kind = KINDS
        .iter()
        .find(|(name, _)| *name == query.kind)
        .map(|(name, _)| *name);
    let recipient: String = query.q.chars().take(100).collect();
    let filter = LogFilter {
        status: Status::parse(&query.status),
        kind: kind.map(str::to_owned),
        recipient: recipient.clone(),
    };
    let after = (!query.after.is_empty()).then_some(query.after.as_str());
    let found = deliveries::log(&ctx, &page.principal, day, &filter, after).await?;
    let looked_up = match query.email.trim() {
        "" => None,
        raw => Some(Email::parse(raw).map(|email| (raw, email))),
    };
    let suppression = match &looked_up {
        Some(Ok((_, email))) => deliveries::suppression(&ctx, &page.principal, email).await?,
        _ => None,
    };
    let check = match (&looked_up, &suppression) {
        (None, _) => None,
        (Some(Err(error)), _) => Some(SuppressionCheck::Invalid(error.0)),
        (Some(Ok(_)), Some(suppression)) => Some(SuppressionCheck::Suppressed(suppression)),
        (Some(Ok((raw, _))), None) => Some(SuppressionCheck::NotSuppressed(raw)),
    };
    let view = DeliveryLogView {
        day,
        today,
        rows: &found.notifications,
        status: filter.status,
        kind: kind.unwrap_or_default(),
        recipient: &recipient,
        next: found.next.as_deref(),
        check,
    };
    Ok(log_page(&page.page("Deliveries"), &view).into_response())
}

#[derive(Debug, Deserialize)]
struct LiftInput {
    #[serde(default)]
    email: String,
}

/// Lifts a suppression, then shows the address's standing.
async fn lift_suppression(
    State(ctx): State<Context>,
    page: PageContext,
    Form(input): Form<LiftInput>,
) -> Result<Response, AppError> {
    let email = Email::parse(&input.email).map_err(|error| AppError::Refused(error.0.into()))?;
    deliveries::lift_suppression(&ctx, &page.principal, &email).await?;
    Ok(Redirect::to(&format!(
        "/admin/deliveries?email={}",
        percent_encode(email.as_str())
    ))
    .into_response())
}
