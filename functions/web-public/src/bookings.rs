//! The participant's side: the public session page with its registration form, the private
//! result page, the private cancel page, the public series page and "Find a jam". No login.

use std::collections::BTreeMap;

use axum::{
    Form,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use jamie::{
    Context,
    bookings::{
        self, BookingError, Cancelled, Confirmation, LinkedRegistration, PublicSession,
        RegistrationInput, RegistrationStatus, Source,
    },
    ids::{SeriesId, SessionId},
    jams::{series, sessions::SessionStatus},
    values::{Fields, FormErrors, RoleChoice},
};
use jamie_templates::{
    Markup,
    calendar_files::{series_file_name, series_ics, session_file_name, session_ics},
    components::FormState,
    layout::Social,
    pages::public::{
        CancelState, CancelView, ConfirmState, ConfirmView, InboxView, ListedSeries,
        PublicSeriesView, PublicSessionView, PublicState, RegisteredView, SeriesSessionLink,
        cancel_page, confirm_page, counts_text, find_jams, inbox, public_series, public_session,
        registered,
    },
};
use web_common::{
    AppError, Client, PageContext, Routes, form_state, relative_when, session_counts, session_when,
    too_many_words,
};

pub(crate) fn routes() -> Routes {
    Routes::new()
        .page("/s/{session}", get(show_session))
        .action("/s/{session}/register", post(register))
        .secret_page("/s/{session}/registered/{key}", get(show_registered))
        .secret_page("/confirm/{token}", get(show_confirm))
        .secret_action("/confirm/{token}", post(confirm))
        .secret_page("/cancel/{token}", get(show_cancel))
        .secret_action("/cancel/{token}", post(cancel))
        .page("/series", get(find))
        .page("/series/{series}", get(show_series))
}

fn state_of(found: &PublicSession, now: jiff::Timestamp) -> PublicState {
    match found.session.status {
        SessionStatus::Cancelled => PublicState::Cancelled,
        SessionStatus::Completed => PublicState::Completed,
        SessionStatus::Scheduled if bookings::is_open(&found.session, now).is_err() => {
            if found.session.ends_at <= now {
                PublicState::Completed
            } else {
                PublicState::Closed
            }
        }
        SessionStatus::Scheduled => PublicState::Open,
    }
}

/// What the registration form shows besides the session.
#[derive(Default)]
struct FormOutcome<'a> {
    form: FormState,
    problem: Option<&'a str>,
    notice: Option<&'a str>,
}

async fn session_page(
    ctx: &Context,
    page: &PageContext,
    found: &PublicSession,
    outcome: FormOutcome<'_>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (session, series) = (&found.session, &found.series);
    let zone = series.zone();
    let (date, time) = session_when(session, &zone);
    let (base, flyer) = session_counts(session);
    let location = session.location(series);
    let maps_url = location.maps_url();
    let cost = session.cost(series).label();
    let base_url = ctx.config.base_url.as_str();
    let url = format!("{base_url}/s/{}", session.id);
    let photo = series
        .photo
        .as_ref()
        .map(|photo| format!("{base_url}/{}", photo.key));
    let series_href = format!("/series/{}", series.id);
    let register_action = format!("/s/{}/register", session.id);
    let calendar_href = format!("/s/{}.ics", session.id);
    let organizers = &series.organizer_names;
    let title = format!("{} — {date}", series.name);
    let summary = format!(
        "{date}, {time} · {} · {}",
        location.venue,
        counts_text(base, flyer, session.waitlisted)
    );
    let view = PublicSessionView {
        series_name: &series.name,
        series_href: &series_href,
        url: &url,
        photo: photo.clone(),
        date: &date,
        time: &time,
        time_zone: &series.time_zone,
        venue: &location.venue,
        address: &location.address,
        maps_url: &maps_url,
        cost: &cost,
        description: &series.description,
        level_notes: &series.level_notes,
        note: &session.note,
        organizers,
        base,
        flyer,
        waitlist: session.waitlisted,
        state: state_of(found, ctx.clock.now()),
        cancel_reason: session.cancel_reason.as_deref(),
        register_action: &register_action,
        form: &outcome.form,
        problem: outcome.problem,
        notice: outcome.notice,
        calendar_href: &calendar_href,
    };
    let social = Social {
        title: &title,
        description: &summary,
        url: &url,
        image: photo.as_deref(),
    };
    let mut page = page.page(&title).description(&summary).social(social);
    if unlisted(series) {
        page = page.noindex();
    }
    Ok(unindexed_if(
        unlisted(series),
        (status, public_session(&page, &view)).into_response(),
    ))
}

