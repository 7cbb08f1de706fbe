//! The series handlers: the form to create and edit one, its page (sessions, organizers,
//! invites, notices), archiving, restoring and deleting it.

use axum::{
    Form,
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use jamie::{
    Context,
    authorization::{Operation, OrganizerRole},
    ids::SeriesId,
    jams::{
        invites::{self, InviteError},
        series::{self, Series, SeriesDetails, SeriesError},
        sessions::{self, Session},
    },
    values::{Fields, FormErrors},
};
use jamie_templates::{
    components::FormState,
    pages::jams::{
        self as views, ConfirmView, InviteRow, OrganizerRow, SeriesFormView, SeriesView,
    },
};
use serde::Deserialize;
use web_common::{AppError, PageContext, form_state};

use crate::{Done, FormFields, SeriesPath, confirm, photo_url, sessions::session_row, status_for};

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
        owner_email: owner_email(page, existing),
    };
    let status = status_for(form.has_errors());
    (status, views::series_form(&page.page(&heading), &view)).into_response()
}

/// The reader's address when they own (or, for a new one, will own) the series.
fn owner_email<'a>(page: &'a PageContext, existing: Option<&Series>) -> Option<&'a str> {
    let actor = page.principal.actor()?;
    existing
        .is_none_or(|series| series.owner == actor.user.id)
        .then(|| actor.user.email.as_str())
}

pub(crate) async fn new_series(
    State(ctx): State<Context>,
    page: PageContext,
) -> Result<Response, AppError> {
    jamie::authorization::authorize(&page.principal, Operation::CreateSeries)?;
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
    Ok(series_form_page(
        &ctx,
        &page,
        None,
        &form_state(values, FormErrors::default()),
    ))
}

/// The details of a series form, with a place id resolved through the Places API when one
/// was picked.
async fn series_details(ctx: &Context, form: &FormFields) -> Result<SeriesDetails, FormErrors> {
    let mut details = SeriesDetails::parse(&Fields(form))?;
    jamie::jams::places::resolve(ctx, &mut details.location).await?;
    Ok(details)
}

pub(crate) async fn create_series(
    State(ctx): State<Context>,
    page: PageContext,
    Form(form): Form<FormFields>,
) -> Result<Response, AppError> {
    let details = match series_details(&ctx, &form).await {
        Ok(details) => details,
        Err(errors) => {
            return Ok(series_form_page(
                &ctx,
                &page,
                None,
                &form_state(form, errors),
            ));
        }
    };
    let series = series::create(&ctx, &page.principal, details).await?;
    Ok(Redirect::to(&format!("/jams/{}?done=created", series.id)).into_response())
}

pub(crate) async fn edit_series_form(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Result<Response, AppError> {
    let access = series::access(&ctx, &page.principal, &id, Operation::EditSeries).await?;
    let form = form_state(access.series.fields(), FormErrors::default());
    Ok(series_form_page(&ctx, &page, Some(&access.series), &form))
}

pub(crate) async fn edit_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Form(form): Form<FormFields>,
) -> Result<Response, AppError> {
    let access = series::access(&ctx, &page.principal, &id, Operation::EditSeries).await?;
    let details = match series_details(&ctx, &form).await {
        Ok(details) => details,
        Err(errors) => {
            let form = form_state(form, errors);
            return Ok(series_form_page(&ctx, &page, Some(&access.series), &form));
        }
    };
    series::update(&ctx, &page.principal, &id, details).await?;
    Ok(Redirect::to(&format!("/jams/{id}?done=saved")).into_response())
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

/// What a series page shows besides the series: the notice of an action, a problem, the
/// invite form as submitted, why a deletion did not happen.
#[derive(Default)]
pub(crate) struct SeriesExtras<'a> {
    pub(crate) done: Option<&'a Done>,
    pub(crate) problem: Option<&'a str>,
    pub(crate) invite_form: FormState,
    pub(crate) delete_problem: Option<&'a str>,
}

