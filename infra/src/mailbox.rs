//! `/dev/mailbox`: the emails the emulator's SES accepted from this app, so every flow can be
//! followed without AWS. Mounted by the dev server and the tests only, never in a Lambda.

use axum::{
    extract::{Path, State},
    http::header,
    response::{Html, IntoResponse, Response},
    routing::get,
};
use jamie::Context;
use jamie_templates::pages::mailbox::{MailboxEmail, mailbox};
use web_common::{AppError, PageContext, Routes};

use crate::inbox;

/// How many emails the mailbox lists.
const SHOWN: usize = 30;

pub fn routes() -> Routes {
    Routes::new()
        .page("/dev/mailbox", get(show))
        .page("/dev/mailbox/{id}", get(show_html))
        .page("/dev/mailbox/{id}/files/{n}", get(show_file))
}

async fn show(State(ctx): State<Context>, page: PageContext) -> Result<Response, AppError> {
    let mut emails = Vec::new();
    for summary in inbox::summaries(&ctx).await?.into_iter().take(SHOWN) {
        if let Some(email) = inbox::email(&ctx, &summary.message_id).await? {
            emails.push(email);
        }
    }
    let listed: Vec<MailboxEmail<'_>> = emails
        .iter()
        .map(|email| MailboxEmail {
            id: &email.message_id,
            to: email.to.first().map_or("", String::as_str),
            from: &email.from,
            reply_to: email.reply_to.first().map(String::as_str),
            subject: &email.subject,
            received: &email.received_at,
            text: &email.text,
            attachments: email
                .attachments
                .iter()
                .map(|file| file.name.as_str())
                .collect(),
        })
        .collect();
    Ok(mailbox(&page.page("Dev mailbox"), &listed).into_response())
}

/// The email's HTML, as a mail app would show it.
async fn show_html(
    State(ctx): State<Context>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let email = inbox::email(&ctx, &id).await?.ok_or(AppError::NotFound)?;
    Ok(Html(email.html).into_response())
}

async fn show_file(
    State(ctx): State<Context>,
    Path((id, n)): Path<(String, usize)>,
) -> Result<Response, AppError> {
    let email = inbox::email(&ctx, &id).await?.ok_or(AppError::NotFound)?;
    let file = email
        .attachments
        .into_iter()
        .nth(n)
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file.name.replace('"', "")),
            ),
        ],
        file.content,
    )
        .into_response())
}