/// Whether `series` is reached only by its links: its pages are kept out of search engines.
fn unlisted(series: &series::Series) -> bool {
    series.visibility == series::Visibility::Unlisted
}

/// `response` with `X-Robots-Tag: noindex` when `noindex` (the header twin of the page's
/// `<meta name="robots">`, honoured for calendar files too).
fn unindexed_if(noindex: bool, mut response: Response) -> Response {
    if noindex {
        response.headers_mut().insert(
            header::HeaderName::from_static("x-robots-tag"),
            header::HeaderValue::from_static("noindex"),
        );
    }
    response
}

/// A session's day as read from now ("Tomorrow", "Thu 3 Dec", or the full date) and its time
/// range, apart, so the view keeps the range on one line.
fn relative_parts(
    session: &jamie::jams::sessions::Session,
    zone: &jiff::tz::TimeZone,
    now: jiff::Timestamp,
) -> (String, String) {
    let when = relative_when(session.starts_at, session.ends_at, zone, now);
    match when.rsplit_once(", ") {
        Some((day, time)) => (day.to_owned(), time.to_owned()),
        None => session_when(session, zone),
    }
}

/// A `/s/{session}` or `/series/{series}` segment: the page, or with `.ics` its calendar file
/// (the router matches no suffix after a parameter, so the handlers tell them apart).
fn calendar_or_page(raw: &str) -> (&str, bool) {
    match raw.strip_suffix(".ics") {
        Some(id) => (id, true),
        None => (raw, false),
    }
}

