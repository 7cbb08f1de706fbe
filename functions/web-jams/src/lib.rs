//! The `web-jams` function: an organizer's series and sessions (`/jams/*`) — create, edit,
//! archive and delete a series, schedule and override sessions, cancel and complete them,
//! co-organizers and their invites, the series photo. Access is decided by the domain.

mod photos;
mod places;
mod registrations;

use std::collections::BTreeMap;

use axum::{
    Form, Router,
    extract::{FromRequestParts, Path, Query, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jamie::{
    Context,
    authorization::{Denied, Operation, OrganizerRole},
    ids::{SeriesId, SessionId, UserId},
    jams::{
        invites::{self, InviteError},
        series::{self, Series, SeriesDetails, SeriesError, Visibility},
        sessions::{self, Schedule, Session, SessionEdit, SessionError, SessionStatus},
    },
    values::{Fields, FormErrors},
};
use jamie_templates::{
    components::{FormState, percent_encode},
    pages::jams::{
        self as views, ConfirmView, InviteRow, InviteState, InviteView, OrganizerRow,
        ScheduleFormView, SeriesFormView, SeriesView, SessionRow, SessionView,
    },
};
use serde::Deserialize;
use web_common::{
    AppError, PageContext, Routes, form_state, relative_when, session_counts, session_links,
    session_when,
};

pub fn routes() -> Routes {
    Routes::new()
        .page("/jams/new", get(new_series))
        .action("/jams", post(create_series))
        .page("/jams/places", get(places::suggestions))
        .page("/jams/invites/{token}", get(show_invite))
        .action("/jams/invites/{token}/accept", post(accept_invite))
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

type FormFields = BTreeMap<String, String>;

/// The response to a refused or failed series operation.
fn refused(page: &PageContext, error: SeriesError) -> Response {
    match error {
        SeriesError::Denied(Denied::SignInRequired) => {
            Redirect::to(&format!("/login?next={}", percent_encode(&page.path))).into_response()
        }
        SeriesError::Denied(Denied::Blocked) => {
            AppError::Forbidden("This account is blocked.").into_response()
        }
        SeriesError::Denied(Denied::Forbidden) => AppError::Forbidden(
            "Only the series' owner can do this; co-organizers can do everything else.",
        )
        .into_response(),
        SeriesError::NotFound => AppError::NotFound.into_response(),
        SeriesError::HasRegistrations | SeriesError::Invalid(_) => {
            AppError::BadRequest("That is not possible for this series.").into_response()
        }
        SeriesError::Internal(error) => AppError::from(error).into_response(),
    }
}

fn session_refused(page: &PageContext, error: SessionError) -> Response {
    match error {
        SessionError::Series(error) => refused(page, error),
        SessionError::NotFound => AppError::NotFound.into_response(),
        SessionError::NotScheduled | SessionError::NotStarted | SessionError::Invalid(_) => {
            AppError::BadRequest("That is not possible for this session.").into_response()
        }
    }
}

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

// ---- series ---------------------------------------------------------------------------------

/// The time zones the form suggests.
fn time_zones() -> &'static [&'static str] {
    static ZONES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    ZONES.get_or_init(|| {
        let mut zones: Vec<&'static str> = jiff::tz::db()
            .available()
            .filter(|name| name.as_str().contains('/') && !name.as_str().starts_with("Etc/"))
            .map(|name| &*String::leak(name.as_str().to_owned()))
            .collect();
        zones.sort_unstable();
        zones
    })
}

fn series_form_page(
    ctx: &Context,
    page: &PageContext,
    existing: Option<&Series>,
    form: &FormState,
) -> Response {
    let (heading, action, cancel) = match existing {
        Some(series) => (
            format!("Edit {}", series.name),
            format!("/jams/{}/edit", series.id),
            format!("/jams/{}", series.id),
        ),
        None => (
            "New jam series".to_owned(),
            "/jams".to_owned(),
            "/".to_owned(),
        ),
    };
    let view = SeriesFormView {
        heading: &heading,
        action: &action,
        submit: if existing.is_some() {
            "Save changes"
        } else {
            "Create series"
        },
        cancel_href: &cancel,
        form,
        problem: form
            .has_errors()
            .then_some("Some fields need another look; see the notes beside them."),
        places_enabled: ctx.config.google_maps_api_key.is_some(),
        time_zones: time_zones(),
        duration_minutes: jamie::jams::series::DURATION_MINUTES,
        cut_offs: &jamie::jams::series::CUT_OFFS,
    };
    let status = status_for(form.has_errors());
    (status, views::series_form(&page.page(&heading), &view)).into_response()
}

async fn new_series(State(ctx): State<Context>, page: PageContext) -> Response {
    if let Err(denied) = jamie::authorization::authorize(&page.principal, Operation::CreateSeries) {
        return refused(&page, denied.into());
    }
    let mut values = FormFields::new();
    for (name, value) in [
        ("cost_kind", "free"),
        ("cost_currency", "EUR"),
        ("capacity_base", "10"),
        ("capacity_flyer", "10"),
        ("start_time", "19:00"),
        ("duration_minutes", "120"),
        ("visibility", "public"),
        ("either_first", "base"),
        ("closes_minutes_before", "0"),
    ] {
        values.insert(name.to_owned(), value.to_owned());
    }
    series_form_page(
        &ctx,
        &page,
        None,
        &form_state(values, FormErrors::default()),
    )
}

/// The details of a series form, with a place id resolved through the Places API when one
/// was picked.
async fn series_details(ctx: &Context, form: &FormFields) -> Result<SeriesDetails, FormErrors> {
    let mut details = SeriesDetails::parse(&Fields(form))?;
    jamie::jams::places::resolve(ctx, &mut details.location).await?;
    Ok(details)
}

async fn create_series(
    State(ctx): State<Context>,
    page: PageContext,
    Form(form): Form<FormFields>,
) -> Response {
    let details = match series_details(&ctx, &form).await {
        Ok(details) => details,
        Err(errors) => return series_form_page(&ctx, &page, None, &form_state(form, errors)),
    };
    match series::create(&ctx, &page.principal, details).await {
        Ok(series) => Redirect::to(&format!("/jams/{}?done=created", series.id)).into_response(),
        Err(error) => refused(&page, error),
    }
}

async fn edit_series_form(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Response {
    match series::access(&ctx, &page.principal, &id, Operation::EditSeries).await {
        Ok(access) => {
            let form = form_state(access.series.fields(), FormErrors::default());
            series_form_page(&ctx, &page, Some(&access.series), &form)
        }
        Err(error) => refused(&page, error),
    }
}

async fn edit_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Form(form): Form<FormFields>,
) -> Response {
    let access = match series::access(&ctx, &page.principal, &id, Operation::EditSeries).await {
        Ok(access) => access,
        Err(error) => return refused(&page, error),
    };
    let details = match series_details(&ctx, &form).await {
        Ok(details) => details,
        Err(errors) => {
            return series_form_page(&ctx, &page, Some(&access.series), &form_state(form, errors));
        }
    };
    match series::update(&ctx, &page.principal, &id, details).await {
        Ok(_) => Redirect::to(&format!("/jams/{id}?done=saved")).into_response(),
        Err(error) => refused(&page, error),
    }
}

/// What the action that redirected here did (`?done=…`), with the figures some notices give.
#[derive(Debug, Default, Deserialize)]
struct Done {
    #[serde(default)]
    done: String,
    /// Scheduling: sessions made and dates skipped, the first and last new date.
    #[serde(default)]
    made: Option<usize>,
    #[serde(default)]
    skipped: Option<usize>,
    #[serde(default)]
    from: Option<jiff::civil::Date>,
    #[serde(default)]
    to: Option<jiff::civil::Date>,
}

/// The notice a series page shows after an action: what happened, in specific words.
fn series_notice(done: &Done, series: &Series, today: jiff::civil::Date) -> Option<String> {
    let name = &series.name;
    Some(match done.done.as_str() {
        "created" => {
            format!("Created “{name}”. Next, schedule its sessions: each gets a page to share.")
        }
        "saved" => format!("Saved your changes to “{name}”."),
        "archived" => format!(
            "Archived “{name}”: participants no longer find it; registrations are kept. Restore it any time."
        ),
        "restored" => {
            format!("Restored “{name}” from the archive: participants can find it again.")
        }
        "invited" => {
            "Invite emailed. It works for 48 hours; you can also copy its link below.".to_owned()
        }
        "revoked" => "Invite withdrawn: its link no longer works.".to_owned(),
        "removed" => format!("Co-organizer removed: they no longer see or manage “{name}”."),
        "joined" => format!("Welcome aboard: you now co-organize “{name}”."),
        "photo" => "Photo saved: it shows on the series' public page.".to_owned(),
        "photo-removed" => "Photo removed.".to_owned(),
        "scheduled" => scheduled_notice(done, today)?,
        _ => return None,
    })
}

/// "Scheduled 4 sessions: Tue 8 Dec – Tue 29 Dec." and the dates skipped, if any.
fn scheduled_notice(done: &Done, today: jiff::civil::Date) -> Option<String> {
    let made = done.made?;
    let skipped = done.skipped.unwrap_or(0);
    let day = |date: jiff::civil::Date| {
        if date.year() == today.year() {
            jamie_templates::when::day(date)
        } else {
            jamie_templates::when::date(date)
        }
    };
    let mut text = match (made, done.from, done.to) {
        (0, _, _) => "No new sessions.".to_owned(),
        (1, Some(from), _) => format!("Scheduled 1 session: {}.", day(from)),
        (made, Some(from), Some(to)) => {
            format!("Scheduled {made} sessions: {} – {}.", day(from), day(to))
        }
        (1, _, _) => "Scheduled 1 session.".to_owned(),
        (made, _, _) => format!("Scheduled {made} sessions."),
    };
    match skipped {
        0 => {}
        1 => text.push_str(" Skipped 1 date that already had a session."),
        skipped => text.push_str(&format!(
            " Skipped {skipped} dates that already had a session."
        )),
    }
    Some(text)
}

/// The notice a session page shows after an action on it.
fn session_notice(done: &str, when: &str) -> Option<String> {
    Some(match done {
        "saved" => format!("Saved the changes to {when}."),
        "cancelled" => format!(
            "Cancelled {when}. Everyone registered is being emailed your reason; the public page says it is cancelled."
        ),
        "completed" => format!("Marked {when} as completed."),
        _ => return None,
    })
}

fn session_row(ctx: &Context, series: &Series, session: &Session) -> SessionRow {
    let zone = series.zone();
    let (date, time) = session_when(session, &zone);
    let (base, flyer) = session_counts(session);
    let links = session_links(&ctx.config.base_url, &series.id, &session.id);
    SessionRow {
        href: links.manage.clone(),
        when: relative_when(session.starts_at, session.ends_at, &zone, ctx.clock.now()),
        links,
        date,
        time,
        status: session.status,
        base,
        flyer,
        waitlist: session.waitlisted,
        overridden: session.is_overridden(series),
        note: session.note.clone(),
        cancel_reason: session.cancel_reason.clone(),
    }
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

/// What a series page shows besides the series: the notice of an action, a problem, the
/// invite form as submitted, why a deletion did not happen.
#[derive(Default)]
struct SeriesExtras<'a> {
    done: Option<&'a Done>,
    problem: Option<&'a str>,
    invite_form: FormState,
    delete_problem: Option<&'a str>,
}

async fn series_page(
    ctx: &Context,
    page: &PageContext,
    id: &SeriesId,
    extras: SeriesExtras<'_>,
) -> Response {
    let SeriesExtras {
        done,
        problem,
        invite_form,
        delete_problem,
    } = extras;
    let access = match series::access(ctx, &page.principal, id, Operation::ViewSeries).await {
        Ok(access) => access,
        Err(error) => return refused(page, error),
    };
    let sessions = match sessions::of_series(ctx, id).await {
        Ok(sessions) => sessions,
        Err(error) => return AppError::from(error).into_response(),
    };
    let organizers = match series::organizers(ctx, &page.principal, id).await {
        Ok(organizers) => organizers,
        Err(error) => return refused(page, error),
    };
    let is_owner = access.role == Some(OrganizerRole::Owner);
    let pending = if is_owner {
        match invites::pending(ctx, &page.principal, id).await {
            Ok(pending) => pending,
            Err(InviteError::Series(error)) => return refused(page, error),
            Err(_) => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let series = &access.series;
    let now = ctx.clock.now();
    let (past, upcoming): (Vec<&Session>, Vec<&Session>) =
        sessions.iter().partition(|session| session.ends_at <= now);
    let viewer = &access.actor.user.id;
    let organizer_rows = organizers
        .iter()
        .map(|organizer| OrganizerRow {
            name: organizer.user.display_name.as_str().to_owned(),
            email: organizer.user.email.as_str().to_owned(),
            owner: organizer.role == OrganizerRole::Owner,
            is_viewer: &organizer.user.id == viewer,
            remove_action: (is_owner && organizer.role == OrganizerRole::CoOrganizer).then(|| {
                format!(
                    "/jams/{}/organizers/{}/remove",
                    series.id, organizer.user.id
                )
            }),
        })
        .collect();
    let invite_rows = pending
        .iter()
        .map(|invited| InviteRow {
            email: invited.invite.email.as_str().to_owned(),
            expires: jamie_templates::when::moment_in_zone(
                invited.invite.valid_until,
                &series.zone(),
            ),
            link: invited.link.clone(),
            revoke_action: format!("/jams/{}/invites/{}/revoke", series.id, invited.invite.id),
        })
        .collect();
    let maps_url = series.location.maps_url();
    let cost = series.cost.label();
    let schedule = series.schedule_label();
    let today = now.to_zoned_datetime(series.zone()).date();
    let notice = done.and_then(|done| series_notice(done, series, today));
    let public_href = format!("/series/{}", series.id);
    let share_url = ctx.config.base_url.join(&public_href);
    let view = SeriesView {
        id: series.id.as_str(),
        name: &series.name,
        description: &series.description,
        archived: series.archived,
        public_href: &public_href,
        share_url: &share_url,
        visibility: match series.visibility {
            Visibility::Public => "Public",
            Visibility::Unlisted => "Unlisted",
        },
        is_owner,
        can_edit: access.may(Operation::EditSeries),
        photo: series.photo.as_ref().map(|photo| photo_url(&photo.key)),
        venue: &series.location.venue,
        address: &series.location.address,
        maps_url: &maps_url,
        cost: &cost,
        capacity_base: series.capacity_base,
        capacity_flyer: series.capacity_flyer,
        schedule: &schedule,
        time_zone: &series.time_zone,
        level_notes: &series.level_notes,
        upcoming: upcoming
            .into_iter()
            .map(|session| session_row(ctx, series, session))
            .collect(),
        past: past
            .into_iter()
            .rev()
            .map(|session| session_row(ctx, series, session))
            .collect(),
        organizers: organizer_rows,
        invites: invite_rows,
        invite_form: &invite_form,
        new_invite_link: None,
        notice: notice.as_deref(),
        problem,
        delete_problem,
    };
    let status =
        status_for(problem.is_some() || delete_problem.is_some() || invite_form.has_errors());
    (status, views::series_page(&page.page(&series.name), &view)).into_response()
}

async fn show_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Query(done): Query<Done>,
) -> Response {
    let extras = SeriesExtras {
        done: Some(&done),
        ..SeriesExtras::default()
    };
    series_page(&ctx, &page, &id, extras).await
}

/// The page before a destructive action, with the real button.
fn confirm(page: &PageContext, view: &ConfirmView<'_>) -> Response {
    views::confirm_page(&page.page(view.heading), view).into_response()
}

async fn confirm_archive(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Response {
    let access = match series::access(&ctx, &page.principal, &id, Operation::EditSeries).await {
        Ok(access) => access,
        Err(error) => return refused(&page, error),
    };
    let series = &access.series;
    if series.archived {
        return Redirect::to(&format!("/jams/{id}")).into_response();
    }
    let heading = format!("Archive “{}”?", series.name);
    let back = format!("/jams/{id}");
    confirm(
        &page,
        &ConfirmView {
            heading: &heading,
            consequence: "Participants no longer find the series or its sessions, and nobody can register. \
                 Everyone's registrations are kept, and you can restore the series from its page any time.",
            action: &page.path,
            button: "Archive series",
            back_href: &back,
            back_label: "Keep it open",
        },
    )
}

async fn archive_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Response {
    set_archived(ctx, page, id, true).await
}

async fn unarchive_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Response {
    set_archived(ctx, page, id, false).await
}

async fn set_archived(ctx: Context, page: PageContext, id: SeriesId, archived: bool) -> Response {
    let done = if archived { "archived" } else { "restored" };
    match series::set_archived(&ctx, &page.principal, &id, archived).await {
        Ok(()) => Redirect::to(&format!("/jams/{id}?done={done}")).into_response(),
        Err(error) => refused(&page, error),
    }
}

#[derive(Debug, Default, Deserialize)]
struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

async fn delete_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Form(form): Form<DeleteForm>,
) -> Response {
    if form.confirm != "yes" {
        let problem = "Tick the box to confirm that the series and its sessions should go.";
        let extras = SeriesExtras {
            delete_problem: Some(problem),
            ..SeriesExtras::default()
        };
        return series_page(&ctx, &page, &id, extras).await;
    }
    let count = match sessions::of_series(&ctx, &id).await {
        Ok(all) => all.len(),
        Err(error) => return AppError::from(error).into_response(),
    };
    match series::delete(&ctx, &page.principal, &id).await {
        Ok(()) => Redirect::to(&format!("/?done=deleted-{count}")).into_response(),
        Err(error @ SeriesError::HasRegistrations) => {
            let problem = error.to_string();
            let extras = SeriesExtras {
                delete_problem: Some(&problem),
                ..SeriesExtras::default()
            };
            series_page(&ctx, &page, &id, extras).await
        }
        Err(error) => refused(&page, error),
    }
}

// ---- sessions -------------------------------------------------------------------------------

async fn schedule_page(
    ctx: &Context,
    page: &PageContext,
    id: &SeriesId,
    form: Option<FormState>,
) -> Response {
    let access = match series::access(ctx, &page.principal, id, Operation::EditSeries).await {
        Ok(access) => access,
        Err(error) => return refused(page, error),
    };
    let series = &access.series;
    let form = match form {
        Some(form) => form,
        None => {
            let last = match sessions::of_series(ctx, id).await {
                Ok(all) => all.last().map(|session| session.starts_at),
                Err(error) => return AppError::from(error).into_response(),
            };
            let defaults = sessions::schedule_defaults(series, ctx.clock.now(), last);
            form_state(defaults, FormErrors::default())
        }
    };
    let series_href = format!("/jams/{}", series.id);
    let action = format!("/jams/{}/sessions", series.id);
    let view = ScheduleFormView {
        series_name: &series.name,
        series_href: &series_href,
        action: &action,
        time_zone: &series.time_zone,
        form: &form,
        problem: form
            .has_errors()
            .then_some("Some fields need another look; see the notes beside them."),
    };
    let status = status_for(form.has_errors());
    let title = format!("Schedule sessions of {}", series.name);
    (status, views::schedule_form(&page.page(&title), &view)).into_response()
}

async fn schedule_form(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Response {
    schedule_page(&ctx, &page, &id, None).await
}

async fn schedule_sessions(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Form(form): Form<FormFields>,
) -> Response {
    let access = match series::access(&ctx, &page.principal, &id, Operation::EditSeries).await {
        Ok(access) => access,
        Err(error) => return refused(&page, error),
    };
    let schedule = match Schedule::parse(&Fields(&form), &access.series, ctx.clock.now()) {
        Ok(schedule) => schedule,
        Err(errors) => {
            return schedule_page(&ctx, &page, &id, Some(form_state(form, errors))).await;
        }
    };
    let zone = access.series.zone();
    match sessions::schedule(&ctx, &page.principal, &id, schedule).await {
        Ok(done) => {
            let day = |session: &Session| {
                session
                    .starts_at
                    .to_zoned_datetime(zone.clone())
                    .date()
                    .to_string()
            };
            let mut to = format!(
                "/jams/{id}?done=scheduled&made={}&skipped={}",
                done.sessions.len(),
                done.skipped
            );
            if let (Some(first), Some(last)) = (done.sessions.first(), done.sessions.last()) {
                to.push_str(&format!("&from={}&to={}", day(first), day(last)));
            }
            Redirect::to(&to).into_response()
        }
        Err(error) => refused(&page, error),
    }
}

/// The session page, with the edit and cancel forms as given (or filled from the session).
async fn session_page(
    ctx: &Context,
    page: &PageContext,
    ids: (&SeriesId, &SessionId),
    done: &str,
    problem: Option<&str>,
    forms: (Option<FormState>, Option<FormState>),
) -> Response {
    let found =
        match sessions::access(ctx, &page.principal, ids.0, ids.1, Operation::ViewSeries).await {
            Ok(found) => found,
            Err(error) => return session_refused(page, error),
        };
    let (series, session) = (&found.access.series, &found.session);
    let zone = series.zone();
    let (date, time) = session_when(session, &zone);
    let when = relative_when(session.starts_at, session.ends_at, &zone, ctx.clock.now());
    let notice = session_notice(done, &date);
    let links = session_links(&ctx.config.base_url, &series.id, &session.id);
    let (base, flyer) = session_counts(session);
    let location = session.location(series);
    let maps_url = location.maps_url();
    let cost = session.cost(series).label();
    let base_path = format!("/jams/{}/sessions/{}", series.id, session.id);
    let edit_action = format!("{base_path}/edit");
    let cancel_action = format!("{base_path}/cancel");
    let complete_action = format!("{base_path}/complete");
    let series_href = format!("/jams/{}", series.id);
    let (form, cancel_form) = forms;
    let has_errors = form.as_ref().is_some_and(FormState::has_errors)
        || cancel_form.as_ref().is_some_and(FormState::has_errors);
    let form = form.unwrap_or_else(|| form_state(session.fields(series), FormErrors::default()));
    let cancel_form = cancel_form.unwrap_or_default();
    let scheduled = session.status == SessionStatus::Scheduled;
    let view = SessionView {
        series_name: &series.name,
        series_href: &series_href,
        when: &when,
        links: &links,
        date: &date,
        time: &time,
        time_zone: &series.time_zone,
        status: session.status,
        cancel_reason: session.cancel_reason.as_deref(),
        base,
        flyer,
        waitlist: session.waitlisted,
        cost: &cost,
        venue: &location.venue,
        address: &location.address,
        maps_url: &maps_url,
        note: &session.note,
        can_edit: found.access.may(Operation::EditSeries),
        can_complete: scheduled && session.starts_at <= ctx.clock.now(),
        edit_action: &edit_action,
        cancel_action: &cancel_action,
        complete_action: &complete_action,
        form: &form,
        cancel_form: &cancel_form,
        notice: notice.as_deref(),
        problem,
    };
    let status = status_for(problem.is_some() || has_errors);
    let title = format!("{} — {date}", series.name);
    (status, views::session_page(&page.page(&title), &view)).into_response()
}

async fn show_session(
    State(ctx): State<Context>,
    page: PageContext,
    SessionPath(series_id, session_id): SessionPath,
    Query(done): Query<Done>,
) -> Response {
    let ids = (&series_id, &session_id);
    session_page(&ctx, &page, ids, &done.done, None, (None, None)).await
}

/// Redirects to the session page with a `done` code, or renders the page with the error.
async fn after_session_change(
    ctx: &Context,
    page: &PageContext,
    ids: (&SeriesId, &SessionId),
    result: Result<(), SessionError>,
    done: &str,
    form: FormFields,
    cancel: bool,
) -> Response {
    match result {
        Ok(()) => {
            Redirect::to(&format!("/jams/{}/sessions/{}?done={done}", ids.0, ids.1)).into_response()
        }
        Err(SessionError::Invalid(errors)) => {
            let state = Some(form_state(form, errors));
            let forms = if cancel { (None, state) } else { (state, None) };
            session_page(ctx, page, ids, "", None, forms).await
        }
        Err(error @ (SessionError::NotScheduled | SessionError::NotStarted)) => {
            let problem = error.to_string();
            session_page(ctx, page, ids, "", Some(&problem), (None, None)).await
        }
        Err(error) => session_refused(page, error),
    }
}

async fn edit_session(
    State(ctx): State<Context>,
    page: PageContext,
    SessionPath(series_id, session_id): SessionPath,
    Form(form): Form<FormFields>,
) -> Response {
    let access =
        match series::access(&ctx, &page.principal, &series_id, Operation::EditSeries).await {
            Ok(access) => access,
            Err(error) => return refused(&page, error),
        };
    let result = match SessionEdit::parse(&Fields(&form), &access.series, ctx.clock.now()) {
        Ok(edit) => sessions::edit(&ctx, &page.principal, &series_id, &session_id, edit)
            .await
            .map(drop),
        Err(errors) => Err(SessionError::Invalid(errors)),
    };
    let ids = (&series_id, &session_id);
    after_session_change(&ctx, &page, ids, result, "saved", form, false).await
}

async fn cancel_session(
    State(ctx): State<Context>,
    page: PageContext,
    SessionPath(series_id, session_id): SessionPath,
    Form(form): Form<FormFields>,
) -> Response {
    let reason = Fields(&form).get("reason").to_owned();
    let result = sessions::cancel(&ctx, &page.principal, &series_id, &session_id, &reason)
        .await
        .map(drop);
    let ids = (&series_id, &session_id);
    after_session_change(&ctx, &page, ids, result, "cancelled", form, true).await
}

async fn complete_session(
    State(ctx): State<Context>,
    page: PageContext,
    SessionPath(series_id, session_id): SessionPath,
) -> Response {
    let result = sessions::complete(&ctx, &page.principal, &series_id, &session_id).await;
    let ids = (&series_id, &session_id);
    after_session_change(
        &ctx,
        &page,
        ids,
        result,
        "completed",
        FormFields::new(),
        false,
    )
    .await
}

// ---- organizers and invites -----------------------------------------------------------------

fn invite_refused(page: &PageContext, error: InviteError) -> Response {
    match error {
        InviteError::Series(error) => refused(page, error),
        _ => AppError::BadRequest("That invite cannot be used.").into_response(),
    }
}

async fn invite_organizer(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Form(form): Form<FormFields>,
) -> Response {
    let email = Fields(&form).get("email").to_owned();
    match invites::invite(&ctx, &page.principal, &id, &email).await {
        Ok(_) => Redirect::to(&format!("/jams/{id}?done=invited")).into_response(),
        Err(InviteError::Series(SeriesError::Invalid(errors))) => {
            let extras = SeriesExtras {
                invite_form: form_state(form, errors),
                ..SeriesExtras::default()
            };
            series_page(&ctx, &page, &id, extras).await
        }
        Err(error) => invite_refused(&page, error),
    }
}

async fn confirm_revoke(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Path(params): Path<BTreeMap<String, String>>,
) -> Response {
    let invite = params.get("invite").cloned().unwrap_or_default();
    let pending = match invites::pending(&ctx, &page.principal, &id).await {
        Ok(pending) => pending,
        Err(error) => return invite_refused(&page, error),
    };
    let back = format!("/jams/{id}");
    let Some(found) = pending.iter().find(|pending| pending.invite.id == invite) else {
        // Accepted, revoked or expired meanwhile: nothing left to withdraw.
        return Redirect::to(&back).into_response();
    };
    let heading = format!("Withdraw the invite for {}?", found.invite.email.as_str());
    confirm(
        &page,
        &ConfirmView {
            heading: &heading,
            consequence: "Its link stops working at once. You can send a new invite later.",
            action: &page.path,
            button: "Withdraw invite",
            back_href: &back,
            back_label: "Keep the invite",
        },
    )
}

async fn revoke_invite(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Path(params): Path<BTreeMap<String, String>>,
) -> Response {
    let invite = params.get("invite").cloned().unwrap_or_default();
    match invites::revoke(&ctx, &page.principal, &id, &invite).await {
        Ok(()) => Redirect::to(&format!("/jams/{id}?done=revoked")).into_response(),
        Err(InviteError::Used) => {
            let problem = "That invite was already accepted.";
            let extras = SeriesExtras {
                problem: Some(problem),
                ..SeriesExtras::default()
            };
            series_page(&ctx, &page, &id, extras).await
        }
        Err(error) => invite_refused(&page, error),
    }
}

async fn confirm_remove(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Path(params): Path<BTreeMap<String, String>>,
) -> Response {
    let Ok(user) = param::<UserId>(&params, "user") else {
        return AppError::NotFound.into_response();
    };
    let access = match series::access(&ctx, &page.principal, &id, Operation::ManageOrganizers).await
    {
        Ok(access) => access,
        Err(error) => return refused(&page, error),
    };
    let organizers = match series::organizers(&ctx, &page.principal, &id).await {
        Ok(organizers) => organizers,
        Err(error) => return refused(&page, error),
    };
    let back = format!("/jams/{id}");
    let Some(organizer) = organizers.iter().find(|organizer| {
        organizer.user.id == user && organizer.role == OrganizerRole::CoOrganizer
    }) else {
        return Redirect::to(&back).into_response();
    };
    let name = organizer.user.display_name.as_str();
    let heading = format!("Remove {name} from “{}”?", access.series.name);
    let button = format!("Remove {name}");
    let consequence = format!(
        "{name} no longer sees or manages the series, its sessions or its registrations. \
         Nothing they did is undone, and you can invite them again."
    );
    confirm(
        &page,
        &ConfirmView {
            heading: &heading,
            consequence: &consequence,
            action: &page.path,
            button: &button,
            back_href: &back,
            back_label: "Keep them",
        },
    )
}

async fn remove_organizer(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Path(params): Path<BTreeMap<String, String>>,
) -> Response {
    let Ok(user) = param::<UserId>(&params, "user") else {
        return AppError::NotFound.into_response();
    };
    match series::remove_organizer(&ctx, &page.principal, &id, &user).await {
        Ok(()) => Redirect::to(&format!("/jams/{id}?done=removed")).into_response(),
        Err(error) => refused(&page, error),
    }
}

async fn confirm_leave(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Response {
    let access = match series::access(&ctx, &page.principal, &id, Operation::ViewSeries).await {
        Ok(access) => access,
        Err(error) => return refused(&page, error),
    };
    let back = format!("/jams/{id}");
    if access.role != Some(OrganizerRole::CoOrganizer) {
        return Redirect::to(&back).into_response();
    }
    let heading = format!("Leave “{}”?", access.series.name);
    confirm(
        &page,
        &ConfirmView {
            heading: &heading,
            consequence: "You will no longer see or manage the series, its sessions or its registrations. \
                 To come back, ask its owner for a new invite.",
            action: &page.path,
            button: "Leave the series",
            back_href: &back,
            back_label: "Stay",
        },
    )
}

async fn leave_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Response {
    match series::leave(&ctx, &page.principal, &id).await {
        Ok(()) => Redirect::to("/?done=left").into_response(),
        Err(error) => refused(&page, error),
    }
}

/// The page an invite link opens: who invites to what, and a button to accept (or a clear
/// explanation of why the link no longer works).
async fn invite_page(ctx: &Context, page: &PageContext, token: &str) -> Response {
    let (preview, state, status) = match invites::preview(ctx, token).await {
        Ok(preview) => {
            // The sign-in form comes filled with the invited address.
            let login_href = format!(
                "/login?next={}&email={}",
                percent_encode(&page.path),
                percent_encode(preview.invite.email.as_str())
            );
            let state = InviteState::Open {
                accept_action: format!("/jams/invites/{token}/accept"),
                signed_in: page.principal.actor().is_some(),
                login_href,
            };
            (Some(preview), state, StatusCode::OK)
        }
        Err(InviteError::Invalid) => (None, InviteState::Invalid, StatusCode::NOT_FOUND),
        Err(InviteError::Revoked) => (None, InviteState::Revoked, StatusCode::GONE),
        Err(InviteError::Used) => match already_organizes(ctx, page, token).await {
            Some(series_href) => (
                None,
                InviteState::AlreadyOrganizer { series_href },
                StatusCode::CONFLICT,
            ),
            None => (None, InviteState::Used, StatusCode::GONE),
        },
        Err(InviteError::Expired) => (None, InviteState::Expired, StatusCode::GONE),
        Err(InviteError::AlreadyOrganizer(series)) => (
            None,
            InviteState::AlreadyOrganizer {
                series_href: format!("/jams/{series}"),
            },
            StatusCode::CONFLICT,
        ),
        Err(InviteError::Series(error)) => return refused(page, error),
    };
    let expires = preview.as_ref().map(|preview| {
        jamie_templates::when::moment_in_zone(preview.invite.valid_until, &preview.series.zone())
    });
    let view = InviteView {
        series_name: preview.as_ref().map(|preview| preview.series.name.as_str()),
        inviter: preview
            .as_ref()
            .map(|preview| preview.invite.inviter_name.as_str()),
        email: preview
            .as_ref()
            .map(|preview| preview.invite.email.as_str()),
        expires: expires.as_deref(),
        state,
    };
    (
        status,
        views::invite_page(&page.page("Co-organizer invite"), &view),
    )
        .into_response()
}

/// The series page of the invite's series when the viewer already organizes it (they most
/// likely accepted this very invite).
async fn already_organizes(ctx: &Context, page: &PageContext, token: &str) -> Option<String> {
    let series = invites::series_of(ctx, token)?;
    let access = series::access(ctx, &page.principal, &series, Operation::ViewSeries)
        .await
        .ok()?;
    access.role.map(|_| format!("/jams/{series}"))
}

async fn show_invite(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Response {
    invite_page(&ctx, &page, &token).await
}

async fn accept_invite(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Response {
    match invites::accept(&ctx, &page.principal, &token).await {
        Ok(series) => Redirect::to(&format!("/jams/{series}?done=joined")).into_response(),
        Err(InviteError::Series(SeriesError::Denied(Denied::SignInRequired))) => {
            let next = format!("/jams/invites/{token}");
            Redirect::to(&format!("/login?next={}", percent_encode(&next))).into_response()
        }
        Err(InviteError::Series(error)) => refused(&page, error),
        Err(_) => invite_page(&ctx, &page, &token).await,
    }
}
