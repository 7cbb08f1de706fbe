//! The dev mailbox (`make dev` only): every email the app has queued, newest first, with its
//! links clickable, so a sign-in link can be followed without a mail server.

use maud::{Markup, html};

use crate::{Page, layout::layout};

/// One email as the mailbox lists it.
#[derive(Clone, Debug)]
pub struct MailboxEmail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub sent: String,
    pub link: Option<&'a str>,
}

pub fn mailbox(page: &Page<'_>, emails: &[MailboxEmail<'_>]) -> Markup {
    layout(
        page,
        html! {
            section class="flex flex-col gap-4" aria-labelledby="mailbox-title" {
                h1 id="mailbox-title" class="text-3xl font-bold" { "Dev mailbox" }
                p class="text-base-content/70" { "Emails queued by this local Jamie, newest first. Only in make dev." }
                @if emails.is_empty() {
                    p { "No emails yet. " a href="/login" class="link" { "Request a sign-in link" } " to see one here." }
                }
                ul class="flex flex-col gap-3" {
                    @for email in emails {
                        li class="card bg-base-200" {
                            div class="card-body gap-1" {
                                p class="text-sm text-base-content/70" { (email.sent) " · to " (email.to) }
                                h2 class="card-title text-lg" { (email.subject) }
                                @if let Some(link) = email.link {
                                    a href=(link) class="link link-primary break-all" { (link) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
