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
    authorization::Denied,
    bookings::{self, BookingError, MyRegistration, RegistrationStatus},
    ids::{RegistrationId, SessionId},
    jams::sessions::SessionStatus,
};
use jamie_templates::{
    components::percent_encode,
    pages::public::{MyRegistrationRow, MyRegistrationsView, my_registrations},
};
use serde::Deserialize;
use web_common::{AppError, PageContext, Routes, session_when};

pub(crate) fn routes() -> Routes {
    Routes::new().page("/my/registrations", get(list)).action(
        "/my/registrations/{session}/{registration}/cancel",
        post(cancel),
    )
}

fn refused(page: &PageContext, error: BookingError) -> Response {
    match error {
        BookingError::Denied(Denied::SignInRequired) => {
            Redirect::to(&format!("/login?next={}", percent_encode(&page.path))).into_response()
        }
        BookingError::Denied(_) => {
            AppError::Forbidden("This account cannot manage registrations.").into_response()
        }
        BookingError::Internal(error) => AppError::from(error).into_response(),
        _ => AppError::NotFound.into_response(),
    }
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
) -> Response {
    let (upcoming, past) = match bookings::mine(&ctx, &page.principal).await {
        Ok(found) => found,
        Err(error) => return refused(&page, error),
    };
    let Some(actor) = page.principal.actor() else {
        return refused(&page, BookingError::Denied(Denied::SignInRequired));
    };
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
    my_registrations(&page.page("My registrations"), &view).into_response()
}

async fn cancel(
    State(ctx): State<Context>,
    page: PageContext,
    Path(params): Path<BTreeMap<String, String>>,
) -> Response {
    let ids = params
        .get("session")
        .and_then(|raw| raw.parse::<SessionId>().ok())
        .zip(
            params
                .get("registration")
                .and_then(|raw| raw.parse::<RegistrationId>().ok()),
        );
    let Some((session, registration)) = ids else {
        return AppError::NotFound.into_response();
    };
    match bookings::cancel_mine(&ctx, &page.principal, &session, &registration).await {
        Ok(bookings::Cancelled::Now { .. }) => {
            Redirect::to("/my/registrations?done=cancelled").into_response()
        }
        Ok(bookings::Cancelled::Already) => {
            Redirect::to("/my/registrations?done=already").into_response()
        }
        Err(error) => refused(&page, error),
    }
}
