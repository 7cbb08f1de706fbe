//! The dev mailbox (`make dev` only): every email the emulator's SES accepted, newest first,
//! its text with the links clickable, its HTML and attachments one click away.

use maud::{Markup, html};

use crate::{Page, layout::layout};

/// One email as the mailbox lists it.
#[derive(Clone, Debug)]
pub struct MailboxEmail<'a> {
    /// SES's message id: `/dev/mailbox/{id}` shows its HTML.
    pub id: &'a str,
    pub to: &'a str,
    pub from: &'a str,
    pub reply_to: Option<&'a str>,
    pub subject: &'a str,
    pub received: &'a str,
    pub text: &'a str,
    /// File names, in order (`/dev/mailbox/{id}/files/{n}`).
    pub attachments: Vec<&'a str>,
}

/// A scheduled job the page can run now, and what its last run here did.
#[derive(Clone, Debug)]
pub struct DevJob<'a> {
    pub name: &'a str,
    pub what: &'a str,
}

pub fn mailbox(
    page: &Page<'_>,
    emails: &[MailboxEmail<'_>],
    jobs: &[DevJob<'_>],
    ran: Option<&str>,
) -> Markup {
    layout(
        page,
        html! {
            section class="flex flex-col gap-4" aria-labelledby="mailbox-title" {
                h1 id="mailbox-title" class="text-3xl font-bold" { "Dev mailbox" }
                p class="text-base-content/70" { "Every email this local Jamie handed to SES (the emulator's), newest first. Only in make dev." }
                @if let Some(ran) = ran {
                    p role="status" class="alert alert-success" { (ran) }
                }
                details class="collapse collapse-arrow bg-base-200" {
                    summary class="collapse-title font-semibold" { "Run a scheduled job now" }
                    div class="collapse-content flex flex-col gap-2" {
                        p class="text-sm text-base-content/70" { "make dev runs them on their schedules; these run one at once." }
                        @for job in jobs {
                            form method="post" action={ "/dev/jobs/" (job.name) } class="flex flex-wrap items-center gap-2" {
                                (crate::csrf_field(page.csrf))
                                button type="submit" class="btn btn-sm" { "Run " (job.name) }
                                span class="text-sm" { (job.what) }
                            }
                        }
                    }
                }
                @if emails.is_empty() {
                    p { "No emails yet. " a href="/login" class="link" { "Request a sign-in link" } " to see one here." }
                }
                ul class="flex flex-col gap-3 min-w-0" {
                    @for email in emails {
                        li class="card bg-base-200 min-w-0 overflow-hidden" {
                            div class="card-body gap-2 min-w-0" {
                                p class="text-sm text-base-content/70 break-words" {
                                    (email.received) " · to " (email.to) " · from " (email.from)
                                    @if let Some(reply_to) = email.reply_to { " · replies to " (reply_to) }
                                }
                                h2 class="card-title text-lg" { (email.subject) }
                                div class="whitespace-pre-wrap break-all text-sm min-w-0" { (linked_text(email.text)) }
                                div class="flex flex-wrap gap-2" {
                                    a href={ "/dev/mailbox/" (email.id) } class="btn btn-sm" { "View as HTML" }
                                    @for (n, name) in email.attachments.iter().enumerate() {
                                        a href={ "/dev/mailbox/" (email.id) "/files/" (n) } class="btn btn-sm btn-ghost" download=(name) { "Attachment: " (name) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// Plain text with every http(s) address made a link (the rest escaped as text).
fn linked_text(text: &str) -> Markup {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = ["http://", "https://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        let (before, from) = rest.split_at(start);
        let end = from
            .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
            .unwrap_or(from.len());
        let url = from[..end].trim_end_matches(['.', ',', ')']);
        pieces.push((before, None));
        pieces.push(("", Some(url)));
        rest = &from[url.len()..];
    }
    html! {
        @for (text, link) in &pieces {
            (text)
            @if let Some(url) = link { a href=(url) class="link link-primary break-all" { (url) } }
        }
        (rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_the_text_become_links_and_the_rest_stays_text() {
        let markup =
            linked_text("Open http://x.test/a?b=1. Or <b> https://y.test/c\nend").into_string();
        assert!(
            markup.contains(r#"<a href="http://x.test/a?b=1""#),
            "{markup}"
        );
        assert!(markup.contains(r#"<a href="https://y.test/c""#), "{markup}");
        assert!(markup.contains("&lt;b&gt;"), "{markup}");
        assert!(markup.ends_with("\nend"), "{markup}");
    }
}