/// A calendar file: short public caching (a feed is fetched again within the hour anyway),
/// downloaded under `filename` (`attachment`) or shown by the browser (`inline`).
fn calendar_response(body: String, disposition: &str, filename: &str) -> Response {
    let disposition = format!("{disposition}; filename=\"{filename}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// `GET /s/{session}.ics`: the session's event, for a participant's calendar.
fn session_calendar(ctx: &Context, found: &PublicSession) -> Response {
    let (session, series) = (&found.session, &found.series);
    let body = session_ics(
        session,
        &series.name,
        Some(session.location(series)),
        &ctx.config.base_url.join(&format!("/s/{}", session.id)),
        ctx.config.base_url.host(),
        ctx.clock.now(),
    );
    let filename = session_file_name(&series.name, session.starts_at, &series.zone());
    unindexed_if(
        unlisted(series),
        calendar_response(body, "attachment", &filename),
    )
}

/// The session of a `/s/{session}/…` path; an address that names none is not found.
fn parse_session(raw: &str) -> Result<SessionId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

async fn show_session(
    State(ctx): State<Context>,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, calendar) = calendar_or_page(&id);
    let found = bookings::public_session(&ctx, &parse_session(id)?).await?;
    if calendar {
        return Ok(session_calendar(&ctx, &found));
    }
    let mut form = FormState::default();
    form.values.insert("role".to_owned(), String::new());
    let outcome = FormOutcome {
        form,
        ..FormOutcome::default()
    };
    session_page(&ctx, &page, &found, outcome, StatusCode::OK).await
}

async fn register(
    State(ctx): State<Context>,
    page: PageContext,
    Client(client): Client,
    Path(id): Path<String>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let id = parse_session(&id)?;
    // The session is read for the page only when the form goes back to the person: a
    // registration reads it once itself.
    let input = match RegistrationInput::parse(&Fields(&form), true) {
        Ok(input) => input,
        Err(errors) => {
            let outcome = FormOutcome {
                form: form_state(form, errors),
                problem: Some("Some fields need another look; see the notes beside them."),
                ..FormOutcome::default()
            };
            return form_again(&ctx, &page, &id, outcome, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match bookings::register_or_resend(&ctx, &id, input, Source::Public { client }).await {
        // The same page whether the address was new here or registered already (then its
        // confirmation went again): the form tells nobody who is registered. The result lives
        // behind the emailed links.
        Ok(answer) => Ok(private(inbox_page(&page, &answer).into_response())),
        // What the person can act on is said above the form, with what they typed.
        Err(error @ (BookingError::Closed | BookingError::SessionCancelled)) => {
            let message = error.to_string();
            let outcome = FormOutcome {
                form: form_state(form, FormErrors::default()),
                problem: Some(&message),
                ..FormOutcome::default()
            };
            form_again(&ctx, &page, &id, outcome, StatusCode::CONFLICT).await
        }
        // Which limit, and from when, on the session's clock; what was typed is kept.
        Err(BookingError::TooMany(too_many)) => {
            let found = bookings::public_session(&ctx, &id).await?;
            let message = too_many_words(&too_many, &found.series.zone());
            let outcome = FormOutcome {
                form: form_state(form, FormErrors::default()),
                problem: Some(&message),
                ..FormOutcome::default()
            };
            session_page(&ctx, &page, &found, outcome, StatusCode::TOO_MANY_REQUESTS).await
        }
        Err(error) => Err(error.into()),
    }
}

/// "Check your inbox": what every valid registration is answered with.
fn inbox_page(page: &PageContext, answer: &bookings::Inbox) -> Markup {
    let (date, _) = session_when(&answer.session, &answer.time_zone.zone());
    let session_href = format!("/s/{}", answer.session.id);
    let view = InboxView {
        email: answer.email.as_str(),
        series_name: &answer.series_name,
        date: &date,
        confirm_by_email: answer.confirm_by_email,
        session_href: &session_href,
    };
    inbox(&page.page("Check your inbox"), &view)
}

/// "a spot as a base", "a place on the waitlist": what a held registration keeps.
fn holding(found: &LinkedRegistration) -> String {
    match (found.registration.status, found.registration.role) {
        (RegistrationStatus::Confirmed, Some(role)) => format!("a spot as a {}", role.as_str()),
        (RegistrationStatus::Waitlisted, _) => "a place on the waitlist".to_owned(),
        _ => "a spot".to_owned(),
    }
}

fn confirm_view_page(
    ctx: &Context,
    page: &PageContext,
    found: &LinkedRegistration,
    state: ConfirmState,
) -> Markup {
    let (date, time) = session_when(&found.session, &found.series.zone());
    let registration = &found.registration;
    let session_href = format!("/s/{}", found.session.id);
    let cancel_href = bookings::cancel_url(ctx, registration);
    let holding = holding(found);
    let view = ConfirmView {
        series_name: &found.series.name,
        date: &date,
        time: &time,
        holding: &holding,
        state,
        session_href: &session_href,
        cancel_href: &cancel_href,
    };
    confirm_page(&page.page("Keep your spot"), &view)
}

/// `GET /confirm/{token}`: the button that keeps a held registration. Opening the link
/// confirms nothing (mail scanners open links); a wrong secret is "not found".
async fn show_confirm(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let found = bookings::by_confirm_link(&ctx, &token).await?;
    let state = if found.registration.status == RegistrationStatus::Cancelled {
        ConfirmState::Released
    } else if found.registration.held_until.is_some() {
        ConfirmState::Ask {
            action: format!("/confirm/{token}"),
        }
    } else {
        ConfirmState::AlreadyConfirmed
    };
    Ok(private(
        confirm_view_page(&ctx, &page, &found, state).into_response(),
    ))
}

/// `POST /confirm/{token}`: keeps the held registration, unless the jobs released it first.
async fn confirm(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (confirmation, found) = bookings::confirm_hold(&ctx, &token).await?;
    let state = match confirmation {
        Confirmation::Now => ConfirmState::Confirmed,
        Confirmation::Already => ConfirmState::AlreadyConfirmed,
        Confirmation::Released => ConfirmState::Released,
    };
    Ok(private(
        confirm_view_page(&ctx, &page, &found, state).into_response(),
    ))
}

/// The session page again with the registration form as it was sent and what went wrong.
async fn form_again(
    ctx: &Context,
    page: &PageContext,
    id: &SessionId,
    outcome: FormOutcome<'_>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let found = bookings::public_session(ctx, id).await?;
    session_page(ctx, page, &found, outcome, status).await
}

/// The result of registering, at `/s/{session}/registered/{registration}.{secret}`: the cancel
/// link's token in another place, checked by the same [`bookings::by_link`]. It shows the
/// registration as it stands now (promoted since, or cancelled).
async fn show_registered(
    State(ctx): State<Context>,
    page: PageContext,
    Path((session, key)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let token = bookings::token_of_result(&session, &key);
    // A wrong secret is "not found", like a registration that never existed: the page must
    // not tell a guesser that the registration is there.
    let found = bookings::by_link(&ctx, &token).await?;
    let (date, time) = session_when(&found.session, &found.series.zone());
    let registration = &found.registration;
    let session_href = format!("/s/{}", found.session.id);
    let cancel_url = format!("/cancel/{token}");
    let calendar_href = format!("/s/{}.ics", found.session.id);
    let role = jamie_templates::components::standing(
        registration.status,
        registration.requested,
        registration.role,
    );
    let view = RegisteredView {
        series_name: &found.series.name,
        session_href: &session_href,
        date: &date,
        time: &time,
        time_zone: &found.series.time_zone,
        name: &registration.name,
        email: registration.email.as_str(),
        confirmed: registration.status == RegistrationStatus::Confirmed,
        cancelled: registration.status == RegistrationStatus::Cancelled,
        session_cancelled: found.session.status == SessionStatus::Cancelled,
        session_over: found.session.ends_at <= ctx.clock.now(),
        role,
        position: found.position,
        cancel_url: &cancel_url,
        calendar_href: &calendar_href,
    };
    let title = match registration.status {
        RegistrationStatus::Confirmed => "You're registered",
        RegistrationStatus::Waitlisted => "You're on the waitlist",
        RegistrationStatus::Cancelled => "Your registration is cancelled",
    };
    Ok(private(
        registered(&page.page(title), &view).into_response(),
    ))
}

fn status_label(found: &LinkedRegistration) -> String {
    let registration = &found.registration;
    let label = match (registration.status, registration.role) {
        (RegistrationStatus::Confirmed, Some(role)) => format!("Confirmed as a {}", role.as_str()),
        (RegistrationStatus::Waitlisted, _) => match found.position {
            Some(position) => format!(
                "On the waitlist: number {position} for {}",
                queue_name(registration.requested)
            ),
            None => "On the waitlist".to_owned(),
        },
        _ => "Cancelled".to_owned(),
    };
    match (registration.held_until, registration.status) {
        (Some(_), RegistrationStatus::Confirmed | RegistrationStatus::Waitlisted) => {
            format!("{label} (held until you press the link in your email)")
        }
        _ => label,
    }
}

fn queue_name(requested: RoleChoice) -> &'static str {
    match requested {
        RoleChoice::Base => "bases",
        RoleChoice::Flyer => "flyers",
        RoleChoice::Either => "either role",
    }
}

fn cancel_view_page(
    ctx: &Context,
    page: &PageContext,
    token: &str,
    found: &LinkedRegistration,
    notice: Option<&str>,
) -> Markup {
    let (date, time) = session_when(&found.session, &found.series.zone());
    let label = status_label(found);
    let state = if found.registration.status == RegistrationStatus::Cancelled {
        CancelState::AlreadyCancelled
    } else if found.session.ends_at <= ctx.clock.now() {
        CancelState::SessionOver
    } else {
        CancelState::Active {
            action: format!("/cancel/{token}"),
        }
    };
    let view = CancelView {
        series_name: &found.series.name,
        date: &date,
        time: &time,
        name: &found.registration.name,
        status_label: &label,
        waitlisted: found.registration.status == RegistrationStatus::Waitlisted,
        state,
        notice,
    };
    cancel_page(&page.page("Your registration"), &view)
}

/// Pages whose address holds a secret (the result page, the cancel link) and the redirect to
/// one: never sent on as a referrer, never indexed (never kept in a cache, as no page is:
/// `web_common::finish`).
fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::REFERRER_POLICY,
        axum::http::HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "x-robots-tag",
        axum::http::HeaderValue::from_static("noindex"),
    );
    response
}

async fn show_cancel(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    // A wrong secret is "not found", so the page does not confirm that a registration exists.
    let found = bookings::by_link(&ctx, &token).await?;
    Ok(private(
        cancel_view_page(&ctx, &page, &token, &found, None).into_response(),
    ))
}

async fn cancel(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    // As on the page: a wrong secret is "not found", hiding whether the registration exists.
    let (cancelled, found) = bookings::cancel_by_link(&ctx, &token).await?;
    let notice = match cancelled {
        Cancelled::Now { promoted: Some(_) } => {
            "Your registration is cancelled. Your spot went to the next person on the waitlist."
        }
        Cancelled::Now { promoted: None } => "Your registration is cancelled.",
        Cancelled::Already => "This registration was already cancelled.",
    };
    Ok(private(
        cancel_view_page(&ctx, &page, &token, &found, Some(notice)).into_response(),
    ))
}

async fn show_series(
    State(ctx): State<Context>,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, calendar) = calendar_or_page(&id);
    let id = id.parse::<SeriesId>().map_err(|_| AppError::NotFound)?;
    if calendar {
        return series_calendar(&ctx, &id).await;
    }
    let (series, upcoming) = bookings::public_series(&ctx, &id).await?;
    let zone = series.zone();
    let now = ctx.clock.now();
    let sessions = upcoming
        .into_iter()
        .map(|session| {
            let (date, time) = relative_parts(&session, &zone, now);
            let (base, flyer) = session_counts(&session);
            let found = PublicSession {
                session,
                series: series.clone(),
            };
            SeriesSessionLink {
                href: format!("/s/{}", found.session.id),
                date,
                time,
                counts: counts_text(base, flyer, found.session.waitlisted),
                state: state_of(&found, now),
            }
        })
        .collect();
    let maps_url = series.location.maps_url();
    let cost = series.cost.label();
    let schedule = series.schedule_label();
    let organizers = &series.organizer_names;
    let base_url = ctx.config.base_url.as_str();
    let feed_path = format!("/series/{}.ics", series.id);
    let view = PublicSeriesView {
        name: &series.name,
        description: &series.description,
        photo: series
            .photo
            .as_ref()
            .map(|photo| format!("{base_url}/{}", photo.key)),
        venue: &series.location.venue,
        address: &series.location.address,
        maps_url: &maps_url,
        cost: &cost,
        schedule: &schedule,
        organizers,
        sessions,
        webcal_url: &ctx.config.base_url.webcal(&feed_path),
        feed_url: &ctx.config.base_url.join(&feed_path),
    };
    let mut page = page.page(&series.name);
    if unlisted(&series) {
        page = page.noindex();
    }
    Ok(unindexed_if(
        unlisted(&series),
        public_series(&page, &view).into_response(),
    ))
}

/// `GET /series/{series}.ics`: the subscription feed, every session of the series.
async fn series_calendar(ctx: &Context, id: &SeriesId) -> Result<Response, AppError> {
    let (series, sessions) = bookings::public_series_calendar(ctx, id).await?;
    let base_url = &ctx.config.base_url;
    let body = series_ics(
        &series.name,
        Some(&series.location),
        &sessions,
        |session| base_url.join(&format!("/s/{}", session.id)),
        base_url.host(),
        ctx.clock.now(),
    );
    let filename = series_file_name(&series.name);
    Ok(unindexed_if(
        unlisted(&series),
        calendar_response(body, "inline", &filename),
    ))
}

/// "Find a jam": every public series with a session ahead (from the listing index), each with
/// its usual time and its next session's room.
async fn find(State(ctx): State<Context>, page: PageContext) -> Result<Response, AppError> {
    let listed = series::listed(&ctx).await?;
    let now = ctx.clock.now();
    let rows: Vec<ListedSeries> = listed
        .into_iter()
        .map(|listed| {
            let (series, next) = (&listed.series, &listed.next);
            let (next_date, next_time) = relative_parts(next, &series.zone(), now);
            let (base, flyer) = session_counts(next);
            let location = next.location(series);
            ListedSeries {
                href: format!("/series/{}", series.id),
                name: series.name.clone(),
                venue: location.venue.clone(),
                address: location.address.clone(),
                schedule: series.schedule_label(),
                next_href: format!("/s/{}", next.id),
                next_date,
                next_time,
                next_counts: counts_text(base, flyer, next.waitlisted),
            }
        })
        .collect();
    let page = page
        .page("Find a jam")
        .description("Public acroyoga jams with sessions coming up: register as a base or a flyer, no account needed.");
    Ok(find_jams(&page, &rows).into_response())
}
