//! An organizer's registrations of one session: the table (filters, search, pages of 50),
//! entering someone by hand (over capacity when chosen), moving someone between roles or off
//! the waitlist, marking attendance, cancelling for someone, one registration's page (its
//! overrides and the person's history in the series), the CSV export and the printable
//! check-in list.

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
        self, Attendance, BookingError, Registration, RegistrationInput, RegistrationStatus, Role,
        RoleChoice, TableFilter, TablePage,
    },
    ids::{RegistrationId, SessionId},
    jams::{
        Fields, FormErrors,
        sessions::{Session, SessionStatus},
    },
};
use jamie_templates::{
    components::{FormState, percent_encode},
    pages::bookings::{
        CheckinRow, HistoryRow, MoveRow, RegistrationDetailView, RegistrationRow, TableView,
        checkin_list, registration_detail, registrations_table,
    },
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
            "/jams/{series}/sessions/{session}/registrations/{registration}",
            get(detail),
        )
        .action(
            "/jams/{series}/sessions/{session}/registrations/{registration}/move",
            post(move_to),
        )
        .action(
            "/jams/{series}/sessions/{session}/registrations/{registration}/attendance",
            post(attendance),
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

/// The moves an organizer may make of `registration`, as (label, action): off the waitlist into
/// the role(s) asked for, or into the other role. `back` is appended to come back to the page
/// the button is on.
fn move_actions(
    base_path: &str,
    session: &Session,
    registration: &Registration,
    back: &str,
) -> Vec<(String, String)> {
    if session.status != SessionStatus::Scheduled {
        return Vec::new();
    }
    let action = |role: Role| {
        format!(
            "{base_path}/registrations/{}/move?to={}{back}",
            registration.id,
            role.as_str()
        )
    };
    match (registration.status, registration.role) {
        (RegistrationStatus::Waitlisted, _) => registration
            .requested
            .roles()
            .iter()
            .map(|role| (format!("Confirm as {}", role.as_str()), action(*role)))
            .collect(),
        (RegistrationStatus::Confirmed, Some(held)) => {
            let other = match held {
                Role::Base => Role::Flyer,
                Role::Flyer => Role::Base,
            };
            vec![(format!("Move to {}", other.as_str()), action(other))]
        }
        _ => Vec::new(),
    }
}

/// Attendance buttons for a confirmed registration once the session has started.
fn attendance_actions(
    base_path: &str,
    session: &Session,
    registration: &Registration,
    now: jiff::Timestamp,
    back: &str,
) -> Vec<(String, String)> {
    if registration.status != RegistrationStatus::Confirmed || session.starts_at > now {
        return Vec::new();
    }
    let action = |mark: &str| {
        format!(
            "{base_path}/registrations/{}/attendance?mark={mark}{back}",
            registration.id
        )
    };
    let mut actions = Vec::new();
    if registration.attendance != Some(Attendance::Attended) {
        actions.push(("Attended".to_owned(), action("attended")));
    }
    if registration.attendance != Some(Attendance::NoShow) {
        actions.push(("No-show".to_owned(), action("no_show")));
    }
    if registration.attendance.is_some() {
        actions.push(("Clear attendance".to_owned(), action("clear")));
    }
    actions
}

fn registered_at(registration: &Registration, zone: &jiff::tz::TimeZone) -> String {
    registration
        .created_at
        .to_zoned_datetime(zone.clone())
        .strftime("%-d %b, %H:%M")
        .to_string()
}

/// The waitlist position of `registration` among `positions` (those of its session).
fn position_in(positions: &[(RegistrationId, u32)], registration: &Registration) -> Option<u32> {
    positions
        .iter()
        .find(|(id, _)| *id == registration.id)
        .map(|(_, position)| *position)
}

fn row(
    base_path: &str,
    session: &Session,
    positions: &[(RegistrationId, u32)],
    registration: &Registration,
    zone: &jiff::tz::TimeZone,
    now: jiff::Timestamp,
) -> RegistrationRow {
    let active = registration.status != RegistrationStatus::Cancelled;
    RegistrationRow {
        id: registration.id.to_string(),
        name: registration.name.clone(),
        email: registration.email.as_str().to_owned(),
        note: registration.note.clone(),
        requested: registration.requested.as_str().to_owned(),
        role: registration.role.map(|role| role.as_str().to_owned()),
        status: registration.status.as_str().to_owned(),
        position: position_in(positions, registration),
        registered_at: registered_at(registration, zone),
        manual: registration.manual,
        cancel_action: active
            .then(|| format!("{base_path}/registrations/{}/cancel", registration.id)),
        move_actions: move_actions(base_path, session, registration, ""),
        detail_href: format!("{base_path}/registrations/{}", registration.id),
        attendance: registration
            .attendance
            .map(|attendance| attendance.as_str().to_owned()),
        attendance_actions: attendance_actions(base_path, session, registration, now, ""),
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
    let TablePage {
        series,
        session,
        registrations,
        next,
    } = match bookings::table_page(
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
    let zone = series.zone();
    let now = ctx.clock.now();
    let positions = bookings::positions(&session);
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
        "moved" => Some("Moved; they are told by email."),
        "marked" => Some("Attendance saved."),
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
        rows: registrations
            .iter()
            .map(|registration| row(&base_path, &session, &positions, registration, &zone, now))
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
) -> Result<(jamie::jams::series::Series, Session, Vec<Registration>), BookingError> {
    let SessionPath(series_id, session_id) = ids;
    bookings::of_session(ctx, &page.principal, series_id, session_id).await
}

async fn export(State(ctx): State<Context>, page: PageContext, ids: SessionPath) -> Response {
    let (series, session, registrations) = match everyone(&ctx, &page, &ids).await {
        Ok(found) => found,
        Err(error) => return refused(&page, error),
    };
    let zone = series.zone();
    let csv = bookings::to_csv(&session, &registrations, &zone);
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

/// The registration named in the path.
fn registration_in(params: &BTreeMap<String, String>) -> Option<RegistrationId> {
    params
        .get("registration")
        .and_then(|raw| raw.parse::<RegistrationId>().ok())
}

#[derive(Debug, Default, Deserialize)]
struct ActionQuery {
    #[serde(default)]
    to: String,
    #[serde(default)]
    mark: String,
    /// "detail" to come back to the registration's page rather than the table.
    #[serde(default)]
    back: String,
}

/// Where an organizer's action on a registration returns to, saying what it did.
fn after_action(
    series: &jamie::ids::SeriesId,
    session: &SessionId,
    registration: &RegistrationId,
    query: &ActionQuery,
    done: &str,
) -> Response {
    let base_path = format!("/jams/{series}/sessions/{session}/registrations");
    let to = if query.back == "detail" {
        format!("{base_path}/{registration}?done={done}")
    } else {
        format!("{base_path}?done={done}")
    };
    Redirect::to(&to).into_response()
}

/// A refused action shown where it was asked: on the registration's page, or the table.
async fn action_refused(
    ctx: &Context,
    page: &PageContext,
    ids: &SessionPath,
    registration: &RegistrationId,
    query: &ActionQuery,
    error: BookingError,
) -> Response {
    let BookingError::Refused(message) = error else {
        return refused(page, error);
    };
    if query.back == "detail" {
        return render_detail(ctx, page, ids, registration, "", Some(message)).await;
    }
    let mut form = FormState::default();
    form.values.insert("role".to_owned(), "base".to_owned());
    render(ctx, page, ids, &TableQuery::default(), form, Some(message)).await
}

async fn move_to(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Path(params): Path<BTreeMap<String, String>>,
    Query(query): Query<ActionQuery>,
) -> Response {
    let SessionPath(series_id, session_id) = &ids;
    let Some(registration) = registration_in(&params) else {
        return AppError::NotFound.into_response();
    };
    let to = match query.to.as_str() {
        "base" => Role::Base,
        "flyer" => Role::Flyer,
        _ => return AppError::BadRequest("Choose base or flyer.").into_response(),
    };
    match bookings::move_registration(
        &ctx,
        &page.principal,
        series_id,
        session_id,
        &registration,
        to,
    )
    .await
    {
        Ok(_) => after_action(series_id, session_id, &registration, &query, "moved"),
        Err(error) => action_refused(&ctx, &page, &ids, &registration, &query, error).await,
    }
}

async fn attendance(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Path(params): Path<BTreeMap<String, String>>,
    Query(query): Query<ActionQuery>,
) -> Response {
    let SessionPath(series_id, session_id) = &ids;
    let Some(registration) = registration_in(&params) else {
        return AppError::NotFound.into_response();
    };
    let mark = match query.mark.as_str() {
        "clear" => None,
        raw => match Attendance::parse(raw) {
            Some(attendance) => Some(attendance),
            None => {
                return AppError::BadRequest("Mark attended, no-show or clear.").into_response();
            }
        },
    };
    match bookings::mark_attendance(
        &ctx,
        &page.principal,
        series_id,
        session_id,
        &registration,
        mark,
    )
    .await
    {
        Ok(()) => after_action(series_id, session_id, &registration, &query, "marked"),
        Err(error) => action_refused(&ctx, &page, &ids, &registration, &query, error).await,
    }
}

#[derive(Debug, Default, Deserialize)]
struct DetailQuery {
    #[serde(default)]
    done: String,
}

async fn detail(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Path(params): Path<BTreeMap<String, String>>,
    Query(query): Query<DetailQuery>,
) -> Response {
    let Some(registration) = registration_in(&params) else {
        return AppError::NotFound.into_response();
    };
    render_detail(&ctx, &page, &ids, &registration, &query.done, None).await
}

fn standing_label(registration: &Registration) -> String {
    registration
        .role
        .filter(|_| registration.status == RegistrationStatus::Confirmed)
        .map_or(registration.requested.as_str(), Role::as_str)
        .to_owned()
}

async fn render_detail(
    ctx: &Context,
    page: &PageContext,
    ids: &SessionPath,
    id: &RegistrationId,
    done: &str,
    problem: Option<&str>,
) -> Response {
    let SessionPath(series_id, session_id) = ids;
    let found = match bookings::registration_detail(ctx, &page.principal, series_id, session_id, id)
        .await
    {
        Ok(found) => found,
        Err(error) => return refused(page, error),
    };
    let zone = found.series.zone();
    let now = ctx.clock.now();
    let session = &found.session;
    let registration = &found.registration;
    let (date, time) = session_when(session, &zone);
    let base_path = format!("/jams/{series_id}/sessions/{session_id}");
    let table_href = format!("{base_path}/registrations");
    let moves: Vec<MoveRow> = registration
        .moves
        .iter()
        .map(|moved| MoveRow {
            at: moved
                .at
                .to_zoned_datetime(zone.clone())
                .strftime("%-d %b %Y, %H:%M")
                .to_string(),
            by: moved.by_name.clone(),
            from: moved.from.clone(),
            to: moved.to.clone(),
        })
        .collect();
    let history: Vec<HistoryRow> = found
        .history
        .iter()
        .map(|earlier| HistoryRow {
            series_date: earlier
                .starts_at
                .to_zoned_datetime(zone.clone())
                .strftime("%a %-d %b %Y")
                .to_string(),
            session_href: format!(
                "/jams/{series_id}/sessions/{}/registrations",
                earlier.session_id
            ),
            status: earlier.status.as_str().to_owned(),
            role: standing_label(earlier),
            attendance: earlier
                .attendance
                .map(|attendance| attendance.as_str().to_owned()),
            current: earlier.id == registration.id,
        })
        .collect();
    let (attended, no_shows) = found.attendance_counts();
    let move_actions = move_actions(&base_path, session, registration, "&back=detail");
    let attendance_actions =
        attendance_actions(&base_path, session, registration, now, "&back=detail");
    let cancel_action = (registration.status != RegistrationStatus::Cancelled)
        .then(|| format!("{base_path}/registrations/{}/cancel", registration.id));
    let position = bookings::position_of(session, &registration.id);
    let registered_at = registered_at(registration, &zone);
    let role = standing_label(registration);
    let notice = match done {
        "moved" => Some("Moved; they are told by email."),
        "marked" => Some("Attendance saved."),
        _ => None,
    };
    let view = RegistrationDetailView {
        series_name: &found.series.name,
        table_href: &table_href,
        date: &date,
        time: &time,
        name: &registration.name,
        email: registration.email.as_str(),
        note: &registration.note,
        status: registration.status.as_str(),
        role: &role,
        position,
        registered_at: &registered_at,
        manual: registration.manual,
        attendance: registration.attendance.map(Attendance::as_str),
        moves: &moves,
        history: &history,
        attended,
        no_shows,
        move_actions: &move_actions,
        attendance_actions: &attendance_actions,
        cancel_action: cancel_action.as_deref(),
        problem,
        notice,
    };
    let title = format!("{} — {}", registration.name, found.series.name);
    (
        status_for(problem.is_some()),
        registration_detail(&page.page(&title), &view),
    )
        .into_response()
}
