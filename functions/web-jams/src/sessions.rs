//! The session handlers: scheduling sessions of a series, a session's page, and editing,
//! cancelling and completing one.

use axum::{
    Form,
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use jamie::{
    Context,
    authorization::Operation,
    bookings,
    ids::{SeriesId, SessionId},
    jams::{
        series::{self, Series},
        sessions::{self, Schedule, Session, SessionEdit, SessionError, SessionStatus},
    },
    values::{Fields, FormErrors},
};
use jamie_templates::{
    components::FormState,
    pages::jams::{self as views, ScheduleFormView, SessionRow, SessionView},
};
use web_common::{
    AppError, PageContext, form_state, relative_when, session_counts, session_links, session_when,
};

use crate::{Done, FormFields, SeriesPath, SessionPath, status_for};

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

/// A session's row in its series' lists.
pub(crate) fn session_row(ctx: &Context, series: &Series, session: &Session) -> SessionRow {
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

async fn schedule_page(
    ctx: &Context,
    page: &PageContext,
    id: &SeriesId,
    form: Option<FormState>,
) -> Result<Response, AppError> {
    let access = series::access(ctx, &page.principal, id, Operation::EditSeries).await?;
    let series = &access.series;
    let form = match form {
        Some(form) => form,
        None => {
            let all = sessions::of_series(ctx, &page.principal, id).await?;
            let last = all.last().map(|session| session.starts_at);
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
    Ok((status, views::schedule_form(&page.page(&title), &view)).into_response())
}

pub(crate) async fn schedule_form(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Result<Response, AppError> {
    schedule_page(&ctx, &page, &id, None).await
}

pub(crate) async fn schedule_sessions(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Form(form): Form<FormFields>,
) -> Result<Response, AppError> {
    let access = series::access(&ctx, &page.principal, &id, Operation::EditSeries).await?;
    let schedule = match Schedule::parse(&Fields(&form), &access.series, ctx.clock.now()) {
        Ok(schedule) => schedule,
        Err(errors) => {
            return schedule_page(&ctx, &page, &id, Some(form_state(form, errors))).await;
        }
    };
    let zone = access.series.zone();
    let done = sessions::schedule(&ctx, &page.principal, &id, schedule).await?;
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
    Ok(Redirect::to(&to).into_response())
}

/// The session page, with the edit and cancel forms as given (or filled from the session).
async fn session_page(
    ctx: &Context,
    page: &PageContext,
    ids: (&SeriesId, &SessionId),
    done: &str,
    problem: Option<&str>,
    forms: (Option<FormState>, Option<FormState>),
) -> Result<Response, AppError> {
    let found = sessions::access(ctx, &page.principal, ids.0, ids.1, Operation::ViewSeries).await?;
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
    Ok((status, views::session_page(&page.page(&title), &view)).into_response())
}

pub(crate) async fn show_session(
    State(ctx): State<Context>,
    page: PageContext,
    SessionPath(series_id, session_id): SessionPath,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
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
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/jams/{}/sessions/{}?done={done}", ids.0, ids.1))
                .into_response(),
        ),
        Err(SessionError::Invalid(errors)) => {
            let state = Some(form_state(form, errors));
            let forms = if cancel { (None, state) } else { (state, None) };
            session_page(ctx, page, ids, "", None, forms).await
        }
        Err(error @ (SessionError::NotScheduled | SessionError::NotStarted)) => {
            let problem = error.to_string();
            session_page(ctx, page, ids, "", Some(&problem), (None, None)).await
        }
        Err(error) => Err(error.into()),
    }
}

pub(crate) async fn edit_session(
    State(ctx): State<Context>,
    page: PageContext,
    SessionPath(series_id, session_id): SessionPath,
    Form(form): Form<FormFields>,
) -> Result<Response, AppError> {
    let access = series::access(&ctx, &page.principal, &series_id, Operation::EditSeries).await?;
    let result = match SessionEdit::parse(&Fields(&form), &access.series, ctx.clock.now()) {
        Ok(edit) => {
            bookings::capacity::edit_session(&ctx, &page.principal, &series_id, &session_id, edit)
                .await
                .map(drop)
        }
        Err(errors) => Err(SessionError::Invalid(errors)),
    };
    let ids = (&series_id, &session_id);
    after_session_change(&ctx, &page, ids, result, "saved", form, false).await
}

pub(crate) async fn cancel_session(
    State(ctx): State<Context>,
    page: PageContext,
    SessionPath(series_id, session_id): SessionPath,
    Form(form): Form<FormFields>,
) -> Result<Response, AppError> {
    let reason = Fields(&form).get("reason").to_owned();
    let result = sessions::cancel(&ctx, &page.principal, &series_id, &session_id, &reason)
        .await
        .map(drop);
    let ids = (&series_id, &session_id);
    after_session_change(&ctx, &page, ids, result, "cancelled", form, true).await
}

pub(crate) async fn complete_session(
    State(ctx): State<Context>,
    page: PageContext,
    SessionPath(series_id, session_id): SessionPath,
) -> Result<Response, AppError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_notice_says_what_happened_to_which_session() {
        let when = "Tue 16 Mar 2027";
        assert_eq!(
            session_notice("saved", when).as_deref(),
            Some("Saved the changes to Tue 16 Mar 2027.")
        );
        assert!(session_notice("cancelled", when).is_some_and(|text| text.contains("emailed")));
        assert_eq!(session_notice("", when), None);
        assert_eq!(session_notice("something-else", when), None);
    }
}
