//! The co-organizer handlers: inviting someone to a series, withdrawing an invite, the page an
//! invite link opens and accepting it, removing a co-organizer and leaving a series.

use std::collections::BTreeMap;

use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use jamie::{
    Context,
    authorization::{Denied, Operation, OrganizerRole},
    ids::UserId,
    jams::{
        invites::{self, InviteError, InviteId},
        series::{self, SeriesError},
    },
    values::Fields,
};
use jamie_templates::{
    components::percent_encode,
    pages::jams::{self as views, ConfirmView, InviteState, InviteView},
};
use web_common::{AppError, PageContext, form_state, sign_in_to_return_to};

use crate::{
    FormFields, SeriesPath, confirm, param,
    series::{SeriesExtras, series_page},
};

pub(crate) async fn invite_organizer(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Form(form): Form<FormFields>,
) -> Result<Response, AppError> {
    let email = Fields(&form).get("email").to_owned();
    match invites::invite(&ctx, &page.principal, &id, &email).await {
        Ok(_) => Ok(Redirect::to(&format!("/jams/{id}?done=invited")).into_response()),
        Err(InviteError::Series(SeriesError::Invalid(errors))) => {
            let extras = SeriesExtras {
                invite_form: form_state(form, errors),
                ..SeriesExtras::default()
            };
            series_page(&ctx, &page, &id, extras).await
        }
        Err(error) => Err(error.into()),
    }
}

pub(crate) async fn confirm_revoke(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Path(params): Path<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let invite: InviteId = param(&params, "invite")?;
    let pending = invites::pending(&ctx, &page.principal, &id).await?;
    let back = format!("/jams/{id}");
    let Some(found) = pending.iter().find(|pending| pending.invite.id == invite) else {
        // Accepted, revoked or expired meanwhile: nothing left to withdraw.
        return Ok(Redirect::to(&back).into_response());
    };
    let heading = format!("Withdraw the invite for {}?", found.invite.email.as_str());
    Ok(confirm(
        &page,
        &ConfirmView {
            heading: &heading,
            consequence: "Its link stops working at once. You can send a new invite later.",
            action: &page.path,
            button: "Withdraw invite",
            back_href: &back,
            back_label: "Keep the invite",
        },
    ))
}

pub(crate) async fn revoke_invite(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Path(params): Path<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let invite: InviteId = param(&params, "invite")?;
    match invites::revoke(&ctx, &page.principal, &id, &invite).await {
        Ok(()) => Ok(Redirect::to(&format!("/jams/{id}?done=revoked")).into_response()),
        Err(error @ (InviteError::Used | InviteError::Revoked)) => {
            let problem = if matches!(error, InviteError::Used) {
                "That invite was already accepted: its person now co-organizes the series."
            } else {
                "There is no such invite to withdraw: it was withdrawn already or never sent."
            };
            let extras = SeriesExtras {
                problem: Some(problem),
                ..SeriesExtras::default()
            };
            series_page(&ctx, &page, &id, extras).await
        }
        Err(error) => Err(error.into()),
    }
}

pub(crate) async fn confirm_remove(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Path(params): Path<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let user: UserId = param(&params, "user")?;
    let access = series::access(&ctx, &page.principal, &id, Operation::ManageOrganizers).await?;
    let organizers = series::organizers(&ctx, &page.principal, &id).await?;
    let back = format!("/jams/{id}");
    let Some(organizer) = organizers.iter().find(|organizer| {
        organizer.user.id == user && organizer.role == OrganizerRole::CoOrganizer
    }) else {
        return Ok(Redirect::to(&back).into_response());
    };
    let name = organizer.user.display_name.as_str();
    let heading = format!("Remove {name} from “{}”?", access.series.name);
    let button = format!("Remove {name}");
    let consequence = format!(
        "{name} no longer sees or manages the series, its sessions or its registrations. \
         Nothing they did is undone, and you can invite them again."
    );
    Ok(confirm(
        &page,
        &ConfirmView {
            heading: &heading,
            consequence: &consequence,
            action: &page.path,
            button: &button,
            back_href: &back,
            back_label: "Keep them",
        },
    ))
}

pub(crate) async fn remove_organizer(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Path(params): Path<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let user: UserId = param(&params, "user")?;
    series::remove_organizer(&ctx, &page.principal, &id, &user).await?;
    Ok(Redirect::to(&format!("/jams/{id}?done=removed")).into_response())
}

pub(crate) async fn confirm_leave(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Result<Response, AppError> {
    let access = series::access(&ctx, &page.principal, &id, Operation::ViewSeries).await?;
    let back = format!("/jams/{id}");
    if access.role != Some(OrganizerRole::CoOrganizer) {
        return Ok(Redirect::to(&back).into_response());
    }
    let heading = format!("Leave “{}”?", access.series.name);
    Ok(confirm(
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
    ))
}

pub(crate) async fn leave_series(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Result<Response, AppError> {
    series::leave(&ctx, &page.principal, &id).await?;
    Ok(Redirect::to("/?done=left").into_response())
}

/// The page an invite link opens: who invites to what, and a button to accept (or a clear
/// explanation of why the link no longer works).
async fn invite_page(ctx: &Context, page: &PageContext, token: &str) -> Result<Response, AppError> {
    let (preview, state, status) = match invites::preview(ctx, token).await {
        Ok(preview) => {
            // The sign-in form comes filled with the invited address.
            // The invite's own page, also when this answers its accept form.
            let login_href = format!(
                "/login?next={}&email={}",
                percent_encode(&format!("/jams/invites/{token}")),
                percent_encode(preview.invite.email.as_str())
            );
            let actor = page.principal.actor();
            let state = match actor {
                // Only the invited address can accept (the domain refuses any other).
                Some(actor) if actor.user.email != preview.invite.email => {
                    InviteState::ForSomeoneElse {
                        signed_in_as: actor.user.email.as_str().to_owned(),
                        switch_to: login_href,
                    }
                }
                _ => InviteState::Open {
                    accept_action: format!("/jams/invites/{token}/accept"),
                    signed_in: actor.is_some(),
                    login_href,
                },
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
        Err(InviteError::Series(error)) => return Err(error.into()),
        // Only `accept` says this; the preview above never does.
        Err(error @ InviteError::ForSomeoneElse { .. }) => return Err(error.into()),
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
    Ok((
        status,
        views::invite_page(&page.page("Co-organizer invite"), &view),
    )
        .into_response())
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

pub(crate) async fn show_invite(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    invite_page(&ctx, &page, &token).await
}

pub(crate) async fn accept_invite(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match invites::accept(&ctx, &page.principal, &token).await {
        Ok(series) => Ok(Redirect::to(&format!("/jams/{series}?done=joined")).into_response()),
        // Back to the invite's page after signing in, not to this form's destination.
        Err(InviteError::Series(SeriesError::Denied(Denied::SignInRequired))) => {
            let next = format!("/jams/invites/{token}");
            Ok(Redirect::to(&sign_in_to_return_to(&next)).into_response())
        }
        Err(InviteError::Series(error)) => Err(error.into()),
        // Refused: the invite's page says whose it is and offers to switch.
        Err(InviteError::ForSomeoneElse { .. }) => {
            let mut response = invite_page(&ctx, &page, &token).await?;
            *response.status_mut() = StatusCode::FORBIDDEN;
            Ok(response)
        }
        Err(_) => invite_page(&ctx, &page, &token).await,
    }
}
