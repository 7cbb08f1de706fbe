//! An organizer's registrations of one session: the table (filters, search, pages of 50),
//! entering someone by hand (over capacity when chosen), cancelling for someone, the CSV
//! export and the printable check-in list.

use std::collections::BTreeMap;

use axum::{
    Form,
    extract::{Path, Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jamie::{
    Context,
    authorization::Denied,
    bookings::{
        self, BookingError, Registration, RegistrationInput, RegistrationStatus, Role, RoleChoice,
        TableFilter,
    },
    ids::RegistrationId,
    jams::{Fields, FormErrors},
};
use jamie_templates::{
    components::{FormState, percent_encode},
    pages::bookings::{CheckinRow, RegistrationRow, TableView, checkin_list, registrations_table},
};
use jamie_web::{AppError, PageContext, Routes, form_state, session_counts, session_when};
use serde::Deserialize;

use crate::{SessionPath, status_for};

pub(crate) fn routes() -> Routes {
    Routes::new()
        .page(
            "/jams/{series}/sessions/{session}/registrations",
            get(table),
        )
        .action("/jams/{series}/sessions/{session}/registrations", post(add))
        .action(
            "/jams/{series}/sessions/{session}/registrations/{registration}/cancel",
            post(cancel_for),
        )
        .page(
            "/jams/{series}/sessions/{session}/registrations.csv",
            get(export),
        )
        .page("/jams/{series}/sessions/{session}/checkin", get(checkin))
}

fn refused(page: &PageContext, error: BookingError) -> Response {
    match error {
        BookingError::Denied(Denied::SignInRequired) => {
            Redirect::to(&format!("/login?next={}", percent_encode(&page.path))).into_response()
        }
        BookingError::Denied(_) => {
            AppError::Forbidden("Only this series' organizers can see its registrations.")
                .into_response()
        }
        BookingError::Internal(error) => AppError::from(error).into_response(),
        _ => AppError::NotFound.into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
struct TableQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    done: String,
}

fn status_filter(raw: &str) -> Option<RegistrationStatus> {
    match raw {
        "confirmed" => Some(RegistrationStatus::Confirmed),
        "waitlisted" => Some(RegistrationStatus::Waitlisted),
        "cancelled" => Some(RegistrationStatus::Cancelled),
        _ => None,
    }
}

fn row(base_path: &str, registration: &Registration, zone: &jiff::tz::TimeZone) -> RegistrationRow {
    let active = registration.status != RegistrationStatus::Cancelled;
    RegistrationRow {
        id: registration.id.to_string(),
        name: registration.name.clone(),
        email: registration.email.as_str().to_owned(),
        note: registration.note.clone(),
        requested: registration.requested.as_str().to_owned(),
        role: registration.role.map(|role| role.as_str().to_owned()),
        status: registration.status.as_str().to_owned(),
        position: registration
            .waitlist_seq
            .filter(|_| registration.status == RegistrationStatus::Waitlisted)
            .map(|seq| u32::try_from(seq + 1).unwrap_or(u32::MAX)),
        registered_at: registration
            .created_at
            .to_zoned_datetime(zone.clone())
            .strftime("%-d %b, %H:%M")
            .to_string(),
        manual: registration.manual,
        cancel_action: active
            .then(|| format!("{base_path}/registrations/{}/cancel", registration.id)),
        move_actions: Vec::new(),
    }
}

async fn render(
    ctx: &Context,
    page: &PageContext,
    ids: &SessionPath,
    query: &TableQuery,
    add_form: FormState,
    problem: Option<&str>,
) -> Response {
    let SessionPath(series_id, session_id) = ids;
    let filter = TableFilter {
        status: status_filter(&query.status),
        requested: RoleChoice::parse(&query.role),
        search: query.q.chars().take(100).collect(),
    };
    let after = query.after.parse::<RegistrationId>().ok();
    let (session, rows, next) = match bookings::table_page(
        ctx,
        &page.principal,
        series_id,
        session_id,
        &filter,
        after.as_ref(),
    )
    .await
    {
        Ok(found) => found,
        Err(error) => return refused(page, error),
    };
    let series = match jamie::jams::series::access(
        ctx,
        &page.principal,
        series_id,
        jamie::authorization::Operation::ViewSeries,
    )
    .await
    {
        Ok(access) => access.series,
        Err(_) => return AppError::NotFound.into_response(),
    };
    let zone = series.zone();
    let (date, time) = session_when(&session, &zone);
    let (base, flyer) = session_counts(&session);
    let base_path = format!("/jams/{series_id}/sessions/{session_id}");
    let list_path = format!("{base_path}/registrations");
    let next_href = next.map(|next| {
        format!(
            "{list_path}?status={}&role={}&q={}&after={next}",
            percent_encode(&query.status),
            percent_encode(&query.role),
            percent_encode(&query.q)
        )
    });
    let export_href = format!("{base_path}/registrations.csv");
    let checkin_href = format!("{base_path}/checkin");
    let notice = match query.done.as_str() {
        "added" => Some("Added."),
        "cancelled" => {
            Some("Cancelled; they are told by email, and the next person waiting got the spot.")
        }
        _ => None,
    };
    let view = TableView {
        series_name: &series.name,
        session_href: &base_path,
        date: &date,
        time: &time,
        base,
        flyer,
        waitlist: session.waitlisted,
        rows: rows
            .iter()
            .map(|registration| row(&base_path, registration, &zone))
            .collect(),
        status_filter: &query.status,
        role_filter: &query.role,
        search: &query.q,
        next_href,
        export_href: &export_href,
        checkin_href: &checkin_href,
        add_action: &list_path,
        add_form: &add_form,
        notice,
        problem,
    };
    let status = status_for(problem.is_some() || add_form.has_errors());
    let title = format!("Registrations — {} {date}", series.name);
    (status, registrations_table(&page.page(&title), &view)).into_response()
}

async fn table(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Query(query): Query<TableQuery>,
) -> Response {
    let mut form = FormState::default();
    form.values.insert("role".to_owned(), "base".to_owned());
    render(&ctx, &page, &ids, &query, form, None).await
}

async fn add(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Form(form): Form<BTreeMap<String, String>>,
) -> Response {
    let SessionPath(series_id, session_id) = &ids;
    let input = match RegistrationInput::parse(&Fields(&form), false) {
        Ok(input) => input,
        Err(errors) => {
            let state = form_state(form, errors);
            return render(&ctx, &page, &ids, &TableQuery::default(), state, None).await;
        }
    };
    let over_capacity = Fields(&form).get("override") == "yes";
    match bookings::register_for(
        &ctx,
        &page.principal,
        series_id,
        session_id,
        input,
        over_capacity,
    )
    .await
    {
        Ok(_) => Redirect::to(&format!(
            "/jams/{series_id}/sessions/{session_id}/registrations?done=added"
        ))
        .into_response(),
        Err(BookingError::AlreadyRegistered(_)) => {
            let errors = FormErrors::single("email", "This address is already registered.");
            let state = form_state(form, errors);
            render(&ctx, &page, &ids, &TableQuery::default(), state, None).await
        }
        Err(error @ (BookingError::Closed | BookingError::SessionCancelled)) => {
            let message = error.to_string();
            let state = form_state(form, FormErrors::default());
            render(
                &ctx,
                &page,
                &ids,
                &TableQuery::default(),
                state,
                Some(&message),
            )
            .await
        }
        Err(error) => refused(&page, error),
    }
}

async fn cancel_for(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Path(params): Path<BTreeMap<String, String>>,
) -> Response {
    let SessionPath(series_id, session_id) = &ids;
    let Some(registration) = params
        .get("registration")
        .and_then(|raw| raw.parse::<RegistrationId>().ok())
    else {
        return AppError::NotFound.into_response();
    };
    match bookings::cancel_for(&ctx, &page.principal, series_id, session_id, &registration).await {
        Ok(_) => Redirect::to(&format!(
            "/jams/{series_id}/sessions/{session_id}/registrations?done=cancelled"
        ))
        .into_response(),
        Err(error) => refused(&page, error),
    }
}

/// Every registration of the session with its series, for the export and the check-in list.
async fn everyone(
    ctx: &Context,
    page: &PageContext,
    ids: &SessionPath,
) -> Result<
    (
        jamie::jams::series::Series,
        jamie::jams::sessions::Session,
        Vec<Registration>,
    ),
    BookingError,
> {
    let SessionPath(series_id, session_id) = ids;
    let (session, registrations) =
        bookings::of_session(ctx, &page.principal, series_id, session_id).await?;
    let series = jamie::jams::series::access(
        ctx,
        &page.principal,
        series_id,
        jamie::authorization::Operation::ViewSeries,
    )
    .await
    .map_err(|_| BookingError::NotFound)?
    .series;
    Ok((series, session, registrations))
}

async fn export(State(ctx): State<Context>, page: PageContext, ids: SessionPath) -> Response {
    let (series, session, registrations) = match everyone(&ctx, &page, &ids).await {
        Ok(found) => found,
        Err(error) => return refused(&page, error),
    };
    let zone = series.zone();
    let csv = bookings::to_csv(&registrations, &zone);
    let day = session
        .starts_at
        .to_zoned_datetime(zone)
        .strftime("%Y-%m-%d")
        .to_string();
    let disposition = format!("attachment; filename=\"registrations-{day}.csv\"");
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        csv,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

async fn checkin(State(ctx): State<Context>, page: PageContext, ids: SessionPath) -> Response {
    let (series, session, registrations) = match everyone(&ctx, &page, &ids).await {
        Ok(found) => found,
        Err(error) => return refused(&page, error),
    };
    let (date, time) = session_when(&session, &series.zone());
    let mut confirmed: Vec<&Registration> = registrations
        .iter()
        .filter(|registration| registration.status == RegistrationStatus::Confirmed)
        .collect();
    confirmed.sort_by_key(|registration| registration.name.to_lowercase());
    let of = |role: Role| -> Vec<CheckinRow> {
        confirmed
            .iter()
            .filter(|registration| registration.role == Some(role))
            .map(|registration| CheckinRow {
                name: registration.name.clone(),
                role: role.as_str().to_owned(),
            })
            .collect()
    };
    let title = format!("Check-in — {} {date}", series.name);
    checkin_list(
        &page.page(&title),
        &series.name,
        &date,
        &time,
        &of(Role::Base),
        &of(Role::Flyer),
    )
    .into_response()
}
