//! "Check your inbox", the one answer to every valid public registration, and the page a
//! held registration's confirm link opens: a button to press, then what pressing did.

use maud::{Markup, html};

use crate::{
    Page,
    components::{Tone, alert},
    icons,
    layout::{csrf_field, layout},
};

/// The answer to a registration: the same for a new address and one registered already.
#[derive(Clone, Debug)]
pub struct InboxView<'a> {
    pub email: &'a str,
    pub series_name: &'a str,
    /// "Tue 1 Dec 2026".
    pub date: &'a str,
    /// The series holds registrations until they are confirmed by email.
    pub confirm_by_email: bool,
    /// The session's page, to go back to.
    pub session_href: &'a str,
}

pub fn inbox(page: &Page<'_>, view: &InboxView<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-5" aria-labelledby="inbox-title" {
                div class="flex items-center gap-3" {
                    (icons::envelope("size-10 shrink-0 text-primary"))
                    h1 id="inbox-title" class="text-3xl font-bold" { "Check your inbox" }
                }
                p class="text-lg" {
                    "We've emailed " strong class="break-all" { (view.email) }
                    " the confirmation for " strong { (view.series_name) } ", " (view.date)
                    ": it says whether you have a spot or a place on the waitlist, with the link to cancel."
                }
                @if view.confirm_by_email {
                    div class="alert alert-warning items-start" role="status" {
                        (icons::clock("size-6 shrink-0"))
                        span {
                            "If it asks you to confirm, press its link within 30 minutes to keep your spot. "
                            "Otherwise the spot goes to someone else."
                        }
                    }
                }
                p { "No email after a few minutes? Look in your spam folder, or check the address and register again." }
                a class="link" href=(view.session_href) { "Back to the session" }
            }
        },
    )
}

/// What a confirm link can do, or did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfirmState {
    /// Held: the button posts to `action` (a GET confirms nothing, as mail scanners open links).
    Ask { action: String },
    /// Confirmed by this press.
    Confirmed,
    /// Confirmed before (or never needed it).
    AlreadyConfirmed,
    /// The hold ran out (or the registration was cancelled): the spot is gone.
    Released,
}

/// The page a confirm link opens.
#[derive(Clone, Debug)]
pub struct ConfirmView<'a> {
    pub series_name: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    /// "a spot as a base", "a place on the waitlist".
    pub holding: &'a str,
    pub state: ConfirmState,
    /// The session's page (to register again after a release).
    pub session_href: &'a str,
    /// The registration's private cancel page.
    pub cancel_href: &'a str,
}

pub fn confirm_page(page: &Page<'_>, view: &ConfirmView<'_>) -> Markup {
    let when = html! {
        strong { (view.series_name) } " on " (view.date) ", "
        span class="tabular-nums whitespace-nowrap" { (view.time) }
    };
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-5" aria-labelledby="confirm-title" {
                @match &view.state {
                    ConfirmState::Ask { action } => {
                        h1 id="confirm-title" class="text-3xl font-bold" { "Keep your spot" }
                        p class="text-lg" { "You hold " (view.holding) " for " (when) ". Press the button to keep it." }
                        form method="post" action=(action) {
                            (csrf_field(page.csrf))
                            button type="submit" class="btn btn-primary" {
                                (icons::check_circle("size-5")) "Keep my spot"
                            }
                        }
                    }
                    ConfirmState::Confirmed | ConfirmState::AlreadyConfirmed => {
                        @if view.state == ConfirmState::Confirmed {
                            (alert(Tone::Success, "Thanks: your registration is confirmed."))
                        } @else {
                            (alert(Tone::Info, "You had confirmed this registration already; nothing more to do."))
                        }
                        div class="flex items-center gap-3" {
                            (icons::check_circle("size-10 shrink-0 text-success"))
                            h1 id="confirm-title" class="text-3xl font-bold" { "You're confirmed" }
                        }
                        p class="text-lg" { "You keep " (view.holding) " for " (when) "." }
                        p { "Can't come after all? " a class="link" href=(view.cancel_href) { "Cancel your registration" } "." }
                    }
                    ConfirmState::Released => {
                        div class="flex items-center gap-3" {
                            (icons::x_mark("size-10 shrink-0"))
                            h1 id="confirm-title" class="text-3xl font-bold" { "This spot was released" }
                        }
                        p class="text-lg" {
                            "This registration for " (when)
                            " is no longer held: it wasn't confirmed within 30 minutes, or it was cancelled."
                        }
                        p { "Still want to come? Register again on the session's page while it has room." }
                        a class="btn btn-primary self-start" href=(view.session_href) { "Register again" }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::page;

    #[test]
    fn the_inbox_page_says_where_the_email_went_and_escapes_it() {
        let view = InboxView {
            email: "ana<x>@example.org",
            series_name: "Park <jam>",
            date: "Tue 1 Dec 2026",
            confirm_by_email: true,
            session_href: "/s/1",
        };
        let html = inbox(&page(), &view).into_string();
        assert!(html.contains("Check your inbox"));
        assert!(html.contains("ana&lt;x&gt;@example.org"));
        assert!(html.contains("within 30 minutes"));
        let html = inbox(
            &page(),
            &InboxView {
                confirm_by_email: false,
                ..view
            },
        )
        .into_string();
        assert!(!html.contains("within 30 minutes"));
    }

    #[test]
    fn a_confirm_link_asks_for_a_press_and_then_says_what_it_did() {
        let view = |state| ConfirmView {
            series_name: "Park jam",
            date: "Tue 1 Dec 2026",
            time: "19:00–21:00",
            holding: "a spot as a base",
            state,
            session_href: "/s/1",
            cancel_href: "/cancel/x",
        };
        let ask = confirm_page(
            &page(),
            &view(ConfirmState::Ask {
                action: "/confirm/x".into(),
            }),
        )
        .into_string();
        assert!(ask.contains(r#"method="post" action="/confirm/x""#));
        let done = confirm_page(&page(), &view(ConfirmState::Confirmed)).into_string();
        assert!(done.contains("your registration is confirmed"));
        let again = confirm_page(&page(), &view(ConfirmState::AlreadyConfirmed)).into_string();
        assert!(again.contains("confirmed this registration already"));
        let gone = confirm_page(&page(), &view(ConfirmState::Released)).into_string();
        assert!(gone.contains("This spot was released") && gone.contains("Register again"));
    }
}
