//! `/dev/mailbox`: the emails the local app has queued, so a sign-in link can be followed
//! without a mail server. Mounted by the dev server and the tests only, never in a Lambda.

use axum::{
    extract::State,
    response::{IntoResponse, Response},
    routing::get,
};
use jamie::{Context, outbox};
use jamie_templates::pages::mailbox::{MailboxEmail, mailbox};
use web_common::{AppError, PageContext, Routes};

pub fn routes() -> Routes {
    Routes::new().page("/dev/mailbox", get(show))
}

async fn show(State(ctx): State<Context>, page: PageContext) -> Response {
    let recent = match outbox::recent(&ctx, 50).await {
        Ok(recent) => recent,
        Err(error) => return AppError::from(error).into_response(),
    };
    let emails: Vec<MailboxEmail<'_>> = recent
        .iter()
        .map(|email| MailboxEmail {
            to: email.to.as_str(),
            subject: email.message.subject(),
            sent: email
                .created_at
                .strftime("%Y-%m-%d %H:%M:%S UTC")
                .to_string(),
            link: Some(email.message.url()),
        })
        .collect();
    mailbox(&page.page("Dev mailbox"), &emails).into_response()
}
