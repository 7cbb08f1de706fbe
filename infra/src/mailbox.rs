//! `/dev/mailbox`: the emails the emulator's SES accepted from this app, so every flow can be
//! followed without AWS, and buttons that run a scheduled job now. Mounted by the dev server
//! and the tests only, never in a Lambda.

use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jamie::{Context, jobs::Job};
use jamie_templates::pages::mailbox::{DevJob, MailboxEmail, mailbox};
use serde::Deserialize;
use web_common::{AppError, PageContext, Routes};

use crate::inbox;

/// How many emails the mailbox lists.
const SHOWN: usize = 30;

pub fn routes() -> Routes {
    Routes::new()
        .secret_page("/dev/mailbox", get(show))
        .secret_page("/dev/mailbox/{id}", get(show_html))
        .secret_page("/dev/mailbox/{id}/files/{n}", get(show_file))
        .action("/dev/jobs/{job}", post(run_job))
}

/// What a job does, for its button.
fn what(job: Job) -> &'static str {
    match job {
        Job::Reminders => "writes the reminders of sessions starting 23–25 h from now",
        Job::Promotions => "sweeps the next two weeks' sessions, re-enqueues stuck emails",
        Job::Cleanup => "completes ended sessions, archives idle series",
    }
}

#[derive(Deserialize)]
struct Shown {
    ran: Option<String>,
    examined: Option<usize>,
    changed: Option<usize>,
}

async fn show(
    State(ctx): State<Context>,
    page: PageContext,
    Query(shown): Query<Shown>,
) -> Result<Response, AppError> {
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
    let jobs: Vec<DevJob<'_>> = Job::ALL
        .into_iter()
        .map(|job| DevJob {
            name: job.name(),
            what: what(job),
        })
        .collect();
    let ran = shown.ran.as_deref().and_then(|name| {
        Job::ALL
            .into_iter()
            .find(|job| job.name() == name)
            .map(|job| {
                format!(
                    "The {} job ran: {} looked at, {} changed.",
                    job.name(),
                    shown.examined.unwrap_or_default(),
                    shown.changed.unwrap_or_default()
                )
            })
    });
    Ok(mailbox(&page.page("Dev mailbox"), &listed, &jobs, ran.as_deref()).into_response())
}

/// Runs one job now, then back to the mailbox.
async fn run_job(
    State(ctx): State<Context>,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    let job = Job::ALL
        .into_iter()
        .find(|job| job.name() == name)
        .ok_or(AppError::NotFound)?;
    let report = Box::pin(jamie::jobs::run(&ctx, job)).await?;
    Ok(Redirect::to(&format!(
        "/dev/mailbox?ran={}&examined={}&changed={}",
        job.name(),
        report.examined,
        report.changed
    ))
    .into_response())
}

/// The email's HTML, as a mail app would show it.
async fn show_html(
    State(ctx): State<Context>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let email = inbox::email(&ctx, &id).await?.ok_or(AppError::NotFound)?;
    // An email carries its styles inline, which the site's policy forbids: this page gets a
    // policy of its own that allows inline styles and nothing active.
    let policy = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; \
                  frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    Ok((
        [(header::CONTENT_SECURITY_POLICY, policy)],
        Html(email.html),
    )
        .into_response())
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