pub(crate) async fn series_page(
    ctx: &Context,
    page: &PageContext,
    id: &SeriesId,
    extras: SeriesExtras<'_>,
) -> Result<Response, AppError> {
    let SeriesExtras {
        done,
        problem,
        invite_form,
        delete_problem,
    } = extras;
    let access = series::access(ctx, &page.principal, id, Operation::ViewSeries).await?;
    let sessions = sessions::of_series(ctx, &page.principal, id).await?;
    let organizers = series::organizers(ctx, &page.principal, id).await?;
    let is_owner = access.role == Some(OrganizerRole::Owner);
    let pending = if is_owner {
        match invites::pending(ctx, &page.principal, id).await {
            Ok(pending) => pending,
            Err(InviteError::Series(error)) => return Err(error.into()),
            // No invites to list (the others are refusals of one invite, not of the list).
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
        visibility: series.visibility,
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
    Ok((status, views::series_page(&page.page(&series.name), &view)).into_response())
}

pub(crate) async fn show_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let extras = SeriesExtras {
        done: Some(&done),
        ..SeriesExtras::default()
    };
    series_page(&ctx, &page, &id, extras).await
}

pub(crate) async fn confirm_archive(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Result<Response, AppError> {
    let access = series::access(&ctx, &page.principal, &id, Operation::EditSeries).await?;
    let series = &access.series;
    if series.archived {
        return Ok(Redirect::to(&format!("/jams/{id}")).into_response());
    }
    let heading = format!("Archive “{}”?", series.name);
    let back = format!("/jams/{id}");
    Ok(confirm(
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
    ))
}

pub(crate) async fn archive_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Result<Response, AppError> {
    set_archived(ctx, page, id, true).await
}

pub(crate) async fn unarchive_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Result<Response, AppError> {
    set_archived(ctx, page, id, false).await
}

async fn set_archived(
    ctx: Context,
    page: PageContext,
    id: SeriesId,
    archived: bool,
) -> Result<Response, AppError> {
    let done = if archived { "archived" } else { "restored" };
    series::set_archived(&ctx, &page.principal, &id, archived).await?;
    Ok(Redirect::to(&format!("/jams/{id}?done={done}")).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

pub(crate) async fn delete_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    if form.confirm != "yes" {
        let problem = "Tick the box to confirm that the series and its sessions should go.";
        let extras = SeriesExtras {
            delete_problem: Some(problem),
            ..SeriesExtras::default()
        };
        return series_page(&ctx, &page, &id, extras).await;
    }
    let count = sessions::of_series(&ctx, &page.principal, &id).await?.len();
    match series::delete(&ctx, &page.principal, &id).await {
        Ok(()) => Ok(Redirect::to(&format!("/?done=deleted-{count}")).into_response()),
        Err(error @ SeriesError::HasRegistrations) => {
            let problem = error.to_string();
            let extras = SeriesExtras {
                delete_problem: Some(&problem),
                ..SeriesExtras::default()
            };
            series_page(&ctx, &page, &id, extras).await
        }
        Err(error) => Err(error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> jiff::civil::Date {
        text.parse().unwrap()
    }

    #[test]
    fn a_schedule_notice_names_the_dates_made_and_the_ones_skipped() {
        let today = date("2027-03-10");
        let done = |made, skipped, from: Option<&str>, to: Option<&str>| Done {
            done: "scheduled".to_owned(),
            made: Some(made),
            skipped: Some(skipped),
            from: from.map(date),
            to: to.map(date),
        };
        assert_eq!(
            scheduled_notice(&done(4, 0, Some("2027-03-16"), Some("2027-04-06")), today).as_deref(),
            Some("Scheduled 4 sessions: Tue 16 Mar – Tue 6 Apr.")
        );
        assert_eq!(
            scheduled_notice(&done(1, 1, Some("2028-01-04"), Some("2028-01-04")), today).as_deref(),
            Some("Scheduled 1 session: Tue 4 Jan 2028. Skipped 1 date that already had a session.")
        );
        assert_eq!(
            scheduled_notice(&done(0, 3, None, None), today).as_deref(),
            Some("No new sessions. Skipped 3 dates that already had a session.")
        );
        let without_figures = Done {
            done: "scheduled".to_owned(),
            ..Done::default()
        };
        assert_eq!(scheduled_notice(&without_figures, today), None);
    }
}
