//! "My registrations": a signed-in participant's registrations (those made with their
//! account's address), upcoming and past, each cancellable here without its link.

use std::collections::BTreeMap;

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jamie::{
    Context,
    bookings::{self, MyRegistration, RegistrationStatus},
    ids::{RegistrationId, SessionId},
    jams::sessions::SessionStatus,
};
use jamie_templates::pages::public::{MyRegistrationRow, MyRegistrationsView, my_registrations};
use serde::Deserialize;
use web_common::{AppError, PageContext, Routes, session_when};

pub(crate) fn routes() -> Routes {
    Routes::new().page("/my/registrations", get(list)).action(
        "/my/registrations/{session}/{registration}/cancel",
        post(cancel),
    )
}

fn row(ctx: &Context, mine: &MyRegistration) -> MyRegistrationRow {
    let MyRegistration {
        registration,
        session,
        series,
    } = mine;
    let (date, time) = session_when(session, &series.zone());
    let session_state = match session.status {
        SessionStatus::Cancelled => Some("Cancelled by the organizers".to_owned()),
        SessionStatus::Completed => Some("Completed".to_owned()),
        SessionStatus::Scheduled => None,
    };
    let cancellable = registration.status != RegistrationStatus::Cancelled
        && session.status == SessionStatus::Scheduled
        && session.ends_at > ctx.clock.now();
    MyRegistrationRow {
        series_name: series.name.clone(),
        session_href: format!("/s/{}", session.id),
        date,
        time,
        time_zone: series.time_zone.to_string(),
        status: registration.status,
        requested: registration.requested,
        role: registration.role,
        session_state,
        cancel_action: cancellable.then(|| {
            format!(
                "/my/registrations/{}/{}/cancel",
                session.id, registration.id
            )
        }),
        attendance: registration.attendance,
    }
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    done: String,
}

async fn list(
    State(ctx): State<Context>,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (upcoming, past) = bookings::mine(&ctx, &page.principal).await?;
    let actor = page.principal.actor().ok_or(AppError::SignInRequired)?;
    let upcoming: Vec<MyRegistrationRow> = upcoming.iter().map(|mine| row(&ctx, mine)).collect();
    let past: Vec<MyRegistrationRow> = past.iter().map(|mine| row(&ctx, mine)).collect();
    let view = MyRegistrationsView {
        email: actor.user.email.as_str(),
        upcoming: &upcoming,
        past: &past,
        notice: match query.done.as_str() {
            "cancelled" => Some("Your registration is cancelled; the organizers are told."),
            "already" => Some("That registration was already cancelled."),
            _ => None,
        },
    };
    Ok(my_registrations(&page.page("My registrations"), &view).into_response())
}

/// An id of the path; an address that names none is not found.
fn path_id<T: std::str::FromStr>(
    params: &BTreeMap<String, String>,
    name: &str,
) -> Result<T, AppError> {
    params
        .get(name)
        .and_then(|raw| raw.parse().ok())
        .ok_or(AppError::NotFound)
}

async fn cancel(
    State(ctx): State<Context>,
    page: PageContext,
    Path(params): Path<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let session: SessionId = path_id(&params, "session")?;
    let registration: RegistrationId = path_id(&params, "registration")?;
    // Someone else's registration is "not found": this page must not tell a signed-in
    // guesser that it exists.
    let done = match bookings::cancel_mine(&ctx, &page.principal, &session, &registration).await? {
        bookings::Cancelled::Now { .. } => "cancelled",
        bookings::Cancelled::Already => "already",
    };
    Ok(Redirect::to(&format!("/my/registrations?done={done}")).into_response())
}
